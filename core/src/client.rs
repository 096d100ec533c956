//! The client: one logical call = up to `max_retries + 1` attempts with one idempotency key.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use http::{HeaderMap, HeaderValue};
use serde::Serialize;
use tokio::time::Instant;
use tracing::Instrument;

use crate::config::{Config, parse_header};
use crate::error::{Error, ErrorKind, Result};
use crate::operation::{Method, Operation};
use crate::options::RequestOptions;
use crate::rate_gate::RateGate;
use crate::response::{Response, ResponseMeta, decode_error, excerpt};
use crate::{path, retry};

/// The Nixflex client. Cheap to clone: clones share one connection pool and one rate-limit
/// pause. Typed resources hang off it (`client.agents()`, `client.calls()`, …).
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    config: Config,
    http: reqwest::Client,
    gate: RateGate,
    authorization: HeaderValue,
    user_agent: HeaderValue,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field(
                "base_url",
                &crate::auth::mask_secrets(&self.inner.config.base_url),
            )
            .field("api_key", &self.inner.config.api_key)
            .finish_non_exhaustive()
    }
}

/// The parts of one request: operation, path values, query and JSON body.
#[derive(Debug, Clone, Default)]
pub struct CallParams {
    /// Path parameter values by name (unencoded; the SDK encodes them).
    pub path: Vec<(String, String)>,
    /// Query parameters, in order.
    pub query: Vec<(String, String)>,
    /// The JSON body, already serialized.
    pub body: Option<Bytes>,
}

impl CallParams {
    /// No parameters.
    pub fn new() -> CallParams {
        CallParams::default()
    }
    /// Adds a path parameter.
    pub fn path(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.path.push((name.into(), value.into()));
        self
    }
    /// Adds a query parameter.
    pub fn query(mut self, name: impl Into<String>, value: impl ToString) -> Self {
        self.query.push((name.into(), value.to_string()));
        self
    }
    /// Sets the JSON body from any serializable value.
    pub fn json<B: Serialize + ?Sized>(mut self, body: &B) -> Result<Self> {
        let bytes = serde_json::to_vec(body).map_err(|e| {
            Error::new(
                ErrorKind::InvalidRequest,
                format!("cannot encode the body: {e}"),
            )
        })?;
        self.body = Some(Bytes::from(bytes));
        Ok(self)
    }
}

/// A request ready to send: everything but the per-attempt headers.
struct Prepared<'a> {
    operation: &'a str,
    method: Method,
    url: reqwest::Url,
    body: Option<Bytes>,
    auth: bool,
}

impl Client {
    /// A builder; see [`crate::ClientBuilder`].
    pub fn builder() -> crate::ClientBuilder {
        crate::ClientBuilder::default()
    }

    /// A client configured from `NIXFLEX_API_KEY` and `NIXFLEX_BASE_URL`.
    pub fn from_env() -> Result<Client> {
        Client::builder().build()
    }

    pub(crate) fn from_config(config: Config) -> Result<Client> {
        let http = crate::transport::build(&config)?;
        let mut authorization = HeaderValue::from_str(&config.api_key.authorization_value())
            .map_err(|_| Error::configuration("the API key cannot be sent as a header"))?;
        authorization.set_sensitive(true);
        let user_agent = HeaderValue::from_str(&config.user_agent)
            .map_err(|_| Error::configuration("invalid User-Agent product name"))?;
        Ok(Client {
            inner: Arc::new(Inner {
                config,
                http,
                gate: RateGate::default(),
                authorization,
                user_agent,
            }),
        })
    }

    /// Creates an API key (`keys.create`), which needs no key of its own. The base URL comes
    /// from `base_url`, else `NIXFLEX_BASE_URL`, else production.
    pub async fn create_key(
        base_url: Option<&str>,
        body: &crate::models::KeyCreate,
    ) -> Result<Response<crate::models::KeyResponse>> {
        let mut builder = Client::builder().anonymous();
        if let Some(url) = base_url {
            builder = builder.base_url(url);
        }
        builder.build()?.keys().create(body).await
    }

    /// The resolved configuration.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// Calls an operation of the API by its description, with every behaviour of the SDK:
    /// encoding, headers, idempotency, retries, the 429 pause and the deadline. The body comes
    /// back as bytes; [`Response::json`] decodes it.
    pub async fn call(
        &self,
        op: &Operation,
        params: &CallParams,
        options: &RequestOptions,
    ) -> Result<Response<Bytes>> {
        let path = path::fill(op.path, |name| {
            params
                .path
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.as_str())
        })?;
        if let Some((unknown, _)) = params
            .path
            .iter()
            .find(|(n, _)| !op.path_params.contains(&n.as_str()))
        {
            return Err(Error::new(
                ErrorKind::InvalidRequest,
                format!("{} has no path parameter {unknown}", op.id),
            ));
        }
        if params.body.is_some() && !op.has_body {
            return Err(Error::new(
                ErrorKind::InvalidRequest,
                format!("{} takes no request body", op.id),
            ));
        }
        let prepared = Prepared {
            operation: op.id,
            method: op.method,
            url: self.url(&path, &params.query)?,
            body: params.body.clone(),
            auth: op.auth,
        };
        self.execute(prepared, options).await
    }

    /// Calls any endpoint, for endpoints newer than the SDK, with the same behaviour as the
    /// typed methods. `path` is used as given (starting with `/`); encode its segments with
    /// [`crate::encode_segment`].
    pub async fn request(
        &self,
        method: Method,
        path: &str,
        query: &[(String, String)],
        body: Option<Bytes>,
        options: &RequestOptions,
    ) -> Result<Response<Bytes>> {
        if !path.starts_with('/') {
            return Err(Error::new(
                ErrorKind::InvalidRequest,
                format!("the path must start with '/', got {path:?}"),
            ));
        }
        let prepared = Prepared {
            operation: "request",
            method,
            url: self.url(path, query)?,
            body,
            auth: true,
        };
        self.execute(prepared, options).await
    }

    fn url(&self, path: &str, query: &[(String, String)]) -> Result<reqwest::Url> {
        let raw = format!("{}{path}", self.inner.config.base_url);
        let mut url = reqwest::Url::parse(&raw).map_err(|e| {
            Error::new(
                ErrorKind::InvalidRequest,
                format!("invalid path {path:?}: {e}"),
            )
        })?;
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        Ok(url)
    }

    async fn execute(
        &self,
        req: Prepared<'_>,
        options: &RequestOptions,
    ) -> Result<Response<Bytes>> {
        // Parsed once per call, not per attempt. They replace what the SDK sets under the same
        // name rather than adding a second value; a mutation's key is read from them below, so
        // it is not sent twice.
        let mut extra = HeaderMap::new();
        for (name, value) in self
            .inner
            .config
            .default_headers
            .iter()
            .chain(&options.headers)
        {
            let (name, value) = parse_header(name, value)?;
            if !(req.method.is_mutation() && name == IDEMPOTENCY_KEY) {
                extra.insert(name, value);
            }
        }
        let idempotency_key = if req.method.is_mutation() {
            Some(match caller_idempotency_key(options)? {
                Some(key) if key.trim().is_empty() || HeaderValue::from_str(key).is_err() => {
                    return Err(Error::new(
                        ErrorKind::InvalidRequest,
                        "idempotency_key must be a non-empty printable string",
                    ));
                }
                Some(key) => key.to_owned(),
                None => uuid::Uuid::new_v4().to_string(),
            })
        } else {
            None
        };
        let span = tracing::info_span!(
            "nixflex.call",
            operation = req.operation,
            method = req.method.as_str(),
            idempotency_key = idempotency_key.as_deref().unwrap_or(""),
        );
        self.attempts(&req, options, &extra, idempotency_key)
            .instrument(span)
            .await
    }

    async fn attempts(
        &self,
        req: &Prepared<'_>,
        options: &RequestOptions,
        extra: &HeaderMap,
        idempotency_key: Option<String>,
    ) -> Result<Response<Bytes>> {
        let config = &self.inner.config;
        let max_retries = options.max_retries.unwrap_or(config.max_retries);
        let timeout = options.timeout.unwrap_or(config.timeout);
        // A deadline too far for the clock is no deadline.
        let deadline = options
            .deadline
            .or(config.deadline)
            .and_then(|d| Instant::now().checked_add(d));
        let past_deadline = |wait: Duration| {
            deadline.is_some_and(|d| Instant::now().checked_add(wait).is_none_or(|t| t >= d))
        };
        let mut attempt = 0u32;
        loop {
            let gate_wait = self.inner.gate.remaining();
            if !gate_wait.is_zero() {
                let beyond = if past_deadline(gate_wait) {
                    Some("the call's deadline")
                } else if gate_wait > config.retry_after_cap {
                    Some("the wait cap")
                } else {
                    None
                };
                if let Some(beyond) = beyond {
                    let mut err = Error::new(
                        ErrorKind::RateLimited,
                        format!(
                            "the client is paused for {:.1} s after a 429, beyond {beyond}",
                            gate_wait.as_secs_f64()
                        ),
                    );
                    err.inner.retry_after = Some(gate_wait);
                    return Err(finish(err, attempt, &idempotency_key));
                }
                tracing::debug!(wait_ms = gate_wait.as_millis() as u64, "paused after a 429");
                tokio::time::sleep(gate_wait).await;
            }
            attempt += 1;
            let attempt_timeout = match deadline {
                Some(d) => {
                    let left = d.saturating_duration_since(Instant::now());
                    if left.is_zero() {
                        let err = Error::new(ErrorKind::Timeout, "the call's deadline passed");
                        return Err(finish(err, attempt - 1, &idempotency_key));
                    }
                    timeout.min(left)
                }
                None => timeout,
            };
            // The answer's facts are fields of the span, so that exporters see them on it.
            let span = tracing::debug_span!(
                "nixflex.attempt",
                attempt,
                status = tracing::field::Empty,
                request_id = tracing::field::Empty,
            );
            let outcome = self
                .attempt(req, extra, idempotency_key.as_deref(), attempt_timeout)
                .instrument(span.clone())
                .await;
            if let Ok((status, headers, _)) = &outcome {
                span.record("status", status);
                if let Some(id) = request_id(headers) {
                    span.record("request_id", id.as_str());
                }
            }
            let (err, headers) = match outcome {
                Ok((status, headers, body)) if (200..300).contains(&status) => {
                    let request_id = request_id(&headers);
                    tracing::debug!(
                        status,
                        request_id = request_id.as_deref().unwrap_or(""),
                        "done"
                    );
                    let meta = ResponseMeta {
                        status,
                        headers,
                        request_id,
                        attempts: attempt,
                        idempotency_key,
                    };
                    // A success the server itself labels as not JSON (a proxy's maintenance
                    // page) is a decode error here, with its metadata, for every language;
                    // the hosts parse JSON bodies themselves.
                    if declared_not_json(&meta.headers, &body) {
                        return Err(decode_error(&body, "declared as not JSON", &meta));
                    }
                    return Ok(Response::new(body, meta));
                }
                Ok((status, headers, body)) => (api_error(status, &headers, &body), Some(headers)),
                Err(err) => (err, None),
            };
            let server_wait = headers
                .as_ref()
                .and_then(|h| retry::server_wait(h, SystemTime::now()));
            let mut err = err;
            if err.inner.status == Some(429) {
                err.inner.retry_after = server_wait;
            }
            let retryable = match (&headers, err.inner.status) {
                (Some(h), Some(status)) => {
                    retry::server_verdict(h).unwrap_or_else(|| retry::is_retryable_status(status))
                }
                _ => matches!(err.inner.kind, ErrorKind::Connection | ErrorKind::Timeout),
            };
            tracing::debug!(
                status = err.inner.status.unwrap_or(0),
                kind = err.inner.kind.as_str(),
                request_id = err.inner.request_id.as_deref().unwrap_or(""),
                retryable,
                "attempt failed"
            );
            if let Some(wait) = server_wait {
                if wait > config.retry_after_cap {
                    err.inner.retry_after = Some(wait);
                    err.inner.message = format!(
                        "{} (the server asked to wait {:.1} s, above the {:.0} s cap)",
                        err.inner.message,
                        wait.as_secs_f64(),
                        config.retry_after_cap.as_secs_f64()
                    );
                    if err.inner.status == Some(429) {
                        // Paused for the cap at most: one absurd answer (a proxy's
                        // `Retry-After: 1e30`) must not disable the client; after the cap the
                        // server is asked again.
                        self.inner.gate.pause(config.retry_after_cap);
                    }
                    return Err(finish(err, attempt, &idempotency_key));
                }
                if err.inner.status == Some(429) {
                    self.inner.gate.pause(wait);
                }
            }
            let delay = server_wait.unwrap_or_else(|| retry::backoff(attempt));
            if err.inner.status == Some(429) && server_wait.is_none() {
                // Paused even when this call gives up: the client's next calls must not
                // hammer a server that has just said it is overloaded.
                self.inner.gate.pause(delay);
            }
            if !retryable || attempt > max_retries {
                return Err(finish(err, attempt, &idempotency_key));
            }
            if past_deadline(delay) {
                return Err(finish(err, attempt, &idempotency_key));
            }
            tracing::debug!(delay_ms = delay.as_millis() as u64, "retrying");
            tokio::time::sleep(delay).await;
        }
    }

    /// One attempt: the status, headers and whole body, or a transport error.
    async fn attempt(
        &self,
        req: &Prepared<'_>,
        extra: &HeaderMap,
        idempotency_key: Option<&str>,
        timeout: Duration,
    ) -> Result<(u16, HeaderMap, Bytes)> {
        let inner = &self.inner;
        let mut builder = inner
            .http
            .request(req.method.to_http(), req.url.clone())
            .header(http::header::USER_AGENT, inner.user_agent.clone())
            .header(http::header::ACCEPT, "application/json");
        if req.auth {
            builder = builder.header(http::header::AUTHORIZATION, inner.authorization.clone());
        }
        if let Some(key) = idempotency_key {
            builder = builder.header(IDEMPOTENCY_KEY, key);
        }
        if let Some(body) = &req.body {
            builder = builder
                .header(http::header::CONTENT_TYPE, "application/json")
                .body(body.clone());
        }
        builder = builder.headers(extra.clone());
        let send = async {
            let response = builder.send().await.map_err(transport_error)?;
            let status = response.status().as_u16();
            let headers = response.headers().clone();
            let body = response.bytes().await.map_err(transport_error)?;
            Ok((status, headers, body))
        };
        match tokio::time::timeout(timeout, send).await {
            Ok(result) => result,
            Err(_) => Err(Error::new(
                ErrorKind::Timeout,
                format!("no complete response within {:.1} s", timeout.as_secs_f64()),
            )),
        }
    }
}

const IDEMPOTENCY_KEY: &str = "idempotency-key";

/// The key the caller chose for a mutation: the option, or an `Idempotency-Key` among the
/// extra headers (the official SDKs' way). Two different keys for one call is an error, since
/// only one can be reported back for a re-issue.
fn caller_idempotency_key(options: &RequestOptions) -> Result<Option<&str>> {
    let from_header = options
        .headers
        .iter()
        .rev()
        .find(|(name, _)| name.eq_ignore_ascii_case(IDEMPOTENCY_KEY))
        .map(|(_, value)| value.as_str());
    match (options.idempotency_key.as_deref(), from_header) {
        (Some(a), Some(b)) if a != b => Err(Error::new(
            ErrorKind::InvalidRequest,
            "two idempotency keys for one call: the idempotency_key option and an \
             Idempotency-Key header differ",
        )),
        (Some(key), _) | (None, Some(key)) => Ok(Some(key)),
        (None, None) => Ok(None),
    }
}

fn finish(mut err: Error, attempts: u32, idempotency_key: &Option<String>) -> Error {
    err.inner.attempts = attempts;
    err.inner.idempotency_key = idempotency_key.clone();
    err
}

fn transport_error(e: reqwest::Error) -> Error {
    let kind = if e.is_timeout() {
        ErrorKind::Timeout
    } else if e.is_builder() {
        ErrorKind::Configuration
    } else {
        ErrorKind::Connection
    };
    // reqwest's chain says why (refused, reset, closed before the response), not the URL's
    // credentials: the key travels in a header, never in the URL.
    let mut message = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    Error::new(kind, message)
}

/// Whether a non-empty body comes with a `Content-Type` that is not JSON. A missing header is
/// given the benefit of the doubt.
fn declared_not_json(headers: &HeaderMap, body: &[u8]) -> bool {
    if body.is_empty() {
        return false;
    }
    headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| !ct.to_ascii_lowercase().contains("json"))
}

fn request_id(headers: &HeaderMap) -> Option<String> {
    headers
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// The error an HTTP error status stands for, with every field of the API's envelope. A body
/// that is not the envelope (an HTML 502 from a proxy) still yields the right kind.
fn api_error(status: u16, headers: &HeaderMap, body: &[u8]) -> Error {
    let kind = ErrorKind::from_status(status);
    let envelope = serde_json::from_slice::<serde_json::Value>(body)
        .ok()
        .and_then(|mut v| v.get_mut("error").map(serde_json::Value::take))
        .filter(serde_json::Value::is_object);
    let text =
        |v: &serde_json::Value, key: &str| v.get(key).and_then(|x| x.as_str()).map(str::to_owned);
    let mut err = match &envelope {
        Some(e) => {
            let mut err = Error::new(
                kind,
                text(e, "message").unwrap_or_else(|| format!("HTTP {status}")),
            );
            err.inner.code = text(e, "code");
            err.inner.error_type = text(e, "type");
            err.inner.doc_url = text(e, "doc_url");
            err.inner.details = e.get("details").cloned().filter(|d| !d.is_null());
            err
        }
        None => Error::new(kind, format!("HTTP {status}: {}", excerpt(body))),
    };
    err.inner.status = Some(status);
    err.inner.request_id = request_id(headers);
    err
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_errors_keep_every_envelope_field() {
        let body = br#"{"error":{"type":"not_found","code":"agent_not_found","message":"Agent not found","doc_url":"https://docs.nixflex.com/errors/agent_not_found","details":{"agent_id":"x"}}}"#;
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-request-id",
            HeaderValue::from_static("req_0123456789abcdef"),
        );
        let err = api_error(404, &headers, body);
        assert_eq!(err.kind(), ErrorKind::NotFound);
        assert_eq!(err.code(), Some("agent_not_found"));
        assert_eq!(err.error_type(), Some("not_found"));
        assert_eq!(err.message(), "Agent not found");
        assert_eq!(
            err.doc_url(),
            Some("https://docs.nixflex.com/errors/agent_not_found")
        );
        assert_eq!(err.details().unwrap()["agent_id"], "x");
        assert_eq!(err.request_id(), Some("req_0123456789abcdef"));
    }

    #[test]
    fn non_json_error_bodies_keep_the_kind_and_an_excerpt() {
        let err = api_error(
            502,
            &HeaderMap::new(),
            b"<html><h1>502 Bad Gateway</h1></html>",
        );
        assert_eq!(err.kind(), ErrorKind::Upstream);
        assert_eq!(err.status(), Some(502));
        assert!(
            err.message().contains("502 Bad Gateway"),
            "{}",
            err.message()
        );
        assert_eq!(err.code(), None);
    }
}
