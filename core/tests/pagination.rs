//! Walking 1,000 items in both list shapes, at page sizes below and above the server's cap.

mod common;

use common::Tenant;
use futures::{StreamExt, TryStreamExt, stream};
use nixflex::WalkOptions;
use nixflex::models::{AgentCreate, AgentsListParams};
use serde_json::json;

const TOTAL: usize = 1000;

async fn seeded() -> (Tenant, Vec<String>) {
    let tenant = Tenant::new().await;
    tenant.configure(json!({"journal": true})).await;
    let client = tenant.client();
    let agents = client.agents();
    stream::iter(0..TOTAL)
        .map(|i| {
            let agents = agents.clone();
            async move {
                agents
                    .create(&AgentCreate::new(format!("agent {i}")))
                    .await
                    .map(|_| ())
            }
        })
        .buffer_unordered(16)
        .try_collect::<Vec<()>>()
        .await
        .unwrap();
    // The reference order: one sequential walk of small pages.
    let mut ids = Vec::new();
    let mut offset = 0;
    loop {
        let page = agents
            .list(&AgentsListParams {
                limit: Some(50),
                offset: Some(offset),
            })
            .await
            .unwrap();
        if page.is_empty() {
            break;
        }
        offset += page.len() as i64;
        ids.extend(page.items.iter().map(|a| a.agent_id.clone()));
    }
    assert_eq!(ids.len(), TOTAL);
    (tenant, ids)
}

async fn walk(tenant: &Tenant, page_size: u32, max_items: Option<u64>) -> Vec<String> {
    let walk = WalkOptions {
        page_size,
        max_items,
        ..WalkOptions::default()
    };
    tenant
        .client()
        .agents()
        .iter(&AgentsListParams::default(), walk)
        .unwrap()
        .map_ok(|agent| agent.agent_id)
        .try_collect()
        .await
        .unwrap()
}

/// The offsets the walk asked for, beyond what the reference listing asked.
async fn walk_offsets(tenant: &Tenant, before: usize) -> Vec<u64> {
    tenant.journal("agents.list").await[before..]
        .iter()
        .map(|r| r["query"]["offset"].as_str().unwrap().parse().unwrap())
        .collect()
}

#[tokio::test]
async fn envelope_walks_stop_exactly_on_count() {
    let (tenant, expected) = seeded().await;
    for (page_size, server_page) in [(7, 7), (25, 25), (100, 100), (250, 100)] {
        let before = tenant.journal("agents.list").await.len();
        assert_eq!(
            walk(&tenant, page_size, None).await,
            expected,
            "page size {page_size}"
        );
        let mut offsets = walk_offsets(&tenant, before).await;
        offsets.sort_unstable();
        let pages = TOTAL.div_ceil(server_page);
        assert_eq!(
            offsets.len(),
            pages,
            "page size {page_size}: one request per page, none past the count"
        );
        assert!(offsets.iter().all(|o| *o < TOTAL as u64));
    }
}

#[tokio::test]
async fn array_walks_do_not_stop_early_above_the_cap() {
    let (tenant, expected) = seeded().await;
    tenant.configure(json!({"list_shape": "array"})).await;
    for page_size in [1, 25, 200, 500] {
        assert_eq!(
            walk(&tenant, page_size, None).await,
            expected,
            "page size {page_size}"
        );
    }
}

#[tokio::test]
async fn max_items_takes_exactly_that_many_in_both_shapes() {
    let (tenant, expected) = seeded().await;
    for shape in ["envelope", "array"] {
        tenant.configure(json!({"list_shape": shape})).await;
        assert_eq!(
            walk(&tenant, 100, Some(150)).await,
            expected[..150],
            "{shape}"
        );
        assert_eq!(walk(&tenant, 7, Some(3)).await, expected[..3], "{shape}");
        assert!(walk(&tenant, 7, Some(0)).await.is_empty());
    }
}

#[tokio::test]
async fn a_plain_list_returns_items_with_the_page_facts() {
    let tenant = Tenant::new().await;
    let agents = tenant.client().agents();
    for i in 0..3 {
        agents
            .create(&AgentCreate::new(format!("a{i}")))
            .await
            .unwrap();
    }
    let page = agents
        .list(&AgentsListParams {
            limit: Some(2),
            offset: None,
        })
        .await
        .unwrap();
    assert_eq!(
        (page.len(), page.count, page.limit, page.offset),
        (2, Some(3), Some(2), Some(0))
    );
    tenant.configure(json!({"list_shape": "array"})).await;
    let page = agents
        .list(&AgentsListParams {
            limit: Some(2),
            offset: Some(2),
        })
        .await
        .unwrap();
    assert_eq!((page.len(), page.count), (1, None));
    assert_eq!(page[0].name.as_deref(), Some("a0"), "newest first");
}

#[tokio::test]
async fn walk_errors_surface_and_end_the_walk() {
    let tenant = Tenant::new().await;
    tenant.faults("agents.list", json!([{"status": 404}])).await;
    let mut items = tenant
        .client()
        .agents()
        .iter(&AgentsListParams::default(), WalkOptions::default())
        .unwrap();
    let first = items.next().await.unwrap();
    assert_eq!(first.unwrap_err().status(), Some(404));
    assert!(items.next().await.is_none());
}

#[tokio::test]
async fn a_walk_refuses_limit_and_offset_it_would_override() {
    let tenant = Tenant::new().await;
    let params = AgentsListParams {
        limit: Some(5),
        offset: None,
    };
    let err = tenant
        .client()
        .agents()
        .iter(&params, WalkOptions::default())
        .err()
        .unwrap();
    assert_eq!(err.kind(), nixflex::ErrorKind::InvalidRequest);
}

#[tokio::test]
async fn array_walks_stop_exactly_on_a_short_or_empty_page() {
    let (tenant, expected) = seeded().await;
    tenant.configure(json!({"list_shape": "array"})).await;
    // 7: 142 full pages and a short one. 25: 40 full pages and an empty one. 500: above the
    // server's cap of 200, so 5 full pages of 200 and an empty one.
    for (page_size, requests) in [(7, 143), (25, 41), (500, 6)] {
        let before = tenant.journal("agents.list").await.len();
        assert_eq!(walk(&tenant, page_size, None).await, expected);
        let offsets = walk_offsets(&tenant, before).await;
        assert_eq!(offsets.len(), requests, "page size {page_size}");
    }
}

#[tokio::test]
async fn once_the_count_is_known_several_pages_are_fetched_at_once() {
    let (tenant, expected) = seeded().await;
    let delay_ms = 1000;
    tenant
        .arm(json!({
            "key_id": tenant.key_id,
            "operation": "agents.list",
            "random": {"probability": 1.0, "choices": [{"delay_ms": delay_ms}]}
        }))
        .await;
    let before = tenant.journal("agents.list").await.len();
    assert_eq!(walk(&tenant, 100, None).await, expected);
    let journal = tenant.journal("agents.list").await;
    let walked = &journal[before..];
    assert_eq!(walked.len(), 10);
    // The first page tells the count; the next 8 all go out before any of them is answered.
    let arrivals: Vec<i64> = walked[1..9]
        .iter()
        .map(|r| r["at_ms"].as_i64().unwrap())
        .collect();
    let spread = arrivals.iter().max().unwrap() - arrivals.iter().min().unwrap();
    assert!(
        spread < delay_ms,
        "pages 2 to 9 arrived over {spread} ms: not fetched at once"
    );
}

#[tokio::test]
async fn a_page_awaited_in_vain_is_not_lost() {
    let tenant = Tenant::new().await;
    let client = tenant.client();
    for i in 0..5 {
        client
            .agents()
            .create(&AgentCreate::new(format!("a{i}")))
            .await
            .unwrap();
    }
    // The second page answers late; the caller gives up on it once, then asks again.
    tenant
        .faults("agents.list", json!([{}, {"delay_ms": 400}]))
        .await;
    let walk = WalkOptions {
        page_size: 2,
        ..WalkOptions::default()
    };
    let mut pages = nixflex::Paginator::new(
        client.clone(),
        nixflex::operation("agents.list").unwrap(),
        nixflex::CallParams::new(),
        nixflex::RequestOptions::new(),
        walk,
    )
    .unwrap();
    let mut names = Vec::new();
    let mut gave_up = 0;
    loop {
        match tokio::time::timeout(std::time::Duration::from_millis(100), pages.next_page()).await {
            Err(_) => gave_up += 1,
            Ok(page) => match page.unwrap() {
                Some(page) => names.extend(
                    page.items
                        .iter()
                        .map(|a| a["name"].as_str().unwrap().to_owned()),
                ),
                None => break,
            },
        }
    }
    assert!(gave_up >= 1, "the slow page was given up on at least once");
    assert_eq!(
        names,
        ["a4", "a3", "a2", "a1", "a0"],
        "every item once, in order"
    );
}
