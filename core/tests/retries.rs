//! Retries, idempotency keys, Retry-After, the 429 pause and the deadline, proven against the
//! mock's faults and journal.

mod common;

use std::time::Duration;

use common::{Tenant, keys_of};
use nixflex::models::AgentCreate;
use nixflex::{ErrorKind, RequestOptions};
use serde_json::json;

fn gap_ms(journal: &[serde_json::Value], a: usize, b: usize) -> i64 {
    journal[b]["at_ms"].as_i64().unwrap() - journal[a]["at_ms"].as_i64().unwrap()
}

#[tokio::test]
async fn one_key_per_logical_mutation_reused_on_every_attempt() {
    let tenant = Tenant::new().await;
    tenant
        .faults(
            "agents.create",
            json!([{"status": 503}, {"drop": "before"}]),
        )
        .await;
    let client = tenant.client();
    let agent = client
        .agents()
        .create(&AgentCreate::new("Ada"))
        .await
        .unwrap();
    assert_eq!(agent.meta().attempts, 3);
    let key = agent.meta().idempotency_key.clone().unwrap();
    assert_eq!(key.len(), 36, "a UUIDv4: {key}");
    client
        .agents()
        .create(&AgentCreate::new("Bob"))
        .await
        .unwrap();

    let journal = tenant.journal("agents.create").await;
    let keys = keys_of(&journal);
    assert_eq!(keys.len(), 4);
    assert_eq!(&keys[..3], &[key.clone(), key.clone(), key.clone()]);
    assert_ne!(keys[3], key, "a new logical call gets a new key");
    assert_eq!(tenant.counts().await["agents"], 2);
}

#[tokio::test]
async fn reads_carry_no_idempotency_key() {
    let tenant = Tenant::new().await;
    let usage = tenant.client().usage().get().await.unwrap();
    assert!(usage.meta().idempotency_key.is_none());
    let journal = tenant.journal("usage.get").await;
    assert!(journal[0]["headers"].get("idempotency-key").is_none());
}

#[tokio::test]
async fn a_callers_key_is_sent_as_given() {
    let tenant = Tenant::new().await;
    let agents = tenant
        .client()
        .agents()
        .with_options(RequestOptions::new().idempotency_key("order-42"));
    let first = agents.create(&AgentCreate::new("Ada")).await.unwrap();
    let again = agents.create(&AgentCreate::new("Ada")).await.unwrap();
    assert_eq!(
        first.agent_id, again.agent_id,
        "the same key replays the first result"
    );
    assert_eq!(
        keys_of(&tenant.journal("agents.create").await),
        ["order-42", "order-42"]
    );
    assert_eq!(tenant.counts().await["agents"], 1);
}

#[tokio::test]
async fn a_key_in_the_extra_headers_is_the_calls_key_and_sent_once() {
    let tenant = Tenant::new().await;
    tenant
        .faults("agents.create", json!([{"status": 503}]))
        .await;
    let agent = tenant
        .client()
        .agents()
        .with_options(RequestOptions::new().header("Idempotency-Key", "order-43"))
        .create(&AgentCreate::new("Ada"))
        .await
        .unwrap();
    assert_eq!(agent.meta().idempotency_key.as_deref(), Some("order-43"));
    let journal = tenant.journal("agents.create").await;
    assert_eq!(keys_of(&journal), ["order-43", "order-43"]);
    // The mock joins repeated values with ", ": one value means one header.
    assert_eq!(journal[0]["headers"]["idempotency-key"], "order-43");

    let err = tenant
        .client()
        .agents()
        .with_options(
            RequestOptions::new()
                .idempotency_key("a")
                .header("idempotency-key", "b"),
        )
        .create(&AgentCreate::new("Ada"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), nixflex::ErrorKind::InvalidRequest);
    assert!(err.message().contains("two idempotency keys"), "{err}");
}

#[tokio::test]
async fn extra_headers_replace_the_sdks_own() {
    let tenant = Tenant::new().await;
    tenant
        .client()
        .usage()
        .with_options(RequestOptions::new().header("User-Agent", "my-app/1.0"))
        .get()
        .await
        .unwrap();
    let journal = tenant.journal("usage.get").await;
    assert_eq!(journal[0]["headers"]["user-agent"], "my-app/1.0");
}

#[tokio::test]
async fn every_retryable_status_is_retried() {
    for status in [408, 429, 500, 502, 503, 504] {
        let tenant = Tenant::new().await;
        tenant
            .faults(
                "agents.create",
                json!([{"status": status, "retry_after": "0"}]),
            )
            .await;
        let agent = tenant
            .client()
            .agents()
            .create(&AgentCreate::new("Ada"))
            .await
            .unwrap();
        assert_eq!(agent.meta().attempts, 2, "status {status}");
        assert_eq!(tenant.counts().await["agents"], 1);
    }
}

#[tokio::test]
async fn other_client_errors_are_not_retried() {
    for (status, kind) in [
        (400, ErrorKind::InvalidRequest),
        (401, ErrorKind::Authentication),
        (402, ErrorKind::PaymentRequired),
        (403, ErrorKind::PermissionDenied),
        (404, ErrorKind::NotFound),
        (409, ErrorKind::Conflict),
        (422, ErrorKind::InvalidRequest),
    ] {
        let tenant = Tenant::new().await;
        tenant
            .faults("agents.create", json!([{"status": status}]))
            .await;
        let err = tenant
            .client()
            .agents()
            .create(&AgentCreate::new("Ada"))
            .await
            .unwrap_err();
        assert_eq!(
            (err.kind(), err.status(), err.attempts()),
            (kind, Some(status), 1)
        );
        assert_eq!(
            tenant.journal("agents.create").await.len(),
            1,
            "status {status}"
        );
    }
}

#[tokio::test]
async fn the_servers_verdict_wins_over_the_status() {
    let tenant = Tenant::new().await;
    tenant
        .faults(
            "agents.create",
            json!([{"status": 400, "should_retry": true}]),
        )
        .await;
    let agent = tenant
        .client()
        .agents()
        .create(&AgentCreate::new("Ada"))
        .await
        .unwrap();
    assert_eq!(agent.meta().attempts, 2);

    tenant
        .faults(
            "agents.create",
            json!([{"status": 503, "should_retry": false}]),
        )
        .await;
    let err = tenant
        .client()
        .agents()
        .create(&AgentCreate::new("Ada"))
        .await
        .unwrap_err();
    assert_eq!((err.kind(), err.attempts()), (ErrorKind::Server, 1));
}

#[tokio::test]
async fn a_drop_after_the_work_replays_instead_of_repeating() {
    let tenant = Tenant::new().await;
    tenant
        .faults("agents.create", json!([{"drop": "after"}]))
        .await;
    let agent = tenant
        .client()
        .agents()
        .create(&AgentCreate::new("Ada"))
        .await
        .unwrap();
    assert_eq!(agent.meta().attempts, 2);
    let journal = tenant.journal("agents.create").await;
    assert_eq!(journal[1]["replayed"], true);
    assert_eq!(tenant.counts().await["agents"], 1);
}

#[tokio::test]
async fn a_timed_out_attempt_is_retried_with_the_same_key() {
    let tenant = Tenant::new().await;
    tenant
        .faults("agents.create", json!([{"delay_ms": 1500}]))
        .await;
    let client = tenant
        .builder()
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let agent = client
        .agents()
        .create(&AgentCreate::new("Ada"))
        .await
        .unwrap();
    assert_eq!(agent.meta().attempts, 2);
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(
        tenant.counts().await["agents"],
        1,
        "the slow first attempt must not add a second agent"
    );
}

#[tokio::test]
async fn timeouts_and_drops_give_their_kinds_when_retries_run_out() {
    let tenant = Tenant::new().await;
    tenant
        .faults("usage.get", json!([{"delay_ms": 1000}]))
        .await;
    let client = tenant
        .builder()
        .timeout(Duration::from_millis(200))
        .max_retries(0)
        .build()
        .unwrap();
    let err = client.usage().get().await.unwrap_err();
    assert_eq!((err.kind(), err.attempts()), (ErrorKind::Timeout, 1));

    tenant
        .faults("usage.get", json!([{"drop": "before"}]))
        .await;
    let err = client.usage().get().await.unwrap_err();
    assert_eq!((err.kind(), err.status()), (ErrorKind::Connection, None));
}

#[tokio::test]
async fn retry_after_in_seconds_ms_and_as_a_date_is_honoured() {
    // Each hint is on a first attempt, whose own backoff is under 0.5 s: a gap longer than that
    // can only come from the hint.
    let tenant = Tenant::new().await;
    let client = tenant.builder().max_retries(1).build().unwrap();
    let hints = [
        (json!({"status": 429, "retry_after": "1"}), 950, 1_700),
        (json!({"status": 503, "retry_after_ms": 900}), 880, 1_600),
        (json!({"status": 429, "retry_after": "DATE"}), 1_500, 3_700),
    ];
    for (i, (mut fault, at_least, at_most)) in hints.into_iter().enumerate() {
        if fault["retry_after"] == "DATE" {
            // An HTTP date has whole seconds: three seconds ahead is a wait of 2 to 3 s, less
            // the time the fault takes to arm.
            fault["retry_after"] = json!(httpdate::fmt_http_date(
                std::time::SystemTime::now() + Duration::from_secs(3)
            ));
        }
        tenant.faults("usage.get", json!([fault])).await;
        let usage = client.usage().get().await.unwrap();
        assert_eq!(usage.meta().attempts, 2);
        let journal = tenant.journal("usage.get").await;
        let gap = gap_ms(&journal, 2 * i, 2 * i + 1);
        assert!(
            (at_least..=at_most).contains(&gap),
            "{fault}: waited {gap} ms, expected {at_least}..={at_most}"
        );
    }
}

#[tokio::test]
async fn a_wait_above_the_cap_fails_at_once_with_the_parsed_wait() {
    let tenant = Tenant::new().await;
    tenant
        .faults("usage.get", json!([{"status": 429, "retry_after": "120"}]))
        .await;
    let client = tenant
        .builder()
        .retry_after_cap(Duration::from_secs(60))
        .build()
        .unwrap();
    let err = client.usage().get().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::RateLimited);
    assert_eq!(err.retry_after(), Some(Duration::from_secs(120)));
    assert_eq!(err.attempts(), 1);
    assert_eq!(err.code(), Some("rate_limit_exceeded"));
}

#[tokio::test]
async fn a_wait_above_the_cap_pauses_the_client_for_the_cap_only() {
    let tenant = Tenant::new().await;
    tenant
        .faults("usage.get", json!([{"status": 429, "retry_after": "1e30"}]))
        .await;
    let client = tenant
        .builder()
        .retry_after_cap(Duration::from_secs(1))
        .build()
        .unwrap();
    let err = client.usage().get().await.unwrap_err();
    assert_eq!((err.kind(), err.attempts()), (ErrorKind::RateLimited, 1));
    // An absurd wait does not disable the client: the next call goes out after the cap.
    client.agents().list(&Default::default()).await.unwrap();
    let refused = tenant.journal("usage.get").await[0]["at_ms"]
        .as_i64()
        .unwrap();
    let next = tenant.journal("agents.list").await[0]["at_ms"]
        .as_i64()
        .unwrap();
    assert!(
        next - refused >= 900,
        "sent {} ms after the 429",
        next - refused
    );
}

#[tokio::test]
async fn an_absurd_wait_is_a_rate_limit_error_not_a_crash() {
    let tenant = Tenant::new().await;
    tenant
        .faults(
            "usage.get",
            json!([{"status": 429, "retry_after": "1e30"}, {"status": 503, "retry_after": "10000000000000000000"}]),
        )
        .await;
    let client = tenant.builder().deadline(Duration::MAX).build().unwrap();
    let err = client.usage().get().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::RateLimited);
    assert!(err.retry_after().unwrap() > Duration::from_secs(3600 * 24 * 365));
    let other = tenant.client();
    let err = other.usage().get().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Server);
    assert!(err.retry_after().unwrap() > Duration::from_secs(3600 * 24 * 365));
}

#[tokio::test]
async fn a_429_pauses_the_whole_client() {
    let tenant = Tenant::new().await;
    tenant
        .faults("usage.get", json!([{"status": 429, "retry_after": "1"}]))
        .await;
    let client = tenant.builder().max_retries(0).build().unwrap();
    let err = client.usage().get().await.unwrap_err();
    assert_eq!(err.retry_after(), Some(Duration::from_secs(1)));
    // Another operation of the same client waits for the pause before it goes out.
    client.agents().list(&Default::default()).await.unwrap();
    let first = tenant.journal("usage.get").await[0]["at_ms"]
        .as_i64()
        .unwrap();
    let second = tenant.journal("agents.list").await[0]["at_ms"]
        .as_i64()
        .unwrap();
    assert!(
        second - first >= 950,
        "sent {} ms after the 429",
        second - first
    );
}

#[tokio::test]
async fn the_deadline_bounds_all_attempts_together() {
    let tenant = Tenant::new().await;
    tenant
        .faults(
            "usage.get",
            json!([{"delay_ms": 1500}, {"delay_ms": 1500}, {"delay_ms": 1500}]),
        )
        .await;
    let client = tenant
        .builder()
        .timeout(Duration::from_secs(5))
        .deadline(Duration::from_millis(1000))
        .max_retries(5)
        .build()
        .unwrap();
    let err = client.usage().get().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout);
    assert!(err.attempts() <= 2, "attempts {}", err.attempts());
}

#[tokio::test]
async fn per_request_options_override_the_client() {
    let tenant = Tenant::new().await;
    tenant
        .faults(
            "usage.get",
            json!([{"status": 503}, {"status": 503}, {"status": 503}]),
        )
        .await;
    let client = tenant.builder().max_retries(5).build().unwrap();
    let err = client
        .usage()
        .with_options(
            RequestOptions::new()
                .max_retries(1)
                .header("x-trace", "t-1"),
        )
        .get()
        .await
        .unwrap_err();
    assert_eq!(err.attempts(), 2);
    let journal = tenant.journal("usage.get").await;
    assert_eq!(journal[0]["headers"]["x-trace"], "t-1");
}
