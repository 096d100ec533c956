//! End-to-end tests of the mock over real HTTP on loopback, against in-process mocks.

mod common;

mod admin_api;
mod cli;
mod faults;
mod idempotency;
mod lifecycle;
mod lists;
mod operations;
mod validation;
