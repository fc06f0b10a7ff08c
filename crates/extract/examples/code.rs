//! Code sentences read from standard input, one document a line, and print each event: kind,
//! ACLED sub-event type, dates, actors (id:role) and places. For looking at what the rules do:
//!
//!     echo "On 3 May 2022, gunmen shot a man in Nawa." | cargo run -p sitrep-extract --example code

use std::io::BufRead;

use sitrep_extract::{Document, Extractor};

fn main() {
    let x = Extractor::builtin();
    for line in std::io::stdin().lock().lines().map_while(Result::ok) {
        if line.trim().is_empty() {
            continue;
        }
        let r = x.extract(Document {
            text: &line,
            title: "",
            published: None,
        });
        println!("{}", line.chars().take(100).collect::<String>());
        for e in &r.events {
            let actors: Vec<String> = e
                .actors
                .iter()
                .map(|a| format!("{}:{:?}", a.id, a.role))
                .collect();
            let places: Vec<&str> = e.places.iter().map(|p| p.mention.as_str()).collect();
            println!(
                "  {:?} [{}] {}..{} {} @ {} trigger={:?} killed={:?}",
                e.kind,
                e.acled_sub_event_type.as_deref().unwrap_or("-"),
                e.when.earliest.map(|d| d.to_string()).unwrap_or_default(),
                e.when.latest.map(|d| d.to_string()).unwrap_or_default(),
                actors.join(","),
                places.join(";"),
                e.trigger,
                e.fatalities
            );
        }
    }
}
