//! Every operation of the spec, exercised once with a realistic request, each success checked
//! against the spec's response schema. The list of operations comes from the spec, so an
//! operation the mock forgets fails here.

use crate::common::*;
use reqwest::Method;
use serde_json::{Value, json};
use std::collections::BTreeSet;

/// Runs one operation, expects its spec status, checks the body against the spec.
async fn ok(
    t: &Tenant,
    done: &mut BTreeSet<String>,
    id: &str,
    params: &[(&str, &str)],
    body: Option<Value>,
) -> Value {
    let r = t.op(id, params, body).await;
    assert_eq!(r.status, op_def(id).success, "{id}: {}", r.text);
    assert_matches_spec(id, &r.body);
    done.insert(id.to_string());
    r.body
}

#[tokio::test]
async fn every_operation_of_the_spec() {
    assert!(
        nixflex_mock::unhandled_operations().is_empty(),
        "{:?}",
        nixflex_mock::unhandled_operations()
    );
    let m = mock().await;
    let mut t = m.tenant().await;
    m.configure(&t, json!({ "call_ring_ms": 0, "call_duration_ms": 0 }))
        .await;
    let mut done = BTreeSet::new();

    // keys.create needs no tenant.
    let r = m
        .admin(
            Method::POST,
            "/v1/keys",
            Some(json!({ "name": "Ada", "email": "ada@example.com" })),
        )
        .await;
    r.expect(201);
    assert_matches_spec("keys.create", &r.body);
    assert!(r.body["key_secret"].as_str().unwrap().starts_with("nxfs_"));
    done.insert("keys.create".into());

    // Agents.
    let a = ok(
        &t,
        &mut done,
        "agents.create",
        &[],
        Some(json!({ "name": "Front desk", "voice_id": "Olivia" })),
    )
    .await;
    let agent = a["agent_id"].as_str().unwrap().to_string();
    assert_eq!(a["language"], "multi");
    assert_eq!(a["api_key_id"], json!(t.key_id));
    ok(&t, &mut done, "agents.list", &[], None).await;
    ok(&t, &mut done, "agents.get", &[("agent_id", &agent)], None).await;
    let u = ok(
        &t,
        &mut done,
        "agents.update",
        &[("agent_id", &agent)],
        Some(json!({ "welcome_message": "Hi!", "speaking_rate": 9, "no_such_field": 1 })),
    )
    .await;
    assert_eq!(u["welcome_message"], "Hi!");
    assert_eq!(u["speaking_rate"], json!(2.0));
    assert!(u.get("no_such_field").is_none());

    // Numbers.
    let number = "+447700900001";
    let imported = ok(
        &t,
        &mut done,
        "phone_numbers.import",
        &[],
        Some(json!({
            "phone_number": number,
            "agent_id": agent,
            "twilio_sid": format!("AC{}", "ab".repeat(16)),
            "twilio_token": "secret-token",
        })),
    )
    .await;
    assert_eq!(imported["phone_number"]["provider"], "twilio");
    let listed = ok(&t, &mut done, "phone_numbers.list", &[], None).await;
    assert_eq!(listed["count"], 1);
    let updated = ok(
        &t,
        &mut done,
        "phone_numbers.update",
        &[("phone_number", number)],
        Some(json!({ "custom_prompt": "We open at nine." })),
    )
    .await;
    assert_eq!(updated["phone_number"]["custom_prompt"], "We open at nine.");

    // Caller context.
    let caller = "+447700900999";
    let set = ok(
        &t,
        &mut done,
        "phone_numbers.callers.set",
        &[("phone_number", number), ("caller_number", caller)],
        Some(json!({ "name": "Sam", "email": "sam@example.com" })),
    )
    .await;
    assert_eq!(set["caller"]["context"]["name"], "Sam");
    let got = ok(
        &t,
        &mut done,
        "phone_numbers.callers.get",
        &[("phone_number", number), ("caller_number", caller)],
        None,
    )
    .await;
    assert_eq!(got["caller"]["context"]["email"], "sam@example.com");
    let imported = ok(
        &t,
        &mut done,
        "phone_numbers.callers.import",
        &[("phone_number", number)],
        Some(json!({ "callers": [
            { "caller_number": "447700900111", "name": "Kim" },
            { "caller_number": "+447700900112", "preference": "mornings" }
        ] })),
    )
    .await;
    assert_eq!(imported["imported"], 2);
    ok(
        &t,
        &mut done,
        "phone_numbers.callers.delete",
        &[("phone_number", number), ("caller_number", caller)],
        None,
    )
    .await;

    // Integrations of the number.
    for (kind, body) in [
        ("monitor", json!({ "enabled": true })),
        ("web_calls", json!({ "enabled": true })),
        ("webhook", json!({ "url": "https://hooks.example.com/a" })),
        ("webhook2", json!({ "url": "https://hooks.example.com/b" })),
        ("zapier", json!({ "url": "https://hooks.zapier.com/x" })),
        (
            "make",
            json!({ "url": "https://hook.make.com/x", "in_call_url": "https://hook.make.com/in" }),
        ),
        (
            "gohighlevel",
            json!({ "url": "https://ghl.example.com/x", "pit": "pit-secret", "location_id": "loc1" }),
        ),
        (
            "slack",
            json!({ "url": "https://hooks.slack.com/services/x" }),
        ),
        (
            "calcom",
            json!({ "api_key": "cal_secret", "username": "ada", "event_slug": "30min" }),
        ),
        (
            "precall",
            json!({ "url": "https://gate.example.com/check" }),
        ),
    ] {
        let p = [("phone_number", number)];
        let set = ok(
            &t,
            &mut done,
            &format!("integrations.{kind}.set"),
            &p,
            Some(body),
        )
        .await;
        assert!(
            !set.to_string().contains("secret"),
            "{kind} echoes a secret: {set}"
        );
        let got = ok(&t, &mut done, &format!("integrations.{kind}.get"), &p, None).await;
        assert!(
            !got.to_string().contains("secret"),
            "{kind} returns a secret: {got}"
        );
        if let Some(flag) = got.get("is_set") {
            assert_eq!(flag, &json!(true), "{kind}");
        }
        ok(
            &t,
            &mut done,
            &format!("integrations.{kind}.delete"),
            &p,
            None,
        )
        .await;
    }
    let got = ok(
        &t,
        &mut done,
        "integrations.webhook.get",
        &[("phone_number", number)],
        None,
    )
    .await;
    assert_eq!(got["is_set"], false);
    let ap = [("agent_id", agent.as_str())];
    ok(
        &t,
        &mut done,
        "integrations.precall_agent.set",
        &ap,
        Some(json!({ "url": "https://gate.example.com/agent" })),
    )
    .await;
    let got = ok(&t, &mut done, "integrations.precall_agent.get", &ap, None).await;
    assert_eq!(got["precall_webhook_url"], "https://gate.example.com/agent");
    ok(
        &t,
        &mut done,
        "integrations.precall_agent.delete",
        &ap,
        None,
    )
    .await;

    // Custom functions.
    let p = [("phone_number", number)];
    let f = ok(
        &t,
        &mut done,
        "integrations.custom_functions.create",
        &p,
        Some(json!({ "name": "check_order", "url": "https://api.example.com/orders", "timeout_ms": 100000 })),
    )
    .await;
    assert_eq!(f["timeout_ms"], 45000);
    let fid = f["id"].as_str().unwrap().to_string();
    let l = ok(
        &t,
        &mut done,
        "integrations.custom_functions.list",
        &p,
        None,
    )
    .await;
    assert_eq!(l["custom_functions"].as_array().unwrap().len(), 1);
    let fp = [("phone_number", number), ("function_id", fid.as_str())];
    let f = ok(
        &t,
        &mut done,
        "integrations.custom_functions.update",
        &fp,
        Some(json!({ "timeout_ms": 10 })),
    )
    .await;
    assert_eq!(f["timeout_ms"], 1000);
    ok(
        &t,
        &mut done,
        "integrations.custom_functions.delete",
        &fp,
        None,
    )
    .await;

    // Bring your own providers.
    for (kind, body) in [
        (
            "storage",
            json!({ "bucket": "calls", "access_key": "AK", "secret_key": "SK-secret" }),
        ),
        (
            "llm",
            json!({ "endpoint": "https://api.openai.com/v1", "model": "gpt-4o-mini", "api_key": "sk-secret" }),
        ),
        (
            "tts",
            json!({ "provider": "elevenlabs", "voice_id": "v1", "api_key": "el-secret" }),
        ),
    ] {
        ok(&t, &mut done, &format!("{kind}.set"), &[], Some(body)).await;
        let got = ok(&t, &mut done, &format!("{kind}.get"), &[], None).await;
        assert!(
            !got.to_string().contains("secret"),
            "{kind} returns its secret: {got}"
        );
        ok(&t, &mut done, &format!("{kind}.delete"), &[], None).await;
    }

    // Calls.
    let c = ok(
        &t,
        &mut done,
        "calls.create",
        &[],
        Some(json!({ "agent_id": agent, "to_number": "+447700900500", "prompt": "Confirm {day}", "dynamic_vars": { "day": "Monday" } })),
    )
    .await;
    assert_eq!(c["status"], "initiated");
    assert_eq!(c["from"], number);
    let call_id = c["call_id"].as_str().unwrap().to_string();
    assert!(call_id.starts_with("CA") && call_id.len() == 34);
    ok(&t, &mut done, "calls.list", &[], None).await;
    let call = ok(&t, &mut done, "calls.get", &[("call_id", &call_id)], None).await;
    assert_eq!(call["call_status"], "completed");
    assert!(
        call["call_summary"]
            .as_str()
            .unwrap()
            .contains("Confirm Monday")
    );

    // Voice campaigns.
    let camp = ok(
        &t,
        &mut done,
        "campaigns.create",
        &[],
        Some(json!({
            "agent_id": agent,
            "prompt": "Remind about the appointment",
            "recipients": [{ "phone": "+447700900601" }, { "phone": "07700" }],
            "skip_invalid": true,
            "schedule_type": "schedule",
            "scheduled_date": "2030-01-01",
            "timezone": "Europe/London",
        })),
    )
    .await;
    assert_eq!(camp["status"], "scheduled");
    assert_eq!(camp["valid_count"], 1);
    assert_eq!(camp["invalid"][0]["row_index"], 1);
    let camp_id = camp["campaign_id"].as_str().unwrap().to_string();
    let launched = ok(
        &t,
        &mut done,
        "campaigns.launch",
        &[("campaign_id", &camp_id)],
        None,
    )
    .await;
    assert_eq!(launched["status"], "running");
    let list = ok(&t, &mut done, "campaigns.list", &[], None).await;
    assert_eq!(list["campaigns"][0]["campaign_id"], json!(camp_id));

    // SMS. A long campaign run, so that the launched campaign can still be cancelled.
    m.configure(&t, json!({ "call_duration_ms": 60_000 })).await;
    let s = ok(
        &t,
        &mut done,
        "sms.send",
        &[],
        Some(json!({ "agent_id": agent, "to": "+447700900700", "message": "See you soon" })),
    )
    .await;
    assert_eq!(s["from"], number);
    let sc = ok(
        &t,
        &mut done,
        "sms.campaigns.create",
        &[],
        Some(json!({
            "agent_id": agent,
            "from_number": number,
            "name": "Spring offer",
            "message_template": "Hi {{name}}!",
            "recipients": [{ "phone": "+447700900801", "variables": { "name": "Jo" } }],
            "schedule_type": "schedule",
            "scheduled_at": "2030-01-01T09:00:00Z",
        })),
    )
    .await;
    assert_eq!(sc["status"], "scheduled");
    let sc_id = sc["campaign_id"].as_str().unwrap().to_string();
    let sp = [("campaign_id", sc_id.as_str())];
    ok(&t, &mut done, "sms.campaigns.list", &[], None).await;
    let got = ok(&t, &mut done, "sms.campaigns.get", &sp, None).await;
    assert_eq!(got["recipients"][0]["rendered_message"], "Hi Jo!");
    let upd = ok(
        &t,
        &mut done,
        "sms.campaigns.update",
        &sp,
        Some(json!({ "name": "Summer offer" })),
    )
    .await;
    assert_eq!(upd["name"], "Summer offer");
    let l = ok(&t, &mut done, "sms.campaigns.launch", &sp, None).await;
    assert_eq!(l["status"], "running");
    let d = ok(&t, &mut done, "sms.campaigns.delete", &sp, None).await;
    assert_eq!(d["cancelled_count"], 1);

    ok(&t, &mut done, "usage.get", &[], None).await;
    let del = ok(
        &t,
        &mut done,
        "calls.delete",
        &[("call_id", &call_id)],
        None,
    )
    .await;
    assert_eq!(del["recording_deleted"], true);
    let all = ok(&t, &mut done, "calls.delete_all", &[], None).await;
    assert_eq!(all["calls_deleted"], 1, "the campaign's call");
    assert_eq!(all["sms_deleted"], 1);
    ok(
        &t,
        &mut done,
        "phone_numbers.delete",
        &[("phone_number", number)],
        None,
    )
    .await;
    ok(
        &t,
        &mut done,
        "agents.delete",
        &[("agent_id", &agent)],
        None,
    )
    .await;

    let rotated = ok(&t, &mut done, "keys.rotate", &[], None).await;
    assert_eq!(rotated["key_id"], json!(t.key_id));
    t.secret = rotated["key_secret"].as_str().unwrap().to_string();
    ok(&t, &mut done, "account.delete", &[], None).await;
    t.op("agents.list", &[], None)
        .await
        .expect_error(401, "unauthorized");

    let all: BTreeSet<String> = spec_ops().iter().map(|o| o.id.clone()).collect();
    let missing: Vec<&String> = all.difference(&done).collect();
    assert!(
        missing.is_empty(),
        "operations never exercised: {missing:?}"
    );
    assert_eq!(all.len(), 78, "the spec describes 78 operations");

    // The journal saw every authenticated operation with its decoded path parameters.
    let journal = m.journal(&t, Some("phone_numbers.update")).await;
    assert_eq!(journal[0]["path"], "/v1/phone-numbers/%2B447700900001");
    assert_eq!(journal[0]["decoded_path_params"]["phone_number"], number);
}

#[tokio::test]
async fn tenants_are_isolated() {
    let m = mock().await;
    let a = m.tenant().await;
    let b = m.tenant().await;
    let agent = a.agent().await;
    a.number(&agent, "+447700900001").await;
    b.op("agents.get", &[("agent_id", &agent)], None)
        .await
        .expect_error(404, "agent_not_found");
    b.op("agents.delete", &[("agent_id", &agent)], None)
        .await
        .expect_error(404, "agent_not_found");
    let list = b.op("agents.list", &[], None).await;
    assert_eq!(list.body["count"], 0);
    // The same number can live in two tenants; B cannot attach it to A's agent.
    b.op(
        "phone_numbers.import",
        &[],
        Some(json!({ "phone_number": "+447700900001", "agent_id": agent, "twilio_sid": format!("AC{}", "cd".repeat(16)), "twilio_token": "t" })),
    )
    .await
    .expect_error(404, "agent_not_found");
    b.op(
        "integrations.webhook.get",
        &[("phone_number", "+447700900001")],
        None,
    )
    .await
    .expect_error(404, "not_found");
    b.op(
        "phone_numbers.callers.get",
        &[
            ("phone_number", "+447700900001"),
            ("caller_number", "+447700900002"),
        ],
        None,
    )
    .await
    .expect_error(404, "phone_number_not_found");
    let own = b.agent().await;
    b.number(&own, "+447700900001").await;
    a.op(
        "integrations.webhook.get",
        &[("phone_number", "+447700900001")],
        None,
    )
    .await
    .expect(200);
}

#[tokio::test]
async fn calls_create_follows_the_documented_order() {
    let m = mock().await;
    let t = m.tenant().await;
    let agent = t.agent().await;
    let body = |v: Value| Some(v);
    t.op(
        "calls.create",
        &[],
        body(json!({ "agent_id": agent, "to_number": "+447700900500" })),
    )
    .await
    .expect_error(400, "missing_field");
    t.op(
        "calls.create",
        &[],
        body(json!({ "agent_id": agent, "to_number": "+447700900500", "prompt": "   " })),
    )
    .await
    .expect_error(400, "missing_field");
    // `to` instead of `to_number` is a missing field, as the API says.
    t.op(
        "calls.create",
        &[],
        body(json!({ "agent_id": agent, "to": "+447700900500", "prompt": "x" })),
    )
    .await
    .expect_error(400, "missing_field");
    t.op(
        "calls.create",
        &[],
        body(json!({ "agent_id": agent, "to_number": "07700900500", "prompt": "x" })),
    )
    .await
    .expect_error(400, "invalid_phone_format");
    t.op("calls.create", &[], body(json!({ "agent_id": "agent_0000000000000000", "to_number": "+447700900500", "prompt": "x" })))
        .await
        .expect_error(404, "agent_not_found");
    t.op(
        "calls.create",
        &[],
        body(json!({ "agent_id": agent, "to_number": "+447700900500", "prompt": "x" })),
    )
    .await
    .expect_error(400, "agent_missing_phone_number");
    t.number(&agent, "+447700900001").await;
    t.op(
        "calls.create",
        &[],
        body(json!({ "agent_id": agent, "to_number": "+447700900500", "prompt": "x", "from_number": "+447700900002" })),
    )
    .await
    .expect_error(400, "from_number_not_found");
    let r = t
        .op(
            "calls.create",
            &[],
            body(json!({ "agent_id": agent, "to_number": "+447700900500", "prompt": "x" })),
        )
        .await;
    r.expect(201);
    assert_eq!(r.body["from"], "+447700900001");
    assert_eq!(r.body["to"], "+447700900500");
}

#[tokio::test]
async fn phone_numbers_rules() {
    let m = mock().await;
    let t = m.tenant().await;
    let agent = t.agent().await;
    let import = |v: Value| t.op("phone_numbers.import", &[], Some(v));
    import(json!({ "phone_number": "+447700900001", "agent_id": agent, "twilio_sid": "AC123", "twilio_token": "t" }))
        .await
        .expect_error(400, "invalid_twilio_sid");
    import(json!({ "phone_number": "+447700900001", "agent_id": agent }))
        .await
        .expect_error(400, "missing_field");
    // camelCase aliases are accepted.
    let r = import(json!({ "phoneNumber": "+447700900001", "agentId": agent, "telnyxApiKey": "k", "telnyxConnectionId": "c" })).await;
    r.expect(201);
    assert_eq!(r.body["phone_number"]["provider"], "telnyx");
    import(json!({ "phone_number": "+447700900001", "agent_id": agent, "telnyx_api_key": "k", "telnyx_connection_id": "c" }))
        .await
        .expect_error(409, "number_already_imported");
    t.op(
        "phone_numbers.update",
        &[("phone_number", "+447700900001")],
        Some(json!({})),
    )
    .await
    .expect_error(400, "missing_field");
    t.op(
        "phone_numbers.update",
        &[("phone_number", "+447700900009")],
        Some(json!({ "voice_id": null })),
    )
    .await
    .expect_error(404, "number_not_found");
    // Deleting the agent detaches the number: gone from the agent's list, still on the account.
    t.op("agents.delete", &[("agent_id", &agent)], None)
        .await
        .expect(200);
    t.op("agents.get", &[("agent_id", &agent)], None)
        .await
        .expect_error(404, "agent_not_found");
    let l = t
        .op_with(
            "phone_numbers.list",
            &[],
            &format!("agent_id={agent}"),
            None,
            &[],
        )
        .await;
    assert_eq!(l.body["count"], 0);
    let l = t.op("phone_numbers.list", &[], None).await;
    assert_eq!(l.body["count"], 1);
    assert!(l.body["phone_numbers"][0].get("agent_id").is_none());
    // A detached number can be imported to another agent.
    let other = t.agent().await;
    t.number(&other, "+447700900001").await;
}

#[tokio::test]
async fn caller_context_merges() {
    let m = mock().await;
    let t = m.tenant().await;
    let agent = t.agent().await;
    let n = "+447700900001";
    t.number(&agent, n).await;
    let p = [("phone_number", n), ("caller_number", "+447700900002")];
    let set = |v: Value| t.op("phone_numbers.callers.set", &p, Some(v));
    set(json!({ "name": "Sam", "location": "Leeds" }))
        .await
        .expect(200);
    let r = set(json!({ "name": "", "location": null, "preference": "calls after 5" })).await;
    r.expect(200);
    assert_eq!(
        r.body["caller"]["context"],
        json!({ "name": "Sam", "preference": "calls after 5" })
    );
    set(json!({ "last_call": "x" }))
        .await
        .expect_error(400, "engine_only_field");
    set(json!({ "nmae": "typo" }))
        .await
        .expect_error(400, "unknown_field");
    set(json!({ "email": "not-an-address" }))
        .await
        .expect_error(400, "invalid_email");
    set(json!({ "name": "x".repeat(121) }))
        .await
        .expect_error(400, "field_too_long");
    set(json!({})).await.expect_error(400, "missing_field");
    let np = [("phone_number", n)];
    let imp = |v: Value| t.op("phone_numbers.callers.import", &np, Some(v));
    imp(json!({})).await.expect_error(400, "invalid_body");
    imp(json!({ "callers": [] }))
        .await
        .expect_error(400, "invalid_body");
    imp(json!({ "callers": [{ "name": "no number" }] }))
        .await
        .expect_error(400, "missing_field");
    let rows: Vec<Value> = (0..1001)
        .map(|i| json!({ "caller_number": format!("+4477009{i:05}"), "name": "x" }))
        .collect();
    imp(json!({ "callers": rows }))
        .await
        .expect_error(400, "too_many_rows");
    t.op(
        "phone_numbers.callers.delete",
        &[("phone_number", n), ("caller_number", "+447700900003")],
        None,
    )
    .await
    .expect_error(404, "caller_not_found");
}

#[tokio::test]
async fn sms_campaign_states() {
    let m = mock().await;
    let t = m.tenant().await;
    m.configure(&t, json!({ "call_ring_ms": 0, "call_duration_ms": 10_000 }))
        .await;
    let agent = t.agent().await;
    let n = "+447700900001";
    t.number(&agent, n).await;
    let create = |schedule: Value| {
        let mut body = json!({
            "agent_id": agent, "from_number": n, "name": "Promo", "message_template": "Hi {{name}}",
            "recipients": [{ "phone": "+447700900002", "variables": { "name": "Al" } }, { "phone": "+447700900003" }],
        });
        body.as_object_mut()
            .unwrap()
            .extend(schedule.as_object().unwrap().clone());
        t.op("sms.campaigns.create", &[], Some(body))
    };
    create(json!({ "schedule_type": "schedule" }))
        .await
        .expect_error(400, "invalid_schedule");
    let running = create(json!({ "schedule_type": "now" })).await;
    running.expect(201);
    assert_eq!(running.body["status"], "running");
    let id = running.body["campaign_id"].as_str().unwrap().to_string();
    let p = [("campaign_id", id.as_str())];
    t.op("sms.campaigns.update", &p, Some(json!({ "name": "x" })))
        .await
        .expect_error(400, "campaign_not_editable");
    t.op("sms.campaigns.launch", &p, None)
        .await
        .expect_error(400, "campaign_already_running");
    // Ten seconds later by the tenant's clock, every message is delivered.
    m.configure(&t, json!({ "clock_offset_seconds": 11 })).await;
    let got = t.op("sms.campaigns.get", &p, None).await;
    assert_eq!(got.body["status"], "done");
    assert_eq!(got.body["delivered_count"], 2);
    assert_eq!(got.body["recipients"][1]["rendered_message"], "Hi ");
    t.op("sms.campaigns.launch", &p, None)
        .await
        .expect_error(400, "campaign_already_done");
    t.op("sms.campaigns.delete", &p, None)
        .await
        .expect_error(400, "campaign_already_done");
    let done = t
        .op_with("sms.campaigns.list", &[], "status=done", None, &[])
        .await;
    assert_eq!(done.body["campaigns"].as_array().unwrap().len(), 1);
    let none = t
        .op_with("sms.campaigns.list", &[], "status=scheduled", None, &[])
        .await;
    assert_eq!(none.body["campaigns"].as_array().unwrap().len(), 0);
    t.op("sms.campaigns.get", &[("campaign_id", "smsc_nope")], None)
        .await
        .expect_error(404, "campaign_not_found");
    t.op(
        "sms.send",
        &[],
        Some(json!({ "agent_id": agent, "to": "+447700900002", "message": "x", "from_number": "+447700900999" })),
    )
    .await
    .expect_error(403, "from_number_not_owned");
    t.op(
        "sms.send",
        &[],
        Some(json!({ "agent_id": agent, "to_number": "+447700900002", "message": "x" })),
    )
    .await
    .expect_error(400, "missing_field");
    t.op(
        "sms.send",
        &[],
        Some(json!({ "agent_id": agent, "to": "+447700900002", "message": "x".repeat(1601) })),
    )
    .await
    .expect_error(400, "message_too_long");
}

#[tokio::test]
async fn voice_campaign_rules() {
    let m = mock().await;
    let t = m.tenant().await;
    m.configure(&t, json!({ "call_ring_ms": 0, "call_duration_ms": 0 }))
        .await;
    let agent = t.agent().await;
    let create = |v: Value| t.op("campaigns.create", &[], Some(v));
    create(
        json!({ "agent_id": agent, "prompt": "x", "recipients": [{ "phone": "+447700900002" }] }),
    )
    .await
    .expect_error(400, "campaign_creation_failed");
    t.number(&agent, "+447700900001").await;
    create(json!({ "agent_id": agent, "prompt": "x", "recipients": [{ "phone": "bad" }] }))
        .await
        .expect_error(400, "invalid_phone_format");
    create(json!({ "agent_id": agent, "prompt": "x", "recipients": [], "timezone": "nowhere" }))
        .await
        .expect_error(400, "campaign_creation_failed");
    create(json!({ "agent_id": agent, "recipients": [] }))
        .await
        .expect_error(400, "missing_field");
    create(
        json!({ "agent_id": agent, "prompt": "x", "recipients": [], "schedule_type": "schedule" }),
    )
    .await
    .expect_error(400, "invalid_schedule");
    let r = create(json!({ "agent_id": agent, "prompt": "x", "recipients": [{ "phone": "+447700900002" }, { "phone": "+447700900003" }] })).await;
    r.expect(201);
    assert_eq!(r.body["status"], "running");
    let id = r.body["campaign_id"].as_str().unwrap().to_string();
    assert!(id.starts_with("batchcall_"));
    let calls = t.op("calls.list", &[], None).await;
    assert_eq!(calls.body["count"], 2);
    assert_eq!(calls.body["calls"][0]["campaign_id"], json!(id));
    t.op("campaigns.launch", &[("campaign_id", &id)], None)
        .await
        .expect_error(400, "campaign_already_completed");
    t.op("campaigns.launch", &[("campaign_id", "batchcall_0")], None)
        .await
        .expect_error(404, "campaign_not_found");
}
