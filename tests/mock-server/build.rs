//! Copies `spec/openapi.json` into OUT_DIR so the mock embeds the spec it was built with.
//!
//! A build script rather than a bare `include_str!`: the crate must still build (with an empty
//! route table) while the spec is being written, because other crates dev-depend on it.

use std::{env, fs, path::PathBuf};

fn main() {
    let manifest = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    let spec = manifest.join("../../spec/openapi.json");
    let out = PathBuf::from(env::var("OUT_DIR").expect("OUT_DIR")).join("openapi.json");
    println!("cargo:rerun-if-changed={}", spec.display());
    println!("cargo:rerun-if-changed=build.rs");
    let text = fs::read_to_string(&spec).unwrap_or_else(|_| {
        println!("cargo:warning=spec/openapi.json not found; nixflex-mock is built with no routes");
        r#"{"openapi":"3.1.0","paths":{}}"#.to_string()
    });
    fs::write(out, text).expect("write OUT_DIR/openapi.json");
}
