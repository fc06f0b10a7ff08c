//! Issue 5's aggregates end to end: reports of one event from two documents linked and counted
//! once, which events lie wholly inside a period, actor profiles, summaries, and a curator's merge
//! of a provisional place that its events follow.

use sitrep_proto::v1::gateway_service_client::GatewayServiceClient;
use sitrep_proto::v1::*;
use sitrep_tests::Suite;
use tonic::transport::Channel;

async fn ingest(c: &mut GatewayServiceClient<Channel>, text: &str, title: &str) -> IngestResponse {
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

use sitrep_tests::{event_pages as pages, list_events as events};

const REPORT_A: &str = "On 13 May 2015, Hezbollah captured Tallat Mussa from al-Nusra Front. In May 2015, fighting continued across the Qalamoun mountains.";
const REPORT_B: &str =
    "Hezbollah fighters seized Tallat Moussa on 13 May 2015, a Syrian Army officer said.";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_reports_of_one_event_are_linked_and_counted_once() {
    let dir = tempfile::tempdir().unwrap();
    let suite = Suite::start(dir.path()).await;
    let mut c = suite.client().await;
    let a = ingest(&mut c, REPORT_A, "Qalamoun, May 2015").await;
    let b = ingest(&mut c, REPORT_B, "Qalamoun, May 2015 (agency report)").await;
    let captures = |v: &[Event]| {
        v.iter()
            .filter(|e| e.kind == EventKind::Capture as i32)
            .cloned()
            .collect::<Vec<_>>()
    };

    // one capture without duplicates, carrying the other report; both with them
    let listed = captures(&events(&mut c, ListEventsRequest::default()).await);
    assert_eq!(listed.len(), 1, "{listed:#?}");
    assert_eq!(listed[0].document_id, a.document_id);
    let all = captures(
        &events(
            &mut c,
            ListEventsRequest {
                include_duplicates: true,
                ..Default::default()
            },
        )
        .await,
    );
    assert_eq!(all.len(), 2, "{all:#?}");
    let second = all
        .iter()
        .find(|e| e.document_id == b.document_id)
        .expect("the second report");
    assert_eq!(second.same_as, listed[0].id);
    assert_eq!(listed[0].also_reported_as, vec![second.id.clone()]);
    // a document's own events always include its reports
    assert_eq!(
        captures(
            &events(
                &mut c,
                ListEventsRequest {
                    document_id: b.document_id.clone(),
                    ..Default::default()
                }
            )
            .await
        )
        .len(),
        1
    );

    // a day query: the capture lies inside it, the month-long fighting only overlaps it
    let day = pages(
        &mut c,
        ListEventsRequest {
            from: "2015-05-13".into(),
            to: "2015-05-13".into(),
            ..Default::default()
        },
    )
    .await;
    let exact: Vec<String> = day.iter().flat_map(|p| p.exact_event_ids.clone()).collect();
    let evs: Vec<Event> = day.into_iter().flat_map(|p| p.events).collect();
    assert!(exact.contains(&listed[0].id), "{exact:?}");
    let month = evs
        .iter()
        .find(|e| {
            e.when
                .as_ref()
                .is_some_and(|w| w.earliest == "2015-05-01" && w.latest == "2015-05-31")
        })
        .expect("the month-long fighting overlaps the day");
    assert!(!exact.contains(&month.id));

    // the summary counts the capture once and says it saw another report of it
    let at = listed[0].places[0].id.clone();
    let s = c
        .summary(GetSummaryRequest {
            region: at,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    let sum = s.summary.expect("summary");
    assert_eq!(s.region.map(|p| p.name.is_empty()), Some(false));
    assert_eq!(
        sum.by_kind
            .iter()
            .find(|k| k.kind == EventKind::Capture as i32)
            .map(|k| k.events),
        Some(1),
        "{sum:?}"
    );
    assert_eq!(sum.duplicates, 1, "{sum:?}");
    assert!(sum.by_week.iter().any(|w| w.week == "2015-W20"), "{sum:?}");
    let empty = c
        .summary(GetSummaryRequest {
            from: "2016-01-01".into(),
            to: "2016-12-31".into(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(empty.summary.unwrap().events, 0);

    // Hezbollah's record: Tallat Mussa taken from al-Nusra, al-Nusra an opponent
    let p = c
        .actor_profile(GetActorProfileRequest {
            actor: "Hezbollah".into(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(p.places_taken.len(), 1, "{p:#?}");
    assert_eq!(p.places_taken[0].place_id, listed[0].places[0].id, "{p:#?}");
    assert!(
        p.opponents.iter().any(|r| r.name.contains("Nusra")),
        "{p:#?}"
    );

    // bad input
    let e = c
        .actor_profile(GetActorProfileRequest {
            actor: " ".into(),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(e.code(), tonic::Code::InvalidArgument);
    let e = c
        .actor_profile(GetActorProfileRequest {
            actor: "nobody at all".into(),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(e.code(), tonic::Code::NotFound);
    let e = c
        .summary(GetSummaryRequest {
            from: "2015-06-01".into(),
            to: "2015-05-01".into(),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(e.code(), tonic::Code::InvalidArgument);
    suite.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_merged_provisional_place_takes_its_events_along() {
    let dir = tempfile::tempdir().unwrap();
    let suite = Suite::start(dir.path()).await;
    let mut c = suite.client().await;
    ingest(
        &mut c,
        "On 3 June 2015, Hezbollah captured the Zaghrour Ghannam hill near Arsal.",
        "Qalamoun, June 2015",
    )
    .await;
    let evs = events(&mut c, ListEventsRequest::default()).await;
    let prov = evs
        .iter()
        .flat_map(|e| e.places.iter())
        .find(|p| p.provisional)
        .map(|p| p.id.clone())
        .expect("a provisional place");
    assert!(prov.starts_with("prov:"), "{prov}");
    let target = c
        .search_places(SearchPlacesRequest {
            query: "Arsal".into(),
            limit: 1,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner()
        .candidates[0]
        .place
        .clone()
        .unwrap();

    // a known place cannot be merged away
    let e = c
        .merge_place(MergePlaceRequest {
            from_id: target.id.clone(),
            into_id: prov.clone(),
        })
        .await
        .unwrap_err();
    assert_eq!(e.code(), tonic::Code::InvalidArgument, "{e:?}");
    let m = c
        .merge_place(MergePlaceRequest {
            from_id: prov.clone(),
            into_id: target.id.clone(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(m.events_updated, 1);
    assert!(m
        .place
        .unwrap()
        .alternate_names
        .iter()
        .any(|n| n.contains("Zaghrour")));
    // the events follow, under the known place's id and coordinates
    let at = events(
        &mut c,
        ListEventsRequest {
            place: target.id.clone(),
            ..Default::default()
        },
    )
    .await;
    let moved = at
        .iter()
        .find(|e| e.places.iter().any(|p| p.mention.contains("Zaghrour")))
        .expect("the event follows the merge");
    let p = moved
        .places
        .iter()
        .find(|p| p.mention.contains("Zaghrour"))
        .unwrap();
    assert!(!p.provisional && p.lat == Some(target.lat));
    // the document's report reads the events' owner: the place merged into, not the one coded
    let report = c
        .document_report(GetDocumentReportRequest {
            document_id: moved.document_id.clone(),
        })
        .await
        .unwrap()
        .into_inner();
    let named: Vec<&str> = report
        .events
        .iter()
        .flat_map(|e| &e.places)
        .map(|p| p.id.as_str())
        .collect();
    assert!(
        named.contains(&target.id.as_str()) && !named.contains(&prov.as_str()),
        "{named:?}"
    );
    assert!(report.places.iter().any(|p| p.id == target.id));
    assert!(events(
        &mut c,
        ListEventsRequest {
            place: prov.clone(),
            ..Default::default()
        }
    )
    .await
    .is_empty());
    // the old id still answers, with the known place; merging again changes nothing
    let d = c
        .place_dossier(GetPlaceDossierRequest {
            place: prov.clone(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(d.place.unwrap().id, target.id);
    let again = c
        .merge_place(MergePlaceRequest {
            from_id: prov.clone(),
            into_id: target.id.clone(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(again.events_updated, 0);
    // a new document naming it resolves to the known place straight away
    ingest(
        &mut c,
        "On 5 June 2015, al-Nusra Front attacked Zaghrour Ghannam hill.",
        "Qalamoun, later",
    )
    .await;
    let later = events(
        &mut c,
        ListEventsRequest {
            from: "2015-06-05".into(),
            to: "2015-06-05".into(),
            ..Default::default()
        },
    )
    .await;
    assert!(
        later
            .iter()
            .flat_map(|e| &e.places)
            .any(|p| p.id == target.id),
        "{later:#?}"
    );
    suite.shutdown().await;
}
