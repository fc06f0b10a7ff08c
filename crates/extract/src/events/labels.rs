//! Coders' notes and labels: "Coded to Beirut." places the events told without a place; a label
//! ("Security measures: On 16 January …") says what the note tells.

use super::{push_actor, SentenceCtx, SentenceFacts};
use crate::{Event, EventActor, Extraction, Role};

/// A coder's note of where the events told without a place, or only with their country, were
/// placed ("… across Lebanon. Coded to Beirut.", ACLED's convention for nationwide events).
/// Whether the sentence was such a note (it codes nothing then).
pub(super) fn coded_to(cx: &SentenceCtx<'_>, out: &mut Extraction) -> bool {
    let tokens = cx.tokens;
    let coded_to = tokens.len() >= 3 && tokens[0].lower == "coded" && tokens[1].lower == "to";
    if !coded_to || cx.places.is_empty() {
        return false;
    }
    for e in out.events.iter_mut().filter(|e| {
        e.places
            .iter()
            .all(|p| cx.registry.is_country_name(&p.mention))
    }) {
        e.places = cx.all_places();
    }
    true
}

/// A coder's label decides the kind of what the verbs coded, and is an event of its own where
/// they coded nothing (or only statements); with no one named, the label's people ("Displacement:
/// … 27 000 people were evacuated").
pub(super) fn apply(cx: &SentenceCtx<'_>, facts: &SentenceFacts, made: &mut Vec<(usize, Event)>) {
    let registry = cx.registry;
    let Some(label) = cx.lexicon.label(cx.tokens) else {
        return;
    };
    if made.iter().all(|(_, e)| e.kind == crate::Kind::Statement) {
        made.clear();
        let mut list: Vec<EventActor> = Vec::new();
        for m in &cx.actors {
            push_actor(
                registry,
                &m.actor,
                &m.text,
                Role::Agent,
                facts.when.earliest,
                &mut list,
            );
        }
        let mut ev = cx.whole_sentence_event(facts, label.kind, label.label.clone());
        ev.actors = list;
        ev.places = cx.all_places();
        ev.acled_sub_event_type = label.acled.clone();
        made.push((0, ev));
    }
    for (_, e) in made.iter_mut() {
        e.kind = label.kind;
        e.acled_sub_event_type = label.acled.clone();
        if e.actors.is_empty() {
            if let Some(id) = label
                .actor
                .as_deref()
                .and_then(|w| registry.generic(w, cx.focus))
            {
                push_actor(
                    registry,
                    &id,
                    label.actor.as_deref().unwrap_or(""),
                    Role::Agent,
                    facts.when.earliest,
                    &mut e.actors,
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::with_sentence;
    use super::super::{mentions, SentenceFacts};
    use crate::{Extraction, Kind, When};

    fn facts() -> SentenceFacts {
        SentenceFacts {
            when: When::unknown(),
            hedged: false,
            bodies: None,
        }
    }

    #[test]
    fn a_label_alone_is_an_event_of_its_kind() {
        with_sentence(
            "Security measures: On 16 January, the Lebanese Army set up checkpoints in Tripoli.",
            |cx, state| {
                mentions(cx, state);
                let mut made = Vec::new();
                super::apply(cx, &facts(), &mut made);
                assert_eq!(made.len(), 1);
                assert_eq!(made[0].1.kind, Kind::Development);
                assert_eq!(
                    made[0]
                        .1
                        .places
                        .iter()
                        .map(|p| p.mention.as_str())
                        .collect::<Vec<_>>(),
                    ["Tripoli"]
                );
            },
        );
    }

    #[test]
    fn coded_to_places_the_events_placed_only_by_their_country() {
        with_sentence("Coded to Beirut.", |cx, state| {
            mentions(cx, state);
            let x = crate::Extractor::builtin();
            let before = x.extract(crate::Document {
                text: "On 3 May 2022, protesters demonstrated across Lebanon.",
                title: "",
                published: None,
            });
            let mut out = Extraction {
                events: before.events,
                ..Default::default()
            };
            assert_eq!(out.events[0].places[0].mention, "Lebanon");
            assert!(super::coded_to(cx, &mut out));
            assert_eq!(out.events[0].places[0].mention, "Beirut");
        });
    }
}
