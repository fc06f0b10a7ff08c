//! Outgoing calls: channels that connect lazily with timeouts, and requests that carry the
//! caller's request id and what is left of its deadline.

use std::time::Duration;

use tonic::metadata::MetadataMap;
use tonic::transport::{Channel, ClientTlsConfig, Endpoint};

/// A lazily connecting channel to `url` ("http://127.0.0.1:50052"). A backend that is down at
/// start-up is connected when it comes back; calls to it fail with UNAVAILABLE meanwhile.
/// An `https://` URL is called over TLS, verified with `tls` (see
/// [`crate::security::TlsArgs::client`]).
pub fn channel(
    url: &str,
    timeout: Duration,
    tls: Option<&ClientTlsConfig>,
) -> Result<Channel, tonic::transport::Error> {
    let mut endpoint = Endpoint::from_shared(url.to_string())?;
    if url.starts_with("https://") {
        endpoint = endpoint.tls_config(tls.cloned().unwrap_or_default())?;
    }
    Ok(endpoint
        .connect_timeout(Duration::from_secs(2))
        .timeout(timeout)
        .tcp_nodelay(true)
        .http2_keep_alive_interval(Duration::from_secs(30))
        .keep_alive_while_idle(true)
        .connect_lazy())
}

/// The `grpc-timeout` of an incoming call, if the caller set one.
pub fn incoming_deadline(meta: &MetadataMap) -> Option<Duration> {
    let v = meta.get("grpc-timeout")?.to_str().ok()?;
    let (num, unit) = v.split_at(v.len().checked_sub(1)?);
    let n: u64 = num.parse().ok()?;
    Some(match unit {
        "H" => Duration::from_secs(n * 3600),
        "M" => Duration::from_secs(n * 60),
        "S" => Duration::from_secs(n),
        "m" => Duration::from_millis(n),
        "u" => Duration::from_micros(n),
        "n" => Duration::from_nanos(n),
        _ => return None,
    })
}

/// An outgoing request that carries the incoming call's request id, with a deadline no later
/// than the caller's (and no longer than `cap`).
pub fn outgoing<T>(message: T, incoming: &MetadataMap, cap: Duration) -> tonic::Request<T> {
    let mut req = tonic::Request::new(message);
    if let Some(id) = incoming.get(crate::REQUEST_ID) {
        req.metadata_mut().insert(crate::REQUEST_ID, id.clone());
    }
    let timeout = incoming_deadline(incoming).map_or(cap, |d| d.min(cap));
    req.set_timeout(timeout);
    req
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deadlines_and_request_ids_are_carried() {
        let mut meta = MetadataMap::new();
        meta.insert("grpc-timeout", "1500m".parse().unwrap());
        meta.insert(crate::REQUEST_ID, "abc".parse().unwrap());
        assert_eq!(incoming_deadline(&meta), Some(Duration::from_millis(1500)));
        let req = outgoing((), &meta, Duration::from_secs(10));
        assert_eq!(req.metadata().get(crate::REQUEST_ID).unwrap(), "abc");
        assert_eq!(req.metadata().get("grpc-timeout").unwrap(), "1500000u");
    }
}
