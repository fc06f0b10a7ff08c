//! The temporal normaliser's speed over the 22 WikiWars articles on one core, and dateparser's
//! `search_dates` (with the anchor moved by each date found, as in issue 8's peer figure) over the
//! same text in the same run.
//!
//!     cargo bench -p sitrep-extract --bench timex
//!
//! Reads `../shared/data/wikiwars/text/` beside the workspace (or SITREP_WIKIWARS_DIR); dateparser
//! comes from PyPI (`pip install dateparser==1.5.0`); without it the comparison is skipped.

use std::path::PathBuf;
use std::time::Instant;

use sitrep_extract::text::tokenize;
use sitrep_extract::timex::scan_document;

fn main() {
    let dir = std::env::var("SITREP_WIKIWARS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/wikiwars/text")
        });
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|d| {
            d.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "txt"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    if files.is_empty() {
        println!(
            "skipped: no WikiWars texts in {} (set SITREP_WIKIWARS_DIR)",
            dir.display()
        );
        return;
    }
    let texts: Vec<String> = files
        .iter()
        .map(|f| std::fs::read_to_string(f).unwrap_or_default())
        .collect();
    let tokens: usize = texts.iter().map(|t| tokenize(t).len()).sum();
    let words: usize = texts.iter().map(|t| t.split_whitespace().count()).sum();
    // several rounds: one pass over 22 articles is short
    let rounds = 20;
    let t = Instant::now();
    let mut found = 0;
    for _ in 0..rounds {
        for text in &texts {
            found += scan_document(text, "", None).len();
        }
    }
    let secs = t.elapsed().as_secs_f64() / rounds as f64;
    let ours = words as f64 / secs;
    println!("sitrep timex: {} documents, {words} words ({tokens} tokens), {} expressions, {secs:.4} s per pass = {ours:.0} words/s", texts.len(), found / rounds);

    let script = r#"
import sys, time, datetime
try:
    from dateparser.search import search_dates
except Exception as e:
    print("SKIP", e); sys.exit(0)
paths = sys.argv[1:]
words = 0; n = 0
t = time.perf_counter()
for p in paths:
    text = open(p, encoding="utf-8").read()
    words += len(text.split())
    anchor = datetime.datetime(2000, 1, 1)
    for para in [x for x in text.split("\n") if x.strip()]:
        found = search_dates(para, languages=["en"], settings={"RELATIVE_BASE": anchor, "PREFER_DATES_FROM": "past"}) or []
        n += len(found)
        if found:
            anchor = found[-1][1]
print("OK", words, n, time.perf_counter() - t)
"#;
    let out = std::process::Command::new("python3")
        .arg("-c")
        .arg(script)
        .args(&files)
        .env("OMP_NUM_THREADS", "1")
        .output();
    match out {
        Ok(o) => {
            let s = String::from_utf8_lossy(&o.stdout);
            let f: Vec<&str> = s.split_whitespace().collect();
            if f.first() == Some(&"OK") && f.len() >= 4 {
                let (w, n, secs): (f64, f64, f64) = (
                    f[1].parse().unwrap_or(0.0),
                    f[2].parse().unwrap_or(0.0),
                    f[3].parse().unwrap_or(1.0),
                );
                let theirs = w / secs;
                println!("dateparser search_dates (same text, same run): {n:.0} expressions, {secs:.2} s = {theirs:.0} words/s");
                println!("ratio: sitrep / dateparser = {:.0}x", ours / theirs);
            } else {
                println!(
                    "dateparser comparison skipped ({}{})",
                    s.trim(),
                    String::from_utf8_lossy(&o.stderr)
                        .lines()
                        .last()
                        .unwrap_or("")
                );
            }
        }
        Err(e) => println!("dateparser comparison skipped: {e}"),
    }
}
