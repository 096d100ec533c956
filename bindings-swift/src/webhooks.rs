//! Webhook signatures: `X-Nixflex-Signature: t=<unix>,v1=<hex>`, checked by the core.

use std::time::Duration;

use crate::errors::NixflexError;
use crate::runtime::guard;

/// A verified webhook delivery.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct WebhookEvent {
    /// The event's `event` field (`call.completed`, …), when it has one.
    pub event: Option<String>,
    /// The whole event, as JSON text.
    pub json: String,
}

/// The official boolean check: `true` only for a well-formed `X-Nixflex-Signature` header whose
/// signature matches `raw_body` with `secret` within `tolerance_seconds` of `now` (unix seconds,
/// default: the clock). A missing header (`None`, as frameworks report an absent one) is
/// `false`. Never throws.
#[uniffi::export(default(tolerance_seconds = 300, now = None))]
pub fn verify_webhook_signature(
    raw_body: Vec<u8>,
    header: Option<String>,
    secret: String,
    tolerance_seconds: u64,
    now: Option<i64>,
) -> bool {
    guard(|| {
        let Some(header) = header else {
            return Ok(false);
        };
        Ok(nixflex::webhooks::verify_webhook_signature(
            &raw_body,
            &header,
            &secret,
            Duration::from_secs(tolerance_seconds),
            now,
        ))
    })
    .unwrap_or(false)
}

/// The strict check: the parsed event when the header verifies with any of `secrets` (several
/// during a key rotation), else a `Signature` error whose `code` names the problem
/// (`missing_signature`, `malformed_signature`, `timestamp_out_of_tolerance`,
/// `signature_mismatch`, `invalid_payload`).
#[uniffi::export(default(tolerance_seconds = 300, now = None))]
pub fn construct_webhook_event(
    raw_body: Vec<u8>,
    header: Option<String>,
    secrets: Vec<String>,
    tolerance_seconds: u64,
    now: Option<i64>,
) -> Result<WebhookEvent, NixflexError> {
    guard(|| {
        let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();
        let event = nixflex::webhooks::construct_event(
            &raw_body,
            header.as_deref(),
            &secrets,
            Duration::from_secs(tolerance_seconds),
            now,
        )?;
        Ok(WebhookEvent {
            event: event
                .get("event")
                .and_then(|e| e.as_str())
                .map(str::to_owned),
            json: event.to_string(),
        })
    })
}

/// The header Nixflex would send for `raw_body` signed with `secret` at `timestamp` (unix
/// seconds, default: now): for tests and local tools.
#[uniffi::export(default(timestamp = None))]
pub fn sign_webhook(
    raw_body: Vec<u8>,
    secret: String,
    timestamp: Option<i64>,
) -> Result<String, NixflexError> {
    guard(|| {
        let timestamp = match timestamp {
            Some(t) => t,
            None => std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_err(|e| NixflexError::internal(format!("the clock is before 1970: {e}")))?
                .as_secs() as i64,
        };
        Ok(nixflex::webhooks::sign(&raw_body, &secret, timestamp))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "nxfs_testsecret_0123456789abcdef";
    const BODY: &[u8] = br#"{"event":"call.completed","call_id":"CA123"}"#;
    const T: i64 = 1755300000;
    const GOLDEN: &str =
        "t=1755300000,v1=8244940dd2d19c8d603cfd55b40de1cd94b98de4aca1f56b98cdd5f44ea98031";

    #[test]
    fn golden_vector() {
        assert_eq!(
            sign_webhook(BODY.to_vec(), SECRET.into(), Some(T)).unwrap(),
            GOLDEN
        );
        assert!(verify_webhook_signature(
            BODY.to_vec(),
            Some(GOLDEN.into()),
            SECRET.into(),
            300,
            Some(T)
        ));
        assert!(!verify_webhook_signature(
            BODY.to_vec(),
            None,
            SECRET.into(),
            300,
            Some(T)
        ));
        let event = construct_webhook_event(
            BODY.to_vec(),
            Some(GOLDEN.into()),
            vec![SECRET.into()],
            300,
            Some(T),
        )
        .unwrap();
        assert_eq!(event.event.as_deref(), Some("call.completed"));
        let err = construct_webhook_event(BODY.to_vec(), None, vec![SECRET.into()], 300, Some(T))
            .unwrap_err();
        assert_eq!(err.info().kind, "signature");
        assert_eq!(err.info().code.as_deref(), Some("missing_signature"));
    }
}
