//! Time the resolution of names against an existing gazetteer store, for profiling:
//!
//!     cargo run --release -p sitrep-gazetteer --example probe -- STORE_DIR NAME [NAME…]

use std::time::Instant;

use sitrep_gazetteer::{Gazetteer, Store};
use sitrep_proto::v1::{PlaceMention, ResolveRequest};

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next() else {
        eprintln!("usage: probe STORE_DIR NAME [NAME…]");
        std::process::exit(2);
    };
    let store = Store::open(std::path::Path::new(&dir)).expect("open store");
    // the bundled world's index, if the folder has one
    let idx = std::fs::read_dir(&dir).ok().and_then(|d| {
        d.flatten()
            .map(|e| e.path())
            .find(|p| p.extension().is_some_and(|x| x == "idx"))
    });
    if let Some(idx) = idx {
        store
            .attach_base(sitrep_gazetteer::base::Base::open(&idx).expect("base index"))
            .expect("attach");
    }
    let gaz = Gazetteer::new(store.clone());
    for name in args {
        if std::env::var("PROBE_PHASES").is_ok() {
            phases(&store, &name);
            phases(&store, &name);
        }
        let req = ResolveRequest {
            mentions: vec![PlaceMention {
                text: name.clone(),
                ..Default::default()
            }],
            country_focus: vec!["SY".into(), "LB".into()],
            ..Default::default()
        };
        let rounds: u32 = std::env::var("PROBE_ROUNDS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(50);
        let t = Instant::now();
        let mut best = String::new();
        for _ in 0..rounds {
            let r = gaz.resolve_blocking(&req).expect("resolve");
            best = r.resolutions[0]
                .best
                .as_ref()
                .and_then(|c| c.place.as_ref())
                .map(|p| format!("{} {}", p.id, p.name))
                .unwrap_or_default();
        }
        println!(
            "{name:?}: {:.3} ms per call → {best}",
            t.elapsed().as_secs_f64() * 1e3 / f64::from(rounds)
        );
    }
}

/// With PROBE_PHASES set: where one name's time goes, step by step (store reads uncached after
/// the first round's caches are warm).
#[allow(dead_code)]
fn phases(store: &Store, name: &str) {
    use sitrep_gazetteer::fold;
    let focus = vec!["SY".to_string(), "LB".to_string()];
    let words = fold::fold(name);
    let t = Instant::now();
    let full = words
        .iter()
        .map(|w| w.key.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    let exact = store.ids_by_name(&full).expect("name");
    println!(
        "  exact {full:?}: {} ids, {:.3} ms",
        exact.len(),
        t.elapsed().as_secs_f64() * 1e3
    );
    for w in words.iter().filter(|w| !w.head) {
        let t = Instant::now();
        let hits = store.ids_by_word(&w.key, &focus, 2000).expect("word");
        let a = t.elapsed().as_secs_f64() * 1e3;
        let t = Instant::now();
        let fz = store
            .fuzzy_words(
                &w.key,
                if w.key.chars().count() >= 7 { 2 } else { 1 },
                20_000,
                &focus,
                100,
            )
            .expect("fuzzy");
        let n: usize = fz.iter().map(|(_, h)| h.len()).sum();
        println!(
            "  word {:?}: {} hits {a:.3} ms; {} near words, {n} hits {:.3} ms",
            w.key,
            hits.len(),
            fz.len(),
            t.elapsed().as_secs_f64() * 1e3
        );
    }
}
