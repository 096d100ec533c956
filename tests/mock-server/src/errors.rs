//! The API's error envelope: `{"error":{"type","code","message","doc_url","details"}}`.

use serde_json::{Value, json};
use std::borrow::Cow;

/// An API error as the real service reports it. `type` is never stored: it is derived from the
/// status, as the API's newest errors page does, so a handler cannot pick an inconsistent one.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: u16,
    pub code: Cow<'static, str>,
    pub message: String,
    /// Boxed: errors travel in `Result`s on every request path and should stay small.
    pub details: Box<Value>,
}

impl ApiError {
    pub fn new(
        status: u16,
        code: impl Into<Cow<'static, str>>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            status,
            code: code.into(),
            message: message.into(),
            details: Box::new(json!({})),
        }
    }

    pub fn with_details(mut self, details: Value) -> Self {
        self.details = Box::new(details);
        self
    }

    pub fn bad_request(code: impl Into<Cow<'static, str>>, message: impl Into<String>) -> Self {
        Self::new(400, code, message)
    }

    pub fn not_found(code: impl Into<Cow<'static, str>>, message: impl Into<String>) -> Self {
        Self::new(404, code, message)
    }

    /// `missing_field` names the field, in `message` and in `details.field`.
    pub fn missing(field: &str) -> Self {
        Self::bad_request("missing_field", format!("{field} is required."))
            .with_details(json!({ "field": field }))
    }

    pub fn invalid(
        code: impl Into<Cow<'static, str>>,
        field: &str,
        message: impl Into<String>,
    ) -> Self {
        Self::bad_request(code, message).with_details(json!({ "field": field }))
    }

    pub fn unauthorized() -> Self {
        Self::new(401, "unauthorized", "Invalid or missing API key")
    }

    pub fn to_json(&self) -> Value {
        envelope(
            self.status,
            &self.code,
            &self.message,
            (*self.details).clone(),
        )
    }
}

pub fn error_type(status: u16) -> &'static str {
    match status {
        400 | 422 => "invalid_request",
        401 => "authentication_error",
        402 => "payment_required",
        403 => "permission_denied",
        404 => "not_found",
        405 => "invalid_request",
        409 => "conflict",
        429 => "rate_limit_error",
        s if s >= 500 => "server_error",
        _ => "invalid_request",
    }
}

pub fn doc_url(code: &str) -> String {
    format!("https://docs.nixflex.com/errors/{code}")
}

pub fn envelope(status: u16, code: &str, message: &str, details: Value) -> Value {
    json!({
        "error": {
            "type": error_type(status),
            "code": code,
            "message": message,
            "doc_url": doc_url(code),
            "details": details,
        }
    })
}

/// The body a fault answers with when the test gave none: what the API would send for that
/// status, so SDK error mapping is exercised with realistic codes.
pub fn default_for_status(status: u16) -> Value {
    let (code, message) = match status {
        400 => ("invalid_request", "The request is invalid"),
        401 => ("unauthorized", "Invalid or missing API key"),
        402 => ("payment_required", "Out of credit"),
        403 => ("permission_denied", "Not allowed"),
        404 => ("not_found", "Not found"),
        408 => ("request_timeout", "Request timeout"),
        409 => ("conflict", "Conflict"),
        422 => ("invalid_request", "Unprocessable request"),
        429 => ("rate_limit_exceeded", "Rate limit exceeded"),
        502 => ("bad_gateway", "Upstream provider failed"),
        503 => ("service_unavailable", "Service temporarily unavailable"),
        504 => ("gateway_timeout", "Upstream timed out"),
        s if s >= 500 => ("server_error", "An unexpected error occurred"),
        _ => ("error", "Mock fault"),
    };
    envelope(status, code, message, json!({}))
}
