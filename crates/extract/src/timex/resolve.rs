//! Resolution: the value and interval of a found expression on the story's anchor
//! ([`Narrative::resolve`]), and whether it moves the story.

use chrono::{Datelike, NaiveDate, Weekday};

use super::calendar::*;
use super::form::{Form, Found, Part, Season, Unit};
use super::narrative::{Anchor, Narrative};
use super::{Basis, Granularity, Modifier};

/// A resolved expression: its value and interval, and what it rests on.
#[derive(Debug, Clone)]
pub(super) struct Resolved {
    /// TIMEX2-style value: `2015-05-04`, `2015-05`, `2015`, `2015-SU`, `2015-W19`, `201`.
    pub value: String,
    /// The calendar interval, inclusive, narrowed by the modifier.
    pub earliest: NaiveDate,
    pub latest: NaiveDate,
    pub granularity: Granularity,
    pub basis: Basis,
    /// The text allows more than one reading (4/5/2015).
    pub ambiguous: bool,
    /// The value depends on the story's anchor or the published date.
    pub relative: bool,
}

impl Resolved {
    fn new(
        value: String,
        (earliest, latest): (NaiveDate, NaiveDate),
        granularity: Granularity,
        basis: Basis,
        relative: bool,
    ) -> Resolved {
        Resolved {
            value,
            earliest,
            latest,
            granularity,
            basis,
            ambiguous: false,
            relative,
        }
    }

    /// One exact day.
    fn day(date: NaiveDate, basis: Basis, relative: bool) -> Resolved {
        Resolved::new(
            date.format("%Y-%m-%d").to_string(),
            (date, date),
            Granularity::Day,
            basis,
            relative,
        )
    }
}

/// What a resolved expression does to the story.
enum Step {
    /// The story moves to it.
    Move,
    /// A year a little ahead named in passing: the next date that names no year takes it.
    Hint(i32),
    /// The story stays where it was.
    Stay,
}

impl Narrative {
    /// Resolve a recognised expression and move the anchor.
    pub(super) fn resolve(&mut self, f: &Found) -> Option<Resolved> {
        let r = self.value_of(f)?;
        match self.step(f, &r) {
            Step::Move => self.move_anchor(&r),
            Step::Hint(y) => self.anchor.hint = Some(y),
            Step::Stay => {}
        }
        Some(r)
    }

    /// The value of `f` on the story as it stands; the story does not move.
    fn value_of(&self, f: &Found) -> Option<Resolved> {
        let part = part_of_modifier(f.modifier);
        match f.form.clone() {
            Form::Date { year, month, day } => self.date(f, year, month, day, part),
            Form::DayRange {
                year,
                month,
                from,
                to,
            } => {
                let (y, basis, relative) = match year {
                    Some(y) => (y, Basis::Explicit, false),
                    None => {
                        let (y, b) = self.pick_year(month, Some(from))?;
                        (y, b, true)
                    }
                };
                let span = (ymd(y, month, from)?, ymd(y, month, to)?);
                let value = format!("{}-{month:02}-{from:02}", year_str(y));
                Some(Resolved::new(
                    value,
                    span,
                    Granularity::Days,
                    basis,
                    relative,
                ))
            }
            Form::MonthRange { year, from, to } => self.month_range(year, from, to),
            Form::DaySpan { year, from, to } => self.day_span(year, from, to),
            Form::YearRange { from, to } => {
                let span = (ymd(from, 1, 1)?, ymd(to, 12, 31)?);
                Some(Resolved::new(
                    year_str(from),
                    span,
                    Granularity::Year,
                    Basis::Explicit,
                    false,
                ))
            }
            Form::Ambiguous { year, a, b } => {
                let d1 = ymd(year, a, b)?; // month first
                let d2 = ymd(year, b, a)?; // day first
                let span = if d1 <= d2 { (d1, d2) } else { (d2, d1) };
                let value = format!("{}-{b:02}-{a:02}", year_str(year));
                let r = Resolved::new(value, span, Granularity::Days, Basis::Explicit, false);
                Some(Resolved {
                    ambiguous: true,
                    ..r
                })
            }
            Form::Season {
                year,
                season,
                offset,
            } => self.season(year, season, offset),
            Form::Decade(d) => {
                let span = (ymd(d * 10, 1, 1)?, ymd(d * 10 + 9, 12, 31)?);
                Some(Resolved::new(
                    format!("{d:03}"),
                    span,
                    Granularity::Decade,
                    Basis::Explicit,
                    false,
                ))
            }
            Form::Relative { unit, offset } => relative_value(&self.anchor, unit, offset, part),
            Form::Current => {
                let unit = if self.anchor.day.is_some() {
                    Unit::Day
                } else if self.anchor.month.is_some() {
                    Unit::Month
                } else {
                    Unit::Year
                };
                relative_value(&self.anchor, unit, 0, None)
            }
            Form::PartOf {
                unit,
                part: p,
                offset,
            } => {
                let r = relative_value(&self.anchor, unit, offset, None)?;
                let (earliest, latest) = match r.granularity {
                    Granularity::Month => part_of_month(r.earliest.year(), r.earliest.month(), p)?,
                    Granularity::Year => part_of_year(r.earliest.year(), p)?,
                    _ => (r.earliest, r.latest),
                };
                Some(Resolved {
                    earliest,
                    latest,
                    ..r
                })
            }
            Form::Deictic { unit, offset } => self.deictic(unit, offset, part),
            Form::Weekday(wd) => self.weekday(wd, f.ahead),
            Form::DayOfYear {
                month,
                day,
                offset,
                shift: days,
            } => {
                let y = self.anchor.year?.checked_add(i32::try_from(offset).ok()?)?;
                let date = shift(ymd(y, month, day)?, days)?;
                Some(Resolved::day(date, Basis::Narrative, true))
            }
            Form::DayOfMonth(d) => {
                let (y, m) = self.anchor.month?;
                let mut date = ymd(y, m, d)?;
                if let Some(a) = self.anchor.day {
                    // "the 20th" after the 25th is next month's
                    if d + 7 < a.day() {
                        let (ny, nm) = add_months(y, m, 1);
                        date = ymd(ny, nm, d)?;
                    }
                }
                Some(Resolved::day(date, Basis::Narrative, true))
            }
            Form::MonthOf {
                month,
                offset,
                same_year,
            } => self.month_of(month, offset, same_year, part),
        }
    }

    /// A date with its year, or the year the story gives it; what the story is compared with
    /// came before it ("compared to the carnage of November": the last such month).
    fn date(
        &self,
        f: &Found,
        year: Option<i32>,
        month: Option<u32>,
        day: Option<u32>,
        part: Option<Part>,
    ) -> Option<Resolved> {
        let (y, basis, relative) = match (year, month) {
            (Some(y), _) => (y, Basis::Explicit, false),
            (None, Some(m)) => match self.anchor.month.filter(|_| f.compared) {
                Some((ay, am)) => (if m > am { ay - 1 } else { ay }, Basis::Narrative, true),
                None => {
                    let (y, b) = self.pick_year(m, day)?;
                    (y, b, true)
                }
            },
            (None, None) => return None,
        };
        match (month, day) {
            (Some(m), Some(d)) => {
                let date = ymd(y, m, d)?;
                let value = format!("{}-{m:02}-{d:02}", year_str(y));
                Some(Resolved::new(
                    value,
                    (date, date),
                    Granularity::Day,
                    basis,
                    relative,
                ))
            }
            (Some(m), None) => {
                let value = format!("{}-{m:02}", year_str(y));
                Some(Resolved::new(
                    value,
                    month_span(y, m, part)?,
                    Granularity::Month,
                    basis,
                    relative,
                ))
            }
            _ => Some(Resolved::new(
                year_str(y),
                year_span(y, part)?,
                Granularity::Year,
                basis,
                relative,
            )),
        }
    }

    /// "from October to March" told in March: the winter the story stands in (a span around
    /// the story's time, which stays where it is). The year the range starts in, if so.
    fn winter_around(&self, year: Option<i32>, from: u32, to: u32) -> Option<i32> {
        if year.is_some() {
            return None;
        }
        self.anchor
            .month
            .filter(|&(_, am)| to < from && am <= to)
            .map(|(ay, _)| ay - 1)
    }

    fn month_range(&self, year: Option<i32>, from: u32, to: u32) -> Option<Resolved> {
        let (y, basis, relative) = match (year, self.winter_around(year, from, to)) {
            (Some(y), _) => (y, Basis::Explicit, false),
            (None, Some(y)) => (y, Basis::Narrative, true),
            (None, None) => {
                let (y, b) = self.pick_year(from, None)?;
                (y, b, true)
            }
        };
        let y2 = if to < from { y + 1 } else { y };
        let value = format!("{}-{from:02}", year_str(y));
        Some(Resolved::new(
            value,
            (ymd(y, from, 1)?, last_day(y2, to)),
            Granularity::Month,
            basis,
            relative,
        ))
    }

    fn day_span(
        &self,
        year: Option<i32>,
        (m1, d1): (u32, u32),
        (m2, d2): (u32, u32),
    ) -> Option<Resolved> {
        let (y1, y2, basis, relative) = match year {
            Some(y) => {
                let y1 = if (m1, d1) <= (m2, d2) { y } else { y - 1 };
                (y1, y, Basis::Explicit, false)
            }
            None => {
                let (y, b) = self.pick_year(m1, Some(d1))?;
                (y, if (m1, d1) <= (m2, d2) { y } else { y + 1 }, b, true)
            }
        };
        let (a, b) = (ymd(y1, m1, d1)?, ymd(y2, m2, d2)?);
        Some(Resolved::new(
            a.format("%Y-%m-%d").to_string(),
            (a, b),
            Granularity::Days,
            basis,
            relative,
        ))
    }

    fn season(&self, year: Option<i32>, season: Season, offset: i64) -> Option<Resolved> {
        let (y, basis, relative) = match year {
            Some(y) => (y, Basis::Explicit, false),
            None => {
                let ay = self
                    .anchor
                    .year
                    .or(self.title_years.first().copied())
                    .or(self.published.map(|p| p.year()))?;
                (ay + offset as i32, Basis::Narrative, true)
            }
        };
        let value = format!("{}-{}", year_str(y), season_code(season));
        Some(Resolved::new(
            value,
            season_span(y, season)?,
            Granularity::Season,
            basis,
            relative,
        ))
    }

    /// "yesterday", "last week": relative to the published date; in a narrative with no day
    /// yet, "this year" is the story's year.
    fn deictic(&self, unit: Unit, offset: i64, part: Option<Part>) -> Option<Resolved> {
        if self.published.is_none() && self.anchor.day.is_none() {
            let r = relative_value(&self.anchor, unit, offset, part)?;
            return Some(Resolved {
                basis: Basis::Narrative,
                relative: true,
                ..r
            });
        }
        let p = self.published.or(self.anchor.day)?;
        let on = Anchor {
            day: Some(p),
            month: Some((p.year(), p.month())),
            year: Some(p.year()),
            span: Some((p, p)),
            ..Anchor::default()
        };
        let r = relative_value(&on, unit, offset, part)?;
        Some(Resolved {
            basis: Basis::Published,
            relative: true,
            ..r
        })
    }

    /// "on Monday". News: days of the week count back from publication while the story stays
    /// in the week before it ("on Tuesday … on Monday" in a Wednesday's report).
    fn weekday(&self, wd: Weekday, ahead: bool) -> Option<Resolved> {
        let recent = |p: NaiveDate| {
            self.anchor
                .day
                .is_none_or(|a| a <= p && (p - a).num_days() <= 7)
        };
        let (base, basis) = match self.published.filter(|p| recent(*p) && !ahead) {
            Some(p) => (p, Basis::Published),
            None => self.reference_day()?,
        };
        let date = if basis == Basis::Published {
            // news: the most recent such day on or before publication
            (0..7)
                .filter_map(|k| shift(base, -k))
                .find(|d| d.weekday() == wd)?
        } else if self.day_named_here && !ahead {
            // in the sentence that names the day, the nearest such day: "On 8 January 2022
            // (a Saturday) … following the passing of cars on Friday night" is the 7th
            [0, -1, 1, -2, 2, -3, 3]
                .into_iter()
                .filter_map(|k| shift(base, k))
                .find(|d| d.weekday() == wd)?
        } else {
            (0..7)
                .filter_map(|k| shift(base, k))
                .find(|d| d.weekday() == wd)?
        };
        Some(Resolved::day(date, basis, true))
    }

    /// "the previous April" (before the story's month), "the following March" (after it),
    /// "August of that year".
    fn month_of(
        &self,
        month: u32,
        offset: i64,
        same_year: bool,
        part: Option<Part>,
    ) -> Option<Resolved> {
        let (ay, am) = self
            .anchor
            .month
            .or_else(|| self.anchor.year.map(|y| (y, 1)))?;
        let y = if same_year {
            ay + offset as i32
        } else if offset < 0 {
            if month < am {
                ay
            } else {
                ay - 1
            }
        } else if month > am {
            ay
        } else {
            ay + 1
        };
        let value = format!("{}-{month:02}", year_str(y));
        Some(Resolved::new(
            value,
            month_span(y, month, part)?,
            Granularity::Month,
            Basis::Narrative,
            true,
        ))
    }

    /// Whether `f`, resolved to `r`, moves the story.
    fn step(&self, f: &Found, r: &Resolved) -> Step {
        // a look back ("the previous year", "two days earlier") does not move the story, nor does
        // a bare year inside a sentence ("a campaign planned for 1976", "since 1614")
        let backward = match f.form {
            Form::Relative { offset, .. }
            | Form::PartOf { offset, .. }
            | Form::MonthOf { offset, .. } => offset < 0,
            Form::Current => true,
            _ => false,
        };
        // a year a little ahead of the story, named in passing ("operations for 1777"); not one in
        // brackets (a source's year) nor one far ahead (a retrospective)
        let forward = match f.form {
            Form::Date {
                year: Some(y),
                month: None,
                ..
            } => self.anchor.year.is_some_and(|a| y > a && y <= a + 2),
            _ => false,
        } && !f.bracketed;
        let aside = matches!(f.form, Form::Date { month: None, .. })
            && f.modifier.is_none()
            && (!f.opens_clause || f.bracketed)
            && !f.leads_section;
        let since = matches!(f.modifier, Some(Modifier::After));
        let by_then = matches!(f.modifier, Some(Modifier::Before))
            && !f.opens_clause
            && matches!(
                f.form,
                Form::Date {
                    year: None,
                    day: None,
                    ..
                } | Form::Season { year: None, .. }
                    | Form::Relative { offset: 1.., .. }
            );
        let compared = f.compared
            && matches!(
                f.form,
                Form::Date { month: Some(_), .. } | Form::Season { .. }
            );
        let around = match f.form {
            Form::MonthRange { year, from, to } => self.winter_around(year, from, to).is_some(),
            _ => false,
        };
        // with no story yet, any date with its year is better than none
        let first = self.anchor.year.is_none()
            && self.title_years.is_empty()
            && self.published.is_none()
            && r.basis == Basis::Explicit;
        let stays = backward
            || aside
            || since
            || f.ahead
            || by_then
            || compared
            || f.attributive
            || f.pluperfect
            || around;
        if first || !stays {
            return Step::Move;
        }
        match f.form {
            Form::Date { year: Some(y), .. } if aside && forward && !since && !f.ahead => {
                Step::Hint(y)
            }
            _ => Step::Stay,
        }
    }

    /// Move the story to a resolved expression ("by 3 April" and "after 3 April" still move
    /// it to that date).
    fn move_anchor(&mut self, r: &Resolved) {
        if r.ambiguous {
            return;
        }
        let (a, b) = (r.earliest, r.latest);
        // an explicit date far from where the story was: a jump it may come back from
        let was = self.anchor.position();
        let jump = r.basis == Basis::Explicit
            && (matches!(
                r.granularity,
                Granularity::Day | Granularity::Days | Granularity::Month
            ))
            && was.is_some_and(|w| (a - w).num_days() < -31 || (a - w).num_days() > 730);
        self.resume = if jump {
            Some(self.anchor.clone())
        } else {
            None
        };
        let month = Some((a.year(), a.month()));
        match r.granularity {
            Granularity::Day => {
                self.anchor = Anchor {
                    day: Some(a),
                    month,
                    year: Some(a.year()),
                    span: Some((a, a)),
                    ..Anchor::default()
                };
            }
            Granularity::Days => {
                // a range ends on its last day: "11–13 May … the following week"
                let exact = (b - a).num_days() <= 3 && b.month() == a.month();
                self.anchor = Anchor {
                    day: exact.then_some(b),
                    month,
                    year: Some(a.year()),
                    span: Some((a, b)),
                    ..Anchor::default()
                };
            }
            Granularity::Month => {
                let narrowed = (b - a).num_days() < 27;
                if self.anchor.month != month || narrowed {
                    self.anchor = Anchor {
                        day: None,
                        month,
                        year: Some(a.year()),
                        span: narrowed.then_some((a, b)),
                        ..Anchor::default()
                    };
                }
            }
            Granularity::Year | Granularity::Season => {
                if self.anchor.year != Some(a.year()) {
                    self.anchor = Anchor {
                        day: None,
                        month: None,
                        year: Some(a.year()),
                        span: None,
                        ..Anchor::default()
                    };
                }
            }
            Granularity::Week | Granularity::Decade => {}
        }
    }
}

/// `offset` units from the story's anchor: "the next day", "two weeks later", "that month".
fn relative_value(
    anchor: &Anchor,
    unit: Unit,
    offset: i64,
    part: Option<Part>,
) -> Option<Resolved> {
    let basis = Basis::Narrative;
    // "99999 weeks later" is no date: offsets stay within a few centuries
    if offset.unsigned_abs() > MAX_RELATIVE_OFFSET {
        return None;
    }
    match unit {
        Unit::Day => match anchor.day {
            Some(base) => Some(Resolved::day(shift(base, offset)?, basis, true)),
            None => {
                // "two days later" after "mid-November": the span, shifted
                let (a, b) = anchor.span?;
                let (a, b) = (shift(a, offset)?, shift(b, offset)?);
                let value = format!("{}-{:02}", year_str(a.year()), a.month());
                Some(Resolved::new(value, (a, b), Granularity::Days, basis, true))
            }
        },
        Unit::Week => {
            let base = anchor.day?;
            let (a, b) = if offset == 0 {
                let monday = shift(base, -(base.weekday().num_days_from_monday() as i64))?;
                (monday, shift(monday, 6)?)
            } else if offset > 0 {
                (shift(base, 1 + 7 * (offset - 1))?, shift(base, 7 * offset)?)
            } else {
                (
                    shift(base, 7 * offset)?,
                    shift(base, -(1 + 7 * (-offset - 1)))?,
                )
            };
            let iso = a.iso_week();
            let value = format!("{}-W{:02}", iso.year(), iso.week());
            Some(Resolved::new(value, (a, b), Granularity::Week, basis, true))
        }
        Unit::Month => {
            let (y, m) = anchor
                .month
                .or_else(|| anchor.day.map(|d| (d.year(), d.month())))?;
            let (y, m) = add_months(y, m, offset);
            let value = format!("{}-{m:02}", year_str(y));
            Some(Resolved::new(
                value,
                month_span(y, m, part)?,
                Granularity::Month,
                basis,
                true,
            ))
        }
        Unit::Year => {
            let y = anchor.year?.checked_add(i32::try_from(offset).ok()?)?;
            Some(Resolved::new(
                year_str(y),
                year_span(y, part)?,
                Granularity::Year,
                basis,
                true,
            ))
        }
    }
}
