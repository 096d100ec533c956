//! The state behind every generated `…Pager` object: the core's `Paginator` (prefetching,
//! bounded concurrency, both list shapes), handed out page by page to Swift's `AsyncSequence`
//! and Kotlin's `Flow`.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use serde::de::DeserializeOwned;

use crate::errors::NixflexError;
use crate::runtime::run;

const UNKNOWN: u64 = u64::MAX;

struct Walk {
    paginator: nixflex::Paginator,
    /// Set while a page is being fetched; still set afterwards only if that fetch was
    /// cancelled midway, which leaves the walk's position unknown.
    interrupted: bool,
}

pub(crate) struct PagerCore {
    op: &'static str,
    walk: Arc<tokio::sync::Mutex<Walk>>,
    count: Arc<AtomicU64>,
}

impl PagerCore {
    pub(crate) fn new(op: &'static str, paginator: nixflex::Paginator) -> PagerCore {
        PagerCore {
            op,
            walk: Arc::new(tokio::sync::Mutex::new(Walk {
                paginator,
                interrupted: false,
            })),
            count: Arc::new(AtomicU64::new(UNKNOWN)),
        }
    }

    /// The next page of items, or `None` when the walk is over.
    pub(crate) async fn next_page<T>(&self) -> Result<Option<Vec<T>>, NixflexError>
    where
        T: DeserializeOwned + Send + 'static,
    {
        let (op, walk, count) = (self.op, self.walk.clone(), self.count.clone());
        run(async move {
            let mut walk = walk.lock().await;
            if walk.interrupted {
                return Err(NixflexError::invalid_request(format!(
                    "a cancelled fetch left this walk of {op} midway; start a new one"
                )));
            }
            walk.interrupted = true;
            let page = walk.paginator.next_page().await;
            walk.interrupted = false;
            let Some(page) = page? else {
                return Ok(None);
            };
            if let Some(total) = page.count {
                count.store(total, Ordering::Relaxed);
            }
            let meta = page.meta;
            page.items
                .into_iter()
                .map(|item| {
                    serde_json::from_value::<T>(item)
                        .map_err(|e| NixflexError::decode(format!("{op}: {e}"), &meta))
                })
                .collect::<Result<Vec<T>, NixflexError>>()
                .map(Some)
        })
        .await
    }

    /// The total the server reported, once a page has said it.
    pub(crate) fn count(&self) -> Option<u64> {
        Some(self.count.load(Ordering::Relaxed)).filter(|c| *c != UNKNOWN)
    }
}
