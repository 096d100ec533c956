//! Each status gives its error kind with every field the API sent.

mod common;

use common::{Tenant, mock_url};
use nixflex::{ErrorKind, Method, RequestOptions};
use serde_json::json;

#[tokio::test]
async fn each_status_maps_to_its_kind_with_the_envelope_fields() {
    let cases = [
        (400, ErrorKind::InvalidRequest),
        (401, ErrorKind::Authentication),
        (402, ErrorKind::PaymentRequired),
        (403, ErrorKind::PermissionDenied),
        (404, ErrorKind::NotFound),
        (409, ErrorKind::Conflict),
        (422, ErrorKind::InvalidRequest),
        (429, ErrorKind::RateLimited),
        (500, ErrorKind::Server),
        (502, ErrorKind::Upstream),
        (503, ErrorKind::Server),
    ];
    for (status, kind) in cases {
        let tenant = Tenant::new().await;
        tenant
            .faults("usage.get", json!([{"status": status, "retry_after": "0"}]))
            .await;
        let client = tenant.builder().max_retries(0).build().unwrap();
        let err = client.usage().get().await.unwrap_err();
        assert_eq!(err.kind(), kind, "status {status}");
        assert_eq!(err.status(), Some(status));
        assert!(
            err.code().is_some_and(|c| !c.is_empty()),
            "status {status}: {err:?}"
        );
        assert!(
            err.doc_url()
                .is_some_and(|u| u.starts_with("https://docs.nixflex.com/errors/"))
        );
        assert!(
            err.request_id().is_some_and(|id| id.starts_with("req_")),
            "{err:?}"
        );
        assert_eq!(err.attempts(), 1);
    }
}

#[tokio::test]
async fn real_api_errors_carry_their_codes() {
    let tenant = Tenant::new().await;
    let client = tenant.client();
    let err = client
        .agents()
        .get("agent_0000000000000000")
        .await
        .unwrap_err();
    assert_eq!(
        (err.kind(), err.code()),
        (ErrorKind::NotFound, Some("agent_not_found"))
    );

    let err = client
        .request(
            Method::Post,
            "/v1/calls/outbound",
            &[],
            Some("{}".into()),
            &RequestOptions::new(),
        )
        .await
        .unwrap_err();
    assert_eq!(
        (err.kind(), err.code()),
        (ErrorKind::InvalidRequest, Some("missing_field"))
    );
    assert!(
        err.idempotency_key().is_some(),
        "a failed mutation says which key it carried"
    );

    let err = client
        .request(
            Method::Post,
            "/v1/agents",
            &[],
            Some("{not json".into()),
            &RequestOptions::new(),
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("invalid_json"));
}

#[tokio::test]
async fn a_wrong_key_is_an_authentication_error_that_does_not_leak_it() {
    let client = nixflex::Client::builder()
        .api_key("nxf_0123456789abcdef0123456789abcdef:nxfs_wrongsecretwrongsecret")
        .base_url(mock_url())
        .build()
        .unwrap();
    let err = client.usage().get().await.unwrap_err();
    assert_eq!(
        (err.kind(), err.status(), err.attempts()),
        (ErrorKind::Authentication, Some(401), 1)
    );
    for text in [err.to_string(), format!("{err:?}"), format!("{client:?}")] {
        assert!(!text.contains("wrongsecret"), "{text}");
    }
}

#[tokio::test]
async fn a_non_json_error_body_still_gives_the_right_kind() {
    let tenant = Tenant::new().await;
    tenant
        .faults(
            "usage.get",
            json!([{"status": 502, "body": "<html><body><h1>502 Bad Gateway</h1></body></html>", "content_type": "text/html"}]),
        )
        .await;
    let err = tenant
        .builder()
        .max_retries(0)
        .build()
        .unwrap()
        .usage()
        .get()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Upstream);
    assert_eq!(err.code(), None);
    assert!(
        err.message().contains("502 Bad Gateway"),
        "{}",
        err.message()
    );
    assert!(err.request_id().is_some());
}

#[tokio::test]
async fn a_success_that_is_not_json_is_a_decode_error() {
    for content_type in ["text/plain", "application/json"] {
        let tenant = Tenant::new().await;
        tenant
            .faults(
                "agents.create",
                json!([{"status": 200, "body": "plain text, not JSON", "content_type": content_type}]),
            )
            .await;
        let err = tenant
            .client()
            .agents()
            .create(&nixflex::models::AgentCreate::new("Ada"))
            .await
            .unwrap_err();
        assert_eq!(
            (err.kind(), err.status()),
            (ErrorKind::Decode, Some(200)),
            "{content_type}"
        );
        assert!(err.message().contains("plain text"));
        assert!(err.request_id().is_some());
        assert_eq!(err.attempts(), 1, "a decode error is not retried");
        assert!(err.idempotency_key().is_some());
    }
}

#[tokio::test]
async fn a_refused_connection_is_a_connection_error_after_retries() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let client = nixflex::Client::builder()
        .api_key("nxf_0123456789abcdef0123456789abcdef:nxfs_x1")
        .base_url(url)
        .max_retries(1)
        .build()
        .unwrap();
    let err = client.usage().get().await.unwrap_err();
    assert_eq!((err.kind(), err.attempts()), (ErrorKind::Connection, 2));
}

#[test]
fn bad_configuration_is_a_clear_error() {
    let err = nixflex::Client::builder()
        .api_key("nxf_abc:nxfs_x1")
        .base_url("ftp://x")
        .build()
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Configuration);
    assert!(err.message().contains("scheme"));
    let err = nixflex::Client::builder()
        .api_key("nxf_abc:nxfs_x1")
        .default_header("bad header", "v")
        .build()
        .unwrap_err();
    assert!(err.message().contains("header name"));
    let err = nixflex::Client::builder()
        .api_key("nxf_abc:nxfs_x1")
        .default_header("Idempotency-Key", "k")
        .build()
        .unwrap_err();
    assert!(
        err.message().contains("each call needs its own key"),
        "{err}"
    );
}

#[test]
fn a_key_pasted_into_the_base_url_is_not_echoed() {
    for url in [
        "nxf_abc:nxfs_s3cr3t",
        "ftp://nxf_abc:nxfs_s3cr3t@x",
        "https://nxf_abc:nxfs_s3cr3t@api.nixflex.com",
    ] {
        let err = nixflex::Client::builder()
            .api_key("nxf_abc:nxfs_x1")
            .base_url(url)
            .build()
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Configuration);
        assert!(err.message().contains("base URL"), "{err}");
        for text in [err.to_string(), format!("{err:?}")] {
            assert!(!text.contains("s3cr3t"), "secret leaked in: {text}");
        }
    }
}

#[tokio::test]
async fn a_redirect_is_not_followed() {
    let tenant = Tenant::new().await;
    tenant
        .faults(
            "agents.create",
            json!([{"status": 302, "location": "/v1/agents"}, {"status": 307, "location": "/v1/agents"}]),
        )
        .await;
    let agents = tenant.client().agents();
    for status in [302, 307] {
        let err = agents
            .create(&nixflex::models::AgentCreate::new("Ada"))
            .await
            .unwrap_err();
        assert_eq!(err.status(), Some(status));
        assert_eq!(err.attempts(), 1, "a 3xx is final");
    }
    // Followed, the 302 would have become GET /v1/agents and the 307 a second POST.
    assert!(tenant.journal("agents.list").await.is_empty());
    assert_eq!(tenant.journal("agents.create").await.len(), 2);
    assert_eq!(tenant.counts().await["agents"], 0);
}
