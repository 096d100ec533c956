//! `nixflex-mock`: serve the mock Nixflex API until stopped. The first stdout line is the URL.

use clap::Parser;
use nixflex_mock::{ListShape, MockConfig};
use std::io::Write;
use std::net::IpAddr;

#[derive(Parser)]
#[command(
    name = "nixflex-mock",
    version,
    about = "A stateful, in-memory mock of the Nixflex API"
)]
struct Cli {
    /// Port to listen on; 0 picks a free one.
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// Address to bind.
    #[arg(long, default_value = "127.0.0.1")]
    host: IpAddr,
    /// List shape of new tenants: envelope or array.
    #[arg(long = "list-shape", default_value = "envelope")]
    list_shape: ListShape,
}

fn main() -> std::io::Result<()> {
    let cli = Cli::parse();
    // Quiet by default so the mock never costs a log line per request; NIXFLEX_MOCK_LOG
    // (an env-filter, e.g. "debug") turns logging on.
    let filter = tracing_subscriber::EnvFilter::try_from_env("NIXFLEX_MOCK_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("off"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let handle = nixflex_mock::spawn(MockConfig {
            host: cli.host,
            port: cli.port,
            list_shape: cli.list_shape,
        })
        .await?;
        let mut out = std::io::stdout().lock();
        writeln!(out, "{}", handle.url())?;
        out.flush()?;
        drop(out);
        tokio::select! {
            _ = handle.wait() => {}
            _ = tokio::signal::ctrl_c() => {}
        }
        Ok(())
    })
}
