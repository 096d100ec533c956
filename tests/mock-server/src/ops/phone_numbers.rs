//! Phone numbers: import (attach to an agent of the same tenant), list, per-number settings,
//! delete. A number also carries its integrations, custom functions and caller contexts, which
//! go away with it.

use super::{Ctx, OpResult, Reply};
use crate::errors::ApiError;
use crate::tenants::{Coll, TenantState};
use serde_json::{Map, Value, json};
use std::collections::HashMap;

#[derive(Default)]
pub struct NumberRec {
    /// The public PhoneNumber object.
    pub obj: Map<String, Value>,
    /// Integration configs by kind (`webhook`, `zapier`, ...), secrets included (never rendered).
    pub integrations: HashMap<String, Map<String, Value>>,
    pub monitor: bool,
    pub web_calls: bool,
    pub functions: Coll<Map<String, Value>>,
    /// Caller context by caller number.
    pub callers: HashMap<String, Map<String, Value>>,
}

impl NumberRec {
    pub fn agent_id(&self) -> Option<&str> {
        self.obj.get("agent_id").and_then(Value::as_str)
    }

    pub fn outbound_enabled(&self) -> bool {
        self.obj.get("outbound_enabled") == Some(&Value::Bool(true))
    }
}

/// The camelCase aliases the API accepts on import, renamed before validation.
pub fn normalize_aliases(body: &mut Value) {
    const ALIASES: [(&str, &str); 7] = [
        ("phoneNumber", "phone_number"),
        ("agentId", "agent_id"),
        ("twilioSid", "twilio_sid"),
        ("twilioToken", "twilio_token"),
        ("telnyxApiKey", "telnyx_api_key"),
        ("telnyxConnectionId", "telnyx_connection_id"),
        ("customPrompt", "custom_prompt"),
    ];
    let Value::Object(m) = body else { return };
    for (camel, snake) in ALIASES {
        if !m.contains_key(snake) {
            if let Some(v) = m.remove(camel) {
                m.insert(snake.to_string(), v);
            }
        }
    }
}

pub fn number_not_found(n: &str) -> ApiError {
    ApiError::not_found(
        "number_not_found",
        format!("Phone number not found on your account: {n}"),
    )
}

/// The numbers attached to an agent that may dial out, oldest first ("the agent's first").
pub fn outbound_numbers<'a>(st: &'a TenantState, agent_id: &str) -> Vec<&'a str> {
    st.numbers
        .oldest_first()
        .filter(|(_, n)| n.agent_id() == Some(agent_id) && n.outbound_enabled())
        .map(|(k, _)| k.as_str())
        .collect()
}

pub fn import(c: &mut Ctx<'_>) -> OpResult {
    let body = c.body().clone();
    let number = body
        .get("phone_number")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let agent_id = body
        .get("agent_id")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    if !c.st.agents.contains(&agent_id) {
        return Err(super::agents::not_found(&agent_id));
    }
    if let Some(existing) = c.st.numbers.get(&number) {
        if existing.agent_id().is_some() {
            return Err(ApiError::new(
                409,
                "number_already_imported",
                format!(
                    "{number} is already attached to an agent. Delete it, then import it again."
                ),
            ));
        }
    }
    let twilio = body.get("twilio_sid").is_some();
    let mut obj = Map::new();
    obj.insert("phone_number".into(), json!(number));
    obj.insert("agent_id".into(), json!(agent_id));
    obj.insert(
        "provider".into(),
        json!(if twilio { "twilio" } else { "telnyx" }),
    );
    obj.insert(
        "twilio_number_sid".into(),
        if twilio {
            json!(crate::ids::prefixed("PN", 32))
        } else {
            Value::Null
        },
    );
    obj.insert(
        "telnyx_number_id".into(),
        if twilio {
            Value::Null
        } else {
            json!(crate::ids::uuid())
        },
    );
    obj.insert("inbound_enabled".into(), json!(true));
    obj.insert("outbound_enabled".into(), json!(true));
    obj.insert(
        "custom_prompt".into(),
        body.get("custom_prompt").cloned().unwrap_or(Value::Null),
    );
    for k in [
        "voice_id",
        "voicemail_leave_enabled",
        "voicemail_message",
        "sms_prompt",
        "web_prompt",
        "speaking_rate",
        "dtmf_enabled",
        "record_call",
        "recording_source",
    ] {
        obj.insert(k.into(), Value::Null);
    }
    obj.insert("sms_reply_enabled".into(), json!(false));
    obj.insert("created_at".into(), json!(c.now_iso()));
    let out = json!({ "phone_number": obj.clone() });
    // A detached number keeps its integrations when re-attached.
    let mut rec = c.st.numbers.remove(&number).unwrap_or_default();
    rec.obj = obj;
    c.st.numbers.insert(number, rec);
    Ok(Reply::from(out))
}

pub fn list(c: &mut Ctx<'_>) -> OpResult {
    let filter = c.query.get("agent_id").and_then(Value::as_str);
    let items: Vec<Value> =
        c.st.numbers
            .newest_first()
            .filter(|(_, n)| filter.is_none_or(|a| n.agent_id() == Some(a)))
            .take(1000)
            .map(|(_, n)| Value::Object(n.obj.clone()))
            .collect();
    let count = items.len();
    Ok(Reply::from(
        json!({ "phone_numbers": items, "count": count }),
    ))
}

const UPDATABLE: [&str; 11] = [
    "custom_prompt",
    "voice_id",
    "sms_reply_enabled",
    "voicemail_leave_enabled",
    "voicemail_message",
    "sms_prompt",
    "web_prompt",
    "speaking_rate",
    "dtmf_enabled",
    "record_call",
    "recording_source",
];

pub fn update(c: &mut Ctx<'_>) -> OpResult {
    let number = c.param("phone_number").to_string();
    let body = c.body().clone();
    if !UPDATABLE.iter().any(|k| body.contains_key(*k)) {
        return Err(ApiError::bad_request(
            "missing_field",
            format!("Give at least one of: {}.", UPDATABLE.join(", ")),
        ));
    }
    let rec =
        c.st.numbers
            .get_mut(&number)
            .ok_or_else(|| number_not_found(&number))?;
    let mut next = rec.obj.clone();
    for k in UPDATABLE {
        let Some(v) = body.get(k) else { continue };
        let v = match (k, v) {
            // An empty string clears these, like null.
            ("voice_id" | "sms_prompt" | "web_prompt", Value::String(s)) if s.is_empty() => {
                Value::Null
            }
            ("speaking_rate", Value::Number(n)) => json!(n.as_f64().unwrap_or(1.0).clamp(0.5, 2.0)),
            _ => v.clone(),
        };
        next.insert(k.to_string(), v);
    }
    let leaves = next.get("voicemail_leave_enabled") == Some(&Value::Bool(true));
    let has_message = next
        .get("voicemail_message")
        .and_then(Value::as_str)
        .is_some_and(|m| !m.trim().is_empty());
    if leaves && !has_message {
        return Err(ApiError::invalid(
            "voicemail_message_required",
            "voicemail_message",
            "voicemail_message is required when voicemail_leave_enabled is true.",
        ));
    }
    rec.obj = next;
    Ok(Reply::from(json!({ "phone_number": rec.obj.clone() })))
}

pub fn delete(c: &mut Ctx<'_>) -> OpResult {
    let number = c.param("phone_number").to_string();
    c.st.numbers
        .remove(&number)
        .ok_or_else(|| number_not_found(&number))?;
    Ok(Reply::from(
        json!({ "phone_number": { "phone_number": number, "deleted": true } }),
    ))
}
