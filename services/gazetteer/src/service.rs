//! The gRPC face of the gazetteer.

use std::collections::HashMap;
use std::pin::Pin;

use futures::StreamExt;
use sitrep_proto::v1::gazetteer_service_server::GazetteerService;
use sitrep_proto::v1::{
    Candidate, GetPlaceRequest, GetPlaceResponse, ImportRequest, ImportResponse,
    MergePlacesRequest, MergePlacesResponse, NearbyPlace, NearbyRequest, NearbyResponse, Place,
    PlaceMention, Resolution, ResolveRequest, ResolveResponse, SearchRequest, SearchResponse,
};
use sitrep_server::blocking;
use tonic::{Request, Response, Status, Streaming};
use tracing::instrument;

use crate::error::{Error, Result};
use crate::fold;
use crate::import;
use crate::resolve::{self, spelt_as, Context, Scored, ACCEPT};
use crate::store::{cell_of, Brief, PlaceRecord, Store};

/// At most this many mentions in one Resolve call.
const MAX_MENTIONS: usize = 2000;
/// At most this long a mention or query.
const MAX_NAME: usize = 300;

#[derive(Clone)]
pub struct Gazetteer {
    store: Store,
}

impl Gazetteer {
    pub fn new(store: Store) -> Self {
        Gazetteer { store }
    }
}

pub fn to_proto(p: &PlaceRecord) -> Place {
    Place {
        id: p.id.clone(),
        name: p.name.clone(),
        ascii_name: p.ascii_name.clone(),
        alternate_names: p.alternate_names.clone(),
        lat: p.lat,
        lon: p.lon,
        feature_class: p.feature_class.clone(),
        feature_code: p.feature_code.clone(),
        country_code: p.country_code.clone(),
        admin1: p.admin1.clone(),
        admin2: p.admin2.clone(),
        population: p.population,
        provisional: p.provisional,
        documents: p.documents.clone(),
        location_estimated: p.location_estimated,
        hierarchy: Vec::new(),
    }
}

impl Gazetteer {
    /// A scored place as returned: its full record, read now (ranking only read its brief).
    /// A scored place as returned: from its brief (no alternate names: `Get` has them, and a large
    /// city's hundreds of names would dominate the cost of a resolution); a provisional place
    /// from its record (its documents).
    fn candidate(&self, s: &Scored) -> Result<Candidate> {
        let b = &s.place;
        let place = if b.provisional {
            match self.store.get(&b.id)? {
                Some(p) => to_proto(&p),
                None => {
                    return Err(Error::Corrupt(format!(
                        "place {} has a brief but no record",
                        b.id
                    )))
                }
            }
        } else {
            Place {
                id: b.id.clone(),
                name: b.name.clone(),
                ascii_name: b.ascii_name.clone(),
                lat: b.lat,
                lon: b.lon,
                feature_class: b.feature_class.clone(),
                feature_code: b.feature_code.clone(),
                country_code: b.country_code.clone(),
                admin1: b.admin1.clone(),
                admin2: b.admin2.clone(),
                population: b.population,
                ..Default::default()
            }
        };
        Ok(Candidate {
            place: Some(place),
            score: s.score,
            explanation: s.explanation.clone(),
        })
    }

    fn candidates<'a>(&self, scored: impl Iterator<Item = &'a Scored>) -> Result<Vec<Candidate>> {
        scored.map(|s| self.candidate(s)).collect()
    }
}

fn check_name(what: &str, s: &str) -> Result<()> {
    if s.trim().is_empty() {
        return Err(Error::InvalidArgument(format!("{what} is empty")));
    }
    if s.chars().count() > MAX_NAME {
        return Err(Error::InvalidArgument(format!(
            "{what} is longer than {MAX_NAME} characters"
        )));
    }
    Ok(())
}

/// The text of a mention without a leading article ("the Al-Barouh hill" → "Al-Barouh hill").
fn clean_mention(s: &str) -> &str {
    let t = s.trim();
    for a in ["the ", "The "] {
        if let Some(r) = t.strip_prefix(a) {
            return r;
        }
    }
    t
}

/// The named parts of a compound ("Ras al-Marra-Arsal border-crossing" → ["Ras al-Marra", "Arsal"]).
fn compound_parts(mention: &str) -> Vec<String> {
    let mut parts: Vec<String> = vec![String::new()];
    for word in mention.split_whitespace() {
        if fold::english_heads().any(|h| {
            word.to_lowercase()
                .split('-')
                .all(|p| p == h || p == "border" || p == "crossing")
        }) {
            continue;
        }
        let pieces: Vec<&str> = word.split('-').collect();
        for (i, piece) in pieces.iter().enumerate() {
            let starts_upper = piece.chars().next().is_some_and(char::is_uppercase);
            let prev_article = i > 0
                && matches!(
                    pieces[i - 1].to_lowercase().as_str(),
                    "al" | "el"
                        | "as"
                        | "ash"
                        | "ad"
                        | "ar"
                        | "az"
                        | "at"
                        | "an"
                        | "ath"
                        | "ed"
                        | "es"
                        | "et"
                        | "ez"
                );
            let cur = parts.last_mut().expect("one part at least");
            if i > 0 && starts_upper && !prev_article && !cur.is_empty() {
                parts.push(piece.to_string());
            } else {
                if !cur.is_empty() {
                    cur.push(if i > 0 { '-' } else { ' ' });
                }
                cur.push_str(piece);
            }
        }
    }
    parts.retain(|p| !p.is_empty());
    parts
}

/// The best known candidate that passes the bar and that the context does not contradict
/// ([`resolve::distrust`]), if the best known one is that.
fn trusted<'a>(ranked: &'a [Scored], mention: &str, ctx: &Context) -> Option<&'a Scored> {
    ranked
        .iter()
        .find(|b| !b.place.provisional)
        .filter(|b| b.score >= ACCEPT && resolve::distrust(b, mention, ctx).is_none())
}

/// The id a provisional place made for `text` gets.
/// A provisional place lists at most this many documents, the first to mention it (the
/// timeline's events at the place reach every one): a name in every bulletin of a feed would
/// otherwise be a record rewritten, larger each time, with each new document.
const MAX_DOCUMENTS: usize = 64;

fn provisional_id_of(text: &str) -> String {
    let key = fold::key(text).replace(' ', "-");
    let key = if key.is_empty() {
        fold::strip(text).replace(' ', "-")
    } else {
        key
    };
    sitrep_proto::ids::provisional_id(&key)
}

/// The provisional place an earlier mention made that this one names too: the best provisional
/// candidate passing the bar that the context does not contradict (its own spelling first, then
/// a near spelling: reports of one place spell an unmapped village several ways, and each spelling
/// its own place would keep their events apart).
fn same_provisional<'a>(ranked: &'a [Scored], mention: &str, ctx: &Context) -> Option<&'a str> {
    let own = provisional_id_of(mention);
    if let Some(s) = ranked.iter().find(|s| s.place.id == own) {
        return Some(&s.place.id);
    }
    ranked
        .iter()
        .find(|s| {
            s.place.provisional && s.score >= ACCEPT && resolve::distrust(s, mention, ctx).is_none()
        })
        .map(|s| s.place.id.as_str())
}

/// A confident place of pass 1, which tells where the document's other places are.
struct Anchor<'a> {
    text: &'a str,
    place: &'a str,
    at: (f64, f64),
    area: bool,
}

/// Two confident places of a document closer than this agree on where it is (four times as far
/// when one is an area).
const AGREE_KM: f64 = 150.0;

/// A division seated closer than this to a place stands for the same spot when a document's
/// centroid is made.
const SAME_SPOT_KM: f64 = 10.0;

/// The countries a document's places name by themselves: a mention or a part of a chain spelt as
/// a country or a first-level division of one country only ("Durango", "Nuevo Leon", "Ituri",
/// "Sokoto"). The text's own words ("Mexican", "in Mexico") give the request's focus; these add
/// what a note naming only its state says ("in Victoria de Durango, Durango" is in Mexico, not
/// Hong Kong's Victoria).
fn named_countries(req: &ResolveRequest, retrieval: &mut Retrieval) -> Result<Vec<String>> {
    let mut texts: Vec<&str> = Vec::new();
    for m in &req.mentions {
        // in a document of known countries, a name alone that happens to be a division abroad
        // ("near the Agri area" in Darfur: Turkey's Ağrı) adds no country; one the text calls a
        // division ("Tillaberi region") or puts in a coder's chain does
        if req.country_focus.is_empty() || names_a_division(&m.text) {
            texts.push(clean_mention(&m.text));
        }
        texts.extend(m.near.split(',').map(clean_mention));
    }
    texts.retain(|t| !t.is_empty() && !resolve::is_acronym(t) && !is_compass(t));
    texts.sort_unstable();
    texts.dedup();
    let mut out: Vec<String> = Vec::new();
    for text in texts {
        let (found, _) = retrieval.get(text)?;
        let countries: Vec<String> = found
            .iter()
            .filter(|(p, _)| {
                !p.provisional && resolve::is_country_or_first_division(p) && spelt_as(p, text)
            })
            .map(|(p, _)| p.country_code.clone())
            .collect();
        if let [cc, rest @ ..] = countries.as_slice() {
            if !cc.is_empty() && rest.iter().all(|c| c == cc) && !out.contains(cc) {
                out.push(cc.clone());
            }
        }
    }
    Ok(out)
}

/// Whether a mention calls itself a first-level division: "Kayah state", "Tillaberi region".
fn names_a_division(mention: &str) -> bool {
    fold::english_head(mention).is_some_and(|h| {
        fold::ENGLISH_FIRST_UNITS.contains(&h.as_str())
            || matches!(h.as_str(), "province" | "governorate" | "region")
    })
}

/// The countries of which `text`, spelt as written, is a country or a first- or second-level
/// division.
fn division_countries(found: &[resolve::Found], text: &str) -> Vec<String> {
    let of = |ok: &dyn Fn(&Brief, resolve::Match) -> bool| -> Vec<String> {
        found
            .iter()
            .filter(|(p, m)| !p.provisional && !p.country_code.is_empty() && ok(p, *m))
            .map(|(p, _)| p.country_code.clone())
            .collect()
    };
    let mut out = of(&|p, _| {
        spelt_as(p, text)
            && (resolve::is_country_or_first_division(p) || resolve::Division::of(p).is_some())
    });
    // else a first-level division by another of its names, exactly ("Hamerkaz" is Israel's
    // Central District, Meẖoz HaMerkaz)
    if out.is_empty() {
        out = of(&|p, m| m == resolve::Match::Exact && p.feature_code == "ADM1");
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// The candidates of each distinct name in one Resolve call, read from the store once (a
/// document names the same places many times); both passes score them.
struct Retrieval<'a> {
    store: &'a Store,
    /// The request's country focus: its countries' places are read first.
    focus: &'a [String],
    found: HashMap<String, (Vec<resolve::Found>, bool)>,
}

impl<'a> Retrieval<'a> {
    fn new(store: &'a Store, focus: &'a [String]) -> Self {
        Retrieval {
            store,
            focus,
            found: HashMap::new(),
        }
    }

    /// The candidates of `text`, and whether places were left unread ([`resolve::retrieve_near`]
    /// with no centre): from the store the first time, then as read then.
    fn get(&mut self, text: &str) -> Result<(Vec<resolve::Found>, bool)> {
        if let Some(f) = self.found.get(text) {
            return Ok(f.clone());
        }
        let f = resolve::retrieve_near(self.store, text, self.focus, None)?;
        self.found.insert(text.to_string(), f.clone());
        Ok(f)
    }
}

/// Refuse a Resolve request with too many mentions, or an empty or overlong one.
fn check_request(req: &ResolveRequest) -> Result<()> {
    if req.mentions.len() > MAX_MENTIONS {
        return Err(Error::InvalidArgument(format!(
            "at most {MAX_MENTIONS} mentions per call, got {}",
            req.mentions.len()
        )));
    }
    for m in &req.mentions {
        check_name("mention text", &m.text)?;
    }
    Ok(())
}

/// The document's context: the request's country focus, then the countries its places name by
/// themselves ([`named_countries`]).
fn document_context(req: &ResolveRequest, retrieval: &mut Retrieval) -> Result<Context> {
    let mut country_focus = req.country_focus.clone();
    for cc in named_countries(req, retrieval)? {
        if !country_focus.contains(&cc) {
            country_focus.push(cc);
        }
    }
    Ok(Context {
        country_focus,
        ..Default::default()
    })
}

/// The confident places of pass 1: a mention's best candidate scoring 1 or more, located, and
/// clear of every candidate elsewhere.
///
/// (a division seated at the same spot, or its seat, is no doubt about where: "Tartous" the city
/// and its governorate, placed at its seat; an anchor that is an area, "Homs badia", stands at
/// its seat, so a centroid of areas only says roughly where)
fn anchors<'a>(first: &'a [Vec<Scored>], mentions: &'a [PlaceMention]) -> Vec<Anchor<'a>> {
    first
        .iter()
        .zip(mentions)
        .filter_map(|(c, m)| {
            let b = c.first().filter(|b| b.score >= 1.0 && b.place.located())?;
            let elsewhere = c.iter().skip(1).find(|s| {
                !s.place.located()
                    || resolve::distance_km((b.place.lat, b.place.lon), (s.place.lat, s.place.lon))
                        > SAME_SPOT_KM
            });
            elsewhere
                .is_none_or(|s| b.score - s.score > 0.2)
                .then_some(())?;
            let text = clean_mention(&m.text);
            Some(Anchor {
                text,
                place: &b.place.id,
                at: (b.place.lat, b.place.lon),
                area: resolve::is_area(&b.place, text),
            })
        })
        .collect()
}

/// Where a document's places are, as pass 1 found them: what the second pass places each mention
/// by.
struct Document<'a> {
    mentions: &'a [PlaceMention],
    /// Each mention's candidates of pass 1, best first.
    first: &'a [Vec<Scored>],
    anchors: Vec<Anchor<'a>>,
    /// Whether each anchor stands near another one.
    agreeing: Vec<bool>,
    /// Whether any anchor does.
    any_agree: bool,
    /// The document's context (its countries).
    ctx: &'a Context,
}

impl<'a> Document<'a> {
    fn new(mentions: &'a [PlaceMention], first: &'a [Vec<Scored>], ctx: &'a Context) -> Self {
        let anchors = anchors(first, mentions);
        // an anchor no other one stands near is an outlier when others agree with each other:
        // two villages of the Qalamoun outvote a namesake across the country
        let agrees = |a: &Anchor| {
            anchors.iter().any(|b| {
                b.place != a.place
                    && b.text != a.text
                    && resolve::distance_km(a.at, b.at)
                        <= AGREE_KM * if a.area || b.area { 4.0 } else { 1.0 }
            })
        };
        let agreeing: Vec<bool> = anchors.iter().map(agrees).collect();
        let any_agree = agreeing.iter().any(|x| *x);
        Document {
            mentions,
            first,
            anchors,
            agreeing,
            any_agree,
            ctx,
        }
    }

    /// The id of pass 1's best candidate for the mention `text`.
    fn first_best(&self, text: &str) -> Option<&str> {
        self.mentions
            .iter()
            .zip(self.first)
            .find(|(m, _)| clean_mention(&m.text) == text)
            .and_then(|(_, c)| c.first())
            .map(|b| b.place.id.as_str())
    }

    /// Where the document's *other* places are, for one name: a mention never vouches for
    /// itself (a one-place document's near spelling was "0 km from the document's places").
    fn others(&self, text: &str) -> Context {
        let own = self.first_best(text);
        let rest: Vec<&Anchor> = self
            .anchors
            .iter()
            .zip(&self.agreeing)
            .filter(|(a, ok)| (**ok || !self.any_agree) && a.text != text && Some(a.place) != own)
            .map(|(a, _)| a)
            .collect();
        let points: Vec<(f64, f64)> = rest.iter().map(|a| a.at).collect();
        Context {
            centroid: resolve::median_point(&points),
            centroid_is_area: !rest.is_empty() && rest.iter().all(|a| a.area),
            ..self.ctx.clone()
        }
    }

    /// Whether confident places besides `text`, two at least, say where the document is.
    fn located_without(&self, text: &str) -> bool {
        self.anchors.iter().filter(|a| a.text != text).count() >= 2
    }
}

/// The parts of a mention's chain of containing places ("Pakokku district, Magway region"),
/// smallest first.
fn chain_parts(near: &str) -> Vec<&str> {
    near.split(',')
        .map(clean_mention)
        .filter(|p| !p.is_empty() && !is_compass(p))
        .collect()
}

/// A point of the compass ("East", ACLED's name of Libya's east, and a region of Cameroon): no
/// part of a chain that says where.
fn is_compass(part: &str) -> bool {
    let lower = part.to_lowercase();
    sitrep_extract::places::words()
        .compass_names
        .contains(&lower.as_str())
}

/// The country of a chain: its largest part's ([`largest_part_country`]), else the one country
/// where every known part is a division ([`common_division_country`]).
fn chain_country(
    req: &ResolveRequest,
    parts: &[&str],
    retrieval: &mut Retrieval,
) -> Result<Option<String>> {
    let chain_country = match parts {
        [.., last] => largest_part_country(req, last, retrieval)?,
        _ => None,
    };
    // (a largest part of several countries' divisions, "Plateau", is read with the
    // others: the one country where every known part is a division, "Jos North" in
    // Nigeria)
    Ok(match chain_country {
        None if parts.len() >= 2 => common_division_country(parts, retrieval)?,
        known => known,
    })
}

/// The country of a chain's largest part: a first-level division or a country of that name,
/// else a second-level division, when all of that name lie in one country ("South" is a region
/// of several: no country).
fn largest_part_country(
    req: &ResolveRequest,
    last: &str,
    retrieval: &mut Retrieval,
) -> Result<Option<String>> {
    // (the chain itself says where: the document's focus, perhaps read from a
    // name like "Benin City", does not weigh on it)
    let ranked = resolve::score(&retrieval.get(last)?.0, last, &Context::default());
    // divisions spelt as written (folded keys join "Kossi" and "Kosī"), in the
    // document's countries when some are
    let spelt = |s: &&Scored| !s.place.provisional && s.score >= ACCEPT && spelt_as(&s.place, last);
    let one_country = |level: &dyn Fn(&Brief) -> bool| -> Option<String> {
        let all: Vec<&Scored> = ranked
            .iter()
            .filter(spelt)
            .filter(|s| level(&s.place))
            .collect();
        let focused: Vec<&Scored> = all
            .iter()
            .copied()
            .filter(|s| req.country_focus.iter().any(|c| s.place.in_country(c)))
            .collect();
        let pool = if focused.is_empty() { all } else { focused };
        let cc = &pool.first()?.place.country_code;
        pool.iter()
            .all(|s| &s.place.country_code == cc)
            .then(|| cc.clone())
    };
    Ok(one_country(&resolve::is_country_or_first_division)
        .or_else(|| one_country(&|b: &Brief| b.feature_code == "ADM2")))
}

/// The one country of which every part of a chain known as a division is one, if one.
fn common_division_country(parts: &[&str], retrieval: &mut Retrieval) -> Result<Option<String>> {
    let mut common: Option<Vec<String>> = None;
    for part in parts {
        let theirs = division_countries(&retrieval.get(part)?.0, part);
        if !theirs.is_empty() {
            common = Some(match common {
                None => theirs,
                Some(c) => c.into_iter().filter(|x| theirs.contains(x)).collect(),
            });
        }
    }
    Ok(common
        .filter(|c| c.len() == 1)
        .and_then(|c| c.into_iter().next()))
}

/// The place the text relates a mention to: the first known part of its chain.
struct Related {
    at: (f64, f64),
    /// It names an area: what lies in it may be far from its seat.
    area: bool,
    country: String,
    /// It is a country or a first-level division: what lies in it is not at its seat.
    broad: bool,
    /// The administrative division it is, if one.
    division: Option<resolve::Division>,
}

/// The place a chain relates its mention to: the first of its parts, smallest first, that is
/// known (a division the part names, else a trusted place), in the chain's country when known.
fn related(
    parts: &[&str],
    chain_country: Option<&str>,
    ctx: &Context,
    doc: &Document,
    retrieval: &mut Retrieval,
) -> Result<Option<Related>> {
    let mut near = None;
    // (a chain whose largest division is unknown is no evidence: its parts' namesakes
    // abroad would place the mention)
    let chain_unplaced = parts.len() >= 2 && chain_country.is_none();
    for part in parts.iter().filter(|_| !chain_unplaced) {
        let mut ranked = resolve::score(
            &retrieval.get(part)?.0,
            part,
            &Context {
                country_focus: ctx.country_focus.clone(),
                ..doc.others(part)
            },
        );
        if let Some(cc) = chain_country {
            ranked.retain(|s| s.place.in_country(cc));
        }
        let largest = std::ptr::eq(*part, *parts.last().unwrap_or(part));
        near = chain_division(&ranked, part, largest)
            .or_else(|| trusted(&ranked, part, ctx))
            .filter(|b| b.place.located())
            .map(|b| Related {
                at: (b.place.lat, b.place.lon),
                area: resolve::is_area(&b.place, part),
                country: b.place.country_code.clone(),
                broad: resolve::is_country_or_first_division(&b.place),
                division: resolve::Division::of(&b.place),
            });
        if near.is_some() {
            break;
        }
    }
    Ok(near)
}

/// The division a part of a chain names, among its ranked candidates.
///
/// A part of a bracket or a chain names a division more often than a town: one spelt as written
/// is read first ("Nara (Nara, Koulikoro)" is in Koulikoro region, not 258 km from Koulikoro
/// town; "(Fars)" is the province, not Farsan). (of a first- and a second-level division of one
/// name, the chain's `largest` part is the first-level one: "(Narino)" is the department, not its
/// municipality)
fn chain_division<'s>(ranked: &'s [Scored], part: &str, largest: bool) -> Option<&'s Scored> {
    // (the largest part may name its first-level division by another of its names:
    // "Yakovlivka, Donetsk region" is in Donetska oblast, not by Donetsk city)
    ranked
        .iter()
        .filter(|s| {
            let Some(div) = resolve::Division::of(&s.place) else {
                return false;
            };
            !s.place.provisional
                && s.score >= ACCEPT
                && (spelt_as(&s.place, part)
                    || (largest && div.admin2.is_none() && s.matched == resolve::Match::Exact))
        })
        .min_by_key(|s| {
            let first_level = resolve::Division::of(&s.place).is_some_and(|d| d.admin2.is_none());
            // "Kyiv oblast" is Kyivska oblast, not the city of Kyiv (a first-level division
            // too): a part named with a unit's head names a division whose name carries one
            let unit_named = |name: &str| {
                name.split_whitespace().any(|w| {
                    fold::ENGLISH_FIRST_UNITS.contains(&fold::strip(w).to_lowercase().as_str())
                })
            };
            (
                first_level != largest,
                unit_named(part) && !unit_named(&s.place.name),
            )
        })
}

/// One mention's second pass: its candidates ranked in the contexts its chain and the document's
/// other places make.
struct Ranking<'a> {
    mention: &'a PlaceMention,
    /// The mention's text without a leading article.
    text: &'a str,
    /// Where the document's other places are, in the chain's country when known.
    ctx: Context,
    /// That, with the place the text relates the mention to.
    here: Context,
    chain_country: Option<String>,
    /// Where a provisional place for the mention may be estimated to lie.
    estimate_from: Option<(f64, f64)>,
    /// Best first.
    ranked: Vec<Scored>,
}

impl Gazetteer {
    /// Resolve a batch of mentions with document context (blocking: sled).
    pub fn resolve_blocking(&self, req: &ResolveRequest) -> Result<ResolveResponse> {
        check_request(req)?;
        let mut retrieval = Retrieval::new(&self.store, &req.country_focus);
        let ctx = document_context(req, &mut retrieval)?;
        // pass 1: confident places give the document's centroid
        let mut first: Vec<Vec<Scored>> = Vec::with_capacity(req.mentions.len());
        for m in &req.mentions {
            let text = clean_mention(&m.text);
            first.push(resolve::score(&retrieval.get(text)?.0, text, &ctx));
        }
        let doc = Document::new(&req.mentions, &first, &ctx);
        let mut out = Vec::with_capacity(req.mentions.len());
        for m in &req.mentions {
            let ranking = self.rank_mention(req, m, &doc, &mut retrieval)?;
            out.push(self.resolution(req, &ranking)?);
        }
        Ok(ResolveResponse { resolutions: out })
    }

    /// A mention's candidates ranked with where its chain and the document's other places put it.
    fn rank_mention<'a>(
        &self,
        req: &ResolveRequest,
        m: &'a PlaceMention,
        doc: &Document,
        retrieval: &mut Retrieval,
    ) -> Result<Ranking<'a>> {
        let text = clean_mention(&m.text);
        let ctx = doc.others(text);
        // a centroid of several places says where the document is: worth reading a common
        // name's places again, nearest first, when not all of them were read
        let located_document = doc.located_without(text);
        // the related place; a chain of containing places ("Pakokku district, Magway
        // region") is read smallest first, and the first one known places the mention. The
        // chain's largest division, when known as one, is its country: each part and the
        // mention itself are sought there ("Benin City (Oredo, Edo)" is in Edo State, not
        // at Edo, Tokyo)
        let parts = chain_parts(&m.near);
        let chain_country = chain_country(req, &parts, retrieval)?;
        let ctx = match &chain_country {
            Some(cc) => Context {
                country_focus: vec![cc.clone()],
                ..ctx
            },
            None => ctx,
        };
        let near = related(&parts, chain_country.as_deref(), &ctx, doc, retrieval)?;
        // a place known only to lie in a first-level division or a country is not at its
        // seat: no estimated location from it
        let estimate_from = near.as_ref().filter(|n| !n.broad).map(|n| n.at);
        let (near, near_is_area, near_country, near_division) = match near {
            Some(r) => (Some(r.at), r.area, Some(r.country), r.division),
            None => (None, false, None, None),
        };
        let (mut candidates, truncated) = retrieval.get(text)?;
        let centre = near.or(if located_document { ctx.centroid } else { None });
        if truncated && centre.is_some() {
            candidates = resolve::retrieve_near(&self.store, text, &req.country_focus, centre)?.0;
        }
        let here = Context {
            near,
            near_is_area,
            near_country,
            near_division,
            ..ctx.clone()
        };
        let ranked = resolve::score(&candidates, text, &here);
        Ok(Ranking {
            mention: m,
            text,
            ctx,
            here,
            chain_country,
            estimate_from,
            ranked,
        })
    }

    /// A mention's resolution: the best known place its context accepts, else a provisional place
    /// (when the request asks for one), else none.
    fn resolution(&self, req: &ResolveRequest, r: &Ranking) -> Result<Resolution> {
        let (m, text, ranked) = (r.mention, r.text, &r.ranked);
        // the best *known* place: a provisional place an earlier document made for a name
        // must not shadow a gazetteer place this document's context accepts (what a mention
        // resolves to does not depend on what was ingested before); and only one the context
        // does not contradict (a wrong coordinate is worse than none)
        let accepted = trusted(ranked, text, &r.here);
        Ok(match accepted {
            Some(b) => {
                // a local division is shown at the town of its name that seats it, as ACLED
                // codes it ("Novita municipality": its seat, not the middle of 2 000 km² of
                // forest 40 km off)
                let seat = resolve::seat_of(b, ranked);
                let shown = seat.unwrap_or(b);
                let other = |x: &&Scored| x.place.id != b.place.id && x.place.id != shown.place.id;
                Resolution {
                    mention: m.text.clone(),
                    best: Some(self.candidate(shown)?),
                    alternatives: self.candidates(
                        ranked
                            .iter()
                            .filter(|x| x.place.id != shown.place.id)
                            .take(4),
                    )?,
                    confidence: resolve::confidence(
                        b.score,
                        ranked.iter().find(other).map(|x| x.score),
                    ),
                    provisional: false,
                    geo_precision: if seat.is_some() {
                        2
                    } else {
                        resolve::precision(&b.place, text)
                    },
                }
            }
            None if req.create_provisional => self.provisional_resolution(req, r)?,
            None => Resolution {
                mention: m.text.clone(),
                best: None,
                alternatives: self.candidates(ranked.iter().take(5))?,
                confidence: 0.0,
                provisional: false,
                geo_precision: 0,
            },
        })
    }

    /// The resolution of a mention no known place is accepted for: a provisional place, and why.
    fn provisional_resolution(&self, req: &ResolveRequest, r: &Ranking) -> Result<Resolution> {
        let (m, text, ranked, here) = (r.mention, r.text, &r.ranked, &r.here);
        // the country it lies in, when the text says: its chain's, or its related place's
        let country = r.chain_country.as_deref().or(here.near_country.as_deref());
        let p = self.provisional(
            text,
            &req.document_id,
            &r.ctx,
            r.estimate_from,
            country,
            same_provisional(ranked, text, here),
        )?;
        let why = match ranked
            .iter()
            .find(|b| !b.place.provisional && b.score >= ACCEPT)
            .and_then(|b| resolve::distrust(b, text, here).map(|w| (b, w)))
        {
            Some((b, w)) => format!(
                "the best candidate, {} ({}), is not trusted: {w}: provisional place",
                b.place.name, b.place.id
            ),
            None => "no candidate scored above the acceptance bar: provisional place".into(),
        };
        Ok(Resolution {
            mention: m.text.clone(),
            geo_precision: if p.provisional {
                if p.location_estimated {
                    2
                } else {
                    0
                }
            } else {
                1
            },
            best: Some(Candidate {
                place: Some(to_proto(&p)),
                score: 0.0,
                explanation: why,
            }),
            alternatives: self.candidates(ranked.iter().take(4))?,
            confidence: if p.location_estimated { 0.3 } else { 0.1 },
            provisional: true,
        })
    }

    /// The provisional place for a mention: made once per folded name, then reused; `same` is an
    /// existing provisional place the mention spells another way ("Tallat Moussa" after "Tallat
    /// Mussa"), which takes the spelling as one of its names.
    fn provisional(
        &self,
        text: &str,
        document: &str,
        ctx: &Context,
        near: Option<(f64, f64)>,
        country: Option<&str>,
        same: Option<&str>,
    ) -> Result<PlaceRecord> {
        let id = match same {
            Some(id) => id.to_string(),
            None => provisional_id_of(text),
        };
        // a curator merged this name into a known place: that place it is
        if let Some(into) = self.store.merged_into(&id)? {
            if let Some(p) = self.store.get(&into)? {
                return Ok(p);
            }
        }
        let mut p = self.store.get(&id)?.unwrap_or_else(|| PlaceRecord {
            id: id.clone(),
            name: text.to_string(),
            ascii_name: fold::strip(text),
            provisional: true,
            ..Default::default()
        });
        let before = p.clone();
        if !document.is_empty()
            && p.documents.len() < MAX_DOCUMENTS
            && !p.documents.iter().any(|d| d == document)
        {
            p.documents.push(document.to_string());
        }
        if !p.names().any(|n| n == text) {
            p.alternate_names.push(text.to_string());
        }
        // "the X-Y crossing": halfway between X and Y when both are known
        if !p.location_estimated {
            let parts = compound_parts(text);
            if parts.len() >= 2 {
                let mut points = Vec::new();
                for part in &parts {
                    let candidates = resolve::retrieve_near(
                        &self.store,
                        part,
                        &ctx.country_focus,
                        ctx.centroid,
                    )?
                    .0;
                    if let Some(b) = trusted(&resolve::score(&candidates, part, ctx), part, ctx) {
                        points.push((b.place.lat, b.place.lon));
                    }
                }
                if points.len() >= 2 {
                    p.lat = points.iter().map(|x| x.0).sum::<f64>() / points.len() as f64;
                    p.lon = points.iter().map(|x| x.1).sum::<f64>() / points.len() as f64;
                    p.location_estimated = true;
                    p.feature_class = "S".into();
                }
            }
        }
        // a village known only to lie in Balochistan is still in Pakistan: what is named by its
        // country (the generic actors of its events) keeps that
        if p.country_code.is_empty() {
            if let Some(cc) = country {
                p.country_code = cc.to_string();
            }
        }
        // "X outside Y", "X, which overlooks Y": at Y, as far as the text tells
        if !p.location_estimated {
            if let Some((lat, lon)) = near {
                p.lat = lat;
                p.lon = lon;
                p.location_estimated = true;
            }
        }
        if p != before {
            self.store.upsert(std::slice::from_ref(&p))?;
        }
        Ok(p)
    }

    pub fn search_blocking(&self, req: &SearchRequest) -> Result<SearchResponse> {
        check_name("query", &req.query)?;
        let limit = if req.limit == 0 {
            10
        } else {
            req.limit.min(100)
        } as usize;
        let mut ranked =
            resolve::rank_explained(&self.store, &req.query, &Context::default(), limit)?;
        // prefix matches for names being typed
        let key = fold::key(&req.query);
        if !key.is_empty() && ranked.len() < limit {
            for id in self.store.names_with_prefix(&key, 200)? {
                if ranked.iter().any(|s| s.place.id == id) {
                    continue;
                }
                if let Some(p) = self.store.brief(&id)? {
                    let score = 0.5 + ((p.population as f64 + 1.0).log10() / 75.0).min(0.08);
                    ranked.push(Scored {
                        place: p,
                        score,
                        explanation: "name starts with the query 0.50".into(),
                        matched: resolve::Match::Words { coverage: 0.5 },
                    });
                }
            }
            ranked.sort_by(|a, b| {
                b.score
                    .partial_cmp(&a.score)
                    .unwrap_or(std::cmp::Ordering::Equal)
            });
        }
        let cc = req.country_code.to_uppercase();
        let bbox = match &req.bbox {
            Some(b) => {
                let ok = [b.min_lat, b.max_lat]
                    .iter()
                    .all(|v| v.is_finite() && (-90.0..=90.0).contains(v))
                    && [b.min_lon, b.max_lon]
                        .iter()
                        .all(|v| v.is_finite() && (-180.0..=180.0).contains(v))
                    && b.min_lat <= b.max_lat
                    && b.min_lon <= b.max_lon;
                if !ok {
                    return Err(Error::InvalidArgument("bbox must have finite min_lat ≤ max_lat in [-90, 90] and min_lon ≤ max_lon in [-180, 180]".into()));
                }
                Some(*b)
            }
            None => None,
        };
        let inside = |p: &Brief| {
            bbox.as_ref().is_none_or(|b| {
                p.located()
                    && (b.min_lat..=b.max_lat).contains(&p.lat)
                    && (b.min_lon..=b.max_lon).contains(&p.lon)
            })
        };
        let candidates = self.candidates(
            ranked
                .iter()
                .filter(|s| (cc.is_empty() || s.place.in_country(&cc)) && inside(&s.place))
                .take(limit),
        )?;
        Ok(SearchResponse { candidates })
    }

    pub fn nearby_blocking(&self, req: &NearbyRequest) -> Result<NearbyResponse> {
        let (lat, lon, r) = (req.lat, req.lon, req.radius_km);
        if !lat.is_finite() || !(-90.0..=90.0).contains(&lat) {
            return Err(Error::InvalidArgument(format!(
                "lat must be a number in [-90, 90], got {lat}"
            )));
        }
        if !lon.is_finite() || !(-180.0..=180.0).contains(&lon) {
            return Err(Error::InvalidArgument(format!(
                "lon must be a number in [-180, 180], got {lon}"
            )));
        }
        if !r.is_finite() || r <= 0.0 || r > 500.0 {
            return Err(Error::InvalidArgument(format!(
                "radius_km must be in (0, 500], got {r}"
            )));
        }
        let limit = if req.limit == 0 {
            20
        } else {
            req.limit.min(500)
        } as usize;
        let dlat = r / 111.0;
        let dlon = r / (111.0 * lat.to_radians().cos().max(0.01));
        let (a, b) = (
            cell_of(lat - dlat, lon - dlon),
            cell_of(lat + dlat, lon + dlon),
        );
        let mut found = Vec::new();
        for la in a.0..=b.0 {
            for lo in a.1..=b.1 {
                for id in self.store.ids_in_cell((la, lo))? {
                    if let Some(p) = self.store.get(&id)? {
                        let d = resolve::distance_km((lat, lon), (p.lat, p.lon));
                        if d <= r {
                            found.push((d, p));
                        }
                    }
                }
            }
        }
        found.sort_by(|x, y| x.0.partial_cmp(&y.0).unwrap_or(std::cmp::Ordering::Equal));
        Ok(NearbyResponse {
            places: found
                .into_iter()
                .take(limit)
                .map(|(d, p)| NearbyPlace {
                    place: Some(to_proto(&p)),
                    distance_km: d,
                })
                .collect(),
        })
    }

    pub fn get_blocking(&self, req: &GetPlaceRequest) -> Result<GetPlaceResponse> {
        check_name("id", &req.id)?;
        let with_hierarchy = |p: &PlaceRecord| -> Result<Place> {
            let mut out = to_proto(p);
            out.hierarchy = self.store.hierarchy(p)?;
            Ok(out)
        };
        if let Some(p) = self.store.get(&req.id)? {
            return Ok(GetPlaceResponse {
                place: Some(with_hierarchy(&p)?),
            });
        }
        // a merged provisional id answers with the place it was merged into
        if let Some(into) = self.store.merged_into(&req.id)? {
            if let Some(p) = self.store.get(&into)? {
                return Ok(GetPlaceResponse {
                    place: Some(with_hierarchy(&p)?),
                });
            }
        }
        // a name: a known place of exactly that name; else the provisional place the documents
        // made for it (ingest refused the inexact namesakes, so they are not where its events
        // are); else the best candidate
        let name = clean_mention(&req.id);
        let ranked = resolve::rank(&self.store, name, &Context::default())?;
        let known = ranked
            .iter()
            .find(|s| !s.place.provisional)
            .filter(|s| s.score >= ACCEPT);
        // spelled as asked, letter for letter (the folded keys of "Tall Musa" and "Tallat Mussa"
        // are one, but a document whose village the gazetteer lacks does not mean the other)
        let exact_known = known.filter(|s| spelt_as(&s.place, name));
        let own = ranked
            .iter()
            .find(|s| s.place.provisional && s.matched == resolve::Match::Exact);
        let chosen = exact_known
            .or(own)
            .or(known)
            .or(ranked.first().filter(|s| s.score >= ACCEPT));
        let id = match chosen {
            Some(s) => s.place.id.clone(),
            None => provisional_id_of(name),
        };
        match self.store.get(&id)? {
            Some(p) => Ok(GetPlaceResponse {
                place: Some(with_hierarchy(&p)?),
            }),
            None if chosen.is_some() => Err(Error::Corrupt(format!(
                "place {id} has a brief but no record"
            ))),
            None => Err(Error::NotFound {
                what: "place",
                id: req.id.clone(),
            }),
        }
    }
}

impl Gazetteer {
    pub fn merge_blocking(&self, req: &MergePlacesRequest) -> Result<MergePlacesResponse> {
        check_name("from_id", &req.from_id)?;
        check_name("into_id", &req.into_id)?;
        if !sitrep_proto::ids::is_provisional(&req.from_id) {
            return Err(Error::InvalidArgument(format!(
                "from_id must be a provisional place id (prov:…), got {:?}",
                req.from_id
            )));
        }
        let p = self.store.merge(&req.from_id, &req.into_id)?;
        let mut place = to_proto(&p);
        place.hierarchy = self.store.hierarchy(&p)?;
        Ok(MergePlacesResponse { place: Some(place) })
    }
}

#[tonic::async_trait]
impl GazetteerService for Gazetteer {
    #[instrument(skip_all, fields(mentions = request.get_ref().mentions.len()))]
    async fn resolve(
        &self,
        request: Request<ResolveRequest>,
    ) -> std::result::Result<Response<ResolveResponse>, Status> {
        let this = self.clone();
        let req = request.into_inner();
        let r = blocking(move || this.resolve_blocking(&req)).await?;
        Ok(Response::new(r))
    }

    #[instrument(skip_all)]
    async fn search(
        &self,
        request: Request<SearchRequest>,
    ) -> std::result::Result<Response<SearchResponse>, Status> {
        let this = self.clone();
        let req = request.into_inner();
        Ok(Response::new(
            blocking(move || this.search_blocking(&req)).await?,
        ))
    }

    #[instrument(skip_all)]
    async fn nearby(
        &self,
        request: Request<NearbyRequest>,
    ) -> std::result::Result<Response<NearbyResponse>, Status> {
        let this = self.clone();
        let req = request.into_inner();
        Ok(Response::new(
            blocking(move || this.nearby_blocking(&req)).await?,
        ))
    }

    #[instrument(skip_all)]
    async fn get(
        &self,
        request: Request<GetPlaceRequest>,
    ) -> std::result::Result<Response<GetPlaceResponse>, Status> {
        let this = self.clone();
        let req = request.into_inner();
        Ok(Response::new(
            blocking(move || this.get_blocking(&req)).await?,
        ))
    }

    #[instrument(skip_all, fields(from = %request.get_ref().from_id, into = %request.get_ref().into_id))]
    async fn merge(
        &self,
        request: Request<MergePlacesRequest>,
    ) -> std::result::Result<Response<MergePlacesResponse>, Status> {
        let this = self.clone();
        let req = request.into_inner();
        let r = blocking(move || this.merge_blocking(&req)).await?;
        // acknowledged only once durable
        self.store.flush().await?;
        Ok(Response::new(r))
    }

    #[instrument(skip_all)]
    async fn import(
        &self,
        request: Request<Streaming<ImportRequest>>,
    ) -> std::result::Result<Response<ImportResponse>, Status> {
        let mut stream = request.into_inner();
        let mut importer = import::Importer::new(self.store.clone());
        while let Some(chunk) = stream.next().await {
            let chunk = chunk?;
            let mut imp = importer;
            importer = blocking(move || {
                imp.feed(&chunk.chunk)?;
                Ok::<_, Error>(imp)
            })
            .await?;
        }
        let stats = blocking(move || importer.finish()).await?;
        self.store.flush().await?;
        Ok(Response::new(ImportResponse {
            rows: stats.rows,
            inserted: stats.inserted,
            updated: stats.updated,
            skipped: stats.skipped,
        }))
    }
}

/// Boxed stream type kept for future server-streaming methods.
pub type BoxStream<T> = Pin<Box<dyn futures::Stream<Item = std::result::Result<T, Status>> + Send>>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mention_adds_its_country_to_a_known_focus_only_called_a_division() {
        assert!(names_a_division("Tillaberi region"));
        assert!(names_a_division("Kayah state"));
        assert!(names_a_division("Kherson oblast"));
        assert!(!names_a_division("Agri area"));
        assert!(!names_a_division("Agri"));
    }

    #[test]
    fn a_provisional_place_never_shadows_a_known_one() {
        let dir = tempfile::tempdir().unwrap();
        let g = Gazetteer::new(Store::open(dir.path()).unwrap());
        let ask = |focus: &str| ResolveRequest {
            mentions: vec![sitrep_proto::v1::PlaceMention {
                text: "Kfar Zeta".into(),
                ..Default::default()
            }],
            document_id: "d".into(),
            country_focus: vec![focus.into()],
            create_provisional: true,
        };
        // unknown: a provisional place is made
        let first = g.resolve_blocking(&ask("SY")).unwrap();
        assert!(first.resolutions[0].provisional);
        // the place imported later is found (the provisional one must not outrank it for having
        // no country)
        let real = PlaceRecord {
            id: sitrep_proto::ids::geonames_place_id(7),
            name: "Kfar Zeta".into(),
            ascii_name: "Kfar Zeta".into(),
            lat: 35.4,
            lon: 36.6,
            feature_class: "P".into(),
            feature_code: "PPL".into(),
            country_code: "SY".into(),
            ..Default::default()
        };
        g.store.upsert(&[real]).unwrap();
        let later = g.resolve_blocking(&ask("SY")).unwrap();
        let r = &later.resolutions[0];
        assert!(!r.provisional, "{r:?}");
        assert_eq!(
            r.best
                .as_ref()
                .and_then(|c| c.place.as_ref())
                .map(|p| p.id.as_str()),
            Some("geonames:7")
        );
        assert_eq!(r.geo_precision, 1);
        // a document about another country: a village of that name abroad is a namesake, not
        // trusted (no coordinates rather than wrong ones)
        let abroad = g.resolve_blocking(&ask("TR")).unwrap();
        let r = &abroad.resolutions[0];
        assert!(r.provisional && r.geo_precision == 0, "{r:?}");
        assert!(
            r.best
                .as_ref()
                .is_some_and(|c| c.explanation.contains("not trusted")),
            "{r:?}"
        );
    }

    #[test]
    fn spellings_of_an_unmapped_place_are_one_provisional_place_found_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let g = Gazetteer::new(Store::open(dir.path()).unwrap());
        // a namesake that is only a near spelling, 300 km from the document's other places
        let far = |id: u64, name: &str, lat: f64, lon: f64| PlaceRecord {
            id: sitrep_proto::ids::geonames_place_id(id),
            name: name.into(),
            ascii_name: name.into(),
            lat,
            lon,
            feature_class: "P".into(),
            feature_code: "PPL".into(),
            country_code: "SY".into(),
            ..Default::default()
        };
        g.store
            .upsert(&[
                far(1, "Tall Musa", 36.9, 40.9),
                far(2, "Yabroud", 33.97, 36.66),
                far(3, "Arsal", 34.18, 36.42),
            ])
            .unwrap();
        let ask = |doc: &str, name: &str| {
            let mentions = [name, "Yabroud", "Arsal"]
                .iter()
                .map(|t| sitrep_proto::v1::PlaceMention {
                    text: (*t).into(),
                    ..Default::default()
                })
                .collect();
            let r = g
                .resolve_blocking(&ResolveRequest {
                    mentions,
                    document_id: doc.into(),
                    country_focus: vec!["SY".into()],
                    create_provisional: true,
                })
                .unwrap();
            r.resolutions[0].clone()
        };
        let a = ask("a", "Tallat Mussa");
        assert!(a.provisional, "{a:?}");
        let b = ask("b", "Tallat Moussa");
        let id = |r: &sitrep_proto::v1::Resolution| {
            r.best
                .as_ref()
                .and_then(|c| c.place.as_ref())
                .map(|p| p.id.clone())
                .unwrap_or_default()
        };
        assert_eq!(id(&a), id(&b), "{b:?}");
        // by name, either spelling is that place, not the inexact namesake its events are not at
        for name in ["Tallat Mussa", "Tallat Moussa"] {
            let got = g
                .get_blocking(&GetPlaceRequest { id: name.into() })
                .unwrap()
                .place
                .unwrap();
            assert_eq!(got.id, id(&a), "{name}: {got:?}");
        }
        // a place of exactly the name asked still answers for it
        let got = g
            .get_blocking(&GetPlaceRequest {
                id: "Tall Musa".into(),
            })
            .unwrap()
            .place
            .unwrap();
        assert_eq!(got.id, "geonames:1");
    }

    #[test]
    fn a_chain_of_divisions_says_the_country_and_a_lone_name_vouches_for_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let g = Gazetteer::new(Store::open(dir.path()).unwrap());
        let place =
            |id: u64, name: &str, code: &str, cc: &str, lat: f64, lon: f64, population: u64| {
                PlaceRecord {
                    id: sitrep_proto::ids::geonames_place_id(id),
                    name: name.into(),
                    ascii_name: name.into(),
                    lat,
                    lon,
                    feature_class: if code.starts_with("ADM") {
                        "A".into()
                    } else {
                        "P".into()
                    },
                    feature_code: code.into(),
                    country_code: cc.into(),
                    population,
                    ..Default::default()
                }
            };
        g.store
            .upsert(&[
                place(1, "Benin City", "PPLA", "NG", 6.34, 5.63, 1_782_000),
                place(2, "Edo", "ADM1", "NG", 6.34, 5.63, 0),
                // a capital that GeoNames also calls Edo
                place(3, "Edo", "PPLC", "JP", 35.69, 139.69, 8_336_000),
                place(4, "Benin", "PCLI", "BJ", 9.5, 2.25, 12_000_000),
                place(5, "Ikpoba", "PPL", "NG", 6.37, 5.66, 0),
                place(6, "Ikpobo", "PPL", "GH", 7.0, -1.0, 0),
            ])
            .unwrap();
        let ask = |text: &str, near: &str, focus: &[&str]| {
            let mentions = vec![sitrep_proto::v1::PlaceMention {
                text: text.into(),
                near: near.into(),
                ..Default::default()
            }];
            let r = g
                .resolve_blocking(&ResolveRequest {
                    mentions,
                    document_id: "d".into(),
                    country_focus: focus.iter().map(|c| c.to_string()).collect(),
                    create_provisional: true,
                })
                .unwrap();
            r.resolutions[0].clone()
        };
        let id = |r: &sitrep_proto::v1::Resolution| {
            r.best
                .as_ref()
                .and_then(|c| c.place.as_ref())
                .map(|p| (p.id.clone(), p.lat))
                .unwrap_or_default()
        };
        // the chain's largest division is Edo State: the mention is sought in Nigeria, even when
        // the document's focus was read (wrongly) as Benin
        let r = ask("Benin City", "Oredo, Edo", &["BJ"]);
        assert_eq!(id(&r).0, "geonames:1", "{r:?}");
        // an unmapped village of that chain is not put at Tokyo, nor at the state's seat
        let r = ask("Ugbowo", "Oredo, Edo", &[]);
        assert!(r.provisional && r.geo_precision == 0, "{r:?}");
        // but it is known to be in Nigeria
        assert_eq!(
            r.best
                .as_ref()
                .and_then(|c| c.place.as_ref())
                .map(|p| p.country_code.as_str()),
            Some("NG")
        );
        // a one-place document: the near spelling's own place does not vouch for it
        let r = ask("Ikpoda", "", &["NG"]);
        assert!(r.provisional, "{r:?}");
    }

    #[test]
    fn a_division_by_another_name_places_a_chain_and_a_district_is_shown_at_its_seat() {
        let dir = tempfile::tempdir().unwrap();
        let g = Gazetteer::new(Store::open(dir.path()).unwrap());
        let place =
            |id: u64, name: &str, code: &str, cc: &str, at: (f64, f64), alt: &[&str]| PlaceRecord {
                id: sitrep_proto::ids::geonames_place_id(id),
                name: name.into(),
                ascii_name: name.into(),
                alternate_names: alt.iter().map(|a| a.to_string()).collect(),
                lat: at.0,
                lon: at.1,
                feature_class: if code.starts_with("ADM") { "A" } else { "P" }.into(),
                feature_code: code.into(),
                country_code: cc.into(),
                admin1: "01".into(),
                population: if code.starts_with("ADM") { 0 } else { 5_000 },
                ..Default::default()
            };
        let mut luda = place(4, "Dalian", "PPL", "CN", (38.91, 121.6), &["Lüda"]);
        luda.population = 4_900_000;
        let mut kyiv = place(7, "Kyiv", "ADM1", "UA", (50.45, 30.52), &[]);
        let mut oblast = place(8, "Kyivska oblast", "ADM1", "UA", (50.33, 30.46), &["Kyiv"]);
        let mut bucha = place(9, "Bucha", "PPLA2", "UA", (50.54, 30.21), &[]);
        (kyiv.admin1, oblast.admin1, bucha.admin1) = ("12".into(), "13".into(), "13".into());
        g.store
            .upsert(&[
                place(
                    1,
                    "Al Awsat",
                    "ADM1",
                    "IL",
                    (31.93, 34.87),
                    &["Meẖoz HaMerkaz"],
                ),
                place(2, "Lod", "PPL", "IL", (31.95, 34.89), &[]),
                place(3, "Ramla", "PPLA", "IL", (31.93, 34.87), &[]),
                luda,
                place(5, "Novita", "ADM2", "CO", (4.896, -76.234), &[]),
                place(6, "Novita", "PPLA2", "CO", (4.955, -76.605), &[]),
                kyiv,
                oblast,
                bucha,
            ])
            .unwrap();
        let ask = |text: &str, near: &str, focus: &[&str]| {
            let mentions = vec![sitrep_proto::v1::PlaceMention {
                text: text.into(),
                near: near.into(),
                ..Default::default()
            }];
            g.resolve_blocking(&ResolveRequest {
                mentions,
                document_id: "d".into(),
                country_focus: focus.iter().map(|c| c.to_string()).collect(),
                create_provisional: true,
            })
            .unwrap()
            .resolutions[0]
                .clone()
        };
        let id = |r: &sitrep_proto::v1::Resolution| {
            r.best
                .as_ref()
                .and_then(|c| c.place.as_ref())
                .map(|p| p.id.clone())
                .unwrap_or_default()
        };
        // "Lod (Hamerkaz, Ramla)": Hamerkaz is Israel's Central District by its Hebrew name
        // (the kind word "Meẖoz" folded away), so Lod is sought in Israel, not at Lüda
        let r = ask("Lod", "Hamerkaz, Ramla", &[]);
        assert_eq!(id(&r), "geonames:2", "{r:?}");
        // "Kyiv oblast" in a chain is the oblast, not the city that is a division of its own
        let r = ask("Bucha", "Kyiv oblast", &["UA"]);
        assert_eq!(id(&r), "geonames:9", "{r:?}");
        // a municipality is shown at the town of its name seating it, with precision 2
        let r = ask("Novita municipality", "", &["CO"]);
        assert_eq!(
            (id(&r).as_str(), r.geo_precision),
            ("geonames:6", 2),
            "{r:?}"
        );
    }

    #[test]
    fn a_point_of_the_compass_says_no_country_and_a_local_unit_is_its_seat() {
        let dir = tempfile::tempdir().unwrap();
        let g = Gazetteer::new(Store::open(dir.path()).unwrap());
        let place = |id: u64, name: &str, code: &str, cc: &str, lat: f64, lon: f64| PlaceRecord {
            id: sitrep_proto::ids::geonames_place_id(id),
            name: name.into(),
            ascii_name: name.into(),
            lat,
            lon,
            feature_class: if code.starts_with("ADM") { "A" } else { "P" }.into(),
            feature_code: code.into(),
            country_code: cc.into(),
            population: 800_000,
            ..Default::default()
        };
        g.store
            .upsert(&[
                place(1, "Benghazi", "PPLA", "LY", 32.11, 20.07),
                // Cameroon's East region: the only division GeoNames spells "East"
                place(2, "East", "ADM1", "CM", 4.0, 14.0),
                place(3, "Orlu", "PPLA2", "NG", 5.80, 7.04),
            ])
            .unwrap();
        let best = |text: &str, near: &str, focus: &[&str]| {
            let r = g
                .resolve_blocking(&ResolveRequest {
                    mentions: vec![sitrep_proto::v1::PlaceMention {
                        text: text.into(),
                        near: near.into(),
                        ..Default::default()
                    }],
                    document_id: "d".into(),
                    country_focus: focus.iter().map(|c| c.to_string()).collect(),
                    create_provisional: false,
                })
                .unwrap();
            r.resolutions[0]
                .best
                .as_ref()
                .and_then(|c| c.place.as_ref())
                .map(|p| p.id.clone())
        };
        // "in Benghazi (Benghazi, East)": ACLED's east of Libya, not Cameroon's region
        assert_eq!(
            best("Benghazi", "Benghazi, East", &["LY"]).as_deref(),
            Some("geonames:1")
        );
        // "Orlu LGA (Imo)": a local government area is known by its seat
        assert_eq!(best("Orlu LGA", "", &["NG"]).as_deref(), Some("geonames:3"));
    }

    #[test]
    fn divisions_place_by_their_codes_and_say_the_country_and_acronyms_match_only_as_written() {
        let dir = tempfile::tempdir().unwrap();
        let g = Gazetteer::new(Store::open(dir.path()).unwrap());
        let place =
            |id: u64, name: &str, code: &str, cc: &str, admin: (&str, &str), at: (f64, f64)| {
                PlaceRecord {
                    id: sitrep_proto::ids::geonames_place_id(id),
                    name: name.into(),
                    ascii_name: name.into(),
                    alternate_names: if name == "Fethiye" {
                        vec!["pthyyh".into()]
                    } else {
                        vec![]
                    },
                    lat: at.0,
                    lon: at.1,
                    feature_class: if code.starts_with("ADM") {
                        "A".into()
                    } else {
                        "P".into()
                    },
                    feature_code: code.into(),
                    country_code: cc.into(),
                    admin1: admin.0.into(),
                    admin2: admin.1.into(),
                    population: 1_000,
                    ..Default::default()
                }
            };
        g.store
            .upsert(&[
                // Mali's Koulikoro region, seated at Koulikoro town; Nara lies 258 km north
                place(1, "Koulikoro", "ADM1", "ML", ("07", ""), (12.86, -7.56)),
                place(2, "Koulikoro", "PPLA", "ML", ("07", ""), (12.86, -7.56)),
                place(3, "Nara", "PPLA2", "ML", ("07", ""), (15.17, -7.28)),
                place(4, "Nara", "PPLA", "JP", ("31", ""), (34.68, 135.80)),
                // Mexico's Durango state and a Victoria of Australia
                place(5, "Durango", "ADM1", "MX", ("10", ""), (24.02, -104.67)),
                place(
                    6,
                    "Victoria de Durango",
                    "PPLA",
                    "MX",
                    ("10", ""),
                    (24.02, -104.67),
                ),
                place(7, "Victoria", "PPL", "AU", ("02", ""), (-33.6, 150.3)),
                // a romanised name that folds like an acronym
                place(8, "Fethiye", "PPLA2", "TR", ("48", ""), (36.64, 29.13)),
                // Ukraine's Kharkiv oblast, its seat and a town of it 121 km from the seat; a
                // Lozova of another oblast nearer the seat than the country's other namesakes
                PlaceRecord {
                    alternate_names: vec!["Kharkiv".into(), "Kharkiv Oblast".into()],
                    ..place(
                        9,
                        "Kharkivska oblast",
                        "ADM1",
                        "UA",
                        ("07", ""),
                        (49.99, 36.23),
                    )
                },
                place(10, "Kharkiv", "PPLA", "UA", ("07", ""), (49.99, 36.23)),
                place(11, "Lozova", "PPLA2", "UA", ("07", ""), (48.89, 36.32)),
                place(12, "Lozova", "PPL", "UA", ("09", ""), (49.75, 36.40)),
            ])
            .unwrap();
        let ask = |mentions: &[(&str, &str)]| {
            let mentions = mentions
                .iter()
                .map(|(t, n)| sitrep_proto::v1::PlaceMention {
                    text: (*t).into(),
                    near: (*n).into(),
                    ..Default::default()
                })
                .collect();
            g.resolve_blocking(&ResolveRequest {
                mentions,
                document_id: "d".into(),
                country_focus: vec![],
                create_provisional: false,
            })
            .unwrap()
        };
        let best = |r: &ResolveResponse, i: usize| {
            r.resolutions[i]
                .best
                .as_ref()
                .and_then(|c| c.place.as_ref())
                .map(|p| p.id.clone())
                .unwrap_or_default()
        };
        // "Nara (Koulikoro)": inside the region by its codes, however far from its seat
        let r = ask(&[("Nara", "Koulikoro")]);
        assert_eq!(best(&r, 0), "geonames:3", "{r:?}");
        // "Lozova, Kharkiv": the largest part of a chain may name its region by another of its
        // names; inside the region by its codes, not near its seat
        let r = ask(&[("Lozova", "Kharkiv")]);
        assert_eq!(best(&r, 0), "geonames:11", "{r:?}");
        // a note naming only its state is in that state's country
        let r = ask(&[("Victoria", ""), ("Durango", "")]);
        assert_eq!(best(&r, 1), "geonames:5", "{r:?}");
        assert_ne!(best(&r, 0), "geonames:7", "{r:?}");
        // "activists of PTI" name no Turkish town
        let r = ask(&[("PTI", "")]);
        assert_eq!(best(&r, 0), "", "{r:?}");
        // (folded, it is the romanised spelling)
        assert_eq!(fold::key("PTI"), fold::key("pthyyh"));
    }

    #[test]
    fn a_provisional_place_lists_its_first_documents_only() {
        let dir = tempfile::tempdir().unwrap();
        let g = Gazetteer::new(Store::open(dir.path()).unwrap());
        let ask = |document: String| {
            g.resolve_blocking(&ResolveRequest {
                mentions: vec![sitrep_proto::v1::PlaceMention {
                    text: "Qaryat Zarqa Hill".into(),
                    ..Default::default()
                }],
                document_id: document,
                country_focus: vec![],
                create_provisional: true,
            })
            .unwrap()
        };
        let mut id = String::new();
        for d in 0..MAX_DOCUMENTS + 10 {
            let r = ask(format!("doc-{d}"));
            let best = r.resolutions[0]
                .best
                .as_ref()
                .and_then(|c| c.place.as_ref());
            id = best.expect("a provisional place").id.clone();
        }
        let p = g.store.get(&id).unwrap().unwrap();
        assert!(p.provisional);
        assert_eq!(p.documents.len(), MAX_DOCUMENTS);
        assert_eq!(p.documents[0], "doc-0");
        assert_eq!(
            p.documents[MAX_DOCUMENTS - 1],
            format!("doc-{}", MAX_DOCUMENTS - 1)
        );
    }

    #[test]
    fn a_town_and_its_governorate_anchor_the_document_roughly() {
        let dir = tempfile::tempdir().unwrap();
        let g = Gazetteer::new(Store::open(dir.path()).unwrap());
        let place =
            |id: u64, name: &str, class: &str, code: &str, lat: f64, lon: f64, population: u64| {
                PlaceRecord {
                    id: sitrep_proto::ids::geonames_place_id(id),
                    name: name.into(),
                    ascii_name: name.into(),
                    lat,
                    lon,
                    feature_class: class.into(),
                    feature_code: code.into(),
                    country_code: "SY".into(),
                    population,
                    ..Default::default()
                }
            };
        g.store
            .upsert(&[
                place(1, "Tartous", "P", "PPLA", 34.89, 35.89, 89_000),
                place(2, "Tartous Governorate", "A", "ADM1", 34.89, 35.89, 0),
                place(3, "Sabbah", "P", "PPLA3", 34.90, 36.24, 0),
                place(4, "Sabbah", "P", "PPL", 32.85, 36.63, 15_000),
                place(5, "Homs", "P", "PPLA", 34.73, 36.72, 775_000),
                place(6, "Homs Governorate", "A", "ADM1", 34.73, 36.72, 0),
                place(7, "Tadmor", "P", "PPLA2", 34.56, 38.28, 51_000),
            ])
            .unwrap();
        let ask = |mentions: &[(&str, &str)]| {
            let mentions = mentions
                .iter()
                .map(|(t, n)| sitrep_proto::v1::PlaceMention {
                    text: (*t).into(),
                    near: (*n).into(),
                    ..Default::default()
                })
                .collect();
            g.resolve_blocking(&ResolveRequest {
                mentions,
                document_id: "d".into(),
                country_focus: vec!["SY".into()],
                create_provisional: true,
            })
            .unwrap()
        };
        let best = |r: &ResolveResponse, i: usize| {
            r.resolutions[i]
                .best
                .as_ref()
                .and_then(|c| c.place.as_ref())
                .map(|p| p.id.clone())
                .unwrap_or_default()
        };
        // the city's governorate at its seat leaves no doubt where "Tartous countryside" is: the
        // Sabbah near it, not the more populous one 240 km away
        let r = ask(&[("Sabbah", ""), ("Tartous countryside", "")]);
        assert_eq!(best(&r, 0), "geonames:3", "{:?}", r.resolutions[0]);
        // but an area says where only roughly: Tadmor, 140 km into "Homs badia", is still found
        let r = ask(&[("Tadmor district", "Homs badia"), ("Homs badia", "")]);
        assert!(!r.resolutions[0].provisional, "{:?}", r.resolutions[0]);
        assert_eq!(best(&r, 0), "geonames:7");
    }

    #[test]
    fn compounds_split_on_hyphens_between_names() {
        assert_eq!(
            compound_parts("Ras al-Marra-Arsal border-crossing"),
            ["Ras al-Marra", "Arsal"]
        );
        assert_eq!(compound_parts("Syria-Lebanon border"), ["Syria", "Lebanon"]);
        assert_eq!(compound_parts("Al-Barouh hill"), ["Al-Barouh"]);
    }
}
