//! What `sitrep ingest` reads: files, folders and standard input in four formats, turned into
//! documents one at a time (a large CSV is never held whole). Each document carries a name
//! (`file`, `file:line`, `file:row N`) that every answer and error about it repeats.
//!
//! - text: the whole file is one document;
//! - html: the page's main text (readability, `dom_smoothie`), its title and published date
//!   from the page's metadata, its canonical URL as the source;
//! - jsonl: one JSON object a line, fields `text`, `title`, `published`, `source` (renamable);
//! - csv: a header row, then one document a row; columns named by flags, or found by their
//!   usual names (an ACLED export's `notes` and `event_date` work as they are).

use std::io::{BufRead, Read};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use chrono::NaiveDate;

/// Input formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Html,
    Jsonl,
    Csv,
}

impl Format {
    /// The format a file name says, if it says one.
    pub fn of(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "txt" | "text" | "md" => Format::Text,
            "html" | "htm" | "xhtml" => Format::Html,
            "jsonl" | "ndjson" => Format::Jsonl,
            "csv" => Format::Csv,
            _ => return None,
        })
    }
}

/// Where the fields of a JSONL object or a CSV row are (None: the usual names).
#[derive(Debug, Clone, Default)]
pub struct Fields {
    pub text: Option<String>,
    pub title: Option<String>,
    pub date: Option<String>,
    pub source: Option<String>,
}

/// Values that apply to every document that has none of its own.
#[derive(Debug, Clone, Default)]
pub struct Defaults {
    pub title: Option<String>,
    pub published: Option<String>,
    pub source: Option<String>,
}

/// One document to send.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Doc {
    pub text: String,
    pub title: String,
    pub published: String,
    pub source: String,
}

/// A document read, or why it could not be.
#[derive(Debug)]
pub struct Item {
    pub name: String,
    pub doc: std::result::Result<Doc, String>,
}

/// Usual names of each field, first found wins (case-insensitive).
const TEXT_NAMES: &[&str] = &["text", "notes", "body", "content"];
const TITLE_NAMES: &[&str] = &["title", "headline"];
const DATE_NAMES: &[&str] = &["published", "date", "event_date", "published_at"];
const SOURCE_NAMES: &[&str] = &["source", "url", "source_url", "link"];

/// Every input file, in order: files as given, folders walked (sorted), files whose format is
/// not known skipped in folders (an error when named). `-` is standard input.
pub fn inputs(paths: &[PathBuf], format: Option<Format>) -> Result<Vec<(PathBuf, Format)>> {
    let mut out = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            out.push((p.clone(), format.unwrap_or(Format::Text)));
        } else if p.is_dir() {
            let mut files = Vec::new();
            walk(p, &mut files).with_context(|| format!("reading folder {}", p.display()))?;
            files.sort();
            for f in files {
                if let Some(fmt) = format.or_else(|| Format::of(&f)) {
                    out.push((f, fmt));
                }
            }
        } else if p.is_file() {
            let fmt = format.or_else(|| Format::of(p)).unwrap_or(Format::Text);
            out.push((p.clone(), fmt));
        } else {
            bail!("{}: no such file or folder", p.display());
        }
    }
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let hidden = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'));
        if hidden {
            continue;
        }
        if path.is_dir() {
            walk(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

/// A date as YYYY-MM-DD: ISO dates and timestamps, "5 January 2022", "January 5, 2022".
pub fn normalize_date(s: &str) -> Option<String> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if let Some(d) = s
        .get(..10)
        .and_then(|p| NaiveDate::parse_from_str(p, "%Y-%m-%d").ok())
    {
        return Some(d.to_string());
    }
    for f in ["%d %B %Y", "%d %b %Y", "%B %d, %Y", "%b %d, %Y", "%Y/%m/%d"] {
        if let Ok(d) = NaiveDate::parse_from_str(s, f) {
            return Some(d.to_string());
        }
    }
    None
}

fn utf8(name: &str, bytes: Vec<u8>) -> std::result::Result<String, String> {
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "{name}: not valid UTF-8 (at byte {}): convert it to UTF-8 first",
            e.utf8_error().valid_up_to()
        )
    })
}

fn read_all(path: &Path) -> std::io::Result<Vec<u8>> {
    let mut buf = Vec::new();
    if path.as_os_str() == "-" {
        std::io::stdin().lock().read_to_end(&mut buf)?;
    } else {
        buf = std::fs::read(path)?;
    }
    Ok(buf)
}

fn display(path: &Path) -> String {
    if path.as_os_str() == "-" {
        "<stdin>".into()
    } else {
        path.display().to_string()
    }
}

/// Read every input, handing each document to `emit` (which returns false to stop).
pub fn read(
    files: &[(PathBuf, Format)],
    fields: &Fields,
    defaults: &Defaults,
    emit: &mut dyn FnMut(Item) -> bool,
) -> Result<()> {
    for (path, format) in files {
        let name = display(path);
        let go_on = match format {
            Format::Text | Format::Html => {
                let doc = match read_all(path) {
                    Err(e) => Err(format!("{name}: {e}")),
                    Ok(bytes) => match utf8(&name, bytes) {
                        Err(e) => Err(e),
                        Ok(s) if *format == Format::Text => Ok(text_doc(path, s, defaults)),
                        Ok(s) => html_doc(&name, &s, defaults),
                    },
                };
                emit(Item {
                    name: name.clone(),
                    doc,
                })
            }
            Format::Jsonl => jsonl(path, &name, fields, defaults, emit)?,
            Format::Csv => csv(path, &name, fields, defaults, emit)?,
        };
        if !go_on {
            break;
        }
    }
    Ok(())
}

fn text_doc(path: &Path, text: String, d: &Defaults) -> Doc {
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .filter(|_| path.as_os_str() != "-")
        .unwrap_or_default();
    Doc {
        text,
        title: d.title.clone().unwrap_or_else(|| stem.to_string()),
        published: d.published.clone().unwrap_or_default(),
        source: d.source.clone().unwrap_or_default(),
    }
}

/// Fewer words than this in a page's main text: it has none.
const MIN_WORDS: usize = 6;

/// An HTML page's main text, title, published date and URL.
pub fn html_doc(name: &str, html: &str, d: &Defaults) -> std::result::Result<Doc, String> {
    let cfg = dom_smoothie::Config {
        text_mode: dom_smoothie::TextMode::Formatted,
        ..Default::default()
    };
    let mut r = dom_smoothie::Readability::new(html, None, Some(cfg))
        .map_err(|e| format!("{name}: {e}"))?;
    let article = r
        .parse()
        .map_err(|e| format!("{name}: no main text found in the page ({e})"))?;
    let text = article.text_content.to_string();
    // what is left of a page without an article is its menu or a caption: a few words
    if text.split_whitespace().count() < MIN_WORDS {
        return Err(format!(
            "{name}: no main text found in the page (fewer than {MIN_WORDS} words)"
        ));
    }
    let published = article.published_time.as_deref().and_then(normalize_date);
    Ok(Doc {
        text,
        title: d
            .title
            .clone()
            .unwrap_or_else(|| article.title.trim().to_string()),
        published: d.published.clone().or(published).unwrap_or_default(),
        source: d
            .source
            .clone()
            .or_else(|| article.url.clone().filter(|u| u.starts_with("http")))
            .unwrap_or_default(),
    })
}

/// A field of an object or row: the named one, else the first usual name present.
fn pick<'a>(wanted: &Option<String>, usual: &[&str], present: &'a [String]) -> Option<&'a str> {
    match wanted {
        Some(w) => present
            .iter()
            .find(|p| p.eq_ignore_ascii_case(w))
            .map(String::as_str),
        None => usual
            .iter()
            .find_map(|u| present.iter().find(|p| p.eq_ignore_ascii_case(u)))
            .map(String::as_str),
    }
}

/// A document from its fields (`get` reads one by name); errors name what is missing.
fn fields_doc(
    name: &str,
    keys: &[String],
    fields: &Fields,
    d: &Defaults,
    get: &dyn Fn(&str) -> Option<String>,
) -> std::result::Result<Doc, String> {
    let text_key = pick(&fields.text, TEXT_NAMES, keys).ok_or_else(|| match &fields.text {
        Some(t) => format!("{name}: no text field {t:?}"),
        None => format!(
            "{name}: no text field (looked for {}; name it with --text-column)",
            TEXT_NAMES.join(", ")
        ),
    })?;
    let text = get(text_key).unwrap_or_default();
    if text.trim().is_empty() {
        return Err(format!("{name}: the text field {text_key:?} is empty"));
    }
    let value = |wanted: &Option<String>, usual: &[&str]| {
        pick(wanted, usual, keys)
            .and_then(get)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let published = match value(&fields.date, DATE_NAMES) {
        Some(v) => Some(normalize_date(&v).ok_or_else(|| {
            format!("{name}: cannot read the date {v:?} (YYYY-MM-DD, or 5 January 2022)")
        })?),
        None => None,
    };
    Ok(Doc {
        text,
        title: value(&fields.title, TITLE_NAMES)
            .or_else(|| d.title.clone())
            .unwrap_or_default(),
        published: published
            .or_else(|| d.published.clone())
            .unwrap_or_default(),
        source: value(&fields.source, SOURCE_NAMES)
            .or_else(|| d.source.clone())
            .unwrap_or_default(),
    })
}

fn open(path: &Path) -> Result<Box<dyn BufRead>> {
    Ok(if path.as_os_str() == "-" {
        Box::new(std::io::BufReader::new(std::io::stdin()))
    } else {
        Box::new(std::io::BufReader::new(
            std::fs::File::open(path).with_context(|| format!("opening {}", path.display()))?,
        ))
    })
}

fn jsonl(
    path: &Path,
    name: &str,
    fields: &Fields,
    d: &Defaults,
    emit: &mut dyn FnMut(Item) -> bool,
) -> Result<bool> {
    let mut reader = open(path)?;
    let mut line = Vec::new();
    let mut n = 0usize;
    loop {
        line.clear();
        if reader
            .read_until(b'\n', &mut line)
            .with_context(|| format!("reading {name}"))?
            == 0
        {
            return Ok(true);
        }
        n += 1;
        let here = format!("{name}:{n}");
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let doc = utf8(&here, std::mem::take(&mut line)).and_then(|s| {
            let v: serde_json::Value =
                serde_json::from_str(&s).map_err(|e| format!("{here}: not a JSON object: {e}"))?;
            let obj = v
                .as_object()
                .ok_or_else(|| format!("{here}: not a JSON object"))?;
            let keys: Vec<String> = obj.keys().cloned().collect();
            let get = |k: &str| {
                obj.get(k).and_then(|v| match v {
                    serde_json::Value::String(s) => Some(s.clone()),
                    serde_json::Value::Null => None,
                    other => Some(other.to_string()),
                })
            };
            fields_doc(&here, &keys, fields, d, &get)
        });
        if !emit(Item { name: here, doc }) {
            return Ok(false);
        }
    }
}

fn csv(
    path: &Path,
    name: &str,
    fields: &Fields,
    d: &Defaults,
    emit: &mut dyn FnMut(Item) -> bool,
) -> Result<bool> {
    // '#' lines before or between rows are comments (ACLED samples open with one)
    let mut reader = ::csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .flexible(true)
        .from_reader(open(path)?);
    let header: Vec<String> = reader
        .byte_headers()
        .with_context(|| format!("reading the header row of {name}"))?
        .iter()
        .map(|h| String::from_utf8_lossy(h).trim().to_string())
        .collect();
    if let Some(t) = &fields.text {
        if !header.iter().any(|h| h.eq_ignore_ascii_case(t)) {
            bail!(
                "{name}: no column {t:?} in the header ({})",
                header.join(", ")
            );
        }
    } else if pick(&None, TEXT_NAMES, &header).is_none() {
        bail!(
            "{name}: no text column (looked for {}; name it with --text-column)",
            TEXT_NAMES.join(", ")
        );
    }
    let mut record = ::csv::ByteRecord::new();
    let mut row = 0usize;
    loop {
        let more = reader.read_byte_record(&mut record);
        row += 1;
        let line = record.position().map_or(0, |p| p.line());
        let here = format!("{name}:{line} (row {row})");
        let doc = match more {
            Ok(false) => return Ok(true),
            Ok(true) => {
                let mut values = Vec::with_capacity(record.len());
                let mut bad = None;
                for (i, v) in record.iter().enumerate() {
                    match std::str::from_utf8(v) {
                        Ok(s) => values.push(s.to_string()),
                        Err(e) => {
                            bad = Some(format!(
                                "{here}: column {:?} is not valid UTF-8 (at byte {})",
                                header.get(i).map_or("?", String::as_str),
                                e.valid_up_to()
                            ));
                            break;
                        }
                    }
                }
                match bad {
                    Some(e) => Err(e),
                    None => {
                        // a short row lacks the columns past its end
                        let keys: Vec<String> = header.iter().take(values.len()).cloned().collect();
                        let get = |k: &str| {
                            keys.iter()
                                .position(|h| h == k)
                                .and_then(|i| values.get(i).cloned())
                        };
                        fields_doc(&here, &keys, fields, d, &get)
                    }
                }
            }
            Err(e) => Err(format!("{here}: {e}")),
        };
        if !emit(Item { name: here, doc }) {
            return Ok(false);
        }
    }
}

/// How many documents the inputs hold (for the progress bar), or None when one is stdin.
pub fn count(files: &[(PathBuf, Format)]) -> Option<u64> {
    let mut n = 0u64;
    for (path, format) in files {
        if path.as_os_str() == "-" {
            return None;
        }
        n += match format {
            Format::Text | Format::Html => 1,
            Format::Jsonl => std::fs::read(path)
                .ok()?
                .split(|b| *b == b'\n')
                .filter(|l| !l.iter().all(u8::is_ascii_whitespace))
                .count() as u64,
            Format::Csv => ::csv::ReaderBuilder::new()
                .comment(Some(b'#'))
                .flexible(true)
                .from_path(path)
                .ok()?
                .byte_records()
                .count() as u64,
        };
    }
    Some(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect(files: &[(PathBuf, Format)], fields: &Fields) -> Vec<Item> {
        let mut out = Vec::new();
        read(files, fields, &Defaults::default(), &mut |i| {
            out.push(i);
            true
        })
        .unwrap();
        out
    }

    #[test]
    fn dates_of_every_usual_form() {
        for (s, want) in [
            ("2022-01-05", "2022-01-05"),
            ("2022-01-05T10:00:00Z", "2022-01-05"),
            ("5 January 2022", "2022-01-05"),
            ("January 5, 2022", "2022-01-05"),
        ] {
            assert_eq!(normalize_date(s).as_deref(), Some(want), "{s}");
        }
        assert_eq!(normalize_date("last week"), None);
    }

    #[test]
    fn csv_rows_with_acled_names_and_a_row_without_text() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("events.csv");
        std::fs::write(&p, "# a comment line\nevent_id_cnty,event_date,source,notes\nX1,2022-01-05,SOHR,\"On 5 January 2022, shelling hit Idlib.\"\nX2,2022-01-06,SOHR\nX3,06 January 2022,SOHR,Clashes in Aleppo.\n").unwrap();
        let items = collect(&[(p, Format::Csv)], &Fields::default());
        assert_eq!(items.len(), 3);
        let first = items[0].doc.as_ref().unwrap();
        assert_eq!(
            (first.published.as_str(), first.source.as_str()),
            ("2022-01-05", "SOHR")
        );
        assert!(first.text.starts_with("On 5 January"));
        let err = items[1].doc.as_ref().unwrap_err();
        assert!(
            err.contains("row 2") && err.contains("no text field"),
            "{err}"
        );
        assert_eq!(items[2].doc.as_ref().unwrap().published, "2022-01-06");
    }

    #[test]
    fn jsonl_with_renamed_fields_and_bad_lines() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("feed.jsonl");
        std::fs::write(&p, "{\"body\":\"Shelling hit Homs.\",\"headline\":\"Homs\",\"when\":\"2015-03-02\"}\n\nnot json\n{\"body\":\"\"}\n").unwrap();
        let fields = Fields {
            date: Some("when".into()),
            ..Default::default()
        };
        let items = collect(&[(p, Format::Jsonl)], &fields);
        assert_eq!(items.len(), 3);
        let d = items[0].doc.as_ref().unwrap();
        assert_eq!(
            (d.title.as_str(), d.published.as_str()),
            ("Homs", "2015-03-02")
        );
        assert!(items[1]
            .doc
            .as_ref()
            .unwrap_err()
            .contains(":3: not a JSON object"));
        assert!(items[2].doc.as_ref().unwrap_err().contains("is empty"));
    }

    #[test]
    fn html_main_text_title_and_date_from_metadata() {
        let para = "Government forces shelled the town of Zabadani on Monday, a monitor said, and fighting went on near the border. ";
        let html = format!(
            "<html><head><title>Clashes near Zabadani | News</title><meta property=\"article:published_time\" content=\"2015-07-06T08:00:00Z\">\
             <link rel=\"canonical\" href=\"https://news.example/zabadani\"></head><body><nav>Home | World</nav>\
             <article><h1>Clashes near Zabadani</h1><p>{}</p><p>{}</p></article><footer>Contact us</footer></body></html>",
            para.repeat(3),
            para.repeat(2)
        );
        let d = html_doc("page.html", &html, &Defaults::default()).unwrap();
        assert!(
            d.text.contains("shelled the town of Zabadani"),
            "{}",
            d.text
        );
        assert!(!d.text.contains("Contact us"));
        assert_eq!(d.published, "2015-07-06");
        assert!(d.title.contains("Zabadani"), "{}", d.title);
        let empty = html_doc(
            "empty.html",
            "<html><head><title>Nothing</title></head><body><nav>Home</nav></body></html>",
            &Defaults::default(),
        );
        assert!(empty.unwrap_err().contains("no main text"));
    }

    #[test]
    fn folders_keep_known_formats_in_order() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("b.html"), "<p>x</p>").unwrap();
        std::fs::write(dir.path().join("a.txt"), "x").unwrap();
        std::fs::write(dir.path().join("notes.pdf"), "x").unwrap();
        let files = inputs(&[dir.path().to_path_buf()], None).unwrap();
        let names: Vec<String> = files
            .iter()
            .map(|(p, _)| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["a.txt", "b.html"]);
        assert_eq!(files[1].1, Format::Html);
    }
}
