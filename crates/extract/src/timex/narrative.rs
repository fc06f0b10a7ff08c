//! The narrative: one per document, it walks the expressions in order with an anchor (where
//! the story stands in time), the title's years and the published date as fallbacks.

use chrono::{Datelike, NaiveDate};

use super::calendar::{last_day, ymd};
use super::context::{apposition, read_context};
use super::form::Form;
use super::scan::Scanner;
use super::words::{is_dash, year_of};
use super::{Basis, Timex};
use crate::text::{tokenize, Token};

/// The narrative's position in time while reading a document in order.
#[derive(Debug, Clone, Default)]
pub struct Anchor {
    pub day: Option<NaiveDate>,
    pub month: Option<(i32, u32)>,
    pub year: Option<i32>,
    /// The interval of the last expression finer than a month ("mid-November", "11–13 May"),
    /// for relative days when no exact day is known.
    pub span: Option<(NaiveDate, NaiveDate)>,
    /// A later year named in passing since the anchor was set ("plans for 1777"): the year of
    /// the next date that names none.
    pub hint: Option<i32>,
}

impl Anchor {
    /// The day the story stands at: its day, else the middle of its month.
    pub(super) fn position(&self) -> Option<NaiveDate> {
        self.day
            .or_else(|| self.month.and_then(|(y, m)| ymd(y, m, 15)))
    }
}

/// Resolves expressions in document order. One per document.
#[derive(Debug, Clone)]
pub struct Narrative {
    /// Years the title names, ascending.
    pub(super) title_years: Vec<i32>,
    /// Months the title names with its single year, if any ("May–June 2015").
    pub(super) title_span: Option<(NaiveDate, NaiveDate)>,
    pub(super) published: Option<NaiveDate>,
    pub anchor: Anchor,
    /// Where the story was before the last jump, while the story may yet come back to it.
    pub(super) resume: Option<Anchor>,
    /// The sentence being read named its day exactly ("On 8 January 2022, … on Friday night"):
    /// a weekday in it is the nearest such day, not the next.
    pub(super) day_named_here: bool,
}

impl Narrative {
    /// Start a narrative for a document with this title and optional published date.
    pub fn new(title: &str, published: Option<NaiveDate>) -> Self {
        let toks = tokenize(title);
        let sc = Scanner { toks: &toks };
        let mut years = Vec::new();
        let mut months = Vec::new();
        let mut i = 0;
        while i < toks.len() {
            if let Some(f) = sc.at(i) {
                match f.form {
                    Form::Date { year, month, .. } => {
                        years.extend(year);
                        months.extend(month);
                    }
                    Form::MonthRange { year, from, to } => {
                        years.extend(year);
                        months.push(from);
                        months.push(to);
                    }
                    Form::DayRange { year, month, .. } => {
                        years.extend(year);
                        months.push(month);
                    }
                    Form::Season { year, .. } => years.extend(year),
                    _ => {}
                }
                // "2011–2015": a second year after a dash
                i = f.end.max(i + 1);
                if toks.get(i).is_some_and(is_dash) {
                    if let Some(y) = toks.get(i + 1).and_then(year_of) {
                        years.push(y);
                        i += 2;
                    }
                }
            } else {
                i += 1;
            }
        }
        years.sort_unstable();
        years.dedup();
        let title_span = match (years.as_slice(), months.iter().min(), months.iter().max()) {
            ([y], Some(&a), Some(&b)) => ymd(*y, a, 1).map(|s| (s, last_day(*y, b))),
            _ => None,
        };
        Narrative {
            title_years: years,
            title_span,
            published,
            anchor: Anchor::default(),
            resume: None,
            day_named_here: false,
        }
    }

    /// The interval the title names, if it names a year.
    pub fn title_interval(&self) -> Option<(NaiveDate, NaiveDate)> {
        if let Some(s) = self.title_span {
            return Some(s);
        }
        let (a, b) = (self.title_years.first()?, self.title_years.last()?);
        Some((ymd(*a, 1, 1)?, ymd(*b, 12, 31)?))
    }

    pub fn published(&self) -> Option<NaiveDate> {
        self.published
    }

    /// The year of a date that names none; `month` and `day` as far as known. After a jump
    /// (a flashback or a look far ahead) the story may resume where it was: the year nearest to
    /// either position wins, a date before its position counting double.
    pub(super) fn pick_year(&self, month: u32, day: Option<u32>) -> Option<(i32, Basis)> {
        let here = self.pick_year_on(&self.anchor, month, day)?;
        let Some(resume) = self.resume.as_ref() else {
            return Some(here);
        };
        let Some(back) = self.pick_year_on(resume, month, day) else {
            return Some(here);
        };
        let cost = |y: i32, a: &Anchor| -> Option<i64> {
            let c = ymd(y, month, day.unwrap_or(15).min(28))?;
            let r = a.position().or_else(|| a.year.and_then(|y| ymd(y, 7, 1)))?;
            let d = (c - r).num_days();
            Some(if d >= 0 { d } else { -2 * d })
        };
        match (cost(here.0, &self.anchor), cost(back.0, resume)) {
            (Some(h), Some(b)) if b < h => Some(back),
            _ => Some(here),
        }
    }

    fn pick_year_on(&self, anchor: &Anchor, month: u32, day: Option<u32>) -> Option<(i32, Basis)> {
        let in_title = |y: i32| {
            self.title_years.first().is_some_and(|a| *a <= y)
                && self.title_years.last().is_some_and(|b| y <= *b)
        };
        if let Some(h) = anchor
            .hint
            .filter(|h| self.title_years.is_empty() || in_title(*h))
        {
            return Some((
                h,
                if in_title(h) {
                    Basis::Title
                } else {
                    Basis::EarlierYear
                },
            ));
        }
        if let Some(ay) = anchor.year {
            if self.title_years.is_empty() || in_title(ay) {
                let mut y = ay;
                if let Some((my, am)) = anchor.month {
                    // a narrative runs forward: a month five or more before the anchor's rolls to
                    // the next year
                    if my == ay
                        && month + 5 <= am
                        && (self.title_years.is_empty() || in_title(ay + 1))
                    {
                        y += 1;
                    }
                }
                // a report does not tell of days after its publication
                if let Some(p) = self.published {
                    if ymd(y, month, day.unwrap_or(1).min(28)).is_some_and(|dt| dt > p)
                        && y == p.year()
                    {
                        y -= 1;
                    }
                }
                let basis = if in_title(y) {
                    Basis::Title
                } else {
                    Basis::EarlierYear
                };
                return Some((y, basis));
            }
        }
        if let (Some(&first), Some(&last)) = (self.title_years.first(), self.title_years.last()) {
            // the first title year that is not before the anchor
            let y = match anchor.month {
                Some((ay, am)) => (first..=last)
                    .find(|y| (*y, month) >= (ay, am))
                    .unwrap_or(first),
                None => first,
            };
            return Some((y, Basis::Title));
        }
        if let Some(p) = self.published {
            let mut y = p.year();
            let d = day.unwrap_or(1);
            if ymd(y, month, d.min(28)).is_some_and(|dt| dt > p) {
                y -= 1;
            }
            return Some((y, Basis::Published));
        }
        None
    }

    pub(super) fn reference_day(&self) -> Option<(NaiveDate, Basis)> {
        self.anchor
            .day
            .map(|d| (d, Basis::Narrative))
            .or(self.published.map(|p| (p, Basis::Published)))
    }

    /// Find and resolve every temporal expression of `text` (one sentence or more), in order,
    /// moving the anchor as the story goes.
    pub fn scan(&mut self, text: &str) -> Vec<Timex> {
        let toks = tokenize(text);
        self.scan_tokens(text, &toks)
    }

    /// As [`Narrative::scan`], on tokens already made from `text`.
    pub fn scan_tokens(&mut self, text: &str, toks: &[Token]) -> Vec<Timex> {
        let sc = Scanner { toks };
        let mut out: Vec<Timex> = Vec::new();
        let mut i = 0;
        // token just after the last expression, when that expression was one exact day
        let mut after_day: Option<usize> = None;
        self.day_named_here = false;
        while i < toks.len() {
            if let Some(end) = after_day
                .filter(|e| e + 1 == i)
                .and_then(|_| apposition(toks, i))
            {
                // "On 21 July 1936, the fifth day of the rebellion, …": the phrase names that day
                if let Some(prev) = out.last() {
                    let (s, e) = (toks[i].start, toks[end - 1].end);
                    let text = text[s..e].to_string();
                    let basis = Basis::Narrative;
                    let t = Timex {
                        start: s,
                        end: e,
                        text,
                        modifier: None,
                        parts: Vec::new(),
                        relative: true,
                        basis,
                        names_thing: false,
                        bracketed: false,
                        ..prev.clone()
                    };
                    out.push(t);
                    after_day = None;
                    i = end;
                    continue;
                }
            }
            let Some(mut f) = sc.at(i) else {
                i += 1;
                continue;
            };
            let end_tok = f.end.max(i + 1);
            read_context(&mut f, text, toks, end_tok, out.last().map(|t| t.start));
            if let Some(r) = self.resolve(&f) {
                if r.basis == Basis::Explicit && r.earliest == r.latest {
                    self.day_named_here = true;
                }
                let t = Timex::of(text, toks, &f, end_tok, r);
                after_day = (t.granularity == super::Granularity::Day && t.parts.is_empty())
                    .then_some(end_tok);
                out.push(t);
            }
            i = end_tok;
        }
        out
    }
}
