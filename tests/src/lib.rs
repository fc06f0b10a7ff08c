//! The test sandbox: the whole suite on ephemeral loopback ports with temporary sled folders,
//! started through each service's real `serve`, and stopped service by service.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use futures::StreamExt;
use sitrep_proto::v1::gateway_service_client::GatewayServiceClient;
use sitrep_proto::v1::{Event, ListEventsRequest, ListEventsResponse};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;
use sitrep_server::security::Bearer;
use tonic::service::interceptor::InterceptedService;
use tonic::transport::Channel;

/// The sample narrative and its title.
pub const SAMPLE: &str = include_str!("../../crates/cli/data/qalamoun-2015.txt");
pub const SAMPLE_TITLE: &str = "Qalamoun offensive (May–June 2015)";

type Served = JoinHandle<Result<(), String>>;

/// One running service: its address, stop switch and task.
pub struct Running {
    pub addr: SocketAddr,
    stop: CancellationToken,
    task: Option<Served>,
}

impl Running {
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stop the service and wait for it to flush and exit.
    pub async fn stop(&mut self) {
        self.stop.cancel();
        if let Some(t) = self.task.take() {
            let r = t.await.expect("service task");
            r.expect("service stopped cleanly");
        }
    }
}

pub struct Suite {
    pub gateway: Running,
    pub ingest: Running,
    pub gazetteer: Running,
    pub timeline: Running,
    pub data: PathBuf,
    pub options: Options,
}

async fn bind() -> TcpListener {
    TcpListener::bind("127.0.0.1:0").await.expect("bind loopback")
}

fn spawn<F>(addr: SocketAddr, f: impl FnOnce(CancellationToken) -> F) -> Running
where
    F: std::future::Future<Output = Result<(), Box<dyn std::error::Error + Send + Sync>>> + Send + 'static,
{
    let stop = CancellationToken::new();
    let fut = f(stop.clone());
    let task = tokio::spawn(async move { fut.await.map_err(|e| e.to_string()) });
    Running { addr, stop, task: Some(task) }
}

/// How the sandbox runs: plaintext and open by default.
#[derive(Clone, Default)]
pub struct Options {
    /// Every server presents this certificate and every client trusts this authority.
    pub tls: Option<sitrep_server::security::TlsArgs>,
    /// The gateway's bearer token.
    pub token: Option<String>,
    pub protect_reads: bool,
    /// The gateway's deadline for backend calls (default 5 s).
    pub backend_timeout_ms: Option<u64>,
}

impl Suite {
    /// Start the four services on fresh ports with their databases under `data`.
    pub async fn start(data: &Path) -> Suite {
        Suite::start_with(data, Options::default()).await
    }

    pub async fn start_with(data: &Path, options: Options) -> Suite {
        let (gl, il, zl, tl) = (bind().await, bind().await, bind().await, bind().await);
        let (ga, ia, za, ta) = (gl.local_addr().unwrap(), il.local_addr().unwrap(), zl.local_addr().unwrap(), tl.local_addr().unwrap());
        let scheme = if options.tls.is_some() { "https" } else { "http" };
        let url = |a: SocketAddr| format!("{scheme}://{a}");
        let tls = options.tls.clone().unwrap_or_default();
        let mut gaz_cfg = sitrep_gazetteer::Config::new(data.join("gazetteer"), za);
        // the bundled sample (two countries) rather than the world: a suite starts in a moment
        gaz_cfg.bundled = sitrep_gazetteer::Bundled::Sample;
        gaz_cfg.tls = tls.clone();
        let mut tl_cfg = sitrep_timeline::Config::new(data.join("timeline"), ta);
        tl_cfg.tls = tls.clone();
        let mut ing_cfg = sitrep_ingest::Config::new(data.join("ingest"), ia, url(za), url(ta));
        ing_cfg.tls = tls.clone();
        let mut gw_cfg = sitrep_gateway::Config::new(ga, url(ia), url(za), url(ta));
        gw_cfg.backend_timeout_ms = options.backend_timeout_ms.unwrap_or(5_000);
        gw_cfg.tls = tls.clone();
        gw_cfg.token = options.token.clone();
        gw_cfg.protect_reads = options.protect_reads;
        let mut suite = Suite {
            gazetteer: spawn(za, |s| sitrep_gazetteer::serve(gaz_cfg, zl, s.cancelled_owned())),
            timeline: spawn(ta, |s| sitrep_timeline::serve(tl_cfg, tl, s.cancelled_owned())),
            ingest: spawn(ia, |s| sitrep_ingest::serve(ing_cfg, il, s.cancelled_owned())),
            gateway: spawn(ga, |s| sitrep_gateway::serve(gw_cfg, gl, s.cancelled_owned())),
            data: data.to_path_buf(),
            options,
        };
        suite.wait_healthy().await;
        suite
    }

    /// A channel to `r`, over TLS when the suite runs with it.
    pub async fn channel(&self, r: &Running) -> Channel {
        let mut e = tonic::transport::Endpoint::from_shared(self.url(r)).unwrap();
        if let Some(t) = &self.options.tls {
            e = e.tls_config(t.client().expect("client TLS").unwrap_or_default()).expect("TLS endpoint");
        }
        e.connect().await.expect("connect")
    }

    pub fn url(&self, r: &Running) -> String {
        if self.options.tls.is_some() {
            format!("https://{}", r.addr)
        } else {
            r.url()
        }
    }

    /// A gateway client (without a token: see [`Suite::client_with_token`]).
    pub async fn client(&self) -> GatewayServiceClient<Channel> {
        GatewayServiceClient::new(self.channel(&self.gateway).await).max_decoding_message_size(64 << 20)
    }

    pub async fn client_with_token(&self, token: &str) -> GatewayServiceClient<InterceptedService<Channel, Bearer>> {
        GatewayServiceClient::with_interceptor(self.channel(&self.gateway).await, Bearer::new(Some(token)).expect("token")).max_decoding_message_size(64 << 20)
    }

    /// Poll the gateway's status until every backend serves (the listeners are bound already).
    pub async fn wait_healthy(&mut self) {
        for _ in 0..300 {
            // a service that stopped at start-up says why
            for (name, r) in [("gateway", &mut self.gateway), ("ingest", &mut self.ingest), ("gazetteer", &mut self.gazetteer), ("timeline", &mut self.timeline)] {
                if r.task.as_ref().is_some_and(|t| t.is_finished()) {
                    let result = r.task.take().expect("task").await.expect("service task");
                    panic!("{name} stopped while starting: {result:?}");
                }
            }
            let mut e = tonic::transport::Endpoint::from_shared(self.url(&self.gateway)).unwrap();
            if let Some(t) = &self.options.tls {
                e = e.tls_config(t.client().expect("client TLS").unwrap_or_default()).expect("TLS endpoint");
            }
            if let Ok(ch) = e.connect().await {
                let mut c = GatewayServiceClient::new(ch);
                if let Ok(s) = c.status(sitrep_proto::v1::GetStatusRequest {}).await {
                    if s.into_inner().serving {
                        return;
                    }
                }
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("suite not healthy after 15 s");
    }

    /// Stop the timeline alone (the others keep serving).
    pub async fn stop_timeline(&mut self) {
        self.timeline.stop().await;
    }

    /// Start the timeline again on its address and data folder.
    pub async fn restart_timeline(&mut self) {
        let addr = self.timeline.addr;
        let mut listener = None;
        for _ in 0..50 {
            match TcpListener::bind(addr).await {
                Ok(l) => {
                    listener = Some(l);
                    break;
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        }
        let listener = listener.expect("rebind the timeline's address");
        let mut cfg = sitrep_timeline::Config::new(self.data.join("timeline"), addr);
        cfg.tls = self.options.tls.clone().unwrap_or_default();
        self.timeline = spawn(addr, |s| sitrep_timeline::serve(cfg, listener, s.cancelled_owned()));
    }

    pub async fn shutdown(mut self) {
        self.gateway.stop().await;
        self.ingest.stop().await;
        self.timeline.stop().await;
        self.gazetteer.stop().await;
    }
}

/// Every page of an `Events` call (panics on a failed call or page: for tests).
pub async fn event_pages(c: &mut GatewayServiceClient<Channel>, req: ListEventsRequest) -> Vec<ListEventsResponse> {
    let mut s = c.events(req).await.expect("events").into_inner();
    let mut out = Vec::new();
    while let Some(p) = s.next().await {
        out.push(p.expect("page"));
    }
    out
}

/// Every event of an `Events` call, across pages.
pub async fn list_events(c: &mut GatewayServiceClient<Channel>, req: ListEventsRequest) -> Vec<Event> {
    event_pages(c, req).await.into_iter().flat_map(|p| p.events).collect()
}

/// Resident memory of this process in MB (Linux `/proc/self/status`; 0 elsewhere): for the
/// benches, which run the whole suite in-process.
pub fn rss_mb() -> f64 {
    let s = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    s.lines().find(|l| l.starts_with("VmRSS:")).and_then(|l| l.split_whitespace().nth(1)).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0) / 1024.0
}
