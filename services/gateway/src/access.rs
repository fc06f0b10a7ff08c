//! Which gateway calls need the bearer token: writes whenever a token is set, reads when they
//! are protected (`--protect-reads`), the status never. The servers check it where they are
//! built — sitrep-server's `RequireTokenLayer` on the gRPC server (by method, [`grpc`]) and on
//! the HTTP API's routes (`http.rs` groups them by access) — before a call reaches a handler.

use sitrep_server::security::Access;

/// gRPC path prefix of the gateway's methods.
const SERVICE: &str = "/sitrep.v1.GatewayService/";

/// Methods that write.
pub const WRITES: &[&str] = &["Ingest", "IngestStream", "ImportPlaces", "MergePlace"];

/// Methods that read.
pub const READS: &[&str] = &[
    "Events",
    "Control",
    "PlaceDossier",
    "DocumentReport",
    "SearchPlaces",
    "Export",
    "ActorProfile",
    "Summary",
];

/// What a gRPC call to `path` asks of the token: the gateway's writes and reads as listed; its
/// `Status`, health, reflection and any path that is no method are open.
pub fn grpc(path: &str) -> Access {
    match path.strip_prefix(SERVICE) {
        Some(m) if WRITES.contains(&m) => Access::Write,
        Some(m) if READS.contains(&m) => Access::Read,
        _ => Access::Open,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_gateway_method_is_a_read_a_write_or_the_status() {
        let proto = include_str!("../../../proto/sitrep/v1/gateway.proto");
        let methods: Vec<&str> = proto
            .lines()
            .filter_map(|l| l.trim().strip_prefix("rpc "))
            .filter_map(|l| l.split('(').next())
            .map(str::trim)
            .collect();
        assert_eq!(methods.len(), WRITES.len() + READS.len() + 1, "{methods:?}");
        for m in methods {
            let access = grpc(&format!("{SERVICE}{m}"));
            match m {
                "Status" => assert_eq!(access, Access::Open),
                _ => assert!(
                    WRITES.contains(&m) || READS.contains(&m),
                    "{m} is neither a read nor a write: list it in access.rs"
                ),
            }
        }
        assert_eq!(grpc("/sitrep.v1.GatewayService/Ingest"), Access::Write);
        assert_eq!(grpc("/sitrep.v1.GatewayService/Events"), Access::Read);
        assert_eq!(grpc("/grpc.health.v1.Health/Check"), Access::Open);
        assert_eq!(grpc("/sitrep.v1.GatewayService/NoSuchMethod"), Access::Open);
    }
}
