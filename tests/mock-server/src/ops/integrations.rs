//! Per-number integrations (webhook slots, Zapier, Make, GoHighLevel, Slack, Cal.com, pre-call
//! gate), the per-agent pre-call gate and the Live Monitor / web-calls toggles. A number (or
//! agent) the tenant does not own is a 404 for every verb.

use super::{Ctx, OpResult, Reply};
use crate::errors::ApiError;
use crate::ops::phone_numbers::NumberRec;
use serde_json::{Map, Value, json};

/// Write-only fields: stored, never rendered.
const SECRETS: [&str; 3] = ["pit", "api_key", "token"];

fn number_404(n: &str) -> ApiError {
    ApiError::not_found(
        "not_found",
        format!("Phone number not found on your account: {n}"),
    )
}

fn split(op: &str) -> (&str, &str) {
    let mut parts = op.rsplitn(2, '.');
    let action = parts.next().unwrap_or_default();
    let kind = parts
        .next()
        .unwrap_or_default()
        .trim_start_matches("integrations.");
    (kind, action)
}

pub fn handle(c: &mut Ctx<'_>) -> OpResult {
    let op = c.op.id.clone();
    let (kind, action) = split(&op);
    match kind {
        "precall_agent" => precall_agent(c, action),
        "monitor" | "web_calls" => toggle(c, kind, action),
        _ => url_integration(c, kind, action),
    }
}

fn owned<'a>(c: &'a mut Ctx<'_>, n: &str) -> Result<&'a mut NumberRec, ApiError> {
    c.st.numbers.get_mut(n).ok_or_else(|| number_404(n))
}

fn toggle(c: &mut Ctx<'_>, kind: &str, action: &str) -> OpResult {
    let n = c.param("phone_number").to_string();
    let enabled = c
        .body()
        .get("enabled")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let rec = owned(c, &n)?;
    let flag = if kind == "monitor" {
        &mut rec.monitor
    } else {
        &mut rec.web_calls
    };
    let field = if kind == "monitor" {
        "monitor_enabled"
    } else {
        "web_calls_enabled"
    };
    match action {
        "set" => *flag = enabled,
        "delete" => *flag = false,
        _ => {}
    }
    let mut m = Map::new();
    if action != "get" {
        m.insert("ok".into(), json!(true));
    }
    m.insert("phone_number".into(), json!(n));
    m.insert(field.into(), json!(*flag));
    Ok(Reply::from(Value::Object(m)))
}

/// The field that names the stored URL in this integration's GET response.
fn url_field(kind: &str) -> &'static str {
    match kind {
        "webhook" => "webhook_url",
        "webhook2" => "webhook_url_2",
        "precall" => "precall_webhook_url",
        _ => "url",
    }
}

fn url_integration(c: &mut Ctx<'_>, kind: &str, action: &str) -> OpResult {
    let n = c.param("phone_number").to_string();
    let body = c.body().clone();
    let rec = owned(c, &n)?;
    match action {
        "set" => {
            let mut out = Map::new();
            out.insert("ok".into(), json!(true));
            out.insert("phone_number".into(), json!(n));
            out.insert(
                "url".into(),
                body.get("url").cloned().unwrap_or(Value::Null),
            );
            for (k, v) in &body {
                if k != "url" && !SECRETS.contains(&k.as_str()) {
                    out.insert(k.clone(), v.clone());
                }
            }
            rec.integrations.insert(kind.to_string(), body);
            Ok(Reply::from(Value::Object(out)))
        }
        "get" => {
            let cfg = rec.integrations.get(kind);
            let mut out = Map::new();
            out.insert("phone_number".into(), json!(n));
            out.insert(
                url_field(kind).into(),
                cfg.and_then(|m| m.get("url"))
                    .cloned()
                    .unwrap_or(Value::Null),
            );
            out.insert("is_set".into(), json!(cfg.is_some()));
            if let Some(cfg) = cfg {
                for (k, v) in cfg {
                    if k != "url" && !SECRETS.contains(&k.as_str()) {
                        out.insert(k.clone(), v.clone());
                    }
                }
            }
            Ok(Reply::from(Value::Object(out)))
        }
        _ => {
            rec.integrations.remove(kind);
            Ok(Reply::from(
                json!({ "ok": true, "deleted": true, "phone_number": n }),
            ))
        }
    }
}

fn precall_agent(c: &mut Ctx<'_>, action: &str) -> OpResult {
    let id = c.param("agent_id").to_string();
    if !c.st.agents.contains(&id) {
        return Err(super::agents::not_found(&id));
    }
    match action {
        "set" => {
            let url = c.str_field("url").unwrap_or_default().to_string();
            c.st.precall_agents.insert(id.clone(), url.clone());
            Ok(Reply::from(
                json!({ "ok": true, "agent_id": id, "url": url }),
            ))
        }
        "get" => {
            let url = c.st.precall_agents.get(&id);
            Ok(Reply::from(
                json!({ "agent_id": id, "precall_webhook_url": url, "is_set": url.is_some() }),
            ))
        }
        _ => {
            c.st.precall_agents.remove(&id);
            Ok(Reply::from(
                json!({ "ok": true, "deleted": true, "agent_id": id }),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn splits_operation_ids() {
        assert_eq!(
            super::split("integrations.web_calls.set"),
            ("web_calls", "set")
        );
        assert_eq!(
            super::split("integrations.precall_agent.get"),
            ("precall_agent", "get")
        );
    }
}
