//! The client: one native method per shape of call, driven by the operation id. The facade's
//! generated resources call these with the path values, query pairs and JSON body text.

use std::collections::HashMap;
use std::panic::AssertUnwindSafe;

use bytes::Bytes;
use napi_derive::napi;

use crate::convert::{self, CallOptions, RawResponse};
use crate::errors::{self, guard, guard_async, to_napi};
use crate::pager::NativePager;

/// Client configuration, as the facade resolved it (environment included).
#[napi(object)]
pub struct ClientOptions {
    /// `nxf_…:nxfs_…`; empty or absent is a configuration error (except for `anonymous`).
    pub api_key: Option<String>,
    /// The API's base URL; absent means production.
    pub base_url: Option<String>,
    /// Timeout of each attempt, in milliseconds.
    pub timeout_ms: Option<f64>,
    /// Bound on all attempts of one call together, in milliseconds.
    pub deadline_ms: Option<f64>,
    /// Retries after the first attempt.
    pub max_retries: Option<u32>,
    /// Headers sent with every request.
    pub headers: Option<HashMap<String, String>>,
    /// The npm package's version, for the `User-Agent`.
    pub version: Option<String>,
    /// A client without a key, for `keys.create`.
    pub anonymous: Option<bool>,
}

/// A Nixflex client. Clones of the core client share one connection pool.
#[napi]
pub struct NativeClient {
    client: nixflex::Client,
}

fn build(options: ClientOptions) -> napi::Result<nixflex::Client> {
    let mut builder = nixflex::Client::builder()
        .product(
            "nixflex-node",
            options.version.unwrap_or_else(|| "0.0.0".to_owned()),
        )
        // The facade reads the environment (worker threads have their own `process.env`), so
        // the core must not fall back to the process's.
        .base_url(
            options
                .base_url
                .unwrap_or_else(|| nixflex::DEFAULT_BASE_URL.to_owned()),
        );
    builder = if options.anonymous == Some(true) {
        builder.anonymous()
    } else {
        builder.api_key(options.api_key.unwrap_or_default())
    };
    if let Some(timeout) = convert::millis("timeoutMs", options.timeout_ms)? {
        builder = builder.timeout(timeout);
    }
    if let Some(deadline) = convert::millis("deadlineMs", options.deadline_ms)? {
        builder = builder.deadline(deadline);
    }
    if let Some(retries) = options.max_retries {
        builder = builder.max_retries(retries);
    }
    for (name, value) in options.headers.unwrap_or_default() {
        builder = builder.default_header(name, value);
    }
    builder.build().map_err(to_napi)
}

fn operation(id: &str) -> napi::Result<&'static nixflex::Operation> {
    nixflex::operation(id)
        .ok_or_else(|| errors::binding("invalid_request", format!("unknown operation {id:?}")))
}

/// The parameters of a call: path values in the operation's order, query pairs, body text.
fn params(
    op: &nixflex::Operation,
    path: Vec<String>,
    query: Vec<String>,
    body: Option<String>,
) -> napi::Result<nixflex::CallParams> {
    if path.len() != op.path_params.len() {
        return Err(errors::binding(
            "invalid_request",
            format!(
                "{} takes {} path parameter(s) ({}), got {}",
                op.id,
                op.path_params.len(),
                op.path_params.join(", "),
                path.len()
            ),
        ));
    }
    Ok(nixflex::CallParams {
        path: op
            .path_params
            .iter()
            .map(|n| (*n).to_owned())
            .zip(path)
            .collect(),
        query: convert::pairs(query),
        body: body.map(Bytes::from),
    })
}

/// The idempotency key a call sends: the caller's (or the facade's) on a mutation, none on a
/// read, whose key the core does not send and an abort error must not report.
fn sent_key(method: nixflex::Method, options: &nixflex::RequestOptions) -> Option<&str> {
    if method.is_mutation() {
        options.idempotency_key.as_deref()
    } else {
        None
    }
}

/// Runs a call, stopping it when its abort token fires (an abort is never retried: the future
/// is dropped wherever it is).
async fn run(
    call: impl Future<Output = nixflex::Result<nixflex::Response<Bytes>>>,
    token: Option<u32>,
    idempotency_key: Option<&str>,
) -> napi::Result<(Bytes, nixflex::ResponseMeta)> {
    let outcome = match crate::cancel::token(token) {
        Some(token) => tokio::select! {
            biased;
            () = token.cancelled() => return Err(errors::aborted(idempotency_key)),
            outcome = call => outcome,
        },
        None => call.await,
    };
    outcome.map(nixflex::Response::into_parts).map_err(to_napi)
}

#[napi]
impl NativeClient {
    /// Checks the configuration (the key's format, the base URL) and builds the client.
    #[napi(constructor)]
    pub fn new(options: ClientOptions) -> napi::Result<Self> {
        guard(AssertUnwindSafe(move || {
            Ok(NativeClient {
                client: build(options)?,
            })
        }))
    }

    /// Calls operation `operation`; resolves to the body text (the fast path).
    #[napi]
    pub async fn call(
        &self,
        operation: String,
        path: Vec<String>,
        query: Vec<String>,
        body: Option<String>,
        options: Option<CallOptions>,
    ) -> napi::Result<String> {
        guard_async(async {
            let op = self::operation(&operation)?;
            let params = params(op, path, query, body)?;
            let (options, token) = convert::request_options(options)?;
            let call = self.client.call(op, &params, &options);
            let (body, meta) = run(call, token, sent_key(op.method, &options)).await?;
            // The plain path hands JavaScript text only; a body that cannot be JSON is caught
            // here, where the status, request id and attempts are still known.
            convert::plausible_json(&body, &meta)?;
            convert::body_text(body, &meta)
        })
        .await
    }

    /// Like `call`, with the status, headers, request id, attempts and idempotency key.
    #[napi]
    pub async fn call_with_meta(
        &self,
        operation: String,
        path: Vec<String>,
        query: Vec<String>,
        body: Option<String>,
        options: Option<CallOptions>,
    ) -> napi::Result<RawResponse> {
        guard_async(async {
            let op = self::operation(&operation)?;
            let params = params(op, path, query, body)?;
            let (options, token) = convert::request_options(options)?;
            let call = self.client.call(op, &params, &options);
            let (body, meta) = run(call, token, sent_key(op.method, &options)).await?;
            let text = convert::body_text(body, &meta)?;
            Ok(convert::raw_response(text, meta))
        })
        .await
    }

    /// Calls any endpoint (`client.request`), for endpoints newer than the SDK; `path` is used
    /// as given. Resolves with the metadata.
    #[napi]
    pub async fn request(
        &self,
        method: String,
        path: String,
        query: Vec<String>,
        body: Option<String>,
        options: Option<CallOptions>,
    ) -> napi::Result<RawResponse> {
        guard_async(async {
            let method = nixflex::Method::parse(&method).ok_or_else(|| {
                errors::binding("invalid_request", format!("unknown HTTP method {method:?}"))
            })?;
            let (options, token) = convert::request_options(options)?;
            let query = convert::pairs(query);
            let call = self
                .client
                .request(method, &path, &query, body.map(Bytes::from), &options);
            let (body, meta) = run(call, token, sent_key(method, &options)).await?;
            let text = convert::body_text(body, &meta)?;
            Ok(convert::raw_response(text, meta))
        })
        .await
    }

    /// A walk over every item of a paginated operation (`limit`/`offset` are the walk's own).
    #[napi]
    #[allow(clippy::too_many_arguments)]
    pub fn paginate(
        &self,
        operation: String,
        path: Vec<String>,
        query: Vec<String>,
        options: Option<CallOptions>,
        page_size: Option<u32>,
        max_items: Option<f64>,
        concurrency: Option<u32>,
    ) -> napi::Result<NativePager> {
        guard(AssertUnwindSafe(|| {
            let op = self::operation(&operation)?;
            let params = params(op, path, query, None)?;
            let (options, _) = convert::request_options(options)?;
            let mut walk = nixflex::WalkOptions::default();
            if let Some(size) = page_size {
                walk.page_size = size;
            }
            if let Some(max) = max_items {
                if !(max.is_finite() && max >= 0.0) {
                    return Err(errors::binding(
                        "invalid_request",
                        format!("maxItems must be a non-negative number, got {max}"),
                    ));
                }
                walk.max_items = Some(max as u64);
            }
            if let Some(concurrency) = concurrency {
                walk.concurrency = concurrency as usize;
            }
            let paginator = nixflex::Paginator::new(self.client.clone(), op, params, options, walk)
                .map_err(to_napi)?;
            Ok(NativePager::new(paginator))
        }))
    }
}
