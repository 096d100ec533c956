//! Runs one scenario: a tenant, a client, the steps and their expectations.

use std::time::Duration;

use futures::StreamExt;
use serde_json::{Map, Value, json};

use crate::args::{Args, Called, Failure};
use crate::matcher::{lookup, matches};
use crate::mock::{Mock, Tenant};
use crate::template::Scope;

/// Per-attempt timeout of scenario clients unless a scenario says otherwise.
const DEFAULT_TIMEOUT_MS: u64 = 10_000;

struct Run<'a> {
    mock: &'a Mock,
    tenant: Tenant,
    vars: Map<String, Value>,
    client_settings: Value,
    client: Option<Result<nixflex::Client, nixflex::Error>>,
    /// What the steps did since the caller last took it.
    trace: Vec<Value>,
}

fn object<'v>(v: &'v Value, key: &str) -> Option<&'v Map<String, Value>> {
    v.get(key).and_then(Value::as_object)
}

fn error_json(e: &nixflex::Error) -> Value {
    json!({
        "kind": e.kind().as_str(),
        "status": e.status(),
        "code": e.code(),
        "request_id": e.request_id(),
        "idempotency_key": e.idempotency_key(),
        "attempts": e.attempts(),
        "retry_after_s": e.retry_after().map(|d| d.as_secs_f64()),
        "message": e.message(),
        "details": e.details(),
    })
}

fn success(called: Called) -> Value {
    let meta = called.meta;
    json!({
        "ok": true,
        "result": called.result,
        "meta": {
            "attempts": meta.attempts,
            "idempotency_key": meta.idempotency_key,
            "request_id": meta.request_id,
            "status": meta.status,
        },
    })
}

fn failure(e: &nixflex::Error) -> Value {
    json!({ "ok": false, "error": error_json(e) })
}

/// The SDK-side request options of a step.
fn request_options(options: Option<&Value>) -> Result<nixflex::RequestOptions, String> {
    let mut out = nixflex::RequestOptions::new();
    let Some(options) = options else {
        return Ok(out);
    };
    let map = options.as_object().ok_or("options must be an object")?;
    for (k, v) in map {
        match k.as_str() {
            "timeout_ms" => {
                out = out.timeout(Duration::from_millis(v.as_u64().ok_or("timeout_ms")?))
            }
            "max_retries" => out = out.max_retries(v.as_u64().ok_or("max_retries")? as u32),
            "idempotency_key" => out = out.idempotency_key(v.as_str().ok_or("idempotency_key")?),
            "headers" => {
                for (name, value) in v.as_object().ok_or("headers must be an object")? {
                    out = out.header(name, value.as_str().ok_or("header values are strings")?);
                }
            }
            other => return Err(format!("unknown option {other:?}")),
        }
    }
    Ok(out)
}

fn build_client(
    mock: &Mock,
    tenant: &Tenant,
    settings: &Value,
) -> Result<nixflex::Client, nixflex::Error> {
    let api_key = settings
        .get("api_key")
        .and_then(Value::as_str)
        .unwrap_or(&tenant.api_key);
    let timeout = settings
        .get("timeout_ms")
        .and_then(Value::as_u64)
        .unwrap_or(DEFAULT_TIMEOUT_MS);
    let mut builder = nixflex::Client::builder()
        .api_key(api_key)
        .base_url(mock.url())
        .timeout(Duration::from_millis(timeout));
    if let Some(retries) = settings.get("max_retries").and_then(Value::as_u64) {
        builder = builder.max_retries(retries as u32);
    }
    builder.build()
}

fn args_of(step: &Value) -> Args {
    Args {
        path: object(step, "path").cloned().unwrap_or_default(),
        query: object(step, "query").cloned().unwrap_or_default(),
        body: step.get("body").cloned(),
    }
}

impl Run<'_> {
    fn scope(&self, index: Option<u64>) -> Scope<'_> {
        Scope {
            vars: &self.vars,
            tenant: &self.tenant,
            index,
        }
    }

    /// The scenario's client, built on first use (a construction error is a step's outcome).
    fn client(&mut self, step: &Value) -> Result<nixflex::Client, nixflex::Error> {
        if let Some(settings) = step.get("client") {
            let settings = self
                .scope(None)
                .expand(settings)
                .map_err(|e| nixflex::Error::new(nixflex::ErrorKind::Internal, e))?;
            return build_client(self.mock, &self.tenant, &settings);
        }
        if self.client.is_none() {
            let built = build_client(self.mock, &self.tenant, &self.client_settings);
            self.client = Some(built);
        }
        self.client.clone().expect("built above")
    }

    async fn call(&mut self, step: &Value, op: &str) -> Result<Value, String> {
        let client = match self.client(step) {
            Ok(c) => c,
            Err(e) => return Ok(failure(&e)),
        };
        let options = request_options(step.get("options"))?;
        match crate::dispatch::call(&client, op, &args_of(step), options).await {
            Ok(called) => Ok(success(called)),
            Err(Failure::Sdk(e)) => Ok(failure(&e)),
            Err(Failure::Scenario(why)) => Err(why),
        }
    }

    async fn iterate(&mut self, step: &Value, op: &str) -> Result<Value, String> {
        let client = match self.client(step) {
            Ok(c) => c,
            Err(e) => return Ok(failure(&e)),
        };
        let options = request_options(step.get("options"))?;
        let mut walk = nixflex::WalkOptions::default();
        if let Some(size) = step.get("page_size").and_then(Value::as_u64) {
            walk.page_size = size as u32;
        }
        walk.max_items = step.get("max_items").and_then(Value::as_u64);
        let mut stream = match crate::dispatch::iterate(&client, op, &args_of(step), options, walk)
        {
            Ok(s) => s,
            Err(Failure::Sdk(e)) => return Ok(failure(&e)),
            Err(Failure::Scenario(why)) => return Err(why),
        };
        let mut items = Vec::new();
        while let Some(item) = stream.next().await {
            match item {
                Ok(v) => items.push(v),
                Err(e) => return Ok(failure(&e)),
            }
        }
        Ok(json!({ "ok": true, "result": items }))
    }

    fn webhook(&self, spec: &Value) -> Result<Value, String> {
        use nixflex::webhooks;
        let body = spec
            .get("body")
            .and_then(Value::as_str)
            .ok_or("webhook.body must be a string")?;
        let header: Option<String> = match spec.get("sign") {
            Some(sign) => {
                let secret = sign
                    .get("secret")
                    .and_then(Value::as_str)
                    .ok_or("sign.secret")?;
                let timestamp = sign
                    .get("timestamp")
                    .and_then(Value::as_i64)
                    .ok_or("sign.timestamp")?;
                let signed_body = sign.get("body").and_then(Value::as_str).unwrap_or(body);
                Some(webhooks::sign(signed_body.as_bytes(), secret, timestamp))
            }
            None => spec
                .get("header")
                .and_then(Value::as_str)
                .map(str::to_owned),
        };
        let secrets: Vec<&str> = spec
            .get("secrets")
            .and_then(Value::as_array)
            .ok_or("webhook.secrets must be an array")?
            .iter()
            .map(|s| s.as_str().ok_or("secrets are strings"))
            .collect::<Result<_, _>>()?;
        let now = spec.get("now").and_then(Value::as_i64);
        let tolerance = Duration::from_secs(
            spec.get("tolerance_s")
                .and_then(Value::as_u64)
                .unwrap_or(300),
        );
        let verify: Vec<bool> = secrets
            .iter()
            .map(|s| {
                webhooks::verify_webhook_signature(
                    body.as_bytes(),
                    header.as_deref().unwrap_or(""),
                    s,
                    tolerance,
                    now,
                )
            })
            .collect();
        let strict =
            webhooks::construct_event(body.as_bytes(), header.as_deref(), &secrets, tolerance, now);
        Ok(match strict {
            Ok(event) => {
                json!({ "header": header, "verify": verify, "ok": true, "event": event, "error": null })
            }
            Err(e) => {
                json!({ "header": header, "verify": verify, "ok": false, "event": null, "error": error_json(&e) })
            }
        })
    }

    async fn journal_seq(&self) -> Result<u64, String> {
        let entries = self.mock.journal(&self.tenant.key_id).await?;
        Ok(entries
            .iter()
            .filter_map(|e| e["seq"].as_u64())
            .max()
            .unwrap_or(0))
    }

    async fn check_journal(
        &self,
        want: &Value,
        op: Option<&str>,
        since: u64,
        outcome: &Value,
    ) -> Result<(), String> {
        let op = want.get("operation").and_then(Value::as_str).or(op);
        let entries: Vec<Value> = self
            .mock
            .journal(&self.tenant.key_id)
            .await?
            .into_iter()
            .filter(|e| e["seq"].as_u64().unwrap_or(0) > since)
            .filter(|e| op.is_none_or(|op| e["operation"].as_str() == Some(op)))
            .collect();
        let keys: Vec<Option<&str>> = entries
            .iter()
            .map(|e| e["headers"]["idempotency-key"].as_str())
            .collect();
        for (k, v) in want
            .as_object()
            .ok_or("journal expectations are an object")?
        {
            let at = format!("journal.{k}");
            match k.as_str() {
                "operation" => {}
                "count" => matches(v, Some(&json!(entries.len())), &at)?,
                "same_idempotency_key" => {
                    if v.as_bool() != Some(true) {
                        continue;
                    }
                    let first = keys.first().copied().flatten().filter(|k| !k.is_empty());
                    let Some(first) = first else {
                        return Err(format!(
                            "{at}: the first request carried no Idempotency-Key ({} requests)",
                            entries.len()
                        ));
                    };
                    if let Some(other) = keys.iter().find(|k| **k != Some(first)) {
                        return Err(format!(
                            "{at}: keys differ between attempts: {first:?} then {other:?}"
                        ));
                    }
                    let reported = sdk_key(outcome);
                    if reported != Some(first) {
                        return Err(format!(
                            "{at}: the SDK reports {reported:?}, the server saw {first:?}"
                        ));
                    }
                }
                "idempotency_key" => match v {
                    Value::Bool(false) => {
                        if let Some(k) = keys.iter().flatten().next() {
                            return Err(format!("{at}: expected no key, a request carried {k:?}"));
                        }
                    }
                    Value::String(want_key) => {
                        if entries.is_empty() || keys.iter().any(|k| *k != Some(want_key.as_str()))
                        {
                            return Err(format!(
                                "{at}: expected {want_key:?} on every request, got {keys:?}"
                            ));
                        }
                    }
                    other => return Err(format!("{at}: expected false or a string, not {other}")),
                },
                "gaps_ms" => {
                    // Between the arrivals of consecutive requests: how long the SDK waited.
                    let at_ms: Vec<i64> = entries
                        .iter()
                        .map(|e| e["at_ms"].as_i64().unwrap_or(0))
                        .collect();
                    let got: Vec<Value> = at_ms.windows(2).map(|w| json!(w[1] - w[0])).collect();
                    matches(v, Some(&Value::Array(got)), &at)?;
                }
                "statuses" => {
                    let got: Vec<Value> = entries.iter().map(|e| e["status"].clone()).collect();
                    matches(v, Some(&Value::Array(got)), &at)?;
                }
                "replayed" => {
                    let got: Vec<Value> = entries.iter().map(|e| e["replayed"].clone()).collect();
                    matches(v, Some(&Value::Array(got)), &at)?;
                }
                "path" | "decoded_path_params" | "query" | "headers" | "body" => {
                    if entries.is_empty() {
                        return Err(format!("{at}: no request reached the mock"));
                    }
                    for (i, e) in entries.iter().enumerate() {
                        matches(v, e.get(k), &format!("{at}[{i}]"))?;
                    }
                }
                other => return Err(format!("unknown journal expectation {other:?}")),
            }
        }
        Ok(())
    }

    async fn check(
        &self,
        expect: &Value,
        outcome: &Value,
        op: Option<&str>,
        since: Option<u64>,
    ) -> Result<(), String> {
        let Some(expect) = expect.as_object() else {
            return Ok(());
        };
        let ok = outcome["ok"].as_bool().unwrap_or(false);
        let is_webhook = outcome.get("verify").is_some();
        if !is_webhook {
            match (expect.contains_key("error"), ok) {
                (false, false) => return Err(format!("unexpected error: {}", outcome["error"])),
                (true, true) => {
                    return Err(format!(
                        "expected an error, got the result {}",
                        short(&outcome["result"])
                    ));
                }
                _ => {}
            }
        } else if expect.contains_key("error") && ok {
            return Err(format!(
                "expected the strict check to fail, got the event {}",
                outcome["event"]
            ));
        } else if expect.contains_key("event") && !ok {
            return Err(format!(
                "expected an event, the strict check failed: {}",
                outcome["error"]
            ));
        }
        for (k, v) in expect {
            match k.as_str() {
                "result" => matches(v, outcome.get("result"), "result")?,
                "error" => matches(v, outcome.get("error"), "error")?,
                "attempts" => {
                    let got = if ok {
                        &outcome["meta"]["attempts"]
                    } else {
                        &outcome["error"]["attempts"]
                    };
                    matches(v, Some(got), "attempts")?;
                }
                "idempotency_key" => {
                    let got = sdk_key(outcome).map(|k| json!(k)).unwrap_or(Value::Null);
                    matches(v, Some(&got), "idempotency_key")?;
                }
                "distinct" => {
                    let field = v["field"].as_str().ok_or("distinct.field")?;
                    let items = outcome["result"]
                        .as_array()
                        .ok_or("distinct needs an iterate step")?;
                    let set: std::collections::BTreeSet<String> = items
                        .iter()
                        .map(|i| lookup(i, field).map(Value::to_string).unwrap_or_default())
                        .collect();
                    matches(&v["count"], Some(&json!(set.len())), "distinct.count")?;
                }
                "journal" => {
                    self.check_journal(v, op, since.unwrap_or(0), outcome)
                        .await?
                }
                "counts" => {
                    let counts = self.mock.counts(&self.tenant.key_id).await?;
                    matches(v, Some(&counts), "counts")?;
                }
                "header" | "verify" | "event" => matches(v, outcome.get(k), k)?,
                other => return Err(format!("unknown expectation {other:?}")),
            }
        }
        Ok(())
    }

    fn save(&mut self, save: Option<&Value>, outcome: &Value) -> Result<(), String> {
        let Some(save) = save.and_then(Value::as_object) else {
            return Ok(());
        };
        for (var, path) in save {
            let path = path.as_str().ok_or("save paths are strings")?;
            let value = lookup(outcome, path)
                .ok_or_else(|| format!("cannot save {var}: nothing at {path}"))?;
            self.vars.insert(var.clone(), value.clone());
        }
        Ok(())
    }

    async fn step(&mut self, raw: &Value) -> Result<(), String> {
        let kind = ["op", "iterate", "seed", "webhook", "config", "arm"]
            .into_iter()
            .find(|k| raw.get(*k).is_some())
            .ok_or("a step needs one of op, iterate, seed, webhook, config, arm")?;
        if kind == "seed" {
            return self.seed(raw).await;
        }
        let step = self.scope(None).expand(raw)?;
        match kind {
            "config" => {
                return self
                    .mock
                    .configure(&self.tenant.key_id, &step["config"])
                    .await;
            }
            "arm" => {
                let op = step["arm"].get("operation").and_then(Value::as_str);
                return self.mock.arm(&self.tenant.key_id, op, &step["arm"]).await;
            }
            _ => {}
        }
        let op = match kind {
            "op" | "iterate" => Some(
                step[kind]
                    .as_str()
                    .ok_or("the operation id is a string")?
                    .to_owned(),
            ),
            _ => None,
        };
        if let Some(faults) = step.get("faults") {
            let target = step
                .get("fault_operation")
                .and_then(Value::as_str)
                .or(op.as_deref());
            self.mock
                .arm(&self.tenant.key_id, target, &json!({ "faults": faults }))
                .await?;
        }
        let expect = step.get("expect").cloned().unwrap_or(Value::Null);
        let since = if expect.get("journal").is_some() {
            Some(self.journal_seq().await?)
        } else {
            None
        };
        let outcome = match kind {
            "op" => self.call(&step, op.as_deref().unwrap_or_default()).await?,
            "iterate" => {
                self.iterate(&step, op.as_deref().unwrap_or_default())
                    .await?
            }
            _ => self.webhook(&step["webhook"])?,
        };
        self.trace.push(observe(kind, &outcome));
        self.check(&expect, &outcome, op.as_deref(), since).await?;
        self.save(step.get("save"), &outcome)
    }

    async fn seed(&mut self, raw: &Value) -> Result<(), String> {
        let spec = &raw["seed"];
        let op = spec["op"].as_str().ok_or("seed.op")?.to_owned();
        let count = spec["count"].as_u64().ok_or("seed.count")?;
        let mut last = Value::Null;
        for i in 1..=count {
            let step = self.scope(Some(i)).expand(spec)?;
            let outcome = self.call(&step, &op).await?;
            if outcome["ok"] != json!(true) {
                return Err(format!("seed {op} #{i} failed: {}", outcome["error"]));
            }
            last = outcome;
        }
        self.save(raw.get("save"), &last)
    }
}

/// What a step did, in the terms every runner shares: run.py compares these across languages.
fn observe(kind: &str, outcome: &Value) -> Value {
    if kind == "webhook" {
        let mut seen = json!({ "ok": outcome["ok"], "verify": outcome["verify"] });
        if let Some(kind) = outcome["error"].get("kind") {
            seen["kind"] = kind.clone();
        }
        return seen;
    }
    if outcome["ok"] != json!(true) {
        let e = &outcome["error"];
        return json!({
            "ok": false,
            "kind": e["kind"],
            "status": e["status"],
            "code": e["code"],
            "attempts": e["attempts"],
        });
    }
    let mut seen = json!({ "ok": true });
    if kind == "iterate" {
        seen["items"] = json!(outcome["result"].as_array().map_or(0, Vec::len));
    }
    seen
}

fn sdk_key(outcome: &Value) -> Option<&str> {
    outcome["meta"]["idempotency_key"]
        .as_str()
        .or_else(|| outcome["error"]["idempotency_key"].as_str())
}

fn short(v: &Value) -> String {
    let text = v.to_string();
    if text.chars().count() > 200 {
        format!("{}…", text.chars().take(200).collect::<String>())
    } else {
        text
    }
}

/// Runs `scenario` in a fresh tenant; `Err` says which step failed and why. The trace says
/// what each step did, as far as it got.
pub async fn run(mock: &Mock, scenario: &Value) -> (Result<(), String>, Vec<Value>) {
    let mut trace = Vec::new();
    let result = run_steps(mock, scenario, &mut trace).await;
    (result, trace)
}

async fn run_steps(mock: &Mock, scenario: &Value, trace: &mut Vec<Value>) -> Result<(), String> {
    let tenant = mock.create_tenant().await?;
    if let Some(config) = scenario.get("config") {
        mock.configure(&tenant.key_id, config).await?;
    }
    let mut run = Run {
        mock,
        client_settings: Value::Null,
        tenant,
        vars: Map::new(),
        client: None,
        trace: Vec::new(),
    };
    run.client_settings = match scenario.get("client") {
        Some(settings) => run.scope(None).expand(settings)?,
        None => json!({}),
    };
    let steps = scenario["steps"]
        .as_array()
        .ok_or("a scenario needs steps")?;
    for (i, step) in steps.iter().enumerate() {
        let done = run.step(step).await;
        trace.append(&mut run.trace);
        if let Err(why) = done {
            let what = ["op", "iterate", "webhook", "config", "arm"]
                .iter()
                .find_map(|k| {
                    step.get(*k)
                        .and_then(Value::as_str)
                        .map(|v| format!("{k} {v}"))
                })
                .or_else(|| {
                    step.get("seed")
                        .map(|s| format!("seed {}", s["op"].as_str().unwrap_or("?")))
                })
                .unwrap_or_else(|| "webhook".to_owned());
            let label = step
                .get("name")
                .and_then(Value::as_str)
                .map(|n| format!(" {n:?}"))
                .unwrap_or_default();
            return Err(format!("step {} ({what}){label}: {why}", i + 1));
        }
    }
    Ok(())
}
