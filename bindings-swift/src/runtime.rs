//! The binding's tokio runtime and the guards that keep panics on this side of the FFI.
//!
//! Every async export is `#[uniffi::export(async_runtime = "tokio")]`, so whatever uniffi polls
//! has a tokio reactor. The work itself is spawned onto one lazily built multi-thread runtime
//! owned by this crate ([`run`]): the foreign executor (Swift's cooperative pool, a Kotlin
//! dispatcher) only polls a join handle, connections and timers live on one runtime for the
//! whole process, a panic anywhere in the call comes back as a `JoinError` and becomes
//! [`NixflexError::Internal`], and dropping the export's future aborts the spawned work, which
//! drops the HTTP request. Kotlin drops it when the awaiting coroutine is cancelled. Swift never
//! does early: the async glue uniffi 0.32 generates for Swift has no cancellation handler, so a
//! cancelled `Task` keeps waiting until the call completes or fails on its own. (uniffi's tokio
//! wrapper keeps a small runtime of its own for the reactor it promises; it stays idle.)

use std::any::Any;
use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::OnceLock;

use tokio::runtime::Runtime;
use tokio::task::AbortHandle;

use crate::errors::NixflexError;

/// Worker threads at most: enough for an app's concurrent calls, few enough for a phone.
const MAX_WORKERS: usize = 4;

fn runtime() -> Result<&'static Runtime, NixflexError> {
    static RUNTIME: OnceLock<Result<Runtime, String>> = OnceLock::new();
    RUNTIME
        .get_or_init(|| {
            let workers = std::thread::available_parallelism()
                .map_or(2, |n| n.get())
                .clamp(1, MAX_WORKERS);
            tokio::runtime::Builder::new_multi_thread()
                .worker_threads(workers)
                .thread_name("nixflex-worker")
                .enable_all()
                .build()
                .map_err(|e| format!("cannot start the Nixflex runtime: {e}"))
        })
        .as_ref()
        .map_err(|e| NixflexError::internal(e.clone()))
}

/// Aborts the spawned task when the caller stops waiting for it.
struct AbortOnDrop(AbortHandle);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Runs `work` on the binding's runtime and waits for it. A panic inside becomes
/// [`NixflexError::Internal`]; dropping the returned future cancels the work.
pub(crate) async fn run<T, F>(work: F) -> Result<T, NixflexError>
where
    T: Send + 'static,
    F: Future<Output = Result<T, NixflexError>> + Send + 'static,
{
    let task = runtime()?.spawn(work);
    let _abort = AbortOnDrop(task.abort_handle());
    match task.await {
        Ok(result) => result,
        Err(e) if e.is_panic() => Err(panicked(e.into_panic())),
        Err(_) => Err(NixflexError::internal("the call's task was cancelled")),
    }
}

/// Runs a synchronous export body, turning a panic into [`NixflexError::Internal`].
pub(crate) fn guard<T>(body: impl FnOnce() -> Result<T, NixflexError>) -> Result<T, NixflexError> {
    catch_unwind(AssertUnwindSafe(body)).unwrap_or_else(|payload| Err(panicked(payload)))
}

fn panicked(payload: Box<dyn Any + Send>) -> NixflexError {
    let what = payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a non-string payload".to_owned());
    NixflexError::internal(format!("a panic inside the Nixflex SDK: {what}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panics_become_internal_errors() {
        let err = guard::<()>(|| panic!("sync boom")).unwrap_err();
        assert_eq!(err.info().kind, "internal");
        assert!(err.info().message.contains("sync boom"));

        let fut = run::<(), _>(async { panic!("async boom") });
        let err = futures::executor::block_on(fut).unwrap_err();
        assert_eq!(err.info().kind, "internal");
        assert!(err.info().message.contains("async boom"));
    }

    #[test]
    fn dropping_the_call_aborts_the_work() {
        let (tx, rx) = std::sync::mpsc::channel::<()>();
        struct Flag(std::sync::mpsc::Sender<()>);
        impl Drop for Flag {
            fn drop(&mut self) {
                let _ = self.0.send(());
            }
        }
        let flag = Flag(tx);
        let fut = run::<(), _>(async move {
            let _flag = flag;
            std::future::pending::<()>().await;
            Ok(())
        });
        let mut fut = Box::pin(fut);
        let waker = futures::task::noop_waker();
        let mut cx = std::task::Context::from_waker(&waker);
        assert!(fut.as_mut().poll(&mut cx).is_pending());
        drop(fut);
        rx.recv_timeout(std::time::Duration::from_secs(5))
            .expect("the spawned work was dropped");
    }
}
