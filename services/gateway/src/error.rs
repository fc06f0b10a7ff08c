//! The gateway's errors, mapped once to gRPC statuses. Backend failures keep the backend's name.

use sitrep_proto::v1::BackendFailure;
use tonic::{Code, Status};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    InvalidArgument(String),
    #[error("{0}")]
    NotFound(String),
    /// A request larger than the gateway accepts.
    #[error("{0}")]
    TooLarge(String),
    /// A path the HTTP API has, with a method it does not take.
    #[error("{0}")]
    Unimplemented(String),
    #[error("{service}: {}", status.message())]
    Backend {
        service: &'static str,
        status: Status,
    },
    /// A backend that could not be reached (its channel did not become ready): UNAVAILABLE.
    #[error("{service}: {message}")]
    Unreachable {
        service: &'static str,
        message: String,
    },
    /// A backend's answer that lacks what it must hold: INTERNAL.
    #[error("{service}: {message}")]
    Incomplete {
        service: &'static str,
        message: &'static str,
    },
}

pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    pub fn backend(service: &'static str) -> impl Fn(Status) -> Error {
        move |status| Error::Backend { service, status }
    }

    /// A backend's failure as the gateway answers it (for the items of a stream passed on).
    pub fn backend_status(service: &'static str) -> impl Fn(Status) -> Status {
        move |status| Error::Backend { service, status }.into()
    }

    /// The failure as reported inside a partial answer.
    pub fn failure(&self) -> BackendFailure {
        let gateway = |code: &str, message: &String| BackendFailure {
            backend: "gateway".into(),
            code: code.into(),
            message: message.clone(),
        };
        match self {
            Error::Unreachable { service, message } => BackendFailure {
                backend: service.to_string(),
                code: "UNAVAILABLE".into(),
                message: message.clone(),
            },
            Error::Incomplete { service, message } => BackendFailure {
                backend: service.to_string(),
                code: "INTERNAL".into(),
                message: message.to_string(),
            },
            Error::TooLarge(m) => gateway("RESOURCE_EXHAUSTED", m),
            Error::Unimplemented(m) => gateway("UNIMPLEMENTED", m),
            Error::Backend { service, status } => BackendFailure {
                backend: service.to_string(),
                code: format!("{:?}", status.code()).to_uppercase(),
                message: status.message().to_string(),
            },
            Error::InvalidArgument(m) => gateway("INVALID_ARGUMENT", m),
            Error::NotFound(m) => gateway("NOT_FOUND", m),
        }
    }
}

impl From<Error> for Status {
    fn from(e: Error) -> Self {
        match e {
            Error::InvalidArgument(m) => Status::invalid_argument(m),
            Error::NotFound(m) => Status::not_found(m),
            Error::TooLarge(m) => Status::resource_exhausted(m),
            Error::Unimplemented(m) => Status::unimplemented(m),
            // answered as the backend's own failure of that code would be
            Error::Unreachable { service, message } => Error::Backend {
                service,
                status: Status::unavailable(message),
            }
            .into(),
            Error::Incomplete { service, message } => Error::Backend {
                service,
                status: Status::internal(message),
            }
            .into(),
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
