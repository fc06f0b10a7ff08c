//! Expressions relative to the story ("the next day", "two weeks later", "the end of the
//! month") or to the published date ("yesterday", "last week", "on Monday"), and named days.

use super::form::{Form, Found, Part, Unit};
use super::scan::Scanner;
use super::words::*;
use super::Modifier;
use crate::text::TokKind;

fn rel(i: usize, end: usize, unit: Unit, offset: i64) -> Option<Found> {
    Some(Found::new(i, end, Form::Relative { unit, offset }))
}

impl Scanner<'_> {
    /// Expressions relative to the anchor or the published date.
    pub fn relative(&self, i: usize) -> Option<Found> {
        if let Some(f) = self.next_or_previous(i) {
            return Some(f);
        }
        if let Some(f) = self.same_day(i) {
            return Some(f);
        }
        if let Some(f) = self.within_the_period(i) {
            return Some(f);
        }
        if let Some(f) = self.counted(i) {
            return Some(f);
        }
        if let Some(f) = self.deictic(i) {
            return Some(f);
        }
        // weekdays: "on Monday"
        if let Some(t) = self.tok(i).filter(|t| t.is_capitalized()) {
            if let Some(wd) = words().weekday(&t.lower) {
                // "Sunday, 25 June 1950", "Saturday, June 24": the date that follows says it all
                let dated = |k| {
                    self.core(k, false)
                        .is_some_and(|f| matches!(f.form, Form::Date { day: Some(_), .. }))
                };
                if (i + 1..i + 5).any(dated) {
                    return None;
                }
                return Some(Found::new(i, i + 1, Form::Weekday(wd)));
            }
        }
        if let Some(f) = self.holiday(i) {
            return Some(f);
        }
        self.day_of_new_year_or_month(i)
    }

    /// "the next day", "the following morning", "the previous week", "the same month", "the
    /// next spring", "the previous April", "at the same time", "by this time".
    fn next_or_previous(&self, i: usize) -> Option<Found> {
        let w = self.word(i);
        let (j, the) = if w == "the" {
            (i + 1, true)
        } else {
            (i, false)
        };
        let w1 = self.word(j);
        let w2 = self.word(j + 1);
        let offset = match w1 {
            "same" if the => Some(0),
            "that" if !the => Some(0),
            _ => words().sequence.get(w1).copied(),
        };
        if let Some(off) = offset {
            // "the next morning" is the next day
            if words().day_parts.contains(w2) {
                return rel(i, j + 2, Unit::Day, off);
            }
            if let Some(unit) = words().unit_singular(w2) {
                return rel(i, j + 2, unit, off);
            }
            if let Some(s) = words().season(w2) {
                if !words().seasons_also_words.contains(w2) || the {
                    return Some(Found::new(
                        i,
                        j + 2,
                        Form::Season {
                            year: None,
                            season: s,
                            offset: off,
                        },
                    ));
                }
            }
        }
        // "the previous April", "the following March"
        if let (Some(off), Some(t2)) = (offset, self.tok(j + 1)) {
            if off != 0 {
                if let Some(m) = month_of(t2).filter(|_| t2.is_capitalized()) {
                    return Some(Found::new(
                        i,
                        j + 2,
                        Form::MonthOf {
                            month: m,
                            offset: off,
                            same_year: false,
                        },
                    ));
                }
            }
        }
        // "at the same time", "by this time", "from that time on": the time the story has reached
        // ("at the time of …", "by the time they …" name another time: no)
        if self.word(j + 1) == "time"
            && !matches!(self.word(j + 2), "of" | "when" | "that" | "in" | "as")
        {
            let prep = i > 0
                && matches!(
                    self.word(i - 1),
                    "at" | "by" | "from" | "since" | "until" | "till" | "around"
                );
            if (the && w1 == "same") || (!the && matches!(w, "this" | "that") && prep) {
                return Some(Found::new(i, j + 2, Form::Current));
            }
        }
        None
    }

    /// "that same day", "this day", "this date", "the day following", "month's end", "the
    /// year's end", "the day after", "the day before".
    fn same_day(&self, i: usize) -> Option<Found> {
        let w = self.word(i);
        let (j, the) = if w == "the" {
            (i + 1, true)
        } else {
            (i, false)
        };
        let (w1, w2) = (self.word(j), self.word(j + 1));
        if w == "that" && self.word(i + 1) == "same" && words().day_parts.contains(self.word(i + 2))
        {
            return rel(i, i + 3, Unit::Day, 0);
        }
        if w == "this" && matches!(self.word(i + 1), "day" | "date") {
            return rel(i, i + 2, Unit::Day, 0);
        }
        if the && w1 == "day" && w2 == "following" {
            return rel(i, j + 2, Unit::Day, 1);
        }
        // "month's end", "the year's end"
        let month_or_year = |w: &str| {
            words()
                .unit_singular(w)
                .filter(|u| matches!(u, Unit::Month | Unit::Year))
        };
        if let Some(unit) = month_or_year(w1).filter(|_| w2 == "'s" && self.word(j + 2) == "end") {
            let form = Form::PartOf {
                unit,
                part: Part::End,
                offset: 0,
            };
            return Some(Found::modified(i, j + 3, form, Modifier::End));
        }
        // "late in the year", "early in the month", "later in the year"
        if let (Some(&part), Some(unit)) = (
            words().in_the_period.get(w),
            month_or_year(self.word(i + 3)),
        ) {
            if self.words_at(i + 1, &["in", "the"]) {
                return Some(Found::modified(
                    i,
                    i + 4,
                    Form::PartOf {
                        unit,
                        part,
                        offset: 0,
                    },
                    part.modifier(),
                ));
            }
        }
        // "the day after", "the day before"
        let dated_after = self
            .tok(j + 2)
            .is_some_and(|t| t.kind == TokKind::Number || month_of(t).is_some());
        if the && w1 == "day" && matches!(w2, "after" | "before") && !dated_after {
            return rel(i, j + 2, Unit::Day, if w2 == "after" { 1 } else { -1 });
        }
        None
    }

    /// "later that day", "earlier that year", "later in the day", "earlier in the month",
    /// "during the day", "by the evening", "in the evening", "overnight".
    fn within_the_period(&self, i: usize) -> Option<Found> {
        let w = self.word(i);
        if words().later_or_earlier.contains(w) {
            if self.word(i + 1) == "that" {
                let x = self.word(i + 2);
                if words().day_parts.contains(x) {
                    return rel(i, i + 3, Unit::Day, 0);
                }
                if let Some(unit) = words()
                    .unit_singular(x)
                    .filter(|u| matches!(u, Unit::Month | Unit::Year))
                {
                    return rel(i, i + 3, unit, 0);
                }
            }
            if self.words_at(i + 1, &["in", "the"]) {
                if let Some(unit) = words()
                    .unit_singular(self.word(i + 3))
                    .filter(|u| *u != Unit::Week)
                {
                    return rel(i, i + 4, unit, 0);
                }
            }
        }
        if matches!(w, "during" | "by" | "in")
            && self.word(i + 1) == "the"
            && words().day_parts.contains(self.word(i + 2))
        {
            let next = self.word(i + 3);
            if !matches!(next, "of" | "before" | "after") {
                return rel(i, i + 3, Unit::Day, 0);
            }
        }
        if words().same_day_words.contains(w) {
            return rel(i, i + 1, Unit::Day, 0);
        }
        None
    }

    /// A counted step: "N days later", "two weeks earlier", "a month after", "eight days
    /// before the new year"; each number of a list takes the last one's unit ("ten, fifteen and
    /// twenty years earlier").
    fn counted(&self, i: usize) -> Option<Found> {
        if let Some(n) = self.tok(i).and_then(number_value) {
            let mut k = i + 1;
            for _ in 0..4 {
                let before = k;
                while matches!(self.word(k), "," | "and" | "or") {
                    k += 1;
                }
                if k == before || self.tok(k).and_then(number_value).is_none() {
                    break;
                }
                if let Some(Found {
                    start,
                    form: Form::Relative { unit, offset },
                    ..
                }) = self.relative(k)
                {
                    if start == k && offset != 0 && n.unsigned_abs() <= 1000 {
                        return rel(i, i + 1, unit, offset.signum() * n);
                    }
                    if start == k {
                        break;
                    }
                }
                k += 1;
            }
        }
        let t = self.tok(i)?;
        let (n, k) = if self.words_at(i, &["a", "couple", "of"]) {
            (Some(2), 3)
        } else if self.words_at(i, &["a", "few"]) {
            (None, 2)
        } else {
            (number_value(t), 1)
        };
        let n = n?;
        let unit = words().unit(self.word(i + k))?;
        let dir = *words().directions.get(self.word(i + k + 1))?;
        let prep = matches!(self.word(i + k + 1), "after" | "before");
        // "eight days before the new year"
        let new_year = &words().new_year;
        if unit == Unit::Day
            && prep
            && self.word(i + k + 2) == "the"
            && self.phrase_at(i + k + 3, new_year)
            && n.unsigned_abs() <= 366
        {
            return Some(Found::new(
                i,
                i + k + 3 + new_year.len(),
                Form::DayOfYear {
                    month: 1,
                    day: 1,
                    offset: 1,
                    shift: dir * n,
                },
            ));
        }
        // "two days after the attack" is relative; "two days after 3 May" is not handled here
        let next = self.tok(i + k + 2);
        if prep && next.is_some_and(|t| t.kind == TokKind::Number || month_of(t).is_some()) {
            return None;
        }
        rel(i, i + k + 2, unit, dir * n)
    }

    /// Deictic words, relative to the published date: "yesterday", "last week", "this year".
    fn deictic(&self, i: usize) -> Option<Found> {
        let w = self.word(i);
        if let Some(&offset) = words().deictic_days.get(w) {
            return Some(Found::new(
                i,
                i + 1,
                Form::Deictic {
                    unit: Unit::Day,
                    offset,
                },
            ));
        }
        let offset = *words().deictic_determiners.get(w)?;
        let unit = words()
            .unit_singular(self.word(i + 1))
            .filter(|u| *u != Unit::Day)?;
        Some(Found::new(i, i + 2, Form::Deictic { unit, offset }))
    }

    /// Holidays: "Christmas [Eve|Day] [1914]", "New Year's Eve", "New Year's Day".
    fn holiday(&self, i: usize) -> Option<Found> {
        if !self.tok(i).is_some_and(|t| t.is_capitalized()) {
            return None;
        }
        let (ws, m, d) = words()
            .holidays
            .iter()
            .find(|(ws, _, _)| self.phrase_at(i, ws))?;
        let (year, end) = self.with_year(i + ws.len());
        Some(Found::new(
            i,
            end,
            Form::Date {
                year,
                month: Some(*m),
                day: Some(*d),
            },
        ))
    }

    /// "the new year" (the first day of the year after the story's) and "the 20th" (a day of
    /// the story's month; not "the 20th Division", "the 20th and 128th Brigades").
    fn day_of_new_year_or_month(&self, i: usize) -> Option<Found> {
        if self.word(i) != "the" {
            return None;
        }
        let new_year = &words().new_year;
        let after = i + 1 + new_year.len();
        let possessive_or_name = self
            .tok(after)
            .is_some_and(|t| t.lower == "'s" || t.is_capitalized());
        if self.phrase_at(i + 1, new_year) && !possessive_or_name {
            return Some(Found::new(
                i,
                after,
                Form::DayOfYear {
                    month: 1,
                    day: 1,
                    offset: 1,
                    shift: 0,
                },
            ));
        }
        let t = self.tok(i + 1)?;
        let ordinal = t.kind == TokKind::Number
            && words()
                .ordinal_suffixes
                .iter()
                .any(|s| t.lower.ends_with(s.as_str()));
        if !ordinal {
            return None;
        }
        let d = day_of(t)?;
        let next = self.tok(i + 2);
        let noun_after = next.is_some_and(|n| {
            n.kind == TokKind::Word
                && (n.is_capitalized() || words().ordinal_nouns.contains(&n.lower))
        });
        // "the 20th and 128th Brigades": a list of ordinals names units, not days
        let ordinal_list = self.tok(i + 3).is_some_and(|n| n.kind == TokKind::Number)
            && matches!(self.word(i + 2), "and" | "or" | "," | "&");
        (!noun_after && !ordinal_list).then(|| Found::new(i, i + 2, Form::DayOfMonth(d)))
    }
}
