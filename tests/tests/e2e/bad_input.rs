//! Bad input over every public RPC of the gateway: each case gets a precise status with a
//! message that says what to fix, nothing stored is damaged, and the suite keeps serving.

use futures::StreamExt;
use sitrep_proto::v1::gateway_service_client::GatewayServiceClient;
use sitrep_proto::v1::*;
use sitrep_tests::{Options, Postgres, Suite, SAMPLE, SAMPLE_TITLE};
use tonic::transport::Channel;
use tonic::Code;

type Client = GatewayServiceClient<Channel>;

/// The status code of a unary answer (None: it succeeded).
fn code<T>(r: Result<tonic::Response<T>, tonic::Status>) -> (Option<Code>, String) {
    match r {
        Ok(_) => (None, String::new()),
        Err(s) => (Some(s.code()), s.message().to_string()),
    }
}

/// The status of a streamed answer: of the call, or of the first failed message.
async fn stream_code<T>(
    r: Result<tonic::Response<tonic::Streaming<T>>, tonic::Status>,
) -> (Option<Code>, String) {
    match r {
        Err(s) => (Some(s.code()), s.message().to_string()),
        Ok(resp) => {
            let mut s = resp.into_inner();
            while let Some(m) = s.next().await {
                if let Err(e) = m {
                    return (Some(e.code()), e.message().to_string());
                }
            }
            (None, String::new())
        }
    }
}

fn events(req: ListEventsRequest) -> ListEventsRequest {
    req
}

async fn all_events(c: &mut Client) -> Vec<Event> {
    sitrep_tests::list_events(
        c,
        ListEventsRequest {
            include_duplicates: true,
            ..Default::default()
        },
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_rpc_answers_bad_input_with_a_precise_status() {
    check_bad_input(Options::default()).await;
}

/// The same with ingest and timeline in a PostgreSQL cluster.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_rpc_answers_bad_input_with_a_precise_status_on_postgres() {
    let Some(pg) = Postgres::start("every_rpc_answers_bad_input_with_a_precise_status_on_postgres")
    else {
        return;
    };
    check_bad_input(pg.options()).await;
}

async fn check_bad_input(options: Options) {
    let dir = tempfile::tempdir().unwrap();
    let suite = Suite::start_with(dir.path(), options).await;
    let mut c = suite.client().await;
    let doc = c
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
    let before = all_events(&mut c).await;
    let ingest = |text: &str, published: &str| IngestDocumentRequest {
        text: text.into(),
        title: "t".into(),
        published: published.into(),
        ..Default::default()
    };
    let nan_box = BoundingBox {
        min_lat: f64::NAN,
        min_lon: 35.0,
        max_lat: 34.0,
        max_lon: 37.0,
    };

    use Code::*;
    let mut cases: Vec<(&str, (Option<Code>, String), Option<Code>)> = vec![
        ("ingest: empty text", code(c.ingest(ingest("", "")).await), Some(InvalidArgument)),
        ("ingest: whitespace only", code(c.ingest(ingest(" \n\t \u{3000}", "")).await), Some(InvalidArgument)),
        ("ingest: 31 February", code(c.ingest(ingest("On 3 May 2015, fighting.", "2015-02-31")).await), Some(InvalidArgument)),
        ("ingest: year 0", code(c.ingest(ingest("On 3 May 2015, fighting.", "0000-06-01")).await), Some(InvalidArgument)),
        ("ingest: 20 MB message", code(c.ingest(ingest(&"x ".repeat(10 << 20), "")).await), Some(ResourceExhausted)),
        ("ingest: 13 MB document (over the document cap)", code(c.ingest(ingest(&"word ".repeat((13 << 20) / 5), "")).await), Some(ResourceExhausted)),
        ("ingest: control characters", code(c.ingest(ingest("\u{0}\u{7}\u{1b}[31mOn 4 May 2015,\u{8} Hezbollah attacked Flita.\u{0}", "")).await), None),
        ("ingest: Arabic and right-to-left marks", code(c.ingest(ingest("\u{202B}في 5 أيار 2015 هاجم حزب الله فليطة\u{202C}. On 5 May 2015, Hezbollah attacked Flita.", "")).await), None),
        ("events: 31 February", stream_code(c.events(events(ListEventsRequest { from: "2015-02-31".into(), ..Default::default() })).await).await, Some(InvalidArgument)),
        ("events: year 0", stream_code(c.events(ListEventsRequest { to: "0000-01-01".into(), ..Default::default() }).await).await, Some(InvalidArgument)),
        ("events: reversed range", stream_code(c.events(ListEventsRequest { from: "2015-06-01".into(), to: "2015-05-01".into(), ..Default::default() }).await).await, Some(InvalidArgument)),
        ("events: unknown kind", stream_code(c.events(ListEventsRequest { kind: 999, ..Default::default() }).await).await, Some(InvalidArgument)),
        ("events: malformed page token", stream_code(c.events(ListEventsRequest { page_token: "k:zz-not-hex".into(), ..Default::default() }).await).await, Some(InvalidArgument)),
        ("events: page too large", stream_code(c.events(ListEventsRequest { page_size: 1_000_000, ..Default::default() }).await).await, Some(InvalidArgument)),
        ("events: unknown place", stream_code(c.events(ListEventsRequest { place: "Nowhere-on-earth Qqq".into(), ..Default::default() }).await).await, None),
        ("events: unknown actor", stream_code(c.events(ListEventsRequest { actor: "nobody at all".into(), ..Default::default() }).await).await, None),
        ("control: empty place", code(c.control(GetControlRequest { place: " ".into(), date: "2015-05-01".into() }).await), Some(InvalidArgument)),
        ("control: 31 February", code(c.control(GetControlRequest { place: "Flita".into(), date: "2015-02-31".into() }).await), Some(InvalidArgument)),
        ("control: year 0", code(c.control(GetControlRequest { place: "Flita".into(), date: "0000-02-01".into() }).await), Some(InvalidArgument)),
        ("dossier: empty place", code(c.place_dossier(GetPlaceDossierRequest { place: "".into(), ..Default::default() }).await), Some(InvalidArgument)),
        ("dossier: NaN radius", code(c.place_dossier(GetPlaceDossierRequest { place: "Flita".into(), nearby_radius_km: f64::NAN, ..Default::default() }).await), Some(InvalidArgument)),
        ("report: empty id", code(c.document_report(GetDocumentReportRequest { document_id: "".into() }).await), Some(InvalidArgument)),
        ("report: unknown document", code(c.document_report(GetDocumentReportRequest { document_id: "doc-0000000000000000".into() }).await), Some(NotFound)),
        ("search: empty query", code(c.search_places(SearchPlacesRequest { query: " ".into(), ..Default::default() }).await), Some(InvalidArgument)),
        ("search: 10 000-character query", code(c.search_places(SearchPlacesRequest { query: "a".repeat(10_000), ..Default::default() }).await), Some(InvalidArgument)),
        ("search: NaN in the box", code(c.search_places(SearchPlacesRequest { query: "Arsal".into(), bbox: Some(nan_box), ..Default::default() }).await), Some(InvalidArgument)),
        ("search: latitude out of range", code(c.search_places(SearchPlacesRequest { query: "Arsal".into(), bbox: Some(BoundingBox { min_lat: -91.0, min_lon: 0.0, max_lat: 95.0, max_lon: 1.0 }), ..Default::default() }).await), Some(InvalidArgument)),
        ("export: no format", stream_code(c.export(ExportRequest::default()).await).await, Some(InvalidArgument)),
        ("export: unknown format", stream_code(c.export(ExportRequest { format: 99, ..Default::default() }).await).await, Some(InvalidArgument)),
        ("export: reversed range", stream_code(c.export(ExportRequest { format: ExportFormat::Geojson as i32, from: "2015-06-01".into(), to: "2015-05-01".into(), ..Default::default() }).await).await, Some(InvalidArgument)),
        ("export: control without a place", stream_code(c.export(ExportRequest { format: ExportFormat::ControlGeojson as i32, ..Default::default() }).await).await, Some(InvalidArgument)),
        ("actor: empty", code(c.actor_profile(GetActorProfileRequest { actor: "".into(), ..Default::default() }).await), Some(InvalidArgument)),
        ("actor: unknown", code(c.actor_profile(GetActorProfileRequest { actor: "no such actor".into(), ..Default::default() }).await), Some(NotFound)),
        ("actor: 31 February", code(c.actor_profile(GetActorProfileRequest { actor: "Hezbollah".into(), from: "2015-02-31".into(), ..Default::default() }).await), Some(InvalidArgument)),
        ("summary: NaN box", code(c.summary(GetSummaryRequest { bbox: Some(nan_box), ..Default::default() }).await), Some(InvalidArgument)),
        ("summary: negative radius", code(c.summary(GetSummaryRequest { region: "Arsal".into(), radius_km: -3.0, ..Default::default() }).await), Some(InvalidArgument)),
        ("merge: not provisional", code(c.merge_place(MergePlaceRequest { from_id: "geonames:1".into(), into_id: "geonames:2".into() }).await), Some(InvalidArgument)),
        ("merge: unknown provisional place", code(c.merge_place(MergePlaceRequest { from_id: "prov:no-such-place".into(), into_id: "geonames:1".into() }).await), Some(NotFound)),
        ("merge: empty", code(c.merge_place(MergePlaceRequest::default()).await), Some(InvalidArgument)),
    ];
    // an import of bytes that are not GeoNames rows
    let garbage = futures::stream::iter(vec![ImportPlacesRequest {
        chunk: b"\xff\xfe not a geonames row\n\0\0\0".to_vec(),
    }]);
    cases.push((
        "import: not GeoNames rows",
        code(c.import_places(garbage).await),
        Some(InvalidArgument),
    ));

    let mut wrong = Vec::new();
    for (name, (got, message), want) in &cases {
        if got != want {
            wrong.push(format!("{name}: got {got:?} ({message}), want {want:?}"));
        }
        if got.is_some() && message.trim().len() < 12 {
            wrong.push(format!(
                "{name}: the message {message:?} does not say what to fix"
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {} cases wrong:\n{}",
        wrong.len(),
        cases.len(),
        wrong.join("\n")
    );

    // nothing stored was damaged: the sample's events are all there, unchanged
    let after = all_events(&mut c).await;
    let mine = |v: &[Event]| {
        v.iter()
            .filter(|e| e.document_id == doc.document_id)
            .cloned()
            .collect::<Vec<_>>()
    };
    assert_eq!(mine(&before), mine(&after));
    assert!(
        c.status(GetStatusRequest {})
            .await
            .unwrap()
            .into_inner()
            .serving
    );
    suite.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backend_that_misses_the_deadline_is_deadline_exceeded() {
    let dir = tempfile::tempdir().unwrap();
    // the gateway allows its backends 1 ms (ingest 4 ms): too little to ingest the sample
    let suite = Suite::start_with(
        dir.path(),
        sitrep_tests::Options {
            backend_timeout_ms: Some(1),
            ..Default::default()
        },
    )
    .await;
    let mut c = suite.client().await;
    let e = c
        .ingest(IngestDocumentRequest {
            text: SAMPLE.into(),
            title: SAMPLE_TITLE.into(),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(e.code(), Code::DeadlineExceeded, "{e:?}");
    assert!(
        e.message().contains("ingest"),
        "names the backend: {}",
        e.message()
    );
    assert!(
        c.status(GetStatusRequest {})
            .await
            .unwrap()
            .into_inner()
            .backends
            .len()
            == 3
    );
    suite.shutdown().await;
}
