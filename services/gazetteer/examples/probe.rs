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
    let gaz = Gazetteer::new(Store::open(std::path::Path::new(&dir)).expect("open store"));
    for name in args {
        let req = ResolveRequest { mentions: vec![PlaceMention { text: name.clone(), ..Default::default() }], country_focus: vec!["SY".into(), "LB".into()], ..Default::default() };
        let rounds = 50;
        let t = Instant::now();
        let mut best = String::new();
        for _ in 0..rounds {
            let r = gaz.resolve_blocking(&req).expect("resolve");
            best = r.resolutions[0].best.as_ref().and_then(|c| c.place.as_ref()).map(|p| format!("{} {}", p.id, p.name)).unwrap_or_default();
        }
        println!("{name:?}: {:.3} ms per call → {best}", t.elapsed().as_secs_f64() * 1e3 / rounds as f64);
    }
}
