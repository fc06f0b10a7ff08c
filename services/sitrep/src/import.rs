//! `sitrep places import FILE`: stream a GeoNames file to the gazetteer through the gateway, in
//! chunks of whole lines, with a progress line on stderr.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result};
use sitrep_proto::v1::ImportPlacesRequest;
use tokio_stream::wrappers::ReceiverStream;

const CHUNK: usize = 1 << 20;

/// Read `reader` and send chunks that end on a line break.
fn send_lines(
    reader: impl Read,
    tx: &tokio::sync::mpsc::Sender<ImportPlacesRequest>,
    sent: &mut u64,
    total: u64,
    start: Instant,
) -> Result<()> {
    let mut r = BufReader::with_capacity(CHUNK, reader);
    let mut buf = Vec::with_capacity(CHUNK + 4096);
    loop {
        let n = r.read_until(b'\n', &mut buf)?;
        if n == 0 || buf.len() >= CHUNK {
            if !buf.is_empty() {
                *sent += buf.len() as u64;
                if tx
                    .blocking_send(ImportPlacesRequest {
                        chunk: std::mem::take(&mut buf),
                    })
                    .is_err()
                {
                    anyhow::bail!("the gateway closed the import stream");
                }
                let pct = if total > 0 {
                    100.0 * *sent as f64 / total as f64
                } else {
                    0.0
                };
                eprint!(
                    "\rsent {:.1} MB ({pct:.0}%) in {:.0} s",
                    *sent as f64 / 1e6,
                    start.elapsed().as_secs_f64()
                );
                let _ = std::io::stderr().flush();
            }
            if n == 0 {
                return Ok(());
            }
        }
    }
}

pub async fn run(gateway: &str, file: &Path) -> Result<()> {
    let mut c = crate::commands::client(gateway).await?;
    std::fs::metadata(file).with_context(|| format!("reading {}", file.display()))?;
    let path = file.to_path_buf();
    let (tx, rx) = tokio::sync::mpsc::channel(4);
    let start = Instant::now();
    let reader = tokio::task::spawn_blocking(move || -> Result<u64> {
        let f = std::fs::File::open(&path)?;
        let mut sent = 0u64;
        if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("zip"))
        {
            let mut z = zip::ZipArchive::new(f)
                .with_context(|| format!("{} is not a readable zip", path.display()))?;
            let total: u64 = (0..z.len())
                .filter_map(|i| z.by_index(i).ok().map(|e| e.size()))
                .sum();
            for i in 0..z.len() {
                let entry = z.by_index(i)?;
                if entry.name().ends_with(".txt")
                    && !entry.name().eq_ignore_ascii_case("readme.txt")
                {
                    send_lines(entry, &tx, &mut sent, total, start)?;
                }
            }
        } else {
            let total = f.metadata().map(|m| m.len()).unwrap_or(0);
            send_lines(f, &tx, &mut sent, total, start)?;
        }
        Ok(sent)
    });
    let answer = c.import_places(ReceiverStream::new(rx)).await;
    let sent = reader.await.context("reading the file")??;
    let r = answer
        .map_err(crate::commands::status)?
        .into_inner()
        .result
        .unwrap_or_default();
    let secs = start.elapsed().as_secs_f64();
    eprintln!();
    outln!(
        "{}: {} rows ({} inserted, {} updated, {} unchanged or skipped) from {:.1} MB in {secs:.1} s ({:.0} rows/s)",
        file.display(),
        r.rows,
        r.inserted,
        r.updated,
        r.skipped,
        sent as f64 / 1e6,
        r.rows as f64 / secs.max(0.001)
    );
    Ok(())
}
