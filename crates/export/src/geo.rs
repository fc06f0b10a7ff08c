//! RFC 7946 GeoJSON: events as Point features ([longitude, latitude]), and control intervals.

use serde_json::{json, Value};
use sitrep_proto::v1::{ControlInterval, Event, Place};

use crate::{kind_name, main_place};

fn feature(e: &Event) -> Option<Value> {
    let p = main_place(e)?;
    let w = e.when.clone().unwrap_or_default();
    Some(json!({
        "type": "Feature",
        "id": e.id,
        "geometry": {"type": "Point", "coordinates": [p.lon?, p.lat?]},
        "properties": {
            "kind": kind_name(e.kind),
            "earliest": w.earliest,
            "latest": w.latest,
            "place": if p.name.is_empty() { &p.mention } else { &p.name },
            "place_id": p.id,
            "mention": p.mention,
            "provisional": p.provisional,
            "actors": e.actors.iter().map(|a| a.name.clone()).collect::<Vec<_>>(),
            "fatalities": e.fatalities,
            "citations": e.citations,
            "attribution": e.attribution.as_ref().map(|a| a.source.clone()),
            "document_id": e.document_id,
            "sentence": e.sentence,
        }
    }))
}

/// A FeatureCollection of the located events; the number left out is the foreign member
/// `unlocated`.
pub fn events(events: &[Event]) -> String {
    let features: Vec<Value> = events.iter().filter_map(feature).collect();
    let unlocated = events.len() - features.len();
    json!({"type": "FeatureCollection", "features": features, "unlocated": unlocated}).to_string()
}

/// A FeatureCollection of one place's control intervals, each a Point feature at the place.
pub fn control(place: &Place, intervals: &[ControlInterval]) -> String {
    let located = !place.provisional || place.location_estimated;
    let features: Vec<Value> = intervals
        .iter()
        .map(|c| {
            json!({
                "type": "Feature",
                "geometry": if located { json!({"type": "Point", "coordinates": [place.lon, place.lat]}) } else { Value::Null },
                "properties": {
                    "place": place.name,
                    "place_id": place.id,
                    "controller": c.controller,
                    "side": c.side,
                    "coalition": c.coalition,
                    "since": c.since,
                    "until": c.until,
                    "claimed": c.claimed,
                    "contested": c.contested,
                    "event_ids": c.event_ids,
                }
            })
        })
        .collect();
    json!({"type": "FeatureCollection", "features": features}).to_string()
}
