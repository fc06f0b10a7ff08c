//! The words the scanner reads: month, number, ordinal, season and weekday words, and the
//! nouns and cues around them.

use chrono::Weekday;

use super::form::Season;
use crate::text::{TokKind, Token};

/// Nouns after an ordinal that make it not a day ("the 20th century", "the 1st Division").
pub(super) const ORDINAL_NOUNS: &[&str] = &[
    "century", "centuries", "anniversary", "parallel", "division", "brigade", "regiment", "army", "corps", "battalion",
    "infantry", "armored", "armoured", "panzer", "amendment", "congress", "floor", "round", "minute", "birthday",
    "generation", "day", "time", "place", "largest", "most", "time", "fleet", "squadron", "wing", "group", "marine",
    "marines", "airborne", "cavalry", "mechanized", "guards", "rifle", "mountain", "light", "special", "street", "avenue",
    "dynasty", "session", "edition", "year", "month", "week", "hour", "of",
];

pub(super) const MONTHS: &[(&str, u32)] = &[
    ("january", 1), ("february", 2), ("march", 3), ("april", 4), ("may", 5), ("june", 6), ("july", 7), ("august", 8),
    ("september", 9), ("october", 10), ("november", 11), ("december", 12), ("jan", 1), ("feb", 2), ("mar", 3), ("apr", 4),
    ("jun", 6), ("jul", 7), ("aug", 8), ("sep", 9), ("sept", 9), ("oct", 10), ("nov", 11), ("dec", 12),
];

pub(super) fn month_of(t: &Token) -> Option<u32> {
    if t.kind != TokKind::Word {
        return None;
    }
    MONTHS.iter().find(|(n, _)| *n == t.lower).map(|&(_, m)| m)
}

pub(super) const NUMBER_WORDS: &[(&str, i64)] = &[
    ("a", 1), ("an", 1), ("one", 1), ("two", 2), ("three", 3), ("four", 4), ("five", 5), ("six", 6), ("seven", 7),
    ("eight", 8), ("nine", 9), ("ten", 10), ("eleven", 11), ("twelve", 12), ("thirteen", 13), ("fourteen", 14),
    ("fifteen", 15), ("sixteen", 16), ("seventeen", 17), ("eighteen", 18), ("nineteen", 19), ("twenty", 20),
    ("thirty", 30), ("forty", 40), ("fifty", 50), ("sixty", 60), ("a couple of", 2),
];

pub(super) const ORDINAL_WORDS: &[(&str, u32)] = &[
    ("first", 1), ("second", 2), ("third", 3), ("fourth", 4), ("fifth", 5), ("sixth", 6), ("seventh", 7), ("eighth", 8),
    ("ninth", 9), ("tenth", 10), ("eleventh", 11), ("twelfth", 12), ("thirteenth", 13), ("fourteenth", 14),
    ("fifteenth", 15), ("sixteenth", 16), ("seventeenth", 17), ("eighteenth", 18), ("nineteenth", 19), ("twentieth", 20),
    ("twenty-first", 21), ("twenty-second", 22), ("twenty-third", 23), ("twenty-fourth", 24), ("twenty-fifth", 25),
    ("twenty-sixth", 26), ("twenty-seventh", 27), ("twenty-eighth", 28), ("twenty-ninth", 29), ("thirtieth", 30),
    ("thirty-first", 31),
];

/// Nouns after which a number is a count, not a year ("2000 troops").
pub(super) const COUNT_NOUNS: &[&str] = &[
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
pub(super) const DESIGNATORS: &[&str] = &[
    "highway", "route", "road", "resolution", "no", "number", "page", "pages", "p", "pp", "hill", "height", "flight",
    "squadron", "division", "brigade", "regiment", "corps", "army", "group", "unit", "battalion", "article", "chapter",
    "section", "volume", "vol", "point", "kilometre", "kilometer", "km", "mile", "model", "type", "class", "operation",
];

pub(super) fn number_value(t: &Token) -> Option<i64> {
    if t.kind == TokKind::Number {
        return t.lower.parse().ok();
    }
    NUMBER_WORDS.iter().find(|(w, _)| *w == t.lower).map(|&(_, n)| n)
}

/// A day of the month: "3", "3rd", "third".
pub(super) fn day_of(t: &Token) -> Option<u32> {
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
pub(super) fn year_of(t: &Token) -> Option<i32> {
    if t.kind != TokKind::Number || !t.lower.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let y: i32 = t.lower.parse().ok()?;
    (t.lower.len() == 4 && (1000..=2199).contains(&y)).then_some(y)
}

pub(super) fn season_of(w: &str) -> Option<Season> {
    match w {
        "spring" => Some(Season::Spring),
        "summer" => Some(Season::Summer),
        "autumn" | "fall" => Some(Season::Autumn),
        "winter" => Some(Season::Winter),
        _ => None,
    }
}

pub(super) fn weekday_of(w: &str) -> Option<Weekday> {
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

pub(super) fn is_dash(t: &Token) -> bool {
    t.kind == TokKind::Punct && matches!(t.text.as_str(), "-" | "\u{2013}" | "\u{2014}" | "/")
}

/// Words after which a bare capitalised "May"/"March" is a month, not a verb.
pub(super) const MONTH_CUES: &[&str] = &[
    "in", "of", "by", "during", "since", "until", "till", "through", "throughout", "from", "to", "early", "mid", "late",
    "before", "after", "between", "end", "beginning", "middle", "start", "and", "or", "last", "next", "following",
    "that", "this", "(", ",", "around", "about", "on", "into", "for", "within", "-",
];
/// Words that do not make a date before them qualify a noun ("the 1944 of …" is no name).
pub(super) fn is_function_word(w: &str) -> bool {
    matches!(
        w,
        "of" | "and" | "or" | "but" | "to" | "in" | "on" | "at" | "by" | "for" | "from" | "with" | "as" | "was" | "were" | "is" | "are"
            | "had" | "has" | "have" | "when" | "while" | "that" | "which" | "who" | "the" | "a" | "an" | "until" | "after" | "before"
    )
}
