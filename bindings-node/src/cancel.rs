//! Abort tokens: the facade takes one per call made with an `AbortSignal` and fires it from the
//! signal's `abort` event. The call future then stops wherever it is (in flight, or sleeping
//! before a retry) and is dropped, so nothing is retried after an abort.

use std::collections::HashMap;
use std::sync::LazyLock;
use std::sync::atomic::{AtomicU32, Ordering};

use napi_derive::napi;
use parking_lot::Mutex;
use tokio_util::sync::CancellationToken;

static NEXT: AtomicU32 = AtomicU32::new(1);
static TOKENS: LazyLock<Mutex<HashMap<u32, CancellationToken>>> = LazyLock::new(Default::default);

/// A new abort token; fire it with `abortToken`, free it with `releaseToken`.
#[napi]
pub fn create_abort_token() -> u32 {
    let id = NEXT.fetch_add(1, Ordering::Relaxed);
    TOKENS.lock().insert(id, CancellationToken::new());
    id
}

/// Fires a token: the calls that carry it stop. Unknown or released ids are ignored.
#[napi]
pub fn abort_token(id: u32) {
    if let Some(token) = TOKENS.lock().get(&id) {
        token.cancel();
    }
}

/// Forgets a token once its call or walk is over.
#[napi]
pub fn release_token(id: u32) {
    TOKENS.lock().remove(&id);
}

/// The token of `id`; an id that is unknown (already released) reads as fired.
pub(crate) fn token(id: Option<u32>) -> Option<CancellationToken> {
    let id = id?;
    Some(TOKENS.lock().get(&id).cloned().unwrap_or_else(|| {
        let fired = CancellationToken::new();
        fired.cancel();
        fired
    }))
}
