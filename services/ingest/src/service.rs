//! The gRPC face of the ingest service, and the one ingest path.

use std::sync::Arc;
use std::time::Duration;

use chrono::{Datelike, NaiveDate};
use sha2::{Digest, Sha256};
use sitrep_extract::{Document, Extraction, Extractor};
use sitrep_proto::v1::gazetteer_service_client::GazetteerServiceClient;
use sitrep_proto::v1::ingest_service_server::IngestService;
use sitrep_proto::v1::timeline_service_client::TimelineServiceClient;
use sitrep_proto::v1::{
    DocumentInfo, Event, GetDocumentRequest, GetDocumentResponse, IngestRequest, IngestResponse,
    IngestStreamRequest, ListDocumentsRequest, ListDocumentsResponse, PlaceMention, QueryRequest,
    RecordRequest, ResolveRequest,
};
use sitrep_server::blocking;
use tokio::sync::Semaphore;
use tonic::metadata::MetadataMap;
use tonic::transport::Channel;
use tonic::{Request, Response, Status};
use tracing::{info, instrument};

use crate::commit::{Committer, Ready, Writer};
use crate::convert;
use crate::error::{Error, Result};
use crate::store::{DocumentRecord, Store};

/// Mentions per Resolve call.
const RESOLVE_BATCH: usize = 500;

#[derive(Clone)]
pub struct Ingest {
    store: Store,
    extractor: Arc<Extractor>,
    gazetteer: GazetteerServiceClient<Channel>,
    /// The owner of the events: what a document's answer reads them from.
    timeline: TimelineServiceClient<Channel>,
    /// The one writer: every call's ready documents are group-committed through it.
    committer: Committer,
    backend_timeout: Duration,
    max_document_bytes: usize,
    /// Extractions running at once: one per core (the documents of a stream wait here, not on
    /// extra threads).
    extracting: Arc<Semaphore>,
    /// Resolve calls in flight at once (the gazetteer's cores, with some waiting on the wire).
    resolving: Arc<Semaphore>,
}

/// What preparing a document came to: an answer already (a duplicate), or work to commit.
// (each is made and consumed once per document: boxing the larger one would buy nothing)
#[allow(clippy::large_enum_variant)]
pub enum Prepared {
    Done(IngestResponse),
    Ready(Ready),
}

fn info_of(d: &DocumentRecord) -> DocumentInfo {
    DocumentInfo {
        id: d.id.clone(),
        title: d.title.clone(),
        published: d.published.clone(),
        source_url: d.source_url.clone(),
        sha256: d.sha256.clone(),
        ingested_at: d.ingested_at.clone(),
        event_count: d.event_count,
        char_count: d.char_count,
    }
}

/// Text made safe to process: control characters other than line breaks and tabs become spaces.
fn clean_text(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() && !matches!(c, '\n' | '\t') {
                if c == '\r' {
                    '\n'
                } else {
                    ' '
                }
            } else {
                c
            }
        })
        .collect()
}

impl Ingest {
    /// The service and its writer task (which ends once the service and its clones are gone).
    pub fn new(
        store: Store,
        extractor: Arc<Extractor>,
        gazetteer: Channel,
        timeline: Channel,
        backend_timeout: Duration,
        max_document_bytes: usize,
    ) -> (Self, tokio::task::JoinHandle<()>) {
        let (committer, writer) =
            Committer::start(Self::writer_of(&store, timeline.clone(), backend_timeout));
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        let ingest = Ingest {
            store,
            extractor,
            gazetteer: GazetteerServiceClient::new(gazetteer),
            timeline: TimelineServiceClient::new(timeline).max_decoding_message_size(64 << 20),
            committer,
            backend_timeout,
            max_document_bytes,
            extracting: Arc::new(Semaphore::new(cores)),
            resolving: Arc::new(Semaphore::new(cores * 4)),
        };
        (ingest, writer)
    }

    /// What writes to the store and the timeline (the committer's, and the roll-forward's).
    pub fn writer_of(store: &Store, timeline: Channel, backend_timeout: Duration) -> Writer {
        Writer {
            store: store.clone(),
            timeline: TimelineServiceClient::new(timeline)
                .max_encoding_message_size(64 << 20)
                .max_decoding_message_size(64 << 20),
            backend_timeout,
        }
    }

    fn validate(&self, req: &IngestRequest) -> Result<Option<NaiveDate>> {
        if req.text.trim().is_empty() {
            return Err(Error::InvalidArgument(
                "text is empty: send the document's plain text".into(),
            ));
        }
        if req.text.len() > self.max_document_bytes {
            return Err(Error::TooLarge(format!(
                "text is {} bytes; at most {} are accepted per document: split it",
                req.text.len(),
                self.max_document_bytes
            )));
        }
        if req.title.chars().count() > 1000 {
            return Err(Error::InvalidArgument(
                "title is longer than 1000 characters".into(),
            ));
        }
        if req.published.is_empty() {
            return Ok(None);
        }
        NaiveDate::parse_from_str(&req.published, "%Y-%m-%d")
            .ok()
            .filter(|d| d.year() >= 1)
            .map(Some)
            .ok_or_else(|| {
                Error::InvalidArgument(format!(
                    "published must be a calendar date YYYY-MM-DD from year 1 on, got {:?}",
                    req.published
                ))
            })
    }

    /// The ingest path: extract, resolve places, then the group commit (store, record in the
    /// timeline), then acknowledge.
    pub async fn ingest(&self, req: IngestRequest, meta: &MetadataMap) -> Result<IngestResponse> {
        match self.prepare(req, meta).await? {
            Prepared::Done(r) => Ok(r),
            Prepared::Ready(ready) => self.committer.commit(ready).await,
        }
    }

    /// Code a document's text on a blocking thread, one core per extraction (pure CPU work). A
    /// panic in the coder is [`Error::Extraction`], not a storage error.
    async fn extract(
        &self,
        text: String,
        title: String,
        published: Option<NaiveDate>,
    ) -> Result<Extraction> {
        let _core = self
            .extracting
            .acquire()
            .await
            .map_err(|_| Error::Stopping)?;
        let extractor = self.extractor.clone();
        blocking(move || {
            Ok(extractor.extract(Document {
                text: &text,
                title: &title,
                published,
            }))
        })
        .await
        .map_err(Error::Extraction)
    }

    /// Validate, look for a duplicate, extract and resolve: everything before the writes.
    pub async fn prepare(&self, req: IngestRequest, meta: &MetadataMap) -> Result<Prepared> {
        let published = self.validate(&req)?;
        let text = clean_text(&req.text);
        let sha = format!("{:x}", Sha256::digest(text.as_bytes()));
        let existing = {
            let store = self.store.clone();
            let sha = sha.clone();
            blocking(move || store.by_hash(&sha)).await?
        };
        if let Some(doc) = &existing {
            if doc.complete {
                info!(document = %doc.id, "duplicate");
                return Ok(Prepared::Done(IngestResponse {
                    document_id: doc.id.clone(),
                    event_count: doc.event_count,
                    duplicate: true,
                    diagnostics: doc.diagnostics.clone(),
                    sentence_count: doc.sentence_count,
                    ..Default::default()
                }));
            }
        }
        let id = format!("doc-{}", &sha[..16]);
        let extraction = self
            .extract(text.clone(), req.title.clone(), published)
            .await?;
        let mut events = convert::events(&id, &extraction);

        // places: one Resolve call for the document, with its country focus
        let near: std::collections::HashMap<String, String> = extraction
            .events
            .iter()
            .flat_map(|e| e.places.iter())
            .filter_map(|p| p.near.clone().map(|n| (p.mention.clone(), n)))
            .collect();
        let mut mentions: Vec<PlaceMention> = Vec::new();
        for e in &events {
            for p in &e.places {
                if !mentions.iter().any(|m| m.text == p.mention) {
                    mentions.push(PlaceMention {
                        text: p.mention.clone(),
                        context: e.sentence.clone(),
                        near: near.get(&p.mention).cloned().unwrap_or_default(),
                    });
                }
            }
        }
        let (mut provisional, mut resolved) = (0u32, 0u32);
        // one Resolve call per batch of mentions (a long document names thousands of places)
        let mut resolutions = Vec::with_capacity(mentions.len());
        for batch in mentions.chunks(RESOLVE_BATCH) {
            let request = sitrep_server::client::outgoing(
                ResolveRequest {
                    mentions: batch.to_vec(),
                    document_id: id.clone(),
                    country_focus: extraction.country_focus.clone(),
                    create_provisional: true,
                },
                meta,
                self.backend_timeout,
            );
            let _slot = self
                .resolving
                .acquire()
                .await
                .map_err(|_| Error::Stopping)?;
            let answer = self
                .gazetteer
                .clone()
                .resolve(request)
                .await
                .map_err(|status| Error::Backend {
                    service: "gazetteer",
                    status,
                })?
                .into_inner();
            resolutions.extend(answer.resolutions);
        }
        // each mention's resolution, applied in one pass over the events
        let mut by_mention = std::collections::HashMap::with_capacity(resolutions.len());
        for r in &resolutions {
            let Some(best) = r.best.as_ref().and_then(|b| b.place.as_ref()) else {
                continue;
            };
            if r.provisional {
                provisional += 1;
            } else {
                resolved += 1;
            }
            by_mention.insert(r.mention.as_str(), (r, best));
        }
        for p in events.iter_mut().flat_map(|e| e.places.iter_mut()) {
            let Some((r, best)) = by_mention.get(p.mention.as_str()) else {
                continue;
            };
            let located = !best.provisional || best.location_estimated;
            p.name = best.name.clone();
            p.id = best.id.clone();
            p.lat = located.then_some(best.lat);
            p.lon = located.then_some(best.lon);
            p.provisional = best.provisional;
            p.confidence = r.confidence;
            p.country_code = best.country_code.clone();
            p.feature_code = best.feature_code.clone();
            p.geo_precision = r.geo_precision;
        }

        let record = RecordRequest {
            document_id: id.clone(),
            events,
            append: false,
        };
        let doc = DocumentRecord {
            id: id.clone(),
            title: req.title.clone(),
            published: req.published.clone(),
            source_url: req.source_url.clone(),
            sha256: sha,
            ingested_at: chrono::Utc::now().to_rfc3339(),
            event_count: record.events.len() as u32,
            char_count: text.chars().count() as u32,
            sentence_count: extraction.sentences.len() as u32,
            diagnostics: extraction.diagnostics.clone(),
            seq: existing.map_or(0, |d| d.seq),
            complete: false,
        };
        Ok(Prepared::Ready(Ready {
            doc,
            text,
            record,
            places: resolved + provisional,
            provisional,
        }))
    }

    /// A complete document: its information and text from the store, its events from the
    /// timeline (their one owner; the store keeps a document's events only until the timeline
    /// has them).
    pub async fn get_document(
        &self,
        req: GetDocumentRequest,
        meta: &MetadataMap,
    ) -> Result<GetDocumentResponse> {
        if req.document_id.trim().is_empty() {
            return Err(Error::InvalidArgument("document_id is empty".into()));
        }
        let (store, id, with_text) = (
            self.store.clone(),
            req.document_id.clone(),
            req.include_text,
        );
        let (doc, text) = blocking(move || {
            let doc = store
                .get(&id)?
                .filter(|d| d.complete)
                .ok_or_else(|| Error::NotFound {
                    what: "document",
                    id: id.clone(),
                })?;
            let text = if with_text {
                store.text(&doc.id)?.unwrap_or_default()
            } else {
                String::new()
            };
            Ok::<_, Error>((doc, text))
        })
        .await?;
        let events = if req.omit_events {
            Vec::new()
        } else {
            self.events_of(&doc.id, meta).await?
        };
        Ok(GetDocumentResponse {
            document: Some(info_of(&doc)),
            text,
            events,
            diagnostics: doc.diagnostics,
        })
    }

    /// A document's events as the timeline has them, in the document's order.
    async fn events_of(&self, id: &str, meta: &MetadataMap) -> Result<Vec<Event>> {
        let backend = |status| Error::Backend {
            service: "timeline",
            status,
        };
        let q = QueryRequest {
            document_id: id.to_string(),
            ..Default::default()
        };
        let mut stream = self
            .timeline
            .clone()
            .query(sitrep_server::client::outgoing(
                q,
                meta,
                self.backend_timeout,
            ))
            .await
            .map_err(backend)?
            .into_inner();
        let mut events = Vec::new();
        while let Some(page) = stream.message().await.map_err(backend)? {
            events.extend(page.events);
        }
        Ok(events)
    }

    pub fn list_documents(&self, req: &ListDocumentsRequest) -> Result<ListDocumentsResponse> {
        let size = match req.page_size {
            0 => 100,
            n if n > 1000 => {
                return Err(Error::InvalidArgument(format!(
                    "page_size is at most 1000, got {n}"
                )))
            }
            n => n as usize,
        };
        let after = if req.page_token.is_empty() {
            0
        } else {
            req.page_token.strip_prefix("s:").and_then(|s| s.parse::<u64>().ok()).ok_or_else(|| Error::InvalidArgument("malformed page_token: pass next_page_token from a previous answer unchanged".into()))?
        };
        let docs = self.store.list(after, size + 1)?;
        let more = docs.len() > size;
        let docs: Vec<DocumentRecord> = docs.into_iter().take(size).collect();
        let next = if more {
            docs.last()
                .map(|d| format!("s:{}", d.seq))
                .unwrap_or_default()
        } else {
            String::new()
        };
        Ok(ListDocumentsResponse {
            documents: docs.iter().map(info_of).collect(),
            next_page_token: next,
        })
    }
}

#[tonic::async_trait]
impl IngestService for Ingest {
    #[instrument(skip_all, fields(bytes = request.get_ref().text.len()))]
    async fn ingest(
        &self,
        request: Request<IngestRequest>,
    ) -> std::result::Result<Response<IngestResponse>, Status> {
        let meta = request.metadata().clone();
        let r = Ingest::ingest(self, request.into_inner(), &meta).await?;
        Ok(Response::new(r))
    }

    type IngestStreamStream = crate::stream::ResponseStream;

    #[instrument(skip_all)]
    async fn ingest_stream(
        &self,
        request: Request<tonic::Streaming<IngestStreamRequest>>,
    ) -> std::result::Result<Response<Self::IngestStreamStream>, Status> {
        let meta = request.metadata().clone();
        Ok(Response::new(self.stream(request.into_inner(), meta)))
    }

    #[instrument(skip_all, fields(document = %request.get_ref().document_id))]
    async fn get_document(
        &self,
        request: Request<GetDocumentRequest>,
    ) -> std::result::Result<Response<GetDocumentResponse>, Status> {
        let meta = request.metadata().clone();
        let r = Ingest::get_document(self, request.into_inner(), &meta).await?;
        Ok(Response::new(r))
    }

    #[instrument(skip_all)]
    async fn list_documents(
        &self,
        request: Request<ListDocumentsRequest>,
    ) -> std::result::Result<Response<ListDocumentsResponse>, Status> {
        let this = self.clone();
        let req = request.into_inner();
        let r = blocking(move || this.list_documents(&req)).await?;
        Ok(Response::new(r))
    }
}
