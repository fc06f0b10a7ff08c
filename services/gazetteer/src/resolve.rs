//! Ranking: from a mention to scored candidates, each score explained.
//!
//! The score adds: how well the name matches (exact folded name, all words, fuzzy words), the fit
//! of the place's feature class to the mention's head ("hill" → T, "village" → P), the document's
//! country focus, the spatial coherence with the document's other places, and population.

use std::collections::HashMap;

use rustc_hash::{FxHashMap, FxHashSet};
use std::sync::Arc;

use crate::error::Result;
use crate::fold;
use crate::store::{country_bytes, Brief, Store, WordHit};

/// Below this, the best candidate is not trusted and a provisional place is made instead.
pub const ACCEPT: f64 = 0.7;
/// Places read per mention word from the word index.
const WORD_CAP: usize = 2000;
/// Places read per near spelling of a word (the document's countries first).
const FUZZY_WORD_CAP: usize = 100;
/// Vocabulary words (sharing the first two letters) a fuzzy lookup may compare.
const FUZZY_BUDGET: usize = 20_000;
/// Candidates scored per mention.
const CANDIDATE_CAP: usize = 100;

#[derive(Debug, Clone)]
pub struct Scored {
    /// Shared with the retrieved candidates: scoring twice copies no place.
    pub place: Arc<Brief>,
    pub score: f64,
    pub explanation: String,
    /// How its name matched the mention.
    pub matched: Match,
}

/// How a candidate's name matched.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Match {
    Exact,
    /// All the mention's words; `coverage` of the candidate's words.
    Words {
        coverage: f64,
    },
    Fuzzy {
        coverage: f64,
    },
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

/// Whether a mention names the area around a place rather than the place: "Homs badia", "the
/// Aleppo countryside", "Tadmor district" (what lies in it may be far from the town it is named
/// after, as from an administrative area's seat).
pub fn names_an_area(mention: &str) -> bool {
    matches!(
        fold::english_head(mention).as_deref(),
        Some(
            "countryside"
                | "badia"
                | "desert"
                | "governorate"
                | "province"
                | "district"
                | "subdistrict"
                | "region"
        )
    ) || fold::english_head(mention).is_some_and(|h| {
        fold::ENGLISH_FIRST_UNITS.contains(&h.as_str())
            || fold::ENGLISH_LOCAL_UNITS.contains(&h.as_str())
    })
}

/// Whether `place`, the answer for `mention`, stands for an area rather than a point: an
/// administrative area, or a mention that names the area around a place ("Homs badia").
pub fn is_area(place: &Brief, mention: &str) -> bool {
    place.feature_class == "A" || names_an_area(mention)
}

/// What a building's head asks for: a spot.
const BUILDING: &[&str] = &["S"];

/// The feature classes a mention's head asks for.
fn expected_classes(mention: &str) -> Option<&'static [&'static str]> {
    let words = fold::fold(mention);
    let head = words.iter().find(|w| w.head).map(|w| w.key.as_str());
    let english = fold::english_head(mention);
    match (head, english.as_deref()) {
        (
            _,
            Some(
                "hill" | "hills" | "mountain" | "mountains" | "mount" | "ridge" | "peak"
                | "hilltop" | "heights",
            ),
        ) => Some(&["T"]),
        (_, Some("valley" | "river" | "lake")) => Some(&["H", "T"]),
        (
            _,
            Some(
                "village" | "town" | "city" | "suburb" | "neighbourhood" | "neighborhood"
                | "quarter",
            ),
        ) => Some(&["P"]),
        // an administration is an administrative area, never a hill or spring of its name ("Ar
        // Raqqa governorate" is not Lebanon's Er Rakaa); a region may be a range or a plain
        (_, Some("district" | "governorate" | "province" | "subdistrict" | "municipality")) => {
            Some(&["A"])
        }
        (_, Some("region")) => Some(&["A", "L", "T"]),
        (_, Some(h)) if fold::ENGLISH_FIRST_UNITS.contains(&h) => Some(&["A"]),
        (
            _,
            Some(
                "crossing" | "border" | "checkpoint" | "airbase" | "airport" | "base" | "dam"
                | "bridge",
            ),
        ) => Some(&["S", "L", "T", "P"]),
        // a building is a spot, never the village it is named after ("Al Rasi hospital in Halba")
        (
            _,
            Some(
                "hospital" | "school" | "mosque" | "church" | "market" | "prison" | "roundabout"
                | "stadium" | "factory",
            ),
        ) => Some(BUILDING),
        // "the barrens (jurd) of X" are named after the town X
        (Some("jurd"), _) => Some(&["P", "T", "L"]),
        (Some("jabal" | "dahr" | "qarn" | "harf"), _) => Some(&["T", "L", "V"]),
        // a cape, a valley or a mound, and the towns named after one ("Ras al-Ain", "Wadi
        // al-Uyun", "Tal Abyad")
        (Some("tal"), _) => Some(&["T", "L", "V", "P"]),
        (Some("ras"), _) => Some(&["T", "L", "V", "P"]),
        (Some("wadi"), _) => Some(&["H", "T", "P"]),
        // a spring, and the many towns named after one ("Ain al Arab" is Kobani, "Ain Issa")
        (Some("ayn"), _) => Some(&["H", "T", "P"]),
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

/// A place found by name, with how its name matched: the part of ranking that reads the store.
pub type Found = (Arc<Brief>, Match);

/// Candidates by name alone, with how they matched.
/// `focus`: the document's countries, which order the candidates read first.
pub fn retrieve(store: &Store, mention: &str, focus: &[String]) -> Result<Vec<Found>> {
    Ok(retrieve_near(store, mention, focus, None)?.0)
}

/// As [`retrieve`]; when a word names more places than are read, those nearest `centre` (the
/// document's other places, or the place the text relates the mention to) are read first rather
/// than the most populous. Also answers whether places were left unread.
pub fn retrieve_near(
    store: &Store,
    mention: &str,
    focus: &[String],
    centre: Option<(f64, f64)>,
) -> Result<(Vec<Found>, bool)> {
    let words = fold::fold(mention);
    if words.is_empty() {
        return Ok((Vec::new(), false));
    }
    let full = words
        .iter()
        .map(|w| w.key.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    let mut out: HashMap<String, Found> = HashMap::new();
    for id in store.ids_by_name(&full)? {
        if let Some(p) = store.brief(&id)? {
            out.insert(id, (p, Match::Exact));
        }
    }
    if is_acronym(mention) {
        // (an acronym's words are not looked up one by one, nor spelt nearly)
        out.retain(|_, (p, _)| spelt_as(p, mention));
        return Ok((out.into_values().collect(), false));
    }
    let core: Vec<&str> = words
        .iter()
        .filter(|w| !w.head)
        .map(|w| w.key.as_str())
        .collect();
    if core.is_empty() {
        return Ok((out.into_values().collect(), false));
    }
    let lists = word_lists(store, &core, focus, out.is_empty())?;
    let common = common_hits(&lists);
    let (common, truncated) = reading_order(common, focus, centre);
    for (id, fuzzy) in common {
        if out.contains_key(&id) {
            continue;
        }
        let Some(p) = store.brief(&id)? else { continue };
        // coverage: the best share of a name's core words the mention accounts for
        let coverage = name_coverage(&p.keys, &core);
        if coverage < 0.5 {
            continue;
        }
        let m = if fuzzy {
            Match::Fuzzy { coverage }
        } else {
            Match::Words { coverage }
        };
        out.insert(id, (p, m));
    }
    Ok((out.into_values().collect(), truncated))
}

/// One word's lists of places: its exact hits, then those of its near spellings, each with
/// whether it came through a near spelling.
type WordLists = Vec<(Arc<Vec<WordHit>>, bool)>;

/// The places having each `core` word; a word with no exact hit falls back to near spellings
/// (bounded: a capped number of index keys sharing its first two letters) when `no_whole_name`
/// matched. Each word's lists are shared with the store's cache: nothing is copied until the
/// chosen few.
fn word_lists(
    store: &Store,
    core: &[&str],
    focus: &[String],
    no_whole_name: bool,
) -> Result<Vec<WordLists>> {
    let mut lists: Vec<WordLists> = Vec::with_capacity(core.len());
    for w in core {
        let hits = store.ids_by_word(w, focus, WORD_CAP)?;
        let mut word = Vec::new();
        // near spellings when no name matched whole, unless the word itself is common (found
        // exactly in many places, it is spelled as places are, and its neighbours are noise)
        if no_whole_name && w.chars().count() >= 4 && hits.len() < FUZZY_WORD_CAP {
            let max = if w.chars().count() >= 7 { 2 } else { 1 };
            for (_, fhits) in store.fuzzy_words(w, max, FUZZY_BUDGET, focus, FUZZY_WORD_CAP)? {
                word.push((fhits, true));
            }
        }
        word.insert(0, (hits, false));
        lists.push(word);
    }
    Ok(lists)
}

/// The places every word's lists hold, once each, with whether any word reached it only through
/// a near spelling: the word naming fewest places drives; the others are looked up.
fn common_hits(lists: &[WordLists]) -> Vec<(&WordHit, bool)> {
    let size = |k: usize| lists[k].iter().map(|(l, _)| l.len()).sum::<usize>();
    let driver = (0..lists.len()).min_by_key(|&k| size(k)).unwrap_or(0);
    let others: Vec<FxHashMap<&str, bool>> = (0..lists.len())
        .filter(|&k| k != driver)
        .map(|k| {
            let mut m = FxHashMap::with_capacity_and_hasher(size(k), Default::default());
            for (l, fz) in &lists[k] {
                for h in l.iter() {
                    let e = m.entry(&*h.id).or_insert(*fz);
                    *e = *e && *fz;
                }
            }
            m
        })
        .collect();
    let mut seen: FxHashSet<&str> = FxHashSet::default();
    let mut common: Vec<(&WordHit, bool)> = Vec::new();
    for (l, fz) in &lists[driver] {
        'hit: for h in l.iter() {
            if !seen.insert(&*h.id) {
                continue;
            }
            let mut fuzzy = *fz;
            for m in &others {
                match m.get(&*h.id) {
                    Some(f) => fuzzy |= *f,
                    None => continue 'hit,
                }
            }
            common.push((h, fuzzy));
        }
    }
    common
}

/// The ids of the places to read, in reading order, each with whether it matched through a near
/// spelling, and whether places were left unread: at most CANDIDATE_CAP, exact words before near
/// spellings, the document's countries before others, then nearest `centre`, then the most
/// populous (a common word like "sai" or "saint" names thousands of places).
fn reading_order(
    common: Vec<(&WordHit, bool)>,
    focus: &[String],
    centre: Option<(f64, f64)>,
) -> (Vec<(String, bool)>, bool) {
    let away = |h: &WordHit| match (centre, h.at) {
        (Some(c), Some((la, lo))) => haversine_km(c, (la as f64, lo as f64)),
        (Some(_), None) => f64::MAX,
        (None, _) => 0.0,
    };
    // sort keys computed once per place: near spellings last, then outside the focus, then far,
    // then the least populous
    let mut common: Vec<Ranked> = common
        .into_iter()
        .map(|(h, fz)| {
            (
                (
                    fz,
                    !focus.iter().any(|c| h.country == country_bytes(c)),
                    away(h),
                    std::cmp::Reverse(h.population),
                ),
                h,
                fz,
            )
        })
        .collect();
    let order = |a: &Ranked, b: &Ranked| {
        a.0 .0
            .cmp(&b.0 .0)
            .then(a.0 .1.cmp(&b.0 .1))
            .then(
                a.0 .2
                    .partial_cmp(&b.0 .2)
                    .unwrap_or(std::cmp::Ordering::Equal),
            )
            .then(a.0 .3.cmp(&b.0 .3))
            .then_with(|| a.1.id.cmp(&b.1.id))
    };
    let truncated = common.len() > CANDIDATE_CAP;
    if truncated {
        common.select_nth_unstable_by(CANDIDATE_CAP, order);
        common.truncate(CANDIDATE_CAP);
    }
    common.sort_unstable_by(order);
    let common: Vec<(String, bool)> = common
        .into_iter()
        .map(|(_, h, fz)| (h.id.to_string(), fz))
        .collect();
    (common, truncated)
}

/// Whether a place's own name or ASCII name is `text` letter for letter (case and diacritics
/// aside): folded keys join names ("Tall Musa" and "Tallat Mussa", "Kossi" and "Kosī") that a
/// text spelling one of them does not mean as the other.
///
/// A kind word the text adds ("Kathua district", "West Darfur state") is no part of the spelling.
pub fn spelt_as(p: &Brief, text: &str) -> bool {
    let literal = |x: &str| fold::strip(x).to_lowercase();
    let (want, bare) = (literal(text), literal(&without_kind(text)));
    [literal(&p.name), literal(&p.ascii_name)]
        .iter()
        .any(|n| *n == want || *n == bare)
}

/// A mention without the English kind words closing it ("Kyaukpyu township" → "Kyaukpyu").
fn without_kind(text: &str) -> String {
    let mut words: Vec<&str> = text.split_whitespace().collect();
    while words.len() > 1
        && words
            .last()
            .is_some_and(|w| fold::is_english_head(&fold::strip(w).to_lowercase()))
    {
        words.pop();
    }
    words.join(" ")
}

/// Whether a mention names a place by its own name or ASCII name, as folded ("Amara city" is Al
/// ‘Amārah), not by one of its other names (another language's: "Luna" for London).
pub fn by_own_name(p: &Brief, mention: &str) -> bool {
    let want = fold::key(mention);
    !want.is_empty() && (fold::key(&p.name) == want || fold::key(&p.ascii_name) == want)
}

/// Whether a mention is an acronym: two to five capital letters ("PTI", "TRS", "UP"). Folding
/// joins it to names it only resembles ("PPP" to "P-town", "PTI" to a romanised Fethiye): an
/// acronym names a place only when a place is called exactly that.
pub fn is_acronym(mention: &str) -> bool {
    let m = mention.trim();
    (2..=5).contains(&m.len()) && m.bytes().all(|b| b.is_ascii_uppercase())
}

/// A place found by its words, with its reading order: near spellings last, then outside the
/// focus, then far, then the least populous.
type Ranked<'a> = ((bool, bool, f64, std::cmp::Reverse<u64>), &'a WordHit, bool);

/// The best share of a name's core words that the mention's `core` words account for (a word
/// counts when equal or within two edits). Stops at a name wholly accounted for.
fn name_coverage(keys: &[String], core: &[&str]) -> f64 {
    let mut best = 0.0f64;
    for k in keys {
        let (mut words, mut hit) = (0usize, 0usize);
        for w in k.split(' ').filter(|w| !w.is_empty()) {
            words += 1;
            // equal words first: the edit distance only when none is
            if core.contains(&w) || core.iter().any(|c| fold::within_distance(c, w, 2)) {
                hit += 1;
            }
        }
        if words > 0 {
            best = best.max(hit as f64 / words as f64);
            if best >= 1.0 {
                break;
            }
        }
    }
    best
}

/// Context of one resolution.
#[derive(Debug, Clone, Default)]
pub struct Context {
    pub country_focus: Vec<String>,
    /// Where the document's other places are (median of the confident ones), if known.
    pub centroid: Option<(f64, f64)>,
    /// Every place the centroid was made of names an area ("Homs badia", "Idlib governorate"):
    /// it says where the document is only roughly, so distances from it count four times less.
    pub centroid_is_area: bool,
    /// Where the place the text relates this mention to is ("outside X"), if known.
    pub near: Option<(f64, f64)>,
    /// That place is an administrative area ("in Raqqa governorate"): what lies in it may be a
    /// hundred kilometres from its seat, so distances count four times less.
    pub near_is_area: bool,
    /// The country of that place: what the text puts in or near it lies in the same country.
    pub near_country: Option<String>,
    /// That place is an administrative division of the gazetteer ("Nara (Nara, Koulikoro)"):
    /// what lies in it carries its codes, so being inside it is read from them, not from the
    /// distance to its seat (a region is hundreds of kilometres wide).
    pub near_division: Option<Division>,
}

/// An administrative division, by its codes: country, first-level code, and the second-level
/// code for a second-level division.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Division {
    pub country: String,
    pub admin1: String,
    pub admin2: Option<String>,
}

impl Division {
    /// The division a place is, when it is a first- or second-level one with its codes.
    pub fn of(p: &Brief) -> Option<Division> {
        let admin2 = match p.feature_code.as_str() {
            "ADM1" | "ADM1H" => None,
            "ADM2" | "ADM2H" if !p.admin2.is_empty() => Some(p.admin2.clone()),
            _ => return None,
        };
        (!p.country_code.is_empty() && !p.admin1.is_empty() && p.admin1 != "00").then(|| Division {
            country: p.country_code.clone(),
            admin1: p.admin1.clone(),
            admin2,
        })
    }

    /// Whether a place lies in it, by its codes.
    pub fn contains(&self, p: &Brief) -> bool {
        p.country_code == self.country
            && p.admin1 == self.admin1
            && self.admin2.as_ref().is_none_or(|a| &p.admin2 == a)
    }
}

/// Score the candidates of `mention` in `ctx`, best first.
pub fn rank(store: &Store, mention: &str, ctx: &Context) -> Result<Vec<Scored>> {
    rank_explained(store, mention, ctx, EXPLAINED)
}

/// As [`rank`], explaining the best `explained` candidates.
pub fn rank_explained(
    store: &Store,
    mention: &str,
    ctx: &Context,
    explained: usize,
) -> Result<Vec<Scored>> {
    Ok(score_explained(
        &retrieve(store, mention, &ctx.country_focus)?,
        mention,
        ctx,
        explained,
    ))
}

/// What scoring reads of a mention, worked out once for all its candidates.
struct Reading {
    /// The feature classes its head asks for ([`expected_classes`]).
    expected: Option<&'static [&'static str]>,
    /// It has an English kind word ("hill" in "Al-Barouh hill").
    has_english_head: bool,
    /// Its generic heads, folded.
    heads: Vec<String>,
}

impl Reading {
    fn of(mention: &str) -> Reading {
        Reading {
            expected: expected_classes(mention),
            has_english_head: fold::english_head(mention).is_some(),
            heads: fold::fold(mention)
                .into_iter()
                .filter(|w| w.head)
                .map(|w| w.key)
                .collect(),
        }
    }
}

/// Score candidates already retrieved for `mention` in `ctx`, best first (pure: a document's
/// second pass re-scores with the centroid without reading the store again).
pub fn score(found: &[Found], mention: &str, ctx: &Context) -> Vec<Scored> {
    score_explained(found, mention, ctx, EXPLAINED)
}

/// As [`score`], explaining the best `explained` candidates in words (the rest: empty).
pub fn score_explained(
    found: &[Found],
    mention: &str,
    ctx: &Context,
    explained: usize,
) -> Vec<Scored> {
    let reading = Reading::of(mention);
    let mut scored: Vec<Scored> = found
        .iter()
        .map(|(p, m)| Scored {
            place: p.clone(),
            score: score_one(p, *m, ctx, &reading, false).0,
            explanation: String::new(),
            matched: *m,
        })
        .collect();
    scored.sort_by(|a, b| {
        b.score
            .partial_cmp(&a.score)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then_with(|| a.place.id.cmp(&b.place.id))
    });
    // explanations are written for the candidates a caller can be shown, not for every one scored
    for s in scored.iter_mut().take(explained) {
        if let Some((_, m)) = found.iter().find(|(p, _)| p.id == s.place.id) {
            s.explanation = score_one(&s.place, *m, ctx, &reading, true).1;
        }
    }
    scored
}

/// Candidates, best first, whose scores are explained in words: the best and four alternatives,
/// what `Resolve` returns.
pub const EXPLAINED: usize = 5;

macro_rules! note {
    ($why:expr, $($arg:tt)*) => {
        if !$why.is_empty() {
            $why.push($($arg)*);
        }
    };
}

/// One candidate's score, and (with `explain`) how it was made.
fn score_one(
    p: &Brief,
    m: Match,
    ctx: &Context,
    reading: &Reading,
    explain: bool,
) -> (f64, String) {
    let mut t = Tally {
        score: m.score(),
        why: Vec::new(),
    };
    if explain {
        t.why.push(format!("name {:?} {:.2}", m, m.score()));
    }
    t.generic_head(p, m, &reading.heads);
    t.class_fit(p, reading);
    t.country_focus(p, m, ctx);
    t.document_places(p, m, ctx);
    t.related_place(p, m, ctx);
    t.related_country(p, ctx);
    t.prominence(p);
    (t.score, t.why.join("; "))
}

/// A candidate's score in the making, and (when explained) how it was made: each step adds its
/// part to the score and says so.
struct Tally {
    score: f64,
    /// Empty unless explained: then the name's match first, then a note per step that counted.
    why: Vec<String>,
}

impl Tally {
    /// The mention's generic head is part of what it names: "Ain al Arab" is no "Jabal
    /// al-Arab", and "Deir Ballut" no near spelling of "Bayrut".
    fn generic_head(&mut self, p: &Brief, m: Match, heads: &[String]) {
        if !heads.is_empty() && !matches!(m, Match::Exact) {
            let theirs = &p.heads;
            let other = !theirs.is_empty() && !theirs.iter().any(|h| heads.contains(h));
            let missing = theirs.is_empty() && matches!(m, Match::Fuzzy { .. });
            if other || missing {
                self.score -= 0.2;
                note!(
                    self.why,
                    format!(
                        "{} -0.20",
                        if other {
                            "another generic head"
                        } else {
                            "no generic head"
                        }
                    )
                );
            }
        }
    }

    /// The fit of the place's feature class to what the mention's head asks for.
    fn class_fit(&mut self, p: &Brief, reading: &Reading) {
        let expected = reading.expected;
        match expected {
            Some(classes) if classes.contains(&p.feature_class.as_str()) => {
                self.score += 0.15;
                note!(self.why, format!("class {} fits +0.15", p.feature_class));
            }
            // an administration the gazetteer lacks is known by its seat: "Al Amadiya district" is
            // where Amadiya, the town seating it, stands
            Some(["A"]) if seat_prominence(&p.feature_code) > 0.0 => {
                note!(
                    self.why,
                    format!("seat ({}) of an administration", p.feature_code)
                );
            }
            Some(_) => {
                // "Al-Barouh hill" is not a city, whatever its old names; and a building named after
                // a man is no village of his name
                let adj = if expected == Some(BUILDING) {
                    0.5
                } else if reading.has_english_head {
                    0.25
                } else {
                    0.1
                };
                self.score -= adj;
                note!(
                    self.why,
                    format!("class {} does not fit -{adj:.2}", p.feature_class)
                );
            }
            None if matches!(p.feature_class.as_str(), "P" | "A") => {
                self.score += 0.05;
                note!(self.why, "populated/administrative +0.05".into());
            }
            _ => {}
        }
    }

    /// In the document's countries is better; outside them, worse.
    fn country_focus(&mut self, p: &Brief, m: Match, ctx: &Context) {
        if ctx.country_focus.iter().any(|c| p.in_country(c)) {
            self.score += 0.1;
            note!(
                self.why,
                format!("country {} in focus +0.10", p.country_code)
            );
        } else if !ctx.country_focus.is_empty() && !p.provisional {
            // a document about Syria that names a village is not naming Lebanon's namesake, still
            // less a near spelling of it ("Al Shuhayl" is no Lebanese Shaïli)
            // (nor a hamlet of Lebanon's that shares a Syrian village's name: a plain village abroad
            // counts against as much as a near spelling)
            let plain_village = p.population == 0 && seat_prominence(&p.feature_code) == 0.0;
            let adj = if matches!(m, Match::Fuzzy { .. }) || plain_village {
                0.4
            } else {
                0.3
            };
            self.score -= adj;
            note!(
                self.why,
                format!(
                    "country {} outside the document's ({}) -{adj:.2}",
                    p.country_code,
                    ctx.country_focus.join(", ")
                )
            );
        }
    }

    /// The distance from the document's other places.
    fn document_places(&mut self, p: &Brief, m: Match, ctx: &Context) {
        if let (Some(c), true) = (ctx.centroid, p.located()) {
            // closer to the document's other places is better; far away is a different place
            let d = haversine_km(c, (p.lat, p.lon)) / if ctx.centroid_is_area { 4.0 } else { 1.0 };
            // (a near spelling far from the rest is rather a place the data lacks: "Flita" in a text
            // about Yabroud is no Lebanese village 55 km off that spells like it)
            let far = if d > 80.0 || (matches!(m, Match::Fuzzy { .. }) && d > 40.0) {
                0.3
            } else {
                0.0
            };
            let adj = 0.25 * (-d / 25.0).exp() - far;
            self.score += adj;
            note!(
                self.why,
                format!("{d:.0} km from the document's places {adj:+.2}")
            );
        }
    }

    /// Where the text puts the place: inside the division it names, or the distance from the
    /// place it relates it to.
    fn related_place(&mut self, p: &Brief, m: Match, ctx: &Context) {
        let inside = ctx.near_division.as_ref().filter(|_| !p.provisional);
        if let Some(div) = inside {
            // the text puts it in a division: inside it by its codes is where the text says, outside
            // it another place, however near the division's seat
            let adj = if div.contains(p) { 0.3 } else { -0.5 };
            self.score += adj;
            note!(
                self.why,
                format!(
                    "{} the division the text puts it in {adj:+.2}",
                    if adj > 0.0 { "inside" } else { "outside" }
                )
            );
        } else if let (Some(n), true) = (ctx.near, p.located()) {
            // the text relates it to a known place ("overlooks Arsal")
            // an administrative area's seat stands for all of it: distances from it count less
            let d = haversine_km(n, (p.lat, p.lon)) / if ctx.near_is_area { 4.0 } else { 1.0 };
            // far from where the text puts it is another place: a near spelling past 15 km ("Nimane
            // town in Aleppo countryside" is not Ma'arrat an Nu'man, 60 km off), a namesake past 50 km
            // ("Al Rasi hospital in Halba" is not Rassiyé, 79 km away; "Khaneh village in the
            // countryside of Tell Abiad" is not a Khaneh by Homs), or past 160 km from an area's seat
            let far = match m {
                Match::Fuzzy { .. } if d > 15.0 => 0.5,
                _ if d > if ctx.near_is_area { 40.0 } else { 50.0 } => 0.5,
                _ if d > 40.0 => 0.2,
                _ => 0.0,
            };
            let adj = 0.3 * (-d / 10.0).exp() - far;
            self.score += adj;
            note!(
                self.why,
                format!("{d:.0} km from the place the text relates it to {adj:+.2}")
            );
        }
    }

    /// Outside the country of the place the text relates it to is worse.
    fn related_country(&mut self, p: &Brief, ctx: &Context) {
        if let Some(c) = ctx
            .near_country
            .as_deref()
            .filter(|c| !c.is_empty() && !p.provisional && !p.in_country(c))
        {
            // "Kabani axis in Latakia countryside" is in Syria, whatever namesake Lebanon has
            self.score -= 0.3;
            note!(
                self.why,
                format!("not in the country ({c}) of the place the text relates it to -0.30")
            );
        }
    }

    /// Prominence: the population, or for a place without one (most of GeoNames' villages) the
    /// rank of the administration it seats: of two namesakes, news names the district's seat.
    fn prominence(&mut self, p: &Brief) {
        let people = if p.population > 0 {
            ((p.population as f64 + 1.0).log10() / 75.0).min(0.08)
        } else {
            0.0
        };
        let seat = seat_prominence(&p.feature_code);
        if people > 0.0 && people >= seat {
            // (of two namesakes of a size, the one seating an administration: "El Salto,
            // Jalisco" is the municipality's seat, not a town of 900 more people 140 km off)
            let seats = if seat > 0.0 { 0.01 } else { 0.0 };
            self.score += people + seats;
            note!(
                self.why,
                format!(
                    "population {} {people:+.2}{}",
                    p.population,
                    if seats > 0.0 { ", a seat +0.01" } else { "" }
                )
            );
        } else if seat > 0.0 {
            self.score += seat;
            note!(
                self.why,
                format!("seat of an administration ({}) {seat:+.2}", p.feature_code)
            );
        }
    }
}

/// What being the seat of an administration says of a place's prominence, on the population
/// bonus's scale: a capital as much as a city of a million, a fourth-order seat as a village.
fn seat_prominence(feature_code: &str) -> f64 {
    match feature_code {
        "PPLC" => 0.08,
        "PPLA" => 0.06,
        "PPLA2" => 0.04,
        "PPLA3" => 0.03,
        "PPLA4" => 0.02,
        _ => 0.0,
    }
}

/// A near spelling or a partial name farther than this from where the text puts it (the place it
/// relates the mention to) is another place: one the data lacks.
pub const PARTIAL_FROM_NEAR_KM: f64 = 25.0;
/// The same, from the document's other places.
pub const PARTIAL_FROM_DOCUMENT_KM: f64 = 40.0;
/// An exact namesake of no prominence farther than this from the place the text relates it to,
/// or from the document's other places, is another place too.
pub const NAMESAKE_FROM_NEAR_KM: f64 = 100.0;
pub const NAMESAKE_FROM_DOCUMENT_KM: f64 = 250.0;

/// Whether a place is known far beyond its surroundings: a country, a first-level division, a
/// capital or a division's seat, or a city of 100 000 people: news names it wherever it is, so a
/// mention of its exact name is it even abroad or far from the rest.
pub fn prominent(p: &Brief) -> bool {
    p.population >= 100_000
        || matches!(
            p.feature_code.as_str(),
            "PPLC" | "PPLA" | "PCLI" | "PCLD" | "PCLS" | "PCLF" | "PCLIX" | "PCL" | "ADM1"
        )
}

/// Why an accepted candidate is still not trusted, if it is not: a wrong coordinate is worse than
/// none. A near spelling or a partial name far from where the text puts it (the place it relates
/// the mention to, else the document's other places), a namesake outside the document's
/// countries, or an exact namesake of no prominence very far from the rest is a place the data
/// lacks, not this one (distances from an area count four times less, as in scoring).
pub fn distrust(s: &Scored, mention: &str, ctx: &Context) -> Option<String> {
    let p = &s.place;
    if !p.located() {
        return None;
    }
    // every word of one of its names named is as good as its exact name ("Al-Barouh hill" is
    // "Jabal Nabi Baruh"), unless the mention's generic head is not the place's ("Ras al-Maara",
    // a cape, is no town "Maarra"); a near spelling or a name only partly named is not
    let heads: Vec<String> = fold::fold(mention)
        .into_iter()
        .filter(|w| w.head)
        .map(|w| w.key)
        .collect();
    let same_kind = heads.is_empty() || heads.iter().any(|h| p.heads.contains(h));
    let exact = match s.matched {
        Match::Exact => true,
        Match::Words { coverage } => coverage >= 1.0 && same_kind,
        Match::Fuzzy { .. } => false,
    };
    // a place is known widely by its own name: "Luna" is what one language calls London, not
    // what a report from Ituri means by it
    let known_widely = prominent(p) && by_own_name(p, mention);
    let abroad =
        !ctx.country_focus.is_empty() && !ctx.country_focus.iter().any(|c| p.in_country(c));
    // abroad, a division's seat is no name the world knows ("the Agri area" in a note from
    // Darfur is no Ağrı, Turkey's provincial seat): a capital, a country or a city of 100 000 is
    // (a division the text calls one, "Tillaberi region", puts its country in the focus)
    let known_abroad = known_widely
        && (p.population >= 100_000
            || p.feature_code == "PPLC"
            || p.feature_code.starts_with("PCL"));
    if abroad && (!exact || !known_abroad) {
        return Some(format!(
            "{} is outside the document's countries ({})",
            p.country_code,
            ctx.country_focus.join(", ")
        ));
    }

    // a near spelling or a partial name with nothing in the text to place it (no related place,
    // no other place) is a guess among the world's places ("Waya" is no Weifang), or among a
    // country's thousands ("Tallat Moussa", a hill, is not "Haouch Moussa", a town): only a
    // prominent place is worth that guess, and only inside the document's countries
    if !exact
        && ctx.near.is_none()
        && ctx.centroid.is_none()
        && (ctx.country_focus.is_empty() || !known_widely)
    {
        return Some("a near spelling, and nothing in the text says where it is".into());
    }
    // nor is a town's other name, with no country and nothing else to say where: one of the
    // world's namesakes in some language ("Bwisha" is also a Californian hamlet's, "Santa" a
    // German town's); a town seating an administration is what its names name ("Bsharri" is
    // Bcharré)
    if ctx.country_focus.is_empty()
        && ctx.near.is_none()
        && ctx.centroid.is_none()
        && !prominent(p)
        && seat_prominence(&p.feature_code) == 0.0
        && !spelt_as(p, mention)
    {
        return Some("another of its names, and nothing in the text says which country".into());
    }
    let here = (p.lat, p.lon);
    let from = |c: (f64, f64), area: bool| haversine_km(c, here) / if area { 4.0 } else { 1.0 };
    if let Some(div) = &ctx.near_division {
        if !div.contains(p) && !known_widely {
            return Some("outside the division the text puts it in".into());
        }
    } else if let Some(n) = ctx.near {
        let d = from(n, ctx.near_is_area);
        if (!exact && d > PARTIAL_FROM_NEAR_KM) || (!known_widely && d > NAMESAKE_FROM_NEAR_KM) {
            return Some(format!("{d:.0} km from the place the text relates it to"));
        }
    } else if let Some(c) = ctx.centroid {
        let d = from(c, ctx.centroid_is_area);
        if (!exact && d > PARTIAL_FROM_DOCUMENT_KM)
            || (!known_widely && d > NAMESAKE_FROM_DOCUMENT_KM)
        {
            return Some(format!("{d:.0} km from the document's other places"));
        }
    }
    None
}

/// The town seating a local division `b` (ADM2 and finer): a populated place of exactly its
/// name among the candidates, in its country and first-level division, within 100 km of its
/// point. GeoNames puts some divisions at their seat and others at their middle; ACLED codes an
/// event told in a division at its seat, with precision 2.
pub fn seat_of<'a>(b: &Scored, ranked: &'a [Scored]) -> Option<&'a Scored> {
    let p = &b.place;
    if !matches!(
        p.feature_code.as_str(),
        "ADM2" | "ADM3" | "ADM4" | "ADM5" | "ADMD"
    ) {
        return None;
    }
    ranked.iter().find(|s| {
        let q = &s.place;
        s.matched == Match::Exact
            && !q.provisional
            && q.feature_class == "P"
            && q.country_code == p.country_code
            && (p.admin1.is_empty() || q.admin1 == p.admin1)
            && haversine_km((p.lat, p.lon), (q.lat, q.lon)) <= 100.0
    })
}

/// How precisely a resolved place locates what the text tells (ACLED's geo_precision): 1 the
/// place itself, 2 a place near or containing it (the area around a town, a place located from
/// the places the text relates it to), 3 a region (a country, a division, a range, a desert).
/// 0: no coordinates.
pub fn precision(p: &Brief, mention: &str) -> u32 {
    if !p.located() {
        return 0;
    }
    if p.provisional {
        return 2;
    }
    let region = matches!(
        p.feature_code.as_str(),
        "PCLI"
            | "PCLD"
            | "PCLS"
            | "PCLF"
            | "PCLIX"
            | "PCL"
            | "ADM1"
            | "ADM2"
            | "ADM3"
            | "ADMD"
            | "RGN"
            | "MTS"
            | "DSRT"
            | "PLAT"
            | "VAL"
            | "AREA"
            | "UPLD"
            | "PLN"
    );
    if region {
        return 3;
    }
    match fold::english_head(mention).as_deref() {
        Some("governorate" | "province" | "district" | "subdistrict" | "region") => 3,
        Some(h) if fold::ENGLISH_FIRST_UNITS.contains(&h) => 3,
        Some(h) if fold::ENGLISH_LOCAL_UNITS.contains(&h) => 2,
        Some("countryside" | "badia" | "desert" | "outskirts" | "area" | "axis" | "barrens") => 2,
        _ => 1,
    }
}

/// A country or a first-level division (a province, a state, a region).
pub fn is_country_or_first_division(p: &Brief) -> bool {
    matches!(
        p.feature_code.as_str(),
        "ADM1" | "ADM1H" | "PCLI" | "PCLD" | "PCLS" | "PCLF" | "PCLIX" | "PCL" | "TERR"
    )
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
    // an even count's median is halfway between its middle two
    let mid = |v: &[f64]| {
        if v.len().is_multiple_of(2) {
            (v[v.len() / 2 - 1] + v[v.len() / 2]) / 2.0
        } else {
            v[v.len() / 2]
        }
    };
    Some((mid(&la), mid(&lo)))
}

/// Confidence 0..1 from the best score and the margin over the runner-up.
pub fn confidence(best: f64, second: Option<f64>) -> f64 {
    let base = ((best - 0.3) / 0.9).clamp(0.0, 1.0);
    let margin = second.map_or(1.0, |s| ((best - s) / 0.3).clamp(0.0, 1.0));
    (base * (0.6 + 0.4 * margin)).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn village(id: &str, code: &str, population: u64, lat: f64) -> Found {
        let b = Brief {
            id: id.into(),
            name: "Kfar Tell".into(),
            lat,
            lon: 35.6,
            feature_class: "P".into(),
            feature_code: code.into(),
            country_code: "LB".into(),
            population,
            ..Default::default()
        };
        (Arc::new(b), Match::Exact)
    }

    fn scored(name: &str, code: &str, country: &str, population: u64) -> Scored {
        Scored {
            place: Arc::new(Brief {
                id: format!("t:{name}"),
                name: name.into(),
                ascii_name: fold::strip(name),
                lat: 10.0,
                lon: 10.0,
                feature_class: "P".into(),
                feature_code: code.into(),
                country_code: country.into(),
                population,
                ..Default::default()
            }),
            score: 1.2,
            explanation: String::new(),
            matched: Match::Exact,
        }
    }

    #[test]
    fn a_place_known_widely_abroad_is_named_by_its_own_name() {
        let ctx = Context {
            country_focus: vec!["CD".into()],
            ..Default::default()
        };
        // "Luna" is one language's London: not what a report from Ituri means
        let london = scored("London", "PPLC", "GB", 8_900_000);
        assert!(distrust(&london, "Luna", &ctx).is_some());
        assert!(distrust(&london, "London", &ctx).is_none());
        // abroad, a division's seat is no name the world knows: "the Agri area" in a note from
        // Darfur is no Ağrı (Turkey's provincial seat, 92 000 people)
        let sudan = Context {
            country_focus: vec!["SD".into()],
            ..Default::default()
        };
        let agri = scored("Ağrı", "PPLA", "TR", 92_022);
        assert!(distrust(&agri, "Agri area", &sudan).is_some());
        assert!(distrust(&agri, "Agri", &Context::default()).is_none());
        // the own name as folded: "Amara city" is Al ‘Amārah
        let amara = scored("Al ‘Amārah", "PPLA", "IQ", 420_000);
        assert!(by_own_name(&amara.place, "Amara city"));
        // with no country and nothing near, a town's other name is a guess among the world's
        // namesakes; its own name, or a seat's other name, is not
        let none = Context::default();
        let hamlet = scored("Lewiston", "PPL", "US", 1_193);
        assert!(distrust(&hamlet, "Bwisha", &none).is_some());
        assert!(distrust(&hamlet, "Lewiston", &none).is_none());
        let seat = scored("Bcharré", "PPLA2", "LB", 20_000);
        assert!(distrust(&seat, "Bsharri", &none).is_none());
    }

    #[test]
    fn a_kind_word_is_no_part_of_the_spelling() {
        let state = scored("West Darfur", "ADM1", "SD", 0);
        assert!(spelt_as(&state.place, "West Darfur state"));
        assert!(spelt_as(&state.place, "West Darfur"));
        assert!(!spelt_as(&state.place, "Darfur"));
        assert_eq!(
            precision(
                &scored("Kyaukpyu", "PPLA3", "MM", 0).place,
                "Kyaukpyu township"
            ),
            2
        );
        assert!(names_an_area("Kalehe territory"));
    }

    #[test]
    fn of_two_namesakes_the_seat_of_an_administration_is_named() {
        let ctx = Context {
            country_focus: vec!["LB".into()],
            ..Default::default()
        };
        // the plain village comes first by id: only the seat's rank can put the other first
        let found = [village("a", "PPL", 0, 33.5), village("b", "PPLA2", 0, 33.7)];
        let ranked = score(&found, "Kfar Tell", &ctx);
        assert_eq!(ranked[0].place.id, "b");
        assert!(
            ranked[0].explanation.contains("seat"),
            "{}",
            ranked[0].explanation
        );
        // a populous town still outranks a small seat, and seat and population do not add up
        let found = [
            village("a", "PPL", 200_000, 33.5),
            village("b", "PPLA3", 0, 33.7),
        ];
        assert_eq!(score(&found, "Kfar Tell", &ctx)[0].place.id, "a");
        let alone = score(&[village("c", "PPLA", 1_000_000, 33.7)], "Kfar Tell", &ctx);
        let plain = score(&[village("d", "PPL", 1_000_000, 33.7)], "Kfar Tell", &ctx);
        assert!((alone[0].score - plain[0].score - 0.01).abs() < 1e-9);
        // but of two namesakes of a size, the seat ("El Salto, Jalisco": 21 644 seated, 22 550 not)
        let found = [
            village("e", "PPL", 22_550, 33.5),
            village("f", "PPLA2", 21_644, 33.7),
        ];
        assert_eq!(score(&found, "Kfar Tell", &ctx)[0].place.id, "f");
    }

    #[test]
    fn what_the_text_puts_in_a_place_is_in_its_country() {
        let lb = Brief {
            id: "lb".into(),
            name: "Kabani".into(),
            lat: 34.5,
            lon: 36.1,
            feature_class: "P".into(),
            country_code: "LB".into(),
            ..Default::default()
        };
        let sy = Brief {
            id: "sy".into(),
            name: "Kabani".into(),
            lat: 35.7,
            lon: 36.1,
            feature_class: "P".into(),
            country_code: "SY".into(),
            ..Default::default()
        };
        let found = [(Arc::new(lb), Match::Exact), (Arc::new(sy), Match::Exact)];
        // the document names both countries, and its area is wide enough for either
        let ctx = Context {
            country_focus: vec!["SY".into(), "LB".into()],
            near: Some((35.5, 35.8)),
            near_is_area: true,
            near_country: Some("SY".into()),
            ..Default::default()
        };
        assert_eq!(score(&found, "Kabani", &ctx)[0].place.id, "sy");
    }

    #[test]
    fn what_a_head_asks_for() {
        // towns are named after capes and valleys; an administration is no hill of its name
        assert!(expected_classes("Ras al Ain").is_some_and(|c| c.contains(&"P")));
        assert!(expected_classes("Wadi al Uyun").is_some_and(|c| c.contains(&"P")));
        // a near spelling 55 km from the document's other places is a place the data lacks; the
        // same spelling among them is the place
        let village = |lat: f64| Brief {
            id: "v".into(),
            name: "Brissat".into(),
            lat,
            lon: 35.94,
            feature_class: "P".into(),
            feature_code: "PPL".into(),
            country_code: "LB".into(),
            ..Default::default()
        };
        let far = Context {
            country_focus: vec!["SY".into(), "LB".into()],
            centroid: Some((34.0, 36.45)),
            ..Default::default()
        };
        let ranked = score(
            &[(Arc::new(village(34.24)), Match::Fuzzy { coverage: 1.0 })],
            "Brisat",
            &far,
        );
        assert!(ranked[0].score < ACCEPT, "{}", ranked[0].explanation);
        let near = Context {
            centroid: Some((34.2, 35.95)),
            ..far
        };
        let ranked = score(
            &[(Arc::new(village(34.24)), Match::Fuzzy { coverage: 1.0 })],
            "Brisat",
            &near,
        );
        assert!(ranked[0].score >= ACCEPT, "{}", ranked[0].explanation);
        // "Tal Abyad" is a town as often as a mound: the town's seat must not lose to a hill
        assert!(expected_classes("Tal Abyad").is_some_and(|c| c.contains(&"P") && c.contains(&"T")));
        let hill = Brief {
            id: "hill".into(),
            name: "Tell el Abiad".into(),
            lat: 34.0,
            lon: 36.2,
            feature_class: "T".into(),
            feature_code: "MT".into(),
            country_code: "LB".into(),
            ..Default::default()
        };
        let town = Brief {
            id: "town".into(),
            name: "Tall Abyad".into(),
            lat: 36.7,
            lon: 38.9,
            feature_class: "P".into(),
            feature_code: "PPLA2".into(),
            country_code: "SY".into(),
            ..Default::default()
        };
        let found = [
            (Arc::new(hill), Match::Exact),
            (Arc::new(town), Match::Exact),
        ];
        let ctx = Context {
            country_focus: vec!["SY".into(), "LB".into()],
            ..Default::default()
        };
        assert_eq!(score(&found, "Tal Abyad", &ctx)[0].place.id, "town");
        assert_eq!(expected_classes("Ar Raqqa governorate"), Some(&["A"][..]));
        assert!(expected_classes("Qalamoun region").is_some_and(|c| c.contains(&"T")));
    }

    #[test]
    fn what_names_an_area() {
        assert!(
            names_an_area("Homs badia")
                && names_an_area("the Aleppo countryside")
                && names_an_area("Tadmor district")
        );
        assert!(
            !names_an_area("Homs")
                && !names_an_area("Mare' town")
                && !names_an_area("Al Rasi hospital")
        );
    }

    #[test]
    fn areas_and_buildings_named_after_a_town() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let town = |id: u64, name: &str, lat: f64| crate::store::PlaceRecord {
            id: sitrep_proto::ids::geonames_place_id(id),
            name: name.into(),
            ascii_name: name.into(),
            lat,
            lon: 40.0,
            feature_class: "P".into(),
            feature_code: "PPL".into(),
            country_code: "SY".into(),
            ..Default::default()
        };
        store
            .upsert(&[town(1, "Al Qurayya", 35.0), town(2, "Hamdan", 34.0)])
            .unwrap();
        let ctx = Context {
            country_focus: vec!["SY".into()],
            ..Default::default()
        };
        // the desert around a town, and the front line through it, are found by the town's name
        for mention in ["Al Qurayya badia", "Al Qurayya axis"] {
            let ranked = rank(&store, mention, &ctx).unwrap();
            assert_eq!(
                ranked.first().map(|s| s.place.name.as_str()),
                Some("Al Qurayya"),
                "{mention}"
            );
        }
        // a hospital named after a man is not the village of his name
        let ranked = rank(&store, "Hamdan hospital", &ctx).unwrap();
        assert!(
            ranked.first().is_none_or(|s| s.score < ACCEPT),
            "{:?}",
            ranked.first().map(|s| &s.explanation)
        );
    }

    #[test]
    fn towns_named_after_a_spring_and_airports_after_a_city() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let place = |id: u64, name: &str, class: &str, code: &str, population: u64| {
            crate::store::PlaceRecord {
                id: sitrep_proto::ids::geonames_place_id(id),
                name: name.into(),
                ascii_name: name.into(),
                lat: 36.0 + id as f64 * 0.1,
                lon: 38.0,
                feature_class: class.into(),
                feature_code: code.into(),
                country_code: "SY".into(),
                population,
                ..Default::default()
            }
        };
        store
            .upsert(&[
                place(1, "Ayn al Hamra", "P", "PPL", 40_000),
                place(2, "Jabal al Hamra", "T", "MT", 0),
                place(3, "Dayr Suwan", "P", "PPLA", 300_000),
            ])
            .unwrap();
        let ctx = Context {
            country_focus: vec!["SY".into()],
            ..Default::default()
        };
        // "Ain" heads towns as often as springs; a mountain with another head is no match for it
        let ranked = rank(&store, "Ain al Hamra", &ctx).unwrap();
        assert_eq!(
            ranked.first().map(|s| s.place.name.as_str()),
            Some("Ayn al Hamra"),
            "{:?}",
            ranked.iter().map(|s| &s.explanation).collect::<Vec<_>>()
        );
        // "X International Airport" is found by the city's name
        let ranked = rank(&store, "Dayr Suwan International Airport", &ctx).unwrap();
        assert_eq!(
            ranked
                .first()
                .filter(|s| s.score >= ACCEPT)
                .map(|s| s.place.name.as_str()),
            Some("Dayr Suwan")
        );
    }
}
