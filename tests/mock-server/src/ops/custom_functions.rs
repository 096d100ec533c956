//! Custom functions: HTTPS tools the agent may call mid-call, at most 15 per number.

use super::{Ctx, OpResult, Reply};
use crate::errors::ApiError;
use crate::ops::phone_numbers::NumberRec;
use serde_json::{Map, Value, json};

const MAX_PER_NUMBER: usize = 15;
const TIMEOUT_MS: (i64, i64) = (1000, 45_000);
const FIELDS: [&str; 8] = [
    "name",
    "description",
    "url",
    "method",
    "headers",
    "parameters",
    "timeout_ms",
    "speak_during",
];

fn owned<'a>(c: &'a mut Ctx<'_>, n: &str) -> Result<&'a mut NumberRec, ApiError> {
    c.st.numbers.get_mut(n).ok_or_else(|| {
        ApiError::not_found(
            "not_found",
            format!("Phone number not found on your account: {n}"),
        )
    })
}

fn function_404(id: &str) -> ApiError {
    ApiError::not_found("not_found", format!("Custom function not found: {id}"))
}

/// Out-of-range timeouts are clamped, not rejected.
fn apply(f: &mut Map<String, Value>, body: &Map<String, Value>) {
    for k in FIELDS {
        if let Some(v) = body.get(k) {
            let v = match (k, v) {
                ("timeout_ms", Value::Number(n)) => {
                    json!(n.as_i64().unwrap_or(5000).clamp(TIMEOUT_MS.0, TIMEOUT_MS.1))
                }
                _ => v.clone(),
            };
            f.insert(k.to_string(), v);
        }
    }
}

pub fn create(c: &mut Ctx<'_>) -> OpResult {
    let n = c.param("phone_number").to_string();
    let body = c.body().clone();
    let rec = owned(c, &n)?;
    if rec.functions.len() >= MAX_PER_NUMBER {
        return Err(ApiError::bad_request(
            "invalid_request",
            format!("A number can have at most {MAX_PER_NUMBER} custom functions."),
        ));
    }
    let id = crate::ids::prefixed("cf_", 16);
    let mut f = Map::new();
    f.insert("id".into(), json!(id));
    f.insert("name".into(), Value::Null);
    f.insert("description".into(), Value::Null);
    f.insert("url".into(), Value::Null);
    f.insert("method".into(), json!("POST"));
    f.insert("headers".into(), json!({}));
    f.insert(
        "parameters".into(),
        json!({ "type": "object", "properties": {} }),
    );
    f.insert("timeout_ms".into(), json!(5000));
    f.insert("speak_during".into(), Value::Null);
    apply(&mut f, &body);
    // The schema allows neither null text nor a null description; drop the unset ones.
    f.retain(|_, v| !v.is_null());
    rec.functions.insert(id, f.clone());
    Ok(Reply::from(Value::Object(f)))
}

pub fn list(c: &mut Ctx<'_>) -> OpResult {
    let n = c.param("phone_number").to_string();
    let rec = owned(c, &n)?;
    let items: Vec<Value> = rec
        .functions
        .newest_first()
        .map(|(_, f)| Value::Object(f.clone()))
        .collect();
    Ok(Reply::from(json!({ "custom_functions": items })))
}

pub fn update(c: &mut Ctx<'_>) -> OpResult {
    let n = c.param("phone_number").to_string();
    let id = c.param("function_id").to_string();
    let body = c.body().clone();
    let rec = owned(c, &n)?;
    let f = rec
        .functions
        .get_mut(&id)
        .ok_or_else(|| function_404(&id))?;
    apply(f, &body);
    Ok(Reply::from(Value::Object(f.clone())))
}

pub fn delete(c: &mut Ctx<'_>) -> OpResult {
    let n = c.param("phone_number").to_string();
    let id = c.param("function_id").to_string();
    let rec = owned(c, &n)?;
    rec.functions.remove(&id).ok_or_else(|| function_404(&id))?;
    Ok(Reply::from(
        json!({ "ok": true, "deleted": true, "id": id }),
    ))
}
