//! The embedded OpenAPI document, reduced to what the mock needs per operation.
//!
//! `$ref`s are inlined once at load so that every schema handed to the validator is
//! self-contained and a validation error's schema path is a plain pointer into it (which is how
//! `x-error-code` is found for a failing node).

use http::Method;
use serde_json::{Map, Value};
use std::sync::OnceLock;

static SPEC_TEXT: &str = include_str!(concat!(env!("OUT_DIR"), "/openapi.json"));

pub struct Spec {
    pub ops: Vec<OpSpec>,
}

pub struct OpSpec {
    pub id: String,
    pub method: Method,
    pub template: String,
    pub query_params: Vec<QueryParam>,
    pub body_schema: Option<Value>,
    pub success_status: u16,
    pub paginated: bool,
    pub list_key: Option<String>,
    /// In the newest API (the mock's `array` mode) the list is `{"<list key>": [...]}` with
    /// nothing else, instead of a bare array (`x-newest-list-shape: "keyed"`).
    pub newest_keyed: bool,
    pub page_limits: PageLimits,
    pub auth: bool,
    pub mutation: bool,
}

pub struct QueryParam {
    pub name: String,
    pub schema: Value,
    pub required: bool,
}

#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub default: u64,
    pub max: u64,
}

#[derive(Clone, Copy, Debug)]
pub struct PageLimits {
    pub envelope: Limits,
    pub array: Limits,
}

impl Default for PageLimits {
    fn default() -> Self {
        Self {
            envelope: Limits {
                default: 25,
                max: 100,
            },
            array: Limits {
                default: 100,
                max: 200,
            },
        }
    }
}

pub fn spec() -> &'static Spec {
    static SPEC: OnceLock<Spec> = OnceLock::new();
    SPEC.get_or_init(|| Spec::parse(SPEC_TEXT))
}

/// The raw document, for tests that want to read it themselves.
pub fn spec_text() -> &'static str {
    SPEC_TEXT
}

const METHODS: [(&str, Method); 5] = [
    ("get", Method::GET),
    ("post", Method::POST),
    ("put", Method::PUT),
    ("patch", Method::PATCH),
    ("delete", Method::DELETE),
];

impl Spec {
    pub fn parse(text: &str) -> Spec {
        let root: Value = match serde_json::from_str(text) {
            Ok(v) => v,
            Err(e) => {
                tracing::error!("spec/openapi.json is not valid JSON: {e}");
                return Spec { ops: Vec::new() };
            }
        };
        let global_auth = root
            .get("security")
            .and_then(Value::as_array)
            .is_none_or(|s| !s.is_empty());
        let mut ops = Vec::new();
        let Some(paths) = root.get("paths").and_then(Value::as_object) else {
            return Spec { ops };
        };
        for (template, item) in paths {
            let item = inline(item, &root, 0);
            let shared_params = item.get("parameters").and_then(Value::as_array).cloned();
            for (name, method) in METHODS.iter() {
                let Some(op) = item.get(*name).and_then(Value::as_object) else {
                    continue;
                };
                let Some(id) = op.get("operationId").and_then(Value::as_str) else {
                    continue;
                };
                ops.push(op_spec(
                    id,
                    method.clone(),
                    template,
                    op,
                    shared_params.as_deref(),
                    global_auth,
                ));
            }
        }
        Spec { ops }
    }

    pub fn op_index(&self, id: &str) -> Option<usize> {
        self.ops.iter().position(|o| o.id == id)
    }
}

fn op_spec(
    id: &str,
    method: Method,
    template: &str,
    op: &Map<String, Value>,
    shared_params: Option<&[Value]>,
    global_auth: bool,
) -> OpSpec {
    let mut query_params: Vec<QueryParam> = Vec::new();
    let own = op.get("parameters").and_then(Value::as_array);
    for p in shared_params
        .into_iter()
        .flatten()
        .chain(own.into_iter().flatten())
    {
        if p.get("in").and_then(Value::as_str) != Some("query") {
            continue;
        }
        let Some(name) = p.get("name").and_then(Value::as_str) else {
            continue;
        };
        query_params.retain(|q| q.name != name);
        query_params.push(QueryParam {
            name: name.to_string(),
            schema: p.get("schema").cloned().unwrap_or(Value::Bool(true)),
            required: p.get("required").and_then(Value::as_bool).unwrap_or(false),
        });
    }
    let body_schema = op
        .get("requestBody")
        .and_then(|b| b.pointer("/content/application~1json/schema"))
        .cloned()
        .map(|mut s| {
            allow_local_http(&mut s);
            s
        });
    let success_status = op
        .get("responses")
        .and_then(Value::as_object)
        .and_then(|r| {
            r.keys()
                .filter_map(|code| code.parse::<u16>().ok())
                .find(|s| (200..300).contains(s))
        })
        .unwrap_or(if method == Method::POST { 201 } else { 200 });
    let auth = match op.get("security").and_then(Value::as_array) {
        Some(s) => !s.is_empty(),
        None => global_auth,
    };
    let mut page_limits = PageLimits::default();
    if let Some(l) = op.get("x-page-limits") {
        let read = |shape: &str, into: &mut Limits| {
            if let Some(v) = l.get(shape) {
                if let Some(d) = v.get("default").and_then(Value::as_u64) {
                    into.default = d;
                }
                if let Some(m) = v.get("max").and_then(Value::as_u64) {
                    into.max = m;
                }
            }
        };
        read("envelope", &mut page_limits.envelope);
        read("array", &mut page_limits.array);
    }
    OpSpec {
        id: id.to_string(),
        mutation: matches!(
            method,
            Method::POST | Method::PUT | Method::PATCH | Method::DELETE
        ),
        method,
        template: template.to_string(),
        query_params,
        body_schema,
        success_status,
        paginated: op
            .get("x-paginated")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        list_key: op
            .get("x-list-key")
            .and_then(Value::as_str)
            .map(str::to_string),
        newest_keyed: op.get("x-newest-list-shape").and_then(Value::as_str) == Some("keyed"),
        page_limits,
        auth,
    }
}

/// Replaces every local `$ref` by its target. Siblings of a `$ref` (allowed in OpenAPI 3.1)
/// override the target's keywords. A depth cap keeps a recursive schema from looping; such a
/// `$ref` is left as is.
pub fn inline(v: &Value, root: &Value, depth: usize) -> Value {
    match v {
        Value::Object(m) => {
            if let Some(Value::String(r)) = m.get("$ref") {
                if depth < 24 {
                    if let Some(target) = r.strip_prefix('#').and_then(|p| root.pointer(p)) {
                        let mut resolved = inline(target, root, depth + 1);
                        if let Value::Object(rm) = &mut resolved {
                            for (k, val) in m {
                                if k != "$ref" {
                                    rm.insert(k.clone(), inline(val, root, depth));
                                }
                            }
                        }
                        return resolved;
                    }
                }
            }
            Value::Object(
                m.iter()
                    .map(|(k, val)| (k.clone(), inline(val, root, depth)))
                    .collect(),
            )
        }
        Value::Array(a) => Value::Array(a.iter().map(|x| inline(x, root, depth)).collect()),
        _ => v.clone(),
    }
}

/// The one deliberate departure from the spec: URLs must be https, except plain-http URLs on
/// the loopback host, so tests can receive webhook deliveries on a local port.
pub const LOCAL_OR_HTTPS: &str = "^(https://|http://(127\\.0\\.0\\.1|localhost)(:[0-9]+)?(/|$))";

fn allow_local_http(v: &mut Value) {
    match v {
        Value::Object(m) => {
            if m.get("pattern").and_then(Value::as_str) == Some("^https://") {
                m.insert("pattern".into(), Value::String(LOCAL_OR_HTTPS.into()));
            }
            m.values_mut().for_each(allow_local_http);
        }
        Value::Array(a) => a.iter_mut().for_each(allow_local_http),
        _ => {}
    }
}

/// Same rule as [`LOCAL_OR_HTTPS`], for handlers that check URLs themselves.
pub fn is_allowed_url(url: &str) -> bool {
    if url.starts_with("https://") {
        return url.len() > "https://".len();
    }
    for host in ["http://127.0.0.1", "http://localhost"] {
        if let Some(rest) = url.strip_prefix(host) {
            let rest = match rest.strip_prefix(':') {
                Some(r) => r.trim_start_matches(|c: char| c.is_ascii_digit()),
                None => rest,
            };
            return rest.is_empty() || rest.starts_with('/');
        }
    }
    false
}
