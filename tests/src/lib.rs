//! The test sandbox: the whole suite on ephemeral loopback ports with temporary sled folders,
//! started through each service's real `serve`, and stopped service by service.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use sitrep_proto::v1::gateway_service_client::GatewayServiceClient;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;
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

impl Suite {
    /// Start the four services on fresh ports with their databases under `data`.
    pub async fn start(data: &Path) -> Suite {
        let (gl, il, zl, tl) = (bind().await, bind().await, bind().await, bind().await);
        let (ga, ia, za, ta) = (gl.local_addr().unwrap(), il.local_addr().unwrap(), zl.local_addr().unwrap(), tl.local_addr().unwrap());
        let url = |a: SocketAddr| format!("http://{a}");
        let gaz_cfg = sitrep_gazetteer::Config::new(data.join("gazetteer"), za);
        let tl_cfg = sitrep_timeline::Config::new(data.join("timeline"), ta);
        let ing_cfg = sitrep_ingest::Config::new(data.join("ingest"), ia, url(za), url(ta));
        let mut gw_cfg = sitrep_gateway::Config::new(ga, url(ia), url(za), url(ta));
        gw_cfg.backend_timeout_ms = 5_000;
        let suite = Suite {
            gazetteer: spawn(za, |s| sitrep_gazetteer::serve(gaz_cfg, zl, s.cancelled_owned())),
            timeline: spawn(ta, |s| sitrep_timeline::serve(tl_cfg, tl, s.cancelled_owned())),
            ingest: spawn(ia, |s| sitrep_ingest::serve(ing_cfg, il, s.cancelled_owned())),
            gateway: spawn(ga, |s| sitrep_gateway::serve(gw_cfg, gl, s.cancelled_owned())),
            data: data.to_path_buf(),
        };
        suite.wait_healthy().await;
        suite
    }

    pub async fn client(&self) -> GatewayServiceClient<Channel> {
        let ch = tonic::transport::Endpoint::from_shared(self.gateway.url()).unwrap().connect().await.expect("connect to the gateway");
        GatewayServiceClient::new(ch).max_decoding_message_size(64 << 20)
    }

    /// Poll the gateway's status until every backend serves (the listeners are bound already).
    pub async fn wait_healthy(&self) {
        for _ in 0..300 {
            if let Ok(ch) = tonic::transport::Endpoint::from_shared(self.gateway.url()).unwrap().connect().await {
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

    pub async fn shutdown(mut self) {
        self.gateway.stop().await;
        self.ingest.stop().await;
        self.timeline.stop().await;
        self.gazetteer.stop().await;
    }
}
