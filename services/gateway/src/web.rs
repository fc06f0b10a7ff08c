//! The web page: `services/gateway/web/`, embedded in the binary at build time, so the page
//! needs no network and no files beside the binary. Plain JS and CSS, no build step; the map
//! library and the world's outlines are vendored packages (`web/vendor/README.md`).

use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use crate::service::Gateway;

/// One embedded file.
struct Asset {
    path: &'static str,
    content_type: &'static str,
    bytes: &'static [u8],
}

macro_rules! asset {
    ($path:literal, $type:expr) => {
        Asset {
            path: $path,
            content_type: $type,
            bytes: include_bytes!(concat!("../web/", $path)),
        }
    };
}

const JS: &str = "text/javascript; charset=utf-8";
const CSS: &str = "text/css; charset=utf-8";

/// Every file the page loads, by its path under `/assets/`.
const ASSETS: &[Asset] = &[
    asset!("app.js", JS),
    asset!("app.css", CSS),
    asset!("vendor/leaflet/leaflet.js", JS),
    asset!("vendor/leaflet/leaflet.css", CSS),
    asset!("vendor/leaflet.markercluster/leaflet.markercluster.js", JS),
    asset!("vendor/leaflet.markercluster/MarkerCluster.css", CSS),
    asset!(
        "vendor/leaflet.markercluster/MarkerCluster.Default.css",
        CSS
    ),
    asset!("vendor/topojson-client/topojson-client.min.js", JS),
    asset!("vendor/world-atlas/countries-50m.json", "application/json"),
];

const INDEX: &[u8] = include_bytes!("../web/index.html");

/// For work on the page: `SITREP_GATEWAY_WEB_DIR=services/gateway/web` serves the files of
/// that folder (only the names embedded here) instead of the embedded copies, so a change shows
/// on reload without a rebuild.
fn bytes_of(path: &str, embedded: &'static [u8]) -> std::borrow::Cow<'static, [u8]> {
    match std::env::var_os("SITREP_GATEWAY_WEB_DIR") {
        Some(dir) => std::fs::read(std::path::Path::new(&dir).join(path))
            .map(Into::into)
            .unwrap_or(embedded.into()),
        None => embedded.into(),
    }
}

async fn index() -> Response {
    (
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        bytes_of("index.html", INDEX),
    )
        .into_response()
}

async fn asset(Path(path): Path<String>) -> Response {
    match ASSETS.iter().find(|a| a.path == path) {
        // the files change only with the binary: a browser revalidates on each load
        Some(a) => (
            [
                (header::CONTENT_TYPE, a.content_type),
                (header::CACHE_CONTROL, "no-cache"),
            ],
            bytes_of(a.path, a.bytes),
        )
            .into_response(),
        None => (
            StatusCode::NOT_FOUND,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "no such asset\n",
        )
            .into_response(),
    }
}

/// `/` (the page) and `/assets/…` (its files).
pub fn routes() -> Router<Gateway> {
    Router::new()
        .route("/", get(index))
        .route("/assets/{*path}", get(asset))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_the_page_names_is_embedded() {
        let page = std::str::from_utf8(INDEX).unwrap();
        for part in page.split("/assets/").skip(1) {
            let path = &part[..part.find('"').unwrap()];
            assert!(
                ASSETS.iter().any(|a| a.path == path),
                "index.html loads /assets/{path}, which is not embedded"
            );
        }
        let types = [JS, CSS];
        assert!(ASSETS.iter().all(|a| !a.bytes.is_empty()
            && (types.contains(&a.content_type) || a.content_type == "application/json")));
    }
}
