//! The native half of the Python package `nixflex`: `nixflex._native`.
//!
//! Thin by design: it converts values and errors and owns the runtime and the async glue. Every
//! HTTP behaviour (retries, idempotency keys, backoff, pagination, path encoding, webhook
//! signatures) comes from the core crate `nixflex`. Results cross the boundary as JSON bytes and
//! Python's own `json.loads` builds the objects.
//!
//! - `runtime.rs`: one lazily built tokio runtime per process, rebuilt after `fork()`.
//! - `client.rs`: the native client (sync `call`, async `submit`) and `create_key`.
//! - `bridge.rs`: completes many asyncio futures per event-loop wake-up.
//! - `paginator.rs`: walks over paginated operations.
//! - `errors.rs`: core errors to the Python classes of `nixflex._errors`.
//! - `convert.rs`: options and metadata across the boundary.
//! - `logging.rs`: `tracing` events to Python's `logging` (logger `nixflex`).
//! - `webhooks.rs`: signature checks.

mod bridge;
mod client;
mod convert;
mod errors;
mod logging;
mod paginator;
mod runtime;
mod webhooks;

use pyo3::prelude::*;

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    logging::install();
    m.add("__version__", client::VERSION)?;
    m.add("CORE_VERSION", nixflex::VERSION)?;
    m.add_class::<client::NativeClient>()?;
    m.add_class::<paginator::NativePaginator>()?;
    m.add_class::<bridge::Completions>()?;
    m.add_function(wrap_pyfunction!(client::create_key, m)?)?;
    m.add_function(wrap_pyfunction!(client::operation_ids, m)?)?;
    m.add_function(wrap_pyfunction!(logging::set_log_level, m)?)?;
    m.add_function(wrap_pyfunction!(runtime::runtime_generation, m)?)?;
    m.add_function(wrap_pyfunction!(webhooks::verify_webhook_signature, m)?)?;
    m.add_function(wrap_pyfunction!(webhooks::construct_event, m)?)?;
    m.add_function(wrap_pyfunction!(webhooks::sign, m)?)?;
    m.add_function(wrap_pyfunction!(webhooks::compute_signature, m)?)?;
    Ok(())
}
