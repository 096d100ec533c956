//! The official Nixflex API client.
//!
//! One core implements authentication, requests, retries, idempotency and pagination for every
//! Nixflex SDK; this crate is also the Rust SDK itself.
//!
//! ```no_run
//! # async fn run() -> nixflex::Result<()> {
//! use nixflex::models::AgentCreate;
//!
//! let client = nixflex::Client::from_env()?; // NIXFLEX_API_KEY, NIXFLEX_BASE_URL
//! let agent = client.agents().create(&AgentCreate::new("Receptionist")).await?;
//! println!("{} after {} attempt(s)", agent.agent_id, agent.meta().attempts);
//! # Ok(()) }
//! ```
//!
//! Every mutation carries an `Idempotency-Key`, the same on every retry, so a retried
//! `calls().create(...)` never dials twice. Failures are [`Error`]s whose [`ErrorKind`] is chosen
//! by HTTP status.

#![warn(missing_docs)]

mod auth;
mod client;
mod config;
mod error;
mod generated;
mod headers;
mod nullable;
mod operation;
mod options;
pub mod pagination;
mod path;
mod rate_gate;
mod response;
mod retry;
mod transport;
pub mod webhooks;

pub use auth::ApiKey;
pub use client::{CallParams, Client};
pub use config::{
    ClientBuilder, Config, DEFAULT_BASE_URL, DEFAULT_MAX_RETRIES, DEFAULT_RETRY_AFTER_CAP,
    DEFAULT_TIMEOUT,
};
pub use error::{Error, ErrorKind, Result};
pub use generated::models;
pub use generated::resources;
pub use operation::{Method, OPERATIONS, Operation, Pagination, operation};
pub use options::RequestOptions;
pub use pagination::{ListPage, Paginator, WalkOptions, WalkPage};
pub use path::encode_segment;
pub use response::{Response, ResponseMeta};

/// The version of this crate, as sent in the `User-Agent`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
