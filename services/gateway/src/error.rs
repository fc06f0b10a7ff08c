//! The gateway's errors, mapped once to gRPC statuses. Backend failures keep the backend's name.

use sitrep_proto::v1::BackendFailure;
use tonic::{Code, Status};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    InvalidArgument(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{service}: {}", status.message())]
    Backend {
        service: &'static str,
        status: Status,
    },
}

pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    pub fn backend(service: &'static str) -> impl Fn(Status) -> Error {
        move |status| Error::Backend { service, status }
    }

    /// The failure as reported inside a partial answer.
    pub fn failure(&self) -> BackendFailure {
        match self {
            Error::Backend { service, status } => BackendFailure {
                backend: service.to_string(),
                code: format!("{:?}", status.code()).to_uppercase(),
                message: status.message().to_string(),
            },
            Error::InvalidArgument(m) => BackendFailure {
                backend: "gateway".into(),
                code: "INVALID_ARGUMENT".into(),
                message: m.clone(),
            },
            Error::NotFound(m) => BackendFailure {
                backend: "gateway".into(),
                code: "NOT_FOUND".into(),
                message: m.clone(),
            },
        }
    }
}

impl From<Error> for Status {
    fn from(e: Error) -> Self {
        match e {
            Error::InvalidArgument(m) => Status::invalid_argument(m),
            Error::NotFound(m) => Status::not_found(m),
            Error::Backend { service, status }
                if status.message() == "Timeout expired"
                    || status.code() == Code::DeadlineExceeded =>
            {
                // the channel's deadline (the caller's, or the gateway's own cap) passed
                Status::deadline_exceeded(format!("{service} backend did not answer before the deadline: allow the call more time"))
            }
            Error::Backend { service, status } => {
                // the caller's own mistakes pass through; the rest name the backend
                let code = match status.code() {
                    Code::InvalidArgument
                    | Code::NotFound
                    | Code::ResourceExhausted
                    | Code::DeadlineExceeded
                    | Code::AlreadyExists
                    | Code::FailedPrecondition
                    | Code::Unauthenticated
                    | Code::PermissionDenied => status.code(),
                    Code::Unavailable | Code::Unknown | Code::Cancelled => Code::Unavailable,
                    _ => Code::Internal,
                };
                if code == Code::Unavailable || code == Code::Internal {
                    tracing::warn!(backend = service, code = ?status.code(), message = status.message(), "backend call failed");
                }
                Status::new(code, format!("{service} backend: {}", status.message()))
            }
        }
    }
}
