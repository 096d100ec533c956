//! Request validation, routing errors and authentication.

use crate::common::*;
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn body_validation_maps_to_api_codes() {
    let m = mock().await;
    let t = m.tenant().await;
    let create = |v: serde_json::Value| t.op("agents.create", &[], Some(v));
    let r = create(json!({ "system_prompt": "hi" })).await;
    r.expect_error(400, "missing_field");
    assert!(
        r.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("name")
    );
    assert_eq!(r.body["error"]["details"]["field"], "name");
    let r = create(json!({ "name": "A", "system_prompt": "x".repeat(16001) })).await;
    r.expect_error(400, "prompt_too_long");
    assert!(
        r.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("system_prompt")
    );
    create(json!({ "name": "A", "language": "xx" }))
        .await
        .expect_error(400, "invalid_language");
    create(json!({ "name": "A", "voice_id": "Nobody" }))
        .await
        .expect_error(400, "invalid_voice_id");
    create(json!({ "name": "A", "voicemail_leave_enabled": true }))
        .await
        .expect_error(400, "voicemail_message_required");
    // Wrong types are invalid_request, naming the field.
    let r = create(json!({ "name": "A", "temperature": "hot" })).await;
    r.expect_error(400, "invalid_request");
    assert_eq!(r.body["error"]["details"]["field"], "temperature");
    let r = create(json!({ "name": 5 })).await;
    r.expect_error(400, "invalid_request");
    create(json!([1, 2]))
        .await
        .expect_error(400, "invalid_request");
    create(json!({ "name": "A", "webhook_url": "http://example.com/x" }))
        .await
        .expect_error(400, "invalid_url");
    let r = t
        .op(
            "calls.create",
            &[],
            Some(json!({ "agent_id": "a", "to_number": "12345", "prompt": "p" })),
        )
        .await;
    r.expect_error(400, "invalid_phone_format");
    assert_eq!(r.body["error"]["details"]["field"], "to_number");
    t.op(
        "integrations.webhook.set",
        &[("phone_number", "+447700900001")],
        Some(json!({ "url": "ftp://x" })),
    )
    .await
    .expect_error(400, "invalid_url");
}

#[tokio::test]
async fn malformed_json_and_bodies_on_get() {
    let m = mock().await;
    let t = m.tenant().await;
    let auth = format!("Bearer {}", t.api_key());
    let url = format!("{}/v1/agents", m.url);
    let r = m
        .http
        .post(&url)
        .header("authorization", &auth)
        .header("content-type", "application/json")
        .body("{\"name\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let v: serde_json::Value = r.json_value().await;
    assert_eq!(v["error"]["code"], "invalid_json");
    // A body on GET is ignored.
    let r = m
        .http
        .get(&url)
        .header("authorization", &auth)
        .body("not json at all")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    // An empty body reports the missing fields rather than bad JSON.
    let r = m
        .http
        .post(&url)
        .header("authorization", &auth)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(r.json_value().await["error"]["code"], "missing_field");
}

trait JsonValue {
    async fn json_value(self) -> serde_json::Value;
}

impl JsonValue for reqwest::Response {
    async fn json_value(self) -> serde_json::Value {
        serde_json::from_str(&self.text().await.unwrap()).unwrap()
    }
}

#[tokio::test]
async fn query_parameters_are_typed() {
    let m = mock().await;
    let t = m.tenant().await;
    let r = t.op_with("agents.list", &[], "limit=abc", None, &[]).await;
    r.expect_error(400, "invalid_request");
    assert!(
        r.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("limit")
    );
    t.op_with("agents.list", &[], "limit=0", None, &[])
        .await
        .expect_error(400, "invalid_request");
    t.op_with("agents.list", &[], "offset=-1", None, &[])
        .await
        .expect_error(400, "invalid_request");
    t.op_with("sms.campaigns.list", &[], "status=nope", None, &[])
        .await
        .expect_error(400, "invalid_request");
    t.op_with("agents.list", &[], "limit=5&offset=0&unknown=1", None, &[])
        .await
        .expect(200);
}

#[tokio::test]
async fn unknown_routes_and_methods() {
    let m = mock().await;
    let r = m.admin(Method::GET, "/v1/nothing-here", None).await;
    r.expect_error(404, "not_found");
    let r = m.admin(Method::GET, "/", None).await;
    r.expect_error(404, "not_found");
    let r = m.admin(Method::PATCH, "/v1/agents", None).await;
    r.expect_error(405, "method_not_allowed");
    assert_eq!(r.header("allow"), Some("GET, POST"));
    // Routing happens before authentication: no key, known route → 401; unknown → 404.
    m.admin(Method::GET, "/v1/agents", None)
        .await
        .expect_error(401, "unauthorized");
}

#[tokio::test]
async fn authentication() {
    let m = mock().await;
    let t = m.tenant().await;
    let url = format!("{}/v1/agents", m.url);
    for header in [
        None,
        Some("Bearer".to_string()),
        Some(format!("Bearer {}", t.key_id)),
        Some(format!("Basic {}", t.api_key())),
        Some(format!("Bearer {}:nxfs_wrong", t.key_id)),
        Some(format!("Bearer nxf_{}:{}", "0".repeat(32), t.secret)),
        Some(format!("Bearer {} {}", t.key_id, t.secret)),
    ] {
        let headers: Vec<(&str, &str)> = header
            .iter()
            .map(|h| ("authorization", h.as_str()))
            .collect();
        send(&m.http, Method::GET, &url, None, &headers)
            .await
            .expect_error(401, "unauthorized");
    }
    let r = send(
        &m.http,
        Method::GET,
        &url,
        None,
        &[("authorization", &format!("bearer {}", t.api_key()))],
    )
    .await;
    r.expect(200);
    // Keys created through the API work at once and start empty.
    let k = m.admin(Method::POST, "/v1/keys", None).await;
    k.expect(201);
    let key = format!(
        "Bearer {}:{}",
        k.body["key_id"].as_str().unwrap(),
        k.body["key_secret"].as_str().unwrap()
    );
    let r = send(&m.http, Method::GET, &url, None, &[("authorization", &key)]).await;
    r.expect(200);
    assert_eq!(r.body["count"], 0);
    assert!(k.body["key_id"].as_str().unwrap().len() == 36);
    assert!(k.body["key_secret"].as_str().unwrap().len() == 53);
}

#[tokio::test]
async fn key_rotation_invalidates_the_old_secret() {
    let m = mock().await;
    let mut t = m.tenant().await;
    let agent = t.agent().await;
    let r = t.op("keys.rotate", &[], None).await;
    r.expect(200);
    assert_eq!(r.body["key_id"], serde_json::json!(t.key_id));
    let new_secret = r.body["key_secret"].as_str().unwrap().to_string();
    assert_ne!(new_secret, t.secret);
    t.op("agents.get", &[("agent_id", &agent)], None)
        .await
        .expect_error(401, "unauthorized");
    t.secret = new_secret;
    t.op("agents.get", &[("agent_id", &agent)], None)
        .await
        .expect(200);
}

#[tokio::test]
async fn key_creation_limit_is_configurable() {
    let m = mock().await;
    for _ in 0..5 {
        m.admin(Method::POST, "/v1/keys", None).await.expect(201);
    }
    m.admin(
        Method::PUT,
        "/__mock/config",
        Some(json!({ "key_creation_limit_per_hour": 2 })),
    )
    .await
    .expect(200);
    m.admin(Method::POST, "/v1/keys", None).await.expect(201);
    m.admin(Method::POST, "/v1/keys", None).await.expect(201);
    let r = m.admin(Method::POST, "/v1/keys", None).await;
    r.expect_error(429, "rate_limit_exceeded");
    let secs: u64 = r.header("retry-after").unwrap().parse().unwrap();
    assert!((3590..=3600).contains(&secs), "{secs}");
    assert_eq!(r.body["error"]["details"]["retry_after"], json!(secs));
    // Admin tenants are never limited.
    m.tenant().await;
    m.admin(
        Method::PUT,
        "/__mock/config",
        Some(json!({ "key_creation_limit_per_hour": null })),
    )
    .await
    .expect(200);
    m.admin(Method::POST, "/v1/keys", None).await.expect(201);
}

#[tokio::test]
async fn encoded_path_segments() {
    let m = mock().await;
    let t = m.tenant().await;
    let agent = t.agent().await;
    t.number(&agent, "+447700900001").await;
    let auth = format!("Bearer {}", t.api_key());
    // `%2B` decodes to `+`; a raw `+` is kept as `+` (never a space).
    for path in [
        "/v1/integrations/monitor/number/%2B447700900001",
        "/v1/integrations/monitor/number/+447700900001",
    ] {
        send(
            &m.http,
            Method::GET,
            &format!("{}{path}", m.url),
            None,
            &[("authorization", &auth)],
        )
        .await
        .expect(200);
    }
    // `%2F` stays inside one segment: this is a caller id containing a slash, not a longer path.
    let r = send(
        &m.http,
        Method::GET,
        &format!("{}/v1/phone-numbers/%2B447700900001/callers/a%2Fb", m.url),
        None,
        &[("authorization", &auth)],
    )
    .await;
    r.expect_error(404, "caller_not_found");
    let j = m.journal(&t, Some("phone_numbers.callers.get")).await;
    assert_eq!(j[0]["decoded_path_params"]["caller_number"], "a/b");
    assert_eq!(
        j[0]["path"],
        "/v1/phone-numbers/%2B447700900001/callers/a%2Fb"
    );
}

#[tokio::test]
async fn h2c_is_served() {
    let m = mock().await;
    let t = m.tenant().await;
    let h2 = reqwest::Client::builder()
        .no_proxy()
        .http2_prior_knowledge()
        .build()
        .unwrap();
    let r = send(
        &h2,
        Method::GET,
        &format!("{}/v1/agents", m.url),
        None,
        &[("authorization", &format!("Bearer {}", t.api_key()))],
    )
    .await;
    r.expect(200);
}
