//! A walk over a paginated operation, page by page. The core's `Paginator` decides everything
//! (page sizes, stop rules, prefetch, bounded concurrency, `max_items`); this hands each page
//! to JavaScript as JSON text.

use std::sync::Arc;

use napi_derive::napi;
use serde_json::{Value, json};
use tokio::sync::Mutex;

use crate::errors::{self, guard_async, to_napi};

/// One walk. Closing it (or dropping it) cancels the pages under way.
#[napi]
pub struct NativePager {
    inner: Arc<Mutex<Option<nixflex::Paginator>>>,
}

impl NativePager {
    pub(crate) fn new(paginator: nixflex::Paginator) -> NativePager {
        NativePager {
            inner: Arc::new(Mutex::new(Some(paginator))),
        }
    }
}

#[napi]
impl NativePager {
    /// The next page as `{"items": [...], "offset": N, "count": N|null}` text, or `null` when
    /// the walk is over. An abort or an error ends the walk.
    #[napi]
    pub async fn next(&self, abort_token: Option<u32>) -> napi::Result<Option<String>> {
        let inner = self.inner.clone();
        guard_async(async move {
            let mut slot = inner.lock().await;
            let Some(paginator) = slot.as_mut() else {
                return Ok(None);
            };
            let outcome = match crate::cancel::token(abort_token) {
                Some(token) => tokio::select! {
                    biased;
                    () = token.cancelled() => Err(errors::aborted(None)),
                    page = paginator.next_page() => page.map_err(to_napi),
                },
                None => paginator.next_page().await.map_err(to_napi),
            };
            match outcome {
                Ok(Some(page)) => {
                    let text = json!({
                        "items": Value::Array(page.items),
                        "offset": page.offset,
                        "count": page.count,
                    })
                    .to_string();
                    Ok(Some(text))
                }
                Ok(None) => {
                    *slot = None;
                    Ok(None)
                }
                Err(err) => {
                    *slot = None;
                    Err(err)
                }
            }
        })
        .await
    }

    /// Ends the walk now, cancelling the pages under way.
    #[napi]
    pub fn close(&self) {
        if let Ok(mut slot) = self.inner.try_lock() {
            *slot = None;
        } else {
            // A page is being awaited: end the walk when it settles.
            let inner = self.inner.clone();
            napi::bindgen_prelude::spawn(async move {
                *inner.lock().await = None;
            });
        }
    }
}
