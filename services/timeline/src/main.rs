//! `sitrep-timeline`: the timeline service as its own process (for deployment).

/// jemalloc: the gazetteer's resolution allocates many small, short-lived values from several
/// threads; glibc's allocator was the larger part of its p99 (BENCHMARKS.md).
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

use clap::Parser;

#[derive(Parser)]
#[command(
    name = "sitrep-timeline",
    version,
    about = "sitrep timeline service (gRPC)"
)]
struct Cli {
    #[command(flatten)]
    config: sitrep_timeline::Config,
    /// Log format.
    #[arg(long, env = "SITREP_LOG_FORMAT", value_enum, default_value_t)]
    log_format: sitrep_server::telemetry::LogFormat,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let cli = Cli::parse();
    sitrep_server::telemetry::init(cli.log_format);
    cli.config.validate()?;
    let listener = tokio::net::TcpListener::bind(cli.config.listen).await?;
    sitrep_timeline::serve(cli.config, listener, sitrep_server::shutdown_signal()).await
}
