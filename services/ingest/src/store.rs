//! The ingest service's database: documents, their text and their extracted events, in sled
//! (embedded, the default) or in a PostgreSQL-protocol database ([`pg`]), behind one [`Store`].

pub mod pg;

use std::path::Path;

use prost::Message;
use serde::{Deserialize, Serialize};
use sitrep_proto::v1::RecordRequest;
use sled::transaction::ConflictableTransactionError;
use sled::Transactional;

use crate::error::{Error, Result};

pub const SCHEMA_VERSION: u32 = 3;

const META: &str = "meta";
const DOCID_DOCUMENT: &str = "docid_document";
const DOCID_TEXT: &str = "docid_text";
const DOCID_EVENTS: &str = "docid_events";
const HASH_DOCID: &str = "hash_docid";
const SEQ_DOCID: &str = "seq_docid";
const PENDING_DOCID: &str = "pending_docid";

/// A document as stored (JSON in `docid_document`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct DocumentRecord {
    pub id: String,
    pub title: String,
    pub published: String,
    pub source_url: String,
    pub sha256: String,
    pub ingested_at: String,
    pub event_count: u32,
    pub char_count: u32,
    pub sentence_count: u32,
    pub diagnostics: Vec<String>,
    /// Ingestion order, for listing.
    pub seq: u64,
    /// True once its events are recorded in the timeline; only then is the ingest acknowledged.
    pub complete: bool,
}

/// The ingest store: sled in a folder, or a table in a PostgreSQL-protocol database. The
/// service calls only these methods.
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

    /// Make every write so far durable (sled: flush; a database has committed already).
    pub async fn flush(&self) -> Result<()> {
        match self {
            Store::Sled(s) => s.flush().await,
            Store::Pg(_) => Ok(()),
        }
    }

    pub fn document_count(&self) -> usize {
        each!(self, s => s.document_count())
    }

    pub fn size_on_disk(&self) -> u64 {
        each!(self, s => s.size_on_disk())
    }

    pub fn by_hash(&self, sha: &str) -> Result<Option<DocumentRecord>> {
        each!(self, s => s.by_hash(sha))
    }

    pub fn get(&self, id: &str) -> Result<Option<DocumentRecord>> {
        each!(self, s => s.get(id))
    }

    pub fn text(&self, id: &str) -> Result<Option<String>> {
        each!(self, s => s.text(id))
    }

    pub fn events(&self, id: &str) -> Result<RecordRequest> {
        each!(self, s => s.events(id))
    }

    /// Store a document with its events in one transaction (replacing an earlier pending try;
    /// a document another replica completed meanwhile is returned as stored).
    pub fn put(
        &self,
        doc: DocumentRecord,
        text: &str,
        events: &RecordRequest,
    ) -> Result<DocumentRecord> {
        each!(self, s => s.put(doc, text, events))
    }

    /// Mark a document complete (its events are in the timeline).
    pub fn complete(&self, doc: DocumentRecord) -> Result<DocumentRecord> {
        each!(self, s => s.complete(doc))
    }

    /// Store several documents with their events, pending (a group commit's first write).
    pub fn put_many(
        &self,
        docs: Vec<(DocumentRecord, &str, &RecordRequest)>,
    ) -> Result<Vec<DocumentRecord>> {
        each!(self, s => s.put_many(docs))
    }

    /// Mark documents complete (their events are in the timeline).
    pub fn complete_many(&self, docs: Vec<DocumentRecord>) -> Result<Vec<DocumentRecord>> {
        each!(self, s => s.complete_many(docs))
    }

    /// Ids of the documents stored but not known to be recorded in the timeline.
    pub fn pending_ids(&self) -> Result<Vec<String>> {
        each!(self, s => s.pending_ids())
    }

    /// Complete documents in ingestion order, after sequence `after`, at most `limit`.
    pub fn list(&self, after: u64, limit: usize) -> Result<Vec<DocumentRecord>> {
        each!(self, s => s.list(after, limit))
    }
}

/// The ingest service's sled database: one tree per key layout.
#[derive(Clone)]
pub struct SledStore {
    db: sled::Db,
    /// `schema_version` → u32 BE.
    meta: sled::Tree,
    /// document id → DocumentRecord as JSON.
    docid_document: sled::Tree,
    /// document id → the text, UTF-8.
    docid_text: sled::Tree,
    /// document id → `sitrep.v1.RecordRequest` (the document's events), protobuf-encoded: the
    /// outbox of a document not yet complete, removed once the timeline (the events' owner) has
    /// them.
    docid_events: sled::Tree,
    /// SHA-256 of the text, hex → document id.
    hash_docid: sled::Tree,
    /// ingestion sequence u64 BE → document id.
    seq_docid: sled::Tree,
    /// document id → empty: stored, not yet known to be recorded in the timeline (schema 2).
    /// What [`Store::pending`] hands to the roll-forward at start-up.
    pending_docid: sled::Tree,
}

impl SledStore {
    pub fn open(path: &Path) -> Result<Self> {
        let db = sitrep_store::open(&sled::Config::new().path(path))?;
        let s = SledStore {
            meta: db.open_tree(META)?,
            docid_document: db.open_tree(DOCID_DOCUMENT)?,
            docid_text: db.open_tree(DOCID_TEXT)?,
            docid_events: db.open_tree(DOCID_EVENTS)?,
            hash_docid: db.open_tree(HASH_DOCID)?,
            seq_docid: db.open_tree(SEQ_DOCID)?,
            pending_docid: db.open_tree(PENDING_DOCID)?,
            db,
        };
        match sitrep_store::check(&s.meta, SCHEMA_VERSION)? {
            sitrep_store::Schema::Newer(v) => {
                return Err(Error::SchemaTooNew {
                    found: v,
                    supported: SCHEMA_VERSION,
                })
            }
            sitrep_store::Schema::Older(v) => {
                if v < 2 {
                    s.migrate_1_to_2()?;
                }
                s.migrate_2_to_3()?;
            }
            sitrep_store::Schema::Created | sitrep_store::Schema::Current => {}
        }
        Ok(s)
    }

    /// 1 → 2: index the incomplete documents in `pending_docid`.
    fn migrate_1_to_2(&self) -> Result<()> {
        let mut batch = sled::Batch::default();
        for kv in self.docid_document.iter() {
            let (id, json) = kv?;
            let doc: DocumentRecord = serde_json::from_slice(&json).map_err(|e| {
                Error::Corrupt(format!("document {}: {e}", String::from_utf8_lossy(&id)))
            })?;
            if !doc.complete {
                batch.insert(id, &[]);
            }
        }
        self.pending_docid.apply_batch(batch)?;
        sitrep_store::set(&self.meta, 2)?;
        self.db.flush()?;
        tracing::info!("Migration: 1 -> 2 finished");
        Ok(())
    }

    /// 2 → 3: the events of complete documents are the timeline's alone; drop the copies.
    fn migrate_2_to_3(&self) -> Result<()> {
        let mut batch = sled::Batch::default();
        for id in self.docid_events.iter().keys() {
            let id = id?;
            let complete = self
                .get(&String::from_utf8_lossy(&id))?
                .is_some_and(|d| d.complete);
            if complete {
                batch.remove(id);
            }
        }
        self.docid_events.apply_batch(batch)?;
        sitrep_store::set(&self.meta, 3)?;
        self.db.flush()?;
        tracing::info!("Migration: 2 -> 3 finished");
        Ok(())
    }

    pub async fn flush(&self) -> Result<()> {
        self.db.flush_async().await?;
        Ok(())
    }

    pub fn document_count(&self) -> usize {
        self.docid_document.len()
    }

    pub fn size_on_disk(&self) -> u64 {
        self.db.size_on_disk().unwrap_or(0)
    }

    pub fn by_hash(&self, sha: &str) -> Result<Option<DocumentRecord>> {
        match self.hash_docid.get(sha.as_bytes())? {
            Some(id) => self.get(&String::from_utf8_lossy(&id)),
            None => Ok(None),
        }
    }

    pub fn get(&self, id: &str) -> Result<Option<DocumentRecord>> {
        match self.docid_document.get(id.as_bytes())? {
            Some(b) => {
                Ok(Some(serde_json::from_slice(&b).map_err(|e| {
                    Error::Corrupt(format!("document {id}: {e}"))
                })?))
            }
            None => Ok(None),
        }
    }

    pub fn text(&self, id: &str) -> Result<Option<String>> {
        Ok(self
            .docid_text
            .get(id.as_bytes())?
            .map(|b| String::from_utf8_lossy(&b).into_owned()))
    }

    pub fn events(&self, id: &str) -> Result<RecordRequest> {
        match self.docid_events.get(id.as_bytes())? {
            Some(b) => RecordRequest::decode(b.as_ref())
                .map_err(|e| Error::Corrupt(format!("events of {id}: {e}"))),
            None => Ok(RecordRequest {
                document_id: id.to_string(),
                events: Vec::new(),
                append: false,
            }),
        }
    }

    /// Store a document with its events in one transaction (replacing an earlier pending try).
    pub fn put(
        &self,
        mut doc: DocumentRecord,
        text: &str,
        events: &RecordRequest,
    ) -> Result<DocumentRecord> {
        if doc.seq == 0 {
            doc.seq = self.db.generate_id()? + 1;
        }
        let json = serde_json::to_vec(&doc).map_err(|e| Error::Corrupt(e.to_string()))?;
        let ev = events.encode_to_vec();
        let trees = (
            &self.docid_document,
            &self.docid_text,
            &self.docid_events,
            &self.hash_docid,
            &self.seq_docid,
            &self.pending_docid,
        );
        trees.transaction(|t| {
            t.0.insert(doc.id.as_bytes(), json.clone())?;
            t.1.insert(doc.id.as_bytes(), text.as_bytes())?;
            t.2.insert(doc.id.as_bytes(), ev.clone())?;
            t.3.insert(doc.sha256.as_bytes(), doc.id.as_bytes())?;
            t.4.insert(&doc.seq.to_be_bytes(), doc.id.as_bytes())?;
            t.5.insert(doc.id.as_bytes(), &[])?;
            Ok::<(), ConflictableTransactionError<Error>>(())
        })?;
        Ok(doc)
    }

    /// Store several documents with their events, pending, in one transaction: what
    /// [`Store::put`] does for one (a group commit's first write).
    pub fn put_many(
        &self,
        docs: Vec<(DocumentRecord, &str, &RecordRequest)>,
    ) -> Result<Vec<DocumentRecord>> {
        let mut rows = Vec::with_capacity(docs.len());
        for (mut doc, text, events) in docs {
            if doc.seq == 0 {
                doc.seq = self.db.generate_id()? + 1;
            }
            let json = serde_json::to_vec(&doc).map_err(|e| Error::Corrupt(e.to_string()))?;
            rows.push((doc, json, text, events.encode_to_vec()));
        }
        let trees = (
            &self.docid_document,
            &self.docid_text,
            &self.docid_events,
            &self.hash_docid,
            &self.seq_docid,
            &self.pending_docid,
        );
        trees.transaction(|t| {
            for (doc, json, text, ev) in &rows {
                t.0.insert(doc.id.as_bytes(), json.as_slice())?;
                t.1.insert(doc.id.as_bytes(), text.as_bytes())?;
                t.2.insert(doc.id.as_bytes(), ev.as_slice())?;
                t.3.insert(doc.sha256.as_bytes(), doc.id.as_bytes())?;
                t.4.insert(&doc.seq.to_be_bytes(), doc.id.as_bytes())?;
                t.5.insert(doc.id.as_bytes(), &[])?;
            }
            Ok::<(), ConflictableTransactionError<Error>>(())
        })?;
        Ok(rows.into_iter().map(|r| r.0).collect())
    }

    /// Mark a document complete (its events are in the timeline).
    pub fn complete(&self, doc: DocumentRecord) -> Result<DocumentRecord> {
        Ok(self.complete_many(vec![doc])?.remove(0))
    }

    /// Mark documents complete (their events are in the timeline), in one transaction. Needs no
    /// flush of its own to acknowledge them: were it lost, the documents would be pending at
    /// the next start and rolled forward from their stored events.
    pub fn complete_many(&self, docs: Vec<DocumentRecord>) -> Result<Vec<DocumentRecord>> {
        let mut rows = Vec::with_capacity(docs.len());
        for mut doc in docs {
            doc.complete = true;
            let json = serde_json::to_vec(&doc).map_err(|e| Error::Corrupt(e.to_string()))?;
            rows.push((doc, json));
        }
        (
            &self.docid_document,
            &self.pending_docid,
            &self.docid_events,
        )
            .transaction(|(d, p, e)| {
                for (doc, json) in &rows {
                    d.insert(doc.id.as_bytes(), json.as_slice())?;
                    p.remove(doc.id.as_bytes())?;
                    e.remove(doc.id.as_bytes())?;
                }
                Ok::<(), ConflictableTransactionError<Error>>(())
            })?;
        Ok(rows.into_iter().map(|r| r.0).collect())
    }

    /// Ids of the documents stored but not known to be recorded in the timeline (a crash, or
    /// a timeline that failed, between a group's writes).
    pub fn pending_ids(&self) -> Result<Vec<String>> {
        self.pending_docid
            .iter()
            .keys()
            .map(|k| Ok(String::from_utf8_lossy(&k?).into_owned()))
            .collect()
    }

    /// Complete documents in ingestion order, after sequence `after`, at most `limit`.
    pub fn list(&self, after: u64, limit: usize) -> Result<Vec<DocumentRecord>> {
        let mut out = Vec::new();
        for kv in self.seq_docid.range((after + 1).to_be_bytes()..) {
            let (_, id) = kv?;
            if let Some(d) = self.get(&String::from_utf8_lossy(&id))? {
                if d.complete {
                    out.push(d);
                    if out.len() >= limit {
                        break;
                    }
                }
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(id: &str) -> DocumentRecord {
        DocumentRecord {
            id: id.into(),
            sha256: format!("sha-{id}"),
            title: "t".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_group_is_pending_until_marked_complete_and_survives_reopening() {
        let dir = tempfile::tempdir().unwrap();
        let events = RecordRequest {
            document_id: "a".into(),
            events: vec![sitrep_proto::v1::Event {
                id: "a:0:0".into(),
                ..Default::default()
            }],
            append: false,
        };
        {
            let s = SledStore::open(dir.path()).unwrap();
            let docs = s
                .put_many(vec![
                    (doc("a"), "text a", &events),
                    (doc("b"), "text b", &events),
                ])
                .unwrap();
            assert!(
                docs[0].seq > 0 && docs[1].seq > docs[0].seq,
                "each gets its place in the listing"
            );
            assert_eq!(s.pending_ids().unwrap(), ["a", "b"]);
            assert!(
                s.list(0, 10).unwrap().is_empty(),
                "pending documents are invisible"
            );
            s.complete_many(vec![docs[0].clone()]).unwrap();
            assert_eq!(s.pending_ids().unwrap(), ["b"]);
            // the outbox empties once the timeline, the events' owner, has them
            assert!(s.events("a").unwrap().events.is_empty());
            assert_eq!(s.events("b").unwrap().events.len(), 1);
            assert_eq!(s.by_hash("sha-a").unwrap().map(|d| d.complete), Some(true));
            s.db.flush().unwrap();
        }
        let s = SledStore::open(dir.path()).unwrap();
        assert_eq!(
            s.pending_ids().unwrap(),
            ["b"],
            "what was pending stays pending for the roll-forward"
        );
        assert_eq!(
            s.list(0, 10)
                .unwrap()
                .iter()
                .map(|d| d.id.as_str())
                .collect::<Vec<_>>(),
            ["a"]
        );
        assert_eq!(s.text("b").unwrap().as_deref(), Some("text b"));
    }

    #[test]
    fn schema_2_drops_the_event_copies_of_complete_documents() {
        let dir = tempfile::tempdir().unwrap();
        let events = RecordRequest {
            document_id: "x".into(),
            events: vec![sitrep_proto::v1::Event::default()],
            append: false,
        };
        {
            let s = SledStore::open(dir.path()).unwrap();
            s.put(doc("pending"), "p", &events).unwrap();
            s.put(doc("done"), "d", &events)
                .and_then(|d| s.complete(d))
                .unwrap();
            // as version 2 left it: the complete document's copy kept
            s.docid_events
                .insert("done", events.encode_to_vec())
                .unwrap();
            sitrep_store::set(&s.meta, 2).unwrap();
            s.db.flush().unwrap();
        }
        let s = SledStore::open(dir.path()).unwrap();
        assert!(s.events("done").unwrap().events.is_empty());
        assert_eq!(
            s.events("pending").unwrap().events.len(),
            1,
            "the outbox stays"
        );
        assert_eq!(s.pending_ids().unwrap(), ["pending"]);
    }

    #[test]
    fn schema_1_gets_its_pending_documents_indexed() {
        let dir = tempfile::tempdir().unwrap();
        {
            let s = SledStore::open(dir.path()).unwrap();
            let events = RecordRequest::default();
            let d = s.put(doc("old"), "old text", &events).unwrap();
            s.put(doc("done"), "done text", &events)
                .and_then(|d| s.complete(d))
                .unwrap();
            // as version 1 left it: no pending index
            s.pending_docid.clear().unwrap();
            sitrep_store::set(&s.meta, 1).unwrap();
            assert!(!d.complete);
            s.db.flush().unwrap();
        }
        let s = SledStore::open(dir.path()).unwrap();
        assert_eq!(s.pending_ids().unwrap(), ["old"]);
    }
}
