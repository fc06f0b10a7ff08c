//! The GeoNames dump formats: `geoname` table rows (country files, allCountries, cities500…)
//! and `alternateNamesV2` rows. Parsing only; the store does the writing.

use crate::store::PlaceRecord;

/// One parsed line.
// (rows are parsed and consumed one at a time: boxing the place would buy nothing)
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Row {
    Place(PlaceRecord),
    /// An alternate name for a place: (geonameid, name).
    AlternateName(u64, String),
}

/// Parse one line of either format; `None` for lines of neither (comments, blanks, malformed).
/// Whether an entry of a `geoname` row's alternate names is a code, not a name: the column mixes
/// airport codes in ("PDX" for Portland, "TRS" for Trieste, "PTY" for Panama City), which the
/// alternateNamesV2 file labels `iata`/`icao` and the row does not. Two to four capital letters
/// are a code; news writing them means an organisation ("activists of PTI", "members of TRS").
fn is_code(name: &str) -> bool {
    (2..=4).contains(&name.len()) && name.bytes().all(|b| b.is_ascii_uppercase())
}

pub fn parse_line(line: &str) -> Option<Row> {
    let line = line.trim_end_matches(['\r', '\n']);
    if line.is_empty() || line.starts_with('#') {
        return None;
    }
    let f: Vec<&str> = line.split('\t').collect();
    if f.len() >= 19 {
        // a geonameid, or a slug for sitrep's own curated rows
        let id = match f[0].parse::<u64>() {
            Ok(n) => sitrep_proto::ids::geonames_place_id(n),
            Err(_)
                if !f[0].is_empty()
                    && f[0]
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') =>
            {
                format!("sitrep:{}", f[0])
            }
            Err(_) => return None,
        };
        let lat: f64 = f[4].parse().ok()?;
        let lon: f64 = f[5].parse().ok()?;
        if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
            return None;
        }
        let mut alternate_names: Vec<String> = f[3]
            .split(',')
            .map(str::trim)
            .filter(|n| {
                n.len() >= 2 && !n.starts_with("http") && !is_code(n) && *n != f[1] && *n != f[2]
            })
            .map(str::to_string)
            .collect();
        alternate_names.dedup();
        return Some(Row::Place(PlaceRecord {
            id,
            name: f[1].to_string(),
            ascii_name: f[2].to_string(),
            alternate_names,
            lat,
            lon,
            feature_class: f[6].to_string(),
            feature_code: f[7].to_string(),
            country_code: f[8].to_string(),
            cc2: f[9].to_string(),
            admin1: f[10].to_string(),
            admin2: f[11].to_string(),
            population: f[14].parse().unwrap_or(0),
            provisional: false,
            documents: Vec::new(),
            location_estimated: false,
            keys: Vec::new(),
        }));
    }
    // alternateNamesV2: id, geonameid, isolanguage, name, preferred, short, colloquial, historic, from, to
    if (8..=10).contains(&f.len()) {
        let place: u64 = f[1].parse().ok()?;
        let lang = f[2];
        if matches!(
            lang,
            "link" | "post" | "iata" | "icao" | "faac" | "fr_1793" | "abbr" | "wkdt" | "unlc"
        ) {
            return None;
        }
        let name = f[3].trim();
        if name.len() < 2 {
            return None;
        }
        return Some(Row::AlternateName(place, name.to_string()));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn geoname_rows_and_alternate_names() {
        let row = "269996\tJabal Nabī Barūḩ\tJabal Nabi Baruh\tJabal Nabi Barouh,Jebel Nebi Barouh\t34.06667\t36.45\tT\tMT\tLB\tSY\t11\t\t\t\t0\t\t1900\tAsia/Beirut\t2012-01-18";
        match parse_line(row) {
            Some(Row::Place(p)) => {
                assert_eq!(p.id, "geonames:269996");
                assert_eq!(
                    p.alternate_names,
                    ["Jabal Nabi Barouh", "Jebel Nebi Barouh"]
                );
                assert_eq!(
                    (
                        p.feature_class.as_str(),
                        p.country_code.as_str(),
                        p.cc2.as_str()
                    ),
                    ("T", "LB", "SY")
                );
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            parse_line("1\t269996\ten\tMount Barouh\t\t\t\t\t\t"),
            Some(Row::AlternateName(269996, "Mount Barouh".into()))
        );
        assert_eq!(parse_line("2\t269996\tlink\thttps://x\t\t\t\t\t\t"), None);
        assert_eq!(parse_line("garbage"), None);
        // a row's airport codes are no names of it
        let row = "5746545\tPortland\tPortland\tPDX,PWM,Portlandia,P-town\t45.52\t-122.68\tP\tPPLA2\tUS\t\tOR\t051\t\t\t652503\t\t\t\t";
        match parse_line(row) {
            Some(Row::Place(p)) => assert_eq!(p.alternate_names, ["Portlandia", "P-town"]),
            other => panic!("{other:?}"),
        }
        assert_eq!(
            parse_line("1\tX\tX\t\tNaN\t36\tP\tPPL\tSY\t\t\t\t\t\t0\t\t\t\t"),
            None
        );
    }
}
