//! The timeline at scale (issues 5 and 22): a million synthetic events recorded over gRPC with
//! durable acknowledgement, then (place × one month) queries straight to the timeline and the
//! same queries through the gateway; on sled and on a PostgreSQL cluster started for the run (in
//! one run), and on the database also with two timeline replicas writing and answering at once.
//!
//!     cargo bench -p sitrep-tests --bench timeline_scale
//!     SITREP_BENCH_EVENTS=100000 cargo bench -p sitrep-tests --bench timeline_scale   # smaller
//!     SITREP_BENCH_BACKENDS=postgres cargo bench -p sitrep-tests --bench timeline_scale  # one
//!
//! Synthetic data: 2 000 places, 60 actors on four sides, all kinds, days from 2012 to 2020 (80 %
//! to the day, 15 % to the month, 5 % to the year), documents of 1 000 events. Some events of
//! different documents coincide (same place, kind, day and actor) and are linked as one.

/// The allocator of the service binaries (`services/*/src/main.rs`, `sitrep`): the suite
/// timed here allocates as it does when it serves.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

use std::time::{Duration, Instant};

use chrono::{Datelike, NaiveDate};
use futures::StreamExt;
use sitrep_proto::v1::gateway_service_client::GatewayServiceClient;
use sitrep_proto::v1::timeline_service_client::TimelineServiceClient;
use sitrep_proto::v1::*;
use sitrep_tests::rss_mb;

/// splitmix64: deterministic synthetic data without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const PLACES: u64 = 2_000;
const ACTORS: u64 = 60;
const PER_DOCUMENT: usize = 1_000;

fn place(k: u64) -> PlaceRef {
    PlaceRef {
        mention: format!("Place {k}"),
        name: format!("Place {k}"),
        id: format!("geonames:{}", 900_000 + k),
        lat: Some(32.5 + (k % 50) as f64 * 0.08),
        lon: Some(35.8 + (k / 50) as f64 * 0.1),
        confidence: 0.9,
        country_code: "SY".into(),
        ..Default::default()
    }
}

fn event(rng: &mut Rng, doc: &str, order: u32) -> Event {
    let start = NaiveDate::from_ymd_opt(2012, 1, 1).unwrap();
    let day = start + chrono::Duration::days(rng.below(9 * 365) as i64);
    let (earliest, latest, precision) = match rng.below(20) {
        0 => (
            NaiveDate::from_ymd_opt(day.year(), 1, 1).unwrap(),
            NaiveDate::from_ymd_opt(day.year(), 12, 31).unwrap(),
            Precision::Year,
        ),
        1..=3 => {
            let first = day.with_day(1).unwrap();
            let next = if first.month() == 12 {
                NaiveDate::from_ymd_opt(first.year() + 1, 1, 1)
            } else {
                NaiveDate::from_ymd_opt(first.year(), first.month() + 1, 1)
            }
            .unwrap();
            (first, next.pred_opt().unwrap(), Precision::Month)
        }
        _ => (day, day, Precision::Day),
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
    let kind = kinds[rng.below(kinds.len() as u64) as usize];
    let a = rng.below(ACTORS);
    let b = (a + 1 + rng.below(ACTORS - 1)) % ACTORS;
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
        sentence: format!("Actor {a} and Actor {b} fought at Place."),
        kind: kind as i32,
        when: Some(When {
            earliest: earliest.to_string(),
            latest: latest.to_string(),
            precision: precision as i32,
            ..Default::default()
        }),
        actors: vec![actor(a, ActorRole::Agent), actor(b, ActorRole::Target)],
        places: vec![place(rng.below(PLACES))],
        fatalities: Some(rng.below(5) as u32),
        ..Default::default()
    }
}

fn percentiles(mut v: Vec<Duration>) -> (f64, f64) {
    v.sort();
    let at = |q: f64| v[((v.len() as f64 - 1.0) * q) as usize].as_secs_f64() * 1e3;
    (at(0.5), at(0.99))
}

/// (place id, first day, last day) of a month at one place.
fn queries(n: usize) -> Vec<(String, String, String)> {
    let mut rng = Rng(7);
    (0..n)
        .map(|_| {
            let p = place(rng.below(PLACES)).id;
            let (y, m) = (2012 + rng.below(9) as i32, 1 + rng.below(12) as u32);
            let first = NaiveDate::from_ymd_opt(y, m, 1).unwrap();
            let next = if m == 12 {
                NaiveDate::from_ymd_opt(y + 1, 1, 1)
            } else {
                NaiveDate::from_ymd_opt(y, m + 1, 1)
            }
            .unwrap();
            (p, first.to_string(), next.pred_opt().unwrap().to_string())
        })
        .collect()
}

async fn direct(
    c: &mut TimelineServiceClient<tonic::transport::Channel>,
    q: &(String, String, String),
) -> usize {
    let req = QueryRequest {
        place: q.0.clone(),
        from: q.1.clone(),
        to: q.2.clone(),
        ..Default::default()
    };
    let mut s = c.query(req).await.expect("query").into_inner();
    let mut n = 0;
    while let Some(p) = s.next().await {
        n += p.expect("page").events.len();
    }
    n
}

async fn via_gateway(
    c: &mut GatewayServiceClient<tonic::transport::Channel>,
    q: &(String, String, String),
) -> usize {
    let req = ListEventsRequest {
        place: q.0.clone(),
        from: q.1.clone(),
        to: q.2.clone(),
        ..Default::default()
    };
    let mut s = c.events(req).await.expect("events").into_inner();
    let mut n = 0;
    while let Some(p) = s.next().await {
        n += p.expect("page").events.len();
    }
    n
}

/// Record `docs` documents of synthetic events (from `first`), one call each, through `writers`
/// (each a replica's client, all writing at once); returns (events, seconds).
async fn record(
    writers: &[TimelineServiceClient<tonic::transport::Channel>],
    rng_seed: u64,
    first: usize,
    total: usize,
) -> (usize, f64) {
    let docs = total.div_ceil(PER_DOCUMENT);
    let t = Instant::now();
    let tasks: Vec<_> = writers
        .iter()
        .enumerate()
        .map(|(w, tl)| {
            let mut tl = tl.clone();
            let n_writers = writers.len();
            tokio::spawn(async move {
                let mut recorded = 0usize;
                let mut last_report = Instant::now();
                for d in (0..docs).filter(|d| d % n_writers == w) {
                    let mut rng = Rng(rng_seed.wrapping_add(d as u64));
                    let doc = format!("doc-synthetic-{:06}", first + d);
                    let n = PER_DOCUMENT.min(total - d * PER_DOCUMENT);
                    let events: Vec<Event> =
                        (0..n as u32).map(|o| event(&mut rng, &doc, o)).collect();
                    tl.record(RecordRequest {
                        document_id: doc,
                        events,
                        append: false,
                    })
                    .await
                    .expect("record");
                    recorded += n;
                    if w == 0 && last_report.elapsed() > Duration::from_secs(30) {
                        eprintln!(
                            "  … {} events, {:.0} events/s",
                            recorded * n_writers,
                            (recorded * n_writers) as f64 / t.elapsed().as_secs_f64()
                        );
                        last_report = Instant::now();
                    }
                }
                recorded
            })
        })
        .collect();
    let mut recorded = 0;
    for t in tasks {
        recorded += t.await.expect("writer");
    }
    (recorded, t.elapsed().as_secs_f64())
}

/// (place × month) latency over `qs`, each query sent to the next of `readers` in turn by one of
/// `callers` concurrent callers; (p50, p99, events found).
async fn latency(
    readers: &[TimelineServiceClient<tonic::transport::Channel>],
    qs: &[(String, String, String)],
    callers: usize,
) -> (f64, f64, usize) {
    let tasks: Vec<_> = (0..callers)
        .map(|w| {
            let qs: Vec<_> = qs.iter().skip(w).step_by(callers).cloned().collect();
            let mut readers: Vec<_> = readers.to_vec();
            tokio::spawn(async move {
                let (mut lat, mut found) = (Vec::new(), 0);
                for (i, q) in qs.iter().enumerate() {
                    let n = readers.len();
                    let t = Instant::now();
                    found += direct(&mut readers[(i + w) % n], q).await;
                    lat.push(t.elapsed());
                }
                (lat, found)
            })
        })
        .collect();
    let (mut lat, mut found) = (Vec::new(), 0);
    for t in tasks {
        let (l, f) = t.await.expect("caller");
        lat.extend(l);
        found += f;
    }
    let (p50, p99) = percentiles(lat);
    (p50, p99, found)
}

fn timeline_client(
    ch: tonic::transport::Channel,
) -> TimelineServiceClient<tonic::transport::Channel> {
    TimelineServiceClient::new(ch)
        .max_decoding_message_size(64 << 20)
        .max_encoding_message_size(64 << 20)
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let total: usize = std::env::var("SITREP_BENCH_EVENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let backends =
        std::env::var("SITREP_BENCH_BACKENDS").unwrap_or_else(|_| "sled,postgres".into());
    for backend in backends.split(',').map(str::trim) {
        match backend {
            "sled" => bench("sled", sitrep_tests::Options::default(), None, total).await,
            "postgres" => {
                let Some(pg) = sitrep_tests::Postgres::start("timeline_scale on postgres") else {
                    continue;
                };
                bench("postgres", pg.options(), Some(&pg), total).await;
            }
            other => panic!("SITREP_BENCH_BACKENDS: unknown backend {other:?} (sled, postgres)"),
        }
    }
}

async fn bench(
    backend: &str,
    options: sitrep_tests::Options,
    pg: Option<&sitrep_tests::Postgres>,
    total: usize,
) {
    println!("== {backend}");
    let dir = tempfile::tempdir().expect("temp dir");
    let suite = sitrep_tests::Suite::start_with(dir.path(), options).await;
    let ch = tonic::transport::Endpoint::from_shared(suite.timeline.url())
        .unwrap()
        .connect()
        .await
        .expect("timeline");
    let mut tl = timeline_client(ch);
    let mut gw = suite.client().await;

    // Record: documents of 1 000 events, one call each, acknowledged once durable
    let (recorded, secs) = record(std::slice::from_ref(&tl), 42, 0, total).await;
    println!("[{backend}] Record: {recorded} events in {} calls, {secs:.1} s = {:.0} events/s (each call acknowledged once durable)", recorded.div_ceil(PER_DOCUMENT), recorded as f64 / secs);
    match pg {
        None => {
            let size = std::fs::read_dir(dir.path().join("timeline"))
                .map(|r| {
                    r.filter_map(|e| e.ok()?.metadata().ok())
                        .map(|m| m.len())
                        .sum::<u64>()
                })
                .unwrap_or(0);
            println!(
                "[{backend}] timeline store: {:.0} MB on disk; process resident {:.0} MB",
                size as f64 / 1e6,
                rss_mb()
            );
        }
        Some(pg) => {
            let (tables, wal) = pg.disk_bytes();
            println!("[{backend}] database on disk: {:.0} MB of tables and indexes, {:.0} MB of write-ahead log; process resident {:.0} MB", tables as f64 / 1e6, wal as f64 / 1e6, rss_mb());
        }
    }

    let qs = queries(1_000);
    // warm both paths on other queries first
    for q in queries(1_100).iter().skip(1_000) {
        direct(&mut tl, q).await;
        via_gateway(&mut gw, q).await;
    }
    // latency of (place × month) queries, straight to the timeline
    let (p50, p99, found) = latency(std::slice::from_ref(&tl), &qs, 1).await;
    println!("[{backend}] (place × month) Query straight to the timeline: {} queries, {found} events, p50 {p50:.3} ms, p99 {p99:.3} ms", qs.len());

    // throughput, gateway against direct, alternating rounds, 4 concurrent callers each
    let round = |via: bool| {
        let qs = qs.clone();
        let (tl, gw) = (tl.clone(), gw.clone());
        async move {
            let t = Instant::now();
            let tasks: Vec<_> = (0..4)
                .map(|w| {
                    let qs: Vec<_> = qs.iter().skip(w).step_by(4).cloned().collect();
                    let (mut tl, mut gw) = (tl.clone(), gw.clone());
                    tokio::spawn(async move {
                        let mut lat = Vec::new();
                        for q in &qs {
                            let t = Instant::now();
                            if via {
                                via_gateway(&mut gw, q).await;
                            } else {
                                direct(&mut tl, q).await;
                            }
                            lat.push(t.elapsed());
                        }
                        lat
                    })
                })
                .collect();
            let mut lat = Vec::new();
            for t in tasks {
                lat.extend(t.await.expect("task"));
            }
            (qs.len() as f64 / t.elapsed().as_secs_f64(), lat)
        }
    };
    let (mut d_qps, mut g_qps) = (Vec::new(), Vec::new());
    let (mut d_lat, mut g_lat) = (Vec::new(), Vec::new());
    for _ in 0..3 {
        let (q, l) = round(false).await;
        d_qps.push(q);
        d_lat.extend(l);
        let (q, l) = round(true).await;
        g_qps.push(q);
        g_lat.extend(l);
    }
    let med = |mut v: Vec<f64>| {
        v.sort_by(|a, b| a.partial_cmp(b).unwrap());
        v[v.len() / 2]
    };
    let (d, g) = (med(d_qps), med(g_qps));
    let ((dp50, dp99), (gp50, gp99)) = (percentiles(d_lat), percentiles(g_lat));
    println!("[{backend}] throughput, 4 callers, median of 3 alternating rounds: direct {d:.0} queries/s (p50 {dp50:.2} ms, p99 {dp99:.2} ms), gateway {g:.0} queries/s (p50 {gp50:.2} ms, p99 {gp99:.2} ms): gateway/direct = {:.2}", g / d);
    println!(
        "[{backend}] process resident after queries: {:.0} MB",
        rss_mb()
    );

    // two timeline replicas on the one database: both write at once, then both answer
    if pg.is_some() {
        let mut second = suite.start_timeline_replica().await;
        let mut ch = None;
        for _ in 0..200 {
            if let Ok(c) = tonic::transport::Endpoint::from_shared(second.url())
                .unwrap()
                .connect()
                .await
            {
                ch = Some(c);
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let replicas = vec![tl.clone(), timeline_client(ch.expect("the second replica"))];
        let more = (total / 5).max(PER_DOCUMENT * 2);
        let (recorded, secs) = record(&replicas, 4242, total.div_ceil(PER_DOCUMENT), more).await;
        println!("[{backend}] two replicas: Record {recorded} more events, two writers at once, {secs:.1} s = {:.0} events/s", recorded as f64 / secs);
        let (p50, p99, found) = latency(&replicas, &qs, 1).await;
        println!("[{backend}] two replicas: (place × month) Query, one caller alternating replicas: p50 {p50:.3} ms, p99 {p99:.3} ms ({found} events)");
        let t = Instant::now();
        let (p50, p99, _) = latency(&replicas, &qs, 4).await;
        println!("[{backend}] two replicas: 4 callers over both: {:.0} queries/s, p50 {p50:.3} ms, p99 {p99:.3} ms", qs.len() as f64 / t.elapsed().as_secs_f64());
        let (tables, wal) = pg.map(|p| p.disk_bytes()).unwrap_or_default();
        println!("[{backend}] database on disk after {} events: {:.0} MB of tables and indexes, {:.0} MB of write-ahead log", total + recorded, tables as f64 / 1e6, wal as f64 / 1e6);
        second.stop().await;
    }
    suite.shutdown().await;
}
