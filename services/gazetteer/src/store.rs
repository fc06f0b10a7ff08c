//! The gazetteer's sled database. Every tree is declared here, with its key layout.

use std::path::Path;

use serde::{Deserialize, Serialize};
use sled::transaction::{ConflictableTransactionError, TransactionalTree};
use sled::Transactional;

use crate::error::{Error, Result};
use crate::fold;

/// Schema version this binary writes. Older databases are migrated at open; newer ones refused.
pub const SCHEMA_VERSION: u32 = 2;

const META: &str = "meta";
const PLACEID_PLACE: &str = "placeid_place";
const NAMEKEY_PLACEID: &str = "namekey_placeid";
const WORD_PLACEID: &str = "word_placeid";
const CELL_PLACEID: &str = "cell_placeid";
const ADMINCODE_PLACEID: &str = "admincode_placeid";

/// A place as stored (JSON in `placeid_place`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct PlaceRecord {
    pub id: String,
    pub name: String,
    pub ascii_name: String,
    pub alternate_names: Vec<String>,
    pub lat: f64,
    pub lon: f64,
    pub feature_class: String,
    pub feature_code: String,
    pub country_code: String,
    /// GeoNames' alternate country codes (border features: "SY").
    #[serde(default)]
    pub cc2: String,
    pub admin1: String,
    pub admin2: String,
    pub population: u64,
    pub provisional: bool,
    /// Provisional places: the documents that mention them.
    #[serde(default)]
    pub documents: Vec<String>,
    /// Provisional places: lat/lon estimated from related known places (else 0/0 = unknown).
    #[serde(default)]
    pub location_estimated: bool,
    /// Folded core words of each name, space-separated, deduplicated (see [`PlaceRecord::word_keys`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keys: Vec<String>,
}

/// The folded core words of every name of `p`.
pub fn core_keys(p: &PlaceRecord) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for n in p.names() {
        let k = fold::fold(n).into_iter().filter(|w| !w.head).map(|w| w.key).collect::<Vec<_>>().join(" ");
        if !k.is_empty() && !out.contains(&k) {
            out.push(k);
        }
    }
    out
}

impl PlaceRecord {
    /// Every name the place is known by.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str()).chain(std::iter::once(self.ascii_name.as_str())).chain(self.alternate_names.iter().map(String::as_str)).filter(|n| !n.is_empty())
    }

    /// The folded core words of each of its names ("baru", "nabi baru" → heads left out), computed
    /// once at import; older records compute them here.
    pub fn word_keys(&self) -> std::borrow::Cow<'_, [String]> {
        if !self.keys.is_empty() {
            return std::borrow::Cow::Borrowed(&self.keys);
        }
        std::borrow::Cow::Owned(core_keys(self))
    }

    /// Whether the place has coordinates (provisional places may not).
    pub fn located(&self) -> bool {
        !self.provisional || self.location_estimated
    }

    pub fn in_country(&self, cc: &str) -> bool {
        self.country_code == cc || self.cc2.split(',').any(|c| c == cc)
    }
}

/// The gazetteer's trees. Cheap to clone: sled handles are reference-counted.
#[derive(Clone)]
pub struct Store {
    db: sled::Db,
    /// `schema_version` → u32 BE; `imported:<sha256>` → row count of a file already imported.
    meta: sled::Tree,
    /// place id (UTF-8, `geonames:<n>` or `prov:<key>`) → PlaceRecord as JSON.
    placeid_place: sled::Tree,
    /// folded full name ([`fold::key`]) 0x00 place id → empty.
    namekey_placeid: sled::Tree,
    /// folded non-head word 0x00 place id → empty.
    word_placeid: sled::Tree,
    /// cell (u16 BE ⌊(lat+90)·10⌋, u16 BE ⌊(lon+180)·10⌋) place id → empty: a 0.1° grid.
    cell_placeid: sled::Tree,
    /// administrative code ("LB", "LB.11", "LB.11.1102") → id of the country, ADM1 or ADM2 place
    /// (since schema version 2).
    admincode_placeid: sled::Tree,
}

/// Import counters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportStats {
    pub rows: u64,
    pub inserted: u64,
    pub updated: u64,
    pub skipped: u64,
}

fn pair_key(a: &str, id: &str) -> Vec<u8> {
    let mut k = Vec::with_capacity(a.len() + 1 + id.len());
    k.extend_from_slice(a.as_bytes());
    k.push(0);
    k.extend_from_slice(id.as_bytes());
    k
}

pub fn cell_of(lat: f64, lon: f64) -> (u16, u16) {
    let la = ((lat + 90.0) * 10.0).floor().clamp(0.0, 1800.0) as u16;
    let lo = ((lon + 180.0) * 10.0).floor().clamp(0.0, 3600.0) as u16;
    (la, lo)
}

fn cell_key(cell: (u16, u16), id: &str) -> Vec<u8> {
    let mut k = Vec::with_capacity(4 + id.len());
    k.extend_from_slice(&cell.0.to_be_bytes());
    k.extend_from_slice(&cell.1.to_be_bytes());
    k.extend_from_slice(id.as_bytes());
    k
}

/// Index keys of a place: (full-name keys, word keys, cell).
fn index_keys(p: &PlaceRecord) -> (Vec<String>, Vec<String>, Option<(u16, u16)>) {
    let mut names = Vec::new();
    let mut words = Vec::new();
    for n in p.names() {
        let folded = fold::fold(n);
        if folded.is_empty() {
            continue;
        }
        let k = folded.iter().map(|w| w.key.as_str()).collect::<Vec<_>>().join(" ");
        if !names.contains(&k) {
            names.push(k);
        }
        for w in folded.into_iter().filter(|w| !w.head && w.key.len() >= 2) {
            if !words.contains(&w.key) {
                words.push(w.key);
            }
        }
    }
    (names, words, p.located().then(|| cell_of(p.lat, p.lon)))
}

/// The administrative code a place defines, if it is a country or a first/second-level division.
fn admin_code(p: &PlaceRecord) -> Option<String> {
    if p.feature_class != "A" || p.country_code.is_empty() {
        return None;
    }
    match p.feature_code.as_str() {
        "PCLI" | "PCLD" | "PCLIX" | "PCLS" | "PCLF" | "PCL" => Some(p.country_code.clone()),
        "ADM1" | "ADM1H" if !p.admin1.is_empty() => Some(format!("{}.{}", p.country_code, p.admin1)),
        "ADM2" | "ADM2H" if !p.admin1.is_empty() && !p.admin2.is_empty() => Some(format!("{}.{}.{}", p.country_code, p.admin1, p.admin2)),
        _ => None,
    }
}

type Trees = (TransactionalTree, TransactionalTree, TransactionalTree, TransactionalTree, TransactionalTree);

fn tx_remove_index(t: &Trees, p: &PlaceRecord) -> std::result::Result<(), ConflictableTransactionError<Error>> {
    let (names, words, cell) = index_keys(p);
    for n in names {
        t.1.remove(pair_key(&n, &p.id))?;
    }
    for w in words {
        t.2.remove(pair_key(&w, &p.id))?;
    }
    if let Some(c) = cell {
        t.3.remove(cell_key(c, &p.id))?;
    }
    if let Some(code) = admin_code(p) {
        if t.4.get(code.as_bytes())?.is_some_and(|v| v.as_ref() == p.id.as_bytes()) {
            t.4.remove(code.as_bytes())?;
        }
    }
    Ok(())
}

fn tx_put(t: &Trees, p: &PlaceRecord) -> std::result::Result<(), ConflictableTransactionError<Error>> {
    let (names, words, cell) = index_keys(p);
    let bytes = serde_json::to_vec(p).map_err(|e| ConflictableTransactionError::Abort(Error::Corrupt(e.to_string())))?;
    t.0.insert(p.id.as_bytes(), bytes)?;
    for n in names {
        t.1.insert(pair_key(&n, &p.id), &[])?;
    }
    for w in words {
        t.2.insert(pair_key(&w, &p.id), &[])?;
    }
    if let Some(c) = cell {
        t.3.insert(cell_key(c, &p.id), &[])?;
    }
    if let Some(code) = admin_code(p) {
        t.4.insert(code.as_bytes(), p.id.as_bytes())?;
    }
    Ok(())
}

fn decode(bytes: &[u8]) -> Result<PlaceRecord> {
    serde_json::from_slice(bytes).map_err(|e| Error::Corrupt(format!("place record: {e}")))
}

impl Store {
    /// Open (or create) the database at `path`, checking and migrating its schema version.
    pub fn open(path: &Path) -> Result<Self> {
        let db = sled::open(path)?;
        let store = Store {
            meta: db.open_tree(META)?,
            placeid_place: db.open_tree(PLACEID_PLACE)?,
            namekey_placeid: db.open_tree(NAMEKEY_PLACEID)?,
            word_placeid: db.open_tree(WORD_PLACEID)?,
            cell_placeid: db.open_tree(CELL_PLACEID)?,
            admincode_placeid: db.open_tree(ADMINCODE_PLACEID)?,
            db,
        };
        match sitrep_store::check(&store.meta, SCHEMA_VERSION)? {
            sitrep_store::Schema::Newer(v) => return Err(Error::SchemaTooNew { found: v, supported: SCHEMA_VERSION }),
            sitrep_store::Schema::Older(v) => {
                if v < 2 {
                    store.migrate_1_to_2()?;
                }
            }
            sitrep_store::Schema::Created | sitrep_store::Schema::Current => {}
        }
        Ok(store)
    }

    /// Version 2 adds `admincode_placeid`: index the administrative places already stored.
    fn migrate_1_to_2(&self) -> Result<()> {
        let mut n = 0;
        for kv in self.placeid_place.iter() {
            let (_, v) = kv?;
            let p = decode(&v)?;
            if let Some(code) = admin_code(&p) {
                self.admincode_placeid.insert(code.as_bytes(), p.id.as_bytes())?;
                n += 1;
            }
        }
        sitrep_store::set(&self.meta, 2)?;
        self.db.flush()?;
        tracing::info!(indexed = n, "Migration: 1 -> 2 finished");
        Ok(())
    }

    /// The names of the country, first- and second-level divisions that contain `p`, largest first.
    pub fn hierarchy(&self, p: &PlaceRecord) -> Result<Vec<String>> {
        let mut codes = vec![p.country_code.clone()];
        if !p.admin1.is_empty() {
            codes.push(format!("{}.{}", p.country_code, p.admin1));
            if !p.admin2.is_empty() {
                codes.push(format!("{}.{}.{}", p.country_code, p.admin1, p.admin2));
            }
        }
        let mut out = Vec::new();
        for code in codes.iter().filter(|c| !c.is_empty()) {
            if let Some(id) = self.admincode_placeid.get(code.as_bytes())? {
                let id = String::from_utf8_lossy(&id).into_owned();
                if id != p.id {
                    if let Some(a) = self.get(&id)? {
                        out.push(a.name);
                    }
                }
            }
        }
        Ok(out)
    }

    /// Make every write so far durable.
    pub async fn flush(&self) -> Result<()> {
        self.db.flush_async().await?;
        Ok(())
    }

    pub fn size_on_disk(&self) -> u64 {
        self.db.size_on_disk().unwrap_or(0)
    }

    pub fn place_count(&self) -> usize {
        self.placeid_place.len()
    }

    pub fn get(&self, id: &str) -> Result<Option<PlaceRecord>> {
        self.placeid_place.get(id.as_bytes())?.map(|b| decode(&b)).transpose()
    }

    /// Insert or update places in one transaction; unchanged places are skipped.
    pub fn upsert(&self, places: &[PlaceRecord]) -> Result<ImportStats> {
        let places: Vec<PlaceRecord> = places
            .iter()
            .map(|p| {
                let mut p = p.clone();
                p.keys = core_keys(&p);
                p
            })
            .collect();
        let trees = (&self.placeid_place, &self.namekey_placeid, &self.word_placeid, &self.cell_placeid, &self.admincode_placeid);
        let stats = trees.transaction(|t| {
            let mut s = ImportStats::default();
            for p in &places {
                s.rows += 1;
                match t.0.get(p.id.as_bytes())? {
                    Some(old) => {
                        let old = decode(&old).map_err(ConflictableTransactionError::Abort)?;
                        if old == *p {
                            s.skipped += 1;
                            continue;
                        }
                        tx_remove_index(t, &old)?;
                        tx_put(t, p)?;
                        s.updated += 1;
                    }
                    None => {
                        tx_put(t, p)?;
                        s.inserted += 1;
                    }
                }
            }
            Ok(s)
        })?;
        Ok(stats)
    }

    /// Add alternate names to GeoNames places already stored; unknown places are skipped.
    pub fn add_alternate_names(&self, names: &[(u64, String)]) -> Result<ImportStats> {
        let mut updated: Vec<PlaceRecord> = Vec::new();
        let mut stats = ImportStats::default();
        for (gid, name) in names {
            stats.rows += 1;
            let id = sitrep_proto::ids::geonames_place_id(*gid);
            let pos = updated.iter().position(|p| p.id == id);
            let mut p = match pos {
                Some(i) => updated.swap_remove(i),
                None => match self.get(&id)? {
                    Some(p) => p,
                    None => {
                        stats.skipped += 1;
                        continue;
                    }
                },
            };
            if p.names().any(|n| n == name) {
                stats.skipped += 1;
            } else {
                p.alternate_names.push(name.clone());
            }
            updated.push(p);
        }
        let s = self.upsert(&updated)?;
        stats.updated += s.updated;
        Ok(stats)
    }

    /// Place ids whose folded full name is `key`.
    pub fn ids_by_name(&self, key: &str) -> Result<Vec<String>> {
        self.scan_pairs(&self.namekey_placeid, key, 500)
    }

    /// Place ids having the folded word `word`, at most `cap`.
    pub fn ids_by_word(&self, word: &str, cap: usize) -> Result<Vec<String>> {
        self.scan_pairs(&self.word_placeid, word, cap)
    }

    fn scan_pairs(&self, tree: &sled::Tree, key: &str, cap: usize) -> Result<Vec<String>> {
        let prefix = pair_key(key, "");
        let mut out = Vec::new();
        for kv in tree.scan_prefix(&prefix).take(cap) {
            let (k, _) = kv?;
            out.push(String::from_utf8_lossy(&k[prefix.len()..]).into_owned());
        }
        Ok(out)
    }

    /// Folded words near `word` (bounded edit distance), scanning at most `budget` index keys that
    /// share its first letter. Returns (word, ids).
    pub fn fuzzy_words(&self, word: &str, max_distance: usize, budget: usize) -> Result<Vec<(String, Vec<String>)>> {
        // keys sharing the first two letters (one when the word is that short)
        let prefix: String = word.chars().take(2).collect();
        if prefix.is_empty() {
            return Ok(Vec::new());
        }
        let prefix = prefix.into_bytes();
        let mut out: Vec<(String, Vec<String>)> = Vec::new();
        for kv in self.word_placeid.scan_prefix(&prefix).take(budget) {
            let (k, _) = kv?;
            let Some(zero) = k.iter().position(|b| *b == 0) else { continue };
            let w = String::from_utf8_lossy(&k[..zero]);
            let id = String::from_utf8_lossy(&k[zero + 1..]).into_owned();
            if w != word && fold::within_distance(&w, word, max_distance) {
                match out.iter_mut().find(|(x, _)| *x == w) {
                    Some((_, ids)) => ids.push(id),
                    None => out.push((w.into_owned(), vec![id])),
                }
            }
        }
        Ok(out)
    }

    /// Folded full names starting with `prefix`, with their ids, at most `cap`.
    pub fn names_with_prefix(&self, prefix: &str, cap: usize) -> Result<Vec<String>> {
        let mut out = Vec::new();
        for kv in self.namekey_placeid.scan_prefix(prefix.as_bytes()).take(cap) {
            let (k, _) = kv?;
            if let Some(zero) = k.iter().position(|b| *b == 0) {
                out.push(String::from_utf8_lossy(&k[zero + 1..]).into_owned());
            }
        }
        Ok(out)
    }

    /// Place ids in one grid cell.
    pub fn ids_in_cell(&self, cell: (u16, u16)) -> Result<Vec<String>> {
        let mut prefix = Vec::with_capacity(4);
        prefix.extend_from_slice(&cell.0.to_be_bytes());
        prefix.extend_from_slice(&cell.1.to_be_bytes());
        let mut out = Vec::new();
        for kv in self.cell_placeid.scan_prefix(&prefix) {
            let (k, _) = kv?;
            out.push(String::from_utf8_lossy(&k[4..]).into_owned());
        }
        Ok(out)
    }

    /// Whether a file with this content hash was imported before.
    pub fn was_imported(&self, sha: &str) -> Result<bool> {
        Ok(self.meta.get(format!("imported:{sha}"))?.is_some())
    }

    pub fn mark_imported(&self, sha: &str, rows: u64) -> Result<()> {
        self.meta.insert(format!("imported:{sha}"), &rows.to_be_bytes())?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(id: u64, name: &str, lat: f64, lon: f64) -> PlaceRecord {
        PlaceRecord { id: sitrep_proto::ids::geonames_place_id(id), name: name.into(), ascii_name: name.into(), lat, lon, feature_class: "P".into(), feature_code: "PPL".into(), country_code: "SY".into(), ..Default::default() }
    }

    #[test]
    fn upsert_is_idempotent_and_updates_in_place() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(dir.path()).unwrap();
        let a = place(1, "Yabrud", 33.97, 36.66);
        assert_eq!(s.upsert(&[a.clone()]).unwrap().inserted, 1);
        assert_eq!(s.upsert(&[a.clone()]).unwrap().skipped, 1);
        let mut b = a.clone();
        b.name = "Yabroud".into();
        assert_eq!(s.upsert(&[b]).unwrap().updated, 1);
        assert_eq!(s.ids_by_name(&fold::key("Yabroud")).unwrap(), ["geonames:1"]);
        assert_eq!(s.ids_in_cell(cell_of(33.97, 36.66)).unwrap(), ["geonames:1"]);
        assert_eq!(s.place_count(), 1);
    }

    #[test]
    fn newer_schema_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        {
            let s = Store::open(dir.path()).unwrap();
            s.meta.insert("schema_version", &99u32.to_be_bytes()).unwrap();
            s.db.flush().unwrap();
        }
        assert!(matches!(Store::open(dir.path()), Err(Error::SchemaTooNew { found: 99, .. })));
    }
}
