//! Gazetteer at world scale: the bundled world (GeoNames' cities500, ≈227 000 places, and the
//! world's divisions) as its base index, built then read back, plus the Lebanon country file
//! imported into sled; then `Resolve` timed in-process and over gRPC, in one run.
//! `SITREP_BENCH_SLED=1`: the world imported into sled instead (the design before the index).
//!
//!     cargo bench -p sitrep-gazetteer --bench resolve
//!
//! Reads `../shared/data/geonames/` beside the workspace (or SITREP_GEONAMES_DIR).

/// The allocator of the service binaries (see `src/main.rs`): what is timed is what serves.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use sitrep_gazetteer::geonames::{parse_line, Row};
use sitrep_gazetteer::{base, import, Gazetteer, Store};
use sitrep_proto::v1::gazetteer_service_client::GazetteerServiceClient;
use sitrep_proto::v1::gazetteer_service_server::GazetteerServiceServer;
use sitrep_proto::v1::{PlaceMention, ResolveRequest};

fn rss_mb() -> f64 {
    let s = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    s.lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse::<f64>().ok())
        .unwrap_or(0.0)
        / 1024.0
}

fn percentiles(mut v: Vec<Duration>) -> (f64, f64, f64) {
    v.sort();
    let at = |q: f64| v[((v.len() as f64 - 1.0) * q) as usize].as_secs_f64() * 1e3;
    (
        at(0.5),
        at(0.99),
        v.iter().map(|d| d.as_secs_f64()).sum::<f64>() / v.len() as f64 * 1e3,
    )
}

fn request(name: &str) -> ResolveRequest {
    ResolveRequest {
        mentions: vec![PlaceMention {
            text: name.to_string(),
            ..Default::default()
        }],
        country_focus: vec!["SY".into(), "LB".into()],
        ..Default::default()
    }
}

fn main() {
    let dir = std::env::var("SITREP_GEONAMES_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/geonames")
        });
    let world = dir.join("cities500.zip");
    let lebanon = dir.join("LB.txt");
    if !world.is_file() {
        println!(
            "skipped: {} not found (set SITREP_GEONAMES_DIR)",
            world.display()
        );
        return;
    }
    // SITREP_BENCH_STORE keeps the imported store between runs (re-import is then skipped by
    // the content-hash check); by default a temporary directory
    let tmp = tempfile::tempdir().expect("temp dir");
    let path = std::env::var("SITREP_BENCH_STORE")
        .map(PathBuf::from)
        .unwrap_or_else(|_| tmp.path().to_path_buf());
    let store = Store::open(&path).expect("store");
    let rss0 = rss_mb();
    load(&store, &path, &world, &lebanon);

    let names = sample(&lebanon, 0);
    let gaz = Gazetteer::new(store.clone());
    // warm the page cache with other names (rows 48 mod 97), so the timed pass measures
    // resolution rather than the first reads of the files from disk
    let t = Instant::now();
    let warm = sample(&lebanon, 48);
    for n in &warm {
        let _ = gaz.resolve_blocking(&request(n)).expect("resolve");
    }
    println!(
        "warm-up: {} other names in {:.2} s",
        warm.len(),
        t.elapsed().as_secs_f64()
    );
    in_process(&gaz, &names);
    println!(
        "resident memory: {:.0} MB (before import {rss0:.0} MB)",
        rss_mb()
    );
    over_grpc(&gaz, &names);
}

/// Load the world (into the base index, or into sled with SITREP_BENCH_SLED) and the Lebanon
/// file into `store`, printing the times and sizes.
fn load(store: &Store, path: &Path, world: &Path, lebanon: &Path) {
    let t = Instant::now();
    let mut rows = 0;
    if std::env::var_os("SITREP_BENCH_SLED").is_some() {
        // the world imported into sled, as before the base index (for comparison)
        rows += import::import_file(store, world, |_| {})
            .expect("import")
            .rows;
    } else {
        // the bundled world as `sitrep up` loads it: the base index, built (first start) or
        // read back (a store kept with SITREP_BENCH_STORE), timed both ways
        let sources = [
            base::Source {
                label: "world",
                bytes: sitrep_gazetteer::WORLD,
            },
            base::Source {
                label: "divisions",
                bytes: sitrep_gazetteer::DIVISIONS.as_bytes(),
            },
        ];
        let b = base::Base::open_or_build(path, &sources).expect("base index");
        let first = t.elapsed().as_secs_f64();
        drop(b);
        let t2 = Instant::now();
        let b = base::Base::open_or_build(path, &sources).expect("base index");
        let reopen = t2.elapsed().as_secs_f64();
        let t3 = Instant::now();
        let places = b.len();
        let size = b.size();
        store.attach_base(b).expect("attach");
        println!(
            "base index: {places} places, {:.0} MB on disk; first start {first:.1} s, reopen {reopen:.2} s + vocabulary {:.2} s",
            size as f64 / 1e6,
            t3.elapsed().as_secs_f64()
        );
        rows += places as u64;
    }
    rows += import::import_file(store, lebanon, |_| {})
        .expect("import")
        .rows;
    let secs = t.elapsed().as_secs_f64();
    println!(
        "loaded: {rows} rows in {secs:.1} s; {} places; {:.0} MB on disk; resident {:.0} MB",
        store.place_count(),
        store.size_on_disk() as f64 / 1e6,
        rss_mb()
    );
}

/// Names to resolve: every 97th row of the Lebanon file (from row `offset`), some with a letter
/// dropped (a misspelling the fuzzy fallback must absorb); 1 000 at most.
fn sample(lebanon: &Path, offset: usize) -> Vec<String> {
    let mut names = Vec::new();
    for (i, line) in std::fs::read_to_string(lebanon)
        .unwrap_or_default()
        .lines()
        .enumerate()
        .filter(|(i, _)| i % 97 == offset)
    {
        if let Some(Row::Place(p)) = parse_line(line) {
            let mut n = p.ascii_name.clone();
            if i % 3 == 0 && n.len() > 6 {
                n.remove(n.len() / 2);
            }
            names.push(n);
        }
    }
    names.truncate(1000);
    names
}

/// `Resolve` in-process: each name for the first time (with the slowest five), then again.
fn in_process(gaz: &Gazetteer, names: &[String]) {
    let mut lat = Vec::with_capacity(names.len());
    for n in names {
        let t = Instant::now();
        let _ = gaz.resolve_blocking(&request(n)).expect("resolve");
        lat.push(t.elapsed());
    }
    let mut slowest: Vec<(Duration, &String)> = lat.iter().copied().zip(names).collect();
    slowest.sort_by_key(|a| std::cmp::Reverse(a.0));
    let slowest: Vec<String> = slowest
        .iter()
        .take(5)
        .map(|(d, n)| format!("{n:?} {:.2} ms", d.as_secs_f64() * 1e3))
        .collect();
    println!("slowest in-process: {}", slowest.join(", "));
    let (p50, p99, mean) = percentiles(lat);
    println!("Resolve in-process, first time each name: {} names, p50 {p50:.3} ms, p99 {p99:.3} ms, mean {mean:.3} ms", names.len());
    // the same names again: what a service sees for the places its documents keep naming
    let mut lat = Vec::with_capacity(names.len());
    for n in names {
        let t = Instant::now();
        let _ = gaz.resolve_blocking(&request(n)).expect("resolve");
        lat.push(t.elapsed());
    }
    let (p50, p99, mean) = percentiles(lat);
    println!("Resolve in-process, names seen before: p50 {p50:.3} ms, p99 {p99:.3} ms, mean {mean:.3} ms");
}

/// `Resolve` over gRPC on loopback, the same store.
fn over_grpc(gaz: &Gazetteer, names: &[String]) {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let svc = GazetteerServiceServer::new(gaz.clone());
        let server = tokio::spawn(
            tonic::transport::Server::builder()
                .tcp_nodelay(true)
                .add_service(svc)
                .serve_with_incoming(sitrep_server::grpc::incoming(listener)),
        );
        let mut client = GazetteerServiceClient::connect(format!("http://{addr}"))
            .await
            .expect("connect");
        let mut lat = Vec::with_capacity(names.len());
        for n in names {
            let t = Instant::now();
            client.resolve(request(n)).await.expect("resolve");
            lat.push(t.elapsed());
        }
        let (p50, p99, mean) = percentiles(lat);
        println!(
            "Resolve over gRPC: {} names, p50 {p50:.3} ms, p99 {p99:.3} ms, mean {mean:.3} ms",
            names.len()
        );
        server.abort();
    });
}
