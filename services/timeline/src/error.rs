//! The timeline's errors, mapped once to gRPC statuses.

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
    /// The PostgreSQL-protocol backend's failures.
    #[error(transparent)]
    Database(#[from] sitrep_store::pg::Error),
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
                tracing::error!(error = %t, "timeline task failed");
                Status::internal("timeline task failed")
            }
            Error::NotFound { .. } => Status::not_found(e.to_string()),
            Error::Database(sitrep_store::pg::Error::Unavailable(m)) => {
                tracing::warn!(error = %m, "timeline database unavailable");
                Status::unavailable(format!(
                    "timeline database unavailable ({m}); nothing was half-written: retry"
                ))
            }
            Error::Database(sitrep_store::pg::Error::BadValue(m)) => {
                Status::invalid_argument(format!("the timeline's database refused a value: {m}"))
            }
            Error::Storage(_)
            | Error::Corrupt(_)
            | Error::SchemaTooNew { .. }
            | Error::Database(_) => {
                tracing::error!(error = %e, "timeline internal error");
                Status::internal("timeline storage error; see the timeline's log")
            }
        }
    }
}
