//! Expressions relative to the story ("the next day", "two weeks later", "the end of the
//! month") or to the published date ("yesterday", "last week", "on Monday"), and named days.

use super::form::{Form, Found, Part, Unit};
use super::scan::Scanner;
use super::words::*;
use super::Modifier;
use crate::text::TokKind;

/// Words of a part of a day: "the next morning" is the next day.
const DAY_WORDS: [&str; 5] = ["day", "morning", "afternoon", "evening", "night"];

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
            if let Some(wd) = weekday_of(&t.lower) {
                // "Sunday, 25 June 1950", "Saturday, June 24": the date that follows says it all
                let dated = |k| self.core(k, false).is_some_and(|f| matches!(f.form, Form::Date { day: Some(_), .. }));
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
        let (j, the) = if w == "the" { (i + 1, true) } else { (i, false) };
        let w1 = self.word(j);
        let w2 = self.word(j + 1);
        let offset = match w1 {
            "next" | "following" | "subsequent" => Some(1),
            "previous" | "preceding" | "prior" => Some(-1),
            "same" if the => Some(0),
            "that" if !the => Some(0),
            _ => None,
        };
        if let Some(off) = offset {
            if DAY_WORDS.contains(&w2) {
                return rel(i, j + 2, Unit::Day, off);
            }
            match w2 {
                "week" => return rel(i, j + 2, Unit::Week, off),
                "month" => return rel(i, j + 2, Unit::Month, off),
                "year" => return rel(i, j + 2, Unit::Year, off),
                _ => {}
            }
            if let Some(s) = season_of(w2) {
                if w2 != "fall" || the {
                    return Some(Found::new(i, j + 2, Form::Season { year: None, season: s, offset: off }));
                }
            }
        }
        // "the previous April", "the following March"
        if let (Some(off), Some(t2)) = (offset, self.tok(j + 1)) {
            if off != 0 {
                if let Some(m) = month_of(t2).filter(|_| t2.is_capitalized()) {
                    return Some(Found::new(i, j + 2, Form::MonthOf { month: m, offset: off, same_year: false }));
                }
            }
        }
        // "at the same time", "by this time", "from that time on": the time the story has reached
        // ("at the time of …", "by the time they …" name another time: no)
        if self.word(j + 1) == "time" && !matches!(self.word(j + 2), "of" | "when" | "that" | "in" | "as") {
            let prep = i > 0 && matches!(self.word(i - 1), "at" | "by" | "from" | "since" | "until" | "till" | "around");
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
        let (j, the) = if w == "the" { (i + 1, true) } else { (i, false) };
        let (w1, w2) = (self.word(j), self.word(j + 1));
        if w == "that" && self.word(i + 1) == "same" && DAY_WORDS.contains(&self.word(i + 2)) {
            return rel(i, i + 3, Unit::Day, 0);
        }
        if w == "this" && matches!(self.word(i + 1), "day" | "date") {
            return rel(i, i + 2, Unit::Day, 0);
        }
        if the && w1 == "day" && w2 == "following" {
            return rel(i, j + 2, Unit::Day, 1);
        }
        // "month's end", "the year's end"
        if matches!(w1, "month" | "year") && w2 == "'s" && self.word(j + 2) == "end" {
            let unit = if w1 == "month" { Unit::Month } else { Unit::Year };
            let form = Form::PartOf { unit, part: Part::End, offset: 0 };
            return Some(Found::modified(i, j + 3, form, Modifier::End));
        }
        // "late in the year", "early in the month", "later in the year"
        if matches!(w, "late" | "early" | "later" | "mid")
            && self.words_at(i + 1, &["in", "the"])
            && matches!(self.word(i + 3), "year" | "month")
        {
            let unit = if self.word(i + 3) == "year" { Unit::Year } else { Unit::Month };
            let (part, m) = match w {
                "early" => (Part::Start, Modifier::Start),
                "mid" => (Part::Mid, Modifier::Mid),
                _ => (Part::End, Modifier::End),
            };
            return Some(Found::modified(i, i + 4, Form::PartOf { unit, part, offset: 0 }, m));
        }
        // "the day after", "the day before"
        let dated_after = self.tok(j + 2).is_some_and(|t| t.kind == TokKind::Number || month_of(t).is_some());
        if the && w1 == "day" && matches!(w2, "after" | "before") && !dated_after {
            return rel(i, j + 2, Unit::Day, if w2 == "after" { 1 } else { -1 });
        }
        None
    }

    /// "later that day", "earlier that year", "later in the day", "earlier in the month",
    /// "during the day", "by the evening", "in the evening", "overnight".
    fn within_the_period(&self, i: usize) -> Option<Found> {
        let w = self.word(i);
        if matches!(w, "later" | "earlier") {
            if self.word(i + 1) == "that" {
                match self.word(i + 2) {
                    x if DAY_WORDS.contains(&x) => return rel(i, i + 3, Unit::Day, 0),
                    "month" => return rel(i, i + 3, Unit::Month, 0),
                    "year" => return rel(i, i + 3, Unit::Year, 0),
                    _ => {}
                }
            }
            if self.words_at(i + 1, &["in", "the"]) {
                match self.word(i + 3) {
                    "day" => return rel(i, i + 4, Unit::Day, 0),
                    "month" => return rel(i, i + 4, Unit::Month, 0),
                    "year" => return rel(i, i + 4, Unit::Year, 0),
                    _ => {}
                }
            }
        }
        if matches!(w, "during" | "by" | "in")
            && self.word(i + 1) == "the"
            && matches!(self.word(i + 2), "day" | "evening" | "afternoon" | "night" | "morning")
        {
            let next = self.word(i + 3);
            if !matches!(next, "of" | "before" | "after") {
                return rel(i, i + 3, Unit::Day, 0);
            }
        }
        if w == "overnight" || w == "tonight" {
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
                if let Some(Found { start, form: Form::Relative { unit, offset }, .. }) = self.relative(k) {
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
        let unit = match self.word(i + k) {
            "day" | "days" => Unit::Day,
            "week" | "weeks" => Unit::Week,
            "month" | "months" => Unit::Month,
            "year" | "years" => Unit::Year,
            _ => return None,
        };
        let dir = match self.word(i + k + 1) {
            "later" | "after" | "afterwards" | "afterward" | "thereafter" => 1,
            "earlier" | "before" | "previously" | "prior" | "ago" => -1,
            _ => return None,
        };
        let prep = matches!(self.word(i + k + 1), "after" | "before");
        // "eight days before the new year"
        if unit == Unit::Day && prep && self.words_at(i + k + 2, &["the", "new", "year"]) && n.unsigned_abs() <= 366 {
            return Some(Found::new(i, i + k + 5, Form::DayOfYear { month: 1, day: 1, offset: 1, shift: dir * n }));
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
        let deictic = |end, unit, offset| Some(Found::new(i, end, Form::Deictic { unit, offset }));
        match w {
            "yesterday" => deictic(i + 1, Unit::Day, -1),
            "today" => deictic(i + 1, Unit::Day, 0),
            "tomorrow" => deictic(i + 1, Unit::Day, 1),
            "last" | "this" | "next" => {
                let offset = if w == "last" {
                    -1
                } else if w == "this" {
                    0
                } else {
                    1
                };
                match self.word(i + 1) {
                    "week" => deictic(i + 2, Unit::Week, offset),
                    "month" => deictic(i + 2, Unit::Month, offset),
                    "year" => deictic(i + 2, Unit::Year, offset),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// Holidays: "Christmas [Eve|Day] [1914]", "New Year's Eve", "New Year's Day".
    fn holiday(&self, i: usize) -> Option<Found> {
        if !self.tok(i).is_some_and(|t| t.is_capitalized()) {
            return None;
        }
        let (m, d, end) = match self.word(i) {
            "christmas" => match self.word(i + 1) {
                "eve" => (12, 24, i + 2),
                "day" => (12, 25, i + 2),
                _ => (12, 25, i + 1),
            },
            "new" if self.word(i + 1) == "year" && self.word(i + 2) == "'s" => match self.word(i + 3) {
                "eve" => (12, 31, i + 4),
                "day" => (1, 1, i + 4),
                _ => return None,
            },
            _ => return None,
        };
        let (year, end) = self.with_year(end);
        Some(Found::new(i, end, Form::Date { year, month: Some(m), day: Some(d) }))
    }

    /// "the new year" (the first day of the year after the story's) and "the 20th" (a day of
    /// the story's month; not "the 20th Division", "the 20th and 128th Brigades").
    fn day_of_new_year_or_month(&self, i: usize) -> Option<Found> {
        if self.word(i) != "the" {
            return None;
        }
        let possessive_or_name = self.tok(i + 3).is_some_and(|t| t.lower == "'s" || t.is_capitalized());
        if self.words_at(i + 1, &["new", "year"]) && !possessive_or_name {
            return Some(Found::new(i, i + 3, Form::DayOfYear { month: 1, day: 1, offset: 1, shift: 0 }));
        }
        let t = self.tok(i + 1)?;
        let ordinal = t.kind == TokKind::Number && ["st", "nd", "rd", "th"].iter().any(|s| t.lower.ends_with(s));
        if !ordinal {
            return None;
        }
        let d = day_of(t)?;
        let next = self.tok(i + 2);
        let noun_after = next.is_some_and(|n| {
            n.kind == TokKind::Word && (n.is_capitalized() || ORDINAL_NOUNS.contains(&n.lower.as_str()))
        });
        // "the 20th and 128th Brigades": a list of ordinals names units, not days
        let ordinal_list = self.tok(i + 3).is_some_and(|n| n.kind == TokKind::Number)
            && matches!(self.word(i + 2), "and" | "or" | "," | "&");
        (!noun_after && !ordinal_list).then(|| Found::new(i, i + 2, Form::DayOfMonth(d)))
    }
}
