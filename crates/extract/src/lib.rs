//! sitrep's extraction core: a document's text in, dated, attributed conflict events out.
//!
//! # Layout
//! - [`text`]: the tokenizer every stage shares (byte offsets, plain lower case).
//! - [`segment`]: sentences and their citation markers.
//! - [`timex`]: the temporal normaliser (recognition and narrative-order resolution); also what
//!   `sitrep timex` prints.
//! - [`registry`]: the actor registry (data: `data/actors.json`).
//! - [`lexicon`]: the predicate dictionary (data: `data/predicates.json`).
//! - [`places`]: toponym mentions (resolution is the gazetteer's job).
//! - [`events`]: the event coder that puts them together.
//!
//! Architecture invariant: this crate does no I/O, no async, and knows nothing of protobuf, sled
//! or tonic. A sentence it cannot code yields a diagnostic, never an error; the only errors are
//! malformed data files handed to [`Extractor::with_data`].

pub mod events;
pub mod lexicon;
pub mod places;
pub mod registry;
pub mod segment;
pub mod text;
pub mod timex;
pub mod vocabulary;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub use lexicon::Lexicon;
pub use registry::Registry;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A registry or dictionary file could not be read as data.
    #[error("bad data file: {0}")]
    Data(String),
}

pub type Result<T> = std::result::Result<T, Error>;

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Kind {
    Offensive,
    Advance,
    Attack,
    Clash,
    Capture,
    Siege,
    Withdrawal,
    Bombardment,
    Casualties,
    End,
    Statement,
    Protest,
    Riot,
    Abduction,
    Arrest,
    /// A step with no violence that changes what armed actors can do: a base set up, explosives
    /// defused, prisoners released (ACLED's strategic developments).
    Development,
}

/// How fine an event's date interval is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Precision {
    Day,
    Days,
    Week,
    Month,
    Season,
    Year,
    Unknown,
}

/// Where an event's date came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum DateBasis {
    Explicit,
    DocumentTitle,
    PublishedDate,
    PreviousEvent,
    EarlierYear,
    None,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct When {
    /// Inclusive bounds; both absent when nothing anchors the date.
    pub earliest: Option<NaiveDate>,
    pub latest: Option<NaiveDate>,
    pub precision: Precision,
    pub basis: DateBasis,
    /// The words the date was read from.
    pub text: String,
    pub ambiguous: bool,
    /// The sentence states no date: the interval is the narrative's, widened.
    pub inherited: bool,
}

impl When {
    pub fn unknown() -> Self {
        When {
            earliest: None,
            latest: None,
            precision: Precision::Unknown,
            basis: DateBasis::None,
            text: String::new(),
            ambiguous: false,
            inherited: true,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Role {
    Agent,
    Target,
    Ally,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventActor {
    /// Registry id, or `prov:<key>` for an organisation the registry lacks.
    pub id: String,
    pub name: String,
    pub mention: String,
    pub side: Option<String>,
    pub role: Role,
    pub provisional: bool,
    /// The actor's ACLED name, from the registry.
    pub acled: Option<String>,
    /// The registry's type (state_forces, militia, …).
    pub kind: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventPlace {
    pub mention: String,
    /// A place the text relates this one to ("outside Al-Juba").
    pub near: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Attribution {
    pub source: String,
    pub verb: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Event {
    pub sentence_index: usize,
    /// Position of the event in the document.
    pub order: usize,
    /// The sentence, citation markers removed.
    pub sentence: String,
    /// The clause that states the event.
    pub span: String,
    pub kind: Kind,
    pub when: When,
    pub actors: Vec<EventActor>,
    pub places: Vec<EventPlace>,
    pub citations: Vec<String>,
    pub attribution: Option<Attribution>,
    pub fatalities: Option<u32>,
    pub fatalities_max: Option<u32>,
    pub hedged: bool,
    pub failed: bool,
    pub negated: bool,
    pub trigger: String,
    /// ACLED's sub-event type when the predicate says more than the kind ("Air/drone strike").
    pub acled_sub_event_type: Option<String>,
    /// What the event was done with, as its trigger and clause name it (in [`Means`] order).
    pub means: Vec<Means>,
    /// The sentence tells of bodies found ("the body of a man was found", "found shot dead").
    pub body_found: bool,
    /// The sentence's count of the dead adds to the one told before ("4 IS members were also
    /// killed"), rather than restating it.
    pub count_adds: bool,
}

/// What an event was done with, as the words of its trigger and clause name it; the cues of each
/// are data (`means` in `data/predicates.json`). Some overlap on purpose: the narrow reading
/// decides first, the wide one only where nothing narrower was named.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Means {
    /// A warplane, helicopter, drone or jets; an air strike.
    Aircraft,
    /// Any word of the air, a jet, a bomb: how a bombardment was done when nothing narrower is named.
    AirOrBomb,
    /// An IED, a landmine, a car bomb; an explosion, a detonation.
    ExplosiveDevice,
    /// Explosives, mines (the wide reading of [`Means::ExplosiveDevice`]).
    Explosive,
    /// Shells, mortars, artillery, missiles, rocket-propelled grenades.
    Artillery,
    /// Gunmen, gunfire, bullets, snipers, rifles, machine guns.
    SmallArms,
    /// Force on a person: shot, stabbed, executed, assassinated, killed, beaten.
    Direct,
}

/// A document to extract from.
#[derive(Debug, Clone, Copy)]
pub struct Document<'a> {
    pub text: &'a str,
    pub title: &'a str,
    pub published: Option<NaiveDate>,
}

/// What the extractor found in one document.
#[derive(Debug, Clone, Default)]
pub struct Extraction {
    pub sentences: Vec<segment::Sentence>,
    pub events: Vec<Event>,
    /// Things the extractor noticed but did not code, one line each.
    pub diagnostics: Vec<String>,
    /// Countries the document is about, most mentioned first (ISO codes).
    pub country_focus: Vec<String>,
}

/// The extractor: a registry and a dictionary. Cheap to share; `extract` takes `&self`.
#[derive(Debug, Clone)]
pub struct Extractor {
    /// Shared: the built-in registry holds every country's generic actors, and is built once.
    registry: std::sync::Arc<Registry>,
    lexicon: std::sync::Arc<Lexicon>,
}

impl Default for Extractor {
    fn default() -> Self {
        Self::builtin()
    }
}

impl Extractor {
    /// The built-in registry and dictionary.
    pub fn builtin() -> Self {
        static BUILTIN: std::sync::OnceLock<Extractor> = std::sync::OnceLock::new();
        BUILTIN
            .get_or_init(|| Extractor {
                registry: std::sync::Arc::new(Registry::builtin()),
                lexicon: std::sync::Arc::new(Lexicon::builtin()),
            })
            .clone()
    }

    /// The built-in data extended by the given registry and dictionary files (their contents).
    pub fn with_data(actor_files: &[&str], predicate_files: &[&str]) -> Result<Self> {
        let mut x = Self::builtin();
        for a in actor_files {
            std::sync::Arc::make_mut(&mut x.registry).add_json(a)?;
        }
        for p in predicate_files {
            std::sync::Arc::make_mut(&mut x.lexicon).add_json(p)?;
        }
        Ok(x)
    }

    pub fn registry(&self) -> &Registry {
        &self.registry
    }

    /// Extract the events of a document. Never fails.
    pub fn extract(&self, doc: Document<'_>) -> Extraction {
        events::extract(&self.registry, &self.lexicon, doc)
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    /// The pieces war reporting is made of, and the ones that break parsers.
    const PIECES: &[&str] = &[
        "On",
        " ",
        "3",
        "31",
        "February",
        "May",
        "March",
        "2015",
        "0",
        "[21]",
        "[",
        "]",
        "[Assad's]",
        "the next day",
        ",",
        ".",
        ";",
        "\n",
        "\t",
        "\u{0}",
        "\u{200f}",
        "\u{202e}",
        "حزب الله",
        "al-",
        "Al-Nusra",
        "Tal",
        "Ras al-Maara",
        "-",
        "–",
        "—",
        "'",
        "\u{2019}",
        "\"",
        "\u{201c}",
        "captured",
        "killing at least",
        "dozens of",
        "fighters",
        "reportedly",
        "claimed",
        "was repelled",
        "Hezbollah",
        "ISIL",
        "e\u{301}",
        "12.7",
        "mm",
        "U.S.",
        "Lt.",
        "Gen.",
        "between",
        "and",
        "to",
        "mid-",
        "late",
        "early",
        "the end of",
        "4/5/2015",
        "1,200",
        "%",
        "km²",
        "Qalamoun",
        "Mountains",
        "(",
        ")",
        "besieged",
        "withdrew",
        "who",
        "which",
        "as well as",
        "the 20th",
        "Monday",
        "Christmas",
        "since",
        "until",
        "2015-13-45",
        "9999",
        "BC",
        "AD",
        "😀",
        "[7]",
        "[note 3]",
    ];

    /// Texts of pieces, numbers, citation markers and arbitrary Unicode, joined by spaces.
    fn texts() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            6 => prop::sample::select(PIECES).prop_map(str::to_string),
            2 => (1u32..300).prop_map(|n| format!("[{n}]")),
            1 => (0u32..3000).prop_map(|n| n.to_string()),
            1 => any::<String>(),
        ];
        prop::collection::vec(piece, 1..40).prop_map(|v| v.join(" "))
    }

    /// The numeric citation markers of a text ("[21]"), as the segmenter reads them.
    fn markers(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut rest = text;
        while let Some(i) = rest.find('[') {
            rest = &rest[i + 1..];
            if let Some(j) = rest.find(']') {
                let inner = &rest[..j];
                if !inner.is_empty()
                    && inner.len() <= 4
                    && inner.bytes().all(|b| b.is_ascii_digit())
                {
                    out.push(inner.to_string());
                }
            }
        }
        out
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 1500, ..ProptestConfig::default() })]

        /// Never panics, deterministic, every interval ordered, every citation marker kept.
        #[test]
        fn extraction_never_panics_is_deterministic_and_keeps_markers(text in texts(), titled in any::<bool>(), published in any::<bool>()) {
            let x = Extractor::builtin();
            let title = if titled { "Battle of X (May–June 2015)" } else { "" };
            let published = published.then(|| NaiveDate::from_ymd_opt(2016, 2, 29).unwrap());
            let a = x.extract(Document { text: &text, title, published });
            let b = x.extract(Document { text: &text, title, published });
            prop_assert_eq!(&a.events, &b.events);
            for e in &a.events {
                if let (Some(lo), Some(hi)) = (e.when.earliest, e.when.latest) {
                    prop_assert!(lo <= hi, "earliest after latest: {:?}", e);
                }
            }
            // every numeric citation marker of the input is kept by some sentence, or reported
            let kept: Vec<&String> = a.sentences.iter().flat_map(|s| s.citations.iter()).collect();
            for m in markers(&text) {
                let reported = a.diagnostics.iter().any(|d| d.contains(&format!("citation [{m}]")));
                prop_assert!(kept.iter().any(|k| **k == m) || reported, "marker [{}] lost; kept {:?}", m, kept);
            }
            // the date normaliser alone: offsets are code points inside the text, in order
            let chars = text.chars().count();
            for t in timex::scan_document(&text, title, published) {
                prop_assert!(t.start <= t.end && t.end <= chars, "{:?} outside 0..{}", t, chars);
            }
        }
    }
}
