//! Streaming import of GeoNames files: rows in, places out, in batches, idempotent.

use std::io::BufRead;
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::geonames::{parse_line, Row};
use crate::store::{ImportStats, PlaceRecord, Store};

/// Rows written per transaction.
const BATCH: usize = 2000;

/// Feeds byte chunks (whole lines or not) into the store.
pub struct Importer {
    store: Store,
    pending: Vec<u8>,
    places: Vec<PlaceRecord>,
    names: Vec<(u64, String)>,
    stats: ImportStats,
    /// Lines read, lines that parsed, and the first that did not (number, start of it).
    lines: u64,
    parsed: u64,
    first_bad: Option<(u64, String)>,
}

impl Importer {
    pub fn new(store: Store) -> Self {
        Importer {
            store,
            pending: Vec::new(),
            places: Vec::new(),
            names: Vec::new(),
            stats: ImportStats::default(),
            lines: 0,
            parsed: 0,
            first_bad: None,
        }
    }

    pub fn feed(&mut self, bytes: &[u8]) -> Result<()> {
        self.pending.extend_from_slice(bytes);
        let Some(last_nl) = self.pending.iter().rposition(|b| *b == b'\n') else {
            return Ok(());
        };
        let rest = self.pending.split_off(last_nl + 1);
        let lines = std::mem::replace(&mut self.pending, rest);
        for line in lines.split(|b| *b == b'\n') {
            self.line(&String::from_utf8_lossy(line))?;
        }
        Ok(())
    }

    fn line(&mut self, line: &str) -> Result<()> {
        self.lines += 1;
        match parse_line(line) {
            Some(Row::Place(p)) => {
                self.parsed += 1;
                self.places.push(p)
            }
            Some(Row::AlternateName(id, n)) => {
                self.parsed += 1;
                self.names.push((id, n))
            }
            None => {
                if !line.trim().is_empty() {
                    self.stats.skipped += 1;
                    self.stats.rows += 1;
                    if self.first_bad.is_none() {
                        self.first_bad = Some((self.lines, line.chars().take(60).collect()));
                    }
                }
            }
        }
        if self.places.len() >= BATCH || self.names.len() >= BATCH {
            self.write()?;
        }
        Ok(())
    }

    fn write(&mut self) -> Result<()> {
        let s = self.store.upsert(&std::mem::take(&mut self.places))?;
        let n = self
            .store
            .add_alternate_names(&std::mem::take(&mut self.names))?;
        for x in [s, n] {
            self.stats.rows += x.rows;
            self.stats.inserted += x.inserted;
            self.stats.updated += x.updated;
            self.stats.skipped += x.skipped;
        }
        Ok(())
    }

    pub fn finish(mut self) -> Result<ImportStats> {
        if !self.pending.is_empty() {
            let last = std::mem::take(&mut self.pending);
            self.line(&String::from_utf8_lossy(&last))?;
        }
        self.write()?;
        // a large write emptied what resolution holds in memory: read it again
        self.store.refill()?;
        // a file of which no line parses is not a GeoNames file (a few bad lines are skipped)
        if let (0, Some((n, start))) = (self.parsed, &self.first_bad) {
            return Err(Error::InvalidArgument(format!(
                "no GeoNames rows: line {n} ({start:?}) is neither a `geoname` row (19 tab-separated fields) nor an alternateNamesV2 row"
            )));
        }
        Ok(self.stats)
    }

    pub fn stats(&self) -> ImportStats {
        self.stats
    }
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |source| Error::Io {
        path: path.display().to_string(),
        source,
    }
}

/// Import a file: plain GeoNames text, or a zip holding such files. Files already imported with
/// the same content are skipped (idempotent restarts). `progress` gets the rows so far.
pub fn import_file(
    store: &Store,
    path: &Path,
    mut progress: impl FnMut(u64),
) -> Result<ImportStats> {
    let mut file = std::fs::File::open(path).map_err(io(path))?;
    let mut hasher = Sha256::new();
    std::io::copy(&mut file, &mut hasher).map_err(io(path))?;
    let sha = format!("{:x}", hasher.finalize());
    if store.was_imported(&sha)? {
        tracing::info!(path = %path.display(), "already imported; skipped");
        return Ok(ImportStats::default());
    }
    let file = std::fs::File::open(path).map_err(io(path))?;
    let is_zip = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("zip"));
    let mut importer = Importer::new(store.clone());
    if is_zip {
        let mut archive = zip::ZipArchive::new(file).map_err(|e| {
            Error::InvalidArgument(format!("{}: not a readable zip: {e}", path.display()))
        })?;
        for i in 0..archive.len() {
            let entry = archive
                .by_index(i)
                .map_err(|e| Error::InvalidArgument(format!("{}: {e}", path.display())))?;
            if !entry.name().ends_with(".txt") || entry.name().eq_ignore_ascii_case("readme.txt") {
                continue;
            }
            feed_reader(
                &mut importer,
                std::io::BufReader::new(entry),
                path,
                &mut progress,
            )?;
        }
    } else {
        feed_reader(
            &mut importer,
            std::io::BufReader::new(file),
            path,
            &mut progress,
        )?;
    }
    let stats = importer.finish()?;
    store.mark_imported(&sha, stats.rows)?;
    Ok(stats)
}

/// Import the rows of a string (the bundled data).
pub fn import_str(store: &Store, label: &str, text: &str) -> Result<ImportStats> {
    let sha = format!("{:x}", Sha256::digest(text.as_bytes()));
    if store.was_imported(&sha)? {
        return Ok(ImportStats::default());
    }
    let mut importer = Importer::new(store.clone());
    importer.feed(text.as_bytes())?;
    let stats = importer.finish()?;
    store.mark_imported(&sha, stats.rows)?;
    tracing::info!(
        label,
        rows = stats.rows,
        inserted = stats.inserted,
        "imported"
    );
    Ok(stats)
}

fn feed_reader(
    importer: &mut Importer,
    mut reader: impl BufRead,
    path: &Path,
    progress: &mut impl FnMut(u64),
) -> Result<()> {
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = reader.read(&mut buf).map_err(io(path))?;
        if n == 0 {
            return Ok(());
        }
        importer.feed(&buf[..n])?;
        progress(importer.stats().rows);
    }
}
