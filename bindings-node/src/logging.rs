//! `NIXFLEX_LOG` routes the core's `tracing` spans and events to stderr. The core never records
//! the API key's secret or the `Authorization` header, so nothing here needs redacting.

use std::sync::Once;

use napi_derive::napi;

static INIT: Once = Once::new();

/// Turns logging on once per process. `level` is `NIXFLEX_LOG` as the facade read it: a level
/// (`debug`, `info`, `trace`…) applies to the SDK's own events; a filter with `=` (the
/// `tracing-subscriber` syntax) is used as given.
#[napi]
pub fn init_logging(level: Option<String>) {
    let Some(level) = level.map(|l| l.trim().to_owned()).filter(|l| !l.is_empty()) else {
        return;
    };
    if matches!(level.as_str(), "0" | "off" | "false" | "none") {
        return;
    }
    INIT.call_once(|| {
        let directive = if level.contains('=') || level.contains(',') {
            level
        } else {
            format!("nixflex={level}")
        };
        let filter = tracing_subscriber::EnvFilter::try_new(&directive)
            .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("nixflex=debug"));
        let _ = tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_writer(std::io::stderr)
            .with_ansi(false)
            .with_target(false)
            .try_init();
    });
}
