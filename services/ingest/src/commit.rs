//! Group commit: one writer task takes every document that is ready (extracted and resolved),
//! from every call at once, and commits those that arrived together as one group — one
//! transaction and one flush in ingest, one `TimelineService.RecordBatch` (one flush in the
//! timeline) — then answers each of them. Also the roll-forward of pending documents at start.
//!
//! The order of one group's writes, and why it is crash-safe:
//! 1. ingest: the documents, their texts and events, *pending*, in one transaction; flush.
//! 2. timeline: `RecordBatch` of their events; durable when it answers.
//! 3. ingest: the documents marked complete (one transaction, no flush of its own); answer.
//!
//! A crash before 1 is durable leaves nothing. After 1, the documents are pending: invisible,
//! and at the next start [`roll_forward`] records their stored events again (replacing any
//! earlier record: idempotent) and marks them complete, before the service reports serving.
//! So a document is complete or absent, and an acknowledged one is complete after any crash.

use std::collections::HashMap;
use std::time::Duration;

use sitrep_proto::v1::timeline_service_client::TimelineServiceClient;
use sitrep_proto::v1::{IngestResponse, RecordBatchRequest, RecordRequest};
use sitrep_server::blocking;
use tokio::sync::{mpsc, oneshot};
use tonic::metadata::MetadataMap;
use tonic::transport::Channel;
use tonic::Code;
use tracing::{info, warn};

use crate::error::{Error, Result};
use crate::store::{DocumentRecord, Store};

/// At most this many documents in one group.
const MAX_GROUP: usize = 512;
/// At most this many bytes of encoded events in one group (a RecordBatch stays far below the
/// timeline's message limit).
const MAX_GROUP_BYTES: usize = 8 << 20;
/// Documents with more events than this are recorded on their own, in parts.
pub const RECORD_BATCH: usize = 2000;
/// Documents waiting for the writer; a full queue makes callers wait (back-pressure).
const QUEUE: usize = 1024;

/// A document extracted and resolved, ready to be written.
pub struct Ready {
    pub doc: DocumentRecord,
    pub text: String,
    pub record: RecordRequest,
    pub places: u32,
    pub provisional: u32,
}

impl Ready {
    fn bytes(&self) -> usize {
        self.text.len()
            + self
                .record
                .events
                .iter()
                .map(|e| e.sentence.len() + 512)
                .sum::<usize>()
    }

    fn response(&self, doc: &DocumentRecord, duplicate: bool) -> IngestResponse {
        IngestResponse {
            document_id: doc.id.clone(),
            event_count: doc.event_count,
            duplicate,
            diagnostics: doc.diagnostics.clone(),
            sentence_count: doc.sentence_count,
            place_count: if duplicate { 0 } else { self.places },
            provisional_place_count: if duplicate { 0 } else { self.provisional },
        }
    }
}

struct Job {
    ready: Ready,
    reply: oneshot::Sender<Result<IngestResponse>>,
}

/// The handle every call submits ready documents through (cheap to clone).
#[derive(Clone)]
pub struct Committer {
    jobs: mpsc::Sender<Job>,
}

/// The writer's side: the store and the timeline it writes to.
#[derive(Clone)]
pub struct Writer {
    pub store: Store,
    pub timeline: TimelineServiceClient<Channel>,
    pub backend_timeout: Duration,
}

impl Committer {
    /// Start the writer task; it ends once every handle is dropped.
    pub fn start(writer: Writer) -> (Committer, tokio::task::JoinHandle<()>) {
        let (tx, rx) = mpsc::channel(QUEUE);
        (Committer { jobs: tx }, tokio::spawn(run(writer, rx)))
    }

    /// Commit one document; answers once it is durable in ingest and the timeline.
    pub async fn commit(&self, ready: Ready) -> Result<IngestResponse> {
        let (reply, answer) = oneshot::channel();
        self.jobs
            .send(Job { ready, reply })
            .await
            .map_err(|_| Error::Stopping)?;
        answer.await.map_err(|_| Error::Stopping)?
    }
}

async fn run(writer: Writer, mut rx: mpsc::Receiver<Job>) {
    while let Some(first) = rx.recv().await {
        let mut bytes = first.ready.bytes();
        let mut group = vec![first];
        // whatever else is already waiting joins this group
        while group.len() < MAX_GROUP && bytes < MAX_GROUP_BYTES {
            match rx.try_recv() {
                Ok(job) => {
                    bytes += job.ready.bytes();
                    group.push(job);
                }
                Err(_) => break,
            }
        }
        writer.commit_group(group).await;
    }
}

impl Writer {
    async fn commit_group(&self, group: Vec<Job>) {
        let n = group.len();
        // decide, against the store and within the group, what is new and what a duplicate
        let store = self.store.clone();
        let shas: Vec<String> = group.iter().map(|j| j.ready.doc.sha256.clone()).collect();
        let known = match blocking(move || {
            shas.iter()
                .map(|s| store.by_hash(s))
                .collect::<Result<Vec<_>>>()
        })
        .await
        {
            Ok(k) => k,
            Err(e) => return fail_all(group, e),
        };
        let mut new: Vec<Job> = Vec::with_capacity(n);
        // a later copy of a document in this group: answered as the first one is
        let mut copies: Vec<(usize, Job)> = Vec::new();
        let mut first_of: HashMap<String, usize> = HashMap::new();
        for (mut job, known) in group.into_iter().zip(known) {
            match known {
                Some(doc) if doc.complete => {
                    info!(document = %doc.id, "duplicate");
                    let r = job.ready.response(&doc, true);
                    let _ = job.reply.send(Ok(r));
                }
                known => {
                    if let Some(&i) = first_of.get(&job.ready.doc.sha256) {
                        copies.push((i, job));
                        continue;
                    }
                    // a pending try of the same text keeps its place in the listing
                    job.ready.doc.seq = known.map_or(0, |d| d.seq);
                    first_of.insert(job.ready.doc.sha256.clone(), new.len());
                    new.push(job);
                }
            }
        }
        if new.is_empty() {
            return;
        }
        let results = self.write(&mut new).await;
        for (i, job) in copies {
            let r = match &results[i] {
                Ok(doc) => Ok(job.ready.response(doc, true)),
                Err(e) => Err(e.duplicate()),
            };
            let _ = job.reply.send(r);
        }
        for (job, r) in new.into_iter().zip(results) {
            let _ = job.reply.send(r.map(|doc| job.ready.response(&doc, false)));
        }
    }

    /// The three writes of a group (see the module's doc); one result per document.
    async fn write(&self, jobs: &mut [Job]) -> Vec<Result<DocumentRecord>> {
        let count = jobs.len();
        let store = self.store.clone();
        let rows: Vec<(DocumentRecord, String, RecordRequest)> = jobs
            .iter_mut()
            .map(|j| {
                (
                    j.ready.doc.clone(),
                    std::mem::take(&mut j.ready.text),
                    std::mem::take(&mut j.ready.record),
                )
            })
            .collect();
        let put = blocking(move || {
            let docs = store.put_many(
                rows.iter()
                    .map(|(d, t, r)| (d.clone(), t.as_str(), r))
                    .collect(),
            )?;
            Ok::<_, Error>((docs, rows.into_iter().map(|r| r.2).collect::<Vec<_>>()))
        })
        .await;
        let (docs, records) = match put {
            Ok(x) => x,
            Err(e) => return all_failed(count, e),
        };
        if let Err(e) = self.store.flush().await {
            return all_failed(count, e);
        }
        let recorded = self.record(records).await;
        let done: Vec<DocumentRecord> = docs
            .iter()
            .zip(&recorded)
            .filter(|(_, r)| r.is_ok())
            .map(|(d, _)| d.clone())
            .collect();
        let store = self.store.clone();
        let mut completed = match blocking(move || store.complete_many(done)).await {
            Ok(c) => c.into_iter(),
            Err(e) => return all_failed(count, e),
        };
        let mut out = Vec::with_capacity(count);
        for r in recorded {
            out.push(match r {
                Ok(()) => {
                    let doc = completed
                        .next()
                        .expect("one completed document per recorded one");
                    info!(document = %doc.id, events = doc.event_count, "ingested");
                    Ok(doc)
                }
                Err(e) => Err(e),
            });
        }
        out
    }

    /// Record documents' events in the timeline: the small ones together in RecordBatch calls
    /// of at most RECORD_BATCH events (one flush each; a group of short notes is one call), a
    /// document with more events on its own in parts.
    pub async fn record(&self, records: Vec<RecordRequest>) -> Vec<Result<()>> {
        let mut out: Vec<Option<Result<()>>> = (0..records.len()).map(|_| None).collect();
        let mut batch: Vec<(usize, RecordRequest)> = Vec::new();
        for (i, r) in records.into_iter().enumerate() {
            if r.events.len() > RECORD_BATCH {
                out[i] = Some(self.record_in_parts(r).await);
            } else {
                batch.push((i, r));
            }
        }
        // calls of at most RECORD_BATCH events (a call's work stays well inside its deadline)
        let mut calls: Vec<Vec<(usize, RecordRequest)>> = Vec::new();
        let mut events = 0;
        for (i, r) in batch {
            if calls.is_empty() || events + r.events.len() > RECORD_BATCH {
                calls.push(Vec::new());
                events = 0;
            }
            events += r.events.len();
            calls.last_mut().expect("a call").push((i, r));
        }
        for call in calls {
            let (index, documents): (Vec<usize>, Vec<RecordRequest>) = call.into_iter().unzip();
            let ids: Vec<String> = documents.iter().map(|d| d.document_id.clone()).collect();
            let request = sitrep_server::client::outgoing(
                RecordBatchRequest { documents },
                &MetadataMap::new(),
                self.backend_timeout,
            );
            match self.timeline.clone().record_batch(request).await {
                Ok(_) => index.iter().for_each(|&i| out[i] = Some(Ok(()))),
                Err(status) if status.code() == Code::InvalidArgument => {
                    // one document the timeline refuses must not fail the others: one by one
                    warn!(
                        message = status.message(),
                        "timeline refused a batch; recording its documents one by one"
                    );
                    for (&i, id) in index.iter().zip(ids) {
                        out[i] = Some(self.record_alone(&id).await);
                    }
                }
                Err(status) => index.iter().for_each(|&i| {
                    out[i] = Some(Err(Error::Backend {
                        service: "timeline",
                        status: status.clone(),
                    }))
                }),
            }
        }
        out.into_iter()
            .map(|r| r.expect("every document has a result"))
            .collect()
    }

    /// One document's events, read back from the store, in a call of its own.
    async fn record_alone(&self, id: &str) -> Result<()> {
        let store = self.store.clone();
        let id = id.to_string();
        let record = blocking(move || store.events(&id)).await?;
        self.record_in_parts(record).await
    }

    /// One document's events in parts: the first replaces, the rest append (retries idempotent).
    async fn record_in_parts(&self, record: RecordRequest) -> Result<()> {
        let mut parts = record.events.chunks(RECORD_BATCH).peekable();
        let mut first = true;
        while first || parts.peek().is_some() {
            let events = parts.next().map(<[_]>::to_vec).unwrap_or_default();
            let request = sitrep_server::client::outgoing(
                RecordRequest {
                    document_id: record.document_id.clone(),
                    events,
                    append: !first,
                },
                &MetadataMap::new(),
                self.backend_timeout,
            );
            self.timeline
                .clone()
                .record(request)
                .await
                .map_err(|status| Error::Backend {
                    service: "timeline",
                    status,
                })?;
            first = false;
        }
        Ok(())
    }
}

fn all_failed(count: usize, e: Error) -> Vec<Result<DocumentRecord>> {
    let first = e.duplicate();
    let mut out: Vec<Result<DocumentRecord>> = (1..count).map(|_| Err(first.duplicate())).collect();
    out.insert(0, Err(e));
    out
}

fn fail_all(group: Vec<Job>, e: Error) {
    for job in group {
        let _ = job.reply.send(Err(e.duplicate()));
    }
}

/// Record the events of every pending document again and mark them complete: what a crash
/// between a group's first write and its last left undone. Retries while the timeline is
/// unavailable; a document it refuses stays pending (logged) and is redone when sent again.
pub async fn roll_forward(writer: &Writer) -> Result<usize> {
    let store = writer.store.clone();
    let ids = blocking(move || store.pending_ids()).await?;
    let mut total = 0;
    for chunk in ids.chunks(256) {
        let mut wait = Duration::from_millis(100);
        loop {
            let (store, chunk) = (writer.store.clone(), chunk.to_vec());
            let (docs, records) = blocking(move || {
                let mut docs = Vec::new();
                for id in &chunk {
                    if let Some(d) = store.get(id)?.filter(|d| !d.complete) {
                        docs.push(d);
                    }
                }
                let records = docs
                    .iter()
                    .map(|d| store.events(&d.id))
                    .collect::<Result<Vec<_>>>()?;
                Ok::<_, Error>((docs, records))
            })
            .await?;
            let results = writer.record(records).await;
            let (mut done, mut retry) = (Vec::new(), None);
            for (d, r) in docs.into_iter().zip(results) {
                match r {
                    Ok(()) => done.push(d),
                    Err(Error::Backend { status, .. })
                        if status.code() == Code::InvalidArgument =>
                    {
                        warn!(document = %d.id, message = status.message(), "the timeline refuses a pending document's events; left pending")
                    }
                    Err(e) => retry = Some(e),
                }
            }
            total += done.len();
            let store = writer.store.clone();
            blocking(move || store.complete_many(done)).await?;
            writer.store.flush().await?;
            let Some(e) = retry else { break };
            warn!(error = %e, retry_in_ms = wait.as_millis() as u64, "rolling pending documents forward: the timeline failed; retrying");
            tokio::time::sleep(wait).await;
            wait = (wait * 2).min(Duration::from_secs(5));
        }
    }
    Ok(total)
}
