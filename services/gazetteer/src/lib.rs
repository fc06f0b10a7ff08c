//! The gazetteer service: places from GeoNames, resolved from the many spellings of war reporting.
//!
//! # Layout
//! - [`Config`]: flags and `SITREP_GAZETTEER_*` variables.
//! - [`serve`]: open the store, serve gRPC, load data, flush on shutdown.
//! - `store`: the sled trees; `fold`: name folding; `resolve`: ranking; `geonames`/`import`:
//!   the dump formats; `service`: the gRPC methods; `error`: errors and their statuses.

pub mod error;
pub mod fold;
pub mod geonames;
pub mod import;
pub mod near;
pub mod resolve;
pub mod service;
pub mod store;

use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;

use sitrep_proto::v1::gazetteer_service_server::GazetteerServiceServer;
use tokio::net::TcpListener;
use sitrep_server::tonic_health::ServingStatus;

pub use error::{Error, Result};
pub use service::Gazetteer;
pub use store::Store;

/// The Syrian and Lebanese rows of GeoNames' cities500 (CC BY 4.0, GeoNames), loaded by default.
pub const BUNDLED: &str = include_str!("../data/cities500-SY-LB.txt");
/// sitrep's curated regions, ranges, airbases and crossings (same format, `sitrep:` ids).
pub const REGIONS: &str = include_str!("../data/regions.tsv");

/// Gazetteer settings.
#[derive(Debug, Clone, clap::Args)]
pub struct Config {
    /// Address to serve gRPC on.
    #[arg(long = "listen", env = "SITREP_GAZETTEER_LISTEN", default_value = "127.0.0.1:50053")]
    pub listen: SocketAddr,
    /// Folder of the gazetteer's sled database.
    #[arg(long = "data-dir", env = "SITREP_GAZETTEER_DATA_DIR", default_value = "data/gazetteer")]
    pub data_dir: PathBuf,
    /// GeoNames files to import at start-up (geoname rows or alternateNamesV2, plain or zip);
    /// repeatable. Files already imported are skipped.
    #[arg(long = "geonames", env = "SITREP_GAZETTEER_GEONAMES", value_delimiter = ',')]
    pub geonames: Vec<PathBuf>,
    /// Do not load the bundled Syrian and Lebanese rows of GeoNames' cities500.
    #[arg(long = "no-bundled", env = "SITREP_GAZETTEER_NO_BUNDLED")]
    pub no_bundled: bool,
    /// Address of the Prometheus metrics endpoint (`/metrics`); none when not given.
    #[arg(long = "metrics-listen", env = "SITREP_GAZETTEER_METRICS_LISTEN")]
    pub metrics_listen: Option<SocketAddr>,
    /// Largest gRPC message accepted or sent, in bytes.
    #[arg(long = "max-message-bytes", env = "SITREP_GAZETTEER_MAX_MESSAGE_BYTES", default_value_t = sitrep_server::DEFAULT_MAX_MESSAGE_BYTES)]
    pub max_message_bytes: usize,
    #[command(flatten)]
    pub tls: sitrep_server::security::TlsArgs,
}

impl Config {
    /// Defaults for a data folder (tests, `sitrep up`).
    pub fn new(data_dir: PathBuf, listen: SocketAddr) -> Self {
        Config { listen, data_dir, geonames: Vec::new(), no_bundled: false, max_message_bytes: sitrep_server::DEFAULT_MAX_MESSAGE_BYTES, metrics_listen: None, tls: Default::default() }
    }

    /// Refuse settings that cannot work, before anything is opened.
    pub fn validate(&self) -> Result<()> {
        for f in &self.geonames {
            if !f.is_file() {
                return Err(Error::InvalidArgument(format!("--geonames {}: no such file", f.display())));
            }
        }
        if self.max_message_bytes < 1024 {
            return Err(Error::InvalidArgument("--max-message-bytes must be at least 1024".into()));
        }
        Ok(())
    }
}

/// Load the bundled rows and the configured files; return the number of places.
pub fn load_data(store: &Store, config: &Config) -> Result<usize> {
    if !config.no_bundled {
        import::import_str(store, "bundled cities500 SY+LB", BUNDLED)?;
        import::import_str(store, "bundled regions", REGIONS)?;
    }
    for f in &config.geonames {
        let stats = import::import_file(store, f, |_| {})?;
        tracing::info!(path = %f.display(), rows = stats.rows, inserted = stats.inserted, updated = stats.updated, "imported GeoNames file");
    }
    Ok(store.place_count())
}

/// Serve the gazetteer on `listener` until `shutdown`. Readiness (gRPC health) turns SERVING once
/// the data is loaded; the database is flushed before returning.
pub async fn serve(config: Config, listener: TcpListener, shutdown: impl Future<Output = ()> + Send + 'static) -> std::result::Result<(), Box<dyn std::error::Error + Send + Sync>> {
    config.validate()?;
    let store = Store::open(&config.data_dir)?;
    let gauges = {
        let s = store.clone();
        sitrep_server::metrics::start_store(config.metrics_listen, "gazetteer", "sitrep_places_stored", move || (s.size_on_disk(), s.place_count()))?
    };
    let (reporter, health) = sitrep_server::grpc::health().await;
    reporter.set_service_status("", ServingStatus::NotServing).await;
    reporter.set_not_serving::<GazetteerServiceServer<Gazetteer>>().await;
    let svc = GazetteerServiceServer::new(Gazetteer::new(store.clone()))
        .max_decoding_message_size(config.max_message_bytes)
        .max_encoding_message_size(config.max_message_bytes);
    let loader = {
        let (store, config, reporter) = (store.clone(), config.clone(), reporter.clone());
        tokio::spawn(async move {
            let s = store.clone();
            match tokio::task::spawn_blocking(move || load_data(&s, &config)).await {
                Ok(Ok(n)) => {
                    if let Err(e) = store.flush().await {
                        tracing::error!(error = %e, "flushing after import");
                    }
                    tracing::info!(places = n, "gazetteer ready");
                    reporter.set_serving::<GazetteerServiceServer<Gazetteer>>().await;
                    reporter.set_service_status("", ServingStatus::Serving).await;
                }
                Ok(Err(e)) => tracing::error!(error = %e, "loading gazetteer data failed; staying NOT_SERVING"),
                Err(e) => tracing::error!(error = %e, "loading task failed"),
            }
        })
    };
    let routes = tonic::service::Routes::new(svc);
    let result = sitrep_server::serve_grpc(listener, routes, health, sitrep_server::GrpcOptions::new("gazetteer").with_tls(config.tls.server()?), shutdown).await;
    loader.abort();
    gauges.abort();
    // the gauge task holds a store handle: wait until it is dropped, so the database is closed
    // (and its lock released) when serve returns
    let _ = gauges.await;
    store.flush().await?;
    tracing::info!("gazetteer stopped; database flushed");
    result?;
    Ok(())
}
