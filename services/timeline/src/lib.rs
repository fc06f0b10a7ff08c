//! The timeline service: the indexed event store, and control of territory over time.
//!
//! # Layout
//! - [`Config`] and [`serve`]: settings (`SITREP_TIMELINE_*`) and the server's life.
//! - `store`: the sled trees and their key layouts; `control`: who held a place when (pure);
//!   `service`: the gRPC methods; `error`: errors and their statuses.

pub mod control;
pub mod error;
pub mod service;
pub mod store;

use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;

use sitrep_proto::v1::timeline_service_server::TimelineServiceServer;
use sitrep_server::tonic_health::ServingStatus;
use tokio::net::TcpListener;

pub use error::{Error, Result};
pub use service::Timeline;
pub use store::Store;

#[derive(Debug, Clone, clap::Args)]
pub struct Config {
    /// Address to serve gRPC on.
    #[arg(
        long = "listen",
        env = "SITREP_TIMELINE_LISTEN",
        default_value = "127.0.0.1:50054"
    )]
    pub listen: SocketAddr,
    /// Folder of the timeline's sled database (when `--store` names none).
    #[arg(
        long = "data-dir",
        env = "SITREP_TIMELINE_DATA_DIR",
        default_value = "data/timeline"
    )]
    pub data_dir: PathBuf,
    /// Where the events are kept: a folder (sled, embedded) or a database URL
    /// `postgres://user[:password]@host:port/database` (PostgreSQL, CockroachDB, YugabyteDB), which
    /// makes this replica stateless. Default: the folder `--data-dir`.
    #[arg(long = "store", env = "SITREP_TIMELINE_STORE")]
    pub store: Option<String>,
    /// Address of the Prometheus metrics endpoint (`/metrics`); none when not given.
    #[arg(long = "metrics-listen", env = "SITREP_TIMELINE_METRICS_LISTEN")]
    pub metrics_listen: Option<SocketAddr>,
    /// Largest gRPC message accepted or sent, in bytes.
    #[arg(long = "max-message-bytes", env = "SITREP_TIMELINE_MAX_MESSAGE_BYTES", default_value_t = sitrep_server::DEFAULT_MAX_MESSAGE_BYTES)]
    pub max_message_bytes: usize,
    #[command(flatten)]
    pub tls: sitrep_server::security::TlsArgs,
}

impl Config {
    pub fn new(data_dir: PathBuf, listen: SocketAddr) -> Self {
        Config {
            listen,
            data_dir,
            store: None,
            max_message_bytes: sitrep_server::DEFAULT_MAX_MESSAGE_BYTES,
            metrics_listen: None,
            tls: Default::default(),
        }
    }

    pub fn validate(&self) -> Result<()> {
        if self.max_message_bytes < 1024 {
            return Err(Error::InvalidArgument(
                "--max-message-bytes must be at least 1024".into(),
            ));
        }
        Ok(())
    }
}

/// Serve the timeline on `listener` until `shutdown`, then flush the database.
pub async fn serve(
    config: Config,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::result::Result<(), Box<dyn std::error::Error + Send + Sync>> {
    config.validate()?;
    let store = match &config.store {
        Some(location) => Store::connect(location)?,
        None => Store::open(&config.data_dir)?,
    };
    let gauges = {
        let s = store.clone();
        sitrep_server::metrics::start_store(
            config.metrics_listen,
            "timeline",
            "sitrep_events_stored",
            move || (s.size_on_disk(), s.event_count()),
        )?
    };
    let (reporter, health) = sitrep_server::grpc::health().await;
    let svc = TimelineServiceServer::new(Timeline::new(store.clone()))
        .max_decoding_message_size(config.max_message_bytes)
        .max_encoding_message_size(config.max_message_bytes);
    reporter
        .set_serving::<TimelineServiceServer<Timeline>>()
        .await;
    reporter
        .set_service_status("", ServingStatus::Serving)
        .await;
    // with a database elsewhere, readiness follows whether it answers
    let watch = store.is_external().then(|| {
        sitrep_server::grpc::watch_readiness::<TimelineServiceServer<Timeline>, _, _>(
            reporter.clone(),
            {
                let s = store.clone();
                move || {
                    let s = s.clone();
                    async move { s.ping().await.map_err(|e| e.to_string()) }
                }
            },
        )
    });
    tracing::info!(
        events = store.event_count(),
        external = store.is_external(),
        "timeline ready"
    );
    let result = sitrep_server::serve_grpc(
        listener,
        tonic::service::Routes::new(svc),
        health,
        sitrep_server::GrpcOptions::new("timeline").with_tls(config.tls.server()?),
        shutdown,
    )
    .await;
    gauges.abort();
    if let Some(w) = watch {
        w.abort();
    }
    // the gauge task holds a store handle: wait until it is dropped, so the database is closed
    // (and its lock released) when serve returns
    let _ = gauges.await;
    store.flush().await?;
    tracing::info!("timeline stopped; database flushed");
    result?;
    Ok(())
}
