//! `Idempotency-Key`: replay within 24 hours (by the tenant's clock), reuse rejected, and
//! concurrent duplicates doing the work once.

use crate::common::*;
use serde_json::json;

#[tokio::test]
async fn replays_the_original_response_and_does_nothing() {
    let m = mock().await;
    let t = m.tenant().await;
    let body = json!({ "name": "Once" });
    let key = [("idempotency-key", "key-1")];
    let first = t
        .op_with("agents.create", &[], "", Some(body.clone()), &key)
        .await;
    first.expect(201);
    assert!(first.header("idempotent-replayed").is_none());
    let second = t
        .op_with("agents.create", &[], "", Some(body.clone()), &key)
        .await;
    second.expect(201);
    assert_eq!(second.header("idempotent-replayed"), Some("true"));
    assert_eq!(second.text, first.text, "byte-identical replay");
    assert_ne!(second.header("x-request-id"), first.header("x-request-id"));
    assert_eq!(m.counts(&t).await["agents"], 1);
    // Same key, different body or operation: 422.
    t.op_with(
        "agents.create",
        &[],
        "",
        Some(json!({ "name": "Twice" })),
        &key,
    )
    .await
    .expect_error(422, "idempotency_key_reused");
    let agent = first.body["agent_id"].as_str().unwrap();
    t.op_with(
        "agents.update",
        &[("agent_id", agent)],
        "",
        Some(body.clone()),
        &key,
    )
    .await
    .expect_error(422, "idempotency_key_reused");
    // Keys are per tenant.
    let other = m.tenant().await;
    other
        .op_with("agents.create", &[], "", Some(body.clone()), &key)
        .await
        .expect(201);
    // Errors done by an operation are replayed too; a GET ignores the header.
    let missing = [("idempotency-key", "key-2")];
    let e1 = t
        .op_with(
            "agents.delete",
            &[("agent_id", "agent_0000000000000000")],
            "",
            None,
            &missing,
        )
        .await;
    e1.expect_error(404, "agent_not_found");
    let e2 = t
        .op_with(
            "agents.delete",
            &[("agent_id", "agent_0000000000000000")],
            "",
            None,
            &missing,
        )
        .await;
    assert_eq!(e2.header("idempotent-replayed"), Some("true"));
    t.op_with("agents.list", &[], "", None, &key)
        .await
        .expect(200);
    let j = m.journal(&t, Some("agents.create")).await;
    assert_eq!(j.len(), 3);
    assert_eq!(j[1]["replayed"], true);
    assert_eq!(j[1]["idempotency_key"], "key-1");
}

#[tokio::test]
async fn the_window_is_24_hours_of_the_tenants_clock() {
    let m = mock().await;
    let t = m.tenant().await;
    let key = [("idempotency-key", "day-key")];
    let first = t
        .op_with("agents.create", &[], "", Some(json!({ "name": "A" })), &key)
        .await;
    first.expect(201);
    m.configure(&t, json!({ "clock_offset_seconds": 23 * 3600 }))
        .await;
    let r = t
        .op_with("agents.create", &[], "", Some(json!({ "name": "A" })), &key)
        .await;
    assert_eq!(r.header("idempotent-replayed"), Some("true"));
    m.configure(&t, json!({ "clock_offset_seconds": 24 * 3600 + 1 }))
        .await;
    let r = t
        .op_with("agents.create", &[], "", Some(json!({ "name": "A" })), &key)
        .await;
    r.expect(201);
    assert!(r.header("idempotent-replayed").is_none());
    assert_eq!(m.counts(&t).await["agents"], 2);
    // The clock offset shows in created_at: over a day later, so on another date.
    let before = first.body["created_at"].as_str().unwrap();
    let after = r.body["created_at"].as_str().unwrap();
    assert!(after > before, "{before} then {after}");
    assert_ne!(after[..10], before[..10], "{before} then {after}");
}

#[tokio::test]
async fn concurrent_duplicates_do_the_work_once() {
    let m = mock().await;
    let t = m.tenant().await;
    let agent = t.agent().await;
    t.number(&agent, "+447700900001").await;
    let body = json!({ "agent_id": agent, "to_number": "+447700900002", "prompt": "Hello" });
    let futures: Vec<_> = (0..16)
        .map(|_| {
            t.op_with(
                "calls.create",
                &[],
                "",
                Some(body.clone()),
                &[("idempotency-key", "dial-once")],
            )
        })
        .collect();
    let results = futures::future::join_all(futures).await;
    let ids: std::collections::HashSet<String> = results
        .iter()
        .map(|r| {
            r.expect(201);
            r.body["call_id"].as_str().unwrap().to_string()
        })
        .collect();
    assert_eq!(ids.len(), 1);
    assert_eq!(m.counts(&t).await["calls"], 1);
    assert_eq!(
        results
            .iter()
            .filter(|r| r.header("idempotent-replayed").is_none())
            .count(),
        1
    );
}
