//! The statuses this crate answers itself, built here only.

use tonic::Status;

/// The status of a call that needs a token and does not carry the right one.
pub fn unauthenticated() -> Status {
    Status::unauthenticated("this call needs the header `authorization: Bearer <token>` with the gateway's token (sitrep: --token-file or SITREP_TOKEN)")
}
