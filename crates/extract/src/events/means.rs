//! The last pass over a document's events: what each was done with ([`Means`]), read in its
//! trigger and clause; whether its sentence tells of bodies found; whether its count of the dead
//! adds to the one before. The export maps these to ACLED's columns; nothing downstream reads the
//! text again for them.

use crate::lexicon::Lexicon;
use crate::{Event, Means};

/// The means named in an event's trigger and clause, in [`Means`] order.
pub fn of(lexicon: &Lexicon, trigger: &str, span: &str) -> Vec<Means> {
    let text = format!("{trigger} {span}").to_lowercase();
    let words: Vec<&str> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    // a cue is the start of a word ("detonat" → "detonated"), or a phrase of words; never the
    // middle of one ("ied" is not in "unidentified")
    let named = |cue: &String| {
        if cue.contains(' ') {
            text.contains(cue.as_str())
        } else {
            words.iter().any(|w| w.starts_with(cue.as_str()))
        }
    };
    lexicon
        .means
        .iter()
        .filter(|(_, cues)| cues.iter().any(named))
        .map(|(m, _)| *m)
        .collect()
}

/// The sentence tells of bodies found: "the bodies of two men were found", "found shot dead".
pub fn bodies_found(lexicon: &Lexicon, sentence: &str) -> bool {
    let b = &lexicon.bodies_found;
    let sentence = sentence.to_lowercase();
    let noun = sentence
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| b.nouns.iter().any(|n| n == w));
    (noun && b.with.iter().any(|w| sentence.contains(w.as_str())))
        || b.phrases.iter().any(|p| sentence.contains(p.as_str()))
}

/// The sentence's count of the dead adds to the one before: "4 IS members were also killed".
pub fn count_adds(lexicon: &Lexicon, sentence: &str) -> bool {
    sentence
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| lexicon.count_adds.contains(&w.to_lowercase()))
}

/// Codes the means, bodies found and adding counts of every event.
pub(super) fn code(lexicon: &Lexicon, events: &mut [Event]) {
    for e in events {
        e.means = of(lexicon, &e.trigger, &e.span);
        e.body_found = bodies_found(lexicon, &e.sentence);
        e.count_adds = count_adds(lexicon, &e.sentence);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cue_is_the_start_of_a_word_or_a_phrase() {
        let l = Lexicon::builtin();
        assert_eq!(
            of(&l, "detonated", "an explosive device detonated"),
            vec![Means::ExplosiveDevice, Means::Explosive]
        );
        // "ied" is not in "unidentified"
        assert_eq!(of(&l, "attacked", "unidentified men attacked"), vec![]);
        assert_eq!(
            of(&l, "conducted", "conducted an air strike on the village"),
            vec![Means::Aircraft, Means::AirOrBomb]
        );
        assert_eq!(
            of(&l, "fired", "gunmen fired 82mm mortars"),
            vec![Means::Artillery, Means::SmallArms]
        );
    }

    #[test]
    fn bodies_found_by_noun_and_verb_or_by_phrase() {
        let l = Lexicon::builtin();
        assert!(bodies_found(
            &l,
            "The bodies of two men were found near the road."
        ));
        assert!(bodies_found(&l, "A shepherd was found shot dead."));
        assert!(!bodies_found(&l, "Two bodies were recovered."));
        assert!(!bodies_found(&l, "Troops found a weapons cache."));
    }

    #[test]
    fn a_count_adds_by_its_words() {
        let l = Lexicon::builtin();
        assert!(count_adds(&l, "4 IS members were Also killed."));
        assert!(!count_adds(&l, "Three soldiers were killed."));
    }
}
