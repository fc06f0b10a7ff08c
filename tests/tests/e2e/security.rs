//! Access control and TLS end to end: write calls need the gateway's token when one is set,
//! reads need it only when protected, and the whole suite runs over TLS.

use sitrep_proto::v1::*;
use sitrep_tests::{Options, Suite, SAMPLE, SAMPLE_TITLE};

const TOKEN: &str = "k7-test-token-2f9a";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writes_need_the_token_and_reads_are_open_unless_protected() {
    let dir = tempfile::tempdir().unwrap();
    let suite = Suite::start_with(
        dir.path(),
        Options {
            token: Some(TOKEN.into()),
            ..Default::default()
        },
    )
    .await;
    let doc = || IngestDocumentRequest {
        text: "On 3 June 2015, Hezbollah captured Flita.".into(),
        title: "Qalamoun".into(),
        ..Default::default()
    };
    let mut anon = suite.client().await;
    let e = anon.ingest(doc()).await.unwrap_err();
    assert_eq!(e.code(), tonic::Code::Unauthenticated, "{e:?}");
    assert!(
        e.message().contains("authorization: Bearer"),
        "the message says what to send: {}",
        e.message()
    );
    let e = anon
        .merge_place(MergePlaceRequest {
            from_id: "prov:x".into(),
            into_id: "geonames:1".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(e.code(), tonic::Code::Unauthenticated);
    let stream = futures::stream::iter([IngestStreamRequest {
        document: Some(IngestRequest {
            text: doc().text,
            ..Default::default()
        }),
        ..Default::default()
    }]);
    let e = anon.ingest_stream(stream).await.map(|_| ()).unwrap_err();
    assert_eq!(
        e.code(),
        tonic::Code::Unauthenticated,
        "a stream of writes needs the token too"
    );
    let mut wrong = suite.client_with_token("not-the-token").await;
    assert_eq!(
        wrong.ingest(doc()).await.unwrap_err().code(),
        tonic::Code::Unauthenticated
    );
    // nothing was written by the refused calls
    assert!(
        sitrep_tests::list_events(&mut anon, ListEventsRequest::default())
            .await
            .is_empty()
    );
    let mut ok = suite.client_with_token(TOKEN).await;
    let r = ok.ingest(doc()).await.unwrap().into_inner().result.unwrap();
    assert!(r.event_count >= 1);
    // reads stay open; health too
    assert!(
        anon.status(GetStatusRequest {})
            .await
            .unwrap()
            .into_inner()
            .serving
    );
    assert!(anon
        .document_report(GetDocumentReportRequest {
            document_id: r.document_id.clone()
        })
        .await
        .is_ok());
    suite.shutdown().await;

    // protected reads: the same data, now only with the token
    let suite = Suite::start_with(
        dir.path(),
        Options {
            token: Some(TOKEN.into()),
            protect_reads: true,
            ..Default::default()
        },
    )
    .await;
    let mut anon = suite.client().await;
    let e = anon
        .document_report(GetDocumentReportRequest {
            document_id: r.document_id.clone(),
        })
        .await
        .unwrap_err();
    assert_eq!(e.code(), tonic::Code::Unauthenticated);
    assert!(
        anon.status(GetStatusRequest {}).await.is_ok(),
        "health stays open for probes"
    );
    let mut ok = suite.client_with_token(TOKEN).await;
    assert!(ok
        .document_report(GetDocumentReportRequest {
            document_id: r.document_id
        })
        .await
        .is_ok());
    suite.shutdown().await;
}

/// A private authority and a certificate for 127.0.0.1 and localhost, as PEM files in `dir`.
fn certificates(dir: &std::path::Path) -> sitrep_server::security::TlsArgs {
    let ca_key = rcgen::KeyPair::generate().unwrap();
    let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "sitrep test authority");
    let ca = ca_params.self_signed(&ca_key).unwrap();
    let key = rcgen::KeyPair::generate().unwrap();
    let params =
        rcgen::CertificateParams::new(vec!["localhost".to_string(), "127.0.0.1".to_string()])
            .unwrap();
    let cert = params.signed_by(&key, &ca, &ca_key).unwrap();
    let (c, k, a) = (
        dir.join("server.pem"),
        dir.join("server.key"),
        dir.join("ca.pem"),
    );
    std::fs::write(&c, cert.pem()).unwrap();
    std::fs::write(&k, key.serialize_pem()).unwrap();
    std::fs::write(&a, ca.pem()).unwrap();
    sitrep_server::security::TlsArgs {
        cert: Some(c),
        key: Some(k),
        ca: Some(a),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_suite_runs_over_tls() {
    let dir = tempfile::tempdir().unwrap();
    let certs = tempfile::tempdir().unwrap();
    let tls = certificates(certs.path());
    let suite = Suite::start_with(
        dir.path(),
        Options {
            tls: Some(tls),
            ..Default::default()
        },
    )
    .await;
    let mut c = suite.client().await;
    // gateway → ingest → gazetteer and timeline, every hop over TLS
    let r = c
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
    assert!(r.event_count >= 15);
    let control = c
        .control(GetControlRequest {
            place: "Tallat Mussa".into(),
            date: "2015-05-14".into(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(control.side, "Syrian government");
    // a plaintext client is refused by the TLS server
    let plain = tonic::transport::Endpoint::from_shared(suite.gateway.url())
        .unwrap()
        .connect()
        .await;
    let refused = match plain {
        Err(_) => true,
        Ok(ch) => gateway_service_client::GatewayServiceClient::new(ch)
            .status(GetStatusRequest {})
            .await
            .is_err(),
    };
    assert!(refused, "plaintext must not reach a TLS gateway");
    suite.shutdown().await;
}
