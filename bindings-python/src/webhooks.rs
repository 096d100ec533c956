//! Webhook signatures, from the core: the official boolean check, the strict one that returns
//! the event, and the signing helpers for tests.

use std::time::Duration;

use pyo3::prelude::*;
use pyo3::types::PyBytes;

fn tolerance(seconds: f64) -> Duration {
    if seconds.is_finite() && seconds > 0.0 {
        Duration::from_secs_f64(seconds.min(1e12))
    } else {
        Duration::ZERO
    }
}

/// `true` only for a well-formed header whose signature matches; never raises.
#[pyfunction]
#[pyo3(signature = (raw_body, header, secret, tolerance_seconds, now=None))]
pub fn verify_webhook_signature(
    py: Python<'_>,
    raw_body: &[u8],
    header: &str,
    secret: &str,
    tolerance_seconds: f64,
    now: Option<i64>,
) -> bool {
    py.detach(|| {
        nixflex::webhooks::verify_webhook_signature(
            raw_body,
            header,
            secret,
            tolerance(tolerance_seconds),
            now,
        )
    })
}

/// The event as JSON bytes, or a signature error naming the problem.
#[pyfunction]
#[pyo3(signature = (raw_body, header, secrets, tolerance_seconds, now=None))]
pub fn construct_event<'py>(
    py: Python<'py>,
    raw_body: &[u8],
    header: Option<&str>,
    secrets: Vec<String>,
    tolerance_seconds: f64,
    now: Option<i64>,
) -> PyResult<Bound<'py, PyBytes>> {
    let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();
    match nixflex::webhooks::construct_event(
        raw_body,
        header,
        &secrets,
        tolerance(tolerance_seconds),
        now,
    ) {
        Ok(_) => Ok(PyBytes::new(py, raw_body)),
        Err(err) => Err(crate::errors::to_py(py, &err)),
    }
}

/// The header value Nixflex would send for `raw_body` at `timestamp`.
#[pyfunction]
pub fn sign(raw_body: &[u8], secret: &str, timestamp: i64) -> String {
    nixflex::webhooks::sign(raw_body, secret, timestamp)
}

/// The hex signature of `raw_body` at `timestamp`.
#[pyfunction]
pub fn compute_signature(raw_body: &[u8], secret: &str, timestamp: i64) -> String {
    nixflex::webhooks::compute_signature(raw_body, secret, timestamp)
}
