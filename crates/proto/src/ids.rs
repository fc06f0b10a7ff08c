//! Identifiers that cross services. They travel as strings on the wire; these helpers are the one
//! place that knows their shape.

/// Prefix of place ids that come from GeoNames.
pub const GEONAMES_PREFIX: &str = "geonames:";
/// Prefix of provisional place and actor ids (made by sitrep, not from a reference source).
pub const PROVISIONAL_PREFIX: &str = "prov:";

/// The id of a GeoNames place.
pub fn geonames_place_id(geonameid: u64) -> String {
    format!("{GEONAMES_PREFIX}{geonameid}")
}

/// The GeoNames number of a place id, if it is one.
pub fn parse_geonames_id(id: &str) -> Option<u64> {
    id.strip_prefix(GEONAMES_PREFIX)?.parse().ok()
}

/// The id of a provisional place or actor from its folded key.
pub fn provisional_id(key: &str) -> String {
    format!("{PROVISIONAL_PREFIX}{key}")
}

/// True for ids made by [`provisional_id`].
pub fn is_provisional(id: &str) -> bool {
    id.starts_with(PROVISIONAL_PREFIX)
}

/// An event id: document, sentence and position in the sentence.
pub fn event_id(document_id: &str, sentence: u32, n: u32) -> String {
    format!("{document_id}:{sentence}:{n}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn geonames_ids_round_trip() {
        assert_eq!(parse_geonames_id(&geonames_place_id(269996)), Some(269996));
        assert_eq!(parse_geonames_id("prov:tallat-musa"), None);
        assert!(is_provisional(&provisional_id("tallat-musa")));
    }
}
