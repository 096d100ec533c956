//! What came with a typed call's response. A typed method returns only its record, so a caller
//! who wants the status, request id, attempts or idempotency key hands the resource a
//! `ResponseRecorder` (`client.calls().withRecorder(recorder)`) and reads it after the call.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// The metadata of one response: the final attempt's status and headers, with what the call
/// as a whole did.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ResponseMeta {
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
}

impl From<&nixflex::ResponseMeta> for ResponseMeta {
    fn from(meta: &nixflex::ResponseMeta) -> ResponseMeta {
        ResponseMeta {
            status: meta.status,
            headers: crate::convert::headers(&meta.headers),
            request_id: meta.request_id.clone(),
            attempts: meta.attempts,
            idempotency_key: meta.idempotency_key.clone(),
        }
    }
}

/// Keeps the metadata of the latest successful response made through the resource handles it
/// was given to. Failures carry the same fields on the error. Give each call its own recorder
/// when calls on one handle run concurrently: `last` is whichever finished last.
#[derive(Debug, Default, uniffi::Object)]
pub struct ResponseRecorder {
    seen: Mutex<(u64, Option<ResponseMeta>)>,
}

impl ResponseRecorder {
    pub(crate) fn record(&self, meta: &nixflex::ResponseMeta) {
        // A poisoned lock only means a panic elsewhere; the value is still a whole record.
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        *seen = (seen.0 + 1, Some(meta.into()));
    }
}

#[uniffi::export]
impl ResponseRecorder {
    /// An empty recorder.
    #[uniffi::constructor]
    pub fn new() -> Arc<ResponseRecorder> {
        Arc::new(ResponseRecorder::default())
    }

    /// The metadata of the latest response, if any came yet.
    pub fn last(&self) -> Option<ResponseMeta> {
        self.seen
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .1
            .clone()
    }

    /// How many responses it has recorded.
    pub fn count(&self) -> u64 {
        self.seen.lock().unwrap_or_else(|e| e.into_inner()).0
    }
}
