//! 500 outbound calls under 30% random faults create exactly 500 calls: none dialled twice,
//! none lost. The faults: 503, 429, the connection dropped after the work was done, a delay past
//! the client's timeout before the work (nothing done) and after it (done, the answer late).

mod common;

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use common::Tenant;
use futures::{StreamExt, stream};
use nixflex::RequestOptions;
use nixflex::models::OutboundCallCreate;
use serde_json::json;

const CALLS: usize = 500;
/// A call that still fails after this many re-issues is lost: the test fails instead of hanging.
const MAX_REISSUES: usize = 20;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_hundred_calls_under_faults_create_exactly_five_hundred() {
    let tenant = Tenant::new().await;
    tenant.configure(json!({"journal": true})).await;
    let agent_id = common::agent_with_number(&tenant.client(), "Dialler").await;

    tenant
        .arm(json!({
            "key_id": tenant.key_id,
            "operation": "calls.create",
            "random": {
                "probability": 0.3,
                "seed": 20261203,
                "choices": [
                    {"status": 503},
                    {"status": 429, "retry_after": "0"},
                    {"drop": "after"},
                    {"delay_ms": 1200},
                    {"delay_after_ms": 1200}
                ]
            }
        }))
        .await;

    let client = tenant
        .builder()
        .timeout(Duration::from_millis(400))
        .max_retries(2)
        .build()
        .unwrap();
    let attempts = AtomicU32::new(0);
    let reissued = AtomicU32::new(0);
    let results: Vec<String> = stream::iter(0..CALLS)
        .map(|i| {
            let (client, agent_id, attempts, reissued) = (&client, &agent_id, &attempts, &reissued);
            async move {
                let body = OutboundCallCreate::new(
                    agent_id.clone(),
                    format!("+4477009{i:05}"),
                    "Confirm the booking",
                );
                let mut options = RequestOptions::new();
                for _ in 0..=MAX_REISSUES {
                    match client
                        .calls()
                        .with_options(options.clone())
                        .create(&body)
                        .await
                    {
                        Ok(call) => {
                            attempts.fetch_add(call.meta().attempts, Ordering::Relaxed);
                            return call.call_id.clone();
                        }
                        Err(err) => {
                            attempts.fetch_add(err.attempts(), Ordering::Relaxed);
                            reissued.fetch_add(1, Ordering::Relaxed);
                            // Re-issue with the key the error carries: the server replays or does
                            // the work once.
                            let key = err
                                .idempotency_key()
                                .expect("a failed mutation carries its key");
                            options = options.idempotency_key(key);
                        }
                    }
                }
                panic!("call {i} still failed after {MAX_REISSUES} re-issues");
            }
        })
        .buffer_unordered(16)
        .collect()
        .await;

    tokio::time::sleep(Duration::from_millis(1500)).await; // let delayed first attempts land
    let mut unique = results.clone();
    unique.sort();
    unique.dedup();
    let created = tenant.counts().await["calls"].as_u64().unwrap();
    let journal = tenant.journal("calls.create").await;
    let faulted = journal.iter().filter(|e| !e["fault"].is_null()).count();
    let replayed = journal.iter().filter(|e| e["replayed"] == true).count();
    // Read from the request headers: a faulted attempt is answered before the mock parses its key.
    let mut keys = common::keys_of(&journal);
    assert!(
        keys.iter().all(|k| !k.is_empty()),
        "every attempt carries a key"
    );
    keys.sort_unstable();
    keys.dedup();
    // Shown by `./scripts/test`, which runs this test with --nocapture.
    println!(
        "exactly-once (rust): {CALLS} logical calls.create, {} requests received ({faulted} faulted), \
         {} attempts seen by the client, {} re-issued with their key after exhausting retries, \
         {replayed} idempotent replays, {} keys, {} distinct call ids, {created} calls on the mock",
        journal.len(),
        attempts.load(Ordering::Relaxed),
        reissued.load(Ordering::Relaxed),
        keys.len(),
        unique.len()
    );
    assert_eq!(unique.len(), CALLS);
    assert_eq!(created, CALLS as u64);
    assert_eq!(keys.len(), CALLS, "one idempotency key per logical call");
    assert!(
        faulted * 5 > journal.len(),
        "about 30% of the requests were faulted"
    );
    assert!(replayed > 0, "work done under a fault was replayed");
    assert!(
        reissued.load(Ordering::Relaxed) > 0,
        "some calls exhausted their retries and were re-issued"
    );
}
