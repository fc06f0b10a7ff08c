//! Calendar arithmetic: month ends, seasons, parts of a month or year, shifts by days and
//! months, and how a year is printed. No word of any language is read here.

use chrono::{Duration, NaiveDate};

use super::form::{Part, Season};
use super::Modifier;

/// Largest relative offset normalised ("300 years later"): beyond it the words are no date.
pub(super) const MAX_RELATIVE_OFFSET: u64 = 120_000;

pub(super) fn last_day(y: i32, m: u32) -> NaiveDate {
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    NaiveDate::from_ymd_opt(ny, nm, 1)
        .and_then(|d| d.pred_opt())
        .unwrap_or(NaiveDate::MIN)
}

pub(super) fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

pub(super) fn season_span(y: i32, s: Season) -> Option<(NaiveDate, NaiveDate)> {
    Some(match s {
        Season::Spring => (ymd(y, 3, 1)?, last_day(y, 5)),
        Season::Summer => (ymd(y, 6, 1)?, last_day(y, 8)),
        Season::Autumn => (ymd(y, 9, 1)?, last_day(y, 11)),
        Season::Winter => (ymd(y, 12, 1)?, last_day(y + 1, 2)),
    })
}

/// TIMEX2's code of a season: `2015-SU`.
pub(super) fn season_code(s: Season) -> &'static str {
    match s {
        Season::Spring => "SP",
        Season::Summer => "SU",
        Season::Autumn => "FA",
        Season::Winter => "WI",
    }
}

/// `d` moved by `days`, if the calendar reaches that far.
pub(super) fn shift(d: NaiveDate, days: i64) -> Option<NaiveDate> {
    d.checked_add_signed(Duration::try_days(days)?)
}

/// A year as TIMEX2 prints it: `0070`, `1945`, `BC0300`.
pub(super) fn year_str(y: i32) -> String {
    if y <= 0 {
        format!("BC{:04}", 1 - y)
    } else {
        format!("{y:04}")
    }
}

/// Narrow a month interval by a part.
pub(super) fn part_of_month(y: i32, m: u32, part: Part) -> Option<(NaiveDate, NaiveDate)> {
    let end = last_day(y, m);
    Some(match part {
        Part::Start => (ymd(y, m, 1)?, ymd(y, m, 10)?),
        Part::Mid => (ymd(y, m, 11)?, ymd(y, m, 20)?),
        Part::End => (ymd(y, m, 21)?, end),
        Part::FirstHalf => (ymd(y, m, 1)?, ymd(y, m, 15)?),
        Part::SecondHalf => (ymd(y, m, 16)?, end),
    })
}

/// Narrow a year interval by a part.
pub(super) fn part_of_year(y: i32, part: Part) -> Option<(NaiveDate, NaiveDate)> {
    Some(match part {
        Part::Start => (ymd(y, 1, 1)?, last_day(y, 4)),
        Part::Mid => (ymd(y, 5, 1)?, last_day(y, 8)),
        Part::End => (ymd(y, 9, 1)?, last_day(y, 12)),
        Part::FirstHalf => (ymd(y, 1, 1)?, last_day(y, 6)),
        Part::SecondHalf => (ymd(y, 7, 1)?, last_day(y, 12)),
    })
}

/// The part of a period a modifier names ("early May": its start).
pub(super) fn part_of_modifier(m: Option<Modifier>) -> Option<Part> {
    match m? {
        Modifier::Start => Some(Part::Start),
        Modifier::Mid => Some(Part::Mid),
        Modifier::End => Some(Part::End),
        _ => None,
    }
}

/// The month `n` months after (or before) year `y`, month `m`.
pub(super) fn add_months(y: i32, m: u32, n: i64) -> (i32, u32) {
    let total = y as i64 * 12 + (m as i64 - 1) + n;
    (
        total.div_euclid(12) as i32,
        (total.rem_euclid(12) + 1) as u32,
    )
}

/// A month's interval, narrowed by a part if one is given.
pub(super) fn month_span(y: i32, m: u32, part: Option<Part>) -> Option<(NaiveDate, NaiveDate)> {
    match part {
        Some(p) => part_of_month(y, m, p),
        None => Some((ymd(y, m, 1)?, last_day(y, m))),
    }
}

/// A year's interval, narrowed by a part if one is given.
pub(super) fn year_span(y: i32, part: Option<Part>) -> Option<(NaiveDate, NaiveDate)> {
    match part {
        Some(p) => part_of_year(y, p),
        None => Some((ymd(y, 1, 1)?, ymd(y, 12, 31)?)),
    }
}
