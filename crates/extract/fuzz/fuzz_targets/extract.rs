//! Text → events: never panics, deterministic, every interval ordered, every citation marker
//! kept by a sentence or reported. The first line of the input is the title.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use sitrep_extract::{Document, Extractor};

/// Built once: the registry and dictionary are parsed from JSON.
static EXTRACTOR: OnceLock<Extractor> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let (title, body) = text.split_once('\n').unwrap_or(("", text));
    let x = EXTRACTOR.get_or_init(Extractor::builtin);
    let published = chrono::NaiveDate::from_ymd_opt(2016, 2, 29);
    let a = x.extract(Document { text: body, title, published });
    let b = x.extract(Document { text: body, title, published });
    assert_eq!(a.events, b.events, "extraction is deterministic");
    for e in &a.events {
        if let (Some(lo), Some(hi)) = (e.when.earliest, e.when.latest) {
            assert!(lo <= hi, "earliest after latest: {e:?}");
        }
    }
});
