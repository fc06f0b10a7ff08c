//! The event coder: sentences in narrative order → events with kind, date, actors, places,
//! citations, attribution and fatalities.
//!
//! Per sentence: tokens, dates (the one narrative normaliser), actors (registry), places, then the
//! predicates of the dictionary, filtered for irrealis, negation and adjectival uses. Each
//! predicate opens a clause; a clause with no place and no date of its own elaborates its
//! neighbour and is folded into it ("captured X, taking control of the village"), and verbs that
//! share one object fold into the last ("attacked and recaptured X").

use chrono::NaiveDate;

use crate::lexicon::{Form, Lexicon, PredicateMatch};
use crate::places::{self, PlaceMention};
use crate::registry::{ActorMention, Registry};
use crate::segment::{self, Sentence};
use crate::text::{plain_lower, tokenize, Token, TokKind};
use crate::timex::{Basis, Granularity, Narrative, Timex};
use crate::{Attribution, DateBasis, Document, Event, EventActor, EventPlace, Extraction, Kind, Precision, Role, When};

/// Words that open a new clause.
const DELIMITERS: &[&str] = &[",", ";", "and", "but", "while", "after", "as", "then", "before", "when", "which", "whereas", "although", "though", "since", "where", "whilst", "until"];
/// Nouns of fire and strikes an actor's name may qualify ("regime shelling", "Turkish drones"),
/// and of the custody one dies in ("under torture in a regime prison").
const WEAPON_NOUNS: &[&str] = &["prison", "prisons", "jail", "jails", "custody", "shelling", "shell", "shells", "bombardment", "airstrike", "airstrikes", "strike", "strikes", "drone", "drones", "fire", "gunfire", "sniper", "snipers", "rocket", "rockets", "missile", "missiles", "mortar", "mortars", "artillery", "warplane", "warplanes", "jets", "helicopter", "helicopters", "bullets"];
/// Words that open a subordinate clause and end a predicate's object.
const SUBORDINATORS: &[&str] = &["as", "while", "after", "before", "when", "whereas", "because", "since", "which", "where", "who", "until", "whilst", "although", "though", "but", ";"];
const DETERMINERS: &[&str] = &["the", "a", "an", "its", "their", "his", "her", "our", "this", "that", "these", "those", "such", "any", "every", "each", "no"];
const BE: &[&str] = &["was", "were", "is", "are", "been", "being", "be"];
const MODALS: &[&str] = &["would", "could", "may", "might", "will", "shall", "should", "must", "can", "cannot", "plan", "planned", "planning", "intend", "intended", "aim", "aimed", "threatened", "vowed", "prepared", "preparing", "expected", "ordered", "directed", "urged", "called"];
const PRONOUNS: &[&str] = &["it", "they", "he", "she", "we"];
/// Words allowed right before an event gerund ("after capturing", ", capturing").
const GERUND_LEADS: &[&str] = &["began", "begun", "started", "continued", ",", "after", "before", "while", "by", "and", "then", "also", "when", "since", "as", "upon", "on", "further", "fully", "successfully", "eventually", "finally", "again", "later", "subsequently", "were", "was", "are", "is", "been", "thereby", "in", "(", "-", "–"];

struct Cand {
    start: usize,
    end: usize,
    kind: Kind,
    priority: u8,
    trigger: String,
    failed: bool,
    hedged: bool,
    passive: bool,
    fatalities: Option<(u32, Option<u32>)>,
    /// Made by "as well as": a second object of the predicate before.
    copy: bool,
    acled: Option<String>,
}

/// The coded state of one clause before folding.
struct Clause {
    cand: Cand,
    /// Token range of the clause.
    from: usize,
    to: usize,
    own_place: bool,
    own_date: bool,
    places: Vec<usize>,
    agents: Vec<usize>,
    others: Vec<usize>,
    allies: Vec<usize>,
    timex: Option<usize>,
    attribution: Option<(String, String)>,
    folded_into: Option<usize>,
}

/// Per-document state carried from sentence to sentence.
struct DocState {
    /// The agents of the last event, for pronouns ("it", "they").
    last_agents: Vec<(String, String)>,
    /// The places and date of the last dated event, for "the battle for X".
    last_event: Option<(Vec<String>, When)>,
    /// The last town or city the text named (mention, related place), for "the town".
    last_settlement: Option<(String, Option<String>)>,
    /// The last jihadist group the text named (actor id, sentences ago), for "the militants".
    last_group: Option<(String, usize)>,
    /// Actors named by a name of their own, oldest first (actor id, sentences ago), for a
    /// generic word ("the army") that one of them owns.
    named: Vec<(String, usize)>,
}

pub fn extract(registry: &Registry, lexicon: &Lexicon, doc: Document<'_>) -> Extraction {
    let (sentences, orphan_citations) = segment::split_accounted(doc.text);
    let mut narrative = Narrative::new(doc.title, doc.published);

    // pass 1: dates in narrative order, the anchor before each sentence, and the countries the
    // document is about; tokens are not kept (a long document stays in bounded memory)
    let mut country_counts = std::collections::HashMap::new();
    registry.count_countries(&tokenize(doc.title), &mut country_counts);
    let mut timexes: Vec<Vec<Timex>> = Vec::with_capacity(sentences.len());
    let mut anchors = Vec::with_capacity(sentences.len());
    for s in &sentences {
        let toks = tokenize(&s.text);
        registry.count_countries(&toks, &mut country_counts);
        anchors.push(narrative.anchor.clone());
        timexes.push(narrative.scan_tokens(&s.text, &toks));
    }
    let focus = Registry::focus_of(&country_counts);
    // the next absolute date after each sentence, to bound inherited intervals
    let mut next_absolute: Vec<Option<NaiveDate>> = vec![None; sentences.len()];
    let mut upcoming = None;
    for i in (0..sentences.len()).rev() {
        next_absolute[i] = upcoming;
        if let Some(t) = timexes[i].iter().find(|t| !matches!(t.basis, Basis::Narrative | Basis::Published) || !t.relative) {
            upcoming = Some(t.earliest);
        }
    }

    let mut out = Extraction { sentences: Vec::new(), events: Vec::new(), diagnostics: Vec::new(), country_focus: focus.clone() };
    for c in &orphan_citations {
        out.diagnostics.push(format!("citation [{c}] has no sentence to belong to"));
    }
    let mut state = DocState { last_agents: Vec::new(), last_event: None, last_settlement: None, last_group: None, named: Vec::new() };
    for (i, s) in sentences.iter().enumerate() {
        let inherited = inherited_when(&anchors[i], next_absolute[i], &narrative);
        let toks = tokenize(&s.text);
        code_sentence(registry, lexicon, &focus, s, &toks, &timexes[i], inherited, &mut state, &mut out);
    }
    out.sentences = sentences;
    out
}

/// The interval of a sentence that states no date: from the narrative's current date to the next
/// date the text states (or the end of the current month), never an invented exact day.
fn inherited_when(anchor: &crate::timex::Anchor, next: Option<NaiveDate>, narrative: &Narrative) -> When {
    let month_end = |y: i32, m: u32| {
        let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
        NaiveDate::from_ymd_opt(ny, nm, 1).and_then(|d| d.pred_opt())
    };
    let (lo, default_hi) = match (anchor.day, anchor.month, anchor.year) {
        (Some(d), _, _) => (Some(d), month_end(d.year_ce().1 as i32, d.month0() + 1)),
        (None, Some((y, m)), _) => (NaiveDate::from_ymd_opt(y, m, 1), month_end(y, m)),
        (None, None, Some(y)) => (NaiveDate::from_ymd_opt(y, 1, 1), NaiveDate::from_ymd_opt(y, 12, 31)),
        _ => match narrative.title_interval().or(narrative.published().map(|p| (p, p))) {
            Some((a, b)) => (Some(a), Some(b)),
            None => return When::unknown(),
        },
    };
    let Some(lo) = lo else { return When::unknown() };
    let hi = match next {
        Some(n) if n >= lo => n,
        _ => default_hi.unwrap_or(lo),
    };
    // a report tells nothing after it was published
    let hi = narrative.published().filter(|p| *p >= lo).map_or(hi, |p| hi.min(p));
    let precision = if hi == lo { Precision::Day } else { Precision::Days };
    When { earliest: Some(lo), latest: Some(hi), precision, basis: DateBasis::PreviousEvent, text: String::new(), ambiguous: false, inherited: true }
}

use chrono::Datelike;

fn when_of(t: &Timex) -> When {
    let precision = match t.granularity {
        Granularity::Day => Precision::Day,
        Granularity::Days => Precision::Days,
        Granularity::Week => Precision::Week,
        Granularity::Month => {
            if t.modifier.is_some() && t.earliest.day() != 1 || (t.latest - t.earliest).num_days() < 27 {
                Precision::Days
            } else {
                Precision::Month
            }
        }
        Granularity::Season => Precision::Season,
        Granularity::Year | Granularity::Decade => Precision::Year,
    };
    let basis = match t.basis {
        Basis::Explicit => DateBasis::Explicit,
        Basis::Title => DateBasis::DocumentTitle,
        Basis::Published => DateBasis::PublishedDate,
        Basis::Narrative => DateBasis::PreviousEvent,
        Basis::EarlierYear => DateBasis::EarlierYear,
    };
    When { earliest: Some(t.earliest), latest: Some(t.latest), precision, basis, text: t.text.clone(), ambiguous: t.ambiguous, inherited: false }
}

fn join(tokens: &[Token], text: &str, from: usize, to: usize) -> String {
    if from >= to || to > tokens.len() {
        return String::new();
    }
    text[tokens[from].start..tokens[to - 1].end].to_string()
}

/// Tokens inside quotation marks: direct speech codes no events.
fn quoted(tokens: &[Token]) -> Vec<bool> {
    let mut mask = vec![false; tokens.len()];
    let mut open = false;
    for (i, t) in tokens.iter().enumerate() {
        let q = t.kind == TokKind::Punct && matches!(t.text.as_str(), "\"" | "\u{201c}" | "\u{201d}");
        if q {
            open = if t.text == "\u{201c}" { true } else if t.text == "\u{201d}" { false } else { !open };
            mask[i] = true;
            continue;
        }
        mask[i] = open;
    }
    mask
}

/// Whether a found predicate reports a real event here; `None` drops it (with a reason).
fn realis(lexicon: &Lexicon, tokens: &[Token], m: &PredicateMatch, is_actor_end: &[bool]) -> Result<(bool, bool), &'static str> {
    let i = m.start;
    let w = |k: usize| tokens.get(k).map_or("", |t| t.lower.as_str());
    let prev = if i > 0 { w(i - 1) } else { "" };
    let prev2 = if i > 1 { w(i - 2) } else { "" };
    let prev3 = if i > 2 { w(i - 3) } else { "" };
    let mut failed = false;
    // nouns and adjectives: "the attack", "the withdrawing militants", "heavy shelling"
    if DETERMINERS.contains(&prev) && m.end == m.start + 1 {
        return Err("noun or adjective use");
    }
    match m.form {
        Form::Base | Form::Present => {
            let subject_before = i > 0 && (PRONOUNS.contains(&prev) || is_actor_end[i - 1]);
            if prev != "to" && !subject_before && !(prev == "did" || prev2 == "did") {
                return Err("not a finite verb");
            }
            // "Hezbollah advances in the barrens" is a plural noun; a present verb takes an object
            let next = tokens.get(m.end);
            let object = next.is_some_and(|t| DETERMINERS.contains(&t.lower.as_str()) || t.is_capitalized());
            if m.form == Form::Present && m.end == m.start + 1 && !object {
                return Err("plural noun");
            }
        }
        Form::Gerund => {
            if i > 0 && !GERUND_LEADS.contains(&prev) && !prev.ends_with("ly") && !is_actor_end[i - 1] {
                return Err("gerund used as a noun");
            }
        }
        Form::Past => {
            // "territory seized by rebels": a participle after a noun, no auxiliary
            // (not "organized a demonstration by closing …": "by" after an object, or before a
            // gerund, tells how, not who)
            let by_how = m.end > i + 1 || w(m.end + 1).ends_with("ing");
            if w(m.end) == "by" && !by_how && !BE.contains(&prev) && !BE.contains(&prev2) && !matches!(prev, "had" | "has" | "have" | ",") && i > 0 && tokens[i - 1].kind == TokKind::Word && !is_actor_end[i - 1] {
                return Err("participle modifying a noun");
            }
        }
    }
    // infinitives: irrealis unless realised ("managed to", "claimed to have", "failed to")
    let (to_at, have) = if prev == "to" { (Some(i - 1), false) } else if prev == "have" && prev2 == "to" { (Some(i - 2), true) } else { (None, false) };
    if let Some(t) = to_at {
        let before = if t > 0 { w(t - 1) } else { "" };
        let phrase = [before.to_string(), "to".to_string()];
        let failure = lexicon.failure_before.iter().any(|f| f.as_slice() == phrase);
        if failure {
            failed = matches!(before, "failed" | "fail" | "fails" | "unable");
        } else if !(have || lexicon.realis_before_to.iter().any(|r| r == before)) {
            return Err("infinitive (intention, not an event)");
        }
    }
    // modals and intentions
    for k in [prev, prev2] {
        if MODALS.contains(&k) {
            return Err("modal or intention");
        }
    }
    // negation within the three words before
    for k in [prev, prev2, prev3] {
        if lexicon.negations.iter().any(|n| n == k) && !(k == "no" && prev == "longer") {
            return Err("negated");
        }
    }
    // "was killed", "were reportedly killed", "was found killed"; but "IS attacked" is the
    // Islamic State acting
    let verb_be = |k: usize| BE.contains(&w(k)) && !is_actor_end[k];
    let passive = (i > 0 && verb_be(i - 1)) || (i > 1 && verb_be(i - 2) && (prev.ends_with("ly") || matches!(prev, "found" | "also")));
    Ok((failed, passive))
}

/// A number of people: "six", "16", "dozens", "at least 16" → (min, max).
fn people_count(tokens: &[Token], i: usize) -> Option<((u32, Option<u32>), usize)> {
    let w = |k: usize| tokens.get(k).map_or("", |t| t.lower.as_str());
    let mut j = i;
    if matches!(w(j), "at") && matches!(w(j + 1), "least") {
        j += 2;
    }
    if matches!(w(j), "some" | "about" | "around" | "nearly" | "almost" | "over" | "more" | "up") {
        j += 1;
        if matches!(w(j), "than" | "to") {
            j += 1;
        }
    }
    let t = tokens.get(j)?;
    // "an unknown number of fighters" is no count
    if matches!(t.lower.as_str(), "a" | "an") && matches!(w(j + 1), "unknown" | "number" | "few" | "large" | "small" | "total") {
        return None;
    }
    let n: Option<u32> = if t.kind == TokKind::Number {
        t.lower.replace(',', "").parse().ok()
    } else {
        match t.lower.as_str() {
            "one" | "a" | "an" => Some(1),
            "two" => Some(2),
            "three" => Some(3),
            "four" => Some(4),
            "five" => Some(5),
            "six" => Some(6),
            "seven" => Some(7),
            "eight" => Some(8),
            "nine" => Some(9),
            "ten" => Some(10),
            "eleven" => Some(11),
            "twelve" => Some(12),
            "fifteen" => Some(15),
            "twenty" => Some(20),
            "thirty" => Some(30),
            "forty" => Some(40),
            "fifty" => Some(50),
            "hundred" => Some(100),
            _ => None,
        }
    };
    if let Some(n) = n {
        // "two to five", "10-15"
        if matches!(w(j + 1), "to" | "-" | "–" | "or") {
            if let Some(t2) = tokens.get(j + 2) {
                if let Ok(m) = t2.lower.parse::<u32>() {
                    return Some(((n, Some(m)), j + 3));
                }
            }
        }
        return Some(((n, None), j + 1));
    }
    match t.lower.as_str() {
        "dozens" if w(j + 1) == "of" => Some(((24, Some(99)), j + 2)),
        "hundreds" if w(j + 1) == "of" => Some(((200, Some(999)), j + 2)),
        "scores" if w(j + 1) == "of" => Some(((40, Some(99)), j + 2)),
        "several" => Some(((3, Some(9)), j + 1)),
        "a" if w(j + 1) == "dozen" => Some(((12, None), j + 2)),
        _ => None,
    }
}

/// Fatality expressions: (token where it starts, token after, count). Wounded are not counted.
fn fatalities(lexicon: &Lexicon, tokens: &[Token]) -> Vec<(usize, usize, (u32, Option<u32>))> {
    let mut out = Vec::new();
    let is_noun = |k: usize| tokens.get(k).is_some_and(|t| lexicon.casualty_nouns.iter().any(|n| *n == t.lower) || t.lower.ends_with("ers") || t.lower.ends_with("men"));
    let is_dead = |k: usize| tokens.get(k).is_some_and(|t| lexicon.casualty_words.iter().any(|n| *n == t.lower));
    let mut i = 0;
    while i < tokens.len() {
        // "killing (at least) 16 (people)", "killed 3"; "executed a shepherd", "shot dead two men"
        let killing = matches!(tokens[i].lower.as_str(), "killing" | "killed" | "kills");
        let to_death = (i + 2..(i + 7).min(tokens.len())).any(|j| tokens[j].lower == "death" && tokens[j - 1].lower == "to");
        let named_victims = matches!(tokens[i].lower.as_str(), "executed" | "executing" | "assassinated" | "assassinating" | "beheaded" | "beheading")
            || (matches!(tokens[i].lower.as_str(), "stabbed" | "stabbing" | "beat" | "beating" | "tortured" | "torturing") && to_death)
            || (matches!(tokens[i].lower.as_str(), "shot" | "shooting") && tokens.get(i + 1).is_some_and(|t| t.lower == "dead"));
        let count_at = if matches!(tokens[i].lower.as_str(), "shot" | "shooting") { i + 2 } else { i + 1 };
        if (killing || named_victims) && !(i > 0 && BE.contains(&tokens[i - 1].lower.as_str())) {
            // "killing him", "killing the Levant Front member", "the killing of the council member"
            let at = if tokens.get(count_at).is_some_and(|t| t.lower == "of") { count_at + 1 } else { count_at };
            if let Some(end) = one_named_person(tokens, at, &is_noun) {
                out.push((i, end, (1, None)));
                i = end;
                continue;
            }
            // "killing its two passengers": the count after a possessive
            let count_at = if tokens.get(count_at).is_some_and(|t| matches!(t.lower.as_str(), "its" | "their" | "his" | "her")) && people_count(tokens, count_at + 1).is_some() { count_at + 1 } else { count_at };
            // "killing all of them", "killing all three": everyone the sentence counted before
            if killing && tokens.get(count_at).is_some_and(|t| t.lower == "all") {
                let before = (0..i).rev().find_map(|k| people_count(tokens, k).filter(|&(_, e)| (e..e + 3).any(|x| x < i && is_noun(x))));
                if let Some((n, _)) = before {
                    let end = if tokens.get(count_at + 1).is_some_and(|t| t.lower == "of") { count_at + 3 } else { count_at + 2 };
                    let end = end.min(tokens.len());
                    out.push((i, end, n));
                    i = end;
                    continue;
                }
            }
            // ("assassinated a former opposition commander": a few words may qualify the noun)
            let noun_near = |end: usize| killing || (end..end + 4).any(is_noun);
            if let Some((n, end)) = people_count(tokens, count_at).filter(|&(_, end)| noun_near(end)) {
                // "killing a woman and three children": the counts add up
                let (mut total, mut e) = (n, end);
                while e < tokens.len() && (is_noun(e) || tokens[e].lower.ends_with("-old") || matches!(tokens[e].lower.as_str(), "young" | "old" | "other" | "more")) {
                    e += 1;
                }
                if tokens.get(e).is_some_and(|t| t.lower == "and") {
                    if let Some((m, e2)) = people_count(tokens, e + 1) {
                        if is_noun(e2) {
                            total = (total.0 + m.0, match (total.1, m.1) {
                                (None, None) => None,
                                (a, b) => Some(a.unwrap_or(total.0) + b.unwrap_or(m.0)),
                            });
                            e = e2 + 1;
                        }
                    }
                }
                out.push((i, e.max(end), total));
                i = e.max(end);
                continue;
            }
        }
        // a coder's count: "Unknown fatalities coded as 10"
        if matches!(tokens[i].lower.as_str(), "fatalities" | "deaths") && tokens.get(i + 1).is_some_and(|t| t.lower == "coded") && tokens.get(i + 2).is_some_and(|t| t.lower == "as") {
            if let Some((n, end)) = people_count(tokens, i + 3) {
                out.push((i, end, n));
                i = end;
                continue;
            }
        }
        // "Hezbollah lost nine fighters", "the army lost 30 soldiers"
        if matches!(tokens[i].lower.as_str(), "lost" | "losing" | "loses" | "lose") {
            if let Some((n, end)) = people_count(tokens, i + 1) {
                let mut k = end;
                while k < end + 3 && tokens.get(k).is_some_and(|t| t.is_capitalized() || t.lower.ends_with("ed") || matches!(t.lower.as_str(), "of" | "their" | "its")) {
                    k += 1;
                }
                if is_noun(k) && !matches!(tokens.get(k).map(|t| t.lower.as_str()), Some("of")) {
                    out.push((i, k + 1, n));
                    i = k + 1;
                    continue;
                }
            }
        }
        if let Some((n, mut end)) = people_count(tokens, i) {
            // "six of their fighters dead", "16 ISIL fighters were killed", "12 killed"
            let mut k = end;
            let mut steps = 0;
            let mut nouns = 0;
            let mut n = n;
            while steps < 9 {
                let t = tokens.get(k);
                let filler = t.is_some_and(|t| {
                    matches!(
                        t.lower.as_str(),
                        "of" | "their" | "its" | "the" | "his" | "her" | "'s" | "government" | "rebel" | "pro-government" | "more" | "regime" | "pro-regime"
                            | "army" | "opposition" | "security" | "military" | "police" | "armed" | "young" | "other"
                            // "a man (originally) from Kobani was shot dead", "a member of the Amal movement"
                            | "from" | "originally" | "movement" | "clan" | "party" | "family" | "tribe" | "group" | "faction" | "brigade"
                            | "battalion" | "militia" | "forces"
                    ) || (t.is_capitalized() && t.kind == TokKind::Word)
                        // "a member of the 8th Brigade"
                        || (t.lower.len() > 2 && t.lower.chars().next().is_some_and(|c| c.is_ascii_digit()) && ["st", "nd", "rd", "th"].iter().any(|x| t.lower.ends_with(x)))
                });
                if is_noun(k) {
                    nouns += 1;
                } else if nouns > 0 && t.is_some_and(|t| t.lower == "and") {
                    // "25 rebels and 11 soldiers were killed": the counts add up; "a woman and her
                    // daughter", "a man and his two sons" too
                    let possessive = tokens.get(k + 1).is_some_and(|t| matches!(t.lower.as_str(), "her" | "his" | "their" | "its"));
                    let next = if possessive {
                        people_count(tokens, k + 2).or_else(|| is_noun(k + 2).then_some(((1, None), k + 2)))
                    } else {
                        people_count(tokens, k + 1)
                    };
                    match next {
                        // ("… and 188 government soldiers": a qualifier may stand before the noun)
                        Some((m, e2))
                            if is_noun(e2)
                                || tokens.get(e2).is_some_and(|t| t.is_capitalized())
                                || (is_noun(e2 + 1) && matches!(tokens.get(e2).map_or("", |t| t.lower.as_str()), "government" | "rebel" | "regime" | "army" | "opposition" | "security" | "pro-government" | "pro-regime" | "enemy" | "other" | "more")) =>
                        {
                            n = (n.0 + m.0, match (n.1, m.1) {
                                (None, None) => None,
                                (a, b) => Some(a.unwrap_or(n.0) + b.unwrap_or(m.0)),
                            });
                            k = e2;
                            steps += 1;
                            continue;
                        }
                        // "1,000 rebels and 200 soldiers and Hezbollah fighters were killed": a
                        // group named without a count adds nothing, but the list goes on
                        None if (k + 1..k + 4).any(|x| is_noun(x) && tokens[k + 1..x].iter().all(|t| t.is_capitalized() && t.kind == TokKind::Word)) => {
                            let x = (k + 1..k + 4).find(|&x| is_noun(x)).unwrap_or(k + 1);
                            k = x + 1;
                            steps += 1;
                            continue;
                        }
                        _ => break,
                    }
                } else if nouns > 0 && t.is_some_and(|t| t.text == ",") && tokens.get(k + 1).is_some_and(|t| matches!(t.lower.as_str(), "including" | "among")) {
                    // "219 civilians, including 27 children, were killed": the part is inside the whole
                    match (k + 2..(k + 10).min(tokens.len())).find(|&j| tokens[j].text == ",") {
                        Some(close) => {
                            k = close + 1;
                            steps += 1;
                            continue;
                        }
                        None => break,
                    }
                } else if !filler {
                    break;
                }
                k += 1;
                steps += 1;
            }
            let steps = if nouns > 0 { steps } else { 0 };
            let aux = matches!(tokens.get(k).map(|t| t.lower.as_str()), Some("were" | "was" | "are" | "have" | "had" | "been" | "reportedly" | "also"));
            let k2 = if aux { k + 1 } else { k };
            let k3 = if tokens.get(k2).is_some_and(|t| matches!(t.lower.as_str(), "been" | "reportedly" | "also")) { k2 + 1 } else { k2 };
            let direct = tokens.get(k).is_some_and(|t| matches!(t.lower.as_str(), "killed" | "dead" | "fatality" | "fatalities"));
            if (steps > 0 || direct) && is_dead(k3) {
                end = k3 + 1;
                out.push((i, end, n));
                i = end;
                continue;
            }
            // "a man was shot dead", "two women were stabbed to death"
            if steps > 0 && aux {
                if let Some(after) = violent_death(tokens, k3) {
                    out.push((i, after, n));
                    i = after;
                    continue;
                }
            }
        }
        i += 1;
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn code_sentence(registry: &Registry, lexicon: &Lexicon, focus: &[String], s: &Sentence, tokens: &[Token], timexes: &[Timex], inherited: When, state: &mut DocState, out: &mut Extraction) {
    let text = &s.text;
    let n = tokens.len();
    let quote = quoted(tokens);
    // token index of each timex
    let tok_of = |byte: usize| tokens.iter().position(|t| t.start >= byte).unwrap_or(n);
    let timex_toks: Vec<(usize, usize)> = timexes.iter().map(|t| (tok_of(t.start), tokens.iter().rposition(|k| k.end <= t.end).map_or(n, |p| p + 1))).collect();
    let mut taken = vec![false; n];
    for &(a, b) in &timex_toks {
        for t in taken.iter_mut().take(b.min(n)).skip(a) {
            *t = true;
        }
    }
    let mut actors: Vec<ActorMention> = registry.find(tokens, focus).into_iter().filter(|m| !taken[m.start]).collect();
    {
        // organisations the registry lacks become provisional actors, not dropped
        let mut busy = taken.clone();
        for m in &actors {
            for t in busy.iter_mut().take(m.end).skip(m.start) {
                *t = true;
            }
        }
        actors.extend(registry.find_provisional(tokens, &busy));
        actors.sort_by_key(|m| m.start);
    }
    // "Islamic State positions … at least 34 militants were killed": "militants", "jihadists"
    // mean the jihadist group named last (in this sentence or the two before), not the country's
    // rebels at large (the SDF or a rebel faction named since is no antecedent: they are not
    // called so)
    state.last_group = state.last_group.take().map(|(id, age)| (id, age + 1)).filter(|(_, age)| *age <= 2);
    for m in actors.iter_mut() {
        let words = m.text.to_lowercase();
        let words = words.strip_prefix("the ").unwrap_or(&words);
        let vague = registry.get(&m.actor).is_some_and(|a| a.kind == "rebel_group") && matches!(words, "militants" | "militant" | "insurgents" | "jihadists" | "extremists" | "terrorists");
        if vague {
            if let Some((id, _)) = &state.last_group {
                m.actor = id.clone();
            }
        } else if registry.get(&m.actor).is_some_and(|a| a.kind == "jihadist_group") {
            state.last_group = Some((m.actor.clone(), 0));
        }
    }
    // "The Lebanese Army launched … By 28 August, the army had recaptured …": a generic word
    // ("the army", "troops") means the force of that word named last (in this sentence or the
    // two before), before the document's country at large
    for named in state.named.iter_mut() {
        named.1 += 1;
    }
    state.named.retain(|(_, age)| *age <= 3);
    for m in actors.iter_mut() {
        if registry.get(&m.actor).is_none() {
            continue;
        }
        if !registry.is_generic_of(&m.text, &m.actor) {
            state.named.retain(|(id, _)| *id != m.actor);
            state.named.push((m.actor.clone(), 0));
            continue;
        }
        let owner = state.named.iter().rev().find(|(id, _)| registry.is_generic_of(&m.text, id));
        if let Some((id, _)) = owner {
            m.actor = id.clone();
        }
    }
    let mut is_actor_end = vec![false; n];
    for m in &actors {
        for t in taken.iter_mut().take(m.end).skip(m.start) {
            *t = true;
        }
        is_actor_end[m.end - 1] = true;
        // "Hezbollah forces", "ISIL fighters": the noun after belongs to the mention
    }
    for (k, t) in tokens.iter().enumerate() {
        if k > 0 && is_actor_end[k - 1] && matches!(t.lower.as_str(), "forces" | "fighters" | "troops" | "units" | "militants") {
            is_actor_end[k] = true;
        }
    }
    let place_mentions: Vec<PlaceMention> = places::find(tokens, &taken);
    // "… retook the town": the last town named before, in this sentence or an earlier one
    let earlier_settlement = state.last_settlement.clone();
    // a place named only to say where another lies ("the town of Zabadani, north-west of
    // Damascus", "20 km from Homs") is not what "the town" means later
    let antecedent = |p: &PlaceMention| is_settlement(registry, &p.text) && !is_reference_point(tokens, p.start);
    // nor is one the text called otherwise: "the town" is not one of "the villages of X and Y"
    let settlement_before = |at: usize| -> Option<(String, Option<String>)> {
        let noun = tokens.get(at + 1).map_or("", |t| t.lower.as_str());
        let kind_of = |w: &str| if matches!(w, "village" | "villages") { 1 } else if matches!(w, "town" | "towns" | "city" | "cities") { 2 } else { 0 };
        let other_kind = |p: &PlaceMention| introduced_as(tokens, p).is_some_and(|w| kind_of(w) != 0 && kind_of(w) != kind_of(noun));
        place_mentions.iter().rev().find(|p| p.end <= at && antecedent(p) && !other_kind(p)).map(|p| (p.text.clone(), p.near.clone())).or_else(|| earlier_settlement.clone())
    };
    if let Some(p) = place_mentions.iter().rev().find(|p| antecedent(p)) {
        state.last_settlement = Some((p.text.clone(), p.near.clone()));
    }
    let all_places = || place_mentions.iter().map(|p| EventPlace { mention: p.text.clone(), near: p.near.clone() }).collect::<Vec<_>>();

    // reporting verbs and "according to"
    let mut reports: Vec<(usize, String, String)> = Vec::new(); // (token, source, verb)
    for (k, t) in tokens.iter().enumerate() {
        // (an actor's name is no verb: "the Islamic State")
        if quote[k] || taken[k] {
            continue;
        }
        if t.lower == "according" && tokens.get(k + 1).is_some_and(|x| x.lower == "to") {
            let src = source_after(registry, &actors, tokens, k + 2);
            reports.push((0, src, "according to".into()));
            continue;
        }
        if let Some((lemma, form)) = lexicon.verb(&t.lower) {
            if lexicon.is_reporting(lemma) && form != Form::Gerund {
                if matches!(t.lower.as_str(), "said" | "reported" | "claimed" | "stated") && k > 0 && DETERMINERS.contains(&tokens[k - 1].lower.as_str()) {
                    continue;
                }
                // "…, the Syrian Observatory said.": a report closing the sentence (or set
                // between commas: "…, the Turkish military said, in response to …") covers what
                // came before it (recorded at token 0, as "according to" is)
                if let Some(from) = trailing_report(tokens, k) {
                    let src = source_between(registry, &actors, tokens, from, k);
                    if !src.is_empty() {
                        reports.push((0, src, t.lower.clone()));
                        continue;
                    }
                }
                // "by stating", "the Army also claimed"
                let src = source_before(registry, &actors, tokens, k);
                if !src.is_empty() {
                    reports.push((k, src, t.lower.clone()));
                }
            }
        }
        if t.lower == "stating" || t.lower == "saying" {
            let src = source_before(registry, &actors, tokens, k);
            if !src.is_empty() {
                reports.push((k, src, t.lower.clone()));
            }
        }
    }

    // predicates
    let mut cands: Vec<Cand> = Vec::new();
    for m in lexicon.find(tokens) {
        if quote[m.start] || taken[m.start] {
            continue;
        }
        match realis(lexicon, tokens, &m, &is_actor_end) {
            Ok((failed, passive)) => {
                let trigger = join(tokens, text, m.start, m.end);
                cands.push(Cand { start: m.start, end: m.end, kind: m.kind, priority: m.priority, trigger, failed, hedged: false, passive, fatalities: None, copy: false, acled: m.acled.clone() });
            }
            Err(why) => {
                if why == "negated" {
                    out.diagnostics.push(format!("sentence {}: negated {:?} not coded", s.index, join(tokens, text, m.start, m.end)));
                }
            }
        }
    }
    // fatality expressions attach to a "kill" predicate or make a CASUALTIES event
    for (a, b, count) in fatalities(lexicon, tokens) {
        if quote[a] {
            continue;
        }
        // "a man was shot dead": the count is the shooting's
        if let Some(c) = cands.iter_mut().find(|c| violence(c.kind) && c.start >= a && c.start < b) {
            c.fatalities = Some(count);
        } else {
            let trigger = join(tokens, text, a, b);
            // "a civilian died", "16 ISIL fighters dead": whom the count names suffered it
            cands.push(Cand { start: b - 1, end: b, kind: Kind::Casualties, priority: 2, trigger, failed: false, hedged: false, passive: true, fatalities: Some(count), copy: false, acled: None });
        }
    }
    // "the body of a young man was found": a death, whoever caused it
    let bodies = bodies_found(tokens);
    if !cands.iter().any(|c| violence(c.kind)) {
        if let (Some(n), Some(at)) = (bodies, tokens.iter().position(|t| t.lower == "found")) {
            if !quote[at] {
                let trigger = join(tokens, text, at, at + 1);
                cands.push(Cand { start: at, end: at + 1, kind: Kind::Casualties, priority: 2, trigger, failed: false, hedged: false, passive: true, fatalities: Some((n, None)), copy: false, acled: None });
            }
        }
    }
    cands.sort_by_key(|c| c.start);
    // "as well as PLACE": a second object of the predicate before
    let mut copies = Vec::new();
    for k in 0..n.saturating_sub(3) {
        if tokens[k].lower == "as" && tokens[k + 1].lower == "well" && tokens[k + 2].lower == "as" {
            if let Some(prev) = cands.iter().rev().find(|c| c.end <= k && !matches!(c.kind, Kind::Casualties | Kind::Statement)) {
                if place_mentions.iter().any(|p| p.start >= k + 3 && p.start <= k + 5) {
                    copies.push(Cand { start: k, end: k + 3, kind: prev.kind, priority: prev.priority, trigger: prev.trigger.clone(), failed: prev.failed, hedged: false, passive: false, fatalities: None, copy: true, acled: prev.acled.clone() });
                }
            }
        }
    }
    cands.extend(copies);
    cands.sort_by_key(|c| c.start);
    // failure after the predicate: "but was repelled"
    for k in 0..n {
        for pat in &lexicon.failure_after {
            if k + pat.len() <= n && pat.iter().enumerate().all(|(j, w)| tokens[k + j].lower == *w) {
                // the last predicate failed, and the verbs chained to it ("made an attempt to
                // counterattack", "tried to storm")
                if let Some(mut at) = cands.iter().rposition(|c| c.end <= k) {
                    cands[at].failed = true;
                    while at > 0 && cands[at].start.saturating_sub(cands[at - 1].end) <= 2 && cands[at - 1].end <= cands[at].start {
                        at -= 1;
                        cands[at].failed = true;
                    }
                }
            }
        }
    }
    let hedged_sentence = tokens.iter().any(|t| lexicon.hedges.iter().any(|h| *h == t.lower) && t.lower != "reported");

    // clause boundaries
    let mut bounds = Vec::with_capacity(cands.len());
    for (k, c) in cands.iter().enumerate() {
        if k == 0 {
            bounds.push(0);
            continue;
        }
        let prev_end = cands[k - 1].end;
        // an "and" that joins two actors ("the Islamic Front and al-Nusra withdrew") is inside the
        // subject, not a clause boundary
        let joins_actors = |j: usize| {
            tokens[j].lower == "and" && j > 0 && is_actor_end[j - 1] && actors.iter().any(|m| m.start == j + 1 || (m.start == j + 2 && tokens[j + 1].lower == "the"))
        };
        let b = (prev_end..c.start).rev().find(|&j| DELIMITERS.contains(&tokens[j].lower.as_str()) && !joins_actors(j)).unwrap_or(c.start);
        bounds.push(b);
    }
    let mut clauses: Vec<Clause> = Vec::new();
    for (k, c) in cands.into_iter().enumerate() {
        let from = bounds[k];
        let to = bounds.get(k + 1).copied().unwrap_or(n);
        // the predicate's own object ends at a subordinate clause or a comma not continuing a list
        let mut stop = to;
        for j in c.end..to {
            let w = tokens[j].lower.as_str();
            if SUBORDINATORS.contains(&w) && !(w == "as" && tokens.get(j + 1).is_some_and(|t| t.lower == "well")) {
                stop = j;
                break;
            }
            if w == "," {
                let next = tokens.get(j + 1);
                let continues = next.is_some_and(|t| place_mentions.iter().any(|p| p.start == j + 1) || matches!(t.lower.as_str(), "and" | "or"));
                if !continues {
                    stop = j;
                    break;
                }
            }
        }
        let places_in: Vec<usize> = place_mentions.iter().enumerate().filter(|(_, p)| p.start >= from && p.start < to).map(|(i, _)| i).collect();
        // ("then stormed the village": a settlement named by its noun is a place of its own too)
        let definite_settlement = (c.end..stop.min(c.end + 3)).any(|j| names_settlement(tokens, j));
        let own_place = definite_settlement || place_mentions.iter().any(|p| (p.start >= from && p.start < c.start) || (p.start >= c.end && p.start < stop));
        // "captured Qara, and the next day they took the hills": a date after ", and" (or ";")
        // opens a clause of its own, even when no predicate of the dictionary leads it
        let dated_clause = (c.end..to).find(|&j| {
            tokens[j].text == ";" || (tokens[j].text == "," && tokens.get(j + 1).is_some_and(|t| matches!(t.lower.as_str(), "and" | "but")) && timex_toks.iter().any(|(a, _)| *a > j + 1 && *a <= j + 4))
        });
        let timex_to = dated_clause.unwrap_or(to);
        let timex = timex_toks.iter().enumerate().filter(|(_, (a, _))| *a >= from && *a < timex_to).map(|(i, _)| i).next_back();
        // actors: before the predicate are agents ("backed by X": allies), after it the others
        let mut agents = Vec::new();
        let mut allies = Vec::new();
        let mut others = Vec::new();
        for (ai, m) in actors.iter().enumerate() {
            if m.start >= from && m.start < c.start {
                let backed = (m.start.saturating_sub(4)..m.start).any(|j| matches!(tokens[j].lower.as_str(), "backed" | "supported" | "coordination" | "alongside" | "allied" | "aided" | "assisted" | "support"));
                if backed {
                    allies.push(ai);
                } else {
                    agents.push(ai);
                }
            } else if m.start >= c.end && m.start < to {
                others.push(ai);
            }
        }
        // "was captured by X", "a body found, killed by X": the agent follows "by"
        // "Qusayr fell to the Syrian Army", "came under the control of ISIL": who follows the
        // phrase took the place
        let trigger = c.trigger.to_lowercase();
        let taken_by = (trigger.starts_with("fell") || trigger.starts_with("fall")) && trigger.ends_with(" to")
            || (trigger.starts_with("came") || trigger.starts_with("come")) && trigger.ends_with(" of");
        if taken_by {
            // ("… to the Syrian Army and Hezbollah": everyone named up to the phrase's end)
            let stop = (c.end..n).find(|&j| tokens[j].kind == TokKind::Punct || matches!(tokens[j].lower.as_str(), "after" | "in" | "on" | "near" | "following" | "when" | "as" | "at" | "during")).unwrap_or(n);
            let takers: Vec<usize> = others.iter().copied().filter(|&ai| actors[ai].start >= c.end && actors[ai].start < stop).collect();
            if !takers.is_empty() {
                let mut new_others = std::mem::take(&mut agents);
                new_others.extend(others.iter().copied().filter(|ai| !takers.contains(ai)));
                agents = takers;
                others = new_others;
            }
        }
        let by_follows = tokens.get(c.end).is_some_and(|t| t.lower == "by");
        if c.passive || by_follows {
            // the by-phrase may name the actor inside a noun phrase: "killed by a sniper of
            // regime forces", "shot by members of HTS"
            let by_agents: Vec<usize> = others.iter().copied().filter(|&ai| in_by_phrase(tokens, c.end, actors[ai].start)).collect();
            if !by_agents.is_empty() {
                let mut new_others = agents.clone();
                new_others.extend(others.iter().copied().filter(|ai| !by_agents.contains(ai)));
                agents = by_agents;
                others = new_others;
            } else if c.passive && !c.failed {
                // "three regime soldiers were killed": who a passive verb names first suffered it
                let mut new_others = std::mem::take(&mut agents);
                new_others.append(&mut others);
                others = new_others;
                // … unless the actor names the weapon's owner: "died of wounds from regime
                // shelling", "killed by Turkish drone fire"
                let (owners, rest): (Vec<usize>, Vec<usize>) = others.iter().partition(|&&ai| {
                    let m = &actors[ai];
                    c.end <= m.start && (m.start + 1..=m.end).any(|j| tokens.get(j).is_some_and(|t| WEAPON_NOUNS.contains(&t.lower.as_str())))
                });
                agents = owners;
                others = rest;
            }
        }
        let attribution = reports.iter().filter(|(at, _, _)| *at <= c.start).next_back().map(|(_, s, v)| (s.clone(), v.clone()));
        clauses.push(Clause { own_place, own_date: timex.is_some(), cand: c, from, to, places: places_in, agents, others, allies, timex, attribution, folded_into: None });
    }
    // coordination on one object: "attacked and recaptured X" folds the first into the second
    for k in 1..clauses.len() {
        let between: Vec<&str> = tokens[clauses[k - 1].cand.end..clauses[k].cand.start].iter().map(|t| t.lower.as_str()).collect();
        let shared = !between.is_empty() && between.iter().all(|w| matches!(*w, "and" | "or" | "then" | "also") || w.ends_with("ly")) && !clauses[k - 1].own_place && !clauses[k].cand.copy;
        if shared {
            clauses[k - 1].folded_into = Some(k);
            // the event is what the stronger verb says: "shot and killed" is an attack
            if clauses[k - 1].cand.priority > clauses[k].cand.priority {
                clauses[k].cand.kind = clauses[k - 1].cand.kind;
                clauses[k].cand.priority = clauses[k - 1].cand.priority;
                clauses[k].cand.acled = clauses[k - 1].cand.acled.clone().or(clauses[k].cand.acled.take());
                clauses[k].cand.trigger = format!("{} and {}", clauses[k - 1].cand.trigger, clauses[k].cand.trigger);
            }
        }
    }
    // "an explosion hit a fuel tanker": a noun-phrase predicate is the subject of the verb right
    // after it, one event (the noun says what kind of explosion, the verb whom it struck)
    for k in 1..clauses.len() {
        let (a, b) = (&clauses[k - 1].cand, &clauses[k].cand);
        // "an explosion of a landmine left over from the war killed …": an "of" phrase between
        let of_phrase = tokens.get(a.end).is_some_and(|t| t.lower == "of") && b.start - a.end <= 9 && tokens[a.end..b.start].iter().all(|t| t.kind == TokKind::Word && !DELIMITERS.contains(&t.lower.as_str()));
        // (the article may stand before a name: "an ISIL suicide bomber blew himself up")
        let noun_phrase = (a.start.saturating_sub(2)..=a.start).any(|j| matches!(tokens[j].lower.as_str(), "a" | "an" | "the") && (j == a.start || tokens[j + 1..a.start].iter().all(|t| t.kind == TokKind::Word && t.is_capitalized())));
        if (a.end == b.start || of_phrase) && noun_phrase && clauses[k - 1].folded_into.is_none() && !b.copy {
            let (kind, priority, acled) = (a.kind, a.priority, a.acled.clone());
            clauses[k - 1].folded_into = Some(k);
            let b = &mut clauses[k].cand;
            if priority > b.priority {
                (b.kind, b.priority) = (kind, priority);
            }
            if b.acled.is_none() {
                b.acled = acled;
            }
        }
    }
    // "was killed after being shot by gunmen": the killing is the shooting, one event told by the
    // stronger verb
    for k in 1..clauses.len() {
        let at = clauses[k].cand.start;
        let after_being = at >= 2 && tokens[at - 1].lower == "being" && tokens[at - 2].lower == "after";
        // a cause: an attack or a strike told after the deaths
        let cause = matches!(clauses[k].cand.kind, Kind::Bombardment | Kind::Attack | Kind::Clash) && clauses[k - 1].cand.end <= at;
        // "… were killed when a shell exploded in their house": the cause told after "when"
        let when_cause = cause && (clauses[k].from..at).any(|j| tokens[j].lower == "when");
        // "… were killed in an attack by IS", "killed in an explosion": the cause told by "in"
        let in_cause = cause && (tokens[at].lower == "in" || (at >= 1 && tokens[at - 1].lower == "in") || (at >= 2 && tokens[at - 2].lower == "in" && matches!(tokens[at - 1].lower.as_str(), "a" | "an" | "the")));
        if !(after_being || when_cause || in_cause) {
            continue;
        }
        // every death and injury told before the cause ("a woman was killed and her husband
        // injured when gunmen opened fire") is the cause's
        let mut j = k;
        while j > 0 && clauses[j - 1].cand.kind == Kind::Casualties && clauses[j - 1].folded_into.is_none() {
            j -= 1;
            clauses[j].folded_into = Some(k);
            if clauses[k].cand.fatalities.is_none() {
                clauses[k].cand.fatalities = clauses[j].cand.fatalities.take();
            }
        }
    }
    // "74 people were killed and more than 550 injured in …": the injured of the same act
    for k in 1..clauses.len() {
        let (a, b) = (&clauses[k - 1], &clauses[k]);
        let injured = matches!(b.cand.trigger.to_lowercase().as_str(), "injured" | "wounded");
        let joined = tokens.get(a.cand.end..b.cand.start).is_some_and(|between| between.len() <= 6 && between.iter().any(|t| t.lower == "and"));
        if a.cand.kind == Kind::Casualties && b.cand.kind == Kind::Casualties && injured && joined && a.folded_into.is_none() && b.folded_into.is_none() {
            clauses[k].folded_into = Some(k - 1);
        }
    }
    // "killed by unknown gunmen who opened fire on him in Busra": a relative clause on the
    // agent tells how the same act was done
    for k in 1..clauses.len() {
        let at = clauses[k].cand.start;
        if at >= 1 && tokens[at - 1].lower == "who" && violence(clauses[k].cand.kind) && violence(clauses[k - 1].cand.kind) && clauses[k].folded_into.is_none() && clauses[k - 1].folded_into.is_none() {
            clauses[k].folded_into = Some(k - 1);
        }
    }
    // elaboration: a clause with no place and no date of its own folds into the one before
    for k in 1..clauses.len() {
        if clauses[k].folded_into.is_some() || clauses[k].cand.copy || clauses[k].own_place || clauses[k].own_date {
            continue;
        }
        let mut host = k - 1;
        while let Some(h) = clauses[host].folded_into {
            if h == k {
                break;
            }
            host = h;
        }
        // "… after the Islamic Front withdrew": a clause with a subject of its own, other than the
        // host's, tells its own event (unless it is an attempt that failed)
        let own_subject = !clauses[k].agents.is_empty()
            && !clauses[k].cand.failed
            && clauses[k].agents.iter().all(|&a| !clauses[host].agents.iter().any(|&b| actors[b].actor == actors[a].actor));
        if own_subject {
            continue;
        }
        if clauses[host].folded_into != Some(k) {
            clauses[k].folded_into = Some(host);
        }
    }

    // assemble events
    let sentence_when = if timexes.is_empty() {
        coreferent_when(tokens, &place_mentions, state).unwrap_or(inherited)
    } else {
        inherited
    };
    // "Meanwhile, …": at the narrative's current day, not some day until the next date
    let simultaneous = tokens.first().is_some_and(|t| matches!(t.lower.as_str(), "meanwhile" | "simultaneously")) || (tokens.len() > 3 && tokens[0].lower == "at" && tokens[1].lower == "the" && tokens[2].lower == "same" && tokens[3].lower == "time");
    let sentence_when = match (simultaneous, sentence_when.inherited, sentence_when.earliest) {
        (true, true, Some(d)) if sentence_when.precision != crate::Precision::Unknown => When { latest: Some(d), precision: crate::Precision::Day, ..sentence_when },
        _ => sentence_when,
    };
    let mut made: Vec<(usize, Event)> = Vec::new();
    let lower_sentence = s.text.to_lowercase();
    let roots: Vec<usize> = (0..clauses.len()).filter(|&k| clauses[k].folded_into.is_none()).collect();
    let mut prev_agents: Vec<usize> = Vec::new();
    for &r in &roots {
        let members: Vec<usize> = (0..clauses.len()).filter(|&k| root_of(&clauses, k) == r).collect();
        let host = &clauses[r];
        let mut agents: Vec<usize> = members.iter().flat_map(|&k| clauses[k].agents.clone()).collect();
        let allies: Vec<usize> = members.iter().flat_map(|&k| clauses[k].allies.clone()).collect();
        let mut others: Vec<usize> = members.iter().flat_map(|&k| clauses[k].others.clone()).collect();
        let attribution = members.iter().find_map(|&k| clauses[k].attribution.clone());
        let source_ids: Vec<String> = attribution.as_ref().map(|(src, _)| actors.iter().filter(|m| registry.get(&m.actor).is_some_and(|a| a.name == *src || a.is_media())).map(|m| m.actor.clone()).collect()).unwrap_or_default();
        agents.retain(|&ai| !source_ids.contains(&actors[ai].actor) || registry.get(&actors[ai].actor).is_some_and(|a| !a.is_media()));
        // "Turkish forces and JWS operating under OPS shelled …": the umbrella the others operate
        // under leads (ACLED codes the joint operation as its first actor)
        if let Some(k) = agents.iter().position(|&ai| under_umbrella(tokens, actors[ai].start)) {
            let umbrella = agents.remove(k);
            agents.insert(0, umbrella);
        }
        // "unknown gunmen believed to be IS attacked": the suspect is who acted (ACLED codes the
        // suspected actor rather than an unidentified group)
        let unidentified = |ai: usize| registry.get(&actors[ai].actor).is_some_and(|a| a.kind == "armed_group");
        if agents.iter().any(|&ai| unidentified(ai)) {
            if let Some(&suspect) = agents.iter().chain(&others).find(|&&ai| suspected(tokens, actors[ai].start) && !unidentified(ai)) {
                agents.retain(|&ai| !unidentified(ai) && ai != suspect);
                others.retain(|&ai| ai != suspect);
                agents.insert(0, suspect);
            }
        }
        let mut list: Vec<EventActor> = Vec::new();
        let date = date_for(&clauses, &members, timexes, r).map(when_of);
        let side_date = date.as_ref().and_then(|w| w.earliest).or(sentence_when.earliest);
        let push = |id: &str, mention: &str, role: Role, list: &mut Vec<EventActor>| push_actor(registry, id, mention, role, side_date, list);
        for &ai in &agents {
            push(&actors[ai].actor, &actors[ai].text, Role::Agent, &mut list);
        }
        if agents.is_empty() {
            // coordination carries the subject; pronouns take the last agents
            if !prev_agents.is_empty() {
                for &ai in &prev_agents {
                    push(&actors[ai].actor, &actors[ai].text, Role::Agent, &mut list);
                }
            } else if tokens[host.from..host.cand.start].iter().any(|t| PRONOUNS.contains(&t.lower.as_str())) {
                for (id, mention) in state.last_agents.clone() {
                    push(&id, &mention, Role::Agent, &mut list);
                }
            }
        } else {
            prev_agents = agents.iter().chain(&allies).copied().collect();
        }
        for &ai in &allies {
            push(&actors[ai].actor, &actors[ai].text, Role::Ally, &mut list);
        }
        for &ai in &others {
            push(&actors[ai].actor, &actors[ai].text, Role::Target, &mut list);
        }
        if list.is_empty() && tokens[host.from..host.to].iter().any(|t| matches!(t.lower.as_str(), "their" | "its")) {
            for (id, mention) in state.last_agents.clone() {
                push(&id, &mention, Role::Agent, &mut list);
            }
        }
        let agent_list: Vec<(String, String)> = list.iter().filter(|a| a.role == Role::Agent).map(|a| (a.id.clone(), a.mention.clone())).collect();
        if !agent_list.is_empty() {
            state.last_agents = agent_list;
        }
        let mut places: Vec<EventPlace> = Vec::new();
        for &k in &members {
            for &pi in &clauses[k].places {
                let p = &place_mentions[pi];
                if !places.iter().any(|q| q.mention == p.text) {
                    places.push(EventPlace { mention: p.text.clone(), near: p.near.clone() });
                }
            }
        }
        // where people came from follows where it happened ("residents of X protested in Y")
        // (a stable sort: when every place is an origin, the order stays)
        let origins: Vec<String> = members.iter().flat_map(|&k| clauses[k].places.iter()).map(|&pi| &place_mentions[pi]).filter(|p| p.origin).map(|p| p.text.clone()).collect();
        places.sort_by_key(|p| origins.contains(&p.mention));
        if places.is_empty() {
            // "the Syrian Army retook the town": the town the text named last
            let from = members.iter().map(|&k| clauses[k].cand.start).min().unwrap_or(host.cand.start);
            let to = members.iter().map(|&k| clauses[k].to).max().unwrap_or(host.to);
            let definite = (from..to.saturating_sub(1)).find(|&j| names_settlement(tokens, j));
            if let Some((mention, near)) = definite.and_then(settlement_before) {
                places.push(EventPlace { mention, near });
            }
        }
        let when = date.unwrap_or_else(|| sentence_when.clone());
        // the deaths of folded clauses add up ("60 militants were killed, while Hezbollah lost 19")
        let fatal = members.iter().filter_map(|&k| clauses[k].cand.fatalities).reduce(|a, b| (a.0 + b.0, match (a.1, b.1) {
            (None, None) => None,
            (x, y) => Some(x.unwrap_or(a.0) + y.unwrap_or(b.0)),
        }));
        // a protest with destructive acts is a violent demonstration; a clash of fists, mob
        // violence (ACLED's lines; the cue phrases are data, `violent_protest`, `mob_violence`)
        let (kind, acled) = {
            let kind = host.cand.kind;
            let acled = members.iter().find_map(|&k| clauses[k].cand.acled.clone());
            let said = |cues: &[String]| cues.iter().any(|c| lower_sentence.contains(c.as_str()));
            // forces that disperse a protest or fire tear gas at protesters: the protest is the event
            let protesters_hit = list.iter().any(|a| a.role == Role::Target && a.kind == "protesters");
            match kind {
                Kind::Protest if said(&lexicon.violent_protest) => (Kind::Riot, Some("Violent demonstration".to_string())),
                Kind::Protest | Kind::Attack | Kind::Bombardment | Kind::Clash if (kind == Kind::Protest || protesters_hit) && said(&lexicon.protest_intervention) => {
                    (Kind::Protest, Some("Protest with intervention".to_string()))
                }
                Kind::Clash | Kind::Attack | Kind::Protest if said(&lexicon.mob_violence) => (Kind::Riot, Some("Mob violence".to_string())),
                _ => (kind, acled),
            }
        };
        let span_from = members.iter().map(|&k| clauses[k].from).min().unwrap_or(host.from);
        let span_to = members.iter().map(|&k| clauses[k].to).max().unwrap_or(host.to);
        let ev = Event {
            sentence_index: s.index,
            order: 0,
            sentence: s.text.clone(),
            span: join(tokens, text, span_from, span_to).trim_start_matches([',', ' ']).to_string(),
            kind,
            when,
            actors: list,
            places,
            citations: s.citations.clone(),
            attribution: attribution.map(|(source, verb)| Attribution { source, verb }),
            fatalities: fatal.map(|f| f.0).or(bodies),
            fatalities_max: fatal.and_then(|f| f.1),
            hedged: hedged_sentence || members.iter().any(|&k| clauses[k].cand.hedged),
            failed: host.cand.failed,
            negated: false,
            trigger: host.cand.trigger.clone(),
            acled_sub_event_type: acled,
        };
        made.push((host.cand.start, ev));
    }
    // a coder's note of where the events told without a place, or only with their country, were
    // placed ("… across Lebanon. Coded to Beirut.", ACLED's convention for nationwide events)
    let coded_to = n >= 3 && tokens[0].lower == "coded" && tokens[1].lower == "to";
    if made.is_empty() && coded_to && !place_mentions.is_empty() {
        for e in out.events.iter_mut().filter(|e| e.places.iter().all(|p| registry.is_country_name(&p.mention))) {
            e.places = all_places();
        }
        return;
    }
    // a statement with no coded event becomes a STATEMENT
    if made.is_empty() {
        if let Some((at, source, verb)) = reports.first() {
            let mut actors_list = Vec::new();
            if let Some(m) = actors.iter().find(|m| registry.get(&m.actor).is_some_and(|a| a.name == *source)) {
                let org = registry.organisation(&m.actor);
                if let Some(a) = registry.get(org) {
                    if !a.is_media() {
                        actors_list.push(EventActor { id: org.to_string(), name: a.name.clone(), mention: m.text.clone(), side: registry.side(org, sentence_when.earliest).map(str::to_string), role: Role::Agent, provisional: false, acled: a.acled.clone(), kind: a.kind.clone() });
                    }
                }
            }
            made.push((*at, Event {
                sentence_index: s.index,
                order: 0,
                sentence: s.text.clone(),
                span: s.text.clone(),
                kind: Kind::Statement,
                when: timexes.first().map(when_of).unwrap_or(sentence_when.clone()),
                actors: actors_list,
                places: Vec::new(),
                citations: s.citations.clone(),
                attribution: Some(Attribution { source: source.clone(), verb: verb.clone() }),
                fatalities: None,
                fatalities_max: None,
                hedged: hedged_sentence,
                failed: false,
                negated: false,
                trigger: verb.clone(),
                acled_sub_event_type: None,
            }));
        }
    }
    // a coder's label ("Security measures: On 16 January …") says what the note tells: it decides
    // the kind of what the verbs coded, and is an event of its own where they coded nothing
    if let Some(label) = lexicon.label(tokens) {
        if made.iter().all(|(_, e)| e.kind == Kind::Statement) {
            made.clear();
            let mut list: Vec<EventActor> = Vec::new();
            for m in &actors {
                push_actor(registry, &m.actor, &m.text, Role::Agent, sentence_when.earliest, &mut list);
            }
            made.push((0, Event {
                sentence_index: s.index,
                order: 0,
                sentence: s.text.clone(),
                span: s.text.clone(),
                kind: label.kind,
                when: timexes.first().map(when_of).unwrap_or(sentence_when.clone()),
                actors: list,
                places: all_places(),
                citations: s.citations.clone(),
                attribution: None,
                fatalities: None,
                fatalities_max: None,
                hedged: hedged_sentence,
                failed: false,
                negated: false,
                trigger: label.label.clone(),
                acled_sub_event_type: label.acled.clone(),
            }));
        }
        for (_, e) in made.iter_mut() {
            e.kind = label.kind;
            e.acled_sub_event_type = label.acled.clone();
            // "Displacement: … 27 000 people were evacuated": the label's people
            if e.actors.is_empty() {
                if let Some(id) = label.actor.as_deref().and_then(|w| registry.generic(w, focus)) {
                    push_actor(registry, &id, w_or(label.actor.as_deref()), Role::Agent, sentence_when.earliest, &mut e.actors);
                }
            }
        }
    }
    made.sort_by_key(|(at, _)| *at);
    // a bare count of the dead ("4 fatalities.") sums up the event before it ("3 regime soldiers
    // were killed." stays an event of its own: a narrative's casualties; the ACLED export folds it)
    if !made.is_empty() && made.iter().all(|(_, e)| e.kind == Kind::Casualties && e.actors.is_empty() && e.places.is_empty()) {
        if let Some(last) = out.events.iter_mut().rev().find(|e| e.kind != Kind::Statement) {
            let n = made.iter().filter_map(|(_, e)| e.fatalities).max();
            if n > last.fatalities {
                last.fatalities = n;
            }
            return;
        }
    }
    for (_, mut ev) in made {
        ev.order = out.events.len();
        // "lost control of the hill, only to retake it": "it" after the verb is the place of the
        // event told just before
        if ev.places.is_empty() && matches!(ev.kind, Kind::Capture | Kind::Withdrawal | Kind::Siege | Kind::Attack | Kind::Bombardment) {
            let pronoun = format!("{} it", ev.trigger.to_lowercase());
            if ev.span.to_lowercase().contains(&pronoun) {
                if let Some(before) = out.events.last().filter(|e| !e.places.is_empty()) {
                    ev.places = before.places.clone();
                }
            }
        }
        // "The operation began on 15 November": the offensive the text told of before, with its
        // actors (and its places, when this sentence names none)
        if ev.kind == Kind::Offensive && ev.actors.is_empty() {
            let span = ev.span.to_lowercase();
            let definite = ["the offensive", "the operation", "the campaign", "the assault", "the attack"].iter().any(|d| span.starts_with(d) || span.contains(&format!(", {d}")));
            if let Some(before) = out.events.iter().rev().find(|e| matches!(e.kind, Kind::Offensive | Kind::Attack) && !e.actors.is_empty()).filter(|_| definite) {
                ev.actors = before.actors.clone();
                if ev.places.is_empty() {
                    ev.places = before.places.clone();
                }
            }
        }
        if ev.when.earliest.is_some() && ev.kind != Kind::Statement {
            state.last_event = Some((ev.places.iter().map(|p| fold_key(&p.mention)).collect(), ev.when.clone()));
        }
        out.events.push(ev);
    }
}

/// Add the actor `id` named by `mention` to an event's `list` in `role`: a provisional actor as
/// named, a registry actor as its organisation (once; the media never).
fn push_actor(registry: &Registry, id: &str, mention: &str, role: Role, date: Option<NaiveDate>, list: &mut Vec<EventActor>) {
    // a local unit of a registry group ("the Natogyi PDF"): named by its place and the group's
    // full name, of the group's type and side
    if let Some((parent, prefix)) = id.strip_prefix("prov:branch:").and_then(|r| r.split_once(':')) {
        if let Some(p) = registry.get(parent).filter(|_| !list.iter().any(|a| a.id == id)) {
            let name = format!("{prefix} {}", p.name);
            list.push(EventActor { id: id.to_string(), name: name.clone(), mention: mention.to_string(), side: registry.side(parent, date).map(str::to_string), role, provisional: true, acled: Some(name), kind: p.kind.clone() });
        }
        return;
    }
    if id.starts_with("prov:") {
        if !list.iter().any(|a| a.id == id) {
            list.push(EventActor { id: id.to_string(), name: mention.trim_start_matches("the ").to_string(), mention: mention.to_string(), side: None, role, provisional: true, acled: None, kind: String::new() });
        }
        return;
    }
    let org = registry.organisation(id);
    if list.iter().any(|a| a.id == org) {
        return;
    }
    let Some(a) = registry.get(org).filter(|a| !a.is_media()) else { return };
    list.push(EventActor { id: org.to_string(), name: a.name.clone(), mention: mention.to_string(), side: registry.side(org, date).map(str::to_string), role, provisional: false, acled: a.acled.clone(), kind: a.kind.clone() });
}

fn w_or(w: Option<&str>) -> &str {
    w.unwrap_or("")
}

fn root_of(clauses: &[Clause], mut k: usize) -> usize {
    let mut guard = 0;
    while let Some(h) = clauses[k].folded_into {
        k = h;
        guard += 1;
        if guard > clauses.len() {
            break;
        }
    }
    k
}

/// The date of an event: a date in its own clauses, else the nearest before it in the sentence.
fn date_for<'t>(clauses: &[Clause], members: &[usize], timexes: &'t [Timex], root: usize) -> Option<&'t Timex> {
    let chosen = date_in_clauses(clauses, members, timexes, root);
    // "On 2 March 2022, … against the arrest of … 7 months ago": a look back from the sentence's
    // own date tells of an earlier event, not of this one
    match (chosen, timexes.first()) {
        (Some(c), Some(first)) if c.relative && !first.relative && c.latest < first.earliest => Some(first),
        _ => chosen,
    }
}

fn date_in_clauses<'t>(clauses: &[Clause], members: &[usize], timexes: &'t [Timex], root: usize) -> Option<&'t Timex> {
    if let Some(t) = members.iter().filter_map(|&k| clauses[k].timex).max() {
        return timexes.get(t);
    }
    let start = clauses[root].from;
    let mut best = None;
    for c in clauses.iter() {
        if let Some(t) = c.timex {
            if c.from <= start {
                best = Some(t);
            }
        }
    }
    // a date later in the sentence belongs to a later clause; none before: the sentence's own
    best.and_then(|t| timexes.get(t))
}

/// "The battle for X ...": the sentence refers back to the last event at X and takes its date.
fn coreferent_when(tokens: &[Token], places: &[PlaceMention], state: &DocState) -> Option<When> {
    let (last_places, when) = state.last_event.as_ref()?;
    for p in places {
        if p.start < 2 {
            continue;
        }
        let prep = tokens[p.start - 1].lower.as_str();
        let noun = tokens[p.start - 2].lower.as_str();
        let refers = matches!(prep, "for" | "of" | "on" | "at") && matches!(noun, "battle" | "fight" | "fighting" | "assault" | "attack" | "capture" | "siege" | "offensive" | "clashes");
        if refers && last_places.contains(&fold_key(&p.text)) {
            let mut w = when.clone();
            w.basis = DateBasis::PreviousEvent;
            w.inherited = true;
            return Some(w);
        }
    }
    None
}

/// Whether a place mention names a town or city (not a hill, a road, an area or a country).
/// Whether "the town", "the city" or "the village" at token `j` names a settlement told before
/// ("the town of X" names X itself).
fn names_settlement(tokens: &[Token], j: usize) -> bool {
    tokens[j].lower == "the" && tokens.get(j + 1).is_some_and(|t| matches!(t.lower.as_str(), "town" | "city" | "village")) && tokens.get(j + 2).is_none_or(|t| t.lower != "of")
}

/// The settlement noun the text introduced a place with: "the villages of Rankous and Flita",
/// "Yabroud town".
fn introduced_as<'t>(tokens: &'t [Token], p: &PlaceMention) -> Option<&'t str> {
    let last = tokens.get(p.end.checked_sub(1)?)?.lower.as_str();
    if matches!(last, "town" | "city" | "village") {
        return Some(last);
    }
    let mut j = p.start;
    while j > 0 && (matches!(tokens[j - 1].lower.as_str(), "," | "and") || tokens[j - 1].is_capitalized() || tokens[j - 1].lower.starts_with("al-")) {
        j -= 1;
    }
    (j >= 2 && tokens[j - 1].lower == "of").then(|| tokens[j - 2].lower.as_str())
}

/// Whether the place starting at token `start` is a landmark another place is located by:
/// "north-west of X", "km from X".
fn is_reference_point(tokens: &[Token], start: usize) -> bool {
    let word = |k: usize| start.checked_sub(k).and_then(|j| tokens.get(j)).map_or("", |t| t.lower.as_str());
    let compass = |w: &str| {
        matches!(w, "north" | "south" | "east" | "west" | "northeast" | "northwest" | "southeast" | "southwest" | "north-east" | "north-west" | "south-east" | "south-west")
    };
    match word(1) {
        "of" => compass(word(2)) || (word(2) == "-" && compass(word(3))) || matches!(word(2), "km" | "kilometres" | "kilometers" | "miles"),
        "from" => matches!(word(2), "km" | "kilometres" | "kilometers" | "miles" | "away"),
        _ => false,
    }
}

fn is_settlement(registry: &Registry, text: &str) -> bool {
    let last = text.rsplit(' ').next().unwrap_or("").to_lowercase();
    let other_kind = places::HEADS_AFTER.contains(&last.as_str()) && !matches!(last.as_str(), "town" | "city" | "village" | "suburb" | "neighbourhood" | "neighborhood" | "quarter");
    !other_kind && !registry.is_country_name(text)
}

fn fold_key(s: &str) -> String {
    plain_lower(s).split_whitespace().filter(|w| !matches!(*w, "the" | "hill" | "hills" | "western" | "eastern" | "northern" | "southern" | "of")).collect::<Vec<_>>().join(" ")
}

/// A source named by an actor mention: the registry's name, else the words of the text.
fn source_name(registry: &Registry, m: &ActorMention) -> String {
    registry.get(&m.actor).map_or(m.text.clone(), |a| a.name.clone())
}

/// Where the source of a reporting verb that closes its sentence begins: "…, the Syrian
/// Observatory for Human Rights said.", "…, the group's Amaq news agency claimed on Tuesday."
/// (a comma before the source; after the verb only stops, citations and a time phrase).
fn trailing_report(tokens: &[Token], verb: usize) -> Option<usize> {
    let tail_word = |t: &Token| {
        t.kind != TokKind::Word
            || matches!(
                t.lower.as_str(),
                "on" | "in" | "a" | "its" | "late" | "earlier" | "later" | "today" | "yesterday" | "statement" | "monday" | "tuesday" | "wednesday" | "thursday" | "friday" | "saturday" | "sunday"
            )
    };
    let parenthetical = tokens.get(verb + 1).is_some_and(|t| t.text == ",");
    if !parenthetical && !tokens[verb + 1..].iter().all(tail_word) {
        return None;
    }
    let comma = (verb.saturating_sub(10)..verb).rev().find(|&j| tokens[j].kind == TokKind::Punct && tokens[j].text != "'s")?;
    (tokens[comma].text == "," && comma + 1 < verb).then_some(comma + 1)
}

/// The source named from token `from` up to the verb: an actor of the registry, else the words
/// after a possessive ("the group's Amaq news agency") or the capitalised name.
fn source_between(registry: &Registry, actors: &[ActorMention], tokens: &[Token], from: usize, verb: usize) -> String {
    if let Some(m) = actors.iter().rev().find(|m| m.start >= from && m.end <= verb) {
        return source_name(registry, m);
    }
    let from = (from..verb).rev().find(|&j| tokens[j].text == "'s").map_or(from, |j| j + 1);
    name_at(tokens, from, verb)
}

/// The source named right before a reporting verb ("the Syrian Army also claimed").
fn source_before(registry: &Registry, actors: &[ActorMention], tokens: &[Token], verb: usize) -> String {
    let clause_start = (0..verb).rev().find(|&j| matches!(tokens[j].lower.as_str(), ";" | "that" | "while" | "after")).map_or(0, |j| j + 1);
    if let Some(m) = actors.iter().rev().find(|m| m.end <= verb && m.start >= clause_start) {
        return source_name(registry, m);
    }
    // the subject right before the verb: "Kurdish officials said", "a military source said"
    let subject_start = (clause_start..verb).rev().find(|&j| tokens[j].kind == TokKind::Punct).map_or(clause_start, |j| j + 1);
    let mut words: Vec<&Token> = tokens[subject_start..verb].iter().filter(|t| !matches!(t.lower.as_str(), "also" | "later" | "reportedly" | "then" | "had" | "has" | "have")).collect();
    while words.first().is_some_and(|t| matches!(t.lower.as_str(), "the" | "a" | "an")) {
        words.remove(0);
    }
    // "No casualties (were) reported": nobody said anything
    if words.first().is_some_and(|t| matches!(t.lower.as_str(), "no" | "none" | "nothing")) {
        return String::new();
    }
    if (1..=5).contains(&words.len()) && words.iter().all(|t| t.kind == TokKind::Word) && words.iter().any(|t| t.is_capitalized()) {
        return words.iter().map(|t| t.text.as_str()).collect::<Vec<_>>().join(" ");
    }
    name_at(tokens, clause_start, verb)
}

fn source_after(registry: &Registry, actors: &[ActorMention], tokens: &[Token], from: usize) -> String {
    if let Some(m) = actors.iter().find(|m| m.start >= from && m.start <= from + 1) {
        return source_name(registry, m);
    }
    name_at(tokens, from, tokens.len())
}

/// The first run of capitalised words in a range that names someone ("Mario Abou Zeid"):
/// not a month, a weekday or a sentence's first function word.
fn name_at(tokens: &[Token], from: usize, to: usize) -> String {
    let calendar = |w: &str| {
        matches!(w, "january" | "february" | "march" | "april" | "may" | "june" | "july" | "august" | "september" | "october" | "november" | "december" | "monday" | "tuesday" | "wednesday" | "thursday" | "friday" | "saturday" | "sunday")
    };
    // a capitalised word that is not a function word ("No casualties reported" names no one)
    let starts_name = |t: &Token| {
        let function_word = matches!(
            t.lower.as_str(),
            "the" | "a" | "an" | "on" | "in" | "by" | "at" | "according" | "meanwhile" | "later" | "earlier" | "during" | "after" | "before" | "no" | "none" | "nothing"
        );
        t.kind == TokKind::Word && t.is_capitalized() && !function_word && !calendar(&t.lower)
    };
    let mut i = from;
    while i < to && !starts_name(&tokens[i]) {
        i += 1;
    }
    let start = i;
    while i < to && tokens[i].kind == TokKind::Word && (tokens[i].is_capitalized() || matches!(tokens[i].lower.as_str(), "al" | "el" | "bin" | "abu" | "ibn")) {
        i += 1;
    }
    tokens[start..i].iter().map(|t| t.text.as_str()).collect::<Vec<_>>().join(" ")
}

/// Kinds whose events can kill: a count of the dead in their clause is theirs.
fn violence(kind: Kind) -> bool {
    matches!(kind, Kind::Casualties | Kind::Attack | Kind::Bombardment | Kind::Clash)
}

/// One person named after a verb, at `k`: "him", "her", "the (Levant Front) member" (a singular
/// noun of the dead within four words of "the"). Returns the token after.
fn one_named_person(tokens: &[Token], k: usize, is_noun: &dyn Fn(usize) -> bool) -> Option<usize> {
    let w = |j: usize| tokens.get(j).map_or("", |t| t.lower.as_str());
    if matches!(w(k), "himself" | "herself") {
        return Some(k + 1);
    }
    if matches!(w(k), "him" | "her") && !tokens.get(k + 1).is_some_and(|t| t.kind == TokKind::Word && is_noun(k + 1)) {
        return Some(k + 1);
    }
    // "the council member", "his brother", "its driver"
    if !matches!(w(k), "the" | "his" | "her" | "its" | "their") {
        return None;
    }
    (k + 1..k + 5).take_while(|&j| tokens.get(j).is_some_and(|t| t.kind == TokKind::Word && !matches!(t.lower.as_str(), "and" | "in" | "of" | "at" | "on"))).find(|&j| is_noun(j) && !w(j).ends_with('s')).map(|j| j + 1)
}

/// The token after a violent death told by a participle at `k`: "shot dead", "stabbed to death",
/// "executed", "assassinated".
fn violent_death(tokens: &[Token], k: usize) -> Option<usize> {
    let w = |j: usize| tokens.get(j).map_or("", |t| t.lower.as_str());
    match w(k) {
        "executed" | "assassinated" | "beheaded" | "slaughtered" => Some(k + 1),
        // "a man was found dead", "found shot dead": a death the finding tells
        "found" => match (w(k + 1), w(k + 2)) {
            ("dead" | "killed" | "murdered" | "slain", _) => Some(k + 2),
            ("shot" | "stabbed", "dead") => Some(k + 3),
            _ => None,
        },
        "shot" | "stabbed" | "beaten" | "burned" | "burnt" | "tortured" | "hacked" => match (w(k + 1), w(k + 2)) {
            ("dead", _) => Some(k + 2),
            ("to", "death") => Some(k + 3),
            _ => None,
        },
        _ => None,
    }
}

/// "A man's body was found", "the bodies of two individuals were found": the dead the finding
/// counts (one body, or the number before "bodies" or after "bodies of").
fn bodies_found(tokens: &[Token]) -> Option<u32> {
    let found = tokens.iter().any(|t| t.lower == "found");
    let k = tokens.iter().position(|t| t.lower == "body" || t.lower == "bodies")?;
    if !found {
        return None;
    }
    if tokens[k].lower == "body" {
        return Some(1);
    }
    // the count before ("three bodies") or after ("the bodies of two …"), read as casualty counts are
    let count = |at: usize| people_count(tokens, at).map(|((n, _), _)| n);
    k.checked_sub(1).and_then(count).or_else(|| (tokens.get(k + 1).is_some_and(|t| t.lower == "of")).then(|| count(k + 2)).flatten())
}

/// Whether the actor named at token `start` is named as a suspect: "believed to be (the) X",
/// "suspected to be X", "thought to be X", "likely X".
fn suspected(tokens: &[Token], start: usize) -> bool {
    let w = |k: usize| tokens.get(k).map_or("", |t| t.lower.as_str());
    let at = if start >= 1 && w(start - 1) == "the" { start - 1 } else { start };
    (at >= 3 && matches!(w(at - 3), "believed" | "suspected" | "thought" | "presumed") && w(at - 2) == "to" && w(at - 1) == "be") || (at >= 1 && matches!(w(at - 1), "likely" | "probably" | "presumably"))
}

/// Whether the actor named at token `start` stands in the by-phrase of a verb ending at `verb_end`:
/// "by" after the verb, then at most a noun phrase ("by a sniper of", "by members of the") with
/// no punctuation or clause word between.
fn in_by_phrase(tokens: &[Token], verb_end: usize, start: usize) -> bool {
    if start == 0 || start <= verb_end {
        return false;
    }
    let Some(by) = (verb_end..start).rev().take(5).find(|&j| tokens[j].lower == "by") else { return false };
    tokens[by + 1..start].iter().all(|t| t.kind == TokKind::Word && !matches!(t.lower.as_str(), "and" | "in" | "at" | "on" | "near" | "while" | "after" | "before" | "who" | "which" | "that"))
}

/// Whether the actor named at token `start` is what others operate under ("JWS, which operates
/// under OPS", "factions operating under the umbrella of the National Front").
fn under_umbrella(tokens: &[Token], start: usize) -> bool {
    let before = &tokens[start.saturating_sub(6)..start];
    let Some(u) = before.iter().rposition(|t| t.lower == "under") else { return false };
    // only "the umbrella of", "the banner of", "the" may stand between "under" and the name
    let between_ok = before[u + 1..].iter().all(|t| matches!(t.lower.as_str(), "the" | "umbrella" | "banner" | "command" | "of"));
    between_ok && u > 0 && before[..u].iter().rev().take(2).any(|t| t.lower.starts_with("operat") || t.lower.starts_with("fight"))
}

#[cfg(test)]
mod tests {
    use crate::{Document, Extractor};

    /// Extract `text` under `title` and compare each event, in order, as
    /// "KIND earliest..latest actor-ids @ place mentions [+flags]".
    fn check(title: &str, text: &str, expected: &[&str]) {
        let x = Extractor::builtin();
        let r = x.extract(Document { text, title, published: None });
        let got: Vec<String> = r
            .events
            .iter()
            .map(|e| {
                let mut s = format!(
                    "{:?} {}..{} {} @ {}",
                    e.kind,
                    e.when.earliest.map(|d| d.to_string()).unwrap_or_default(),
                    e.when.latest.map(|d| d.to_string()).unwrap_or_default(),
                    e.actors.iter().map(|a| a.id.as_str()).collect::<Vec<_>>().join(","),
                    e.places.iter().map(|p| p.mention.as_str()).collect::<Vec<_>>().join(";")
                );
                if let Some(f) = e.fatalities {
                    s.push_str(&format!(" +killed {f}"));
                }
                if let Some(a) = &e.attribution {
                    s.push_str(&format!(" +per {}", a.source));
                }
                if e.failed {
                    s.push_str(" +failed");
                }
                if e.hedged {
                    s.push_str(" +hedged");
                }
                s
            })
            .collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn an_elaborating_clause_folds_into_its_event() {
        check("", "On 2 March 2012, the Syrian Army captured Tal Kalakh, securing the roads to the town, and stormed Qusayr.", &[
            "Capture 2012-03-02..2012-03-02 saa @ Tal Kalakh",
            "Attack 2012-03-02..2012-03-02 saa @ Qusayr",
        ]);
    }

    #[test]
    fn verbs_sharing_an_object_make_one_event() {
        check("", "On 9 July 2016, Ahrar al-Sham attacked and recaptured the village of Khalidiyah.", &["Capture 2016-07-09..2016-07-09 ahrar @ Khalidiyah"]);
    }

    #[test]
    fn as_well_as_adds_a_second_object() {
        check("", "On 4 May 2014, rebels took control of Jabal Ruweis, as well as Tal Hamra, which overlooks Kafr Nabl.", &[
            "Capture 2014-05-04..2014-05-04 opposition @ Jabal Ruweis",
            "Capture 2014-05-04..2014-05-04 opposition @ Tal Hamra;Kafr Nabl",
        ]);
    }

    #[test]
    fn intentions_and_negations_are_not_events() {
        check("", "In June 2013, the Army planned to capture Talbiseh. The rebels did not withdraw from Rastan.", &[]);
    }

    #[test]
    fn failure_and_hedges_change_the_event() {
        check("", "On 3 August 2015, ISIL reportedly assaulted Mahin but was repelled.", &["Attack 2015-08-03..2015-08-03 isil @ Mahin +failed +hedged"]);
    }

    #[test]
    fn claims_and_reports_set_the_attribution() {
        check("", "On 5 May 2016, the Syrian Army claimed to have captured Tal Sheikh. According to SOHR, rebels shelled Jisreen.", &[
            "Capture 2016-05-05..2016-05-05 saa @ Tal Sheikh +per Syrian Arab Army",
            "Bombardment 2016-05-05..2016-05-31 rebels @ Jisreen +per Syrian Observatory for Human Rights",
        ]);
    }

    #[test]
    fn fatalities_are_people_killed_not_other_numbers() {
        check("", "On 1 June 2014, Hezbollah ambushed a convoy near Flita with 23 mm guns, killing at least 16 militants and wounding 30.", &[
            "Attack 2014-06-01..2014-06-01 hezbollah,rebels @ Flita +killed 16",
        ]);
    }

    #[test]
    fn direct_speech_is_a_statement() {
        check("", "In May 2015, Hassan Nasrallah said \"we will capture every hill of Qalamoun\".", &["Statement 2015-05-01..2015-05-31 hezbollah @  +per Hassan Nasrallah"]);
    }

    #[test]
    fn pronouns_take_the_last_agent() {
        check("", "On 7 April 2015, Jaysh al-Islam advanced on Douma. It then besieged Harasta.", &[
            "Advance 2015-04-07..2015-04-07 jaysh_islam @ Douma",
            "Siege 2015-04-07..2015-04-30 jaysh_islam @ Harasta",
        ]);
    }

    #[test]
    fn an_unknown_organisation_is_a_provisional_actor() {
        check("", "On 2 July 2013, the Farouq Brigades shelled Homs.", &["Bombardment 2013-07-02..2013-07-02 prov:farouq-brigades @ Homs"]);
    }

    #[test]
    fn an_undated_sentence_inherits_a_widened_interval() {
        check("Battle of Rastan (May 2014)", "On 3 May, rebels attacked Rastan. The Army withdrew from the checkpoint at Talbiseh. On 9 May, the Army shelled Rastan.", &[
            "Attack 2014-05-03..2014-05-03 opposition @ Rastan",
            "Withdrawal 2014-05-03..2014-05-09 military @ Talbiseh",
            "Bombardment 2014-05-09..2014-05-09 military @ Rastan",
        ]);
    }

    #[test]
    fn the_battle_for_a_place_takes_the_date_of_its_event() {
        check("", "On 12 March 2016, the Army captured Tal Zahra. The battle for Tal Zahra left 9 soldiers dead.", &[
            "Capture 2016-03-12..2016-03-12 military @ Tal Zahra",
            "Casualties 2016-03-12..2016-03-12 military @ Tal Zahra +killed 9",
        ]);
    }

    #[test]
    fn news_notes_protests_detentions_and_coded_counts() {
        check("", "On 3 March 2021, protesters blocked the road in Halba (Akkar) in protest against power cuts.", &["Protest 2021-03-03..2021-03-03 protesters_lb @ Halba"]);
        check("", "On 9 May 2021, unknown gunmen shot and killed a shepherd near Jisreen.", &["Attack 2021-05-09..2021-05-09 uag,civilians @ Jisreen +killed 1"]);
        check("", "On 2 June 2021, IS attacked a post in Ithriya, killing an unknown number of soldiers. Unknown fatalities coded as 10.", &["Attack 2021-06-02..2021-06-02 isil,saa @ Ithriya +killed 10"]);
    }

    #[test]
    fn a_member_of_a_group_or_a_national_counts() {
        check("", "On 24 May 2022, a member of the Amal movement was shot dead by unknown gunmen in Tyre.", &["Attack 2022-05-24..2022-05-24 uag_lb,amal @ Tyre +killed 1"]);
        check("", "On 28 May 2022, a Syrian national was found dead in an orchard in Mhammara.", &["Casualties 2022-05-28..2022-05-28 civilians_sy @ Mhammara +killed 1"]);
    }

    #[test]
    fn all_of_them_a_qualified_victim_and_the_dead_also_killed() {
        check("", "On 6 June 2022, Turkish drones struck a car carrying three QSD members near Amuda, killing all of them.", &["Bombardment 2022-06-06..2022-06-06 tsk,sdf @ Amuda +killed 3"]);
        check("", "On 8 June 2022, gunmen assassinated a former opposition commander in Tafas.", &["Attack 2022-06-08..2022-06-08 uag,opposition @ Tafas +killed 1"]);
        // a passive with "also" between: its subject suffered it
        check("", "On 9 June 2022, 4 IS members were also killed.", &["Casualties 2022-06-09..2022-06-09 isil @  +killed 4"]);
        check("", "On 12 June 2022, HTS handed over the bodies of two soldiers to regime forces at the Saraqib crossing.", &["Development 2022-06-12..2022-06-12 hts,saa @ Saraqib crossing"]);
    }

    #[test]
    fn a_mukhtar_is_a_civilian_and_seized_fuel_no_territory() {
        check("", "On 19 June 2022, IS gunmen killed a mukhtar in Thiban town in eastern Deir ez Zor.", &["Casualties 2022-06-19..2022-06-19 isil,civilians_sy @ Thiban town;Deir ez Zor +killed 1"]);
        check("", "On 15 June 2022, the Lebanese Army seized smuggled fuel in Hermel.", &["Development 2022-06-15..2022-06-15 laf @ Hermel"]);
    }

    #[test]
    fn a_passive_names_its_object_first_and_an_actor_is_no_verb() {
        // "was launched by": the offensive; "the Islamic State" says nothing (no statement)
        check("", "The Palmyra offensive was launched by the Syrian Army on 7 March 2016 to recapture the city from the Islamic State.", &["Offensive 2016-03-07..2016-03-07 saa,isil @ Palmyra"]);
    }

    #[test]
    fn qualified_counts_after_and_add_up() {
        check("", "On 3 May 2016, at least 400 ISIL militants and 188 government soldiers were killed.", &["Casualties 2016-05-03..2016-05-03 isil,saa @  +killed 588"]);
    }

    #[test]
    fn kin_after_and_add_up() {
        check("", "On 6 May 2022, a woman and her daughter were killed by a stray bullet in Bebnine (Akkar).", &["Casualties 2022-05-06..2022-05-06 civilians_lb @ Bebnine +killed 2"]);
        check("", "On 6 May 2022, a man and his two sons were killed by a stray shell in Sarmin.", &["Casualties 2022-05-06..2022-05-06 civilians @ Sarmin +killed 3"]);
    }

    #[test]
    fn where_the_victims_came_from_is_not_where_it_happened() {
        check("", "On 14 May 2022, a man from Kobani was shot dead by Turkish border guards near Tal Abyad.", &["Attack 2022-05-14..2022-05-14 tsk,civilians_sy @ Tal Abyad;Kobani +killed 1"]);
        check("", "On 10 May 2022, residents of Kfar Kila protested in Marjayoun against power cuts.", &["Protest 2022-05-10..2022-05-10  @ Marjayoun;Kfar Kila"]);
    }

    #[test]
    fn a_clause_with_its_own_subject_is_its_own_event() {
        check("", "On 15 March 2014, the Army took control of Yabroud after the Islamic Front and al-Nusra Front withdrew. At least 25 rebels and 11 soldiers were killed.", &[
            "Capture 2014-03-15..2014-03-15 saa @ Yabroud",
            "Withdrawal 2014-03-15..2014-03-15 prov:islamic-front,nusra @ ",
            "Casualties 2014-03-15..2014-03-31 rebels,saa @  +killed 36",
        ]);
    }

    #[test]
    fn destructive_protests_are_riots_and_fistfights_mob_violence() {
        let x = Extractor::builtin();
        let code = |text: &str| {
            let r = x.extract(Document { text, title: "", published: None });
            r.events.iter().map(|e| (e.kind, e.acled_sub_event_type.clone().unwrap_or_default())).collect::<Vec<_>>()
        };
        assert_eq!(code("On 4 May 2021, protesters blocked the road in Halba with burning tyres."), [(crate::Kind::Riot, "Violent demonstration".to_string())]);
        assert_eq!(code("On 4 May 2021, protesters blocked the road in Halba."), [(crate::Kind::Protest, "Peaceful protest".to_string())]);
        assert_eq!(code("On 9 May 2021, physical clashes erupted between supporters of two candidates in Zahle."), [(crate::Kind::Riot, "Mob violence".to_string())]);
    }

    #[test]
    fn the_umbrella_an_actor_operates_under_leads() {
        check("", "On 3 June 2021, Turkish forces and factions operating under Operation Peace Spring shelled Ain Issa.", &["Bombardment 2021-06-03..2021-06-03 ops,tsk @ Ain Issa"]);
    }

    #[test]
    fn a_look_back_from_the_sentences_date_dates_another_event() {
        check("", "On 2 March 2022, protesters blocked the road in Halba against an arrest made seven months ago.", &["Protest 2022-03-02..2022-03-02 protesters_lb @ Halba"]);
    }

    #[test]
    fn a_body_found_counts_its_dead_and_its_killer_follows_by() {
        check("", "On 21 March 2022, a man's body was found near Tassil, killed by an unknown armed group.", &["Casualties 2022-03-21..2022-03-21 uag,civilians @ Tassil +killed 1"]);
        check("", "On 8 April 2022, the bodies of three shepherds were found killed near Majdaliya.", &["Casualties 2022-04-08..2022-04-08 civilians @ Majdaliya +killed 3"]);
    }

    #[test]
    fn by_before_a_gerund_or_after_an_object_tells_how() {
        check("", "On 8 February 2022, residents organized a demonstration by closing the council office in Jadid Bakkara.", &["Protest 2022-02-08..2022-02-08  @ Jadid Bakkara"]);
    }

    #[test]
    fn a_passive_agent_follows_by() {
        check("", "On 8 October 2014, Tal Shair was captured by ISIL.", &["Capture 2014-10-08..2014-10-08 isil @ Tal Shair"]);
    }

    /// (kind, ACLED sub-event type, "actor:role" list, fatalities) of each event of `text`.
    fn coded(text: &str) -> Vec<(crate::Kind, String, Vec<String>, Option<u32>)> {
        let r = Extractor::builtin().extract(Document { text, title: "", published: None });
        r.events
            .iter()
            .map(|e| (e.kind, e.acled_sub_event_type.clone().unwrap_or_default(), e.actors.iter().map(|a| format!("{}:{:?}", a.id, a.role)).collect(), e.fatalities))
            .collect()
    }

    #[test]
    fn who_a_passive_verb_names_first_suffered_it() {
        use crate::Kind::*;
        // the agent inside the by-phrase's noun phrase, the subject the victim
        let got = coded("On 2 June 2021, a farmer was killed by a sniper of the Syrian Army near Nawa.");
        assert_eq!((got[0].2.clone(), got[0].3), (vec!["saa:Agent".to_string(), "civilians_sy:Target".to_string()], Some(1)));
        // a suspect named acts instead of the unidentified group
        let got = coded("On 2 June 2021, unknown gunmen believed to be IS attacked an SDF vehicle near Shaddadi, killing two SDF members.");
        assert_eq!(got[0].2.first().map(String::as_str), Some("isil:Agent"), "{got:?}");
        // "was found killed": whom the body is of suffered it
        let got = coded("On 2 June 2021, the body of an SDF member was found killed in his car near Raqqa.");
        assert!(got[0].2.contains(&"sdf:Target".to_string()), "{got:?}");
        // "shot dead": the shooting kills one; "killed after being shot": one event
        let got = coded("On 3 June 2021, a man was shot dead by gunmen in Tafas.");
        assert_eq!((got.len(), got[0].0, got[0].3), (1, Attack, Some(1)));
        let got = coded("On 4 June 2021, a Hezbollah member was killed after being shot by unknown gunmen in Qusayr.");
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!((got[0].0, got[0].3), (Attack, Some(1)));
        assert!(got[0].2.contains(&"hezbollah:Target".to_string()) && got[0].2.iter().any(|a| a.starts_with("uag_") && a.ends_with(":Agent")), "{got:?}");
        // a body found is a death; the next sentence's count of a party's dead is the event's
        let got = coded("On 4 June 2021, an IED exploded targeting a car in Nawa, killing the Ahrar al-Sham commander.");
        assert_eq!(got[0].3, Some(1), "{got:?}");
        let got = coded("On 4 June 2021, gunmen shot at a council member in Tafas, killing him.");
        assert_eq!(got[0].3, Some(1), "{got:?}");
        let got = coded("On 5 June 2021, the body of a young man was found near Sanamayn, bearing gunshot wounds.");
        assert_eq!((got[0].0, got[0].3), (Casualties, Some(1)));
        // the next sentence's count of a party's dead is a casualties event of its own (the ACLED
        // export folds it into the clash), and "No casualties were reported" says nothing
        let got = coded("On 6 June 2021, HTS fighters clashed with the Syrian Army in Kabani. Four Syrian soldiers were killed. No casualties were reported among HTS.");
        assert_eq!(got.iter().map(|e| (e.0, e.3)).collect::<Vec<_>>(), [(Clash, None), (Casualties, Some(4))], "{got:?}");
        assert_eq!(got[1].2, ["saa:Target"]);
    }

    #[test]
    fn deaths_told_before_their_cause_are_the_causes() {
        use crate::Kind::*;
        let got = coded("On 3 July 2021, a farmer was killed and his son wounded when gunmen opened fire on their tractor near Jasim.");
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!((got[0].0, got[0].3), (Attack, Some(1)));
        let got = coded("On 4 July 2021, two policemen were killed and a third wounded in an attack by IS on their checkpoint near Sukhnah.");
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!((got[0].0, got[0].3), (Attack, Some(2)));
        assert_eq!(got[0].2.first().map(String::as_str), Some("isil:Agent"), "{got:?}");
        // the owner of the fire that killed is who acted, even with a passive death
        let got = coded("On 5 July 2021, a shepherd died of wounds he had sustained from regime shelling on Kafr Nabl.");
        assert_eq!(got[0].2.first().map(String::as_str), Some("saa:Agent"), "{got:?}");
        let got = coded("On 5 July 2021, a detainee died under torture in a regime prison in Adra.");
        assert_eq!(got[0].2.first().map(String::as_str), Some("saa:Agent"), "{got:?}");
        // found dead; a possessive victim ("his cousin", "its driver") is one death
        let got = coded("On 6 July 2021, a young man was found dead with stab wounds near Sanamayn.");
        assert_eq!((got[0].0, got[0].3), (Casualties, Some(1)));
        let got = coded("On 7 July 2021, a man shot and killed his brother in a family quarrel in Hermel.");
        assert_eq!(got[0].3, Some(1), "{got:?}");
        let got = coded("On 8 July 2021, a drone struck a pickup truck near Tal Abyad, killing its driver.");
        assert_eq!(got[0].3, Some(1), "{got:?}");
        // a relative clause on the agent is the same act; a count after a possessive counts
        let got = coded("On 11 July 2021, a shepherd was killed by gunmen who opened fire on him near Nawa.");
        assert_eq!((got.len(), got[0].3), (1, Some(1)), "{got:?}");
        let got = coded("On 12 July 2021, gunmen ambushed a car near Inkhil, killing its two passengers.");
        assert_eq!(got[0].3, Some(2), "{got:?}");
        let got = coded("On 13 July 2021, a member of the 5th Corps was shot dead in Tafas.");
        assert_eq!(got[0].3, Some(1), "{got:?}");
        let got = coded("On 14 July 2021, an explosion of a mine left over from the war killed a boy near Sanamayn.");
        assert_eq!((got.len(), got[0].3), (1, Some(1)), "{got:?}");
        // a suicide bombing, the bomber's death counted
        let got = coded("On 15 July 2021, an IS member blew himself up at a checkpoint in Hasakah, killing himself.");
        assert_eq!((got.len(), got[0].1.as_str(), got[0].3), (1, "Suicide bomb", Some(1)), "{got:?}");
        // a noun-phrase predicate and the verb it is the subject of are one event
        let got = coded("On 10 July 2021, an explosion hit a bus in Jarablus, wounding three people.");
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].1, "Remote explosive/landmine/IED");
        // an exchange of fire of any kind is a clash
        let got = coded("On 9 July 2021, the SNA and the SDF exchanged heavy artillery fire near Manbij.");
        assert_eq!((got[0].0, got[0].1.as_str()), (Clash, "Armed clash"), "{got:?}");
    }

    #[test]
    fn a_coders_label_says_what_the_note_tells() {
        use crate::Kind::*;
        // the label decides over the verb, and makes the event where no verb coded one
        let got = coded("Security measures: On 3 July 2021, the SDF stormed and closed smuggling crossings on the Euphrates near Shiheil.");
        assert_eq!((got.len(), got[0].0, got[0].1.as_str()), (1, Development, "Change to group/activity"), "{got:?}");
        let got = coded("Weapons seizure: On 4 July 2021, a cache of rifles belonging to HTS was found in Sarmada.");
        assert_eq!((got.len(), got[0].0, got[0].1.as_str()), (1, Development, "Disrupted weapons use"), "{got:?}");
        assert_eq!(got[0].2, ["hts:Agent"]);
        // an unknown label is no label
        assert!(coded("Background: On 5 July 2021, the talks in Astana went on.").is_empty());
        // the displaced are the civilians of the note's country (of none named here)
        let got = coded("Displacement: On 19 April 2022, about 27 000 people were evacuated from Lozova.");
        assert_eq!((got.len(), got[0].0, got[0].1.as_str(), got[0].2.clone()), (1, Development, "Other", vec!["civilians:Agent".to_string()]), "{got:?}");
    }

    #[test]
    fn a_coders_note_places_the_events_told_without_a_place() {
        let r = Extractor::builtin().extract(Document { text: "On 5 January 2022, contractual teachers went on strike across the country. Coded to Beirut.", title: "", published: None });
        assert_eq!(r.events.len(), 1);
        assert_eq!(r.events[0].places.iter().map(|p| p.mention.as_str()).collect::<Vec<_>>(), ["Beirut"]);
        let r = Extractor::builtin().extract(Document { text: "On 5 January 2022, judges went on strike across Lebanon. Coded to Beirut.", title: "", published: None });
        assert_eq!(r.events[0].places.iter().map(|p| p.mention.as_str()).collect::<Vec<_>>(), ["Beirut"]);
    }

    #[test]
    fn the_worlds_genres() {
        use crate::Kind::*;
        let first = |text: &str| coded(text).into_iter().next().map(|(k, a, who, _)| (k, a, who));
        let kind = |text: &str| first(text).map(|(k, a, _)| (k, a));
        // gatherings told by the nouns of the world's notes
        assert_eq!(kind("On 2 May 2022, women staged a march in Bukavu against insecurity."), Some((Protest, "Peaceful protest".into())));
        assert_eq!(kind("On 28 February 2022, activists took out a protest rally in Hyderabad."), Some((Protest, "Peaceful protest".into())));
        assert_eq!(kind("On 9 April 2022, women conducted a sit-in in front of the town hall of Boma."), Some((Protest, "Peaceful protest".into())));
        assert_eq!(kind("On 6 January 2022, thousands responded to calls for nationwide demonstrations in Atbara."), Some((Protest, "Peaceful protest".into())));
        assert_eq!(kind("On 15 February 2022, rioters barricaded roads with burning tires in Aw Bare."), Some((Riot, "Violent demonstration".into())));
        // shelling told by its weapons
        assert_eq!(kind("On 21 February 2022, NAF forces fired 122mm mortars and grenade launchers at Ukrainian positions near Pisky."), Some((Bombardment, "Shelling/artillery/missile attack".into())));
        // mines, hostages, arrests
        assert_eq!(kind("On 3 May 2022, a shepherd stepped on a landmine near Kidal."), Some((Bombardment, "Remote explosive/landmine/IED".into())));
        assert_eq!(kind("On 4 May 2022, gunmen took hostage two traders near Zurmi."), Some((Abduction, "Abduction/forced disappearance".into())));
        assert_eq!(kind("On 5 May 2022, police apprehended three suspects in Kano."), Some((Arrest, "Arrests".into())));
        // a vigilante mob who kill are rioters (ACLED's mob violence), of no assumed country
        let (_, _, who) = first("On 7 February 2022, a vigilante mob beat and killed a man in Bunia.").expect("an event");
        assert_eq!(who.first().map(String::as_str), Some("rioters:Agent"), "{who:?}");
    }

    #[test]
    fn acts_that_are_no_battle() {
        use crate::Kind::*;
        let first = |text: &str| coded(text).into_iter().next().map(|(k, a, _, f)| (k, a, f));
        assert_eq!(first("On 7 June 2021, ISIL militants executed two shepherds near Sukhnah."), Some((Attack, String::new(), Some(2))));
        assert_eq!(first("On 8 June 2021, unknown persons threw a hand grenade at a shop in Tyre."), Some((Bombardment, "Grenade".into(), None)));
        assert_eq!(first("On 9 June 2021, Russian forces established a new military point near Tal Tamr."), Some((Development, "Headquarters or base established".into(), None)));
        assert_eq!(first("On 10 June 2021, the Lebanese Army dismantled an explosive device in Arsal."), Some((Development, "Disrupted weapons use".into(), None)));
        assert_eq!(first("On 11 June 2021, the Syrian government released 40 detainees from Adra prison."), Some((Development, "Other".into(), None)));
        // munitions that fell, gatherings held, people hurt
        assert_eq!(first("On 12 June 2021, two mortar shells fell on a school in Ariha."), Some((Bombardment, "Shelling/artillery/missile attack".into(), None)));
        assert_eq!(first("On 13 June 2021, a vigil was held outside the courthouse in Sidon."), Some((Protest, "Peaceful protest".into(), None)));
        assert_eq!(first("On 14 June 2021, hundreds of teachers participated in a protest in Zahle."), Some((Protest, "Peaceful protest".into(), None)));
        assert_eq!(first("On 15 June 2021, gunmen wounded a shepherd near Tafas."), Some((Casualties, String::new(), None)));
        assert_eq!(first("On 16 June 2021, clashes renewed between the SNA and the SDF near Manbij."), Some((Clash, "Armed clash".into(), None)));
        // forces stepping in on a protest; a brawl; a handover; a stabbing to death
        assert_eq!(first("On 17 June 2021, the Lebanese Army fired tear gas at protesters in Tripoli."), Some((Protest, "Protest with intervention".into(), None)));
        assert_eq!(first("On 18 June 2021, residents protested in Jbeil until the army dispersed them."), Some((Protest, "Protest with intervention".into(), None)));
        assert_eq!(first("On 19 June 2021, a fight broke out between supporters of two parties in Zgharta."), Some((Riot, "Mob violence".into(), None)));
        assert_eq!(first("On 20 June 2021, Russian forces handed over a checkpoint to the Syrian Army near Daraa."), Some((Withdrawal, "Non-violent transfer of territory".into(), None)));
        assert_eq!(first("On 21 June 2021, unknown assailants stabbed a young man to death in Tyre."), Some((Attack, String::new(), Some(1))));
        let got = coded("On 22 June 2021, a woman was killed when an old shell exploded in her house in Khan Shaykhun.");
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!((got[0].0, got[0].3), (Bombardment, Some(1)));
        assert_eq!(first("On 24 June 2021, Turkish forces sent military reinforcements to their bases near Atarib."), Some((Advance, "Change to group/activity".into(), None)));
        assert_eq!(first("On 25 June 2021, the SDF dug trenches around Manbij."), Some((Development, "Change to group/activity".into(), None)));
        assert_eq!(first("On 26 June 2021, HTS seized a house belonging to a displaced family in Idlib."), Some((Development, "Looting/property destruction".into(), None)));
        let got = coded("On 23 June 2021, a Russian airstrike hit the vicinity of Idlib.");
        assert_eq!(got[0].2, ["russia:Agent"]);
    }

    #[test]
    fn a_narrative_of_my_own_battle() {
        // "the town" is the town the story is about, not the city it lies north-west of; a
        // government's aircraft are its forces; a fighting that ended is an end; a list of places
        // may open without a cue
        check(
            "Battle of Hadaba (1998)",
            "The battle was fought for the hill town of Qaryatein, north-west of Palmyra. On 3 July 1998, government aircraft bombed the town. By the end of the month, the fighting in Qaryatein had ended. On 2 August 1998, a truce was agreed, covering Qaryatein, Mahin, al-Hawarin and Sadad.",
            &[
                "Clash 1998-01-01..1998-07-03  @ Qaryatein;Palmyra",
                "Bombardment 1998-07-03..1998-07-03 saa @ Qaryatein",
                "End 1998-07-21..1998-07-31  @ Qaryatein",
                "End 1998-08-02..1998-08-02  @ Qaryatein;Mahin;al-Hawarin;Sadad",
            ],
        );
    }

    #[test]
    fn a_news_report_of_my_own() {
        // a report closing its sentence covers it; "the monitor" is the Observatory; "militants"
        // next to a named jihadist group are that group's; an undated sentence ends at the latest
        // on the day of publication; announcing an offensive is one
        let x = Extractor::builtin();
        let text = "Government troops entered the eastern suburbs of Raqqa on Tuesday, the Syrian Observatory for Human Rights said. \
                    Russian warplanes struck Islamic State positions near the city on Monday, killing at least 20 militants, according to the monitor. \
                    Rebels shelled the airport, the group's Amaq news agency claimed. \
                    The Syrian Democratic Forces announced an offensive against the militants on Saturday.";
        let r = x.extract(Document { text, title: "", published: chrono::NaiveDate::from_ymd_opt(2017, 9, 6) });
        let got: Vec<String> = r
            .events
            .iter()
            .map(|e| {
                let actors: Vec<String> = e.actors.iter().map(|a| format!("{}:{:?}", a.id, a.role)).collect();
                format!(
                    "{:?} {}..{} {} per {}",
                    e.kind,
                    e.when.earliest.map(|d| d.to_string()).unwrap_or_default(),
                    e.when.latest.map(|d| d.to_string()).unwrap_or_default(),
                    actors.join(","),
                    e.attribution.as_ref().map_or("-", |a| a.source.as_str())
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                "Advance 2017-09-05..2017-09-05 saa:Agent per Syrian Observatory for Human Rights",
                "Bombardment 2017-09-04..2017-09-04 russia:Agent,isil:Target per Syrian Observatory for Human Rights",
                "Bombardment 2017-09-04..2017-09-06 rebels:Agent per Amaq News Agency",
                "Offensive 2017-09-02..2017-09-02 sdf:Agent,isil:Target per Syrian Democratic Forces",
            ]
        );
    }

    #[test]
    fn an_offensive_told_wikipedia_style() {
        // the definition sentence's reduced relative codes the offensive; "the operation began"
        // is that offensive (its actors and place); a part inside the whole is not added to the
        // count; a sheikh's name with a quarter's head is a place; "the siege began" is a siege
        check(
            "Homs offensive (1997)",
            "The Homs offensive was a military operation launched by the Syrian Army to recapture Talbiseh. \
             The operation began on 2 March with air strikes. \
             On 9 March, at least 41 civilians, including 9 children, were killed in Talbiseh. \
             On 12 March, the army captured the Sheikh Yusuf quarter. \
             The siege of Rastan began on 20 March.",
            &[
                "Offensive 1997-01-01..1997-03-02 saa @ Homs",
                "Offensive 1997-03-02..1997-03-02 saa @ Homs",
                "Casualties 1997-03-09..1997-03-09 civilians_sy @ Talbiseh +killed 41",
                "Capture 1997-03-12..1997-03-12 saa @ Sheikh Yusuf quarter",
                "Siege 1997-03-20..1997-03-20  @ Rastan",
            ],
        );
    }

    #[test]
    fn generic_words_mean_the_force_named_last() {
        // in a text about Syria, "the army" after the Lebanese Army is the Lebanese Army's;
        // "militant positions" after a named jihadist group are that group's; a refugee camp is a
        // place, not refugees; an operation's code name is no place; a ceasefire announced is an end
        check(
            "Border fighting (2017)",
            "On 19 August 2017, Hezbollah and the Syrian Army attacked Islamic State positions near Qara in Syria. \
             On 20 August 2017, the Lebanese Army launched an offensive, code-named Dawn of the Hills, near Ras Baalbek. \
             By 28 August 2017, the army had shelled militant positions near the refugee camp of Wadi Hamid. \
             On 30 August 2017, a ceasefire was announced.",
            &[
                "Attack 2017-08-19..2017-08-19 hezbollah,saa,isil @ Qara;Syria",
                "Offensive 2017-08-20..2017-08-20 laf @ Ras Baalbek",
                "Bombardment 2017-08-28..2017-08-28 laf,isil @ Wadi Hamid",
                "End 2017-08-30..2017-08-30  @ ",
            ],
        );
    }

    #[test]
    fn names_losses_and_handovers() {
        // "the Army of Conquest" is a name, not the generic army; losing control is a withdrawal;
        // "only to retake it" happened; a hill handed over later is a transfer; an ISIL suicide
        // bomber who blew himself up is one attack
        check(
            "",
            "On 14 May 2015, the town of Idlib was captured by the Army of Conquest. \
             On 13 May 2015, Hezbollah lost control of the Zawiya hill, only to retake it the following day. \
             The hill was later handed over to the Syrian Army. \
             An ISIL suicide bomber blew himself up in Palmyra on 1 July 2015, killing five soldiers.",
            &[
                "Capture 2015-05-14..2015-05-14 fsa @ Idlib",
                "Withdrawal 2015-05-13..2015-05-13 hezbollah @ Zawiya hill",
                "Capture 2015-05-14..2015-05-14 hezbollah @ Zawiya hill",
                "Withdrawal 2015-05-14..2015-07-01 saa @ ",
                "Bombardment 2015-07-01..2015-07-01 isil,saa @ Palmyra +killed 5",
            ],
        );
    }

    #[test]
    fn a_report_set_between_commas_attributes_its_sentence() {
        let x = Extractor::builtin();
        let text = "On 25 July 2015, Turkish artillery struck YPG positions in Tal Abyad, the Turkish military said, in response to fire from across the border.";
        let r = x.extract(Document { text, title: "", published: None });
        assert_eq!(r.events.len(), 1, "{:?}", r.events);
        assert_eq!(r.events[0].attribution.as_ref().map(|a| a.source.as_str()), Some("Turkish Armed Forces"));
    }

    #[test]
    fn coordinated_clauses_keep_their_own_dates_and_towns() {
        // a date after ", and" is its clause's; "began withdrawing" happened; "the town" is not one
        // of "the villages of"; a group named without a count adds nothing to the dead; "the
        // assault began" is the attack told before
        check(
            "Battle of Nabk (1999)",
            "On 2 March 1999, the Syrian Army attacked the town of Nabk. \
             The assault began after weeks of shelling. \
             On 13 March 1999, government forces captured the village of Deir Attiyah, and the next day they took the hills. \
             On 15 March 1999, rebels began withdrawing from the town of Nabk to the villages of Rankous and Assal, and the following day the army entered the town. \
             On 20 March 1999, 300 rebels and 50 soldiers and Hezbollah fighters were killed.",
            &[
                "Attack 1999-03-02..1999-03-02 saa @ Nabk",
                "Offensive 1999-03-02..1999-03-13 saa @ Nabk",
                "Capture 1999-03-13..1999-03-13 saa @ Deir Attiyah",
                "Withdrawal 1999-03-15..1999-03-15 rebels @ Nabk;Rankous;Assal",
                "Advance 1999-03-16..1999-03-16 saa @ Nabk",
                "Casualties 1999-03-20..1999-03-20 rebels,saa,hezbollah @  +killed 350",
            ],
        );
    }

    #[test]
    fn the_dead_and_the_injured_of_one_act() {
        use crate::Kind::*;
        // killed and injured in one attack are one event, told where the attack was; missiles
        // launched are a strike; "killed in clashes with" is the clash
        let got = coded("On 4 April 2017, at least 60 people were killed and more than 300 injured in a chemical attack on the town of Kafr Zita.");
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!((got[0].0, got[0].1.as_str(), got[0].3), (Bombardment, "Chemical weapon", Some(60)));
        let got = coded("On 7 April 2017, the United States launched 40 Tomahawk cruise missiles at the Tiyas airbase.");
        assert_eq!(got.first().map(|e| e.0), Some(Bombardment), "{got:?}");
        let got = coded("On 3 August 2018, two Hezbollah fighters were killed in clashes with ISIL militants near Sukhnah.");
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!((got[0].0, got[0].3), (Clash, Some(2)));
    }

    #[test]
    fn places_fall_to_those_who_take_them() {
        // "X fell to Y and Z", "X came under the control of Y", "X was recaptured by Y": Y takes X,
        // and X is a place though no preposition marks it; "pushed the rebels out of X" is a capture
        check(
            "",
            "On 5 June 2013, Qusayr fell to the Syrian Army and Hezbollah. \
             On 2 April 2016, Mhin came under the control of the Syrian Army. \
             On 3 April 2016, Sadad was recaptured by the army. \
             On 14 May 2016, the army pushed the rebels out of Kafr Ruma.",
            &[
                "Capture 2013-06-05..2013-06-05 saa,hezbollah @ Qusayr",
                "Capture 2016-04-02..2016-04-02 saa @ Mhin",
                "Capture 2016-04-03..2016-04-03 saa @ Sadad",
                "Capture 2016-05-14..2016-05-14 saa @ Kafr Ruma",
            ],
        );
    }

    #[test]
    fn sieges_lifted_and_counteroffensives() {
        check(
            "",
            "On 7 March 2014, the siege of Nubl was lifted. \
             On 9 March 2014, the army broke the siege of Kuweires airbase. \
             On 13 March 2014, rebels launched a counteroffensive near Kessab.",
            &[
                "End 2014-03-07..2014-03-07  @ Nubl",
                "End 2014-03-09..2014-03-09 military @ Kuweires airbase",
                "Offensive 2014-03-13..2014-03-13 opposition @ Kessab",
            ],
        );
    }

    #[test]
    fn a_settlement_named_by_its_noun_keeps_its_clause() {
        // "then stormed the village" and "captured the town" are events of their own, at the
        // village and the town the text named
        check(
            "",
            "On 15 March 2014, the army shelled the town of Nabk and the village of Deir Attiyah, then stormed the village. \
             On 16 March 2014, rebels attacked the town of Qara and captured the town.",
            &[
                "Bombardment 2014-03-15..2014-03-15 military @ Nabk;Deir Attiyah",
                "Attack 2014-03-15..2014-03-15 military @ Deir Attiyah",
                "Attack 2014-03-16..2014-03-16 opposition @ Qara",
                "Capture 2014-03-16..2014-03-16 opposition @ Qara",
            ],
        );
    }
}
