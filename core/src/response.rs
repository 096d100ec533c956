//! Results and what came with them.

use std::ops::Deref;

use bytes::Bytes;
use http::HeaderMap;
use serde::de::DeserializeOwned;

use crate::error::{Error, ErrorKind, Result};

/// What the server said besides the body.
#[derive(Debug, Clone)]
pub struct ResponseMeta {
    /// The HTTP status of the final attempt.
    pub status: u16,
    /// The response headers of the final attempt.
    pub headers: HeaderMap,
    /// The `x-request-id` of the final attempt.
    pub request_id: Option<String>,
    /// How many attempts the call took.
    pub attempts: u32,
    /// The `Idempotency-Key` the call carried (mutations only).
    pub idempotency_key: Option<String>,
}

/// A result together with its [`ResponseMeta`]. It dereferences to the result, so
/// `client.agents().get(id).await?.name` reads the field directly.
#[derive(Debug, Clone)]
pub struct Response<T> {
    data: T,
    meta: ResponseMeta,
}

impl<T> Response<T> {
    pub(crate) fn new(data: T, meta: ResponseMeta) -> Response<T> {
        Response { data, meta }
    }
    /// The status, headers, request id and attempts.
    pub fn meta(&self) -> &ResponseMeta {
        &self.meta
    }
    /// The result, without its metadata.
    pub fn into_inner(self) -> T {
        self.data
    }
    /// The result and its metadata.
    pub fn into_parts(self) -> (T, ResponseMeta) {
        (self.data, self.meta)
    }
    /// Transforms the result, keeping the metadata.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Response<U> {
        Response::new((f)(self.data), self.meta)
    }
}

impl<T> Deref for Response<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.data
    }
}

impl Response<Bytes> {
    /// Decodes the body as JSON into `T`. An empty body decodes as JSON `null`.
    pub fn json<T: DeserializeOwned>(self) -> Result<Response<T>> {
        let body: &[u8] = if self.data.is_empty() {
            b"null"
        } else {
            &self.data
        };
        match serde_json::from_slice::<T>(body) {
            Ok(data) => Ok(Response::new(data, self.meta)),
            Err(e) => Err(decode_error(&self.data, &e.to_string(), &self.meta)),
        }
    }
}

pub(crate) fn decode_error(body: &[u8], why: &str, meta: &ResponseMeta) -> Error {
    let mut err = Error::new(
        ErrorKind::Decode,
        format!(
            "the {} response is not the JSON expected ({why}): {}",
            meta.status,
            excerpt(body)
        ),
    )
    .with_status(meta.status);
    err.inner.request_id = meta.request_id.clone();
    err.inner.attempts = meta.attempts;
    err.inner.idempotency_key = meta.idempotency_key.clone();
    err
}

/// A short, single-line excerpt of a body, for messages.
pub(crate) fn excerpt(body: &[u8]) -> String {
    const MAX: usize = 200;
    let text = String::from_utf8_lossy(body);
    let collapsed: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if collapsed.is_empty() {
        return "(empty body)".to_owned();
    }
    match collapsed.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}…", &collapsed[..cut]),
        None => collapsed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_are_short_and_single_line() {
        assert_eq!(
            excerpt(b"<html>\n  <b>Bad gateway</b>\n</html>"),
            "<html> <b>Bad gateway</b> </html>"
        );
        assert_eq!(excerpt(b""), "(empty body)");
        let long = "x".repeat(1000);
        assert_eq!(excerpt(long.as_bytes()).chars().count(), 201);
    }
}
