//! The ingest service's errors, mapped once to gRPC statuses.

use sitrep_proto::v1::IngestError;
use tonic::{Code, Status};

#[derive(Debug, Clone, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    InvalidArgument(String),
    #[error("{0}")]
    TooLarge(String),
    #[error("{what} {id:?} not found")]
    NotFound { what: &'static str, id: String },
    #[error("storage: {0}")]
    Storage(#[from] sled::Error),
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    #[error("database schema version {found} is newer than this binary supports ({supported})")]
    SchemaTooNew { found: u32, supported: u32 },
    /// A backend service failed or could not be reached.
    #[error("{service}: {}", status.message())]
    Backend {
        service: &'static str,
        status: Status,
    },
    #[error("reading {path}: {message}")]
    Data { path: String, message: String },
    /// The PostgreSQL-protocol backend's failures.
    #[error(transparent)]
    Database(#[from] sitrep_store::pg::Error),
    /// The service is shutting down: the document was not taken.
    #[error("the ingest service is stopping; send the document again")]
    Stopping,
    /// A blocking task over the store panicked (or was cancelled at shutdown).
    #[error(transparent)]
    Task(#[from] sitrep_server::TaskFailed),
    /// The extraction of a document panicked: a bug of the coder, not of the store.
    #[error("extraction failed: {0}")]
    Extraction(sitrep_server::TaskFailed),
    /// An `IngestStream` call's inbound stream broke (a message that does not decode) after
    /// document `after`: its status, saying so.
    #[error("the stream broke after document {after}: {}", status.message())]
    StreamBroke { after: u64, status: Status },
}

impl Error {
    /// The same error again, for each document of a group that failed together.
    pub fn duplicate(&self) -> Error {
        self.clone()
    }

    /// The error as a document's answer inside a stream: its status's code and message.
    pub fn in_stream(self) -> IngestError {
        let status = Status::from(self);
        IngestError {
            code: code_name(status.code()).into(),
            message: status.message().into(),
        }
    }
}

/// A status code's name as gRPC spells it (`INVALID_ARGUMENT`), for answers inside a stream.
pub fn code_name(code: Code) -> &'static str {
    match code {
        Code::Ok => "OK",
        Code::Cancelled => "CANCELLED",
        Code::Unknown => "UNKNOWN",
        Code::InvalidArgument => "INVALID_ARGUMENT",
        Code::DeadlineExceeded => "DEADLINE_EXCEEDED",
        Code::NotFound => "NOT_FOUND",
        Code::AlreadyExists => "ALREADY_EXISTS",
        Code::PermissionDenied => "PERMISSION_DENIED",
        Code::ResourceExhausted => "RESOURCE_EXHAUSTED",
        Code::FailedPrecondition => "FAILED_PRECONDITION",
        Code::Aborted => "ABORTED",
        Code::OutOfRange => "OUT_OF_RANGE",
        Code::Unimplemented => "UNIMPLEMENTED",
        Code::Internal => "INTERNAL",
        Code::Unavailable => "UNAVAILABLE",
        Code::DataLoss => "DATA_LOSS",
        Code::Unauthenticated => "UNAUTHENTICATED",
    }
}

pub type Result<T> = std::result::Result<T, Error>;

// `?` on a sled transaction: its abort as it was, sled's failure as Error::Storage
sitrep_store::transaction_error_from!(Error);

impl From<Error> for Status {
    fn from(e: Error) -> Self {
        match e {
            Error::InvalidArgument(m) => Status::invalid_argument(m),
            Error::TooLarge(m) => Status::resource_exhausted(m),
            Error::NotFound { .. } => Status::not_found(e.to_string()),
            Error::Backend { service, status } => {
                let code = match status.code() {
                    Code::DeadlineExceeded => Code::DeadlineExceeded,
                    Code::InvalidArgument => Code::Internal,
                    _ => Code::Unavailable,
                };
                tracing::warn!(backend = service, code = ?status.code(), message = status.message(), "backend call failed");
                Status::new(
                    code,
                    format!(
                        "{service} backend: {} (nothing was lost: retry the ingest)",
                        status.message()
                    ),
                )
            }
            Error::Database(sitrep_store::pg::Error::Unavailable(m)) => {
                tracing::warn!(error = %m, "ingest database unavailable");
                Status::unavailable(format!(
                    "ingest database unavailable ({m}); nothing was lost: retry the ingest"
                ))
            }
            Error::Database(sitrep_store::pg::Error::BadValue(m)) => {
                Status::invalid_argument(format!("the ingest database refused a value: {m}"))
            }
            Error::Stopping => Status::unavailable(e.to_string()),
            Error::StreamBroke { ref status, .. } => Status::new(status.code(), e.to_string()),
            Error::Extraction(_) => {
                tracing::error!(error = %e, "ingest internal error");
                Status::internal(
                    "extraction failed: the document could not be processed; see the ingest service's log",
                )
            }
            Error::Storage(_)
            | Error::Corrupt(_)
            | Error::SchemaTooNew { .. }
            | Error::Data { .. }
            | Error::Task(_)
            | Error::Database(_) => {
                tracing::error!(error = %e, "ingest internal error");
                Status::internal("ingest storage error; see the ingest service's log")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sitrep_server::TaskFailed;

    #[test]
    fn a_panicked_extraction_is_internal_and_says_so_not_a_storage_error() {
        let panic = TaskFailed("task 7 panicked with message \"boom\"".into());
        let s = Status::from(Error::Extraction(panic.clone()));
        assert_eq!(s.code(), Code::Internal);
        assert!(
            s.message().starts_with("extraction failed"),
            "{}",
            s.message()
        );
        assert!(!s.message().contains("storage"), "{}", s.message());
        assert!(!s.message().contains("boom"), "the panic stays in the log");
        // a store task that panics is still the storage error
        let s = Status::from(Error::Task(panic));
        assert_eq!(s.code(), Code::Internal);
        assert_eq!(
            s.message(),
            "ingest storage error; see the ingest service's log"
        );
    }
}
