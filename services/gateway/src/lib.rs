//! The gateway: the suite's public face. It forwards to ingest, gazetteer and timeline, fans out
//! aggregates concurrently with deadlines, carries request ids, and answers partially (naming the
//! failed backend) when one is down. It stores nothing.
//!
//! # Layout
//! - [`Config`] and [`serve`]; `service`: the methods; `error`: errors and statuses; `access`:
//!   which calls need the token (checked by both servers' layers, not by the methods).
//! - `http`: the JSON API and the web page on `--http-listen` (the same methods); `web`: the
//!   page's embedded files; `history`: a place's control history on its own.

pub mod access;
pub mod error;
pub mod history;
pub mod http;
pub mod passthrough;
pub mod profile;
pub mod service;
mod web;

use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;

use sitrep_proto::v1::gateway_service_server::GatewayServiceServer;
use sitrep_server::security::{Access, TokenRule};
use sitrep_server::tonic_health::ServingStatus;
use tokio::net::TcpListener;

pub use error::{Error, Result};
pub use service::Gateway;

#[derive(Debug, Clone, clap::Args)]
pub struct Config {
    /// Address to serve gRPC on.
    #[arg(
        long = "listen",
        env = "SITREP_GATEWAY_LISTEN",
        default_value = "127.0.0.1:50051"
    )]
    pub listen: SocketAddr,
    /// URL of the ingest service.
    #[arg(
        long = "ingest-url",
        env = "SITREP_GATEWAY_INGEST_URL",
        default_value = "http://127.0.0.1:50052"
    )]
    pub ingest_url: String,
    /// URL of the gazetteer service.
    #[arg(
        long = "gazetteer-url",
        env = "SITREP_GATEWAY_GAZETTEER_URL",
        default_value = "http://127.0.0.1:50053"
    )]
    pub gazetteer_url: String,
    /// URL of the timeline service.
    #[arg(
        long = "timeline-url",
        env = "SITREP_GATEWAY_TIMELINE_URL",
        default_value = "http://127.0.0.1:50054"
    )]
    pub timeline_url: String,
    /// Deadline of each backend call, in milliseconds (ingest calls get four times as long).
    #[arg(
        long = "backend-timeout-ms",
        env = "SITREP_GATEWAY_BACKEND_TIMEOUT_MS",
        default_value_t = 15_000
    )]
    pub backend_timeout_ms: u64,
    /// Address to serve HTTP on: the JSON API (`/api/v1/…`) and the web page (`/`); none when
    /// not given.
    #[arg(long = "http-listen", env = "SITREP_GATEWAY_HTTP_LISTEN")]
    pub http_listen: Option<SocketAddr>,
    /// Address of the Prometheus metrics endpoint (`/metrics`); none when not given.
    #[arg(long = "metrics-listen", env = "SITREP_GATEWAY_METRICS_LISTEN")]
    pub metrics_listen: Option<SocketAddr>,
    /// Largest gRPC message accepted or sent, in bytes.
    #[arg(long = "max-message-bytes", env = "SITREP_GATEWAY_MAX_MESSAGE_BYTES", default_value_t = sitrep_server::DEFAULT_MAX_MESSAGE_BYTES)]
    pub max_message_bytes: usize,
    #[command(flatten)]
    pub tls: sitrep_server::security::TlsArgs,
    /// File holding the bearer token that write calls (Ingest, ImportPlaces, MergePlace) must
    /// carry; else the token is read from SITREP_GATEWAY_TOKEN; neither: writes are open.
    #[arg(long = "token-file", env = "SITREP_GATEWAY_TOKEN_FILE")]
    pub token_file: Option<std::path::PathBuf>,
    /// Require the token for reads too.
    #[arg(long = "protect-reads", env = "SITREP_GATEWAY_PROTECT_READS")]
    pub protect_reads: bool,
    /// The token itself, when set by code (tests, `sitrep up`); takes precedence over the file.
    #[arg(skip)]
    pub token: Option<String>,
}

impl Config {
    pub fn new(
        listen: SocketAddr,
        ingest_url: String,
        gazetteer_url: String,
        timeline_url: String,
    ) -> Self {
        Config {
            listen,
            ingest_url,
            gazetteer_url,
            timeline_url,
            backend_timeout_ms: 15_000,
            max_message_bytes: sitrep_server::DEFAULT_MAX_MESSAGE_BYTES,
            metrics_listen: None,
            http_listen: None,
            tls: Default::default(),
            token_file: None,
            protect_reads: false,
            token: None,
        }
    }

    pub fn validate(&self) -> Result<()> {
        for (flag, url) in [
            ("--ingest-url", &self.ingest_url),
            ("--gazetteer-url", &self.gazetteer_url),
            ("--timeline-url", &self.timeline_url),
        ] {
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                return Err(Error::InvalidArgument(format!(
                    "{flag} must be an http:// or https:// URL, got {url:?}"
                )));
            }
        }
        if self.backend_timeout_ms == 0 {
            return Err(Error::InvalidArgument(
                "--backend-timeout-ms must be positive".into(),
            ));
        }
        Ok(())
    }
}

/// Serve the gateway on `listener` until `shutdown`, and HTTP on `--http-listen` when given.
pub async fn serve(
    config: Config,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::result::Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let http = match config.http_listen {
        Some(addr) => Some(
            TcpListener::bind(addr)
                .await
                .map_err(|e| format!("binding --http-listen {addr}: {e}"))?,
        ),
        None => None,
    };
    serve_with_http(config, listener, http, shutdown).await
}

/// [`serve`] with the HTTP listener bound by the caller (tests, `sitrep up`), or none.
pub async fn serve_with_http(
    config: Config,
    listener: TcpListener,
    http: Option<TcpListener>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::result::Result<(), Box<dyn std::error::Error + Send + Sync>> {
    use futures::FutureExt;
    config.validate()?;
    // both servers stop on the one signal
    let shutdown = shutdown.shared();
    if let Some(addr) = config.metrics_listen {
        sitrep_server::metrics::install(addr)?;
    }
    let client_tls = config.tls.client()?;
    let timeout = Duration::from_millis(config.backend_timeout_ms);
    // ingest calls get four times the deadline: the channel must not cut them shorter
    let gateway = Gateway {
        ingest: sitrep_server::client::channel(
            &config.ingest_url,
            timeout * 4,
            client_tls.as_ref(),
        )?,
        gazetteer: sitrep_server::client::channel(
            &config.gazetteer_url,
            timeout,
            client_tls.as_ref(),
        )?,
        timeline: sitrep_server::client::channel(
            &config.timeline_url,
            timeout,
            client_tls.as_ref(),
        )?,
        urls: [
            config.ingest_url.clone(),
            config.gazetteer_url.clone(),
            config.timeline_url.clone(),
        ],
        timeout,
    };
    let token: Option<std::sync::Arc<str>> = match &config.token {
        Some(t) => Some(t.clone().into()),
        None => sitrep_server::security::read_token(
            config.token_file.as_deref(),
            "SITREP_GATEWAY_TOKEN",
        )?
        .map(Into::into),
    };
    if config.protect_reads && token.is_none() {
        return Err("--protect-reads needs a token (--token-file or SITREP_GATEWAY_TOKEN)".into());
    }
    // checked by both servers before a call reaches a method (access.rs)
    let tokens = TokenRule::new(token, config.protect_reads);
    tracing::info!(
        writes_need_token = tokens.needs_token(Access::Write),
        reads_need_token = tokens.needs_token(Access::Read),
        "gateway access"
    );
    let gateway_http = gateway.clone();
    let (reporter, health) = sitrep_server::grpc::health().await;
    let generated = GatewayServiceServer::new(gateway.clone())
        .max_decoding_message_size(config.max_message_bytes)
        .max_encoding_message_size(config.max_message_bytes);
    // `Events` pages pass through as the timeline encoded them (see passthrough.rs)
    let svc = passthrough::WithRawEvents {
        inner: generated,
        gateway,
        max_message_bytes: config.max_message_bytes,
    };
    reporter
        .set_serving::<GatewayServiceServer<Gateway>>()
        .await;
    reporter
        .set_service_status("", ServingStatus::Serving)
        .await;
    let http = http.map(|l| {
        tokio::spawn(http::serve_http(
            l,
            gateway_http,
            tokens.clone(),
            config.max_message_bytes,
            shutdown.clone(),
        ))
    });
    let grpc = sitrep_server::serve_grpc(
        listener,
        tonic::service::Routes::new(svc),
        health,
        sitrep_server::GrpcOptions::new("gateway")
            .with_tls(config.tls.server()?)
            .with_tokens(tokens, access::grpc),
        shutdown,
    )
    .await;
    if let Some(h) = http {
        if grpc.is_err() {
            h.abort();
        } else {
            h.await
                .map_err(|e| format!("the HTTP server task failed: {e}"))?
                .map_err(|e| format!("HTTP: {e}"))?;
        }
    }
    grpc?;
    tracing::info!("gateway stopped");
    Ok(())
}
