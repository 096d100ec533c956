//! Webhook signatures: `X-Nixflex-Signature: t=<unix seconds>,v1=<hex>`, an HMAC-SHA256 over
//! `"<t>.<raw body>"` keyed with the `nxfs_…` key secret.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::Sha256;

use crate::error::{Error, ErrorKind, Result};

/// How far the signed time may be from now, either way, unless configured otherwise.
pub const DEFAULT_TOLERANCE: Duration = Duration::from_secs(300);

/// The name of the header deliveries carry.
pub const SIGNATURE_HEADER: &str = "X-Nixflex-Signature";

/// Why a delivery was rejected; [`Error::code`] of a signature error is one of these.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureProblem {
    /// There was no signature header.
    MissingHeader,
    /// The header is not `t=<unix seconds>,v1=<64 hex>`.
    MalformedHeader,
    /// The signed time is further than the tolerance from now.
    TimestampOutOfTolerance,
    /// No secret produces this signature over this body.
    SignatureMismatch,
    /// The signature is right but the body is not a JSON object.
    InvalidPayload,
}

impl SignatureProblem {
    /// A stable code, the same in every language.
    pub fn code(self) -> &'static str {
        match self {
            SignatureProblem::MissingHeader => "missing_signature",
            SignatureProblem::MalformedHeader => "malformed_signature",
            SignatureProblem::TimestampOutOfTolerance => "timestamp_out_of_tolerance",
            SignatureProblem::SignatureMismatch => "signature_mismatch",
            SignatureProblem::InvalidPayload => "invalid_payload",
        }
    }
}

fn signature_error(problem: SignatureProblem, message: String) -> Error {
    let mut err = Error::new(ErrorKind::Signature, message);
    err.inner.code = Some(problem.code().to_owned());
    err
}

fn mac(secret: &str, timestamp: &str, raw_body: &[u8]) -> Hmac<Sha256> {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
    mac.update(timestamp.as_bytes());
    mac.update(b".");
    mac.update(raw_body);
    mac
}

/// The hex signature of `raw_body` signed at `timestamp` with `secret`.
pub fn compute_signature(raw_body: &[u8], secret: &str, timestamp: i64) -> String {
    hex::encode(
        mac(secret, &timestamp.to_string(), raw_body)
            .finalize()
            .into_bytes(),
    )
}

/// The header value Nixflex would send for `raw_body` at `timestamp`: for tests and local tools.
///
/// ```
/// let header = nixflex::webhooks::sign(br#"{"event":"call.completed","call_id":"CA123"}"#,
///     "nxfs_testsecret_0123456789abcdef", 1755300000);
/// assert_eq!(header,
///     "t=1755300000,v1=8244940dd2d19c8d603cfd55b40de1cd94b98de4aca1f56b98cdd5f44ea98031");
/// ```
pub fn sign(raw_body: &[u8], secret: &str, timestamp: i64) -> String {
    format!(
        "t={timestamp},v1={}",
        compute_signature(raw_body, secret, timestamp)
    )
}

struct Parsed<'a> {
    timestamp: &'a str,
    seconds: i64,
    signatures: Vec<[u8; 32]>,
}

fn parse_header(header: &str) -> Option<Parsed<'_>> {
    let mut timestamp = None;
    let mut signatures = Vec::new();
    for part in header.split(',') {
        let (name, value) = part.trim().split_once('=')?;
        match name.trim() {
            "t" => timestamp = Some(value.trim()),
            "v1" => {
                let value = value.trim();
                let lower_hex = value.len() == 64
                    && value
                        .bytes()
                        .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
                if lower_hex {
                    let mut bytes = [0u8; 32];
                    hex::decode_to_slice(value, &mut bytes).ok()?;
                    signatures.push(bytes);
                }
            }
            _ => {}
        }
    }
    let timestamp = timestamp?;
    let seconds = timestamp.parse::<i64>().ok()?;
    (!signatures.is_empty()).then_some(Parsed {
        timestamp,
        seconds,
        signatures,
    })
}

fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// Checks a delivery against any of `secrets` (several during a key rotation) and returns the
/// parsed event, or a [`ErrorKind::Signature`] error whose code names the problem. `now`
/// defaults to the clock, in unix seconds.
pub fn construct_event(
    raw_body: &[u8],
    header: Option<&str>,
    secrets: &[&str],
    tolerance: Duration,
    now: Option<i64>,
) -> Result<Value> {
    let header = header.filter(|h| !h.trim().is_empty()).ok_or_else(|| {
        signature_error(
            SignatureProblem::MissingHeader,
            format!("no {SIGNATURE_HEADER} header"),
        )
    })?;
    let parsed = parse_header(header).ok_or_else(|| {
        signature_error(
            SignatureProblem::MalformedHeader,
            format!("{SIGNATURE_HEADER} is not t=<unix seconds>,v1=<64 lowercase hex>"),
        )
    })?;
    let now = now.unwrap_or_else(unix_now);
    let skew = now.abs_diff(parsed.seconds);
    if skew > tolerance.as_secs() {
        return Err(signature_error(
            SignatureProblem::TimestampOutOfTolerance,
            format!(
                "the signature was made {skew} s from now, beyond the {} s tolerance",
                tolerance.as_secs()
            ),
        ));
    }
    let matches = secrets.iter().any(|secret| {
        parsed.signatures.iter().any(|signature| {
            // verify_slice compares in constant time.
            mac(secret, parsed.timestamp, raw_body)
                .verify_slice(signature)
                .is_ok()
        })
    });
    if !matches {
        return Err(signature_error(
            SignatureProblem::SignatureMismatch,
            "the signature does not match the body with any of the given secrets".to_owned(),
        ));
    }
    match serde_json::from_slice::<Value>(raw_body) {
        Ok(event @ Value::Object(_)) => Ok(event),
        _ => Err(signature_error(
            SignatureProblem::InvalidPayload,
            "the signed body is not a JSON object".to_owned(),
        )),
    }
}

/// The official boolean check: `true` only for a well-formed header whose signature matches
/// `raw_body` with `secret` within `tolerance` of `now`. Never fails.
pub fn verify_webhook_signature(
    raw_body: &[u8],
    header: &str,
    secret: &str,
    tolerance: Duration,
    now: Option<i64>,
) -> bool {
    let Some(parsed) = parse_header(header) else {
        return false;
    };
    let now = now.unwrap_or_else(unix_now);
    if now.abs_diff(parsed.seconds) > tolerance.as_secs() {
        return false;
    }
    parsed.signatures.iter().any(|signature| {
        mac(secret, parsed.timestamp, raw_body)
            .verify_slice(signature)
            .is_ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "nxfs_testsecret_0123456789abcdef";
    const BODY: &[u8] = br#"{"event":"call.completed","call_id":"CA123"}"#;
    const T: i64 = 1755300000;
    const GOLDEN: &str = "8244940dd2d19c8d603cfd55b40de1cd94b98de4aca1f56b98cdd5f44ea98031";

    fn header() -> String {
        format!("t={T},v1={GOLDEN}")
    }

    #[test]
    fn golden_vector() {
        assert_eq!(compute_signature(BODY, SECRET, T), GOLDEN);
        assert!(verify_webhook_signature(
            BODY,
            &header(),
            SECRET,
            DEFAULT_TOLERANCE,
            Some(T)
        ));
        let event =
            construct_event(BODY, Some(&header()), &[SECRET], DEFAULT_TOLERANCE, Some(T)).unwrap();
        assert_eq!(event["call_id"], "CA123");
    }

    #[test]
    fn tolerance_edges_both_ways() {
        for (now, ok) in [
            (T + 300, true),
            (T + 301, false),
            (T - 300, true),
            (T - 301, false),
        ] {
            assert_eq!(
                verify_webhook_signature(BODY, &header(), SECRET, DEFAULT_TOLERANCE, Some(now)),
                ok,
                "{now}"
            );
            let strict = construct_event(
                BODY,
                Some(&header()),
                &[SECRET],
                DEFAULT_TOLERANCE,
                Some(now),
            );
            assert_eq!(strict.is_ok(), ok);
            if !ok {
                assert_eq!(
                    strict.unwrap_err().code(),
                    Some("timestamp_out_of_tolerance")
                );
            }
        }
    }

    #[test]
    fn tampering_and_malformed_headers_are_rejected() {
        let tampered = br#"{"event":"call.completed","call_id":"CA124"}"#;
        assert!(!verify_webhook_signature(
            tampered,
            &header(),
            SECRET,
            DEFAULT_TOLERANCE,
            Some(T)
        ));
        assert!(!verify_webhook_signature(
            BODY,
            &header(),
            "nxfs_other",
            DEFAULT_TOLERANCE,
            Some(T)
        ));
        for bad in [
            "",
            "t=1755300000",
            &format!("v1={GOLDEN}"),
            &format!("t=abc,v1={GOLDEN}"),
            &format!("t={T},v1={}", GOLDEN.to_uppercase()),
            &format!("t={T},v1={}", &GOLDEN[..63]),
            "garbage",
        ] {
            assert!(
                !verify_webhook_signature(BODY, bad, SECRET, DEFAULT_TOLERANCE, Some(T)),
                "{bad}"
            );
        }
        let code = |h: Option<&str>, body: &[u8]| {
            construct_event(body, h, &[SECRET], DEFAULT_TOLERANCE, Some(T))
                .unwrap_err()
                .code()
                .unwrap()
                .to_owned()
        };
        assert_eq!(code(None, BODY), "missing_signature");
        assert_eq!(code(Some("t=1"), BODY), "malformed_signature");
        assert_eq!(code(Some(&header()), tampered), "signature_mismatch");
    }

    #[test]
    fn any_of_several_secrets_verifies() {
        let event = construct_event(
            BODY,
            Some(&header()),
            &["nxfs_old", SECRET],
            DEFAULT_TOLERANCE,
            Some(T),
        );
        assert!(event.is_ok());
        // The matching secret first, then last of three: each position is tried.
        for secrets in [
            [SECRET, "nxfs_old", "nxfs_other"],
            ["nxfs_old", "nxfs_other", SECRET],
        ] {
            let event =
                construct_event(BODY, Some(&header()), &secrets, DEFAULT_TOLERANCE, Some(T));
            assert!(event.is_ok(), "{secrets:?}");
        }
        let none = construct_event(
            BODY,
            Some(&header()),
            &["nxfs_old", "nxfs_other"],
            DEFAULT_TOLERANCE,
            Some(T),
        );
        assert!(none.is_err());
        let two = format!("t={T},v1={},v1={GOLDEN}", "0".repeat(64));
        assert!(verify_webhook_signature(
            BODY,
            &two,
            SECRET,
            DEFAULT_TOLERANCE,
            Some(T)
        ));
    }

    #[test]
    fn signed_non_objects_are_invalid_payloads() {
        let header = sign(b"[1,2]", SECRET, T);
        let err = construct_event(
            b"[1,2]",
            Some(&header),
            &[SECRET],
            DEFAULT_TOLERANCE,
            Some(T),
        )
        .unwrap_err();
        assert_eq!(err.code(), Some("invalid_payload"));
    }
}
