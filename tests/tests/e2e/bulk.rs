//! `GatewayService.IngestStream`: many documents in one call. Every document gets its own
//! answer (tagged with its index); a bad one fails alone with a precise status, the rest are
//! ingested; the same stream again adds nothing; copies inside one stream are one document.

use std::collections::HashMap;

use futures::StreamExt;
use sitrep_proto::v1::ingest_stream_response::Outcome;
use sitrep_proto::v1::*;
use sitrep_tests::{list_events, Suite};

fn good(i: usize) -> String {
    let places = ["Arsal", "Yabroud", "Qusayr", "Zabadani"];
    format!(
        "On {} May 2015, Hezbollah fighters clashed with al-Nusra Front near {}. (bulletin {i})",
        1 + i % 28,
        places[i % 4]
    )
}

fn doc(text: String, tag: &str) -> IngestStreamRequest {
    IngestStreamRequest {
        document: Some(IngestRequest {
            text,
            title: "Bulletins".into(),
            ..Default::default()
        }),
        tag: tag.into(),
        raw_text: Vec::new(),
    }
}

/// Send `requests` in one stream; the answers by index.
async fn stream(
    c: &mut sitrep_proto::v1::gateway_service_client::GatewayServiceClient<
        tonic::transport::Channel,
    >,
    requests: Vec<IngestStreamRequest>,
) -> HashMap<u64, IngestStreamResponse> {
    let n = requests.len();
    let mut answers = c
        .ingest_stream(futures::stream::iter(requests))
        .await
        .expect("stream accepted")
        .into_inner();
    let mut out = HashMap::new();
    while let Some(a) = answers.next().await {
        let a = a.expect("the stream goes on past bad documents");
        assert!(out.insert(a.index, a).is_none(), "one answer per document");
    }
    assert_eq!(out.len(), n, "every document answered");
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_document_fails_alone_and_the_rest_are_ingested() {
    let dir = tempfile::tempdir().unwrap();
    let suite = Suite::start(dir.path()).await;
    let mut c = suite.client().await;
    let mut requests: Vec<IngestStreamRequest> = (0..40)
        .map(|i| doc(good(i), &format!("good-{i}")))
        .collect();
    // the bad ones, among the good
    requests.insert(3, doc("  \n ".into(), "empty"));
    requests.insert(10, doc("x".repeat(13 << 20), "oversized"));
    let mut bad_utf8 = doc(String::new(), "latin-1");
    bad_utf8.raw_text = b"Caf\xe9 shelled".to_vec();
    requests.insert(20, bad_utf8);
    let mut both = doc(good(99), "both");
    both.raw_text = b"text twice".to_vec();
    requests.insert(30, both);
    let mut raw_ok = doc(String::new(), "raw-ok");
    raw_ok.raw_text = good(100).into_bytes();
    requests.push(raw_ok);
    // a copy of a document in the same stream is that document
    requests.push(doc(good(0), "copy-of-good-0"));
    let tags: Vec<String> = requests.iter().map(|r| r.tag.clone()).collect();
    let answers = stream(&mut c, requests).await;
    let by_tag: HashMap<&str, &IngestStreamResponse> =
        answers.values().map(|a| (a.tag.as_str(), a)).collect();
    for (i, tag) in tags.iter().enumerate() {
        assert_eq!(
            by_tag[tag.as_str()].index,
            i as u64,
            "{tag} is answered with its own index"
        );
    }
    let error = |tag: &str| match &by_tag[tag].outcome {
        Some(Outcome::Error(e)) => e.clone(),
        other => panic!("{tag} should have failed: {other:?}"),
    };
    let e = error("empty");
    assert_eq!(e.code, "INVALID_ARGUMENT");
    assert!(e.message.contains("text is empty"), "{}", e.message);
    let e = error("oversized");
    assert_eq!(e.code, "RESOURCE_EXHAUSTED");
    assert!(
        e.message.contains("bytes") && e.message.contains("split it"),
        "{}",
        e.message
    );
    let e = error("latin-1");
    assert_eq!(e.code, "INVALID_ARGUMENT");
    assert!(
        e.message.contains("not valid UTF-8 (at byte 3)"),
        "{}",
        e.message
    );
    assert_eq!(error("both").code, "INVALID_ARGUMENT");
    let mut ids = HashMap::new();
    for i in 0..40 {
        let tag = format!("good-{i}");
        match &by_tag[tag.as_str()].outcome {
            Some(Outcome::Result(r)) => {
                assert!(!r.duplicate && r.event_count >= 1, "{tag}: {r:?}");
                ids.insert(tag, r.clone());
            }
            other => panic!("{tag} should be ingested: {other:?}"),
        }
    }
    match &by_tag["copy-of-good-0"].outcome {
        Some(Outcome::Result(r)) => assert!(
            r.duplicate && r.document_id == ids["good-0"].document_id,
            "{r:?}"
        ),
        other => panic!("the copy should be a duplicate: {other:?}"),
    }
    assert!(matches!(&by_tag["raw-ok"].outcome, Some(Outcome::Result(r)) if !r.duplicate));
    // every ingested document is there with its events
    for r in ids.values() {
        let events = list_events(
            &mut c,
            ListEventsRequest {
                document_id: r.document_id.clone(),
                ..Default::default()
            },
        )
        .await;
        assert_eq!(events.len() as u32, r.event_count, "{}", r.document_id);
        let report = c
            .document_report(GetDocumentReportRequest {
                document_id: r.document_id.clone(),
            })
            .await
            .expect("report")
            .into_inner();
        assert_eq!(
            report.document.expect("document").event_count,
            r.event_count
        );
    }
    // the same stream again adds nothing
    let again = stream(
        &mut c,
        (0..40)
            .map(|i| doc(good(i), &format!("good-{i}")))
            .collect(),
    )
    .await;
    for a in again.values() {
        match &a.outcome {
            Some(Outcome::Result(r)) => {
                assert!(r.duplicate, "{}: a re-send is a duplicate", a.tag);
                assert_eq!(
                    (&r.document_id, r.event_count),
                    (&ids[&a.tag].document_id, ids[&a.tag].event_count)
                );
            }
            other => panic!("{other:?}"),
        }
    }
    let all = list_events(
        &mut c,
        ListEventsRequest {
            include_duplicates: true,
            ..Default::default()
        },
    )
    .await;
    let expected: u32 = ids.values().map(|r| r.event_count).sum::<u32>()
        + match &by_tag["raw-ok"].outcome {
            Some(Outcome::Result(r)) => r.event_count,
            _ => 0,
        };
    assert_eq!(all.len() as u32, expected, "nothing added twice");
    suite.shutdown().await;
}
