//! The call lifecycle and its signed webhooks, received by a small local server.

use crate::common::*;
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::TcpListener;

#[derive(Clone, Debug)]
struct Received {
    signature: String,
    body: String,
}

/// Answers each delivery with the next scripted status (then 200), recording what it got.
struct Receiver {
    url: String,
    got: Arc<Mutex<Vec<Received>>>,
}

async fn receiver(statuses: Vec<u16>) -> Receiver {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!(
        "http://127.0.0.1:{}/hook",
        listener.local_addr().unwrap().port()
    );
    let got = Arc::new(Mutex::new(Vec::new()));
    let script = Arc::new(Mutex::new(statuses.into_iter()));
    let got2 = got.clone();
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                return;
            };
            let (got, script) = (got2.clone(), script.clone());
            tokio::spawn(async move {
                let svc = service_fn(move |req: Request<Incoming>| {
                    let (got, script) = (got.clone(), script.clone());
                    async move {
                        let signature = req
                            .headers()
                            .get("x-nixflex-signature")
                            .map(|v| v.to_str().unwrap().to_string())
                            .unwrap_or_default();
                        let body = req.into_body().collect().await.unwrap().to_bytes();
                        got.lock().unwrap().push(Received {
                            signature,
                            body: String::from_utf8(body.to_vec()).unwrap(),
                        });
                        let status = script.lock().unwrap().next().unwrap_or(200);
                        Ok::<_, std::convert::Infallible>(
                            Response::builder()
                                .status(status)
                                .body(Full::new(Bytes::new()))
                                .unwrap(),
                        )
                    }
                });
                let _ = http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), svc)
                    .await;
            });
        }
    });
    Receiver { url, got }
}

/// What an SDK's verifier does: recompute the HMAC over `"<t>.<raw body>"`.
fn verify(secret: &str, header: &str, body: &str) -> bool {
    let t: i64 = header
        .split(',')
        .find_map(|p| p.strip_prefix("t="))
        .and_then(|t| t.parse().ok())
        .unwrap_or(0);
    nixflex_mock::webhook_signature(secret, t, body.as_bytes()) == header
}

async fn wait_for(mut cond: impl FnMut() -> bool, what: &str) {
    for _ in 0..200 {
        if cond() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("timed out waiting for {what}");
}

#[test]
fn golden_vector() {
    assert_eq!(
        nixflex_mock::webhook_signature(
            "nxfs_testsecret_0123456789abcdef",
            1_755_300_000,
            br#"{"event":"call.completed","call_id":"CA123"}"#
        ),
        "t=1755300000,v1=8244940dd2d19c8d603cfd55b40de1cd94b98de4aca1f56b98cdd5f44ea98031"
    );
}

#[tokio::test]
async fn a_call_goes_queued_in_progress_completed_by_the_tenants_clock() {
    let m = mock().await;
    let t = m.tenant().await;
    // Long timings and clock jumps instead of sleeps: deterministic on a busy machine.
    m.configure(
        &t,
        json!({ "call_ring_ms": 10_000, "call_duration_ms": 10_000 }),
    )
    .await;
    let agent = t.agent().await;
    t.number(&agent, "+447700900001").await;
    let r = t
        .op(
            "calls.create",
            &[],
            Some(json!({ "agent_id": agent, "to_number": "+447700900002", "prompt": "Say hi" })),
        )
        .await;
    r.expect(201);
    let call_id = r.body["call_id"].as_str().unwrap().to_string();
    let cp = [("call_id", call_id.as_str())];
    let c = t.op("calls.get", &cp, None).await;
    assert_eq!(c.body["call_status"], "queued");
    assert_eq!(c.body["transcript"], Value::Null);
    assert_eq!(c.body["answered_at"], Value::Null);
    m.configure(&t, json!({ "clock_offset_seconds": 15 })).await;
    let c = t.op("calls.get", &cp, None).await;
    assert_eq!(c.body["call_status"], "in_progress");
    assert!(c.body["answered_at"].is_i64());
    assert_eq!(c.body["end_timestamp"], Value::Null);
    m.configure(&t, json!({ "clock_offset_seconds": 25 })).await;
    let c = t.op("calls.get", &cp, None).await;
    assert_matches_spec("calls.get", &c.body);
    assert_eq!(c.body["call_status"], "completed");
    assert_eq!(c.body["duration_ms"], 10_000);
    assert_eq!(c.body["ended_reason"], "completed");
    assert!(c.body["transcript"].as_str().unwrap().contains("Caller:"));
    assert_eq!(c.body["call_summary"], c.body["summary"]);
    assert_eq!(c.body["caller_sentiment"], c.body["sentiment"]);
    assert_eq!(c.body["call_successful"], true);
    assert!(
        c.body["recording_url"]
            .as_str()
            .unwrap()
            .ends_with(&format!("{call_id}.mp3"))
    );
    assert_eq!(
        c.body["end_timestamp"].as_i64().unwrap() - c.body["start_timestamp"].as_i64().unwrap(),
        20_000
    );
    let u = t.op("usage.get", &[], None).await;
    assert_eq!(u.body["total_calls"], 1);
    assert_eq!(u.body["total_minutes"], 0.17);
    assert_eq!(u.body["total_cost"], 0.0136);
}

#[tokio::test]
async fn signed_webhooks_reach_both_slots_and_failures_are_retried() {
    let m = mock().await;
    let t = m.tenant().await;
    m.configure(&t, json!({ "call_ring_ms": 50, "call_duration_ms": 100, "webhook_retry_delays_ms": [20, 20, 20, 20] })).await;
    let agent = t.agent().await;
    let n = "+447700900001";
    t.number(&agent, n).await;
    let slot1 = receiver(vec![500]).await;
    let slot2 = receiver(vec![]).await;
    t.op(
        "integrations.webhook.set",
        &[("phone_number", n)],
        Some(json!({ "url": slot1.url })),
    )
    .await
    .expect(200);
    t.op(
        "integrations.webhook2.set",
        &[("phone_number", n)],
        Some(json!({ "url": slot2.url })),
    )
    .await
    .expect(200);
    t.op(
        "phone_numbers.callers.set",
        &[("phone_number", n), ("caller_number", "+447700900002")],
        Some(json!({ "name": "Al" })),
    )
    .await
    .expect(200);
    let r = t
        .op(
            "calls.create",
            &[],
            Some(json!({ "agent_id": agent, "to_number": "+447700900002", "prompt": "Say hi" })),
        )
        .await;
    r.expect(201);
    let call_id = r.body["call_id"].as_str().unwrap().to_string();

    // Slot 1 failed once with a 500 and got the event again; slot 2 got each event once.
    wait_for(|| slot1.got.lock().unwrap().len() >= 3, "slot 1 deliveries").await;
    wait_for(|| slot2.got.lock().unwrap().len() >= 2, "slot 2 deliveries").await;
    let s1 = slot1.got.lock().unwrap().clone();
    let events: Vec<String> = s1
        .iter()
        .map(|d| {
            serde_json::from_str::<Value>(&d.body).unwrap()["event"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(events, ["call.started", "call.started", "call.completed"]);
    for d in s1.iter().chain(slot2.got.lock().unwrap().iter()) {
        assert!(
            verify(&t.secret, &d.signature, &d.body),
            "signature {} over {}",
            d.signature,
            d.body
        );
        assert!(!verify("nxfs_other", &d.signature, &d.body));
    }
    let completed: Value = serde_json::from_str(&s1[2].body).unwrap();
    assert_eq!(completed["call_id"], json!(call_id));
    assert_eq!(completed["from"], n);
    assert_eq!(completed["to"], "+447700900002");
    assert_eq!(completed["status"], "completed");
    assert!(
        completed["transcript"]
            .as_str()
            .unwrap()
            .starts_with("Agent:")
    );
    assert!(completed["summary"].is_string());
    assert!(
        completed.get("api_key_id").is_none(),
        "internal data is never sent"
    );
    let started: Value = serde_json::from_str(&s1[0].body).unwrap();
    assert_eq!(started["summary"], Value::Null);
    assert_eq!(started["bookings"], json!([]));

    // The admin log shows every attempt.
    let log = m
        .admin(
            reqwest::Method::GET,
            &format!("/__mock/webhooks?key_id={}", t.key_id),
            None,
        )
        .await;
    let deliveries = log.body["deliveries"].as_array().unwrap();
    let to_slot1: Vec<&Value> = deliveries
        .iter()
        .filter(|d| d["url"] == json!(slot1.url))
        .collect();
    assert_eq!(to_slot1[0]["status"], 500);
    assert_eq!(to_slot1[0]["attempt"], 1);
    assert_eq!(to_slot1[1]["attempt"], 2);
    assert_eq!(to_slot1[1]["status"], 200);
    assert_eq!(to_slot1[0]["event"], "call.started");
    // The engine recorded the call on the known caller's context.
    let ctx = t
        .op(
            "phone_numbers.callers.get",
            &[("phone_number", n), ("caller_number", "+447700900002")],
            None,
        )
        .await;
    assert!(ctx.body["caller"]["context"]["last_call"].is_string());
}

#[tokio::test]
async fn webhook_retries_stop_at_five_attempts_and_on_other_4xx() {
    let m = mock().await;
    let t = m.tenant().await;
    m.configure(
        &t,
        json!({ "call_ring_ms": 0, "call_duration_ms": 5000, "webhook_retry_delays_ms": [10] }),
    )
    .await;
    let agent = t.agent().await;
    let n = "+447700900001";
    t.number(&agent, n).await;
    let failing = receiver(vec![503; 10]).await;
    let refusing = receiver(vec![404; 10]).await;
    t.op(
        "integrations.webhook.set",
        &[("phone_number", n)],
        Some(json!({ "url": failing.url })),
    )
    .await
    .expect(200);
    t.op(
        "integrations.webhook2.set",
        &[("phone_number", n)],
        Some(json!({ "url": refusing.url })),
    )
    .await
    .expect(200);
    t.op(
        "calls.create",
        &[],
        Some(json!({ "agent_id": agent, "to_number": "+447700900002", "prompt": "x" })),
    )
    .await
    .expect(201);
    wait_for(|| failing.got.lock().unwrap().len() >= 5, "five attempts").await;
    tokio::time::sleep(Duration::from_millis(150)).await;
    assert_eq!(failing.got.lock().unwrap().len(), 5);
    assert_eq!(refusing.got.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn rotation_changes_the_signing_secret_and_clock_offset_moves_t() {
    let m = mock().await;
    let mut t = m.tenant().await;
    m.configure(
        &t,
        json!({ "call_ring_ms": 0, "call_duration_ms": 5000, "clock_offset_seconds": -1000 }),
    )
    .await;
    let agent = t.agent().await;
    let n = "+447700900001";
    t.number(&agent, n).await;
    let rx = receiver(vec![]).await;
    t.op(
        "integrations.webhook.set",
        &[("phone_number", n)],
        Some(json!({ "url": rx.url })),
    )
    .await
    .expect(200);
    let r = t.op("keys.rotate", &[], None).await;
    t.secret = r.body["key_secret"].as_str().unwrap().to_string();
    t.op(
        "calls.create",
        &[],
        Some(json!({ "agent_id": agent, "to_number": "+447700900002", "prompt": "x" })),
    )
    .await
    .expect(201);
    wait_for(|| !rx.got.lock().unwrap().is_empty(), "call.started").await;
    let d = rx.got.lock().unwrap()[0].clone();
    assert!(verify(&t.secret, &d.signature, &d.body));
    let ts: i64 = d.signature[2..d.signature.find(',').unwrap()]
        .parse()
        .unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    assert!((now - 1000 - ts).abs() <= 2, "t follows the tenant's clock");
}

#[tokio::test]
async fn http_urls_other_than_loopback_are_refused() {
    let m = mock().await;
    let t = m.tenant().await;
    let agent = t.agent().await;
    let n = "+447700900001";
    t.number(&agent, n).await;
    for url in [
        "http://example.com/hook",
        "http://127.0.0.2/hook",
        "http://localhost.evil.com/x",
    ] {
        t.op(
            "integrations.webhook.set",
            &[("phone_number", n)],
            Some(json!({ "url": url })),
        )
        .await
        .expect_error(400, "invalid_url");
    }
    for url in [
        "http://127.0.0.1:9/hook",
        "http://localhost:8080",
        "https://example.com/hook",
    ] {
        t.op(
            "integrations.webhook.set",
            &[("phone_number", n)],
            Some(json!({ "url": url })),
        )
        .await
        .expect(200);
    }
}

#[tokio::test]
async fn a_reset_ends_the_lifecycles_of_the_tenants_it_removes() {
    let m = mock().await;
    let t = m.tenant().await;
    m.configure(&t, json!({ "call_ring_ms": 300, "call_duration_ms": 300 }))
        .await;
    let agent = t.agent().await;
    let n = "+447700900001";
    t.number(&agent, n).await;
    let hook = receiver(vec![]).await;
    t.op(
        "integrations.webhook.set",
        &[("phone_number", n)],
        Some(json!({ "url": hook.url })),
    )
    .await
    .expect(200);
    t.op(
        "calls.create",
        &[],
        Some(json!({ "agent_id": agent, "to_number": "+447700900002", "prompt": "Say hi" })),
    )
    .await
    .expect(201);
    m.admin(reqwest::Method::POST, "/__mock/reset", None)
        .await
        .expect(200);
    // Past the moment both events were due: the gone tenant's call sends nothing.
    tokio::time::sleep(Duration::from_millis(1200)).await;
    assert!(hook.got.lock().unwrap().is_empty(), "{:?}", hook.got);
}
