//! Serving: our own accept loop on hyper-util (HTTP/1.1 with keep-alive, and h2c), calling the
//! axum router. Owning the loop is what lets a fault close a connection without any response:
//! the handler marks the response with [`DropConnection`] and the hyper service returns an error
//! instead, on which hyper closes the connection (HTTP/1.1) or resets the stream (HTTP/2).

use crate::app::App;
use crate::tenants::ListShape;
use axum::Router;
use axum::body::Body;
use http::header::CONNECTION;
use http::{HeaderValue, Request, Response, Version};
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tower::ServiceExt;

/// Response extension: close the connection instead of answering.
#[derive(Clone, Copy, Debug)]
pub struct DropConnection;

/// Request extension: the client's address (per-IP key creation limit).
#[derive(Clone, Copy, Debug)]
pub struct PeerAddr(pub SocketAddr);

#[derive(Debug)]
struct Dropped;

impl std::fmt::Display for Dropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by a mock fault")
    }
}

impl std::error::Error for Dropped {}

/// How to start a mock.
#[derive(Clone, Debug)]
pub struct MockConfig {
    /// Address to bind; 127.0.0.1 by default.
    pub host: IpAddr,
    /// 0 picks a free port (the default for in-process use).
    pub port: u16,
    /// List shape of new tenants (each tenant can change its own).
    pub list_shape: ListShape,
}

impl Default for MockConfig {
    fn default() -> Self {
        Self {
            host: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 0,
            list_shape: ListShape::Envelope,
        }
    }
}

/// A running mock. Dropping it (or [`MockHandle::shutdown`]) stops the server, its open
/// connections and its background work.
pub struct MockHandle {
    addr: SocketAddr,
    stop: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
}

impl MockHandle {
    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops the server and waits for the accept loop to end.
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }

    /// Runs until the process is stopped (the binary's mode).
    pub async fn wait(mut self) {
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for MockHandle {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}

/// Binds and starts a mock on the current tokio runtime.
pub async fn spawn(config: MockConfig) -> std::io::Result<MockHandle> {
    let listener = TcpListener::bind((config.host, config.port)).await?;
    let addr = listener.local_addr()?;
    let (stop, stopped) = watch::channel(false);
    let app = Arc::new(App::new(config.list_shape, stopped.clone()));
    let router: Router = crate::admin::router()
        .fallback(crate::api::handle)
        .with_state(app);
    let task = tokio::spawn(accept_loop(listener, router, stopped));
    Ok(MockHandle {
        addr,
        stop,
        task: Some(task),
    })
}

async fn accept_loop(listener: TcpListener, router: Router, mut stopped: watch::Receiver<bool>) {
    let builder = auto::Builder::new(TokioExecutor::new());
    loop {
        let (stream, peer) = tokio::select! {
            r = listener.accept() => match r {
                Ok(x) => x,
                Err(e) => {
                    // Out of file descriptors and the like: back off instead of spinning.
                    tracing::warn!("accept failed: {e}");
                    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                    continue;
                }
            },
            _ = until_stopped(&mut stopped) => return,
        };
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        let service = hyper::service::service_fn(move |req: Request<Incoming>| {
            serve(router.clone(), peer, req)
        });
        let conn = builder
            .serve_connection(TokioIo::new(stream), service)
            .into_owned();
        let mut stopped = stopped.clone();
        tokio::spawn(async move {
            tokio::select! {
                r = conn => {
                    if let Err(e) = r {
                        tracing::debug!("connection from {peer} ended: {e}");
                    }
                }
                _ = until_stopped(&mut stopped) => {}
            }
        });
    }
}

async fn until_stopped(rx: &mut watch::Receiver<bool>) {
    let _ = rx.wait_for(|s| *s).await;
}

async fn serve(
    router: Router,
    peer: SocketAddr,
    mut req: Request<Incoming>,
) -> Result<Response<Body>, Dropped> {
    req.extensions_mut().insert(PeerAddr(peer));
    // Admin calls are rare test plumbing, often made from a client shared across test runtimes;
    // not keeping their connections alive spares such a client a pooled connection whose
    // runtime is gone. The API itself keeps connections alive.
    let close = req.version() == Version::HTTP_11 && req.uri().path().starts_with("/__mock/");
    let mut resp = match router.oneshot(req).await {
        Ok(r) => r,
        Err(never) => match never {},
    };
    if resp.extensions().get::<DropConnection>().is_some() {
        return Err(Dropped);
    }
    let id = crate::ids::prefixed("req_", 16);
    if let Ok(v) = HeaderValue::from_str(&id) {
        let h = resp.headers_mut();
        h.insert("x-request-id", v.clone());
        h.insert("x-railway-request-id", v);
    }
    if close {
        resp.headers_mut()
            .insert(CONNECTION, HeaderValue::from_static("close"));
    }
    Ok(resp)
}
