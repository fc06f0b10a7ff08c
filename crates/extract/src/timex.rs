//! The temporal normaliser: finds temporal expressions in text and resolves them, in narrative
//! order, to calendar values and intervals.
//!
//! Recognition works on tokens ([`crate::text`]); resolution keeps an anchor that moves with the
//! story (the last fully known date), with the document title and published date as fallbacks.
//! Values keep their granularity: a month stays a month and no day is ever invented; modifiers
//! ("early", "mid-", "the end of") narrow the interval but not the value.

use chrono::{Datelike, Duration, NaiveDate, Weekday};

use crate::text::{tokenize, TokKind, Token};

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
    /// A range's two ends as separate expressions (byte start, byte end, value): "11–13 May"
    /// → "11" and "13 May". Empty for other expressions.
    pub parts: Vec<(usize, usize, String)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Season {
    Spring,
    Summer,
    Autumn,
    Winter,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Day,
    Week,
    Month,
    Year,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Start,
    Mid,
    End,
    FirstHalf,
    SecondHalf,
}

/// A recognised expression before resolution.
#[derive(Debug, Clone, PartialEq)]
enum Form {
    /// Calendar date with any of its parts missing (a day without a month is never made).
    Date { year: Option<i32>, month: Option<u32>, day: Option<u32> },
    /// Day range in one month: "11–13 May".
    DayRange { year: Option<i32>, month: u32, from: u32, to: u32 },
    /// Month range: "May–June 2015".
    MonthRange { year: Option<i32>, from: u32, to: u32 },
    /// Days in different months: "18 August – 15 September 1951", "March 19–April 30".
    DaySpan { year: Option<i32>, from: (u32, u32), to: (u32, u32) },
    /// Years with the second abbreviated: "1915–17", "2007-08".
    YearRange { from: i32, to: i32 },
    /// Numeric date whose day and month may be swapped.
    Ambiguous { year: i32, a: u32, b: u32 },
    Season { year: Option<i32>, season: Season, offset: i64 },
    /// Relative to the anchor by a number of units (0: the same unit).
    Relative { unit: Unit, offset: i64 },
    /// A part of the anchor's month or year ("the end of the month").
    PartOf { unit: Unit, part: Part, offset: i64 },
    /// Relative to the published date ("yesterday").
    Deictic { unit: Unit, offset: i64 },
    Weekday(Weekday),
    Decade(i32),
    /// "the 20th": a day of the narrative's month.
    DayOfMonth(u32),
    /// "July 25 of that year", "January 24 of the same year"; `shift` days after it ("eight
    /// days before the new year": 1 January of the next year, shifted -8).
    DayOfYear { month: u32, day: u32, offset: i64, shift: i64 },
    /// "the previous April" (-1), "the following March" (1), "March of that year" (0 with year offset).
    MonthOf { month: u32, offset: i64, same_year: bool },
    /// "at the same time", "by this time": the story's time, as precisely as the story knows it.
    Current,
}

/// Nouns after an ordinal that make it not a day ("the 20th century", "the 1st Division").
const ORDINAL_NOUNS: &[&str] = &[
    "century", "centuries", "anniversary", "parallel", "division", "brigade", "regiment", "army", "corps", "battalion",
    "infantry", "armored", "armoured", "panzer", "amendment", "congress", "floor", "round", "minute", "birthday",
    "generation", "day", "time", "place", "largest", "most", "time", "fleet", "squadron", "wing", "group", "marine",
    "marines", "airborne", "cavalry", "mechanized", "guards", "rifle", "mountain", "light", "special", "street", "avenue",
    "dynasty", "session", "edition", "year", "month", "week", "hour", "of",
];

const MONTHS: &[(&str, u32)] = &[
    ("january", 1), ("february", 2), ("march", 3), ("april", 4), ("may", 5), ("june", 6), ("july", 7), ("august", 8),
    ("september", 9), ("october", 10), ("november", 11), ("december", 12), ("jan", 1), ("feb", 2), ("mar", 3), ("apr", 4),
    ("jun", 6), ("jul", 7), ("aug", 8), ("sep", 9), ("sept", 9), ("oct", 10), ("nov", 11), ("dec", 12),
];

fn month_of(t: &Token) -> Option<u32> {
    if t.kind != TokKind::Word {
        return None;
    }
    MONTHS.iter().find(|(n, _)| *n == t.lower).map(|&(_, m)| m)
}

const NUMBER_WORDS: &[(&str, i64)] = &[
    ("a", 1), ("an", 1), ("one", 1), ("two", 2), ("three", 3), ("four", 4), ("five", 5), ("six", 6), ("seven", 7),
    ("eight", 8), ("nine", 9), ("ten", 10), ("eleven", 11), ("twelve", 12), ("thirteen", 13), ("fourteen", 14),
    ("fifteen", 15), ("sixteen", 16), ("seventeen", 17), ("eighteen", 18), ("nineteen", 19), ("twenty", 20),
    ("thirty", 30), ("forty", 40), ("fifty", 50), ("sixty", 60), ("a couple of", 2),
];

const ORDINAL_WORDS: &[(&str, u32)] = &[
    ("first", 1), ("second", 2), ("third", 3), ("fourth", 4), ("fifth", 5), ("sixth", 6), ("seventh", 7), ("eighth", 8),
    ("ninth", 9), ("tenth", 10), ("eleventh", 11), ("twelfth", 12), ("thirteenth", 13), ("fourteenth", 14),
    ("fifteenth", 15), ("sixteenth", 16), ("seventeenth", 17), ("eighteenth", 18), ("nineteenth", 19), ("twentieth", 20),
    ("twenty-first", 21), ("twenty-second", 22), ("twenty-third", 23), ("twenty-fourth", 24), ("twenty-fifth", 25),
    ("twenty-sixth", 26), ("twenty-seventh", 27), ("twenty-eighth", 28), ("twenty-ninth", 29), ("thirtieth", 30),
    ("thirty-first", 31),
];

/// Nouns after which a number is a count, not a year ("2000 troops").
const COUNT_NOUNS: &[&str] = &[
    "troops", "men", "soldiers", "fighters", "people", "civilians", "tanks", "km", "kilometres", "kilometers", "miles",
    "meters", "metres", "feet", "aircraft", "planes", "guns", "rockets", "shells", "casualties", "dead", "killed",
    "wounded", "prisoners", "vehicles", "members", "militants", "rebels", "residents", "refugees", "families", "homes",
    "houses", "square", "hectares", "tons", "tonnes", "rounds", "times", "sorties", "strong", "mm", "artillery", "ships",
    "guerrillas", "cavalry", "infantry", "officers", "sailors", "airmen", "persons", "hours", "minutes", "divisions",
    "battalions", "brigades", "regiments", "units", "dollars", "pounds", "votes", "seats", "points", "percent", "%",
    "yards", "inhabitants", "workers", "children", "women", "deaths", "votes", "captives", "pows", "boats", "bombers",
    "fighters", "missiles", "positions", "villages",
];

/// Capitalised words before which a number is a designator ("Highway 1944", "Resolution 2254").
const DESIGNATORS: &[&str] = &[
    "highway", "route", "road", "resolution", "no", "number", "page", "pages", "p", "pp", "hill", "height", "flight",
    "squadron", "division", "brigade", "regiment", "corps", "army", "group", "unit", "battalion", "article", "chapter",
    "section", "volume", "vol", "point", "kilometre", "kilometer", "km", "mile", "model", "type", "class", "operation",
];

fn number_value(t: &Token) -> Option<i64> {
    if t.kind == TokKind::Number {
        return t.lower.parse().ok();
    }
    NUMBER_WORDS.iter().find(|(w, _)| *w == t.lower).map(|&(_, n)| n)
}

/// A day of the month: "3", "3rd", "third".
fn day_of(t: &Token) -> Option<u32> {
    let d = if t.kind == TokKind::Number {
        let digits: String = t.lower.chars().take_while(char::is_ascii_digit).collect();
        let suffix = &t.lower[digits.len()..];
        if !matches!(suffix, "" | "st" | "nd" | "rd" | "th") || digits.len() > 2 {
            return None;
        }
        digits.parse().ok()?
    } else {
        ORDINAL_WORDS.iter().find(|(w, _)| *w == t.lower).map(|&(_, n)| n)?
    };
    (1..=31).contains(&d).then_some(d)
}

/// A year: three or four plain digits (with "AD"/"BC" handled by the caller).
fn year_of(t: &Token) -> Option<i32> {
    if t.kind != TokKind::Number || !t.lower.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let y: i32 = t.lower.parse().ok()?;
    (t.lower.len() == 4 && (1000..=2199).contains(&y)).then_some(y)
}

fn season_of(w: &str) -> Option<Season> {
    match w {
        "spring" => Some(Season::Spring),
        "summer" => Some(Season::Summer),
        "autumn" | "fall" => Some(Season::Autumn),
        "winter" => Some(Season::Winter),
        _ => None,
    }
}

fn weekday_of(w: &str) -> Option<Weekday> {
    Some(match w {
        "monday" => Weekday::Mon,
        "tuesday" => Weekday::Tue,
        "wednesday" => Weekday::Wed,
        "thursday" => Weekday::Thu,
        "friday" => Weekday::Fri,
        "saturday" => Weekday::Sat,
        "sunday" => Weekday::Sun,
        _ => return None,
    })
}

fn is_dash(t: &Token) -> bool {
    t.kind == TokKind::Punct && matches!(t.text.as_str(), "-" | "\u{2013}" | "\u{2014}" | "/")
}

/// Words after which a bare capitalised "May"/"March" is a month, not a verb.
const MONTH_CUES: &[&str] = &[
    "in", "of", "by", "during", "since", "until", "till", "through", "throughout", "from", "to", "early", "mid", "late",
    "before", "after", "between", "end", "beginning", "middle", "start", "and", "or", "last", "next", "following",
    "that", "this", "(", ",", "around", "about", "on", "into", "for", "within", "-",
];

struct Scanner<'a> {
    toks: &'a [Token],
}

struct Found {
    start: usize,
    end: usize,
    form: Form,
    modifier: Option<Modifier>,
    /// For ranges: where the first part ends and the second begins (token indexes).
    split: Option<(usize, usize)>,
    /// The expression opens its sentence or clause ("In 1943, …"), set by the scanner.
    opens_clause: bool,
    /// The expression tells of a time ahead of the story ("until …", "planned for …").
    ahead: bool,
    /// The expression is in brackets ("(1790)", "(Davies 2004)"), set by the scanner.
    bracketed: bool,
    /// The expression is what something is compared with ("compared to the carnage of November"):
    /// a time before the story's.
    compared: bool,
    /// The expression qualifies a noun ("the May 2007 high", "the June 1944 landings"): a name
    /// for something, not a step of the story.
    attributive: bool,
    /// Inside its clause, a past perfect comes before the expression ("forces that had invaded
    /// Burma in late 1943"): a look back.
    pluperfect: bool,
    /// The first expression of a paragraph that follows a heading: a section often opens where
    /// its story starts ("Yorktown\n\nThe theaters converged in 1781 at Yorktown. In early
    /// September …").
    leads_section: bool,
}

impl Found {
    /// What a pattern found from token `start` to `end`; the scanner sets what the context says.
    fn new(start: usize, end: usize, form: Form) -> Found {
        Found { start, end, form, modifier: None, split: None, opens_clause: false, ahead: false, bracketed: false, compared: false, attributive: false, pluperfect: false, leads_section: false }
    }
}

impl<'a> Scanner<'a> {
    fn tok(&self, i: usize) -> Option<&'a Token> {
        self.toks.get(i)
    }

    fn word(&self, i: usize) -> &str {
        self.toks.get(i).map_or("", |t| t.lower.as_str())
    }

    fn words_at(&self, i: usize, ws: &[&str]) -> bool {
        ws.iter().enumerate().all(|(k, w)| self.word(i + k) == *w)
    }

    /// An optional year after a date: "2015", ", 2015", "2015 AD".
    fn year_after(&self, i: usize) -> Option<(i32, usize)> {
        let mut j = i;
        if self.tok(j).is_some_and(|t| t.is_punct(',')) || (self.word(j) == "of" && self.tok(j + 1).and_then(year_of).is_some()) {
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

    /// Years with an era: "70 AD", "AD 70", "300 BC".
    fn era_year(&self, i: usize) -> Option<(i32, usize)> {
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

    fn month_at(&self, i: usize) -> Option<(u32, usize)> {
        let t = self.tok(i)?;
        let m = month_of(t)?;
        let mut end = i + 1;
        if t.lower.len() <= 4 && self.tok(i + 1).is_some_and(|p| p.is_punct('.')) && t.lower != "may" && t.lower != "june" && t.lower != "july" {
            end += 1;
        }
        Some((m, end))
    }

    /// Whether the month word at `i` is really a month (capitalised, and for "may"/"march" with a cue).
    fn month_ok(&self, i: usize, strong_context: bool) -> bool {
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
    fn at(&self, i: usize) -> Option<Found> {
        // modifiers: "early", "mid-", "the end of"
        if let Some((m, n, part)) = self.modifier_at(i) {
            let j = i + n;
            let j = if self.tok(j).is_some_and(|t| t.is_punct('-')) { j + 1 } else { j };
            if let Some(mut f) = self.core(j, true) {
                if matches!(f.form, Form::Date { .. } | Form::Season { .. } | Form::MonthRange { .. } | Form::Decade(_)) {
                    f.start = i;
                    f.modifier = Some(m);
                    return Some(f);
                }
            }
            // "the end of the month", "early the next year", "late that year"
            if let Some(part) = part {
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
                    (&["the", "war"][..], Unit::Day, 99),
                ] {
                    if unit != Unit::Day && self.words_at(j, ws) {
                        return Some(Found { modifier: Some(m), ..Found::new(i, j + ws.len(), Form::PartOf { unit, part, offset: off }) });
                    }
                }
            }
        }
        // "mid-November", "mid-2015": one hyphenated token
        if let Some(t) = self.tok(i) {
            for (prefix, m) in [("mid-", Modifier::Mid), ("early-", Modifier::Start), ("late-", Modifier::End)] {
                if let Some(rest) = t.lower.strip_prefix(prefix) {
                    let sub = Token { kind: if rest.chars().all(|c| c.is_ascii_digit()) { TokKind::Number } else { TokKind::Word }, start: t.start, end: t.end, text: t.text.chars().skip(prefix.chars().count()).collect(), lower: rest.to_string() };
                    if let Some(m2) = month_of(&sub) {
                        let (year, end) = match self.year_after(i + 1) {
                            Some((y, e)) => (Some(y), e),
                            None => (None, i + 1),
                        };
                        return Some(Found { modifier: Some(m), ..Found::new(i, end, Form::Date { year, month: Some(m2), day: None }) });
                    }
                    if let Some(y) = year_of(&sub) {
                        return Some(Found { modifier: Some(m), ..Found::new(i, i + 1, Form::Date { year: Some(y), month: None, day: None }) });
                    }
                    if rest.ends_with('s') {
                        if let Ok(d) = rest[..rest.len() - 1].parse::<i32>() {
                            if rest.len() == 5 {
                                return Some(Found { modifier: Some(m), ..Found::new(i, i + 1, Form::Decade(d / 10)) });
                            }
                        }
                    }
                }
            }
        }
        self.core(i, false).or_else(|| self.relative(i))
    }

    /// Calendar expressions: dates, months, years, seasons, ranges, decades.
    fn core(&self, i: usize, after_modifier: bool) -> Option<Found> {
        let t = self.tok(i)?;
        let found = |end, form| Some(Found::new(i, end, form));
        let split = |end, form, at| Some(Found { split: Some(at), ..Found::new(i, end, form) });

        // "the 1st of May [1945]"
        if t.lower == "the" {
            if let Some(d) = self.tok(i + 1).and_then(day_of) {
                if self.word(i + 2) == "of" {
                    if let Some((m, e)) = self.month_at(i + 3) {
                        if self.month_ok(i + 3, true) {
                            let (year, end) = self.year_after(e).map_or((None, e), |(y, e)| (Some(y), e));
                            return found(end, Form::Date { year, month: Some(m), day: Some(d) });
                        }
                    }
                }
            }
            // "the 13th to the 19th of October 1950"
            if let Some(d) = self.tok(i + 1).and_then(day_of) {
                let sep = self.tok(i + 2);
                if sep.is_some_and(|t| is_dash(t) || matches!(t.lower.as_str(), "to" | "and" | "through")) && self.word(i + 3) == "the" && self.word(i + 5) == "of" {
                    if let (Some(d2), Some((m, e))) = (self.tok(i + 4).and_then(day_of), self.month_at(i + 6)) {
                        if d2 > d && self.month_ok(i + 6, true) {
                            let (year, end) = self.year_after(e).map_or((None, e), |(y, e)| (Some(y), e));
                            return split(end, Form::DayRange { year, month: m, from: d, to: d2 }, (i + 2, i + 3));
                        }
                    }
                }
            }
            // "the 28 and 29 August", "the 3–5 May"
            if self.tok(i + 1).and_then(day_of).is_some() {
                if let Some(f) = self.core(i + 1, false).filter(|f| matches!(f.form, Form::DayRange { .. } | Form::DaySpan { .. })) {
                    return Some(Found { start: i, ..f });
                }
            }
            // "the summer of 1942", "the spring"; not "the fall of Budapest"
            if let Some(s) = season_of(self.word(i + 1)).filter(|_| !(self.word(i + 1) == "fall" && self.word(i + 2) == "of" && self.tok(i + 3).and_then(year_of).is_none())) {
                if self.word(i + 2) == "of" {
                    if let Some((y, e)) = self.year_after(i + 3) {
                        return found(e, Form::Season { year: Some(y), season: s, offset: 0 });
                    }
                }
                return found(i + 2, Form::Season { year: None, season: s, offset: 0 });
            }
            // "the 1990s"
            if let Some(n) = self.tok(i + 1) {
                if n.kind == TokKind::Number && n.lower.len() == 5 && n.lower.ends_with('s') {
                    if let Ok(y) = n.lower[..4].parse::<i32>() {
                        return found(i + 2, Form::Decade(y / 10));
                    }
                }
            }
            return None;
        }

        // numeric dates: 2015-05-04, 4/5/2015, 4.5.2015
        if t.kind == TokKind::Number {
            if let Some(f) = self.numeric(i) {
                return Some(f);
            }
        }

        // DAY MONTH [YEAR], DAY–DAY MONTH [YEAR], "between 11 and 13 May" handled by the caller's words
        if let Some(d) = day_of(t) {
            // "11–13 May", "11 to 13 May", "11 and 13 May" (after "between")
            if let Some(sep) = self.tok(i + 1) {
                if is_dash(sep) || sep.lower == "to" || sep.lower == "and" {
                    if let Some(d2) = self.tok(i + 2).and_then(day_of) {
                        if let Some((m, e)) = self.month_at(i + 3) {
                            if self.month_ok(i + 3, true) && d2 >= d {
                                let (year, end) = self.year_after(e).map_or((None, e), |(y, e)| (Some(y), e));
                                return split(end, Form::DayRange { year, month: m, from: d, to: d2 }, (i + 1, i + 2));
                            }
                        }
                    }
                }
            }
            let (j, _of) = if self.word(i + 1) == "of" { (i + 2, true) } else { (i + 1, false) };
            if let Some((m, e)) = self.month_at(j) {
                if self.month_ok(j, true) {
                    let (year, end) = self.year_after(e).map_or((None, e), |(y, e)| (Some(y), e));
                    if year.is_none() {
                        if let Some(f) = self.span_after(i, e, (m, d)) {
                            return Some(f);
                        }
                    }
                    return found(end, Form::Date { year, month: Some(m), day: Some(d) });
                }
            }
        }

        // "August-September 1950": two months in one hyphenated token
        if t.kind == TokKind::Word && t.text.contains('-') {
            let parts: Vec<&str> = t.text.split('-').collect();
            let months: Vec<u32> = parts.iter().filter_map(|p| MONTHS.iter().find(|(n, _)| *n == p.to_lowercase()).map(|&(_, m)| m)).collect();
            if parts.len() == 2 && months.len() == 2 && parts.iter().all(|p| p.chars().next().is_some_and(char::is_uppercase)) {
                let (year, end) = self.year_after(i + 1).map_or((None, i + 1), |(y, e)| (Some(y), e));
                return Some(Found { split: Some((usize::MAX, parts[0].len())), ..Found::new(i, end, Form::MonthRange { year, from: months[0], to: months[1] }) });
            }
        }
        // MONTH ...
        if let Some((m, e)) = self.month_at(i) {
            // MONTH DAY[–DAY][, YEAR]
            if let Some(d) = self.tok(e).and_then(day_of) {
                let next_is_count = self.tok(e + 1).is_some_and(|n| COUNT_NOUNS.contains(&n.lower.as_str()) || n.is_punct(':'));
                if self.month_ok(i, true) && !next_is_count {
                    if self.tok(e + 1).is_some_and(|t| is_dash(t) || t.lower == "and" || t.lower == "to") {
                        if let Some(d2) = self.tok(e + 2).and_then(day_of) {
                            let counted = self.tok(e + 3).is_some_and(|n| COUNT_NOUNS.contains(&n.lower.as_str()));
                            if d2 > d && !counted {
                                let (year, end) = self.year_after(e + 3).map_or((None, e + 3), |(y, e)| (Some(y), e));
                                return split(end, Form::DayRange { year, month: m, from: d, to: d2 }, (e + 1, e + 2));
                            }
                        }
                        if let Some(f) = self.span_after(i, e + 1, (m, d)) {
                            return Some(f);
                        }
                    }
                    if self.word(e + 1) == "of" {
                        for (ws, off) in [(&["that", "year"][..], 0), (&["the", "same", "year"][..], 0), (&["the", "following", "year"][..], 1), (&["the", "next", "year"][..], 1)] {
                            if self.words_at(e + 2, ws) {
                                return found(e + 2 + ws.len(), Form::DayOfYear { month: m, day: d, offset: off, shift: 0 });
                            }
                        }
                    }
                    let (year, end) = self.year_after(e + 1).map_or((None, e + 1), |(y, e)| (Some(y), e));
                    return found(end, Form::Date { year, month: Some(m), day: Some(d) });
                }
            }
            // MONTH–MONTH YEAR
            if self.tok(e).is_some_and(|s| is_dash(s) || s.lower == "to" || s.lower == "and") {
                if let Some((m2, e2)) = self.month_at(e + 1) {
                    if self.month_ok(e + 1, true) && self.month_ok(i, true) {
                        if let Some((y, end)) = self.year_after(e2) {
                            return split(end, Form::MonthRange { year: Some(y), from: m, to: m2 }, (e, e + 1));
                        }
                        if self.word(e) != "and" {
                            return split(e2, Form::MonthRange { year: None, from: m, to: m2 }, (e, e + 1));
                        }
                    }
                }
            }
            // "August of that year", "March of the following year"
            if self.word(e) == "of" && self.month_ok(i, true) {
                for (ws, off) in [(&["that", "year"][..], 0), (&["the", "same", "year"][..], 0), (&["the", "following", "year"][..], 1), (&["the", "next", "year"][..], 1), (&["the", "previous", "year"][..], -1)] {
                    if self.words_at(e + 1, ws) {
                        return found(e + 1 + ws.len(), Form::MonthOf { month: m, offset: off, same_year: true });
                    }
                }
            }
            // MONTH [of] YEAR
            let j = if self.word(e) == "of" { e + 1 } else { e };
            if let Some((y, end)) = self.year_after(j) {
                if self.month_ok(i, true) {
                    return found(end, Form::Date { year: Some(y), month: Some(m), day: None });
                }
            }
            // MONTH alone
            if self.month_ok(i, after_modifier) {
                return found(e, Form::Date { year: None, month: Some(m), day: None });
            }
            return None;
        }

        // SEASON [of] YEAR
        if let Some(s) = season_of(&t.lower) {
            let j = if self.word(i + 1) == "of" { i + 2 } else { i + 1 };
            if let Some((y, end)) = self.year_after(j) {
                return found(end, Form::Season { year: Some(y), season: s, offset: 0 });
            }
            if after_modifier && t.lower != "fall" {
                return found(i + 1, Form::Season { year: None, season: s, offset: 0 });
            }
            return None;
        }

        // "1990s" after a modifier ("mid-1990s")
        if t.kind == TokKind::Number && t.lower.len() == 5 && t.lower.ends_with('s') && after_modifier {
            if let Ok(y) = t.lower[..4].parse::<i32>() {
                return found(i + 1, Form::Decade(y / 10));
            }
        }
        // YEAR, YEAR–YEAR, eras
        if let Some((y, end)) = self.era_year(i) {
            return found(end, Form::Date { year: Some(y), month: None, day: None });
        }
        if let Some(y) = year_of(t) {
            let prev = if i == 0 { None } else { self.tok(i - 1) };
            if prev.is_some_and(|p| p.is_capitalized() && DESIGNATORS.contains(&p.lower.as_str())) {
                return None;
            }
            if prev.is_some_and(|p| p.is_punct('#') || p.is_punct('$') || p.is_punct('£')) {
                return None;
            }
            if self.tok(i + 1).is_some_and(|n| COUNT_NOUNS.contains(&n.lower.as_str()) || n.is_punct('%')) {
                return None;
            }
            // "1915–17": the second year keeps only its last two digits
            if self.tok(i + 1).is_some_and(is_dash) && !self.tok(i + 1).is_some_and(|d| d.is_punct('/')) {
                if let Some(n) = self.tok(i + 2).filter(|n| n.kind == TokKind::Number && n.lower.len() == 2 && n.lower.chars().all(|c| c.is_ascii_digit())) {
                    let yy: i32 = n.lower.parse().ok()?;
                    let to = y - y.rem_euclid(100) + yy + if yy <= y.rem_euclid(100) { 100 } else { 0 };
                    let not_a_count = !self.tok(i + 3).is_some_and(|t| COUNT_NOUNS.contains(&t.lower.as_str()) || t.is_punct('%'));
                    if to - y <= 20 && not_a_count {
                        return split(i + 3, Form::YearRange { from: y, to }, (i + 1, i + 2));
                    }
                }
            }
            return found(i + 1, Form::Date { year: Some(y), month: None, day: None });
        }
        None
    }

    /// A span into another month after a day and month that name no year: the separator at
    /// `sep`, then "15 September [1951]" or "April 30[, 2003]".
    fn span_after(&self, i: usize, sep: usize, from: (u32, u32)) -> Option<Found> {
        let t = self.tok(sep)?;
        if !(is_dash(t) || t.lower == "to") || t.is_punct('/') {
            return None;
        }
        let f = self.core(sep + 1, false)?;
        match f.form {
            Form::Date { year, month: Some(m2), day: Some(d2) } if m2 != from.0 => Some(Found { split: Some((sep, sep + 1)), ..Found::new(i, f.end, Form::DaySpan { year, from, to: (m2, d2) }) }),
            _ => None,
        }
    }

    fn numeric(&self, i: usize) -> Option<Found> {
        // tokens: N sep N sep N with the same separator
        let a = self.tok(i)?;
        let s1 = self.tok(i + 1)?;
        let b = self.tok(i + 2)?;
        let s2 = self.tok(i + 3)?;
        let c = self.tok(i + 4)?;
        if ![a, b, c].iter().all(|t| t.kind == TokKind::Number && t.lower.chars().all(|ch| ch.is_ascii_digit())) {
            return None;
        }
        if s1.text != s2.text || !matches!(s1.text.as_str(), "-" | "/" | ".") {
            return None;
        }
        // adjacency: no spaces inside
        if s1.start != a.end || b.start != s1.end || s2.start != b.end || c.start != s2.end {
            return None;
        }
        let (x, y, z): (u32, u32, i32) = (a.lower.parse().ok()?, b.lower.parse().ok()?, c.lower.parse().ok()?);
        if a.lower.len() == 4 {
            // ISO: YYYY-MM-DD
            let (yy, mm, dd) = (x as i32, y, z as u32);
            NaiveDate::from_ymd_opt(yy, mm, dd)?;
            return Some(Found::new(i, i + 5, Form::Date { year: Some(yy), month: Some(mm), day: Some(dd) }));
        }
        let year = if c.lower.len() == 2 { 2000 + z } else if c.lower.len() == 4 { z } else { return None };
        let form = match (x <= 12, y <= 12) {
            (true, true) if x != y => Form::Ambiguous { year, a: x, b: y },
            (true, true) => Form::Date { year: Some(year), month: Some(x), day: Some(y) },
            (false, true) => Form::Date { year: Some(year), month: Some(y), day: Some(x) },
            (true, false) => Form::Date { year: Some(year), month: Some(x), day: Some(y) },
            (false, false) => return None,
        };
        Some(Found::new(i, i + 5, form))
    }

    /// Expressions relative to the anchor or the published date.
    fn relative(&self, i: usize) -> Option<Found> {
        let w = self.word(i);
        let rel = |end, unit, offset| Some(Found::new(i, end, Form::Relative { unit, offset }));
        let day_words = ["day", "morning", "afternoon", "evening", "night"];
        // "the next day", "the following morning", "the previous week", "the same month"
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
            if day_words.contains(&w2) {
                return rel(j + 2, Unit::Day, off);
            }
            match w2 {
                "week" => return rel(j + 2, Unit::Week, off),
                "month" => return rel(j + 2, Unit::Month, off),
                "year" => return rel(j + 2, Unit::Year, off),
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
        // "that same day", "this day", "this date", "the day following"
        if w == "that" && self.word(i + 1) == "same" && day_words.contains(&self.word(i + 2)) {
            return rel(i + 3, Unit::Day, 0);
        }
        if w == "this" && matches!(self.word(i + 1), "day" | "date") {
            return rel(i + 2, Unit::Day, 0);
        }
        if the && w1 == "day" && w2 == "following" {
            return rel(j + 2, Unit::Day, 1);
        }
        // "month's end", "the year's end"
        if matches!(w1, "month" | "year") && w2 == "'s" && self.word(j + 2) == "end" {
            let unit = if w1 == "month" { Unit::Month } else { Unit::Year };
            return Some(Found { modifier: Some(Modifier::End), ..Found::new(i, j + 3, Form::PartOf { unit, part: Part::End, offset: 0 }) });
        }
        // "late in the year", "early in the month", "later in the year"
        if matches!(w, "late" | "early" | "later" | "mid") && self.words_at(i + 1, &["in", "the"]) && matches!(self.word(i + 3), "year" | "month") {
            let unit = if self.word(i + 3) == "year" { Unit::Year } else { Unit::Month };
            let (part, m) = match w {
                "early" => (Part::Start, Modifier::Start),
                "mid" => (Part::Mid, Modifier::Mid),
                _ => (Part::End, Modifier::End),
            };
            return Some(Found { modifier: Some(m), ..Found::new(i, i + 4, Form::PartOf { unit, part, offset: 0 }) });
        }
        // "the day after", "the day before"
        if the && w1 == "day" && matches!(w2, "after" | "before") && !self.tok(j + 2).is_some_and(|t| t.kind == TokKind::Number || month_of(t).is_some()) {
            return rel(j + 2, Unit::Day, if w2 == "after" { 1 } else { -1 });
        }
        // "later that day", "earlier that year", "later in the day", "earlier in the month"
        if matches!(w, "later" | "earlier") {
            if self.word(i + 1) == "that" {
                match self.word(i + 2) {
                    x if day_words.contains(&x) => return rel(i + 3, Unit::Day, 0),
                    "month" => return rel(i + 3, Unit::Month, 0),
                    "year" => return rel(i + 3, Unit::Year, 0),
                    _ => {}
                }
            }
            if self.words_at(i + 1, &["in", "the"]) {
                match self.word(i + 3) {
                    "day" => return rel(i + 4, Unit::Day, 0),
                    "month" => return rel(i + 4, Unit::Month, 0),
                    "year" => return rel(i + 4, Unit::Year, 0),
                    _ => {}
                }
            }
        }
        // "during the day", "by the evening", "in the evening", "overnight"
        if matches!(w, "during" | "by" | "in") && self.word(i + 1) == "the" && matches!(self.word(i + 2), "day" | "evening" | "afternoon" | "night" | "morning") {
            let next = self.word(i + 3);
            if !matches!(next, "of" | "before" | "after") {
                return rel(i + 3, Unit::Day, 0);
            }
        }
        if w == "overnight" || w == "tonight" {
            return rel(i + 1, Unit::Day, 0);
        }
        // "ten, fifteen and twenty years earlier": each number of a list takes the last one's unit
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
                        return rel(i + 1, unit, offset.signum() * n);
                    }
                    if start == k {
                        break;
                    }
                }
                k += 1;
            }
        }
        // "N days later", "two weeks earlier", "a month after"
        let (n, k) = if let Some(t) = self.tok(i) {
            if self.words_at(i, &["a", "couple", "of"]) {
                (Some(2), 3)
            } else if self.words_at(i, &["a", "few"]) {
                (None, 2)
            } else {
                (number_value(t), 1)
            }
        } else {
            (None, 0)
        };
        if let Some(n) = n {
            let unit = match self.word(i + k) {
                "day" | "days" => Some(Unit::Day),
                "week" | "weeks" => Some(Unit::Week),
                "month" | "months" => Some(Unit::Month),
                "year" | "years" => Some(Unit::Year),
                _ => None,
            };
            if let Some(unit) = unit {
                let dir = match self.word(i + k + 1) {
                    "later" | "after" | "afterwards" | "afterward" | "thereafter" => Some(1),
                    "earlier" | "before" | "previously" | "prior" | "ago" => Some(-1),
                    _ => None,
                };
                if let Some(dir) = dir {
                    // "eight days before the new year"
                    if unit == Unit::Day && matches!(self.word(i + k + 1), "after" | "before") && self.words_at(i + k + 2, &["the", "new", "year"]) && n.unsigned_abs() <= 366 {
                        return Some(Found::new(i, i + k + 5, Form::DayOfYear { month: 1, day: 1, offset: 1, shift: dir * n }));
                    }
                    // "two days after the attack" is relative; "two days after 3 May" is not handled here
                    let next = self.tok(i + k + 2);
                    if !(matches!(self.word(i + k + 1), "after" | "before") && next.is_some_and(|t| t.kind == TokKind::Number || month_of(t).is_some())) {
                        return rel(i + k + 2, unit, dir * n);
                    }
                }
            }
        }
        // deictic words, relative to the published date
        let deictic = |end, unit, offset| Some(Found::new(i, end, Form::Deictic { unit, offset }));
        match w {
            "yesterday" => return deictic(i + 1, Unit::Day, -1),
            "today" => return deictic(i + 1, Unit::Day, 0),
            "tomorrow" => return deictic(i + 1, Unit::Day, 1),
            "last" | "this" | "next" if !the => match self.word(i + 1) {
                "week" => return deictic(i + 2, Unit::Week, if w == "last" { -1 } else if w == "this" { 0 } else { 1 }),
                "month" => return deictic(i + 2, Unit::Month, if w == "last" { -1 } else if w == "this" { 0 } else { 1 }),
                "year" => return deictic(i + 2, Unit::Year, if w == "last" { -1 } else if w == "this" { 0 } else { 1 }),
                _ => {}
            },
            _ => {}
        }
        // weekdays: "on Monday"
        if let Some(t) = self.tok(i) {
            if t.is_capitalized() {
                if let Some(wd) = weekday_of(&t.lower) {
                    // "Sunday, 25 June 1950", "Saturday, June 24": the date that follows says it all
                    if (i + 1..i + 5).any(|k| self.core(k, false).is_some_and(|f| matches!(f.form, Form::Date { day: Some(_), .. }))) {
                        return None;
                    }
                    return Some(Found::new(i, i + 1, Form::Weekday(wd)));
                }
            }
        }
        // holidays
        let holiday = |m: u32, d: u32, end: usize| {
            let (year, end) = self.year_after(end).map_or((None, end), |(y, e)| (Some(y), e));
            Some(Found::new(i, end, Form::Date { year, month: Some(m), day: Some(d) }))
        };
        if self.tok(i).is_some_and(|t| t.is_capitalized()) {
            match w {
                "christmas" => {
                    let (d, e) = match self.word(i + 1) {
                        "eve" => (24, i + 2),
                        "day" => (25, i + 2),
                        _ => (25, i + 1),
                    };
                    return holiday(12, d, e);
                }
                "new" if self.word(i + 1) == "year" && self.word(i + 2) == "'s" => {
                    return match self.word(i + 3) {
                        "eve" => holiday(12, 31, i + 4),
                        "day" => holiday(1, 1, i + 4),
                        _ => None,
                    };
                }
                _ => {}
            }
        }
        // "the new year": the first day of the year after the story's
        if w == "the" && self.words_at(i + 1, &["new", "year"]) && !self.tok(i + 3).is_some_and(|t| t.lower == "'s" || t.is_capitalized()) {
            return Some(Found::new(i, i + 3, Form::DayOfYear { month: 1, day: 1, offset: 1, shift: 0 }));
        }
        // "the 20th": a day of the current month
        if w == "the" {
            if let Some(t) = self.tok(i + 1) {
                let ordinal = t.kind == TokKind::Number && ["st", "nd", "rd", "th"].iter().any(|s| t.lower.ends_with(s));
                if ordinal {
                    if let Some(d) = day_of(t) {
                        let next = self.tok(i + 2);
                        let noun_after = next.is_some_and(|n| n.kind == TokKind::Word && (n.is_capitalized() || ORDINAL_NOUNS.contains(&n.lower.as_str())));
                        // "the 20th and 128th Brigades": a list of ordinals names units, not days
                        let ordinal_list = self.tok(i + 3).is_some_and(|n| n.kind == TokKind::Number) && matches!(self.word(i + 2), "and" | "or" | "," | "&");
                        if !noun_after && !ordinal_list {
                            return Some(Found::new(i, i + 2, Form::DayOfMonth(d)));
                        }
                    }
                }
            }
        }
        None
    }
}

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
    fn position(&self) -> Option<NaiveDate> {
        self.day.or_else(|| self.month.and_then(|(y, m)| ymd(y, m, 15)))
    }
}

/// Resolves expressions in document order. One per document.
#[derive(Debug, Clone)]
pub struct Narrative {
    /// Years the title names, ascending.
    title_years: Vec<i32>,
    /// Months the title names with its single year, if any ("May–June 2015").
    title_span: Option<(NaiveDate, NaiveDate)>,
    published: Option<NaiveDate>,
    pub anchor: Anchor,
    /// Where the story was before the last jump, while the story may yet come back to it.
    resume: Option<Anchor>,
}

fn last_day(y: i32, m: u32) -> NaiveDate {
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    NaiveDate::from_ymd_opt(ny, nm, 1).and_then(|d| d.pred_opt()).unwrap_or(NaiveDate::MIN)
}

fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

fn season_span(y: i32, s: Season) -> Option<(NaiveDate, NaiveDate)> {
    Some(match s {
        Season::Spring => (ymd(y, 3, 1)?, last_day(y, 5)),
        Season::Summer => (ymd(y, 6, 1)?, last_day(y, 8)),
        Season::Autumn => (ymd(y, 9, 1)?, last_day(y, 11)),
        Season::Winter => (ymd(y, 12, 1)?, last_day(y + 1, 2)),
    })
}

fn season_code(s: Season) -> &'static str {
    match s {
        Season::Spring => "SP",
        Season::Summer => "SU",
        Season::Autumn => "FA",
        Season::Winter => "WI",
    }
}

/// Largest relative offset normalised ("300 years later"): beyond it the words are no date.
const MAX_RELATIVE_OFFSET: u64 = 120_000;

/// `d` moved by `days`, if the calendar reaches that far.
fn shift(d: NaiveDate, days: i64) -> Option<NaiveDate> {
    d.checked_add_signed(Duration::try_days(days)?)
}

fn year_str(y: i32) -> String {
    if y <= 0 {
        format!("BC{:04}", 1 - y)
    } else {
        format!("{y:04}")
    }
}

/// Narrow a month interval by a part.
fn part_of_month(y: i32, m: u32, part: Part) -> Option<(NaiveDate, NaiveDate)> {
    let end = last_day(y, m);
    Some(match part {
        Part::Start => (ymd(y, m, 1)?, ymd(y, m, 10)?),
        Part::Mid => (ymd(y, m, 11)?, ymd(y, m, 20)?),
        Part::End => (ymd(y, m, 21)?, end),
        Part::FirstHalf => (ymd(y, m, 1)?, ymd(y, m, 15)?),
        Part::SecondHalf => (ymd(y, m, 16)?, end),
    })
}

fn part_of_year(y: i32, part: Part) -> Option<(NaiveDate, NaiveDate)> {
    Some(match part {
        Part::Start => (ymd(y, 1, 1)?, last_day(y, 4)),
        Part::Mid => (ymd(y, 5, 1)?, last_day(y, 8)),
        Part::End => (ymd(y, 9, 1)?, last_day(y, 12)),
        Part::FirstHalf => (ymd(y, 1, 1)?, last_day(y, 6)),
        Part::SecondHalf => (ymd(y, 7, 1)?, last_day(y, 12)),
    })
}

fn part_of_modifier(m: Option<Modifier>) -> Option<Part> {
    match m? {
        Modifier::Start => Some(Part::Start),
        Modifier::Mid => Some(Part::Mid),
        Modifier::End => Some(Part::End),
        _ => None,
    }
}

fn add_months(y: i32, m: u32, n: i64) -> (i32, u32) {
    let total = y as i64 * 12 + (m as i64 - 1) + n;
    (total.div_euclid(12) as i32, (total.rem_euclid(12) + 1) as u32)
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
        Narrative { title_years: years, title_span, published, anchor: Anchor::default(), resume: None }
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
    fn pick_year(&self, month: u32, day: Option<u32>) -> Option<(i32, Basis)> {
        let here = self.pick_year_on(&self.anchor, month, day)?;
        let Some(resume) = self.resume.as_ref() else { return Some(here) };
        let Some(back) = self.pick_year_on(resume, month, day) else { return Some(here) };
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
        let in_title = |y: i32| self.title_years.first().is_some_and(|a| *a <= y) && self.title_years.last().is_some_and(|b| y <= *b);
        if let Some(h) = anchor.hint.filter(|h| self.title_years.is_empty() || in_title(*h)) {
            return Some((h, if in_title(h) { Basis::Title } else { Basis::EarlierYear }));
        }
        if let Some(ay) = anchor.year {
            if self.title_years.is_empty() || in_title(ay) {
                let mut y = ay;
                if let Some((my, am)) = anchor.month {
                    // a narrative runs forward: a month five or more before the anchor's rolls to the next year
                    if my == ay && month + 5 <= am && (self.title_years.is_empty() || in_title(ay + 1)) {
                        y += 1;
                    }
                }
                // a report does not tell of days after its publication
                if let Some(p) = self.published {
                    if ymd(y, month, day.unwrap_or(1).min(28)).is_some_and(|dt| dt > p) && y == p.year() {
                        y -= 1;
                    }
                }
                let basis = if in_title(y) { Basis::Title } else { Basis::EarlierYear };
                return Some((y, basis));
            }
        }
        if let (Some(&first), Some(&last)) = (self.title_years.first(), self.title_years.last()) {
            // the first title year that is not before the anchor
            let y = match anchor.month {
                Some((ay, am)) => (first..=last).find(|y| (*y, month) >= (ay, am)).unwrap_or(first),
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

    fn reference_day(&self) -> Option<(NaiveDate, Basis)> {
        self.anchor.day.map(|d| (d, Basis::Narrative)).or(self.published.map(|p| (p, Basis::Published)))
    }

    /// Resolve a recognised expression and move the anchor.
    fn resolve(&mut self, f: &Found) -> Option<(String, NaiveDate, NaiveDate, Granularity, Basis, bool, bool)> {
        let modifier = f.modifier;
        let part = part_of_modifier(modifier);
        let mut around = false;
        let r = match f.form.clone() {
            Form::Date { year, month, day } => {
                let (y, basis, relative) = match (year, month) {
                    (Some(y), _) => (y, Basis::Explicit, false),
                    (None, Some(m)) => match self.anchor.month.filter(|_| f.compared) {
                        // what the story is compared with came before it: the last such month
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
                        (format!("{}-{m:02}-{d:02}", year_str(y)), date, date, Granularity::Day, basis, false, relative)
                    }
                    (Some(m), None) => {
                        let (a, b) = match part {
                            Some(p) => part_of_month(y, m, p)?,
                            None => (ymd(y, m, 1)?, last_day(y, m)),
                        };
                        (format!("{}-{m:02}", year_str(y)), a, b, Granularity::Month, basis, false, relative)
                    }
                    _ => {
                        let (a, b) = match part {
                            Some(p) => part_of_year(y, p)?,
                            None => (ymd(y, 1, 1)?, ymd(y, 12, 31)?),
                        };
                        (year_str(y), a, b, Granularity::Year, basis, false, relative)
                    }
                }
            }
            Form::DayRange { year, month, from, to } => {
                let (y, basis, relative) = match year {
                    Some(y) => (y, Basis::Explicit, false),
                    None => {
                        let (y, b) = self.pick_year(month, Some(from))?;
                        (y, b, true)
                    }
                };
                let (a, b) = (ymd(y, month, from)?, ymd(y, month, to)?);
                (format!("{}-{month:02}-{from:02}", year_str(y)), a, b, Granularity::Days, basis, false, relative)
            }
            Form::MonthRange { year, from, to } => {
                let (y, basis, relative) = match year {
                    Some(y) => (y, Basis::Explicit, false),
                    // "from October to March" told in March: the winter the story stands in
                    // (a span around the story's time, which stays where it is)
                    None => match self.anchor.month.filter(|&(_, am)| to < from && am <= to) {
                        Some((ay, _)) => {
                            around = true;
                            (ay - 1, Basis::Narrative, true)
                        }
                        None => {
                            let (y, b) = self.pick_year(from, None)?;
                            (y, b, true)
                        }
                    },
                };
                let y2 = if to < from { y + 1 } else { y };
                (format!("{}-{from:02}", year_str(y)), ymd(y, from, 1)?, last_day(y2, to), Granularity::Month, basis, false, relative)
            }
            Form::DaySpan { year, from: (m1, d1), to: (m2, d2) } => {
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
                (a.format("%Y-%m-%d").to_string(), a, b, Granularity::Days, basis, false, relative)
            }
            Form::YearRange { from, to } => (year_str(from), ymd(from, 1, 1)?, ymd(to, 12, 31)?, Granularity::Year, Basis::Explicit, false, false),
            Form::Ambiguous { year, a, b } => {
                let d1 = ymd(year, a, b)?; // month first
                let d2 = ymd(year, b, a)?; // day first
                let (lo, hi) = if d1 <= d2 { (d1, d2) } else { (d2, d1) };
                (format!("{}-{b:02}-{a:02}", year_str(year)), lo, hi, Granularity::Days, Basis::Explicit, true, false)
            }
            Form::Season { year, season, offset } => {
                let (y, basis, relative) = match year {
                    Some(y) => (y, Basis::Explicit, false),
                    None => {
                        let ay = self.anchor.year.or(self.title_years.first().copied()).or(self.published.map(|p| p.year()))?;
                        (ay + offset as i32, Basis::Narrative, true)
                    }
                };
                let (a, b) = season_span(y, season)?;
                (format!("{}-{}", year_str(y), season_code(season)), a, b, Granularity::Season, basis, false, relative)
            }
            Form::Relative { unit, offset } => self.relative_value(unit, offset, part)?,
            Form::Current => {
                let unit = if self.anchor.day.is_some() {
                    Unit::Day
                } else if self.anchor.month.is_some() {
                    Unit::Month
                } else {
                    Unit::Year
                };
                self.relative_value(unit, 0, None)?
            }
            Form::PartOf { unit, part: p, offset } => {
                let (value, a, b, g, basis, amb, rel) = self.relative_value(unit, offset, None)?;
                let (a2, b2) = match g {
                    Granularity::Month => part_of_month(a.year(), a.month(), p)?,
                    Granularity::Year => part_of_year(a.year(), p)?,
                    _ => (a, b),
                };
                (value, a2, b2, g, basis, amb, rel)
            }
            Form::Deictic { unit, offset } if self.published.is_none() && self.anchor.day.is_none() => {
                // a narrative with no day yet: "this year" is the story's year
                let (value, a, b, g, _, amb, _) = self.relative_value(unit, offset, part)?;
                (value, a, b, g, Basis::Narrative, amb, true)
            }
            Form::Deictic { unit, offset } => {
                let p = self.published.or(self.anchor.day)?;
                let saved = std::mem::take(&mut self.anchor);
                self.anchor = Anchor { day: Some(p), month: Some((p.year(), p.month())), year: Some(p.year()), span: Some((p, p)), ..Anchor::default() };
                let r = self.relative_value(unit, offset, part);
                self.anchor = saved;
                let (v, a, b, g, _, amb, _) = r?;
                (v, a, b, g, Basis::Published, amb, true)
            }
            Form::Weekday(wd) => {
                // news: days of the week count back from publication while the story stays in
                // the week before it ("on Tuesday … on Monday" in a Wednesday's report)
                let recent = |p: NaiveDate| self.anchor.day.is_none_or(|a| a <= p && (p - a).num_days() <= 7);
                let (base, basis) = match self.published.filter(|p| recent(*p) && !f.ahead) {
                    Some(p) => (p, Basis::Published),
                    None => self.reference_day()?,
                };
                let date = if basis == Basis::Published {
                    // news: the most recent such day on or before publication
                    (0..7).filter_map(|k| shift(base, -k)).find(|d| d.weekday() == wd)?
                } else {
                    (0..7).filter_map(|k| shift(base, k)).find(|d| d.weekday() == wd)?
                };
                (date.format("%Y-%m-%d").to_string(), date, date, Granularity::Day, basis, false, true)
            }
            Form::DayOfYear { month, day, offset, shift: days } => {
                let y = self.anchor.year?.checked_add(i32::try_from(offset).ok()?)?;
                let date = shift(ymd(y, month, day)?, days)?;
                (date.format("%Y-%m-%d").to_string(), date, date, Granularity::Day, Basis::Narrative, false, true)
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
                (date.format("%Y-%m-%d").to_string(), date, date, Granularity::Day, Basis::Narrative, false, true)
            }
            Form::MonthOf { month, offset, same_year } => {
                let (ay, am) = self.anchor.month.or_else(|| self.anchor.year.map(|y| (y, 1)))?;
                let y = if same_year {
                    ay + offset as i32
                } else if offset < 0 {
                    if month < am { ay } else { ay - 1 }
                } else if month > am {
                    ay
                } else {
                    ay + 1
                };
                let (a, b) = match part {
                    Some(p) => part_of_month(y, month, p)?,
                    None => (ymd(y, month, 1)?, last_day(y, month)),
                };
                (format!("{}-{month:02}", year_str(y)), a, b, Granularity::Month, Basis::Narrative, false, true)
            }
            Form::Decade(d) => {
                let (a, b) = (ymd(d * 10, 1, 1)?, ymd(d * 10 + 9, 12, 31)?);
                (format!("{d:03}"), a, b, Granularity::Decade, Basis::Explicit, false, false)
            }
        };
        // a look back ("the previous year", "two days earlier") does not move the story, nor does
        // a bare year inside a sentence ("a campaign planned for 1976", "since 1614")
        let backward = matches!(f.form, Form::Relative { offset, .. } | Form::PartOf { offset, .. } | Form::MonthOf { offset, .. } if offset < 0)
            || f.form == Form::Current;
        // a year a little ahead of the story, named in passing ("operations for 1777"); not one in
        // brackets (a source's year) nor one far ahead (a retrospective)
        let forward = matches!(f.form, Form::Date { year: Some(y), month: None, .. } if self.anchor.year.is_some_and(|a| y > a && y <= a + 2)) && !f.bracketed;
        let aside = matches!(f.form, Form::Date { month: None, .. }) && f.modifier.is_none() && (!f.opens_clause || f.bracketed) && !f.leads_section;
        let since = matches!(f.modifier, Some(Modifier::After));
        let by_then = matches!(f.modifier, Some(Modifier::Before))
            && !f.opens_clause
            && matches!(f.form, Form::Date { year: None, day: None, .. } | Form::Season { year: None, .. } | Form::Relative { offset: 1.., .. });
        let compared = f.compared && matches!(f.form, Form::Date { month: Some(_), .. } | Form::Season { .. });
        // with no story yet, any date with its year is better than none
        let first = self.anchor.year.is_none() && self.title_years.is_empty() && self.published.is_none() && r.4 == Basis::Explicit;
        if first || (!backward && !aside && !since && !f.ahead && !by_then && !compared && !f.attributive && !f.pluperfect && !around) {
            self.move_anchor(&r, modifier);
        } else if aside && forward && !since && !f.ahead {
            if let Form::Date { year: Some(y), .. } = f.form {
                self.anchor.hint = Some(y);
            }
        }
        Some(r)
    }

    fn relative_value(&self, unit: Unit, offset: i64, part: Option<Part>) -> Option<(String, NaiveDate, NaiveDate, Granularity, Basis, bool, bool)> {
        let basis = Basis::Narrative;
        // "99999 weeks later" is no date: offsets stay within a few centuries
        if offset.unsigned_abs() > MAX_RELATIVE_OFFSET {
            return None;
        }
        match unit {
            Unit::Day => match self.anchor.day {
                Some(base) => {
                    let d = shift(base, offset)?;
                    Some((d.format("%Y-%m-%d").to_string(), d, d, Granularity::Day, basis, false, true))
                }
                None => {
                    // "two days later" after "mid-November": the span, shifted
                    let (a, b) = self.anchor.span?;
                    let (a, b) = (shift(a, offset)?, shift(b, offset)?);
                    Some((format!("{}-{:02}", year_str(a.year()), a.month()), a, b, Granularity::Days, basis, false, true))
                }
            },
            Unit::Week => {
                let base = self.anchor.day?;
                let (a, b) = if offset == 0 {
                    let monday = shift(base, -(base.weekday().num_days_from_monday() as i64))?;
                    (monday, shift(monday, 6)?)
                } else if offset > 0 {
                    (shift(base, 1 + 7 * (offset - 1))?, shift(base, 7 * offset)?)
                } else {
                    (shift(base, 7 * offset)?, shift(base, -(1 + 7 * (-offset - 1)))?)
                };
                let iso = a.iso_week();
                Some((format!("{}-W{:02}", iso.year(), iso.week()), a, b, Granularity::Week, basis, false, true))
            }
            Unit::Month => {
                let (y, m) = self.anchor.month.or_else(|| self.anchor.day.map(|d| (d.year(), d.month())))?;
                let (y, m) = add_months(y, m, offset);
                let (a, b) = match part {
                    Some(p) => part_of_month(y, m, p)?,
                    None => (ymd(y, m, 1)?, last_day(y, m)),
                };
                Some((format!("{}-{m:02}", year_str(y)), a, b, Granularity::Month, basis, false, true))
            }
            Unit::Year => {
                let y = self.anchor.year?.checked_add(i32::try_from(offset).ok()?)?;
                let (a, b) = match part {
                    Some(p) => part_of_year(y, p)?,
                    None => (ymd(y, 1, 1)?, ymd(y, 12, 31)?),
                };
                Some((year_str(y), a, b, Granularity::Year, basis, false, true))
            }
        }
    }

    fn move_anchor(&mut self, r: &(String, NaiveDate, NaiveDate, Granularity, Basis, bool, bool), modifier: Option<Modifier>) {
        let (_, a, b, g, basis, ambiguous, _) = r;
        // "by 3 April" and "after 3 April" still move the story to that date
        let _ = modifier;
        if *ambiguous {
            return;
        }
        // an explicit date far from where the story was: a jump it may come back from
        let was = self.anchor.position();
        let jump = *basis == Basis::Explicit
            && (matches!(g, Granularity::Day | Granularity::Days | Granularity::Month))
            && was.is_some_and(|w| (*a - w).num_days() < -31 || (*a - w).num_days() > 730);
        self.resume = if jump { Some(self.anchor.clone()) } else { None };
        let month = Some((a.year(), a.month()));
        match g {
            Granularity::Day => {
                self.anchor = Anchor { day: Some(*a), month, year: Some(a.year()), span: Some((*a, *a)), ..Anchor::default() };
            }
            Granularity::Days => {
                // a range ends on its last day: "11–13 May … the following week"
                let exact = (*b - *a).num_days() <= 3 && b.month() == a.month();
                self.anchor = Anchor { day: exact.then_some(*b), month, year: Some(a.year()), span: Some((*a, *b)), ..Anchor::default() };
            }
            Granularity::Month => {
                let narrowed = (*b - *a).num_days() < 27;
                if self.anchor.month != month || narrowed {
                    self.anchor = Anchor { day: None, month, year: Some(a.year()), span: narrowed.then_some((*a, *b)), ..Anchor::default() };
                }
            }
            Granularity::Year | Granularity::Season => {
                if self.anchor.year != Some(a.year()) {
                    self.anchor = Anchor { day: None, month: None, year: Some(a.year()), span: None, ..Anchor::default() };
                }
            }
            Granularity::Week | Granularity::Decade => {}
        }
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
        while i < toks.len() {
            if let Some(end) = after_day.filter(|e| e + 1 == i).and_then(|_| apposition(toks, i)) {
                // "On 21 July 1936, the fifth day of the rebellion, …": the phrase names that day
                if let Some(prev) = out.last() {
                    let (s, e) = (toks[i].start, toks[end - 1].end);
                    let t = Timex { start: s, end: e, text: text[s..e].to_string(), modifier: None, parts: Vec::new(), relative: true, basis: Basis::Narrative, ..prev.clone() };
                    out.push(t);
                    after_day = None;
                    i = end;
                    continue;
                }
            }
            let Some(f) = sc.at(i) else {
                i += 1;
                continue;
            };
            let mut f = f;
            // within the three words before: a sentence start, a full stop, a semicolon or a comma
            // ("U.S. troops by next summer": the stop of an abbreviation ends nothing)
            f.opens_clause = f.start == 0
                || (f.start.saturating_sub(3)..f.start).any(|k| {
                    let t = &toks[k];
                    let abbreviation = t.is_punct('.') && k > 0 && toks[k - 1].kind == TokKind::Word && toks[k - 1].text.chars().count() == 1;
                    t.kind == TokKind::Punct && matches!(t.text.as_str(), "." | ";" | "," | "(" | ":") && !abbreviation
                })
                // a new line: after a heading ("Towards a ceasefire\n\n1987 saw …")
                || (f.start.saturating_sub(2)..f.start).any(|k| text.get(toks[k].end..toks[k + 1].start).is_some_and(|gap| gap.contains('\n')));
            // "lasted until the fall of Budapest in February 1945": the end of a span, told ahead
            let window = &toks[f.start.saturating_sub(7)..f.start];
            let cut = window.iter().rposition(|t| t.kind == TokKind::Punct).map_or(0, |p| p + 1);
            f.bracketed = cut > 0 && window[cut - 1].is_punct('(');
            f.ahead = window[cut..].iter().any(|t| matches!(t.lower.as_str(), "until" | "till" | "lasted" | "planned" | "scheduled" | "will"));
            f.pluperfect = !f.opens_clause && window[cut..].iter().any(|t| t.lower == "had");
            f.compared = window[cut..].iter().any(|t| matches!(t.lower.as_str(), "compared" | "than"))
                || window[cut..].windows(2).any(|w| w[0].lower == "as" && w[1].lower == "opposed");
            // (only a bare year can be an aside; the search looks back no further than the last
            // expression, so a long text without new lines is not read again for each date)
            f.leads_section = matches!(f.form, Form::Date { month: None, .. }) && leads_section(text, toks[f.start].start, out.last().map(|t| t.start));
            let end_tok = f.end.max(i + 1);
            f.attributive = f.start > 0
                && matches!(toks[f.start - 1].lower.as_str(), "the" | "a" | "an" | "its" | "their" | "his" | "her")
                && toks.get(end_tok).is_some_and(|t| t.kind == TokKind::Word && t.text.chars().all(|c| c.is_lowercase()) && !is_function_word(&t.lower));
            // "by 3 April", "before May 1942", "until", "after"
            if f.modifier.is_none() && f.start > 0 {
                let prev = toks[f.start - 1].lower.as_str();
                if matches!(prev, "by" | "before" | "until" | "till") && !matches!(f.form, Form::Relative { .. }) {
                    f.modifier = Some(Modifier::Before);
                } else if matches!(prev, "after" | "since") && !matches!(f.form, Form::Relative { .. }) {
                    f.modifier = Some(Modifier::After);
                    // "since February": the last February before the story's time
                    f.compared |= prev == "since";
                }
            }
            if let Some((value, earliest, latest, granularity, basis, ambiguous, relative)) = self.resolve(&f) {
                let (s, e) = (toks[f.start].start, toks[end_tok - 1].end);
                let modifier = f.modifier.filter(|m| !matches!(m, Modifier::Before | Modifier::After) || granularity != Granularity::Day);
                let mut parts = Vec::new();
                if let Some((first_end, second)) = f.split {
                    let fmt = |d: NaiveDate, g: Granularity| match g {
                        Granularity::Month => format!("{}-{:02}", year_str(d.year()), d.month()),
                        Granularity::Year => year_str(d.year()),
                        _ => d.format("%Y-%m-%d").to_string(),
                    };
                    let g = match granularity {
                        Granularity::Month | Granularity::Year => granularity,
                        _ => Granularity::Day,
                    };
                    let late = if g == Granularity::Month { NaiveDate::from_ymd_opt(latest.year(), latest.month(), 1).unwrap_or(latest) } else { latest };
                    if first_end == usize::MAX {
                        // one hyphenated token: split at the hyphen (byte `second` into the token)
                        let at = toks[f.start].start + second;
                        parts.push((toks[f.start].start, at, fmt(earliest, g)));
                        parts.push((at + 1, e, fmt(late, g)));
                    } else {
                        parts.push((toks[f.start].start, toks[first_end - 1].end, fmt(earliest, g)));
                        parts.push((toks[second].start, e, fmt(late, g)));
                    }
                }
                after_day = (granularity == Granularity::Day && parts.is_empty()).then_some(end_tok);
                out.push(Timex { start: s, end: e, text: text[s..e].to_string(), value, modifier, earliest, latest, granularity, basis, ambiguous, relative, parts });
            }
            i = end_tok;
        }
        out
    }
}

/// Whether byte `at` of `text` is in a paragraph that follows a heading (a short line that no
/// stop ends) and no expression of that paragraph came before (`last`: where the last one began).
fn leads_section(text: &str, at: usize, last: Option<usize>) -> bool {
    let from = last.unwrap_or(0).min(at);
    let Some(para) = text[from..at].rfind('\n').map(|p| from + p) else { return false };
    let Some(heading) = text[..para].lines().rev().map(str::trim).find(|l| !l.is_empty()) else { return false };
    heading.chars().count() <= 80 && !heading.ends_with(['.', '!', '?', ':', ';', ',', '"'])
}

/// Words that do not make a date before them qualify a noun ("the 1944 of …" is no name).
fn is_function_word(w: &str) -> bool {
    matches!(
        w,
        "of" | "and" | "or" | "but" | "to" | "in" | "on" | "at" | "by" | "for" | "from" | "with" | "as" | "was" | "were" | "is" | "are"
            | "had" | "has" | "have" | "when" | "while" | "that" | "which" | "who" | "the" | "a" | "an" | "until" | "after" | "before"
    )
}

/// A noun phrase headed by "day" set off by a comma or dash after a date ("the fifth day of the
/// rebellion", "two days after the invasion", "the bloodiest day in its history"): where it ends.
fn apposition(toks: &[Token], i: usize) -> Option<usize> {
    let sep = toks.get(i.checked_sub(1)?)?;
    if !(sep.is_punct(',') || is_dash(sep)) || sep.is_punct('/') {
        return None;
    }
    // the head within the first five words, none of them punctuation
    let head = (i..(i + 5).min(toks.len())).take_while(|&k| toks[k].kind != TokKind::Punct).find(|&k| matches!(toks[k].lower.as_str(), "day" | "days"))?;
    let opener = toks[i].lower.as_str();
    if !(matches!(opener, "the" | "a" | "one" | "its" | "their") || number_value(&toks[i]).is_some() || ORDINAL_WORDS.iter().any(|(w, _)| *w == opener)) {
        return None;
    }
    // "days" only as "N days after/before …"
    if toks[head].lower == "days" && !matches!(toks.get(head + 1).map(|t| t.lower.as_str()), Some("after" | "before")) {
        return None;
    }
    let mut end = head + 1;
    while end < toks.len() && end < head + 12 && toks[end].kind != TokKind::Punct && !matches!(toks[end].lower.as_str(), "and" | "when" | "which" | "while") {
        end += 1;
    }
    Some(end)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Scan `sentences` in order under `title`; check (text, value, earliest, latest) of each expression.
    fn check(title: &str, published: Option<&str>, sentences: &[&str], expected: &[(&str, &str, &str, &str)]) {
        let published = published.map(|p| NaiveDate::parse_from_str(p, "%Y-%m-%d").unwrap());
        let mut n = Narrative::new(title, published);
        let got: Vec<(String, String, String, String)> = sentences
            .iter()
            .flat_map(|s| n.scan(s))
            .map(|t| (t.text, t.value, t.earliest.to_string(), t.latest.to_string()))
            .collect();
        let want: Vec<(String, String, String, String)> =
            expected.iter().map(|(a, b, c, d)| (a.to_string(), b.to_string(), c.to_string(), d.to_string())).collect();
        assert_eq!(got, want);
    }

    /// Scan a whole untitled document; check (text, value) of each expression as printed.
    fn check_values(text: &str, expected: &[(&str, &str)]) {
        let got: Vec<(String, String)> = scan_document(text, "", None).into_iter().map(|e| (e.text, e.value)).collect();
        let want: Vec<(String, String)> = expected.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn absurd_relative_offsets_are_no_date() {
        // found by the fuzzer: "99999999 weeks later" overflowed chrono's TimeDelta
        check("War (1939–1945)", None, &["The city fell on 3 May 1940.", "99999999 weeks later it was retaken; 99999999999 days later too."], &[("3 May 1940", "1940-05-03", "1940-05-03", "1940-05-03")]);
        check("", None, &["On 3 May 1940 the city fell.", "Two weeks later it was retaken."], &[
            ("3 May 1940", "1940-05-03", "1940-05-03", "1940-05-03"),
            ("Two weeks later", "1940-W19", "1940-05-11", "1940-05-17"),
        ]);
    }

    #[test]
    fn a_non_breaking_hyphen_after_mid_is_one_character() {
        // found by the fuzzer: "mid\u{2011}is" (U+2011 is three bytes) was cut inside the hyphen
        let _ = scan_document("WaHih c=9\u{2014}2 9 =4\u{2014}mid\u{2011}is", "", None);
        check("", None, &["Fighting resumed in mid\u{2011}June 2014."], &[("mid\u{2011}June 2014", "2014-06", "2014-06-11", "2014-06-20")]);
    }

    #[test]
    fn explicit_dates_in_all_orders() {
        check("", None, &["On 7 March 1999 and on March 9, 1999, then the 1st of May 2001; also 2003-02-01."], &[
            ("7 March 1999", "1999-03-07", "1999-03-07", "1999-03-07"),
            ("March 9, 1999", "1999-03-09", "1999-03-09", "1999-03-09"),
            ("the 1st of May 2001", "2001-05-01", "2001-05-01", "2001-05-01"),
            ("2003-02-01", "2003-02-01", "2003-02-01", "2003-02-01"),
        ]);
    }

    #[test]
    fn year_comes_from_title_before_an_older_background_year() {
        check("Siege of Karm (April–May 2012)", None, &["In early 2009, troops arrived.", "By 6 April, they had advanced.", "The next day they withdrew."], &[
            ("early 2009", "2009", "2009-01-01", "2009-04-30"),
            ("6 April", "2012-04-06", "2012-04-06", "2012-04-06"),
            ("The next day", "2012-04-07", "2012-04-07", "2012-04-07"),
        ]);
    }

    #[test]
    fn modifiers_narrow_the_interval_not_the_value() {
        check("", None, &["In mid-October 1998 and late June 1998 and the end of May 1998 and early 1997."], &[
            ("mid-October 1998", "1998-10", "1998-10-11", "1998-10-20"),
            ("late June 1998", "1998-06", "1998-06-21", "1998-06-30"),
            ("the end of May 1998", "1998-05", "1998-05-21", "1998-05-31"),
            ("early 1997", "1997", "1997-01-01", "1997-04-30"),
        ]);
    }

    #[test]
    fn relative_expressions_follow_the_anchor() {
        check("", None, &["On 2 February 1940 the line broke.", "Two days later it held.", "The following week was quiet.", "Later that month, rain fell.", "The following year, peace came."], &[
            ("2 February 1940", "1940-02-02", "1940-02-02", "1940-02-02"),
            ("Two days later", "1940-02-04", "1940-02-04", "1940-02-04"),
            ("The following week", "1940-W06", "1940-02-05", "1940-02-11"),
            ("Later that month", "1940-02", "1940-02-01", "1940-02-29"),
            ("The following year", "1941", "1941-01-01", "1941-12-31"),
        ]);
    }

    #[test]
    fn months_going_backwards_far_roll_to_the_next_year() {
        check("", None, &["In November 1942 the army attacked.", "In February the front held."], &[
            ("November 1942", "1942-11", "1942-11-01", "1942-11-30"),
            ("February", "1943-02", "1943-02-01", "1943-02-28"),
        ]);
        // five months back is far enough: a story in October goes on to next May
        check("", None, &["In October 1820 the rains ended.", "In May the march resumed."], &[
            ("October 1820", "1820-10", "1820-10-01", "1820-10-31"),
            ("May", "1821-05", "1821-05-01", "1821-05-31"),
        ]);
        // four is not: "In April" after August is the spring just told of
        check("", None, &["In August 1820 the rains ended.", "In April the march had begun."], &[
            ("August 1820", "1820-08", "1820-08-01", "1820-08-31"),
            ("April", "1820-04", "1820-04-01", "1820-04-30"),
        ]);
    }

    #[test]
    fn ranges_and_ambiguous_numeric_dates() {
        check("", None, &["Between 11 and 13 May 2015 and on 4/5/2015 and 20–22 June 2015."], &[
            ("11 and 13 May 2015", "2015-05-11", "2015-05-11", "2015-05-13"),
            ("4/5/2015", "2015-05-04", "2015-04-05", "2015-05-04"),
            ("20–22 June 2015", "2015-06-20", "2015-06-20", "2015-06-22"),
        ]);
    }

    #[test]
    fn not_dates() {
        check("", None, &["The 1st Division sent 2000 troops along Highway 1944 on page 12; they may march."], &[]);
    }

    #[test]
    fn published_date_anchors_news() {
        check("", Some("2022-01-05"), &["On Monday, gunmen attacked a checkpoint.", "On 30 December, shelling hit the town."], &[
            ("Monday", "2022-01-03", "2022-01-03", "2022-01-03"),
            ("30 December", "2021-12-30", "2021-12-30", "2021-12-30"),
        ]);
    }

    #[test]
    fn narrative_references() {
        check("", None, &["On 4 June 1916 the attack began; that same day the line held.", "By month's end the front was quiet, and late in the year the army withdrew.", "The previous April had been calm."], &[
            ("4 June 1916", "1916-06-04", "1916-06-04", "1916-06-04"),
            ("that same day", "1916-06-04", "1916-06-04", "1916-06-04"),
            ("month's end", "1916-06", "1916-06-21", "1916-06-30"),
            ("late in the year", "1916", "1916-09-01", "1916-12-31"),
            ("The previous April", "1916-04", "1916-04-01", "1916-04-30"),
        ]);
    }

    #[test]
    fn asides_do_not_move_the_story() {
        check("", None, &["In March 1930 the siege began, a plan dating from 1905.", "The offensive lasted until the fall of Kars in May 1931.", "In April, the garrison surrendered."], &[
            ("March 1930", "1930-03", "1930-03-01", "1930-03-31"),
            ("1905", "1905", "1905-01-01", "1905-12-31"),
            ("May 1931", "1931-05", "1931-05-01", "1931-05-31"),
            ("April", "1930-04", "1930-04-01", "1930-04-30"),
        ]);
    }

    #[test]
    fn a_year_named_a_little_ahead_gives_the_next_month_its_year() {
        // "for 1952" is named in passing, yet the story has moved on to it; a source's year in
        // brackets and a year far ahead (a retrospective) do not count
        check("", None, &["In October 1951 the front froze.", "Both sides prepared the 1952 campaigns.", "In April, the assault opened."], &[
            ("October 1951", "1951-10", "1951-10-01", "1951-10-31"),
            ("1952", "1952", "1952-01-01", "1952-12-31"),
            ("April", "1952-04", "1952-04-01", "1952-04-30"),
        ]);
        check("", None, &["In October 1951 the front froze (Hale 1952), a stalemate studied until 1990.", "In November, it snowed."], &[
            ("October 1951", "1951-10", "1951-10-01", "1951-10-31"),
            ("1952", "1952", "1952-01-01", "1952-12-31"),
            ("1990", "1990", "1990-01-01", "1990-12-31"),
            ("November", "1951-11", "1951-11-01", "1951-11-30"),
        ]);
    }

    #[test]
    fn the_story_resumes_after_a_flashback_or_a_look_far_ahead() {
        check("", None, &["On 2 May 1941 the port fell.", "The treaty of 12 August 1939 had foreseen it.", "On 20 May, the island was invaded."], &[
            ("2 May 1941", "1941-05-02", "1941-05-02", "1941-05-02"),
            ("12 August 1939", "1939-08-12", "1939-08-12", "1939-08-12"),
            ("20 May", "1941-05-20", "1941-05-20", "1941-05-20"),
        ]);
        check("", None, &["On 2 May 1941 the port fell.", "In March 1950 a memorial was built there.", "On 20 May, the island was invaded."], &[
            ("2 May 1941", "1941-05-02", "1941-05-02", "1941-05-02"),
            ("March 1950", "1950-03", "1950-03-01", "1950-03-31"),
            ("20 May", "1941-05-20", "1941-05-20", "1941-05-20"),
        ]);
        // a year on is the story moving, not a jump
        check("", None, &["On 2 May 1941 the port fell.", "In June 1942 the siege was lifted.", "In May, the army left."], &[
            ("2 May 1941", "1941-05-02", "1941-05-02", "1941-05-02"),
            ("June 1942", "1942-06", "1942-06-01", "1942-06-30"),
            ("May", "1942-05", "1942-05-01", "1942-05-31"),
        ]);
    }

    #[test]
    fn spans_across_months_and_pairs_of_days() {
        check_values(
            "The battle of the ridge (29 November - 3 December 1917) failed. It resumed from March 2-April 9, 1918; the surrender came on May 4 and 5, and the 30 and 31 May were quiet. On June 2 and 3 soldiers left.",
            &[
                ("29 November", "1917-11-29"),
                ("3 December 1917", "1917-12-03"),
                ("March 2", "1918-03-02"),
                ("April 9, 1918", "1918-04-09"),
                ("May 4", "1918-05-04"),
                ("5", "1918-05-05"),
                ("the 30", "1918-05-30"),
                ("31 May", "1918-05-31"),
                ("June 2", "1918-06-02"),
                ],
        );
    }

    #[test]
    fn ordinal_ranges_and_the_new_year() {
        check("", None, &["In November 1921 the line held; the assault was moved from the 3rd to the 9th of December 1921.", "Six days before the new year, the fort fell; the new year brought a truce."], &[
            ("November 1921", "1921-11", "1921-11-01", "1921-11-30"),
            ("the 3rd to the 9th of December 1921", "1921-12-03", "1921-12-03", "1921-12-09"),
            ("Six days before the new year", "1921-12-26", "1921-12-26", "1921-12-26"),
            ("the new year", "1922-01-01", "1922-01-01", "1922-01-01"),
        ]);
    }

    #[test]
    fn a_horizon_at_the_end_of_a_clause_does_not_move_the_story() {
        // "by December" says where things stood then; the story is still in March
        check("", None, &["In March 1965 the first marines landed, and their number grew to 20,000 by December.", "In May, the rains came."], &[
            ("March 1965", "1965-03", "1965-03-01", "1965-03-31"),
            ("December", "1965-12", "1965-12-01", "1965-12-31"),
            ("May", "1965-05", "1965-05-01", "1965-05-31"),
        ]);
    }

    #[test]
    fn what_the_story_is_compared_with_came_before_it() {
        // "November and January" are the months the quiet spring is measured against
        check("", None, &["In February 1951 the raids resumed.", "In March it was quiet compared with the fighting of November and January.", "In May, the rains came."], &[
            ("February 1951", "1951-02", "1951-02-01", "1951-02-28"),
            ("March", "1951-03", "1951-03-01", "1951-03-31"),
            ("November", "1950-11", "1950-11-01", "1950-11-30"),
            ("January", "1951-01", "1951-01-01", "1951-01-31"),
            ("May", "1951-05", "1951-05-01", "1951-05-31"),
        ]);
    }

    #[test]
    fn a_date_naming_a_thing_does_not_move_the_story() {
        // "the May 1990 peak" names a peak; the story is still in the spring of 1991
        check("", None, &["In late April 1991 the raids rose above the May 1990 peak.", "In early May, a truce was agreed."], &[
            ("late April 1991", "1991-04", "1991-04-21", "1991-04-30"),
            ("May 1990", "1990-05", "1990-05-01", "1990-05-31"),
            ("early May", "1991-05", "1991-05-01", "1991-05-10"),
        ]);
    }

    #[test]
    fn a_horizon_told_relatively_does_not_move_the_story_either() {
        // "by next spring" is a plan; the stop of "U.N." opens no clause
        check("", None, &["On 2 October 1962 the U.N. planned a pull-out by next spring, starting in November.", "On 12 November, the first unit left."], &[
            ("2 October 1962", "1962-10-02", "1962-10-02", "1962-10-02"),
            ("next spring", "1963-SP", "1963-03-01", "1963-05-31"),
            ("November", "1962-11", "1962-11-01", "1962-11-30"),
            ("12 November", "1962-11-12", "1962-11-12", "1962-11-12"),
        ]);
    }

    #[test]
    fn a_past_perfect_inside_a_clause_looks_back() {
        // "that had crossed the river in late 1916" is background to the spring of 1917
        check("", None, &["In April 1917 the cavalry, which had crossed the river in late 1916, took the ridge.", "By June, the line held."], &[
            ("April 1917", "1917-04", "1917-04-01", "1917-04-30"),
            ("late 1916", "1916", "1916-09-01", "1916-12-31"),
            ("June", "1917-06", "1917-06-01", "1917-06-30"),
        ]);
    }

    #[test]
    fn a_winter_around_the_story_stays_around_it() {
        // told in February 1942, "from November to March" is the winter of 1941–42
        check("", None, &["In February 1942 the siege went on.", "The garrison starved from November to March, then the ice road opened.", "In April, the thaw came."], &[
            ("February 1942", "1942-02", "1942-02-01", "1942-02-28"),
            ("November to March", "1941-11", "1941-11-01", "1942-03-31"),
            ("April", "1942-04", "1942-04-01", "1942-04-30"),
        ]);
    }

    #[test]
    fn a_year_after_a_heading_opens_its_paragraph() {
        // with no stop before it, the year on a new line still starts the story anew
        check_values("In October 1703 the fleet sailed.\n\nThe second campaign\n\n1704 saw new landings. Later in the year, the fort fell.", &[
            ("October 1703", "1703-10"),
            ("1704", "1704"),
            ("Later in the year", "1704"),
        ]);
    }

    #[test]
    fn a_section_opens_where_its_story_starts() {
        // a bare year inside a sentence is an aside, unless it is the first date after a heading
        check_values("The raids went on until May 1812. In August 1812 the garrison surrendered.\n\nThe northern front\n\nBoth armies met at the river in 1811 before the thaw. In late March, the bridge was burnt.", &[
            ("May 1812", "1812-05"),
            ("August 1812", "1812-08"),
            ("1811", "1811"),
            ("late March", "1811-03"),
        ]);
        // not after a sentence of the same paragraph, nor when the line before is a sentence
        check_values("In August 1812 the garrison surrendered.\nBoth armies met at the river in 1811 before the thaw. In late March, the bridge was burnt.", &[
            ("August 1812", "1812-08"),
            ("1811", "1811"),
            ("late March", "1813-03"),
        ]);
    }

    #[test]
    fn since_a_month_and_as_opposed_to_look_back() {
        // "since February" told in September is the February before; a date the story is set
        // against, with its own year, does not move the story either
        check_values("On 12 September 1911 the envoy reported that raids had stayed the same since February. Losses fell to ten a week, as opposed to forty in March 1910. The following month, the talks resumed.", &[
            ("12 September 1911", "1911-09-12"),
            ("February", "1911-02"),
            ("March 1910", "1910-03"),
            ("The following month", "1911-10"),
        ]);
    }

    #[test]
    fn the_same_time_is_the_storys_time() {
        // as precisely as the story knows it; "the time of …", "by the time …" and "the same
        // time as …" name another time, and none of them moves the story
        check_values("On 4 March 1822 the envoy left the capital. At the same time, the rebels crossed the river. In May 1822 the fleet sailed; by this time the port was empty. At the time of the truce, nobody believed it. By the time the envoy returned, the war was over. At the same time as the siege, a revolt broke out.", &[
            ("4 March 1822", "1822-03-04"),
            ("the same time", "1822-03-04"),
            ("May 1822", "1822-05"),
            ("this time", "1822-05"),
        ]);
    }

    #[test]
    fn days_of_the_week_count_back_from_publication() {
        // a Wednesday's report: "on Tuesday … on Monday … on Saturday" are the days before it,
        // not the days after the last one; what "will" happen lies ahead
        check("", Some("2017-09-06"), &["Troops entered the town on Tuesday.", "Air strikes hit the hills on Monday.", "Rebels had retreated on Saturday.", "Talks will resume on Friday."], &[
            ("Tuesday", "2017-09-05", "2017-09-05", "2017-09-05"),
            ("Monday", "2017-09-04", "2017-09-04", "2017-09-04"),
            ("Saturday", "2017-09-02", "2017-09-02", "2017-09-02"),
            ("Friday", "2017-09-08", "2017-09-08", "2017-09-08"),
        ]);
    }

    #[test]
    fn a_list_of_numbers_shares_the_last_ones_unit() {
        check("", None, &["In 1950 the general recalled the wars of five, ten, and twenty years earlier."], &[
            ("1950", "1950", "1950-01-01", "1950-12-31"),
            ("five", "1945", "1945-01-01", "1945-12-31"),
            ("ten", "1940", "1940-01-01", "1940-12-31"),
            ("twenty years earlier", "1930", "1930-01-01", "1930-12-31"),
        ]);
        // a list of other things is no date
        check_values("In 1950 they lost 5, 10 and 20 men two years later.", &[("1950", "1950"), ("two years later", "1952")]);
    }

    #[test]
    fn a_phrase_in_apposition_names_the_day_before_it() {
        check("", None, &["On 9 May 1864, the third day of the siege, the fort fell; on 2 June 1864 - two days after the relief arrived - it was retaken."], &[
            ("9 May 1864", "1864-05-09", "1864-05-09", "1864-05-09"),
            ("the third day of the siege", "1864-05-09", "1864-05-09", "1864-05-09"),
            ("2 June 1864", "1864-06-02", "1864-06-02", "1864-06-02"),
            ("two days after the relief arrived", "1864-06-02", "1864-06-02", "1864-06-02"),
        ]);
    }

    #[test]
    fn with_no_story_yet_a_date_told_ahead_still_sets_the_year() {
        check("", None, &["Talks dragged on until in March 1980 the envoys left.", "In April, the border was closed."], &[
            ("March 1980", "1980-03", "1980-03-01", "1980-03-31"),
            ("April", "1980-04", "1980-04-01", "1980-04-30"),
        ]);
    }

    #[test]
    fn a_year_in_brackets_is_an_aside() {
        check("", None, &["On 3 May 1871 the commune fell.", "The law (1850) was repealed.", "On 9 June, the assembly met."], &[
            ("3 May 1871", "1871-05-03", "1871-05-03", "1871-05-03"),
            ("1850", "1850", "1850-01-01", "1850-12-31"),
            ("9 June", "1871-06-09", "1871-06-09", "1871-06-09"),
        ]);
    }

    #[test]
    fn an_abbreviated_second_year_is_its_own_year() {
        check_values("During 1961-63 and again in 1998-2001, but 1999-00 too; 1944-45 troops.", &[("1961", "1961"), ("63", "1963"), ("1998", "1998"), ("2001", "2001"), ("1999", "1999"), ("00", "2000"), ("1944", "1944")]);
    }

    #[test]
    fn ranges_print_as_their_two_ends() {
        check_values("Fighting (August-September 1950) and again on 6–7 January 1951.", &[("August", "1950-08"), ("September 1950", "1950-09"), ("6", "1951-01-06"), ("7 January 1951", "1951-01-07")]);
    }

    #[test]
    fn seasons_and_decades() {
        check("", None, &["In the summer of 1942 and in the 1990s."], &[
            ("the summer of 1942", "1942-SU", "1942-06-01", "1942-08-31"),
            ("the 1990s", "199", "1990-01-01", "1999-12-31"),
        ]);
    }
}

pub use chrono::NaiveDate as Date;

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
        let pieces: Vec<(usize, usize, String)> = if t.parts.is_empty() { vec![(t.start, t.end, t.value.clone())] } else { t.parts.clone() };
        for (s, e, value) in pieces {
            chars += text[byte..s].chars().count();
            byte = s;
            let len = text[s..e].chars().count();
            out.push(Expression { start: chars, end: chars + len, text: text[s..e].to_string(), value, modifier: t.modifier.map(Modifier::as_str) });
        }
    }
    out
}
