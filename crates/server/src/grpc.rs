//! The one gRPC server assembler every sitrep service uses.

use std::future::Future;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio_stream::wrappers::TcpListenerStream;
use tonic::service::Routes;
use tonic::transport::Server;
use tonic_health::server::HealthReporter;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

use crate::security::{grpc_refusal, Access, RequireTokenLayer, TokenRule};

/// Settings that deviate from tonic's defaults, with the reason.
#[derive(Debug, Clone)]
pub struct GrpcOptions {
    /// Service name for spans and logs ("ingest", "gateway", ...).
    pub name: &'static str,
    /// Kept short so a stopped client frees its stream quickly.
    pub tcp_keepalive: Option<Duration>,
    /// Bounds concurrent streams per connection so one client cannot hold unbounded memory.
    pub max_concurrent_streams: u32,
    /// TLS (the server then accepts TLS only); none: plaintext.
    pub tls: Option<tonic::transport::ServerTlsConfig>,
    /// The bearer-token rule, checked before any handler runs (default: every call open).
    pub tokens: TokenRule,
    /// What each call's path asks of the token under `tokens`.
    pub access: fn(&str) -> Access,
}

impl GrpcOptions {
    pub fn new(name: &'static str) -> Self {
        GrpcOptions {
            name,
            tcp_keepalive: Some(Duration::from_secs(60)),
            max_concurrent_streams: 256,
            tls: None,
            tokens: TokenRule::default(),
            access: |_| Access::Open,
        }
    }

    pub fn with_tls(mut self, tls: Option<tonic::transport::ServerTlsConfig>) -> Self {
        self.tls = tls;
        self
    }

    /// Calls need the token as `tokens` says, of the kind `access` gives their path (the gRPC
    /// path `/package.Service/Method`); a call refused is answered UNAUTHENTICATED.
    pub fn with_tokens(mut self, tokens: TokenRule, access: fn(&str) -> Access) -> Self {
        self.tokens = tokens;
        self.access = access;
        self
    }
}

/// Health service name that is SERVING as long as the process runs: the liveness probe's.
/// Readiness uses the overall status (""), which a service sets once its data is loaded.
pub const LIVENESS: &str = "liveness";

/// A health reporter and its service, with [`LIVENESS`] serving from the start. Services call
/// `set_serving::<S>()` and set "" once their store is open and their data loaded.
pub async fn health() -> (
    HealthReporter,
    tonic_health::pb::health_server::HealthServer<impl tonic_health::pb::health_server::Health>,
) {
    let (reporter, service) = tonic_health::server::health_reporter();
    reporter
        .set_service_status(LIVENESS, tonic_health::ServingStatus::Serving)
        .await;
    (reporter, service)
}

/// How often [`watch_readiness`] asks whether a service's database answers.
pub const READINESS_INTERVAL: Duration = Duration::from_secs(2);

/// Keep readiness ("" and `S`) following `check`, asked every [`READINESS_INTERVAL`]: NOT_SERVING
/// while it fails (a stateless replica whose database is unreachable takes no traffic), SERVING
/// again when it answers. Liveness stays SERVING: the process is fine. Abort the task to stop.
pub fn watch_readiness<S, F, Fut>(reporter: HealthReporter, check: F) -> tokio::task::JoinHandle<()>
where
    S: tonic::server::NamedService,
    F: Fn() -> Fut + Send + 'static,
    Fut: Future<Output = Result<(), String>> + Send,
{
    tokio::spawn(async move {
        let mut serving = true;
        loop {
            tokio::time::sleep(READINESS_INTERVAL).await;
            let answer = check().await;
            if answer.is_ok() != serving {
                serving = answer.is_ok();
                let status = if serving {
                    tonic_health::ServingStatus::Serving
                } else {
                    tonic_health::ServingStatus::NotServing
                };
                match &answer {
                    Ok(()) => tracing::info!(service = S::NAME, "database answers again: ready"),
                    Err(e) => {
                        tracing::warn!(service = S::NAME, error = %e, "database unreachable: not ready")
                    }
                }
                reporter.set_service_status(S::NAME, status).await;
                reporter.set_service_status("", status).await;
            }
        }
    })
}

/// Accepted connections with Nagle's algorithm off (the server builder's `tcp_nodelay` only
/// applies to listeners it binds itself).
pub fn incoming(
    listener: TcpListener,
) -> impl futures::Stream<Item = std::io::Result<tokio::net::TcpStream>> {
    use futures::StreamExt;
    TcpListenerStream::new(listener).map(|s| {
        if let Ok(s) = &s {
            let _ = s.set_nodelay(true);
        }
        s
    })
}

/// tonic answers a request over the decoding limit with OUT_OF_RANGE, and a call past its
/// deadline with CANCELLED; gRPC's status codes give RESOURCE_EXHAUSTED and DEADLINE_EXCEEDED,
/// which is what clients (and retry policies) expect. The status is in the headers of such a
/// trailers-only answer.
fn oversize_is_resource_exhausted<B>(mut r: http::Response<B>) -> http::Response<B> {
    let h = r.headers_mut();
    let oversize = h.get("grpc-status").is_some_and(|v| v == "11")
        && h.get("grpc-message")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|m| {
                m.contains("message%20length%20too%20large")
                    || m.contains("message length too large")
            });
    // tonic reports a call that outlived its grpc-timeout as CANCELLED "Timeout expired"
    let expired = h.get("grpc-status").is_some_and(|v| v == "1")
        && h.get("grpc-message")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|m| m == "Timeout expired" || m == "Timeout%20expired");
    if expired {
        h.insert("grpc-status", http::HeaderValue::from_static("4"));
        h.insert(
            "grpc-message",
            http::HeaderValue::from_static(
                "the call's deadline passed before it finished: allow it more time",
            ),
        );
    }
    if oversize {
        h.insert("grpc-status", http::HeaderValue::from_static("8"));
        h.insert(
            "grpc-message",
            http::HeaderValue::from_static("the request is larger than this server accepts (--max-message-bytes): send a smaller message, e.g. split the document"),
        );
    }
    r
}

/// Serve `routes` on `listener` with health, reflection (v1 and v1alpha), request ids and spans,
/// the token rule of `options`, until `shutdown` resolves; in-flight calls finish first.
pub async fn serve_grpc<F>(
    listener: TcpListener,
    routes: Routes,
    health_service: tonic_health::pb::health_server::HealthServer<
        impl tonic_health::pb::health_server::Health,
    >,
    options: GrpcOptions,
    shutdown: F,
) -> Result<(), tonic::transport::Error>
where
    F: Future<Output = ()> + Send + 'static,
{
    let reflection_v1 = tonic_reflection::server::Builder::configure()
        .register_encoded_file_descriptor_set(sitrep_proto::FILE_DESCRIPTOR_SET)
        .register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET)
        .build_v1()
        .expect("the compiled descriptor sets are valid");
    // grpcurl 1.8 speaks only v1alpha
    let reflection_v1alpha = tonic_reflection::server::Builder::configure()
        .register_encoded_file_descriptor_set(sitrep_proto::FILE_DESCRIPTOR_SET)
        .register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET)
        .build_v1alpha()
        .expect("the compiled descriptor sets are valid");
    let name = options.name;
    let routes = routes
        .add_service(health_service)
        .add_service(reflection_v1)
        .add_service(reflection_v1alpha);
    let layers = tower::ServiceBuilder::new()
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .layer(TraceLayer::new_for_grpc().make_span_with(move |req: &http::Request<_>| {
            let id = req.headers().get(crate::REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("");
            tracing::info_span!("rpc", service = name, method = %req.uri().path(), request_id = %id)
        }))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(crate::metrics::MetricsLayer { service: name })
        .layer(RequireTokenLayer::new(
            options.tokens,
            options.access,
            grpc_refusal::<tonic::body::Body>,
        ))
        .map_response(oversize_is_resource_exhausted)
        .into_inner();
    if let Ok(addr) = listener.local_addr() {
        tracing::info!(service = name, %addr, tls = options.tls.is_some(), "serving gRPC");
    }
    let mut builder = Server::builder();
    if let Some(tls) = options.tls {
        builder = builder.tls_config(tls)?;
    }
    builder
        // small request/response pairs: without it, Nagle and delayed ACKs add ~40 ms per call
        .tcp_nodelay(true)
        .tcp_keepalive(options.tcp_keepalive)
        .max_concurrent_streams(options.max_concurrent_streams)
        .layer(layers)
        .add_routes(routes)
        .serve_with_incoming_shutdown(incoming(listener), shutdown)
        .await
}
