//! Ranking: from a mention to scored candidates, each score explained.
//!
//! The score adds: how well the name matches (exact folded name, all words, fuzzy words), the fit
//! of the place's feature class to the mention's head ("hill" → T, "village" → P), the document's
//! country focus, the spatial coherence with the document's other places, and population.

use std::collections::HashMap;

use crate::error::Result;
use crate::fold;
use crate::store::{PlaceRecord, Store};

/// Below this, the best candidate is not trusted and a provisional place is made instead.
pub const ACCEPT: f64 = 0.7;
/// Places read per mention word from the word index.
const WORD_CAP: usize = 2000;
/// Index keys a fuzzy lookup may read.
const FUZZY_BUDGET: usize = 4000;
/// Candidates scored per mention.
const CANDIDATE_CAP: usize = 300;

#[derive(Debug, Clone)]
pub struct Scored {
    pub place: PlaceRecord,
    pub score: f64,
    pub explanation: String,
}

/// How a candidate's name matched.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Match {
    Exact,
    /// All the mention's words; `coverage` of the candidate's words.
    Words { coverage: f64 },
    Fuzzy { coverage: f64 },
}

impl Match {
    fn score(self) -> f64 {
        match self {
            Match::Exact => 1.0,
            Match::Words { coverage } => 0.55 + 0.3 * coverage,
            Match::Fuzzy { coverage } => 0.45 + 0.25 * coverage,
        }
    }
}

/// The feature classes a mention's head asks for.
fn expected_classes(mention: &str) -> Option<&'static [&'static str]> {
    let words = fold::fold(mention);
    let head = words.iter().find(|w| w.head).map(|w| w.key.as_str());
    let english = fold::english_head(mention);
    match (head, english.as_deref()) {
        (_, Some("hill" | "hills" | "mountain" | "mountains" | "mount" | "ridge" | "peak" | "hilltop" | "heights")) => Some(&["T"]),
        (_, Some("valley" | "river" | "lake")) => Some(&["H", "T"]),
        (_, Some("village" | "town" | "city" | "suburb" | "neighbourhood" | "neighborhood" | "quarter")) => Some(&["P"]),
        (_, Some("district" | "governorate" | "province" | "region" | "subdistrict" | "municipality")) => Some(&["A", "L", "T"]),
        (_, Some("crossing" | "border" | "checkpoint" | "airbase" | "airport" | "base" | "dam" | "bridge")) => Some(&["S", "L", "T", "P"]),
        // "the barrens (jurd) of X" are named after the town X
        (Some("jurd"), _) => Some(&["P", "T", "L"]),
        (Some("tal" | "jabal" | "ras" | "dahr" | "qarn" | "harf"), _) => Some(&["T", "L", "V"]),
        (Some("wadi" | "ayn"), _) => Some(&["H", "T"]),
        (Some("dayr" | "kafr" | "bayt" | "khirba"), _) => Some(&["P", "S"]),
        _ => None,
    }
}

fn haversine_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (p1, p2) = (a.0.to_radians(), b.0.to_radians());
    let (dp, dl) = (p2 - p1, (b.1 - a.1).to_radians());
    let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().min(1.0).asin()
}

pub fn distance_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    haversine_km(a, b)
}

/// Candidates by name alone, with how they matched.
fn by_name(store: &Store, mention: &str) -> Result<Vec<(PlaceRecord, Match)>> {
    let words = fold::fold(mention);
    if words.is_empty() {
        return Ok(Vec::new());
    }
    let full = words.iter().map(|w| w.key.as_str()).collect::<Vec<_>>().join(" ");
    let mut out: HashMap<String, (PlaceRecord, Match)> = HashMap::new();
    for id in store.ids_by_name(&full)? {
        if let Some(p) = store.get(&id)? {
            out.insert(id, (p, Match::Exact));
        }
    }
    let core: Vec<&str> = words.iter().filter(|w| !w.head).map(|w| w.key.as_str()).collect();
    if core.is_empty() {
        return Ok(out.into_values().collect());
    }
    // ids having every core word; a word with no exact hit falls back to near spellings
    // (bounded: a capped number of index keys sharing its first two letters)
    let mut common: Option<HashMap<String, bool>> = None; // id → matched through a fuzzy word
    for w in &core {
        let mut ids: HashMap<String, bool> = store.ids_by_word(w, WORD_CAP)?.into_iter().map(|id| (id, false)).collect();
        if out.is_empty() && w.chars().count() >= 4 {
            let max = if w.chars().count() >= 7 { 2 } else { 1 };
            for (_, fids) in store.fuzzy_words(w, max, FUZZY_BUDGET)? {
                for id in fids {
                    ids.entry(id).or_insert(true);
                }
            }
        }
        common = Some(match common {
            None => ids,
            Some(c) => c.into_iter().filter_map(|(id, fz)| ids.get(&id).map(|f2| (id, fz || *f2))).collect(),
        });
    }
    // places matched by exact words first, then near spellings, up to the cap
    let mut common: Vec<(String, bool)> = common.unwrap_or_default().into_iter().collect();
    common.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
    let exact_words = common.iter().filter(|c| !c.1).count();
    common.truncate(exact_words.max(CANDIDATE_CAP));
    for (id, fuzzy) in common {
        if out.contains_key(&id) {
            continue;
        }
        let Some(p) = store.get(&id)? else { continue };
        // coverage: the best share of a name's core words the mention accounts for
        let coverage = p
            .word_keys()
            .iter()
            .map(|k| {
                let cw: Vec<&str> = k.split(' ').filter(|w| !w.is_empty()).collect();
                if cw.is_empty() {
                    return 0.0;
                }
                let hit = cw.iter().filter(|w| core.iter().any(|c| c == *w || fold::within_distance(c, w, 2))).count();
                hit as f64 / cw.len() as f64
            })
            .fold(0.0, f64::max);
        if coverage < 0.5 {
            continue;
        }
        let m = if fuzzy { Match::Fuzzy { coverage } } else { Match::Words { coverage } };
        out.insert(id, (p, m));
    }
    Ok(out.into_values().collect())
}

/// Context of one resolution.
#[derive(Debug, Clone, Default)]
pub struct Context {
    pub country_focus: Vec<String>,
    /// Where the document's other places are (median of the confident ones), if known.
    pub centroid: Option<(f64, f64)>,
    /// Where the place the text relates this mention to is ("outside X"), if known.
    pub near: Option<(f64, f64)>,
}

/// Score the candidates of `mention` in `ctx`, best first.
pub fn rank(store: &Store, mention: &str, ctx: &Context) -> Result<Vec<Scored>> {
    let expected = expected_classes(mention);
    let has_english_head = fold::english_head(mention).is_some();
    let mut scored: Vec<Scored> = by_name(store, mention)?
        .into_iter()
        .map(|(p, m)| {
            let mut score = m.score();
            let mut why = vec![format!("name {:?} {:.2}", m, m.score())];
            match expected {
                Some(classes) if classes.contains(&p.feature_class.as_str()) => {
                    score += 0.15;
                    why.push(format!("class {} fits +0.15", p.feature_class));
                }
                Some(_) => {
                    // "Al-Barouh hill" is not a city, whatever its old names
                    let adj = if has_english_head { 0.25 } else { 0.1 };
                    score -= adj;
                    why.push(format!("class {} does not fit -{adj:.2}", p.feature_class));
                }
                None if matches!(p.feature_class.as_str(), "P" | "A") => {
                    score += 0.05;
                    why.push("populated/administrative +0.05".into());
                }
                _ => {}
            }
            if ctx.country_focus.iter().any(|c| p.in_country(c)) {
                score += 0.1;
                why.push(format!("country {} in focus +0.10", p.country_code));
            } else if !ctx.country_focus.is_empty() && !p.provisional {
                // a document about Syria that names a village is not naming Lebanon's namesake
                score -= 0.3;
                why.push(format!("country {} outside the document's ({}) -0.30", p.country_code, ctx.country_focus.join(", ")));
            }
            if let (Some(c), true) = (ctx.centroid, p.located()) {
                // closer to the document's other places is better; far away is a different place
                let d = haversine_km(c, (p.lat, p.lon));
                let adj = 0.25 * (-d / 25.0).exp() - if d > 80.0 { 0.3 } else { 0.0 };
                score += adj;
                why.push(format!("{d:.0} km from the document's places {adj:+.2}"));
            }
            if let (Some(n), true) = (ctx.near, p.located()) {
                // the text relates it to a known place ("overlooks Arsal")
                let d = haversine_km(n, (p.lat, p.lon));
                let adj = 0.3 * (-d / 10.0).exp() - if d > 40.0 { 0.2 } else { 0.0 };
                score += adj;
                why.push(format!("{d:.0} km from the place the text relates it to {adj:+.2}"));
            }
            if p.population > 0 {
                let adj = ((p.population as f64 + 1.0).log10() / 75.0).min(0.08);
                score += adj;
                why.push(format!("population {} {adj:+.2}", p.population));
            }
            Scored { place: p, score, explanation: why.join("; ") }
        })
        .collect();
    scored.sort_by(|a, b| b.score.partial_cmp(&a.score).unwrap_or(std::cmp::Ordering::Equal).then_with(|| a.place.id.cmp(&b.place.id)));
    Ok(scored)
}

/// The median of points: robust to one far outlier.
pub fn median_point(points: &[(f64, f64)]) -> Option<(f64, f64)> {
    if points.is_empty() {
        return None;
    }
    let mut la: Vec<f64> = points.iter().map(|p| p.0).collect();
    let mut lo: Vec<f64> = points.iter().map(|p| p.1).collect();
    la.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    lo.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    Some((la[la.len() / 2], lo[lo.len() / 2]))
}

/// Confidence 0..1 from the best score and the margin over the runner-up.
pub fn confidence(best: f64, second: Option<f64>) -> f64 {
    let base = ((best - 0.3) / 0.9).clamp(0.0, 1.0);
    let margin = second.map_or(1.0, |s| ((best - s) / 0.3).clamp(0.0, 1.0));
    (base * (0.6 + 0.4 * margin)).clamp(0.0, 1.0)
}
