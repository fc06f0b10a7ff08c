//! The timeline's database: events and the indexes that make every query a range scan, in sled
//! (embedded, the default) or in a PostgreSQL-protocol database ([`pg`]), behind one [`Store`].
//!
//! **Invariant:** both backends answer the same calls with the same results: the keys a scan
//! yields have one layout (below), so page tokens and the service's code do not depend on the
//! backend.

mod pending;
pub mod pg;

use std::path::Path;

use chrono::{Datelike, NaiveDate};
use prost::Message;
use sitrep_proto::v1::{Event, PlaceRef, RecordRequest};
use sled::transaction::ConflictableTransactionError;
use sled::Transactional;

use crate::error::{Error, Result};
use pending::{Pending, Tree};

/// Version 2 adds the report links (`dup_canonical`, `canonical_dup`); a version-1 database
/// simply has none yet, so opening it only records the new version.
pub const SCHEMA_VERSION: u32 = 2;

const META: &str = "meta";
const EVENTID_EVENT: &str = "eventid_event";
const TIME_EVENTID: &str = "time_eventid";
const PLACE_EVENTID: &str = "placetime_eventid";
const ACTOR_EVENTID: &str = "actortime_eventid";
const KIND_EVENTID: &str = "kindtime_eventid";
const DOC_EVENTID: &str = "docorder_eventid";
const DUP_CANONICAL: &str = "dup_canonical";
const CANONICAL_DUP: &str = "canonical_dup";

/// Longest interval (days) an event may have and still be linked to another document's report
/// of it: a year-precise "2015" fighting is not evidence that two reports are one event.
const LINK_MAX_SPAN_DAYS: i64 = 31;

/// Days since 0001-01-01 as a sortable u32; undated events sort last.
pub fn day_number(d: Option<NaiveDate>) -> u32 {
    d.map_or(u32::MAX, |d| (d.num_days_from_ce().max(0)) as u32)
}

/// A day as the wire writes it (`YYYY-MM-DD`, a longer timestamp cut to its date).
fn parse_day(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok()
}

/// An event's interval, parsed once from its `When`: what the indexes, filters, links and
/// counts read (nothing else in the timeline reads the wire's date strings).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Days {
    pub earliest: Option<NaiveDate>,
    pub latest: Option<NaiveDate>,
}

impl Days {
    pub fn of(e: &Event) -> Days {
        let w = e.when.as_ref();
        Days {
            earliest: w.and_then(|w| parse_day(&w.earliest)),
            latest: w.and_then(|w| parse_day(&w.latest)),
        }
    }

    /// Both ends, when the event has them.
    pub fn both(self) -> Option<(NaiveDate, NaiveDate)> {
        Some((self.earliest?, self.latest?))
    }

    /// Days from the first to the last (0 for one day), when both are known.
    pub fn length(self) -> Option<u32> {
        self.both().map(|(a, b)| (b - a).num_days().max(0) as u32)
    }
}

/// The order suffix shared by the time-sorted indexes: earliest day, document, position.
pub fn time_suffix(e: &Event) -> Vec<u8> {
    let earliest = Days::of(e).earliest;
    let mut k = Vec::with_capacity(4 + e.document_id.len() + 5);
    k.extend_from_slice(&day_number(earliest).to_be_bytes());
    k.extend_from_slice(e.document_id.as_bytes());
    k.push(0);
    k.extend_from_slice(&e.order.to_be_bytes());
    k
}

/// The keys an event is found under, in the place index: its place ids and its mentions.
pub fn place_keys(e: &Event) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    for p in &e.places {
        // by the gazetteer's id, and by the words of the text (which do not depend on resolution)
        for k in [p.id.clone(), mention_key(&p.mention)] {
            if !k.is_empty() && !keys.contains(&k) {
                keys.push(k);
            }
        }
    }
    keys
}

/// Index key of a place known only by its words.
pub fn mention_key(m: &str) -> String {
    let lower = m.trim().to_lowercase();
    let lower = lower.strip_prefix("the ").unwrap_or(&lower);
    format!("mention:{lower}")
}

fn prefixed(prefix: &[u8], suffix: &[u8]) -> Vec<u8> {
    let mut k = Vec::with_capacity(prefix.len() + 1 + suffix.len());
    k.extend_from_slice(prefix);
    k.push(0);
    k.extend_from_slice(suffix);
    k
}

/// Index trees a query can scan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Index {
    Time,
    Place,
    Actor,
    Kind,
    Document,
}

/// The timeline's store: sled in a folder, or tables in a PostgreSQL-protocol database. The
/// service calls only these methods; each backend keeps its own layout behind them.
#[derive(Clone)]
pub enum Store {
    Sled(SledStore),
    Pg(pg::PgStore),
}

/// Run `$e` with `$s` bound to whichever backend `$store` is.
macro_rules! each {
    ($store:expr, $s:ident => $e:expr) => {
        match $store {
            Store::Sled($s) => $e,
            Store::Pg($s) => $e,
        }
    };
}

/// The days a scan is for: events whose earliest day is at most `earliest_to` and whose latest
/// day is at least `latest_from` (day numbers, see [`day_number`]); none: every event. sled's
/// keys hold the earliest day only, so its scans stop at the end but read what the caller skips;
/// the database also filters on each entry's latest day.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Window {
    pub earliest_to: Option<u32>,
    pub latest_from: Option<u32>,
}

/// An index entry: its key (the layout of [`SledStore`]'s trees) and its event id.
pub type Entry = Result<(Vec<u8>, String)>;

impl Store {
    /// A sled store in the folder `path`.
    pub fn open(path: &Path) -> Result<Self> {
        Ok(Store::Sled(SledStore::open(path)?))
    }

    /// The store `location` names: a `postgres://` (or `postgresql://`) URL, or a folder for sled.
    pub fn connect(location: &str) -> Result<Self> {
        if sitrep_store::pg::is_url(location) {
            Ok(Store::Pg(pg::PgStore::connect(location)?))
        } else {
            Store::open(Path::new(location))
        }
    }

    /// Whether the service holds no state of its own (its database is elsewhere).
    pub fn is_external(&self) -> bool {
        matches!(self, Store::Pg(_))
    }

    /// Whether the database answers (sled always does: it is in the process).
    pub async fn ping(&self) -> Result<()> {
        match self {
            Store::Sled(_) => Ok(()),
            Store::Pg(s) => s.ping().await,
        }
    }

    /// Make every acknowledged write durable (sled: flush; a database has committed already).
    pub async fn flush(&self) -> Result<()> {
        match self {
            Store::Sled(s) => s.flush().await,
            Store::Pg(_) => Ok(()),
        }
    }

    pub fn event_count(&self) -> usize {
        each!(self, s => s.event_count())
    }

    pub fn size_on_disk(&self) -> u64 {
        each!(self, s => s.size_on_disk())
    }

    /// The longest interval of any stored event, in days (bounds time-range scans).
    pub fn max_span_days(&self) -> Result<u32> {
        each!(self, s => s.max_span_days())
    }

    pub fn get(&self, id: &str) -> Result<Option<Event>> {
        each!(self, s => s.get(id))
    }

    /// Replace the events of `document` with `events` (or add them, with `append`), atomically;
    /// each new event that another document already reported is linked to that first report.
    pub fn record(&self, document: &str, events: &[Event], append: bool) -> Result<usize> {
        each!(self, s => s.record(document, events, append))
    }

    /// Record several documents' events, each as [`Store::record`] does, in order; the caller
    /// flushes once for all of them.
    pub fn record_batch(&self, documents: &[RecordRequest]) -> Result<Vec<usize>> {
        each!(self, s => s.record_batch(documents))
    }

    /// Ids of other documents' reports linked to the first report `id`.
    pub fn reports_of(&self, id: &str) -> Result<Vec<String>> {
        each!(self, s => s.reports_of(id))
    }

    /// The first report `id` is another document's report of, if any.
    pub fn canonical_of(&self, id: &str) -> Result<Option<String>> {
        each!(self, s => s.canonical_of(id))
    }

    /// An event with its links filled in (`same_as`, `also_reported_as`).
    pub fn linked(&self, e: Event) -> Result<Event> {
        each!(self, s => s.linked(e))
    }

    /// Point every event at place `from` to `into` (keeping each mention), re-indexing them in
    /// one transaction. Returns how many events changed.
    pub fn relabel_place(&self, from: &str, into: &PlaceRef) -> Result<usize> {
        each!(self, s => s.relabel_place(from, into))
    }

    /// Scan an index from `start` (inclusive) within `prefix`, yielding (key, event id).
    pub fn scan(
        &self,
        index: Index,
        prefix: &[u8],
        start: &[u8],
    ) -> Box<dyn Iterator<Item = Entry> + '_> {
        match self {
            Store::Sled(s) => Box::new(s.scan(index, prefix, start)),
            Store::Pg(s) => Box::new(
                s.scan(index, prefix, start, false, Window::default())
                    .map(|r| r.map(|(k, id, _)| (k, id))),
            ),
        }
    }

    /// As [`Store::scan`], with each entry's event (entries whose event is gone are skipped).
    /// Events from a database carry their links already; sled's get them from [`Store::linked`].
    pub fn scan_events(
        &self,
        index: Index,
        prefix: &[u8],
        start: &[u8],
    ) -> Box<dyn Iterator<Item = Result<(Vec<u8>, Event)>> + '_> {
        self.scan_events_within(index, prefix, start, Window::default())
    }

    /// As [`Store::scan_events`], leaving out (where the backend can tell from the index
    /// alone) entries of events outside `window`; the caller still checks each event's days.
    pub fn scan_events_within(
        &self,
        index: Index,
        prefix: &[u8],
        start: &[u8],
        window: Window,
    ) -> Box<dyn Iterator<Item = Result<(Vec<u8>, Event)>> + '_> {
        match self {
            Store::Sled(s) => {
                Box::new(s.scan(index, prefix, start).filter_map(move |kv| match kv {
                    Ok((key, id)) => s.get(&id).transpose().map(|e| e.map(|e| (key, e))),
                    Err(e) => Some(Err(e)),
                }))
            }
            Store::Pg(s) => {
                Box::new(
                    s.scan(index, prefix, start, true, window)
                        .filter_map(|r| match r {
                            Ok((key, _, Some(e))) => Some(Ok((key, e))),
                            Ok((_, _, None)) => None,
                            Err(e) => Some(Err(e)),
                        }),
                )
            }
        }
    }

    /// Key prefix of a value in an index ("geonames:1" → b"geonames:1\0").
    pub fn prefix_of(index: Index, value: &str) -> Vec<u8> {
        SledStore::prefix_of(index, value)
    }
}

/// The timeline's sled database: one tree per key layout.
#[derive(Clone)]
pub struct SledStore {
    db: sled::Db,
    /// `schema_version` → u32 BE; `max_span_days` → u32 BE, the longest event interval stored.
    meta: sled::Tree,
    /// event id → `sitrep.v1.Event`, protobuf-encoded.
    eventid_event: sled::Tree,
    /// [earliest day u32 BE][document id][0x00][order u32 BE] → event id.
    time_eventid: sled::Tree,
    /// [place id or `mention:<words>`][0x00][time suffix as above] → event id.
    placetime_eventid: sled::Tree,
    /// [actor id][0x00][time suffix] → event id.
    actortime_eventid: sled::Tree,
    /// [kind as i32 BE][0x00][time suffix] → event id.
    kindtime_eventid: sled::Tree,
    /// [document id][0x00][order u32 BE] → event id.
    docorder_eventid: sled::Tree,
    /// Another document's report of an event already stored: its event id → the id of the first
    /// report (the canonical one, never itself a report of another).
    dup_canonical: sled::Tree,
    /// [canonical event id][0x00][report event id] → empty: the other way round.
    canonical_dup: sled::Tree,
}

type Tx = sled::transaction::TransactionalTree;

impl SledStore {
    pub fn open(path: &Path) -> Result<Self> {
        let db = sitrep_store::open(&sled::Config::new().path(path))?;
        let s = SledStore {
            meta: db.open_tree(META)?,
            eventid_event: db.open_tree(EVENTID_EVENT)?,
            time_eventid: db.open_tree(TIME_EVENTID)?,
            placetime_eventid: db.open_tree(PLACE_EVENTID)?,
            actortime_eventid: db.open_tree(ACTOR_EVENTID)?,
            kindtime_eventid: db.open_tree(KIND_EVENTID)?,
            docorder_eventid: db.open_tree(DOC_EVENTID)?,
            dup_canonical: db.open_tree(DUP_CANONICAL)?,
            canonical_dup: db.open_tree(CANONICAL_DUP)?,
            db,
        };
        match sitrep_store::check(&s.meta, SCHEMA_VERSION)? {
            sitrep_store::Schema::Newer(v) => {
                return Err(Error::SchemaTooNew {
                    found: v,
                    supported: SCHEMA_VERSION,
                })
            }
            sitrep_store::Schema::Older(_) => {
                // 1 → 2: new, empty link trees; events recorded from now on are linked
                sitrep_store::set(&s.meta, SCHEMA_VERSION)?;
                s.db.flush()?;
                tracing::info!("Migration: 1 -> 2 finished");
            }
            sitrep_store::Schema::Created | sitrep_store::Schema::Current => {}
        }
        Ok(s)
    }

    pub async fn flush(&self) -> Result<()> {
        self.db.flush_async().await?;
        Ok(())
    }

    pub fn event_count(&self) -> usize {
        self.eventid_event.len()
    }

    pub fn size_on_disk(&self) -> u64 {
        self.db.size_on_disk().unwrap_or(0)
    }

    /// The longest interval of any stored event, in days (bounds time-range scans).
    pub fn max_span_days(&self) -> Result<u32> {
        Ok(self.meta.get("max_span_days")?.map_or(0, |v| {
            v.as_ref().try_into().map(u32::from_be_bytes).unwrap_or(0)
        }))
    }

    pub fn get(&self, id: &str) -> Result<Option<Event>> {
        match self.eventid_event.get(id.as_bytes())? {
            Some(b) => Ok(Some(
                Event::decode(b.as_ref())
                    .map_err(|e| Error::Corrupt(format!("event {id}: {e}")))?,
            )),
            None => Ok(None),
        }
    }

    /// Replace the events of `document` with `events` (or add them, with `append`), atomically
    /// across every tree. Each new event that another document already reported (see
    /// [`find_report_in`]) is linked to that first report.
    pub fn record(&self, document: &str, events: &[Event], append: bool) -> Result<usize> {
        let mut pending = Pending::new(self);
        let n = self.record_into(&mut pending, document, events, append)?;
        pending.apply()?;
        Ok(n)
    }

    /// Record several documents' events, each as [`SledStore::record`] does, in order (a
    /// document may link to, or replace, what one before it in the same batch wrote), written
    /// together: one sled batch per tree for the whole call. The caller flushes once for all of
    /// them: that is the point of a batch.
    pub fn record_batch(&self, documents: &[RecordRequest]) -> Result<Vec<usize>> {
        let mut pending = Pending::new(self);
        let counts = documents
            .iter()
            .map(|d| self.record_into(&mut pending, &d.document_id, &d.events, d.append))
            .collect::<Result<Vec<usize>>>()?;
        pending.apply()?;
        Ok(counts)
    }

    /// [`SledStore::record`]'s work, read through and written into `pending`.
    fn record_into(
        &self,
        pending: &mut Pending,
        document: &str,
        events: &[Event],
        append: bool,
    ) -> Result<usize> {
        let old_ids: Vec<String> = if append {
            // only events this part replaces (a retried part)
            let mut ids = Vec::new();
            for e in events {
                if pending.contains(Tree::Event, e.id.as_bytes())? {
                    ids.push(e.id.clone());
                }
            }
            ids
        } else {
            let prefix = prefixed(document.as_bytes(), b"");
            pending
                .scan(Tree::Doc, &prefix, &prefix)
                .map(|kv| kv.map(|(_, v)| String::from_utf8_lossy(&v).into_owned()))
                .collect::<Result<_>>()?
        };
        let mut old = Vec::new();
        for id in &old_ids {
            if let Some(e) = event_in(pending, id)? {
                old.push(e);
            }
        }
        // links the replaced events take with them: as reports of another, and as first reports
        let mut unlink: Vec<(String, String)> = Vec::new(); // (canonical, report)
        for id in &old_ids {
            if let Some(c) = pending.get(Tree::DupCanonical, id.as_bytes())? {
                unlink.push((String::from_utf8_lossy(&c).into_owned(), id.clone()));
            }
            let prefix = prefixed(id.as_bytes(), b"");
            for kv in pending.scan(Tree::CanonicalDup, &prefix, &prefix) {
                let (k, _) = kv?;
                let report = String::from_utf8_lossy(&k[prefix.len()..]).into_owned();
                unlink.push((id.clone(), report));
            }
        }
        let replaced: std::collections::HashSet<&str> =
            old_ids.iter().map(String::as_str).collect();
        let mut link: Vec<(String, String)> = Vec::new();
        for e in events {
            if let Some(c) = find_report_in(pending, e, document, &replaced)? {
                link.push((c, e.id.clone()));
            }
        }
        let mut span = span_in(pending)?;
        for e in events {
            if let Some(n) = Days::of(e).length() {
                span = span.max(n);
            }
        }
        // the replaced events' entries go, the new ones' come (an entry both removed and
        // written stays written)
        for e in &old {
            index_pending(pending, e, false);
        }
        for e in events {
            index_pending(pending, e, true);
        }
        for (c, r) in &unlink {
            pending.remove(Tree::DupCanonical, r.as_bytes().to_vec());
            pending.remove(Tree::CanonicalDup, prefixed(c.as_bytes(), r.as_bytes()));
        }
        for (c, r) in &link {
            pending.insert(
                Tree::DupCanonical,
                r.as_bytes().to_vec(),
                c.as_bytes().to_vec(),
            );
            pending.insert(
                Tree::CanonicalDup,
                prefixed(c.as_bytes(), r.as_bytes()),
                Vec::new(),
            );
        }
        pending.insert(
            Tree::Meta,
            b"max_span_days".to_vec(),
            span.to_be_bytes().to_vec(),
        );
        Ok(events.len())
    }

    /// Ids of other documents' reports linked to the first report `id`.
    pub fn reports_of(&self, id: &str) -> Result<Vec<String>> {
        let prefix = prefixed(id.as_bytes(), b"");
        let mut out = Vec::new();
        for k in self.canonical_dup.scan_prefix(&prefix).keys() {
            out.push(String::from_utf8_lossy(&k?[prefix.len()..]).into_owned());
        }
        Ok(out)
    }

    /// The first report `id` is another document's report of, if any.
    pub fn canonical_of(&self, id: &str) -> Result<Option<String>> {
        Ok(self
            .dup_canonical
            .get(id.as_bytes())?
            .map(|v| String::from_utf8_lossy(&v).into_owned()))
    }

    /// An event with its links filled in (`same_as`, `also_reported_as`).
    pub fn linked(&self, mut e: Event) -> Result<Event> {
        e.same_as = self.canonical_of(&e.id)?.unwrap_or_default();
        e.also_reported_as = self.reports_of(&e.id)?;
        Ok(e)
    }

    /// Point every event at place `from` to `into` (keeping each mention), re-indexing them in
    /// one transaction. Returns how many events changed.
    pub fn relabel_place(&self, from: &str, into: &PlaceRef) -> Result<usize> {
        let prefix = Store::prefix_of(Index::Place, from);
        let mut ids: Vec<String> = Vec::new();
        for kv in self.scan(Index::Place, &prefix, &prefix) {
            let (_, id) = kv?;
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        let mut pairs = Vec::new();
        for id in &ids {
            let Some(old) = self.get(id)? else { continue };
            let mut new = old.clone();
            for p in new.places.iter_mut().filter(|p| p.id == from) {
                *p = PlaceRef {
                    mention: p.mention.clone(),
                    near: p.near.clone(),
                    confidence: p.confidence.max(into.confidence),
                    ..into.clone()
                };
            }
            pairs.push((old, new));
        }
        let trees = (
            &self.eventid_event,
            &self.time_eventid,
            &self.placetime_eventid,
            &self.actortime_eventid,
            &self.kindtime_eventid,
            &self.docorder_eventid,
            &self.meta,
        );
        trees.transaction(|t| {
            for (old, new) in &pairs {
                index(t, old, false)?;
                index(t, new, true)?;
            }
            Ok::<(), ConflictableTransactionError<Error>>(())
        })?;
        Ok(pairs.len())
    }

    fn tree(&self, index: Index) -> &sled::Tree {
        match index {
            Index::Time => &self.time_eventid,
            Index::Place => &self.placetime_eventid,
            Index::Actor => &self.actortime_eventid,
            Index::Kind => &self.kindtime_eventid,
            Index::Document => &self.docorder_eventid,
        }
    }

    /// Scan an index from `start` (inclusive) within `prefix`, yielding (key, event id).
    pub fn scan(
        &self,
        index: Index,
        prefix: &[u8],
        start: &[u8],
    ) -> impl Iterator<Item = Result<(Vec<u8>, String)>> + '_ {
        let tree = self.tree(index);
        let prefix = prefix.to_vec();
        let start = if start < prefix.as_slice() {
            prefix.clone()
        } else {
            start.to_vec()
        };
        tree.range(start..)
            .take_while(move |kv| kv.as_ref().map_or(true, |(k, _)| k.starts_with(&prefix)))
            .map(|kv| {
                let (k, v) = kv?;
                Ok((k.to_vec(), String::from_utf8_lossy(&v).into_owned()))
            })
    }

    /// Key prefix of a value in an index ("geonames:1" → b"geonames:1\0").
    pub fn prefix_of(index: Index, value: &str) -> Vec<u8> {
        match index {
            Index::Time => Vec::new(),
            Index::Kind => prefixed(&value.parse::<i32>().unwrap_or(0).to_be_bytes(), b""),
            _ => prefixed(value.as_bytes(), b""),
        }
    }
}

/// Whether `other`, stored, is another document's report of the event `e` of `document` reports:
/// the same kind, overlapping dates (each interval at most a month), and actors that agree (one
/// of them names none, or they share one). The place is the caller's (an index scan).
pub fn reports_same(e: &Event, document: &str, other: &Event) -> bool {
    let (Some((a, b)), Some((oa, ob))) = (linkable_interval(e), linkable_interval(other)) else {
        return false;
    };
    if other.document_id == document || other.kind != e.kind || oa > b || ob < a {
        return false;
    }
    let ids = |e: &Event| {
        e.actors
            .iter()
            .map(|x| x.id.clone())
            .filter(|x| !x.is_empty())
            .collect::<Vec<String>>()
    };
    let (mine, theirs) = (ids(e), ids(other));
    mine.is_empty() || theirs.is_empty() || mine.iter().any(|x| theirs.contains(x))
}

/// The days of an event, when it is dated precisely enough to be linked to another report.
pub fn linkable_interval(e: &Event) -> Option<(NaiveDate, NaiveDate)> {
    let (a, b) = Days::of(e).both()?;
    ((b - a).num_days() <= LINK_MAX_SPAN_DAYS).then_some((a, b))
}

/// The index entries of `e` (each maps to its id): the one description of the key layouts,
/// used by the batched write and by the transactional relabel alike.
fn index_entries(e: &Event) -> Vec<(Index, Vec<u8>)> {
    let suffix = time_suffix(e);
    let mut out = vec![(Index::Time, suffix.clone())];
    for k in place_keys(e) {
        out.push((Index::Place, prefixed(k.as_bytes(), &suffix)));
    }
    let mut actors: Vec<&str> = e
        .actors
        .iter()
        .map(|a| a.id.as_str())
        .filter(|a| !a.is_empty())
        .collect();
    actors.dedup();
    for a in actors {
        out.push((Index::Actor, prefixed(a.as_bytes(), &suffix)));
    }
    out.push((Index::Kind, prefixed(&e.kind.to_be_bytes(), &suffix)));
    out.push((
        Index::Document,
        prefixed(e.document_id.as_bytes(), &e.order.to_be_bytes()),
    ));
    out
}

/// Add (or remove) `e` and its index entries in `pending`.
fn index_pending(pending: &mut Pending, e: &Event, put: bool) {
    let id = e.id.as_bytes();
    let op = |p: &mut Pending, t: Tree, k: Vec<u8>, v: &[u8]| {
        if put {
            p.insert(t, k, v.to_vec());
        } else {
            p.remove(t, k);
        }
    };
    let body = if put { e.encode_to_vec() } else { Vec::new() };
    op(pending, Tree::Event, id.to_vec(), &body);
    for (index, key) in index_entries(e) {
        op(pending, index.into(), key, id);
    }
}

/// An event as `pending` sees it.
fn event_in(pending: &Pending, id: &str) -> Result<Option<Event>> {
    match pending.get(Tree::Event, id.as_bytes())? {
        Some(b) => Ok(Some(
            Event::decode(b.as_slice()).map_err(|e| Error::Corrupt(format!("event {id}: {e}")))?,
        )),
        None => Ok(None),
    }
}

/// The longest interval of any event, as `pending` sees them.
fn span_in(pending: &Pending) -> Result<u32> {
    Ok(pending.get(Tree::Meta, b"max_span_days")?.map_or(0, |v| {
        v.as_slice().try_into().map(u32::from_be_bytes).unwrap_or(0)
    }))
}

/// The first report, by another document, of the event `e` reports: same kind, the same
/// gazetteer place, overlapping dates (each interval at most a month), and actors that agree
/// (one of them names none, or they share one). Events in `skip` (being replaced) and events
/// that are themselves reports of another do not count.
/// Read as `pending` sees the store.
fn find_report_in(
    pending: &Pending,
    e: &Event,
    document: &str,
    skip: &std::collections::HashSet<&str>,
) -> Result<Option<String>> {
    let Some((a, b)) = linkable_interval(e) else {
        return Ok(None);
    };
    // a linkable report spans at most LINK_MAX_SPAN_DAYS: it begins no earlier than that
    let span = LINK_MAX_SPAN_DAYS;
    for p in e.places.iter().filter(|p| !p.id.is_empty()) {
        let prefix = Store::prefix_of(Index::Place, &p.id);
        let mut start = prefix.clone();
        start.extend_from_slice(&day_number(Some(a - chrono::Duration::days(span))).to_be_bytes());
        let last = day_number(Some(b));
        for kv in pending.scan(Tree::Place, &prefix, &start) {
            let (key, id) = kv?;
            let id = String::from_utf8_lossy(&id).into_owned();
            let at = prefix.len();
            if key.len() >= at + 4
                && u32::from_be_bytes([key[at], key[at + 1], key[at + 2], key[at + 3]]) > last
            {
                break;
            }
            if skip.contains(id.as_str()) || pending.contains(Tree::DupCanonical, id.as_bytes())? {
                continue;
            }
            let Some(other) = event_in(pending, &id)? else {
                continue;
            };
            if reports_same(e, document, &other) {
                return Ok(Some(id));
            }
        }
    }
    Ok(None)
}

/// As [`index_pending`], inside a transaction over (event, time, place, actor, kind, document,
/// meta) trees.
fn index(
    t: &(Tx, Tx, Tx, Tx, Tx, Tx, Tx),
    e: &Event,
    put: bool,
) -> std::result::Result<(), ConflictableTransactionError<Error>> {
    let id = e.id.as_bytes();
    if put {
        t.0.insert(id, e.encode_to_vec())?;
    } else {
        t.0.remove(id)?;
    }
    for (index, key) in index_entries(e) {
        let tree = match index {
            Index::Time => &t.1,
            Index::Place => &t.2,
            Index::Actor => &t.3,
            Index::Kind => &t.4,
            Index::Document => &t.5,
        };
        if put {
            tree.insert(key, id)?;
        } else {
            tree.remove(key)?;
        }
    }
    Ok(())
}
