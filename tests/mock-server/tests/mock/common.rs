//! Helpers shared by the tests: a mock per test, tenants, and requests built from the spec's own
//! method and path template per operation id (so the tests route exactly as clients will).

use nixflex_mock::{ListShape, MockConfig, MockHandle};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use reqwest::Method;
use reqwest::header::HeaderMap;
use serde_json::{Map, Value, json};
use std::sync::OnceLock;

pub struct Mock {
    pub _handle: MockHandle,
    pub url: String,
    pub http: reqwest::Client,
}

pub struct Resp {
    pub status: u16,
    pub headers: HeaderMap,
    pub text: String,
    pub body: Value,
}

impl Resp {
    pub fn code(&self) -> &str {
        self.body["error"]["code"].as_str().unwrap_or("")
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    #[track_caller]
    pub fn expect(&self, status: u16) -> &Self {
        assert_eq!(
            self.status, status,
            "unexpected status, body: {}",
            self.text
        );
        self
    }

    #[track_caller]
    pub fn expect_error(&self, status: u16, code: &str) -> &Self {
        assert_eq!(
            self.status, status,
            "unexpected status, body: {}",
            self.text
        );
        assert_eq!(self.code(), code, "unexpected code, body: {}", self.text);
        let e = &self.body["error"];
        assert_eq!(
            e["doc_url"],
            json!(format!("https://docs.nixflex.com/errors/{code}"))
        );
        assert!(e["message"].as_str().is_some_and(|m| !m.is_empty()));
        assert!(
            e["type"].is_string() && e["details"].is_object(),
            "envelope: {}",
            self.text
        );
        self
    }
}

pub fn is_request_id(v: &str) -> bool {
    v.len() == 20
        && v.starts_with("req_")
        && v[4..]
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

pub async fn mock() -> Mock {
    mock_with(ListShape::Envelope).await
}

pub async fn mock_with(list_shape: ListShape) -> Mock {
    let handle = nixflex_mock::spawn(MockConfig {
        list_shape,
        ..MockConfig::default()
    })
    .await
    .expect("mock starts");
    let url = handle.url();
    let http = reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("client");
    Mock {
        _handle: handle,
        url,
        http,
    }
}

/// Sends a request; every response of the mock must carry a well-formed request id, in both
/// headers, so that is checked here for every request of every test.
pub async fn send(
    http: &reqwest::Client,
    method: Method,
    url: &str,
    body: Option<&Value>,
    headers: &[(&str, &str)],
) -> Resp {
    let mut req = http.request(method, url);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    if let Some(b) = body {
        req = req
            .header("content-type", "application/json")
            .body(b.to_string());
    }
    let resp = req.send().await.expect("request sent");
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let text = resp.text().await.expect("body read");
    let rid = headers
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    assert!(is_request_id(rid), "bad x-request-id {rid:?} on {url}");
    assert_eq!(
        headers
            .get("x-railway-request-id")
            .and_then(|v| v.to_str().ok()),
        Some(rid),
        "x-railway-request-id differs on {url}"
    );
    let body = serde_json::from_str(&text).unwrap_or(Value::Null);
    Resp {
        status,
        headers,
        text,
        body,
    }
}

impl Mock {
    pub async fn admin(&self, method: Method, path: &str, body: Option<Value>) -> Resp {
        send(
            &self.http,
            method,
            &format!("{}{path}", self.url),
            body.as_ref(),
            &[],
        )
        .await
    }

    pub async fn tenant(&self) -> Tenant {
        let r = self.admin(Method::POST, "/__mock/tenants", None).await;
        r.expect(201);
        Tenant {
            key_id: r.body["key_id"].as_str().unwrap().to_string(),
            secret: r.body["key_secret"].as_str().unwrap().to_string(),
            url: self.url.clone(),
            http: self.http.clone(),
        }
    }

    pub async fn configure(&self, t: &Tenant, patch: Value) -> Value {
        let r = self
            .admin(
                Method::PUT,
                &format!("/__mock/tenants/{}/config", t.key_id),
                Some(patch),
            )
            .await;
        r.expect(200);
        r.body.clone()
    }

    pub async fn faults(&self, spec: Value) -> String {
        let r = self.admin(Method::POST, "/__mock/faults", Some(spec)).await;
        r.expect(201);
        r.body["fault_id"].as_str().unwrap().to_string()
    }

    pub async fn journal(&self, t: &Tenant, operation: Option<&str>) -> Vec<Value> {
        let mut path = format!("/__mock/journal?key_id={}", t.key_id);
        if let Some(op) = operation {
            path.push_str(&format!("&operation={op}"));
        }
        let r = self.admin(Method::GET, &path, None).await;
        r.expect(200);
        r.body["requests"].as_array().unwrap().clone()
    }

    pub async fn counts(&self, t: &Tenant) -> Value {
        let r = self
            .admin(
                Method::GET,
                &format!("/__mock/tenants/{}/counts", t.key_id),
                None,
            )
            .await;
        r.expect(200);
        r.body.clone()
    }
}

pub struct Tenant {
    pub key_id: String,
    pub secret: String,
    pub url: String,
    pub http: reqwest::Client,
}

pub struct OpDef {
    pub id: String,
    pub method: Method,
    pub template: String,
    pub success: u16,
    pub response_schema: Option<Value>,
}

/// The operations of the spec the mock embeds.
pub fn spec_ops() -> &'static Vec<OpDef> {
    static OPS: OnceLock<Vec<OpDef>> = OnceLock::new();
    OPS.get_or_init(|| {
        let root: Value = serde_json::from_str(nixflex_mock::spec_json()).expect("spec is JSON");
        let mut out = Vec::new();
        for (template, item) in root["paths"].as_object().expect("paths") {
            for (m, op) in item.as_object().unwrap() {
                let Some(id) = op.get("operationId").and_then(Value::as_str) else {
                    continue;
                };
                let responses = op["responses"].as_object().unwrap();
                let (code, resp) = responses
                    .iter()
                    .find(|(c, _)| c.starts_with('2'))
                    .expect("a 2xx response");
                out.push(OpDef {
                    id: id.to_string(),
                    method: m.to_uppercase().parse().unwrap(),
                    template: template.clone(),
                    success: code.parse().unwrap(),
                    response_schema: resp
                        .pointer("/content/application~1json/schema")
                        .map(|s| inline(s, &root, 0)),
                });
            }
        }
        out
    })
}

pub fn op_def(id: &str) -> &'static OpDef {
    spec_ops()
        .iter()
        .find(|o| o.id == id)
        .unwrap_or_else(|| panic!("no operation {id} in the spec"))
}

fn inline(v: &Value, root: &Value, depth: usize) -> Value {
    match v {
        Value::Object(m) => {
            if let Some(Value::String(r)) = m.get("$ref") {
                if depth < 24 {
                    if let Some(t) = r.strip_prefix('#').and_then(|p| root.pointer(p)) {
                        return inline(t, root, depth + 1);
                    }
                }
            }
            Value::Object(
                m.iter()
                    .map(|(k, x)| (k.clone(), inline(x, root, depth)))
                    .collect::<Map<_, _>>(),
            )
        }
        Value::Array(a) => Value::Array(a.iter().map(|x| inline(x, root, depth)).collect()),
        _ => v.clone(),
    }
}

pub fn encode(s: &str) -> String {
    utf8_percent_encode(s, NON_ALPHANUMERIC).to_string()
}

impl Tenant {
    pub fn api_key(&self) -> String {
        format!("{}:{}", self.key_id, self.secret)
    }

    pub fn path(&self, id: &str, params: &[(&str, &str)]) -> String {
        let mut path = op_def(id).template.clone();
        for (k, v) in params {
            path = path.replace(&format!("{{{k}}}"), &encode(v));
        }
        assert!(!path.contains('{'), "unfilled parameter in {path}");
        path
    }

    pub async fn op(&self, id: &str, params: &[(&str, &str)], body: Option<Value>) -> Resp {
        self.op_with(id, params, "", body, &[]).await
    }

    /// `query` is appended as is (`limit=5&offset=2`).
    pub async fn op_with(
        &self,
        id: &str,
        params: &[(&str, &str)],
        query: &str,
        body: Option<Value>,
        headers: &[(&str, &str)],
    ) -> Resp {
        let def = op_def(id);
        let mut url = format!("{}{}", self.url, self.path(id, params));
        if !query.is_empty() {
            url.push('?');
            url.push_str(query);
        }
        let auth = format!("Bearer {}", self.api_key());
        let mut all: Vec<(&str, &str)> = vec![("authorization", auth.as_str())];
        all.extend_from_slice(headers);
        send(&self.http, def.method.clone(), &url, body.as_ref(), &all).await
    }

    pub async fn agent(&self) -> String {
        let r = self
            .op(
                "agents.create",
                &[],
                Some(json!({ "name": "Receptionist" })),
            )
            .await;
        r.expect(201);
        r.body["agent_id"].as_str().unwrap().to_string()
    }

    pub async fn number(&self, agent_id: &str, number: &str) {
        self.op(
            "phone_numbers.import",
            &[],
            Some(json!({
                "phone_number": number,
                "agent_id": agent_id,
                "twilio_sid": format!("AC{}", "0123456789abcdef".repeat(2)),
                "twilio_token": "token",
            })),
        )
        .await
        .expect(201);
    }
}

/// Checks a success body against the operation's response schema in the spec.
#[track_caller]
pub fn assert_matches_spec(id: &str, body: &Value) {
    let Some(schema) = &op_def(id).response_schema else {
        return;
    };
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .build(schema)
        .expect("response schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(body)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{id} response does not match the spec: {errors:?}\nbody: {body}"
    );
}
