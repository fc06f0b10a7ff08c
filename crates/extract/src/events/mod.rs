//! The event coder: sentences in narrative order → events with kind, date, actors, places,
//! citations, attribution and fatalities.
//!
//! Each sentence goes through named passes over one [`SentenceCtx`], in this order:
//! 1. [`dates`]: the tokens each date covers (later: each event's date, the sentence's date).
//! 2. [`actors`]: actor mentions, the registry's then provisional organisations.
//! 3. [`coref`]: what generic words mean: "militants", "the army", "the town".
//! 4. places ([`crate::places::find`]).
//! 5. [`attribution`]: reporting verbs and "according to".
//! 6. [`candidates`]: the predicates of the dictionary, filtered for irrealis, negation and
//!    adjectival uses; counts of the dead ([`counts`]) and bodies found.
//! 7. [`clauses`]: each predicate opens a clause; its boundaries and its actors' roles.
//! 8. [`fold`]: the folding rules, one function each: a clause with no place and no date of its
//!    own elaborates its neighbour ("captured X, taking control of the village"), verbs that
//!    share one object fold into the last ("attacked and recaptured X"), …
//! 9. [`assemble`]: one event per tree of folded clauses.
//! 10. [`labels`]: coders' notes and labels; a report alone is a statement ([`attribution`]).
//! 11. [`bare`]: what a sentence leaves bare takes from the events before (a bare count, "it").
//!
//! Once every sentence is coded, [`means`] reads what each event was done with and whether its
//! sentence tells of bodies found.

use chrono::NaiveDate;

use crate::lexicon::Lexicon;
use crate::places::{self, PlaceMention};
use crate::registry::{ActorMention, Registry};
use crate::segment::{self, Sentence};
use crate::text::{tokenize, TokKind, Token};
use crate::timex::{Basis, Narrative, Timex};
use crate::{Document, Event, EventActor, EventPlace, Extraction, Role, When};

mod actors;
mod assemble;
mod attribution;
mod bare;
mod candidates;
mod clauses;
mod coref;
mod counts;
mod dates;
mod fold;
mod labels;
pub mod means;

/// Words that open a new clause.
const DELIMITERS: &[&str] = &[
    ",", ";", "and", "but", "while", "after", "as", "then", "before", "when", "which", "whereas",
    "although", "though", "since", "where", "whilst", "until",
];
const DETERMINERS: &[&str] = &[
    "the", "a", "an", "its", "their", "his", "her", "our", "this", "that", "these", "those",
    "such", "any", "every", "each", "no",
];
// (a passive's auxiliaries: "they became encircled by the insurgents" is a siege of them)
const BE: &[&str] = &[
    "was", "were", "is", "are", "been", "being", "be", "became", "become", "becomes", "got",
    "remained",
];
const PRONOUNS: &[&str] = &["it", "they", "he", "she", "we"];

/// Per-document state carried from sentence to sentence.
#[derive(Default)]
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

/// One sentence being coded and what the passes found in it: the passes up to the places fill
/// it in ([`mentions`]), the later ones read it.
struct SentenceCtx<'a> {
    registry: &'a Registry,
    lexicon: &'a Lexicon,
    /// The countries the document is about.
    focus: &'a [String],
    sentence: &'a Sentence,
    tokens: &'a [Token],
    timexes: &'a [Timex],
    /// Tokens inside quotation marks: direct speech codes no events.
    quote: Vec<bool>,
    /// The token range of each timex.
    timex_toks: Vec<(usize, usize)>,
    /// Tokens a date or an actor's name covers.
    taken: Vec<bool>,
    actors: Vec<ActorMention>,
    /// Tokens that end an actor's name ("Hezbollah forces": the noun after belongs to it).
    is_actor_end: Vec<bool>,
    places: Vec<PlaceMention>,
    /// The last town named before this sentence, for "the town".
    earlier_settlement: Option<(String, Option<String>)>,
}

/// What holds for the whole sentence, for every event it codes.
struct SentenceFacts {
    /// The date of an event whose clauses state none.
    when: When,
    /// A hedge anywhere in the sentence ("reportedly").
    hedged: bool,
    /// The dead a body found counts.
    bodies: Option<u32>,
}

impl<'a> SentenceCtx<'a> {
    fn new(
        registry: &'a Registry,
        lexicon: &'a Lexicon,
        focus: &'a [String],
        sentence: &'a Sentence,
        tokens: &'a [Token],
        timexes: &'a [Timex],
    ) -> Self {
        let timex_toks = dates::token_ranges(tokens, timexes);
        let taken = dates::covered(tokens.len(), &timex_toks);
        SentenceCtx {
            registry,
            lexicon,
            focus,
            sentence,
            tokens,
            timexes,
            quote: quoted(tokens),
            timex_toks,
            taken,
            actors: Vec::new(),
            is_actor_end: vec![false; tokens.len()],
            places: Vec::new(),
            earlier_settlement: None,
        }
    }

    /// The words of tokens `from..to`.
    fn join(&self, from: usize, to: usize) -> String {
        join(self.tokens, &self.sentence.text, from, to)
    }

    /// Every place the sentence names, in order.
    fn all_places(&self) -> Vec<EventPlace> {
        self.places
            .iter()
            .map(|p| EventPlace {
                mention: p.text.clone(),
                near: p.near.clone(),
            })
            .collect()
    }

    /// An event the whole sentence tells (a statement, a coder's label), dated by its first date.
    fn whole_sentence_event(
        &self,
        facts: &SentenceFacts,
        kind: crate::Kind,
        trigger: String,
    ) -> Event {
        let s = self.sentence;
        Event {
            sentence_index: s.index,
            order: 0,
            sentence: s.text.clone(),
            span: s.text.clone(),
            kind,
            when: self
                .timexes
                .first()
                .map(dates::when_of)
                .unwrap_or(facts.when.clone()),
            actors: Vec::new(),
            places: Vec::new(),
            citations: s.citations.clone(),
            attribution: None,
            fatalities: None,
            fatalities_max: None,
            hedged: facts.hedged,
            failed: false,
            negated: false,
            trigger,
            acled_sub_event_type: None,
            means: Vec::new(),
            body_found: false,
            count_adds: false,
        }
    }
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
        if let Some(t) = timexes[i]
            .iter()
            .find(|t| !matches!(t.basis, Basis::Narrative | Basis::Published) || !t.relative)
        {
            upcoming = Some(t.earliest);
        }
    }

    let mut out = Extraction {
        sentences: Vec::new(),
        events: Vec::new(),
        diagnostics: Vec::new(),
        country_focus: focus.clone(),
    };
    for c in &orphan_citations {
        out.diagnostics
            .push(format!("citation [{c}] has no sentence to belong to"));
    }
    let mut state = DocState::default();
    for (i, s) in sentences.iter().enumerate() {
        let inherited = dates::inherited_when(&anchors[i], next_absolute[i], &narrative);
        let toks = tokenize(&s.text);
        let mut cx = SentenceCtx::new(registry, lexicon, &focus, s, &toks, &timexes[i]);
        code_sentence(&mut cx, inherited, &mut state, &mut out);
    }
    means::code(lexicon, &mut out.events);
    assemble::intervened_after(lexicon, &sentences, &mut out.events);
    out.sentences = sentences;
    out
}

/// The passes over one sentence, in order.
fn code_sentence(
    cx: &mut SentenceCtx<'_>,
    inherited: When,
    state: &mut DocState,
    out: &mut Extraction,
) {
    mentions(cx, state);
    let cx = &*cx;
    let reports = attribution::reports(cx);
    let bodies = counts::bodies_found(cx.tokens);
    let cands = candidates::find(cx, bodies, &mut out.diagnostics);
    let hedged = candidates::hedged_sentence(cx);
    let mut clauses = clauses::build(cx, cands, &reports);
    fold::all(cx, &mut clauses);
    let facts = SentenceFacts {
        when: dates::sentence_when(cx, inherited, state),
        hedged,
        bodies,
    };
    let mut made = assemble::events(cx, &clauses, &facts, state);
    let coded = labels::coded_place(cx);
    if made.is_empty() {
        if labels::coded_to(cx, out) {
            return;
        }
        if let Some(p) = &coded {
            labels::coded_before(out, p);
        }
    }
    if let Some(p) = &coded {
        for (_, e) in made.iter_mut() {
            labels::place_first(e, p);
        }
    }
    if made.is_empty() {
        made.extend(attribution::statement(cx, &reports, &facts));
    }
    labels::apply(cx, &facts, &mut made);
    made.sort_by_key(|(at, _)| *at);
    bare::push(made, state, out);
}

/// The passes that find what the sentence names: actors (and whom generic words mean), places.
fn mentions(cx: &mut SentenceCtx<'_>, state: &mut DocState) {
    actors::find(cx);
    coref::militants(cx, state);
    coref::generic_forces(cx, state);
    actors::mark(cx);
    cx.places = places::find(cx.tokens, &cx.taken);
    coref::remember_settlement(cx, state);
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
        let q =
            t.kind == TokKind::Punct && matches!(t.text.as_str(), "\"" | "\u{201c}" | "\u{201d}");
        if q {
            open = if t.text == "\u{201c}" {
                true
            } else if t.text == "\u{201d}" {
                false
            } else {
                !open
            };
            mask[i] = true;
            continue;
        }
        mask[i] = open;
    }
    mask
}

/// Add the actor `id` named by `mention` to an event's `list` in `role`: a provisional actor as
/// named, a registry actor as its organisation (once; the media never).
fn push_actor(
    registry: &Registry,
    id: &str,
    mention: &str,
    role: Role,
    date: Option<NaiveDate>,
    list: &mut Vec<EventActor>,
) {
    // a local unit of a registry group ("the Natogyi PDF"): named by its place and the group's
    // full name, of the group's type and side
    if let Some((parent, prefix)) = id
        .strip_prefix("prov:branch:")
        .and_then(|r| r.split_once(':'))
    {
        if let Some(p) = registry
            .get(parent)
            .filter(|_| !list.iter().any(|a| a.id == id))
        {
            let name = format!("{prefix} {}", p.name);
            list.push(EventActor {
                id: id.to_string(),
                name: name.clone(),
                mention: mention.to_string(),
                side: registry.side(parent, date).map(str::to_string),
                role,
                provisional: true,
                acled: Some(name),
                kind: p.kind.clone(),
            });
        }
        return;
    }
    // a militia named after a place or a people ("Zamfara militiamen"): ACLED's "Zamfara
    // Communal Militia (Nigeria)", the country completed from the event's place
    if let Some((kind, name)) = id
        .strip_prefix("prov:militia:")
        .and_then(|r| r.split_once(':'))
    {
        if !list.iter().any(|a| a.id == id) {
            let kind = if kind == "ethnic" {
                "Ethnic"
            } else {
                "Communal"
            };
            let full = format!("{name} {kind} Militia");
            list.push(EventActor {
                id: id.to_string(),
                name: full.clone(),
                mention: mention.to_string(),
                side: None,
                role,
                provisional: true,
                acled: Some(format!("{full} ({{name}})")),
                kind: "militia".into(),
            });
        }
        return;
    }
    if id.starts_with("prov:") {
        if !list.iter().any(|a| a.id == id) {
            list.push(EventActor {
                id: id.to_string(),
                name: mention.trim_start_matches("the ").to_string(),
                mention: mention.to_string(),
                side: None,
                role,
                provisional: true,
                acled: None,
                kind: String::new(),
            });
        }
        return;
    }
    let org = registry.organisation(id);
    if list.iter().any(|a| a.id == org) {
        return;
    }
    let Some(a) = registry.get(org).filter(|a| !a.is_media()) else {
        return;
    };
    list.push(EventActor {
        id: org.to_string(),
        name: a.name.clone(),
        mention: mention.to_string(),
        side: registry.side(org, date).map(str::to_string),
        role,
        provisional: false,
        acled: a.acled.clone(),
        kind: a.kind.clone(),
    });
}

#[cfg(test)]
mod tests;
