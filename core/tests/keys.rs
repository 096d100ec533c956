//! `keys.create` needs no key: an anonymous client has the full builder and request options.

mod common;

use std::time::Duration;

use nixflex::models::KeyCreate;
use nixflex::{Client, ErrorKind, RequestOptions};

#[tokio::test]
async fn an_anonymous_client_creates_keys_with_request_options() {
    let anonymous = Client::builder()
        .anonymous()
        .base_url(common::mock_url())
        .timeout(Duration::from_secs(5))
        .product("nixflex-test", "9.9.9")
        .build()
        .unwrap();
    let options = RequestOptions::new()
        .idempotency_key("create-key-test-0001")
        .max_retries(0);
    let created = anonymous
        .keys()
        .with_options(options)
        .create(&KeyCreate::default())
        .await
        .unwrap();
    assert_eq!(
        created.meta().idempotency_key.as_deref(),
        Some("create-key-test-0001")
    );
    assert_eq!(created.meta().attempts, 1);

    // Operations that need a key are refused: the placeholder is no key.
    let err = anonymous.usage().get().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Authentication);

    let key = format!("{}:{}", created.key_id, created.key_secret);
    let client = Client::builder()
        .api_key(key)
        .base_url(common::mock_url())
        .build()
        .unwrap();
    client.usage().get().await.unwrap();
}
