//! The call lifecycle: `queued` → `in_progress` after `call_ring_ms` → `completed` after a further
//! `call_duration_ms` (tenant settings, read when the call is placed). The status is computed from
//! the tenant's clock on every read, so nothing needs to tick; a background task only sends the
//! `call.started` and `call.completed` webhooks when those moments come.

use crate::app::App;
use crate::ops::calls::Call;
use crate::tenants::Tenant;
use serde_json::value::RawValue;
use serde_json::{Map, Value, json};
use std::borrow::Cow;
use std::sync::Arc;
use std::time::Duration;

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub enum Phase {
    Queued,
    InProgress,
    Completed,
}

pub fn phase(call: &Call, now_ms: i64) -> Phase {
    let elapsed = now_ms - call.created_ms;
    if elapsed < call.ring_ms as i64 {
        Phase::Queued
    } else if elapsed < (call.ring_ms + call.duration_ms) as i64 {
        Phase::InProgress
    } else {
        Phase::Completed
    }
}

fn answered_ms(call: &Call) -> i64 {
    call.created_ms + call.ring_ms as i64
}

fn ended_ms(call: &Call) -> i64 {
    answered_ms(call) + call.duration_ms as i64
}

/// Post-call analysis is canned but derived from the call, so repeated reads agree.
fn sentiment(call: &Call) -> &'static str {
    match call.call_id.bytes().last().unwrap_or(0) % 3 {
        0 => "neutral",
        _ => "happy",
    }
}

fn summary(call: &Call) -> String {
    format!(
        "The agent called {} about: {}. The callee answered, the purpose was covered and the call ended politely.",
        call.to, call.prompt
    )
}

fn transcript(call: &Call, agent_prefix: &str) -> String {
    format!(
        "{agent_prefix}: Hello, this is an automated assistant calling about {}.\nCaller: Yes, go ahead.\n{agent_prefix}: Thank you, that is all. Goodbye.\nCaller: Bye.",
        call.prompt
    )
}

fn recording_url(call: &Call) -> Value {
    match &call.recording_base {
        Some(base) => json!(format!("{base}{}.mp3", call.call_id)),
        None => Value::Null,
    }
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// The Call object as `calls.get`/`calls.list` return it. Both name sets of the analysis fields
/// are sent (`call_summary` and `summary`, ...), as the docs and the official document disagree.
pub fn render(call: &Call, now_ms: i64, key_id: &str) -> Value {
    let p = phase(call, now_ms);
    let done = p == Phase::Completed;
    let status = match p {
        Phase::Queued => "queued",
        Phase::InProgress => "in_progress",
        Phase::Completed => "completed",
    };
    let when_done = |v: Value| if done { v } else { Value::Null };
    let mut m = Map::new();
    m.insert("id".into(), json!(call.id));
    m.insert("call_id".into(), json!(call.call_id));
    m.insert("agent_id".into(), json!(call.agent_id));
    m.insert("api_key_id".into(), json!(key_id));
    m.insert("call_direction".into(), json!("outbound"));
    m.insert("call_type".into(), json!("outbound"));
    m.insert("direction".into(), json!("outbound"));
    m.insert("from_number".into(), json!(call.from));
    m.insert("to_number".into(), json!(call.to));
    m.insert("call_status".into(), json!(status));
    m.insert("start_timestamp".into(), json!(call.created_ms));
    m.insert(
        "answered_at".into(),
        if p >= Phase::InProgress {
            json!(answered_ms(call))
        } else {
            Value::Null
        },
    );
    m.insert("end_timestamp".into(), when_done(json!(ended_ms(call))));
    m.insert("duration_ms".into(), when_done(json!(call.duration_ms)));
    m.insert(
        "charged_minutes".into(),
        when_done(json!(round2(call.duration_ms as f64 / 60_000.0))),
    );
    m.insert("ended_reason".into(), when_done(json!("completed")));
    m.insert(
        "transcript".into(),
        when_done(json!(transcript(call, "AI"))),
    );
    let s = summary(call);
    m.insert("call_summary".into(), when_done(json!(s)));
    m.insert("summary".into(), when_done(json!(s)));
    m.insert("caller_sentiment".into(), when_done(json!(sentiment(call))));
    m.insert("sentiment".into(), when_done(json!(sentiment(call))));
    m.insert("call_successful".into(), when_done(json!(true)));
    m.insert("successful".into(), when_done(json!(true)));
    m.insert("extracted_data".into(), Value::Null);
    m.insert("bookings".into(), json!([]));
    m.insert("recording_url".into(), when_done(recording_url(call)));
    m.insert(
        "recording_duration_s".into(),
        if done && call.recording_base.is_some() {
            json!(call.duration_ms.div_ceil(1000))
        } else {
            Value::Null
        },
    );
    m.insert("voicemail_detected".into(), when_done(json!(false)));
    m.insert("voicemail_detection_method".into(), Value::Null);
    m.insert("amd_result".into(), Value::Null);
    m.insert("call_reason".into(), Value::Null);
    m.insert("caller_name".into(), Value::Null);
    m.insert("campaign_id".into(), json!(call.campaign_id));
    m.insert("avg_latency_ms".into(), when_done(json!(620)));
    m.insert(
        "created_at".into(),
        json!(crate::clock::iso_ms(call.created_ms)),
    );
    Value::Object(m)
}

/// [`render`] as JSON text; a completed call's is rendered once and then reused (the tenant's
/// key id is fixed for its life, and nothing of a completed call depends on the clock).
pub fn render_raw<'a>(call: &'a Call, now_ms: i64, key_id: &str) -> Cow<'a, RawValue> {
    let raw = |v: &Value| serde_json::value::to_raw_value(v).expect("JSON values serialize");
    if phase(call, now_ms) == Phase::Completed {
        Cow::Borrowed(
            call.completed_json
                .get_or_init(|| raw(&render(call, now_ms, key_id))),
        )
    } else {
        Cow::Owned(raw(&render(call, now_ms, key_id)))
    }
}

/// The flat, whitelisted webhook payload. `call.started` fills only the call's identity and
/// start; the analysis fields stay null and `bookings` empty.
pub fn event_payload(call: &Call, event: &str) -> Value {
    let completed = event == "call.completed";
    let when_done = |v: Value| if completed { v } else { Value::Null };
    json!({
        "event": event,
        "call_id": call.call_id,
        "agent_id": call.agent_id,
        "direction": "outbound",
        "from": call.from,
        "to": call.to,
        "status": if completed { "completed" } else { "in_progress" },
        "ended_reason": when_done(json!("completed")),
        "started_at": crate::clock::iso_ms(answered_ms(call)),
        "ended_at": when_done(json!(crate::clock::iso_ms(ended_ms(call)))),
        "duration_seconds": when_done(json!(call.duration_ms as f64 / 1000.0)),
        "transcript": when_done(json!(transcript(call, "Agent"))),
        "summary": when_done(json!(summary(call))),
        "sentiment": when_done(json!(sentiment(call))),
        "successful": when_done(json!(true)),
        "extracted": Value::Null,
        "bookings": [],
        "recording_url": when_done(recording_url(call)),
        "recording_duration_seconds": if completed && call.recording_base.is_some() {
            json!(call.duration_ms as f64 / 1000.0)
        } else {
            Value::Null
        },
        "voicemail_detected": when_done(json!(false)),
        "campaign_id": call.campaign_id,
        "avg_latency_ms": when_done(json!(620)),
    })
}

/// Runs the webhook side of a call's lifecycle in the background.
pub fn start(app: &Arc<App>, tenant: Arc<Tenant>, call_id: String) {
    let (ring, duration) = {
        let st = tenant.state.lock();
        match st.calls.get(&call_id) {
            Some(c) => (c.ring_ms, c.duration_ms),
            None => return,
        }
    };
    let app2 = app.clone();
    app.spawn_bg(async move {
        tokio::time::sleep(Duration::from_millis(ring)).await;
        if !emit(&app2, &tenant, &call_id, "call.started") {
            return;
        }
        tokio::time::sleep(Duration::from_millis(duration)).await;
        emit(&app2, &tenant, &call_id, "call.completed");
    });
}

/// Sends one event to the webhook slots of the call's number as they are configured now
/// ("data fetched fresh at send time"). `false` when the call no longer exists.
fn emit(app: &Arc<App>, tenant: &Arc<Tenant>, call_id: &str, event: &str) -> bool {
    let (urls, body) = {
        let mut st = tenant.state.lock();
        let Some(call) = st.calls.get(call_id) else {
            return false;
        };
        let payload = event_payload(call, event);
        let from = call.from.clone();
        let to = call.to.clone();
        let urls: Vec<String> = st
            .numbers
            .get(&from)
            .map(|n| {
                ["webhook", "webhook2"]
                    .iter()
                    .filter_map(|k| n.integrations.get(*k))
                    .filter_map(|cfg| cfg.get("url").and_then(Value::as_str).map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        if event == "call.completed" {
            // The engine keeps `last_call` of a known caller up to date.
            if let Some(ctx) = st
                .numbers
                .get_mut(&from)
                .and_then(|n| n.callers.get_mut(&to))
            {
                ctx.insert("last_call".into(), payload["summary"].clone());
            }
        }
        (urls, payload.to_string())
    };
    for url in urls {
        let fut = crate::webhooks::deliver(
            app.http.clone(),
            tenant.clone(),
            url,
            event.to_string(),
            call_id.to_string(),
            body.clone(),
        );
        app.spawn_bg(fut);
    }
    true
}
