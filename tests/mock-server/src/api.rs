//! The request pipeline of the `/v1` API: route → authenticate → fault script → rate limit →
//! parse and validate → idempotency + work (one critical section) → response. Every request that
//! names a known tenant is journaled, whatever its outcome.

use crate::app::App;
use crate::auth::{self, Credentials};
use crate::errors::{self, ApiError};
use crate::faults::{DropWhen, Fault};
use crate::idempotency::IdemCheck;
use crate::lifecycle;
use crate::ops::{self, Ctx, Effect};
use crate::routes::RouteMatch;
use crate::server::{DropConnection, PeerAddr};
use crate::spec::{OpSpec, spec};
use crate::tenants::Tenant;
use crate::validate;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::response::Response;
use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, header};
use serde_json::{Map, Value, json};
use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;
use std::time::Duration;

const MAX_BODY: usize = 32 * 1024 * 1024;

enum Outcome {
    Respond {
        status: u16,
        body: Bytes,
        content_type: String,
        headers: Vec<(HeaderName, String)>,
    },
    Drop,
}

impl Outcome {
    fn json(status: u16, v: &Value) -> Self {
        Outcome::Respond {
            status,
            body: Bytes::from(serde_json::to_vec(v).expect("JSON values serialize")),
            content_type: "application/json".into(),
            headers: Vec::new(),
        }
    }

    fn error(e: &ApiError) -> Self {
        Self::json(e.status, &e.to_json())
    }

    fn with_header(mut self, name: HeaderName, value: String) -> Self {
        if let Outcome::Respond { headers, .. } = &mut self {
            headers.push((name, value));
        }
        self
    }

    fn status(&self) -> Option<u16> {
        match self {
            Outcome::Respond { status, .. } => Some(*status),
            Outcome::Drop => None,
        }
    }
}

/// What the journal records beyond the request itself.
#[derive(Default)]
struct Notes {
    operation: Option<String>,
    params: Vec<(String, String)>,
    fault: Option<Value>,
    idempotency_key: Option<String>,
    replayed: bool,
    delay_after_ms: Option<u64>,
}

pub async fn handle(State(app): State<Arc<App>>, req: Request) -> Response {
    let peer = req
        .extensions()
        .get::<PeerAddr>()
        .map_or(IpAddr::V4(Ipv4Addr::LOCALHOST), |p| p.0.ip());
    let (parts, body) = req.into_parts();
    let body = match axum::body::to_bytes(body, MAX_BODY).await {
        Ok(b) => b,
        Err(_) => {
            let e = ApiError::new(
                413,
                "payload_too_large",
                format!("The body exceeds {MAX_BODY} bytes."),
            );
            return into_response(Outcome::error(&e));
        }
    };
    let journal_to = auth::claimed_key_id(&parts.headers)
        .and_then(|k| app.tenant(k))
        .filter(|t| t.journal_enabled());
    let started = journal_to.as_ref().map(|t| t.config().now_ms());
    let mut notes = Notes::default();
    let outcome = process(&app, &parts, &body, peer, &mut notes).await;
    if let (Some(t), Some(at)) = (journal_to, started) {
        record(&t, at, &parts, &body, &notes, outcome.status());
    }
    // Journaled and done before the wait, so a client that gives up meanwhile leaves the work
    // done: a retry must replay it by its idempotency key, never repeat it.
    if let Some(ms) = notes.delay_after_ms {
        tokio::time::sleep(Duration::from_millis(ms)).await;
    }
    into_response(outcome)
}

fn into_response(outcome: Outcome) -> Response {
    match outcome {
        Outcome::Drop => {
            let mut r = Response::new(Body::empty());
            r.extensions_mut().insert(DropConnection);
            r
        }
        Outcome::Respond {
            status,
            body,
            content_type,
            headers,
        } => {
            let mut r = Response::new(Body::from(body));
            *r.status_mut() =
                StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let h = r.headers_mut();
            if let Ok(v) = HeaderValue::from_str(&content_type) {
                h.insert(header::CONTENT_TYPE, v);
            }
            for (name, value) in headers {
                if let Ok(v) = HeaderValue::from_str(&value) {
                    h.append(name, v);
                }
            }
            r
        }
    }
}

fn record(
    t: &Tenant,
    at_ms: i64,
    parts: &http::request::Parts,
    body: &Bytes,
    notes: &Notes,
    status: Option<u16>,
) {
    let mut headers = Map::new();
    for name in parts.headers.keys() {
        let joined: Vec<&str> = parts
            .headers
            .get_all(name)
            .iter()
            .map(|v| v.to_str().unwrap_or("<binary>"))
            .collect();
        headers.insert(name.as_str().to_string(), json!(joined.join(", ")));
    }
    let mut query = Map::new();
    if let Some(q) = parts.uri.query() {
        for (k, v) in form_urlencoded::parse(q.as_bytes()) {
            query.insert(k.into_owned(), json!(v));
        }
    }
    let body = if body.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(body).unwrap_or_else(|_| json!(String::from_utf8_lossy(body)))
    };
    let params: Map<String, Value> = notes
        .params
        .iter()
        .map(|(k, v)| (k.clone(), json!(v)))
        .collect();
    let mut e = Map::new();
    e.insert("seq".into(), Value::Null);
    e.insert("at_ms".into(), json!(at_ms));
    e.insert("method".into(), json!(parts.method.as_str()));
    e.insert("path".into(), json!(parts.uri.path()));
    e.insert("decoded_path_params".into(), Value::Object(params));
    e.insert("query".into(), Value::Object(query));
    e.insert("raw_query".into(), json!(parts.uri.query()));
    e.insert("operation".into(), json!(notes.operation));
    e.insert("headers".into(), Value::Object(headers));
    e.insert("body".into(), body);
    e.insert("status".into(), json!(status));
    e.insert("fault".into(), notes.fault.clone().unwrap_or(Value::Null));
    e.insert("idempotency_key".into(), json!(notes.idempotency_key));
    e.insert("replayed".into(), json!(notes.replayed));
    t.journal.record(e);
}

fn retry_after_secs(wait: f64) -> u64 {
    (wait.ceil() as u64).max(1)
}

fn rate_limited(wait: f64, message: &str) -> Outcome {
    let secs = retry_after_secs(wait);
    let e = ApiError::new(
        429,
        "rate_limit_exceeded",
        format!("{message} Try again in {secs} seconds."),
    )
    .with_details(json!({ "retry_after": secs }));
    Outcome::error(&e).with_header(header::RETRY_AFTER, secs.to_string())
}

/// The headers a fault adds (`Retry-After`, `retry-after-ms`, `x-should-retry`), to its own
/// status response or to the normal one.
fn fault_headers(mut o: Outcome, f: &Fault) -> Outcome {
    if let Some(v) = &f.retry_after {
        o = o.with_header(header::RETRY_AFTER, v.clone());
    }
    if let Some(v) = f.retry_after_ms {
        o = o.with_header(HeaderName::from_static("retry-after-ms"), v.to_string());
    }
    if let Some(v) = f.should_retry {
        o = o.with_header(HeaderName::from_static("x-should-retry"), v.to_string());
    }
    if let Some(v) = &f.location {
        o = o.with_header(header::LOCATION, v.clone());
    }
    o
}

fn fault_response(status: u16, f: &Fault) -> Outcome {
    let (body, default_type) = match &f.body {
        Some(b) => {
            let is_json = serde_json::from_str::<Value>(b).is_ok();
            (
                Bytes::from(b.clone()),
                if is_json {
                    "application/json"
                } else {
                    "text/plain; charset=utf-8"
                },
            )
        }
        None => (
            Bytes::from(errors::default_for_status(status).to_string()),
            "application/json",
        ),
    };
    let o = Outcome::Respond {
        status,
        body,
        content_type: f
            .content_type
            .clone()
            .unwrap_or_else(|| default_type.into()),
        headers: Vec::new(),
    };
    fault_headers(o, f)
}

fn idempotency_key(op: &OpSpec, headers: &HeaderMap) -> Result<Option<String>, ApiError> {
    if !op.mutation {
        return Ok(None);
    }
    match headers.get("idempotency-key") {
        None => Ok(None),
        Some(v) => match v.to_str() {
            Ok(s) if !s.is_empty() && s.len() <= 255 => Ok(Some(s.to_string())),
            _ => Err(ApiError::invalid(
                "invalid_request",
                "Idempotency-Key",
                "Idempotency-Key must be 1 to 255 visible ASCII characters.",
            )),
        },
    }
}

/// The JSON body of an operation that takes one; `Null` for the others (a body on GET is
/// ignored). An empty body counts as `{}` so that it reports the missing fields.
fn parse_body(op: &OpSpec, method: &Method, body: &Bytes) -> Result<Value, ApiError> {
    if op.body_schema.is_none() || *method == Method::GET {
        return Ok(Value::Null);
    }
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(json!({}));
    }
    serde_json::from_slice(body).map_err(|e| {
        ApiError::bad_request("invalid_json", format!("The body is not valid JSON: {e}."))
    })
}

async fn process(
    app: &Arc<App>,
    parts: &http::request::Parts,
    raw_body: &Bytes,
    peer: IpAddr,
    notes: &mut Notes,
) -> Outcome {
    let spec = spec();
    let (op_index, params) = match app.routes.find(spec, &parts.method, parts.uri.path()) {
        RouteMatch::Found { op, params } => (op, params),
        RouteMatch::NotFound => {
            let e = ApiError::not_found(
                "not_found",
                format!("No route for {} {}", parts.method, parts.uri.path()),
            );
            return Outcome::error(&e);
        }
        RouteMatch::MethodNotAllowed { allow } => {
            let allowed: Vec<&str> = allow.iter().map(Method::as_str).collect();
            let e = ApiError::new(
                405,
                "method_not_allowed",
                format!(
                    "{} is not allowed on {}; use {}.",
                    parts.method,
                    parts.uri.path(),
                    allowed.join(", ")
                ),
            );
            return Outcome::error(&e).with_header(header::ALLOW, allowed.join(", "));
        }
    };
    let op = &spec.ops[op_index];
    notes.operation = Some(op.id.clone());
    notes.params = params.clone();

    if !op.auth {
        return create_key(app, op, op_index, parts, raw_body, peer);
    }
    let tenant = match auth::parse(&parts.headers) {
        Credentials::Key { key_id, secret } => {
            app.tenant(key_id).filter(|t| t.secret_matches(secret))
        }
        Credentials::Missing | Credentials::Malformed => None,
    };
    let Some(tenant) = tenant else {
        return Outcome::error(&ApiError::unauthorized());
    };

    let cfg = tenant.config();
    let mut extra: Vec<(HeaderName, String)> = Vec::new();
    if let Some(limit) = &cfg.rate_limit {
        match tenant.take_rate(limit) {
            Err(wait) => return rate_limited(wait, "Rate limit exceeded."),
            Ok(info) => {
                extra.push((
                    HeaderName::from_static("x-ratelimit-limit"),
                    info.limit.to_string(),
                ));
                extra.push((
                    HeaderName::from_static("x-ratelimit-remaining"),
                    info.remaining.to_string(),
                ));
                let reset = cfg.now_ms() / 1000 + info.reset_in.ceil() as i64;
                extra.push((
                    HeaderName::from_static("x-ratelimit-reset"),
                    reset.to_string(),
                ));
            }
        }
    }
    // Taken after the rate limit, so that a request it turns away leaves the script as it was.
    let fault = tenant.faults.next(&op.id);
    notes.fault = fault.as_ref().map(|f| f.raw.clone());
    notes.delay_after_ms = fault.as_ref().and_then(|f| f.delay_after_ms);

    if let Some(f) = &fault {
        // Work happens only after the delay, so a client that gives up meanwhile (and drops the
        // connection, which cancels this future) leaves nothing done.
        if let Some(ms) = f.delay_ms {
            tokio::time::sleep(Duration::from_millis(ms)).await;
        }
        if let Some(status) = f.status {
            return fault_response(status, f);
        }
        if f.drop == Some(DropWhen::Before) {
            return Outcome::Drop;
        }
    }

    let mut body = match parse_body(op, &parts.method, raw_body) {
        Ok(b) => b,
        Err(e) => return Outcome::error(&e),
    };
    if op.id == "phone_numbers.import" {
        ops::phone_numbers::normalize_aliases(&mut body);
    }
    if op.body_schema.is_some() && !body.is_null() {
        if let Err(e) = validate::check_body(op_index, &body) {
            return Outcome::error(&e);
        }
    }
    let query = match validate::check_query(op, op_index, parts.uri.query()) {
        Ok(q) => q,
        Err(e) => return Outcome::error(&e),
    };
    let idem_key = match idempotency_key(op, &parts.headers) {
        Ok(k) => k,
        Err(e) => return Outcome::error(&e),
    };
    notes.idempotency_key = idem_key.clone();
    let Some(handler) = ops::handler(&op.id) else {
        let e = ApiError::new(
            501,
            "not_implemented",
            format!("The mock does not implement {}.", op.id),
        );
        return Outcome::error(&e);
    };

    let path = parts.uri.path();
    let now = cfg.now_ms();
    let (status, response, effects) = {
        let mut st = tenant.state.lock();
        if let Some(key) = &idem_key {
            match st.idem.check(key, op_index, path, &body, now) {
                IdemCheck::Replay(r) => {
                    notes.replayed = true;
                    let o = Outcome::Respond {
                        status: r.status,
                        body: r.response.clone(),
                        content_type: "application/json".into(),
                        headers: extra,
                    };
                    let o = o.with_header(
                        HeaderName::from_static("idempotent-replayed"),
                        "true".into(),
                    );
                    return after_work(o, fault.as_ref());
                }
                IdemCheck::Conflict(why) => {
                    let e = ApiError::new(
                        422,
                        "idempotency_key_reused",
                        format!(
                            "This Idempotency-Key was already used with {why} in the last 24 hours."
                        ),
                    )
                    .with_details(json!({ "idempotency_key": key }));
                    return Outcome::error(&e);
                }
                IdemCheck::Fresh => {}
            }
        }
        let mut ctx = Ctx {
            tenant: &tenant,
            st: &mut st,
            cfg: &cfg,
            now_ms: now,
            op,
            params: &params,
            query: &query,
            body: &body,
            effects: Vec::new(),
        };
        let result = handler(&mut ctx);
        let effects = ctx.effects;
        let (status, response) = match result {
            Ok(reply) => (op.success_status, reply.into_bytes()),
            Err(e) => (e.status, Bytes::from(e.to_json().to_string())),
        };
        if let Some(key) = idem_key {
            st.idem.store(
                key,
                op_index,
                path.to_string(),
                body,
                status,
                response.clone(),
                now,
            );
        }
        (status, response, effects)
    };
    for effect in effects {
        match effect {
            Effect::StartCall(call_id) => lifecycle::start(app, tenant.clone(), call_id),
        }
    }
    let o = Outcome::Respond {
        status,
        body: response,
        content_type: "application/json".into(),
        headers: extra,
    };
    after_work(o, fault.as_ref())
}

/// A `drop: "after"` fault closes the connection once the work is done (and recorded for
/// idempotency); other faults without a status only add their headers.
fn after_work(o: Outcome, fault: Option<&Fault>) -> Outcome {
    match fault {
        Some(f) if f.drop == Some(DropWhen::After) => Outcome::Drop,
        Some(f) => fault_headers(o, f),
        None => o,
    }
}

/// `POST /v1/keys`: no authentication; a new, empty tenant.
fn create_key(
    app: &Arc<App>,
    op: &OpSpec,
    op_index: usize,
    parts: &http::request::Parts,
    raw_body: &Bytes,
    peer: IpAddr,
) -> Outcome {
    if let Err(wait) = app.take_key_creation(peer) {
        return rate_limited(wait, "Too many key creations from this IP.");
    }
    let body = match parse_body(op, &parts.method, raw_body) {
        Ok(b) => b,
        Err(e) => return Outcome::error(&e),
    };
    if !body.is_null() {
        if let Err(e) = validate::check_body(op_index, &body) {
            return Outcome::error(&e);
        }
    }
    let key = app.create_tenant();
    Outcome::json(
        op.success_status,
        &ops::account::key_created(&key.key_id, &key.key_secret),
    )
}
