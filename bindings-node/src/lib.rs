//! The native half of the npm package `nixflex`: a thin napi-rs layer over the core crate.
//!
//! It converts values and errors and owns the async glue; every HTTP behaviour (retries,
//! idempotency, pagination, path encoding, webhook signatures) comes from the core. The
//! TypeScript facade in `ts/` is the public API; this module is private to it.
//!
//! - `client.rs`: the client, one call per operation id, with or without the response metadata;
//! - `pager.rs`: walks over paginated operations;
//! - `cancel.rs`: abort tokens that an `AbortSignal` fires;
//! - `errors.rs`: every failure as one error shape the facade maps to its classes;
//! - `convert.rs`: options and metadata across the boundary;
//! - `webhooks.rs`: signature checks;
//! - `logging.rs`: `NIXFLEX_LOG` to stderr.
//!
//! Runtime: napi's own tokio runtime runs every future. A pending call keeps Node's event loop
//! alive through its promise only; nothing else holds a handle, so the process exits as soon as
//! the user's work is done.

#![deny(clippy::all)]
// napi-derive registers exports only outside `cfg(test)`, where they would look unused.
#![cfg_attr(test, allow(dead_code))]

mod cancel;
mod client;
mod convert;
mod errors;
mod logging;
mod pager;
mod webhooks;
