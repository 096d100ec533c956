//! The native client: one core `nixflex::Client` per Python client, fork-aware.
//!
//! `call` serves the sync facade (blocks without the GIL), `submit` the async one (spawns and
//! returns a token; see `bridge.rs`). Both take an operation id, path and query pairs and the
//! JSON body as bytes, and hand back the body as bytes, with the metadata when asked.

use std::collections::HashMap;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicPtr, Ordering};
use std::time::Duration;

use bytes::Bytes;
use pyo3::prelude::*;

use nixflex::{CallParams, Client, ClientBuilder, Operation, RequestOptions};

use crate::bridge::{Completions, Outcome};
use crate::convert::{OptionsIn, Pairs};
use crate::errors;

/// The `User-Agent` product of this package.
const PRODUCT: &str = "nixflex-python";
/// The version of this package (the wheel's version is the crate's).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

fn operations() -> &'static HashMap<&'static str, &'static Operation> {
    static TABLE: OnceLock<HashMap<&'static str, &'static Operation>> = OnceLock::new();
    TABLE.get_or_init(|| nixflex::OPERATIONS.iter().map(|op| (op.id, *op)).collect())
}

pub fn operation(py: Python<'_>, id: &str) -> PyResult<&'static Operation> {
    operations()
        .get(id)
        .copied()
        .ok_or_else(|| errors::internal(py, &format!("unknown operation {id:?}")))
}

/// Every operation id the core knows, in the order of `spec/`.
#[pyfunction]
pub fn operation_ids() -> Vec<&'static str> {
    nixflex::OPERATIONS.iter().map(|op| op.id).collect()
}

/// A core client stamped with the pid of the process that built it.
struct Stamped {
    pid: u32,
    client: Client,
}

/// The native client behind `Nixflex` and `AsyncNixflex`.
///
/// After `fork()`, the parent's core client (its connection pool lives on the parent's dead
/// runtime) is left alone, leaked rather than dropped, and the child builds its own from the
/// same configuration on first use. No lock is involved (see `runtime.rs` for why).
#[pyclass(frozen, module = "nixflex._native")]
pub struct NativeClient {
    builder: ClientBuilder,
    state: AtomicPtr<Stamped>,
    key_id: String,
    base_url: String,
    timeout: f64,
    max_retries: u32,
    user_agent: String,
}

fn stamp(client: Client) -> *mut Stamped {
    Box::into_raw(Box::new(Stamped {
        pid: std::process::id(),
        client,
    }))
}

impl NativeClient {
    /// The core client of this process.
    fn core(&self, py: Python<'_>) -> PyResult<Client> {
        let pid = std::process::id();
        let mut seen = self.state.load(Ordering::Acquire);
        loop {
            // SAFETY: published states are freed only in `drop`, by the process that built them.
            if let Some(stamped) = unsafe { seen.as_ref() } {
                if stamped.pid == pid {
                    return Ok(stamped.client.clone());
                }
            }
            let client = self
                .builder
                .clone()
                .build()
                .map_err(|e| errors::to_py(py, &e))?;
            let fresh = stamp(client);
            match self
                .state
                .compare_exchange(seen, fresh, Ordering::AcqRel, Ordering::Acquire)
            {
                // The parent's state is leaked on purpose.
                Ok(_) => return Ok(unsafe { &*fresh }.client.clone()),
                Err(now) => {
                    // SAFETY: `fresh` was never published.
                    drop(unsafe { Box::from_raw(fresh) });
                    seen = now;
                }
            }
        }
    }

    fn params(
        py: Python<'_>,
        op: &Operation,
        path: Pairs,
        query: Pairs,
        body: Option<&[u8]>,
    ) -> PyResult<CallParams> {
        if body.is_some() && !op.has_body {
            return Err(errors::invalid(
                py,
                format!("{} takes no request body", op.id),
            ));
        }
        Ok(CallParams {
            path,
            query,
            body: body.map(Bytes::copy_from_slice),
        })
    }

    pub fn paginate_with(
        &self,
        py: Python<'_>,
        op_id: &str,
        path: Pairs,
        query: Pairs,
        options: RequestOptions,
        walk: nixflex::WalkOptions,
    ) -> PyResult<crate::paginator::NativePaginator> {
        let op = operation(py, op_id)?;
        let params = Self::params(py, op, path, query, None)?;
        let client = self.core(py)?;
        let paginator = nixflex::Paginator::new(client, op, params, options, walk)
            .map_err(|e| errors::to_py(py, &e))?;
        Ok(crate::paginator::NativePaginator::new(paginator))
    }
}

impl Drop for NativeClient {
    fn drop(&mut self) {
        let state = *self.state.get_mut();
        // SAFETY: only a state built by this very process is freed; another process's (the
        // parent's, seen after a fork) is leaked, as its runtime is.
        if let Some(stamped) = unsafe { state.as_ref() } {
            if stamped.pid == std::process::id() {
                drop(unsafe { Box::from_raw(state) });
            }
        }
    }
}

#[pymethods]
impl NativeClient {
    #[new]
    #[allow(clippy::too_many_arguments)]
    #[pyo3(signature = (api_key=None, base_url=None, timeout=None, max_retries=None, deadline=None, default_headers=Vec::new()))]
    fn new(
        py: Python<'_>,
        api_key: Option<String>,
        base_url: Option<String>,
        timeout: Option<f64>,
        max_retries: Option<u32>,
        deadline: Option<f64>,
        default_headers: Vec<(String, String)>,
    ) -> PyResult<NativeClient> {
        let mut builder = Client::builder().product(PRODUCT, VERSION);
        if let Some(key) = api_key {
            builder = builder.api_key(key);
        }
        if let Some(url) = base_url {
            builder = builder.base_url(url);
        }
        let bad = |what: &str, v: f64| {
            errors::to_py(
                py,
                &nixflex::Error::new(
                    nixflex::ErrorKind::Configuration,
                    format!("{what} must be a positive number of seconds, got {v}"),
                ),
            )
        };
        if let Some(t) = timeout {
            if !(t.is_finite() && t > 0.0 && t < 1e9) {
                return Err(bad("timeout", t));
            }
            builder = builder.timeout(Duration::from_secs_f64(t));
        }
        if let Some(d) = deadline {
            if !(d.is_finite() && d > 0.0 && d < 1e9) {
                return Err(bad("deadline", d));
            }
            builder = builder.deadline(Duration::from_secs_f64(d));
        }
        if let Some(r) = max_retries {
            builder = builder.max_retries(r);
        }
        for (name, value) in default_headers {
            builder = builder.default_header(name, value);
        }
        let client = builder.clone().build().map_err(|e| errors::to_py(py, &e))?;
        let config = client.config();
        Ok(NativeClient {
            key_id: config.api_key().key_id().to_owned(),
            base_url: config.base_url().to_owned(),
            timeout: config.timeout().as_secs_f64(),
            max_retries: config.max_retries(),
            user_agent: config.user_agent().to_owned(),
            state: AtomicPtr::new(stamp(client)),
            builder,
        })
    }

    /// The public half of the key (never the secret).
    #[getter]
    fn key_id(&self) -> &str {
        &self.key_id
    }
    #[getter]
    fn base_url(&self) -> &str {
        &self.base_url
    }
    #[getter]
    fn timeout(&self) -> f64 {
        self.timeout
    }
    #[getter]
    fn max_retries(&self) -> u32 {
        self.max_retries
    }
    #[getter]
    fn user_agent(&self) -> &str {
        &self.user_agent
    }

    /// Calls `op_id` and blocks (without the GIL) until it is done; Ctrl-C interrupts it.
    #[pyo3(signature = (op_id, path, query, body, options, with_meta))]
    #[allow(clippy::too_many_arguments)]
    fn call<'py>(
        &self,
        py: Python<'py>,
        op_id: &str,
        path: Pairs,
        query: Pairs,
        body: Option<&[u8]>,
        options: Option<OptionsIn>,
        with_meta: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        let op = operation(py, op_id)?;
        let params = Self::params(py, op, path, query, body)?;
        let options = crate::convert::options(py, options)?;
        let client = self.core(py)?;
        let outcome =
            crate::runtime::block_on(py, async move { client.call(op, &params, &options).await })?;
        match outcome {
            Ok(response) => {
                let (body, meta) = response.into_parts();
                crate::convert::result(py, &body, with_meta.then_some(&meta))
            }
            Err(err) => Err(errors::to_py(py, &err)),
        }
    }

    /// Starts `op_id` on the runtime; the outcome arrives through `completions` under the
    /// returned token.
    #[pyo3(signature = (completions, op_id, path, query, body, options, with_meta))]
    #[allow(clippy::too_many_arguments)]
    fn submit(
        &self,
        py: Python<'_>,
        completions: &Completions,
        op_id: &str,
        path: Pairs,
        query: Pairs,
        body: Option<&[u8]>,
        options: Option<OptionsIn>,
        with_meta: bool,
    ) -> PyResult<u64> {
        let op = operation(py, op_id)?;
        let params = Self::params(py, op, path, query, body)?;
        let options = crate::convert::options(py, options)?;
        let client = self.core(py)?;
        Ok(completions.spawn(async move {
            match client.call(op, &params, &options).await {
                Ok(response) => {
                    let (body, meta) = response.into_parts();
                    Outcome::Call(body, with_meta.then_some(meta))
                }
                Err(err) => Outcome::Failed(err),
            }
        }))
    }

    /// A walk over a paginated operation (`query` holds the filters, not `limit`/`offset`).
    #[pyo3(signature = (op_id, path, query, options, page_size=None, max_items=None, concurrency=None))]
    #[allow(clippy::too_many_arguments)]
    fn paginate(
        &self,
        py: Python<'_>,
        op_id: &str,
        path: Pairs,
        query: Pairs,
        options: Option<OptionsIn>,
        page_size: Option<u32>,
        max_items: Option<u64>,
        concurrency: Option<usize>,
    ) -> PyResult<crate::paginator::NativePaginator> {
        let options = crate::convert::options(py, options)?;
        let mut walk = nixflex::WalkOptions::default();
        if let Some(size) = page_size {
            walk.page_size = size;
        }
        walk.max_items = max_items;
        if let Some(c) = concurrency {
            walk.concurrency = c;
        }
        self.paginate_with(py, op_id, path, query, options, walk)
    }

    fn __repr__(&self) -> String {
        format!(
            "NativeClient(key_id={:?}, base_url={:?})",
            self.key_id, self.base_url
        )
    }
}

/// `keys.create`, which needs no key: the base URL from the argument, else `NIXFLEX_BASE_URL`,
/// else production.
#[pyfunction]
#[pyo3(signature = (base_url, body, options, with_meta))]
pub fn create_key<'py>(
    py: Python<'py>,
    base_url: Option<String>,
    body: Option<&[u8]>,
    options: Option<OptionsIn>,
    with_meta: bool,
) -> PyResult<Bound<'py, PyAny>> {
    // keys.create is sent without Authorization, so this placeholder never leaves the process.
    let mut builder = Client::builder()
        .api_key("nxf_anonymous:nxfs_anonymous")
        .product(PRODUCT, VERSION);
    if let Some(url) = base_url {
        builder = builder.base_url(url);
    }
    let client = builder.build().map_err(|e| errors::to_py(py, &e))?;
    let op = operation(py, "keys.create")?;
    let params = NativeClient::params(py, op, Vec::new(), Vec::new(), body)?;
    let options = crate::convert::options(py, options)?;
    let outcome =
        crate::runtime::block_on(py, async move { client.call(op, &params, &options).await })?;
    match outcome {
        Ok(response) => {
            let (body, meta) = response.into_parts();
            crate::convert::result(py, &body, with_meta.then_some(&meta))
        }
        Err(err) => Err(errors::to_py(py, &err)),
    }
}
