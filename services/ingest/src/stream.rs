//! `IngestStream`: many documents in one call. Documents are read off the stream while fewer
//! than [`WINDOW`] (and fewer than [`BUDGET_BYTES`] of text) are in flight, prepared
//! concurrently (extraction on every core, resolution), committed in groups by the one writer
//! (`commit.rs`), and answered as each becomes durable, tagged with its index. A bad document
//! is answered with its own error; the stream goes on. Reading no faster than documents are
//! answered, and answering no faster than the caller reads, bounds memory: HTTP/2 flow control
//! pushes back on a caller that sends faster.

use std::pin::Pin;

use futures::stream::FuturesUnordered;
use futures::{Stream, StreamExt};
use sitrep_proto::v1::ingest_stream_response::Outcome;
use sitrep_proto::v1::{IngestStreamRequest, IngestStreamResponse};
use tokio::sync::mpsc;
use tonic::metadata::MetadataMap;
use tonic::Status;
use tracing::{info, warn};

use crate::error::Error;
use crate::service::Ingest;

/// Documents of one stream in flight at once (read, not yet answered).
pub const WINDOW: usize = 512;
/// Bytes of text of one stream in flight at once.
pub const BUDGET_BYTES: usize = 64 << 20;
/// Answers waiting for the caller to read them.
const OUTBOX: usize = 256;

pub type ResponseStream = Pin<Box<dyn Stream<Item = Result<IngestStreamResponse, Status>> + Send>>;

/// An answer for one document: its result, or its error as a status names it.
pub fn answer(
    index: u64,
    tag: String,
    result: crate::Result<sitrep_proto::v1::IngestResponse>,
) -> IngestStreamResponse {
    let outcome = match result {
        Ok(r) => Outcome::Result(r),
        Err(e) => Outcome::Error(e.in_stream()),
    };
    IngestStreamResponse {
        index,
        tag,
        outcome: Some(outcome),
    }
}

impl Ingest {
    /// Start serving one stream; its answers are the returned stream.
    pub fn stream(
        &self,
        inbound: impl Stream<Item = Result<IngestStreamRequest, Status>> + Send + Unpin + 'static,
        meta: MetadataMap,
    ) -> ResponseStream {
        let (tx, rx) = mpsc::channel(OUTBOX);
        let this = self.clone();
        tokio::spawn(async move { this.run_stream(inbound, meta, tx).await });
        Box::pin(tokio_stream::wrappers::ReceiverStream::new(rx))
    }

    async fn run_stream(
        &self,
        mut inbound: impl Stream<Item = Result<IngestStreamRequest, Status>> + Unpin,
        meta: MetadataMap,
        tx: mpsc::Sender<Result<IngestStreamResponse, Status>>,
    ) {
        let mut inflight = FuturesUnordered::new();
        let (mut next_index, mut bytes, mut ended) = (0u64, 0usize, false);
        let (mut ok, mut failed) = (0u64, 0u64);
        let mut broken: Option<Error> = None;
        loop {
            let room = inflight.len() < WINDOW && bytes < BUDGET_BYTES;
            tokio::select! {
                item = inbound.next(), if !ended && room => match item {
                    Some(Ok(req)) => {
                        let index = next_index;
                        next_index += 1;
                        let size = req.raw_text.len() + req.document.as_ref().map_or(0, |d| d.text.len());
                        bytes += size;
                        let (this, meta) = (self.clone(), meta.clone());
                        inflight.push(async move {
                            let tag = req.tag.clone();
                            let result = this.stream_one(req, &meta).await;
                            (answer(index, tag, result), size)
                        });
                    }
                    Some(Err(status)) => {
                        // the stream itself broke (a message that does not decode): no more
                        // documents can be read; the ones in flight are still answered
                        warn!(after = next_index, message = status.message(), "ingest stream broke");
                        broken = Some(Error::StreamBroke { after: next_index.saturating_sub(1), status });
                        ended = true;
                    }
                    None => ended = true,
                },
                Some((response, size)) = inflight.next(), if !inflight.is_empty() => {
                    bytes -= size;
                    match response.outcome {
                        Some(Outcome::Result(_)) => ok += 1,
                        _ => failed += 1,
                    }
                    if tx.send(Ok(response)).await.is_err() {
                        // the caller has gone: what is in flight is dropped (a document
                        // already with the writer is still committed)
                        return;
                    }
                },
                else => break,
            }
            if ended && inflight.is_empty() {
                break;
            }
        }
        info!(documents = next_index, ok, failed, "ingest stream ended");
        if let Some(e) = broken {
            let _ = tx.send(Err(e.into())).await;
        }
    }

    /// One document of a stream: its text from `raw_text` (checked UTF-8) or `document.text`.
    async fn stream_one(
        &self,
        req: IngestStreamRequest,
        meta: &MetadataMap,
    ) -> crate::Result<sitrep_proto::v1::IngestResponse> {
        let mut doc = req.document.unwrap_or_default();
        if !req.raw_text.is_empty() {
            if !doc.text.is_empty() {
                return Err(Error::InvalidArgument(
                    "both document.text and raw_text are set: send the text once".into(),
                ));
            }
            doc.text = String::from_utf8(req.raw_text).map_err(|e| {
                Error::InvalidArgument(format!(
                    "text is not valid UTF-8 (at byte {}): convert it to UTF-8 first",
                    e.utf8_error().valid_up_to()
                ))
            })?;
        }
        self.ingest(doc, meta).await
    }
}
