//! `Idempotency-Key` records, per tenant.
//!
//! The store lives inside the tenant's state lock, so "look up, do the work, store the answer"
//! is one critical section: two concurrent requests with the same key can never both do the
//! work; the second one waits and replays.

use bytes::Bytes;
use serde_json::Value;
use std::collections::{HashMap, VecDeque};

pub const WINDOW_MS: i64 = 24 * 3600 * 1000;
/// A bound on memory for long benchmarks that send a fresh key with every mutation.
const MAX_RECORDS: usize = 200_000;

pub struct IdemRecord {
    op: usize,
    path: String,
    body: Value,
    pub status: u16,
    pub response: Bytes,
    at_ms: i64,
}

#[derive(Default)]
pub struct IdemStore {
    records: HashMap<String, IdemRecord>,
    order: VecDeque<String>,
}

pub enum IdemCheck<'a> {
    Fresh,
    Replay(&'a IdemRecord),
    Conflict(&'static str),
}

impl IdemStore {
    pub fn check(
        &self,
        key: &str,
        op: usize,
        path: &str,
        body: &Value,
        now_ms: i64,
    ) -> IdemCheck<'_> {
        match self.records.get(key) {
            Some(r) if now_ms - r.at_ms < WINDOW_MS => {
                if r.op != op || r.path != path {
                    IdemCheck::Conflict("a different operation")
                } else if r.body != *body {
                    IdemCheck::Conflict("a different body")
                } else {
                    IdemCheck::Replay(r)
                }
            }
            _ => IdemCheck::Fresh,
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub fn store(
        &mut self,
        key: String,
        op: usize,
        path: String,
        body: Value,
        status: u16,
        response: Bytes,
        now_ms: i64,
    ) {
        if self.records.len() >= MAX_RECORDS {
            self.evict(now_ms);
        }
        if self
            .records
            .insert(
                key.clone(),
                IdemRecord {
                    op,
                    path,
                    body,
                    status,
                    response,
                    at_ms: now_ms,
                },
            )
            .is_none()
        {
            self.order.push_back(key);
        }
    }

    /// Drops expired records, then the oldest ones if still full.
    fn evict(&mut self, now_ms: i64) {
        self.records.retain(|_, r| now_ms - r.at_ms < WINDOW_MS);
        self.order.retain(|k| self.records.contains_key(k));
        while self.records.len() >= MAX_RECORDS {
            match self.order.pop_front() {
                Some(k) => {
                    self.records.remove(&k);
                }
                None => break,
            }
        }
    }
}
