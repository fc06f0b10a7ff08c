//! The scanner: which pattern of words starts at a token. [`Scanner::at`] tries modifiers
//! ("early", "the end of"), then calendar expressions (`scan_dates.rs`), then expressions
//! relative to the story or the published date (`scan_relative.rs`).

use super::form::{Form, Found, Part, Unit};
use super::words::*;
use super::Modifier;
use crate::text::{TokKind, Token};

pub(super) struct Scanner<'a> {
    pub toks: &'a [Token],
}

impl<'a> Scanner<'a> {
    pub fn tok(&self, i: usize) -> Option<&'a Token> {
        self.toks.get(i)
    }

    pub fn word(&self, i: usize) -> &str {
        self.toks.get(i).map_or("", |t| t.lower.as_str())
    }

    pub fn words_at(&self, i: usize, ws: &[&str]) -> bool {
        ws.iter().enumerate().all(|(k, w)| self.word(i + k) == *w)
    }

    /// An optional year after a date: "2015", ", 2015", "2015 AD".
    pub fn year_after(&self, i: usize) -> Option<(i32, usize)> {
        let mut j = i;
        if self.tok(j).is_some_and(|t| t.is_punct(','))
            || (self.word(j) == "of" && self.tok(j + 1).and_then(year_of).is_some())
        {
            j += 1;
        }
        let y = self.tok(j).and_then(year_of).or_else(|| self.era_year(j).map(|(y, _)| y))?;
        if let Some((yy, n)) = self.era_year(j) {
            return Some((yy, n));
        }
        if self.tok(j + 1).is_some_and(|t| COUNT_NOUNS.contains(&t.lower.as_str())) {
            return None;
        }
        Some((y, j + 1))
    }

    /// The year after token `end`, if any, and where the expression then ends.
    pub fn with_year(&self, end: usize) -> (Option<i32>, usize) {
        self.year_after(end).map_or((None, end), |(y, e)| (Some(y), e))
    }

    /// Years with an era: "70 AD", "AD 70", "300 BC".
    pub fn era_year(&self, i: usize) -> Option<(i32, usize)> {
        let t = self.tok(i)?;
        if t.kind == TokKind::Number && t.lower.chars().all(|c| c.is_ascii_digit()) && t.lower.len() <= 4 {
            let n: i32 = t.lower.parse().ok()?;
            match self.word(i + 1) {
                "ad" | "ce" => return Some((n, i + 2)),
                "bc" | "bce" => return Some((1 - n, i + 2)),
                _ => {}
            }
        }
        if matches!(t.lower.as_str(), "ad") {
            let n = self.tok(i + 1)?;
            if n.kind == TokKind::Number && n.lower.len() <= 4 {
                return Some((n.lower.parse().ok()?, i + 2));
            }
        }
        None
    }

    /// A month word at `i` and where it ends (an abbreviation takes its stop: "Sept.").
    pub fn month_at(&self, i: usize) -> Option<(u32, usize)> {
        let t = self.tok(i)?;
        let m = month_of(t)?;
        let mut end = i + 1;
        if t.lower.len() <= 4
            && self.tok(i + 1).is_some_and(|p| p.is_punct('.'))
            && t.lower != "may"
            && t.lower != "june"
            && t.lower != "july"
        {
            end += 1;
        }
        Some((m, end))
    }

    /// Whether the month word at `i` is really a month (capitalised, and for "may"/"march" with a cue).
    pub fn month_ok(&self, i: usize, strong_context: bool) -> bool {
        let Some(t) = self.tok(i) else { return false };
        if !t.is_capitalized() {
            return false;
        }
        if strong_context {
            return true;
        }
        if matches!(t.lower.as_str(), "may" | "march") {
            let prev = if i == 0 { "" } else { self.word(i - 1) };
            return MONTH_CUES.contains(&prev);
        }
        true
    }

    /// Modifier words before a date: returns the modifier and how many tokens it takes.
    fn modifier_at(&self, i: usize) -> Option<(Modifier, usize, Option<Part>)> {
        let w = self.word(i);
        let one = |m, p| Some((m, 1, p));
        match w {
            "early" => return one(Modifier::Start, Some(Part::Start)),
            "mid" => return one(Modifier::Mid, Some(Part::Mid)),
            "late" => return one(Modifier::End, Some(Part::End)),
            "around" | "about" | "approximately" | "circa" | "c." => return one(Modifier::Approx, None),
            _ => {}
        }
        let phrases: &[(&[&str], Modifier, Part)] = &[
            (&["the", "end", "of"], Modifier::End, Part::End),
            (&["end", "of"], Modifier::End, Part::End),
            (&["the", "beginning", "of"], Modifier::Start, Part::Start),
            (&["beginning", "of"], Modifier::Start, Part::Start),
            (&["the", "start", "of"], Modifier::Start, Part::Start),
            (&["the", "middle", "of"], Modifier::Mid, Part::Mid),
            (&["the", "first", "half", "of"], Modifier::Start, Part::FirstHalf),
            (&["the", "second", "half", "of"], Modifier::End, Part::SecondHalf),
            (&["the", "latter", "half", "of"], Modifier::End, Part::SecondHalf),
            (&["the", "latter", "part", "of"], Modifier::End, Part::End),
            (&["the", "early", "part", "of"], Modifier::Start, Part::Start),
            (&["the", "last", "days", "of"], Modifier::End, Part::End),
            (&["the", "first", "days", "of"], Modifier::Start, Part::Start),
            (&["the", "last", "week", "of"], Modifier::End, Part::End),
            (&["the", "first", "week", "of"], Modifier::Start, Part::Start),
        ];
        for (ws, m, p) in phrases {
            if self.words_at(i, ws) {
                return Some((*m, ws.len(), Some(*p)));
            }
        }
        None
    }

    /// Try every pattern at token `i`; the longest wins.
    pub fn at(&self, i: usize) -> Option<Found> {
        if let Some(f) = self.modified(i) {
            return Some(f);
        }
        if let Some(f) = self.hyphenated(i) {
            return Some(f);
        }
        self.core(i, false).or_else(|| self.relative(i))
    }

    /// Modifiers: "early", "mid-", "the end of" before a date, or before the story's month or
    /// year ("the end of the month", "early the next year", "late that year").
    fn modified(&self, i: usize) -> Option<Found> {
        let (m, n, part) = self.modifier_at(i)?;
        let j = i + n;
        let j = if self.tok(j).is_some_and(|t| t.is_punct('-')) { j + 1 } else { j };
        if let Some(mut f) = self.core(j, true) {
            if matches!(f.form, Form::Date { .. } | Form::Season { .. } | Form::MonthRange { .. } | Form::Decade(_)) {
                f.start = i;
                f.modifier = Some(m);
                return Some(f);
            }
        }
        let part = part?;
        for (ws, unit, off) in [
            (&["the", "month"][..], Unit::Month, 0),
            (&["that", "month"][..], Unit::Month, 0),
            (&["the", "year"][..], Unit::Year, 0),
            (&["that", "year"][..], Unit::Year, 0),
            (&["the", "same", "year"][..], Unit::Year, 0),
            (&["the", "week"][..], Unit::Week, 0),
            (&["the", "next", "year"][..], Unit::Year, 1),
            (&["the", "following", "year"][..], Unit::Year, 1),
            (&["the", "next", "month"][..], Unit::Month, 1),
            (&["the", "following", "month"][..], Unit::Month, 1),
            (&["the", "previous", "year"][..], Unit::Year, -1),
        ] {
            if self.words_at(j, ws) {
                let form = Form::PartOf { unit, part, offset: off };
                return Some(Found::modified(i, j + ws.len(), form, m));
            }
        }
        None
    }

    /// "mid-November", "mid-2015", "mid-1990s": a modifier and a date in one hyphenated token.
    fn hyphenated(&self, i: usize) -> Option<Found> {
        let t = self.tok(i)?;
        for (prefix, m) in [("mid-", Modifier::Mid), ("early-", Modifier::Start), ("late-", Modifier::End)] {
            let Some(rest) = t.lower.strip_prefix(prefix) else { continue };
            let kind = if rest.chars().all(|c| c.is_ascii_digit()) { TokKind::Number } else { TokKind::Word };
            let text = t.text.chars().skip(prefix.chars().count()).collect();
            let sub = Token { kind, start: t.start, end: t.end, text, lower: rest.to_string() };
            if let Some(m2) = month_of(&sub) {
                let (year, end) = self.with_year(i + 1);
                return Some(Found::modified(i, end, Form::Date { year, month: Some(m2), day: None }, m));
            }
            if let Some(y) = year_of(&sub) {
                return Some(Found::modified(i, i + 1, Form::Date { year: Some(y), month: None, day: None }, m));
            }
            if rest.ends_with('s') {
                if let Ok(d) = rest[..rest.len() - 1].parse::<i32>() {
                    if rest.len() == 5 {
                        return Some(Found::modified(i, i + 1, Form::Decade(d / 10), m));
                    }
                }
            }
        }
        None
    }
}
