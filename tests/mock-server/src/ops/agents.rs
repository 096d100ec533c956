//! Agents: defaults of the newest contract, partial updates that ignore unknown fields, only
//! active agents listed, deletion detaching the agent's numbers.

use super::{Ctx, OpResult, Reply};
use crate::errors::ApiError;
use crate::lists;
use serde_json::value::RawValue;
use serde_json::{Map, Value, json};

/// An agent and its serialized form: agents are read (and listed) far more often than written,
/// so each one is serialized once per write and lists are assembled from the stored bytes.
pub struct AgentRec {
    pub obj: Map<String, Value>,
    pub raw: Box<RawValue>,
}

impl AgentRec {
    fn new(obj: Map<String, Value>) -> Self {
        let raw = serde_json::value::to_raw_value(&obj).expect("JSON serializes");
        Self { obj, raw }
    }
}

impl std::ops::Deref for AgentRec {
    type Target = Map<String, Value>;
    fn deref(&self) -> &Self::Target {
        &self.obj
    }
}

/// Every settable field with its default, in the order the object is rendered.
fn defaults() -> Vec<(&'static str, Value)> {
    vec![
        ("name", json!("Untitled Agent")),
        (
            "system_prompt",
            json!("You are a friendly, helpful assistant. Keep your answers short and clear."),
        ),
        ("welcome_message", json!("Hello! How can I help you today?")),
        ("voice_id", json!("Ashley")),
        ("language", json!("multi")),
        ("is_active", json!(true)),
        ("temperature", json!(0.3)),
        ("response_length", json!("short")),
        ("ai_speaks_first", json!(true)),
        ("dynamic_greeting", json!(false)),
        ("interruption_sensitivity", json!(50)),
        ("response_eagerness", json!(200)),
        ("boosted_keywords", Value::Null),
        ("pickup_delay", json!(10)),
        ("max_call_duration_seconds", json!(600)),
        ("silence_hangup_seconds", json!(30)),
        ("record_call", json!(true)),
        ("recording_source", json!("provider")),
        ("amd_enabled", json!(false)),
        ("dtmf_enabled", Value::Null),
        ("voicemail_leave_enabled", json!(false)),
        ("voicemail_message", Value::Null),
        ("webhook_url", Value::Null),
        ("func_end_call", json!(true)),
        ("transfer_whisper", Value::Null),
        ("func_send_sms", json!(false)),
        ("incall_sms_enabled", json!(false)),
        ("func_cold_transfer", json!(false)),
        ("transfer_type", json!("cold")),
        ("transfer_number", Value::Null),
        ("voice_speed", json!(0.85)),
        ("speaking_rate", Value::Null),
        ("greet_by_name", json!(true)),
        (
            "fallback_message",
            json!("I am sorry, could you say that again?"),
        ),
        ("phone_number", Value::Null),
        ("post_call_sms_enabled", json!(false)),
        ("post_call_sms_template", Value::Null),
        ("data_extraction_fields", json!([])),
        ("timezone", json!("Europe/London")),
    ]
}

pub const VOICES: [&str; 12] = [
    "Olivia", "Ashley", "Edward", "Annika", "Kilian", "Sofia", "Diego", "Nour", "Omar", "Dennis",
    "Craig", "Eleanor",
];

/// Speaking rate is clamped, not rejected (`9` becomes the maximum).
const SPEAKING_RATE: (f64, f64) = (0.5, 2.0);

/// Applies the known fields of `body` to `agent`; unknown fields are ignored, as the API does.
fn apply(agent: &mut Map<String, Value>, body: &Map<String, Value>) -> Result<(), ApiError> {
    let known = defaults();
    let mut next = agent.clone();
    for (name, _) in &known {
        let Some(v) = body.get(*name) else { continue };
        let v = match (*name, v) {
            ("voice_id", Value::String(s)) => {
                match VOICES.iter().find(|x| x.eq_ignore_ascii_case(s)) {
                    Some(canonical) => json!(canonical),
                    None => {
                        return Err(ApiError::invalid(
                            "invalid_voice_id",
                            "voice_id",
                            format!(
                                "voice_id {s:?} is not a valid voice. Voices: {}.",
                                VOICES.join(", ")
                            ),
                        ));
                    }
                }
            }
            ("speaking_rate", Value::Number(n)) => {
                json!(
                    n.as_f64()
                        .unwrap_or(1.0)
                        .clamp(SPEAKING_RATE.0, SPEAKING_RATE.1)
                )
            }
            _ => v.clone(),
        };
        next.insert((*name).to_string(), v);
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
    *agent = next;
    Ok(())
}

pub fn create(c: &mut Ctx<'_>) -> OpResult {
    let now = c.now_iso();
    let agent_id = crate::ids::prefixed("agent_", 16);
    let mut agent = Map::new();
    agent.insert("id".into(), json!(crate::ids::uuid()));
    agent.insert("agent_id".into(), json!(agent_id));
    agent.insert("api_key_id".into(), json!(c.tenant.key_id));
    for (k, v) in defaults() {
        agent.insert(k.to_string(), v);
    }
    apply(&mut agent, c.body())?;
    agent.insert("created_at".into(), json!(now));
    agent.insert("updated_at".into(), json!(now));
    let rec = AgentRec::new(agent);
    let out = Reply::raw(&rec.raw);
    c.st.agents.insert(agent_id, rec);
    Ok(out)
}

pub fn list(c: &mut Ctx<'_>) -> OpResult {
    let active: Vec<&AgentRec> =
        c.st.agents
            .newest_first()
            .map(|(_, a)| a)
            .filter(|a| a.get("is_active") != Some(&Value::Bool(false)))
            .collect();
    Ok(lists::respond(
        c.op,
        c.cfg.list_shape,
        c.query,
        &active,
        |a| &*a.raw,
    ))
}

pub fn not_found(agent_id: &str) -> ApiError {
    ApiError::not_found("agent_not_found", format!("Agent not found: {agent_id}"))
}

pub fn get(c: &mut Ctx<'_>) -> OpResult {
    let id = c.param("agent_id");
    c.st.agents
        .get(id)
        .map(|a| Reply::raw(&a.raw))
        .ok_or_else(|| not_found(id))
}

pub fn update(c: &mut Ctx<'_>) -> OpResult {
    let id = c.param("agent_id").to_string();
    let now = c.now_iso();
    let body = c.body().clone();
    let rec = c.st.agents.get_mut(&id).ok_or_else(|| not_found(&id))?;
    let mut agent = rec.obj.clone();
    apply(&mut agent, &body)?;
    agent.insert("updated_at".into(), json!(now));
    *rec = AgentRec::new(agent);
    Ok(Reply::raw(&rec.raw))
}

pub fn delete(c: &mut Ctx<'_>) -> OpResult {
    let id = c.param("agent_id").to_string();
    c.st.agents.remove(&id).ok_or_else(|| not_found(&id))?;
    // Numbers stay on the account but stop routing until re-imported to an agent.
    for n in c.st.numbers.values_mut() {
        if n.obj.get("agent_id").and_then(Value::as_str) == Some(id.as_str()) {
            n.obj.remove("agent_id");
        }
    }
    c.st.precall_agents.remove(&id);
    Ok(Reply::from(json!({ "agent_id": id, "deleted": true })))
}
