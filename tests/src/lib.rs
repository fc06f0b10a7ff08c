//! The test sandbox: the whole suite on ephemeral loopback ports with temporary sled folders,
//! started through each service's real `serve`, and stopped service by service.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use futures::StreamExt;
use sitrep_proto::v1::gateway_service_client::GatewayServiceClient;
use sitrep_proto::v1::{Event, ListEventsRequest, ListEventsResponse};
use sitrep_server::security::Bearer;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;
use tonic::service::interceptor::InterceptedService;
use tonic::transport::Channel;

/// The sample narrative and its title.
pub const SAMPLE: &str = include_str!("../../services/sitrep/data/qalamoun-2015.txt");
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

/// The sandbox's services: a gateway, an ingest, a gazetteer and a timeline.
pub struct Suite {
    pub gateway: Running,
    /// The gateway's HTTP listener (the JSON API and the web page).
    pub http: SocketAddr,
    pub ingest: Running,
    pub gazetteer: Running,
    pub timeline: Running,
    pub data: PathBuf,
    pub options: Options,
}

async fn bind() -> TcpListener {
    TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback")
}

fn spawn<F>(addr: SocketAddr, f: impl FnOnce(CancellationToken) -> F) -> Running
where
    F: std::future::Future<Output = Result<(), Box<dyn std::error::Error + Send + Sync>>>
        + Send
        + 'static,
{
    let stop = CancellationToken::new();
    let fut = f(stop.clone());
    let task = tokio::spawn(async move { fut.await.map_err(|e| e.to_string()) });
    Running {
        addr,
        stop,
        task: Some(task),
    }
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
    /// Where ingest and timeline keep their data: a database URL (see [`Postgres`]); none: sled
    /// folders under the suite's data folder.
    pub store: Option<String>,
}

impl Suite {
    /// Start the four services on fresh ports with their databases under `data`.
    pub async fn start(data: &Path) -> Suite {
        Suite::start_with(data, Options::default()).await
    }

    pub async fn start_with(data: &Path, options: Options) -> Suite {
        let (gl, il, zl, tl) = (bind().await, bind().await, bind().await, bind().await);
        let hl = bind().await;
        let http = hl.local_addr().unwrap();
        let (ga, ia, za, ta) = (
            gl.local_addr().unwrap(),
            il.local_addr().unwrap(),
            zl.local_addr().unwrap(),
            tl.local_addr().unwrap(),
        );
        let scheme = if options.tls.is_some() {
            "https"
        } else {
            "http"
        };
        let url = |a: SocketAddr| format!("{scheme}://{a}");
        let tls = options.tls.clone().unwrap_or_default();
        let mut gaz_cfg = sitrep_gazetteer::Config::new(data.join("gazetteer"), za);
        // the bundled sample (two countries) rather than the world: a suite starts in a moment
        gaz_cfg.bundled = sitrep_gazetteer::Bundled::Sample;
        gaz_cfg.tls = tls.clone();
        let mut tl_cfg = sitrep_timeline::Config::new(data.join("timeline"), ta);
        tl_cfg.tls = tls.clone();
        tl_cfg.store = options.store.clone();
        let mut ing_cfg = sitrep_ingest::Config::new(data.join("ingest"), ia, url(za), url(ta));
        ing_cfg.tls = tls.clone();
        ing_cfg.store = options.store.clone();
        let mut gw_cfg = sitrep_gateway::Config::new(ga, url(ia), url(za), url(ta));
        gw_cfg.backend_timeout_ms = options.backend_timeout_ms.unwrap_or(5_000);
        gw_cfg.tls = tls.clone();
        gw_cfg.token = options.token.clone();
        gw_cfg.protect_reads = options.protect_reads;
        let mut suite = Suite {
            gazetteer: spawn(za, |s| {
                sitrep_gazetteer::serve(gaz_cfg, zl, s.cancelled_owned())
            }),
            timeline: spawn(ta, |s| {
                sitrep_timeline::serve(tl_cfg, tl, s.cancelled_owned())
            }),
            ingest: spawn(ia, |s| {
                sitrep_ingest::serve(ing_cfg, il, s.cancelled_owned())
            }),
            gateway: spawn(ga, |s| {
                sitrep_gateway::serve_with_http(gw_cfg, gl, Some(hl), s.cancelled_owned())
            }),
            http,
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
            e = e
                .tls_config(t.client().expect("client TLS").unwrap_or_default())
                .expect("TLS endpoint");
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
        GatewayServiceClient::new(self.channel(&self.gateway).await)
            .max_decoding_message_size(64 << 20)
    }

    pub async fn client_with_token(
        &self,
        token: &str,
    ) -> GatewayServiceClient<InterceptedService<Channel, Bearer>> {
        GatewayServiceClient::with_interceptor(
            self.channel(&self.gateway).await,
            Bearer::new(Some(token)).expect("token"),
        )
        .max_decoding_message_size(64 << 20)
    }

    /// Poll the gateway's status until every backend serves (the listeners are bound already).
    pub async fn wait_healthy(&mut self) {
        for _ in 0..300 {
            // a service that stopped at start-up says why
            for (name, r) in [
                ("gateway", &mut self.gateway),
                ("ingest", &mut self.ingest),
                ("gazetteer", &mut self.gazetteer),
                ("timeline", &mut self.timeline),
            ] {
                if r.task.as_ref().is_some_and(|t| t.is_finished()) {
                    let result = r.task.take().expect("task").await.expect("service task");
                    panic!("{name} stopped while starting: {result:?}");
                }
            }
            let mut e = tonic::transport::Endpoint::from_shared(self.url(&self.gateway)).unwrap();
            if let Some(t) = &self.options.tls {
                e = e
                    .tls_config(t.client().expect("client TLS").unwrap_or_default())
                    .expect("TLS endpoint");
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
        cfg.store = self.options.store.clone();
        self.timeline = spawn(addr, |s| {
            sitrep_timeline::serve(cfg, listener, s.cancelled_owned())
        });
    }

    /// Another timeline replica on the suite's store (a database: the replicas share it).
    pub async fn start_timeline_replica(&self) -> Running {
        let l = bind().await;
        let addr = l.local_addr().unwrap();
        let mut cfg =
            sitrep_timeline::Config::new(self.data.join(format!("timeline-{}", addr.port())), addr);
        cfg.tls = self.options.tls.clone().unwrap_or_default();
        cfg.store = self.options.store.clone();
        spawn(addr, |s| {
            sitrep_timeline::serve(cfg, l, s.cancelled_owned())
        })
    }

    /// Another ingest replica on the suite's store, recording into `timeline`.
    pub async fn start_ingest_replica(&self, timeline: &Running) -> Running {
        let l = bind().await;
        let addr = l.local_addr().unwrap();
        let mut cfg = sitrep_ingest::Config::new(
            self.data.join(format!("ingest-{}", addr.port())),
            addr,
            self.url(&self.gazetteer),
            self.url(timeline),
        );
        cfg.tls = self.options.tls.clone().unwrap_or_default();
        cfg.store = self.options.store.clone();
        spawn(addr, |s| sitrep_ingest::serve(cfg, l, s.cancelled_owned()))
    }

    pub async fn shutdown(mut self) {
        self.gateway.stop().await;
        self.ingest.stop().await;
        self.timeline.stop().await;
        self.gazetteer.stop().await;
    }
}

/// Every page of an `Events` call (panics on a failed call or page: for tests).
pub async fn event_pages(
    c: &mut GatewayServiceClient<Channel>,
    req: ListEventsRequest,
) -> Vec<ListEventsResponse> {
    let mut s = c.events(req).await.expect("events").into_inner();
    let mut out = Vec::new();
    while let Some(p) = s.next().await {
        out.push(p.expect("page"));
    }
    out
}

/// Every event of an `Events` call, across pages.
pub async fn list_events(
    c: &mut GatewayServiceClient<Channel>,
    req: ListEventsRequest,
) -> Vec<Event> {
    event_pages(c, req)
        .await
        .into_iter()
        .flat_map(|p| p.events)
        .collect()
}

/// Resident memory of this process in MB (Linux `/proc/self/status`; 0 elsewhere): for the
/// benches, which run the whole suite in-process.
pub fn rss_mb() -> f64 {
    let s = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    s.lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse::<f64>().ok())
        .unwrap_or(0.0)
        / 1024.0
}

/// An HTTP answer as a plain client sees it.
#[derive(Debug)]
pub struct HttpAnswer {
    pub status: u16,
    /// Header names lower-cased.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl HttpAnswer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body as JSON (panics if it is not: for tests).
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }
}

/// One HTTP/1.1 request over a fresh connection (`Connection: close`), read to the end: a plain
/// client with nothing between the test and the bytes on the wire.
pub async fn http(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> HttpAnswer {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut s = tokio::net::TcpStream::connect(addr)
        .await
        .expect("connect HTTP");
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nhost: {addr}\r\nconnection: close\r\ncontent-length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes()).await.expect("write request");
    s.write_all(body).await.expect("write body");
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).await.expect("read answer");
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("end of headers");
    let head = String::from_utf8_lossy(&raw[..end]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|c| c.parse().ok())
        .expect("status line");
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let mut body = raw[end + 4..].to_vec();
    if headers
        .iter()
        .any(|(k, v)| k == "transfer-encoding" && v.contains("chunked"))
    {
        body = dechunk(&body);
    }
    HttpAnswer {
        status,
        headers,
        body,
    }
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(i) = b.windows(2).position(|w| w == b"\r\n") {
        let size = usize::from_str_radix(
            String::from_utf8_lossy(&b[..i])
                .split(';')
                .next()
                .unwrap_or("0")
                .trim(),
            16,
        )
        .unwrap_or(0);
        if size == 0 {
            break;
        }
        out.extend_from_slice(&b[i + 2..i + 2 + size]);
        b = &b[i + 2 + size + 2..];
    }
    out
}

/// A throw-away PostgreSQL cluster for one test: `initdb` in a temporary folder, the server on a
/// free loopback port (trust authentication, loopback only), stopped and removed on drop. As
/// root (CI, these machines) the server runs as the `postgres` user, since it refuses root.
pub struct Postgres {
    bin: PathBuf,
    dir: tempfile::TempDir,
    pub port: u16,
    as_postgres: bool,
}

/// Where the PostgreSQL server binaries are: `SITREP_PG_BIN`, the newest
/// `/usr/lib/postgresql/<version>/bin` (Debian's layout), or the `PATH`.
fn postgres_bin() -> Option<PathBuf> {
    if let Some(b) = std::env::var_os("SITREP_PG_BIN") {
        return Some(PathBuf::from(b));
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|d| Some((d.file_name().to_str()?.parse().ok()?, d.path().join("bin"))))
        .filter(|(_, p): &(u32, PathBuf)| p.join("initdb").exists())
        .collect();
    versions.sort();
    if let Some((_, p)) = versions.pop() {
        return Some(p);
    }
    std::env::var_os("PATH").and_then(|path| {
        std::env::split_paths(&path)
            .find(|p| p.join("initdb").exists() && p.join("pg_ctl").exists())
    })
}

impl Postgres {
    /// Start a cluster, or None (saying so on stderr) when the server binaries are absent. A
    /// cluster that fails to start is a failure, not a skip.
    pub fn start(test: &str) -> Option<Postgres> {
        let Some(bin) = postgres_bin() else {
            eprintln!("SKIPPED {test}: the PostgreSQL server binaries (initdb, pg_ctl) are not installed; `apt-get install postgresql` (as .ci/run does) or set SITREP_PG_BIN");
            return None;
        };
        use std::os::unix::fs::MetadataExt;
        let as_postgres = std::fs::metadata("/proc/self")
            .map(|m| m.uid() == 0)
            .unwrap_or(false);
        let dir = tempfile::Builder::new()
            .prefix("sitrep-pg")
            .tempdir()
            .expect("temporary folder");
        if as_postgres {
            let ok = Command::new("chown")
                .arg("-R")
                .arg("postgres:postgres")
                .arg(dir.path())
                .status()
                .expect("chown");
            assert!(ok.success(), "chown the cluster's folder to postgres");
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let pg = Postgres {
            bin,
            dir,
            port,
            as_postgres,
        };
        let data = pg.data();
        pg.run(
            "initdb",
            &[
                "-D",
                &data,
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C",
                "-N",
            ],
        );
        pg.start_server();
        Some(pg)
    }

    fn data(&self) -> String {
        self.dir.path().join("data").display().to_string()
    }

    fn run(&self, tool: &str, args: &[&str]) {
        let exe = self.bin.join(tool);
        let mut cmd = if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&exe);
            c
        } else {
            Command::new(&exe)
        };
        let out = cmd
            .args(args)
            .output()
            .unwrap_or_else(|e| panic!("running {}: {e}", exe.display()));
        assert!(
            out.status.success(),
            "{tool} {args:?} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Start the server on its folder and port (again, after [`Postgres::kill`]).
    pub fn start_server(&self) {
        let data = self.data();
        let log = self.dir.path().join("server.log").display().to_string();
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c max_connections=200",
            self.port,
            self.dir.path().display()
        );
        self.run(
            "pg_ctl",
            &[
                "start", "-w", "-t", "60", "-D", &data, "-l", &log, "-o", &options,
            ],
        );
    }

    /// Stop the server at once, as a crash would (immediate shutdown: no checkpoint, every
    /// connection cut; the next start recovers from the write-ahead log).
    pub fn kill(&self) {
        self.run(
            "pg_ctl",
            &["stop", "-m", "immediate", "-w", "-D", &self.data()],
        );
    }

    /// The URL of the cluster's `postgres` database.
    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    /// Sandbox options that keep ingest and timeline in this cluster.
    pub fn options(&self) -> Options {
        Options {
            store: Some(self.url()),
            ..Default::default()
        }
    }

    /// Bytes the cluster takes on disk (for the benches): (tables and indexes, write-ahead log).
    pub fn disk_bytes(&self) -> (u64, u64) {
        fn walk(p: &Path) -> u64 {
            std::fs::read_dir(p)
                .into_iter()
                .flatten()
                .flatten()
                .map(|e| match e.metadata() {
                    Ok(m) if m.is_dir() => walk(&e.path()),
                    Ok(m) => m.len(),
                    Err(_) => 0,
                })
                .sum()
        }
        let data = self.dir.path().join("data");
        (walk(&data.join("base")), walk(&data.join("pg_wal")))
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let data = self.data();
        let exe = self.bin.join("pg_ctl");
        let mut cmd = if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&exe);
            c
        } else {
            Command::new(&exe)
        };
        // already stopped by a test: nothing to do
        let _ = cmd
            .args(["stop", "-m", "immediate", "-w", "-D", &data])
            .output();
    }
}
