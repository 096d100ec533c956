//! Per-request options: what a caller may change for one call.

use std::time::Duration;

/// Options for one logical call (all its attempts). Unset fields fall back to the client's
/// configuration.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestOptions {
    /// Timeout of each attempt.
    pub timeout: Option<Duration>,
    /// Bound on all attempts and waits together.
    pub deadline: Option<Duration>,
    /// How many more attempts after the first.
    pub max_retries: Option<u32>,
    /// The `Idempotency-Key` to send (mutations get a fresh UUIDv4 when unset).
    pub idempotency_key: Option<String>,
    /// Extra headers, sent after (and so overriding) the client's default headers.
    pub headers: Vec<(String, String)>,
}

impl RequestOptions {
    /// Options that change nothing.
    pub fn new() -> RequestOptions {
        RequestOptions::default()
    }

    /// Sets the per-attempt timeout.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Sets the total deadline of the call.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// Sets how many retries the call may make.
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = Some(max_retries);
        self
    }

    /// Sets the idempotency key (re-issue a failed mutation with the key its error carries).
    pub fn idempotency_key(mut self, key: impl Into<String>) -> Self {
        self.idempotency_key = Some(key.into());
        self
    }

    /// Adds a header to this call.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }
}
