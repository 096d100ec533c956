//! The key secret never appears in debug output or in the SDK's logs.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use common::Tenant;
use nixflex::models::AgentCreate;
use serde_json::json;

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn no_secret_in_debug_or_trace_output() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let tenant = Tenant::new().await;
    let secret = tenant.api_key.split_once(':').unwrap().1.to_owned();
    tenant
        .faults("agents.create", json!([{"status": 503}]))
        .await;
    let client = tenant.client();
    let agent = client
        .agents()
        .create(&AgentCreate::new("Ada"))
        .await
        .unwrap();
    let err = client.agents().get("agent_missing").await.unwrap_err();

    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(logs.contains("nixflex.call"), "calls are traced: {logs}");
    assert!(logs.contains("agents.create"));
    // Each attempt's span carries the answer's status and request id.
    assert!(
        logs.lines().any(|l| l.contains("nixflex.attempt")
            && l.contains("status=201")
            && l.contains("request_id=\"req_")),
        "attempt spans carry their answers: {logs}"
    );
    for text in [
        logs,
        format!("{client:?}"),
        format!("{:?}", client.config()),
        format!("{agent:?}"),
        format!("{err:?}"),
        err.to_string(),
    ] {
        assert!(!text.contains(&secret), "secret leaked in: {text}");
    }
}

#[test]
fn credentials_in_builders_and_models_are_masked() {
    let secret = "nxfs_s3cr3tvalue";
    let builder = nixflex::Client::builder()
        .api_key(format!("nxf_abc:{secret}"))
        .base_url(format!("http://x/{secret}"))
        .default_header("x-token", secret);
    let key: nixflex::models::KeyResponse = serde_json::from_value(json!({
        "key_id": "nxf_abc", "key_secret": secret, "message": "Store it now"
    }))
    .unwrap();
    let import: nixflex::models::PhoneNumberImport = serde_json::from_value(json!({
        "phone_number": "+447700900123", "agent_id": "agent_1", "twilio_sid": "AC1",
        "twilio_token": secret
    }))
    .unwrap();
    let client = builder.clone().build().unwrap();
    for text in [
        format!("{builder:?}"),
        format!("{client:?}"),
        format!("{:?}", client.config()),
        format!("{key:?}"),
        format!("{import:?}"),
    ] {
        assert!(!text.contains("s3cr3t"), "secret leaked in: {text}");
        assert!(
            text.contains("***"),
            "a set credential shows as set: {text}"
        );
    }
    assert!(
        format!("{key:?}").contains("nxf_abc"),
        "the key id is shown"
    );
    assert_eq!(key.key_secret, secret, "the value itself is intact");
}
