//! Keys, usage and account deletion.

use super::{Ctx, OpResult, Reply};
use crate::lifecycle::{self, Phase};
use serde_json::{Value, json};

pub fn key_created(key_id: &str, key_secret: &str) -> Value {
    json!({
        "message": "API key created. Save your key_secret - it will not be shown again.",
        "key_id": key_id,
        "key_secret": key_secret,
    })
}

/// The old secret stops working the moment this returns; the key id stays.
pub fn rotate_key(c: &mut Ctx<'_>) -> OpResult {
    let secret = crate::ids::prefixed("nxfs_", 48);
    c.tenant.set_secret(secret.clone());
    Ok(Reply::from(json!({
        "message": "API key secret rotated. Save your new key_secret - it will not be shown again. Update your applications immediately.",
        "key_id": c.tenant.key_id,
        "key_secret": secret,
    })))
}

const RATE_PER_MINUTE: f64 = 0.08;

/// All-time totals from the tenant's calls (including erased ones, whose billing is kept) and
/// the account's limits.
pub fn usage(c: &mut Ctx<'_>) -> OpResult {
    let now = c.now_ms;
    let mut connected_ms = c.st.billed.connected_ms;
    let mut intervals: Vec<(i64, i64)> = Vec::new();
    let month = crate::clock::month_start_ms(now);
    for (_, call) in c.st.calls.newest_first() {
        if lifecycle::phase(call, now) == Phase::Completed {
            connected_ms += call.duration_ms;
        }
        let answered = call.created_ms + call.ring_ms as i64;
        if answered <= now && answered >= month {
            intervals.push((answered, (answered + call.duration_ms as i64).min(now)));
        }
    }
    let total_calls = c.st.calls.len() as u64 + c.st.billed.calls;
    let minutes = (connected_ms as f64 / 60_000.0 * 100.0).round() / 100.0;
    let cost = (minutes * RATE_PER_MINUTE * 10_000.0).round() / 10_000.0;
    let rate_per_minute = c
        .cfg
        .rate_limit
        .map(|r| (r.requests as f64 * 60.0 / r.per_seconds).floor() as u64)
        .unwrap_or(600);
    Ok(Reply::from(json!({
        "plan": "pay_as_you_go",
        "total_calls": total_calls,
        "total_minutes": minutes,
        "total_cost": cost,
        "rate_limit_per_minute": rate_per_minute,
        "max_concurrent": 10,
        "peak_concurrent_this_month": peak(&mut intervals),
        "rejected_at_cap_this_month": 0,
    })))
}

/// Largest number of connected calls overlapping at any instant.
fn peak(intervals: &mut [(i64, i64)]) -> usize {
    let mut events: Vec<(i64, i32)> = Vec::with_capacity(intervals.len() * 2);
    for (s, e) in intervals.iter() {
        events.push((*s, 1));
        events.push((*e, -1));
    }
    // An end at the same instant as a start does not overlap it.
    events.sort_unstable();
    let (mut cur, mut best) = (0i32, 0i32);
    for (_, d) in events {
        cur += d;
        best = best.max(cur);
    }
    best.max(0) as usize
}

pub fn delete_account(c: &mut Ctx<'_>) -> OpResult {
    c.st.purge();
    c.tenant.mark_deleted();
    Ok(Reply::from(json!({
        "ok": true,
        "message": "Account deleted. Calls, recordings and messages were purged and the login removed; billing records are kept.",
    })))
}
