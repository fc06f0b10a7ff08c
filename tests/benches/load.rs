//! Load through the gateway against the same work sent straight to the backends, in one run
//! (issue 7): `Events`, `PlaceDossier` and `Ingest`, with an empty health check as the floor of
//! what one tonic call costs. Loopback only; every phase is bounded in calls and in time.
//!
//!     cargo bench -p sitrep-tests --bench load
//!     SITREP_LOAD_CALLS=500 SITREP_LOAD_CALLERS=8 cargo bench -p sitrep-tests --bench load
//!
//! Prints calls/s and p50/p99 latency of each, the gateway/direct ratios, and the resident memory
//! of the whole suite (all four services run in this process).

/// The allocator of the service binaries (`services/*/src/main.rs`, `sitrep`): the suite
/// timed here allocates as it does when it serves.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

use std::future::Future;
use std::time::{Duration, Instant};

use futures::StreamExt;
use sitrep_proto::v1::gateway_service_client::GatewayServiceClient;
use sitrep_proto::v1::gazetteer_service_client::GazetteerServiceClient;
use sitrep_proto::v1::ingest_service_client::IngestServiceClient;
use sitrep_proto::v1::timeline_service_client::TimelineServiceClient;
use sitrep_proto::v1::*;
use sitrep_server::tonic_health::pb::health_client::HealthClient;
use sitrep_server::tonic_health::pb::HealthCheckRequest;
use sitrep_tests::rss_mb;
use sitrep_tests::{Suite, SAMPLE, SAMPLE_TITLE};
use tonic::transport::Channel;

/// Longest a phase may run, whatever its call count.
const PHASE_LIMIT: Duration = Duration::from_secs(60);

struct Figures {
    rate: f64,
    p50: f64,
    p99: f64,
    calls: usize,
}

/// Run `calls` calls of `op` (given the call number) from `callers` concurrent tasks.
async fn phase<F, Fut>(calls: usize, callers: usize, op: F) -> Figures
where
    F: Fn(usize) -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send,
{
    let start = Instant::now();
    let tasks: Vec<_> = (0..callers)
        .map(|w| {
            let op = op.clone();
            tokio::spawn(async move {
                let mut lat = Vec::new();
                for n in (w..calls).step_by(callers) {
                    if start.elapsed() > PHASE_LIMIT {
                        break;
                    }
                    let t = Instant::now();
                    op(n).await;
                    lat.push(t.elapsed());
                }
                lat
            })
        })
        .collect();
    let mut lat = Vec::new();
    for t in tasks {
        lat.extend(t.await.expect("caller"));
    }
    let secs = start.elapsed().as_secs_f64();
    lat.sort();
    let at = |q: f64| lat[((lat.len() as f64 - 1.0) * q) as usize].as_secs_f64() * 1e3;
    Figures {
        rate: lat.len() as f64 / secs,
        p50: at(0.5),
        p99: at(0.99),
        calls: lat.len(),
    }
}

/// Three alternating rounds (direct, then gateway), each of `calls` calls; the median round of
/// each by throughput, so that warm-up and a noisy neighbour do not favour one side.
async fn compare<F, Fut, G, Gut>(name: &str, calls: usize, callers: usize, via: F, direct: G)
where
    F: Fn(usize) -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send,
    G: Fn(usize) -> Gut + Clone + Send + Sync + 'static,
    Gut: Future<Output = ()> + Send,
{
    // SITREP_LOAD_ONLY=Events runs one comparison (for profiling)
    if std::env::var("SITREP_LOAD_ONLY").is_ok_and(|only| only != name) {
        return;
    }
    let (mut vs, mut ds) = (Vec::new(), Vec::new());
    for round in 0..3 {
        let offset = round * calls;
        let d = direct.clone();
        ds.push(phase(calls, callers, move |n| d(n + offset)).await);
        let v = via.clone();
        vs.push(phase(calls, callers, move |n| v(n + offset)).await);
    }
    let median = |mut v: Vec<Figures>| {
        v.sort_by(|a, b| {
            a.rate
                .partial_cmp(&b.rate)
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        v.swap_remove(1)
    };
    report(name, &median(vs), &median(ds));
}

fn report(name: &str, via: &Figures, direct: &Figures) {
    println!(
        "{name:<13} gateway {:>7.0}/s p50 {:>6.2} ms p99 {:>6.2} ms | direct {:>7.0}/s p50 {:>6.2} ms p99 {:>6.2} ms | throughput ×{:.2}, p99 ×{:.2} ({} + {} calls)",
        via.rate, via.p50, via.p99, direct.rate, direct.p50, direct.p99, via.rate / direct.rate, via.p99 / direct.p99, via.calls, direct.calls
    );
}

async fn drain<T>(r: Result<tonic::Response<tonic::Streaming<T>>, tonic::Status>) -> usize {
    let mut s = r.expect("stream").into_inner();
    let mut n = 0;
    while let Some(m) = s.next().await {
        m.expect("message");
        n += 1;
    }
    n
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let calls: usize = std::env::var("SITREP_LOAD_CALLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2_000);
    let callers: usize = std::env::var("SITREP_LOAD_CALLERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(4);
    let dir = tempfile::tempdir().expect("temp dir");
    let suite = Suite::start(dir.path()).await;
    let rss_idle = rss_mb();
    let ch = |r: &sitrep_tests::Running| {
        tonic::transport::Endpoint::from_shared(r.url())
            .unwrap()
            .connect_lazy()
    };
    let gw: GatewayServiceClient<Channel> = suite.client().await;
    let tl = TimelineServiceClient::new(ch(&suite.timeline)).max_decoding_message_size(64 << 20);
    let gz = GazetteerServiceClient::new(ch(&suite.gazetteer));
    let ing = IngestServiceClient::new(ch(&suite.ingest)).max_decoding_message_size(64 << 20);
    let gw_health = HealthClient::new(ch(&suite.gateway));
    let tl_health = HealthClient::new(ch(&suite.timeline));
    // data: the sample
    gw.clone()
        .ingest(IngestDocumentRequest {
            text: SAMPLE.into(),
            title: SAMPLE_TITLE.into(),
            ..Default::default()
        })
        .await
        .expect("ingest the sample");
    let place = gz
        .clone()
        .get(GetPlaceRequest {
            id: "Tallat Mussa".into(),
        })
        .await
        .expect("place")
        .into_inner()
        .place
        .expect("place");
    println!(
        "{calls} calls per phase from {callers} callers; suite resident {rss_idle:.0} MB idle"
    );

    // the floor: an empty health check, on the gateway and on a backend (one hop each)
    let (h, t) = (gw_health.clone(), tl_health.clone());
    compare(
        "health",
        calls,
        callers,
        move |_| {
            let mut h = h.clone();
            async move {
                h.check(HealthCheckRequest {
                    service: String::new(),
                })
                .await
                .expect("health");
            }
        },
        move |_| {
            let mut t = t.clone();
            async move {
                t.check(HealthCheckRequest {
                    service: String::new(),
                })
                .await
                .expect("health");
            }
        },
    )
    .await;

    // Events: one place over a month
    let (pid, pid2) = (place.id.clone(), place.id.clone());
    let (g, t) = (gw.clone(), tl.clone());
    compare(
        "Events",
        calls,
        callers,
        move |_| {
            let (mut g, pid) = (g.clone(), pid.clone());
            async move {
                drain(
                    g.events(ListEventsRequest {
                        place: pid,
                        from: "2015-05-01".into(),
                        to: "2015-05-31".into(),
                        ..Default::default()
                    })
                    .await,
                )
                .await;
            }
        },
        move |_| {
            let (mut t, pid) = (t.clone(), pid2.clone());
            async move {
                drain(
                    t.query(QueryRequest {
                        place: pid,
                        from: "2015-05-01".into(),
                        to: "2015-05-31".into(),
                        ..Default::default()
                    })
                    .await,
                )
                .await;
            }
        },
    )
    .await;

    // PlaceDossier against the same four backend calls made by the caller itself, concurrently
    let (g, t, z) = (gw.clone(), tl.clone(), gz.clone());
    compare(
        "PlaceDossier",
        calls,
        callers,
        move |_| {
            let mut g = g.clone();
            async move {
                g.place_dossier(GetPlaceDossierRequest {
                    place: "Tallat Mussa".into(),
                    ..Default::default()
                })
                .await
                .expect("dossier");
            }
        },
        move |_| {
            let (mut t, mut z) = (t.clone(), z.clone());
            async move {
                let p = z
                    .get(GetPlaceRequest {
                        id: "Tallat Mussa".into(),
                    })
                    .await
                    .expect("get")
                    .into_inner()
                    .place
                    .expect("place");
                let (mut t2, mut z2) = (t.clone(), z.clone());
                let nearby = z2.nearby(NearbyRequest {
                    lat: p.lat,
                    lon: p.lon,
                    radius_km: 10.0,
                    limit: 20,
                });
                let events = t.query(QueryRequest {
                    place: p.id.clone(),
                    limit: 500,
                    ..Default::default()
                });
                let history = t2.control_history(ControlHistoryRequest {
                    place: p.id.clone(),
                    aliases: vec![p.name.clone()],
                });
                let (n, e, h) = tokio::join!(nearby, events, history);
                n.expect("nearby");
                drain(e).await;
                h.expect("history");
            }
        },
    )
    .await;

    // Ingest: a new document each call (a short report with its own number)
    let doc = |n: usize, via: bool| {
        format!("On {} May 2015, Hezbollah attacked Flita and clashed with al-Nusra Front near Arsal. Report {n} {}.", 1 + n % 28, if via { "g" } else { "d" })
    };
    let ingest_calls = (calls / 8).max(20);
    let (g, i) = (gw.clone(), ing.clone());
    compare(
        "Ingest",
        ingest_calls,
        callers,
        move |n| {
            let mut g = g.clone();
            async move {
                g.ingest(IngestDocumentRequest {
                    text: doc(n, true),
                    title: "Qalamoun".into(),
                    ..Default::default()
                })
                .await
                .expect("ingest");
            }
        },
        move |n| {
            let mut i = i.clone();
            async move {
                i.ingest(IngestRequest {
                    text: doc(n, false),
                    title: "Qalamoun".into(),
                    ..Default::default()
                })
                .await
                .expect("ingest");
            }
        },
    )
    .await;
    println!(
        "suite resident after load: {:.0} MB (idle {rss_idle:.0} MB)",
        rss_mb()
    );
    suite.shutdown().await;
}
