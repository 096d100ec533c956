//! Typed models keep what they do not name: a record read through the typed API serializes back
//! to what the server sent, field for field.

mod common;

use common::Tenant;
use nixflex::models::OutboundCallCreate;
use nixflex::{Method, RequestOptions};
use serde_json::{Value, json};

/// JSON as compared here: without nulls (the models leave unset options out when they
/// serialize) and with every number as a float (a model's `f64` writes `620` as `620.0`).
fn normalized(v: Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, normalized(v)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.into_iter().map(normalized).collect()),
        Value::Number(n) => json!(n.as_f64()),
        other => other,
    }
}

#[tokio::test]
async fn a_typed_call_record_round_trips_every_field_the_server_sent() {
    let tenant = Tenant::new().await;
    tenant
        .configure(json!({"call_ring_ms": 0, "call_duration_ms": 0}))
        .await;
    let client = tenant.client();
    let agent_id = common::agent_with_number(&client, "Keeper").await;
    let placed = client
        .calls()
        .create(&OutboundCallCreate::new(
            agent_id,
            "+447700900555",
            "Keep it all",
        ))
        .await
        .unwrap();

    let typed = client.calls().get(&placed.call_id).await.unwrap();
    let path = format!("/v1/calls/{}", placed.call_id);
    let raw = client
        .request(Method::Get, &path, &[], None, &RequestOptions::new())
        .await
        .unwrap();
    let raw: Value = serde_json::from_slice(&raw).unwrap();

    assert!(
        !typed.extra.is_empty(),
        "the mock sends fields the model does not name (both names of the analysis fields)"
    );
    assert_eq!(
        normalized(serde_json::to_value(&*typed).unwrap()),
        normalized(raw),
        "nothing the server sent is dropped"
    );
}
