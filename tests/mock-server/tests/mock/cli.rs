//! The binary: the URL is the first stdout line, and the flags are honoured.

use crate::common::*;
use reqwest::Method;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

/// Kills the child even when an assertion fails.
struct Child(std::process::Child);

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn prints_its_url_first_and_serves() {
    let mut child = Child(
        Command::new(env!("CARGO_BIN_EXE_nixflex-mock"))
            .args(["--port", "0", "--list-shape", "array"])
            .stdout(Stdio::piped())
            .spawn()
            .expect("the binary starts"),
    );
    let stdout = child.0.stdout.take().unwrap();
    let line = tokio::task::spawn_blocking(move || {
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).unwrap();
        line
    })
    .await
    .unwrap();
    let url = line.trim();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    send(&http, Method::GET, &format!("{url}/v1/nothing"), None, &[])
        .await
        .expect_error(404, "not_found");
    let t = send(
        &http,
        Method::POST,
        &format!("{url}/__mock/tenants"),
        None,
        &[],
    )
    .await;
    assert_eq!(
        t.header("connection"),
        Some("close"),
        "admin connections are not kept"
    );
    let key = format!("Bearer {}", t.body["api_key"].as_str().unwrap());
    let r = send(
        &http,
        Method::GET,
        &format!("{url}/v1/agents"),
        None,
        &[("authorization", &key)],
    )
    .await;
    assert_eq!(r.body, serde_json::json!([]), "--list-shape array");
    assert!(
        r.header("connection").is_none(),
        "the API keeps connections alive"
    );
}
