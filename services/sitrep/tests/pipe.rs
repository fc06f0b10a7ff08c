//! A reader that stops reading (`sitrep timex FILE --json | head -1`) ends the command quietly:
//! exit 0, no panic.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

#[test]
fn a_closed_pipe_ends_the_output_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("long.txt");
    let mut f = std::fs::File::create(&file).unwrap();
    // far more output than a pipe buffers (64 KiB), so the writer meets the closed pipe
    for i in 0..20_000 {
        writeln!(f, "On {} May 2015, the army shelled the hills.", i % 28 + 1).unwrap();
    }
    drop(f);
    let mut child = Command::new(env!("CARGO_BIN_EXE_sitrep"))
        .args(["timex", file.to_str().unwrap(), "--json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(first.contains("\"value\""), "{first}");
    // the reader is gone (dropped above)
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "status {:?}, stderr {stderr}",
        out.status
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}
