//! Calls: outbound dialling (validated in the API's documented order), the call records and
//! their erasure.

use super::{Ctx, Effect, OpResult, Reply};
use crate::errors::ApiError;
use crate::lifecycle::{self, Phase};
use crate::lists;
use crate::ops::phone_numbers::outbound_numbers;
use serde_json::value::RawValue;
use serde_json::{Value, json};
use std::sync::OnceLock;

pub struct Call {
    pub id: String,
    pub call_id: String,
    pub agent_id: String,
    pub from: String,
    pub to: String,
    pub prompt: String,
    pub campaign_id: Option<String>,
    pub created_ms: i64,
    pub ring_ms: u64,
    pub duration_ms: u64,
    /// Where the recording will be, `None` when the call is not recorded.
    pub recording_base: Option<String>,
    /// The JSON of the completed call, rendered once: a record never changes once placed, and a
    /// walk over thousands of calls must not rebuild each of them on every page.
    pub completed_json: OnceLock<Box<RawValue>>,
}

/// `{name}` placeholders of `dynamic_vars`; an unknown placeholder stays literal.
fn substitute(prompt: &str, vars: Option<&Value>) -> String {
    let mut out = prompt.to_string();
    if let Some(Value::Object(vars)) = vars {
        for (k, v) in vars {
            if let Some(v) = v.as_str() {
                out = out.replace(&format!("{{{k}}}"), v);
            }
        }
    }
    out
}

/// Creates the call record (lifecycle timings fixed now) and asks for its lifecycle to run.
pub fn place(
    c: &mut Ctx<'_>,
    agent_id: &str,
    from: &str,
    to: &str,
    prompt: String,
    campaign_id: Option<String>,
) -> String {
    let call_id = crate::ids::prefixed("CA", 32);
    let agent_records =
        c.st.agents
            .get(agent_id)
            .and_then(|a| a.get("record_call"))
            .and_then(Value::as_bool)
            .unwrap_or(true);
    let number_records =
        c.st.numbers
            .get(from)
            .and_then(|n| n.obj.get("record_call"))
            .and_then(Value::as_bool);
    let recording_base = number_records
        .unwrap_or(agent_records)
        .then(|| match &c.st.storage {
            Some(s) => format!(
                "byo:{}/recordings/",
                s.get("bucket").and_then(Value::as_str).unwrap_or("bucket")
            ),
            None => "https://storage.nixflex.com/recordings/".to_string(),
        });
    c.st.calls.insert(
        call_id.clone(),
        Call {
            id: crate::ids::uuid(),
            call_id: call_id.clone(),
            agent_id: agent_id.to_string(),
            from: from.to_string(),
            to: to.to_string(),
            prompt,
            campaign_id,
            created_ms: c.now_ms,
            ring_ms: c.cfg.call_ring_ms,
            duration_ms: c.cfg.call_duration_ms,
            recording_base,
            completed_json: OnceLock::new(),
        },
    );
    c.effects.push(Effect::StartCall(call_id.clone()));
    call_id
}

pub fn create(c: &mut Ctx<'_>) -> OpResult {
    let agent_id = c.str_field("agent_id").unwrap_or_default().to_string();
    let to = c.str_field("to_number").unwrap_or_default().to_string();
    let from_given = c.str_field("from_number").map(str::to_string);
    let prompt = substitute(
        c.str_field("prompt").unwrap_or_default(),
        c.body().get("dynamic_vars"),
    );
    let campaign_id = c.str_field("campaign_id").map(str::to_string);
    let Some(agent) = c.st.agents.get(&agent_id) else {
        return Err(super::agents::not_found(&agent_id));
    };
    let legacy = agent
        .get("phone_number")
        .and_then(Value::as_str)
        .map(str::to_string);
    let outbound = outbound_numbers(c.st, &agent_id);
    let from = match from_given {
        Some(f) => {
            if !outbound.contains(&f.as_str()) {
                return Err(ApiError::invalid(
                    "from_number_not_found",
                    "from_number",
                    format!("{f} is not an outbound-enabled number of agent {agent_id}."),
                ));
            }
            f
        }
        None => match (outbound.first(), legacy) {
            (Some(n), _) => n.to_string(),
            (None, Some(l)) => l,
            (None, None) => {
                return Err(ApiError::bad_request(
                    "agent_missing_phone_number",
                    format!(
                        "Agent {agent_id} has no outbound-enabled number; import one or pass from_number."
                    ),
                ));
            }
        },
    };
    // A legacy number stored on the agent but never imported has no carrier credentials.
    if !c.st.numbers.contains(&from) {
        return Err(ApiError::bad_request(
            "agent_missing_twilio_credentials",
            format!(
                "{from} has no stored carrier credentials; import it with POST /v1/phone-numbers."
            ),
        ));
    }
    let call_id = place(c, &agent_id, &from, &to, prompt, campaign_id);
    Ok(Reply::from(
        json!({ "call_id": call_id, "status": "initiated", "to": to, "from": from }),
    ))
}

pub fn list(c: &mut Ctx<'_>) -> OpResult {
    let filter = c.query.get("agent_id").and_then(Value::as_str);
    let calls: Vec<&Call> =
        c.st.calls
            .newest_first()
            .map(|(_, call)| call)
            .filter(|call| filter.is_none_or(|a| call.agent_id == a))
            .collect();
    let (now, key) = (c.now_ms, c.tenant.key_id.as_str());
    Ok(lists::respond(
        c.op,
        c.cfg.list_shape,
        c.query,
        &calls,
        |call| lifecycle::render_raw(call, now, key),
    ))
}

pub fn get(c: &mut Ctx<'_>) -> OpResult {
    let id = c.param("call_id");
    c.st.calls
        .get(id)
        .map(|call| Reply::from(lifecycle::render(call, c.now_ms, &c.tenant.key_id)))
        .ok_or_else(|| ApiError::not_found("call_not_found", format!("Call not found: {id}")))
}

fn has_recording(call: &Call, now_ms: i64) -> bool {
    call.recording_base.is_some() && lifecycle::phase(call, now_ms) == Phase::Completed
}

/// Billing history outlives the call record.
fn bill(c: &mut Ctx<'_>, call: &Call) {
    c.st.billed.calls += 1;
    if lifecycle::phase(call, c.now_ms) == Phase::Completed {
        c.st.billed.connected_ms += call.duration_ms;
    }
}

pub fn delete(c: &mut Ctx<'_>) -> OpResult {
    let id = c.param("call_id").to_string();
    let call =
        c.st.calls
            .remove(&id)
            .ok_or_else(|| ApiError::not_found("not_found", format!("Call not found: {id}")))?;
    bill(c, &call);
    Ok(Reply::from(
        json!({ "call_id": id, "deleted": true, "recording_deleted": has_recording(&call, c.now_ms) }),
    ))
}

pub fn delete_all(c: &mut Ctx<'_>) -> OpResult {
    let ids: Vec<String> = c.st.calls.newest_first().map(|(k, _)| k.clone()).collect();
    let mut recordings = 0;
    for id in &ids {
        if let Some(call) = c.st.calls.remove(id) {
            if has_recording(&call, c.now_ms) {
                recordings += 1;
            }
            bill(c, &call);
        }
    }
    let sms = c.st.sms.len();
    c.st.sms.clear();
    Ok(Reply::from(json!({
        "deleted": true,
        "calls_deleted": ids.len(),
        "recordings_deleted": recordings,
        "sms_deleted": sms,
    })))
}
