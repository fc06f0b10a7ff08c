//! The web view at scale (issue 20): 10 000 events in the store, then in one run
//! - JSON `events` over HTTP (`/api/v1/events`, pages of 1 000) against gRPC `Events` (the
//!   same pages), both through the gateway: events/s and MB/s of each, and their ratio;
//! - the time to an interactive page (every event loaded, the map and the timeline drawn:
//!   `body[data-state=ready]`) in headless Chromium, when Chromium and Playwright for Python
//!   are installed (`tests/browser/time_to_interactive.py`; skipped otherwise).
//!
//! ```text
//! cargo bench -p sitrep-tests --bench web
//! SITREP_BENCH_EVENTS=50000 cargo bench -p sitrep-tests --bench web
//! ```
//!
//! Synthetic events: 400 places on a grid, 40 actors on four sides, eight kinds, days over
//! 2014–2016 (a tenth to the month). Loopback only; every phase is bounded.

/// The allocator of the service binaries (`services/*/src/main.rs`, `sitrep`): the suite
/// timed here allocates as it does when it serves.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use futures::StreamExt;
use sitrep_proto::v1::timeline_service_client::TimelineServiceClient;
use sitrep_proto::v1::*;
use sitrep_tests::{http, Suite};

const PER_DOCUMENT: usize = 1_000;
const PAGE: u32 = 1_000;
const ROUNDS: usize = 5;

fn event(n: u64, doc: &str, order: u32) -> Event {
    let h = n.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 11;
    let day =
        NaiveDate::from_ymd_opt(2014, 1, 1).unwrap() + chrono::Duration::days((h % 1_000) as i64);
    let month = h.is_multiple_of(10);
    let (earliest, latest, precision) = if month {
        let first = day.with_day0(0).unwrap();
        (first, first + chrono::Duration::days(27), Precision::Month)
    } else {
        (day, day, Precision::Day)
    };
    let kinds = [
        EventKind::Attack,
        EventKind::Clash,
        EventKind::Capture,
        EventKind::Bombardment,
        EventKind::Advance,
        EventKind::Siege,
        EventKind::Withdrawal,
        EventKind::Casualties,
    ];
    let p = (h / 7) % 400;
    let (a, b) = ((h / 13) % 40, (h / 17) % 40);
    let actor = |k: u64, role: ActorRole| ActorRef {
        id: format!("actor_{k}"),
        name: format!("Actor {k}"),
        side: format!("side {}", k % 4),
        role: role as i32,
        ..Default::default()
    };
    Event {
        id: format!("{doc}:{order}:0"),
        document_id: doc.to_string(),
        sentence_index: order,
        order,
        sentence: format!(
            "Actor {a} and Actor {b} fought at Place {p} [{}].",
            order % 30
        ),
        span: format!("Actor {a} and Actor {b} fought"),
        kind: kinds[(h % kinds.len() as u64) as usize] as i32,
        when: Some(When {
            earliest: earliest.to_string(),
            latest: latest.to_string(),
            precision: precision as i32,
            ..Default::default()
        }),
        actors: vec![actor(a, ActorRole::Agent), actor(b, ActorRole::Target)],
        places: vec![PlaceRef {
            mention: format!("Place {p}"),
            name: format!("Place {p}"),
            id: format!("geonames:{}", 800_000 + p),
            lat: Some(32.0 + (p % 20) as f64 * 0.2),
            lon: Some(35.5 + (p / 20) as f64 * 0.2),
            confidence: 0.9,
            ..Default::default()
        }],
        citations: vec![format!("{}", order % 30)],
        fatalities: Some((h % 5) as u32),
        ..Default::default()
    }
}

trait Day0 {
    fn with_day0(self, d: u32) -> Option<NaiveDate>;
}

impl Day0 for NaiveDate {
    fn with_day0(self, d: u32) -> Option<NaiveDate> {
        use chrono::Datelike;
        self.with_day(d + 1)
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let total: usize = std::env::var("SITREP_BENCH_EVENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let dir = tempfile::tempdir().expect("temp dir");
    let suite = Suite::start(dir.path()).await;
    let ch = tonic::transport::Endpoint::from_shared(suite.timeline.url())
        .unwrap()
        .connect()
        .await
        .expect("timeline");
    let mut tl = TimelineServiceClient::new(ch)
        .max_decoding_message_size(64 << 20)
        .max_encoding_message_size(64 << 20);
    let mut recorded = 0usize;
    for d in 0..total.div_ceil(PER_DOCUMENT) {
        let doc = format!("doc-web-{d:05}");
        let n = PER_DOCUMENT.min(total - recorded);
        let events: Vec<Event> = (0..n as u32)
            .map(|o| event((recorded + o as usize) as u64, &doc, o))
            .collect();
        tl.record(RecordRequest {
            document_id: doc,
            events,
            append: false,
        })
        .await
        .expect("record");
        recorded += n;
    }
    // reports of one event from two documents are listed once (the timeline links them)
    let mut gw = suite.client().await;
    let listed = sitrep_tests::list_events(
        &mut gw,
        ListEventsRequest {
            page_size: PAGE,
            ..Default::default()
        },
    )
    .await
    .len();
    println!("store: {recorded} synthetic events ({listed} listed: the others are other documents' reports of them)");

    // JSON over HTTP against gRPC, the same pages through the same gateway, alternating rounds
    let (mut json_rates, mut grpc_rates, mut json_bytes, mut grpc_bytes) =
        (Vec::new(), Vec::new(), 0usize, 0usize);
    let limit = Duration::from_secs(120);
    let begun = Instant::now();
    for _ in 0..ROUNDS {
        if begun.elapsed() > limit {
            break;
        }
        let t = Instant::now();
        let (mut n, mut bytes, mut token) = (0usize, 0usize, String::new());
        loop {
            let path = format!(
                "/api/v1/events?page_size={PAGE}{}",
                if token.is_empty() {
                    String::new()
                } else {
                    format!("&page_token={token}")
                }
            );
            let r = http(suite.http, "GET", &path, &[], b"").await;
            assert_eq!(r.status, 200, "{}", r.text());
            bytes += r.body.len();
            let v = r.json();
            n += v["events"].as_array().map_or(0, |a| a.len());
            token = v["nextPageToken"].as_str().unwrap_or("").to_string();
            if token.is_empty() {
                break;
            }
        }
        assert_eq!(n, listed);
        json_rates.push(n as f64 / t.elapsed().as_secs_f64());
        json_bytes = bytes;

        let t = Instant::now();
        let mut stream = gw
            .events(ListEventsRequest {
                page_size: PAGE,
                ..Default::default()
            })
            .await
            .expect("events")
            .into_inner();
        let (mut n, mut bytes) = (0usize, 0usize);
        while let Some(page) = stream.next().await {
            let page = page.expect("page");
            bytes += sitrep_proto::prost::Message::encoded_len(&page);
            n += page.events.len();
        }
        assert_eq!(n, listed);
        grpc_rates.push(n as f64 / t.elapsed().as_secs_f64());
        grpc_bytes = bytes;
    }
    let (j, g) = (median(json_rates), median(grpc_rates));
    println!("JSON /api/v1/events: {j:.0} events/s ({:.1} MB for {listed} events, pages of {PAGE}, one connection per page)", json_bytes as f64 / 1e6);
    println!(
        "gRPC Events:         {g:.0} events/s ({:.1} MB on the wire before framing, one stream)",
        grpc_bytes as f64 / 1e6
    );
    println!(
        "JSON / gRPC: {:.2}× the rate, {:.1}× the bytes (median of {ROUNDS} alternating rounds)",
        j / g,
        json_bytes as f64 / grpc_bytes.max(1) as f64
    );

    // the page, in headless Chromium, if this machine has it
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/browser/time_to_interactive.py"
    );
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    if std::path::Path::new(&chromium).exists() {
        let url = format!("http://{}/", suite.http);
        let n = listed.to_string();
        let out = tokio::task::spawn_blocking(move || {
            std::process::Command::new("python3")
                .arg(script)
                .arg(&url)
                .arg(n)
                .output()
        })
        .await
        .expect("runner");
        match out {
            Ok(o) if o.status.success() => print!("{}", String::from_utf8_lossy(&o.stdout)),
            Ok(o) => println!(
                "page: not measured ({})",
                String::from_utf8_lossy(&o.stderr)
                    .lines()
                    .last()
                    .unwrap_or("python3 failed")
            ),
            Err(e) => println!("page: not measured (python3: {e})"),
        }
    } else {
        println!("page: not measured (no {chromium})");
    }
    suite.shutdown().await;
}
