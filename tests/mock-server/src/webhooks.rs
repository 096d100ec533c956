//! Signed webhook deliveries (`X-Nixflex-Signature: t=<unix>,v1=<hex>`), with the API's retry
//! rules and a per-tenant log of every attempt for tests to inspect.

use crate::tenants::Tenant;
use hmac::{Hmac, Mac};
use parking_lot::Mutex;
use serde_json::{Value, json};
use sha2::Sha256;
use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;

const MAX_ATTEMPTS: u32 = 5;
const LOG_CAPACITY: usize = 10_000;

/// Lowercase hex HMAC-SHA256 of `"<t>.<raw body>"` keyed with the key secret.
pub fn sign(secret: &str, t: i64, body: &[u8]) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
    mac.update(t.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    hex::encode(mac.finalize().into_bytes())
}

pub fn signature_header(secret: &str, t: i64, body: &[u8]) -> String {
    format!("t={t},v1={}", sign(secret, t, body))
}

#[derive(Default)]
pub struct DeliveryLog {
    inner: Mutex<VecDeque<Value>>,
}

impl DeliveryLog {
    fn push(&self, v: Value) {
        let mut l = self.inner.lock();
        if l.len() >= LOG_CAPACITY {
            l.pop_front();
        }
        l.push_back(v);
    }

    pub fn list(&self) -> Vec<Value> {
        self.inner.lock().iter().cloned().collect()
    }

    pub fn clear(&self) {
        self.inner.lock().clear();
    }
}

/// What the API retries: 5xx, 408, 429 and network errors. Other 4xx are final.
fn retryable(status: Option<u16>) -> bool {
    match status {
        None => true,
        Some(s) => s >= 500 || s == 408 || s == 429,
    }
}

/// Delivers one event to one URL: up to five attempts, re-signed each time with the tenant's
/// current secret and clock (a rotated key signs its next attempt with the new secret).
pub async fn deliver(
    client: reqwest::Client,
    tenant: Arc<Tenant>,
    url: String,
    event: String,
    call_id: String,
    body: String,
) {
    for attempt in 1..=MAX_ATTEMPTS {
        let cfg = tenant.config();
        let t = cfg.now_ms().div_euclid(1000);
        let signature = signature_header(&tenant.secret(), t, body.as_bytes());
        let result = client
            .post(&url)
            .header("content-type", "application/json")
            .header("user-agent", "Nixflex-Webhooks/1.0 (mock)")
            .header("x-nixflex-signature", &signature)
            .body(body.clone())
            .send()
            .await;
        let (status, error) = match result {
            Ok(resp) => (Some(resp.status().as_u16()), None),
            Err(e) => (None, Some(e.to_string())),
        };
        tenant.deliveries.push(json!({
            "url": url,
            "event": event,
            "call_id": call_id,
            "attempt": attempt,
            "status": status,
            "error": error,
            "signature": signature,
            "body": body,
            "at_ms": cfg.now_ms(),
        }));
        if !retryable(status) || attempt == MAX_ATTEMPTS {
            return;
        }
        let delays = &cfg.webhook_retry_delays_ms;
        let delay = delays
            .get(attempt as usize - 1)
            .or(delays.last())
            .copied()
            .unwrap_or(0);
        tokio::time::sleep(Duration::from_millis(delay)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn golden_vector() {
        let body = br#"{"event":"call.completed","call_id":"CA123"}"#;
        assert_eq!(
            sign("nxfs_testsecret_0123456789abcdef", 1_755_300_000, body),
            "8244940dd2d19c8d603cfd55b40de1cd94b98de4aca1f56b98cdd5f44ea98031"
        );
        assert_eq!(
            signature_header("nxfs_testsecret_0123456789abcdef", 1_755_300_000, body),
            "t=1755300000,v1=8244940dd2d19c8d603cfd55b40de1cd94b98de4aca1f56b98cdd5f44ea98031"
        );
    }

    #[test]
    fn reference_worked_example() {
        assert_eq!(
            sign(
                "nxfs_test_secret",
                1_779_500_000,
                br#"{"event":"webhook.test"}"#
            ),
            "2f2c0ad3dd2ceafa663145b771d514a23d78e6d0a2746344beeb43cc32a24cc8"
        );
    }

    #[test]
    fn retry_rules() {
        assert!(retryable(None));
        assert!(retryable(Some(500)));
        assert!(retryable(Some(503)));
        assert!(retryable(Some(408)));
        assert!(retryable(Some(429)));
        assert!(!retryable(Some(400)));
        assert!(!retryable(Some(404)));
        assert!(!retryable(Some(200)));
        assert!(!retryable(Some(301)));
    }
}
