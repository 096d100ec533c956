//! The server-wide state: the tenant registry, server settings, the route table and the HTTP
//! client used for webhook deliveries.

use crate::routes::RouteTable;
use crate::spec::spec;
use crate::tenants::{ListShape, Tenant};
use parking_lot::{Mutex, RwLock};
use std::collections::{HashMap, VecDeque};
use std::future::Future;
use std::net::IpAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};
use tokio::sync::watch;

pub struct App {
    tenants: RwLock<HashMap<String, Arc<Tenant>>>,
    pub default_shape: ListShape,
    key_limit_per_hour: Mutex<Option<u32>>,
    key_log: Mutex<HashMap<IpAddr, VecDeque<Instant>>>,
    pub routes: RouteTable,
    pub http: reqwest::Client,
    shutdown: watch::Receiver<bool>,
    /// Bumped by a reset: background work of the tenants it removed stops with them.
    resets: watch::Sender<u64>,
    seq: AtomicU64,
}

pub struct NewKey {
    pub key_id: String,
    pub key_secret: String,
}

impl App {
    pub fn new(default_shape: ListShape, shutdown: watch::Receiver<bool>) -> Self {
        // In a workspace build reqwest may carry the core's provider-less rustls; a client built
        // without a process-wide provider would panic. Installing the same provider the core
        // installs is harmless when one is already there.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder()
            .no_proxy()
            .timeout(Duration::from_secs(10))
            .build()
            .expect("webhook HTTP client");
        Self {
            tenants: RwLock::new(HashMap::new()),
            default_shape,
            key_limit_per_hour: Mutex::new(None),
            key_log: Mutex::new(HashMap::new()),
            routes: RouteTable::new(spec()),
            http,
            shutdown,
            resets: watch::Sender::new(0),
            seq: AtomicU64::new(0),
        }
    }

    pub fn tenant(&self, key_id: &str) -> Option<Arc<Tenant>> {
        self.tenants.read().get(key_id).cloned()
    }

    pub fn create_tenant(&self) -> NewKey {
        let key_id = crate::ids::prefixed("nxf_", 32);
        let key_secret = crate::ids::prefixed("nxfs_", 48);
        let tenant = Arc::new(Tenant::new(
            key_id.clone(),
            key_secret.clone(),
            self.default_shape,
        ));
        self.tenants.write().insert(key_id.clone(), tenant);
        NewKey { key_id, key_secret }
    }

    pub fn reset(&self) {
        self.tenants.write().clear();
        self.resets.send_modify(|n| *n += 1);
        self.key_log.lock().clear();
        *self.key_limit_per_hour.lock() = None;
    }

    pub fn key_limit(&self) -> Option<u32> {
        *self.key_limit_per_hour.lock()
    }

    pub fn set_key_limit(&self, limit: Option<u32>) {
        *self.key_limit_per_hour.lock() = limit;
        self.key_log.lock().clear();
    }

    /// The real API allows 3 key creations per hour per IP; the mock only when configured.
    /// `Err(seconds)` until the oldest creation of the last hour leaves the window.
    pub fn take_key_creation(&self, ip: IpAddr) -> Result<(), f64> {
        let Some(limit) = self.key_limit() else {
            return Ok(());
        };
        let hour = Duration::from_secs(3600);
        let now = Instant::now();
        let mut log = self.key_log.lock();
        let times = log.entry(ip).or_default();
        while times
            .front()
            .is_some_and(|t| now.duration_since(*t) >= hour)
        {
            times.pop_front();
        }
        if times.len() >= limit as usize {
            let wait = times
                .front()
                .map_or(hour, |oldest| hour - now.duration_since(*oldest));
            return Err(wait.as_secs_f64());
        }
        times.push_back(now);
        Ok(())
    }

    pub fn next_id(&self, prefix: &str) -> String {
        format!("{prefix}{}", self.seq.fetch_add(1, Ordering::Relaxed) + 1)
    }

    /// Background work (call lifecycles, webhook retries) ends with the server, and with its
    /// tenant at a reset: nothing is delivered for a tenant that is gone.
    pub fn spawn_bg<F>(&self, fut: F)
    where
        F: Future<Output = ()> + Send + 'static,
    {
        let mut shutdown = self.shutdown.clone();
        let mut resets = self.resets.subscribe();
        resets.mark_unchanged();
        tokio::spawn(async move {
            tokio::select! {
                _ = fut => {}
                _ = async { let _ = shutdown.wait_for(|stopped| *stopped).await; } => {}
                _ = resets.changed() => {}
            }
        });
    }
}
