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
    trust(reqwest::Client::builder())?
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

/// The operating system's trust store, through the platform verifier.
#[cfg(not(any(target_os = "android", feature = "bundled-roots")))]
fn trust(builder: reqwest::ClientBuilder) -> Result<reqwest::ClientBuilder> {
    Ok(builder)
}

/// The bundled Mozilla roots only: on Android the platform verifier needs the app's `Context`
/// (JNI) before the first request, which a library loaded through JNA cannot count on.
#[cfg(any(target_os = "android", feature = "bundled-roots"))]
fn trust(builder: reqwest::ClientBuilder) -> Result<reqwest::ClientBuilder> {
    let roots = webpki_root_certs::TLS_SERVER_ROOT_CERTS
        .iter()
        .map(|der| reqwest::Certificate::from_der(der))
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(|e| Error::configuration(format!("a bundled root certificate: {e}")))?;
    Ok(builder.tls_certs_only(roots))
}

#[cfg(all(test, feature = "bundled-roots"))]
mod tests {
    #[test]
    fn the_bundled_roots_make_a_client() {
        let config = crate::Client::builder()
            .api_key("nxf_abc:nxfs_x1")
            .build()
            .unwrap()
            .config()
            .clone();
        assert!(webpki_root_certs::TLS_SERVER_ROOT_CERTS.len() > 100);
        super::build(&config).unwrap();
    }
}
