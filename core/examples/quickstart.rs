//! A tour of the Rust SDK against the Nixflex API (or the bundled mock server):
//! mint a key, create an agent, attach a number, place a call and follow it to completion,
//! walk every call, and verify a webhook signature.
//!
//! `NIXFLEX_BASE_URL=http://127.0.0.1:8080 cargo run -p nixflex --example quickstart`

use std::time::Duration;

use futures::TryStreamExt;
use nixflex::models::{
    AgentCreate, CallsListParams, KeyCreate, OutboundCallCreate, PhoneNumberImport,
};
use nixflex::{Client, ErrorKind, WalkOptions, webhooks};

#[tokio::main]
async fn main() -> nixflex::Result<()> {
    let base_url = std::env::var("NIXFLEX_BASE_URL").ok();

    // 1. A fresh key (POST /v1/keys needs none). A real account keeps its key in NIXFLEX_API_KEY.
    let key = Client::create_key(base_url.as_deref(), &KeyCreate::default()).await?;
    let api_key = format!("{}:{}", key.key_id, key.key_secret);
    let mut builder = Client::builder()
        .api_key(&api_key)
        .timeout(Duration::from_secs(10));
    if let Some(url) = &base_url {
        builder = builder.base_url(url);
    }
    let client = builder.build()?;
    println!("client ready: {client:?}");

    // 2. An agent and a number for it.
    let mut agent = AgentCreate::new("Front desk");
    agent.system_prompt = Some("You answer for a dental clinic. Be brief and warm.".to_owned());
    let agent = client.agents().create(&agent).await?;
    let agent_id = agent.agent_id.clone();
    println!(
        "created agent {agent_id} (request {:?})",
        agent.meta().request_id
    );

    let mut number = PhoneNumberImport::new("+447700900123", agent_id.clone());
    number.twilio_sid = Some(format!("AC{}", "a1".repeat(16)));
    number.twilio_token = Some("twilio-auth-token".to_owned());
    client.phone_numbers().import(&number).await?;
    println!("attached +447700900123");

    // 3. A call, safe to retry: every attempt carries the same Idempotency-Key.
    let mut call = OutboundCallCreate::new(
        agent_id.clone(),
        "+447700900555",
        "Confirm tomorrow's 10:00 appointment",
    );
    call.dynamic_vars = Some([("name".to_owned(), "Sam".to_owned())].into());
    let started = client.calls().create(&call).await?;
    let call_id = started.call_id.clone();
    println!(
        "call {call_id} {} (idempotency key {})",
        started.status,
        started.meta().idempotency_key.as_deref().unwrap_or("-")
    );

    // 4. Follow it until it completes.
    for _ in 0..50 {
        let call = client.calls().get(&call_id).await?;
        let status = call.call_status.clone().unwrap_or_default();
        if status == "completed" {
            println!(
                "call completed: {}",
                call.call_summary.as_deref().unwrap_or("(no summary)")
            );
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }

    // 5. Every call of the account, fetched page by page behind the scenes.
    let calls: Vec<_> = client
        .calls()
        .iter(&CallsListParams::default(), WalkOptions::default())?
        .try_collect()
        .await?;
    println!("the account has {} call(s)", calls.len());

    // 6. Errors are typed, with the API's code and the request id for support.
    match client.agents().get("agent_does_not_exist").await {
        Err(err) if err.kind() == ErrorKind::NotFound => {
            println!(
                "not found as expected: code {:?}, request {:?}",
                err.code(),
                err.request_id()
            );
        }
        other => println!("unexpected: {other:?}"),
    }

    // 7. Webhooks: verify what Nixflex signs with your key secret.
    let body = br#"{"event":"call.completed","call_id":"CA123"}"#;
    let now = 1_755_300_000;
    let header = webhooks::sign(body, &key.key_secret, now);
    let event = webhooks::construct_event(
        body,
        Some(&header),
        &[&key.key_secret],
        webhooks::DEFAULT_TOLERANCE,
        Some(now),
    )?;
    println!(
        "verified webhook {} for {}",
        event["event"], event["call_id"]
    );
    Ok(())
}
