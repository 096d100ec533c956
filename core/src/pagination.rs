//! Lists and walks over them.
//!
//! The API has answered lists in two shapes: an envelope `{"<items>": [...], "count", "limit",
//! "offset"}` and a bare array. Both are read here, once, for every language.

use std::collections::VecDeque;
use std::ops::Deref;

use serde::de::DeserializeOwned;
use serde_json::Value;
use tokio::task::JoinHandle;
use tracing::Instrument;

use crate::client::{CallParams, Client};
use crate::error::{Error, ErrorKind, Result};
use crate::operation::Operation;
use crate::options::RequestOptions;
use crate::response::{Response, ResponseMeta, decode_error};

/// Page size of walks unless the caller picks one: within the server's cap in both shapes.
pub const DEFAULT_PAGE_SIZE: u32 = 100;
/// Pages fetched at once when the total is known.
pub const DEFAULT_CONCURRENCY: usize = 8;

/// One page of a list: the items, whatever the wire shape, and what the server said of the
/// whole list. It dereferences to the items.
#[derive(Debug, Clone, PartialEq)]
pub struct ListPage<T> {
    /// The items of this page.
    pub items: Vec<T>,
    /// The total number of items, when the server says it (envelope shape).
    pub count: Option<u64>,
    /// The page size the server applied, when it says it.
    pub limit: Option<u64>,
    /// The offset of this page, when the server says it.
    pub offset: Option<u64>,
}

impl<T> Deref for ListPage<T> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        &self.items
    }
}

impl<T> IntoIterator for ListPage<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl ListPage<Value> {
    /// Reads a list body in either shape. `list_key` names the items in the envelope shape.
    pub fn parse(body: Value, list_key: &str) -> std::result::Result<ListPage<Value>, String> {
        match body {
            Value::Array(items) => Ok(ListPage {
                items,
                count: None,
                limit: None,
                offset: None,
            }),
            Value::Object(mut map) => {
                let items = match map.remove(list_key) {
                    Some(Value::Array(items)) => items,
                    Some(_) => return Err(format!("\"{list_key}\" is not an array")),
                    None => return Err(format!("no \"{list_key}\" array in the list")),
                };
                let number = |key: &str| map.get(key).and_then(Value::as_u64);
                Ok(ListPage {
                    items,
                    count: number("count"),
                    limit: number("limit"),
                    offset: number("offset"),
                })
            }
            _ => Err("a list is neither an array nor an object".to_owned()),
        }
    }

    /// Decodes every item into `T`.
    pub fn decode<T: DeserializeOwned>(self) -> std::result::Result<ListPage<T>, String> {
        let items = self
            .items
            .into_iter()
            .map(|v| serde_json::from_value(v).map_err(|e| e.to_string()))
            .collect::<std::result::Result<Vec<T>, String>>()?;
        Ok(ListPage {
            items,
            count: self.count,
            limit: self.limit,
            offset: self.offset,
        })
    }
}

/// Reads a list response of `op` into a page of `T`.
pub(crate) fn list_response<T: DeserializeOwned>(
    op: &Operation,
    response: Response<bytes::Bytes>,
    list_key: &str,
) -> Result<Response<ListPage<T>>> {
    let (body, meta) = response.into_parts();
    let value: Value =
        serde_json::from_slice(&body).map_err(|e| decode_error(&body, &e.to_string(), &meta))?;
    let page = ListPage::parse(value, list_key)
        .and_then(ListPage::decode)
        .map_err(|why| decode_error(&body, &format!("{}: {why}", op.id), &meta))?;
    Ok(Response::new(page, meta))
}

/// How to walk a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WalkOptions {
    /// Items asked for per page (sent as `limit`).
    pub page_size: u32,
    /// Stop after this many items.
    pub max_items: Option<u64>,
    /// Pages fetched at once once the total is known (at least 1).
    pub concurrency: usize,
}

impl Default for WalkOptions {
    fn default() -> Self {
        WalkOptions {
            page_size: DEFAULT_PAGE_SIZE,
            max_items: None,
            concurrency: DEFAULT_CONCURRENCY,
        }
    }
}

/// A page fetched by a walk, with where it started.
#[derive(Debug, Clone)]
pub struct WalkPage {
    /// The items, in order.
    pub items: Vec<Value>,
    /// The offset the page was asked for.
    pub offset: u64,
    /// The total, when the server said it.
    pub count: Option<u64>,
    /// What came with the response.
    pub meta: ResponseMeta,
}

type Fetch = JoinHandle<Result<(ListPage<Value>, ResponseMeta)>>;

/// Walks every item of a paginated operation with `limit`/`offset`.
///
/// It stops on `count` when the server gives it, otherwise on an empty page or on a page
/// shorter than the server can return (a page size above the server's cap does not end the walk
/// early). It fetches the next page while the current one is consumed and, once `count` is
/// known, several pages at once, always handing pages out in order.
pub struct Paginator {
    client: Client,
    op: &'static Operation,
    params: CallParams,
    options: RequestOptions,
    walk: WalkOptions,
    list_key: &'static str,
    /// Offsets of the pages under way, in order.
    inflight: VecDeque<(u64, Fetch)>,
    next_offset: u64,
    /// The most a page can hold: the page size, reduced to the server's cap.
    capacity: u64,
    count: Option<u64>,
    handed_out: u64,
    done: bool,
}

impl Paginator {
    /// A walk over `op`, whose `params` carry any filters (not `limit`/`offset`).
    pub fn new(
        client: Client,
        op: &'static Operation,
        params: CallParams,
        options: RequestOptions,
        walk: WalkOptions,
    ) -> Result<Paginator> {
        let paging = op.pagination.ok_or_else(|| {
            Error::new(
                ErrorKind::InvalidRequest,
                format!("{} does not paginate", op.id),
            )
        })?;
        if walk.page_size == 0 {
            return Err(Error::new(
                ErrorKind::InvalidRequest,
                "page_size must be at least 1",
            ));
        }
        if let Some((name, _)) = params
            .query
            .iter()
            .find(|(n, _)| n == "limit" || n == "offset")
        {
            return Err(Error::new(
                ErrorKind::InvalidRequest,
                format!("a walk sets {name} itself; use page_size and max_items"),
            ));
        }
        let capacity = u64::from(
            walk.page_size
                .min(paging.envelope_max.max(paging.array_max)),
        );
        Ok(Paginator {
            client,
            op,
            params,
            options,
            walk: WalkOptions {
                concurrency: walk.concurrency.max(1),
                ..walk
            },
            list_key: paging.list_key,
            inflight: VecDeque::new(),
            next_offset: 0,
            capacity,
            count: None,
            handed_out: 0,
            done: walk.max_items == Some(0),
        })
    }

    /// The total the server reported, once a page has said it.
    pub fn count(&self) -> Option<u64> {
        self.count
    }

    fn spawn(&mut self, offset: u64) {
        let client = self.client.clone();
        let op = self.op;
        let mut params = self.params.clone();
        params
            .query
            .push(("limit".to_owned(), self.walk.page_size.to_string()));
        params.query.push(("offset".to_owned(), offset.to_string()));
        let options = self.options.clone();
        let list_key = self.list_key;
        // In the caller's span, so that a page's call is traced under the walk that asked for it.
        let task = tokio::spawn(
            async move {
                let response = client.call(op, &params, &options).await?;
                let (page, meta) = list_response::<Value>(op, response, list_key)?.into_parts();
                Ok((page, meta))
            }
            .in_current_span(),
        );
        self.inflight.push_back((offset, task));
    }

    /// Where the walk must stop scheduling pages (exclusive), as far as it knows.
    fn bound(&self) -> u64 {
        let by_count = self.count.unwrap_or(u64::MAX);
        let by_max = self.walk.max_items.unwrap_or(u64::MAX);
        by_count.min(by_max)
    }

    fn fill(&mut self, want: usize) {
        while self.inflight.len() < want && self.next_offset < self.bound() {
            let offset = self.next_offset;
            self.spawn(offset);
            self.next_offset += self.capacity;
        }
    }

    fn stop(&mut self) {
        self.done = true;
        for (_, task) in self.inflight.drain(..) {
            task.abort();
        }
    }

    /// The next page of items, or `None` when the walk is over.
    pub async fn next_page(&mut self) -> Result<Option<WalkPage>> {
        if self.done {
            return Ok(None);
        }
        if self.inflight.is_empty() {
            let offset = self.next_offset;
            self.spawn(offset);
            self.next_offset += self.capacity;
        }
        // Awaited in place and taken off only once done: a caller that gives up on this
        // future (a timeout, a cancelled task, Ctrl-C) finds the same page under way next
        // time instead of losing it.
        let joined = match self.inflight.front_mut() {
            Some((_, task)) => task.await,
            None => unreachable!("a page is under way"),
        }
        .map_err(|e| Error::internal(format!("a page fetch failed: {e}")));
        let (offset, _) = self.inflight.pop_front().expect("a page is under way");
        let (page, meta) = match joined.and_then(|r| r) {
            Ok(fetched) => fetched,
            Err(err) => {
                self.stop();
                return Err(err);
            }
        };
        if let Some(limit) = page.limit.filter(|l| *l > 0) {
            self.capacity = self.capacity.min(limit);
        }
        if page.count.is_some() {
            self.count = page.count;
        }
        let received = page.items.len() as u64;
        let end = offset + received;
        let finished = received == 0
            || match self.count {
                Some(count) => end >= count,
                None => received < self.capacity,
            }
            || self.walk.max_items.is_some_and(|max| end >= max);
        let mut items = page.items;
        if let Some(max) = self.walk.max_items {
            let room = max.saturating_sub(self.handed_out);
            items.truncate(usize::try_from(room).unwrap_or(usize::MAX));
        }
        self.handed_out += items.len() as u64;
        if finished {
            self.stop();
        } else {
            let planned_next = self.inflight.front().map_or(self.next_offset, |(o, _)| *o);
            if planned_next != end {
                // The server returned fewer items than planned: what is under way would skip
                // or repeat items, so restart from where this page really ended.
                for (_, task) in self.inflight.drain(..) {
                    task.abort();
                }
                self.next_offset = end;
            }
            let want = if self.count.is_some() {
                self.walk.concurrency
            } else {
                1
            };
            self.fill(want);
        }
        Ok(Some(WalkPage {
            items,
            offset,
            count: self.count,
            meta,
        }))
    }
}

impl Drop for Paginator {
    fn drop(&mut self) {
        for (_, task) in self.inflight.drain(..) {
            task.abort();
        }
    }
}

/// A walk that hands out decoded items one by one. Boxed, so it is `Unpin` and `.next()`
/// works on it directly.
pub fn stream<T: DeserializeOwned + Send + 'static>(
    paginator: Paginator,
) -> futures::stream::BoxStream<'static, Result<T>> {
    use futures::StreamExt;
    let state = (paginator, VecDeque::<Value>::new(), None::<ResponseMeta>);
    futures::stream::unfold(Some(state), |state| async move {
        let (mut paginator, mut buffer, mut meta) = state?;
        loop {
            if let Some(value) = buffer.pop_front() {
                let item = serde_json::from_value::<T>(value).map_err(|e| {
                    let meta = meta.clone().expect("a page came first");
                    decode_error(b"", &format!("{}: {e}", paginator.op.id), &meta)
                });
                return Some((item, Some((paginator, buffer, meta))));
            }
            match paginator.next_page().await {
                Ok(Some(page)) => {
                    buffer.extend(page.items);
                    meta = Some(page.meta);
                }
                Ok(None) => return None,
                Err(err) => return Some((Err(err), None)),
            }
        }
    })
    .boxed()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn both_list_shapes_parse() {
        let page = ListPage::parse(json!([{"a": 1}, {"a": 2}]), "agents").unwrap();
        assert_eq!(page.len(), 2);
        assert_eq!(page.count, None);
        let page = ListPage::parse(
            json!({"agents": [{"a": 1}], "count": 7, "limit": 1, "offset": 3}),
            "agents",
        )
        .unwrap();
        assert_eq!(
            (page.len(), page.count, page.limit, page.offset),
            (1, Some(7), Some(1), Some(3))
        );
        assert!(ListPage::parse(json!({"calls": []}), "agents").is_err());
        assert!(ListPage::parse(json!("x"), "agents").is_err());
    }
}
