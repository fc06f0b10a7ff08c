//! Attribution: reporting verbs ("…, the Syrian Observatory said", "the army claimed") and
//! "according to"; a report with no event coded in its sentence is a statement.

use super::{SentenceCtx, SentenceFacts, DETERMINERS};
use crate::lexicon::Form;
use crate::registry::{ActorMention, Registry};
use crate::text::{TokKind, Token};
use crate::{Attribution, Event, EventActor, Kind, Role};

/// A report in the sentence: it covers the predicates from token `at` on.
pub(super) struct Report {
    pub at: usize,
    pub source: String,
    pub verb: String,
}

/// The reports of the sentence, in order.
pub(super) fn reports(cx: &SentenceCtx<'_>) -> Vec<Report> {
    let (registry, lexicon, tokens, actors) = (cx.registry, cx.lexicon, cx.tokens, &cx.actors[..]);
    let mut reports: Vec<Report> = Vec::new();
    let mut push =
        |at: usize, source: String, verb: String| reports.push(Report { at, source, verb });
    for (k, t) in tokens.iter().enumerate() {
        // (an actor's name is no verb: "the Islamic State")
        if cx.quote[k] || cx.taken[k] {
            continue;
        }
        if t.lower == "according" && tokens.get(k + 1).is_some_and(|x| x.lower == "to") {
            let src = source_after(registry, actors, tokens, k + 2);
            push(0, src, "according to".into());
            continue;
        }
        // "… between Kebbi and Zamfara state.", "a former state capital": a division, no
        // report; the present tense of "state" reports only what follows it ("officials state
        // that …")
        let division = (k > 0
            && tokens[k - 1].is_capitalized()
            && crate::places::words()
                .division_words
                .contains(&t.lower.as_str()))
            || (matches!(t.lower.as_str(), "state" | "states")
                && tokens.get(k + 1).is_none_or(|n| n.lower != "that"));
        if let Some((lemma, form)) = lexicon.verb(&t.lower).filter(|_| !division) {
            if lexicon.is_reporting(lemma) && form != Form::Gerund {
                if matches!(t.lower.as_str(), "said" | "reported" | "claimed" | "stated")
                    && k > 0
                    && DETERMINERS.contains(&tokens[k - 1].lower.as_str())
                {
                    continue;
                }
                // "…, the Syrian Observatory said.": a report closing the sentence (or set
                // between commas: "…, the Turkish military said, in response to …") covers what
                // came before it (recorded at token 0, as "according to" is)
                if let Some(from) = trailing_report(tokens, k) {
                    let src = source_between(registry, actors, tokens, from, k);
                    if !src.is_empty() {
                        push(0, src, t.lower.clone());
                        continue;
                    }
                }
                // "by stating", "the Army also claimed"
                let src = source_before(registry, actors, tokens, k);
                if !src.is_empty() {
                    push(k, src, t.lower.clone());
                }
            }
        }
        if t.lower == "stating" || t.lower == "saying" {
            let src = source_before(registry, actors, tokens, k);
            if !src.is_empty() {
                push(k, src, t.lower.clone());
            }
        }
    }
    reports
}

/// The report covering a predicate at token `start`: the last one before it.
pub(super) fn covering(reports: &[Report], start: usize) -> Option<Attribution> {
    reports
        .iter()
        .rfind(|r| r.at <= start)
        .map(|r| Attribution {
            source: r.source.clone(),
            verb: r.verb.clone(),
        })
}

/// A sentence that reports and codes no event is a STATEMENT of its first source.
pub(super) fn statement(
    cx: &SentenceCtx<'_>,
    reports: &[Report],
    facts: &SentenceFacts,
) -> Option<(usize, Event)> {
    let registry = cx.registry;
    let Report { at, source, verb } = reports.first()?;
    let mut actors_list = Vec::new();
    if let Some(m) = cx
        .actors
        .iter()
        .find(|m| registry.get(&m.actor).is_some_and(|a| a.name == *source))
    {
        let org = registry.organisation(&m.actor);
        if let Some(a) = registry.get(org) {
            if !a.is_media() {
                actors_list.push(EventActor {
                    id: org.to_string(),
                    name: a.name.clone(),
                    mention: m.text.clone(),
                    side: registry.side(org, facts.when.earliest).map(str::to_string),
                    role: Role::Agent,
                    provisional: false,
                    acled: a.acled.clone(),
                    kind: a.kind.clone(),
                });
            }
        }
    }
    let mut ev = cx.whole_sentence_event(facts, Kind::Statement, verb.clone());
    ev.actors = actors_list;
    ev.attribution = Some(Attribution {
        source: source.clone(),
        verb: verb.clone(),
    });
    Some((*at, ev))
}

/// A source named by an actor mention: the registry's name, else the words of the text.
fn source_name(registry: &Registry, m: &ActorMention) -> String {
    registry
        .get(&m.actor)
        .map_or(m.text.clone(), |a| a.name.clone())
}

/// Where the source of a reporting verb that closes its sentence begins: "…, the Syrian
/// Observatory for Human Rights said.", "…, the group's Amaq news agency claimed on Tuesday."
/// (a comma before the source; after the verb only stops, citations and a time phrase).
fn trailing_report(tokens: &[Token], verb: usize) -> Option<usize> {
    let tail_word = |t: &Token| {
        t.kind != TokKind::Word
            || matches!(
                t.lower.as_str(),
                "on" | "in"
                    | "a"
                    | "its"
                    | "late"
                    | "earlier"
                    | "later"
                    | "today"
                    | "yesterday"
                    | "statement"
                    | "monday"
                    | "tuesday"
                    | "wednesday"
                    | "thursday"
                    | "friday"
                    | "saturday"
                    | "sunday"
            )
    };
    let parenthetical = tokens.get(verb + 1).is_some_and(|t| t.text == ",");
    if !parenthetical && !tokens[verb + 1..].iter().all(tail_word) {
        return None;
    }
    let comma = (verb.saturating_sub(10)..verb)
        .rev()
        .find(|&j| tokens[j].kind == TokKind::Punct && tokens[j].text != "'s")?;
    (tokens[comma].text == "," && comma + 1 < verb).then_some(comma + 1)
}

/// The source named from token `from` up to the verb: an actor of the registry, else the words
/// after a possessive ("the group's Amaq news agency") or the capitalised name.
fn source_between(
    registry: &Registry,
    actors: &[ActorMention],
    tokens: &[Token],
    from: usize,
    verb: usize,
) -> String {
    if let Some(m) = actors
        .iter()
        .rev()
        .find(|m| m.start >= from && m.end <= verb)
    {
        return source_name(registry, m);
    }
    let from = (from..verb)
        .rev()
        .find(|&j| tokens[j].text == "'s")
        .map_or(from, |j| j + 1);
    name_at(tokens, from, verb)
}

/// The source named right before a reporting verb ("the Syrian Army also claimed").
fn source_before(
    registry: &Registry,
    actors: &[ActorMention],
    tokens: &[Token],
    verb: usize,
) -> String {
    let clause_start = (0..verb)
        .rev()
        .find(|&j| matches!(tokens[j].lower.as_str(), ";" | "that" | "while" | "after"))
        .map_or(0, |j| j + 1);
    if let Some(m) = actors
        .iter()
        .rev()
        .find(|m| m.end <= verb && m.start >= clause_start)
    {
        return source_name(registry, m);
    }
    // the subject right before the verb: "Kurdish officials said", "a military source said"
    let subject_start = (clause_start..verb)
        .rev()
        .find(|&j| tokens[j].kind == TokKind::Punct)
        .map_or(clause_start, |j| j + 1);
    let mut words: Vec<&Token> = tokens[subject_start..verb]
        .iter()
        .filter(|t| {
            !matches!(
                t.lower.as_str(),
                "also" | "later" | "reportedly" | "then" | "had" | "has" | "have"
            )
        })
        .collect();
    while words
        .first()
        .is_some_and(|t| matches!(t.lower.as_str(), "the" | "a" | "an"))
    {
        words.remove(0);
    }
    // "No casualties (were) reported": nobody said anything
    if words
        .first()
        .is_some_and(|t| matches!(t.lower.as_str(), "no" | "none" | "nothing"))
    {
        return String::new();
    }
    if (1..=5).contains(&words.len())
        && words.iter().all(|t| t.kind == TokKind::Word)
        && words.iter().any(|t| t.is_capitalized())
    {
        return words
            .iter()
            .map(|t| t.text.as_str())
            .collect::<Vec<_>>()
            .join(" ");
    }
    name_at(tokens, clause_start, verb)
}

fn source_after(
    registry: &Registry,
    actors: &[ActorMention],
    tokens: &[Token],
    from: usize,
) -> String {
    if let Some(m) = actors
        .iter()
        .find(|m| m.start >= from && m.start <= from + 1)
    {
        return source_name(registry, m);
    }
    name_at(tokens, from, tokens.len())
}

/// The first run of capitalised words in a range that names someone ("Mario Abou Zeid"):
/// not a month, a weekday or a sentence's first function word.
fn name_at(tokens: &[Token], from: usize, to: usize) -> String {
    let calendar = |w: &str| {
        matches!(
            w,
            "january"
                | "february"
                | "march"
                | "april"
                | "may"
                | "june"
                | "july"
                | "august"
                | "september"
                | "october"
                | "november"
                | "december"
                | "monday"
                | "tuesday"
                | "wednesday"
                | "thursday"
                | "friday"
                | "saturday"
                | "sunday"
        )
    };
    // a capitalised word that is not a function word ("No casualties reported" names no one)
    let starts_name = |t: &Token| {
        let function_word = matches!(
            t.lower.as_str(),
            "the"
                | "a"
                | "an"
                | "on"
                | "in"
                | "by"
                | "at"
                | "according"
                | "meanwhile"
                | "later"
                | "earlier"
                | "during"
                | "after"
                | "before"
                | "no"
                | "none"
                | "nothing"
        );
        t.kind == TokKind::Word && t.is_capitalized() && !function_word && !calendar(&t.lower)
    };
    let mut i = from;
    while i < to && !starts_name(&tokens[i]) {
        i += 1;
    }
    let start = i;
    while i < to
        && tokens[i].kind == TokKind::Word
        && (tokens[i].is_capitalized()
            || matches!(
                tokens[i].lower.as_str(),
                "al" | "el" | "bin" | "abu" | "ibn"
            ))
    {
        i += 1;
    }
    tokens[start..i]
        .iter()
        .map(|t| t.text.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::super::mentions;
    use super::super::tests::with_sentence;

    fn reports_of(text: &str) -> Vec<(usize, String, String)> {
        with_sentence(text, |cx, state| {
            mentions(cx, state);
            super::reports(cx)
                .into_iter()
                .map(|r| (r.at, r.source, r.verb))
                .collect()
        })
    }

    #[test]
    fn a_closing_report_covers_the_sentence() {
        assert_eq!(
            reports_of(
                "Two civilians were killed in Idlib, the Syrian Observatory for Human Rights said."
            ),
            [(
                0,
                "Syrian Observatory for Human Rights".to_string(),
                "said".to_string()
            )]
        );
    }

    #[test]
    fn according_to_and_a_subject_before_the_verb() {
        assert_eq!(
            reports_of("According to Mario Abou Zeid, the army advanced."),
            [(0, "Mario Abou Zeid".to_string(), "according to".to_string())]
        );
        let r = reports_of("Kurdish officials said the town fell.");
        assert_eq!(
            r,
            [(2, "Kurdish officials".to_string(), "said".to_string())]
        );
    }

    #[test]
    fn nobody_reports_no_casualties() {
        assert!(reports_of("No casualties were reported.").is_empty());
    }
}
