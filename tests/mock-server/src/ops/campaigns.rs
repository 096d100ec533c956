//! Voice (batch) campaigns. A running campaign places one call per recipient at once (each with
//! its own lifecycle); it reads as `completed` once all of them have completed.

use super::{Ctx, OpResult, Reply};
use crate::errors::ApiError;
use crate::lifecycle::{self, Phase};
use crate::lists;
use crate::ops::phone_numbers::outbound_numbers;
use crate::tenants::TenantState;
use serde_json::{Map, Value, json};

pub struct VoiceCampaign {
    pub campaign_id: String,
    pub agent_id: String,
    pub name: Option<String>,
    pub from_number: String,
    pub prompt: String,
    /// Valid recipients only, as sent.
    pub recipients: Vec<Map<String, Value>>,
    pub schedule_type: String,
    pub scheduled_date: Option<String>,
    pub timezone: Option<String>,
    pub launched: bool,
    pub call_ids: Vec<String>,
    pub created_ms: i64,
    pub extra: Map<String, Value>,
}

pub fn is_e164(s: &str) -> bool {
    let Some(digits) = s.strip_prefix('+') else {
        return false;
    };
    (7..=15).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !digits.starts_with('0')
}

/// IANA names cannot be checked without a zone database; this accepts their shape
/// (`Area/City`, `UTC`) and rejects everything else as `invalid_timezone`.
fn plausible_timezone(tz: &str) -> bool {
    if matches!(tz, "UTC" | "GMT" | "Etc/UTC") {
        return true;
    }
    let parts: Vec<&str> = tz.split('/').collect();
    (2..=3).contains(&parts.len())
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.chars().next().is_some_and(|c| c.is_ascii_uppercase())
                && p.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '+'))
        })
}

fn status(c: &VoiceCampaign, st: &TenantState, now_ms: i64) -> &'static str {
    if !c.launched {
        return "scheduled";
    }
    let all_done = c.call_ids.iter().all(|id| {
        st.calls
            .get(id)
            .is_none_or(|call| lifecycle::phase(call, now_ms) == Phase::Completed)
    });
    if all_done { "completed" } else { "running" }
}

fn render(c: &VoiceCampaign, st: &TenantState, now_ms: i64) -> Value {
    let mut m = Map::new();
    m.insert("campaign_id".into(), json!(c.campaign_id));
    m.insert("agent_id".into(), json!(c.agent_id));
    m.insert("name".into(), json!(c.name));
    m.insert("status".into(), json!(status(c, st, now_ms)));
    m.insert("from_number".into(), json!(c.from_number));
    m.insert("schedule_type".into(), json!(c.schedule_type));
    m.insert("scheduled_date".into(), json!(c.scheduled_date));
    m.insert("timezone".into(), json!(c.timezone));
    m.insert("recipients_count".into(), json!(c.recipients.len()));
    for (k, v) in &c.extra {
        m.insert(k.clone(), v.clone());
    }
    m.insert(
        "created_at".into(),
        json!(crate::clock::iso_ms(c.created_ms)),
    );
    Value::Object(m)
}

fn fail(reason: &str, message: String) -> ApiError {
    ApiError::bad_request("campaign_creation_failed", message)
        .with_details(json!({ "reason": reason }))
}

/// Places the campaign's calls; per-recipient prompt overrides and variables apply.
fn start(c: &mut Ctx<'_>, campaign_id: &str) {
    let Some(camp) = c.st.voice_campaigns.get(campaign_id) else {
        return;
    };
    let plan: Vec<(String, String)> = camp
        .recipients
        .iter()
        .map(|r| {
            let phone = r
                .get("phone")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            let prompt = r
                .get("prompt_override")
                .and_then(Value::as_str)
                .unwrap_or(&camp.prompt)
                .to_string();
            (phone, prompt)
        })
        .collect();
    let (agent, from) = (camp.agent_id.clone(), camp.from_number.clone());
    let mut ids = Vec::with_capacity(plan.len());
    for (phone, prompt) in plan {
        ids.push(super::calls::place(
            c,
            &agent,
            &from,
            &phone,
            prompt,
            Some(campaign_id.to_string()),
        ));
    }
    if let Some(camp) = c.st.voice_campaigns.get_mut(campaign_id) {
        camp.launched = true;
        camp.call_ids = ids;
    }
}

pub fn create(c: &mut Ctx<'_>) -> OpResult {
    let body = c.body().clone();
    let s = |k: &str| body.get(k).and_then(Value::as_str).map(str::to_string);
    let agent_id = s("agent_id").unwrap_or_default();
    if !c.st.agents.contains(&agent_id) {
        return Err(super::agents::not_found(&agent_id));
    }
    if let Some(tz) = s("timezone") {
        if !plausible_timezone(&tz) {
            return Err(fail(
                "invalid_timezone",
                format!("Campaign creation failed: invalid timezone {tz:?}."),
            ));
        }
    }
    let outbound = outbound_numbers(c.st, &agent_id);
    let from = match s("from_number") {
        Some(f) if outbound.contains(&f.as_str()) => f,
        Some(f) => {
            return Err(fail(
                "from_number_not_owned",
                format!(
                    "Campaign creation failed: {f} is not an outbound-enabled number of agent {agent_id}."
                ),
            ));
        }
        None if outbound.len() == 1 => outbound[0].to_string(),
        None => {
            return Err(fail(
                "from_number_required",
                "Campaign creation failed: from_number is required unless the agent has exactly one outbound-enabled number.".into(),
            ));
        }
    };
    let skip_invalid = body
        .get("skip_invalid")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let mut valid = Vec::new();
    let mut invalid = Vec::new();
    for (i, r) in body
        .get("recipients")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let phone = r.get("phone").and_then(Value::as_str).unwrap_or_default();
        match r.as_object() {
            Some(obj) if is_e164(phone) => valid.push(obj.clone()),
            _ => invalid
                .push(json!({ "phone": phone, "reason": "invalid_phone_format", "row_index": i })),
        }
    }
    if !invalid.is_empty() && !skip_invalid {
        let phones: Vec<&str> = invalid.iter().filter_map(|v| v["phone"].as_str()).collect();
        return Err(ApiError::bad_request(
            "invalid_phone_format",
            format!(
                "Invalid phone numbers (E.164 expected): {}. Resend with skip_invalid: true to skip them.",
                phones.join(", ")
            ),
        )
        .with_details(json!({ "invalid": invalid })));
    }
    let schedule_type = s("schedule_type").unwrap_or_else(|| "now".into());
    let campaign_id = crate::ids::prefixed("batchcall_", 16);
    let mut extra = Map::new();
    for k in [
        "window_start_minutes",
        "window_end_minutes",
        "window_days",
        "max_concurrent",
    ] {
        if let Some(v) = body.get(k) {
            extra.insert(k.into(), v.clone());
        }
    }
    let (valid_count, invalid_count) = (valid.len(), invalid.len());
    c.st.voice_campaigns.insert(
        campaign_id.clone(),
        VoiceCampaign {
            campaign_id: campaign_id.clone(),
            agent_id,
            name: s("name"),
            from_number: from,
            prompt: s("prompt").unwrap_or_default(),
            recipients: valid,
            schedule_type: schedule_type.clone(),
            scheduled_date: s("scheduled_date"),
            timezone: s("timezone"),
            launched: false,
            call_ids: Vec::new(),
            created_ms: c.now_ms,
            extra,
        },
    );
    let status = if schedule_type == "now" {
        start(c, &campaign_id);
        "running"
    } else {
        "scheduled"
    };
    Ok(Reply::from(json!({
        "campaign_id": campaign_id,
        "status": status,
        "valid_count": valid_count,
        "invalid_count": invalid_count,
        "invalid": invalid,
    })))
}

pub fn launch(c: &mut Ctx<'_>) -> OpResult {
    let id = c.param("campaign_id").to_string();
    let camp = c.st.voice_campaigns.get(&id).ok_or_else(|| {
        ApiError::not_found("campaign_not_found", format!("Campaign not found: {id}"))
    })?;
    let recipients = camp.recipients.len();
    match status(camp, c.st, c.now_ms) {
        "completed" => {
            return Err(ApiError::bad_request(
                "campaign_already_completed",
                format!("Campaign {id} has already completed."),
            ));
        }
        "running" => {}
        _ => {
            if recipients == 0 {
                return Err(ApiError::bad_request(
                    "campaign_no_recipients",
                    format!("Campaign {id} has no recipients."),
                ));
            }
            start(c, &id);
        }
    }
    let queued =
        c.st.voice_campaigns
            .get(&id)
            .map(|camp| {
                camp.call_ids
                    .iter()
                    .filter(|cid| {
                        c.st.calls
                            .get(cid)
                            .is_some_and(|call| lifecycle::phase(call, c.now_ms) == Phase::Queued)
                    })
                    .count()
            })
            .unwrap_or(0);
    Ok(Reply::from(json!({
        "campaign_id": id,
        "status": "running",
        "recipients_count": recipients,
        "queued_count": queued,
    })))
}

pub fn list(c: &mut Ctx<'_>) -> OpResult {
    let items: Vec<&VoiceCampaign> =
        c.st.voice_campaigns
            .newest_first()
            .map(|(_, v)| v)
            .collect();
    let (st, now) = (&*c.st, c.now_ms);
    Ok(lists::respond(
        c.op,
        c.cfg.list_shape,
        c.query,
        &items,
        |v| render(v, st, now),
    ))
}
