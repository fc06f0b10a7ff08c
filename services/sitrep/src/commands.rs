//! The client commands: each talks to the gateway and prints human or JSON output.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{bail, Context, Result};
use futures::StreamExt;
use sitrep_proto::v1::gateway_service_client::GatewayServiceClient;
use sitrep_proto::v1::*;
use std::path::Path;
use std::sync::OnceLock;

use sitrep_server::security::Bearer;
use tonic::service::interceptor::InterceptedService;
use tonic::transport::{Channel, ClientTlsConfig};

use crate::output;

/// The gateway client every command uses: the token, if any, goes with each call.
pub type Client = GatewayServiceClient<InterceptedService<Channel, Bearer>>;

/// How to reach the gateway beyond its URL: a bearer token and a TLS authority.
#[derive(Default)]
struct Access {
    bearer: Bearer,
    tls: Option<ClientTlsConfig>,
}

static ACCESS: OnceLock<Access> = OnceLock::new();

/// Read the token (`file`, else SITREP_TOKEN) and the TLS authority once, for every command.
pub fn set_access(token_file: Option<&Path>, tls_ca: Option<&Path>) -> Result<()> {
    let token = sitrep_server::security::read_token(token_file, "SITREP_TOKEN")?;
    let tls = sitrep_server::security::TlsArgs {
        ca: tls_ca.map(Path::to_path_buf),
        ..Default::default()
    }
    .client()?;
    let _ = ACCESS.set(Access {
        bearer: Bearer::new(token.as_deref())?,
        tls,
    });
    Ok(())
}

pub async fn client(gateway: &str) -> Result<Client> {
    let access = ACCESS.get_or_init(Access::default);
    let mut endpoint = tonic::transport::Endpoint::from_shared(gateway.to_string())
        .with_context(|| format!("bad gateway URL {gateway:?}"))?
        .connect_timeout(Duration::from_secs(3));
    if gateway.starts_with("https://") {
        endpoint = endpoint.tls_config(access.tls.clone().unwrap_or_default())?;
    }
    let channel = endpoint.connect().await.with_context(|| format!("cannot reach the gateway at {gateway} (is `sitrep up` running? set --gateway or SITREP_GATEWAY)"))?;
    Ok(
        GatewayServiceClient::with_interceptor(channel, access.bearer.clone())
            .max_decoding_message_size(256 << 20)
            .max_encoding_message_size(64 << 20),
    )
}

pub fn status(e: tonic::Status) -> anyhow::Error {
    anyhow::anyhow!("{:?}: {}", e.code(), e.message())
}

pub async fn health(gateway: &str) -> Result<()> {
    let mut c = client(gateway).await?;
    let s = c
        .status(GetStatusRequest {})
        .await
        .map_err(status)?
        .into_inner();
    for b in &s.backends {
        outln!("{:<10} {:<28} {}", b.backend, b.address, b.message);
    }
    if !s.serving {
        bail!("not every backend is serving");
    }
    outln!("gateway    {gateway:<28} SERVING");
    Ok(())
}

#[derive(clap::Args)]
pub struct IngestArgs {
    /// Files, folders (their files of a known format, recursively) or `-` (standard input).
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// Format of every input; else each file's extension says (.txt .html .jsonl .csv), and
    /// standard input is text.
    #[arg(long, value_enum)]
    pub format: Option<crate::formats::Format>,
    /// Title of documents that have none of their own (a text file's default: its name).
    #[arg(long)]
    pub title: Option<String>,
    /// Publication date, YYYY-MM-DD, of documents that have none of their own.
    #[arg(long)]
    pub published: Option<String>,
    /// URL of the source of documents that have none of their own.
    #[arg(long)]
    pub source: Option<String>,
    /// CSV column (or JSONL field) of the text [default: text, notes, body or content].
    #[arg(long, alias = "text-field")]
    pub text_column: Option<String>,
    /// CSV column (or JSONL field) of the title [default: title or headline].
    #[arg(long, alias = "title-field")]
    pub title_column: Option<String>,
    /// CSV column (or JSONL field) of the published date [default: published, date or event_date].
    #[arg(long, alias = "date-field")]
    pub date_column: Option<String>,
    /// CSV column (or JSONL field) of the source [default: source, url, source_url or link].
    #[arg(long, alias = "source-field")]
    pub source_column: Option<String>,
    /// Documents in flight at once (sent, not yet answered).
    #[arg(long, default_value_t = 256, value_parser = clap::value_parser!(u32).range(1..=4096))]
    pub concurrency: u32,
    /// Print one JSON line per document: its IngestResponse (with `input`, its name), or
    /// `{"input", "error": {"code", "message"}}`.
    #[arg(long)]
    pub json: bool,
}

/// Largest document the command sends (a gRPC message carries at most 16 MiB by default).
const MAX_SEND_BYTES: usize = 15 << 20;

/// What a bulk ingest came to.
#[derive(Default)]
struct Tally {
    ingested: u64,
    duplicates: u64,
    events: u64,
    failed: Vec<(String, String)>,
}

/// A document refused before it was sent: its name, the gRPC code it stands for, and why.
type LocalFailure = (String, &'static str, String);

pub async fn ingest(gateway: &str, a: IngestArgs) -> Result<()> {
    use crate::formats;
    let files = formats::inputs(&a.inputs, a.format)?;
    if files.is_empty() {
        bail!("no input of a known format (.txt, .html, .jsonl, .csv) in {:?}: name the format with --format", a.inputs);
    }
    let fields = formats::Fields {
        text: a.text_column.clone(),
        title: a.title_column.clone(),
        date: a.date_column.clone(),
        source: a.source_column.clone(),
    };
    let defaults = formats::Defaults {
        title: a.title.clone(),
        published: a.published.clone(),
        source: a.source.clone(),
    };
    let single =
        files.len() == 1 && matches!(files[0].1, formats::Format::Text | formats::Format::Html);
    let progress = progress_bar(&files, single);
    let mut c = client(gateway).await?;
    let window = a.concurrency as usize;
    // documents are read on a thread of their own, as fast as they are answered
    let (items_tx, items) = tokio::sync::mpsc::channel::<formats::Item>(window);
    let reader = std::thread::spawn(move || {
        formats::read(&files, &fields, &defaults, &mut |item| {
            items_tx.blocking_send(item).is_ok()
        })
    });
    let (requests_tx, requests) = tokio::sync::mpsc::channel::<IngestStreamRequest>(window);
    let slots = std::sync::Arc::new(tokio::sync::Semaphore::new(window));
    let (failed_tx, mut local_failures) = tokio::sync::mpsc::unbounded_channel::<LocalFailure>();
    let sender = spawn_sender(items, requests_tx, slots.clone(), failed_tx);
    let mut receipts = Receipts {
        tally: Tally::default(),
        answered: 0,
        broken: None,
        local_failed: 0,
        json: a.json,
        single,
    };
    receipts
        .receive(&mut c, requests, &mut local_failures, &slots, &progress)
        .await?;
    let sent = sender.await.unwrap_or(0);
    while let Ok(failure) = local_failures.try_recv() {
        receipts.local_failure(failure);
    }
    let read = reader
        .join()
        .map_err(|_| anyhow::anyhow!("the reading thread failed"))?;
    progress.finish_and_clear();
    let Receipts {
        tally,
        answered,
        broken,
        local_failed,
        ..
    } = receipts;
    let unanswered = sent.saturating_sub(answered);
    if single && tally.failed.is_empty() && broken.is_none() && unanswered == 0 {
        return read;
    }
    tally.print(unanswered, a.json);
    read?;
    if let Some(e) = broken {
        return Err(e.context("the ingest stream ended early"));
    }
    if !tally.failed.is_empty() || unanswered > 0 {
        bail!(
            "{} of {} documents failed",
            tally.failed.len() as u64 + unanswered,
            local_failed + answered.max(sent)
        );
    }
    Ok(())
}

/// The progress bar of a bulk ingest on a terminal (hidden otherwise, and for one text or HTML
/// document).
fn progress_bar(
    files: &[(PathBuf, crate::formats::Format)],
    single: bool,
) -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    if std::io::stderr().is_terminal() && !single {
        let bar = match crate::formats::count(files) {
            Some(n) => indicatif::ProgressBar::new(n),
            None => indicatif::ProgressBar::no_length(),
        };
        let style = indicatif::ProgressStyle::with_template(
            "{bar:30} {pos}/{len} documents · {msg} · {rate} · ETA {eta}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
        .with_key(
            "rate",
            |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = write!(w, "{:.0} documents/s", state.per_sec());
            },
        );
        bar.set_style(style);
        bar
    } else {
        indicatif::ProgressBar::hidden()
    }
}

/// Send the documents read (`items`) as stream requests, each once a slot of the window is
/// free; one refused before sending (unreadable, too large) goes to `failed_tx` instead. The task
/// answers how many were sent.
fn spawn_sender(
    mut items: tokio::sync::mpsc::Receiver<crate::formats::Item>,
    requests_tx: tokio::sync::mpsc::Sender<IngestStreamRequest>,
    slots: std::sync::Arc<tokio::sync::Semaphore>,
    failed_tx: tokio::sync::mpsc::UnboundedSender<LocalFailure>,
) -> tokio::task::JoinHandle<u64> {
    tokio::spawn(async move {
        let mut sent = 0u64;
        while let Some(item) = items.recv().await {
            let doc = match item.doc {
                Ok(d) if d.text.len() > MAX_SEND_BYTES => {
                    Err(("RESOURCE_EXHAUSTED", format!("{}: the text is {} bytes; at most {MAX_SEND_BYTES} are sent per document: split it", item.name, d.text.len())))
                }
                Ok(d) => Ok(d),
                Err(reason) => Err(("INVALID_ARGUMENT", reason)),
            };
            match doc {
                Err((code, reason)) => {
                    let _ = failed_tx.send((item.name, code, reason));
                }
                Ok(d) => {
                    let Ok(permit) = slots.acquire().await else {
                        break;
                    };
                    permit.forget();
                    let document = IngestRequest {
                        text: d.text,
                        title: d.title,
                        published: d.published,
                        source_url: d.source,
                    };
                    if requests_tx
                        .send(IngestStreamRequest {
                            document: Some(document),
                            tag: item.name,
                            raw_text: Vec::new(),
                        })
                        .await
                        .is_err()
                    {
                        break;
                    }
                    sent += 1;
                }
            }
        }
        sent
    })
}

/// A bulk ingest's answers as they come, and how to print them.
struct Receipts {
    tally: Tally,
    /// Documents the stream answered.
    answered: u64,
    /// Why the stream ended early, if it did.
    broken: Option<anyhow::Error>,
    /// Documents refused before sending.
    local_failed: u64,
    /// One JSON line per document (`--json`).
    json: bool,
    /// One text or HTML document: its figures are printed.
    single: bool,
}

impl Receipts {
    /// Open the stream on `requests` and take its answers, and the documents refused before
    /// sending, until it ends (or breaks).
    async fn receive(
        &mut self,
        c: &mut Client,
        requests: tokio::sync::mpsc::Receiver<IngestStreamRequest>,
        local_failures: &mut tokio::sync::mpsc::UnboundedReceiver<LocalFailure>,
        slots: &tokio::sync::Semaphore,
        progress: &indicatif::ProgressBar,
    ) -> Result<()> {
        match c
            .ingest_stream(tokio_stream::wrappers::ReceiverStream::new(requests))
            .await
        {
            Err(e) => self.broken = Some(status(e)),
            Ok(answers) => {
                let mut answers = answers.into_inner();
                loop {
                    tokio::select! {
                        Some(failure) = local_failures.recv() => {
                            self.local_failure(failure);
                            progress.inc(1);
                        }
                        answer = answers.next() => match answer {
                            None => break,
                            Some(Err(e)) => { self.broken = Some(status(e)); break; }
                            Some(Ok(r)) => {
                                slots.add_permits(1);
                                self.answered += 1;
                                progress.inc(1);
                                self.answer(r)?;
                                progress.set_message(format!("{} events, {} failed", self.tally.events, self.tally.failed.len()));
                            }
                        },
                    }
                }
            }
        }
        Ok(())
    }

    /// One answer of the stream: counted, and printed as asked.
    fn answer(&mut self, r: IngestStreamResponse) -> Result<()> {
        let tally = &mut self.tally;
        match r.outcome {
            Some(ingest_stream_response::Outcome::Result(res)) => {
                if res.duplicate {
                    tally.duplicates += 1
                } else {
                    tally.ingested += 1;
                    tally.events += res.event_count as u64
                }
                if self.json {
                    let mut v = serde_json::to_value(&res)?;
                    if let Some(o) = v.as_object_mut() {
                        o.insert("input".into(), r.tag.clone().into());
                    }
                    outln!("{v}");
                } else if self.single {
                    outln!(
                        "document {}: {} events from {} sentences{}",
                        res.document_id,
                        res.event_count,
                        res.sentence_count,
                        if res.duplicate {
                            " (duplicate: already ingested)"
                        } else {
                            ""
                        }
                    );
                    outln!(
                        "places: {} ({} provisional)",
                        res.place_count,
                        res.provisional_place_count
                    );
                }
            }
            Some(ingest_stream_response::Outcome::Error(e)) => {
                if self.json {
                    outln!(
                        "{}",
                        serde_json::json!({ "input": r.tag, "error": { "code": e.code, "message": e.message } })
                    );
                }
                tally
                    .failed
                    .push((r.tag, format!("{}: {}", e.code, e.message)));
            }
            None => tally
                .failed
                .push((r.tag, "no outcome in the answer".into())),
        }
        Ok(())
    }

    /// A document refused before it was sent: counted, and printed as JSON when asked.
    fn local_failure(&mut self, (name, code, reason): LocalFailure) {
        self.local_failed += 1;
        if self.json {
            outln!(
                "{}",
                serde_json::json!({ "input": name, "error": { "code": code, "message": reason } })
            );
        }
        self.tally.failed.push((name, reason));
    }
}

impl Tally {
    /// Print what a bulk ingest came to (on standard error with `--json`), then each failure on
    /// standard error.
    fn print(&self, unanswered: u64, json: bool) {
        let summary = format!(
            "{} ingested ({} events), {} duplicates, {} failed{}",
            self.ingested,
            self.events,
            self.duplicates,
            self.failed.len() as u64 + unanswered,
            if unanswered > 0 {
                format!(" ({unanswered} sent but not answered)")
            } else {
                String::new()
            }
        );
        if json {
            eprintln!("{summary}");
        } else {
            outln!("{summary}");
        }
        for (name, reason) in &self.failed {
            // a reason read locally names its document already
            if reason.starts_with(name.as_str()) {
                eprintln!("  {reason}");
            } else {
                eprintln!("  {name}: {reason}");
            }
        }
    }
}

/// The filters events and exports share.
#[derive(clap::Args)]
pub struct Filter {
    #[arg(long)]
    pub document: Option<String>,
    /// From this day (YYYY-MM-DD), inclusive.
    #[arg(long)]
    pub from: Option<String>,
    /// To this day (YYYY-MM-DD), inclusive.
    #[arg(long)]
    pub to: Option<String>,
    /// Place name or id.
    #[arg(long)]
    pub place: Option<String>,
    /// Actor name or id.
    #[arg(long)]
    pub actor: Option<String>,
    /// Event kind (CAPTURE, ATTACK, ...).
    #[arg(long)]
    pub kind: Option<String>,
}

impl Filter {
    /// The filters as a timeline query (page size and token left to the caller).
    pub fn query(self, limit: u32) -> Result<ListEventsRequest> {
        let kind = self
            .kind
            .as_deref()
            .map(parse_kind)
            .transpose()?
            .unwrap_or(0);
        Ok(ListEventsRequest {
            from: self.from.unwrap_or_default(),
            to: self.to.unwrap_or_default(),
            place: self.place.unwrap_or_default(),
            actor: self.actor.unwrap_or_default(),
            kind,
            document_id: self.document.unwrap_or_default(),
            limit,
            ..Default::default()
        })
    }
}

#[derive(clap::Args)]
pub struct EventsArgs {
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub filter: Filter,
    /// At most this many events.
    #[arg(long, default_value_t = 0)]
    pub limit: u32,
    /// Also list other documents' reports of an event already listed.
    #[arg(long)]
    pub duplicates: bool,
}

pub fn parse_kind(s: &str) -> Result<i32> {
    let name = s.to_uppercase();
    let name = if name.starts_with("EVENT_KIND_") {
        name
    } else {
        format!("EVENT_KIND_{name}")
    };
    EventKind::from_str_name(&name)
        .map(|k| k as i32)
        .with_context(|| format!("unknown event kind {s:?}"))
}

pub async fn fetch_events(c: &mut Client, req: ListEventsRequest) -> Result<Vec<Event>> {
    let mut stream = c.events(req).await.map_err(status)?.into_inner();
    let mut out = Vec::new();
    while let Some(page) = stream.next().await {
        out.extend(page.map_err(status)?.events);
    }
    Ok(out)
}

pub async fn events(gateway: &str, a: EventsArgs) -> Result<()> {
    let mut c = client(gateway).await?;
    let mut req = a.filter.query(a.limit)?;
    req.include_duplicates = a.duplicates;
    let events = fetch_events(&mut c, req).await?;
    for e in &events {
        if a.json {
            outln!("{}", serde_json::to_string(e)?);
        } else {
            outln!("{}", output::event_line(e));
        }
    }
    if !a.json {
        eprintln!("{} events", events.len());
    }
    Ok(())
}

#[derive(clap::Args)]
pub struct ControlArgs {
    /// Place name or id.
    pub place: String,
    /// The day, YYYY-MM-DD.
    #[arg(long)]
    pub at: String,
    #[arg(long)]
    pub json: bool,
}

pub async fn control(gateway: &str, a: ControlArgs) -> Result<()> {
    let mut c = client(gateway).await?;
    let r = c
        .control(GetControlRequest {
            place: a.place.clone(),
            date: a.at.clone(),
        })
        .await
        .map_err(status)?
        .into_inner();
    if a.json {
        outln!("{}", serde_json::to_string(&r)?);
        return Ok(());
    }
    let place = r.place.as_ref().map_or(a.place.clone(), |p| p.name.clone());
    if r.controller.is_empty() {
        outln!("{place} on {}: no control known", a.at);
    } else {
        outln!(
            "{place} on {}: held by {} ({}) since {}{}{} — confidence {:.2}",
            a.at,
            r.controller,
            if r.coalition.is_empty() {
                r.side.clone()
            } else {
                r.coalition.join(", ")
            },
            r.since,
            if r.claimed { ", claimed" } else { "" },
            if r.contested { ", contested" } else { "" },
            r.confidence
        );
    }
    output::failures(&r.failures);
    Ok(())
}

#[derive(clap::Subcommand)]
pub enum PlacesCommand {
    /// Search places by name (folded spellings, fuzzy).
    Search {
        name: String,
        #[arg(long)]
        json: bool,
        #[arg(long, default_value_t = 10)]
        limit: u32,
        /// ISO country code filter.
        #[arg(long)]
        country: Option<String>,
        /// Bounding box filter: MIN_LAT,MIN_LON,MAX_LAT,MAX_LON.
        #[arg(long, value_delimiter = ',', allow_negative_numbers = true)]
        bbox: Option<Vec<f64>>,
    },
    /// Import a GeoNames file (geoname rows or alternateNamesV2; plain or zip) into the gazetteer.
    Import { file: PathBuf },
    /// Merge a provisional place (prov:…) into a gazetteer place; its events follow.
    Merge {
        /// The provisional place id.
        from: String,
        /// The gazetteer place id it is (geonames:…).
        into: String,
    },
}

/// `--bbox MIN_LAT,MIN_LON,MAX_LAT,MAX_LON` as a box (the server checks the ranges).
fn parse_bbox(v: Option<&[f64]>) -> Result<Option<BoundingBox>> {
    match v {
        None => Ok(None),
        Some([a, b, c, d]) => Ok(Some(BoundingBox {
            min_lat: *a,
            min_lon: *b,
            max_lat: *c,
            max_lon: *d,
        })),
        Some(_) => bail!("--bbox takes four numbers: MIN_LAT,MIN_LON,MAX_LAT,MAX_LON"),
    }
}

pub async fn places(gateway: &str, cmd: PlacesCommand) -> Result<()> {
    let (name, json, limit, country, bbox) = match cmd {
        PlacesCommand::Search {
            name,
            json,
            limit,
            country,
            bbox,
        } => (name, json, limit, country, bbox),
        PlacesCommand::Import { file } => return crate::import::run(gateway, &file).await,
        PlacesCommand::Merge { from, into } => {
            let r = client(gateway)
                .await?
                .merge_place(MergePlaceRequest {
                    from_id: from.clone(),
                    into_id: into,
                })
                .await
                .map_err(status)?
                .into_inner();
            let p = r.place.unwrap_or_default();
            outln!(
                "{from} merged into {} {} ({} events now name it)",
                p.id,
                p.name,
                r.events_updated
            );
            return Ok(());
        }
    };
    let bbox = parse_bbox(bbox.as_deref())?;
    let mut c = client(gateway).await?;
    let r = c
        .search_places(SearchPlacesRequest {
            query: name,
            limit,
            country_code: country.unwrap_or_default(),
            bbox,
        })
        .await
        .map_err(status)?
        .into_inner();
    for cand in &r.candidates {
        let p = cand.place.clone().unwrap_or_default();
        if json {
            outln!(
                "{}",
                serde_json::json!({"id": p.id, "name": p.name, "lat": p.lat, "lon": p.lon, "score": cand.score, "country": p.country_code, "feature": format!("{}.{}", p.feature_class, p.feature_code), "explanation": cand.explanation})
            );
        } else {
            outln!(
                "{:<18} {:<32} {:>9.4} {:>9.4} {:>2} {}.{:<5} score {:.2}",
                p.id,
                p.name,
                p.lat,
                p.lon,
                p.country_code,
                p.feature_class,
                p.feature_code,
                cand.score
            );
        }
    }
    Ok(())
}

#[derive(clap::Args)]
pub struct DossierArgs {
    pub place: String,
    #[arg(long)]
    pub json: bool,
    /// Radius for nearby places, km.
    #[arg(long, default_value_t = 10.0)]
    pub radius: f64,
}

pub async fn dossier(gateway: &str, a: DossierArgs) -> Result<()> {
    let mut c = client(gateway).await?;
    let r = c
        .place_dossier(GetPlaceDossierRequest {
            place: a.place,
            nearby_radius_km: a.radius,
            max_events: 0,
        })
        .await
        .map_err(status)?
        .into_inner();
    if a.json {
        outln!("{}", serde_json::to_string(&r)?);
        return Ok(());
    }
    out!("{}", output::dossier(&r));
    output::failures(&r.failures);
    Ok(())
}

#[derive(clap::Args)]
pub struct ActorArgs {
    /// Actor id (syrian_army) or name.
    pub actor: String,
    /// From this day (YYYY-MM-DD), inclusive.
    #[arg(long)]
    pub from: Option<String>,
    /// To this day (YYYY-MM-DD), inclusive.
    #[arg(long)]
    pub to: Option<String>,
    #[arg(long)]
    pub json: bool,
}

pub async fn actor(gateway: &str, a: ActorArgs) -> Result<()> {
    let mut c = client(gateway).await?;
    let r = c
        .actor_profile(GetActorProfileRequest {
            actor: a.actor,
            from: a.from.unwrap_or_default(),
            to: a.to.unwrap_or_default(),
        })
        .await
        .map_err(status)?
        .into_inner();
    if a.json {
        outln!("{}", serde_json::to_string(&r)?);
        return Ok(());
    }
    out!("{}", output::profile(&r));
    output::failures(&r.failures);
    Ok(())
}

#[derive(clap::Args)]
pub struct SummaryArgs {
    /// A place (name or id): its events and those within --radius km.
    #[arg(long)]
    pub region: Option<String>,
    #[arg(long, default_value_t = 10.0)]
    pub radius: f64,
    /// Or a box: MIN_LAT,MIN_LON,MAX_LAT,MAX_LON.
    #[arg(long, value_delimiter = ',', allow_negative_numbers = true)]
    pub bbox: Option<Vec<f64>>,
    #[arg(long)]
    pub from: Option<String>,
    #[arg(long)]
    pub to: Option<String>,
    #[arg(long)]
    pub json: bool,
}

pub async fn summary(gateway: &str, a: SummaryArgs) -> Result<()> {
    let bbox = parse_bbox(a.bbox.as_deref())?;
    let mut c = client(gateway).await?;
    let req = GetSummaryRequest {
        region: a.region.unwrap_or_default(),
        radius_km: a.radius,
        bbox,
        from: a.from.unwrap_or_default(),
        to: a.to.unwrap_or_default(),
    };
    let r = c.summary(req).await.map_err(status)?.into_inner();
    if a.json {
        outln!("{}", serde_json::to_string(&r)?);
        return Ok(());
    }
    out!("{}", output::summary(&r));
    output::failures(&r.failures);
    Ok(())
}

#[derive(clap::Args)]
pub struct ReportArgs {
    pub document: String,
    #[arg(long)]
    pub json: bool,
}

pub async fn report(gateway: &str, a: ReportArgs) -> Result<()> {
    let mut c = client(gateway).await?;
    let r = c
        .document_report(GetDocumentReportRequest {
            document_id: a.document,
        })
        .await
        .map_err(status)?
        .into_inner();
    if a.json {
        outln!("{}", serde_json::to_string(&r)?);
        return Ok(());
    }
    if let Some(d) = &r.document {
        outln!(
            "{} — {} ({} events, ingested {})",
            d.id,
            d.title,
            d.event_count,
            d.ingested_at
        );
    }
    for e in &r.events {
        outln!("{}", output::event_line(e));
    }
    for d in &r.diagnostics {
        outln!("note: {d}");
    }
    output::failures(&r.failures);
    Ok(())
}

#[derive(clap::Args)]
pub struct TimexArgs {
    pub file: PathBuf,
    #[arg(long, default_value = "")]
    pub title: String,
    /// Publication date, YYYY-MM-DD.
    #[arg(long)]
    pub published: Option<String>,
    #[arg(long)]
    pub json: bool,
}

pub fn timex(a: TimexArgs) -> Result<()> {
    let text = std::fs::read_to_string(&a.file)
        .with_context(|| format!("reading {}", a.file.display()))?;
    let published = a.published.as_deref().map(chrono_date).transpose()?;
    for t in sitrep_extract::timex::scan_document(&text, &a.title, published) {
        if a.json {
            let mut o = serde_json::json!({"start": t.start, "end": t.end, "text": t.text, "value": t.value});
            if let Some(m) = t.modifier {
                o["mod"] = serde_json::Value::from(m);
            }
            outln!("{o}");
        } else {
            outln!(
                "{:>7}-{:<7} {:<30} {:<12} {}",
                t.start,
                t.end,
                t.text,
                t.value,
                t.modifier.unwrap_or_default()
            );
        }
    }
    Ok(())
}

fn chrono_date(s: &str) -> Result<sitrep_extract::timex::Date> {
    sitrep_extract::timex::Date::parse_from_str(s, "%Y-%m-%d")
        .with_context(|| format!("--published must be YYYY-MM-DD, got {s:?}"))
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Format {
    /// ACLED's CSV layout, header row first.
    Acled,
    /// RFC 7946 FeatureCollection of the located events.
    Geojson,
    /// TimelineJS 3 JSON.
    Timelinejs,
    /// RFC 7946 FeatureCollection of a place's control intervals (needs --place).
    ControlGeojson,
}

#[derive(clap::Args)]
pub struct ExportArgs {
    #[arg(long, value_enum)]
    pub format: Format,
    #[command(flatten)]
    pub filter: Filter,
    /// Write to this file instead of standard output.
    #[arg(long)]
    pub output: Option<PathBuf>,
}

pub async fn export(gateway: &str, a: ExportArgs) -> Result<()> {
    let mut c = client(gateway).await?;
    let format = match a.format {
        Format::Acled => ExportFormat::AcledCsv,
        Format::Geojson => ExportFormat::Geojson,
        Format::Timelinejs => ExportFormat::Timelinejs,
        Format::ControlGeojson => ExportFormat::ControlGeojson,
    };
    let q = a.filter.query(0)?;
    let req = ExportRequest {
        format: format as i32,
        document_id: q.document_id,
        from: q.from,
        to: q.to,
        place: q.place,
        actor: q.actor,
        kind: q.kind,
    };
    let mut stream = c.export(req).await.map_err(status)?.into_inner();
    let mut out: Box<dyn std::io::Write> = match &a.output {
        Some(p) => {
            Box::new(std::fs::File::create(p).with_context(|| format!("creating {}", p.display()))?)
        }
        None => Box::new(std::io::stdout().lock()),
    };
    while let Some(piece) = stream.next().await {
        out.write_all(&piece.map_err(status)?.data)?;
    }
    out.flush()?;
    Ok(())
}
