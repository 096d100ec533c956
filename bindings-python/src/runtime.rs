//! One tokio runtime per process, built on first use, and a fresh one after `fork()`.
//!
//! tokio's worker threads do not survive `fork()`: a child that used the parent's runtime would
//! wait forever for threads that do not exist, and *dropping* that runtime would hang joining
//! them. So the runtime is stamped with the pid that built it; a process that finds another pid's
//! runtime builds its own and leaks the old one on purpose (never dropped, never touched).
//!
//! No lock guards the swap: a lock held by some parent thread at the moment of the fork would
//! stay locked forever in the child. The current runtime sits behind an atomic pointer instead.

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::pin;
use std::sync::atomic::{AtomicPtr, AtomicU64, Ordering};
use std::time::Duration;

use futures::FutureExt;
use pyo3::prelude::*;
use tokio::runtime::Runtime;

/// How often a blocking call wakes up to let Python run its signal handlers (Ctrl-C).
const SIGNAL_TICK: Duration = Duration::from_millis(50);

struct Stamped {
    pid: u32,
    runtime: Runtime,
}

static CURRENT: AtomicPtr<Stamped> = AtomicPtr::new(std::ptr::null_mut());
static GENERATION: AtomicU64 = AtomicU64::new(0);

fn build(pid: u32) -> *mut Stamped {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("nixflex-worker")
        .build()
        .expect("the tokio runtime can be built");
    GENERATION.fetch_add(1, Ordering::AcqRel);
    Box::into_raw(Box::new(Stamped { pid, runtime }))
}

/// The runtime of this process.
pub fn get() -> &'static Runtime {
    let pid = std::process::id();
    let mut seen = CURRENT.load(Ordering::Acquire);
    loop {
        // SAFETY: a published runtime is never freed (see the module comment).
        if let Some(stamped) = unsafe { seen.as_ref() } {
            if stamped.pid == pid {
                return &stamped.runtime;
            }
        }
        let fresh = build(pid);
        match CURRENT.compare_exchange(seen, fresh, Ordering::AcqRel, Ordering::Acquire) {
            // The previous runtime (another process's, or none) is leaked on purpose.
            // SAFETY: `fresh` is now published and never freed.
            Ok(_) => return unsafe { &(*fresh).runtime },
            Err(now) => {
                // Another thread published first. Ours is leaked rather than dropped: it never
                // ran anything, and shutting it down here gains nothing.
                seen = now;
            }
        }
    }
}

/// How many runtimes this process has built (a child after `fork()` builds its own).
#[pyfunction]
pub fn runtime_generation() -> u64 {
    GENERATION.load(Ordering::Acquire)
}

/// Runs `future` to completion for a synchronous Python caller: without the GIL, waking every
/// few milliseconds to run Python's signal handlers so that Ctrl-C raises `KeyboardInterrupt`
/// promptly (the future is then dropped, which cancels the request).
pub fn block_on<F, T>(py: Python<'_>, future: F) -> PyResult<T>
where
    F: Future<Output = T> + Send,
    T: Send,
{
    if tokio::runtime::Handle::try_current().is_ok() {
        return Err(crate::errors::usage(
            py,
            "a blocking Nixflex call was made from inside a tokio runtime; use AsyncNixflex there",
        ));
    }
    let runtime = get();
    // A panic in the SDK surfaces as NixflexInternalError, never as pyo3's PanicException.
    let mut future = pin!(AssertUnwindSafe(future).catch_unwind());
    loop {
        let step = py.detach(|| {
            runtime.block_on(async { tokio::time::timeout(SIGNAL_TICK, future.as_mut()).await })
        });
        match step {
            Ok(Ok(value)) => return Ok(value),
            Ok(Err(panic)) => {
                return Err(crate::errors::internal(py, &panic_message(panic.as_ref())));
            }
            Err(_tick) => py.check_signals()?,
        }
    }
}

/// The message of a caught panic.
pub fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    let what = panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_owned());
    format!("internal error in the Nixflex SDK (please report it): {what}")
}
