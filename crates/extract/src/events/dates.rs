//! Dates: the tokens each date of the sentence covers, the interval of a sentence that states
//! none, the sentence's own date, and each event's.

use chrono::{Datelike, NaiveDate};

use super::clauses::Clause;
use super::{DocState, SentenceCtx};
use crate::text::{plain_lower, Token};
use crate::timex::{Basis, Granularity, Narrative, Timex};
use crate::{DateBasis, Event, Precision, When};

/// The token range of each timex.
pub(super) fn token_ranges(tokens: &[Token], timexes: &[Timex]) -> Vec<(usize, usize)> {
    let n = tokens.len();
    let tok_of = |byte: usize| tokens.iter().position(|t| t.start >= byte).unwrap_or(n);
    timexes
        .iter()
        .map(|t| {
            (
                tok_of(t.start),
                tokens
                    .iter()
                    .rposition(|k| k.end <= t.end)
                    .map_or(n, |p| p + 1),
            )
        })
        .collect()
}

/// The tokens the date ranges cover (no actor, predicate or place is read there).
pub(super) fn covered(n: usize, ranges: &[(usize, usize)]) -> Vec<bool> {
    let mut taken = vec![false; n];
    for &(a, b) in ranges {
        for t in taken.iter_mut().take(b.min(n)).skip(a) {
            *t = true;
        }
    }
    taken
}

/// The interval of a sentence that states no date: from the narrative's current date to the next
/// date the text states (or the end of the current month), never an invented exact day.
pub(super) fn inherited_when(
    anchor: &crate::timex::Anchor,
    next: Option<NaiveDate>,
    narrative: &Narrative,
) -> When {
    let month_end = |y: i32, m: u32| {
        let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
        NaiveDate::from_ymd_opt(ny, nm, 1).and_then(|d| d.pred_opt())
    };
    let (lo, default_hi) = match (anchor.day, anchor.month, anchor.year) {
        (Some(d), _, _) => (Some(d), month_end(d.year_ce().1 as i32, d.month0() + 1)),
        (None, Some((y, m)), _) => (NaiveDate::from_ymd_opt(y, m, 1), month_end(y, m)),
        (None, None, Some(y)) => (
            NaiveDate::from_ymd_opt(y, 1, 1),
            NaiveDate::from_ymd_opt(y, 12, 31),
        ),
        _ => match narrative
            .title_interval()
            .or(narrative.published().map(|p| (p, p)))
        {
            Some((a, b)) => (Some(a), Some(b)),
            None => return When::unknown(),
        },
    };
    let Some(lo) = lo else { return When::unknown() };
    let hi = match next {
        Some(n) if n >= lo => n,
        _ => default_hi.unwrap_or(lo),
    };
    // a report tells nothing after it was published
    let hi = narrative
        .published()
        .filter(|p| *p >= lo)
        .map_or(hi, |p| hi.min(p));
    let precision = if hi == lo {
        Precision::Day
    } else {
        Precision::Days
    };
    When {
        earliest: Some(lo),
        latest: Some(hi),
        precision,
        basis: DateBasis::PreviousEvent,
        text: String::new(),
        ambiguous: false,
        inherited: true,
    }
}

pub(super) fn when_of(t: &Timex) -> When {
    let precision = match t.granularity {
        Granularity::Day => Precision::Day,
        Granularity::Days => Precision::Days,
        Granularity::Week => Precision::Week,
        Granularity::Month => {
            if t.modifier.is_some() && t.earliest.day() != 1
                || (t.latest - t.earliest).num_days() < 27
            {
                Precision::Days
            } else {
                Precision::Month
            }
        }
        Granularity::Season => Precision::Season,
        Granularity::Year | Granularity::Decade => Precision::Year,
    };
    let basis = match t.basis {
        Basis::Explicit => DateBasis::Explicit,
        Basis::Title => DateBasis::DocumentTitle,
        Basis::Published => DateBasis::PublishedDate,
        Basis::Narrative => DateBasis::PreviousEvent,
        Basis::EarlierYear => DateBasis::EarlierYear,
    };
    When {
        earliest: Some(t.earliest),
        latest: Some(t.latest),
        precision,
        basis,
        text: t.text.clone(),
        ambiguous: t.ambiguous,
        inherited: false,
    }
}

/// The date of the sentence's events whose clauses state none: the inherited interval, or the
/// date of the event the sentence refers back to; "Meanwhile" pins it to the narrative's day.
pub(super) fn sentence_when(cx: &SentenceCtx<'_>, inherited: When, state: &DocState) -> When {
    let tokens = cx.tokens;
    let sentence_when = if cx.timexes.is_empty() {
        coreferent_when(tokens, &cx.places, state).unwrap_or(inherited)
    } else {
        inherited
    };
    // "Meanwhile, …": at the narrative's current day, not some day until the next date
    let simultaneous = tokens
        .first()
        .is_some_and(|t| matches!(t.lower.as_str(), "meanwhile" | "simultaneously"))
        || (tokens.len() > 3
            && tokens[0].lower == "at"
            && tokens[1].lower == "the"
            && tokens[2].lower == "same"
            && tokens[3].lower == "time");
    match (
        simultaneous,
        sentence_when.inherited,
        sentence_when.earliest,
    ) {
        (true, true, Some(d)) if sentence_when.precision != crate::Precision::Unknown => When {
            latest: Some(d),
            precision: crate::Precision::Day,
            ..sentence_when
        },
        _ => sentence_when,
    }
}

/// "The battle for X ...": the sentence refers back to the last event at X and takes its date.
fn coreferent_when(
    tokens: &[Token],
    places: &[crate::places::PlaceMention],
    state: &DocState,
) -> Option<When> {
    let (last_places, when) = state.last_event.as_ref()?;
    for p in places {
        if p.start < 2 {
            continue;
        }
        let prep = tokens[p.start - 1].lower.as_str();
        let noun = tokens[p.start - 2].lower.as_str();
        let refers = matches!(prep, "for" | "of" | "on" | "at")
            && matches!(
                noun,
                "battle"
                    | "fight"
                    | "fighting"
                    | "assault"
                    | "attack"
                    | "capture"
                    | "siege"
                    | "offensive"
                    | "clashes"
            );
        if refers && last_places.contains(&fold_key(&p.text)) {
            let mut w = when.clone();
            w.basis = DateBasis::PreviousEvent;
            w.inherited = true;
            return Some(w);
        }
    }
    None
}

/// Remember a dated event's places and date, for a later "the battle for X".
pub(super) fn remember_event(ev: &Event, state: &mut DocState) {
    if ev.when.earliest.is_some() && ev.kind != crate::Kind::Statement {
        state.last_event = Some((
            ev.places.iter().map(|p| fold_key(&p.mention)).collect(),
            ev.when.clone(),
        ));
    }
}

fn fold_key(s: &str) -> String {
    plain_lower(s)
        .split_whitespace()
        .filter(|w| {
            !matches!(
                *w,
                "the" | "hill" | "hills" | "western" | "eastern" | "northern" | "southern" | "of"
            )
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Prepositions that make a date a bound of something else, not when an event was: "the
/// retirement ages that existed prior to August 2021", "since 2019", "until May".
const BOUNDS: &[&str] = &["prior to", "before", "since", "until", "till", "up to"];

/// Whether the date `t` of sentence `text` is a bound ([`BOUNDS`]).
fn is_bound(text: &str, t: &Timex) -> bool {
    let before = text.get(..t.start).unwrap_or("").trim_end().to_lowercase();
    BOUNDS.iter().any(|b| {
        before
            .strip_suffix(b)
            .is_some_and(|rest| rest.is_empty() || rest.ends_with([' ', ',', '(']))
    })
}

/// The date of an event: a date in its own clauses, else the nearest before it in the sentence.
pub(super) fn date_for<'t>(
    text: &str,
    clauses: &[Clause],
    members: &[usize],
    timexes: &'t [Timex],
    root: usize,
) -> Option<&'t Timex> {
    let chosen = date_in_clauses(clauses, members, timexes, root);
    match (chosen, timexes.first()) {
        // "On 2 March 2022, … against the arrest of … 7 months ago": a look back from the
        // sentence's own date tells of an earlier event, not of this one
        (Some(c), Some(first)) if c.relative && !first.relative && c.latest < first.earliest => {
            Some(first)
        }
        // "On 2 March 2022, workers protested … to demand the ages that existed prior to August
        // 2021": a bound is no date of the event; the sentence's own is
        (Some(c), Some(first))
            if !std::ptr::eq(c, first) && is_bound(text, c) && !is_bound(text, first) =>
        {
            Some(first)
        }
        _ => chosen,
    }
}

fn date_in_clauses<'t>(
    clauses: &[Clause],
    members: &[usize],
    timexes: &'t [Timex],
    root: usize,
) -> Option<&'t Timex> {
    if let Some(t) = members.iter().filter_map(|&k| clauses[k].timex).max() {
        return timexes.get(t);
    }
    let start = clauses[root].from;
    let mut best = None;
    for c in clauses.iter() {
        if let Some(t) = c.timex {
            if c.from <= start {
                best = Some(t);
            }
        }
    }
    // a date later in the sentence belongs to a later clause; none before: the sentence's own
    best.and_then(|t| timexes.get(t))
}

#[cfg(test)]
mod tests {
    use super::super::tests::{with_clauses, with_sentence, with_sentences};
    use super::super::{mentions, DocState};
    use crate::{DateBasis, Precision, When};
    use chrono::NaiveDate;

    fn day(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    fn inherited(lo: Option<NaiveDate>, hi: Option<NaiveDate>) -> When {
        When {
            earliest: lo,
            latest: hi,
            precision: Precision::Days,
            basis: DateBasis::PreviousEvent,
            text: String::new(),
            ambiguous: false,
            inherited: true,
        }
    }

    #[test]
    fn a_date_covers_its_tokens() {
        with_sentence("On 2 March 2012, rebels attacked Qusayr.", |cx, _| {
            assert_eq!(cx.timex_toks, [(1, 4)]);
            assert_eq!(
                cx.taken
                    .iter()
                    .enumerate()
                    .filter(|t| *t.1)
                    .map(|t| t.0)
                    .collect::<Vec<_>>(),
                [1, 2, 3]
            );
        });
    }

    #[test]
    fn meanwhile_is_the_narratives_day() {
        with_sentence("Meanwhile, rebels attacked Qusayr.", |cx, state| {
            mentions(cx, state);
            let w = super::sentence_when(cx, inherited(day(2012, 3, 2), day(2012, 3, 9)), state);
            assert_eq!(
                (w.earliest, w.latest, w.precision),
                (day(2012, 3, 2), day(2012, 3, 2), Precision::Day)
            );
        });
    }

    #[test]
    fn the_battle_for_a_place_takes_the_date_of_its_last_event() {
        let mut state = DocState {
            last_event: Some((
                vec![super::fold_key("Qusayr")],
                When {
                    inherited: false,
                    ..inherited(day(2013, 5, 19), day(2013, 5, 19))
                },
            )),
            ..Default::default()
        };
        with_sentences(&["The battle for Qusayr was long."], |cx, s, _| {
            *s = std::mem::take(&mut state);
            mentions(cx, s);
            let w = super::sentence_when(cx, inherited(day(2013, 6, 1), day(2013, 6, 30)), s);
            assert_eq!((w.earliest, w.inherited), (day(2013, 5, 19), true));
        });
    }

    #[test]
    fn a_look_back_from_the_sentences_date_dates_no_event_of_it() {
        with_clauses("On 2 March 2022, hundreds protested in Beirut against the arrest of a journalist 7 months ago.", true, |cx, clauses| {
            let root = (0..clauses.len()).find(|&k| clauses[k].folded_into.is_none()).unwrap();
            let members: Vec<usize> = (0..clauses.len()).collect();
            // (the event's own clause states the look back last)
            assert!(super::date_in_clauses(clauses, &members, cx.timexes, root).unwrap().relative);
            let t = super::date_for(&cx.sentence.text, clauses, &members, cx.timexes, root).unwrap();
            assert_eq!(t.earliest, NaiveDate::from_ymd_opt(2022, 3, 2).unwrap());
        });
    }

    #[test]
    fn a_bound_is_no_date_of_the_event() {
        with_clauses("On 2 March 2022, workers protested to demand adherence to the retirement ages that existed prior to August 2021.", true, |cx, clauses| {
            let root = (0..clauses.len()).find(|&k| clauses[k].folded_into.is_none()).unwrap();
            let members: Vec<usize> = (0..clauses.len()).collect();
            let t = super::date_for(&cx.sentence.text, clauses, &members, cx.timexes, root).unwrap();
            assert_eq!(t.earliest, NaiveDate::from_ymd_opt(2022, 3, 2).unwrap());
        });
        // a date of its own after "before" in a sentence of no other date stays its date
        with_clauses(
            "Rebels shelled the town before 3 May 2021.",
            true,
            |cx, clauses| {
                let root = (0..clauses.len())
                    .find(|&k| clauses[k].folded_into.is_none())
                    .unwrap();
                let members: Vec<usize> = (0..clauses.len()).collect();
                let t = super::date_for(&cx.sentence.text, clauses, &members, cx.timexes, root);
                assert_eq!(
                    t.map(|t| t.latest),
                    Some(NaiveDate::from_ymd_opt(2021, 5, 3).unwrap())
                );
            },
        );
    }
}
