//! Values across the boundary: options in, bodies and metadata out. Bodies cross as strings so
//! that V8's own `JSON.parse` builds the objects (the fast path of DESIGN.md §8).

use std::collections::HashMap;
use std::time::Duration;

use bytes::Bytes;
use napi_derive::napi;

use crate::errors;

/// Per-call options, as the facade passes them (all optional).
#[napi(object)]
#[derive(Default)]
pub struct CallOptions {
    /// Timeout of each attempt, in milliseconds.
    pub timeout_ms: Option<f64>,
    /// Bound on all attempts and waits together, in milliseconds.
    pub deadline_ms: Option<f64>,
    /// Retries after the first attempt.
    pub max_retries: Option<u32>,
    /// The `Idempotency-Key` to send.
    pub idempotency_key: Option<String>,
    /// Extra headers for this call.
    pub headers: Option<HashMap<String, String>>,
    /// The abort token that stops this call (`createAbortToken`).
    pub abort_token: Option<u32>,
}

/// A duration from milliseconds, which must be finite and positive.
pub(crate) fn millis(name: &str, ms: Option<f64>) -> napi::Result<Option<Duration>> {
    match ms {
        None => Ok(None),
        Some(ms) if ms.is_finite() && ms > 0.0 => Ok(Some(Duration::from_secs_f64(ms / 1000.0))),
        Some(ms) => Err(errors::binding(
            "configuration",
            format!("{name} must be a positive number of milliseconds, got {ms}"),
        )),
    }
}

/// The core's options from the facade's, and the abort token.
pub(crate) fn request_options(
    options: Option<CallOptions>,
) -> napi::Result<(nixflex::RequestOptions, Option<u32>)> {
    let options = options.unwrap_or_default();
    let mut out = nixflex::RequestOptions::new();
    out.timeout = millis("timeoutMs", options.timeout_ms)?;
    out.deadline = millis("deadlineMs", options.deadline_ms)?;
    out.max_retries = options.max_retries;
    out.idempotency_key = options.idempotency_key;
    if let Some(headers) = options.headers {
        out.headers = headers.into_iter().collect();
    }
    Ok((out, options.abort_token))
}

/// Pairs `[name, value, name, value, …]` as the facade flattens them.
pub(crate) fn pairs(flat: Vec<String>) -> Vec<(String, String)> {
    let mut out = Vec::with_capacity(flat.len() / 2);
    let mut it = flat.into_iter();
    while let (Some(name), Some(value)) = (it.next(), it.next()) {
        out.push((name, value));
    }
    out
}

/// A response body as text, without copying when the bytes are not shared.
pub(crate) fn body_text(body: Bytes, meta: &nixflex::ResponseMeta) -> napi::Result<String> {
    String::from_utf8(Vec::from(body)).map_err(|e| {
        errors::from_error_fields(
            "decode",
            format!("the {} response body is not UTF-8: {e}", meta.status),
            meta,
        )
    })
}

/// Rejects, with the response's metadata, a body whose first and last characters cannot
/// belong to one JSON value (an HTML page, a truncated object). It reads two bytes, not the
/// body: JavaScript parses it anyway.
pub(crate) fn plausible_json(body: &[u8], meta: &nixflex::ResponseMeta) -> napi::Result<()> {
    let trimmed = body.trim_ascii();
    let (Some(&first), Some(&last)) = (trimmed.first(), trimmed.last()) else {
        return Ok(());
    };
    let ok = match first {
        b'{' => last == b'}',
        b'[' => last == b']',
        b'"' => last == b'"' && trimmed.len() > 1,
        b'-' | b'0'..=b'9' => last.is_ascii_digit(),
        b't' => trimmed == b"true",
        b'f' => trimmed == b"false",
        b'n' => trimmed == b"null",
        _ => false,
    };
    if ok {
        return Ok(());
    }
    let text = String::from_utf8_lossy(&trimmed[..trimmed.len().min(200)]);
    Err(errors::from_error_fields(
        "decode",
        format!("the {} response is not JSON: {text}", meta.status),
        meta,
    ))
}

/// What came with a result, for `withResponse()`.
#[napi(object)]
pub struct RawResponse {
    /// The body, JSON text (empty when the server sent none).
    pub body: String,
    /// The HTTP status of the final attempt.
    pub status: u32,
    /// The response headers of the final attempt (names lowercase; repeated ones joined by ", ").
    pub headers: HashMap<String, String>,
    /// The `x-request-id` of the final attempt.
    pub request_id: Option<String>,
    /// How many attempts the call took.
    pub attempts: u32,
    /// The `Idempotency-Key` the call carried (mutations only).
    pub idempotency_key: Option<String>,
}

pub(crate) fn raw_response(body: String, meta: nixflex::ResponseMeta) -> RawResponse {
    let mut headers: HashMap<String, String> = HashMap::with_capacity(meta.headers.len());
    for (name, value) in &meta.headers {
        let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
        headers
            .entry(name.as_str().to_owned())
            .and_modify(|v| {
                v.push_str(", ");
                v.push_str(&value);
            })
            .or_insert(value);
    }
    RawResponse {
        body,
        status: u32::from(meta.status),
        headers,
        request_id: meta.request_id,
        attempts: meta.attempts,
        idempotency_key: meta.idempotency_key,
    }
}
