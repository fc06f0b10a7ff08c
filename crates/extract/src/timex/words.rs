//! The words the scanner reads. The open-class vocabulary (month, weekday, season, number and
//! ordinal words, units, holidays, modifiers, and the nouns and cues around dates) is data:
//! `data/timex.json`, built in and read once. The closed-class grammar the patterns name
//! (articles, prepositions, conjunctions, auxiliaries, punctuation) is code, here and in the
//! patterns themselves.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

use chrono::Weekday;
use serde::Deserialize;

use super::form::{Part, Season, Unit};
use super::Modifier;
use crate::text::{TokKind, Token};

/// FNV-1a. Every token of a text is looked up in several of these tables, and its words are
/// short: std's SipHash (a defence against hash flooding, which a table built once from our own
/// data and never filled from input does not face) would cost more than the rest of the scan.
pub(super) struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// A table of words with a cheap first test: most tokens of a text are in none of the tables,
/// and their length with their first or last byte says so before any hashing.
pub(super) struct Lookup<V> {
    map: HashMap<String, V, BuildHasherDefault<Fnv>>,
    /// Bit `(length << 8) | byte` (lengths from 15 on share one row): some key of that length
    /// starts with that byte.
    firsts: Box<[u64; 64]>,
    /// The same for the last byte.
    lasts: Box<[u64; 64]>,
}

/// A word's bit in `Lookup::firsts` or `Lookup::lasts`: (word, mask).
#[inline]
fn bit(len: usize, byte: u8) -> (usize, u64) {
    let i = (len.min(15) << 8) | usize::from(byte);
    (i >> 6, 1 << (i & 63))
}

impl<V> Default for Lookup<V> {
    fn default() -> Self {
        Lookup {
            map: HashMap::default(),
            firsts: Box::new([0; 64]),
            lasts: Box::new([0; 64]),
        }
    }
}

impl<V> Lookup<V> {
    fn insert(&mut self, w: String, v: V) {
        if let (Some(&a), Some(&z)) = (w.as_bytes().first(), w.as_bytes().last()) {
            let (i, m) = bit(w.len(), a);
            self.firsts[i] |= m;
            let (i, m) = bit(w.len(), z);
            self.lasts[i] |= m;
        }
        self.map.insert(w, v);
    }

    fn entry_or_insert(&mut self, w: String, v: V) {
        if !self.map.contains_key(&w) {
            self.insert(w, v);
        }
    }

    #[inline]
    pub fn get(&self, w: &str) -> Option<&V> {
        let (&a, &z) = (w.as_bytes().first()?, w.as_bytes().last()?);
        let (i, m) = bit(w.len(), a);
        let (j, n) = bit(w.len(), z);
        if self.firsts[i] & m != 0 && self.lasts[j] & n != 0 {
            self.map.get(w)
        } else {
            None
        }
    }

    #[inline]
    pub fn contains_key(&self, w: &str) -> bool {
        self.get(w).is_some()
    }
}

impl Lookup<()> {
    #[inline]
    pub fn contains(&self, w: &str) -> bool {
        self.get(w).is_some()
    }
}

impl<V> FromIterator<(String, V)> for Lookup<V> {
    fn from_iter<I: IntoIterator<Item = (String, V)>>(it: I) -> Self {
        let mut l = Lookup::default();
        for (w, v) in it {
            l.insert(w, v);
        }
        l
    }
}

type Map<V> = Lookup<V>;
type Set = Lookup<()>;

/// The vocabulary, as the scanner looks it up.
pub(super) struct Words {
    /// Month names and short forms → (month, is a short form).
    months: Map<(u32, bool)>,
    /// Month names that are also common words ("may", "march"): a month only after a cue.
    pub months_also_words: Set,
    pub month_cues: Set,
    weekdays: Map<Weekday>,
    seasons: Map<Season>,
    /// Season words that are also common nouns ("the fall of Budapest").
    pub seasons_also_words: Set,
    number_words: Map<i64>,
    pub ordinal_words: Map<u32>,
    pub ordinal_suffixes: Vec<String>,
    /// Era words → whether the era counts years before year 1 ("BC").
    pub eras: Map<bool>,
    pub era_prefixes: Set,
    /// Unit words → (unit, is the plural).
    units: Map<(Unit, bool)>,
    pub day_parts: Set,
    pub same_day_words: Set,
    pub sequence: Map<i64>,
    pub directions: Map<i64>,
    pub later_or_earlier: Set,
    pub deictic_days: Map<i64>,
    pub deictic_determiners: Map<i64>,
    /// In order: (words, month, day).
    pub holidays: Vec<(Vec<String>, u32, u32)>,
    pub modifiers: Map<Modifier>,
    /// "mid-", "early-", "late-": the modifiers that narrow, as prefixes of one token.
    pub prefixes: Vec<(String, Modifier)>,
    /// In order: (words, part).
    pub part_phrases: Vec<(Vec<String>, Part)>,
    pub in_the_period: Map<Part>,
    /// In order: (words, unit, offset).
    pub period_phrases: Vec<(Vec<String>, Unit, i64)>,
    /// In order: (words, offset in years).
    pub of_year_phrases: Vec<(Vec<String>, i64)>,
    /// "new year": "the new year" is the first day of the year after the story's.
    pub new_year: Vec<String>,
    pub ordinal_nouns: Set,
    pub count_nouns: Set,
    pub designators: Set,
    pub ahead_cues: Set,
    /// Words or phrases.
    pub comparison_cues: Vec<Vec<String>>,
}

#[derive(Deserialize)]
struct MonthEntry {
    names: Vec<String>,
    short: Vec<String>,
}

#[derive(Deserialize)]
struct HolidayEntry {
    words: String,
    month: u32,
    day: u32,
}

#[derive(Deserialize)]
struct PartPhrase {
    words: String,
    part: PartName,
}

#[derive(Deserialize)]
struct PeriodPhrase {
    words: String,
    unit: UnitName,
    offset: i64,
}

#[derive(Deserialize)]
struct OfYearPhrase {
    words: String,
    offset: i64,
}

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "snake_case")]
enum PartName {
    Start,
    Mid,
    End,
    FirstHalf,
    SecondHalf,
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq, Hash)]
#[serde(rename_all = "snake_case")]
enum UnitName {
    Day,
    Week,
    Month,
    Year,
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq, Hash)]
#[serde(rename_all = "snake_case")]
enum SeasonName {
    Spring,
    Summer,
    Autumn,
    Winter,
}

#[derive(Deserialize, Clone, Copy)]
enum ModName {
    #[serde(rename = "START")]
    Start,
    #[serde(rename = "MID")]
    Mid,
    #[serde(rename = "END")]
    End,
    #[serde(rename = "APPROX")]
    Approx,
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq)]
enum EraName {
    #[serde(rename = "AD")]
    Ad,
    #[serde(rename = "BC")]
    Bc,
}

/// `data/timex.json` as written.
#[derive(Deserialize)]
struct WordsFile {
    months: Vec<MonthEntry>,
    months_also_words: Vec<String>,
    month_cues: Vec<String>,
    weekdays: Vec<Vec<String>>,
    seasons: HashMap<SeasonName, Vec<String>>,
    seasons_also_words: Vec<String>,
    number_words: HashMap<String, i64>,
    ordinal_words: HashMap<String, u32>,
    ordinal_suffixes: Vec<String>,
    eras: HashMap<String, EraName>,
    era_prefixes: Vec<String>,
    units: HashMap<UnitName, Vec<String>>,
    day_parts: Vec<String>,
    same_day_words: Vec<String>,
    sequence: HashMap<String, i64>,
    directions: HashMap<String, i64>,
    later_or_earlier: Vec<String>,
    deictic_days: HashMap<String, i64>,
    deictic_determiners: HashMap<String, i64>,
    holidays: Vec<HolidayEntry>,
    modifiers: HashMap<String, ModName>,
    part_phrases: Vec<PartPhrase>,
    in_the_period: HashMap<String, PartName>,
    period_phrases: Vec<PeriodPhrase>,
    of_year_phrases: Vec<OfYearPhrase>,
    new_year: String,
    ordinal_nouns: Vec<String>,
    count_nouns: Vec<String>,
    designators: Vec<String>,
    ahead_cues: Vec<String>,
    comparison_cues: Vec<String>,
}

impl SeasonName {
    fn season(self) -> Season {
        match self {
            SeasonName::Spring => Season::Spring,
            SeasonName::Summer => Season::Summer,
            SeasonName::Autumn => Season::Autumn,
            SeasonName::Winter => Season::Winter,
        }
    }
}

impl PartName {
    fn part(self) -> Part {
        match self {
            PartName::Start => Part::Start,
            PartName::Mid => Part::Mid,
            PartName::End => Part::End,
            PartName::FirstHalf => Part::FirstHalf,
            PartName::SecondHalf => Part::SecondHalf,
        }
    }
}

impl UnitName {
    fn unit(self) -> Unit {
        match self {
            UnitName::Day => Unit::Day,
            UnitName::Week => Unit::Week,
            UnitName::Month => Unit::Month,
            UnitName::Year => Unit::Year,
        }
    }
}

impl ModName {
    fn modifier(self) -> Modifier {
        match self {
            ModName::Start => Modifier::Start,
            ModName::Mid => Modifier::Mid,
            ModName::End => Modifier::End,
            ModName::Approx => Modifier::Approx,
        }
    }
}

fn set(words: Vec<String>) -> Set {
    words.into_iter().map(|w| (w, ())).collect()
}

fn phrase(words: &str) -> Vec<String> {
    words.split_whitespace().map(str::to_string).collect()
}

/// A vocabulary that cannot be read as written: an error of the data, not a panic.
fn invalid(what: &str) -> serde_json::Error {
    <serde_json::Error as serde::de::Error>::custom(format!("timex vocabulary: {what}"))
}

const WEEKDAYS: [Weekday; 7] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
    Weekday::Sat,
    Weekday::Sun,
];

impl Words {
    fn from_json(json: &str) -> Result<Words, serde_json::Error> {
        let f: WordsFile = serde_json::from_str(json)?;
        if f.months.len() != 12 || f.weekdays.len() != 7 {
            return Err(invalid("12 months and 7 weekdays, in calendar order"));
        }
        let phrases = f
            .holidays
            .iter()
            .map(|h| &h.words)
            .chain(f.part_phrases.iter().map(|p| &p.words));
        let phrases = phrases
            .chain(f.period_phrases.iter().map(|p| &p.words))
            .chain(f.of_year_phrases.iter().map(|p| &p.words));
        if phrases
            .chain(&f.comparison_cues)
            .chain([&f.new_year])
            .any(|p| p.trim().is_empty())
        {
            return Err(invalid("an empty phrase"));
        }
        let mut months = Map::default();
        for (k, m) in f.months.into_iter().enumerate() {
            let n = k as u32 + 1;
            for w in m.names {
                months.insert(w, (n, false));
            }
            for w in m.short {
                months.insert(w, (n, true));
            }
        }
        let weekdays = f
            .weekdays
            .into_iter()
            .zip(WEEKDAYS)
            .flat_map(|(ws, d)| ws.into_iter().map(move |w| (w, d)))
            .collect();
        let seasons = f
            .seasons
            .into_iter()
            .flat_map(|(s, ws)| ws.into_iter().map(move |w| (w, s.season())))
            .collect();
        let mut units = Map::default();
        for (u, ws) in f.units {
            for (k, w) in ws.into_iter().enumerate() {
                units.entry_or_insert(w, (u.unit(), k > 0));
            }
        }
        let modifiers: Map<Modifier> = f
            .modifiers
            .into_iter()
            .map(|(w, m)| (w, m.modifier()))
            .collect();
        let mut prefixes: Vec<(String, Modifier)> = modifiers
            .map
            .iter()
            .filter(|(_, m)| super::calendar::part_of_modifier(Some(**m)).is_some())
            .map(|(w, m)| (format!("{w}-"), *m))
            .collect();
        prefixes.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(Words {
            months,
            months_also_words: set(f.months_also_words),
            month_cues: set(f.month_cues),
            weekdays,
            seasons,
            seasons_also_words: set(f.seasons_also_words),
            number_words: f.number_words.into_iter().collect(),
            ordinal_words: f.ordinal_words.into_iter().collect(),
            ordinal_suffixes: f.ordinal_suffixes,
            eras: f
                .eras
                .into_iter()
                .map(|(w, e)| (w, e == EraName::Bc))
                .collect(),
            era_prefixes: set(f.era_prefixes),
            units,
            day_parts: set(f.day_parts),
            same_day_words: set(f.same_day_words),
            sequence: f.sequence.into_iter().collect(),
            directions: f.directions.into_iter().collect(),
            later_or_earlier: set(f.later_or_earlier),
            deictic_days: f.deictic_days.into_iter().collect(),
            deictic_determiners: f.deictic_determiners.into_iter().collect(),
            holidays: f
                .holidays
                .into_iter()
                .map(|h| (phrase(&h.words), h.month, h.day))
                .collect(),
            modifiers,
            prefixes,
            part_phrases: f
                .part_phrases
                .into_iter()
                .map(|p| (phrase(&p.words), p.part.part()))
                .collect(),
            in_the_period: f
                .in_the_period
                .into_iter()
                .map(|(w, p)| (w, p.part()))
                .collect(),
            period_phrases: f
                .period_phrases
                .into_iter()
                .map(|p| (phrase(&p.words), p.unit.unit(), p.offset))
                .collect(),
            of_year_phrases: f
                .of_year_phrases
                .into_iter()
                .map(|p| (phrase(&p.words), p.offset))
                .collect(),
            new_year: phrase(&f.new_year),
            ordinal_nouns: set(f.ordinal_nouns),
            count_nouns: set(f.count_nouns),
            designators: set(f.designators),
            ahead_cues: set(f.ahead_cues),
            comparison_cues: f.comparison_cues.iter().map(|c| phrase(c)).collect(),
        })
    }

    /// The month a word names, and whether it is a short form ("Sept").
    pub fn month(&self, w: &str) -> Option<(u32, bool)> {
        self.months.get(w).copied()
    }

    pub fn weekday(&self, w: &str) -> Option<Weekday> {
        self.weekdays.get(w).copied()
    }

    pub fn season(&self, w: &str) -> Option<Season> {
        self.seasons.get(w).copied()
    }

    /// The unit a word names in either number ("days", "week").
    pub fn unit(&self, w: &str) -> Option<Unit> {
        self.units.get(w).map(|&(u, _)| u)
    }

    /// The unit a singular word names ("week", not "weeks").
    pub fn unit_singular(&self, w: &str) -> Option<Unit> {
        self.units
            .get(w)
            .filter(|(_, plural)| !plural)
            .map(|&(u, _)| u)
    }

    pub fn number(&self, w: &str) -> Option<i64> {
        self.number_words.get(w).copied()
    }
}

/// The vocabulary, read once: the built-in `data/timex.json` with the `timex` part of the word
/// files in force ([`crate::vocabulary`]).
#[inline]
pub(super) fn words() -> &'static Words {
    static WORDS: OnceLock<Words> = OnceLock::new();
    WORDS.get_or_init(|| {
        read(crate::vocabulary::extensions())
            .expect("the timex vocabulary was checked when the word files were given")
    })
}

/// The built-in vocabulary with the `timex` part of each word file.
pub(crate) fn read(files: &[serde_json::Value]) -> Result<Words, serde_json::Error> {
    let json = crate::vocabulary::merged(include_str!("../../data/timex.json"), "timex", files)?;
    Words::from_json(&json.to_string())
}

/// The month a word token names ("May", "sept").
pub(super) fn month_of(t: &Token) -> Option<u32> {
    if t.kind != TokKind::Word {
        return None;
    }
    words().month(&t.lower).map(|(m, _)| m)
}

/// A number, in digits or words ("3", "three", "a").
pub(super) fn number_value(t: &Token) -> Option<i64> {
    if t.kind == TokKind::Number {
        return t.lower.parse().ok();
    }
    words().number(&t.lower)
}

/// A day of the month: "3", "3rd", "third".
pub(super) fn day_of(t: &Token) -> Option<u32> {
    let d = if t.kind == TokKind::Number {
        let digits: String = t.lower.chars().take_while(char::is_ascii_digit).collect();
        let suffix = &t.lower[digits.len()..];
        if !(suffix.is_empty() || words().ordinal_suffixes.iter().any(|s| s == suffix))
            || digits.len() > 2
        {
            return None;
        }
        digits.parse().ok()?
    } else {
        words().ordinal_words.get(&t.lower).copied()?
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

/// A dash or slash between the two ends of a range (grammar: punctuation).
pub(super) fn is_dash(t: &Token) -> bool {
    t.kind == TokKind::Punct && matches!(t.text.as_str(), "-" | "\u{2013}" | "\u{2014}" | "/")
}

/// Words that do not make a date before them qualify a noun ("the 1944 of …" is no name):
/// closed-class grammar (prepositions, conjunctions, auxiliaries, articles).
pub(super) fn is_function_word(w: &str) -> bool {
    matches!(
        w,
        "of" | "and"
            | "or"
            | "but"
            | "to"
            | "in"
            | "on"
            | "at"
            | "by"
            | "for"
            | "from"
            | "with"
            | "as"
            | "was"
            | "were"
            | "is"
            | "are"
            | "had"
            | "has"
            | "have"
            | "when"
            | "while"
            | "that"
            | "which"
            | "who"
            | "the"
            | "a"
            | "an"
            | "until"
            | "after"
            | "before"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_vocabulary_reads() {
        let w = words();
        assert_eq!(w.month("sept"), Some((9, true)));
        assert_eq!(w.month("may"), Some((5, false)));
        assert_eq!(w.weekday("sunday"), Some(Weekday::Sun));
        assert_eq!(w.season("fall"), Some(Season::Autumn));
        assert_eq!(w.unit("weeks"), Some(Unit::Week));
        assert_eq!(w.unit_singular("weeks"), None);
        let mut prefixes: Vec<&str> = w.prefixes.iter().map(|(p, _)| p.as_str()).collect();
        prefixes.sort();
        assert_eq!(prefixes, ["early-", "late-", "mid-"]);
    }

    #[test]
    fn a_broken_vocabulary_is_an_error_not_a_panic() {
        assert!(Words::from_json("{\"months\": 3}").is_err());
        let built_in = include_str!("../../data/timex.json");
        let emptied = built_in.replace("\"words\": \"christmas eve\"", "\"words\": \" \"");
        assert!(Words::from_json(&emptied).is_err());
        let short = built_in
            .replace("[\"sunday\"]", "")
            .replace("[\"saturday\"], ", "[\"saturday\"]");
        assert!(Words::from_json(&short).is_err());
    }
}

#[cfg(test)]
mod extension_tests {
    use super::*;

    #[test]
    fn a_word_file_adds_spellings_to_the_month_at_its_position() {
        let file: serde_json::Value = serde_json::from_str(
            r#"{"timex": {"months": [{"names": ["janvier"]}, {"names": ["fevrier"]}]}}"#,
        )
        .unwrap();
        let w = read(std::slice::from_ref(&file)).unwrap();
        assert_eq!(w.month("fevrier"), w.month("february"));
        assert!(w.month("fevrier").is_some_and(|(m, _)| m == 2));
        assert!(
            words().month("fevrier").is_none(),
            "the process's own vocabulary unchanged"
        );
    }
}
