//! Compiles `proto/sitrep/**/*.proto` with protox (no system `protoc`), generates prost messages,
//! tonic clients and servers, pbjson serde impls (proto3 JSON mapping), and writes the encoded
//! descriptor set to `OUT_DIR` for server reflection.

use std::path::PathBuf;

use prost::Message;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../proto");
    let out = PathBuf::from(std::env::var("OUT_DIR")?);
    println!("cargo:rerun-if-changed={}", root.display());

    let files = ["event", "ingest", "gazetteer", "timeline", "gateway"]
        .map(|f| root.join(format!("sitrep/v1/{f}.proto")));
    for f in &files {
        println!("cargo:rerun-if-changed={}", f.display());
    }
    let fds = protox::compile(&files, [&root])?;
    let descriptor_path = out.join("sitrep_descriptor.bin");
    std::fs::write(&descriptor_path, fds.encode_to_vec())?;

    tonic_prost_build::configure()
        .build_client(true)
        .build_server(true)
        .compile_fds(fds)?;

    let descriptors = std::fs::read(&descriptor_path)?;
    pbjson_build::Builder::new()
        .register_descriptors(&descriptors)?
        .build(&[".sitrep"])?;
    Ok(())
}
