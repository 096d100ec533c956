//! Path values are one encoded segment each, whatever they contain.

mod common;

use common::Tenant;

#[tokio::test]
async fn awkward_ids_stay_one_segment() {
    let tenant = Tenant::new().await;
    let client = tenant.client();
    let awkward = "a/b?c#d+e f%";
    let err = client.agents().get(awkward).await.unwrap_err();
    assert_eq!(err.status(), Some(404));
    let journal = tenant.journal("agents.get").await;
    assert_eq!(journal[0]["path"], "/v1/agents/a%2Fb%3Fc%23d%2Be%20f%25");
    assert_eq!(journal[0]["decoded_path_params"]["agent_id"], awkward);
}

#[tokio::test]
async fn phone_numbers_keep_their_plus() {
    let tenant = Tenant::new().await;
    let client = tenant.client();
    let err = client
        .integrations()
        .monitor()
        .get("+447700900123")
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(404));
    let journal = tenant.journal("integrations.monitor.get").await;
    assert_eq!(
        journal[0]["path"],
        "/v1/integrations/monitor/number/%2B447700900123"
    );
    assert_eq!(
        journal[0]["decoded_path_params"]["phone_number"],
        "+447700900123"
    );
}

#[tokio::test]
async fn dot_segments_are_refused_before_sending() {
    let tenant = Tenant::new().await;
    let err = tenant.client().agents().get("..").await.unwrap_err();
    assert_eq!(err.kind(), nixflex::ErrorKind::InvalidRequest);
    assert!(tenant.journal("agents.get").await.is_empty());
}
