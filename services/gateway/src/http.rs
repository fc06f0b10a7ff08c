//! HTTP on the gateway: a JSON API mirroring its gRPC calls (`/api/v1/…`, messages in the
//! proto3 JSON mapping) and the web page (`/`, its assets embedded in the binary: `web.rs`).
//!
//! Every API handler builds the gRPC request message from the query string or the body, calls
//! the same [`GatewayService`] method the gRPC server calls — validation and limits included
//! (the `x-request-id` header travels as its metadata) — and answers the method's message as
//! JSON. The token is checked before, by the layer of the route's kind ([`router`]), with the
//! rule and the message of the gRPC server's. A failed call's [`Status`] is mapped once, by
//! [`http_status`], to an HTTP status with a JSON body
//! `{"code": "INVALID_ARGUMENT", "message": "…", "requestId": "…"}`.
//!
//! Every response carries the safety headers of [`security_headers`]: a strict
//! Content-Security-Policy (no inline script, nothing from another origin), `nosniff`, no
//! framing, no referrer.

use std::future::Future;

use axum::body::{Body, Bytes};
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use futures::StreamExt;
use serde::Serialize;
use sitrep_proto::v1::gateway_service_server::GatewayService;
use sitrep_proto::v1::*;
use sitrep_server::security::{Access, RequireTokenLayer, TokenRule};
use tokio::net::TcpListener;
use tonic::{Code, Status};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::{DefaultOnResponse, TraceLayer};

use crate::error::{Error, Result};
use crate::service::Gateway;

/// The page's policy: scripts, styles, images and requests from this origin only (and images
/// the page draws itself as `data:`); no inline script or style attribute, no plugins, no
/// framing, forms post here only.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
     connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

/// The HTTP status of a gRPC code: the one mapping of the HTTP layer.
pub fn http_status(code: Code) -> StatusCode {
    match code {
        Code::Ok => StatusCode::OK,
        Code::InvalidArgument | Code::OutOfRange => StatusCode::BAD_REQUEST,
        Code::Unauthenticated => StatusCode::UNAUTHORIZED,
        Code::PermissionDenied => StatusCode::FORBIDDEN,
        Code::NotFound => StatusCode::NOT_FOUND,
        Code::AlreadyExists | Code::Aborted | Code::FailedPrecondition => StatusCode::CONFLICT,
        // sitrep's RESOURCE_EXHAUSTED is a request larger than the server accepts
        Code::ResourceExhausted => StatusCode::PAYLOAD_TOO_LARGE,
        Code::Unimplemented => StatusCode::NOT_IMPLEMENTED,
        Code::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        Code::DeadlineExceeded => StatusCode::GATEWAY_TIMEOUT,
        Code::Cancelled => StatusCode::from_u16(499).unwrap_or(StatusCode::BAD_REQUEST),
        Code::Unknown | Code::Internal | Code::DataLoss => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// gRPC's name of a code ("INVALID_ARGUMENT").
fn code_name(code: Code) -> String {
    let words = format!("{code:?}");
    let mut out = String::new();
    for (i, c) in words.char_indices() {
        if c.is_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_uppercase());
    }
    out
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ErrorBody<'a> {
    code: String,
    message: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    request_id: &'a str,
}

/// A failed call as an HTTP response.
fn error_response(status: &Status, request_id: &str) -> Response {
    let http = http_status(status.code());
    let body = ErrorBody {
        code: code_name(status.code()),
        message: status.message(),
        request_id,
    };
    let mut r = (http, json_bytes(&body)).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    if status.code() == Code::Unauthenticated {
        r.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Bearer realm=\"sitrep\""),
        );
    }
    if http.is_server_error() {
        tracing::warn!(code = ?status.code(), message = status.message(), "HTTP call failed");
    }
    r
}

fn json_bytes<T: Serialize>(v: &T) -> Vec<u8> {
    // the messages' serde impls are generated and cannot fail on their own values
    serde_json::to_vec(v).unwrap_or_else(|_| b"{}".to_vec())
}

fn json<T: Serialize>(v: &T) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], json_bytes(v)).into_response()
}

fn request_id(headers: &HeaderMap) -> &str {
    headers
        .get(sitrep_server::REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

/// The gRPC request of an HTTP one: its message, with the request id as metadata (the methods
/// carry it to the backends; the token was checked before, by the route's layer).
fn grpc<T>(headers: &HeaderMap, message: T) -> tonic::Request<T> {
    let mut req = tonic::Request::new(message);
    let name = sitrep_server::REQUEST_ID;
    if let Some(v) = headers.get(name).and_then(|v| v.to_str().ok()) {
        if let Ok(v) = v.parse() {
            req.metadata_mut().insert(name, v);
        }
    }
    req
}

/// Run a handler's body and answer its value, or its status as an HTTP error.
async fn answer(
    headers: &HeaderMap,
    f: impl Future<Output = std::result::Result<Response, Status>>,
) -> Response {
    match f.await {
        Ok(r) => r,
        Err(s) => error_response(&s, request_id(headers)),
    }
}

/// A query string's parameters, taken one by one; what is left unknown is refused.
struct Params {
    pairs: Vec<(String, String)>,
    allowed: &'static [&'static str],
}

impl Params {
    fn parse(query: Option<String>, allowed: &'static [&'static str]) -> Result<Params> {
        let pairs: Vec<(String, String)> =
            serde_urlencoded::from_str(query.as_deref().unwrap_or("")).map_err(|e| {
                Error::InvalidArgument(format!("the query string is not URL-encoded: {e}"))
            })?;
        for (k, _) in &pairs {
            if !allowed.contains(&k.as_str()) {
                return Err(Error::InvalidArgument(format!(
                    "unknown parameter {k:?}; this endpoint takes {}",
                    allowed.join(", ")
                )));
            }
        }
        Ok(Params { pairs, allowed })
    }

    /// The last value of `name` ("" when absent).
    fn text(&self, name: &str) -> String {
        debug_assert!(self.allowed.contains(&name));
        self.pairs
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_string())
            .unwrap_or_default()
    }

    fn u32(&self, name: &str) -> Result<u32> {
        let v = self.text(name);
        if v.is_empty() {
            return Ok(0);
        }
        v.parse().map_err(|_| {
            Error::InvalidArgument(format!("{name} must be a whole number ≥ 0, got {v:?}"))
        })
    }

    fn f64(&self, name: &str) -> Result<f64> {
        let v = self.text(name);
        if v.is_empty() {
            return Ok(0.0);
        }
        v.parse()
            .ok()
            .filter(|x: &f64| x.is_finite())
            .ok_or_else(|| Error::InvalidArgument(format!("{name} must be a number, got {v:?}")))
    }

    fn bool(&self, name: &str) -> Result<bool> {
        match self.text(name).as_str() {
            "" | "false" | "0" => Ok(false),
            "true" | "1" => Ok(true),
            v => Err(Error::InvalidArgument(format!(
                "{name} must be true or false, got {v:?}"
            ))),
        }
    }

    /// An event kind: `capture`, `CAPTURE` or `EVENT_KIND_CAPTURE`; absent: any.
    fn kind(&self) -> Result<i32> {
        let v = self.text("kind");
        if v.is_empty() {
            return Ok(0);
        }
        let upper = v.to_ascii_uppercase().replace('-', "_");
        let name = if upper.starts_with("EVENT_KIND_") {
            upper
        } else {
            format!("EVENT_KIND_{upper}")
        };
        match EventKind::from_str_name(&name) {
            Some(k) if k != EventKind::Unspecified => Ok(k as i32),
            _ => {
                let kinds: Vec<String> = (1..=32).filter_map(EventKind::from_i32_name).collect();
                Err(Error::InvalidArgument(format!(
                    "unknown kind {v:?}; kinds are {}",
                    kinds.join(", ")
                )))
            }
        }
    }

    /// `min_lat,min_lon,max_lat,max_lon`.
    fn bbox(&self) -> Result<Option<BoundingBox>> {
        let v = self.text("bbox");
        if v.is_empty() {
            return Ok(None);
        }
        let n: Vec<f64> = v
            .split(',')
            .filter_map(|x| x.trim().parse().ok())
            .filter(|x: &f64| x.is_finite())
            .collect();
        match n[..] {
            [min_lat, min_lon, max_lat, max_lon] => Ok(Some(BoundingBox {
                min_lat,
                min_lon,
                max_lat,
                max_lon,
            })),
            _ => Err(Error::InvalidArgument(format!(
                "bbox must be min_lat,min_lon,max_lat,max_lon, got {v:?}"
            ))),
        }
    }
}

trait KindName {
    fn from_i32_name(v: i32) -> Option<String>;
}

impl KindName for EventKind {
    /// The short name of a kind value ("capture"), for messages.
    fn from_i32_name(v: i32) -> Option<String> {
        EventKind::try_from(v).ok().map(|k| {
            k.as_str_name()
                .trim_start_matches("EVENT_KIND_")
                .to_ascii_lowercase()
        })
    }
}

/// A JSON body as a message (the proto3 JSON mapping: `lowerCamelCase` or the proto's names).
fn body<T: serde::de::DeserializeOwned>(
    body: std::result::Result<Bytes, BytesRejection>,
) -> Result<T> {
    let bytes = body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            Error::TooLarge("the request body is larger than this server accepts (--max-message-bytes): send a smaller document".into())
        } else {
            Error::InvalidArgument(format!("could not read the request body: {e}"))
        }
    })?;
    if bytes.is_empty() {
        return Err(Error::InvalidArgument(
            "the request body is empty: send a JSON object".into(),
        ));
    }
    serde_json::from_slice(&bytes)
        .map_err(|e| Error::InvalidArgument(format!("the body is not a valid JSON message: {e}")))
}

/// Events per page of `/api/v1/events` unless `page_size` says (at most the timeline's 1 000).
const DEFAULT_PAGE: u32 = 200;

const EVENTS_PARAMS: &[&str] = &[
    "from",
    "to",
    "place",
    "actor",
    "kind",
    "document",
    "page_size",
    "page_token",
    "limit",
    "include_duplicates",
];

/// `GET /api/v1/events`: one page of `Events` (follow `nextPageToken` for the next).
async fn events(State(gw): State<Gateway>, headers: HeaderMap, RawQuery(q): RawQuery) -> Response {
    answer(&headers, async {
        let p = Params::parse(q, EVENTS_PARAMS)?;
        let page_size = match p.u32("page_size")? {
            0 => DEFAULT_PAGE,
            n => n,
        };
        // one page is answered: the timeline stops after it instead of computing pages that
        // would be dropped unread (a `limit` smaller than the page still ends it early)
        let limit = match p.u32("limit")? {
            0 => page_size,
            n => n.min(page_size),
        };
        let req = ListEventsRequest {
            from: p.text("from"),
            to: p.text("to"),
            place: p.text("place"),
            actor: p.text("actor"),
            kind: p.kind()?,
            document_id: p.text("document"),
            page_size,
            page_token: p.text("page_token"),
            limit,
            include_duplicates: p.bool("include_duplicates")?,
        };
        let mut pages = GatewayService::events(&gw, grpc(&headers, req))
            .await?
            .into_inner();
        // the first page only: the stream stops when it is dropped
        let page = pages.next().await.transpose()?.unwrap_or_default();
        Ok(json(&page))
    })
    .await
}

/// `GET /api/v1/places/search?q=…`.
async fn search_places(
    State(gw): State<Gateway>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    answer(&headers, async {
        let p = Params::parse(q, &["q", "limit", "country", "bbox"])?;
        let req = SearchPlacesRequest {
            query: p.text("q"),
            limit: p.u32("limit")?,
            country_code: p.text("country"),
            bbox: p.bbox()?,
        };
        Ok(json(
            GatewayService::search_places(&gw, grpc(&headers, req))
                .await?
                .get_ref(),
        ))
    })
    .await
}

/// `POST /api/v1/places/merge` with `{"fromId": "prov:…", "intoId": "geonames:…"}`.
async fn merge_place(
    State(gw): State<Gateway>,
    headers: HeaderMap,
    b: std::result::Result<Bytes, BytesRejection>,
) -> Response {
    answer(&headers, async {
        let req: MergePlaceRequest = body(b)?;
        Ok(json(
            GatewayService::merge_place(&gw, grpc(&headers, req))
                .await?
                .get_ref(),
        ))
    })
    .await
}

/// `GET /api/v1/control?place=…&at=YYYY-MM-DD`.
async fn control(State(gw): State<Gateway>, headers: HeaderMap, RawQuery(q): RawQuery) -> Response {
    answer(&headers, async {
        let p = Params::parse(q, &["place", "at"])?;
        if p.text("at").is_empty() {
            return Err(Error::InvalidArgument(
                "at is required: the day to answer for, YYYY-MM-DD".into(),
            )
            .into());
        }
        let req = GetControlRequest {
            place: p.text("place"),
            date: p.text("at"),
        };
        Ok(json(
            GatewayService::control(&gw, grpc(&headers, req))
                .await?
                .get_ref(),
        ))
    })
    .await
}

#[derive(Serialize)]
struct HistoryBody {
    #[serde(skip_serializing_if = "Option::is_none")]
    place: Option<Place>,
    intervals: Vec<ControlInterval>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    failures: Vec<BackendFailure>,
}

/// `GET /api/v1/control/history?place=…`: who held the place when.
async fn control_history(
    State(gw): State<Gateway>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    answer(&headers, async {
        let p = Params::parse(q, &["place"])?;
        let h = gw
            .control_history(&p.text("place"), grpc(&headers, ()).metadata())
            .await?;
        Ok(json(&HistoryBody {
            place: h.place,
            intervals: h.intervals,
            failures: h.failures,
        }))
    })
    .await
}

/// `GET /api/v1/dossier?place=…`.
async fn dossier(State(gw): State<Gateway>, headers: HeaderMap, RawQuery(q): RawQuery) -> Response {
    answer(&headers, async {
        let p = Params::parse(q, &["place", "radius_km", "max_events"])?;
        let req = GetPlaceDossierRequest {
            place: p.text("place"),
            nearby_radius_km: p.f64("radius_km")?,
            max_events: p.u32("max_events")?,
        };
        Ok(json(
            GatewayService::place_dossier(&gw, grpc(&headers, req))
                .await?
                .get_ref(),
        ))
    })
    .await
}

/// `GET /api/v1/actors/{name}`.
async fn actor(
    State(gw): State<Gateway>,
    headers: HeaderMap,
    Path(name): Path<String>,
    RawQuery(q): RawQuery,
) -> Response {
    answer(&headers, async {
        let p = Params::parse(q, &["from", "to"])?;
        let req = GetActorProfileRequest {
            actor: name,
            from: p.text("from"),
            to: p.text("to"),
        };
        Ok(json(
            GatewayService::actor_profile(&gw, grpc(&headers, req))
                .await?
                .get_ref(),
        ))
    })
    .await
}

/// `GET /api/v1/summary?region=…&radius_km=…` or `?bbox=…`.
async fn summary(State(gw): State<Gateway>, headers: HeaderMap, RawQuery(q): RawQuery) -> Response {
    answer(&headers, async {
        let p = Params::parse(q, &["region", "radius_km", "bbox", "from", "to"])?;
        let req = GetSummaryRequest {
            region: p.text("region"),
            radius_km: p.f64("radius_km")?,
            bbox: p.bbox()?,
            from: p.text("from"),
            to: p.text("to"),
        };
        Ok(json(
            GatewayService::summary(&gw, grpc(&headers, req))
                .await?
                .get_ref(),
        ))
    })
    .await
}

/// `GET /api/v1/documents/{id}`.
async fn document(
    State(gw): State<Gateway>,
    headers: HeaderMap,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> Response {
    answer(&headers, async {
        Params::parse(q, &[])?;
        let req = GetDocumentReportRequest { document_id: id };
        Ok(json(
            GatewayService::document_report(&gw, grpc(&headers, req))
                .await?
                .get_ref(),
        ))
    })
    .await
}

/// `POST /api/v1/ingest` with `{"text": …, "title": …, "published": "YYYY-MM-DD", "sourceUrl": …}`.
async fn ingest(
    State(gw): State<Gateway>,
    headers: HeaderMap,
    b: std::result::Result<Bytes, BytesRejection>,
) -> Response {
    answer(&headers, async {
        let req: IngestDocumentRequest = body(b)?;
        Ok(json(
            GatewayService::ingest(&gw, grpc(&headers, req))
                .await?
                .get_ref(),
        ))
    })
    .await
}

/// `GET /api/v1/export?format=acled|geojson|timelinejs|control-geojson` and the events filters.
async fn export(State(gw): State<Gateway>, headers: HeaderMap, RawQuery(q): RawQuery) -> Response {
    answer(&headers, async {
        let p = Params::parse(
            q,
            &["format", "from", "to", "place", "actor", "kind", "document"],
        )?;
        let (format, file) = match p
            .text("format")
            .to_ascii_lowercase()
            .replace('_', "-")
            .as_str()
        {
            "acled" | "acled-csv" | "csv" => (ExportFormat::AcledCsv, "sitrep-acled.csv"),
            "geojson" => (ExportFormat::Geojson, "sitrep-events.geojson"),
            "timelinejs" => (ExportFormat::Timelinejs, "sitrep-timeline.json"),
            "control-geojson" => (ExportFormat::ControlGeojson, "sitrep-control.geojson"),
            v => {
                return Err(Error::InvalidArgument(format!(
                    "format must be acled, geojson, timelinejs or control-geojson, got {v:?}"
                ))
                .into())
            }
        };
        let req = ExportRequest {
            format: format as i32,
            document_id: p.text("document"),
            from: p.text("from"),
            to: p.text("to"),
            place: p.text("place"),
            actor: p.text("actor"),
            kind: p.kind()?,
        };
        let mut pieces = GatewayService::export(&gw, grpc(&headers, req))
            .await?
            .into_inner();
        let mut data = Vec::new();
        let mut content_type = String::new();
        while let Some(piece) = pieces.next().await {
            let piece = piece?;
            if content_type.is_empty() {
                content_type = piece.content_type;
            }
            data.extend(piece.data);
        }
        let content_type = if content_type.starts_with("text/") {
            format!("{content_type}; charset=utf-8")
        } else {
            content_type
        };
        let disposition = format!("attachment; filename=\"{file}\"");
        Ok((
            [
                (header::CONTENT_TYPE, content_type),
                (header::CONTENT_DISPOSITION, disposition),
            ],
            data,
        )
            .into_response())
    })
    .await
}

/// `GET /api/v1/status`: the gateway's and every backend's health (never needs the token).
async fn status(State(gw): State<Gateway>, headers: HeaderMap) -> Response {
    answer(&headers, async {
        Ok(json(
            GatewayService::status(&gw, grpc(&headers, GetStatusRequest {}))
                .await?
                .get_ref(),
        ))
    })
    .await
}

async fn not_found(headers: HeaderMap, uri: Uri) -> Response {
    if uri.path().starts_with("/api/") {
        error_response(
            &Error::NotFound(format!(
                "no endpoint {}: see the README's HTTP API",
                uri.path()
            ))
            .into(),
            request_id(&headers),
        )
    } else {
        (
            StatusCode::NOT_FOUND,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "not found\n",
        )
            .into_response()
    }
}

async fn method_not_allowed(headers: HeaderMap, uri: Uri) -> Response {
    let s = Error::Unimplemented(format!("{} does not take this method", uri.path())).into();
    let mut r = error_response(&s, request_id(&headers));
    *r.status_mut() = StatusCode::METHOD_NOT_ALLOWED;
    r
}

/// The safety headers, on every response.
async fn security_headers(mut r: Response) -> Response {
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        "cross-origin-resource-policy",
        HeaderValue::from_static("same-origin"),
    );
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    r
}

/// A refused API call, as every failed call is answered.
fn refusal(status: Status, headers: &HeaderMap) -> Response {
    error_response(&status, request_id(headers))
}

/// The token check of the routes it layers: what they ask of the token is `access`.
fn require(tokens: &TokenRule, access: fn(&str) -> Access) -> RequireTokenLayer<Body> {
    RequireTokenLayer::new(tokens.clone(), access, refusal)
}

/// The API and the page, with request ids, a span per request and the safety headers. The API's
/// writes and reads each carry the token check of their kind (a route's layer runs only when the
/// route and its method match: an unknown path is still 404, a wrong method 405); the status,
/// the page and its files are open.
pub fn router(gateway: Gateway, tokens: TokenRule, max_body_bytes: usize) -> Router {
    let layers = tower::ServiceBuilder::new()
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|req: &axum::http::Request<Body>| {
                    let id = req.headers().get(sitrep_server::REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("");
                    tracing::info_span!("http", service = "gateway", method = %req.method(), path = %req.uri().path(), request_id = %id)
                })
                .on_response(DefaultOnResponse::new().level(tracing::Level::INFO)),
        )
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(axum::middleware::map_response(security_headers));
    let writes = Router::new()
        .route("/api/v1/places/merge", post(merge_place))
        .route("/api/v1/ingest", post(ingest))
        .route_layer(require(&tokens, |_| Access::Write));
    let reads = Router::new()
        .route("/api/v1/events", get(events))
        .route("/api/v1/places/search", get(search_places))
        .route("/api/v1/control", get(control))
        .route("/api/v1/control/history", get(control_history))
        .route("/api/v1/dossier", get(dossier))
        .route("/api/v1/actors/{name}", get(actor))
        .route("/api/v1/summary", get(summary))
        .route("/api/v1/documents/{id}", get(document))
        .route("/api/v1/export", get(export))
        .route_layer(require(&tokens, |_| Access::Read));
    Router::new()
        .merge(writes)
        .merge(reads)
        .route("/api/v1/status", get(status))
        .merge(crate::web::routes())
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(max_body_bytes))
        .with_state(gateway)
        .layer(layers)
}

/// Serve [`router`] on `listener` until `shutdown`; requests in flight finish first.
pub async fn serve_http(
    listener: TcpListener,
    gateway: Gateway,
    tokens: TokenRule,
    max_body_bytes: usize,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    if let Ok(addr) = listener.local_addr() {
        tracing::info!(service = "gateway", %addr, "serving HTTP (JSON API and web page)");
    }
    axum::serve(listener, router(gateway, tokens, max_body_bytes))
        .with_graceful_shutdown(shutdown)
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_map_to_statuses_and_names() {
        assert_eq!(http_status(Code::InvalidArgument), StatusCode::BAD_REQUEST);
        assert_eq!(http_status(Code::Unauthenticated), StatusCode::UNAUTHORIZED);
        assert_eq!(http_status(Code::NotFound), StatusCode::NOT_FOUND);
        assert_eq!(
            http_status(Code::ResourceExhausted),
            StatusCode::PAYLOAD_TOO_LARGE
        );
        assert_eq!(
            http_status(Code::Unavailable),
            StatusCode::SERVICE_UNAVAILABLE
        );
        assert_eq!(
            http_status(Code::DeadlineExceeded),
            StatusCode::GATEWAY_TIMEOUT
        );
        assert_eq!(code_name(Code::InvalidArgument), "INVALID_ARGUMENT");
        assert_eq!(code_name(Code::DeadlineExceeded), "DEADLINE_EXCEEDED");
        assert_eq!(code_name(Code::Internal), "INTERNAL");
    }

    #[test]
    fn params_refuse_unknown_names_and_bad_values() {
        let p = Params::parse(
            Some("kind=capture&page_size=5&place=Tallat%20Mussa".into()),
            EVENTS_PARAMS,
        )
        .unwrap();
        assert_eq!(p.kind().unwrap(), EventKind::Capture as i32);
        assert_eq!(p.u32("page_size").unwrap(), 5);
        assert_eq!(p.text("place"), "Tallat Mussa");
        let e = Status::from(
            Params::parse(Some("knd=capture".into()), EVENTS_PARAMS)
                .err()
                .unwrap(),
        );
        assert_eq!(e.code(), Code::InvalidArgument);
        assert!(
            e.message().contains("unknown parameter \"knd\""),
            "{}",
            e.message()
        );
        let p = Params::parse(Some("kind=capturing&limit=-1".into()), EVENTS_PARAMS).unwrap();
        assert!(p.kind().unwrap_err().to_string().contains("capture"));
        let e = Status::from(p.u32("limit").unwrap_err());
        assert_eq!(e.code(), Code::InvalidArgument);
        let p = Params::parse(Some("kind=EVENT_KIND_SIEGE".into()), EVENTS_PARAMS).unwrap();
        assert_eq!(p.kind().unwrap(), EventKind::Siege as i32);
    }
}
