//! The temporal normaliser: finds temporal expressions in text and resolves them, in narrative
//! order, to calendar values and intervals.
//!
//! Recognition works on tokens ([`crate::text`]); resolution keeps an anchor that moves with the
//! story (the last fully known date), with the document title and published date as fallbacks.
//! Values keep their granularity: a month stays a month and no day is ever invented; modifiers
//! ("early", "mid-", "the end of") narrow the interval but not the value.
//!
//! # Layout
//! - `words`: the vocabulary the scanner reads (month, number, season, weekday words …).
//! - `form`: what the scanner recognises (`Form`) and what its context says (`Found`).
//! - `scan`: the scanner's entry (`Scanner::at`): modifiers, then calendar expressions
//!   (`scan_dates`), then expressions relative to the story or the published date
//!   (`scan_relative`).
//! - `context`: what the words around an expression say (opens a clause, told ahead, compared …).
//! - `narrative`: [`Narrative`], one per document: the anchor, the title's years, the scan loop.
//! - `resolve`: an expression's value on the anchor, and whether it moves the story.
//! - `calendar`: calendar arithmetic (month ends, seasons, parts of a month or a year).

mod calendar;
mod context;
mod form;
mod narrative;
mod resolve;
mod scan;
mod scan_dates;
mod scan_relative;
mod words;

use chrono::{Datelike, NaiveDate};

pub use chrono::NaiveDate as Date;

/// Whether the temporal vocabulary reads with these word files ([`crate::vocabulary`]).
pub(crate) fn check_words(files: &[serde_json::Value]) -> Result<(), serde_json::Error> {
    words::read(files).map(|_| ())
}
pub use narrative::{Anchor, Narrative};

use crate::text::{tokenize, Token};
use calendar::year_str;
use form::{Found, Split};
use resolve::Resolved;

/// How fine a resolved value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum Granularity {
    Day,
    /// A span of several days ("11–13 May", an ambiguous numeric date).
    Days,
    Week,
    Month,
    Season,
    Year,
    Decade,
}

/// TIMEX2 `MOD`: a part of the value, or how the value relates to the event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum Modifier {
    Start,
    Mid,
    End,
    Approx,
    Before,
    After,
}

impl Modifier {
    pub fn as_str(self) -> &'static str {
        match self {
            Modifier::Start => "START",
            Modifier::Mid => "MID",
            Modifier::End => "END",
            Modifier::Approx => "APPROX",
            Modifier::Before => "BEFORE",
            Modifier::After => "AFTER",
        }
    }
}

/// Where a resolved value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum Basis {
    /// The expression states the full value.
    Explicit,
    /// The year came from the document title.
    Title,
    /// The year or the whole value came from the published date.
    Published,
    /// Relative to the narrative's current date ("the next day").
    Narrative,
    /// The year came from an earlier explicit year of the text.
    EarlierYear,
}

/// One end of a range, as an expression of its own ("11–13 May" → "11" and "13 May").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    /// Byte offsets into the text that was scanned.
    pub start: usize,
    pub end: usize,
    pub value: String,
}

/// A resolved temporal expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timex {
    /// Byte offsets into the text that was scanned.
    pub start: usize,
    pub end: usize,
    pub text: String,
    /// TIMEX2-style value: `2015-05-04`, `2015-05`, `2015`, `2015-SU`, `2015-W19`, `201`.
    pub value: String,
    pub modifier: Option<Modifier>,
    /// The calendar interval, inclusive, narrowed by the modifier.
    pub earliest: NaiveDate,
    pub latest: NaiveDate,
    pub granularity: Granularity,
    pub basis: Basis,
    /// The text allows more than one reading (4/5/2015); the interval covers them all.
    pub ambiguous: bool,
    /// The expression depends on the narrative's anchor ("the next day", "3 April").
    pub relative: bool,
    /// A range's two ends as separate expressions. Empty for other expressions.
    pub parts: Vec<Piece>,
    /// The date names a thing ("the May 2007 high", "the Amendment Act 2021"): it dates no event.
    pub names_thing: bool,
    /// The date stands in brackets, an aside ("Around 19 January 2022 (between 17 - 22 January)").
    pub bracketed: bool,
}

impl Timex {
    /// The expression `f` found in `text` (tokens `toks`, up to token `end_tok`), resolved to `r`.
    fn of(text: &str, toks: &[Token], f: &Found, end_tok: usize, r: Resolved) -> Timex {
        let (s, e) = (toks[f.start].start, toks[end_tok - 1].end);
        let modifier = f.modifier.filter(|m| {
            !matches!(m, Modifier::Before | Modifier::After) || r.granularity != Granularity::Day
        });
        let parts = f
            .split
            .map_or_else(Vec::new, |split| range_ends(toks, f.start, e, split, &r));
        Timex {
            start: s,
            end: e,
            text: text[s..e].to_string(),
            value: r.value,
            modifier,
            earliest: r.earliest,
            latest: r.latest,
            granularity: r.granularity,
            basis: r.basis,
            ambiguous: r.ambiguous,
            relative: r.relative,
            parts,
            names_thing: f.attributive,
            bracketed: f.bracketed,
        }
    }
}

/// The two ends of a range starting at token `start` and ending at byte `e`, each with the
/// value of its end of the interval.
fn range_ends(toks: &[Token], start: usize, e: usize, split: Split, r: &Resolved) -> Vec<Piece> {
    let fmt = |d: NaiveDate, g: Granularity| match g {
        Granularity::Month => format!("{}-{:02}", year_str(d.year()), d.month()),
        Granularity::Year => year_str(d.year()),
        _ => d.format("%Y-%m-%d").to_string(),
    };
    let g = match r.granularity {
        Granularity::Month | Granularity::Year => r.granularity,
        _ => Granularity::Day,
    };
    let latest = r.latest;
    let late = if g == Granularity::Month {
        NaiveDate::from_ymd_opt(latest.year(), latest.month(), 1).unwrap_or(latest)
    } else {
        latest
    };
    let from = toks[start].start;
    let (first_end, second_start) = match split {
        // one hyphenated token: split at the hyphen
        Split::InToken { at } => (from + at, from + at + 1),
        Split::Tokens { first_end, second } => (toks[first_end - 1].end, toks[second].start),
    };
    vec![
        Piece {
            start: from,
            end: first_end,
            value: fmt(r.earliest, g),
        },
        Piece {
            start: second_start,
            end: e,
            value: fmt(late, g),
        },
    ]
}

/// A temporal expression of a whole document, with code-point offsets (as `sitrep timex` prints).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expression {
    /// Code-point offsets into the document text.
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub value: String,
    pub modifier: Option<&'static str>,
}

/// Every temporal expression of a document, resolved in narrative order.
pub fn scan_document(text: &str, title: &str, published: Option<NaiveDate>) -> Vec<Expression> {
    let mut narrative = Narrative::new(title, published);
    let toks = tokenize(text);
    let found = narrative.scan_tokens(text, &toks);
    // byte → code point, in one pass
    let mut out = Vec::with_capacity(found.len());
    let mut chars = 0usize;
    let mut byte = 0usize;
    for t in found {
        let whole = [Piece {
            start: t.start,
            end: t.end,
            value: t.value.clone(),
        }];
        let pieces: &[Piece] = if t.parts.is_empty() { &whole } else { &t.parts };
        for p in pieces {
            let (s, e) = (p.start, p.end);
            chars += text[byte..s].chars().count();
            byte = s;
            let len = text[s..e].chars().count();
            let modifier = t.modifier.map(Modifier::as_str);
            out.push(Expression {
                start: chars,
                end: chars + len,
                text: text[s..e].to_string(),
                value: p.value.clone(),
                modifier,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests;
