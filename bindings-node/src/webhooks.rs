//! Webhook signatures, from the core: the official boolean check, the strict check that returns
//! the event, and `sign` for tests.

use std::time::Duration;

use napi::bindgen_prelude::{Buffer, Either};
use napi_derive::napi;

use crate::errors::{self, guard, to_napi};

fn bytes(body: &Either<String, Buffer>) -> &[u8] {
    match body {
        Either::A(text) => text.as_bytes(),
        Either::B(buffer) => buffer.as_ref(),
    }
}

fn tolerance(seconds: Option<f64>) -> Duration {
    match seconds {
        Some(s) if s.is_finite() && s >= 0.0 => Duration::from_secs_f64(s),
        _ => nixflex::webhooks::DEFAULT_TOLERANCE,
    }
}

fn now(seconds: Option<f64>) -> Option<i64> {
    seconds.filter(|s| s.is_finite()).map(|s| s.floor() as i64)
}

/// The official boolean check: never throws.
#[napi]
pub fn verify_webhook_signature(
    raw_body: Either<String, Buffer>,
    header: Option<String>,
    secret: String,
    tolerance_seconds: Option<f64>,
    now_seconds: Option<f64>,
) -> bool {
    std::panic::catch_unwind(|| {
        let Some(header) = header else { return false };
        if secret.is_empty() {
            return false;
        }
        nixflex::webhooks::verify_webhook_signature(
            bytes(&raw_body),
            &header,
            &secret,
            tolerance(tolerance_seconds),
            now(now_seconds),
        )
    })
    .unwrap_or(false)
}

/// The strict check: the event as JSON text, or a signature error naming the problem.
#[napi]
pub fn construct_webhook_event(
    raw_body: Either<String, Buffer>,
    header: Option<String>,
    secrets: Vec<String>,
    tolerance_seconds: Option<f64>,
    now_seconds: Option<f64>,
) -> napi::Result<String> {
    guard(|| {
        let secrets: Vec<&str> = secrets
            .iter()
            .map(String::as_str)
            .filter(|s| !s.is_empty())
            .collect();
        if secrets.is_empty() {
            return Err(errors::binding("configuration", "no webhook secret given"));
        }
        nixflex::webhooks::construct_event(
            bytes(&raw_body),
            header.as_deref(),
            &secrets,
            tolerance(tolerance_seconds),
            now(now_seconds),
        )
        .map(|event| event.to_string())
        .map_err(to_napi)
    })
}

/// The `X-Nixflex-Signature` value Nixflex would send for `raw_body` at `timestamp` (unix
/// seconds): for tests and local tools.
#[napi]
pub fn sign_webhook(
    raw_body: Either<String, Buffer>,
    secret: String,
    timestamp: f64,
) -> napi::Result<String> {
    if !timestamp.is_finite() {
        return Err(errors::binding(
            "invalid_request",
            "timestamp must be a finite number of seconds",
        ));
    }
    Ok(nixflex::webhooks::sign(
        bytes(&raw_body),
        &secret,
        timestamp.floor() as i64,
    ))
}
