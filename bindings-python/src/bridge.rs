//! The asyncio bridge: many futures completed per event-loop wake-up.
//!
//! Each asyncio event loop gets one `Completions` (made by `nixflex._client`). A call spawns its
//! future on the runtime and returns a token at once; when the future finishes, its outcome is
//! queued here and, if the queue was idle, one byte is written to a socket the event loop
//! watches. The loop then drains every finished outcome in one go (`drain`), under the GIL, on
//! its own thread. So tokio workers never take the GIL, and a burst of completions costs one
//! wake-up of the loop instead of one per request.
//!
//! Wake-ups are never lost: `drain` disarms before it takes the queue, and a completion arms
//! after it has queued; whoever arms an idle queue writes the byte.

use std::collections::HashMap;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use bytes::Bytes;
use futures::FutureExt;
use parking_lot::Mutex;
use pyo3::prelude::*;
use pyo3::types::PyList;
use tokio::task::AbortHandle;

use nixflex::ResponseMeta;

/// What a spawned future produced.
pub enum Outcome {
    /// A call's body, with its metadata when asked for.
    Call(Bytes, Option<ResponseMeta>),
    /// A page of a walk, or `None` at its end.
    Page(Option<nixflex::WalkPage>),
    /// A failure.
    Failed(nixflex::Error),
}

enum Wake {
    #[cfg(unix)]
    Socket(std::os::unix::net::UnixStream),
    Callback(Py<PyAny>),
}

struct Shared {
    queue: Mutex<Vec<(u64, Outcome)>>,
    armed: AtomicBool,
    tasks: Mutex<HashMap<u64, AbortHandle>>,
    wake: Wake,
}

impl Shared {
    fn complete(&self, token: u64, outcome: Outcome) {
        self.tasks.lock().remove(&token);
        self.queue.lock().push((token, outcome));
        if !self.armed.swap(true, Ordering::AcqRel) {
            self.notify();
        }
    }

    fn notify(&self) {
        match &self.wake {
            #[cfg(unix)]
            Wake::Socket(socket) => {
                use std::io::Write;
                // A full socket already holds a pending wake-up; a closed one means the loop
                // is gone. Neither needs more.
                let _ = (&*socket).write(&[1]);
            }
            Wake::Callback(callback) => Python::attach(|py| {
                if let Err(err) = callback.call0(py) {
                    err.write_unraisable(py, None);
                }
            }),
        }
    }
}

/// The completion queue of one event loop.
#[pyclass(frozen, module = "nixflex._native")]
pub struct Completions {
    shared: Arc<Shared>,
    next: AtomicU64,
}

impl Completions {
    /// Spawns `future` on the runtime; its outcome arrives through `drain` under the token.
    pub fn spawn<F>(&self, future: F) -> u64
    where
        F: Future<Output = Outcome> + Send + 'static,
    {
        let token = self.next.fetch_add(1, Ordering::Relaxed);
        let shared = Arc::clone(&self.shared);
        // The map is locked across the spawn so that a future finishing at once finds its
        // handle to remove (it waits for this lock).
        let mut tasks = self.shared.tasks.lock();
        let handle = crate::runtime::get().spawn(async move {
            // A panic must still complete the Python future (as NixflexInternalError).
            let outcome = match AssertUnwindSafe(future).catch_unwind().await {
                Ok(outcome) => outcome,
                Err(panic) => Outcome::Failed(nixflex::Error::new(
                    nixflex::ErrorKind::Internal,
                    crate::runtime::panic_message(panic.as_ref()),
                )),
            };
            shared.complete(token, outcome);
        });
        tasks.insert(token, handle.abort_handle());
        token
    }
}

#[pymethods]
impl Completions {
    /// `wake` is the file descriptor of the socket the event loop reads (it is duplicated), or
    /// a callable run (with the GIL) when outcomes are ready, where sockets cannot be used.
    #[new]
    fn new(wake: &Bound<'_, PyAny>) -> PyResult<Completions> {
        let wake = match wake.extract::<i32>() {
            #[cfg(unix)]
            Ok(fd) => {
                use std::os::fd::BorrowedFd;
                if fd < 0 {
                    return Err(pyo3::exceptions::PyValueError::new_err(
                        "invalid file descriptor",
                    ));
                }
                // SAFETY: the caller passes an open socket it keeps open for this call; we only
                // duplicate it.
                let owned = unsafe { BorrowedFd::borrow_raw(fd) }.try_clone_to_owned()?;
                let socket = std::os::unix::net::UnixStream::from(owned);
                socket.set_nonblocking(true)?;
                Wake::Socket(socket)
            }
            #[cfg(not(unix))]
            Ok(_) => {
                return Err(pyo3::exceptions::PyValueError::new_err(
                    "pass a callable on this platform",
                ));
            }
            Err(_) => Wake::Callback(wake.clone().unbind()),
        };
        Ok(Completions {
            shared: Arc::new(Shared {
                queue: Mutex::new(Vec::new()),
                armed: AtomicBool::new(false),
                tasks: Mutex::new(HashMap::new()),
                wake,
            }),
            next: AtomicU64::new(1),
        })
    }

    /// Every finished outcome: `[(token, ok, value)]`, where `value` is the result (bytes, a
    /// `(bytes, meta)` pair or a page) when `ok`, else the exception to raise.
    fn drain<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        self.shared.armed.store(false, Ordering::Release);
        let finished = std::mem::take(&mut *self.shared.queue.lock());
        let out = PyList::empty(py);
        for (token, outcome) in finished {
            let (ok, value) = match outcome {
                Outcome::Call(body, meta) => {
                    (true, crate::convert::result(py, &body, meta.as_ref())?)
                }
                Outcome::Page(page) => (true, crate::paginator::page_to_py(py, page)?),
                Outcome::Failed(err) => (false, crate::errors::instance(py, &err)?),
            };
            out.append((token, ok, value))?;
        }
        Ok(out)
    }

    /// Cancels the future of `token` (its outcome never arrives). Unknown tokens are ignored.
    fn cancel(&self, token: u64) {
        if let Some(handle) = self.shared.tasks.lock().remove(&token) {
            handle.abort();
        }
    }

    /// How many futures are still running.
    fn pending(&self) -> usize {
        self.shared.tasks.lock().len()
    }
}
