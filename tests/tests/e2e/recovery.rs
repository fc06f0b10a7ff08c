//! A backend stops while the gateway serves: answers name it (UNAVAILABLE, or a partial
//! aggregate), the gateway recovers by itself when it is back, and the ingest that failed
//! meanwhile is retried idempotently.

use std::time::{Duration, Instant};

use futures::StreamExt;
use sitrep_proto::v1::*;
use sitrep_tests::{Suite, SAMPLE, SAMPLE_TITLE};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_gateway_recovers_when_a_backend_comes_back() {
    let dir = tempfile::tempdir().unwrap();
    let mut suite = Suite::start(dir.path()).await;
    let mut c = suite.client().await;
    let first = c
        .ingest(IngestDocumentRequest {
            text: SAMPLE.into(),
            title: SAMPLE_TITLE.into(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner()
        .result
        .unwrap();

    suite.stop_timeline().await;
    let e = c.events(ListEventsRequest::default()).await.unwrap_err();
    assert_eq!(e.code(), tonic::Code::Unavailable);
    assert!(e.message().contains("timeline"), "{e:?}");
    let d = c
        .place_dossier(GetPlaceDossierRequest {
            place: "Arsal".into(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert!(d.place.is_some(), "the gazetteer's part still answers");
    assert!(
        d.failures.iter().any(|f| f.backend == "timeline"),
        "{:?}",
        d.failures
    );
    let doc = IngestDocumentRequest {
        text: "On 7 June 2015, Hezbollah captured Flita.".into(),
        title: "Qalamoun".into(),
        ..Default::default()
    };
    let e = c.ingest(doc.clone()).await.unwrap_err();
    assert_eq!(e.code(), tonic::Code::Unavailable, "{e:?}");

    // back: the same gateway and client, no restart of either
    suite.restart_timeline().await;
    let deadline = Instant::now() + Duration::from_secs(15);
    let n = loop {
        match c
            .events(ListEventsRequest {
                document_id: first.document_id.clone(),
                ..Default::default()
            })
            .await
        {
            Ok(r) => {
                let mut s = r.into_inner();
                let mut n = 0;
                while let Some(p) = s.next().await {
                    n += p.unwrap().events.len();
                }
                break n;
            }
            Err(e) => {
                assert!(
                    Instant::now() < deadline,
                    "the gateway did not recover: {e:?}"
                );
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        }
    };
    assert_eq!(n as u32, first.event_count, "nothing was lost");
    // the failed ingest, retried: recorded once; again: a duplicate
    let r = c
        .ingest(doc.clone())
        .await
        .unwrap()
        .into_inner()
        .result
        .unwrap();
    assert!(!r.duplicate && r.event_count >= 1);
    let again = c.ingest(doc).await.unwrap().into_inner().result.unwrap();
    assert!(
        again.duplicate && again.document_id == r.document_id && again.event_count == r.event_count
    );
    suite.shutdown().await;
}
