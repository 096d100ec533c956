//! The admin API itself: reset, tenant config, journal, counts.

use crate::common::*;
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn tenant_config_round_trip() {
    let m = mock().await;
    let t = m.tenant().await;
    let path = format!("/__mock/tenants/{}/config", t.key_id);
    let c = m.admin(Method::GET, &path, None).await;
    c.expect(200);
    assert_eq!(
        c.body,
        json!({
            "list_shape": "envelope",
            "rate_limit": null,
            "call_ring_ms": 200,
            "call_duration_ms": 1000,
            "webhook_retry_delays_ms": [100, 200, 400, 800],
            "clock_offset_seconds": 0,
            "journal": true,
        })
    );
    let c = m.configure(&t, json!({ "call_ring_ms": 5 })).await;
    assert_eq!(c["call_ring_ms"], 5);
    assert_eq!(c["call_duration_ms"], 1000, "merged, not replaced");
    m.admin(Method::PUT, &path, Some(json!({ "call_ring_ms": "soon" })))
        .await
        .expect(400);
    m.admin(Method::PUT, &path, Some(json!({ "unknown": 1 })))
        .await
        .expect(400);
    m.admin(Method::PUT, &path, Some(json!({ "list_shape": "tree" })))
        .await
        .expect(400);
    m.admin(Method::GET, "/__mock/tenants/nxf_nope/config", None)
        .await
        .expect_error(404, "not_found");
}

#[tokio::test]
async fn journal_records_requests_and_can_be_turned_off() {
    let m = mock().await;
    let t = m.tenant().await;
    let agent = t.agent().await;
    t.op_with(
        "agents.update",
        &[("agent_id", &agent)],
        "",
        Some(json!({ "name": "New" })),
        &[("idempotency-key", "ik-1"), ("x-custom", "yes")],
    )
    .await
    .expect(200);
    t.op_with("agents.list", &[], "limit=5&offset=1", None, &[])
        .await
        .expect(200);
    // A bad secret is journaled too: the key id is known.
    send(
        &m.http,
        Method::GET,
        &format!("{}/v1/agents", m.url),
        None,
        &[("authorization", &format!("Bearer {}:nxfs_wrong", t.key_id))],
    )
    .await
    .expect(401);
    let j = m.journal(&t, None).await;
    assert_eq!(j.len(), 4);
    let seqs: Vec<u64> = j.iter().map(|e| e["seq"].as_u64().unwrap()).collect();
    assert_eq!(seqs, [1, 2, 3, 4]);
    let u = &j[1];
    assert_eq!(u["method"], "PUT");
    assert_eq!(u["operation"], "agents.update");
    assert_eq!(u["decoded_path_params"]["agent_id"], json!(agent));
    assert_eq!(u["headers"]["x-custom"], "yes");
    assert_eq!(u["headers"]["idempotency-key"], "ik-1");
    assert_eq!(u["idempotency_key"], "ik-1");
    assert_eq!(u["body"], json!({ "name": "New" }));
    assert_eq!(u["status"], 200);
    assert_eq!(u["replayed"], false);
    assert!(u["at_ms"].as_i64().unwrap() > 0);
    assert_eq!(j[2]["query"], json!({ "limit": "5", "offset": "1" }));
    assert_eq!(j[3]["status"], 401);
    assert_eq!(m.journal(&t, Some("agents.list")).await.len(), 2);

    m.admin(
        Method::DELETE,
        &format!("/__mock/journal?key_id={}", t.key_id),
        None,
    )
    .await
    .expect(200);
    assert!(m.journal(&t, None).await.is_empty());
    m.configure(&t, json!({ "journal": false })).await;
    t.op("agents.list", &[], None).await.expect(200);
    assert!(m.journal(&t, None).await.is_empty());
}

#[tokio::test]
async fn reset_forgets_every_tenant() {
    let m = mock().await;
    let t = m.tenant().await;
    t.agent().await;
    assert_eq!(m.counts(&t).await["agents"], 1);
    m.admin(Method::POST, "/__mock/reset", None)
        .await
        .expect(200);
    t.op("agents.list", &[], None)
        .await
        .expect_error(401, "unauthorized");
    m.admin(
        Method::GET,
        &format!("/__mock/tenants/{}/counts", t.key_id),
        None,
    )
    .await
    .expect_error(404, "not_found");
}

#[tokio::test]
async fn counts_cover_every_resource() {
    let m = mock().await;
    let t = m.tenant().await;
    m.configure(&t, json!({ "call_ring_ms": 0, "call_duration_ms": 0 }))
        .await;
    let agent = t.agent().await;
    let n = "+447700900001";
    t.number(&agent, n).await;
    t.op(
        "calls.create",
        &[],
        Some(json!({ "agent_id": agent, "to_number": "+447700900002", "prompt": "x" })),
    )
    .await
    .expect(201);
    t.op(
        "sms.send",
        &[],
        Some(json!({ "agent_id": agent, "to": "+447700900002", "message": "x" })),
    )
    .await
    .expect(201);
    t.op("campaigns.create", &[], Some(json!({ "agent_id": agent, "prompt": "x", "recipients": [{ "phone": "+447700900003" }] })))
        .await
        .expect(201);
    t.op(
        "sms.campaigns.create",
        &[],
        Some(json!({ "agent_id": agent, "from_number": n, "name": "x", "message_template": "x", "recipients": [], "schedule_type": "now" })),
    )
    .await
    .expect(201);
    assert_eq!(
        m.counts(&t).await,
        json!({ "agents": 1, "calls": 2, "phone_numbers": 1, "sms_campaigns": 1, "voice_campaigns": 1, "sms_sent": 1 })
    );
}
