//! Stateless replicas on one PostgreSQL database: concurrent writers neither lose nor double
//! anything, and a database that dies mid-ingest gives UNAVAILABLE, leaves nothing half-written
//! visible, and the retry succeeds once it is back. Each test starts its own throw-away cluster
//! (skipped, saying so, only when the server binaries are absent).

use std::collections::HashSet;
use std::time::{Duration, Instant};

use futures::StreamExt;
use sitrep_proto::v1::ingest_service_client::IngestServiceClient;
use sitrep_proto::v1::timeline_service_client::TimelineServiceClient;
use sitrep_proto::v1::*;
use sitrep_tests::{Postgres, Running, Suite, SAMPLE, SAMPLE_TITLE};
use tonic::transport::Channel;

async fn connect(r: &Running) -> Channel {
    for _ in 0..300 {
        if let Ok(c) = tonic::transport::Endpoint::from_shared(r.url())
            .unwrap()
            .connect()
            .await
        {
            return c;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{} does not accept connections", r.url());
}

/// Every event a timeline holds (duplicates included), through its own Query.
async fn timeline_events(t: &mut TimelineServiceClient<Channel>) -> Vec<Event> {
    let mut s = t
        .query(QueryRequest {
            include_duplicates: true,
            page_size: 1000,
            ..Default::default()
        })
        .await
        .expect("query")
        .into_inner();
    let mut out = Vec::new();
    while let Some(p) = s.next().await {
        out.extend(p.expect("page").events);
    }
    out
}

/// Parts of the sample (four lines each), each a document of its own: distinct texts whose
/// events are also the whole sample's.
fn paragraphs() -> Vec<String> {
    let lines: Vec<&str> = SAMPLE.lines().filter(|l| !l.trim().is_empty()).collect();
    lines.chunks(4).map(|c| c.join("\n")).collect()
}

/// Wait until `ingest` answers (it was just started).
async fn ingest_client(r: &Running) -> IngestServiceClient<Channel> {
    IngestServiceClient::new(connect(r).await)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_replicas_on_one_database_lose_and_double_nothing() {
    let Some(pg) = Postgres::start("two_replicas_on_one_database_lose_and_double_nothing") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let suite = Suite::start_with(dir.path(), pg.options()).await;
    // a second timeline, and a second ingest that records into it: the same database
    let mut timeline2 = suite.start_timeline_replica().await;
    let mut ingest2 = suite.start_ingest_replica(&timeline2).await;
    let mut a = ingest_client(&suite.ingest).await;
    let mut b = ingest_client(&ingest2).await;

    // every paragraph through one replica or the other, and the whole sample through both at
    // once: all concurrently
    let texts = paragraphs();
    assert!(texts.len() >= 4, "the sample has paragraphs");
    let mut calls = Vec::new();
    for (i, t) in texts.iter().enumerate() {
        let mut c = if i % 2 == 0 { a.clone() } else { b.clone() };
        let req = IngestRequest {
            text: t.clone(),
            title: format!("part {i}"),
            ..Default::default()
        };
        calls.push(tokio::spawn(async move {
            c.ingest(req).await.map(|r| r.into_inner())
        }));
    }
    for c in [&mut a, &mut b] {
        let mut c = c.clone();
        let req = IngestRequest {
            text: SAMPLE.into(),
            title: SAMPLE_TITLE.into(),
            ..Default::default()
        };
        calls.push(tokio::spawn(async move {
            c.ingest(req).await.map(|r| r.into_inner())
        }));
    }
    let mut answers = Vec::new();
    for c in calls {
        answers.push(c.await.unwrap().expect("every concurrent ingest succeeds"));
    }
    let whole: Vec<&IngestResponse> = answers[texts.len()..].iter().collect();
    assert_eq!(
        whole[0].document_id, whole[1].document_id,
        "one text, one document"
    );
    assert_eq!(whole[0].event_count, whole[1].event_count);

    // one document per distinct text, listed once
    let listed = a
        .list_documents(ListDocumentsRequest {
            page_size: 1000,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner()
        .documents;
    let ids: HashSet<&str> = listed.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(listed.len(), texts.len() + 1, "{listed:#?}");
    assert_eq!(ids.len(), listed.len());

    // both timelines see the same events: each document's, once
    let mut t1 = TimelineServiceClient::new(connect(&suite.timeline).await);
    let mut t2 = TimelineServiceClient::new(connect(&timeline2).await);
    let (e1, e2) = (
        timeline_events(&mut t1).await,
        timeline_events(&mut t2).await,
    );
    assert_eq!(e1, e2, "the replicas answer alike");
    let expected: u32 = answers[..texts.len()]
        .iter()
        .map(|r| r.event_count)
        .sum::<u32>()
        + whole[0].event_count;
    assert_eq!(e1.len() as u32, expected, "no event lost or doubled");
    let unique: HashSet<&str> = e1.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(unique.len(), e1.len(), "no event id twice");
    // the paragraphs and the whole text report the same events: linked, across replicas
    assert!(
        e1.iter().any(|e| !e.same_as.is_empty()),
        "reports of one event by two documents are linked"
    );
    for e in e1.iter().filter(|e| !e.same_as.is_empty()) {
        let first = e1
            .iter()
            .find(|x| x.id == e.same_as)
            .expect("the first report is stored");
        assert!(first.same_as.is_empty() && first.also_reported_as.contains(&e.id));
    }

    ingest2.stop().await;
    timeline2.stop().await;
    suite.shutdown().await;
    drop(pg);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_database_dying_mid_ingest_is_unavailable_and_the_retry_succeeds() {
    let Some(pg) =
        Postgres::start("the_database_dying_mid_ingest_is_unavailable_and_the_retry_succeeds")
    else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let suite = Suite::start_with(dir.path(), pg.options()).await;
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

    // a long text (the extraction takes a while), and the database killed while it runs
    let long: String = (0..12)
        .map(|i| SAMPLE.replace("2015", &(2000 + i).to_string()))
        .collect::<Vec<_>>()
        .join("\n\n");
    let doc = IngestDocumentRequest {
        text: long,
        title: "long".into(),
        ..Default::default()
    };
    let mut c2 = c.clone();
    let pending = tokio::spawn({
        let doc = doc.clone();
        async move { c2.ingest(doc).await }
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        !pending.is_finished(),
        "the ingest was still running when the database died"
    );
    pg.kill();
    let e = pending
        .await
        .unwrap()
        .expect_err("the ingest cannot be acknowledged without its database");
    assert_eq!(e.code(), tonic::Code::Unavailable, "{e:?}");

    // while it is down: readiness fails (the gateway's status says so), reads are UNAVAILABLE
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let s = c.status(GetStatusRequest {}).await.unwrap().into_inner();
        if s.backends
            .iter()
            .any(|b| b.backend == "timeline" && !b.serving)
            && s.backends
                .iter()
                .any(|b| b.backend == "ingest" && !b.serving)
        {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "readiness did not follow the database: {s:?}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let down = c.events(ListEventsRequest::default()).await;
    let code = match down {
        Err(e) => e.code(),
        Ok(r) => r
            .into_inner()
            .next()
            .await
            .expect("an answer")
            .expect_err("no events without the database")
            .code(),
    };
    assert_eq!(code, tonic::Code::Unavailable);

    // back: nothing of the failed ingest is visible, the first document is whole
    pg.start_server();
    let deadline = Instant::now() + Duration::from_secs(30);
    let events = loop {
        match c
            .events(ListEventsRequest {
                include_duplicates: true,
                ..Default::default()
            })
            .await
        {
            Ok(r) => {
                let mut s = r.into_inner();
                let mut out = Vec::new();
                let mut failed = false;
                while let Some(p) = s.next().await {
                    match p {
                        Ok(p) => out.extend(p.events),
                        Err(_) => failed = true,
                    }
                }
                if !failed {
                    break out;
                }
            }
            Err(e) => assert!(
                Instant::now() < deadline,
                "the timeline did not come back: {e:?}"
            ),
        }
        assert!(Instant::now() < deadline, "the timeline did not come back");
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    let docs: HashSet<&str> = events.iter().map(|e| e.document_id.as_str()).collect();
    assert_eq!(
        docs,
        HashSet::from([first.document_id.as_str()]),
        "only the acknowledged document"
    );
    assert_eq!(events.len() as u32, first.event_count);
    let mut ingest = ingest_client(&suite.ingest).await;
    let listed = ingest
        .list_documents(ListDocumentsRequest::default())
        .await
        .unwrap()
        .into_inner()
        .documents;
    assert_eq!(
        listed.len(),
        1,
        "the failed ingest is not listed: {listed:?}"
    );

    // the retry succeeds, whole; once more, a duplicate
    let r = c
        .ingest(doc.clone())
        .await
        .expect("the retry succeeds")
        .into_inner()
        .result
        .unwrap();
    assert!(!r.duplicate && r.event_count > first.event_count);
    let mine = sitrep_tests::list_events(
        &mut c,
        ListEventsRequest {
            document_id: r.document_id.clone(),
            ..Default::default()
        },
    )
    .await;
    assert_eq!(mine.len() as u32, r.event_count);
    let again = c.ingest(doc).await.unwrap().into_inner().result.unwrap();
    assert!(again.duplicate && again.document_id == r.document_id);
    suite.shutdown().await;
    drop(pg);
}
