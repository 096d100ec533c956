//! Caller context: a small profile per (your number, caller number). Writes merge field by field;
//! `null` removes a field, an empty string never erases one. The schema rejects unknown and
//! engine-only fields before a handler runs.

use super::{Ctx, OpResult, Reply};
use crate::errors::ApiError;
use crate::ops::phone_numbers::NumberRec;
use serde_json::{Map, Value, json};

const SETTABLE: [&str; 6] = [
    "name",
    "email",
    "phone",
    "location",
    "reference_id",
    "preference",
];

fn phone_number_not_found(n: &str) -> ApiError {
    ApiError::not_found(
        "phone_number_not_found",
        format!("Phone number not found on your account: {n}"),
    )
}

fn caller_not_found(n: &str, caller: &str) -> ApiError {
    ApiError::not_found(
        "caller_not_found",
        format!("No caller context for {caller} on {n}"),
    )
}

/// Caller numbers are stored with their leading `+`, added when missing.
fn normalize(caller: &str) -> String {
    let caller = caller.trim();
    if caller.starts_with('+') {
        caller.to_string()
    } else {
        format!("+{caller}")
    }
}

fn merge(ctx: &mut Map<String, Value>, fields: &Map<String, Value>) {
    for k in SETTABLE {
        match fields.get(k) {
            Some(Value::Null) => {
                ctx.remove(k);
            }
            Some(Value::String(s)) if s.is_empty() => {}
            Some(v) => {
                ctx.insert(k.to_string(), v.clone());
            }
            None => {}
        }
    }
}

fn record(number: &str, caller: &str, ctx: &Map<String, Value>) -> Value {
    json!({ "caller": { "phone_number": number, "caller_number": caller, "context": ctx } })
}

fn number<'a>(c: &'a mut Ctx<'_>, n: &str) -> Result<&'a mut NumberRec, ApiError> {
    c.st.numbers
        .get_mut(n)
        .ok_or_else(|| phone_number_not_found(n))
}

pub fn get(c: &mut Ctx<'_>) -> OpResult {
    let n = c.param("phone_number").to_string();
    let caller = normalize(c.param("caller_number"));
    let rec = number(c, &n)?;
    let ctx = rec
        .callers
        .get(&caller)
        .ok_or_else(|| caller_not_found(&n, &caller))?;
    Ok(Reply::from(record(&n, &caller, ctx)))
}

pub fn set(c: &mut Ctx<'_>) -> OpResult {
    let n = c.param("phone_number").to_string();
    let caller = normalize(c.param("caller_number"));
    let fields = c.body().clone();
    let rec = number(c, &n)?;
    let ctx = rec.callers.entry(caller.clone()).or_default();
    merge(ctx, &fields);
    let out = record(&n, &caller, ctx);
    if ctx.is_empty() {
        rec.callers.remove(&caller);
    }
    Ok(Reply::from(out))
}

pub fn delete(c: &mut Ctx<'_>) -> OpResult {
    let n = c.param("phone_number").to_string();
    let caller = normalize(c.param("caller_number"));
    let rec = number(c, &n)?;
    rec.callers
        .remove(&caller)
        .ok_or_else(|| caller_not_found(&n, &caller))?;
    Ok(Reply::from(
        json!({ "phone_number": n, "caller_number": caller, "deleted": true }),
    ))
}

pub fn import(c: &mut Ctx<'_>) -> OpResult {
    let n = c.param("phone_number").to_string();
    let rows: Vec<Map<String, Value>> = c
        .body()
        .get("callers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|r| r.as_object().cloned())
        .collect();
    let rec = number(c, &n)?;
    let mut seen = std::collections::HashSet::new();
    for row in &rows {
        let caller = normalize(
            row.get("caller_number")
                .and_then(Value::as_str)
                .unwrap_or_default(),
        );
        let ctx = rec.callers.entry(caller.clone()).or_default();
        merge(ctx, row);
        if ctx.is_empty() {
            rec.callers.remove(&caller);
        }
        seen.insert(caller);
    }
    Ok(Reply::from(
        json!({ "phone_number": n, "imported": seen.len() }),
    ))
}
