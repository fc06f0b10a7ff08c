//! sitrep's public contracts: the one wire format of the suite.
//!
//! # Layout
//! - [`v1`]: the generated messages, clients and servers of package `sitrep.v1`, with proto3
//!   JSON (serde) impls from pbjson.
//! - [`FILE_DESCRIPTOR_SET`]: the encoded descriptor set every server registers for reflection.
//! - [`ids`]: helpers for the identifiers that cross services.
//!
//! Services and the CLI depend on this crate and never run `include_proto!` themselves;
//! `tonic` and `prost` are re-exported so every crate shares one version.

pub use prost;
pub use tonic;

/// Package `sitrep.v1`. Breaking changes go to a new `v2` package beside it.
#[allow(clippy::all, clippy::pedantic, missing_docs, rustdoc::all)]
pub mod v1 {
    tonic::include_proto!("sitrep.v1");
    include!(concat!(env!("OUT_DIR"), "/sitrep.v1.serde.rs"));
}

/// Encoded `FileDescriptorSet` of every sitrep proto, for tonic-reflection.
pub const FILE_DESCRIPTOR_SET: &[u8] =
    include_bytes!(concat!(env!("OUT_DIR"), "/sitrep_descriptor.bin"));

pub mod ids;

/// An event kind's name without its prefix ("CAPTURE"); "UNSPECIFIED" for a number no kind has.
pub fn kind_name(kind: i32) -> &'static str {
    v1::EventKind::try_from(kind)
        .map(|k| k.as_str_name().trim_start_matches("EVENT_KIND_"))
        .unwrap_or("UNSPECIFIED")
}
