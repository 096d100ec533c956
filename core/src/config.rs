//! Client configuration, from code and from the environment.

use std::time::Duration;

use crate::auth::ApiKey;
use crate::client::Client;
use crate::error::{Error, Result};

/// The production API.
pub const DEFAULT_BASE_URL: &str = "https://api.nixflex.com";
/// Timeout of one attempt unless configured otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// Retries after the first attempt unless configured otherwise.
pub const DEFAULT_MAX_RETRIES: u32 = 2;
/// The longest server-requested wait the client accepts before giving up at once.
pub const DEFAULT_RETRY_AFTER_CAP: Duration = Duration::from_secs(60);

/// Resolved configuration of a [`Client`].
#[derive(Clone)]
pub struct Config {
    pub(crate) api_key: ApiKey,
    pub(crate) base_url: String,
    pub(crate) timeout: Duration,
    pub(crate) connect_timeout: Duration,
    pub(crate) deadline: Option<Duration>,
    pub(crate) max_retries: u32,
    pub(crate) retry_after_cap: Duration,
    pub(crate) default_headers: Vec<(String, String)>,
    pub(crate) user_agent: String,
}

impl std::fmt::Debug for Config {
    /// Any key secret in the base URL or a header value is masked (the key itself shows its id).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("api_key", &self.api_key)
            .field("base_url", &crate::auth::mask_secrets(&self.base_url))
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("deadline", &self.deadline)
            .field("max_retries", &self.max_retries)
            .field("retry_after_cap", &self.retry_after_cap)
            .field("default_headers", &masked_headers(&self.default_headers))
            .field("user_agent", &self.user_agent)
            .finish()
    }
}

impl Config {
    /// The key the client authenticates with (its `Debug` hides the secret).
    pub fn api_key(&self) -> &ApiKey {
        &self.api_key
    }
    /// The base URL requests go to, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }
    /// The `User-Agent` sent with every request.
    pub fn user_agent(&self) -> &str {
        &self.user_agent
    }
    /// The per-attempt timeout.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }
    /// The retries allowed after the first attempt.
    pub fn max_retries(&self) -> u32 {
        self.max_retries
    }
}

/// Builds a [`Client`]. Unset values come from the environment (`NIXFLEX_API_KEY`,
/// `NIXFLEX_BASE_URL`), then from the defaults.
///
/// ```
/// use std::time::Duration;
/// let client = nixflex::Client::builder()
///     .api_key("nxf_0123456789abcdef0123456789abcdef:nxfs_example")
///     .base_url("http://127.0.0.1:8080")
///     .timeout(Duration::from_secs(10))
///     .max_retries(3)
///     .build()
///     .unwrap();
/// assert_eq!(client.config().max_retries(), 3);
/// ```
#[derive(Clone, Default)]
#[must_use]
pub struct ClientBuilder {
    api_key: Option<String>,
    base_url: Option<String>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    deadline: Option<Duration>,
    max_retries: Option<u32>,
    retry_after_cap: Option<Duration>,
    default_headers: Vec<(String, String)>,
    product: Option<(String, String)>,
}

impl std::fmt::Debug for ClientBuilder {
    /// The key, the base URL (it may have been handed a key by mistake) and header values are
    /// shown with any key secret masked.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let masked = |s: &String| crate::auth::mask_secrets(s);
        f.debug_struct("ClientBuilder")
            .field("api_key", &self.api_key.as_ref().map(masked))
            .field("base_url", &self.base_url.as_ref().map(masked))
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("deadline", &self.deadline)
            .field("max_retries", &self.max_retries)
            .field("retry_after_cap", &self.retry_after_cap)
            .field("default_headers", &masked_headers(&self.default_headers))
            .field("product", &self.product)
            .finish()
    }
}

impl ClientBuilder {
    /// The key, `nxf_…:nxfs_…`.
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(key.into());
        self
    }
    /// Another base URL (the mock server, a proxy).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }
    /// Timeout of each attempt (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }
    /// Timeout of establishing a connection (default: the attempt timeout, at most 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }
    /// A bound on all attempts and waits of one call together (default: none).
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }
    /// Retries after the first attempt (default 2).
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = Some(retries);
        self
    }
    /// The longest `Retry-After` honoured; a longer one fails at once (default 60 s).
    pub fn retry_after_cap(mut self, cap: Duration) -> Self {
        self.retry_after_cap = Some(cap);
        self
    }
    /// A header sent with every request.
    pub fn default_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.default_headers.push((name.into(), value.into()));
        self
    }
    /// A client without a key, for `keys.create` (which needs none) with the full builder:
    /// base URL, timeouts, retries, headers and product. It never sends an `Authorization`
    /// header to `keys.create`; operations that need a key fail with `401`.
    pub fn anonymous(mut self) -> Self {
        // keys.create is sent without Authorization, so this placeholder never leaves the process.
        self.api_key = Some("nxf_anonymous:nxfs_anonymous".to_owned());
        self
    }
    /// Names the SDK in the `User-Agent` (`nixflex-python`, `0.1.0`); bindings set this.
    pub fn product(mut self, name: impl Into<String>, version: impl Into<String>) -> Self {
        self.product = Some((name.into(), version.into()));
        self
    }

    /// Checks the configuration and builds the client.
    pub fn build(self) -> Result<Client> {
        Client::from_config(self.resolve()?)
    }

    pub(crate) fn resolve(self) -> Result<Config> {
        let raw_key = match self.api_key {
            Some(key) => key,
            None => std::env::var("NIXFLEX_API_KEY").unwrap_or_default(),
        };
        let api_key = ApiKey::parse(&raw_key)?;
        let base_url = self
            .base_url
            .or_else(|| {
                std::env::var("NIXFLEX_BASE_URL")
                    .ok()
                    .filter(|v| !v.is_empty())
            })
            .unwrap_or_else(|| DEFAULT_BASE_URL.to_owned());
        let base_url = check_base_url(&base_url)?;
        let timeout = self.timeout.unwrap_or(DEFAULT_TIMEOUT);
        if timeout.is_zero() {
            return Err(Error::configuration("timeout must be greater than zero"));
        }
        if self.deadline.is_some_and(|d| d.is_zero()) {
            return Err(Error::configuration("deadline must be greater than zero"));
        }
        for (name, value) in &self.default_headers {
            parse_header(name, value)?;
            if name.eq_ignore_ascii_case("idempotency-key") {
                // One key shared by every call would make the server replay the first
                // mutation's answer for all the others.
                return Err(Error::configuration(
                    "Idempotency-Key cannot be a default header: each call needs its own key \
                     (pass it per request)",
                ));
            }
        }
        let (product, version) = self
            .product
            .unwrap_or_else(|| ("nixflex-rust".to_owned(), crate::VERSION.to_owned()));
        Ok(Config {
            api_key,
            base_url,
            timeout,
            connect_timeout: self
                .connect_timeout
                .unwrap_or_else(|| timeout.min(Duration::from_secs(10))),
            deadline: self.deadline,
            max_retries: self.max_retries.unwrap_or(DEFAULT_MAX_RETRIES),
            retry_after_cap: self.retry_after_cap.unwrap_or(DEFAULT_RETRY_AFTER_CAP),
            default_headers: self.default_headers,
            user_agent: crate::headers::user_agent(&product, &version),
        })
    }
}

fn check_base_url(url: &str) -> Result<String> {
    let trimmed = url.trim().trim_end_matches('/');
    let shown = crate::auth::mask_secrets(trimmed);
    let parsed = reqwest::Url::parse(trimmed)
        .map_err(|e| Error::configuration(format!("invalid base URL {shown:?}: {e}")))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(Error::configuration(format!(
            "invalid base URL {shown:?}: the scheme must be http or https"
        )));
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        // Credentials in the URL would be sent to every host it redirects to and logged
        // with it; the key goes in the Authorization header instead.
        return Err(Error::configuration(
            "invalid base URL: it must not carry a user name or password; pass the API key as api_key",
        ));
    }
    Ok(trimmed.to_owned())
}

/// A header the caller gave, parsed; the error names what is wrong.
pub(crate) fn parse_header(
    name: &str,
    value: &str,
) -> Result<(http::HeaderName, http::HeaderValue)> {
    let parsed = http::HeaderName::from_bytes(name.as_bytes())
        .map_err(|_| Error::configuration(format!("invalid header name {name:?}")))?;
    let value = http::HeaderValue::from_str(value).map_err(|_| {
        Error::configuration(format!(
            "invalid value for header {name:?}: control characters"
        ))
    })?;
    Ok((parsed, value))
}

/// Header pairs for `Debug`, with any key secret in a value masked.
fn masked_headers(headers: &[(String, String)]) -> Vec<(&str, String)> {
    headers
        .iter()
        .map(|(name, value)| (name.as_str(), crate::auth::mask_secrets(value)))
        .collect()
}
