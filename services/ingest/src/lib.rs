//! The ingest service: documents in, events out, through the gazetteer to the timeline.
//!
//! # Layout
//! - [`Config`] and [`serve`]: settings (`SITREP_INGEST_*`) and the server's life.
//! - `service`: the ingest path and the gRPC methods; `convert`: extractor types → `sitrep.v1`;
//!   `stream`: `IngestStream` (many documents per call); `commit`: the one writer, its group
//!   commit and the roll-forward of pending documents at start;
//!   `store`: the sled trees; `error`: errors and their statuses.

pub mod commit;
pub mod convert;
pub mod error;
pub mod service;
pub mod store;
pub mod stream;

use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use sitrep_extract::Extractor;
use sitrep_proto::v1::ingest_service_server::IngestServiceServer;
use sitrep_server::tonic_health::ServingStatus;
use tokio::net::TcpListener;

pub use error::{Error, Result};
pub use service::Ingest;
pub use store::Store;

#[derive(Debug, Clone, clap::Args)]
pub struct Config {
    /// Address to serve gRPC on.
    #[arg(
        long = "listen",
        env = "SITREP_INGEST_LISTEN",
        default_value = "127.0.0.1:50052"
    )]
    pub listen: SocketAddr,
    /// Folder of the ingest service's sled database (when `--store` names none).
    #[arg(
        long = "data-dir",
        env = "SITREP_INGEST_DATA_DIR",
        default_value = "data/ingest"
    )]
    pub data_dir: PathBuf,
    /// Where documents are kept: a folder (sled, embedded) or a database URL
    /// `postgres://user[:password]@host:port/database` (PostgreSQL, CockroachDB, YugabyteDB), which
    /// makes this replica stateless. Default: the folder `--data-dir`.
    #[arg(long = "store", env = "SITREP_INGEST_STORE")]
    pub store: Option<String>,
    /// URL of the gazetteer service.
    #[arg(
        long = "gazetteer-url",
        env = "SITREP_INGEST_GAZETTEER_URL",
        default_value = "http://127.0.0.1:50053"
    )]
    pub gazetteer_url: String,
    /// URL of the timeline service.
    #[arg(
        long = "timeline-url",
        env = "SITREP_INGEST_TIMELINE_URL",
        default_value = "http://127.0.0.1:50054"
    )]
    pub timeline_url: String,
    /// Extra actor registry files (JSON, the format of the built-in `actors.json`); repeatable.
    #[arg(long = "actors", env = "SITREP_INGEST_ACTORS", value_delimiter = ',')]
    pub actors: Vec<PathBuf>,
    /// Extra predicate dictionary files (JSON, the format of `predicates.json`); repeatable.
    #[arg(
        long = "predicates",
        env = "SITREP_INGEST_PREDICATES",
        value_delimiter = ','
    )]
    pub predicates: Vec<PathBuf>,
    /// Word files extending the built-in place and date vocabularies (JSON with `places` and
    /// `timex` parts in the layouts of `places.json` and `timex.json`); repeatable.
    #[arg(long = "words", env = "SITREP_INGEST_WORDS", value_delimiter = ',')]
    pub words: Vec<PathBuf>,
    /// Deadline of each call to a backend, in milliseconds.
    #[arg(
        long = "backend-timeout-ms",
        env = "SITREP_INGEST_BACKEND_TIMEOUT_MS",
        default_value_t = 30_000
    )]
    pub backend_timeout_ms: u64,
    /// Largest document accepted, in bytes of UTF-8.
    #[arg(long = "max-document-bytes", env = "SITREP_INGEST_MAX_DOCUMENT_BYTES", default_value_t = 12 * 1024 * 1024)]
    pub max_document_bytes: usize,
    /// Address of the Prometheus metrics endpoint (`/metrics`); none when not given.
    #[arg(long = "metrics-listen", env = "SITREP_INGEST_METRICS_LISTEN")]
    pub metrics_listen: Option<SocketAddr>,
    /// Largest gRPC message accepted or sent, in bytes.
    #[arg(long = "max-message-bytes", env = "SITREP_INGEST_MAX_MESSAGE_BYTES", default_value_t = sitrep_server::DEFAULT_MAX_MESSAGE_BYTES)]
    pub max_message_bytes: usize,
    #[command(flatten)]
    pub tls: sitrep_server::security::TlsArgs,
}

impl Config {
    pub fn new(
        data_dir: PathBuf,
        listen: SocketAddr,
        gazetteer_url: String,
        timeline_url: String,
    ) -> Self {
        Config {
            listen,
            data_dir,
            store: None,
            gazetteer_url,
            timeline_url,
            actors: Vec::new(),
            predicates: Vec::new(),
            words: Vec::new(),
            backend_timeout_ms: 30_000,
            max_document_bytes: 12 * 1024 * 1024,
            max_message_bytes: sitrep_server::DEFAULT_MAX_MESSAGE_BYTES,
            tls: Default::default(),
            metrics_listen: None,
        }
    }

    pub fn validate(&self) -> Result<()> {
        for (flag, url) in [
            ("--gazetteer-url", &self.gazetteer_url),
            ("--timeline-url", &self.timeline_url),
        ] {
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                return Err(Error::InvalidArgument(format!(
                    "{flag} must be an http:// or https:// URL, got {url:?}"
                )));
            }
        }
        if self.max_document_bytes + 4096 > self.max_message_bytes {
            return Err(Error::InvalidArgument(
                "--max-message-bytes must exceed --max-document-bytes".into(),
            ));
        }
        Ok(())
    }

    /// The extractor with the configured registry and dictionary files.
    pub fn extractor(&self) -> Result<Extractor> {
        let read = |p: &PathBuf| {
            std::fs::read_to_string(p).map_err(|e| Error::Data {
                path: p.display().to_string(),
                message: e.to_string(),
            })
        };
        let actors: Vec<String> = self.actors.iter().map(read).collect::<Result<_>>()?;
        let predicates: Vec<String> = self.predicates.iter().map(read).collect::<Result<_>>()?;
        let words: Vec<String> = self.words.iter().map(read).collect::<Result<_>>()?;
        let w: Vec<&str> = words.iter().map(String::as_str).collect();
        sitrep_extract::vocabulary::extend(&w).map_err(|e| Error::Data {
            path: "--words".into(),
            message: e.to_string(),
        })?;
        let a: Vec<&str> = actors.iter().map(String::as_str).collect();
        let p: Vec<&str> = predicates.iter().map(String::as_str).collect();
        Extractor::with_data(&a, &p).map_err(|e| Error::Data {
            path: "registry/dictionary".into(),
            message: e.to_string(),
        })
    }
}

/// Serve the ingest service on `listener` until `shutdown`, then flush the database.
pub async fn serve(
    config: Config,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::result::Result<(), Box<dyn std::error::Error + Send + Sync>> {
    config.validate()?;
    let extractor = Arc::new(config.extractor()?);
    let store = match &config.store {
        Some(location) => Store::connect(location)?,
        None => Store::open(&config.data_dir)?,
    };
    let gauges = {
        let s = store.clone();
        sitrep_server::metrics::start_store(
            config.metrics_listen,
            "ingest",
            "sitrep_documents_stored",
            move || (s.size_on_disk(), s.document_count()),
        )?
    };
    let client_tls = config.tls.client()?;
    let timeout = Duration::from_millis(config.backend_timeout_ms);
    let gazetteer =
        sitrep_server::client::channel(&config.gazetteer_url, timeout, client_tls.as_ref())?;
    let timeline =
        sitrep_server::client::channel(&config.timeline_url, timeout, client_tls.as_ref())?;
    let (reporter, health) = sitrep_server::grpc::health().await;
    let (ingest, writer) = Ingest::new(
        store.clone(),
        extractor,
        gazetteer,
        timeline.clone(),
        timeout,
        config.max_document_bytes,
    );
    let svc = IngestServiceServer::new(ingest)
        .max_decoding_message_size(config.max_message_bytes)
        .max_encoding_message_size(config.max_message_bytes);
    // serving once the documents a crash left pending are complete: until then an
    // acknowledged document could still be missing its completion
    reporter
        .set_service_status("", ServingStatus::NotServing)
        .await;
    let recovery = {
        let writer = Ingest::writer_of(&store, timeline, timeout);
        let reporter = reporter.clone();
        tokio::spawn(async move {
            match commit::roll_forward(&writer).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(documents = n, "rolled pending documents forward"),
                Err(e) => tracing::error!(error = %e, "rolling pending documents forward failed"),
            }
            reporter.set_serving::<IngestServiceServer<Ingest>>().await;
            reporter
                .set_service_status("", ServingStatus::Serving)
                .await;
            tracing::info!(documents = writer.store.document_count(), "ingest ready");
        })
    };
    // with a database elsewhere, readiness then follows whether it answers
    let watch = store.is_external().then(|| {
        sitrep_server::grpc::watch_readiness::<IngestServiceServer<Ingest>, _, _>(
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
    let result = sitrep_server::serve_grpc(
        listener,
        tonic::service::Routes::new(svc),
        health,
        sitrep_server::GrpcOptions::new("ingest").with_tls(config.tls.server()?),
        shutdown,
    )
    .await;
    gauges.abort();
    recovery.abort();
    if let Some(w) = watch {
        w.abort();
    }
    // the gauge, recovery and writer tasks hold store handles: wait until they are dropped, so
    // the database is closed (and its lock released) when serve returns
    let _ = gauges.await;
    let _ = recovery.await;
    if tokio::time::timeout(Duration::from_secs(30), writer)
        .await
        .is_err()
    {
        tracing::warn!("the ingest writer did not stop within 30 s");
    }
    store.flush().await?;
    tracing::info!("ingest stopped; database flushed");
    result?;
    Ok(())
}
