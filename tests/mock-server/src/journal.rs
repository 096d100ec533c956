//! The journal: what each tenant's clients actually sent, for tests to assert on (headers,
//! idempotency keys, retries, encoded paths). A ring buffer, so a long benchmark cannot grow it
//! without bound; tenants can switch it off entirely.

use parking_lot::Mutex;
use serde_json::{Map, Value};
use std::collections::VecDeque;

pub const CAPACITY: usize = 50_000;

#[derive(Default)]
pub struct Journal {
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    seq: u64,
    entries: VecDeque<Map<String, Value>>,
}

impl Journal {
    pub fn record(&self, mut entry: Map<String, Value>) {
        let mut j = self.inner.lock();
        j.seq += 1;
        entry.insert("seq".into(), Value::from(j.seq));
        if j.entries.len() >= CAPACITY {
            j.entries.pop_front();
        }
        j.entries.push_back(entry);
    }

    pub fn list(&self, operation: Option<&str>) -> Vec<Value> {
        let j = self.inner.lock();
        j.entries
            .iter()
            .filter(|e| {
                operation.is_none_or(|op| e.get("operation").and_then(Value::as_str) == Some(op))
            })
            .map(|e| Value::Object(e.clone()))
            .collect()
    }

    pub fn clear(&self) {
        self.inner.lock().entries.clear();
    }
}
