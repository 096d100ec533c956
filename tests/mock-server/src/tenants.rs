//! Tenants: one per API key, fully isolated from each other.
//!
//! Locks are per tenant and per concern (secret, config, state, journal, faults, rate window,
//! webhook log) so that requests of different tenants never contend, and a request of one tenant
//! holds the state lock only for the in-memory work itself.

use crate::faults::Faults;
use crate::idempotency::IdemStore;
use crate::journal::Journal;
use crate::ops::agents::AgentRec;
use crate::ops::calls::Call;
use crate::ops::campaigns::VoiceCampaign;
use crate::ops::phone_numbers::NumberRec;
use crate::ops::sms::SmsCampaign;
use crate::webhooks::DeliveryLog;
use parking_lot::{Mutex, RwLock};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum ListShape {
    #[default]
    Envelope,
    Array,
}

impl std::str::FromStr for ListShape {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "envelope" => Ok(Self::Envelope),
            "array" => Ok(Self::Array),
            other => Err(format!("unknown list shape {other:?} (envelope|array)")),
        }
    }
}

#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RateLimit {
    pub requests: u64,
    pub per_seconds: f64,
}

#[derive(Clone, Debug, Serialize)]
pub struct TenantConfig {
    pub list_shape: ListShape,
    pub rate_limit: Option<RateLimit>,
    pub call_ring_ms: u64,
    pub call_duration_ms: u64,
    pub webhook_retry_delays_ms: Vec<u64>,
    pub clock_offset_seconds: i64,
    pub journal: bool,
}

impl TenantConfig {
    pub fn new(list_shape: ListShape) -> Self {
        Self {
            list_shape,
            rate_limit: None,
            call_ring_ms: 200,
            call_duration_ms: 1000,
            webhook_retry_delays_ms: vec![100, 200, 400, 800],
            clock_offset_seconds: 0,
            journal: true,
        }
    }

    /// The tenant's clock, in epoch milliseconds.
    pub fn now_ms(&self) -> i64 {
        crate::clock::unix_ms() + self.clock_offset_seconds * 1000
    }
}

/// The body of `PUT /__mock/tenants/{key_id}/config`: every field optional, merged.
/// `rate_limit` distinguishes absent (keep) from `null` (turn off).
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ConfigPatch {
    list_shape: Option<ListShape>,
    #[serde(default, deserialize_with = "present")]
    rate_limit: Option<Option<RateLimit>>,
    call_ring_ms: Option<u64>,
    call_duration_ms: Option<u64>,
    webhook_retry_delays_ms: Option<Vec<u64>>,
    clock_offset_seconds: Option<i64>,
    journal: Option<bool>,
}

fn present<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

impl ConfigPatch {
    pub fn apply(self, c: &mut TenantConfig) -> Result<(), String> {
        if let Some(Some(r)) = &self.rate_limit {
            if r.requests == 0 || r.per_seconds.is_nan() || r.per_seconds <= 0.0 {
                return Err("rate_limit needs requests >= 1 and per_seconds > 0".into());
            }
        }
        if let Some(v) = self.list_shape {
            c.list_shape = v;
        }
        if let Some(v) = self.rate_limit {
            c.rate_limit = v;
        }
        if let Some(v) = self.call_ring_ms {
            c.call_ring_ms = v;
        }
        if let Some(v) = self.call_duration_ms {
            c.call_duration_ms = v;
        }
        if let Some(v) = self.webhook_retry_delays_ms {
            c.webhook_retry_delays_ms = v;
        }
        if let Some(v) = self.clock_offset_seconds {
            c.clock_offset_seconds = v;
        }
        if let Some(v) = self.journal {
            c.journal = v;
        }
        Ok(())
    }
}

/// An id-keyed collection that lists in creation order. The records live in the ordered map,
/// so a list walks them without hashing a single id.
pub struct Coll<T> {
    seq_of: HashMap<String, u64>,
    by_seq: BTreeMap<u64, (String, T)>,
    next: u64,
}

impl<T> Default for Coll<T> {
    fn default() -> Self {
        Self {
            seq_of: HashMap::new(),
            by_seq: BTreeMap::new(),
            next: 0,
        }
    }
}

impl<T> Coll<T> {
    pub fn insert(&mut self, id: String, value: T) {
        if let Some(seq) = self.seq_of.remove(&id) {
            self.by_seq.remove(&seq);
        }
        self.next += 1;
        self.seq_of.insert(id.clone(), self.next);
        self.by_seq.insert(self.next, (id, value));
    }

    pub fn get(&self, id: &str) -> Option<&T> {
        let seq = self.seq_of.get(id)?;
        self.by_seq.get(seq).map(|(_, v)| v)
    }

    pub fn get_mut(&mut self, id: &str) -> Option<&mut T> {
        let seq = self.seq_of.get(id)?;
        self.by_seq.get_mut(seq).map(|(_, v)| v)
    }

    pub fn contains(&self, id: &str) -> bool {
        self.seq_of.contains_key(id)
    }

    pub fn remove(&mut self, id: &str) -> Option<T> {
        let seq = self.seq_of.remove(id)?;
        self.by_seq.remove(&seq).map(|(_, v)| v)
    }

    pub fn len(&self) -> usize {
        self.seq_of.len()
    }

    pub fn clear(&mut self) {
        self.seq_of.clear();
        self.by_seq.clear();
    }

    /// Newest first (creation sequence descending), which is the API's list order.
    pub fn newest_first(&self) -> impl Iterator<Item = (&String, &T)> {
        self.by_seq.values().rev().map(|(k, v)| (k, v))
    }

    pub fn oldest_first(&self) -> impl Iterator<Item = (&String, &T)> {
        self.by_seq.values().map(|(k, v)| (k, v))
    }

    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut T> {
        self.by_seq.values_mut().map(|(_, v)| v)
    }
}

/// Billing survives call deletion ("billing history is unaffected"), so usage keeps the totals
/// of erased calls here.
#[derive(Default)]
pub struct Billed {
    pub calls: u64,
    pub connected_ms: u64,
}

#[derive(Default)]
pub struct TenantState {
    pub agents: Coll<AgentRec>,
    pub calls: Coll<Call>,
    pub numbers: Coll<NumberRec>,
    pub voice_campaigns: Coll<VoiceCampaign>,
    pub sms_campaigns: Coll<SmsCampaign>,
    pub sms: Coll<Map<String, Value>>,
    pub precall_agents: HashMap<String, String>,
    pub storage: Option<Map<String, Value>>,
    pub llm: Option<Map<String, Value>>,
    pub tts: Option<Map<String, Value>>,
    pub billed: Billed,
    pub idem: IdemStore,
}

impl TenantState {
    /// What `account.delete` and a deleted account leave behind: nothing but the idempotency
    /// records (so a retried deletion still replays its answer).
    pub fn purge(&mut self) {
        let idem = std::mem::take(&mut self.idem);
        *self = TenantState::default();
        self.idem = idem;
    }
}

/// A fixed window per tenant: simple to reason about in tests (N requests, then 429 until the
/// window that started with the first one ends).
pub struct RateWindow {
    started: Option<Instant>,
    count: u64,
}

pub struct Tenant {
    pub key_id: String,
    secret: RwLock<String>,
    deleted: AtomicBool,
    /// Read on every request, written rarely: readers share one snapshot.
    config: RwLock<Arc<TenantConfig>>,
    pub state: Mutex<TenantState>,
    pub journal: Journal,
    pub faults: Faults,
    rate: Mutex<RateWindow>,
    pub deliveries: DeliveryLog,
}

impl Tenant {
    pub fn new(key_id: String, secret: String, shape: ListShape) -> Self {
        Self {
            key_id,
            secret: RwLock::new(secret),
            deleted: AtomicBool::new(false),
            config: RwLock::new(Arc::new(TenantConfig::new(shape))),
            state: Mutex::new(TenantState::default()),
            journal: Journal::default(),
            faults: Faults::default(),
            rate: Mutex::new(RateWindow {
                started: None,
                count: 0,
            }),
            deliveries: DeliveryLog::default(),
        }
    }

    pub fn secret(&self) -> String {
        self.secret.read().clone()
    }

    pub fn secret_matches(&self, candidate: &str) -> bool {
        !self.is_deleted() && *self.secret.read() == candidate
    }

    pub fn set_secret(&self, secret: String) {
        *self.secret.write() = secret;
    }

    pub fn is_deleted(&self) -> bool {
        self.deleted.load(Ordering::Acquire)
    }

    pub fn mark_deleted(&self) {
        self.deleted.store(true, Ordering::Release);
    }

    pub fn config(&self) -> Arc<TenantConfig> {
        self.config.read().clone()
    }

    pub fn journal_enabled(&self) -> bool {
        self.config.read().journal
    }

    pub fn update_config(&self, patch: ConfigPatch) -> Result<TenantConfig, String> {
        let mut guard = self.config.write();
        let mut c = TenantConfig::clone(&guard);
        patch.apply(&mut c)?;
        *guard = Arc::new(c.clone());
        if c.rate_limit.is_none() {
            *self.rate.lock() = RateWindow {
                started: None,
                count: 0,
            };
        }
        Ok(c)
    }

    /// `Err(seconds)` when the request is over the tenant's limit.
    pub fn take_rate(&self, limit: &RateLimit) -> Result<RateInfo, f64> {
        let mut w = self.rate.lock();
        let now = Instant::now();
        let window = limit.per_seconds;
        let started = match w.started {
            Some(s) if now.duration_since(s).as_secs_f64() < window => s,
            _ => {
                w.started = Some(now);
                w.count = 0;
                now
            }
        };
        let left = window - now.duration_since(started).as_secs_f64();
        if w.count >= limit.requests {
            return Err(left.max(0.0));
        }
        w.count += 1;
        Ok(RateInfo {
            limit: limit.requests,
            remaining: limit.requests - w.count,
            reset_in: left.max(0.0),
        })
    }
}

pub struct RateInfo {
    pub limit: u64,
    pub remaining: u64,
    pub reset_in: f64,
}
