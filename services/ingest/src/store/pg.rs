//! The ingest service's table in a PostgreSQL-protocol database (PostgreSQL, CockroachDB,
//! YugabyteDB): one row per document, with its text and its events.
//!
//! **Invariant:** a text is stored once however many replicas ingest it at once: the document id
//! comes from the text's SHA-256 and the hash is UNIQUE, so a second writer's insert becomes an
//! update of the same pending row (or, once the document is complete, changes nothing).

use prost::Message;
use sitrep_proto::v1::RecordRequest;
use sitrep_store::pg::{Database, Migration};

use super::DocumentRecord;
use crate::error::{Error, Result};

/// Name of the ingest service's schema in `sitrep_schema`.
const SERVICE: &str = "ingest";

static MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        statements: &[
            // ingestion order, for listing
            "CREATE SEQUENCE IF NOT EXISTS document_seq",
            // `diagnostics` is a JSON array of strings; `events` the sitrep.v1.RecordRequest of the
            // document, protobuf-encoded, until `complete` (the timeline has its events: emptied)
            "CREATE TABLE IF NOT EXISTS documents (
            id TEXT PRIMARY KEY,
            sha256 TEXT NOT NULL UNIQUE,
            seq BIGINT NOT NULL UNIQUE,
            title TEXT NOT NULL,
            published TEXT NOT NULL,
            source_url TEXT NOT NULL,
            ingested_at TEXT NOT NULL,
            event_count BIGINT NOT NULL,
            char_count BIGINT NOT NULL,
            sentence_count BIGINT NOT NULL,
            diagnostics TEXT NOT NULL,
            complete BOOLEAN NOT NULL,
            text TEXT NOT NULL,
            events BYTEA NOT NULL
        )",
        ],
    },
    // the events of complete documents are the timeline's alone: drop the copies
    Migration {
        version: 2,
        statements: &["UPDATE documents SET events = ''::bytea WHERE complete"],
    },
];

/// The columns of a [`DocumentRecord`], in [`record`]'s order.
const COLUMNS: &str = "id, title, published, source_url, sha256, ingested_at, event_count, char_count, sentence_count, diagnostics, seq, complete";

fn record(r: &tokio_postgres::Row) -> Result<DocumentRecord> {
    let id: String = r.get(0);
    let diagnostics: String = r.get(9);
    Ok(DocumentRecord {
        diagnostics: serde_json::from_str(&diagnostics)
            .map_err(|e| Error::Corrupt(format!("document {id}: diagnostics: {e}")))?,
        title: r.get(1),
        published: r.get(2),
        source_url: r.get(3),
        sha256: r.get(4),
        ingested_at: r.get(5),
        event_count: r.get::<_, i64>(6) as u32,
        char_count: r.get::<_, i64>(7) as u32,
        sentence_count: r.get::<_, i64>(8) as u32,
        seq: r.get::<_, i64>(10) as u64,
        complete: r.get(11),
        id,
    })
}

/// The ingest store in a database; cheap to clone (a pool handle).
#[derive(Clone)]
pub struct PgStore {
    db: Database,
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

    pub fn document_count(&self) -> usize {
        let n = self.db.read(|c| async move {
            c.query_one("SELECT count(*) FROM documents", &[])
                .await
                .map(|r| r.get::<_, i64>(0))
        });
        n.map_or(0, |n| n as usize)
    }

    /// Not known to the store: the database reports its own size.
    pub fn size_on_disk(&self) -> u64 {
        0
    }

    /// The document whose column `column` is `value`.
    fn one(&self, column: &'static str, value: &str) -> Result<Option<DocumentRecord>> {
        let value = value.to_string();
        let row = self.db.read(move |c| async move {
            c.query_opt(
                format!("SELECT {COLUMNS} FROM documents WHERE {column} = $1").as_str(),
                &[&value],
            )
            .await
        })?;
        row.as_ref().map(record).transpose()
    }

    pub fn by_hash(&self, sha: &str) -> Result<Option<DocumentRecord>> {
        self.one("sha256", sha)
    }

    pub fn get(&self, id: &str) -> Result<Option<DocumentRecord>> {
        self.one("id", id)
    }

    pub fn text(&self, id: &str) -> Result<Option<String>> {
        let id = id.to_string();
        Ok(self.db.read(move |c| async move {
            Ok(
                c.query_opt("SELECT text FROM documents WHERE id = $1", &[&id])
                    .await?
                    .map(|r| r.get(0)),
            )
        })?)
    }

    pub fn events(&self, id: &str) -> Result<RecordRequest> {
        let key = id.to_string();
        let bytes: Option<Vec<u8>> = self.db.read(move |c| async move {
            Ok(
                c.query_opt("SELECT events FROM documents WHERE id = $1", &[&key])
                    .await?
                    .map(|r| r.get(0)),
            )
        })?;
        match bytes {
            Some(b) => RecordRequest::decode(b.as_slice())
                .map_err(|e| Error::Corrupt(format!("events of {id}: {e}"))),
            None => Ok(RecordRequest {
                document_id: id.to_string(),
                events: Vec::new(),
                append: false,
            }),
        }
    }

    /// Store a document with its text and events in one statement: a new row, or the update of
    /// a pending one (keeping its place in the order). A document that is complete already (another
    /// replica finished it) is left as it is and returned.
    pub fn put(
        &self,
        doc: DocumentRecord,
        text: &str,
        events: &RecordRequest,
    ) -> Result<DocumentRecord> {
        let diagnostics =
            serde_json::to_string(&doc.diagnostics).map_err(|e| Error::Corrupt(e.to_string()))?;
        let (d, text, bytes) = (doc.clone(), text.to_string(), events.encode_to_vec());
        // retried on a conflict: another replica inserting the same text at once (the hash's
        // UNIQUE index is not the statement's conflict target, so it can raise a violation)
        let seq: Option<i64> = self.db.transact(move |mut c| {
            let (d, diagnostics, text, bytes) = (d.clone(), diagnostics.clone(), text.clone(), bytes.clone());
            async move {
            let tx = sitrep_store::pg::begin(&mut c).await?;
            let row = tx
                .query_opt(
                    "INSERT INTO documents (id, title, published, source_url, sha256, ingested_at, event_count, char_count, \
                       sentence_count, diagnostics, seq, complete, text, events) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, nextval('document_seq'), FALSE, $11, $12) \
                     ON CONFLICT (id) DO UPDATE SET title = excluded.title, published = excluded.published, \
                       source_url = excluded.source_url, ingested_at = excluded.ingested_at, event_count = excluded.event_count, \
                       char_count = excluded.char_count, sentence_count = excluded.sentence_count, \
                       diagnostics = excluded.diagnostics, text = excluded.text, events = excluded.events \
                     WHERE documents.complete = FALSE \
                     RETURNING seq",
                    &[
                        &d.id,
                        &d.title,
                        &d.published,
                        &d.source_url,
                        &d.sha256,
                        &d.ingested_at,
                        &i64::from(d.event_count),
                        &i64::from(d.char_count),
                        &i64::from(d.sentence_count),
                        &diagnostics,
                        &text,
                        &bytes,
                    ],
                )
                .await?;
            tx.commit().await?;
            Ok(row.map(|r| r.get(0)))
            }
        })?;
        match seq {
            Some(seq) => Ok(DocumentRecord {
                seq: seq as u64,
                complete: false,
                ..doc
            }),
            None => self.get(&doc.id)?.ok_or_else(|| {
                Error::Corrupt(format!("document {} vanished while stored", doc.id))
            }),
        }
    }

    /// Mark a document complete (its events are in the timeline).
    pub fn complete(&self, mut doc: DocumentRecord) -> Result<DocumentRecord> {
        let id = doc.id.clone();
        self.db.read(move |c| async move {
            c.execute(
                "UPDATE documents SET complete = TRUE, events = ''::bytea WHERE id = $1",
                &[&id],
            )
            .await
        })?;
        doc.complete = true;
        Ok(doc)
    }

    /// Store several documents, pending: each one's row is one atomic statement, as in
    /// [`PgStore::put`]. The group needs no transaction of its own: a document stays pending
    /// (invisible) until [`PgStore::complete_many`], and pending documents are rolled forward at
    /// start-up, so a failure between two rows leaves nothing half-written.
    pub fn put_many(
        &self,
        docs: Vec<(DocumentRecord, &str, &RecordRequest)>,
    ) -> Result<Vec<DocumentRecord>> {
        docs.into_iter()
            .map(|(doc, text, events)| self.put(doc, text, events))
            .collect()
    }

    /// Mark documents complete (their events are in the timeline), in one statement.
    pub fn complete_many(&self, docs: Vec<DocumentRecord>) -> Result<Vec<DocumentRecord>> {
        let ids: Vec<String> = docs.iter().map(|d| d.id.clone()).collect();
        self.db.read(move |c| async move {
            c.execute(
                "UPDATE documents SET complete = TRUE, events = ''::bytea WHERE id = ANY($1)",
                &[&ids],
            )
            .await
        })?;
        Ok(docs
            .into_iter()
            .map(|d| DocumentRecord {
                complete: true,
                ..d
            })
            .collect())
    }

    /// Ids of the documents stored but not known to be recorded in the timeline, in ingestion
    /// order.
    pub fn pending_ids(&self) -> Result<Vec<String>> {
        let rows = self.db.read(|c| async move {
            c.query(
                "SELECT id FROM documents WHERE NOT complete ORDER BY seq",
                &[],
            )
            .await
        })?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }

    /// Complete documents in ingestion order, after sequence `after`, at most `limit`.
    pub fn list(&self, after: u64, limit: usize) -> Result<Vec<DocumentRecord>> {
        let (after, limit) = (
            after.min(i64::MAX as u64) as i64,
            limit.min(i64::MAX as usize) as i64,
        );
        let rows = self.db.read(move |c| async move {
            c.query(format!("SELECT {COLUMNS} FROM documents WHERE complete AND seq > $1 ORDER BY seq LIMIT $2").as_str(), &[&after, &limit]).await
        })?;
        rows.iter().map(record).collect()
    }
}
