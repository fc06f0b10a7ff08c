//! The timeline's tables in a PostgreSQL-protocol database (PostgreSQL, CockroachDB,
//! YugabyteDB): one row per event with typed columns, one table per multi-valued index (places,
//! actors), the report links, and the indexes each query's range scan needs.
//!
//! **Invariant:** a scan yields the keys [`super::SledStore`]'s trees would hold: the time
//! suffix is stored as `sort_key` (BYTEA compares bytewise on every engine, where TEXT order
//! depends on the collation), so page tokens mean the same on both backends.
//!
//! **Invariant:** [`PgStore::record`] and [`PgStore::relabel_place`] are each one transaction
//! on one snapshot (REPEATABLE READ), retried on a conflict: concurrent replicas neither lose nor
//! double an event (two replacing one document's events write the same rows: one is retried), and
//! a reader sees all of a call's events or none. Two documents reporting one event, recorded at
//! the same moment by two replicas, may each miss the other and stay unlinked (a write skew that
//! SERIALIZABLE would catch; see `sitrep_store::pg::begin` for why it is not used).

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;

use prost::Message;
use sitrep_proto::v1::{Event, PlaceRef, RecordRequest};
use sitrep_store::pg::{begin, Database, Migration, PgError, Transaction};
use tokio_postgres::types::ToSql;

use super::{
    day_number, linkable_interval, place_keys, reports_same, time_suffix, Days, Index,
    LINK_MAX_SPAN_DAYS,
};
use crate::error::{Error, Result};

/// Name of the timeline's schema in `sitrep_schema`.
const SERVICE: &str = "timeline";

/// The schema, step by step (each statement may run twice: replicas may start at once).
static MIGRATIONS: &[Migration] = &[Migration {
    version: 1,
    statements: &[
        // one row per event: `event` is the sitrep.v1.Event, protobuf-encoded; `sort_key` is
        // [earliest day u32 BE][document id][0x00][order u32 BE] (days since 0001-01-01, undated
        // events u32::MAX), the order of every time-sorted index
        "CREATE TABLE IF NOT EXISTS events (
            id TEXT PRIMARY KEY,
            document_id TEXT NOT NULL,
            ord BIGINT NOT NULL,
            kind BIGINT NOT NULL,
            earliest_day BIGINT NOT NULL,
            latest_day BIGINT NOT NULL,
            sort_key BYTEA NOT NULL,
            event BYTEA NOT NULL
        )",
        "CREATE INDEX IF NOT EXISTS events_time ON events (sort_key, id)",
        "CREATE INDEX IF NOT EXISTS events_kind ON events (kind, sort_key, id)",
        "CREATE INDEX IF NOT EXISTS events_document ON events (document_id, ord, id)",
        // an event under each of its place keys (gazetteer id, `mention:<words>`), with its
        // last day, so that a period's scan reads only the events that reach into it
        "CREATE TABLE IF NOT EXISTS event_places (
            place_key TEXT NOT NULL,
            sort_key BYTEA NOT NULL,
            latest_day BIGINT NOT NULL,
            event_id TEXT NOT NULL,
            PRIMARY KEY (place_key, sort_key)
        )",
        "CREATE INDEX IF NOT EXISTS event_places_event ON event_places (event_id)",
        // an event under each of its actors' ids
        "CREATE TABLE IF NOT EXISTS event_actors (
            actor_id TEXT NOT NULL,
            sort_key BYTEA NOT NULL,
            latest_day BIGINT NOT NULL,
            event_id TEXT NOT NULL,
            PRIMARY KEY (actor_id, sort_key)
        )",
        "CREATE INDEX IF NOT EXISTS event_actors_event ON event_actors (event_id)",
        // another document's report of an event → the first report (never itself a report)
        "CREATE TABLE IF NOT EXISTS event_links (
            report_id TEXT PRIMARY KEY,
            canonical_id TEXT NOT NULL
        )",
        "CREATE INDEX IF NOT EXISTS event_links_canonical ON event_links (canonical_id, report_id)",
        // `max_span_days`: the longest interval of any stored event
        "CREATE TABLE IF NOT EXISTS timeline_meta (name TEXT PRIMARY KEY, value BIGINT NOT NULL)",
    ],
}];

/// Rows a scan reads per round trip at first; it doubles up to [`SCAN_MAX_BATCH`].
const SCAN_FIRST_BATCH: i64 = 64;
const SCAN_MAX_BATCH: i64 = 2048;

/// The timeline in a database; cheap to clone (a pool handle).
#[derive(Clone)]
pub struct PgStore {
    db: Database,
}

/// The ranges a `Record` looks for first reports in, one per (event, gazetteer place), as the
/// columns of the probe query's `UNNEST`.
#[derive(Default)]
struct Probes {
    place_keys: Vec<String>,
    /// Sort keys from the earliest day a report of the event may begin on …
    from: Vec<Vec<u8>>,
    /// … to the day after the event's last (exclusive).
    until: Vec<Vec<u8>>,
    /// The event's position in the call, and the place's in the event.
    events: Vec<i64>,
    places: Vec<i64>,
    kinds: Vec<i64>,
    /// The event's first day: a candidate ending before it is none.
    first_days: Vec<i64>,
}

/// An event's row and its index rows, ready to insert.
#[derive(Default)]
struct Rows {
    ids: Vec<String>,
    docs: Vec<String>,
    ords: Vec<i64>,
    kinds: Vec<i64>,
    earliest: Vec<i64>,
    latest: Vec<i64>,
    sort_keys: Vec<Vec<u8>>,
    bodies: Vec<Vec<u8>>,
    /// (place key, sort key, latest day, event id), one per key (a later event's entry replaces
    /// an earlier's).
    places: Vec<(String, Vec<u8>, i64, String)>,
    actors: Vec<(String, Vec<u8>, i64, String)>,
}

impl Rows {
    /// The rows of `events`; of several events with one id, the last (as sled's batch keeps).
    fn of(events: &[Event]) -> Rows {
        let mut last: HashMap<&str, usize> = HashMap::new();
        for (i, e) in events.iter().enumerate() {
            last.insert(e.id.as_str(), i);
        }
        let mut r = Rows::default();
        let (mut places, mut actors) = (HashMap::new(), HashMap::new());
        for (i, e) in events
            .iter()
            .enumerate()
            .filter(|(i, e)| last[e.id.as_str()] == *i)
        {
            let days = Days::of(e);
            let suffix = time_suffix(e);
            r.ids.push(e.id.clone());
            r.docs.push(e.document_id.clone());
            r.ords.push(i64::from(e.order));
            r.kinds.push(i64::from(e.kind));
            r.earliest.push(i64::from(day_number(days.earliest)));
            let latest = i64::from(day_number(days.latest));
            r.latest.push(latest);
            r.bodies.push(e.encode_to_vec());
            for k in place_keys(e) {
                places.insert((k, suffix.clone()), (i, latest, e.id.clone()));
            }
            for a in e
                .actors
                .iter()
                .map(|a| a.id.as_str())
                .filter(|a| !a.is_empty())
            {
                actors.insert((a.to_string(), suffix.clone()), (i, latest, e.id.clone()));
            }
            r.sort_keys.push(suffix);
        }
        // in event order, for a plan that does not depend on a hash
        let mut places: Vec<_> = places.into_iter().collect();
        places.sort_by(|a, b| (a.1 .0, &a.0).cmp(&(b.1 .0, &b.0)));
        r.places = places
            .into_iter()
            .map(|((k, s), (_, l, id))| (k, s, l, id))
            .collect();
        let mut actors: Vec<_> = actors.into_iter().collect();
        actors.sort_by(|a, b| (a.1 .0, &a.0).cmp(&(b.1 .0, &b.0)));
        r.actors = actors
            .into_iter()
            .map(|((k, s), (_, l, id))| (k, s, l, id))
            .collect();
        r
    }
}

impl Probes {
    /// One range per (event, gazetteer place) to look for a first report in.
    fn of(events: &[Event]) -> Probes {
        let mut probes = Probes::default();
        for (i, e) in events.iter().enumerate() {
            let Some((a, b)) = linkable_interval(e) else {
                continue;
            };
            for (pi, p) in e
                .places
                .iter()
                .enumerate()
                .filter(|(_, p)| !p.id.is_empty())
            {
                probes.place_keys.push(p.id.clone());
                probes.from.push(
                    day_number(Some(a - chrono::Duration::days(LINK_MAX_SPAN_DAYS)))
                        .to_be_bytes()
                        .to_vec(),
                );
                probes
                    .until
                    .push(day_number(Some(b)).saturating_add(1).to_be_bytes().to_vec());
                probes.events.push(i as i64);
                probes.places.push(pi as i64);
                probes.kinds.push(i64::from(e.kind));
                probes.first_days.push(i64::from(day_number(Some(a))));
            }
        }
        probes
    }
}

/// The longest interval, in days, of the dated events (0 when none is).
fn longest_span(events: &[Event]) -> i64 {
    events
        .iter()
        .filter_map(|e| Days::of(e).length())
        .max()
        .map_or(0, i64::from)
}

/// Delete the events a `Record` replaces, with their index rows and links: the document's
/// (unless appending), and any stored under one of the new ids.
async fn delete_replaced(
    tx: &Transaction<'_>,
    rows: &Rows,
    document: &str,
    append: bool,
) -> std::result::Result<(), PgError> {
    let old: Vec<String> = if append {
        tx.query("SELECT id FROM events WHERE id = ANY($1)", &[&rows.ids]).await?
    } else {
        tx.query("SELECT id FROM events WHERE document_id = $1 UNION SELECT id FROM events WHERE id = ANY($2)", &[&document, &rows.ids]).await?
    }
    .into_iter()
    .map(|r| r.get(0))
    .collect();
    if !old.is_empty() {
        // their links go with them, as reports of another and as first reports
        for sql in [
            "DELETE FROM event_links WHERE report_id = ANY($1)",
            "DELETE FROM event_links WHERE canonical_id = ANY($1)",
            "DELETE FROM event_places WHERE event_id = ANY($1)",
            "DELETE FROM event_actors WHERE event_id = ANY($1)",
            "DELETE FROM events WHERE id = ANY($1)",
        ] {
            tx.execute(sql, &[&old]).await?;
        }
    }
    Ok(())
}

/// A candidate first report of an event: the probe's place in the event, the candidate's sort
/// key, id and protobuf.
type Candidate = (i64, Vec<u8>, String, Vec<u8>);

/// The links of `events` to their first reports by other documents: (report id, first report
/// id), found in one query over every probe.
async fn first_reports(
    tx: &Transaction<'_>,
    probes: &Probes,
    events: &[Event],
    document: &str,
) -> std::result::Result<Vec<(String, String)>, PgError> {
    // first reports by other documents, in one query over every (event, place); the
    // LATERAL keeps each probe an index range scan (as a join, the planner hashed
    // both whole tables once the store grew: 25 ms per call at 2 000 events, 450 ms
    // at 200 000), and an event that ends before the probe's first day is no
    // candidate (`reports_same` would refuse it)
    let mut links: Vec<(String, String)> = Vec::new();
    if !probes.place_keys.is_empty() {
        let found = tx
            .query(
                "SELECT q.i, q.pi, c.sort_key, c.id, c.event \
                 FROM UNNEST($1::TEXT[], $2::BYTEA[], $3::BYTEA[], $4::BIGINT[], $5::BIGINT[], $6::BIGINT[], $8::BIGINT[]) \
                   AS q(place_key, lo, hi, i, pi, kind, first_day) \
                 CROSS JOIN LATERAL ( \
                   SELECT p.sort_key, e.id, e.event FROM event_places p \
                   JOIN events e ON e.id = p.event_id AND e.kind = q.kind AND e.document_id <> $7 \
                   WHERE p.place_key = q.place_key AND p.sort_key >= q.lo AND p.sort_key < q.hi \
                     AND p.latest_day >= q.first_day \
                     AND NOT EXISTS (SELECT 1 FROM event_links l WHERE l.report_id = e.id) \
                 ) AS c",
                &[&probes.place_keys, &probes.from, &probes.until, &probes.events, &probes.places, &probes.kinds, &document, &probes.first_days],
            )
            .await?;
        // per event, the candidates in sled's scan order: place by place, by key
        let mut by_event: HashMap<i64, Vec<Candidate>> = HashMap::new();
        for r in found {
            by_event
                .entry(r.get(0))
                .or_default()
                .push((r.get(1), r.get(2), r.get(3), r.get(4)));
        }
        let mut events_at: Vec<(i64, Vec<Candidate>)> = by_event.into_iter().collect();
        events_at.sort_by_key(|(i, _)| *i);
        for (i, mut candidates) in events_at {
            candidates.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
            let e = &events[i as usize];
            for (_, _, id, bytes) in candidates {
                let Ok(other) = Event::decode(bytes.as_slice()) else {
                    continue;
                };
                if reports_same(e, document, &other) {
                    links.push((e.id.clone(), id));
                    break;
                }
            }
        }
    }
    Ok(links)
}

/// Insert the events' rows and their place and actor index rows.
async fn insert_rows(tx: &Transaction<'_>, rows: &Rows) -> std::result::Result<(), PgError> {
    if !rows.ids.is_empty() {
        tx.execute(
            "INSERT INTO events (id, document_id, ord, kind, earliest_day, latest_day, sort_key, event) \
             SELECT * FROM UNNEST($1::TEXT[], $2::TEXT[], $3::BIGINT[], $4::BIGINT[], $5::BIGINT[], $6::BIGINT[], $7::BYTEA[], $8::BYTEA[])",
            &[&rows.ids, &rows.docs, &rows.ords, &rows.kinds, &rows.earliest, &rows.latest, &rows.sort_keys, &rows.bodies],
        )
        .await?;
    }
    for (table, column, entries) in [
        ("event_places", "place_key", &rows.places),
        ("event_actors", "actor_id", &rows.actors),
    ] {
        if entries.is_empty() {
            continue;
        }
        let keys: Vec<&str> = entries.iter().map(|e| e.0.as_str()).collect();
        let sorts: Vec<&[u8]> = entries.iter().map(|e| e.1.as_slice()).collect();
        let latest: Vec<i64> = entries.iter().map(|e| e.2).collect();
        let ids: Vec<&str> = entries.iter().map(|e| e.3.as_str()).collect();
        let sql = format!(
            "INSERT INTO {table} ({column}, sort_key, latest_day, event_id) \
             SELECT * FROM UNNEST($1::TEXT[], $2::BYTEA[], $3::BIGINT[], $4::TEXT[]) \
             ON CONFLICT ({column}, sort_key) DO UPDATE SET latest_day = excluded.latest_day, event_id = excluded.event_id"
        );
        tx.execute(sql.as_str(), &[&keys, &sorts, &latest, &ids])
            .await?;
    }
    Ok(())
}

/// Insert (or repoint) the links of reports to their first reports.
async fn insert_links(
    tx: &Transaction<'_>,
    links: Vec<(String, String)>,
) -> std::result::Result<(), PgError> {
    if !links.is_empty() {
        let (reports, canonicals): (Vec<String>, Vec<String>) = links.into_iter().unzip();
        tx.execute(
            "INSERT INTO event_links (report_id, canonical_id) SELECT * FROM UNNEST($1::TEXT[], $2::TEXT[]) \
             ON CONFLICT (report_id) DO UPDATE SET canonical_id = excluded.canonical_id",
            &[&reports, &canonicals],
        )
        .await?;
    }
    Ok(())
}

/// Raise the stored longest span of any event to `span` when it is longer.
async fn raise_max_span(tx: &Transaction<'_>, span: i64) -> std::result::Result<(), PgError> {
    // the longest span only grows, and rarely: read it, write it only then
    let stored: i64 = tx
        .query_opt(
            "SELECT value FROM timeline_meta WHERE name = 'max_span_days'",
            &[],
        )
        .await?
        .map_or(-1, |r| r.get(0));
    if span > stored {
        tx.execute(
            "INSERT INTO timeline_meta (name, value) VALUES ('max_span_days', $1) \
             ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            &[&span],
        )
        .await?;
    }
    Ok(())
}

fn decode(id: &str, bytes: &[u8]) -> std::result::Result<Event, Error> {
    Event::decode(bytes).map_err(|e| Error::Corrupt(format!("event {id}: {e}")))
}

/// The columns that give an event's links, after its `event` column, given `l` (its row of
/// `event_links` as a report, LEFT JOINed on `l.report_id`) and `e.id`: the first report it
/// reports, and the reports of it.
const LINKS: &str = ", l.canonical_id, (SELECT array_agg(r.report_id) FROM event_links r WHERE r.canonical_id = e.id)";

/// An event from its row: the protobuf and its links.
fn event_of(
    id: &str,
    bytes: &[u8],
    canonical: Option<String>,
    reports: Option<Vec<String>>,
) -> std::result::Result<Event, Error> {
    let mut e = decode(id, bytes)?;
    e.same_as = canonical.unwrap_or_default();
    let mut reports = reports.unwrap_or_default();
    // sled's order: by id, bytewise
    reports.sort();
    e.also_reported_as = reports;
    Ok(e)
}

/// Where a scan stands: from a key (inclusive), or after a row it yielded.
#[derive(Clone)]
enum Cursor {
    From(Vec<u8>),
    After(Vec<u8>, String),
}

impl PgStore {
    /// Connect to `url` and bring the schema up to date (refusing a newer one).
    pub fn connect(url: &str) -> Result<PgStore> {
        let db = Database::connect(url)?;
        db.migrate(SERVICE, MIGRATIONS)?;
        Ok(PgStore { db })
    }

    pub async fn ping(&self) -> Result<()> {
        Ok(self.db.ping().await?)
    }

    pub fn event_count(&self) -> usize {
        let n = self.db.read(|c| async move {
            c.query_one("SELECT count(*) FROM events", &[])
                .await
                .map(|r| r.get::<_, i64>(0))
        });
        n.map_or(0, |n| n as usize)
    }

    /// Not known to the store: the database reports its own size.
    pub fn size_on_disk(&self) -> u64 {
        0
    }

    pub fn max_span_days(&self) -> Result<u32> {
        let v = self.db.read(|c| async move {
            let stmt = c
                .prepare_cached("SELECT value FROM timeline_meta WHERE name = 'max_span_days'")
                .await?;
            let r = c.query_opt(&stmt, &[]).await?;
            Ok(r.map_or(0, |r| r.get::<_, i64>(0)))
        })?;
        Ok(v.clamp(0, i64::from(u32::MAX)) as u32)
    }

    /// An event with its links (every event this backend returns carries them), in one query.
    pub fn get(&self, id: &str) -> Result<Option<Event>> {
        let id = id.to_string();
        let found = self.db.read(move |c| async move {
            let sql = format!("SELECT e.event{LINKS} FROM events e LEFT JOIN event_links l ON l.report_id = e.id WHERE e.id = $1");
            let stmt = c.prepare_cached(&sql).await?;
            Ok(c.query_opt(&stmt, &[&id]).await?.map(|r| event_of(&id, &r.get::<_, Vec<u8>>(0), r.get(1), r.get(2))))
        })?;
        found.transpose()
    }

    pub fn reports_of(&self, id: &str) -> Result<Vec<String>> {
        Ok(self
            .get(id)?
            .map(|e| e.also_reported_as)
            .unwrap_or_default())
    }

    pub fn canonical_of(&self, id: &str) -> Result<Option<String>> {
        Ok(self.get(id)?.map(|e| e.same_as).filter(|s| !s.is_empty()))
    }

    /// Events from this backend carry their links already.
    pub fn linked(&self, e: Event) -> Result<Event> {
        Ok(e)
    }

    /// Record several documents' events in order, each in its own transaction as
    /// [`PgStore::record`] does (a document may link to one recorded before it): each is durable
    /// once committed, so a failure part-way leaves whole documents only.
    pub fn record_batch(&self, documents: &[RecordRequest]) -> Result<Vec<usize>> {
        documents
            .iter()
            .map(|d| self.record(&d.document_id, &d.events, d.append))
            .collect()
    }

    /// Replace the events of `document` with `events` (or add them, with `append`) in one
    /// transaction, linking each to another document's first report of it (as
    /// [`super::SledStore::record`] does; the candidates are read in the same transaction, so
    /// two replicas recording two reports at once link them too).
    pub fn record(&self, document: &str, events: &[Event], append: bool) -> Result<usize> {
        let rows = Arc::new(Rows::of(events));
        let probes = Probes::of(events);
        let span = longest_span(events);
        let probes = Arc::new(probes);
        let events = Arc::new(events.to_vec());
        let document = document.to_string();
        let n = rows.ids.len();
        self.db
            .transact(move |mut c| {
                let (rows, probes, events, document) = (
                    rows.clone(),
                    probes.clone(),
                    events.clone(),
                    document.clone(),
                );
                async move {
                    let tx = begin(&mut c).await?;
                    delete_replaced(&tx, &rows, &document, append).await?;
                    let links = first_reports(&tx, &probes, &events, &document).await?;
                    insert_rows(&tx, &rows).await?;
                    insert_links(&tx, links).await?;
                    raise_max_span(&tx, span).await?;
                    tx.commit().await?;
                    Ok(n)
                }
            })
            .map_err(Error::from)
    }

    /// Point every event at place `from` to `into` in one transaction (as sled's does).
    pub fn relabel_place(&self, from: &str, into: &PlaceRef) -> Result<usize> {
        let (from, into) = (from.to_string(), into.clone());
        let changed = self.db.transact(move |mut c| {
            let (from, into) = (from.clone(), into.clone());
            async move {
                let tx = begin(&mut c).await?;
                let rows = tx.query("SELECT DISTINCT e.id, e.event FROM event_places p JOIN events e ON e.id = p.event_id WHERE p.place_key = $1", &[&from]).await?;
                let mut events = Vec::with_capacity(rows.len());
                for r in rows {
                    let (id, bytes): (String, Vec<u8>) = (r.get(0), r.get(1));
                    match decode(&id, &bytes) {
                        Ok(mut e) => {
                            for p in e.places.iter_mut().filter(|p| p.id == from) {
                                *p = PlaceRef { mention: p.mention.clone(), near: p.near.clone(), confidence: p.confidence.max(into.confidence), ..into.clone() };
                            }
                            events.push(e);
                        }
                        Err(e) => return Ok(Err(e)),
                    }
                }
                if events.is_empty() {
                    return Ok(Ok(0));
                }
                let rows = Rows::of(&events);
                tx.execute("DELETE FROM event_places WHERE event_id = ANY($1)", &[&rows.ids]).await?;
                tx.execute("UPDATE events SET event = u.event FROM UNNEST($1::TEXT[], $2::BYTEA[]) AS u(id, event) WHERE events.id = u.id", &[&rows.ids, &rows.bodies])
                    .await?;
                let keys: Vec<&str> = rows.places.iter().map(|e| e.0.as_str()).collect();
                let sorts: Vec<&[u8]> = rows.places.iter().map(|e| e.1.as_slice()).collect();
                let latest: Vec<i64> = rows.places.iter().map(|e| e.2).collect();
                let ids: Vec<&str> = rows.places.iter().map(|e| e.3.as_str()).collect();
                tx.execute(
                    "INSERT INTO event_places (place_key, sort_key, latest_day, event_id) \
                     SELECT * FROM UNNEST($1::TEXT[], $2::BYTEA[], $3::BIGINT[], $4::TEXT[]) \
                     ON CONFLICT (place_key, sort_key) DO UPDATE SET latest_day = excluded.latest_day, event_id = excluded.event_id",
                    &[&keys, &sorts, &latest, &ids],
                )
                .await?;
                tx.commit().await?;
                Ok(Ok(events.len()))
            }
        })?;
        changed
    }

    /// Scan an index from `start` (inclusive) within `prefix`, as sled's trees would be scanned:
    /// (key, event id, the event with its links when `with_events`), read in batches; with a
    /// `window`, only entries of events that reach into it (see [`super::Window`]).
    pub fn scan<'a>(
        &'a self,
        index: Index,
        prefix: &[u8],
        start: &[u8],
        with_events: bool,
        window: super::Window,
    ) -> impl Iterator<Item = Result<(Vec<u8>, String, Option<Event>)>> + 'a {
        let start = if start < prefix {
            prefix.to_vec()
        } else {
            start.to_vec()
        };
        Scan {
            store: self,
            index,
            prefix: prefix.to_vec(),
            cursor: Cursor::From(start[prefix.len()..].to_vec()),
            batch: SCAN_FIRST_BATCH,
            buffer: VecDeque::new(),
            done: false,
            with_events,
            window,
        }
    }

    /// One batch of a scan: (key suffix after the prefix, event id, event).
    fn fetch(
        &self,
        index: Index,
        prefix: &[u8],
        cursor: &Cursor,
        limit: i64,
        with_events: bool,
        window: super::Window,
    ) -> Result<Vec<(Vec<u8>, String, Option<Event>)>> {
        // the prefix's value without its 0x00 separator
        let value = prefix.strip_suffix(&[0]).unwrap_or(prefix).to_vec();
        let (index, cursor) = (index, cursor.clone());
        let rows = self.db.read(move |c| async move {
            let entries = matches!(index, Index::Place | Index::Actor);
            // the table scanned (`x` for an index table, else `e`), its value's column, and the
            // column it is ordered by (the document index: `ord`, a u32 BE after the prefix)
            let (table, value_column, order) = match index {
                Index::Time => ("events e", None, "e.sort_key"),
                Index::Kind => ("events e", Some("e.kind"), "e.sort_key"),
                Index::Document => ("events e", Some("e.document_id"), "e.ord"),
                Index::Place => ("event_places x", Some("x.place_key"), "x.sort_key"),
                Index::Actor => ("event_actors x", Some("x.actor_id"), "x.sort_key"),
            };
            let t = if entries { "x" } else { "e" };
            let id = format!("{t}.{}", if entries { "event_id" } else { "id" });
            let mut from = table.to_string();
            if with_events {
                if entries {
                    from.push_str(" LEFT JOIN events e ON e.id = x.event_id");
                }
                from.push_str(&format!(" LEFT JOIN event_links l ON l.report_id = {id}"));
            }
            let body = if with_events { format!(", e.event{LINKS}") } else { ", NULL::BYTEA, NULL::TEXT, NULL::TEXT[]".to_string() };
            let mut conditions: Vec<String> = Vec::new();
            let mut params: Vec<Box<dyn ToSql + Sync + Send>> = Vec::new();
            let param = |v: Box<dyn ToSql + Sync + Send>, params: &mut Vec<Box<dyn ToSql + Sync + Send>>| {
                params.push(v);
                format!("${}", params.len())
            };
            if let Some(column) = value_column {
                let v: Box<dyn ToSql + Sync + Send> = match index {
                    Index::Kind if value.len() >= 4 => Box::new(i64::from(i32::from_be_bytes([value[0], value[1], value[2], value[3]]))),
                    Index::Kind => Box::new(0i64),
                    _ => Box::new(String::from_utf8_lossy(&value).into_owned()),
                };
                conditions.push(format!("{column} = {}", param(v, &mut params)));
            }
            let doc_order = |s: &[u8]| -> i64 {
                let mut b = [0u8; 4];
                for (i, x) in s.iter().take(4).enumerate() {
                    b[i] = *x;
                }
                i64::from(u32::from_be_bytes(b))
            };
            let position = |s: &Vec<u8>| -> Box<dyn ToSql + Sync + Send> {
                if index == Index::Document {
                    Box::new(doc_order(s))
                } else {
                    Box::new(s.clone())
                }
            };
            match &cursor {
                Cursor::From(s) => conditions.push(format!("{order} >= {}", param(position(s), &mut params))),
                // the place and actor keys are unique; events may share a time suffix
                Cursor::After(s, _) if entries => conditions.push(format!("{order} > {}", param(position(s), &mut params))),
                Cursor::After(s, after) => {
                    let a = param(position(s), &mut params);
                    let b = param(Box::new(after.clone()), &mut params);
                    conditions.push(format!("({order}, e.id) > ({a}, {b})"));
                }
            }
            if index != Index::Document {
                if let Some(last) = window.earliest_to {
                    let end = last.saturating_add(1).to_be_bytes().to_vec();
                    conditions.push(format!("{order} < {}", param(Box::new(end), &mut params)));
                }
                if let Some(first) = window.latest_from {
                    conditions.push(format!("{t}.latest_day >= {}", param(Box::new(i64::from(first)), &mut params)));
                }
            }
            let limit_param = param(Box::new(limit), &mut params);
            let tiebreak = if entries { "" } else { ", e.id" };
            let cond = if conditions.is_empty() { "TRUE".to_string() } else { conditions.join(" AND ") };
            let sql = format!("SELECT {order}, {id}{body} FROM {from} WHERE {cond} ORDER BY {order}{tiebreak} LIMIT {limit_param}");
            let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p.as_ref() as &(dyn ToSql + Sync)).collect();
            let stmt = c.prepare_cached(&sql).await?;
            let rows = c.query(&stmt, &refs).await?;
            let mut out: Vec<(Vec<u8>, String, Option<Event>)> = Vec::with_capacity(rows.len());
            let mut bad = None;
            for r in rows {
                let suffix: Vec<u8> = if index == Index::Document { (r.get::<_, i64>(0) as u32).to_be_bytes().to_vec() } else { r.get(0) };
                let id: String = r.get(1);
                let event = match r.get::<_, Option<Vec<u8>>>(2) {
                    Some(b) => match event_of(&id, &b, r.get(3), r.get(4)) {
                        Ok(e) => Some(e),
                        Err(e) => {
                            bad = Some(e);
                            None
                        }
                    },
                    None => None,
                };
                out.push((suffix, id, event));
            }
            Ok(match bad {
                Some(e) => Err(e),
                None => Ok(out),
            })
        })?;
        rows
    }
}

/// A scan in batches, each read after the last row of the one before.
struct Scan<'a> {
    store: &'a PgStore,
    index: Index,
    prefix: Vec<u8>,
    cursor: Cursor,
    batch: i64,
    buffer: VecDeque<(Vec<u8>, String, Option<Event>)>,
    done: bool,
    with_events: bool,
    window: super::Window,
}

impl Iterator for Scan<'_> {
    type Item = Result<(Vec<u8>, String, Option<Event>)>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.buffer.is_empty() && !self.done {
            match self.store.fetch(
                self.index,
                &self.prefix,
                &self.cursor,
                self.batch,
                self.with_events,
                self.window,
            ) {
                Ok(rows) => {
                    self.done = (rows.len() as i64) < self.batch;
                    if let Some((suffix, id, _)) = rows.last() {
                        self.cursor = Cursor::After(suffix.clone(), id.clone());
                    }
                    self.buffer.extend(rows);
                    self.batch = (self.batch * 2).min(SCAN_MAX_BATCH);
                }
                Err(e) => {
                    self.done = true;
                    return Some(Err(e));
                }
            }
        }
        let (suffix, id, event) = self.buffer.pop_front()?;
        let mut key = self.prefix.clone();
        key.extend_from_slice(&suffix);
        Some(Ok((key, id, event)))
    }
}
