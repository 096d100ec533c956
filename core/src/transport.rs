//! The one HTTP client a [`crate::Client`] keeps: rustls on the pure-Rust `ring` provider (it
//! cross-compiles to iOS and Android), a keep-alive pool, HTTP/2 when the server offers it,
//! gzip.

use std::sync::Once;
use std::time::Duration;

use crate::config::Config;
use crate::error::{Error, Result};

fn install_crypto_provider() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        // Another library of the process may have installed one already; either is fine.
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

pub(crate) fn build(config: &Config) -> Result<reqwest::Client> {
    install_crypto_provider();
    reqwest::Client::builder()
        .connect_timeout(config.connect_timeout)
        .pool_idle_timeout(Duration::from_secs(60))
        .tcp_nodelay(true)
        .gzip(true)
        // A redirect would turn a POST into a GET without its body (a mutation silently
        // becoming a read) and carry the key to another host: the API never redirects.
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| Error::configuration(format!("cannot build the HTTP client: {e}")))
}
