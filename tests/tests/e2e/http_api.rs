//! The gateway's HTTP layer with a plain HTTP client: every endpoint of the JSON API, every
//! error status it maps, the token rules, the page and its safety headers.

use serde_json::{json, Value};
use sitrep_proto::v1::*;
use sitrep_tests::{http, list_events, HttpAnswer, Options, Suite, SAMPLE, SAMPLE_TITLE};

const TOKEN: &str = "h7-http-test-token-41c2";

async fn get(suite: &Suite, path: &str) -> HttpAnswer {
    http(suite.http, "GET", path, &[], b"").await
}

async fn post(suite: &Suite, path: &str, body: &Value, token: Option<&str>) -> HttpAnswer {
    let auth = token.map(|t| format!("Bearer {t}"));
    let mut headers = vec![("content-type", "application/json")];
    if let Some(a) = &auth {
        headers.push(("authorization", a.as_str()));
    }
    http(
        suite.http,
        "POST",
        path,
        &headers,
        body.to_string().as_bytes(),
    )
    .await
}

/// An error answer: its status, a JSON body naming the gRPC code, a message and the request id.
fn expect_error(r: &HttpAnswer, status: u16, code: &str) -> String {
    assert_eq!(r.status, status, "{}", r.text());
    assert_eq!(r.header("content-type"), Some("application/json"));
    let b = r.json();
    assert_eq!(b["code"], code, "{b}");
    let message = b["message"].as_str().expect("a message").to_string();
    assert!(!message.is_empty());
    assert_eq!(
        b["requestId"].as_str(),
        r.header("x-request-id"),
        "the body names the request id the log has"
    );
    message
}

async fn ingest_sample(suite: &Suite) -> (String, u64) {
    let r = post(
        suite,
        "/api/v1/ingest",
        &json!({"text": SAMPLE, "title": SAMPLE_TITLE}),
        None,
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let b = r.json();
    let id = b["result"]["documentId"]
        .as_str()
        .expect("documentId")
        .to_string();
    (id, b["result"]["eventCount"].as_u64().expect("eventCount"))
}

fn ids(v: &Value) -> Vec<String> {
    v["events"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| e["id"].as_str().unwrap().to_string())
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_endpoint_answers_in_proto3_json() {
    let dir = tempfile::tempdir().unwrap();
    let suite = Suite::start(dir.path()).await;
    let (doc, n) = ingest_sample(&suite).await;
    assert!(n >= 20, "the sample has its events: {n}");

    // events: one page, in the proto3 JSON mapping, the same events as gRPC's Events
    let r = get(&suite, &format!("/api/v1/events?document={doc}")).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.header("content-type"), Some("application/json"));
    let page = r.json();
    let first = &page["events"][0];
    assert!(
        first["kind"].as_str().unwrap().starts_with("EVENT_KIND_"),
        "enums by name: {first}"
    );
    assert!(
        first["documentId"].is_string() && first["when"]["earliest"].is_string(),
        "lowerCamelCase fields: {first}"
    );
    let mut grpc = suite.client().await;
    let want: Vec<String> = list_events(
        &mut grpc,
        ListEventsRequest {
            document_id: doc.clone(),
            ..Default::default()
        },
    )
    .await
    .into_iter()
    .map(|e| e.id)
    .collect();
    assert_eq!(ids(&page), want);
    assert_eq!(want.len() as u64, n);

    // paging: small pages, followed by their token, give every event once
    let mut seen = Vec::new();
    let mut token = String::new();
    for _ in 0..100 {
        let path = format!(
            "/api/v1/events?page_size=7{}",
            if token.is_empty() {
                String::new()
            } else {
                format!("&page_token={token}")
            }
        );
        let p = get(&suite, &path).await.json();
        assert!(p["events"].as_array().map_or(0, |a| a.len()) <= 7);
        seen.extend(ids(&p));
        token = p["nextPageToken"].as_str().unwrap_or("").to_string();
        if token.is_empty() {
            break;
        }
    }
    let all: Vec<String> = list_events(&mut grpc, ListEventsRequest::default())
        .await
        .into_iter()
        .map(|e| e.id)
        .collect();
    assert_eq!(seen, all);

    // filters: kind (any spelling), place by name, period
    let captures = get(&suite, "/api/v1/events?kind=capture").await.json();
    let kinds: Vec<&str> = captures["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert!(
        !kinds.is_empty() && kinds.iter().all(|k| *k == "EVENT_KIND_CAPTURE"),
        "{kinds:?}"
    );
    let grpc_captures = list_events(
        &mut grpc,
        ListEventsRequest {
            kind: EventKind::Capture as i32,
            ..Default::default()
        },
    )
    .await;
    assert_eq!(kinds.len(), grpc_captures.len());
    assert_eq!(
        ids(&get(&suite, "/api/v1/events?kind=EVENT_KIND_CAPTURE")
            .await
            .json())
        .len(),
        kinds.len()
    );
    let may = get(
        &suite,
        "/api/v1/events?from=2015-05-01&to=2015-05-31&place=Tallat%20Mussa",
    )
    .await
    .json();
    assert!(!ids(&may).is_empty(), "Tallat Mussa in May 2015: {may}");

    // places
    let found = get(&suite, "/api/v1/places/search?q=Arsal&limit=3")
        .await
        .json();
    assert!(
        found["candidates"][0]["place"]["name"]
            .as_str()
            .unwrap()
            .contains("Arsal"),
        "{found}"
    );

    // control on a day, and its history
    let c = get(&suite, "/api/v1/control?place=Tallat%20Mussa&at=2015-05-14")
        .await
        .json();
    assert!(
        c["controller"].is_string() && c["place"]["name"].is_string(),
        "{c}"
    );
    let grpc_c = grpc
        .control(GetControlRequest {
            place: "Tallat Mussa".into(),
            date: "2015-05-14".into(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(c["controller"], grpc_c.controller);
    let h = get(&suite, "/api/v1/control/history?place=Tallat%20Mussa")
        .await
        .json();
    let intervals = h["intervals"].as_array().expect("intervals");
    assert!(intervals.iter().any(|i| i["since"] == "2015-05-13"), "{h}");
    let d = grpc
        .place_dossier(GetPlaceDossierRequest {
            place: "Tallat Mussa".into(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        intervals.len(),
        d.control.len(),
        "the history is the dossier's"
    );

    // dossier, actor, summary, document
    let dossier = get(
        &suite,
        "/api/v1/dossier?place=Arsal&radius_km=20&max_events=50",
    )
    .await
    .json();
    assert!(
        dossier["place"]["name"].as_str().unwrap().contains("Arsal")
            && dossier["events"].is_array(),
        "{dossier}"
    );
    let actor = get(&suite, "/api/v1/actors/hezbollah").await.json();
    assert_eq!(actor["actor"], "hezbollah", "{actor}");
    assert!(!actor["events"].as_array().unwrap().is_empty());
    let summary = get(&suite, "/api/v1/summary?region=Arsal&radius_km=50")
        .await
        .json();
    assert!(
        summary["summary"].is_object() && summary["region"]["name"].is_string(),
        "{summary}"
    );
    let boxed = get(&suite, "/api/v1/summary?bbox=33,35,35,37").await;
    assert_eq!(boxed.status, 200, "{}", boxed.text());
    let report = get(&suite, &format!("/api/v1/documents/{doc}"))
        .await
        .json();
    assert_eq!(report["document"]["title"], SAMPLE_TITLE);
    assert_eq!(report["events"].as_array().unwrap().len() as u64, n);

    // exports: each format with its type, as a download
    let geo = get(
        &suite,
        &format!("/api/v1/export?format=geojson&document={doc}"),
    )
    .await;
    assert_eq!(geo.status, 200);
    assert_eq!(geo.header("content-type"), Some("application/geo+json"));
    assert!(geo
        .header("content-disposition")
        .unwrap()
        .starts_with("attachment"));
    assert_eq!(geo.json()["type"], "FeatureCollection");
    let csv = get(&suite, "/api/v1/export?format=acled&kind=capture").await;
    assert_eq!(csv.header("content-type"), Some("text/csv; charset=utf-8"));
    assert!(
        csv.text().lines().count() > 1,
        "a header and rows: {}",
        csv.text()
    );
    let tl = get(&suite, "/api/v1/export?format=timelinejs").await.json();
    assert!(tl["events"].is_array(), "{tl}");
    let control = get(
        &suite,
        "/api/v1/export?format=control-geojson&place=Tallat%20Mussa",
    )
    .await
    .json();
    assert_eq!(control["type"], "FeatureCollection");

    // status; the request id a caller sends comes back
    let r = http(
        suite.http,
        "GET",
        "/api/v1/status",
        &[("x-request-id", "trace-me-123")],
        b"",
    )
    .await;
    assert_eq!(r.json()["serving"], true);
    assert_eq!(r.header("x-request-id"), Some("trace-me-123"));
    suite.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_requests_get_their_status_and_a_json_error() {
    let dir = tempfile::tempdir().unwrap();
    let mut suite = Suite::start(dir.path()).await;
    let (doc, _) = ingest_sample(&suite).await;

    // 400: the gateway's own validation, the timeline's limits, the HTTP layer's parameters
    let m = expect_error(
        &get(&suite, "/api/v1/events?from=2015-13-01").await,
        400,
        "INVALID_ARGUMENT",
    );
    assert!(m.contains("from"), "{m}");
    expect_error(
        &get(&suite, "/api/v1/events?from=2015-06-01&to=2015-05-01").await,
        400,
        "INVALID_ARGUMENT",
    );
    let m = expect_error(
        &get(&suite, "/api/v1/events?page_size=5000").await,
        400,
        "INVALID_ARGUMENT",
    );
    assert!(m.contains("page_size"), "{m}");
    let m = expect_error(
        &get(&suite, "/api/v1/events?kind=conquest").await,
        400,
        "INVALID_ARGUMENT",
    );
    assert!(m.contains("capture"), "the message lists the kinds: {m}");
    let m = expect_error(
        &get(&suite, "/api/v1/events?plcae=Arsal").await,
        400,
        "INVALID_ARGUMENT",
    );
    assert!(m.contains("plcae") && m.contains("place"), "{m}");
    expect_error(
        &get(&suite, "/api/v1/events?limit=-3").await,
        400,
        "INVALID_ARGUMENT",
    );
    expect_error(
        &get(&suite, "/api/v1/events?include_duplicates=maybe").await,
        400,
        "INVALID_ARGUMENT",
    );
    expect_error(
        &get(&suite, "/api/v1/control?place=Arsal").await,
        400,
        "INVALID_ARGUMENT",
    );
    expect_error(
        &get(&suite, "/api/v1/control?place=Arsal&at=yesterday").await,
        400,
        "INVALID_ARGUMENT",
    );
    expect_error(
        &get(&suite, "/api/v1/control?at=2015-05-14").await,
        400,
        "INVALID_ARGUMENT",
    );
    expect_error(
        &get(&suite, "/api/v1/control/history").await,
        400,
        "INVALID_ARGUMENT",
    );
    expect_error(
        &get(&suite, "/api/v1/dossier?place=Arsal&radius_km=9000").await,
        400,
        "INVALID_ARGUMENT",
    );
    expect_error(
        &get(&suite, "/api/v1/summary?bbox=1,2,3").await,
        400,
        "INVALID_ARGUMENT",
    );
    expect_error(
        &get(&suite, "/api/v1/summary?region=Arsal&radius_km=-1").await,
        400,
        "INVALID_ARGUMENT",
    );
    expect_error(
        &get(&suite, "/api/v1/export?format=pdf").await,
        400,
        "INVALID_ARGUMENT",
    );
    expect_error(
        &get(&suite, "/api/v1/export?format=control-geojson").await,
        400,
        "INVALID_ARGUMENT",
    );
    expect_error(
        &post(
            &suite,
            "/api/v1/ingest",
            &json!({"text": "", "title": "empty"}),
            None,
        )
        .await,
        400,
        "INVALID_ARGUMENT",
    );
    expect_error(
        &post(
            &suite,
            "/api/v1/ingest",
            &json!({"text": "x", "published": "someday"}),
            None,
        )
        .await,
        400,
        "INVALID_ARGUMENT",
    );
    let m = expect_error(
        &http(suite.http, "POST", "/api/v1/ingest", &[], b"{not json").await,
        400,
        "INVALID_ARGUMENT",
    );
    assert!(m.contains("JSON"), "{m}");
    expect_error(
        &post(
            &suite,
            "/api/v1/ingest",
            &json!({"txet": "On 3 June 2015 Hezbollah captured Flita."}),
            None,
        )
        .await,
        400,
        "INVALID_ARGUMENT",
    );
    expect_error(
        &http(suite.http, "POST", "/api/v1/ingest", &[], b"").await,
        400,
        "INVALID_ARGUMENT",
    );
    expect_error(
        &post(
            &suite,
            "/api/v1/places/merge",
            &json!({"fromId": "", "intoId": ""}),
            None,
        )
        .await,
        400,
        "INVALID_ARGUMENT",
    );

    // 404: unknown documents, actors, endpoints
    expect_error(
        &get(&suite, "/api/v1/documents/no-such-document").await,
        404,
        "NOT_FOUND",
    );
    expect_error(
        &get(&suite, "/api/v1/actors/nobody_at_all").await,
        404,
        "NOT_FOUND",
    );
    expect_error(&get(&suite, "/api/v1/nothing-here").await, 404, "NOT_FOUND");
    assert_eq!(get(&suite, "/no/such/page").await.status, 404);
    assert_eq!(get(&suite, "/assets/nothing.js").await.status, 404);
    // 409: a merge the gazetteer refuses (into a provisional place)
    let events = get(&suite, &format!("/api/v1/events?document={doc}"))
        .await
        .json();
    let mut provisional: Vec<String> = events["events"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|e| e["places"].as_array().cloned().unwrap_or_default())
        .filter_map(|p| p["id"].as_str().map(str::to_string))
        .filter(|id| id.starts_with("prov:"))
        .collect();
    provisional.sort();
    provisional.dedup();
    assert!(
        provisional.len() >= 2,
        "the sample has provisional places: {provisional:?}"
    );
    let m = expect_error(
        &post(
            &suite,
            "/api/v1/places/merge",
            &json!({"fromId": provisional[0], "intoId": provisional[1]}),
            None,
        )
        .await,
        409,
        "FAILED_PRECONDITION",
    );
    assert!(m.contains("provisional"), "{m}");
    // 405: a read endpoint posted to, a write endpoint read
    assert_eq!(
        http(suite.http, "POST", "/api/v1/events", &[], b"{}")
            .await
            .status,
        405
    );
    assert_eq!(get(&suite, "/api/v1/ingest").await.status, 405);
    // 413: a body larger than the gateway accepts (its gRPC message limit)
    let huge = vec![b'a'; sitrep_server::DEFAULT_MAX_MESSAGE_BYTES + 1024];
    let r = http(
        suite.http,
        "POST",
        "/api/v1/ingest",
        &[("content-type", "application/json")],
        &huge,
    )
    .await;
    expect_error(&r, 413, "RESOURCE_EXHAUSTED");

    // 503: a backend down is named; the rest recovers when it is back
    suite.stop_timeline().await;
    let m = expect_error(&get(&suite, "/api/v1/events").await, 503, "UNAVAILABLE");
    assert!(m.contains("timeline"), "{m}");
    // a partial answer is still a 200, with the failure inside
    let r = get(&suite, &format!("/api/v1/documents/{doc}")).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(
        r.text().contains("failures") && r.text().contains("timeline"),
        "{}",
        r.text()
    );
    suite.restart_timeline().await;
    suite.wait_healthy().await;
    assert_eq!(get(&suite, "/api/v1/events?limit=1").await.status, 200);
    suite.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_token_rules_are_grpcs() {
    let dir = tempfile::tempdir().unwrap();
    let suite = Suite::start_with(
        dir.path(),
        Options {
            token: Some(TOKEN.into()),
            ..Default::default()
        },
    )
    .await;
    let doc = json!({"text": "On 3 June 2015, Hezbollah captured Flita.", "title": "Qalamoun"});
    // writes: 401 with a challenge without the token or with a wrong one; nothing written
    let r = post(&suite, "/api/v1/ingest", &doc, None).await;
    let m = expect_error(&r, 401, "UNAUTHENTICATED");
    assert!(m.contains("Bearer"), "{m}");
    assert!(r.header("www-authenticate").unwrap().starts_with("Bearer"));
    expect_error(
        &post(&suite, "/api/v1/ingest", &doc, Some("wrong")).await,
        401,
        "UNAUTHENTICATED",
    );
    expect_error(
        &post(
            &suite,
            "/api/v1/places/merge",
            &json!({"fromId": "prov:x", "intoId": "geonames:1"}),
            None,
        )
        .await,
        401,
        "UNAUTHENTICATED",
    );
    assert!(ids(&get(&suite, "/api/v1/events").await.json()).is_empty());
    let r = post(&suite, "/api/v1/ingest", &doc, Some(TOKEN)).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let id = r.json()["result"]["documentId"]
        .as_str()
        .unwrap()
        .to_string();
    // reads open
    assert_eq!(get(&suite, "/api/v1/events").await.status, 200);
    assert_eq!(
        get(&suite, &format!("/api/v1/documents/{id}")).await.status,
        200
    );
    suite.shutdown().await;

    // protected reads: every API read needs it; the page, its files and the status do not
    let suite = Suite::start_with(
        dir.path(),
        Options {
            token: Some(TOKEN.into()),
            protect_reads: true,
            ..Default::default()
        },
    )
    .await;
    for path in [
        "/api/v1/events",
        "/api/v1/places/search?q=Arsal",
        "/api/v1/control?place=Flita&at=2015-06-04",
        "/api/v1/control/history?place=Flita",
        "/api/v1/dossier?place=Flita",
        "/api/v1/actors/hezbollah",
        "/api/v1/summary",
        "/api/v1/export?format=geojson",
    ] {
        expect_error(&get(&suite, path).await, 401, "UNAUTHENTICATED");
        let auth = format!("Bearer {TOKEN}");
        let r = http(suite.http, "GET", path, &[("authorization", &auth)], b"").await;
        assert_eq!(r.status, 200, "{path}: {}", r.text());
    }
    expect_error(
        &get(&suite, &format!("/api/v1/documents/{id}")).await,
        401,
        "UNAUTHENTICATED",
    );
    assert_eq!(get(&suite, "/").await.status, 200);
    assert_eq!(get(&suite, "/assets/app.js").await.status, 200);
    assert_eq!(
        get(&suite, "/api/v1/status").await.status,
        200,
        "health stays open for probes"
    );
    // the token is checked only where a route and its method match: no endpoint is still 404,
    // a wrong method 405
    expect_error(&get(&suite, "/api/v1/nothing-here").await, 404, "NOT_FOUND");
    assert_eq!(get(&suite, "/api/v1/ingest").await.status, 405);
    suite.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_is_served_with_its_safety_headers() {
    let dir = tempfile::tempdir().unwrap();
    let suite = Suite::start(dir.path()).await;
    let page = get(&suite, "/").await;
    assert_eq!(page.status, 200);
    assert_eq!(
        page.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    let csp = page.header("content-security-policy").expect("a CSP");
    assert!(
        csp.contains("default-src 'self'")
            && csp.contains("script-src 'self'")
            && !csp.contains("unsafe"),
        "{csp}"
    );
    assert_eq!(page.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(page.header("x-frame-options"), Some("DENY"));
    let html = page.text();
    assert!(
        !html.contains("<script>") && !html.contains("http://") && !html.contains("https://"),
        "no inline script, nothing from elsewhere"
    );
    // every file the page names is served with its type, and the API answers carry the headers too
    for part in html.split("/assets/").skip(1) {
        let path = format!("/assets/{}", &part[..part.find('"').unwrap()]);
        let r = get(&suite, &path).await;
        assert_eq!(r.status, 200, "{path}");
        let want = if path.ends_with(".js") {
            "text/javascript"
        } else {
            "text/css"
        };
        assert!(
            r.header("content-type").unwrap().starts_with(want),
            "{path}: {:?}",
            r.header("content-type")
        );
        assert!(!r.body.is_empty());
    }
    let outlines = get(&suite, "/assets/vendor/world-atlas/countries-50m.json").await;
    assert_eq!(outlines.json()["type"], "Topology");
    let api = get(&suite, "/api/v1/events").await;
    assert_eq!(api.header("x-content-type-options"), Some("nosniff"));
    assert!(api.header("content-security-policy").is_some());
    suite.shutdown().await;
}
