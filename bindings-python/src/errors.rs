//! Core errors to Python exceptions: the one place a `nixflex::Error` becomes a Python object.
//!
//! The classes are pure Python (`nixflex._errors`: picklable, with attributes and docs); the
//! table from kind to class lives there too (`_from_native`), looked up once here.

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;

static FACTORY: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

fn factory(py: Python<'_>) -> PyResult<&Bound<'_, PyAny>> {
    FACTORY.import(py, "nixflex._errors", "_from_native")
}

/// The Python exception instance for a core error.
pub fn instance<'py>(py: Python<'py>, err: &nixflex::Error) -> PyResult<Bound<'py, PyAny>> {
    let details = err
        .details()
        .map(|d| serde_json::to_string(d).unwrap_or_else(|_| "null".to_owned()));
    let retry_after = err.retry_after().map(|d| d.as_secs_f64());
    factory(py)?.call1((
        err.kind().as_str(),
        err.message(),
        err.status(),
        err.code(),
        err.error_type(),
        err.doc_url(),
        details,
        err.request_id(),
        retry_after,
        err.idempotency_key(),
        err.attempts(),
    ))
}

/// The `PyErr` to raise for a core error.
pub fn to_py(py: Python<'_>, err: &nixflex::Error) -> PyErr {
    match instance(py, err) {
        Ok(exc) => PyErr::from_value(exc),
        Err(failure) => failure,
    }
}

/// An internal error (a bug, or a misuse the core cannot see) as the SDK's own class.
pub fn internal(py: Python<'_>, message: &str) -> PyErr {
    to_py(
        py,
        &nixflex::Error::new(nixflex::ErrorKind::Internal, message),
    )
}

/// A misuse the SDK detects before sending anything (`NixflexUsageError`): not a bug, so not
/// `internal`. The core has no such kind, so the class is named here directly.
pub fn usage(py: Python<'_>, message: &str) -> PyErr {
    let built = factory(py).and_then(|f| {
        f.call1((
            "usage",
            message,
            None::<u16>,
            None::<&str>,
            None::<&str>,
            None::<&str>,
            None::<String>,
            None::<&str>,
            None::<f64>,
            None::<&str>,
            0u32,
        ))
    });
    match built {
        Ok(exc) => PyErr::from_value(exc),
        Err(failure) => failure,
    }
}

/// An invalid-request error raised before anything is sent.
pub fn invalid(py: Python<'_>, message: impl Into<String>) -> PyErr {
    to_py(
        py,
        &nixflex::Error::new(nixflex::ErrorKind::InvalidRequest, message),
    )
}
