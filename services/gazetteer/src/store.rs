//! The gazetteer's sled database. Every tree is declared here, with its key layout.

use std::path::Path;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use sled::transaction::{ConflictableTransactionError, TransactionalTree};
use sled::Transactional;

use crate::error::{Error, Result};
use crate::fold;

/// Schema version this binary writes. Older databases are migrated at open; newer ones refused.
pub const SCHEMA_VERSION: u32 = 5;

const META: &str = "meta";
const PLACEID_PLACE: &str = "placeid_place";
const NAMEKEY_PLACEID: &str = "namekey_placeid";
const WORD_PLACEID: &str = "word_placeid";
const CELL_PLACEID: &str = "cell_placeid";
const ADMINCODE_PLACEID: &str = "admincode_placeid";
const PLACEID_BRIEF: &str = "placeid_brief";

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

/// What ranking reads of a place: everything but its list of names, which for a large city runs
/// to hundreds of entries. Stored beside the full record (postcard in `placeid_brief`) so that
/// scoring hundreds of candidates decodes a few hundred bytes each; the full record is read only
/// for the candidates returned.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Brief {
    pub id: String,
    pub name: String,
    pub lat: f64,
    pub lon: f64,
    pub feature_class: String,
    pub country_code: String,
    pub cc2: String,
    pub population: u64,
    pub provisional: bool,
    pub location_estimated: bool,
    /// Folded core words of each name (as [`PlaceRecord::keys`]).
    pub keys: Vec<String>,
    /// What a `Resolve` candidate shows besides the above (since schema version 4).
    pub ascii_name: String,
    pub feature_code: String,
    pub admin1: String,
    pub admin2: String,
    /// The generic heads (folded: "ayn", "jabal") of its own name and ASCII name (since schema
    /// version 5): a mention with another head names another kind of place.
    pub heads: Vec<String>,
}

impl Brief {
    pub fn of(p: &PlaceRecord) -> Brief {
        let mut heads: Vec<String> = fold::fold(&p.name)
            .into_iter()
            .chain(fold::fold(&p.ascii_name))
            .filter(|w| w.head)
            .map(|w| w.key)
            .collect();
        heads.sort();
        heads.dedup();
        Brief::with(p, p.word_keys().into_owned(), heads)
    }

    /// The brief of `p` with its folded core words and generic heads computed already.
    pub fn with(p: &PlaceRecord, keys: Vec<String>, heads: Vec<String>) -> Brief {
        Brief {
            id: p.id.clone(),
            name: p.name.clone(),
            lat: p.lat,
            lon: p.lon,
            feature_class: p.feature_class.clone(),
            country_code: p.country_code.clone(),
            cc2: p.cc2.clone(),
            population: p.population,
            provisional: p.provisional,
            location_estimated: p.location_estimated,
            keys,
            ascii_name: p.ascii_name.clone(),
            feature_code: p.feature_code.clone(),
            admin1: p.admin1.clone(),
            admin2: p.admin2.clone(),
            heads,
        }
    }

    /// Whether the place has coordinates (provisional places may not).
    pub fn located(&self) -> bool {
        !self.provisional || self.location_estimated
    }

    pub fn in_country(&self, cc: &str) -> bool {
        self.country_code == cc || self.cc2.split(',').any(|c| c == cc)
    }
}

/// The folded core words of every name of `p`.
pub fn core_keys(p: &PlaceRecord) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for n in p.names() {
        let k = fold::fold(n)
            .into_iter()
            .filter(|w| !w.head)
            .map(|w| w.key)
            .collect::<Vec<_>>()
            .join(" ");
        if !k.is_empty() && !out.contains(&k) {
            out.push(k);
        }
    }
    out
}

impl PlaceRecord {
    /// Every name the place is known by.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str())
            .chain(std::iter::once(self.ascii_name.as_str()))
            .chain(self.alternate_names.iter().map(String::as_str))
            .filter(|n| !n.is_empty())
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

/// The distinct folded words of the word index, in memory for the fuzzy fallback, with a
/// deletion-neighbourhood index ([`crate::near`]). Built from `word_placeid` at open, extended by
/// every write; words are never removed (a word with no place left finds no ids, which is
/// harmless).
type Vocabulary = std::sync::Arc<std::sync::RwLock<crate::near::Vocabulary>>;

/// Bounded caches of what resolution reads most: a word's places (for a focus and a cap) and
/// place briefs. Emptied by every write, so they never answer with stale data.
struct Caches {
    hits: std::sync::Mutex<lru::LruCache<(String, String, usize), Arc<Vec<WordHit>>>>,
    briefs: std::sync::Mutex<lru::LruCache<String, Arc<Brief>>>,
    /// Every word's places, in key order: the whole word index, read once (at open, and again
    /// after a write that emptied the caches) and answered from memory. A write drops the words
    /// it touches (new and old); those are read from the tree until the index is read again.
    /// (Holding only words of 64 places or more — 850 of the world's 475 000 — left p99 at
    /// 0.8–1.4 ms; every word costs ~150 MB more resident memory and halves p99, BENCHMARKS.md.)
    word_lists: std::sync::RwLock<std::collections::HashMap<Box<str>, Arc<Vec<WordHit>>>>,
    /// Every place's brief as stored (postcard bytes, a few dozen MB for the world's cities):
    /// decoding one costs a microsecond, reading it from the tree ten times more. Kept as
    /// `word_lists` is.
    raw_briefs: std::sync::RwLock<std::collections::HashMap<Box<str>, Box<[u8]>>>,
    /// Counts the forgettings: a reader keeps what it read from the trees only when no write
    /// forgot anything meanwhile (else it might keep what the write replaced).
    generation: std::sync::atomic::AtomicU64,
    /// A large write emptied everything: what is held must be read again ([`Store::refill`]).
    emptied: std::sync::atomic::AtomicBool,
}

/// sled's page cache for the gazetteer's trees.
const SLED_CACHE_BYTES: u64 = 256 << 20;

/// Words whose place lists are cached (each at most WORD_CAP places).
const CACHED_WORDS: usize = 512;
/// Briefs cached.
const CACHED_BRIEFS: usize = 20_000;

impl Default for Caches {
    fn default() -> Self {
        let n = |v: usize| std::num::NonZeroUsize::new(v).expect("non-zero");
        Caches {
            hits: std::sync::Mutex::new(lru::LruCache::new(n(CACHED_WORDS))),
            briefs: std::sync::Mutex::new(lru::LruCache::new(n(CACHED_BRIEFS))),
            word_lists: Default::default(),
            raw_briefs: Default::default(),
            generation: Default::default(),
            emptied: Default::default(),
        }
    }
}

impl Caches {
    fn generation(&self) -> u64 {
        self.generation.load(std::sync::atomic::Ordering::Acquire)
    }

    /// Empty every cache. Like [`Caches::forget`], under the `raw_briefs` lock: a reader checks
    /// the generation and keeps what it read under the same lock, so it cannot keep what a
    /// write replaced.
    fn clear(&self) {
        let mut raw = self.raw_briefs.write().unwrap_or_else(|e| e.into_inner());
        self.generation
            .fetch_add(1, std::sync::atomic::Ordering::AcqRel);
        raw.clear();
        self.hits.lock().unwrap_or_else(|e| e.into_inner()).clear();
        self.briefs
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
        self.word_lists
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
        self.emptied
            .store(true, std::sync::atomic::Ordering::Release);
    }

    /// Forget what `places` change: their briefs and the place lists of their words, new and
    /// `before` (the words of their previous records). A large write (an import) empties the
    /// caches instead.
    fn forget(&self, places: &[PlaceRecord], before: &[PlaceRecord]) {
        if places.len() > 16 {
            return self.clear();
        }
        let mut raw = self.raw_briefs.write().unwrap_or_else(|e| e.into_inner());
        self.generation
            .fetch_add(1, std::sync::atomic::Ordering::AcqRel);
        for p in places {
            raw.remove(p.id.as_str());
        }
        let words: std::collections::HashSet<String> = places
            .iter()
            .chain(before)
            .flat_map(|p| index_keys(p).1)
            .collect();
        let ids: std::collections::HashSet<&str> = places.iter().map(|p| p.id.as_str()).collect();
        let mut hits = self.hits.lock().unwrap_or_else(|e| e.into_inner());
        // lists of their new words, and lists naming them (an old word they may have lost)
        let stale: Vec<(String, String, usize)> = hits
            .iter()
            .filter(|(k, v)| words.contains(&k.0) || v.iter().any(|h| ids.contains(&*h.id)))
            .map(|(k, _)| k.clone())
            .collect();
        for k in stale {
            hits.pop(&k);
        }
        drop(hits);
        let mut lists = self.word_lists.write().unwrap_or_else(|e| e.into_inner());
        for w in &words {
            lists.remove(w.as_str());
        }
        drop(lists);
        let mut briefs = self.briefs.lock().unwrap_or_else(|e| e.into_inner());
        for p in places {
            briefs.pop(&p.id);
        }
    }
}

/// The gazetteer's trees. Cheap to clone: sled handles are reference-counted.
#[derive(Clone)]
pub struct Store {
    /// The bundled places' read-only index ([`crate::base`]), once attached.
    base: Arc<std::sync::OnceLock<Arc<crate::base::Base>>>,
    /// Base places that sled holds a record of (an import or a merge wrote them): sled's record
    /// answers, and the base's entries for them are skipped.
    shadowed: Arc<std::sync::RwLock<rustc_hash::FxHashSet<u32>>>,
    caches: Arc<Caches>,
    vocabulary: Vocabulary,
    db: sled::Db,
    /// `schema_version` → u32 BE; `imported:<sha256>` → row count of a file already imported.
    meta: sled::Tree,
    /// place id (UTF-8, `geonames:<n>` or `prov:<key>`) → PlaceRecord as JSON.
    placeid_place: sled::Tree,
    /// folded full name ([`fold::key`]) 0x00 place id → empty.
    namekey_placeid: sled::Tree,
    /// folded non-head word 0x00, country code (2 bytes, "  " when none), population u64 BE with
    /// every bit inverted (most populous first), place id → latitude, longitude as f32 BE (this
    /// layout since schema version 3): a common word's places in the document's countries, most populous first, are
    /// the first keys of a range, read without reading a record.
    word_placeid: sled::Tree,
    /// cell (u16 BE ⌊(lat+90)·10⌋, u16 BE ⌊(lon+180)·10⌋) place id → empty: a 0.1° grid.
    cell_placeid: sled::Tree,
    /// administrative code ("LB", "LB.11", "LB.11.1102") → id of the country, ADM1 or ADM2 place
    /// (since schema version 2).
    admincode_placeid: sled::Tree,
    /// place id → [`Brief`] as postcard (since schema version 3).
    placeid_brief: sled::Tree,
}

/// Import counters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportStats {
    pub rows: u64,
    pub inserted: u64,
    pub updated: u64,
    pub skipped: u64,
}

/// A place found in the word index, with what orders it before its record is read.
#[derive(Debug, Clone, PartialEq)]
pub struct WordHit {
    /// Shared: handing a list on copies no id.
    pub id: Arc<str>,
    pub population: u64,
    /// Two ASCII letters ("  " when the place has no country).
    pub country: [u8; 2],
    /// Where the place is (f32 precision), if it is located.
    pub at: Option<(f32, f32)>,
}

/// A word's places (in key order: by country, most populous first) as the word index would be
/// read for `focus`: the focus countries' first, then the others, at most `cap`.
fn in_focus_order(all: &[WordHit], focus: &[String], cap: usize) -> Vec<WordHit> {
    let focus: Vec<[u8; 2]> = focus.iter().map(|c| country_bytes(c)).collect();
    let mut out = Vec::with_capacity(cap.min(all.len()));
    for cc in &focus {
        // a country's places are contiguous in key order
        let start = all.partition_point(|h| h.country < *cc);
        out.extend(
            all[start..]
                .iter()
                .take_while(|h| h.country == *cc)
                .take(cap - out.len())
                .cloned(),
        );
    }
    out.extend(
        all.iter()
            .filter(|h| !focus.contains(&h.country))
            .take(cap - out.len())
            .cloned(),
    );
    out
}

/// Two bytes of country code ("  " when it is not two ASCII letters).
pub fn country_bytes(cc: &str) -> [u8; 2] {
    match cc.as_bytes() {
        [a, b] => [*a, *b],
        _ => *b"  ",
    }
}

fn word_key(word: &str, p: &PlaceRecord) -> Vec<u8> {
    let mut k = Vec::with_capacity(word.len() + 11 + p.id.len());
    k.extend_from_slice(word.as_bytes());
    k.push(0);
    k.extend_from_slice(&country_bytes(&p.country_code));
    k.extend_from_slice(&(!p.population).to_be_bytes());
    k.extend_from_slice(p.id.as_bytes());
    k
}

/// The hit a word key (after the word and its 0x00) describes.
/// The value of a word key: the place's latitude and longitude as f32 BE (empty when unlocated).
fn word_value(p: &PlaceRecord) -> Vec<u8> {
    if !p.located() {
        return Vec::new();
    }
    let mut v = Vec::with_capacity(8);
    v.extend_from_slice(&(p.lat as f32).to_be_bytes());
    v.extend_from_slice(&(p.lon as f32).to_be_bytes());
    v
}

fn word_hit_at(rest: &[u8], value: &[u8]) -> Option<WordHit> {
    let mut h = word_hit(rest)?;
    if let (Some(a), Some(b)) = (value.get(..4), value.get(4..8)) {
        h.at = Some((
            f32::from_be_bytes(a.try_into().ok()?),
            f32::from_be_bytes(b.try_into().ok()?),
        ));
    }
    Some(h)
}

fn word_hit(rest: &[u8]) -> Option<WordHit> {
    let cc = rest.get(..2)?;
    let population = !u64::from_be_bytes(rest.get(2..10)?.try_into().ok()?);
    Some(WordHit {
        id: String::from_utf8_lossy(&rest[10..]).into(),
        population,
        country: [cc[0], cc[1]],
        at: None,
    })
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
pub(crate) fn index_keys(p: &PlaceRecord) -> (Vec<String>, Vec<String>, Option<(u16, u16)>) {
    let mut names = Vec::new();
    let mut words = Vec::new();
    for n in p.names() {
        let folded = fold::fold(n);
        if folded.is_empty() {
            continue;
        }
        let k = folded
            .iter()
            .map(|w| w.key.as_str())
            .collect::<Vec<_>>()
            .join(" ");
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
pub(crate) fn admin_code(p: &PlaceRecord) -> Option<String> {
    if p.feature_class != "A" || p.country_code.is_empty() {
        return None;
    }
    match p.feature_code.as_str() {
        "PCLI" | "PCLD" | "PCLIX" | "PCLS" | "PCLF" | "PCL" => Some(p.country_code.clone()),
        // a historical division ("Syria Phoenice", ADM1H, a Roman province that carries Beqaa's
        // code) defines no current code
        "ADM1" if !p.admin1.is_empty() => Some(format!("{}.{}", p.country_code, p.admin1)),
        "ADM2" if !p.admin1.is_empty() && !p.admin2.is_empty() => {
            Some(format!("{}.{}.{}", p.country_code, p.admin1, p.admin2))
        }
        _ => None,
    }
}

type Trees = (
    TransactionalTree,
    TransactionalTree,
    TransactionalTree,
    TransactionalTree,
    TransactionalTree,
    TransactionalTree,
);

fn tx_remove_index(
    t: &Trees,
    p: &PlaceRecord,
) -> std::result::Result<(), ConflictableTransactionError<Error>> {
    let (names, words, cell) = index_keys(p);
    for n in names {
        t.1.remove(pair_key(&n, &p.id))?;
    }
    for w in words {
        t.2.remove(word_key(&w, p))?;
    }
    if let Some(c) = cell {
        t.3.remove(cell_key(c, &p.id))?;
    }
    if let Some(code) = admin_code(p) {
        if t.4
            .get(code.as_bytes())?
            .is_some_and(|v| v.as_ref() == p.id.as_bytes())
        {
            t.4.remove(code.as_bytes())?;
        }
    }
    Ok(())
}

/// Whether `a` and `b` differ in nothing but the documents that mention them.
fn same_but_documents(a: &PlaceRecord, b: &PlaceRecord) -> bool {
    let bare = |p: &PlaceRecord| PlaceRecord {
        documents: Vec::new(),
        ..p.clone()
    };
    a.documents != b.documents && bare(a) == bare(b)
}

fn encode(p: &PlaceRecord) -> Result<Vec<u8>> {
    serde_json::to_vec(p).map_err(|e| Error::Corrupt(e.to_string()))
}

fn tx_put(
    t: &Trees,
    p: &PlaceRecord,
) -> std::result::Result<(), ConflictableTransactionError<Error>> {
    let (names, words, cell) = index_keys(p);
    t.0.insert(
        p.id.as_bytes(),
        encode(p).map_err(ConflictableTransactionError::Abort)?,
    )?;
    t.5.insert(
        p.id.as_bytes(),
        encode_brief(&Brief::of(p)).map_err(ConflictableTransactionError::Abort)?,
    )?;
    for n in names {
        t.1.insert(pair_key(&n, &p.id), &[])?;
    }
    for w in words {
        t.2.insert(word_key(&w, p), word_value(p))?;
    }
    if let Some(c) = cell {
        t.3.insert(cell_key(c, &p.id), &[])?;
    }
    if let Some(code) = admin_code(p) {
        t.4.insert(code.as_bytes(), p.id.as_bytes())?;
    }
    Ok(())
}

fn encode_brief(b: &Brief) -> Result<Vec<u8>> {
    postcard::to_stdvec(b).map_err(|e| Error::Corrupt(format!("place brief: {e}")))
}

fn decode_brief(bytes: &[u8]) -> Result<Brief> {
    postcard::from_bytes(bytes).map_err(|e| Error::Corrupt(format!("place brief: {e}")))
}

fn decode(bytes: &[u8]) -> Result<PlaceRecord> {
    serde_json::from_slice(bytes).map_err(|e| Error::Corrupt(format!("place record: {e}")))
}

impl Store {
    /// Open (or create) the database at `path`, checking and migrating its schema version.
    pub fn open(path: &Path) -> Result<Self> {
        // what resolution reads most is held apart (every word's place list, every brief): the
        // tree's own page cache needs less than sled's default gigabyte
        let db = sitrep_store::open(
            &sled::Config::new()
                .path(path)
                .cache_capacity(SLED_CACHE_BYTES),
        )?;
        let store = Store {
            base: Arc::default(),
            shadowed: Arc::default(),
            caches: Arc::default(),
            vocabulary: Vocabulary::default(),
            meta: db.open_tree(META)?,
            placeid_place: db.open_tree(PLACEID_PLACE)?,
            namekey_placeid: db.open_tree(NAMEKEY_PLACEID)?,
            word_placeid: db.open_tree(WORD_PLACEID)?,
            cell_placeid: db.open_tree(CELL_PLACEID)?,
            admincode_placeid: db.open_tree(ADMINCODE_PLACEID)?,
            placeid_brief: db.open_tree(PLACEID_BRIEF)?,
            db,
        };
        match sitrep_store::check(&store.meta, SCHEMA_VERSION)? {
            sitrep_store::Schema::Newer(v) => {
                return Err(Error::SchemaTooNew {
                    found: v,
                    supported: SCHEMA_VERSION,
                })
            }
            sitrep_store::Schema::Older(v) => {
                if v < 2 {
                    store.migrate_1_to_2()?;
                }
                if v < 3 {
                    store.migrate_2_to_3()?;
                }
                if v < 4 {
                    store.migrate_3_to_4()?;
                }
                if v < 5 {
                    store.migrate_4_to_5()?;
                }
            }
            sitrep_store::Schema::Created | sitrep_store::Schema::Current => {}
        }
        store.load_held()?;
        Ok(store)
    }

    /// Read the word index and the briefs into memory: the vocabulary of distinct words, every
    /// word's place list ([`Caches::word_lists`]) and every brief's bytes.
    fn load_held(&self) -> Result<()> {
        let mut words = crate::near::Vocabulary::default();
        let mut lists = std::collections::HashMap::new();
        let mut last: Vec<u8> = Vec::new();
        let mut current: Vec<WordHit> = Vec::new();
        let mut ids: std::collections::HashSet<Arc<str>> = std::collections::HashSet::new();
        let mut keep = |w: &[u8], hits: &mut Vec<WordHit>| {
            if !hits.is_empty() {
                lists.insert(
                    String::from_utf8_lossy(w).into(),
                    Arc::new(std::mem::take(hits)),
                );
            }
        };
        for kv in self.word_placeid.iter() {
            let (k, v) = kv?;
            let Some(zero) = k.iter().position(|b| *b == 0) else {
                continue;
            };
            let w = &k[..zero];
            if w != last.as_slice() {
                keep(&last, &mut current);
                last = w.to_vec();
                words.insert(&String::from_utf8_lossy(w));
            }
            if let Some(mut h) = word_hit_at(&k[zero + 1..], &v) {
                // one id string per place, shared by the lists of all its words
                match ids.get(&h.id) {
                    Some(shared) => h.id = Arc::clone(shared),
                    None => {
                        ids.insert(Arc::clone(&h.id));
                    }
                }
                current.push(h);
            }
        }
        keep(&last, &mut current);
        words.merge();
        let held: usize = lists.values().map(|v| v.len()).sum();
        tracing::debug!(words = words.len(), held, "word index loaded");
        let mut briefs = std::collections::HashMap::new();
        for kv in self.placeid_brief.iter() {
            let (k, v) = kv?;
            briefs.insert(
                String::from_utf8_lossy(&k).into(),
                Box::<[u8]>::from(&v[..]),
            );
        }
        *self.vocabulary.write().unwrap_or_else(|e| e.into_inner()) = words;
        let mut raw = self
            .caches
            .raw_briefs
            .write()
            .unwrap_or_else(|e| e.into_inner());
        self.caches
            .generation
            .fetch_add(1, std::sync::atomic::Ordering::AcqRel);
        *raw = briefs;
        *self
            .caches
            .word_lists
            .write()
            .unwrap_or_else(|e| e.into_inner()) = lists;
        self.caches
            .emptied
            .store(false, std::sync::atomic::Ordering::Release);
        tracing::debug!(briefs = raw.len(), "briefs held");
        Ok(())
    }

    /// After a large write (an import) emptied the caches, read into memory again what
    /// resolution holds there; after small writes, nothing to do (they forgot only what they
    /// changed).
    pub fn refill(&self) -> Result<()> {
        if self
            .caches
            .emptied
            .load(std::sync::atomic::Ordering::Acquire)
        {
            self.load_held()?;
        }
        Ok(())
    }

    fn learn_words(&self, places: &[PlaceRecord]) {
        let mut vocab = self.vocabulary.write().unwrap_or_else(|e| e.into_inner());
        for p in places {
            for w in index_keys(p).1 {
                vocab.insert(&w);
            }
        }
    }

    /// Index `p` under the administrative code it defines, if any (what the migrations that
    /// rebuild `admincode_placeid` do for each record); whether it defines one.
    fn index_admin_code(&self, p: &PlaceRecord) -> Result<bool> {
        let Some(code) = admin_code(p) else {
            return Ok(false);
        };
        self.admincode_placeid
            .insert(code.as_bytes(), p.id.as_bytes())?;
        Ok(true)
    }

    /// Version 2 adds `admincode_placeid`: index the administrative places already stored.
    fn migrate_1_to_2(&self) -> Result<()> {
        let mut n = 0;
        for kv in self.placeid_place.iter() {
            let (_, v) = kv?;
            n += usize::from(self.index_admin_code(&decode(&v)?)?);
        }
        sitrep_store::set(&self.meta, 2)?;
        self.db.flush()?;
        tracing::info!(indexed = n, "Migration: 1 -> 2 finished");
        Ok(())
    }

    /// Version 3 changes the word index's layout: rebuilt from the records. (Its briefs are
    /// written by `migrate_3_to_4`, which every store older than 4 runs next.)
    fn migrate_2_to_3(&self) -> Result<()> {
        self.word_placeid.clear()?;
        let mut n = 0;
        for kv in self.placeid_place.iter() {
            let (_, v) = kv?;
            let p = decode(&v)?;
            for w in index_keys(&p).1 {
                self.word_placeid.insert(word_key(&w, &p), word_value(&p))?;
            }
            n += 1;
        }
        sitrep_store::set(&self.meta, 3)?;
        self.db.flush()?;
        tracing::info!(places = n, "Migration: 2 -> 3 finished");
        Ok(())
    }

    /// Version 4: a brief (`placeid_brief`, with the fields of version 4) for every place.
    fn migrate_3_to_4(&self) -> Result<()> {
        let mut n = 0;
        for kv in self.placeid_place.iter() {
            let (k, v) = kv?;
            self.placeid_brief
                .insert(k, encode_brief(&Brief::of(&decode(&v)?))?)?;
            n += 1;
        }
        sitrep_store::set(&self.meta, 4)?;
        self.db.flush()?;
        tracing::info!(briefs = n, "Migration: 3 -> 4 finished");
        Ok(())
    }

    /// Version 5: historical divisions (ADM1H, ADM2H) no longer hold an administrative code (the
    /// code index is rebuilt from the records), and briefs carry their names' generic heads.
    fn migrate_4_to_5(&self) -> Result<()> {
        self.admincode_placeid.clear()?;
        let mut n = 0;
        for kv in self.placeid_place.iter() {
            let (k, v) = kv?;
            let p = decode(&v)?;
            n += usize::from(self.index_admin_code(&p)?);
            self.placeid_brief
                .insert(k, encode_brief(&Brief::of(&p))?)?;
        }
        sitrep_store::set(&self.meta, 5)?;
        self.db.flush()?;
        tracing::info!(indexed = n, "Migration: 4 -> 5 finished");
        Ok(())
    }

    /// The names of the country, first- and second-level divisions that contain `p`, largest
    /// first, each at its position (0 the country, 1 the first-level division, 2 the second): a
    /// level the data lacks is empty, and empty levels at the end are left off.
    pub fn hierarchy(&self, p: &PlaceRecord) -> Result<Vec<String>> {
        let mut codes = vec![p.country_code.clone()];
        if !p.admin1.is_empty() {
            codes.push(format!("{}.{}", p.country_code, p.admin1));
            if !p.admin2.is_empty() {
                codes.push(format!("{}.{}.{}", p.country_code, p.admin1, p.admin2));
            }
        }
        let mut out = Vec::new();
        for code in &codes {
            let mut name = String::new();
            if let Some(id) = self.admincode_placeid.get(code.as_bytes())? {
                let id = String::from_utf8_lossy(&id).into_owned();
                if id != p.id {
                    if let Some(a) = self.get(&id)? {
                        name = a.name;
                    }
                }
            } else if let Some((base, i)) = self.base().and_then(|b| b.admin(code).map(|i| (b, i)))
            {
                if **base.id(i) != *p.id {
                    if let Some(a) = self.brief(base.id(i))? {
                        name = a.name.clone();
                    }
                }
            }
            out.push(name);
        }
        while out.last().is_some_and(String::is_empty) {
            out.pop();
        }
        Ok(out)
    }

    /// Make every write so far durable.
    pub async fn flush(&self) -> Result<()> {
        self.db.flush_async().await?;
        Ok(())
    }

    pub fn size_on_disk(&self) -> u64 {
        self.db.size_on_disk().unwrap_or(0) + self.base().map_or(0, |b| b.size())
    }

    pub fn place_count(&self) -> usize {
        let shadowed = self
            .shadowed
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .len();
        self.placeid_place.len() + self.base().map_or(0, |b| b.len()) - shadowed
    }

    pub fn get(&self, id: &str) -> Result<Option<PlaceRecord>> {
        if let Some(p) = self
            .placeid_place
            .get(id.as_bytes())?
            .map(|b| decode(&b))
            .transpose()?
        {
            return Ok(Some(p));
        }
        match self.base_place(id) {
            Some((base, i)) => Ok(Some(base.record(i)?)),
            None => Ok(None),
        }
    }

    /// The attached base index, if any.
    pub fn base(&self) -> Option<&Arc<crate::base::Base>> {
        self.base.get()
    }

    /// Attach the bundled places' index (once; a second call is refused): sled's records of
    /// base places hide their base rows.
    pub fn attach_base(&self, base: crate::base::Base) -> Result<()> {
        let base = Arc::new(base);
        let mut shadowed = rustc_hash::FxHashSet::default();
        for k in self.placeid_place.iter().keys() {
            if let Some(i) = base.place(&String::from_utf8_lossy(&k?)) {
                shadowed.insert(i);
            }
        }
        *self.shadowed.write().unwrap_or_else(|e| e.into_inner()) = shadowed;
        self.base
            .set(base)
            .map_err(|_| Error::FailedPrecondition("a base index is attached already".into()))?;
        Ok(())
    }

    /// A base place not shadowed by a sled record: the index and its number.
    fn base_place(&self, id: &str) -> Option<(&Arc<crate::base::Base>, u32)> {
        let base = self.base()?;
        let i = base.place(id)?;
        (!self
            .shadowed
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .contains(&i))
        .then_some((base, i))
    }

    /// Base places among `places` now have a sled record: their base rows are hidden.
    fn shadow(&self, places: &[PlaceRecord]) {
        let Some(base) = self.base() else { return };
        let ids: Vec<u32> = places.iter().filter_map(|p| base.place(&p.id)).collect();
        if !ids.is_empty() {
            self.shadowed
                .write()
                .unwrap_or_else(|e| e.into_inner())
                .extend(ids);
        }
    }

    /// What ranking needs of a place (see [`Brief`]).
    pub fn brief(&self, id: &str) -> Result<Option<Arc<Brief>>> {
        if let Some((base, i)) = self.base_place(id) {
            return Ok(Some(Arc::new(base.brief(i)?)));
        }
        if let Some(b) = self
            .caches
            .briefs
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(id)
        {
            return Ok(Some(b.clone()));
        }
        // what is read is kept only if no write forgot anything meanwhile
        let generation = self.caches.generation();
        let held = self
            .caches
            .raw_briefs
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(id)
            .map(|v| decode_brief(v))
            .transpose()?;
        let b = match held {
            Some(b) => Arc::new(b),
            None => {
                let Some(v) = self.placeid_brief.get(id.as_bytes())? else {
                    return Ok(None);
                };
                let b = Arc::new(decode_brief(&v)?);
                let mut raw = self
                    .caches
                    .raw_briefs
                    .write()
                    .unwrap_or_else(|e| e.into_inner());
                if self.caches.generation() == generation {
                    raw.insert(id.into(), Box::from(&v[..]));
                }
                b
            }
        };
        let _writes = self
            .caches
            .raw_briefs
            .read()
            .unwrap_or_else(|e| e.into_inner());
        if self.caches.generation() == generation {
            self.caches
                .briefs
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .put(id.to_string(), b.clone());
        }
        Ok(Some(b))
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
        // the records replaced: the lists of words they lose are forgotten too
        let before: Vec<PlaceRecord> = if places.len() > 16 {
            Vec::new() // the caches are emptied whole
        } else {
            places
                .iter()
                .filter_map(|p| {
                    self.placeid_place
                        .get(p.id.as_bytes())
                        .ok()
                        .flatten()
                        .and_then(|v| decode(&v).ok())
                })
                .collect()
        };
        let trees = (
            &self.placeid_place,
            &self.namekey_placeid,
            &self.word_placeid,
            &self.cell_placeid,
            &self.admincode_placeid,
            &self.placeid_brief,
        );
        let (stats, unindexed) = trees.transaction(|t| {
            let mut s = ImportStats::default();
            // the places whose change is their list of documents only: no index entry, brief
            // or cached word list changes with it
            let mut unindexed: Vec<bool> = Vec::with_capacity(places.len());
            for p in &places {
                s.rows += 1;
                match t.0.get(p.id.as_bytes())? {
                    Some(old) => {
                        let old = decode(&old).map_err(ConflictableTransactionError::Abort)?;
                        if old == *p {
                            s.skipped += 1;
                            unindexed.push(true);
                            continue;
                        }
                        s.updated += 1;
                        if same_but_documents(&old, p) {
                            t.0.insert(
                                p.id.as_bytes(),
                                encode(p).map_err(ConflictableTransactionError::Abort)?,
                            )?;
                            unindexed.push(true);
                            continue;
                        }
                        tx_remove_index(t, &old)?;
                        tx_put(t, p)?;
                    }
                    None => {
                        tx_put(t, p)?;
                        s.inserted += 1;
                    }
                }
                unindexed.push(false);
            }
            Ok((s, unindexed))
        })?;
        let indexed: Vec<PlaceRecord> = places
            .into_iter()
            .zip(unindexed)
            .filter(|(_, u)| !u)
            .map(|(p, _)| p)
            .collect();
        if !indexed.is_empty() {
            self.learn_words(&indexed);
            self.shadow(&indexed);
            self.caches.forget(&indexed, &before);
        }
        Ok(stats)
    }

    /// Where a merged provisional place went (`merged:<id>` in `meta`), if it was merged.
    pub fn merged_into(&self, id: &str) -> Result<Option<String>> {
        Ok(self
            .meta
            .get(format!("merged:{id}"))?
            .map(|v| String::from_utf8_lossy(&v).into_owned()))
    }

    /// A curator's merge of provisional place `from` into the known place `into`, in one
    /// transaction: `into` gains `from`'s names (so the same words resolve to it from now on),
    /// `from` leaves every index, and `merged:<from>` → `into` keeps its id answering.
    /// Merging again into the same place changes nothing and answers the same.
    pub fn merge(&self, from: &str, into: &str) -> Result<PlaceRecord> {
        if let Some(done) = self.merged_into(from)? {
            if done == into {
                return self.get(into)?.ok_or_else(|| Error::NotFound {
                    what: "place",
                    id: into.to_string(),
                });
            }
            return Err(Error::FailedPrecondition(format!(
                "{from} was already merged into {done}, not {into}"
            )));
        }
        let source = self.get(from)?.ok_or_else(|| Error::NotFound {
            what: "provisional place",
            id: from.to_string(),
        })?;
        if !source.provisional {
            return Err(Error::FailedPrecondition(format!(
                "{from} is not a provisional place; only provisional places are merged"
            )));
        }
        let target = self.get(into)?.ok_or_else(|| Error::NotFound {
            what: "place",
            id: into.to_string(),
        })?;
        if target.provisional {
            return Err(Error::FailedPrecondition(format!(
                "{into} is provisional itself; merge into a gazetteer (GeoNames) place"
            )));
        }
        let mut merged = target.clone();
        for n in source.names() {
            if !merged.names().any(|m| m == n) {
                merged.alternate_names.push(n.to_string());
            }
        }
        merged.keys = core_keys(&merged);
        let trees = (
            &self.placeid_place,
            &self.namekey_placeid,
            &self.word_placeid,
            &self.cell_placeid,
            &self.admincode_placeid,
            &self.placeid_brief,
        );
        (
            trees.0, trees.1, trees.2, trees.3, trees.4, trees.5, &self.meta,
        )
            .transaction(|t| {
                let idx = (
                    t.0.clone(),
                    t.1.clone(),
                    t.2.clone(),
                    t.3.clone(),
                    t.4.clone(),
                    t.5.clone(),
                );
                tx_remove_index(&idx, &source)?;
                idx.0.remove(source.id.as_bytes())?;
                idx.5.remove(source.id.as_bytes())?;
                tx_remove_index(&idx, &target)?;
                tx_put(&idx, &merged)?;
                t.6.insert(format!("merged:{from}").as_bytes(), into.as_bytes())?;
                Ok(())
            })?;
        self.learn_words(std::slice::from_ref(&merged));
        self.shadow(std::slice::from_ref(&merged));
        // the merged-away place's brief is gone from the store; forget it here too
        self.caches.forget(&[merged.clone(), source.clone()], &[]);
        Ok(merged)
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
        let mut ids = self.scan_pairs(&self.namekey_placeid, key, 500)?;
        if let Some(base) = self.base() {
            let shadowed = self.shadowed.read().unwrap_or_else(|e| e.into_inner());
            ids.extend(
                base.by_name(key)
                    .into_iter()
                    .filter(|i| !shadowed.contains(i))
                    .take(500)
                    .map(|i| base.id(i).to_string()),
            );
        }
        Ok(ids)
    }

    /// Places having the folded word `word`: those in the `focus` countries first (most
    /// populous first), then the others, at most `cap` in all.
    pub fn ids_by_word(
        &self,
        word: &str,
        focus: &[String],
        cap: usize,
    ) -> Result<Arc<Vec<WordHit>>> {
        let stored = self.stored_ids_by_word(word, focus, cap)?;
        let Some(base) = self.base() else {
            return Ok(stored);
        };
        let fb: Vec<[u8; 2]> = focus.iter().map(|c| country_bytes(c)).collect();
        let mut hits = {
            let shadowed = self.shadowed.read().unwrap_or_else(|e| e.into_inner());
            base.word_hits(word, &fb, cap, |i| shadowed.contains(&i))
        };
        if stored.is_empty() {
            return Ok(Arc::new(hits));
        }
        if hits.is_empty() {
            return Ok(stored);
        }
        // (disjoint: a base place sled holds is hidden from the base's hits) in the word
        // index's order for the focus
        hits.extend(stored.iter().cloned());
        let rank = |h: &WordHit| {
            (
                fb.iter().position(|c| *c == h.country).unwrap_or(fb.len()),
                h.country,
                std::cmp::Reverse(h.population),
            )
        };
        hits.sort_by_key(|a| rank(a));
        hits.truncate(cap);
        Ok(Arc::new(hits))
    }

    /// [`Store::ids_by_word`] of sled's places alone.
    fn stored_ids_by_word(
        &self,
        word: &str,
        focus: &[String],
        cap: usize,
    ) -> Result<Arc<Vec<WordHit>>> {
        if let Some(all) = self
            .caches
            .word_lists
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(word)
        {
            return Ok(Arc::new(in_focus_order(all, focus, cap)));
        }
        let key = (word.to_string(), focus.join(","), cap);
        if let Some(h) = self
            .caches
            .hits
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&key)
        {
            return Ok(h.clone());
        }
        let generation = self.caches.generation();
        let hits = Arc::new(self.read_word(word, focus, cap)?);
        let _writes = self
            .caches
            .raw_briefs
            .read()
            .unwrap_or_else(|e| e.into_inner());
        if self.caches.generation() == generation {
            self.caches
                .hits
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .put(key, hits.clone());
        }
        Ok(hits)
    }

    fn read_word(&self, word: &str, focus: &[String], cap: usize) -> Result<Vec<WordHit>> {
        let prefix = pair_key(word, "");
        let mut out: Vec<WordHit> = Vec::new();
        let scan = |p: &[u8], skip_focus: bool, out: &mut Vec<WordHit>| -> Result<()> {
            for kv in self.word_placeid.scan_prefix(p) {
                if out.len() >= cap {
                    break;
                }
                let (k, v) = kv?;
                let Some(hit) = word_hit_at(&k[prefix.len()..], &v) else {
                    continue;
                };
                if skip_focus && focus.iter().any(|c| country_bytes(c) == hit.country) {
                    continue;
                }
                out.push(hit);
            }
            Ok(())
        };
        for cc in focus {
            let mut p = prefix.clone();
            p.extend_from_slice(&country_bytes(cc));
            scan(&p, false, &mut out)?;
        }
        scan(&prefix, !focus.is_empty(), &mut out)?;
        Ok(out)
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

    /// Folded words near `word` (bounded edit distance) among at most `budget` words of the
    /// vocabulary that share its first two letters, with their places (at most `cap` each).
    pub fn fuzzy_words(
        &self,
        word: &str,
        max_distance: usize,
        budget: usize,
        focus: &[String],
        cap: usize,
    ) -> Result<Vec<(String, Arc<Vec<WordHit>>)>> {
        let prefix: String = word.chars().take(2).collect();
        if prefix.is_empty() {
            return Ok(Vec::new());
        }
        let mut near: Vec<String> = self
            .vocabulary
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .near(word, max_distance, budget);
        if let Some(base) = self.base() {
            near.extend(base.near(word, max_distance, budget));
            near.sort_unstable();
            near.dedup();
        }
        let mut out = Vec::with_capacity(near.len());
        for w in near {
            let hits = self.ids_by_word(&w, focus, cap)?;
            if !hits.is_empty() {
                out.push((w, hits));
            }
        }
        Ok(out)
    }

    /// Folded full names starting with `prefix`, with their ids, at most `cap`.
    pub fn names_with_prefix(&self, prefix: &str, cap: usize) -> Result<Vec<String>> {
        let mut out = Vec::new();
        for kv in self
            .namekey_placeid
            .scan_prefix(prefix.as_bytes())
            .take(cap)
        {
            let (k, _) = kv?;
            if let Some(zero) = k.iter().position(|b| *b == 0) {
                out.push(String::from_utf8_lossy(&k[zero + 1..]).into_owned());
            }
        }
        if let Some(base) = self.base() {
            let shadowed = self.shadowed.read().unwrap_or_else(|e| e.into_inner());
            let room = cap.saturating_sub(out.len());
            out.extend(
                base.by_name_prefix(prefix, room)
                    .into_iter()
                    .filter(|i| !shadowed.contains(i))
                    .map(|i| base.id(i).to_string()),
            );
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
        if let Some(base) = self.base() {
            let shadowed = self.shadowed.read().unwrap_or_else(|e| e.into_inner());
            out.extend(
                base.in_cell(cell)
                    .into_iter()
                    .filter(|i| !shadowed.contains(i))
                    .map(|i| base.id(i).to_string()),
            );
        }
        Ok(out)
    }

    /// Whether a file with this content hash was imported before.
    pub fn was_imported(&self, sha: &str) -> Result<bool> {
        Ok(self.meta.get(format!("imported:{sha}"))?.is_some())
    }

    pub fn mark_imported(&self, sha: &str, rows: u64) -> Result<()> {
        self.meta
            .insert(format!("imported:{sha}"), &rows.to_be_bytes())?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(id: u64, name: &str, lat: f64, lon: f64) -> PlaceRecord {
        PlaceRecord {
            id: sitrep_proto::ids::geonames_place_id(id),
            name: name.into(),
            ascii_name: name.into(),
            lat,
            lon,
            feature_class: "P".into(),
            feature_code: "PPL".into(),
            country_code: "SY".into(),
            ..Default::default()
        }
    }

    #[test]
    fn what_is_held_in_memory_follows_every_write() {
        let dir = tempfile::tempdir().unwrap();
        let places: Vec<PlaceRecord> = (0..7)
            .map(|i| {
                place(
                    100 + i,
                    &format!("Ayn Zarqa {i}"),
                    33.0 + i as f64 * 0.01,
                    36.0,
                )
            })
            .collect();
        Store::open(dir.path()).unwrap().upsert(&places).unwrap();
        // reopened: the word's places and every brief are held in memory
        let s = Store::open(dir.path()).unwrap();
        let focus = ["SY".to_string()];
        let key = |name: &str| {
            fold::fold(name)
                .into_iter()
                .find(|w| !w.head)
                .map(|w| w.key)
                .unwrap()
        };
        let (zarqa, kurdi) = (key("Zarqa"), key("Kurdi"));
        assert!(s
            .caches
            .word_lists
            .read()
            .unwrap()
            .contains_key(zarqa.as_str()));
        assert_eq!(s.caches.raw_briefs.read().unwrap().len(), places.len());
        assert_eq!(
            s.ids_by_word(&zarqa, &focus, 1000).unwrap().len(),
            places.len()
        );
        assert_eq!(
            s.brief("geonames:100").unwrap().unwrap().name,
            "Ayn Zarqa 0"
        );
        // a write of one place: its brief and its words' lists are not answered from before
        let mut renamed = places[0].clone();
        renamed.name = "Tal Kurdi".into();
        renamed.ascii_name = "Tal Kurdi".into();
        s.upsert(&[renamed]).unwrap();
        assert_eq!(s.brief("geonames:100").unwrap().unwrap().name, "Tal Kurdi");
        let hits = s.ids_by_word(&zarqa, &focus, 1000).unwrap();
        assert_eq!(hits.len(), places.len() - 1);
        assert!(!hits.iter().any(|h| &*h.id == "geonames:100"));
        assert_eq!(s.ids_by_word(&kurdi, &focus, 1000).unwrap().len(), 1);
        // a large write (an import) empties everything; the importer reads it all again
        let more: Vec<PlaceRecord> = (0..20)
            .map(|i| place(500 + i, "Zarqa", 34.0, 36.0 + i as f64 * 0.01))
            .collect();
        s.upsert(&more).unwrap();
        assert_eq!(
            s.ids_by_word(&zarqa, &focus, 1000).unwrap().len(),
            places.len() - 1 + 20
        );
        s.refill().unwrap();
        assert!(s
            .caches
            .word_lists
            .read()
            .unwrap()
            .contains_key(zarqa.as_str()));
        assert_eq!(
            s.ids_by_word(&zarqa, &focus, 1000).unwrap().len(),
            places.len() - 1 + 20
        );
    }

    #[test]
    fn a_historical_division_does_not_name_the_current_one() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(dir.path()).unwrap();
        let division = |id: u64, name: &str, code: &str| PlaceRecord {
            feature_class: "A".into(),
            feature_code: code.into(),
            country_code: "LB".into(),
            admin1: "08".into(),
            ..place(id, name, 33.8, 35.9)
        };
        let town = PlaceRecord {
            country_code: "LB".into(),
            admin1: "08".into(),
            ..place(3, "Zahle", 33.85, 35.9)
        };
        // the Roman province comes after the governorate, as it may in a country file
        s.upsert(&[
            division(1, "Beqaa", "ADM1"),
            division(2, "Syria Phoenice", "ADM1H"),
            town.clone(),
        ])
        .unwrap();
        // (no country in this store: its place is left empty)
        assert_eq!(s.hierarchy(&town).unwrap(), ["", "Beqaa"]);
    }

    #[test]
    fn upsert_is_idempotent_and_updates_in_place() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(dir.path()).unwrap();
        let a = place(1, "Yabrud", 33.97, 36.66);
        assert_eq!(s.upsert(std::slice::from_ref(&a)).unwrap().inserted, 1);
        assert_eq!(s.upsert(std::slice::from_ref(&a)).unwrap().skipped, 1);
        let mut b = a.clone();
        b.name = "Yabroud".into();
        assert_eq!(s.upsert(&[b]).unwrap().updated, 1);
        assert_eq!(
            s.ids_by_name(&fold::key("Yabroud")).unwrap(),
            ["geonames:1"]
        );
        assert_eq!(
            s.ids_in_cell(cell_of(33.97, 36.66)).unwrap(),
            ["geonames:1"]
        );
        assert_eq!(s.place_count(), 1);
        // a new document mentioning it rewrites the record only: its names still find it
        let mut c = s.get("geonames:1").unwrap().unwrap();
        c.documents.push("doc-1".into());
        assert!(same_but_documents(
            &c,
            &s.get("geonames:1").unwrap().unwrap()
        ));
        assert_eq!(s.upsert(std::slice::from_ref(&c)).unwrap().updated, 1);
        assert_eq!(s.get("geonames:1").unwrap().unwrap().documents, ["doc-1"]);
        assert_eq!(
            s.ids_by_name(&fold::key("Yabroud")).unwrap(),
            ["geonames:1"]
        );
        assert_eq!(s.brief("geonames:1").unwrap().unwrap().name, "Yabroud");
    }

    #[test]
    fn merging_a_provisional_place_moves_its_names_and_keeps_its_id_answering() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(dir.path()).unwrap();
        let known = place(7, "Jubbah", 33.93, 36.58);
        let prov = PlaceRecord {
            id: "prov:jurd-juba".into(),
            name: "Jurd al-Juba".into(),
            ascii_name: "Jurd al-Juba".into(),
            provisional: true,
            ..Default::default()
        };
        s.upsert(&[known.clone(), prov.clone()]).unwrap();
        // a known place is not merged away, nor merged into a provisional one
        assert!(matches!(
            s.merge("geonames:7", "prov:jurd-juba"),
            Err(Error::FailedPrecondition(_))
        ));
        assert!(matches!(
            s.merge("prov:nowhere", "geonames:7"),
            Err(Error::NotFound { .. })
        ));
        let merged = s.merge("prov:jurd-juba", "geonames:7").unwrap();
        assert!(merged.alternate_names.iter().any(|n| n == "Jurd al-Juba"));
        assert_eq!(
            s.ids_by_name(&fold::key("Jurd al-Juba")).unwrap(),
            ["geonames:7"]
        );
        assert!(
            s.get("prov:jurd-juba").unwrap().is_none()
                && s.brief("prov:jurd-juba").unwrap().is_none()
        );
        assert_eq!(
            s.merged_into("prov:jurd-juba").unwrap().as_deref(),
            Some("geonames:7")
        );
        // again into the same place: the same answer; into another: refused
        assert_eq!(s.merge("prov:jurd-juba", "geonames:7").unwrap(), merged);
        s.upsert(&[place(8, "Arsal", 34.18, 36.42)]).unwrap();
        assert!(matches!(
            s.merge("prov:jurd-juba", "geonames:8"),
            Err(Error::FailedPrecondition(_))
        ));
    }

    #[test]
    fn a_version_4_store_is_migrated() {
        let dir = tempfile::tempdir().unwrap();
        let town = PlaceRecord {
            country_code: "LB".into(),
            admin1: "08".into(),
            ..place(3, "Ain Ebel", 33.1, 35.4)
        };
        let roman = PlaceRecord {
            feature_class: "A".into(),
            feature_code: "ADM1H".into(),
            country_code: "LB".into(),
            admin1: "08".into(),
            ..place(2, "Syria Phoenice", 33.3, 35.2)
        };
        {
            // what version 4 wrote: the historical division under the code, briefs without heads
            let s = Store::open(dir.path()).unwrap();
            s.upsert(&[town.clone(), roman.clone()]).unwrap();
            s.admincode_placeid
                .insert("LB.08", roman.id.as_bytes())
                .unwrap();
            s.placeid_brief
                .insert(
                    town.id.as_bytes(),
                    encode_brief(&Brief {
                        heads: Vec::new(),
                        ..Brief::of(&town)
                    })
                    .unwrap(),
                )
                .unwrap();
            s.meta
                .insert("schema_version", &4u32.to_be_bytes())
                .unwrap();
            s.db.flush().unwrap();
        }
        let s = Store::open(dir.path()).unwrap();
        assert!(s.hierarchy(&town).unwrap().is_empty());
        assert_eq!(s.brief(&town.id).unwrap().unwrap().heads, ["ayn"]);
    }

    #[test]
    fn newer_schema_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        {
            let s = Store::open(dir.path()).unwrap();
            s.meta
                .insert("schema_version", &99u32.to_be_bytes())
                .unwrap();
            s.db.flush().unwrap();
        }
        let opened = Store::open(dir.path());
        assert!(
            matches!(opened, Err(Error::SchemaTooNew { found: 99, .. })),
            "{:?}",
            opened.err()
        );
    }
}
