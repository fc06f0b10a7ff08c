//! The built-in word lists that are read once for the whole process — the place words
//! (`data/places.json`) and the temporal vocabulary (`data/timex.json`) — and the word files
//! that extend them (`--words FILE`), given before the first text is read.
//!
//! A word file is JSON with a `places` and a `timex` part, each in the layout of its built-in
//! file and each key optional: a list is appended to the built-in list, a table's entries are
//! added (or replace the built-in entry of that key), and the calendar tables that are read by
//! position (`months`, `weekdays`) add their spellings to the month or day at the same position.
//!
//! ```json
//! {"places": {"heads_after": ["kebele"]},
//!  "timex": {"months": [{"names": ["janvier"]}, {"names": ["fevrier"]}]}}
//! ```

use std::sync::OnceLock;

use serde_json::Value;

use crate::Error;

/// The word files in force, set once (by [`extend`]) before the vocabularies are first read.
static EXTENSIONS: OnceLock<Vec<Value>> = OnceLock::new();

/// Lists read by position: the n-th entry of a word file extends the n-th built-in one.
const BY_POSITION: &[&str] = &["months", "weekdays"];

/// Extend the built-in vocabularies with word files (their contents), for the whole process.
/// Called before any text is read (again with the same files: nothing changes — the services of
/// one process share the vocabulary); each file is checked now (a file that cannot be read as
/// vocabulary is an error here, not when the first text comes).
pub fn extend(files: &[&str]) -> Result<(), Error> {
    let mut values = Vec::with_capacity(files.len());
    for f in files {
        let v: Value =
            serde_json::from_str(f).map_err(|e| Error::Data(format!("word file: {e}")))?;
        let Value::Object(parts) = &v else {
            return Err(Error::Data(
                "word file: an object with \"places\" and/or \"timex\"".into(),
            ));
        };
        if let Some(k) = parts
            .keys()
            .find(|k| !matches!(k.as_str(), "places" | "timex"))
        {
            return Err(Error::Data(format!(
                "word file: unknown part {k:?} (\"places\" or \"timex\")"
            )));
        }
        values.push(v);
    }
    // check that each vocabulary reads with the files before any is used
    crate::places::check_words(&values).map_err(|e| Error::Data(format!("places: {e}")))?;
    crate::timex::check_words(&values).map_err(|e| Error::Data(format!("timex: {e}")))?;
    // (several services of one process may give them at once: the same files are no conflict)
    match EXTENSIONS.set(values) {
        Ok(()) => Ok(()),
        Err(values) if EXTENSIONS.get() == Some(&values) => Ok(()),
        Err(_) => Err(Error::Data(
            "word files are given once, before any text is read, to the whole process".into(),
        )),
    }
}

/// The word files in force (none unless [`extend`] was called first).
pub(crate) fn extensions() -> &'static [Value] {
    EXTENSIONS.get_or_init(Vec::new)
}

/// The built-in file `builtin` with the `part` of each word file merged into it.
pub(crate) fn merged(
    builtin: &str,
    part: &str,
    files: &[Value],
) -> Result<Value, serde_json::Error> {
    let mut base: Value = serde_json::from_str(builtin)?;
    for f in files {
        if let Some(ext) = f.get(part) {
            merge(&mut base, ext, None);
        }
    }
    Ok(base)
}

fn merge(base: &mut Value, ext: &Value, key: Option<&str>) {
    match (base, ext) {
        (Value::Object(b), Value::Object(e)) => {
            for (k, v) in e {
                match b.get_mut(k) {
                    Some(have) => merge(have, v, Some(k)),
                    None => {
                        b.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (Value::Array(b), Value::Array(e)) if key.is_some_and(|k| BY_POSITION.contains(&k)) => {
            for (have, v) in b.iter_mut().zip(e) {
                merge(have, v, None);
            }
        }
        (Value::Array(b), Value::Array(e)) => b.extend(e.iter().cloned()),
        (b, e) => *b = e.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_append_tables_add_and_calendars_merge_by_position() {
        let base = r#"{"heads_after": ["hill"], "units": {"day": ["day"]},
                       "months": [{"names": ["january"]}, {"names": ["february"]}], "new_year": "x"}"#;
        let ext: Value = serde_json::from_str(
            r#"{"t": {"heads_after": ["kebele"], "units": {"day": ["jour"], "week": ["semaine"]},
                      "months": [{"names": ["janvier"]}], "new_year": "y"}}"#,
        )
        .unwrap();
        let m = merged(base, "t", &[ext]).unwrap();
        assert_eq!(m["heads_after"], serde_json::json!(["hill", "kebele"]));
        assert_eq!(m["units"]["day"], serde_json::json!(["day", "jour"]));
        assert_eq!(m["units"]["week"], serde_json::json!(["semaine"]));
        assert_eq!(
            m["months"][0]["names"],
            serde_json::json!(["january", "janvier"])
        );
        assert_eq!(m["months"][1]["names"], serde_json::json!(["february"]));
        assert_eq!(m["new_year"], "y");
    }

    #[test]
    fn a_word_file_extends_the_place_words_and_reads_with_the_calendar() {
        let file: Value = serde_json::from_str(
            r#"{"places": {"heads_after": ["gewog"], "first_units": ["dzongkhag"]},
                "timex": {"months": [{"names": ["janvier"]}, {"names": ["fevrier"]}]}}"#,
        )
        .unwrap();
        let w = crate::places::PlaceWords::read(std::slice::from_ref(&file)).unwrap();
        assert!(w.heads_after.contains(&"gewog") && w.heads_after.contains(&"hill"));
        assert!(w.first_units.contains(&"dzongkhag"));
        assert!(crate::timex::check_words(std::slice::from_ref(&file)).is_ok());
    }

    #[test]
    fn a_bad_word_file_is_refused_with_its_reason() {
        assert!(extend(&["[1]"]).is_err());
        assert!(extend(&[r#"{"people": {}}"#]).is_err());
        // a list where a list of words belongs
        let e = extend(&[r#"{"places": {"heads_after": "kebele"}}"#]).unwrap_err();
        assert!(e.to_string().contains("places"), "{e}");
        assert!(extensions().is_empty(), "nothing set by a refused call");
    }
}
