//! Walks over paginated operations, page by page, with the core's `Paginator` (its stop rules,
//! prefetching and bounded concurrency). Each page crosses as JSON bytes of its items.

use std::mem::ManuallyDrop;
use std::sync::Arc;

use pyo3::prelude::*;
use pyo3::types::PyBytes;
use tokio::sync::Mutex;

use nixflex::{Paginator, WalkPage};

use crate::bridge::{Completions, Outcome};
use crate::errors;

/// `(items_json, offset, count, meta)` for a page, `None` at the end of the walk.
pub fn page_to_py<'py>(py: Python<'py>, page: Option<WalkPage>) -> PyResult<Bound<'py, PyAny>> {
    let Some(page) = page else {
        return Ok(py.None().into_bound(py));
    };
    let items =
        serde_json::to_vec(&page.items).map_err(|e| errors::internal(py, &e.to_string()))?;
    Ok((
        PyBytes::new(py, &items),
        page.offset,
        page.count,
        crate::convert::meta(py, &page.meta)?,
    )
        .into_pyobject(py)?
        .into_any())
}

/// A walk in progress, used by one Python iterator.
#[pyclass(frozen, module = "nixflex._native")]
pub struct NativePaginator {
    inner: ManuallyDrop<Arc<Mutex<Paginator>>>,
    pid: u32,
}

impl NativePaginator {
    pub fn new(paginator: Paginator) -> NativePaginator {
        NativePaginator {
            inner: ManuallyDrop::new(Arc::new(Mutex::new(paginator))),
            pid: std::process::id(),
        }
    }

    fn check_process(&self, py: Python<'_>) -> PyResult<()> {
        if self.pid != std::process::id() {
            return Err(errors::usage(
                py,
                "this iterator was started before os.fork(); start a new one in the child process",
            ));
        }
        Ok(())
    }
}

impl Drop for NativePaginator {
    fn drop(&mut self) {
        // A walk from before a fork belongs to the parent's runtime: dropping it in the child
        // would touch that dead runtime's tasks, so it is leaked there.
        if self.pid == std::process::id() {
            // SAFETY: dropped once, here.
            unsafe { ManuallyDrop::drop(&mut self.inner) };
        }
    }
}

#[pymethods]
impl NativePaginator {
    /// The next page, blocking without the GIL, or `None` at the end.
    fn next_page<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.check_process(py)?;
        let inner = Arc::clone(&self.inner);
        let page =
            crate::runtime::block_on(py, async move { inner.lock().await.next_page().await })?;
        match page {
            Ok(page) => page_to_py(py, page),
            Err(err) => Err(errors::to_py(py, &err)),
        }
    }

    /// Starts fetching the next page; it arrives through `completions` under the token.
    fn submit_next(&self, py: Python<'_>, completions: &Completions) -> PyResult<u64> {
        self.check_process(py)?;
        let inner = Arc::clone(&self.inner);
        Ok(completions.spawn(async move {
            match inner.lock().await.next_page().await {
                Ok(page) => Outcome::Page(page),
                Err(err) => Outcome::Failed(err),
            }
        }))
    }
}
