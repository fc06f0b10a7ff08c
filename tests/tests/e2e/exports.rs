//! Every export format through the gateway, read back by an independent parser (Python's csv and
//! json modules, `tests/check_exports.py`).

use futures::StreamExt;
use sitrep_proto::v1::*;
use sitrep_tests::{Suite, SAMPLE, SAMPLE_TITLE};

async fn export(
    c: &mut gateway_service_client::GatewayServiceClient<tonic::transport::Channel>,
    format: ExportFormat,
    place: &str,
) -> Vec<u8> {
    let mut s = c
        .export(ExportRequest {
            format: format as i32,
            place: place.into(),
            ..Default::default()
        })
        .await
        .expect("export")
        .into_inner();
    let mut out = Vec::new();
    while let Some(p) = s.next().await {
        out.extend(p.expect("piece").data);
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exports_read_back_with_independent_parsers() {
    let dir = tempfile::tempdir().unwrap();
    let suite = Suite::start(&dir.path().join("data")).await;
    let mut c = suite.client().await;
    c.ingest(IngestDocumentRequest {
        text: SAMPLE.into(),
        title: SAMPLE_TITLE.into(),
        ..Default::default()
    })
    .await
    .unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(
        out.join("acled.csv"),
        export(&mut c, ExportFormat::AcledCsv, "").await,
    )
    .unwrap();
    std::fs::write(
        out.join("events.geojson"),
        export(&mut c, ExportFormat::Geojson, "").await,
    )
    .unwrap();
    std::fs::write(
        out.join("timeline.json"),
        export(&mut c, ExportFormat::Timelinejs, "").await,
    )
    .unwrap();
    std::fs::write(
        out.join("control.geojson"),
        export(&mut c, ExportFormat::ControlGeojson, "Tallat Mussa").await,
    )
    .unwrap();
    let bad = c
        .export(ExportRequest::default())
        .await
        .err()
        .map(|s| s.code());
    assert_eq!(bad, Some(tonic::Code::InvalidArgument));
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/check_exports.py");
    let r = std::process::Command::new("python3")
        .arg(script)
        .arg(&out)
        .output()
        .expect("python3");
    let text = String::from_utf8_lossy(&r.stdout);
    assert!(
        r.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&r.stderr)
    );
    suite.shutdown().await;
}
