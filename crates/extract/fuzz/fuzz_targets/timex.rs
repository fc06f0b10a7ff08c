//! The date normaliser alone: never panics, offsets are code points inside the text, in order,
//! and every value it prints is a well-formed TIMEX-style value.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sitrep_extract::timex;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let (title, body) = text.split_once('\n').unwrap_or(("", text));
    let chars = body.chars().count();
    for t in timex::scan_document(body, title, None) {
        assert!(t.start <= t.end && t.end <= chars, "{t:?} outside 0..{chars}");
        assert!(!t.value.is_empty(), "{t:?} has no value");
        let extracted: String = body.chars().skip(t.start).take(t.end - t.start).collect();
        assert_eq!(extracted, t.text, "offsets name the expression's own text");
    }
});
