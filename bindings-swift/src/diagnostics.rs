//! Exports that exist so tests in every language can prove that a Rust panic never crosses the
//! FFI: it surfaces as `NixflexError.Internal`. Never call them in an app.

use std::sync::Mutex;

use crate::errors::NixflexError;
use crate::runtime::{guard, run};

/// The operation id whose next typed call panics, and the panic's message.
static ARMED: Mutex<Option<(String, String)>> = Mutex::new(None);

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

/// Makes the next typed call of `operation_id` (`agents.create`, …), from any client, panic
/// while it builds its parameters (test support only): that call fails with an `Internal` error
/// carrying `message`, and later calls run normally.
#[uniffi::export]
pub fn debug_panic_next_call(operation_id: String, message: String) -> Result<(), NixflexError> {
    guard(|| {
        *ARMED.lock().unwrap_or_else(|e| e.into_inner()) = Some((operation_id, message));
        Ok(())
    })
}

/// Panics when a test armed `op`, once.
pub(crate) fn panic_if_armed(op: &str) {
    let mut armed = ARMED.lock().unwrap_or_else(|e| e.into_inner());
    if armed.as_ref().is_some_and(|(id, _)| id == op) {
        let (_, message) = armed.take().unwrap_or_default();
        drop(armed);
        panic!("{message}");
    }
}
