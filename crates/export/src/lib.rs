//! Events in the formats other tools read. Pure functions from `sitrep.v1` messages (plus the
//! context the caller looked up: documents and places) to text.
//!
//! # Layout
//! - [`acled`]: ACLED's CSV layout and codebook conventions (event types, actor names and inter
//!   codes, time and geo precision).
//! - [`geo`]: RFC 7946 GeoJSON of events and of control intervals.
//! - [`timelinejs`]: TimelineJS 3 JSON.

pub mod acled;
pub mod geo;
pub mod timelinejs;

use std::collections::HashMap;

use sitrep_proto::v1::{Event, PlaceRef};

/// What the exporter needs to know beyond the events.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// Document id → (title, source URL).
    pub documents: HashMap<String, (String, String)>,
    /// Place id → administrative hierarchy names, largest first (country, admin1, admin2).
    pub hierarchy: HashMap<String, Vec<String>>,
}

pub use sitrep_proto::kind_name;

/// The place an event is shown at: the first located place, a real one before a provisional one.
pub fn main_place(e: &Event) -> Option<&PlaceRef> {
    let located = || {
        e.places
            .iter()
            .filter(|p| p.lat.is_some() && p.lon.is_some())
    };
    // a road is named after the towns it joins ("the Baalbek highway at Rayak" happened at
    // Rayak), an area stands for all of it ("the Sanamayn road in Daraa governorate" did not
    // happen at the governorate's seat), and a facility lies in a town ("Al Rasi hospital in
    // Halba" is coded to Halba): a settlement first
    let settlement = |p: &PlaceRef| {
        let head = p.mention.rsplit(' ').next().unwrap_or("").to_lowercase();
        !sitrep_extract::places::words()
            .not_settlements
            .contains(&head.as_str())
    };
    // and a country or a province only when nothing finer is named ("the Electricity of Lebanon
    // building in Zahle" happened in Zahle)
    let broad = |p: &PlaceRef| p.feature_code.starts_with("PCL") || p.feature_code == "ADM1";
    let head = |p: &PlaceRef| p.mention.rsplit(' ').next().unwrap_or("").to_lowercase();
    let words = sitrep_extract::places::words();
    let known = |p: &PlaceRef| !p.provisional && p.lat.is_some();
    // a division above a local unit the gazetteer does not know says nothing of where in it the
    // event was ("in Nattalin township (Thayarwady district, …)": not at the district's point)
    let above_unknown_unit = |p: &PlaceRef| {
        let i = e
            .places
            .iter()
            .position(|q| std::ptr::eq(q, p))
            .unwrap_or(0);
        words.division_words.contains(&head(p).as_str())
            && !words.local_units.contains(&head(p).as_str())
            && e.places[..i]
                .iter()
                .any(|q| !known(q) && words.local_units.contains(&head(q).as_str()))
    };
    // and a place the text puts an unknown division in ("the Nobahar area of Pul-e-Hisar
    // district, Baghlan": the province's seat, 89 km off) says only that it was somewhere in it
    let holds_unknown_division = |p: &PlaceRef| {
        e.places.iter().any(|q| {
            let h = head(q);
            !known(q)
                && words.division_words.contains(&h.as_str())
                && !words.settlement_heads.contains(&h.as_str())
                && h != "area"
                && q.near
                    .split(", ")
                    .any(|n| n.eq_ignore_ascii_case(&p.mention))
        })
    };
    // and a province or a country only locates an event told at no finer place
    let finest = |p: &PlaceRef| !broad(p) || e.places.iter().all(broad);
    let fits = |p: &&PlaceRef| !above_unknown_unit(p) && !holds_unknown_division(p) && finest(p);
    located()
        .filter(fits)
        .find(|p| !p.provisional && settlement(p) && !broad(p))
        .or_else(|| located().filter(fits).find(|p| !p.provisional && !broad(p)))
        .or_else(|| located().filter(fits).find(|p| !p.provisional))
        .or_else(|| located().find(fits))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(mention: &str, code: &str, known: bool) -> PlaceRef {
        PlaceRef {
            mention: mention.into(),
            id: format!("geonames:{mention}"),
            lat: known.then_some(1.0),
            lon: known.then_some(1.0),
            provisional: !known,
            feature_code: code.into(),
            country_code: "XX".into(),
            ..Default::default()
        }
    }

    fn shown(places: Vec<PlaceRef>) -> Option<String> {
        let e = Event {
            places,
            ..Default::default()
        };
        main_place(&e).map(|p| p.mention.clone())
    }

    #[test]
    fn an_event_is_shown_at_the_finest_place_that_says_where() {
        // a facility lies in its town
        assert_eq!(
            shown(vec![
                place("Al Rasi hospital", "HSP", true),
                place("Halba", "PPLA", true)
            ]),
            Some("Halba".into())
        );
        // a district above a township the gazetteer lacks says not where in it
        assert_eq!(
            shown(vec![
                place("Nattalin township", "", false),
                place("Thayarwady district", "ADM2", true),
            ]),
            None
        );
        // the district of a village it lacks is the village's local unit: its seat is ACLED's
        assert_eq!(
            shown(vec![
                place("Khawaja Palkhman village", "", false),
                place("Rustaq district", "ADM2", true),
            ]),
            Some("Rustaq district".into())
        );
        // a town the text puts an unknown division in ("Pul-e-Hisar district, Baghlan")
        let mut district = place("Pul-e-Hisar district", "", false);
        district.near = "Baghlan".into();
        assert_eq!(shown(vec![district, place("Baghlan", "PPLA", true)]), None);
        // but a village's town is where it lies
        let mut village = place("Simbanda village", "", false);
        village.near = "Mambasa".into();
        assert_eq!(
            shown(vec![village, place("Mambasa", "PPL", true)]),
            Some("Mambasa".into())
        );
        // a province locates only what is told at no finer place
        assert_eq!(
            shown(vec![
                place("Gosine", "", false),
                place("Erbil province", "ADM1", true)
            ]),
            None
        );
        assert_eq!(
            shown(vec![place("Erbil province", "ADM1", true)]),
            Some("Erbil province".into())
        );
    }
}
