//! Candidate events: the dictionary's predicates that report a real event here (not an
//! intention, a negation or a noun), the counts of the dead (a count joins its verb of violence
//! or is a CASUALTIES event), a body found, "as well as" a second object, failure after a verb.

use super::counts::{self, Count};
use super::{SentenceCtx, BE, DETERMINERS, PRONOUNS};
use crate::lexicon::{Form, Lexicon, PredicateMatch};
use crate::text::{TokKind, Token};
use crate::Kind;

const MODALS: &[&str] = &[
    "would",
    "could",
    "may",
    "might",
    "will",
    "shall",
    "should",
    "must",
    "can",
    "cannot",
    "plan",
    "planned",
    "planning",
    "intend",
    "intended",
    "aim",
    "aimed",
    "threatened",
    "vowed",
    "prepared",
    "preparing",
    "expected",
    "ordered",
    "directed",
    "urged",
    "called",
];
/// Words allowed right before an event gerund ("after capturing", ", capturing").
const GERUND_LEADS: &[&str] = &[
    "began",
    "begun",
    "started",
    "continued",
    ",",
    // "attacked Nyakabale village (Irumu, Ituri) killing 2 civilians": a clause after a chain
    ")",
    "]",
    "after",
    "before",
    "while",
    "by",
    "and",
    "then",
    "also",
    "when",
    "since",
    "as",
    "upon",
    "on",
    "further",
    "fully",
    "successfully",
    "eventually",
    "finally",
    "again",
    "later",
    "subsequently",
    "were",
    "was",
    "are",
    "is",
    "been",
    "thereby",
    "in",
    "(",
    "-",
    "–",
];

pub(super) struct Cand {
    pub start: usize,
    pub end: usize,
    pub kind: Kind,
    pub priority: u8,
    pub trigger: String,
    pub failed: bool,
    pub hedged: bool,
    pub passive: bool,
    pub fatalities: Option<Count>,
    /// Made by "as well as": a second object of the predicate before.
    pub copy: bool,
    pub acled: Option<String>,
}

impl Cand {
    /// A death the sentence tells without a verb of violence ("a civilian died", "16 ISIL
    /// fighters dead", a body found): whom the count names suffered it.
    fn casualties(start: usize, end: usize, trigger: String, fatalities: Count) -> Cand {
        Cand {
            start,
            end,
            kind: Kind::Casualties,
            priority: 2,
            trigger,
            failed: false,
            hedged: false,
            passive: true,
            fatalities: Some(fatalities),
            copy: false,
            acled: None,
        }
    }
}

/// Kinds whose events can kill: a count of the dead in their clause is theirs.
pub(super) fn violence(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::Casualties | Kind::Attack | Kind::Bombardment | Kind::Clash
    )
}

/// The candidate events of the sentence, in order. `bodies`: the dead a body found counts.
pub(super) fn find(
    cx: &SentenceCtx<'_>,
    bodies: Option<u32>,
    diagnostics: &mut Vec<String>,
) -> Vec<Cand> {
    let mut cands = predicates(cx, diagnostics);
    attach_fatalities(cx, &mut cands);
    body_found(cx, bodies, &mut cands);
    cands.sort_by_key(|c| c.start);
    as_well_as(cx, &mut cands);
    failure_after(cx, &mut cands);
    cands
}

/// Whether the sentence hedges what it tells ("reportedly", "allegedly").
pub(super) fn hedged_sentence(cx: &SentenceCtx<'_>) -> bool {
    cx.tokens
        .iter()
        .any(|t| cx.lexicon.hedges.contains(&t.lower) && t.lower != "reported")
}

/// The dictionary's predicates outside quotes and names that report real events.
fn predicates(cx: &SentenceCtx<'_>, diagnostics: &mut Vec<String>) -> Vec<Cand> {
    let (lexicon, tokens) = (cx.lexicon, cx.tokens);
    let mut cands = Vec::new();
    for m in lexicon.find(tokens) {
        if cx.quote[m.start] || cx.taken[m.start] {
            continue;
        }
        match realis(lexicon, tokens, &m, &cx.is_actor_end) {
            Ok((failed, passive)) => {
                let trigger = cx.join(m.start, m.end);
                cands.push(Cand {
                    start: m.start,
                    end: m.end,
                    kind: m.kind,
                    priority: m.priority,
                    trigger,
                    failed,
                    hedged: false,
                    passive,
                    fatalities: None,
                    copy: false,
                    acled: m.acled.clone(),
                });
            }
            Err(why) => {
                if why == "negated" {
                    diagnostics.push(format!(
                        "sentence {}: negated {:?} not coded",
                        cx.sentence.index,
                        cx.join(m.start, m.end)
                    ));
                }
            }
        }
    }
    cands
}

/// Fatality expressions attach to a "kill" predicate or make a CASUALTIES event.
fn attach_fatalities(cx: &SentenceCtx<'_>, cands: &mut Vec<Cand>) {
    for counts::Fatality {
        start: a,
        end: b,
        count,
    } in counts::fatalities(cx.lexicon, cx.tokens)
    {
        if cx.quote[a] {
            continue;
        }
        // "a man was shot dead": the count is the shooting's
        if let Some(c) = cands
            .iter_mut()
            .find(|c| violence(c.kind) && c.start >= a && c.start < b)
        {
            c.fatalities = Some(count);
        } else {
            // "a civilian died", "16 ISIL fighters dead": whom the count names suffered it
            cands.push(Cand::casualties(b - 1, b, cx.join(a, b), count));
        }
    }
}

/// "the body of a young man was found": a death, whoever caused it.
fn body_found(cx: &SentenceCtx<'_>, bodies: Option<u32>, cands: &mut Vec<Cand>) {
    if cands.iter().any(|c| violence(c.kind)) {
        return;
    }
    if let (Some(n), Some(at)) = (bodies, cx.tokens.iter().position(|t| t.lower == "found")) {
        if !cx.quote[at] {
            cands.push(Cand::casualties(at, at + 1, cx.join(at, at + 1), (n, None)));
        }
    }
}

/// "as well as PLACE": a second object of the predicate before.
fn as_well_as(cx: &SentenceCtx<'_>, cands: &mut Vec<Cand>) {
    let tokens = cx.tokens;
    let mut copies = Vec::new();
    for k in 0..tokens.len().saturating_sub(3) {
        if tokens[k].lower == "as" && tokens[k + 1].lower == "well" && tokens[k + 2].lower == "as" {
            if let Some(prev) = cands
                .iter()
                .rev()
                .find(|c| c.end <= k && !matches!(c.kind, Kind::Casualties | Kind::Statement))
            {
                if cx
                    .places
                    .iter()
                    .any(|p| p.start >= k + 3 && p.start <= k + 5)
                {
                    copies.push(Cand {
                        start: k,
                        end: k + 3,
                        kind: prev.kind,
                        priority: prev.priority,
                        trigger: prev.trigger.clone(),
                        failed: prev.failed,
                        hedged: false,
                        passive: false,
                        fatalities: None,
                        copy: true,
                        acled: prev.acled.clone(),
                    });
                }
            }
        }
    }
    cands.extend(copies);
    cands.sort_by_key(|c| c.start);
}

/// Failure after the predicate: "but was repelled".
fn failure_after(cx: &SentenceCtx<'_>, cands: &mut [Cand]) {
    let tokens = cx.tokens;
    let n = tokens.len();
    for k in 0..n {
        for pat in &cx.lexicon.failure_after {
            if k + pat.len() <= n
                && pat
                    .iter()
                    .enumerate()
                    .all(|(j, w)| tokens[k + j].lower == *w)
            {
                // the last predicate failed, and the verbs chained to it ("made an attempt to
                // counterattack", "tried to storm")
                if let Some(mut at) = cands.iter().rposition(|c| c.end <= k) {
                    cands[at].failed = true;
                    while at > 0
                        && cands[at].start.saturating_sub(cands[at - 1].end) <= 2
                        && cands[at - 1].end <= cands[at].start
                    {
                        at -= 1;
                        cands[at].failed = true;
                    }
                }
            }
        }
    }
}

/// Whether a found predicate reports a real event here: (failed, passive); `Err` drops it (with a
/// reason).
fn realis(
    lexicon: &Lexicon,
    tokens: &[Token],
    m: &PredicateMatch,
    is_actor_end: &[bool],
) -> Result<(bool, bool), &'static str> {
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
            let object =
                next.is_some_and(|t| DETERMINERS.contains(&t.lower.as_str()) || t.is_capitalized());
            if m.form == Form::Present && m.end == m.start + 1 && !object {
                return Err("plural noun");
            }
        }
        Form::Gerund => {
            if i > 0
                && !GERUND_LEADS.contains(&prev)
                && !prev.ends_with("ly")
                && !is_actor_end[i - 1]
            {
                return Err("gerund used as a noun");
            }
        }
        Form::Past => {
            // "territory seized by rebels": a participle after a noun, no auxiliary
            // (not "organized a demonstration by closing …": "by" after an object, or before a
            // gerund, tells how, not who)
            let by_how = m.end > i + 1 || w(m.end + 1).ends_with("ing");
            if w(m.end) == "by"
                && !by_how
                && !BE.contains(&prev)
                && !BE.contains(&prev2)
                && !matches!(prev, "had" | "has" | "have" | ",")
                && i > 0
                && tokens[i - 1].kind == TokKind::Word
                && !is_actor_end[i - 1]
            {
                return Err("participle modifying a noun");
            }
        }
    }
    // infinitives: irrealis unless realised ("managed to", "claimed to have", "failed to")
    let (to_at, have) = if prev == "to" {
        (Some(i - 1), false)
    } else if prev == "have" && prev2 == "to" {
        (Some(i - 2), true)
    } else {
        (None, false)
    };
    if let Some(t) = to_at {
        let before = if t > 0 { w(t - 1) } else { "" };
        let phrase = [before.to_string(), "to".to_string()];
        let failure = lexicon
            .failure_before
            .iter()
            .any(|f| f.as_slice() == phrase);
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
    let passive = (i > 0 && verb_be(i - 1))
        || (i > 1 && verb_be(i - 2) && (prev.ends_with("ly") || matches!(prev, "found" | "also")));
    Ok((failed, passive))
}

#[cfg(test)]
mod tests {
    use super::super::mentions;
    use super::super::tests::with_sentence;

    /// The candidates of `text`: (trigger, failed, passive, fatalities).
    fn cands(text: &str) -> Vec<(String, bool, bool, Option<u32>)> {
        with_sentence(text, |cx, state| {
            mentions(cx, state);
            let bodies = crate::events::counts::bodies_found(cx.tokens);
            super::find(cx, bodies, &mut Vec::new())
                .into_iter()
                .map(|c| (c.trigger, c.failed, c.passive, c.fatalities.map(|f| f.0)))
                .collect()
        })
    }

    #[test]
    fn intentions_negations_and_nouns_are_no_candidates() {
        assert!(cands("The army planned to attack the town.").is_empty());
        assert!(cands("Rebels did not capture the hill.").is_empty());
        let mut diags = Vec::new();
        with_sentence("Rebels did not capture the hill.", |cx, state| {
            mentions(cx, state);
            super::find(cx, None, &mut diags);
        });
        assert_eq!(diags, ["sentence 0: negated \"capture\" not coded"]);
        assert!(cands("The attack was condemned.")
            .iter()
            .all(|c| c.0 != "attack"));
    }

    #[test]
    fn a_count_joins_its_verb_or_is_a_casualties_candidate() {
        let c = cands("Gunmen attacked a checkpoint, killing two soldiers.");
        assert_eq!(c.iter().filter(|c| c.3 == Some(2)).count(), 1);
        assert_eq!(
            cands("Three civilians were killed."),
            [("killed".to_string(), false, true, Some(3))]
        );
    }

    #[test]
    fn a_body_found_is_a_death_and_failure_after_marks_the_verb() {
        assert_eq!(
            cands("The body of a young man was found in Daraa."),
            [("found".to_string(), false, true, Some(1))]
        );
        assert!(cands("Rebels attacked the checkpoint but were repelled.")[0].1);
    }

    #[test]
    fn as_well_as_copies_the_predicate_for_a_second_place() {
        let c = cands("The army shelled Kafr Nabl as well as Maarat al-Numan.");
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].0, c[1].0);
    }
}
