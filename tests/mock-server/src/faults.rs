//! Fault scripts: per tenant (and optionally per operation), a queue of faults consumed one per
//! matching request, then optional seeded random faults. This is how tests exercise an SDK's
//! retries, timeouts and error mapping against a server that misbehaves on cue.

use parking_lot::Mutex;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::Deserialize;
use serde_json::Value;
use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DropWhen {
    Before,
    After,
}

/// One fault. `raw` is what the test sent, echoed in the journal.
#[derive(Clone, Debug)]
pub struct Fault {
    pub status: Option<u16>,
    pub retry_after: Option<String>,
    pub retry_after_ms: Option<u64>,
    pub should_retry: Option<bool>,
    pub body: Option<String>,
    pub content_type: Option<String>,
    /// A `Location` header: with a 3xx status, a redirect.
    pub location: Option<String>,
    pub delay_ms: Option<u64>,
    /// Held after the work is done: the client times out on a call that succeeded.
    pub delay_after_ms: Option<u64>,
    pub drop: Option<DropWhen>,
    pub raw: Value,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FaultIn {
    status: Option<u16>,
    retry_after: Option<Value>,
    retry_after_ms: Option<u64>,
    should_retry: Option<bool>,
    body: Option<Value>,
    content_type: Option<String>,
    location: Option<String>,
    delay_ms: Option<u64>,
    delay_after_ms: Option<u64>,
    drop: Option<DropWhen>,
}

impl Fault {
    pub fn parse(raw: &Value) -> Result<Fault, String> {
        let f: FaultIn =
            serde_json::from_value(raw.clone()).map_err(|e| format!("invalid fault {raw}: {e}"))?;
        if let Some(s) = f.status {
            if !(100..=599).contains(&s) {
                return Err(format!("fault status {s} is not an HTTP status"));
            }
        }
        let text = |v: Value| match v {
            Value::String(s) => s,
            other => other.to_string(),
        };
        Ok(Fault {
            status: f.status,
            retry_after: f.retry_after.map(text),
            retry_after_ms: f.retry_after_ms,
            should_retry: f.should_retry,
            body: f.body.map(text),
            content_type: f.content_type,
            location: f.location,
            delay_ms: f.delay_ms,
            delay_after_ms: f.delay_after_ms,
            drop: f.drop,
            raw: raw.clone(),
        })
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultRequest {
    pub key_id: String,
    pub operation: Option<String>,
    #[serde(default)]
    pub faults: Vec<Value>,
    pub random: Option<RandomIn>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RandomIn {
    pub probability: f64,
    #[serde(default)]
    pub seed: u64,
    pub choices: Vec<Value>,
    pub max: Option<u64>,
}

struct Random {
    probability: f64,
    rng: StdRng,
    choices: Vec<Fault>,
    max: Option<u64>,
    drawn: u64,
}

struct Rule {
    id: String,
    operation: Option<String>,
    queue: VecDeque<Fault>,
    random: Option<Random>,
}

#[derive(Default)]
pub struct Faults {
    rules: Mutex<Vec<Rule>>,
    /// Lets the hot path skip the lock when no script is armed (the benchmark case).
    armed: AtomicBool,
}

impl Faults {
    pub fn add(&self, id: String, req: FaultRequest) -> Result<(), String> {
        let queue = req
            .faults
            .iter()
            .map(Fault::parse)
            .collect::<Result<VecDeque<_>, _>>()?;
        let random = match req.random {
            None => None,
            Some(r) => {
                if !(0.0..=1.0).contains(&r.probability) {
                    return Err("random.probability must be within 0..1".into());
                }
                if r.choices.is_empty() {
                    return Err("random.choices must not be empty".into());
                }
                Some(Random {
                    probability: r.probability,
                    rng: StdRng::seed_from_u64(r.seed),
                    choices: r
                        .choices
                        .iter()
                        .map(Fault::parse)
                        .collect::<Result<_, _>>()?,
                    max: r.max,
                    drawn: 0,
                })
            }
        };
        if queue.is_empty() && random.is_none() {
            return Err("give `faults` or `random`".into());
        }
        self.rules.lock().push(Rule {
            id,
            operation: req.operation,
            queue,
            random,
        });
        self.armed.store(true, Ordering::Release);
        Ok(())
    }

    pub fn clear(&self) {
        self.rules.lock().clear();
        self.armed.store(false, Ordering::Release);
    }

    /// The fault for this request, if any: scripts in the order they were added, each one's
    /// queue before its random draws.
    pub fn next(&self, operation: &str) -> Option<Fault> {
        if !self.armed.load(Ordering::Acquire) {
            return None;
        }
        let mut rules = self.rules.lock();
        for rule in rules.iter_mut() {
            if rule.operation.as_deref().is_some_and(|op| op != operation) {
                continue;
            }
            if let Some(f) = rule.queue.pop_front() {
                return Some(f);
            }
            if let Some(r) = &mut rule.random {
                if r.max.is_some_and(|m| r.drawn >= m) {
                    continue;
                }
                if r.rng.random_bool(r.probability) {
                    r.drawn += 1;
                    let i = r.rng.random_range(0..r.choices.len());
                    return Some(r.choices[i].clone());
                }
            }
        }
        None
    }

    pub fn ids(&self) -> Vec<String> {
        self.rules.lock().iter().map(|r| r.id.clone()).collect()
    }
}
