//! End to end through the gateway with a real tonic client, on both backends: each check runs
//! with sled folders and again with ingest and timeline in a throw-away PostgreSQL cluster.

use sitrep_proto::v1::*;
use sitrep_tests::{Options, Postgres, Suite, SAMPLE, SAMPLE_TITLE};

/// A `#[tokio::test]` per backend for the check `$check(options)`: `$name` on sled and
/// `$name_on_postgres` (skipped, saying so, only when the server binaries are absent).
macro_rules! on_both_backends {
    ($name:ident, $pg_name:ident, $check:ident) => {
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $name() {
            $check(Options::default()).await;
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $pg_name() {
            let Some(pg) = Postgres::start(stringify!($pg_name)) else {
                return;
            };
            $check(pg.options()).await;
            drop(pg);
        }
    };
}

on_both_backends!(
    ingest_then_events_then_control,
    ingest_then_events_then_control_on_postgres,
    check_ingest_events_control
);
on_both_backends!(
    a_second_ingest_of_the_same_text_is_a_duplicate,
    a_duplicate_on_postgres,
    check_duplicate
);
on_both_backends!(
    restart_keeps_the_data,
    restart_keeps_the_data_on_postgres,
    check_restart
);
on_both_backends!(
    a_stopped_backend_gives_a_partial_answer_naming_it,
    a_partial_answer_on_postgres,
    check_partial_answer
);

async fn ingest(
    c: &mut gateway_service_client::GatewayServiceClient<tonic::transport::Channel>,
    text: &str,
    title: &str,
) -> IngestResponse {
    c.ingest(IngestDocumentRequest {
        text: text.into(),
        title: title.into(),
        ..Default::default()
    })
    .await
    .expect("ingest")
    .into_inner()
    .result
    .expect("result")
}

async fn events(
    c: &mut gateway_service_client::GatewayServiceClient<tonic::transport::Channel>,
    req: ListEventsRequest,
) -> Vec<Event> {
    sitrep_tests::list_events(c, req).await
}

async fn check_ingest_events_control(options: Options) {
    let dir = tempfile::tempdir().unwrap();
    let suite = Suite::start_with(dir.path(), options.clone()).await;
    let mut c = suite.client().await;
    let r = ingest(&mut c, SAMPLE, SAMPLE_TITLE).await;
    assert!(!r.duplicate);
    assert!(
        r.event_count >= 15,
        "events from real extraction, got {}",
        r.event_count
    );
    let all = events(
        &mut c,
        ListEventsRequest {
            document_id: r.document_id.clone(),
            ..Default::default()
        },
    )
    .await;
    assert_eq!(all.len() as u32, r.event_count);
    // time order, then narrative order
    let days: Vec<String> = all
        .iter()
        .filter_map(|e| e.when.as_ref().map(|w| w.earliest.clone()))
        .filter(|d| !d.is_empty())
        .collect();
    assert!(
        days.windows(2).all(|w| w[0] <= w[1]),
        "events come in time order"
    );
    // a capture of Tallat Mussa on 13 May 2015, by the government side
    let tm = events(
        &mut c,
        ListEventsRequest {
            place: "Tallat Mussa".into(),
            ..Default::default()
        },
    )
    .await;
    assert!(
        tm.iter().any(|e| e.kind == EventKind::Capture as i32
            && e.when.as_ref().is_some_and(|w| w.earliest == "2015-05-13")),
        "{tm:#?}"
    );
    // a day filter returns events whose interval overlaps the day
    let day = events(
        &mut c,
        ListEventsRequest {
            from: "2015-05-11".into(),
            to: "2015-05-11".into(),
            ..Default::default()
        },
    )
    .await;
    assert!(
        !day.is_empty()
            && day
                .iter()
                .all(|e| e
                    .when
                    .as_ref()
                    .is_some_and(|w| w.earliest.as_str() <= "2015-05-11"
                        && "2015-05-11" <= w.latest.as_str()))
    );
    let before = c
        .control(GetControlRequest {
            place: "Tallat Mussa".into(),
            date: "2015-05-12".into(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(before.controller, "");
    let after = c
        .control(GetControlRequest {
            place: "Tallat Mussa".into(),
            date: "2015-05-14".into(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(after.side, "Syrian government", "{after:?}");
    assert!(after.failures.is_empty());
    // bad input gets a precise status
    let bad = c
        .control(GetControlRequest {
            place: "Tallat Mussa".into(),
            date: "2015-02-31".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(bad.code(), tonic::Code::InvalidArgument);
    let empty = c
        .ingest(IngestDocumentRequest {
            text: "  \n ".into(),
            title: "x".into(),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(empty.code(), tonic::Code::InvalidArgument);
    suite.shutdown().await;
}

async fn check_duplicate(options: Options) {
    let dir = tempfile::tempdir().unwrap();
    let suite = Suite::start_with(dir.path(), options.clone()).await;
    let mut c = suite.client().await;
    let first = ingest(&mut c, SAMPLE, SAMPLE_TITLE).await;
    let n = events(&mut c, ListEventsRequest::default()).await.len();
    let second = ingest(&mut c, SAMPLE, "another title").await;
    assert!(second.duplicate);
    assert_eq!(second.document_id, first.document_id);
    assert_eq!(events(&mut c, ListEventsRequest::default()).await.len(), n);
    suite.shutdown().await;
}

async fn check_restart(options: Options) {
    let dir = tempfile::tempdir().unwrap();
    let suite = Suite::start_with(dir.path(), options.clone()).await;
    let mut c = suite.client().await;
    let r = ingest(&mut c, SAMPLE, SAMPLE_TITLE).await;
    let before = events(&mut c, ListEventsRequest::default()).await;
    suite.shutdown().await;

    let suite = Suite::start_with(dir.path(), options.clone()).await;
    let mut c = suite.client().await;
    let after = events(&mut c, ListEventsRequest::default()).await;
    assert_eq!(before, after);
    let report = c
        .document_report(GetDocumentReportRequest {
            document_id: r.document_id.clone(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(report.document.unwrap().id, r.document_id);
    assert_eq!(report.events.len(), before.len());
    assert!(!report.places.is_empty());
    suite.shutdown().await;
}

async fn check_partial_answer(options: Options) {
    let dir = tempfile::tempdir().unwrap();
    let mut suite = Suite::start_with(dir.path(), options.clone()).await;
    let mut c = suite.client().await;
    ingest(&mut c, SAMPLE, SAMPLE_TITLE).await;

    suite.gazetteer.stop().await;
    let d = c
        .place_dossier(GetPlaceDossierRequest {
            place: "Tallat Mussa".into(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert!(
        d.failures.iter().any(|f| f.backend == "gazetteer"),
        "{:?}",
        d.failures
    );
    assert!(!d.events.is_empty(), "the timeline still answers");
    let s = c.status(GetStatusRequest {}).await.unwrap().into_inner();
    assert!(!s.serving);
    assert!(s
        .backends
        .iter()
        .any(|b| b.backend == "gazetteer" && !b.serving));

    suite.timeline.stop().await;
    let e = c
        .ingest(IngestDocumentRequest {
            text: "On 3 June 2016, rebels shelled Aleppo.".into(),
            title: "t".into(),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(e.code(), tonic::Code::Unavailable);
    assert!(
        e.message().contains("gazetteer") || e.message().contains("timeline"),
        "{}",
        e.message()
    );
    suite.gateway.stop().await;
    suite.ingest.stop().await;
}
