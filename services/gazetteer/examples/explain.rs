//! Resolve the mentions of one document against a gazetteer folder and explain the answers:
//!
//!     cargo run --release -p sitrep-gazetteer --example explain -- DIR FOCUS 'MENTION[|NEAR]'…
//!
//! FOCUS: the document's country codes, comma-separated ("-" for none).

use sitrep_gazetteer::{Gazetteer, Store};
use sitrep_proto::v1::{PlaceMention, ResolveRequest};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 3 {
        eprintln!("usage: explain DIR FOCUS MENTION[|NEAR]…");
        std::process::exit(2);
    }
    let dir = std::path::Path::new(&args[0]);
    let store = Store::open(dir).expect("open store");
    let idx = std::fs::read_dir(dir).ok().and_then(|d| {
        d.flatten()
            .map(|e| e.path())
            .find(|p| p.extension().is_some_and(|x| x == "idx"))
    });
    if let Some(idx) = idx {
        store
            .attach_base(sitrep_gazetteer::base::Base::open(&idx).expect("base index"))
            .expect("attach");
    }
    let focus: Vec<String> = if args[1] == "-" {
        Vec::new()
    } else {
        args[1].split(',').map(str::to_string).collect()
    };
    let mentions = args[2..]
        .iter()
        .map(|m| {
            let (text, near) = m.split_once('|').unwrap_or((m, ""));
            PlaceMention {
                text: text.into(),
                near: near.into(),
                ..Default::default()
            }
        })
        .collect();
    let req = ResolveRequest {
        mentions,
        country_focus: focus,
        document_id: String::new(),
        create_provisional: false,
    };
    let r = Gazetteer::new(store)
        .resolve_blocking(&req)
        .expect("resolve");
    for res in r.resolutions {
        println!(
            "{:?} (confidence {:.2}, precision {})",
            res.mention, res.confidence, res.geo_precision
        );
        for (tag, c) in res
            .best
            .iter()
            .map(|c| ("best", c))
            .chain(res.alternatives.iter().map(|c| ("  alt", c)))
        {
            let p = c.place.clone().unwrap_or_default();
            println!(
                "  {tag} {:.2} {} {} [{} {}] ({:.3}, {:.3}): {}",
                c.score, p.id, p.name, p.country_code, p.feature_code, p.lat, p.lon, c.explanation
            );
        }
    }
}
