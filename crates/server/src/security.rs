//! Transport security and bearer tokens, shared by every server and client.
//!
//! TLS is optional and configured by file paths (PEM): a server presents `--tls-cert`/`--tls-key`;
//! a client verifies `https://` peers against `--tls-ca`. Tokens come from a file or an
//! environment variable, never from a flag's value (which `ps` would show).

use std::path::{Path, PathBuf};

use tonic::metadata::{AsciiMetadataValue, MetadataMap};
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

/// Whether `meta` carries `authorization: Bearer <token>`, compared in constant time.
pub fn bearer_matches(meta: &MetadataMap, token: &str) -> bool {
    let Some(v) = meta.get("authorization").and_then(|v| v.to_str().ok()) else {
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

/// The status of a call that needs a token and does not carry the right one.
pub fn unauthenticated() -> Status {
    Status::unauthenticated("this call needs the header `authorization: Bearer <token>` with the gateway's token (sitrep: --token-file or SITREP_TOKEN)")
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
        let mut m = MetadataMap::new();
        assert!(!bearer_matches(&m, "s3cret"));
        m.insert("authorization", "Bearer s3cret".parse().unwrap());
        assert!(bearer_matches(&m, "s3cret"));
        assert!(!bearer_matches(&m, "s3cre"));
        assert!(!bearer_matches(&m, "s3cret!"));
        m.insert("authorization", "Basic s3cret".parse().unwrap());
        assert!(!bearer_matches(&m, "s3cret"));
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
