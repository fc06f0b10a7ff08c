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
    located()
        .find(|p| !p.provisional && settlement(p) && !broad(p))
        .or_else(|| located().find(|p| !p.provisional && !broad(p)))
        .or_else(|| located().find(|p| !p.provisional))
        .or_else(|| located().next())
}
