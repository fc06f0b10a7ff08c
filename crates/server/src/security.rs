//! Transport security and bearer tokens, shared by every server and client.
//!
//! A server that wants a token says so where it is built: a [`TokenRule`] and what each path
//! asks ([`Access`]), checked by [`RequireTokenLayer`] before any handler runs. A client adds
//! the token with the [`Bearer`] interceptor.
//!
//! TLS is optional and configured by file paths (PEM): a server presents `--tls-cert`/`--tls-key`;
//! a client verifies `https://` peers against `--tls-ca`. Tokens come from a file or an
//! environment variable, never from a flag's value (which `ps` would show).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::task::{Context, Poll};

use tonic::metadata::AsciiMetadataValue;
use tonic::service::Interceptor;
use tonic::transport::{Certificate, ClientTlsConfig, Identity, ServerTlsConfig};
use tonic::{Request, Status};

#[derive(Debug, thiserror::Error)]
pub enum SecurityError {
    #[error("reading {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{0}")]
    Invalid(String),
}

fn read(path: &Path) -> Result<Vec<u8>, SecurityError> {
    std::fs::read(path).map_err(|source| SecurityError::Read {
        path: path.display().to_string(),
        source,
    })
}

/// TLS settings of one process (each optional; TLS is off without them).
#[derive(Debug, Clone, Default, clap::Args)]
pub struct TlsArgs {
    /// PEM certificate (chain) this server presents; with --tls-key, the server speaks TLS only.
    #[arg(long = "tls-cert", env = "SITREP_TLS_CERT")]
    pub cert: Option<PathBuf>,
    /// PEM private key of --tls-cert.
    #[arg(long = "tls-key", env = "SITREP_TLS_KEY")]
    pub key: Option<PathBuf>,
    /// PEM certificate of the authority that signed the certificates of the services this one
    /// calls (at https:// URLs).
    #[arg(long = "tls-ca", env = "SITREP_TLS_CA")]
    pub ca: Option<PathBuf>,
}

impl TlsArgs {
    /// The server's TLS configuration, if a certificate and key are given.
    pub fn server(&self) -> Result<Option<ServerTlsConfig>, SecurityError> {
        match (&self.cert, &self.key) {
            (None, None) => Ok(None),
            (Some(c), Some(k)) => Ok(Some(
                ServerTlsConfig::new().identity(Identity::from_pem(read(c)?, read(k)?)),
            )),
            _ => Err(SecurityError::Invalid(
                "--tls-cert and --tls-key go together: give both or neither".into(),
            )),
        }
    }

    /// The client TLS configuration for calls to https:// URLs: the given authority, else the
    /// system's roots are not trusted implicitly, so a CA is required for https.
    pub fn client(&self) -> Result<Option<ClientTlsConfig>, SecurityError> {
        match &self.ca {
            None => Ok(None),
            Some(ca) => Ok(Some(
                ClientTlsConfig::new().ca_certificate(Certificate::from_pem(read(ca)?)),
            )),
        }
    }
}

/// A bearer token read from `file` if given, else from the environment variable `var`; `None`
/// when neither is set. Surrounding whitespace (a trailing newline) is not part of the token.
pub fn read_token(file: Option<&Path>, var: &str) -> Result<Option<String>, SecurityError> {
    let raw = match file {
        Some(f) => String::from_utf8(read(f)?)
            .map_err(|_| SecurityError::Invalid(format!("{} is not UTF-8", f.display())))?,
        None => match std::env::var(var) {
            Ok(v) => v,
            Err(_) => return Ok(None),
        },
    };
    let t = raw.trim();
    if t.is_empty() {
        return Err(SecurityError::Invalid(format!(
            "the token ({}) is empty",
            file.map_or(var.to_string(), |f| f.display().to_string())
        )));
    }
    if !t.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(SecurityError::Invalid(
            "a token is printable ASCII without spaces".into(),
        ));
    }
    Ok(Some(t.to_string()))
}

/// Whether `headers` carry `authorization: Bearer <token>`, compared in constant time.
pub fn bearer_matches(headers: &http::HeaderMap, token: &str) -> bool {
    let Some(v) = headers.get("authorization").and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let Some(given) = v
        .strip_prefix("Bearer ")
        .or_else(|| v.strip_prefix("bearer "))
    else {
        return false;
    };
    let (a, b) = (given.as_bytes(), token.as_bytes());
    let mut diff = a.len() ^ b.len();
    for i in 0..a.len().max(b.len()) {
        diff |= usize::from(a.get(i).copied().unwrap_or(0) ^ b.get(i).copied().unwrap_or(0));
    }
    diff == 0
}

/// What a call asks of the bearer token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Never needs it (health, status, the web page).
    Open,
    /// Needs it when reads are protected.
    Read,
    /// Needs it whenever a token is set.
    Write,
}

/// A server's token rule: the token that write calls (and, with `protect_reads`, read calls)
/// must carry. Without a token every call is open.
#[derive(Clone, Default)]
pub struct TokenRule {
    token: Option<Arc<str>>,
    protect_reads: bool,
}

impl std::fmt::Debug for TokenRule {
    // the token itself is never logged
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenRule")
            .field("token", &self.token.as_ref().map(|_| "…"))
            .field("protect_reads", &self.protect_reads)
            .finish()
    }
}

impl TokenRule {
    pub fn new(token: Option<Arc<str>>, protect_reads: bool) -> Self {
        TokenRule {
            token,
            protect_reads,
        }
    }

    /// Whether a call of this kind must carry the token.
    pub fn needs_token(&self, access: Access) -> bool {
        self.token.is_some()
            && match access {
                Access::Open => false,
                Access::Read => self.protect_reads,
                Access::Write => true,
            }
    }

    /// Refuse a call that needs the token and does not carry it.
    pub fn check(&self, headers: &http::HeaderMap, access: Access) -> Result<(), Status> {
        match &self.token {
            Some(token) if self.needs_token(access) && !bearer_matches(headers, token) => {
                Err(crate::error::unauthenticated())
            }
            _ => Ok(()),
        }
    }
}

/// How a server answers a refused request: a gRPC status ([`grpc_refusal`]) or its own body.
pub type Refusal<B> = fn(Status, &http::HeaderMap) -> http::Response<B>;

/// A refused gRPC call: its status, trailers-only, as a handler's error is answered.
pub fn grpc_refusal<B: Default>(status: Status, _: &http::HeaderMap) -> http::Response<B> {
    status.into_http()
}

/// A tower layer that checks each request against a [`TokenRule`] before the service behind it
/// sees the request: `access` says what the request's path asks, `refuse` answers a refusal.
/// Applied where a server is built (see [`crate::GrpcOptions::with_tokens`]), so no handler
/// checks the token itself.
pub struct RequireTokenLayer<B> {
    rule: TokenRule,
    access: fn(&str) -> Access,
    refuse: Refusal<B>,
}

impl<B> RequireTokenLayer<B> {
    pub fn new(rule: TokenRule, access: fn(&str) -> Access, refuse: Refusal<B>) -> Self {
        RequireTokenLayer {
            rule,
            access,
            refuse,
        }
    }
}

impl<B> Clone for RequireTokenLayer<B> {
    fn clone(&self) -> Self {
        RequireTokenLayer {
            rule: self.rule.clone(),
            access: self.access,
            refuse: self.refuse,
        }
    }
}

impl<S, B> tower::Layer<S> for RequireTokenLayer<B> {
    type Service = RequireToken<S, B>;
    fn layer(&self, inner: S) -> RequireToken<S, B> {
        RequireToken {
            inner,
            layer: self.clone(),
        }
    }
}

/// The service of [`RequireTokenLayer`].
pub struct RequireToken<S, B> {
    inner: S,
    layer: RequireTokenLayer<B>,
}

impl<S: Clone, B> Clone for RequireToken<S, B> {
    fn clone(&self) -> Self {
        RequireToken {
            inner: self.inner.clone(),
            layer: self.layer.clone(),
        }
    }
}

impl<S, Q, B> tower::Service<http::Request<Q>> for RequireToken<S, B>
where
    S: tower::Service<http::Request<Q>, Response = http::Response<B>>,
{
    type Response = http::Response<B>;
    type Error = S::Error;
    type Future = futures::future::Either<
        futures::future::Ready<Result<http::Response<B>, S::Error>>,
        S::Future,
    >;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: http::Request<Q>) -> Self::Future {
        use futures::future::{ready, Either};
        let access = (self.layer.access)(req.uri().path());
        match self.layer.rule.check(req.headers(), access) {
            Ok(()) => Either::Right(self.inner.call(req)),
            Err(status) => Either::Left(ready(Ok((self.layer.refuse)(status, req.headers())))),
        }
    }
}

/// A client interceptor that adds `authorization: Bearer <token>` when a token is set.
#[derive(Clone, Default)]
pub struct Bearer(Option<AsciiMetadataValue>);

impl Bearer {
    pub fn new(token: Option<&str>) -> Result<Self, SecurityError> {
        match token {
            None => Ok(Bearer(None)),
            Some(t) => format!("Bearer {t}")
                .parse()
                .map(|v| Bearer(Some(v)))
                .map_err(|_| {
                    SecurityError::Invalid("the token is not a valid header value".into())
                }),
        }
    }
}

impl Interceptor for Bearer {
    fn call(&mut self, mut req: Request<()>) -> Result<Request<()>, Status> {
        if let Some(v) = &self.0 {
            req.metadata_mut().insert("authorization", v.clone());
        }
        Ok(req)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearer_tokens_match_exactly() {
        let mut m = http::HeaderMap::new();
        assert!(!bearer_matches(&m, "s3cret"));
        m.insert("authorization", "Bearer s3cret".parse().unwrap());
        assert!(bearer_matches(&m, "s3cret"));
        assert!(!bearer_matches(&m, "s3cre"));
        assert!(!bearer_matches(&m, "s3cret!"));
        m.insert("authorization", "Basic s3cret".parse().unwrap());
        assert!(!bearer_matches(&m, "s3cret"));
    }

    #[test]
    fn the_rule_asks_the_token_of_writes_and_of_protected_reads_only() {
        let open = TokenRule::default();
        let writes = TokenRule::new(Some("s3cret".into()), false);
        let all = TokenRule::new(Some("s3cret".into()), true);
        for access in [Access::Open, Access::Read, Access::Write] {
            assert!(!open.needs_token(access));
            assert_eq!(all.needs_token(access), access != Access::Open);
            assert_eq!(writes.needs_token(access), access == Access::Write);
        }
        let mut with = http::HeaderMap::new();
        with.insert("authorization", "Bearer s3cret".parse().unwrap());
        let without = http::HeaderMap::new();
        assert!(writes.check(&with, Access::Write).is_ok());
        assert!(writes.check(&without, Access::Read).is_ok());
        let refused = writes.check(&without, Access::Write).unwrap_err();
        assert_eq!(refused.code(), tonic::Code::Unauthenticated);
        assert!(refused.message().contains("authorization: Bearer"));
        assert!(
            !format!("{all:?}").contains("s3cret"),
            "the token is not logged"
        );
    }

    /// A service that answers "served".
    struct Served;

    impl tower::Service<http::Request<()>> for Served {
        type Response = http::Response<String>;
        type Error = std::convert::Infallible;
        type Future = std::future::Ready<Result<http::Response<String>, Self::Error>>;
        fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
            Poll::Ready(Ok(()))
        }
        fn call(&mut self, _: http::Request<()>) -> Self::Future {
            std::future::ready(Ok(http::Response::new("served".into())))
        }
    }

    #[tokio::test]
    async fn the_layer_refuses_before_the_service_runs_and_passes_the_rest() {
        use tower::{Layer, Service};
        let layer = RequireTokenLayer::new(
            TokenRule::new(Some("s3cret".into()), false),
            |path| match path {
                "/write" => Access::Write,
                _ => Access::Read,
            },
            grpc_refusal::<String>,
        );
        let mut svc = layer.layer(Served);
        let call = |path: &str, token: Option<&str>| {
            let mut req = http::Request::builder().uri(path);
            if let Some(t) = token {
                req = req.header("authorization", format!("Bearer {t}"));
            }
            req.body(()).unwrap()
        };
        let refused = svc.call(call("/write", None)).await.unwrap();
        assert_eq!(refused.headers()["grpc-status"], "16");
        assert_eq!(refused.body(), "", "the service did not run");
        let wrong = svc.call(call("/write", Some("guess"))).await.unwrap();
        assert_eq!(wrong.headers()["grpc-status"], "16");
        let served = svc.call(call("/write", Some("s3cret"))).await.unwrap();
        assert_eq!(served.body(), "served");
        let read = svc.call(call("/read", None)).await.unwrap();
        assert_eq!(read.body(), "served");
    }

    #[test]
    fn tokens_come_from_a_file_trimmed() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("token");
        std::fs::write(&f, "abc123\n").unwrap();
        assert_eq!(
            read_token(Some(&f), "SITREP_TEST_NO_SUCH_VAR")
                .unwrap()
                .as_deref(),
            Some("abc123")
        );
        std::fs::write(&f, "  \n").unwrap();
        assert!(read_token(Some(&f), "X").is_err());
        assert_eq!(read_token(None, "SITREP_TEST_NO_SUCH_VAR").unwrap(), None);
        assert!(TlsArgs {
            cert: Some(f.clone()),
            key: None,
            ca: None
        }
        .server()
        .is_err());
    }
}
