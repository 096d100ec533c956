//! Every failure crosses to JavaScript as one shape: a rejected `Error` whose message is
//! `NIXFLEX_ERROR:` followed by a JSON object with the core error's fields. `ts/errors.ts` turns
//! it into the matching class. A Rust panic becomes an `internal` error, never a crash.

use std::future::Future;
use std::panic::{AssertUnwindSafe, UnwindSafe};

use futures::FutureExt;
use serde_json::{Map, Value, json};

/// The marker the facade recognises.
pub(crate) const PREFIX: &str = "NIXFLEX_ERROR:";

/// The fields of an error, as the facade reads them (camelCase keys).
pub(crate) fn fields(err: &nixflex::Error) -> Value {
    let mut map = Map::new();
    map.insert("kind".into(), json!(err.kind().as_str()));
    map.insert("message".into(), json!(err.message()));
    map.insert("status".into(), json!(err.status()));
    map.insert("code".into(), json!(err.code()));
    map.insert("type".into(), json!(err.error_type()));
    map.insert("docUrl".into(), json!(err.doc_url()));
    map.insert(
        "details".into(),
        err.details().cloned().unwrap_or(Value::Null),
    );
    map.insert("requestId".into(), json!(err.request_id()));
    map.insert(
        "retryAfterSeconds".into(),
        json!(err.retry_after().map(|d| d.as_secs_f64())),
    );
    map.insert("idempotencyKey".into(), json!(err.idempotency_key()));
    map.insert("attempts".into(), json!(err.attempts()));
    Value::Object(map)
}

fn from_fields(fields: &Value) -> napi::Error {
    napi::Error::from_reason(format!("{PREFIX}{fields}"))
}

/// A core error as a napi error.
pub(crate) fn to_napi(err: nixflex::Error) -> napi::Error {
    from_fields(&fields(&err))
}

/// An error the binding itself raises (bad arguments, aborts, panics).
pub(crate) fn binding(kind: &str, message: impl Into<String>) -> napi::Error {
    from_fields(&json!({ "kind": kind, "message": message.into() }))
}

/// The error of a call stopped by its `AbortSignal`.
pub(crate) fn aborted(idempotency_key: Option<&str>) -> napi::Error {
    from_fields(&json!({
        "kind": "aborted",
        "message": "the request was aborted",
        "idempotencyKey": idempotency_key,
    }))
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    let what = payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_owned());
    format!("internal error in the Nixflex SDK (a bug; please report it): {what}")
}

/// Runs a synchronous body, turning a panic into an internal error.
pub(crate) fn guard<T>(body: impl FnOnce() -> napi::Result<T> + UnwindSafe) -> napi::Result<T> {
    std::panic::catch_unwind(body)
        .unwrap_or_else(|payload| Err(binding("internal", panic_message(&*payload))))
}

/// Runs a future, turning a panic into an internal error.
pub(crate) async fn guard_async<T>(fut: impl Future<Output = napi::Result<T>>) -> napi::Result<T> {
    AssertUnwindSafe(fut)
        .catch_unwind()
        .await
        .unwrap_or_else(|payload| Err(binding("internal", panic_message(&*payload))))
}

/// An error of the binding's own `kind` that still carries what the response said.
pub(crate) fn from_error_fields(
    kind: &str,
    message: String,
    meta: &nixflex::ResponseMeta,
) -> napi::Error {
    from_fields(&json!({
        "kind": kind,
        "message": message,
        "status": meta.status,
        "requestId": meta.request_id,
        "idempotencyKey": meta.idempotency_key,
        "attempts": meta.attempts,
    }))
}

/// Test hook: panics inside the binding, synchronously or in a future, to show that a panic
/// reaches JavaScript as an internal error. Inert unless `NIXFLEX_NODE_TEST_HOOKS=1`.
#[napi_derive::napi]
pub async fn debug_panic(in_future: bool) -> napi::Result<()> {
    if std::env::var("NIXFLEX_NODE_TEST_HOOKS").as_deref() != Ok("1") {
        return Err(binding("invalid_request", "test hooks are off"));
    }
    if in_future {
        guard_async(async { panic!("a test panic inside a future") }).await
    } else {
        guard(|| panic!("a test panic"))
    }
}

/// The error kind an HTTP status maps to (`not_found` for 404…), from the core's table.
#[napi_derive::napi]
pub fn error_kind_for_status(status: u32) -> &'static str {
    nixflex::ErrorKind::from_status(u16::try_from(status).unwrap_or(0)).as_str()
}
