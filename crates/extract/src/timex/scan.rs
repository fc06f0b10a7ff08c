//! The scanner: which pattern of words starts at a token. [`Scanner::at`] tries modifiers
//! ("early", "the end of"), then calendar expressions (`scan_dates.rs`), then expressions
//! relative to the story or the published date (`scan_relative.rs`).

use super::calendar::part_of_modifier;
use super::form::{Form, Found, Part};
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

    /// Whether the words of a phrase of the vocabulary start at `i`.
    pub fn phrase_at(&self, i: usize, ws: &[String]) -> bool {
        ws.iter().enumerate().all(|(k, w)| self.word(i + k) == w)
    }

    /// An optional year after a date: "2015", ", 2015", "2015 AD".
    pub fn year_after(&self, i: usize) -> Option<(i32, usize)> {
        let mut j = i;
        if self.tok(j).is_some_and(|t| t.is_punct(','))
            || (self.word(j) == "of" && self.tok(j + 1).and_then(year_of).is_some())
        {
            j += 1;
        }
        let y = self
            .tok(j)
            .and_then(year_of)
            .or_else(|| self.era_year(j).map(|(y, _)| y))?;
        if let Some((yy, n)) = self.era_year(j) {
            return Some((yy, n));
        }
        if self
            .tok(j + 1)
            .is_some_and(|t| words().count_nouns.contains(&t.lower))
        {
            return None;
        }
        Some((y, j + 1))
    }

    /// The year after token `end`, if any, and where the expression then ends.
    pub fn with_year(&self, end: usize) -> (Option<i32>, usize) {
        self.year_after(end)
            .map_or((None, end), |(y, e)| (Some(y), e))
    }

    /// Years with an era: "70 AD", "AD 70", "300 BC".
    pub fn era_year(&self, i: usize) -> Option<(i32, usize)> {
        let t = self.tok(i)?;
        if t.kind == TokKind::Number
            && t.lower.chars().all(|c| c.is_ascii_digit())
            && t.lower.len() <= 4
        {
            let n: i32 = t.lower.parse().ok()?;
            match words().eras.get(self.word(i + 1)) {
                Some(false) => return Some((n, i + 2)),
                Some(true) => return Some((1 - n, i + 2)),
                None => {}
            }
        }
        if words().era_prefixes.contains(&t.lower) {
            let n = self.tok(i + 1)?;
            if n.kind == TokKind::Number && n.lower.len() <= 4 {
                return Some((n.lower.parse().ok()?, i + 2));
            }
        }
        None
    }

    /// A month word at `i` and where it ends (an abbreviation takes its stop: "Sept.").
    pub fn month_at(&self, i: usize) -> Option<(u32, usize)> {
        let t = self.tok(i).filter(|t| t.kind == TokKind::Word)?;
        let (m, short) = words().month(&t.lower)?;
        let mut end = i + 1;
        if short && self.tok(i + 1).is_some_and(|p| p.is_punct('.')) {
            end += 1;
        }
        Some((m, end))
    }

    /// Whether the month word at `i` is really a month (capitalised, and for a month that is
    /// also a common word, "may" or "march", with a cue).
    pub fn month_ok(&self, i: usize, strong_context: bool) -> bool {
        let Some(t) = self.tok(i) else { return false };
        if !t.is_capitalized() {
            return false;
        }
        if strong_context {
            return true;
        }
        if words().months_also_words.contains(&t.lower) {
            let prev = if i == 0 { "" } else { self.word(i - 1) };
            return words().month_cues.contains(prev);
        }
        true
    }

    /// Modifier words before a date ("early", "the end of"): the modifier, how many tokens it
    /// takes, and the part of the period it names.
    fn modifier_at(&self, i: usize) -> Option<(Modifier, usize, Option<Part>)> {
        if let Some(&m) = words().modifiers.get(self.word(i)) {
            return Some((m, 1, part_of_modifier(Some(m))));
        }
        let (ws, part) = words()
            .part_phrases
            .iter()
            .find(|(ws, _)| self.phrase_at(i, ws))?;
        Some((part.modifier(), ws.len(), Some(*part)))
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
        let j = if self.tok(j).is_some_and(|t| t.is_punct('-')) {
            j + 1
        } else {
            j
        };
        if let Some(mut f) = self.core(j, true) {
            if matches!(
                f.form,
                Form::Date { .. } | Form::Season { .. } | Form::MonthRange { .. } | Form::Decade(_)
            ) {
                f.start = i;
                f.modifier = Some(m);
                return Some(f);
            }
        }
        let part = part?;
        let (ws, unit, offset) = words()
            .period_phrases
            .iter()
            .find(|(ws, _, _)| self.phrase_at(j, ws))?;
        let form = Form::PartOf {
            unit: *unit,
            part,
            offset: *offset,
        };
        Some(Found::modified(i, j + ws.len(), form, m))
    }

    /// "mid-November", "mid-2015", "mid-1990s": a modifier and a date in one hyphenated token.
    fn hyphenated(&self, i: usize) -> Option<Found> {
        let t = self.tok(i)?;
        for (prefix, m) in &words().prefixes {
            let m = *m;
            let Some(rest) = t.lower.strip_prefix(prefix) else {
                continue;
            };
            let kind = if rest.chars().all(|c| c.is_ascii_digit()) {
                TokKind::Number
            } else {
                TokKind::Word
            };
            let text = t.text.chars().skip(prefix.chars().count()).collect();
            let sub = Token {
                kind,
                start: t.start,
                end: t.end,
                text,
                lower: rest.to_string(),
            };
            if let Some(m2) = month_of(&sub) {
                let (year, end) = self.with_year(i + 1);
                return Some(Found::modified(
                    i,
                    end,
                    Form::Date {
                        year,
                        month: Some(m2),
                        day: None,
                    },
                    m,
                ));
            }
            if let Some(y) = year_of(&sub) {
                return Some(Found::modified(
                    i,
                    i + 1,
                    Form::Date {
                        year: Some(y),
                        month: None,
                        day: None,
                    },
                    m,
                ));
            }
            if let Some(digits) = rest.strip_suffix('s') {
                if let Ok(d) = digits.parse::<i32>() {
                    if rest.len() == 5 {
                        return Some(Found::modified(i, i + 1, Form::Decade(d / 10), m));
                    }
                }
            }
        }
        None
    }
}
