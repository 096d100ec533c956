//! The client object, its configuration and per-request options, and the escape hatches for
//! operations newer than the SDK. The typed resources (`client.agents()`, …) are generated in
//! `generated/resources.rs`.

use std::collections::HashMap;
use std::sync::Arc;

use crate::api::Api;
use crate::convert::{headers, millis};
use crate::errors::NixflexError;
use crate::runtime::{guard, run};

/// The binding's version, sent in the `User-Agent` with the SDK's name.
const VERSION: &str = env!("CARGO_PKG_VERSION");

/// How to build a [`NixflexClient`]. Every field is optional: the key comes from
/// `NIXFLEX_API_KEY` and the base URL from `NIXFLEX_BASE_URL` when unset.
#[derive(Debug, Clone, Default, uniffi::Record)]
pub struct ClientConfig {
    /// The key, `nxf_…:nxfs_…` (default: `NIXFLEX_API_KEY`).
    #[uniffi(default)]
    pub api_key: Option<String>,
    /// Another base URL, such as the mock server (default: `NIXFLEX_BASE_URL`, else production).
    #[uniffi(default)]
    pub base_url: Option<String>,
    /// Timeout of each attempt, in milliseconds (default 30,000).
    #[uniffi(default)]
    pub timeout_ms: Option<u64>,
    /// Timeout of establishing a connection, in milliseconds (default: the attempt timeout, at
    /// most 10,000).
    #[uniffi(default)]
    pub connect_timeout_ms: Option<u64>,
    /// A bound on all attempts and waits of one call together, in milliseconds (default: none).
    #[uniffi(default)]
    pub deadline_ms: Option<u64>,
    /// Retries after the first attempt (default 2).
    #[uniffi(default)]
    pub max_retries: Option<u32>,
    /// The longest `Retry-After` honoured, in milliseconds; a longer one fails at once (default
    /// 60,000).
    #[uniffi(default)]
    pub retry_after_cap_ms: Option<u64>,
    /// Headers sent with every request.
    #[uniffi(default)]
    pub default_headers: HashMap<String, String>,
    /// The SDK named in the `User-Agent` (default: the language's package, `nixflex-kotlin` or
    /// `nixflex-swift`); set it when wrapping the SDK in a library of your own.
    #[uniffi(default)]
    pub product: Option<String>,
}

/// Options for the calls made through one resource handle (`with_options`): unset fields fall
/// back to the client's configuration.
#[derive(Debug, Clone, Default, uniffi::Record)]
pub struct RequestOptions {
    /// Timeout of each attempt, in milliseconds.
    #[uniffi(default)]
    pub timeout_ms: Option<u64>,
    /// Bound on all attempts and waits of a call together, in milliseconds.
    #[uniffi(default)]
    pub deadline_ms: Option<u64>,
    /// How many more attempts after the first.
    #[uniffi(default)]
    pub max_retries: Option<u32>,
    /// The `Idempotency-Key` to send. Mutations get a fresh UUIDv4 per call when unset; re-issue
    /// a failed mutation with the key its error carries and it never runs twice.
    #[uniffi(default)]
    pub idempotency_key: Option<String>,
    /// Extra headers, overriding the client's default headers.
    #[uniffi(default)]
    pub headers: HashMap<String, String>,
}

impl From<RequestOptions> for nixflex::RequestOptions {
    fn from(o: RequestOptions) -> nixflex::RequestOptions {
        let mut headers: Vec<(String, String)> = o.headers.into_iter().collect();
        headers.sort();
        nixflex::RequestOptions {
            timeout: o.timeout_ms.map(millis),
            deadline: o.deadline_ms.map(millis),
            max_retries: o.max_retries,
            idempotency_key: o.idempotency_key,
            headers,
        }
    }
}

/// A response as received, for the escape hatches: the body as text and what came with it.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct RawResponse {
    /// The HTTP status of the final attempt.
    pub status: u16,
    /// The response headers of the final attempt (names in lower case).
    pub headers: HashMap<String, String>,
    /// The `x-request-id` of the final attempt.
    pub request_id: Option<String>,
    /// How many attempts the call took.
    pub attempts: u32,
    /// The `Idempotency-Key` the call carried (mutations only).
    pub idempotency_key: Option<String>,
    /// The body, as text (JSON for every Nixflex operation).
    pub body: String,
}

impl RawResponse {
    fn from_core(response: nixflex::Response<bytes::Bytes>) -> RawResponse {
        let (body, meta) = response.into_parts();
        RawResponse {
            status: meta.status,
            headers: headers(&meta.headers),
            request_id: meta.request_id,
            attempts: meta.attempts,
            idempotency_key: meta.idempotency_key,
            body: String::from_utf8_lossy(&body).into_owned(),
        }
    }
}

/// The Nixflex client. One per app is enough: calls share its connection pool and its pause
/// after a 429. Typed resources hang off it (`agents()`, `calls()`, `phone_numbers()`, …); every
/// call carries an idempotency key when it mutates, and is retried by the core's policy.
#[derive(uniffi::Object)]
pub struct NixflexClient {
    pub(crate) api: Api,
}

fn query_pairs(query: HashMap<String, String>) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = query.into_iter().collect();
    pairs.sort();
    pairs
}

fn json_body(body: Option<String>) -> Result<Option<bytes::Bytes>, NixflexError> {
    match body {
        None => Ok(None),
        Some(text) => {
            serde_json::from_str::<serde_json::Value>(&text).map_err(|e| {
                NixflexError::invalid_request(format!("the body is not JSON text: {e}"))
            })?;
            Ok(Some(text.into()))
        }
    }
}

/// The core client for `config`; `product` names the SDK in the `User-Agent` unless
/// `config.product` does.
pub(crate) fn build_client(
    config: ClientConfig,
    product: &str,
) -> Result<nixflex::Client, NixflexError> {
    let product = config.product.unwrap_or_else(|| product.to_owned());
    let mut builder = nixflex::Client::builder().product(product, VERSION);
    if let Some(key) = config.api_key {
        builder = builder.api_key(key);
    }
    if let Some(url) = config.base_url {
        builder = builder.base_url(url);
    }
    if let Some(ms) = config.timeout_ms {
        builder = builder.timeout(millis(ms));
    }
    if let Some(ms) = config.connect_timeout_ms {
        builder = builder.connect_timeout(millis(ms));
    }
    if let Some(ms) = config.deadline_ms {
        builder = builder.deadline(millis(ms));
    }
    if let Some(retries) = config.max_retries {
        builder = builder.max_retries(retries);
    }
    if let Some(ms) = config.retry_after_cap_ms {
        builder = builder.retry_after_cap(millis(ms));
    }
    let mut default_headers: Vec<(String, String)> = config.default_headers.into_iter().collect();
    default_headers.sort();
    for (name, value) in default_headers {
        builder = builder.default_header(name, value);
    }
    Ok(builder.build()?)
}

#[uniffi::export(async_runtime = "tokio")]
impl NixflexClient {
    /// A client from `config` whose `User-Agent` names `product` unless `config.product` names
    /// another; unset values come from `NIXFLEX_API_KEY`, `NIXFLEX_BASE_URL` and the defaults. A
    /// malformed key is a `Configuration` error here, not at the first call.
    ///
    /// Only the language packages call it: a library cannot tell which language loaded it, so
    /// Kotlin's `NixflexClient(config)` passes `nixflex-kotlin` and Swift's
    /// `NixflexClient(config:)` passes `nixflex-swift`, on every platform.
    #[uniffi::constructor]
    pub fn for_product(product: String, config: ClientConfig) -> Result<Arc<Self>, NixflexError> {
        guard(|| {
            Ok(Arc::new(NixflexClient {
                api: Api::new(build_client(config, &product)?),
            }))
        })
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> String {
        self.api.client.config().base_url().to_owned()
    }

    /// The `User-Agent` sent with every request.
    pub fn user_agent(&self) -> String {
        self.api.client.config().user_agent().to_owned()
    }

    /// Calls an operation by its id (`agents.get`) with every behaviour of the SDK. `path` holds
    /// the path parameters (unencoded), `body` JSON text. The response comes back as received.
    #[uniffi::method(default(path = None, query = None, body = None, options = None))]
    pub async fn call(
        &self,
        operation_id: String,
        path: Option<HashMap<String, String>>,
        query: Option<HashMap<String, String>>,
        body: Option<String>,
        options: Option<RequestOptions>,
    ) -> Result<RawResponse, NixflexError> {
        let api = self.api.clone();
        run(async move {
            let api = match options {
                Some(options) => api.with_options(options.into()),
                None => api,
            };
            let op = nixflex::operation(&operation_id).ok_or_else(|| {
                NixflexError::invalid_request(format!("no operation {operation_id:?}"))
            })?;
            let mut params = nixflex::CallParams::new();
            params.path = query_pairs(path.unwrap_or_default());
            params.query = query_pairs(query.unwrap_or_default());
            params.body = json_body(body)?;
            let response = api.client.call(op, &params, &api.options).await?;
            Ok(RawResponse::from_core(response))
        })
        .await
    }

    /// Calls any endpoint (`GET`, `/v1/agents`), for endpoints newer than the SDK, with the same
    /// behaviour as the typed methods. Encode path segments yourself.
    #[uniffi::method(default(query = None, body = None, options = None))]
    pub async fn request(
        &self,
        method: String,
        path: String,
        query: Option<HashMap<String, String>>,
        body: Option<String>,
        options: Option<RequestOptions>,
    ) -> Result<RawResponse, NixflexError> {
        let api = self.api.clone();
        run(async move {
            let api = match options {
                Some(options) => api.with_options(options.into()),
                None => api,
            };
            let method = nixflex::Method::parse(&method).ok_or_else(|| {
                NixflexError::invalid_request(format!("unknown HTTP method {method:?}"))
            })?;
            let query = query_pairs(query.unwrap_or_default());
            let response = api
                .client
                .request(method, &path, &query, json_body(body)?, &api.options)
                .await?;
            Ok(RawResponse::from_core(response))
        })
        .await
    }
}

/// Creates an API key (`keys.create`), which needs no key of its own, with `product` named in
/// the `User-Agent`. The base URL comes from `base_url`, else `NIXFLEX_BASE_URL`, else
/// production. The language packages wrap it as `createKey(body, baseUrl)`.
#[uniffi::export(async_runtime = "tokio")]
pub async fn create_key_for_product(
    product: String,
    body: crate::generated::models::KeyCreate,
    base_url: Option<String>,
) -> Result<crate::generated::models::KeyResponse, NixflexError> {
    let api = guard(|| {
        // keys.create is sent without Authorization, so this placeholder never leaves the
        // process.
        let config = ClientConfig {
            api_key: Some("nxf_anonymous:nxfs_anonymous".to_owned()),
            base_url,
            ..ClientConfig::default()
        };
        Ok(Api::new(build_client(config, &product)?))
    })?;
    api.json::<crate::generated::models::KeyResponse, _>("keys.create", move || {
        crate::convert::with_body(nixflex::CallParams::new(), &body)
    })
    .await
}

/// The ids of every operation the SDK knows (`agents.create`, …), in the order of the spec.
#[uniffi::export]
pub fn operation_ids() -> Vec<String> {
    nixflex::OPERATIONS
        .iter()
        .map(|op| op.id.to_owned())
        .collect()
}

/// The version of this SDK.
#[uniffi::export]
pub fn sdk_version() -> String {
    VERSION.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::operation;

    #[test]
    fn a_malformed_key_is_a_configuration_error() {
        let err = NixflexClient::for_product(
            "nixflex-test".into(),
            ClientConfig {
                api_key: Some("not-a-key".into()),
                ..ClientConfig::default()
            },
        )
        .err()
        .expect("rejected");
        assert_eq!(err.info().kind, "configuration");
        assert!(operation("agents.get").is_ok());
        assert_eq!(operation_ids().len(), 78);
    }
}
