//! The admin API under `/__mock/` (no authentication, JSON): reset, tenants and their settings,
//! fault scripts, the journal, webhook deliveries and record counts. Documented in README.md.

use crate::app::App;
use crate::errors::ApiError;
use crate::faults::FaultRequest;
use crate::tenants::{ConfigPatch, Tenant};
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use bytes::Bytes;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use std::sync::Arc;

type AppState = State<Arc<App>>;

pub fn router() -> Router<Arc<App>> {
    Router::new()
        .route("/__mock/reset", post(reset))
        .route("/__mock/tenants", post(create_tenant))
        .route(
            "/__mock/tenants/{key_id}/config",
            get(get_config).put(put_config),
        )
        .route("/__mock/tenants/{key_id}/counts", get(counts))
        .route(
            "/__mock/config",
            get(get_server_config).put(put_server_config),
        )
        .route(
            "/__mock/faults",
            post(add_faults).get(list_faults).delete(clear_faults),
        )
        .route("/__mock/journal", get(journal).delete(clear_journal))
        .route("/__mock/webhooks", get(webhooks).delete(clear_webhooks))
}

fn reply(status: StatusCode, v: Value) -> Response {
    (status, axum::Json(v)).into_response()
}

fn ok(v: Value) -> Response {
    reply(StatusCode::OK, v)
}

fn fail(e: ApiError) -> Response {
    reply(
        StatusCode::from_u16(e.status).unwrap_or(StatusCode::BAD_REQUEST),
        e.to_json(),
    )
}

fn invalid(message: impl Into<String>) -> ApiError {
    ApiError::bad_request("invalid_request", message)
}

fn bad(message: impl Into<String>) -> Response {
    fail(invalid(message))
}

fn parse<T: DeserializeOwned>(body: &Bytes) -> Result<T, ApiError> {
    let text = if body.iter().all(u8::is_ascii_whitespace) {
        &b"{}"[..]
    } else {
        &body[..]
    };
    serde_json::from_slice(text).map_err(|e| invalid(format!("invalid admin request body: {e}")))
}

fn tenant(app: &App, key_id: &str) -> Result<Arc<Tenant>, ApiError> {
    app.tenant(key_id)
        .ok_or_else(|| ApiError::not_found("not_found", format!("No tenant with key id {key_id}")))
}

#[derive(Deserialize)]
struct KeyQuery {
    key_id: Option<String>,
    operation: Option<String>,
}

impl KeyQuery {
    fn tenant(&self, app: &App) -> Result<Arc<Tenant>, ApiError> {
        match &self.key_id {
            Some(k) => tenant(app, k),
            None => Err(invalid("the key_id query parameter is required")),
        }
    }
}

async fn reset(State(app): AppState) -> Response {
    app.reset();
    ok(json!({ "ok": true }))
}

async fn create_tenant(State(app): AppState) -> Response {
    let k = app.create_tenant();
    reply(
        StatusCode::CREATED,
        json!({
            "key_id": k.key_id,
            "key_secret": k.key_secret,
            "api_key": format!("{}:{}", k.key_id, k.key_secret),
        }),
    )
}

async fn get_config(State(app): AppState, Path(key_id): Path<String>) -> Response {
    match tenant(&app, &key_id) {
        Ok(t) => ok(json!(*t.config())),
        Err(e) => fail(e),
    }
}

async fn put_config(State(app): AppState, Path(key_id): Path<String>, body: Bytes) -> Response {
    let t = match tenant(&app, &key_id) {
        Ok(t) => t,
        Err(e) => return fail(e),
    };
    let patch: ConfigPatch = match parse(&body) {
        Ok(p) => p,
        Err(e) => return fail(e),
    };
    match t.update_config(patch) {
        Ok(c) => ok(json!(c)),
        Err(e) => bad(e),
    }
}

async fn counts(State(app): AppState, Path(key_id): Path<String>) -> Response {
    let t = match tenant(&app, &key_id) {
        Ok(t) => t,
        Err(e) => return fail(e),
    };
    let st = t.state.lock();
    ok(json!({
        "agents": st.agents.len(),
        "calls": st.calls.len(),
        "phone_numbers": st.numbers.len(),
        "sms_campaigns": st.sms_campaigns.len(),
        "voice_campaigns": st.voice_campaigns.len(),
        "sms_sent": st.sms.len(),
    }))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ServerConfig {
    #[serde(default, deserialize_with = "present")]
    key_creation_limit_per_hour: Option<Option<u32>>,
}

fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<u32>>, D::Error> {
    Option::<u32>::deserialize(d).map(Some)
}

async fn get_server_config(State(app): AppState) -> Response {
    ok(json!({ "key_creation_limit_per_hour": app.key_limit(), "list_shape": app.default_shape }))
}

async fn put_server_config(State(app): AppState, body: Bytes) -> Response {
    let c: ServerConfig = match parse(&body) {
        Ok(c) => c,
        Err(e) => return fail(e),
    };
    if let Some(limit) = c.key_creation_limit_per_hour {
        app.set_key_limit(limit);
    }
    get_server_config(State(app)).await
}

async fn add_faults(State(app): AppState, body: Bytes) -> Response {
    let req: FaultRequest = match parse(&body) {
        Ok(r) => r,
        Err(e) => return fail(e),
    };
    let t = match tenant(&app, &req.key_id) {
        Ok(t) => t,
        Err(e) => return fail(e),
    };
    if let Some(op) = &req.operation {
        if crate::spec::spec().op_index(op).is_none() {
            return bad(format!("unknown operation {op:?}"));
        }
    }
    let id = app.next_id("fault_");
    match t.faults.add(id.clone(), req) {
        Ok(()) => reply(StatusCode::CREATED, json!({ "fault_id": id })),
        Err(e) => bad(e),
    }
}

async fn list_faults(State(app): AppState, Query(q): Query<KeyQuery>) -> Response {
    match q.tenant(&app) {
        Ok(t) => ok(json!({ "fault_ids": t.faults.ids() })),
        Err(e) => fail(e),
    }
}

async fn clear_faults(State(app): AppState, Query(q): Query<KeyQuery>) -> Response {
    match q.tenant(&app) {
        Ok(t) => {
            t.faults.clear();
            ok(json!({ "ok": true }))
        }
        Err(e) => fail(e),
    }
}

async fn journal(State(app): AppState, Query(q): Query<KeyQuery>) -> Response {
    match q.tenant(&app) {
        Ok(t) => ok(json!({ "requests": t.journal.list(q.operation.as_deref()) })),
        Err(e) => fail(e),
    }
}

async fn clear_journal(State(app): AppState, Query(q): Query<KeyQuery>) -> Response {
    match q.tenant(&app) {
        Ok(t) => {
            t.journal.clear();
            ok(json!({ "ok": true }))
        }
        Err(e) => fail(e),
    }
}

async fn webhooks(State(app): AppState, Query(q): Query<KeyQuery>) -> Response {
    match q.tenant(&app) {
        Ok(t) => ok(json!({ "deliveries": t.deliveries.list() })),
        Err(e) => fail(e),
    }
}

async fn clear_webhooks(State(app): AppState, Query(q): Query<KeyQuery>) -> Response {
    match q.tenant(&app) {
        Ok(t) => {
            t.deliveries.clear();
            ok(json!({ "ok": true }))
        }
        Err(e) => fail(e),
    }
}
