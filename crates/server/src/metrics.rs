//! Prometheus metrics: requests by method and status, latency histograms, and store gauges,
//! served on a port of their own (`--metrics-listen`).

use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use metrics_exporter_prometheus::PrometheusBuilder;

/// Install the process-wide Prometheus recorder with its HTTP listener on `addr` (`/metrics`).
/// Must run inside a tokio runtime. A second install in one process is refused.
pub fn install(addr: SocketAddr) -> Result<(), String> {
    PrometheusBuilder::new()
        .with_http_listener(addr)
        .set_buckets(&[
            0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
        ])
        .map_err(|e| e.to_string())?
        .install()
        .map_err(|e| format!("metrics on {addr}: {e}"))?;
    tracing::info!(%addr, "serving Prometheus metrics");
    Ok(())
}

/// Set a gauge of the store (`sitrep_sled_size_bytes`, `sitrep_events_stored`, …).
pub fn gauge(name: &'static str, service: &'static str, value: f64) {
    metrics::gauge!(name, "service" => service).set(value);
}

/// Refresh store gauges every `every` until the task is aborted (the caller aborts it on
/// shutdown; it never outlives the server).
pub fn spawn_gauges(
    every: Duration,
    mut update: impl FnMut() + Send + 'static,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        loop {
            tick.tick().await;
            update();
        }
    })
}

/// Install the recorder when `listen` is given, and refresh a store's gauges every ten seconds:
/// `sitrep_sled_size_bytes` and the count named `stored` (`sitrep_events_stored`, …), read by
/// `read` as (bytes on disk, items). The caller aborts the returned task on shutdown.
pub fn start_store(
    listen: Option<SocketAddr>,
    service: &'static str,
    stored: &'static str,
    read: impl Fn() -> (u64, usize) + Send + 'static,
) -> Result<tokio::task::JoinHandle<()>, String> {
    if let Some(addr) = listen {
        install(addr)?;
    }
    Ok(spawn_gauges(Duration::from_secs(10), move || {
        let (bytes, items) = read();
        gauge("sitrep_sled_size_bytes", service, bytes as f64);
        gauge(stored, service, items as f64);
    }))
}

/// A tower layer that counts requests by method and gRPC status and records their latency.
#[derive(Clone, Copy)]
pub struct MetricsLayer {
    pub service: &'static str,
}

impl<S> tower::Layer<S> for MetricsLayer {
    type Service = Metered<S>;
    fn layer(&self, inner: S) -> Metered<S> {
        Metered {
            inner,
            service: self.service,
        }
    }
}

#[derive(Clone)]
pub struct Metered<S> {
    inner: S,
    service: &'static str,
}

impl<S, B, R> tower::Service<http::Request<B>> for Metered<S>
where
    S: tower::Service<http::Request<B>, Response = http::Response<R>>,
    S::Future: Send + 'static,
    S::Error: Send + 'static,
    R: Send + 'static,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<S::Response, S::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: http::Request<B>) -> Self::Future {
        let method = req.uri().path().to_string();
        let service = self.service;
        let start = Instant::now();
        let fut = self.inner.call(req);
        Box::pin(async move {
            let res = fut.await;
            // errors come as trailers-only responses: the status is in the headers
            let code = match &res {
                Ok(r) => r
                    .headers()
                    .get("grpc-status")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("0")
                    .to_string(),
                Err(_) => "transport".to_string(),
            };
            let labels = [("service", service.to_string()), ("method", method)];
            metrics::counter!(
                "sitrep_grpc_requests_total",
                &[labels[0].clone(), labels[1].clone(), ("code", code)]
            )
            .increment(1);
            metrics::histogram!("sitrep_grpc_request_duration_seconds", &labels)
                .record(start.elapsed().as_secs_f64());
            res
        })
    }
}
