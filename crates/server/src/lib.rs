//! Plumbing every sitrep server shares, so each service's `main` stays thin.
//!
//! # Layout
//! - [`telemetry`]: tracing set-up (env filter, text or JSON logs).
//! - [`grpc`]: [`grpc::serve_grpc`], the one server assembler: health, reflection v1 and v1alpha,
//!   request ids and spans, message-size limits, graceful shutdown.
//! - [`client`]: outgoing channels with timeouts, and requests that carry the caller's request id
//!   and remaining deadline.
//! - [`shutdown`]: SIGTERM / Ctrl-C as one future.
//! - [`metrics`]: Prometheus recorder, per-RPC request counters and latency histograms, gauges.
//! - [`security`]: TLS settings, tokens, and the bearer check as a tower layer
//!   ([`security::RequireTokenLayer`]) that servers apply where they are built.
//! - [`task`]: [`blocking`], the one `spawn_blocking` wrapper (a panicked task is
//!   [`TaskFailed`], which each service maps to its own error).
//! - [`error`]: the statuses this crate answers itself.

pub mod client;
pub mod error;
pub mod grpc;
pub mod metrics;
pub mod security;
pub mod shutdown;
pub mod task;
pub mod telemetry;

pub use grpc::{serve_grpc, GrpcOptions};
pub use shutdown::shutdown_signal;
pub use task::{blocking, TaskFailed};

/// Metadata key of the request id carried across service calls.
pub const REQUEST_ID: &str = "x-request-id";

/// Default cap on one gRPC message, both ways: a 10 MB document fits with room for its events.
pub const DEFAULT_MAX_MESSAGE_BYTES: usize = 16 * 1024 * 1024;
pub use tonic_health;
