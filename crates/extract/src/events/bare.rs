//! What a sentence leaves bare takes from the events before it: a bare count of the dead sums
//! up the event before, "it" is the place just told, "the operation" the offensive told before.

use super::{dates, DocState};
use crate::{Event, Extraction, Kind};

/// Add the sentence's events (in order) to the document's, filling in what they leave bare.
pub(super) fn push(made: Vec<(usize, Event)>, state: &mut DocState, out: &mut Extraction) {
    if bare_count(&made, out) {
        return;
    }
    for (_, mut ev) in made {
        ev.order = out.events.len();
        it_place(&mut ev, out);
        the_operation(&mut ev, out);
        dates::remember_event(&ev, state);
        out.events.push(ev);
    }
}

/// A bare count of the dead ("4 fatalities.") sums up the event before it ("3 regime soldiers
/// were killed." stays an event of its own: a narrative's casualties; the ACLED export folds
/// it). Whether the sentence was one.
fn bare_count(made: &[(usize, Event)], out: &mut Extraction) -> bool {
    if made.is_empty()
        || !made
            .iter()
            .all(|(_, e)| e.kind == Kind::Casualties && e.actors.is_empty() && e.places.is_empty())
    {
        return false;
    }
    let Some(last) = out
        .events
        .iter_mut()
        .rev()
        .find(|e| e.kind != Kind::Statement)
    else {
        return false;
    };
    let n = made.iter().filter_map(|(_, e)| e.fatalities).max();
    // the coder's figure is the note's ("Scores of militiamen were killed. Scores of fatalities
    // coded as 20."), larger or smaller than what the text counted
    let coders = made
        .iter()
        .any(|(_, e)| e.sentence.to_lowercase().contains("coded as"));
    if n > last.fatalities || coders && n.is_some() {
        last.fatalities = n;
    }
    true
}

/// "lost control of the hill, only to retake it": "it" after the verb is the place of the event
/// told just before.
fn it_place(ev: &mut Event, out: &Extraction) {
    if ev.places.is_empty()
        && matches!(
            ev.kind,
            Kind::Capture | Kind::Withdrawal | Kind::Siege | Kind::Attack | Kind::Bombardment
        )
    {
        let pronoun = format!("{} it", ev.trigger.to_lowercase());
        if ev.span.to_lowercase().contains(&pronoun) {
            if let Some(before) = out.events.last().filter(|e| !e.places.is_empty()) {
                ev.places = before.places.clone();
            }
        }
    }
}

/// "The operation began on 15 November": the offensive the text told of before, with its actors
/// (and its places, when this sentence names none).
fn the_operation(ev: &mut Event, out: &Extraction) {
    if ev.kind == Kind::Offensive && ev.actors.is_empty() {
        let span = ev.span.to_lowercase();
        let definite = [
            "the offensive",
            "the operation",
            "the campaign",
            "the assault",
            "the attack",
        ]
        .iter()
        .any(|d| span.starts_with(d) || span.contains(&format!(", {d}")));
        if let Some(before) = out
            .events
            .iter()
            .rev()
            .find(|e| matches!(e.kind, Kind::Offensive | Kind::Attack) && !e.actors.is_empty())
            .filter(|_| definite)
        {
            ev.actors = before.actors.clone();
            if ev.places.is_empty() {
                ev.places = before.places.clone();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::{Document, Event, Extraction, Extractor, Kind};

    fn events(text: &str) -> Vec<Event> {
        Extractor::builtin()
            .extract(Document {
                text,
                title: "",
                published: None,
            })
            .events
    }

    #[test]
    fn a_bare_count_sums_up_the_event_before() {
        let mut out = Extraction {
            events: events("On 3 May 2022, regime forces shelled Daraa, killing 3 civilians."),
            ..Default::default()
        };
        let made: Vec<(usize, Event)> = events("On 3 May 2022, 4 fatalities.")
            .into_iter()
            .map(|e| (0, e))
            .collect();
        assert!(made
            .iter()
            .all(|(_, e)| e.kind == Kind::Casualties && e.places.is_empty()));
        assert!(super::bare_count(&made, &mut out));
        assert_eq!(out.events.last().and_then(|e| e.fatalities), Some(4));
    }

    #[test]
    fn it_is_the_place_just_told() {
        let out = Extraction {
            events: events("On 3 May 2022, rebels captured Tal Kalakh."),
            ..Default::default()
        };
        let mut ev = events("On 4 May 2022, the army attacked it.").remove(0);
        assert!(ev.places.is_empty());
        super::it_place(&mut ev, &out);
        assert_eq!(ev.places[0].mention, "Tal Kalakh");
    }

    #[test]
    fn the_operation_is_the_offensive_told_before() {
        let out = Extraction {
            events: events("On 3 May 2022, the Syrian Army launched an offensive on Qusayr."),
            ..Default::default()
        };
        let mut ev = events("The operation began on 15 May 2022.").remove(0);
        assert!(ev.actors.is_empty());
        super::the_operation(&mut ev, &out);
        assert_eq!(ev.actors[0].id, "saa");
    }
}
