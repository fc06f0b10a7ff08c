//! `sitrep up`: the four services in one process, each on its own loopback port with its own sled
//! under the data folder, talking over real gRPC; then the sample, and its timeline.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, Result};
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

/// The sample narrative ingested unless `--no-sample`.
const SAMPLE: &str = include_str!("../data/qalamoun-2015.txt");
const SAMPLE_TITLE: &str = "Qalamoun offensive (May–June 2015)";
/// Where the web page is served unless `--http-addr` says otherwise.
const DEFAULT_HTTP: &str = "127.0.0.1:8080";

#[derive(clap::Args)]
pub struct UpArgs {
    /// Folder for the services' databases.
    #[arg(long, default_value = "data")]
    pub data: PathBuf,
    /// Keep the documents and the timeline in this database instead of sled folders under
    /// `--data`: `postgres://user[:password]@host:port/database` (PostgreSQL, CockroachDB,
    /// YugabyteDB). The gazetteer keeps its folder.
    #[arg(long, env = "SITREP_STORE")]
    pub store: Option<String>,
    /// Address of the gateway.
    #[arg(long = "gateway-addr", default_value = "127.0.0.1:50051")]
    pub gateway_addr: SocketAddr,
    /// Address of the web page and the JSON API [default: 127.0.0.1:8080, or any free loopback
    /// port when 8080 is taken]; port 0: any free port.
    #[arg(long = "http-addr")]
    pub http_addr: Option<SocketAddr>,
    /// Open the web page in the default browser once the suite serves.
    #[arg(long)]
    pub open: bool,
    /// Do not ingest the sample narrative.
    #[arg(long)]
    pub no_sample: bool,
    /// GeoNames files to load into the gazetteer (plain or zip); repeatable.
    #[arg(long = "geonames")]
    pub geonames: Vec<PathBuf>,
    /// Which bundled places the gazetteer loads: the world (GeoNames' cities500 and the world's
    /// divisions, indexed once at first start into the data folder), a two-country sample (tests),
    /// or none.
    #[arg(long, value_enum, default_value_t)]
    pub bundled: sitrep_gazetteer::Bundled,
    /// Do not load the bundled places (as `--bundled none`).
    #[arg(long)]
    pub no_bundled: bool,
    /// Extra actor registry files (JSON).
    #[arg(long = "actors")]
    pub actors: Vec<PathBuf>,
    /// Extra predicate dictionary files (JSON).
    #[arg(long = "predicates")]
    pub predicates: Vec<PathBuf>,
    /// Word files extending the built-in place and date vocabularies (JSON: `places`, `timex`).
    #[arg(long = "words")]
    pub words: Vec<PathBuf>,
}

async fn loopback() -> Result<(TcpListener, String)> {
    let l = TcpListener::bind("127.0.0.1:0")
        .await
        .context("binding a loopback port")?;
    let url = format!("http://{}", l.local_addr()?);
    Ok((l, url))
}

/// The suite's listeners, bound before anything starts, and the URLs the banner prints.
struct Listeners {
    gateway: TcpListener,
    http: TcpListener,
    ingest: TcpListener,
    gazetteer: TcpListener,
    timeline: TcpListener,
    urls: Urls,
}

impl Listeners {
    /// The gateway's and the web page's addresses as asked, the backends' on loopback.
    async fn bind(a: &UpArgs) -> Result<Listeners> {
        let gateway = TcpListener::bind(a.gateway_addr)
            .await
            .with_context(|| format!("binding the gateway to {}", a.gateway_addr))?;
        let gateway_url = format!("http://{}", gateway.local_addr()?);
        let http = match a.http_addr {
            Some(addr) => TcpListener::bind(addr)
                .await
                .with_context(|| format!("binding the web page to {addr} (--http-addr)"))?,
            // the default port may be another program's: the banner says where the page went
            None => match TcpListener::bind(DEFAULT_HTTP).await {
                Ok(l) => l,
                Err(_) => TcpListener::bind("127.0.0.1:0")
                    .await
                    .context("binding the web page to a loopback port")?,
            },
        };
        let web_url = format!("http://{}/", http.local_addr()?);
        // backends only on loopback
        let (ingest, ingest_url) = loopback().await?;
        let (gazetteer, gazetteer_url) = loopback().await?;
        let (timeline, timeline_url) = loopback().await?;
        Ok(Listeners {
            gateway,
            http,
            ingest,
            gazetteer,
            timeline,
            urls: Urls {
                web: web_url,
                gateway: gateway_url,
                ingest: ingest_url,
                gazetteer: gazetteer_url,
                timeline: timeline_url,
            },
        })
    }
}

/// The four services' configurations.
struct Configs {
    gazetteer: sitrep_gazetteer::Config,
    timeline: sitrep_timeline::Config,
    ingest: sitrep_ingest::Config,
    gateway: sitrep_gateway::Config,
}

impl Configs {
    /// Each service's configuration from the arguments and its listener, checked.
    fn of(a: &UpArgs, l: &Listeners) -> Result<Configs> {
        let mut gaz =
            sitrep_gazetteer::Config::new(a.data.join("gazetteer"), l.gazetteer.local_addr()?);
        gaz.geonames = a.geonames.clone();
        gaz.no_bundled = a.no_bundled;
        gaz.bundled = a.bundled;
        gaz.words = a.words.clone();
        gaz.validate()?;
        if let Some(s) = a.store.as_deref().filter(|s| !sitrep_store::pg::is_url(s)) {
            anyhow::bail!(
                "--store must be a postgres:// URL (sled folders go under --data), got {s:?}"
            );
        }
        let mut tl =
            sitrep_timeline::Config::new(a.data.join("timeline"), l.timeline.local_addr()?);
        tl.store = a.store.clone();
        let mut ing = sitrep_ingest::Config::new(
            a.data.join("ingest"),
            l.ingest.local_addr()?,
            l.urls.gazetteer.clone(),
            l.urls.timeline.clone(),
        );
        ing.actors = a.actors.clone();
        ing.predicates = a.predicates.clone();
        ing.words = a.words.clone();
        ing.store = a.store.clone();
        ing.validate()?;
        let gw = sitrep_gateway::Config::new(
            l.gateway.local_addr()?,
            l.urls.ingest.clone(),
            l.urls.gazetteer.clone(),
            l.urls.timeline.clone(),
        );
        Ok(Configs {
            gazetteer: gaz,
            timeline: tl,
            ingest: ing,
            gateway: gw,
        })
    }
}

/// The URLs of the running suite, for the banner and the sample.
struct Urls {
    web: String,
    gateway: String,
    ingest: String,
    gazetteer: String,
    timeline: String,
}

/// The running services' tasks: each answers its service's name, and how it stopped.
type Services = tokio::task::JoinSet<(&'static str, std::result::Result<(), String>)>;

pub async fn run(a: UpArgs) -> Result<()> {
    std::fs::create_dir_all(&a.data).with_context(|| format!("creating {}", a.data.display()))?;
    let listeners = Listeners::bind(&a).await?;
    let configs = Configs::of(&a, &listeners)?;
    // one cancellation for all four; each service flushes its database when it fires
    let stop = CancellationToken::new();
    let (mut tasks, urls) = spawn(configs, listeners, &stop);
    banner(&a, &urls);
    let sample = show_sample(&a, &urls.gateway, &urls.web);
    tokio::select! {
        r = sample => {
            if let Err(e) = r {
                eprintln!("sitrep up: {e:#}");
            }
            outln!("serving; Ctrl-C to stop");
            tokio::select! {
                _ = sitrep_server::shutdown_signal() => {}
                Some(done) = tasks.join_next() => {
                    if let Ok((name, Err(e))) = done {
                        eprintln!("sitrep up: the {name} service stopped: {e}");
                    }
                }
            }
        }
        _ = sitrep_server::shutdown_signal() => {}
    }
    stop.cancel();
    while let Some(done) = tasks.join_next().await {
        if let Ok((name, Err(e))) = done {
            eprintln!("sitrep up: {name}: {e}");
        }
    }
    Ok(())
}

/// Start the four services, each serving on its listener until `stop` fires; the listeners'
/// URLs are handed back.
fn spawn(c: Configs, l: Listeners, stop: &CancellationToken) -> (Services, Urls) {
    let mut tasks = tokio::task::JoinSet::new();
    let (gaz, gaz_l) = (c.gazetteer, l.gazetteer);
    let s = stop.clone();
    tasks.spawn(async move {
        (
            "gazetteer",
            sitrep_gazetteer::serve(gaz, gaz_l, s.cancelled_owned())
                .await
                .map_err(|e| e.to_string()),
        )
    });
    let (tl, tl_l) = (c.timeline, l.timeline);
    let s = stop.clone();
    tasks.spawn(async move {
        (
            "timeline",
            sitrep_timeline::serve(tl, tl_l, s.cancelled_owned())
                .await
                .map_err(|e| e.to_string()),
        )
    });
    let (ing, ingest_l) = (c.ingest, l.ingest);
    let s = stop.clone();
    tasks.spawn(async move {
        (
            "ingest",
            sitrep_ingest::serve(ing, ingest_l, s.cancelled_owned())
                .await
                .map_err(|e| e.to_string()),
        )
    });
    let (gw, gateway_listener, http_listener) = (c.gateway, l.gateway, l.http);
    let s = stop.clone();
    tasks.spawn(async move {
        (
            "gateway",
            sitrep_gateway::serve_with_http(
                gw,
                gateway_listener,
                Some(http_listener),
                s.cancelled_owned(),
            )
            .await
            .map_err(|e| e.to_string()),
        )
    });
    (tasks, l.urls)
}

/// Say where the suite keeps its data and where each part listens.
fn banner(a: &UpArgs, urls: &Urls) {
    let Urls {
        web: web_url,
        gateway: gateway_url,
        ingest: ingest_url,
        gazetteer: gaz_url,
        timeline: tl_url,
    } = urls;
    match &a.store {
        Some(url) => outln!(
            "sitrep is up (documents and timeline in {}, places in {}):",
            redact(url),
            a.data.display()
        ),
        None => outln!("sitrep is up (data in {}):", a.data.display()),
    }
    outln!("  web        {web_url}  (the map, the timeline and the JSON API under /api/v1/)");
    outln!("  gateway    {gateway_url}");
    outln!("  ingest     {ingest_url}");
    outln!("  gazetteer  {gaz_url}");
    outln!("  timeline   {tl_url}");
}

/// Once the suite serves: ingest the sample and print its timeline (unless `--no-sample`), and
/// open the web page (with `--open`).
async fn show_sample(a: &UpArgs, gateway_url: &str, web_url: &str) -> Result<()> {
    if a.no_sample {
        if a.open {
            wait_healthy(gateway_url).await?;
            open_browser(web_url);
        }
        return Ok(());
    }
    wait_healthy(gateway_url).await?;
    let mut c = crate::commands::client(gateway_url).await?;
    let r = c
        .ingest(sitrep_proto::v1::IngestDocumentRequest {
            text: SAMPLE.to_string(),
            title: SAMPLE_TITLE.to_string(),
            ..Default::default()
        })
        .await
        .map_err(|s| anyhow::anyhow!("ingesting the sample: {}", s.message()))?
        .into_inner()
        .result
        .unwrap_or_default();
    outln!(
        "\nsample: {SAMPLE_TITLE:?} → document {} ({} events{})\n",
        r.document_id,
        r.event_count,
        if r.duplicate {
            ", already ingested"
        } else {
            ""
        }
    );
    let events = crate::commands::fetch_events(
        &mut c,
        sitrep_proto::v1::ListEventsRequest {
            document_id: r.document_id,
            ..Default::default()
        },
    )
    .await?;
    for e in &events {
        outln!("{}", crate::output::event_line(e));
    }
    if a.open {
        open_browser(web_url);
    }
    outln!("\nopen {web_url} to see it on a map and a timeline");
    outln!("try: sitrep events --place Zabadani · sitrep control \"Tallat Mussa\" --at 2015-05-14 · sitrep dossier Arsal");
    Ok(())
}

/// Open `url` in the desktop's browser, if there is one (best effort: the URL is in the banner).
fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if let Err(e) = std::process::Command::new(opener)
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
    {
        eprintln!("sitrep up: could not open a browser ({opener}: {e}); open {url}");
    }
}

/// A database URL without its password, to print.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let user = &url[s + 3..at];
            let user = user.split(':').next().unwrap_or("");
            format!("{}{user}{}", &url[..s + 3], &url[at..])
        }
        _ => url.to_string(),
    }
}

/// Wait until the gateway and every backend serve (the gazetteer serves once its data is loaded).
pub async fn wait_healthy(gateway: &str) -> Result<()> {
    for _ in 0..600 {
        if let Ok(mut c) = crate::commands::client(gateway).await {
            if let Ok(s) = c.status(sitrep_proto::v1::GetStatusRequest {}).await {
                if s.into_inner().serving {
                    return Ok(());
                }
            }
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    anyhow::bail!("the suite did not become healthy in 120 s")
}
