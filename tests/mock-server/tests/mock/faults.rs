//! Fault scripts: statuses with retry hints, non-JSON bodies, delays, dropped connections before
//! and after the work, seeded random faults, and the tenant rate limit.

use crate::common::*;
use reqwest::Method;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

#[tokio::test]
async fn status_faults_carry_retry_hints_and_do_no_work() {
    let m = mock().await;
    let t = m.tenant().await;
    m.faults(json!({
        "key_id": t.key_id,
        "operation": "agents.create",
        "faults": [
            { "status": 503, "retry_after": "2" },
            { "status": 429, "retry_after": "Wed, 21 Oct 2015 07:28:00 GMT", "retry_after_ms": 150 },
            { "status": 500, "should_retry": false },
            { "status": 502, "body": "<html><body>Bad gateway</body></html>", "content_type": "text/html" },
            { "status": 200, "body": "not json" },
        ],
    }))
    .await;
    let create = || t.op("agents.create", &[], Some(json!({ "name": "A" })));
    let r = create().await;
    r.expect_error(503, "service_unavailable");
    assert_eq!(r.body["error"]["type"], "server_error");
    assert_eq!(r.header("retry-after"), Some("2"));
    let r = create().await;
    r.expect_error(429, "rate_limit_exceeded");
    assert_eq!(
        r.header("retry-after"),
        Some("Wed, 21 Oct 2015 07:28:00 GMT")
    );
    assert_eq!(r.header("retry-after-ms"), Some("150"));
    let r = create().await;
    r.expect(500);
    assert_eq!(r.header("x-should-retry"), Some("false"));
    let r = create().await;
    r.expect(502);
    assert_eq!(r.header("content-type"), Some("text/html"));
    assert!(r.text.contains("Bad gateway"));
    let r = create().await;
    r.expect(200);
    assert_eq!(r.text, "not json");
    assert_eq!(m.counts(&t).await["agents"], 0, "status faults do no work");
    // The script is used up: the next request works, and other operations were never affected.
    create().await.expect(201);
    let j = m.journal(&t, Some("agents.create")).await;
    assert_eq!(j[0]["fault"]["status"], 503);
    assert_eq!(j[0]["status"], 503);
    assert_eq!(j[5]["fault"], Value::Null);
}

#[tokio::test]
async fn faults_without_operation_hit_any_operation_of_the_tenant_only() {
    let m = mock().await;
    let t = m.tenant().await;
    let other = m.tenant().await;
    m.faults(json!({ "key_id": t.key_id, "faults": [{ "status": 500 }, { "status": 500 }] }))
        .await;
    other.op("agents.list", &[], None).await.expect(200);
    t.op("agents.list", &[], None).await.expect(500);
    t.op("usage.get", &[], None).await.expect(500);
    t.op("usage.get", &[], None).await.expect(200);
    m.faults(json!({ "key_id": t.key_id, "faults": [{ "status": 500 }] }))
        .await;
    let cleared = m
        .admin(
            Method::DELETE,
            &format!("/__mock/faults?key_id={}", t.key_id),
            None,
        )
        .await;
    cleared.expect(200);
    t.op("usage.get", &[], None).await.expect(200);
    // Bad scripts are refused.
    m.admin(
        Method::POST,
        "/__mock/faults",
        Some(
            json!({ "key_id": t.key_id, "operation": "nope.nope", "faults": [{ "status": 500 }] }),
        ),
    )
    .await
    .expect(400);
    m.admin(
        Method::POST,
        "/__mock/faults",
        Some(json!({ "key_id": t.key_id, "faults": [{ "stauts": 500 }] })),
    )
    .await
    .expect(400);
    m.admin(
        Method::POST,
        "/__mock/faults",
        Some(json!({ "key_id": "nxf_0", "faults": [{ "status": 500 }] })),
    )
    .await
    .expect(404);
}

#[tokio::test]
async fn delay_then_normal_answer() {
    let m = mock().await;
    let t = m.tenant().await;
    m.faults(json!({ "key_id": t.key_id, "operation": "agents.create", "faults": [{ "delay_ms": 300 }] })).await;
    let start = Instant::now();
    t.op("agents.create", &[], Some(json!({ "name": "Slow" })))
        .await
        .expect(201);
    assert!(start.elapsed() >= Duration::from_millis(300));
    assert_eq!(m.counts(&t).await["agents"], 1);
}

/// `agents.create` from a client that gives up after 100 ms.
async fn create_and_give_up(m: &Mock, t: &Tenant, body: &Value, key: &str) {
    let impatient = reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_millis(100))
        .build()
        .unwrap();
    let r = impatient
        .post(format!("{}/v1/agents", m.url))
        .header("authorization", format!("Bearer {}", t.api_key()))
        .header("idempotency-key", key)
        .body(body.to_string())
        .send()
        .await;
    assert!(r.is_err_and(|e| e.is_timeout()));
}

#[tokio::test]
async fn a_client_that_gives_up_during_a_delay_leaves_nothing_done() {
    let m = mock().await;
    let t = m.tenant().await;
    m.faults(json!({ "key_id": t.key_id, "operation": "agents.create", "faults": [{ "delay_ms": 600 }] })).await;
    create_and_give_up(&m, &t, &json!({ "name": "Never" }), "never-1").await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(m.counts(&t).await["agents"], 0);
}

#[tokio::test]
async fn a_delay_after_the_work_leaves_it_done_and_the_retry_replays() {
    let m = mock().await;
    let t = m.tenant().await;
    m.faults(json!({ "key_id": t.key_id, "operation": "agents.create", "faults": [{ "delay_after_ms": 600 }] })).await;
    let body = json!({ "name": "Late" });
    create_and_give_up(&m, &t, &body, "late-1").await;
    assert_eq!(
        m.counts(&t).await["agents"],
        1,
        "the work was done before the wait"
    );
    let j = m.journal(&t, Some("agents.create")).await;
    assert_eq!(j[0]["status"], 201, "journaled with its real answer");
    assert_eq!(j[0]["fault"]["delay_after_ms"], 600);
    let r = create_with_key(&t, body, "late-1").await;
    r.expect(201);
    assert_eq!(r.header("idempotent-replayed"), Some("true"));
    assert_eq!(m.counts(&t).await["agents"], 1);
}

/// `agents.create` with an `Idempotency-Key`, as a client's retry sends it.
async fn create_with_key(t: &Tenant, body: Value, key: &str) -> Resp {
    t.op_with(
        "agents.create",
        &[],
        "",
        Some(body),
        &[("idempotency-key", key)],
    )
    .await
}

async fn raw_post(
    m: &Mock,
    t: &Tenant,
    path: &str,
    body: &Value,
    key: &str,
) -> Result<reqwest::Response, reqwest::Error> {
    m.http
        .post(format!("{}{path}", m.url))
        .header("authorization", format!("Bearer {}", t.api_key()))
        .header("idempotency-key", key)
        .body(body.to_string())
        .send()
        .await
}

#[tokio::test]
async fn drop_before_does_no_work() {
    let m = mock().await;
    let t = m.tenant().await;
    m.faults(json!({ "key_id": t.key_id, "operation": "agents.create", "faults": [{ "drop": "before" }] })).await;
    let body = json!({ "name": "Dropped" });
    let r = raw_post(&m, &t, "/v1/agents", &body, "k1").await;
    assert!(r.is_err(), "the connection is closed without a response");
    assert_eq!(m.counts(&t).await["agents"], 0);
    // The retry with the same key does the work for the first time.
    let r = create_with_key(&t, body, "k1").await;
    r.expect(201);
    assert!(r.header("idempotent-replayed").is_none());
    assert_eq!(m.counts(&t).await["agents"], 1);
    let j = m.journal(&t, Some("agents.create")).await;
    assert_eq!(j[0]["status"], Value::Null);
    assert_eq!(j[0]["fault"]["drop"], "before");
}

#[tokio::test]
async fn drop_after_does_the_work_once_and_the_retry_replays() {
    let m = mock().await;
    let t = m.tenant().await;
    let agent = t.agent().await;
    t.number(&agent, "+447700900001").await;
    m.faults(
        json!({ "key_id": t.key_id, "operation": "calls.create", "faults": [{ "drop": "after" }] }),
    )
    .await;
    let body = json!({ "agent_id": agent, "to_number": "+447700900002", "prompt": "Hi" });
    let r = raw_post(&m, &t, "/v1/calls/outbound", &body, "dial-1").await;
    assert!(r.is_err(), "the connection is closed without a response");
    assert_eq!(m.counts(&t).await["calls"], 1, "the call was placed");
    let r = t
        .op_with(
            "calls.create",
            &[],
            "",
            Some(body),
            &[("idempotency-key", "dial-1")],
        )
        .await;
    r.expect(201);
    assert_eq!(r.header("idempotent-replayed"), Some("true"));
    assert_eq!(m.counts(&t).await["calls"], 1, "and only once");
    let listed = t.op("calls.list", &[], None).await;
    assert_eq!(listed.body["calls"][0]["call_id"], r.body["call_id"]);
}

#[tokio::test]
async fn random_faults_are_reproducible_with_a_seed() {
    async fn run(seed: u64) -> Vec<u16> {
        let m = mock().await;
        let t = m.tenant().await;
        m.faults(json!({
            "key_id": t.key_id,
            "operation": "usage.get",
            "faults": [{ "status": 418 }],
            "random": { "probability": 0.5, "seed": seed, "choices": [{ "status": 500 }, { "status": 503 }], "max": 6 },
        }))
        .await;
        let mut out = Vec::new();
        for _ in 0..30 {
            out.push(t.op("usage.get", &[], None).await.status);
        }
        out
    }
    let a = run(42).await;
    assert_eq!(a, run(42).await, "same seed, same faults");
    assert_eq!(a[0], 418, "the queue comes first");
    let faulted = a[1..].iter().filter(|s| **s != 200).count();
    assert!((1..=6).contains(&faulted), "max caps the draws: {a:?}");
    assert!(a[1..].iter().all(|s| matches!(s, 200 | 500 | 503)));
}

#[tokio::test]
async fn tenant_rate_limit() {
    let m = mock().await;
    let t = m.tenant().await;
    let cfg = m
        .configure(
            &t,
            json!({ "rate_limit": { "requests": 3, "per_seconds": 2 } }),
        )
        .await;
    assert_eq!(cfg["rate_limit"]["requests"], 3);
    for i in 0..3 {
        let r = t.op("agents.list", &[], None).await;
        r.expect(200);
        assert_eq!(
            r.header("x-ratelimit-remaining"),
            Some((2 - i).to_string().as_str())
        );
    }
    let r = t.op("agents.list", &[], None).await;
    r.expect_error(429, "rate_limit_exceeded");
    assert_eq!(r.body["error"]["type"], "rate_limit_error");
    let secs: u64 = r.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=2).contains(&secs), "{secs}");
    assert_eq!(r.body["error"]["details"]["retry_after"], secs);
    // Other tenants are not limited; the window ends.
    m.tenant()
        .await
        .op("agents.list", &[], None)
        .await
        .expect(200);
    // A request the limit turns away leaves the fault script as it was.
    m.faults(json!({
        "key_id": t.key_id,
        "operation": "agents.list",
        "faults": [{ "status": 503 }],
    }))
    .await;
    t.op("agents.list", &[], None)
        .await
        .expect_error(429, "rate_limit_exceeded");
    tokio::time::sleep(Duration::from_millis(2050)).await;
    t.op("agents.list", &[], None)
        .await
        .expect_error(503, "service_unavailable");
    t.op("agents.list", &[], None).await.expect(200);
    m.configure(&t, json!({ "rate_limit": null })).await;
    for _ in 0..5 {
        t.op("agents.list", &[], None).await.expect(200);
    }
}
