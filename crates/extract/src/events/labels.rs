//! Coders' notes and labels: "Coded to Beirut." places the events told without a place; a label
//! ("Security measures: On 16 January …") says what the note tells.

use super::{push_actor, SentenceCtx, SentenceFacts};
use crate::text::TokKind;
use crate::{Event, EventActor, EventPlace, Extraction, Role};

/// Lower-case Arabic and Romance particles inside a place's name ("Aden - Jawlat al Matar").
const NAME_PARTICLES: &[&str] = &[
    "al", "el", "ad", "ar", "as", "an", "de", "del", "la", "le", "du",
];

/// A coder's note of where the sentence's events are coded, inside the sentence: "(coded to
/// Kropyvnytskyi)", "[coded as Pana with GP2]", "coded at zonal capital, Jinka", "(coded to zone
/// capital, Shambu, Horo Gudru Wellega, Oromia)": the place named after "coded to", "as" or
/// "at" and a few lower-case words, with the divisions after it as its `near`. Not a figure
/// ("coded as 3"), another event ("coded to Talakivka event"), "coded separately" or an actor
/// ("coded as Police Force of Israel").
pub(super) fn coded_place(cx: &SentenceCtx<'_>) -> Option<EventPlace> {
    let t = cx.tokens;
    let word = |k: usize| t.get(k).map_or("", |x| x.lower.as_str());
    let capital = |k: usize| {
        t.get(k).is_some_and(|x| {
            x.kind == TokKind::Word && x.text.chars().next().is_some_and(char::is_uppercase)
        })
    };
    let at =
        (0..t.len()).find(|&k| word(k) == "coded" && matches!(word(k + 1), "to" | "as" | "at"))?;
    // "zonal capital,", "the nearby urban center,", "admin center,": up to five such words
    let mut k = at + 2;
    while k < at + 7
        && !capital(k)
        && (t
            .get(k)
            .is_some_and(|x| x.kind == TokKind::Word && x.text == x.lower)
            || word(k) == ",")
    {
        k += 1;
    }
    if !capital(k) {
        return None;
    }
    let start = k;
    while capital(k) || (NAME_PARTICLES.contains(&word(k)) || word(k) == "-") && capital(k + 1) {
        k += 1;
    }
    let name: Vec<&str> = t[start..k].iter().map(|x| x.text.as_str()).collect();
    let org = name.iter().any(|w| {
        crate::places::words()
            .org_heads
            .contains(&w.to_lowercase().as_str())
    });
    // the name ends the coder's words, or a place's head does ("coded as Burdwan city"); a
    // name going on as a noun phrase is none ("coded as Darfur communal militia")
    let w = crate::places::words();
    let ends = t.get(k).is_none_or(|x| x.kind != TokKind::Word)
        || matches!(word(k), "with" | "in" | "on" | "and")
        || w.heads_after.contains(&word(k))
        || w.division_words.contains(&word(k));
    if org || !ends {
        return None;
    }
    let known = cx.places.iter().find(|p| p.start == start);
    let mention = match known {
        Some(p) => p.text.clone(),
        None => name.join(" "),
    };
    // the divisions after it: "(Lucknow district, UP)" or ", Horo Gudru Wellega, Oromia)"
    let near = known.and_then(|p| p.near.clone()).or_else(|| {
        let open = match word(k) {
            "(" => k + 1,
            "," => k + 1,
            _ => return None,
        };
        let close = (open..t.len()).find(|&j| matches!(word(j), ")" | "]" | "." | ";"))?;
        let parts: Vec<String> = t[open..close]
            .split(|x| x.text == "," || x.text == "(")
            .map(|ws| {
                ws.iter()
                    .map(|x| x.text.as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .filter(|p| !p.is_empty())
            .collect();
        (!parts.is_empty()).then(|| parts.join(", "))
    });
    Some(EventPlace { mention, near })
}

/// The coder's place first among an event's places (ACLED's location of the event); told with
/// no divisions of its own, it lies in those of the place it stands for ("Simbanda (Mambasa,
/// Ituri) [coded to Mambasa]": Mambasa in Ituri). The places it does not hold are no place of
/// the event ("… the agreement between Baghdad and Erbil … Coded as Khanaqin district").
pub(super) fn place_first(e: &mut Event, coded: &EventPlace) {
    let mut p = coded.clone();
    if p.near.is_none() {
        p.near = e
            .places
            .first()
            .and_then(|f| f.near.as_deref())
            .map(|n| {
                n.split(", ")
                    .filter(|part| !part.eq_ignore_ascii_case(&p.mention))
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .filter(|n| !n.is_empty());
    }
    let head = p.mention.split(' ').next().unwrap_or("").to_string();
    e.places.retain(|q| {
        q.mention != p.mention
            && q.near
                .as_deref()
                .is_some_and(|n| n.split(", ").any(|part| part.starts_with(&head)))
    });
    e.places.insert(0, p);
}

/// A coder's note in a sentence of its own ("Location coded to Gusau (Gusau, Zamfara).")
/// places the events of the sentence before it that told any.
pub(super) fn coded_before(out: &mut Extraction, coded: &EventPlace) {
    let Some(last) = out.events.iter().map(|e| e.sentence_index).max() else {
        return;
    };
    for e in out.events.iter_mut().filter(|e| e.sentence_index == last) {
        place_first(e, coded);
    }
}

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
