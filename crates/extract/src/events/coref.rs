//! Coreference of generic words: "militants" is the jihadist group named last, "the army" the
//! force of that word named last, "the town" the last town the text named.

use super::{DocState, SentenceCtx};
use crate::places::{self, PlaceMention};
use crate::registry::Registry;
use crate::text::Token;

/// "Islamic State positions … at least 34 militants were killed": "militants", "jihadists"
/// mean the jihadist group named last (in this sentence or the two before), not the country's
/// rebels at large (the SDF or a rebel faction named since is no antecedent: they are not
/// called so).
pub(super) fn militants(cx: &mut SentenceCtx<'_>, state: &mut DocState) {
    let registry = cx.registry;
    state.last_group = state
        .last_group
        .take()
        .map(|(id, age)| (id, age + 1))
        .filter(|(_, age)| *age <= 2);
    for m in cx.actors.iter_mut() {
        let words = m.text.to_lowercase();
        let words = words.strip_prefix("the ").unwrap_or(&words);
        let vague = registry
            .get(&m.actor)
            .is_some_and(|a| a.kind == "rebel_group")
            && matches!(
                words,
                "militants" | "militant" | "insurgents" | "jihadists" | "extremists" | "terrorists"
            );
        if vague {
            if let Some((id, _)) = &state.last_group {
                m.actor = id.clone();
            }
        } else if registry
            .get(&m.actor)
            .is_some_and(|a| a.kind == "jihadist_group")
        {
            state.last_group = Some((m.actor.clone(), 0));
        }
    }
}

/// "The Lebanese Army launched … By 28 August, the army had recaptured …": a generic word
/// ("the army", "troops") means the force of that word named last (in this sentence or the
/// two before), before the document's country at large.
pub(super) fn generic_forces(cx: &mut SentenceCtx<'_>, state: &mut DocState) {
    let registry = cx.registry;
    for named in state.named.iter_mut() {
        named.1 += 1;
    }
    state.named.retain(|(_, age)| *age <= 3);
    for m in cx.actors.iter_mut() {
        if registry.get(&m.actor).is_none() {
            continue;
        }
        if !registry.is_generic_of(&m.text, &m.actor) {
            state.named.retain(|(id, _)| *id != m.actor);
            state.named.push((m.actor.clone(), 0));
            continue;
        }
        let owner = state
            .named
            .iter()
            .rev()
            .find(|(id, _)| registry.is_generic_of(&m.text, id));
        if let Some((id, _)) = owner {
            m.actor = id.clone();
        }
    }
}

/// Keep the town named before this sentence for "the town" here, and remember the last one
/// this sentence names for the sentences after.
pub(super) fn remember_settlement(cx: &mut SentenceCtx<'_>, state: &mut DocState) {
    cx.earlier_settlement = state.last_settlement.clone();
    if let Some(p) = cx.places.iter().rev().find(|p| antecedent(cx, p)) {
        state.last_settlement = Some((p.text.clone(), p.near.clone()));
    }
}

/// Whether "the town" may mean this place: a settlement, and not one named only to say where
/// another lies ("the town of Zabadani, north-west of Damascus", "20 km from Homs").
fn antecedent(cx: &SentenceCtx<'_>, p: &PlaceMention) -> bool {
    is_settlement(cx.registry, &p.text) && !is_reference_point(cx.tokens, p.start)
}

/// "… retook the town" at token `at`: the last town named before, in this sentence or an
/// earlier one (not one the text called otherwise: "the town" is not one of "the villages of X
/// and Y").
pub(super) fn settlement_before(
    cx: &SentenceCtx<'_>,
    at: usize,
) -> Option<(String, Option<String>)> {
    let tokens = cx.tokens;
    let noun = tokens.get(at + 1).map_or("", |t| t.lower.as_str());
    let kind_of = |w: &str| {
        if matches!(w, "village" | "villages") {
            1
        } else if matches!(w, "town" | "towns" | "city" | "cities") {
            2
        } else {
            0
        }
    };
    let other_kind = |p: &PlaceMention| {
        introduced_as(tokens, p).is_some_and(|w| kind_of(w) != 0 && kind_of(w) != kind_of(noun))
    };
    cx.places
        .iter()
        .rev()
        .find(|p| p.end <= at && antecedent(cx, p) && !other_kind(p))
        .map(|p| (p.text.clone(), p.near.clone()))
        .or_else(|| cx.earlier_settlement.clone())
}

/// Whether "the town", "the city" or "the village" at token `j` names a settlement told before
/// ("the town of X" names X itself).
pub(super) fn names_settlement(tokens: &[Token], j: usize) -> bool {
    tokens[j].lower == "the"
        && tokens
            .get(j + 1)
            .is_some_and(|t| matches!(t.lower.as_str(), "town" | "city" | "village"))
        && tokens.get(j + 2).is_none_or(|t| t.lower != "of")
}

/// The settlement noun the text introduced a place with: "the villages of Rankous and Flita",
/// "Yabroud town".
fn introduced_as<'t>(tokens: &'t [Token], p: &PlaceMention) -> Option<&'t str> {
    let last = tokens.get(p.end.checked_sub(1)?)?.lower.as_str();
    if matches!(last, "town" | "city" | "village") {
        return Some(last);
    }
    let mut j = p.start;
    while j > 0
        && (matches!(tokens[j - 1].lower.as_str(), "," | "and")
            || tokens[j - 1].is_capitalized()
            || tokens[j - 1].lower.starts_with("al-"))
    {
        j -= 1;
    }
    (j >= 2 && tokens[j - 1].lower == "of").then(|| tokens[j - 2].lower.as_str())
}

/// Whether the place starting at token `start` is a landmark another place is located by:
/// "north-west of X", "km from X".
fn is_reference_point(tokens: &[Token], start: usize) -> bool {
    let word = |k: usize| {
        start
            .checked_sub(k)
            .and_then(|j| tokens.get(j))
            .map_or("", |t| t.lower.as_str())
    };
    let compass = |w: &str| {
        matches!(
            w,
            "north"
                | "south"
                | "east"
                | "west"
                | "northeast"
                | "northwest"
                | "southeast"
                | "southwest"
                | "north-east"
                | "north-west"
                | "south-east"
                | "south-west"
        )
    };
    match word(1) {
        "of" => {
            compass(word(2))
                || (word(2) == "-" && compass(word(3)))
                || matches!(word(2), "km" | "kilometres" | "kilometers" | "miles")
        }
        "from" => matches!(
            word(2),
            "km" | "kilometres" | "kilometers" | "miles" | "away"
        ),
        _ => false,
    }
}

/// Whether a place mention names a town or city (not a hill, a road, an area or a country).
fn is_settlement(registry: &Registry, text: &str) -> bool {
    let last = text.rsplit(' ').next().unwrap_or("").to_lowercase();
    let other_kind = places::words().heads_after.contains(&last.as_str())
        && !matches!(
            last.as_str(),
            "town" | "city" | "village" | "suburb" | "neighbourhood" | "neighborhood" | "quarter"
        );
    !other_kind && !registry.is_country_name(text)
}

#[cfg(test)]
mod tests {
    use super::super::tests::with_sentences;
    use super::super::{actors, mentions};

    #[test]
    fn militants_are_the_jihadist_group_named_last() {
        with_sentences(
            &[
                "Islamic State fighters attacked Palmyra.",
                "At least 34 militants were killed.",
            ],
            |cx, state, last| {
                actors::find(cx);
                super::militants(cx, state);
                if last {
                    assert_eq!(cx.actors.len(), 1);
                    assert_eq!(cx.actors[0].actor, "isil");
                }
            },
        );
    }

    #[test]
    fn the_army_is_the_force_named_last() {
        // (the document is about Syria: "the army" alone would be Syria's)
        let text = [
            "Syrian rebels retreated to the Syrian border in Syria.",
            "The Lebanese Army launched an offensive on 19 August.",
            "By 28 August, the army had recaptured the hills.",
        ];
        with_sentences(&text, |cx, state, last| {
            actors::find(cx);
            let before = cx
                .actors
                .iter()
                .map(|m| m.actor.clone())
                .collect::<Vec<_>>();
            super::generic_forces(cx, state);
            if last {
                assert_eq!(before, ["saa"]);
                assert_eq!(
                    cx.actors
                        .iter()
                        .map(|m| m.actor.as_str())
                        .collect::<Vec<_>>(),
                    ["laf"]
                );
            }
        });
    }

    #[test]
    fn the_town_is_the_last_town_named_not_a_landmark() {
        with_sentences(
            &[
                "Rebels shelled the town of Zabadani, north-west of Damascus.",
                "The army retook the town.",
            ],
            |cx, state, last| {
                mentions(cx, state);
                if last {
                    let at = cx.tokens.iter().rposition(|t| t.lower == "the").unwrap();
                    assert!(super::names_settlement(cx.tokens, at));
                    assert_eq!(
                        super::settlement_before(cx, at).map(|(m, _)| m),
                        Some("Zabadani".to_string())
                    );
                }
            },
        );
    }
}
