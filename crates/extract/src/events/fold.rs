//! Folding: clauses that tell one act fold into one event, each rule its own function, applied
//! in this order by [`all`]. A folded clause points to its host (`folded_into`); the root of a
//! chain is the event.

use super::candidates::violence;
use super::clauses::Clause;
use super::{SentenceCtx, DELIMITERS};
use crate::text::TokKind;
use crate::Kind;

/// Every folding rule, in order.
pub(super) fn all(cx: &SentenceCtx<'_>, clauses: &mut [Clause]) {
    shared_object(cx, clauses);
    noun_phrase_subject(cx, clauses);
    cause_told_after(cx, clauses);
    injured_of_the_act(cx, clauses);
    who_relative(cx, clauses);
    elaboration(cx, clauses);
}

/// The clause a clause is folded into at last (itself when it is not folded).
pub(super) fn root_of(clauses: &[Clause], mut k: usize) -> usize {
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

/// Coordination on one object: "attacked and recaptured X" folds the first into the second;
/// the event is what the stronger verb says ("shot and killed" is an attack).
fn shared_object(cx: &SentenceCtx<'_>, clauses: &mut [Clause]) {
    for k in 1..clauses.len() {
        let between: Vec<&str> = cx.tokens[clauses[k - 1].cand.end..clauses[k].cand.start]
            .iter()
            .map(|t| t.lower.as_str())
            .collect();
        let shared = !between.is_empty()
            && between
                .iter()
                .all(|w| matches!(*w, "and" | "or" | "then" | "also") || w.ends_with("ly"))
            && !clauses[k - 1].own_place
            && !clauses[k].cand.copy;
        if shared {
            clauses[k - 1].folded_into = Some(k);
            if clauses[k - 1].cand.priority > clauses[k].cand.priority {
                clauses[k].cand.kind = clauses[k - 1].cand.kind;
                clauses[k].cand.priority = clauses[k - 1].cand.priority;
                clauses[k].cand.acled = clauses[k - 1]
                    .cand
                    .acled
                    .clone()
                    .or(clauses[k].cand.acled.take());
                clauses[k].cand.trigger = format!(
                    "{} and {}",
                    clauses[k - 1].cand.trigger,
                    clauses[k].cand.trigger
                );
            }
        }
    }
}

/// "an explosion hit a fuel tanker": a noun-phrase predicate is the subject of the verb right
/// after it, one event (the noun says what kind of explosion, the verb whom it struck).
fn noun_phrase_subject(cx: &SentenceCtx<'_>, clauses: &mut [Clause]) {
    let tokens = cx.tokens;
    for k in 1..clauses.len() {
        let (a, b) = (&clauses[k - 1].cand, &clauses[k].cand);
        // "an explosion of a landmine left over from the war killed …": an "of" phrase between
        let of_phrase = tokens.get(a.end).is_some_and(|t| t.lower == "of")
            && b.start - a.end <= 9
            && tokens[a.end..b.start]
                .iter()
                .all(|t| t.kind == TokKind::Word && !DELIMITERS.contains(&t.lower.as_str()));
        // (the article may stand before a name: "an ISIL suicide bomber blew himself up")
        let noun_phrase = (a.start.saturating_sub(2)..=a.start).any(|j| {
            matches!(tokens[j].lower.as_str(), "a" | "an" | "the")
                && (j == a.start
                    || tokens[j + 1..a.start]
                        .iter()
                        .all(|t| t.kind == TokKind::Word && t.is_capitalized()))
        });
        if (a.end == b.start || of_phrase)
            && noun_phrase
            && clauses[k - 1].folded_into.is_none()
            && !b.copy
        {
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
}

/// "was killed after being shot by gunmen", "… were killed when a shell exploded", "killed in an
/// attack by IS": deaths told before their cause are the cause's, one event told by the stronger
/// verb (every death and injury before it: "a woman was killed and her husband injured when
/// gunmen opened fire").
fn cause_told_after(cx: &SentenceCtx<'_>, clauses: &mut [Clause]) {
    let tokens = cx.tokens;
    for k in 1..clauses.len() {
        let at = clauses[k].cand.start;
        let after_being =
            at >= 2 && tokens[at - 1].lower == "being" && tokens[at - 2].lower == "after";
        // a cause: an attack or a strike told after the deaths
        let cause = matches!(
            clauses[k].cand.kind,
            Kind::Bombardment | Kind::Attack | Kind::Clash
        ) && clauses[k - 1].cand.end <= at;
        // "… were killed when a shell exploded in their house": the cause told after "when"
        let when_cause = cause && (clauses[k].from..at).any(|j| tokens[j].lower == "when");
        // "… were killed in an attack by IS", "killed in an explosion": the cause told by "in"
        let in_cause = cause
            && (tokens[at].lower == "in"
                || (at >= 1 && tokens[at - 1].lower == "in")
                || (at >= 2
                    && tokens[at - 2].lower == "in"
                    && matches!(tokens[at - 1].lower.as_str(), "a" | "an" | "the")));
        if !(after_being || when_cause || in_cause) {
            continue;
        }
        let mut j = k;
        while j > 0
            && clauses[j - 1].cand.kind == Kind::Casualties
            && clauses[j - 1].folded_into.is_none()
        {
            j -= 1;
            clauses[j].folded_into = Some(k);
            if clauses[k].cand.fatalities.is_none() {
                clauses[k].cand.fatalities = clauses[j].cand.fatalities.take();
            }
        }
    }
}

/// "74 people were killed and more than 550 injured in …": the injured of the same act.
fn injured_of_the_act(cx: &SentenceCtx<'_>, clauses: &mut [Clause]) {
    for k in 1..clauses.len() {
        let (a, b) = (&clauses[k - 1], &clauses[k]);
        let injured = matches!(
            b.cand.trigger.to_lowercase().as_str(),
            "injured" | "wounded"
        );
        let joined = cx
            .tokens
            .get(a.cand.end..b.cand.start)
            .is_some_and(|between| between.len() <= 6 && between.iter().any(|t| t.lower == "and"));
        if a.cand.kind == Kind::Casualties
            && b.cand.kind == Kind::Casualties
            && injured
            && joined
            && a.folded_into.is_none()
            && b.folded_into.is_none()
        {
            clauses[k].folded_into = Some(k - 1);
        }
    }
}

/// "killed by unknown gunmen who opened fire on him in Busra": a relative clause on the agent
/// tells how the same act was done.
fn who_relative(cx: &SentenceCtx<'_>, clauses: &mut [Clause]) {
    for k in 1..clauses.len() {
        let at = clauses[k].cand.start;
        if at >= 1
            && cx.tokens[at - 1].lower == "who"
            && violence(clauses[k].cand.kind)
            && violence(clauses[k - 1].cand.kind)
            && clauses[k].folded_into.is_none()
            && clauses[k - 1].folded_into.is_none()
        {
            clauses[k].folded_into = Some(k - 1);
        }
    }
}

/// Elaboration: a clause with no place and no date of its own folds into the one before
/// ("captured X, securing the roads"); but "… after the Islamic Front withdrew": a clause with
/// a subject of its own, other than the host's, tells its own event (unless it is an attempt
/// that failed).
fn elaboration(cx: &SentenceCtx<'_>, clauses: &mut [Clause]) {
    let actors = &cx.actors;
    for k in 1..clauses.len() {
        if clauses[k].folded_into.is_some()
            || clauses[k].cand.copy
            || clauses[k].own_place
            || clauses[k].own_date
        {
            continue;
        }
        let mut host = k - 1;
        while let Some(h) = clauses[host].folded_into {
            if h == k {
                break;
            }
            host = h;
        }
        let own_subject = !clauses[k].agents.is_empty()
            && !clauses[k].cand.failed
            && clauses[k].agents.iter().all(|&a| {
                !clauses[host]
                    .agents
                    .iter()
                    .any(|&b| actors[b].actor == actors[a].actor)
            });
        if own_subject {
            continue;
        }
        if clauses[host].folded_into != Some(k) {
            clauses[k].folded_into = Some(host);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::clauses::Clause;
    use super::super::tests::with_clauses;
    use super::super::SentenceCtx;

    /// The triggers of `text`'s clauses and where each folds after `rule` alone (before it, none
    /// folds).
    fn folded(
        text: &str,
        rule: fn(&SentenceCtx<'_>, &mut [Clause]),
    ) -> Vec<(String, Option<usize>)> {
        with_clauses(text, false, |cx, clauses| {
            assert!(clauses.iter().all(|c| c.folded_into.is_none()));
            rule(cx, clauses);
            clauses
                .iter()
                .map(|c| (c.cand.trigger.clone(), c.folded_into))
                .collect()
        })
    }

    fn into(v: &[(String, Option<usize>)]) -> Vec<Option<usize>> {
        v.iter().map(|c| c.1).collect()
    }

    #[test]
    fn verbs_sharing_an_object_fold_into_the_last() {
        let f = folded(
            "Gunmen shot and killed a shepherd in Daraa.",
            super::shared_object,
        );
        assert_eq!(into(&f), [Some(1), None]);
        assert_eq!(f[1].0, "shot and killed");
    }

    #[test]
    fn a_noun_phrase_predicate_is_the_subject_of_the_verb_after() {
        let f = folded(
            "An explosion hit a fuel tanker in Azaz.",
            super::noun_phrase_subject,
        );
        assert_eq!(into(&f), [Some(1), None]);
    }

    #[test]
    fn deaths_before_their_cause_fold_into_it() {
        let f = folded(
            "Two civilians were killed when a shell hit their house in Idlib.",
            super::cause_told_after,
        );
        assert_eq!(into(&f), [Some(1), None]);
    }

    #[test]
    fn the_injured_fold_into_the_dead_of_the_act() {
        let f = folded(
            "74 people were killed and more than 550 injured in Beirut.",
            super::injured_of_the_act,
        );
        assert_eq!(into(&f), [None, Some(0)]);
    }

    #[test]
    fn a_relative_clause_on_the_agent_tells_how() {
        let f = folded(
            "A man was killed by gunmen who opened fire on him in Busra.",
            super::who_relative,
        );
        assert_eq!(f.last().map(|c| c.1), Some(Some(f.len() - 2)));
    }

    #[test]
    fn a_clause_without_place_or_date_elaborates_unless_it_has_its_own_subject() {
        let f = folded(
            "The Syrian Army captured Tal Kalakh, securing the roads.",
            super::elaboration,
        );
        assert_eq!(into(&f), [None, Some(0)]);
        let f = folded(
            "Hezbollah captured Qusayr after the Islamic Front withdrew.",
            super::elaboration,
        );
        assert_eq!(into(&f), [None, None]);
    }

    #[test]
    fn the_root_of_a_chain() {
        with_clauses(
            "On 2 March 2012, the Syrian Army captured Tal Kalakh, securing the roads to the town.",
            true,
            |_, clauses| {
                assert_eq!(super::root_of(clauses, 1), 0);
                assert_eq!(super::root_of(clauses, 0), 0);
            },
        );
    }
}
