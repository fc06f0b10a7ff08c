//! Crash durability: the real `sitrep up` process is killed with SIGKILL at several moments
//! while documents stream in; after each restart on the same data folder every acknowledged
//! document is there with all its events, no document is half there, and re-sending the
//! unacknowledged ones completes the set without duplicates.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures::StreamExt;
use sitrep_proto::v1::gateway_service_client::GatewayServiceClient;
use sitrep_proto::v1::*;
use tonic::transport::Channel;

const DOCUMENTS: usize = 1_000;
const MONTHS: [&str; 6] = ["January", "February", "March", "April", "May", "June"];
const PLACES: [&str; 5] = ["Flita", "Arsal", "Yabroud", "Qusayr", "Zabadani"];

/// Document `i`: its own text (so its own content hash), one or two events.
fn document(i: usize) -> String {
    let (day, month, place) = (1 + i % 28, MONTHS[i % 6], PLACES[i % 5]);
    if i.is_multiple_of(3) {
        format!("On {day} {month} 2015, Hezbollah attacked {place}. The next day, the Syrian Army shelled {place}. (report {i})")
    } else {
        format!("On {day} {month} 2015, al-Nusra Front fighters clashed with Hezbollah near {place}. (report {i})")
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

struct Up {
    child: Child,
    url: String,
}

impl Up {
    fn start(data: &Path, port: u16) -> Up {
        let child = Command::new(env!("CARGO_BIN_EXE_sitrep"))
            .args(["up", "--no-sample", "--bundled", "sample", "--data"])
            .arg(data)
            .args(["--gateway-addr", &format!("127.0.0.1:{port}")])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start sitrep up");
        Up {
            child,
            url: format!("http://127.0.0.1:{port}"),
        }
    }

    async fn client(&self) -> GatewayServiceClient<Channel> {
        let deadline = Instant::now() + Duration::from_secs(90);
        loop {
            if let Ok(ch) = tonic::transport::Endpoint::from_shared(self.url.clone())
                .unwrap()
                .connect()
                .await
            {
                let mut c = GatewayServiceClient::new(ch);
                if c.status(GetStatusRequest {})
                    .await
                    .is_ok_and(|s| s.into_inner().serving)
                {
                    return c;
                }
            }
            assert!(
                Instant::now() < deadline,
                "sitrep up did not serve within 90 s"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    fn kill(mut self) {
        self.child.kill().expect("SIGKILL"); // Child::kill sends SIGKILL on Unix
        self.child.wait().expect("reap");
    }

    fn stop(mut self) {
        // SIGTERM: a clean stop
        let _ = Command::new("kill")
            .arg(self.child.id().to_string())
            .status();
        let _ = self.child.wait();
    }
}

fn ingest_request(i: usize) -> IngestDocumentRequest {
    IngestDocumentRequest {
        text: document(i),
        title: "Qalamoun reports, 2015".into(),
        ..Default::default()
    }
}

/// Every event the timeline holds, by document.
async fn events_by_document(c: &mut GatewayServiceClient<Channel>) -> BTreeMap<String, Vec<Event>> {
    let mut s = c
        .events(ListEventsRequest {
            include_duplicates: true,
            ..Default::default()
        })
        .await
        .expect("events")
        .into_inner();
    let mut out: BTreeMap<String, Vec<Event>> = BTreeMap::new();
    while let Some(p) = s.next().await {
        for e in p.expect("page").events {
            out.entry(e.document_id.clone()).or_default().push(e);
        }
    }
    out
}

/// (document index → (document id, event count)) of acknowledged ingests.
type Acks = Arc<Mutex<HashMap<usize, (String, u32)>>>;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn acknowledged_documents_survive_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let port = free_port();
    let acks: Acks = Arc::default();
    // kill points: after these many milliseconds of streaming (varied by the clock, logged)
    let jitter = (std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_millis()
        % 400) as u64;
    let kill_after = [300 + jitter, 1_100 + jitter, 2_500 + jitter];
    eprintln!("kill points (ms): {kill_after:?}");
    for (round, wait) in kill_after.iter().enumerate() {
        let up = Up::start(&data, port);
        let mut c = up.client().await;
        check(&mut c, &acks, round).await;
        // four streams of ingests, each recording its acknowledgements
        let todo: Vec<usize> = (0..DOCUMENTS)
            .filter(|i| !acks.lock().unwrap().contains_key(i))
            .collect();
        let mut tasks = Vec::new();
        for w in 0..4 {
            let mine: Vec<usize> = todo.iter().copied().skip(w).step_by(4).collect();
            let (mut c, acks) = (c.clone(), acks.clone());
            tasks.push(tokio::spawn(async move {
                for i in mine {
                    match c.ingest(ingest_request(i)).await {
                        Ok(r) => {
                            let r = r.into_inner().result.expect("result");
                            acks.lock()
                                .unwrap()
                                .insert(i, (r.document_id, r.event_count));
                        }
                        Err(_) => return, // the process is gone
                    }
                }
            }));
        }
        tokio::time::sleep(Duration::from_millis(*wait)).await;
        up.kill();
        for t in tasks {
            let _ = t.await;
        }
        eprintln!(
            "round {round}: killed after {wait} ms with {} documents acknowledged",
            acks.lock().unwrap().len()
        );
    }
    // restart, check, then re-send everything: the acknowledged are duplicates, the rest complete
    let up = Up::start(&data, port);
    let mut c = up.client().await;
    check(&mut c, &acks, kill_after.len()).await;
    let acked_before: HashMap<usize, (String, u32)> = acks.lock().unwrap().clone();
    for i in 0..DOCUMENTS {
        let r = c
            .ingest(ingest_request(i))
            .await
            .expect("re-send")
            .into_inner()
            .result
            .unwrap();
        if let Some((id, n)) = acked_before.get(&i) {
            assert!(
                r.duplicate,
                "document {i} was acknowledged before: a re-send is a duplicate"
            );
            assert_eq!((&r.document_id, r.event_count), (id, *n));
        }
        acks.lock()
            .unwrap()
            .insert(i, (r.document_id, r.event_count));
    }
    let by_doc = check(&mut c, &acks, kill_after.len() + 1).await;
    assert_eq!(by_doc.len(), DOCUMENTS, "every document once, none twice");
    let total: usize = by_doc.values().map(Vec::len).sum();
    let expected: u32 = acks.lock().unwrap().values().map(|(_, n)| n).sum();
    assert_eq!(total as u32, expected);
    up.stop();
}

/// After a restart: every acknowledged document has exactly its events, and every document the
/// timeline shows has all of its events (none half there). Returns the events by document.
async fn check(
    c: &mut GatewayServiceClient<Channel>,
    acks: &Acks,
    round: usize,
) -> BTreeMap<String, Vec<Event>> {
    let by_doc = events_by_document(c).await;
    let acks = acks.lock().unwrap().clone();
    for (i, (id, n)) in &acks {
        let got = by_doc.get(id).map_or(0, Vec::len);
        assert_eq!(
            got as u32, *n,
            "round {round}: acknowledged document {i} ({id}) has {got} of its {n} events"
        );
        assert!(*n >= 1, "document {i} yields events");
    }
    for (id, evs) in &by_doc {
        // a document's events are numbered by sentence: none may be missing in between
        let mut sentences: Vec<u32> = evs.iter().map(|e| e.sentence_index).collect();
        sentences.sort();
        sentences.dedup();
        // the two-sentence documents are those whose first sentence is an attack
        let expect = if evs
            .iter()
            .any(|e| e.sentence.contains("Hezbollah attacked"))
        {
            2
        } else {
            1
        };
        assert_eq!(
            sentences.len(),
            expect,
            "round {round}: document {id} is half there: {evs:#?}"
        );
    }
    by_doc
}

/// The same through one `IngestStream` of 2 000 documents (group commit): SIGKILL in the middle,
/// restart, every acknowledged document complete with its events in the timeline and in ingest,
/// every document the timeline shows complete in ingest too (none half there); the whole stream
/// sent again adds nothing but what had not been acknowledged.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_stream_killed_midway_keeps_what_it_acknowledged() {
    const STREAM: usize = 2_000;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let port = free_port();
    let acks: Acks = Arc::default();
    let requests = || {
        futures::stream::iter((0..STREAM).map(|i| IngestStreamRequest {
            document: Some(IngestRequest {
                text: document(i),
                title: "Qalamoun reports, 2015".into(),
                ..Default::default()
            }),
            tag: i.to_string(),
            raw_text: Vec::new(),
        }))
    };
    // the kill point: after this many acknowledgements (varied by the clock, logged)
    let jitter = (std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_millis()
        % 500) as usize;
    let kill_at = 300 + jitter;
    let up = Up::start(&data, port);
    let mut c = up.client().await;
    let mut answers = c
        .ingest_stream(requests())
        .await
        .expect("stream")
        .into_inner();
    let mut up = Some(up);
    while let Some(a) = answers.next().await {
        let Ok(a) = a else { break }; // the process is gone
        if let Some(ingest_stream_response::Outcome::Result(r)) = a.outcome {
            acks.lock()
                .unwrap()
                .insert(a.tag.parse().unwrap(), (r.document_id, r.event_count));
        }
        if acks.lock().unwrap().len() >= kill_at {
            if let Some(up) = up.take() {
                up.kill();
            }
        }
    }
    if let Some(up) = up.take() {
        up.kill();
    }
    let acked = acks.lock().unwrap().len();
    eprintln!("killed after {kill_at} acknowledgements; {acked} received");
    assert!(acked < STREAM, "the kill came before the end of the stream");
    let up = Up::start(&data, port);
    let mut c = up.client().await;
    let by_doc = check(&mut c, &acks, 0).await;
    for (id, evs) in &by_doc {
        let report = c
            .document_report(GetDocumentReportRequest {
                document_id: id.clone(),
            })
            .await;
        let doc = report.ok().and_then(|r| r.into_inner().document);
        assert_eq!(
            doc.map(|d| d.event_count),
            Some(evs.len() as u32),
            "document {id}: events in the timeline, so complete in ingest"
        );
    }
    // the whole stream again: the acknowledged are duplicates, the rest complete the set
    let acked_before: HashMap<usize, (String, u32)> = acks.lock().unwrap().clone();
    let mut answers = c
        .ingest_stream(requests())
        .await
        .expect("stream")
        .into_inner();
    let mut answered = 0;
    while let Some(a) = answers.next().await {
        let a = a.expect("answer");
        let i: usize = a.tag.parse().unwrap();
        let Some(ingest_stream_response::Outcome::Result(r)) = a.outcome else {
            panic!("document {i} failed: {a:?}")
        };
        if let Some((id, n)) = acked_before.get(&i) {
            assert!(
                r.duplicate,
                "document {i} was acknowledged before: a re-send is a duplicate"
            );
            assert_eq!((&r.document_id, r.event_count), (id, *n));
        }
        acks.lock()
            .unwrap()
            .insert(i, (r.document_id, r.event_count));
        answered += 1;
    }
    assert_eq!(answered, STREAM);
    let by_doc = check(&mut c, &acks, 1).await;
    assert_eq!(by_doc.len(), STREAM, "every document once, none twice");
    let total: usize = by_doc.values().map(Vec::len).sum();
    let expected: u32 = acks.lock().unwrap().values().map(|(_, n)| n).sum();
    assert_eq!(total as u32, expected);
    up.stop();
}
