//! List responses in either wire shape the API has used: the envelope
//! `{"<x-list-key>": [...], "count", "limit", "offset"}` or the newest one, a bare array (or
//! for some lists an object holding only the items), with the spec's per-shape default and cap
//! (an oversized `limit` is reduced, never rejected).

use crate::ops::Reply;
use crate::spec::OpSpec;
use crate::tenants::ListShape;
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{Map, Value};

#[derive(Clone, Copy, Debug)]
pub struct Page {
    pub limit: usize,
    pub offset: usize,
}

pub fn page(op: &OpSpec, shape: ListShape, query: &Map<String, Value>) -> Page {
    let limits = match shape {
        ListShape::Envelope => op.page_limits.envelope,
        ListShape::Array => op.page_limits.array,
    };
    let limit = query
        .get("limit")
        .and_then(Value::as_u64)
        .unwrap_or(limits.default)
        .clamp(1, limits.max.max(1));
    let offset = query.get("offset").and_then(Value::as_u64).unwrap_or(0);
    Page {
        limit: limit as usize,
        offset: usize::try_from(offset).unwrap_or(usize::MAX),
    }
}

/// `items` are all matching records, newest first; only the page is rendered, straight into
/// the response bytes.
pub fn respond<T, S: Serialize>(
    op: &OpSpec,
    shape: ListShape,
    query: &Map<String, Value>,
    items: &[T],
    render: impl FnMut(&T) -> S,
) -> Reply {
    let p = page(op, shape, query);
    let rendered: Vec<S> = items
        .iter()
        .skip(p.offset)
        .take(p.limit)
        .map(render)
        .collect();
    match shape {
        ListShape::Array if op.newest_keyed => {
            let key = op.list_key.as_deref().unwrap_or("data");
            Reply::raw(&serde_json::json!({ key: rendered }))
        }
        ListShape::Array => Reply::raw(&rendered),
        ListShape::Envelope => Reply::raw(&Envelope {
            key: op.list_key.as_deref().unwrap_or("data"),
            items: rendered,
            count: items.len(),
            page: p,
        }),
    }
}

struct Envelope<'a, S> {
    key: &'a str,
    items: Vec<S>,
    count: usize,
    page: Page,
}

impl<S: Serialize> Serialize for Envelope<'_, S> {
    fn serialize<Ser: Serializer>(&self, s: Ser) -> Result<Ser::Ok, Ser::Error> {
        let mut m = s.serialize_map(Some(4))?;
        m.serialize_entry(self.key, &self.items)?;
        m.serialize_entry("count", &self.count)?;
        m.serialize_entry("limit", &self.page.limit)?;
        m.serialize_entry("offset", &self.page.offset)?;
        m.end()
    }
}
