//! SMS: single sends and one-time campaigns.
//!
//! A campaign moves `scheduled` → `running` (at `scheduled_at`, or on launch) → `done` after the
//! tenant's `call_ring_ms + call_duration_ms`, when every recipient reads as delivered. Like call
//! status, this is computed from the tenant's clock on each read.

use super::{Ctx, OpResult, Reply};
use crate::errors::ApiError;
use crate::lists;
use crate::tenants::TenantConfig;
use serde_json::{Map, Value, json};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum SmsState {
    Scheduled { at_ms: i64 },
    Running { since_ms: i64 },
    Done,
}

pub struct Recipient {
    pub phone: String,
    pub variables: Value,
    pub sid: String,
}

pub struct SmsCampaign {
    pub campaign_id: String,
    pub agent_id: String,
    pub name: String,
    pub from_number: String,
    pub template: String,
    pub recipients: Vec<Recipient>,
    pub state: SmsState,
    pub scheduled_at: Option<String>,
    pub created_ms: i64,
}

fn effective(state: SmsState, cfg: &TenantConfig, now_ms: i64) -> SmsState {
    let run_ms = (cfg.call_ring_ms + cfg.call_duration_ms) as i64;
    match state {
        SmsState::Scheduled { at_ms } if now_ms >= at_ms => {
            effective(SmsState::Running { since_ms: at_ms }, cfg, now_ms)
        }
        SmsState::Running { since_ms } if now_ms - since_ms >= run_ms => SmsState::Done,
        s => s,
    }
}

fn status_name(s: SmsState) -> &'static str {
    match s {
        SmsState::Scheduled { .. } => "scheduled",
        SmsState::Running { .. } => "running",
        SmsState::Done => "done",
    }
}

/// `{{var}}` placeholders; a missing variable renders as "".
fn render_template(template: &str, vars: &Value) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        match rest[start + 2..].find("}}") {
            Some(end) => {
                let name = rest[start + 2..start + 2 + end].trim();
                if let Some(v) = vars.get(name) {
                    match v {
                        Value::String(s) => out.push_str(s),
                        Value::Null => {}
                        other => out.push_str(&other.to_string()),
                    }
                }
                rest = &rest[start + 2 + end + 2..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

fn render(camp: &SmsCampaign, cfg: &TenantConfig, now_ms: i64, with_recipients: bool) -> Value {
    let state = effective(camp.state, cfg, now_ms);
    let total = camp.recipients.len();
    let (delivered, pending) = match state {
        SmsState::Done => (total, 0),
        _ => (0, total),
    };
    let mut m = Map::new();
    m.insert("campaign_id".into(), json!(camp.campaign_id));
    m.insert("agent_id".into(), json!(camp.agent_id));
    m.insert("name".into(), json!(camp.name));
    m.insert("from_number".into(), json!(camp.from_number));
    m.insert("message_template".into(), json!(camp.template));
    m.insert("status".into(), json!(status_name(state)));
    m.insert("total_count".into(), json!(total));
    m.insert("delivered_count".into(), json!(delivered));
    m.insert("failed_count".into(), json!(0));
    m.insert("pending_count".into(), json!(pending));
    m.insert("source".into(), json!("api"));
    m.insert("scheduled_at".into(), json!(camp.scheduled_at));
    m.insert(
        "created_at".into(),
        json!(crate::clock::iso_ms(camp.created_ms)),
    );
    if with_recipients {
        let sent_at = match state {
            SmsState::Running { since_ms } => Some(since_ms),
            SmsState::Done => Some(match camp.state {
                SmsState::Running { since_ms } => since_ms,
                SmsState::Scheduled { at_ms } => at_ms,
                _ => camp.created_ms,
            }),
            _ => None,
        };
        let status = match state {
            SmsState::Done => "delivered",
            SmsState::Running { .. } => "queued",
            _ => "pending",
        };
        let rs: Vec<Value> = camp
            .recipients
            .iter()
            .map(|r| {
                json!({
                    "phone": r.phone,
                    "variables": r.variables,
                    "status": status,
                    "twilio_sid": sent_at.map(|_| r.sid.clone()),
                    "rendered_message": render_template(&camp.template, &r.variables),
                    "error_message": null,
                    "sent_at": sent_at.map(crate::clock::iso_ms),
                })
            })
            .collect();
        m.insert("recipients".into(), Value::Array(rs));
    }
    Value::Object(m)
}

fn recipients_of(v: Option<&Value>) -> Vec<Recipient> {
    v.and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|r| Recipient {
            phone: r
                .get("phone")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
            variables: r.get("variables").cloned().unwrap_or_else(|| json!({})),
            sid: crate::ids::prefixed("SM", 32),
        })
        .collect()
}

fn campaign_not_found(id: &str) -> ApiError {
    ApiError::not_found("campaign_not_found", format!("Campaign not found: {id}"))
}

fn from_not_owned(n: &str) -> ApiError {
    ApiError::new(
        403,
        "from_number_not_owned",
        format!("{n} is not a number on your account."),
    )
    .with_details(json!({ "field": "from_number" }))
}

fn invalid_schedule() -> ApiError {
    ApiError::invalid(
        "invalid_schedule",
        "scheduled_at",
        "scheduled_at must be an ISO 8601 date-time when schedule_type is \"schedule\".",
    )
}

pub fn send(c: &mut Ctx<'_>) -> OpResult {
    let agent_id = c.str_field("agent_id").unwrap_or_default().to_string();
    let to = c.str_field("to").unwrap_or_default().to_string();
    let message = c.str_field("message").unwrap_or_default().to_string();
    let agent =
        c.st.agents
            .get(&agent_id)
            .ok_or_else(|| super::agents::not_found(&agent_id))?;
    let legacy = agent
        .get("phone_number")
        .and_then(Value::as_str)
        .map(str::to_string);
    let from = match c.str_field("from_number") {
        Some(f) if c.st.numbers.contains(f) => f.to_string(),
        Some(f) => return Err(from_not_owned(f)),
        None => {
            let attached =
                c.st.numbers
                    .oldest_first()
                    .find(|(_, n)| n.agent_id() == Some(agent_id.as_str()))
                    .map(|(k, _)| k.clone());
            match attached.or(legacy.filter(|l| c.st.numbers.contains(l))) {
                Some(n) => n,
                None => {
                    return Err(ApiError::bad_request(
                        "agent_missing_phone_number",
                        format!("Agent {agent_id} has no number to send from; pass from_number."),
                    ));
                }
            }
        }
    };
    let message_id = crate::ids::prefixed("SM", 32);
    let mut rec = Map::new();
    rec.insert("message_id".into(), json!(message_id));
    rec.insert("agent_id".into(), json!(agent_id));
    rec.insert("to".into(), json!(to));
    rec.insert("from".into(), json!(from));
    rec.insert("message".into(), json!(message));
    rec.insert("created_at".into(), json!(c.now_iso()));
    c.st.sms.insert(message_id.clone(), rec);
    Ok(Reply::from(
        json!({ "status": "sent", "to": to, "from": from, "message_id": message_id }),
    ))
}

pub fn create_campaign(c: &mut Ctx<'_>) -> OpResult {
    let body = c.body().clone();
    let s = |k: &str| body.get(k).and_then(Value::as_str).map(str::to_string);
    let agent_id = s("agent_id").unwrap_or_default();
    if !c.st.agents.contains(&agent_id) {
        return Err(super::agents::not_found(&agent_id));
    }
    let from = s("from_number").unwrap_or_default();
    if !c.st.numbers.contains(&from) {
        return Err(from_not_owned(&from));
    }
    let scheduled_at = s("scheduled_at");
    let state = match s("schedule_type").as_deref() {
        Some("schedule") => {
            let at_ms = scheduled_at
                .as_deref()
                .and_then(crate::clock::parse_iso)
                .ok_or_else(invalid_schedule)?;
            SmsState::Scheduled { at_ms }
        }
        _ => SmsState::Running { since_ms: c.now_ms },
    };
    let campaign_id = crate::ids::prefixed("smsc_", 16);
    let camp = SmsCampaign {
        campaign_id: campaign_id.clone(),
        agent_id,
        name: s("name").unwrap_or_default(),
        from_number: from,
        template: s("message_template").unwrap_or_default(),
        recipients: recipients_of(body.get("recipients")),
        state,
        scheduled_at,
        created_ms: c.now_ms,
    };
    let out = render(&camp, c.cfg, c.now_ms, false);
    c.st.sms_campaigns.insert(campaign_id, camp);
    Ok(Reply::from(out))
}

pub fn list_campaigns(c: &mut Ctx<'_>) -> OpResult {
    let filter = c.query.get("status").and_then(Value::as_str);
    let (cfg, now) = (c.cfg, c.now_ms);
    let items: Vec<&SmsCampaign> =
        c.st.sms_campaigns
            .newest_first()
            .map(|(_, v)| v)
            .filter(|v| filter.is_none_or(|f| status_name(effective(v.state, cfg, now)) == f))
            .collect();
    Ok(lists::respond(c.op, cfg.list_shape, c.query, &items, |v| {
        render(v, cfg, now, false)
    }))
}

pub fn get_campaign(c: &mut Ctx<'_>) -> OpResult {
    let id = c.param("campaign_id");
    let camp =
        c.st.sms_campaigns
            .get(id)
            .ok_or_else(|| campaign_not_found(id))?;
    Ok(Reply::from(render(camp, c.cfg, c.now_ms, true)))
}

pub fn update_campaign(c: &mut Ctx<'_>) -> OpResult {
    let id = c.param("campaign_id").to_string();
    let body = c.body().clone();
    let (cfg, now) = (c.cfg, c.now_ms);
    let camp =
        c.st.sms_campaigns
            .get_mut(&id)
            .ok_or_else(|| campaign_not_found(&id))?;
    let state = effective(camp.state, cfg, now);
    // `draft` is a state of the API, but `schedule_type` is required and only allows `now` and
    // `schedule`, so an API-created campaign is never a draft; `scheduled` is the editable one.
    if !matches!(state, SmsState::Scheduled { .. }) {
        return Err(ApiError::bad_request(
            "campaign_not_editable",
            format!(
                "Campaign {id} is {} and can no longer be edited.",
                status_name(state)
            ),
        ));
    }
    const EDITABLE: [&str; 4] = ["name", "message_template", "recipients", "scheduled_at"];
    if !EDITABLE.iter().any(|k| body.contains_key(*k)) {
        return Err(ApiError::bad_request(
            "missing_field",
            format!("Give at least one of: {}.", EDITABLE.join(", ")),
        ));
    }
    let at_ms = match body.get("scheduled_at").and_then(Value::as_str) {
        Some(t) => Some(crate::clock::parse_iso(t).ok_or_else(invalid_schedule)?),
        None => None,
    };
    if let Some(n) = body.get("name").and_then(Value::as_str) {
        camp.name = n.to_string();
    }
    if let Some(t) = body.get("message_template").and_then(Value::as_str) {
        camp.template = t.to_string();
    }
    if body.contains_key("recipients") {
        camp.recipients = recipients_of(body.get("recipients"));
    }
    if let Some(at_ms) = at_ms {
        camp.scheduled_at = body
            .get("scheduled_at")
            .and_then(Value::as_str)
            .map(str::to_string);
        if matches!(camp.state, SmsState::Scheduled { .. }) {
            camp.state = SmsState::Scheduled { at_ms };
        }
    }
    Ok(Reply::from(render(camp, cfg, now, true)))
}

pub fn launch_campaign(c: &mut Ctx<'_>) -> OpResult {
    let id = c.param("campaign_id").to_string();
    let (cfg, now) = (c.cfg, c.now_ms);
    let camp =
        c.st.sms_campaigns
            .get_mut(&id)
            .ok_or_else(|| campaign_not_found(&id))?;
    match effective(camp.state, cfg, now) {
        SmsState::Running { .. } => {
            return Err(ApiError::bad_request(
                "campaign_already_running",
                format!("Campaign {id} is already running."),
            ));
        }
        SmsState::Done => {
            return Err(ApiError::bad_request(
                "campaign_already_done",
                format!("Campaign {id} has already finished."),
            ));
        }
        SmsState::Scheduled { .. } => {}
    }
    if camp.recipients.is_empty() {
        return Err(ApiError::bad_request(
            "campaign_no_recipients",
            format!("Campaign {id} has no recipients."),
        ));
    }
    camp.state = SmsState::Running { since_ms: now };
    let total = camp.recipients.len();
    Ok(Reply::from(json!({
        "campaign_id": id,
        "status": "running",
        "total_count": total,
        "pending_count": total,
        "delivered_count": 0,
        "failed_count": 0,
    })))
}

pub fn delete_campaign(c: &mut Ctx<'_>) -> OpResult {
    let id = c.param("campaign_id").to_string();
    let (cfg, now) = (c.cfg, c.now_ms);
    let camp =
        c.st.sms_campaigns
            .get(&id)
            .ok_or_else(|| campaign_not_found(&id))?;
    if effective(camp.state, cfg, now) == SmsState::Done {
        return Err(ApiError::bad_request(
            "campaign_already_done",
            format!("Campaign {id} has already finished."),
        ));
    }
    // Nothing is delivered before the campaign is done, so every recipient is still pending.
    let cancelled = camp.recipients.len();
    c.st.sms_campaigns.remove(&id);
    Ok(Reply::from(
        json!({ "campaign_id": id, "deleted": true, "cancelled_count": cancelled }),
    ))
}
