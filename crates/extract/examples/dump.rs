//! Print the events of a text file as JSON lines: `cargo run -p sitrep-extract --example dump FILE TITLE`.
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let text = std::fs::read_to_string(&args[1]).expect("readable file");
    let title = args.get(2).cloned().unwrap_or_default();
    let x = sitrep_extract::Extractor::builtin();
    let r = x.extract(sitrep_extract::Document {
        text: &text,
        title: &title,
        published: None,
    });
    for e in &r.events {
        println!("{}", serde_json::to_string(e).unwrap_or_default());
    }
    eprintln!("country focus: {:?}", r.country_focus);
    for p in r.events.iter().flat_map(|e| e.places.iter()) {
        eprintln!("place mention: {:?} near {:?}", p.mention, p.near);
    }
    for d in &r.diagnostics {
        eprintln!("{d}");
    }
}
