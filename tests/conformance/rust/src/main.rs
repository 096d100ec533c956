//! The Rust runner of the conformance scenarios (`tests/conformance/README.md`).
//!
//! ```sh
//! NIXFLEX_MOCK_URL=http://127.0.0.1:8080 cargo run -p nixflex-conformance -- [--jobs N] [name-prefix…]
//! ```
//!
//! Every scenario runs in its own tenant of the mock and goes through the core's typed public
//! API; one JSON line per scenario goes to stdout.

mod args;
mod dispatch;
mod matcher;
mod mock;
mod runner;
mod template;

use std::path::{Path, PathBuf};

use futures::StreamExt;
use serde_json::{Value, json};

fn scenarios_dir() -> PathBuf {
    match std::env::var_os("NIXFLEX_CONFORMANCE_SCENARIOS") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios"),
    }
}

fn load(dir: &Path) -> Result<Vec<Value>, String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let mut scenarios = Vec::new();
    let mut names = std::collections::HashSet::new();
    for file in files {
        let text =
            std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
        let doc: Value =
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", file.display()))?;
        for scenario in doc["scenarios"].as_array().cloned().unwrap_or_default() {
            let name = scenario["name"].as_str().unwrap_or_default().to_owned();
            if name.is_empty() || !names.insert(name.clone()) {
                return Err(format!(
                    "{}: missing or duplicate scenario name {name:?}",
                    file.display()
                ));
            }
            scenarios.push(scenario);
        }
    }
    Ok(scenarios)
}

/// Every `op`/`iterate`/`seed` must name an operation of `spec/`; scenarios are returned as is.
fn check_operations(scenarios: Vec<Value>) -> Result<Vec<Value>, String> {
    for scenario in &scenarios {
        for step in scenario["steps"].as_array().into_iter().flatten() {
            let op = step["op"]
                .as_str()
                .or(step["iterate"].as_str())
                .or(step["seed"]["op"].as_str());
            if let Some(op) = op.filter(|op| !dispatch::OPERATION_IDS.contains(op)) {
                return Err(format!(
                    "scenario {}: unknown operation {op:?}",
                    scenario["name"]
                ));
            }
        }
    }
    Ok(scenarios)
}

#[tokio::main]
async fn main() {
    let mut jobs = 4usize;
    let mut prefixes = Vec::new();
    let mut argv = std::env::args().skip(1);
    while let Some(arg) = argv.next() {
        match arg.as_str() {
            "--jobs" => {
                jobs = argv
                    .next()
                    .and_then(|n| n.parse().ok())
                    .unwrap_or(jobs)
                    .max(1)
            }
            "--list" => prefixes.push("\0list".to_owned()),
            _ => prefixes.push(arg),
        }
    }
    let scenarios = match load(&scenarios_dir()).and_then(check_operations) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("nixflex-conformance: {e}");
            std::process::exit(2);
        }
    };
    if prefixes.iter().any(|p| p == "\0list") {
        for s in &scenarios {
            println!("{}", s["name"].as_str().unwrap_or_default());
        }
        return;
    }
    let Ok(url) = std::env::var("NIXFLEX_MOCK_URL") else {
        eprintln!("nixflex-conformance: set NIXFLEX_MOCK_URL to the mock server's URL");
        std::process::exit(2);
    };
    let mock = mock::Mock::new(&url);
    let selected: Vec<Value> = scenarios
        .into_iter()
        .filter(|s| {
            let name = s["name"].as_str().unwrap_or_default();
            prefixes.is_empty() || prefixes.iter().any(|p| name.starts_with(p.as_str()))
        })
        .collect();
    let mut results = futures::stream::iter(selected.iter().map(|scenario| {
        let mock = mock.clone();
        async move {
            let name = scenario["name"].as_str().unwrap_or_default().to_owned();
            let outcome = runner::run(&mock, scenario).await;
            (name, outcome)
        }
    }))
    .buffer_unordered(jobs);
    let mut failed = 0;
    while let Some((name, (outcome, trace))) = results.next().await {
        let (ok, detail) = match outcome {
            Ok(()) => (true, String::new()),
            Err(why) => {
                failed += 1;
                (false, why)
            }
        };
        println!(
            "{}",
            json!({ "scenario": name, "language": "rust", "ok": ok, "detail": detail, "trace": trace })
        );
    }
    std::process::exit(i32::from(failed > 0));
}
