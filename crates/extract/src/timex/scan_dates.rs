//! Calendar expressions: dates in every order, months, years, seasons, decades and ranges.

use chrono::NaiveDate;

use super::form::{Form, Found, Split};
use super::scan::Scanner;
use super::words::*;
use crate::text::{TokKind, Token};

impl Scanner<'_> {
    /// Calendar expressions: dates, months, years, seasons, ranges, decades.
    pub fn core(&self, i: usize, after_modifier: bool) -> Option<Found> {
        let t = self.tok(i)?;
        if t.lower == "the" {
            return self.the_date(i);
        }
        // numeric dates: 2015-05-04, 4/5/2015, 4.5.2015
        if t.kind == TokKind::Number {
            if let Some(f) = self.numeric(i) {
                return Some(f);
            }
        }
        if let Some(d) = day_of(t) {
            if let Some(f) = self.day_first(i, d) {
                return Some(f);
            }
        }
        if let Some(f) = self.two_months_in_one_token(i, t) {
            return Some(f);
        }
        if let Some((m, e)) = self.month_at(i) {
            return self.month_first(i, m, e, after_modifier);
        }
        // SEASON [of] YEAR
        if let Some(s) = words().season(&t.lower) {
            let j = if self.word(i + 1) == "of" {
                i + 2
            } else {
                i + 1
            };
            if let Some((y, end)) = self.year_after(j) {
                return Some(Found::new(
                    i,
                    end,
                    Form::Season {
                        year: Some(y),
                        season: s,
                        offset: 0,
                    },
                ));
            }
            if after_modifier && !words().seasons_also_words.contains(&t.lower) {
                return Some(Found::new(
                    i,
                    i + 1,
                    Form::Season {
                        year: None,
                        season: s,
                        offset: 0,
                    },
                ));
            }
            return None;
        }
        // "1990s" after a modifier ("mid-1990s")
        if t.kind == TokKind::Number
            && t.lower.len() == 5
            && t.lower.ends_with('s')
            && after_modifier
        {
            if let Ok(y) = t.lower[..4].parse::<i32>() {
                return Some(Found::new(i, i + 1, Form::Decade(y / 10)));
            }
        }
        self.year_first(i, t)
    }

    /// Expressions opening with "the": "the 1st of May [1945]", "the 13th to the 19th of
    /// October 1950", "the 28 and 29 August", "the summer of 1942", "the 1990s".
    fn the_date(&self, i: usize) -> Option<Found> {
        if let Some(d) = self.tok(i + 1).and_then(day_of) {
            if self.word(i + 2) == "of" {
                if let Some((m, e)) = self.month_at(i + 3) {
                    if self.month_ok(i + 3, true) {
                        let (year, end) = self.with_year(e);
                        return Some(Found::new(
                            i,
                            end,
                            Form::Date {
                                year,
                                month: Some(m),
                                day: Some(d),
                            },
                        ));
                    }
                }
            }
            // "the 13th to the 19th of October 1950"
            let sep = self.tok(i + 2);
            let joins = sep.is_some_and(|t| {
                is_dash(t) || matches!(t.lower.as_str(), "to" | "and" | "through")
            });
            if joins && self.word(i + 3) == "the" && self.word(i + 5) == "of" {
                if let (Some(d2), Some((m, e))) =
                    (self.tok(i + 4).and_then(day_of), self.month_at(i + 6))
                {
                    if d2 > d && self.month_ok(i + 6, true) {
                        let (year, end) = self.with_year(e);
                        let form = Form::DayRange {
                            year,
                            month: m,
                            from: d,
                            to: d2,
                        };
                        return Some(Found::range(i, end, form, (i + 2, i + 3)));
                    }
                }
            }
            // "the 28 and 29 August", "the 3–5 May"
            let range = |f: &Found| matches!(f.form, Form::DayRange { .. } | Form::DaySpan { .. });
            if let Some(f) = self.core(i + 1, false).filter(range) {
                return Some(Found { start: i, ..f });
            }
        }
        // "the summer of 1942", "the spring"; not "the fall of Budapest"
        let fall_of_a_place = words().seasons_also_words.contains(self.word(i + 1))
            && self.word(i + 2) == "of"
            && self.tok(i + 3).and_then(year_of).is_none();
        if let Some(s) = words()
            .season(self.word(i + 1))
            .filter(|_| !fall_of_a_place)
        {
            if self.word(i + 2) == "of" {
                if let Some((y, e)) = self.year_after(i + 3) {
                    return Some(Found::new(
                        i,
                        e,
                        Form::Season {
                            year: Some(y),
                            season: s,
                            offset: 0,
                        },
                    ));
                }
            }
            return Some(Found::new(
                i,
                i + 2,
                Form::Season {
                    year: None,
                    season: s,
                    offset: 0,
                },
            ));
        }
        // "the 1990s"
        let n = self.tok(i + 1)?;
        if n.kind == TokKind::Number && n.lower.len() == 5 && n.lower.ends_with('s') {
            if let Ok(y) = n.lower[..4].parse::<i32>() {
                return Some(Found::new(i, i + 2, Form::Decade(y / 10)));
            }
        }
        None
    }

    /// DAY MONTH [YEAR]: "3 May", "3rd of May 1945", "11–13 May", "11 to 13 May", "11 and 13
    /// May" (after "between"), "18 August – 15 September 1951".
    fn day_first(&self, i: usize, d: u32) -> Option<Found> {
        if let Some(sep) = self.tok(i + 1) {
            if is_dash(sep) || sep.lower == "to" || sep.lower == "and" {
                if let Some(d2) = self.tok(i + 2).and_then(day_of) {
                    if let Some((m, e)) = self.month_at(i + 3) {
                        if self.month_ok(i + 3, true) && d2 >= d {
                            let (year, end) = self.with_year(e);
                            let form = Form::DayRange {
                                year,
                                month: m,
                                from: d,
                                to: d2,
                            };
                            return Some(Found::range(i, end, form, (i + 1, i + 2)));
                        }
                    }
                }
            }
        }
        let j = if self.word(i + 1) == "of" {
            i + 2
        } else {
            i + 1
        };
        let (m, e) = self.month_at(j)?;
        if !self.month_ok(j, true) {
            return None;
        }
        let (year, end) = self.with_year(e);
        // "between 28 February 2022 and 2 March 2022": a span whose ends both name the year
        if let Some(y) = year.filter(|_| i > 0 && self.word(i - 1) == "between") {
            if let Some(f) = self.span_after(i, end, (m, d)) {
                if let Form::DaySpan { year: Some(y2), .. } = f.form {
                    if y2 == y {
                        return Some(f);
                    }
                }
            }
        }
        if year.is_none() {
            if let Some(f) = self.span_after(i, e, (m, d)) {
                return Some(f);
            }
        }
        Some(Found::new(
            i,
            end,
            Form::Date {
                year,
                month: Some(m),
                day: Some(d),
            },
        ))
    }

    /// "August-September 1950": two months in one hyphenated token.
    fn two_months_in_one_token(&self, i: usize, t: &Token) -> Option<Found> {
        if t.kind != TokKind::Word || !t.text.contains('-') {
            return None;
        }
        let parts: Vec<&str> = t.text.split('-').collect();
        let months: Vec<u32> = parts
            .iter()
            .filter_map(|p| words().month(&p.to_lowercase()).map(|(m, _)| m))
            .collect();
        let capitalised = parts
            .iter()
            .all(|p| p.chars().next().is_some_and(char::is_uppercase));
        if parts.len() != 2 || months.len() != 2 || !capitalised {
            return None;
        }
        let (year, end) = self.with_year(i + 1);
        let form = Form::MonthRange {
            year,
            from: months[0],
            to: months[1],
        };
        Some(Found {
            split: Some(Split::InToken { at: parts[0].len() }),
            ..Found::new(i, end, form)
        })
    }

    /// MONTH …: "May 3[, 1945]", "May 3–5", "March 19–April 30", "July 25 of that year",
    /// "May–June 2015", "August of that year", "May [of] 1945", "May".
    fn month_first(&self, i: usize, m: u32, e: usize, after_modifier: bool) -> Option<Found> {
        if let Some(d) = self.tok(e).and_then(day_of) {
            let next_is_count = self
                .tok(e + 1)
                .is_some_and(|n| words().count_nouns.contains(&n.lower) || n.is_punct(':'));
            if self.month_ok(i, true) && !next_is_count {
                return self.month_day(i, m, e, d);
            }
        }
        // MONTH–MONTH YEAR
        if self
            .tok(e)
            .is_some_and(|s| is_dash(s) || s.lower == "to" || s.lower == "and")
        {
            if let Some((m2, e2)) = self.month_at(e + 1) {
                if self.month_ok(e + 1, true) && self.month_ok(i, true) {
                    if let Some((y, end)) = self.year_after(e2) {
                        let form = Form::MonthRange {
                            year: Some(y),
                            from: m,
                            to: m2,
                        };
                        return Some(Found::range(i, end, form, (e, e + 1)));
                    }
                    if self.word(e) != "and" {
                        let form = Form::MonthRange {
                            year: None,
                            from: m,
                            to: m2,
                        };
                        return Some(Found::range(i, e2, form, (e, e + 1)));
                    }
                }
            }
        }
        // "August of that year", "March of the following year"
        if self.word(e) == "of" && self.month_ok(i, true) {
            for (ws, off) in &words().of_year_phrases {
                if self.phrase_at(e + 1, ws) {
                    let form = Form::MonthOf {
                        month: m,
                        offset: *off,
                        same_year: true,
                    };
                    return Some(Found::new(i, e + 1 + ws.len(), form));
                }
            }
        }
        // MONTH [of] YEAR
        let j = if self.word(e) == "of" { e + 1 } else { e };
        if let Some((y, end)) = self.year_after(j) {
            if self.month_ok(i, true) {
                return Some(Found::new(
                    i,
                    end,
                    Form::Date {
                        year: Some(y),
                        month: Some(m),
                        day: None,
                    },
                ));
            }
        }
        // MONTH alone
        if self.month_ok(i, after_modifier) {
            return Some(Found::new(
                i,
                e,
                Form::Date {
                    year: None,
                    month: Some(m),
                    day: None,
                },
            ));
        }
        None
    }

    /// MONTH DAY[–DAY][, YEAR], with the day `d` at token `e`.
    fn month_day(&self, i: usize, m: u32, e: usize, d: u32) -> Option<Found> {
        if self
            .tok(e + 1)
            .is_some_and(|t| is_dash(t) || t.lower == "and" || t.lower == "to")
        {
            if let Some(d2) = self.tok(e + 2).and_then(day_of) {
                let counted = self
                    .tok(e + 3)
                    .is_some_and(|n| words().count_nouns.contains(&n.lower));
                if d2 > d && !counted {
                    let (year, end) = self.with_year(e + 3);
                    let form = Form::DayRange {
                        year,
                        month: m,
                        from: d,
                        to: d2,
                    };
                    return Some(Found::range(i, end, form, (e + 1, e + 2)));
                }
            }
            if let Some(f) = self.span_after(i, e + 1, (m, d)) {
                return Some(f);
            }
        }
        if self.word(e + 1) == "of" {
            // (a day "of the previous year" is not read: no offset below 0)
            for (ws, off) in words().of_year_phrases.iter().filter(|(_, off)| *off >= 0) {
                if self.phrase_at(e + 2, ws) {
                    let form = Form::DayOfYear {
                        month: m,
                        day: d,
                        offset: *off,
                        shift: 0,
                    };
                    return Some(Found::new(i, e + 2 + ws.len(), form));
                }
            }
        }
        let (year, end) = self.with_year(e + 1);
        Some(Found::new(
            i,
            end,
            Form::Date {
                year,
                month: Some(m),
                day: Some(d),
            },
        ))
    }

    /// YEAR, YEAR–YY, eras: "1944", "1915–17", "70 AD", "300 BC"; not "Highway 1944", "$1944",
    /// "1944 troops".
    fn year_first(&self, i: usize, t: &Token) -> Option<Found> {
        if let Some((y, end)) = self.era_year(i) {
            return Some(Found::new(
                i,
                end,
                Form::Date {
                    year: Some(y),
                    month: None,
                    day: None,
                },
            ));
        }
        let y = year_of(t)?;
        let prev = if i == 0 { None } else { self.tok(i - 1) };
        if prev.is_some_and(|p| p.is_capitalized() && words().designators.contains(&p.lower)) {
            return None;
        }
        if prev.is_some_and(|p| p.is_punct('#') || p.is_punct('$') || p.is_punct('£')) {
            return None;
        }
        let counts = |n: &Token| words().count_nouns.contains(&n.lower) || n.is_punct('%');
        if self.tok(i + 1).is_some_and(counts) {
            return None;
        }
        // "1915–17": the second year keeps only its last two digits
        if self.tok(i + 1).is_some_and(is_dash) && !self.tok(i + 1).is_some_and(|d| d.is_punct('/'))
        {
            let two_digits = |n: &&Token| {
                n.kind == TokKind::Number
                    && n.lower.len() == 2
                    && n.lower.chars().all(|c| c.is_ascii_digit())
            };
            if let Some(n) = self.tok(i + 2).filter(two_digits) {
                let yy: i32 = n.lower.parse().ok()?;
                let to = y - y.rem_euclid(100) + yy + if yy <= y.rem_euclid(100) { 100 } else { 0 };
                let not_a_count = !self.tok(i + 3).is_some_and(counts);
                if to - y <= 20 && not_a_count {
                    return Some(Found::range(
                        i,
                        i + 3,
                        Form::YearRange { from: y, to },
                        (i + 1, i + 2),
                    ));
                }
            }
        }
        Some(Found::new(
            i,
            i + 1,
            Form::Date {
                year: Some(y),
                month: None,
                day: None,
            },
        ))
    }

    /// A span into another month after a day and month: the separator at `sep` (a dash, "to",
    /// or "and" after "between"), then "15 September [1951]" or "April 30[, 2003]".
    fn span_after(&self, i: usize, sep: usize, from: (u32, u32)) -> Option<Found> {
        let t = self.tok(sep)?;
        // "between 28 February and 2 March 2022"
        let and_after_between = t.lower == "and" && i > 0 && self.word(i - 1) == "between";
        if !(is_dash(t) || t.lower == "to" || and_after_between) || t.is_punct('/') {
            return None;
        }
        let f = self.core(sep + 1, false)?;
        match f.form {
            Form::Date {
                year,
                month: Some(m2),
                day: Some(d2),
            } if m2 != from.0 => {
                let form = Form::DaySpan {
                    year,
                    from,
                    to: (m2, d2),
                };
                Some(Found::range(i, f.end, form, (sep, sep + 1)))
            }
            _ => None,
        }
    }

    /// Numeric dates: 2015-05-04, 4/5/2015, 4.5.2015 (day and month may be swapped).
    fn numeric(&self, i: usize) -> Option<Found> {
        // tokens: N sep N sep N with the same separator
        let a = self.tok(i)?;
        let s1 = self.tok(i + 1)?;
        let b = self.tok(i + 2)?;
        let s2 = self.tok(i + 3)?;
        let c = self.tok(i + 4)?;
        if ![a, b, c]
            .iter()
            .all(|t| t.kind == TokKind::Number && t.lower.chars().all(|ch| ch.is_ascii_digit()))
        {
            return None;
        }
        if s1.text != s2.text || !matches!(s1.text.as_str(), "-" | "/" | ".") {
            return None;
        }
        // adjacency: no spaces inside
        if s1.start != a.end || b.start != s1.end || s2.start != b.end || c.start != s2.end {
            return None;
        }
        let (x, y, z): (u32, u32, i32) = (
            a.lower.parse().ok()?,
            b.lower.parse().ok()?,
            c.lower.parse().ok()?,
        );
        if a.lower.len() == 4 {
            // ISO: YYYY-MM-DD
            let (yy, mm, dd) = (x as i32, y, z as u32);
            NaiveDate::from_ymd_opt(yy, mm, dd)?;
            return Some(Found::new(
                i,
                i + 5,
                Form::Date {
                    year: Some(yy),
                    month: Some(mm),
                    day: Some(dd),
                },
            ));
        }
        let year = if c.lower.len() == 2 {
            2000 + z
        } else if c.lower.len() == 4 {
            z
        } else {
            return None;
        };
        let form = match (x <= 12, y <= 12) {
            (true, true) if x != y => Form::Ambiguous { year, a: x, b: y },
            (true, true) => Form::Date {
                year: Some(year),
                month: Some(x),
                day: Some(y),
            },
            (false, true) => Form::Date {
                year: Some(year),
                month: Some(y),
                day: Some(x),
            },
            (true, false) => Form::Date {
                year: Some(year),
                month: Some(x),
                day: Some(y),
            },
            (false, false) => return None,
        };
        Some(Found::new(i, i + 5, form))
    }
}
