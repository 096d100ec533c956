//! Shared test support: one real mock server per test binary, one fresh tenant per test.

#![allow(dead_code)]

use std::sync::OnceLock;
use std::time::Duration;

use serde_json::{Value, json};

/// The base URL of the mock, started once on its own thread and runtime so that it outlives
/// each test's runtime.
pub fn mock_url() -> &'static str {
    static URL: OnceLock<String> = OnceLock::new();
    URL.get_or_init(|| {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("mock runtime");
            runtime.block_on(async move {
                let handle = nixflex_mock::spawn(nixflex_mock::MockConfig::default())
                    .await
                    .expect("mock starts");
                tx.send(handle.url().to_string()).unwrap();
                std::future::pending::<()>().await;
                drop(handle);
            });
        });
        rx.recv_timeout(Duration::from_secs(30)).expect("mock URL")
    })
}

/// A client for the admin API. Each test has its own runtime, and pooled connections die with
/// the runtime that opened them, so no client is shared across tests.
fn admin() -> reqwest::Client {
    static PROVIDER: OnceLock<()> = OnceLock::new();
    PROVIDER.get_or_init(|| {
        // The SDK's HTTP stack is built without a default crypto provider (it installs ring
        // when a client is built); this plain client needs one too.
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
    reqwest::Client::new()
}

/// A fresh tenant of the mock.
pub struct Tenant {
    pub key_id: String,
    pub api_key: String,
}

impl Tenant {
    pub async fn new() -> Tenant {
        let body: Value = admin()
            .post(format!("{}/__mock/tenants", mock_url()))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        Tenant {
            key_id: body["key_id"].as_str().unwrap().to_owned(),
            api_key: body["api_key"].as_str().unwrap().to_owned(),
        }
    }

    /// A client of this tenant with fast retries for tests.
    pub fn client(&self) -> nixflex::Client {
        self.builder().build().unwrap()
    }

    pub fn builder(&self) -> nixflex::ClientBuilder {
        nixflex::Client::builder()
            .api_key(&self.api_key)
            .base_url(mock_url())
            .timeout(Duration::from_secs(5))
    }

    pub async fn configure(&self, config: Value) {
        let status = admin()
            .put(format!(
                "{}/__mock/tenants/{}/config",
                mock_url(),
                self.key_id
            ))
            .json(&config)
            .send()
            .await
            .unwrap()
            .status();
        assert!(status.is_success(), "config refused: {status}");
    }

    /// Arms faults for `operation` (consumed in order by matching requests).
    pub async fn faults(&self, operation: &str, faults: Value) {
        self.arm(json!({"key_id": self.key_id, "operation": operation, "faults": faults}))
            .await;
    }

    pub async fn arm(&self, body: Value) {
        let status = admin()
            .post(format!("{}/__mock/faults", mock_url()))
            .json(&body)
            .send()
            .await
            .unwrap()
            .status();
        assert!(status.is_success(), "faults refused: {status}");
    }

    /// The requests the mock received for `operation`, in order.
    pub async fn journal(&self, operation: &str) -> Vec<Value> {
        let body: Value = admin()
            .get(format!("{}/__mock/journal", mock_url()))
            .query(&[("key_id", self.key_id.as_str()), ("operation", operation)])
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        body["requests"].as_array().cloned().unwrap_or_default()
    }

    pub async fn counts(&self) -> Value {
        admin()
            .get(format!(
                "{}/__mock/tenants/{}/counts",
                mock_url(),
                self.key_id
            ))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }
}

/// The idempotency keys the journal recorded, one per attempt.
pub fn keys_of(journal: &[Value]) -> Vec<String> {
    journal
        .iter()
        .map(|r| {
            r["headers"]["idempotency-key"]
                .as_str()
                .unwrap_or("")
                .to_owned()
        })
        .collect()
}

/// A new agent with an outbound number (`+447700900001`) of this tenant; its id.
pub async fn agent_with_number(client: &nixflex::Client, name: &str) -> String {
    let agent = client
        .agents()
        .create(&nixflex::models::AgentCreate::new(name))
        .await
        .unwrap();
    let mut number =
        nixflex::models::PhoneNumberImport::new("+447700900001", agent.agent_id.clone());
    number.twilio_sid = Some(format!("AC{}", "0".repeat(32)));
    number.twilio_token = Some("token".to_owned());
    client.phone_numbers().import(&number).await.unwrap();
    agent.agent_id.clone()
}
