//! Values across the boundary: per-call options in, metadata out.

use std::time::Duration;

use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyTuple};

use nixflex::{RequestOptions, ResponseMeta};

/// Per-call options as the Python facade passes them:
/// `(timeout, deadline, max_retries, idempotency_key, headers)`, every part optional.
pub type OptionsIn = (
    Option<f64>,
    Option<f64>,
    Option<u32>,
    Option<String>,
    Vec<(String, String)>,
);

fn seconds(py: Python<'_>, name: &str, value: Option<f64>) -> PyResult<Option<Duration>> {
    match value {
        None => Ok(None),
        Some(v) if v.is_finite() && v > 0.0 && v < 1e9 => Ok(Some(Duration::from_secs_f64(v))),
        Some(v) => Err(crate::errors::invalid(
            py,
            format!("{name} must be a positive number of seconds, got {v}"),
        )),
    }
}

/// The core's options from the facade's tuple.
pub fn options(py: Python<'_>, raw: Option<OptionsIn>) -> PyResult<RequestOptions> {
    let Some((timeout, deadline, max_retries, idempotency_key, headers)) = raw else {
        return Ok(RequestOptions::default());
    };
    Ok(RequestOptions {
        timeout: seconds(py, "timeout", timeout)?,
        deadline: seconds(py, "deadline", deadline)?,
        max_retries,
        idempotency_key,
        headers,
    })
}

/// Path parameters or query pairs, as the core takes them.
pub type Pairs = Vec<(String, String)>;

/// The response headers as `(name, value)` pairs (names are lowercase).
pub fn headers(meta: &ResponseMeta) -> Vec<(String, String)> {
    meta.headers
        .iter()
        .map(|(name, value)| {
            (
                name.as_str().to_owned(),
                String::from_utf8_lossy(value.as_bytes()).into_owned(),
            )
        })
        .collect()
}

/// `(status, headers, request_id, attempts, idempotency_key)`.
pub fn meta<'py>(py: Python<'py>, meta: &ResponseMeta) -> PyResult<Bound<'py, PyTuple>> {
    (
        meta.status,
        headers(meta),
        meta.request_id.as_deref(),
        meta.attempts,
        meta.idempotency_key.as_deref(),
    )
        .into_pyobject(py)
}

/// The body alone, or `(body, meta)` when the caller asked for the metadata.
pub fn result<'py>(
    py: Python<'py>,
    body: &[u8],
    meta_of: Option<&ResponseMeta>,
) -> PyResult<Bound<'py, PyAny>> {
    let body = PyBytes::new(py, body);
    match meta_of {
        None => Ok(body.into_any()),
        Some(m) => Ok((body, meta(py, m)?).into_pyobject(py)?.into_any()),
    }
}
