//! The gazetteer's errors, mapped once to gRPC statuses.

use tonic::Status;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    InvalidArgument(String),
    #[error("{what} {id:?} not found")]
    NotFound { what: &'static str, id: String },
    #[error("storage: {0}")]
    Storage(#[from] sled::Error),
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    #[error("database schema version {found} is newer than this binary supports ({supported})")]
    SchemaTooNew { found: u32, supported: u32 },
    #[error("{0}")]
    FailedPrecondition(String),
    #[error("reading {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    /// A blocking task panicked (or was cancelled at shutdown).
    #[error(transparent)]
    Task(#[from] sitrep_server::TaskFailed),
}

pub type Result<T> = std::result::Result<T, Error>;

// `?` on a sled transaction: its abort as it was, sled's failure as Error::Storage
sitrep_store::transaction_error_from!(Error);

impl From<Error> for Status {
    fn from(e: Error) -> Self {
        match &e {
            Error::InvalidArgument(m) => Status::invalid_argument(m.clone()),
            Error::Task(t) => {
                tracing::error!(error = %t, "gazetteer task failed");
                Status::internal("gazetteer task failed")
            }
            Error::NotFound { .. } => Status::not_found(e.to_string()),
            Error::FailedPrecondition(m) => Status::failed_precondition(m.clone()),
            Error::Storage(_)
            | Error::Corrupt(_)
            | Error::SchemaTooNew { .. }
            | Error::Io { .. } => {
                tracing::error!(error = %e, "gazetteer internal error");
                Status::internal("gazetteer storage error; see the gazetteer's log")
            }
        }
    }
}
