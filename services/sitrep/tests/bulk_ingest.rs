//! `sitrep ingest DIR` end to end against the real `sitrep up`: a folder of text, HTML, JSONL and
//! CSV with bad documents among the good — an empty text, invalid UTF-8, an HTML page with no
//! text, a CSV row without its text column, an oversized document — each named with its own
//! error, the rest ingested, exit status 1; the same folder again: all duplicates.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn sitrep(gateway: &str, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_sitrep"))
        .arg("--gateway")
        .arg(gateway)
        .args(args)
        .output()
        .expect("run sitrep")
}

fn write_inputs(dir: &Path) {
    let note = |place: &str, day: u32| {
        format!("On {day} March 2016, regime forces shelled {place}, killing 2 civilians.")
    };
    std::fs::write(dir.join("a-report.txt"), note("Douma", 3)).unwrap();
    std::fs::write(dir.join("b-empty.txt"), "  \n").unwrap();
    std::fs::write(dir.join("c-latin1.txt"), b"Caf\xe9 shelled in Homs.").unwrap();
    std::fs::write(dir.join("d-oversized.txt"), "word ".repeat((13 << 20) / 5)).unwrap(); // 13 MiB: over the 12 MiB the service takes
    let para = "Rebel fighters attacked army positions near the town of Talbiseh on 4 March 2016, a monitor said, and the clashes went on into the night. ";
    std::fs::write(
        dir.join("e-article.html"),
        format!("<html><head><title>Talbiseh clashes</title><meta property=\"article:published_time\" content=\"2016-03-05\"></head><body><nav>Home | World</nav><article><p>{}</p><p>{}</p></article></body></html>", para.repeat(3), para.repeat(2)),
    )
    .unwrap();
    std::fs::write(
        dir.join("f-menu.html"),
        "<html><head><title>Index</title></head><body><nav>Home</nav></body></html>",
    )
    .unwrap();
    std::fs::write(
        dir.join("g-feed.jsonl"),
        format!(
            "{}\n{}\n",
            serde_json::json!({"text": note("Harasta", 6), "title": "Harasta"}),
            serde_json::json!({"title": "no text here"})
        ),
    )
    .unwrap();
    std::fs::write(
        dir.join("h-events.csv"),
        format!("# exported\nevent_id_cnty,event_date,source,notes\nSYR1,2016-03-07,SOHR,\"{}\"\nSYR2,2016-03-08,SOHR\n", note("Zamalka", 7)),
    )
    .unwrap();
}

#[test]
fn a_folder_with_bad_documents_ingests_the_good_and_names_the_bad() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("inputs");
    std::fs::create_dir(&inputs).unwrap();
    write_inputs(&inputs);
    let port = free_port();
    let gateway = format!("http://127.0.0.1:{port}");
    let up = Command::new(env!("CARGO_BIN_EXE_sitrep"))
        .args(["up", "--no-sample", "--bundled", "sample", "--data"])
        .arg(dir.path().join("data"))
        .args(["--gateway-addr", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start sitrep up");
    let _up = Stop(up);
    let deadline = Instant::now() + Duration::from_secs(90);
    while !sitrep(&gateway, &["health"]).status.success() {
        assert!(
            Instant::now() < deadline,
            "sitrep up did not serve within 90 s"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    let input = inputs.to_str().unwrap();
    let out = sitrep(&gateway, &["ingest", input, "--json"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(1),
        "a failed document makes exit status 1\n{stdout}\n{stderr}"
    );
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object a line"))
        .collect();
    let by_input = |end: &str| {
        lines
            .iter()
            .find(|v| v["input"].as_str().is_some_and(|i| i.ends_with(end)))
            .unwrap_or_else(|| panic!("no answer for {end}: {stdout}"))
    };
    for ok in [
        "a-report.txt",
        "e-article.html",
        "g-feed.jsonl:1",
        "h-events.csv:3 (row 1)",
    ] {
        let v = by_input(ok);
        assert!(
            v["documentId"]
                .as_str()
                .is_some_and(|d| d.starts_with("doc-")),
            "{ok} ingested: {v}"
        );
        assert!(
            v["eventCount"].as_u64().unwrap_or(0) >= 1,
            "{ok} has events: {v}"
        );
    }
    for (bad, code, says) in [
        ("b-empty.txt", "INVALID_ARGUMENT", "text is empty"),
        ("c-latin1.txt", "INVALID_ARGUMENT", "not valid UTF-8"),
        ("d-oversized.txt", "RESOURCE_EXHAUSTED", "split it"),
        ("f-menu.html", "INVALID_ARGUMENT", "no main text"),
        ("g-feed.jsonl:2", "INVALID_ARGUMENT", "no text field"),
        (
            "h-events.csv:4 (row 2)",
            "INVALID_ARGUMENT",
            "no text field",
        ),
    ] {
        let v = by_input(bad);
        assert_eq!(v["error"]["code"], code, "{bad}: {v}");
        assert!(
            v["error"]["message"]
                .as_str()
                .is_some_and(|m| m.contains(says)),
            "{bad}: {v}"
        );
    }
    assert!(
        stderr.contains("4 ingested") && stderr.contains("6 failed"),
        "the summary: {stderr}"
    );
    // the same folder again adds nothing
    let again = sitrep(&gateway, &["ingest", input]);
    let summary = String::from_utf8_lossy(&again.stdout);
    assert!(
        summary.contains("0 ingested") && summary.contains("4 duplicates"),
        "{summary}"
    );
}

/// Stops `sitrep up` (SIGTERM) when the test ends, passed or failed.
struct Stop(std::process::Child);

impl Drop for Stop {
    fn drop(&mut self) {
        let _ = Command::new("kill").arg(self.0.id().to_string()).status();
        let _ = self.0.wait();
    }
}
