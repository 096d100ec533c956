//! The uniffi surface of the Nixflex SDK, from which the Swift package `Nixflex` and the Kotlin
//! package `com.nixflex` are generated (library mode: `uniffi-bindgen generate --library`).
//!
//! It converts values and errors and owns the async glue; every HTTP behaviour (retries,
//! idempotency, pagination, errors by status) is the core's. One file per concern:
//! `runtime.rs` (the tokio runtime, panic guards), `errors.rs` (`NixflexError`), `client.rs`
//! (the client, its options, escape hatches), `api.rs` and `pager.rs` (what generated methods
//! call), `meta.rs` (the metadata of typed calls, on request), `convert.rs` (JSON text, bodies), `webhooks.rs`, and `generated/` (the typed records
//! and the 78 operations, from `spec/` by `tools/codegen`).

// `NixflexError`'s shape is the FFI contract (every field in every variant, as Swift and Kotlin
// see it), so results carry a large error; it is built only on failure.
#![allow(clippy::result_large_err)]

uniffi::setup_scaffolding!();

mod api;
mod client;
mod convert;
mod diagnostics;
mod errors;
mod generated;
mod meta;
mod pager;
mod runtime;
mod webhooks;

pub use client::{
    ClientConfig, NixflexClient, RawResponse, RequestOptions, create_key_for_product,
    operation_ids, sdk_version,
};
pub use diagnostics::{debug_panic, debug_panic_async, debug_panic_next_call};
pub use errors::{NixflexError, NixflexErrorInfo};
pub use generated::models::*;
pub use generated::resources::*;
pub use meta::{ResponseMeta, ResponseRecorder};
pub use webhooks::{WebhookEvent, construct_webhook_event, sign_webhook, verify_webhook_signature};

#[cfg(test)]
mod tests {
    /// Every `#[uniffi::export]` whose item has an `async fn` runs on tokio: without it, reqwest
    /// finds no reactor (uniffi-rs#2223).
    #[test]
    fn every_async_export_names_the_tokio_runtime() {
        fn sources(dir: &std::path::Path, out: &mut Vec<(String, String)>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    sources(&path, out);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    out.push((
                        path.display().to_string(),
                        std::fs::read_to_string(&path).unwrap(),
                    ));
                }
            }
        }
        let mut files = Vec::new();
        sources(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
            &mut files,
        );
        let mut checked = 0;
        for (path, text) in files {
            let lines: Vec<&str> = text.lines().collect();
            for (i, line) in lines.iter().enumerate() {
                if !line.trim_start().starts_with("#[uniffi::export") {
                    continue;
                }
                // The item runs to the next line that closes a top-level item.
                let item = lines[i + 1..].iter().take_while(|l| **l != "}");
                if item.clone().any(|l| l.contains("async fn")) {
                    checked += 1;
                    assert!(
                        line.contains("async_runtime = \"tokio\""),
                        "{path}:{}: an async export without async_runtime = \"tokio\"",
                        i + 1
                    );
                }
            }
        }
        assert!(checked > 30, "only {checked} async exports found");
    }
}
