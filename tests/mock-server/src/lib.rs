//! `nixflex-mock`: a faithful, fast, stateful, in-memory Nixflex API for tests, demos and
//! benchmarks. Start one in-process with [`spawn`]; drive its admin API (`/__mock/...`, see the
//! crate's README) to script faults, inspect the journal and shape each tenant's behaviour.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! let mock = nixflex_mock::spawn(nixflex_mock::MockConfig::default()).await?;
//! println!("{}", mock.url()); // http://127.0.0.1:PORT
//! # Ok(()) }
//! ```

mod admin;
mod api;
mod app;
mod auth;
mod clock;
mod errors;
mod faults;
mod idempotency;
mod ids;
mod journal;
mod lifecycle;
mod lists;
mod ops;
mod routes;
mod server;
mod spec;
mod tenants;
mod validate;
mod webhooks;

pub use server::{MockConfig, MockHandle, spawn};
pub use tenants::ListShape;

/// The OpenAPI document the mock was built with (`spec/openapi.json`).
pub fn spec_json() -> &'static str {
    spec::spec_text()
}

/// The value of `X-Nixflex-Signature` the mock sends: `t=<t>,v1=<hex HMAC-SHA256 of "<t>.<body>">`.
pub fn webhook_signature(secret: &str, t: i64, body: &[u8]) -> String {
    webhooks::signature_header(secret, t, body)
}

/// Operation ids of the spec that have no handler (empty when the mock covers the spec).
pub fn unhandled_operations() -> Vec<String> {
    spec::spec()
        .ops
        .iter()
        // `keys.create` has no tenant yet and is served by the pipeline itself.
        .filter(|o| o.auth && ops::handler(&o.id).is_none())
        .map(|o| o.id.clone())
        .collect()
}
