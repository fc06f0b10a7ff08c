//! Bulk ingest (issue 21), the whole suite in this process, in one run:
//! 1. ACLED-sized notes — the `notes` of the shared ACLED files, repeated to 10 000 (each copy
//!    made its own document by a bulletin number) — through one `GatewayService.IngestStream`,
//!    every one acknowledged durably; then fresh copies of the same notes one `Ingest` call
//!    each (one caller, and four), for the ratio;
//! 2. Wikipedia-sized articles (~5 KB: the sample, and the team's gold narratives joined) with
//!    varied titles, through one stream;
//!
//! and the peak resident memory of the process (suite and client) after each.
//!
//! ```text
//! cargo bench -p sitrep-tests --bench bulk
//! SITREP_BULK_NOTES=2000 SITREP_ACLED_DIR=path/to/acled cargo bench -p sitrep-tests --bench bulk
//! ```
//!
//! The ACLED files are read from `../shared/data/acled` beside the worktree (never committed).

/// The allocator of the service binaries (`services/*/src/main.rs`, `sitrep`): the suite
/// timed here allocates as it does when it serves.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

use std::path::PathBuf;
use std::time::Instant;

use futures::StreamExt;
use sitrep_proto::v1::gateway_service_client::GatewayServiceClient;
use sitrep_proto::v1::ingest_stream_response::Outcome;
use sitrep_proto::v1::*;
use sitrep_tests::{Suite, SAMPLE, SAMPLE_TITLE};
use tonic::transport::Channel;

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Peak resident memory of this process so far, in MB.
fn peak_rss_mb() -> f64 {
    let s = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    s.lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse::<f64>().ok())
        .unwrap_or(0.0)
        / 1024.0
}

/// The `notes` column of every ACLED CSV file in `dir`.
fn acled_notes(dir: &PathBuf) -> Vec<String> {
    let mut notes = Vec::new();
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e} (set SITREP_ACLED_DIR)", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "csv"))
        .collect();
    files.sort();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        let body: String = text
            .lines()
            .filter(|l| !l.starts_with('#'))
            .collect::<Vec<_>>()
            .join("\n");
        let mut r = csv_rows(&body);
        let header = r.remove(0);
        let col = header
            .iter()
            .position(|h| h == "notes")
            .expect("a notes column");
        notes.extend(
            r.into_iter()
                .filter_map(|row| row.get(col).cloned())
                .filter(|n| !n.trim().is_empty()),
        );
    }
    notes
}

/// A small RFC 4180 reader (quoted fields, doubled quotes), enough for the ACLED files.
fn csv_rows(s: &str) -> Vec<Vec<String>> {
    let (mut rows, mut row, mut field, mut quoted) = (Vec::new(), Vec::new(), String::new(), false);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => row.push(std::mem::take(&mut field)),
            ('\n', false) => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            ('\r', false) => {}
            (c, _) => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}

/// Every four-digit year 1900–2099 in `text` moved by `by` years.
fn shift_years(text: &str, by: i32) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < b.len() {
        let is_year = i + 4 <= b.len()
            && b[i..i + 4].iter().all(u8::is_ascii_digit)
            && (i == 0 || !b[i - 1].is_ascii_digit())
            && (i + 4 == b.len() || !b[i + 4].is_ascii_digit())
            && (&b[i..i + 2] == b"19" || &b[i..i + 2] == b"20");
        if is_year {
            let y: i32 = text[i..i + 4].parse().unwrap();
            out.push_str(&(y + by).to_string());
            i += 4;
        } else {
            let c = text[i..].chars().next().unwrap();
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

struct Run {
    docs: usize,
    secs: f64,
    events: u64,
    failed: usize,
}

/// One stream of `docs`; every answer checked.
async fn stream(c: &mut GatewayServiceClient<Channel>, docs: Vec<(String, String)>) -> Run {
    let n = docs.len();
    let start = Instant::now();
    let requests = futures::stream::iter(docs.into_iter().enumerate().map(|(i, (title, text))| {
        IngestStreamRequest {
            document: Some(IngestRequest {
                text,
                title,
                ..Default::default()
            }),
            tag: i.to_string(),
            raw_text: Vec::new(),
        }
    }));
    let mut answers = c
        .ingest_stream(requests)
        .await
        .expect("stream")
        .into_inner();
    let (mut events, mut failed, mut answered) = (0u64, 0usize, 0usize);
    while let Some(a) = answers.next().await {
        answered += 1;
        match a.expect("answer").outcome {
            Some(Outcome::Result(r)) => {
                assert!(!r.duplicate, "every document is new");
                events += r.event_count as u64;
            }
            other => {
                failed += 1;
                eprintln!("failed: {other:?}");
            }
        }
    }
    assert_eq!(answered, n, "every document answered");
    Run {
        docs: n,
        secs: start.elapsed().as_secs_f64(),
        events,
        failed,
    }
}

/// The same documents one `Ingest` call each, from `callers` tasks.
async fn one_by_one(
    c: &GatewayServiceClient<Channel>,
    docs: Vec<(String, String)>,
    callers: usize,
) -> Run {
    let n = docs.len();
    let start = Instant::now();
    let docs = std::sync::Arc::new(docs);
    let tasks: Vec<_> = (0..callers)
        .map(|w| {
            let (mut c, docs) = (c.clone(), docs.clone());
            tokio::spawn(async move {
                let mut events = 0u64;
                for i in (w..docs.len()).step_by(callers) {
                    let (title, text) = docs[i].clone();
                    let r = c
                        .ingest(IngestDocumentRequest {
                            text,
                            title,
                            ..Default::default()
                        })
                        .await
                        .expect("ingest")
                        .into_inner()
                        .result
                        .unwrap();
                    assert!(!r.duplicate);
                    events += r.event_count as u64;
                }
                events
            })
        })
        .collect();
    let mut events = 0;
    for t in tasks {
        events += t.await.unwrap();
    }
    Run {
        docs: n,
        secs: start.elapsed().as_secs_f64(),
        events,
        failed: 0,
    }
}

fn print(name: &str, r: &Run) {
    println!(
        "{name:<44} {:>6} docs {:>7.1} s {:>8.0} docs/s {:>7} events {} failed",
        r.docs,
        r.secs,
        r.docs as f64 / r.secs,
        r.events,
        r.failed
    );
}

#[tokio::main]
async fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let acled = std::env::var("SITREP_ACLED_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| root.join("../shared/data/acled"));
    let notes = acled_notes(&acled);
    let n_notes = env_usize("SITREP_BULK_NOTES", 10_000);
    let n_single = env_usize("SITREP_BULK_SINGLE", 1_000);
    let n_articles = env_usize("SITREP_BULK_ARTICLES", 1_000);
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!(
        "bulk ingest: {} distinct ACLED notes, {cores} cores, release={}",
        notes.len(),
        !cfg!(debug_assertions)
    );
    let dir = tempfile::tempdir().unwrap();
    let suite = Suite::start(dir.path()).await;
    let mut c = suite.client().await;
    let rss0 = peak_rss_mb();

    // 1. notes, one stream of n_notes; then fresh copies one call each
    let copy = |i: usize, round: &str| {
        (
            String::from("ACLED event note"),
            format!("{} ({round} bulletin {i})", notes[i % notes.len()]),
        )
    };
    let batch: Vec<(String, String)> = (0..n_notes).map(|i| copy(i, "stream")).collect();
    let mean = batch.iter().map(|d| d.1.len()).sum::<usize>() / batch.len().max(1);
    let streamed = stream(&mut c, batch).await;
    print(
        &format!("notes, one IngestStream (mean {mean} B)"),
        &streamed,
    );
    let single1 = one_by_one(&c, (0..n_single).map(|i| copy(i, "single")).collect(), 1).await;
    print("notes, one Ingest call each, 1 caller", &single1);
    let single4 = one_by_one(&c, (0..n_single).map(|i| copy(i, "four")).collect(), 4).await;
    print("notes, one Ingest call each, 4 callers", &single4);
    let rss_notes = peak_rss_mb();

    // 2. articles of ~5 KB with varied titles
    let golds: Vec<String> = ["idlib-2020", "kobani-2014", "qusayr-2013"]
        .iter()
        .map(|g| std::fs::read_to_string(root.join(format!("tests/gold/{g}.txt"))).unwrap())
        .collect();
    let joined = golds
        .iter()
        .chain(golds.iter())
        .cloned()
        .collect::<Vec<_>>()
        .join("\n\n");
    let titles = [
        "Battle of Kobani (2014)",
        "Battle of al-Qusayr (2013)",
        "Idlib offensive (2019–2020)",
        "Syrian civil war: northern fronts",
    ];
    let articles: Vec<(String, String)> = (0..n_articles)
        .map(|i| {
            let (title, body) = if i % 2 == 0 {
                (SAMPLE_TITLE.to_string(), SAMPLE.to_string())
            } else {
                (titles[i % titles.len()].to_string(), joined.clone())
            };
            // each copy told in its own years (2015 → 1915 + i % 100, …), so that copies are
            // different articles, not a thousand reports of the same events for the timeline
            // to link
            let shift = (i % 100) as i32 - 100;
            let body = shift_years(&body, shift);
            (
                format!("{} {i}", shift_years(&title, shift)),
                format!("{body}\n\n(Revision {i}.)"),
            )
        })
        .collect();
    let mean = articles.iter().map(|d| d.1.len()).sum::<usize>() / articles.len().max(1);
    let art = stream(&mut c, articles).await;
    print(&format!("articles, one IngestStream (mean {mean} B)"), &art);
    let rss_articles = peak_rss_mb();

    println!(
        "ratio stream/single: {:.1}x (1 caller), {:.1}x (4 callers)",
        (streamed.docs as f64 / streamed.secs) / (single1.docs as f64 / single1.secs),
        (streamed.docs as f64 / streamed.secs) / (single4.docs as f64 / single4.secs)
    );
    println!("peak RSS (suite + client): {rss0:.0} MB started, {rss_notes:.0} MB after the notes, {rss_articles:.0} MB after the articles");
    suite.shutdown().await;
}
