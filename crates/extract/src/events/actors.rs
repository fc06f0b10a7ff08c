//! Actor mentions: the registry's actors, then the organisations it lacks (provisional actors);
//! once coreference has run, the tokens they cover.

use super::SentenceCtx;
use crate::registry::ActorMention;

/// The actors the sentence names outside its dates, in order.
pub(super) fn find(cx: &mut SentenceCtx<'_>) {
    let (registry, tokens) = (cx.registry, cx.tokens);
    // a coder's label names no actor ("Change to armed group: …")
    let after_label = cx
        .lexicon
        .label(tokens)
        .and_then(|_| tokens.iter().position(|t| t.text == ":"))
        .map_or(0, |colon| colon + 1);
    let mut actors: Vec<ActorMention> = registry
        .find(tokens, cx.focus)
        .into_iter()
        .filter(|m| !cx.taken[m.start] && m.start >= after_label)
        .collect();
    // organisations the registry lacks become provisional actors, not dropped
    let mut busy = cx.taken.clone();
    for m in &actors {
        for t in busy.iter_mut().take(m.end).skip(m.start) {
            *t = true;
        }
    }
    actors.extend(registry.find_provisional(tokens, &busy));
    actors.sort_by_key(|m| m.start);
    cx.actors = actors;
}

/// Mark the tokens the actors' names cover, and where each name ends.
pub(super) fn mark(cx: &mut SentenceCtx<'_>) {
    for m in &cx.actors {
        for t in cx.taken.iter_mut().take(m.end).skip(m.start) {
            *t = true;
        }
        cx.is_actor_end[m.end - 1] = true;
    }
    // "Hezbollah forces", "ISIL fighters": the noun after belongs to the mention
    for (k, t) in cx.tokens.iter().enumerate() {
        if k > 0
            && cx.is_actor_end[k - 1]
            && matches!(
                t.lower.as_str(),
                "forces" | "fighters" | "troops" | "units" | "militants"
            )
        {
            cx.is_actor_end[k] = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::with_sentence;

    /// The actors of `text` after `find` and `mark`: (start, end, id), and where names end.
    fn marked(text: &str) -> (Vec<(usize, usize, String)>, Vec<bool>, Vec<bool>) {
        with_sentence(text, |cx, _| {
            super::find(cx);
            super::mark(cx);
            (
                cx.actors
                    .iter()
                    .map(|m| (m.start, m.end, m.actor.clone()))
                    .collect(),
                cx.is_actor_end.clone(),
                cx.taken.clone(),
            )
        })
    }

    #[test]
    fn registry_actors_then_provisional_organisations_outside_dates() {
        let (actors, _, taken) =
            marked("On 3 May 2022, the Syrian Army and the Free Lions Brigade attacked Qusayr.");
        assert_eq!(
            actors,
            [
                (6, 8, "saa".to_string()),
                (10, 13, "prov:free-lions-brigade".to_string())
            ]
        );
        // the date and both names are taken; "attacked" is not
        assert_eq!(
            taken
                .iter()
                .enumerate()
                .filter(|t| *t.1)
                .map(|t| t.0)
                .collect::<Vec<_>>(),
            [1, 2, 3, 6, 7, 10, 11, 12]
        );
    }

    #[test]
    fn the_noun_after_a_name_ends_it() {
        let (_, ends, _) = marked("The Free Lions Brigade fighters attacked Qusayr.");
        assert_eq!(ends[3..6], [true, true, false]);
    }
}
