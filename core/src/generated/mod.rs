//! Code generated from `spec/` by `tools/codegen`; `--check` in the test run keeps it fresh.

pub mod models;
pub mod operations;
pub mod resources;
