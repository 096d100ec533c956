//! Exports that exist so tests in every language can prove that a Rust panic never crosses the
//! FFI: it surfaces as `NixflexError.Internal`. Never call them in an app.

use crate::errors::NixflexError;
use crate::runtime::{guard, run};

/// Panics inside the SDK on purpose (test support only): the call fails with an `Internal`
/// error carrying `message`.
#[uniffi::export]
pub fn debug_panic(message: String) -> Result<(), NixflexError> {
    guard(|| panic!("{message}"))
}

/// Panics inside an async call of the SDK on purpose (test support only): the call fails with
/// an `Internal` error carrying `message`.
#[uniffi::export(async_runtime = "tokio")]
pub async fn debug_panic_async(message: String) -> Result<(), NixflexError> {
    run(async move { panic!("{message}") }).await
}
