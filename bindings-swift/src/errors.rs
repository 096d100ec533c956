//! The one error of the binding: a variant per [`nixflex::ErrorKind`], every variant carrying the
//! same fields. Swift sees `enum NixflexError: Error`, Kotlin a sealed `NixflexException`.
//!
//! Named `NixflexError`, not `Error`: Kotlin renames `*Error` to `*Exception`, and a bare
//! `Exception` would clash with Kotlin's own.

use std::fmt;

/// An error from the Nixflex API or from the SDK. The variant is the kind, chosen by HTTP
/// status; every variant has the same fields. `info()` returns them whatever the variant.
#[derive(Debug, Clone, PartialEq, uniffi::Error)]
pub enum NixflexError {
    /// 400 or 422: the request was malformed or failed validation.
    InvalidRequest {
        message: String,
        status: Option<u16>,
        code: Option<String>,
        error_type: Option<String>,
        doc_url: Option<String>,
        request_id: Option<String>,
        retry_after_seconds: Option<f64>,
        idempotency_key: Option<String>,
        attempts: u32,
        details: Option<String>,
    },
    /// 401: missing, malformed, revoked or rotated key.
    Authentication {
        message: String,
        status: Option<u16>,
        code: Option<String>,
        error_type: Option<String>,
        doc_url: Option<String>,
        request_id: Option<String>,
        retry_after_seconds: Option<f64>,
        idempotency_key: Option<String>,
        attempts: u32,
        details: Option<String>,
    },
    /// 402: out of credit.
    PaymentRequired {
        message: String,
        status: Option<u16>,
        code: Option<String>,
        error_type: Option<String>,
        doc_url: Option<String>,
        request_id: Option<String>,
        retry_after_seconds: Option<f64>,
        idempotency_key: Option<String>,
        attempts: u32,
        details: Option<String>,
    },
    /// 403: authenticated but not allowed.
    PermissionDenied {
        message: String,
        status: Option<u16>,
        code: Option<String>,
        error_type: Option<String>,
        doc_url: Option<String>,
        request_id: Option<String>,
        retry_after_seconds: Option<f64>,
        idempotency_key: Option<String>,
        attempts: u32,
        details: Option<String>,
    },
    /// 404: not found, or not yours.
    NotFound {
        message: String,
        status: Option<u16>,
        code: Option<String>,
        error_type: Option<String>,
        doc_url: Option<String>,
        request_id: Option<String>,
        retry_after_seconds: Option<f64>,
        idempotency_key: Option<String>,
        attempts: u32,
        details: Option<String>,
    },
    /// 409: conflict with the current state.
    Conflict {
        message: String,
        status: Option<u16>,
        code: Option<String>,
        error_type: Option<String>,
        doc_url: Option<String>,
        request_id: Option<String>,
        retry_after_seconds: Option<f64>,
        idempotency_key: Option<String>,
        attempts: u32,
        details: Option<String>,
    },
    /// 429: rate limited; `retry_after_seconds` is the server's wait when it sent one.
    RateLimited {
        message: String,
        status: Option<u16>,
        code: Option<String>,
        error_type: Option<String>,
        doc_url: Option<String>,
        request_id: Option<String>,
        retry_after_seconds: Option<f64>,
        idempotency_key: Option<String>,
        attempts: u32,
        details: Option<String>,
    },
    /// 5xx other than 502.
    Server {
        message: String,
        status: Option<u16>,
        code: Option<String>,
        error_type: Option<String>,
        doc_url: Option<String>,
        request_id: Option<String>,
        retry_after_seconds: Option<f64>,
        idempotency_key: Option<String>,
        attempts: u32,
        details: Option<String>,
    },
    /// 502: an upstream provider (carrier, speech, AI) failed.
    Upstream {
        message: String,
        status: Option<u16>,
        code: Option<String>,
        error_type: Option<String>,
        doc_url: Option<String>,
        request_id: Option<String>,
        retry_after_seconds: Option<f64>,
        idempotency_key: Option<String>,
        attempts: u32,
        details: Option<String>,
    },
    /// Any other unexpected HTTP status.
    UnexpectedStatus {
        message: String,
        status: Option<u16>,
        code: Option<String>,
        error_type: Option<String>,
        doc_url: Option<String>,
        request_id: Option<String>,
        retry_after_seconds: Option<f64>,
        idempotency_key: Option<String>,
        attempts: u32,
        details: Option<String>,
    },
    /// The connection could not be made or broke before a full response arrived.
    Connection {
        message: String,
        status: Option<u16>,
        code: Option<String>,
        error_type: Option<String>,
        doc_url: Option<String>,
        request_id: Option<String>,
        retry_after_seconds: Option<f64>,
        idempotency_key: Option<String>,
        attempts: u32,
        details: Option<String>,
    },
    /// An attempt, or the whole call's deadline, timed out.
    Timeout {
        message: String,
        status: Option<u16>,
        code: Option<String>,
        error_type: Option<String>,
        doc_url: Option<String>,
        request_id: Option<String>,
        retry_after_seconds: Option<f64>,
        idempotency_key: Option<String>,
        attempts: u32,
        details: Option<String>,
    },
    /// A success response whose body is not the JSON expected.
    Decode {
        message: String,
        status: Option<u16>,
        code: Option<String>,
        error_type: Option<String>,
        doc_url: Option<String>,
        request_id: Option<String>,
        retry_after_seconds: Option<f64>,
        idempotency_key: Option<String>,
        attempts: u32,
        details: Option<String>,
    },
    /// The client was configured wrongly (for example a malformed API key).
    Configuration {
        message: String,
        status: Option<u16>,
        code: Option<String>,
        error_type: Option<String>,
        doc_url: Option<String>,
        request_id: Option<String>,
        retry_after_seconds: Option<f64>,
        idempotency_key: Option<String>,
        attempts: u32,
        details: Option<String>,
    },
    /// A webhook signature could not be verified; `code` names the problem.
    Signature {
        message: String,
        status: Option<u16>,
        code: Option<String>,
        error_type: Option<String>,
        doc_url: Option<String>,
        request_id: Option<String>,
        retry_after_seconds: Option<f64>,
        idempotency_key: Option<String>,
        attempts: u32,
        details: Option<String>,
    },
    /// A bug or an unexpected failure inside the SDK, including a Rust panic.
    Internal {
        message: String,
        status: Option<u16>,
        code: Option<String>,
        error_type: Option<String>,
        doc_url: Option<String>,
        request_id: Option<String>,
        retry_after_seconds: Option<f64>,
        idempotency_key: Option<String>,
        attempts: u32,
        details: Option<String>,
    },
}

/// Every field of a [`NixflexError`], whatever its variant, with the kind as a stable
/// snake_case name (`not_found`, `rate_limited`, …, the same in every language).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct NixflexErrorInfo {
    pub kind: String,
    pub message: String,
    pub status: Option<u16>,
    pub code: Option<String>,
    pub error_type: Option<String>,
    pub doc_url: Option<String>,
    pub request_id: Option<String>,
    pub retry_after_seconds: Option<f64>,
    pub idempotency_key: Option<String>,
    pub attempts: u32,
    /// The API's `details` object as JSON text.
    pub details: Option<String>,
}

/// Builds the variant of `kind` from the fields (one place knows the variant list).
macro_rules! variants {
    ($($variant:ident => $kind:literal),* $(,)?) => {
        impl NixflexError {
            fn from_parts(kind: &str, f: NixflexErrorInfo) -> NixflexError {
                match kind {
                    $($kind => NixflexError::$variant {
                        message: f.message,
                        status: f.status,
                        code: f.code,
                        error_type: f.error_type,
                        doc_url: f.doc_url,
                        request_id: f.request_id,
                        retry_after_seconds: f.retry_after_seconds,
                        idempotency_key: f.idempotency_key,
                        attempts: f.attempts,
                        details: f.details,
                    },)*
                    _ => NixflexError::Internal {
                        message: f.message,
                        status: f.status,
                        code: f.code,
                        error_type: f.error_type,
                        doc_url: f.doc_url,
                        request_id: f.request_id,
                        retry_after_seconds: f.retry_after_seconds,
                        idempotency_key: f.idempotency_key,
                        attempts: f.attempts,
                        details: f.details,
                    },
                }
            }

            /// The fields, whatever the variant.
            pub(crate) fn fields(&self) -> NixflexErrorInfo {
                match self {
                    $(NixflexError::$variant {
                        message,
                        status,
                        code,
                        error_type,
                        doc_url,
                        request_id,
                        retry_after_seconds,
                        idempotency_key,
                        attempts,
                        details,
                    } => NixflexErrorInfo {
                        kind: $kind.to_owned(),
                        message: message.clone(),
                        status: *status,
                        code: code.clone(),
                        error_type: error_type.clone(),
                        doc_url: doc_url.clone(),
                        request_id: request_id.clone(),
                        retry_after_seconds: *retry_after_seconds,
                        idempotency_key: idempotency_key.clone(),
                        attempts: *attempts,
                        details: details.clone(),
                    },)*
                }
            }
        }
    };
}

variants! {
    InvalidRequest => "invalid_request",
    Authentication => "authentication",
    PaymentRequired => "payment_required",
    PermissionDenied => "permission_denied",
    NotFound => "not_found",
    Conflict => "conflict",
    RateLimited => "rate_limited",
    Server => "server",
    Upstream => "upstream",
    UnexpectedStatus => "unexpected_status",
    Connection => "connection",
    Timeout => "timeout",
    Decode => "decode",
    Configuration => "configuration",
    Signature => "signature",
    Internal => "internal",
}

#[uniffi::export]
impl NixflexError {
    /// Every field with the kind's stable name, whatever the variant.
    pub fn info(&self) -> NixflexErrorInfo {
        self.fields()
    }
}

impl NixflexError {
    /// An error of `kind` (a stable name such as `not_found`) with only a message.
    pub(crate) fn new(kind: &str, message: impl Into<String>) -> NixflexError {
        NixflexError::from_parts(
            kind,
            NixflexErrorInfo {
                kind: kind.to_owned(),
                message: message.into(),
                status: None,
                code: None,
                error_type: None,
                doc_url: None,
                request_id: None,
                retry_after_seconds: None,
                idempotency_key: None,
                attempts: 0,
                details: None,
            },
        )
    }

    pub(crate) fn internal(message: impl Into<String>) -> NixflexError {
        NixflexError::new("internal", message)
    }

    pub(crate) fn invalid_request(message: impl Into<String>) -> NixflexError {
        NixflexError::new("invalid_request", message)
    }

    /// A decode error that keeps what came with the response.
    pub(crate) fn decode(why: impl Into<String>, meta: &nixflex::ResponseMeta) -> NixflexError {
        let mut info = NixflexError::new("decode", why).fields();
        info.status = Some(meta.status);
        info.request_id = meta.request_id.clone();
        info.attempts = meta.attempts;
        info.idempotency_key = meta.idempotency_key.clone();
        NixflexError::from_parts("decode", info)
    }
}

impl From<nixflex::Error> for NixflexError {
    fn from(e: nixflex::Error) -> NixflexError {
        // ErrorKind is non-exhaustive: a kind this binding does not know yet surfaces as
        // `Internal`.
        let kind = e.kind().as_str();
        NixflexError::from_parts(
            kind,
            NixflexErrorInfo {
                kind: kind.to_owned(),
                message: e.message().to_owned(),
                status: e.status(),
                code: e.code().map(str::to_owned),
                error_type: e.error_type().map(str::to_owned),
                doc_url: e.doc_url().map(str::to_owned),
                request_id: e.request_id().map(str::to_owned),
                retry_after_seconds: e.retry_after().map(|d| d.as_secs_f64()),
                idempotency_key: e.idempotency_key().map(str::to_owned),
                attempts: e.attempts(),
                details: e.details().map(|d| d.to_string()),
            },
        )
    }
}

impl fmt::Display for NixflexError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let info = self.fields();
        write!(f, "{}", info.message)?;
        match (info.status, &info.code) {
            (Some(status), Some(code)) => write!(f, " ({status} {code})")?,
            (Some(status), None) => write!(f, " ({status})")?,
            (None, Some(code)) => write!(f, " ({code})")?,
            (None, None) => {}
        }
        if let Some(id) = &info.request_id {
            write!(f, " [request {id}]")?;
        }
        Ok(())
    }
}

impl std::error::Error for NixflexError {}

#[cfg(test)]
mod tests {
    use super::*;
    use nixflex::ErrorKind;

    #[test]
    fn every_core_kind_keeps_its_name_and_fields() {
        let kinds = [
            ErrorKind::InvalidRequest,
            ErrorKind::Authentication,
            ErrorKind::PaymentRequired,
            ErrorKind::PermissionDenied,
            ErrorKind::NotFound,
            ErrorKind::Conflict,
            ErrorKind::RateLimited,
            ErrorKind::Server,
            ErrorKind::Upstream,
            ErrorKind::UnexpectedStatus,
            ErrorKind::Connection,
            ErrorKind::Timeout,
            ErrorKind::Decode,
            ErrorKind::Configuration,
            ErrorKind::Signature,
            ErrorKind::Internal,
        ];
        for kind in kinds {
            let err = NixflexError::from(nixflex::Error::new(kind, "boom"));
            let info = err.info();
            assert_eq!(info.kind, kind.as_str());
            assert_eq!(info.message, "boom");
            assert_eq!(NixflexError::from_parts(&info.kind, info.clone()), err);
        }
    }
}
