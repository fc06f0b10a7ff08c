//! A place's control history on its own (who held it when), for the HTTP API's
//! `/api/v1/control/history`: the dossier's history without its events and nearby places.

use sitrep_proto::v1::{BackendFailure, ControlHistoryRequest, ControlInterval, Place};
use sitrep_server::client::outgoing;
use tonic::metadata::MetadataMap;

use crate::error::Error;
use crate::service::Gateway;

/// A place as the gazetteer knows it (absent when it knows none or failed) and its intervals.
#[derive(Debug, Default)]
pub struct History {
    pub place: Option<Place>,
    pub intervals: Vec<ControlInterval>,
    pub failures: Vec<BackendFailure>,
}

impl Gateway {
    /// The control intervals of `place` (a name or id), keyed as the dossier keys them: the
    /// gazetteer's id when it knows the place, with the asked name and its own name as aliases.
    pub async fn control_history(
        &self,
        place: &str,
        meta: &MetadataMap,
    ) -> std::result::Result<History, tonic::Status> {
        let place = place.trim();
        if place.is_empty() {
            return Err(
                Error::InvalidArgument("place is empty: give a place name or id".into()).into(),
            );
        }
        let mut failures = Vec::new();
        let known = match self.place(place, meta).await {
            Ok(p) => p,
            Err(e) => {
                failures.push(e.failure());
                None
            }
        };
        let key = known.as_ref().map_or(place.to_string(), |p| p.id.clone());
        let aliases = std::iter::once(place.to_string())
            .chain(known.as_ref().map(|p| p.name.clone()))
            .collect();
        let req = ControlHistoryRequest {
            place: key,
            aliases,
        };
        let intervals = self
            .timeline()
            .control_history(outgoing(req, meta, self.timeout))
            .await
            .map_err(Error::backend("timeline"))?
            .into_inner()
            .intervals;
        Ok(History {
            place: known,
            intervals,
            failures,
        })
    }
}
