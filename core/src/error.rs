//! The one error type of the SDK.
//!
//! The kind is chosen by HTTP status, never by the body's `type` string, which the API has
//! spelled several ways over time.

use std::fmt;
use std::time::Duration;

use serde_json::Value;

/// What went wrong, as a stable category every binding maps to its own error class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// 400 or 422: the request was malformed or failed validation.
    InvalidRequest,
    /// 401: missing, malformed, revoked or rotated key.
    Authentication,
    /// 402: out of credit.
    PaymentRequired,
    /// 403: authenticated but not allowed.
    PermissionDenied,
    /// 404: not found, or not yours.
    NotFound,
    /// 409: conflict with the current state (for example a number already imported).
    Conflict,
    /// 429: rate limited; `retry_after` carries the server's wait when it sent one.
    RateLimited,
    /// 5xx other than 502.
    Server,
    /// 502: an upstream provider (carrier, speech, AI) failed.
    Upstream,
    /// Any other unexpected HTTP status.
    UnexpectedStatus,
    /// The connection could not be made or broke before a full response arrived.
    Connection,
    /// An attempt, or the whole call's deadline, timed out.
    Timeout,
    /// A success response whose body is not the JSON we expect.
    Decode,
    /// The client was configured wrongly (for example a malformed API key).
    Configuration,
    /// A webhook signature could not be verified.
    Signature,
    /// A bug or an unexpected failure inside the SDK.
    Internal,
}

impl ErrorKind {
    /// The kind an HTTP error status maps to.
    pub fn from_status(status: u16) -> ErrorKind {
        match status {
            400 | 422 => ErrorKind::InvalidRequest,
            401 => ErrorKind::Authentication,
            402 => ErrorKind::PaymentRequired,
            403 => ErrorKind::PermissionDenied,
            404 => ErrorKind::NotFound,
            409 => ErrorKind::Conflict,
            429 => ErrorKind::RateLimited,
            502 => ErrorKind::Upstream,
            500..=599 => ErrorKind::Server,
            _ => ErrorKind::UnexpectedStatus,
        }
    }

    /// A stable snake_case name, shared by every language (`not_found`, `rate_limited`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::InvalidRequest => "invalid_request",
            ErrorKind::Authentication => "authentication",
            ErrorKind::PaymentRequired => "payment_required",
            ErrorKind::PermissionDenied => "permission_denied",
            ErrorKind::NotFound => "not_found",
            ErrorKind::Conflict => "conflict",
            ErrorKind::RateLimited => "rate_limited",
            ErrorKind::Server => "server",
            ErrorKind::Upstream => "upstream",
            ErrorKind::UnexpectedStatus => "unexpected_status",
            ErrorKind::Connection => "connection",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Decode => "decode",
            ErrorKind::Configuration => "configuration",
            ErrorKind::Signature => "signature",
            ErrorKind::Internal => "internal",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An error from the Nixflex API or from the SDK itself.
///
/// Every field the API sent is kept: `code` is the stable machine-readable code to branch on,
/// `request_id` is what support asks for, and `idempotency_key` is the key the call was sent
/// with, so that a failed mutation can be re-issued safely with the same key.
#[derive(Clone)]
pub struct Error {
    // Boxed so that `Result<T, Error>` stays one pointer wide on the success path.
    pub(crate) inner: Box<ErrorData>,
}

#[derive(Debug, Clone)]
pub(crate) struct ErrorData {
    pub(crate) kind: ErrorKind,
    pub(crate) message: String,
    pub(crate) status: Option<u16>,
    pub(crate) code: Option<String>,
    pub(crate) error_type: Option<String>,
    pub(crate) doc_url: Option<String>,
    pub(crate) details: Option<Value>,
    pub(crate) request_id: Option<String>,
    pub(crate) retry_after: Option<Duration>,
    pub(crate) idempotency_key: Option<String>,
    pub(crate) attempts: u32,
}

impl Error {
    /// An error of `kind` with a message and nothing else.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        let data = ErrorData {
            kind,
            message: message.into(),
            status: None,
            code: None,
            error_type: None,
            doc_url: None,
            details: None,
            request_id: None,
            retry_after: None,
            idempotency_key: None,
            attempts: 0,
        };
        Error {
            inner: Box::new(data),
        }
    }

    pub(crate) fn configuration(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Configuration, message)
    }

    pub(crate) fn internal(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Internal, message)
    }

    /// The category of the error.
    pub fn kind(&self) -> ErrorKind {
        self.inner.kind
    }
    /// A human-readable message (the API's own when it sent one).
    pub fn message(&self) -> &str {
        &self.inner.message
    }
    /// The HTTP status, when a response arrived.
    pub fn status(&self) -> Option<u16> {
        self.inner.status
    }
    /// The API's machine-readable error code (`agent_not_found`, `missing_field`, …).
    pub fn code(&self) -> Option<&str> {
        self.inner.code.as_deref()
    }
    /// The API's `type` string, as sent (informational; use [`Error::kind`] to branch).
    pub fn error_type(&self) -> Option<&str> {
        self.inner.error_type.as_deref()
    }
    /// The documentation page of the error code.
    pub fn doc_url(&self) -> Option<&str> {
        self.inner.doc_url.as_deref()
    }
    /// The API's `details` object, when present.
    pub fn details(&self) -> Option<&Value> {
        self.inner.details.as_ref()
    }
    /// The `x-request-id` of the last response.
    pub fn request_id(&self) -> Option<&str> {
        self.inner.request_id.as_deref()
    }
    /// The wait the server asked for (`Retry-After` / `retry-after-ms`).
    pub fn retry_after(&self) -> Option<Duration> {
        self.inner.retry_after
    }
    /// The `Idempotency-Key` every attempt of this call carried (mutations only).
    pub fn idempotency_key(&self) -> Option<&str> {
        self.inner.idempotency_key.as_deref()
    }
    /// How many attempts were made (0 when none reached the network).
    pub fn attempts(&self) -> u32 {
        self.inner.attempts
    }

    pub(crate) fn with_status(mut self, status: u16) -> Error {
        self.inner.status = Some(status);
        self
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.fmt(f)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.inner.status, &self.inner.code) {
            (Some(status), Some(code)) => write!(f, "{} ({status} {code})", self.inner.message)?,
            (Some(status), None) => write!(f, "{} ({status})", self.inner.message)?,
            (None, _) => write!(f, "{}", self.inner.message)?,
        }
        if let Some(id) = &self.inner.request_id {
            write!(f, " [request {id}]")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

/// The result type of every fallible SDK function.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_picks_the_kind() {
        assert_eq!(ErrorKind::from_status(400), ErrorKind::InvalidRequest);
        assert_eq!(ErrorKind::from_status(422), ErrorKind::InvalidRequest);
        assert_eq!(ErrorKind::from_status(401), ErrorKind::Authentication);
        assert_eq!(ErrorKind::from_status(402), ErrorKind::PaymentRequired);
        assert_eq!(ErrorKind::from_status(403), ErrorKind::PermissionDenied);
        assert_eq!(ErrorKind::from_status(404), ErrorKind::NotFound);
        assert_eq!(ErrorKind::from_status(409), ErrorKind::Conflict);
        assert_eq!(ErrorKind::from_status(429), ErrorKind::RateLimited);
        assert_eq!(ErrorKind::from_status(500), ErrorKind::Server);
        assert_eq!(ErrorKind::from_status(502), ErrorKind::Upstream);
        assert_eq!(ErrorKind::from_status(504), ErrorKind::Server);
        assert_eq!(ErrorKind::from_status(418), ErrorKind::UnexpectedStatus);
    }
}
