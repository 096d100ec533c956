//! List shapes (envelope and bare array), defaults, caps and order.

use crate::common::*;
use nixflex_mock::ListShape;
use serde_json::{Value, json};

async fn agents(t: &Tenant, n: usize) -> Vec<String> {
    let mut ids = Vec::new();
    for i in 0..n {
        let r = t
            .op(
                "agents.create",
                &[],
                Some(json!({ "name": format!("agent {i}") })),
            )
            .await;
        ids.push(r.body["agent_id"].as_str().unwrap().to_string());
    }
    ids
}

fn ids(items: &Value) -> Vec<String> {
    items
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["agent_id"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn envelope_defaults_caps_and_order() {
    let m = mock().await;
    let t = m.tenant().await;
    let created = agents(&t, 120).await;
    let r = t.op("agents.list", &[], None).await;
    assert_matches_spec("agents.list", &r.body);
    assert_eq!(r.body["count"], 120);
    assert_eq!(r.body["limit"], 25);
    assert_eq!(r.body["offset"], 0);
    let page = ids(&r.body["agents"]);
    assert_eq!(page.len(), 25);
    assert_eq!(page[0], created[119], "newest first");
    let r = t.op_with("agents.list", &[], "limit=500", None, &[]).await;
    assert_eq!(r.body["limit"], 100, "reduced, not rejected");
    assert_eq!(r.body["agents"].as_array().unwrap().len(), 100);
    let r = t
        .op_with("agents.list", &[], "limit=10&offset=115", None, &[])
        .await;
    assert_eq!(
        ids(&r.body["agents"]),
        created[..5].iter().rev().cloned().collect::<Vec<_>>()
    );
    let r = t
        .op_with("agents.list", &[], "offset=1000", None, &[])
        .await;
    assert_eq!(r.body["agents"], json!([]));
    // Inactive agents are not listed.
    t.op(
        "agents.update",
        &[("agent_id", &created[119])],
        Some(json!({ "is_active": false })),
    )
    .await
    .expect(200);
    let r = t.op_with("agents.list", &[], "limit=1", None, &[]).await;
    assert_eq!(r.body["count"], 119);
    assert_eq!(ids(&r.body["agents"]), vec![created[118].clone()]);
}

#[tokio::test]
async fn array_shape_per_tenant_and_per_server() {
    let m = mock().await;
    let t = m.tenant().await;
    let cfg = m.configure(&t, json!({ "list_shape": "array" })).await;
    assert_eq!(cfg["list_shape"], "array");
    agents(&t, 210).await;
    let r = t.op("agents.list", &[], None).await;
    assert_matches_spec("agents.list", &r.body);
    assert_eq!(
        r.body.as_array().unwrap().len(),
        100,
        "array default of agents"
    );
    let r = t.op_with("agents.list", &[], "limit=1000", None, &[]).await;
    assert_eq!(r.body.as_array().unwrap().len(), 200, "array cap");
    let r = t.op("calls.list", &[], None).await;
    assert_eq!(r.body, json!([]));
    // The newest SMS campaign list is keyed, with no count.
    let r = t.op("sms.campaigns.list", &[], None).await;
    assert_matches_spec("sms.campaigns.list", &r.body);
    assert_eq!(r.body, json!({ "campaigns": [] }));
    // Another tenant keeps the server default.
    let other = m.tenant().await;
    assert!(other.op("agents.list", &[], None).await.body.is_object());

    let m = mock_with(ListShape::Array).await;
    let t = m.tenant().await;
    agents(&t, 3).await;
    let r = t.op("agents.list", &[], None).await;
    assert_eq!(r.body.as_array().unwrap().len(), 3);
    m.configure(&t, json!({ "list_shape": "envelope" })).await;
    assert_eq!(t.op("agents.list", &[], None).await.body["count"], 3);
}

#[tokio::test]
async fn calls_default_page_in_array_shape_is_50() {
    let m = mock_with(ListShape::Array).await;
    let t = m.tenant().await;
    m.configure(&t, json!({ "call_ring_ms": 0, "call_duration_ms": 0 }))
        .await;
    let agent = t.agent().await;
    t.number(&agent, "+447700900001").await;
    let recipients: Vec<Value> = (0..60)
        .map(|i| json!({ "phone": format!("+4477009{i:05}") }))
        .collect();
    t.op(
        "campaigns.create",
        &[],
        Some(json!({ "agent_id": agent, "prompt": "x", "recipients": recipients })),
    )
    .await
    .expect(201);
    let r = t.op("calls.list", &[], None).await;
    assert_eq!(r.body.as_array().unwrap().len(), 50);
    let r = t
        .op_with(
            "calls.list",
            &[],
            &format!("agent_id={agent}&limit=200"),
            None,
            &[],
        )
        .await;
    assert_eq!(r.body.as_array().unwrap().len(), 60);
    let r = t
        .op_with("calls.list", &[], "agent_id=agent_other", None, &[])
        .await;
    assert_eq!(r.body, json!([]));
}
