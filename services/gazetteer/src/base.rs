//! The base layer: a compact, read-only index of the bundled places (GeoNames' world cities500,
//! the world's countries and administrative divisions), built once from the bundled data at
//! first start and written to one file in the data folder; later starts read it back in a
//! fraction of a second. Users' imports, provisional places and merges stay in sled
//! ([`crate::store`]), which reads through to this layer: a place written to sled hides its base
//! row (see [`crate::store::Store`]).
//!
//! # File layout (`base-<hash>.idx`, little-endian)
//! A header (magic, format, place count, then the offset and length of each section), then the
//! sections, each a flat array:
//! - `BRIEF_OFF`/`BRIEFS`: per place, the offset of its [`Brief`] (postcard) in the blob.
//! - `GIDS`: (geonameid u64, place u32), sorted by geonameid: `geonames:<n>` → place.
//! - `NAME_KEYS`/`NAME_ENTRIES`/`NAME_POST`: folded full names, sorted; each entry (key offset,
//!   key length, postings offset, postings count) → place numbers (u32).
//! - `WORD_KEYS`/`WORD_ENTRIES`/`WORD_POST`: folded core words, likewise; a word's postings are
//!   [`HIT_BYTES`]-byte hits (place, country, population, latitude, longitude) in the order of
//!   sled's word index: by country, most populous first.
//! - `CELLS`: (0.1° cell u32, place u32), sorted (Nearby).
//! - `ADMIN_KEYS`/`ADMIN_ENTRIES`: administrative code ("UA", "UA.14", "UA.14.4404") → place.
//! - `NEAR`: (hash u32, word entry u32), sorted: each ASCII word of [`near::MIN_LEN`] letters or
//!   more under itself and its one-letter deletions (FNV-1a hashes), for near spellings without a
//!   scan (as [`near`] does for sled's words).
//! - `RECORD_OFF`/`RECORDS`: per place, its alternate names (newline-separated), read from the
//!   file on demand (`Get` and `Nearby` only); everything before them is held in memory.
//!
//! **Invariant:** the file's name carries the hash of the data, of the folding's words
//! ([`crate::fold::vocabulary`]) and of [`FORMAT`] it was built
//! from: other data or another layout builds a new file (the old one is removed).

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::geonames::{parse_line, Row};
use crate::near;
use crate::store::{cell_of, Brief, PlaceRecord, WordHit};

/// Layout version: part of the file's hash (and bumped when folding changes what the keys are).
pub const FORMAT: u32 = 4;
const MAGIC: &[u8; 8] = b"SRGZBASE";
const SECTIONS: usize = 15;
const BRIEF_OFF: usize = 0;
const BRIEFS: usize = 1;
const GIDS: usize = 2;
const NAME_KEYS: usize = 3;
const NAME_ENTRIES: usize = 4;
const NAME_POST: usize = 5;
const WORD_KEYS: usize = 6;
const WORD_ENTRIES: usize = 7;
const WORD_POST: usize = 8;
const CELLS: usize = 9;
const ADMIN_KEYS: usize = 10;
const ADMIN_ENTRIES: usize = 11;
const NEAR: usize = 12;
const RECORD_OFF: usize = 13;
const RECORDS: usize = 14;
/// Bytes of one word hit: place u32, country 2 bytes, 2 spare, population u64, lat f32, lon f32.
pub const HIT_BYTES: usize = 24;
const HEADER: usize = 8 + 4 + 4 + SECTIONS * 16;

/// A source of bundled rows: a label, and GeoNames `geoname` rows as text or in a zip.
pub struct Source<'a> {
    pub label: &'a str,
    pub bytes: &'a [u8],
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(b[at..at + 4].try_into().expect("4 bytes"))
}

fn u64_at(b: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(b[at..at + 8].try_into().expect("8 bytes"))
}

/// The read-only index, held in memory but for the full records.
pub struct Base {
    path: PathBuf,
    file: std::fs::File,
    /// The file up to the records.
    mem: Box<[u8]>,
    /// (offset, length) of each section in the file.
    sections: [(usize, usize); SECTIONS],
    /// `geonames:<n>` of each place, shared by the hits handed out.
    ids: Vec<Arc<str>>,
    size: u64,
}

impl std::fmt::Debug for Base {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Base")
            .field("path", &self.path)
            .field("places", &self.len())
            .finish()
    }
}

/// Each section as it is built.
#[derive(Default)]
struct Builder {
    sections: Vec<Vec<u8>>,
}

fn corrupt(what: &str) -> Error {
    Error::Corrupt(format!("base index: {what}"))
}

/// Parse the rows of the sources: places with a geonameid (other rows are for sled).
fn parse_sources(sources: &[Source<'_>]) -> Result<Vec<PlaceRecord>> {
    let mut places = Vec::new();
    for s in sources {
        let mut text = String::new();
        if s.bytes.starts_with(b"PK") {
            let mut archive = zip::ZipArchive::new(std::io::Cursor::new(s.bytes)).map_err(|e| {
                Error::InvalidArgument(format!("{}: not a readable zip: {e}", s.label))
            })?;
            for i in 0..archive.len() {
                let mut entry = archive
                    .by_index(i)
                    .map_err(|e| Error::InvalidArgument(format!("{}: {e}", s.label)))?;
                if entry.name().ends_with(".txt")
                    && !entry.name().eq_ignore_ascii_case("readme.txt")
                {
                    entry
                        .read_to_string(&mut text)
                        .map_err(|e| Error::InvalidArgument(format!("{}: {e}", s.label)))?;
                }
            }
        } else {
            text = String::from_utf8_lossy(s.bytes).into_owned();
        }
        for line in text.lines() {
            if let Some(Row::Place(mut p)) = parse_line(line) {
                if p.id.starts_with("geonames:") {
                    p.keys.clear();
                    places.push(p);
                }
            }
        }
    }
    // one row per place: the last source's wins
    let mut seen = rustc_hash::FxHashMap::default();
    let mut out: Vec<PlaceRecord> = Vec::with_capacity(places.len());
    for p in places {
        match seen.get(&p.id) {
            Some(&i) => out[i] = p,
            None => {
                seen.insert(p.id.clone(), out.len());
                out.push(p);
            }
        }
    }
    Ok(out)
}

fn gid(id: &str) -> Option<u64> {
    id.strip_prefix("geonames:")?.parse().ok()
}

/// A sorted table of string keys → postings, as three sections.
fn table(keys: Vec<(String, Vec<u8>, u32)>) -> (Vec<u8>, Vec<u8>, Vec<u8>) {
    let (mut kb, mut eb, mut pb) = (Vec::new(), Vec::new(), Vec::new());
    for (k, post, count) in keys {
        eb.extend_from_slice(&(kb.len() as u32).to_le_bytes());
        eb.extend_from_slice(&(k.len() as u32).to_le_bytes());
        eb.extend_from_slice(&(pb.len() as u32).to_le_bytes());
        eb.extend_from_slice(&count.to_le_bytes());
        kb.extend_from_slice(k.as_bytes());
        pb.extend_from_slice(&post);
    }
    (kb, eb, pb)
}

/// What one place gives the index, folded once.
struct Derived {
    brief: Vec<u8>,
    names: Vec<String>,
    words: Vec<String>,
}

/// Fold each name of `p` once: its full-name keys, its core words (for the word index), the
/// folded core words of each name (the brief's `keys`) and the generic heads of its own names.
fn derive(p: &PlaceRecord) -> Result<Derived> {
    let (mut names, mut words, mut keys, mut heads) =
        (Vec::new(), Vec::new(), Vec::<String>::new(), Vec::new());
    for n in p.names() {
        let folded = crate::fold::fold(n);
        if folded.is_empty() {
            continue;
        }
        let full = folded
            .iter()
            .map(|w| w.key.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        if !names.contains(&full) {
            names.push(full);
        }
        let core = folded
            .iter()
            .filter(|w| !w.head)
            .map(|w| w.key.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        if !core.is_empty() && !keys.contains(&core) {
            keys.push(core);
        }
        if n == p.name || n == p.ascii_name {
            heads.extend(folded.iter().filter(|w| w.head).map(|w| w.key.clone()));
        }
        for w in folded.into_iter().filter(|w| !w.head && w.key.len() >= 2) {
            if !words.contains(&w.key) {
                words.push(w.key);
            }
        }
    }
    heads.sort();
    heads.dedup();
    let brief =
        postcard::to_stdvec(&Brief::with(p, keys, heads)).map_err(|e| corrupt(&e.to_string()))?;
    Ok(Derived {
        brief,
        names,
        words,
    })
}

/// 32-bit FNV-1a: the near-spelling keys' hash (stable across builds, unlike std's hasher).
fn fnv(s: &[u8]) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in s {
        h ^= *b as u32;
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

/// Build the index bytes of `places` (the folding on every core).
fn build(places: &[PlaceRecord]) -> Result<Vec<u8>> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8);
    let chunk = places.len().div_ceil(threads).max(1);
    let derived: Vec<Derived> = std::thread::scope(|scope| {
        let parts: Vec<_> = places
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().map(derive).collect::<Result<Vec<_>>>()))
            .collect();
        let mut all = Vec::with_capacity(places.len());
        for h in parts {
            all.extend(h.join().map_err(|_| corrupt("a builder thread failed"))??);
        }
        Ok::<_, Error>(all)
    })?;
    let mut b = Builder {
        sections: vec![Vec::new(); SECTIONS],
    };
    let mut names: Vec<(String, u32)> = Vec::new();
    // (word, country, !population, place, lat, lon)
    let mut words: Vec<(String, [u8; 2], u64, u32, f32, f32)> = Vec::new();
    let mut cells: Vec<(u32, u32)> = Vec::with_capacity(places.len());
    let mut admin: Vec<(String, u32)> = Vec::new();
    let mut gids: Vec<(u64, u32)> = Vec::with_capacity(places.len());
    for (i, (p, d)) in places.iter().zip(derived).enumerate() {
        let i = i as u32;
        let at = b.sections[BRIEFS].len() as u32;
        b.sections[BRIEF_OFF].extend_from_slice(&at.to_le_bytes());
        b.sections[BRIEFS].extend_from_slice(&d.brief);
        let at = b.sections[RECORDS].len() as u32;
        b.sections[RECORD_OFF].extend_from_slice(&at.to_le_bytes());
        b.sections[RECORDS].extend_from_slice(p.alternate_names.join("\n").as_bytes());
        gids.push((gid(&p.id).unwrap_or(0), i));
        names.extend(d.names.into_iter().map(|n| (n, i)));
        let cc = crate::store::country_bytes(&p.country_code);
        words.extend(
            d.words
                .into_iter()
                .map(|w| (w, cc, !p.population, i, p.lat as f32, p.lon as f32)),
        );
        let (la, lo) = cell_of(p.lat, p.lon);
        cells.push(((la as u32) << 16 | lo as u32, i));
        if let Some(code) = crate::store::admin_code(p) {
            admin.push((code, i));
        }
    }
    let at = b.sections[BRIEFS].len() as u32;
    b.sections[BRIEF_OFF].extend_from_slice(&at.to_le_bytes());
    let at = b.sections[RECORDS].len() as u32;
    b.sections[RECORD_OFF].extend_from_slice(&at.to_le_bytes());
    gids.sort_unstable();
    for (g, i) in gids {
        b.sections[GIDS].extend_from_slice(&g.to_le_bytes());
        b.sections[GIDS].extend_from_slice(&i.to_le_bytes());
    }
    names.sort_unstable();
    names.dedup();
    let mut grouped: Vec<(String, Vec<u8>, u32)> = Vec::new();
    for (n, i) in names {
        match grouped.last_mut() {
            Some((k, post, count)) if *k == n => {
                post.extend_from_slice(&i.to_le_bytes());
                *count += 1;
            }
            _ => grouped.push((n, i.to_le_bytes().to_vec(), 1)),
        }
    }
    let (k, e, p) = table(grouped);
    (
        b.sections[NAME_KEYS],
        b.sections[NAME_ENTRIES],
        b.sections[NAME_POST],
    ) = (k, e, p);
    words.sort_unstable_by(|a, b| (&a.0, a.1, a.2, a.3).cmp(&(&b.0, b.1, b.2, b.3)));
    let mut grouped: Vec<(String, Vec<u8>, u32)> = Vec::new();
    for (w, cc, pop, i, lat, lon) in words {
        let mut hit = Vec::with_capacity(HIT_BYTES);
        hit.extend_from_slice(&i.to_le_bytes());
        hit.extend_from_slice(&cc);
        hit.extend_from_slice(&[0, 0]);
        hit.extend_from_slice(&(!pop).to_le_bytes());
        hit.extend_from_slice(&lat.to_le_bytes());
        hit.extend_from_slice(&lon.to_le_bytes());
        match grouped.last_mut() {
            Some((k, post, count)) if *k == w => {
                post.extend_from_slice(&hit);
                *count += 1;
            }
            _ => grouped.push((w, hit, 1)),
        }
    }
    let word_list: Vec<String> = grouped.iter().map(|g| g.0.clone()).collect();
    let (k, e, p) = table(grouped);
    (
        b.sections[WORD_KEYS],
        b.sections[WORD_ENTRIES],
        b.sections[WORD_POST],
    ) = (k, e, p);
    let mut near_keys: Vec<(u32, u32)> = Vec::new();
    for (k, w) in word_list.iter().enumerate() {
        if w.is_ascii() && w.len() >= near::MIN_LEN {
            let mut ds = Vec::new();
            near::deletions(w.as_bytes(), &mut ds);
            ds.sort();
            ds.dedup();
            near_keys.extend(ds.iter().map(|d| (fnv(d), k as u32)));
        }
    }
    near_keys.sort_unstable();
    for (h, k) in near_keys {
        b.sections[NEAR].extend_from_slice(&h.to_le_bytes());
        b.sections[NEAR].extend_from_slice(&k.to_le_bytes());
    }
    cells.sort_unstable();
    for (c, i) in cells {
        b.sections[CELLS].extend_from_slice(&c.to_le_bytes());
        b.sections[CELLS].extend_from_slice(&i.to_le_bytes());
    }
    admin.sort();
    // a code defined twice: the first row (sorted by code, then place number) keeps it
    admin.dedup_by(|a, b| a.0 == b.0);
    let admin: Vec<(String, Vec<u8>, u32)> =
        admin.into_iter().map(|(c, i)| (c, Vec::new(), i)).collect();
    let (k, e, _) = table(admin);
    (b.sections[ADMIN_KEYS], b.sections[ADMIN_ENTRIES]) = (k, e);
    // the file
    let mut out = Vec::with_capacity(HEADER + b.sections.iter().map(Vec::len).sum::<usize>());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT.to_le_bytes());
    out.extend_from_slice(&(places.len() as u32).to_le_bytes());
    let mut at = HEADER as u64;
    for s in &b.sections {
        out.extend_from_slice(&at.to_le_bytes());
        out.extend_from_slice(&(s.len() as u64).to_le_bytes());
        at += s.len() as u64;
    }
    for s in &b.sections {
        out.extend_from_slice(s);
    }
    Ok(out)
}

/// The hash naming the index of `sources`.
fn hash_of(sources: &[Source<'_>]) -> String {
    let mut h = Sha256::new();
    h.update(FORMAT.to_le_bytes());
    h.update(crate::fold::vocabulary().as_bytes());
    for s in sources {
        h.update((s.bytes.len() as u64).to_le_bytes());
        h.update(s.bytes);
    }
    format!("{:x}", h.finalize())[..16].to_string()
}

impl Base {
    /// The index of `sources` in `dir`: read if built before, else built now (and older
    /// indexes of other data removed).
    pub fn open_or_build(dir: &Path, sources: &[Source<'_>]) -> Result<Base> {
        let name = format!("base-{}.idx", hash_of(sources));
        let path = dir.join(&name);
        if path.is_file() {
            match Base::open(&path) {
                Ok(b) => return Ok(b),
                Err(e) => {
                    tracing::warn!(path = %path.display(), error = %e, "base index unreadable; building it again")
                }
            }
        }
        let io = |source| Error::Io {
            path: path.display().to_string(),
            source,
        };
        let t = std::time::Instant::now();
        let places = parse_sources(sources)?;
        let bytes = build(&places)?;
        drop(places);
        std::fs::create_dir_all(dir).map_err(io)?;
        let tmp = dir.join(format!("{name}.tmp"));
        {
            let mut f = std::fs::File::create(&tmp).map_err(io)?;
            f.write_all(&bytes).map_err(io)?;
            f.sync_all().map_err(io)?;
        }
        std::fs::rename(&tmp, &path).map_err(io)?;
        drop(bytes);
        // older indexes (other data, another layout) are of no use
        if let Ok(entries) = std::fs::read_dir(dir) {
            for e in entries.flatten() {
                let n = e.file_name().to_string_lossy().into_owned();
                if n.starts_with("base-")
                    && n != name
                    && (n.ends_with(".idx") || n.ends_with(".tmp"))
                {
                    let _ = std::fs::remove_file(e.path());
                }
            }
        }
        let base = Base::open(&path)?;
        tracing::info!(places = base.len(), seconds = t.elapsed().as_secs_f64(), path = %path.display(), "base index built");
        Ok(base)
    }

    /// Read an index file (all but the full records, which are read on demand).
    pub fn open(path: &Path) -> Result<Base> {
        let io = |source| Error::Io {
            path: path.display().to_string(),
            source,
        };
        let mut file = std::fs::File::open(path).map_err(io)?;
        let size = file.metadata().map_err(io)?.len();
        let mut head = vec![0u8; HEADER];
        file.read_exact(&mut head).map_err(io)?;
        if &head[..8] != MAGIC || u32_at(&head, 8) != FORMAT {
            return Err(corrupt("not a base index of this format"));
        }
        let mut sections = [(0usize, 0usize); SECTIONS];
        for (k, s) in sections.iter_mut().enumerate() {
            let (off, len) = (u64_at(&head, 16 + k * 16), u64_at(&head, 24 + k * 16));
            if off.checked_add(len).is_none_or(|end| end > size) {
                return Err(corrupt("a section lies outside the file"));
            }
            *s = (off as usize, len as usize);
        }
        let held = sections[RECORDS].0;
        let mut mem = vec![0u8; held];
        mem[..HEADER].copy_from_slice(&head);
        file.read_exact(&mut mem[HEADER..]).map_err(io)?;
        let mut base = Base {
            path: path.to_path_buf(),
            file,
            mem: mem.into_boxed_slice(),
            sections,
            ids: Vec::new(),
            size,
        };
        let n = u32_at(&base.mem, 12) as usize;
        if base.sec(BRIEF_OFF).len() != (n + 1) * 4
            || base.sec(GIDS).len() != n * 12
            || base.sections[RECORD_OFF].1 != (n + 1) * 4
            || base.sections[RECORDS].0 < base.sections[RECORD_OFF].0
        {
            return Err(corrupt("section sizes do not match the place count"));
        }
        let mut ids: Vec<Arc<str>> = vec![Arc::from(""); n];
        let g = base.sec(GIDS);
        for k in 0..n {
            let (gid, i) = (u64_at(g, k * 12), u32_at(g, k * 12 + 8) as usize);
            if i >= n {
                return Err(corrupt("a place number out of range"));
            }
            ids[i] = Arc::from(sitrep_proto::ids::geonames_place_id(gid));
        }
        base.ids = ids;
        Ok(base)
    }

    fn sec(&self, k: usize) -> &[u8] {
        let (off, len) = self.sections[k];
        &self.mem[off..off + len]
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Bytes of the index file.
    pub fn size(&self) -> u64 {
        self.size
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The id (`geonames:<n>`) of place `i`.
    pub fn id(&self, i: u32) -> &Arc<str> {
        &self.ids[i as usize]
    }

    /// The place number of `id`, if the index has it.
    pub fn place(&self, id: &str) -> Option<u32> {
        let want = gid(id)?;
        let g = self.sec(GIDS);
        let n = g.len() / 12;
        let (mut lo, mut hi) = (0usize, n);
        while lo < hi {
            let mid = (lo + hi) / 2;
            match u64_at(g, mid * 12).cmp(&want) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Some(u32_at(g, mid * 12 + 8)),
            }
        }
        None
    }

    pub fn brief(&self, i: u32) -> Result<Brief> {
        let offs = self.sec(BRIEF_OFF);
        let (a, b) = (
            u32_at(offs, i as usize * 4) as usize,
            u32_at(offs, i as usize * 4 + 4) as usize,
        );
        let blob = self.sec(BRIEFS);
        postcard::from_bytes(blob.get(a..b).ok_or_else(|| corrupt("brief offsets"))?)
            .map_err(|e| corrupt(&e.to_string()))
    }

    /// The full record of place `i`: its brief, and its alternate names read from the file.
    pub fn record(&self, i: u32) -> Result<PlaceRecord> {
        use std::os::unix::fs::FileExt;
        let offs = {
            let (off, _) = self.sections[RECORD_OFF];
            &self.mem[off..]
        };
        let (a, b) = (
            u32_at(offs, i as usize * 4) as u64,
            u32_at(offs, i as usize * 4 + 4) as u64,
        );
        let mut buf =
            vec![0u8; b.checked_sub(a).ok_or_else(|| corrupt("record offsets"))? as usize];
        self.file
            .read_exact_at(&mut buf, self.sections[RECORDS].0 as u64 + a)
            .map_err(|source| Error::Io {
                path: self.path.display().to_string(),
                source,
            })?;
        let text = String::from_utf8_lossy(&buf);
        let alternate_names = text
            .split('\n')
            .filter(|n| !n.is_empty())
            .map(str::to_string)
            .collect();
        let br = self.brief(i)?;
        Ok(PlaceRecord {
            id: br.id,
            name: br.name,
            ascii_name: br.ascii_name,
            alternate_names,
            lat: br.lat,
            lon: br.lon,
            feature_class: br.feature_class,
            feature_code: br.feature_code,
            country_code: br.country_code,
            cc2: br.cc2,
            admin1: br.admin1,
            admin2: br.admin2,
            population: br.population,
            provisional: false,
            documents: Vec::new(),
            location_estimated: false,
            keys: br.keys,
        })
    }

    /// Words of the index within `max` edits of `word` (not `word` itself), as
    /// [`near::Vocabulary::near`] finds them among sled's words: ASCII words through the
    /// deletion index, others among at most `budget` words sharing their first two letters.
    pub fn near(&self, word: &str, max: usize, budget: usize) -> Vec<String> {
        let n = self.sec(WORD_ENTRIES).len() / 16;
        let word_at =
            |k: usize| std::str::from_utf8(self.entry(WORD_KEYS, WORD_ENTRIES, k).0).unwrap_or("");
        if word.is_ascii() && word.len() >= near::MIN_LEN {
            let idx = self.sec(NEAR);
            let m = idx.len() / 8;
            let mut ids = Vec::new();
            for key in near::query_keys(word, max) {
                let h = fnv(&key);
                let (mut lo, mut hi) = (0usize, m);
                while lo < hi {
                    let mid = (lo + hi) / 2;
                    if u32_at(idx, mid * 8) < h {
                        lo = mid + 1;
                    } else {
                        hi = mid;
                    }
                }
                while lo < m && u32_at(idx, lo * 8) == h {
                    ids.push(u32_at(idx, lo * 8 + 4) as usize);
                    lo += 1;
                }
            }
            ids.sort_unstable();
            ids.dedup();
            return ids
                .into_iter()
                .filter(|&k| k < n)
                .map(word_at)
                .filter(|w| near::keep_near(w, word, max))
                .map(str::to_string)
                .collect();
        }
        let prefix: String = word.chars().take(2).collect();
        if prefix.is_empty() {
            return Vec::new();
        }
        let start = self.lower_bound(WORD_KEYS, WORD_ENTRIES, prefix.as_bytes());
        (start..n)
            .map(word_at)
            .take_while(|w| w.starts_with(&prefix))
            .take(budget)
            .filter(|w| {
                *w != word
                    && w.len().abs_diff(word.len()) <= max * 4
                    && crate::fold::within_distance(w, word, max)
            })
            .map(str::to_string)
            .collect()
    }

    /// Entry `k` of a table: (key, postings offset, count).
    fn entry(&self, keys: usize, entries: usize, k: usize) -> (&[u8], usize, usize) {
        let e = &self.sec(entries)[k * 16..k * 16 + 16];
        let (ko, kl) = (u32_at(e, 0) as usize, u32_at(e, 4) as usize);
        (
            &self.sec(keys)[ko..ko + kl],
            u32_at(e, 8) as usize,
            u32_at(e, 12) as usize,
        )
    }

    /// The first entry whose key is not less than `key`.
    fn lower_bound(&self, keys: usize, entries: usize, key: &[u8]) -> usize {
        let (mut lo, mut hi) = (0usize, self.sec(entries).len() / 16);
        while lo < hi {
            let mid = (lo + hi) / 2;
            if self.entry(keys, entries, mid).0 < key {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo
    }

    fn find(&self, keys: usize, entries: usize, key: &str) -> Option<(usize, usize)> {
        let k = self.lower_bound(keys, entries, key.as_bytes());
        if k < self.sec(entries).len() / 16 {
            let (found, off, count) = self.entry(keys, entries, k);
            if found == key.as_bytes() {
                return Some((off, count));
            }
        }
        None
    }

    /// Places whose folded full name is `key`.
    pub fn by_name(&self, key: &str) -> Vec<u32> {
        let Some((off, count)) = self.find(NAME_KEYS, NAME_ENTRIES, key) else {
            return Vec::new();
        };
        let post = self.sec(NAME_POST);
        (0..count).map(|j| u32_at(post, off + j * 4)).collect()
    }

    /// Places whose folded full name starts with `prefix`, at most `cap`.
    pub fn by_name_prefix(&self, prefix: &str, cap: usize) -> Vec<u32> {
        let mut out = Vec::new();
        let n = self.sec(NAME_ENTRIES).len() / 16;
        let post = self.sec(NAME_POST);
        for k in self.lower_bound(NAME_KEYS, NAME_ENTRIES, prefix.as_bytes())..n {
            let (key, off, count) = self.entry(NAME_KEYS, NAME_ENTRIES, k);
            if !key.starts_with(prefix.as_bytes()) {
                break;
            }
            for j in 0..count {
                if out.len() >= cap {
                    return out;
                }
                out.push(u32_at(post, off + j * 4));
            }
        }
        out
    }

    /// The raw hits of a word ([`HIT_BYTES`] each, in key order), empty if the word is unknown.
    fn word_post(&self, word: &str) -> &[u8] {
        match self.find(WORD_KEYS, WORD_ENTRIES, word) {
            Some((off, count)) => &self.sec(WORD_POST)[off..off + count * HIT_BYTES],
            None => &[],
        }
    }

    /// How many places have the word.
    pub fn word_count(&self, word: &str) -> usize {
        self.word_post(word).len() / HIT_BYTES
    }

    fn hit(&self, raw: &[u8]) -> WordHit {
        let i = u32_at(raw, 0);
        let at = (
            f32::from_le_bytes(raw[16..20].try_into().expect("4")),
            f32::from_le_bytes(raw[20..24].try_into().expect("4")),
        );
        WordHit {
            id: Arc::clone(&self.ids[i as usize]),
            population: !u64_at(raw, 8),
            country: [raw[4], raw[5]],
            at: Some(at),
        }
    }

    /// The places of `word` in sled's word-index order for `focus` (the focus countries' first,
    /// each most populous first, then the others in key order), at most `cap`, leaving out
    /// those `hidden` says.
    pub fn word_hits(
        &self,
        word: &str,
        focus: &[[u8; 2]],
        cap: usize,
        hidden: impl Fn(u32) -> bool,
    ) -> Vec<WordHit> {
        let post = self.word_post(word);
        let n = post.len() / HIT_BYTES;
        let cc = |k: usize| [post[k * HIT_BYTES + 4], post[k * HIT_BYTES + 5]];
        let mut out = Vec::with_capacity(cap.min(n));
        let push = |k: usize, out: &mut Vec<WordHit>| {
            let raw = &post[k * HIT_BYTES..(k + 1) * HIT_BYTES];
            if !hidden(u32_at(raw, 0)) {
                out.push(self.hit(raw));
            }
        };
        for c in focus {
            // a country's places are contiguous
            let (mut lo, mut hi) = (0usize, n);
            while lo < hi {
                let mid = (lo + hi) / 2;
                if cc(mid) < *c {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            let mut k = lo;
            while k < n && cc(k) == *c && out.len() < cap {
                push(k, &mut out);
                k += 1;
            }
        }
        let mut k = 0;
        while k < n && out.len() < cap {
            if !focus.contains(&cc(k)) {
                push(k, &mut out);
            }
            k += 1;
        }
        out
    }

    /// Every distinct word of the word index.
    pub fn words(&self) -> impl Iterator<Item = &str> + '_ {
        let n = self.sec(WORD_ENTRIES).len() / 16;
        (0..n).map(move |k| {
            std::str::from_utf8(self.entry(WORD_KEYS, WORD_ENTRIES, k).0).unwrap_or("")
        })
    }

    /// Places in one 0.1° cell.
    pub fn in_cell(&self, cell: (u16, u16)) -> Vec<u32> {
        let want = (cell.0 as u32) << 16 | cell.1 as u32;
        let c = self.sec(CELLS);
        let n = c.len() / 8;
        let (mut lo, mut hi) = (0usize, n);
        while lo < hi {
            let mid = (lo + hi) / 2;
            if u32_at(c, mid * 8) < want {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        let mut out = Vec::new();
        while lo < n && u32_at(c, lo * 8) == want {
            out.push(u32_at(c, lo * 8 + 4));
            lo += 1;
        }
        out
    }

    /// The place defining an administrative code ("UA.14").
    pub fn admin(&self, code: &str) -> Option<u32> {
        let k = self.lower_bound(ADMIN_KEYS, ADMIN_ENTRIES, code.as_bytes());
        if k < self.sec(ADMIN_ENTRIES).len() / 16 {
            let (key, _, i) = self.entry(ADMIN_KEYS, ADMIN_ENTRIES, k);
            if key == code.as_bytes() {
                return Some(i as u32);
            }
        }
        None
    }
}

/// Where a place lies in the grid (as [`cell_of`]).
pub fn cell(lat: f64, lon: f64) -> (u16, u16) {
    cell_of(lat, lon)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROWS: &str = "\
1\tYabrud\tYabrud\tYabroud,Jabrud\t33.96\t36.66\tP\tPPLA2\tSY\t\t08\t\t\t\t25000\t\t\t\t
2\tYabrud Hill\tYabrud Hill\t\t33.97\t36.67\tT\tHLL\tSY\t\t08\t\t\t\t0\t\t\t\t
3\tYabrud\tYabrud\t\t34.5\t36.1\tP\tPPL\tLB\t\t\t\t\t\t500\t\t\t\t
4\tRif Dimashq\tRif Dimashq\t\t33.5\t36.3\tA\tADM1\tSY\t\t08\t\t\t\t0\t\t\t\t
";

    #[test]
    fn built_once_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let sources = [Source {
            label: "test",
            bytes: ROWS.as_bytes(),
        }];
        let b = Base::open_or_build(dir.path(), &sources).unwrap();
        assert_eq!(b.len(), 4);
        let yab = crate::fold::key("Yabroud");
        let ids: Vec<&str> = b.by_name(&yab).into_iter().map(|i| &**b.id(i)).collect();
        // the town's other spelling, and the hill (its English head is no part of the key)
        assert_eq!(ids, ["geonames:1", "geonames:2", "geonames:3"]);
        // by country (LB before SY), the most populous first; the focus country first
        let hits = b.word_hits(&crate::fold::key("Yabrud"), &[*b"SY"], 10, |_| false);
        assert_eq!(
            hits.iter().map(|h| &*h.id).collect::<Vec<_>>(),
            ["geonames:1", "geonames:2", "geonames:3"]
        );
        let hits = b.word_hits(&crate::fold::key("Yabrud"), &[], 10, |i| i == 0);
        assert_eq!(
            hits.iter().map(|h| &*h.id).collect::<Vec<_>>(),
            ["geonames:3", "geonames:2"]
        );
        assert_eq!(
            b.admin("SY.08").map(|i| b.brief(i).unwrap().name),
            Some("Rif Dimashq".into())
        );
        assert_eq!(
            b.record(b.place("geonames:1").unwrap())
                .unwrap()
                .alternate_names,
            ["Yabroud", "Jabrud"]
        );
        // the town and the hill share a 0.1° cell
        assert_eq!(b.in_cell(cell(33.96, 36.66)).len(), 2);
        // (prefixes are of folded names, as `Search` folds what is typed)
        let folded = crate::fold::key("Yabrud");
        assert_eq!(b.by_name_prefix(&folded[..3], 10).len(), 3);
        // reopened: the same file, not rebuilt
        let again = Base::open_or_build(dir.path(), &sources).unwrap();
        assert_eq!(again.path(), b.path());
        // other data: another file, the old one removed
        let other = [Source {
            label: "test",
            bytes: &ROWS.as_bytes()[..ROWS.len() / 2],
        }];
        let c = Base::open_or_build(dir.path(), &other).unwrap();
        assert_ne!(c.path(), b.path());
        assert!(!b.path().exists());
    }

    #[test]
    fn a_damaged_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.idx");
        std::fs::write(&path, b"SRGZBASE\x01\x00\x00\x00garbage").unwrap();
        assert!(Base::open(&path).is_err());
    }
}
