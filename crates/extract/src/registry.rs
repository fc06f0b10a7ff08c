//! The actor registry: canonical actors with aliases, types, sides and ACLED names, loaded from
//! data files (`data/actors.json` is built in; users add files in the same format).

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Deserialize;

use crate::text::{plain_lower, TokKind, Token};
use crate::Error;

#[derive(Debug, Clone, Deserialize)]
pub struct SideSpan {
    pub side: String,
    #[serde(default)]
    pub from: Option<NaiveDate>,
    #[serde(default)]
    pub to: Option<NaiveDate>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Actor {
    pub id: String,
    pub name: String,
    #[serde(rename = "type", default)]
    pub kind: String,
    #[serde(default)]
    pub country: Option<String>,
    /// The countries it fights in, when more than its own: what tells a document's countries
    /// (Hezbollah named in a note about Qusayr says nothing against Syria).
    #[serde(default)]
    pub theatres: Vec<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Words that name this actor only in a document about its country.
    #[serde(default)]
    pub generic: Vec<String>,
    /// The organisation a person or unit belongs to.
    #[serde(default)]
    pub member_of: Option<String>,
    #[serde(default)]
    pub sides: Vec<SideSpan>,
    #[serde(default)]
    pub acled: Option<String>,
    /// The generic actor of its country this actor is (`military`, `police`: a template's role):
    /// the Syrian Arab Army is Syria's military, so no "Military Forces of Syria" is made and the
    /// template's aliases ("Syrian forces") name it.
    #[serde(default)]
    pub stands_for: Option<String>,
    /// A name right before this actor's names is a local unit of it ("the Natogyi PDF"): an
    /// actor of its own, `prov:branch:<id>:<name>`.
    #[serde(default)]
    pub branches: bool,
}

/// A country of the country table (`data/countries.json`).
#[derive(Debug, Clone, Deserialize)]
pub struct Nation {
    /// ISO 3166-1 alpha-2; empty for the entry listing phrases that tell no country.
    pub code: String,
    #[serde(default)]
    pub alpha3: Option<String>,
    #[serde(default)]
    pub numeric: Option<u16>,
    /// The name as ACLED writes it ("Democratic Republic of Congo").
    #[serde(default)]
    pub name: String,
    /// Named with an article after "of" ("Military Forces of the United States").
    #[serde(default)]
    pub article: bool,
    #[serde(default)]
    pub region: Option<String>,
    /// Other names and spellings ("Burma", "DRC").
    #[serde(default)]
    pub names: Vec<String>,
    /// Its people's nouns and adjectives ("Nigerian", "Burkinabe").
    #[serde(default)]
    pub demonyms: Vec<String>,
    /// Other phrases that tell the country ("Niger State" is Nigeria's).
    #[serde(default)]
    pub cues: Vec<String>,
}

impl Nation {
    /// The name after "of": "the Democratic Republic of Congo".
    pub fn of_name(&self) -> String {
        if self.article {
            format!("the {}", self.name)
        } else {
            self.name.clone()
        }
    }
}

/// The built-in country table and templates alone (`data/countries.json`), for whoever names
/// actors and countries without extracting (the ACLED export).
pub fn builtin_countries() -> &'static (Vec<Nation>, Vec<Template>) {
    static TABLE: std::sync::OnceLock<(Vec<Nation>, Vec<Template>)> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let f: RegistryFile = serde_json::from_str(include_str!("../data/countries.json"))
            .expect("built-in countries.json is valid");
        (
            f.nations
                .into_iter()
                .filter(|n| !n.code.is_empty())
                .collect(),
            f.templates,
        )
    })
}

impl Template {
    /// The ACLED name of this template's actor in country `n`.
    pub fn acled_for(&self, n: &Nation) -> Option<String> {
        self.acled.as_deref().map(|a| Self::fill(a, n))
    }

    /// The ACLED name of the actor of no country where no country is known: its placeholders
    /// and their brackets dropped ("Civilians", "Military Forces").
    pub fn acled_unplaced(&self) -> Option<String> {
        let a = self.acled.as_deref()?;
        let cut = a.find(" of {").or_else(|| a.find(" ({")).unwrap_or(a.len());
        Some(a[..cut].to_string())
    }

    /// Whether `id` names this template's actor (of a country, or of none).
    pub fn names_id(&self, id: &str) -> bool {
        id == self.role
            || self.id.split_once("{cc}").is_some_and(|(pre, post)| {
                id.len() == pre.len() + 2 + post.len() && id.starts_with(pre) && id.ends_with(post)
            })
    }
}

/// A generic actor every country has (ACLED's "Military Forces of X", "Protesters (X)").
#[derive(Debug, Clone, Deserialize)]
pub struct Template {
    pub role: String,
    /// Id, name and ACLED name with `{cc}`, `{name}`, `{of}` placeholders.
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub acled: Option<String>,
    #[serde(rename = "type", default)]
    pub kind: String,
    /// The name of the actor of no country a generic word names in a document that names none.
    #[serde(default)]
    pub anonymous: Option<String>,
    /// ACLED names it by the country of the event's place (civilians, protesters, gunmen).
    #[serde(default)]
    pub of_place: bool,
    /// Names with `{adj}` (each demonym and name of the country) and `{name}`.
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub generic: Vec<String>,
}

impl Template {
    fn fill(pattern: &str, n: &Nation) -> String {
        pattern
            .replace("{cc}", &n.code.to_lowercase())
            .replace("{of}", &n.of_name())
            .replace("{name}", &n.name)
    }

    /// The template's actor for one country.
    fn actor_for(&self, n: &Nation) -> Actor {
        let mut adjs: Vec<&str> = n.demonyms.iter().map(String::as_str).collect();
        adjs.extend(n.names.iter().take(2).map(String::as_str));
        let mut aliases = Vec::new();
        for p in &self.aliases {
            let forms: Vec<String> = if p.contains("{adj}") {
                adjs.iter().map(|a| p.replace("{adj}", a)).collect()
            } else {
                vec![p.clone()]
            };
            for f in forms {
                let f = Self::fill(&f, n);
                if !aliases.contains(&f) {
                    aliases.push(f);
                }
            }
        }
        Actor {
            id: Self::fill(&self.id, n),
            name: Self::fill(&self.name, n),
            kind: self.kind.clone(),
            country: Some(n.code.clone()),
            theatres: Vec::new(),
            aliases,
            generic: self.generic.clone(),
            member_of: None,
            sides: Vec::new(),
            acled: self.acled.as_deref().map(|a| Self::fill(a, n)),
            stands_for: Some(self.role.clone()),
            branches: false,
        }
    }

    /// The actor of no country: its ACLED name keeps the placeholders for the event's place.
    fn anonymous_actor(&self) -> Option<Actor> {
        let name = self.anonymous.clone()?;
        Some(Actor {
            id: self.role.clone(),
            name,
            kind: self.kind.clone(),
            country: None,
            theatres: Vec::new(),
            aliases: Vec::new(),
            generic: self.generic.clone(),
            member_of: None,
            sides: Vec::new(),
            acled: self.acled.clone(),
            stands_for: Some(self.role.clone()),
            branches: false,
        })
    }
}

impl Actor {
    pub fn is_media(&self) -> bool {
        self.kind == "media"
    }
}

#[derive(Debug, Clone, Deserialize)]
struct RegistryFile {
    #[serde(default)]
    countries: HashMap<String, Vec<String>>,
    /// Names of a country's administrative divisions ("Donetsk", "Borno"): cues of the country
    /// when they stand as a name of their own (see [`Registry::count_countries`]).
    #[serde(default)]
    divisions: HashMap<String, Vec<String>>,
    /// Divisions named as another country is ("Niger", Nigeria's state): cues of their own
    /// country only as a part of a bracketed place chain ("Nasko (Magama, Niger)").
    #[serde(default)]
    country_namesakes: HashMap<String, Vec<String>>,
    #[serde(default)]
    nations: Vec<Nation>,
    #[serde(default)]
    templates: Vec<Template>,
    #[serde(default)]
    actors: Vec<Actor>,
}

/// Nouns that, right after an actor's name, belong to the same mention.
const ABSORB: &[&str] = &[
    "forces",
    "fighters",
    "troops",
    "warplanes",
    "jets",
    "aircraft",
    "helicopters",
    "drones",
    "units",
    "militants",
    "soldiers",
    "militiamen",
    "gunmen",
    "artillery",
    "members",
    "commanders",
    "officials",
];

/// One alias as token words, for matching.
#[derive(Debug, Clone)]
struct Alias {
    words: Vec<String>,
    case_sensitive: bool,
    actor: usize,
    generic: bool,
}

impl Alias {
    /// Whether the alias's words stand at token `i` (its capitalised words as written, the others
    /// in any case; a lower-case alias in any case).
    fn matches(&self, tokens: &[Token], i: usize) -> bool {
        i + self.words.len() <= tokens.len()
            && self.words.iter().zip(&tokens[i..]).all(|(w, tok)| {
                // a capitalised word is a name and matches as written; a common noun of a named
                // alias in any case ("Russian Military", "Ukrainian forces")
                let name_word = w.chars().any(char::is_uppercase);
                if self.case_sensitive && name_word {
                    tok.text == *w
                } else {
                    tok.lower == plain_lower(w)
                }
            })
    }
}

/// Whether tokens `start..end` are a name of their own, not part of a longer one: no
/// capitalised word right before them ("BM-21 Grad" is a rocket launcher, not Slovenia's Grad;
/// "Russian-controlled Kherson" is Kherson) nor after them unless it says what kind of unit the
/// name is ("Colonia Los Puertos" is a neighbourhood, not Uruguay's Colonia; "Borno State" is
/// Borno).
/// The words `start..end` are a part of a bracketed place chain: inside brackets, after the
/// opening one or a comma, before a comma or the closing one ("Nasko (Magama, Niger)",
/// "Shiroro LGA (Niger)").
fn in_place_chain(tokens: &[Token], start: usize, end: usize) -> bool {
    let opened = tokens[..start]
        .iter()
        .rev()
        .find(|t| t.text == "(" || t.text == ")")
        .is_some_and(|t| t.text == "(");
    opened
        && start > 0
        && matches!(tokens[start - 1].text.as_str(), "(" | ",")
        && tokens
            .get(end)
            .is_some_and(|t| matches!(t.text.as_str(), ")" | ","))
}

fn stands_alone(tokens: &[Token], start: usize, end: usize) -> bool {
    let before = start
        .checked_sub(1)
        .map(|k| &tokens[k])
        .filter(|t| t.kind == TokKind::Word && t.is_capitalized());
    // a designation ("BM-21 Grad", "Su-25"): letters, a hyphen, a number, then the name
    let designation = start >= 3
        && tokens[start - 1].kind == TokKind::Number
        && tokens[start - 2].text == "-"
        && tokens[start - 3].is_capitalized();
    if designation {
        return false;
    }
    if let Some(t) = before {
        let described = t
            .text
            .rsplit_once('-')
            .is_some_and(|(_, tail)| !tail.is_empty() && tail.chars().all(char::is_lowercase));
        if !described {
            return false;
        }
    }
    match tokens.get(end) {
        Some(t) if t.kind == TokKind::Word && t.is_capitalized() => crate::places::words()
            .division_words
            .contains(&t.lower.as_str()),
        _ => true,
    }
}

/// A registry of actors, built from one or more data files.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    /// The actors of the data files, then the templates' actors of every country (made at
    /// reindex), then the templates' actors of no country.
    actors: Vec<Actor>,
    /// How many of `actors` came from data files.
    own: usize,
    nations: Vec<Nation>,
    templates: Vec<Template>,
    by_id: HashMap<String, usize>,
    /// First word (lower case) → aliases starting with it, longest first.
    index: HashMap<String, Vec<Alias>>,
    countries: HashMap<String, Vec<String>>,
    divisions: HashMap<String, Vec<String>>,
    /// Divisions named as another country is (`RegistryFile::country_namesakes`): (their
    /// country, the name's words).
    namesakes: Vec<(String, Vec<String>)>,
    /// First word of a country cue → (country, cue words, whether it must stand as a name of
    /// its own: a division's).
    country_cues: HashMap<String, Vec<(String, Vec<String>, bool)>>,
    /// A generic phrase (lower case, words joined by spaces) → the actors that own it, in order.
    generic_owners: HashMap<String, Vec<usize>>,
}

/// An actor named in a sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct ActorMention {
    /// Token range in the sentence.
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub actor: String,
}

/// A generic phrase as `generic_owners` keys it: lower-case words joined by spaces.
fn generic_key(phrase: &str) -> String {
    alias_words(phrase)
        .iter()
        .map(|w| plain_lower(w))
        .collect::<Vec<_>>()
        .join(" ")
}

fn alias_words(alias: &str) -> Vec<String> {
    crate::text::tokenize(alias)
        .into_iter()
        .map(|t| t.text)
        .collect()
}

impl Registry {
    /// The built-in registry.
    pub fn builtin() -> Self {
        static BUILTIN: std::sync::OnceLock<Registry> = std::sync::OnceLock::new();
        BUILTIN
            .get_or_init(|| {
                let mut r = Registry::default();
                r.add_files(&[
                    include_str!("../data/countries.json"),
                    include_str!("../data/divisions.json"),
                    include_str!("../data/actors.json"),
                    include_str!("../data/actors_world.json"),
                ])
                .expect("built-in registry data is valid");
                r
            })
            .clone()
    }

    /// Add several data files, indexing once.
    pub fn add_files(&mut self, jsons: &[&str]) -> Result<(), Error> {
        for j in jsons {
            self.add_unindexed(j)?;
        }
        self.reindex();
        Ok(())
    }

    /// Add the actors of one data file; an id already present is replaced.
    pub fn add_json(&mut self, json: &str) -> Result<(), Error> {
        self.add_files(&[json])
    }

    fn add_unindexed(&mut self, json: &str) -> Result<(), Error> {
        let file: RegistryFile =
            serde_json::from_str(json).map_err(|e| Error::Data(format!("actor registry: {e}")))?;
        // the templates' actors are made anew at each reindex
        self.actors.truncate(self.own);
        self.by_id.retain(|_, i| *i < self.own);
        for (c, words) in file.countries {
            self.countries.entry(c).or_default().extend(words);
        }
        for (c, words) in file.divisions {
            self.divisions.entry(c).or_default().extend(words);
        }
        for (c, names) in file.country_namesakes {
            for n in names {
                let entry = (c.clone(), alias_words(&n));
                if !self.namesakes.contains(&entry) {
                    self.namesakes.push(entry);
                }
            }
        }
        for n in file.nations {
            match self.nations.iter_mut().find(|m| m.code == n.code) {
                Some(m) => *m = n,
                None => self.nations.push(n),
            }
        }
        for t in file.templates {
            match self.templates.iter_mut().find(|u| u.role == t.role) {
                Some(u) => *u = t,
                None => self.templates.push(t),
            }
        }
        for a in file.actors {
            if let Some(&i) = self.by_id.get(&a.id) {
                self.actors[i] = a;
            } else {
                self.by_id.insert(a.id.clone(), self.actors.len());
                self.actors.push(a);
            }
        }
        self.own = self.actors.len();
        Ok(())
    }

    /// The country table.
    pub fn nations(&self) -> &[Nation] {
        &self.nations
    }

    /// The country of an ISO alpha-2 code.
    pub fn nation(&self, code: &str) -> Option<&Nation> {
        self.nations
            .iter()
            .find(|n| !n.code.is_empty() && n.code.eq_ignore_ascii_case(code))
    }

    pub fn templates(&self) -> &[Template] {
        &self.templates
    }

    /// Make the templates' actors: for each country, each template's actor unless a registry
    /// actor of that country stands for its role (or has its id); then the actors of no country.
    fn instantiate(&mut self) {
        self.actors.truncate(self.own);
        self.by_id.retain(|_, i| *i < self.own);
        let claimed: std::collections::HashSet<(String, String)> = self
            .actors
            .iter()
            .filter_map(|a| Some((a.country.clone()?, a.stands_for.clone()?)))
            .collect();
        let mut made = Vec::new();
        for n in self.nations.iter().filter(|n| !n.code.is_empty()) {
            for t in &self.templates {
                let a = t.actor_for(n);
                if claimed.contains(&(n.code.clone(), t.role.clone())) {
                    // the registry's own actor takes the template's names
                    if let Some(own) = self.actors[..self.own].iter_mut().find(|o| {
                        o.country.as_deref() == Some(n.code.as_str())
                            && o.stands_for.as_deref() == Some(t.role.as_str())
                    }) {
                        for al in a.aliases {
                            if !own.aliases.contains(&al) {
                                own.aliases.push(al);
                            }
                        }
                    }
                    continue;
                }
                if !self.by_id.contains_key(&a.id) {
                    made.push(a);
                }
            }
        }
        made.extend(
            self.templates
                .iter()
                .filter_map(Template::anonymous_actor)
                .filter(|a| !self.by_id.contains_key(&a.id)),
        );
        for a in made {
            self.by_id.insert(a.id.clone(), self.actors.len());
            self.actors.push(a);
        }
    }

    fn reindex(&mut self) {
        self.instantiate();
        self.index.clear();
        self.generic_owners.clear();
        self.country_cues.clear();
        let mut cues: Vec<(String, String, bool)> = Vec::new();
        for (c, words) in &self.countries {
            cues.extend(words.iter().map(|w| (c.clone(), w.clone(), false)));
        }
        for (c, words) in &self.divisions {
            cues.extend(words.iter().map(|w| (c.clone(), w.clone(), true)));
        }
        for n in &self.nations {
            let plural = n
                .demonyms
                .iter()
                .filter(|d| {
                    !(d.ends_with("ese")
                        || d.ends_with('s')
                        || d.ends_with("sh")
                        || d.ends_with("ch"))
                })
                .map(|d| format!("{d}s"));
            let all: Vec<String> = n
                .names
                .iter()
                .chain(&n.demonyms)
                .chain(&n.cues)
                .cloned()
                .chain(plural)
                .collect();
            cues.extend(all.into_iter().map(|w| (n.code.clone(), w, false)));
        }
        for (c, cue, whole) in cues {
            let words = alias_words(&cue);
            if let Some(first) = words.first() {
                let list = self.country_cues.entry(first.clone()).or_default();
                if !list.iter().any(|(d, w, _)| *d == c && *w == words) {
                    list.push((c, words, whole));
                }
            }
        }
        for v in self.country_cues.values_mut() {
            v.sort_by_key(|a| std::cmp::Reverse(a.1.len()));
        }
        for (i, a) in self.actors.iter().enumerate() {
            for g in &a.generic {
                let key = generic_key(g);
                let owners = self.generic_owners.entry(key).or_default();
                if !owners.contains(&i) {
                    owners.push(i);
                }
            }
        }
        // a generic word is indexed once: whose it is is read from `generic_owners`
        let mut generic_seen = std::collections::HashSet::new();
        for (i, a) in self.actors.iter().enumerate() {
            // an actor of no country ("Rebels", "Civilians") is named by generic words only
            let anonymous = a.country.is_none() && a.stands_for.is_some();
            let own_name = std::iter::once(&a.name).filter(|_| !anonymous);
            let names = a
                .aliases
                .iter()
                .chain(own_name)
                .map(|s| (s, false))
                .chain(a.generic.iter().map(|s| (s, true)));
            for (alias, generic) in names {
                let words = alias_words(alias);
                if words.is_empty() || (generic && !generic_seen.insert(generic_key(alias))) {
                    continue;
                }
                let case_sensitive = alias.chars().any(char::is_uppercase) && !generic;
                let key = plain_lower(&words[0]);
                self.index.entry(key).or_default().push(Alias {
                    words,
                    case_sensitive,
                    actor: i,
                    generic,
                });
            }
        }
        for v in self.index.values_mut() {
            v.sort_by(|a, b| {
                b.words
                    .len()
                    .cmp(&a.words.len())
                    .then(a.generic.cmp(&b.generic))
            });
        }
    }

    pub fn get(&self, id: &str) -> Option<&Actor> {
        self.by_id.get(id).map(|&i| &self.actors[i])
    }

    pub fn actors(&self) -> &[Actor] {
        &self.actors
    }

    /// The organisation an actor speaks for: a person's group, else itself.
    pub fn organisation<'a>(&'a self, id: &'a str) -> &'a str {
        match self.get(id).and_then(|a| a.member_of.as_deref()) {
            Some(org) if self.get(org).is_some() => org,
            _ => id,
        }
    }

    /// The side an actor was on at a date (the first listed when no date is known).
    pub fn side(&self, id: &str, date: Option<NaiveDate>) -> Option<&str> {
        let org = self.organisation(id);
        let a = self.get(org)?;
        a.sides
            .iter()
            .find(|s| match date {
                Some(d) => s.from.is_none_or(|f| f <= d) && s.to.is_none_or(|t| d <= t),
                None => true,
            })
            .or_else(|| a.sides.first())
            .map(|s| s.side.as_str())
    }

    /// Countries the text is about, most mentioned first.
    pub fn country_focus(&self, tokens: &[Token]) -> Vec<String> {
        let mut counts = HashMap::new();
        self.count_countries(tokens, &mut counts);
        Self::focus_of(&counts)
    }

    /// Add the country cues of `tokens` to `counts` (one pass; documents are read sentence by
    /// sentence): the names of countries, their people and places, and the actors named by a
    /// name of their own ("regime forces" are Syria's, "HTS" fights in Syria). Generic words
    /// ("gunmen") say nothing: they are read by the country found.
    pub fn count_countries(&self, tokens: &[Token], counts: &mut HashMap<String, usize>) {
        let mut skip_to = 0;
        for (i, t) in tokens.iter().enumerate() {
            if let Some(cues) = self.country_cues.get(&t.text).filter(|_| i >= skip_to) {
                // the longest cue: "South Sudan" is not Sudan, "Niger State" not Niger; a
                // phrase of no country ("Lake Chad") tells none
                let at = |words: &Vec<String>, whole: bool| {
                    i + words.len() <= tokens.len()
                        && tokens[i..i + words.len()]
                            .iter()
                            .zip(words)
                            .all(|(t, w)| t.text == *w)
                        && (!whole || stands_alone(tokens, i, i + words.len()))
                };
                if let Some(n) = cues
                    .iter()
                    .find(|(_, words, whole)| at(words, *whole))
                    .map(|(_, words, _)| words.len())
                {
                    for (c, _, _) in cues
                        .iter()
                        .filter(|(c, w, whole)| w.len() == n && !c.is_empty() && at(w, *whole))
                    {
                        *counts.entry(c.clone()).or_default() += 1;
                    }
                    // "(Magama, Niger)": a part of a place chain may be a division named as
                    // another country is; the text may mean either
                    if in_place_chain(tokens, i, i + n) {
                        let words = &tokens[i..i + n];
                        for (c, name) in &self.namesakes {
                            if name.len() == n && name.iter().zip(words).all(|(a, t)| *a == t.text)
                            {
                                *counts.entry(c.clone()).or_default() += 1;
                            }
                        }
                    }
                    skip_to = i + n;
                }
            }
            let named = self
                .index
                .get(&t.lower)
                .and_then(|cands| cands.iter().find(|a| !a.generic && a.matches(tokens, i)));
            if let Some(actor) = named.map(|a| &self.actors[a.actor]) {
                let theirs = if actor.theatres.is_empty() {
                    actor.country.as_slice()
                } else {
                    actor.theatres.as_slice()
                };
                for country in theirs {
                    *counts.entry(country.clone()).or_default() += 1;
                }
            }
        }
    }

    /// Whether `text` is a country's own name (the first of its cues: "Lebanon", "Syria").
    pub fn is_country_name(&self, text: &str) -> bool {
        let text = text.trim_start_matches("the ");
        self.countries
            .values()
            .any(|cues| cues.first().is_some_and(|c| c.eq_ignore_ascii_case(text)))
            || self
                .nations
                .iter()
                .any(|n| !n.code.is_empty() && n.names.iter().any(|c| c.eq_ignore_ascii_case(text)))
    }

    /// Countries by number of cues, most first.
    pub fn focus_of(counts: &HashMap<String, usize>) -> Vec<String> {
        let mut v: Vec<(&String, &usize)> = counts.iter().filter(|(_, n)| **n > 0).collect();
        v.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        v.into_iter().map(|(c, _)| c.clone()).collect()
    }

    /// Every actor mention in `tokens`, longest match first, no overlaps. Generic words resolve to
    /// the actor of the document's focus country (the first of `focus` that has one).
    pub fn find(&self, tokens: &[Token], focus: &[String]) -> Vec<ActorMention> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < tokens.len() {
            let t = &tokens[i];
            if t.kind == TokKind::Punct && t.text != "'s" {
                i += 1;
                continue;
            }
            let special = self
                .hyphen_head(tokens, i, focus)
                .or_else(|| self.clan(tokens, i, focus))
                .or_else(|| self.named_militia(tokens, i))
                .or_else(|| self.government_arm(tokens, i, focus));
            if let Some(m) = special {
                i = m.end;
                out.push(m);
                continue;
            }
            i = match self.alias_at(tokens, i, focus) {
                Some((n, a)) => self.take_alias(tokens, i, n, a, focus, &mut out),
                None => i + 1,
            };
        }
        out
    }

    /// The words `from..to` of `tokens` as the text wrote them.
    fn words_of(tokens: &[Token], from: usize, to: usize) -> String {
        tokens[from..to]
            .iter()
            .map(|t| t.text.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// "ISIL-controlled", "rebel-held": the part before the hyphen names the actor.
    fn hyphen_head(&self, tokens: &[Token], i: usize, focus: &[String]) -> Option<ActorMention> {
        let (head, _) = tokens[i].text.split_once('-').filter(|(_, tail)| {
            matches!(
                plain_lower(tail).as_str(),
                "controlled"
                    | "held"
                    | "led"
                    | "backed"
                    | "affiliated"
                    | "aligned"
                    | "linked"
                    | "run"
                    | "allied"
            )
        })?;
        let a = self.lookup_single(head, focus)?;
        Some(ActorMention {
            start: i,
            end: i + 1,
            text: head.to_string(),
            actor: a,
        })
    }

    /// "the Jaafar clan", "the Shaitat tribe": a clan's fighters (ACLED's clan militia).
    fn clan(&self, tokens: &[Token], i: usize, focus: &[String]) -> Option<ActorMention> {
        let t = &tokens[i];
        let named_here = self.index.get(&t.lower).is_some_and(|c| {
            c.iter()
                .any(|a| !a.generic && a.words.len() > 1 && a.matches(tokens, i))
        });
        if named_here
            || !t.is_capitalized()
            || t.kind != TokKind::Word
            || !tokens
                .get(i + 1)
                .is_some_and(|n| matches!(n.lower.as_str(), "clan" | "tribe"))
        {
            return None;
        }
        let a = self.generic_actor(&["a".to_string(), "clan".to_string()], focus)?;
        Some(ActorMention {
            start: i,
            end: i + 2,
            text: format!("{} {}", t.text, tokens[i + 1].text),
            actor: self.actors[a].id.clone(),
        })
    }

    /// "Zamfara militiamen", "a Niger militia", "Batwa ethnic militiamen", "Darfur communal
    /// militia": a militia named after a place or a people, an actor of its own —
    /// `prov:militia:<ethnic|communal>:<name>` (ACLED's "Zamfara Communal Militia (Nigeria)",
    /// "Batwa Ethnic Militia (…)"): communal when the text says so or the name is a division's,
    /// ethnic otherwise. A name the registry knows as an actor is not one.
    fn named_militia(&self, tokens: &[Token], i: usize) -> Option<ActorMention> {
        // a capitalised word no alias of the registry starts at ("Hezbollah militiamen" are
        // Hezbollah's), and no acronym ("4 CSP militiamen": an organisation's, not a people's)
        let name_word = |j: usize| {
            let t = &tokens[j];
            let acronym = t.text.chars().filter(|c| c.is_uppercase()).count() >= 2;
            // ("Russian-backed militias" are backed by a country, not named after a people)
            let compound = t
                .text
                .split_once('-')
                .is_some_and(|(_, tail)| tail.starts_with(char::is_lowercase));
            t.kind == TokKind::Word
                && t.is_capitalized()
                && !acronym
                && !compound
                && !self
                    .index
                    .get(&t.lower)
                    .is_some_and(|c| c.iter().any(|a| a.matches(tokens, j)))
        };
        if !name_word(i) || (i > 0 && name_word(i - 1)) {
            return None;
        }
        let mut k = i;
        while k < tokens.len() && k < i + 2 && name_word(k) {
            k += 1;
        }
        let name_end = k;
        let word = |j: usize| tokens.get(j).map_or("", |t| t.lower.as_str());
        // "Batwa ethnic militiamen", "ethnic Oromo militias": the text says which
        let told = match word(k) {
            "ethnic" | "communal" => {
                k += 1;
                Some(word(k - 1))
            }
            _ => i
                .checked_sub(1)
                .map(word)
                .filter(|w| matches!(*w, "ethnic" | "communal")),
        };
        if !matches!(
            word(k),
            "militia" | "militias" | "militiamen" | "militiaman"
        ) {
            return None;
        }
        let name = tokens[i..name_end]
            .iter()
            .map(|t| t.text.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        let division = self.cue_of(&name, true);
        if self.cue_of(&name, false) && told.is_none() && !division {
            // "Malian militias", "Congolese militiamen": a country's, not a people's
            return None;
        }
        let kind = match told {
            Some(w) => w,
            None if division => "communal",
            None => "ethnic",
        };
        Some(ActorMention {
            start: i,
            end: k + 1,
            text: Self::words_of(tokens, i, k + 1),
            actor: format!("prov:militia:{kind}:{name}"),
        })
    }

    /// Whether `text` is a country cue: a first-level division's name (`division`), or a
    /// country's name or demonym.
    fn cue_of(&self, text: &str, division: bool) -> bool {
        let words = alias_words(text);
        words.first().is_some_and(|first| {
            self.country_cues.get(first).is_some_and(|c| {
                c.iter()
                    .any(|(_, w, whole)| *whole == division && *w == words)
            })
        })
    }

    /// "government aircraft", "pro-government fighters": the government's forces, whatever arm
    /// the noun names (the aliases list "government forces" and "pro-government forces").
    fn government_arm(&self, tokens: &[Token], i: usize, focus: &[String]) -> Option<ActorMention> {
        let t = &tokens[i];
        if !matches!(t.lower.as_str(), "government" | "pro-government")
            || !tokens
                .get(i + 1)
                .is_some_and(|n| ABSORB.contains(&n.lower.as_str()))
        {
            return None;
        }
        let words = [t.lower.clone(), "forces".to_string()];
        let alias = self
            .index
            .get(&t.lower)
            .and_then(|cands| cands.iter().find(|a| a.words == words))?;
        let a = self.alias_actor(alias, focus)?;
        Some(ActorMention {
            start: i,
            end: i + 2,
            text: format!("{} {}", t.text, tokens[i + 1].text),
            actor: self.actors[a].id.clone(),
        })
    }

    /// The longest alias of the registry at token `i` that names an actor here: its length in
    /// tokens and the actor's index.
    fn alias_at(&self, tokens: &[Token], i: usize, focus: &[String]) -> Option<(usize, usize)> {
        for alias in self.index.get(&tokens[i].lower)? {
            if !alias.matches(tokens, i) {
                continue;
            }
            let n = alias.words.len();
            // "the Army of Conquest", "the Army of Islam": a name, not the generic army
            // (but "the army of Syria" is the country's)
            if alias.generic && tokens.get(i + n).is_some_and(|t| t.lower == "of") {
                let k = if tokens.get(i + n + 1).is_some_and(|t| t.lower == "the") {
                    i + n + 2
                } else {
                    i + n + 1
                };
                if tokens
                    .get(k)
                    .is_some_and(|t| t.is_capitalized() && !self.is_country_name(&t.text))
                {
                    continue;
                }
            }
            if let Some(a) = self.alias_actor(alias, focus) {
                return Some((n, a));
            }
        }
        None
    }

    /// What an alias of `n` tokens at `i` naming actor `a` makes of its words, pushed to `out`;
    /// returns the token to go on from.
    fn take_alias(
        &self,
        tokens: &[Token],
        i: usize,
        n: usize,
        a: usize,
        focus: &[String],
        out: &mut Vec<ActorMention>,
    ) -> usize {
        // "retired military officers" serve no longer: people, not the force
        if i > 0 && tokens[i - 1].lower == "retired" {
            return i + n;
        }
        // "the refugee camp", "a displaced persons camp": a place named after people
        if tokens
            .get(i + n)
            .is_some_and(|t| matches!(t.lower.as_str(), "camp" | "camps"))
        {
            return i + n;
        }
        // "the Natogyi PDF": a name before a group that has local units is one of them
        let branch = self.actors[a]
            .branches
            .then(|| self.branch_start(tokens, i, out.last().map_or(0, |m: &ActorMention| m.end)))
            .flatten();
        if let Some(from) = branch {
            let prefix = Self::words_of(tokens, from, i);
            out.push(ActorMention {
                start: from,
                end: i + n,
                text: Self::words_of(tokens, from, i + n),
                actor: format!("prov:branch:{}:{prefix}", self.actors[a].id),
            });
            return i + n;
        }
        let text = Self::words_of(tokens, i, i + n);
        // "coalition warplanes", "Hezbollah fighters": the noun after names the same actor
        let mut end = i + n;
        while end < tokens.len() && ABSORB.contains(&tokens[end].lower.as_str()) {
            end += 1;
        }
        // "Hezbollah supporters": a crowd of the party's followers, not the party's forces
        // (ACLED's rioters, the party their associate)
        let crowd_word = tokens
            .get(end)
            .map(|t| t.lower.clone())
            .filter(|w| matches!(w.as_str(), "supporters" | "partisans"));
        if let Some(crowd) = crowd_word.and_then(|w| self.generic_actor(&[w], focus)) {
            out.push(ActorMention {
                start: i,
                end: end + 1,
                text: Self::words_of(tokens, i, end + 1),
                actor: self.actors[crowd].id.clone(),
            });
            return end + 1;
        }
        out.push(ActorMention {
            start: i,
            end,
            text,
            actor: self.actors[a].id.clone(),
        });
        end
    }

    /// Organisations the registry does not know, named in the text ("the Tawhid Brigade",
    /// "Liwa al-Fatah Front"): capitalised phrases ending in an organisation head. Each becomes a
    /// provisional actor `prov:<words>`; tokens already `taken` are skipped.
    pub fn find_provisional(&self, tokens: &[Token], taken: &[bool]) -> Vec<ActorMention> {
        const HEADS: &[&str] = &[
            "army",
            "forces",
            "force",
            "brigade",
            "brigades",
            "front",
            "movement",
            "units",
            "unit",
            "division",
            "corps",
            "battalion",
            "battalions",
            "regiment",
            "guard",
            "guards",
            "militia",
            "militias",
            "party",
            "group",
            "committee",
            "council",
            "organization",
            "organisation",
            "mobilization",
            "mobilisation",
            "legion",
            "coalition",
            "alliance",
            "liberation",
            "resistance",
            "command",
            "fighters",
        ];
        const INNER: &[&str] = &[
            "of", "for", "and", "the", "al", "el", "ad", "ash", "as", "bin", "ibn", "abu",
        ];
        let mut out = Vec::new();
        let mut i = 0;
        while i < tokens.len() {
            if taken[i] || !tokens[i].is_capitalized() || tokens[i].kind != TokKind::Word {
                i += 1;
                continue;
            }
            let start = i;
            let mut end = i + 1;
            while end < tokens.len() && !taken[end] && tokens[end].kind == TokKind::Word {
                let t = &tokens[end];
                if t.is_capitalized()
                    || (INNER.contains(&t.lower.as_str())
                        && tokens.get(end + 1).is_some_and(|n| n.is_capitalized()))
                {
                    end += 1;
                } else {
                    break;
                }
            }
            // the longest prefix that ends in a head
            let last_head = (start..end)
                .rev()
                .find(|&k| tokens[k].is_capitalized() && HEADS.contains(&tokens[k].lower.as_str()));
            let first_word = tokens[start].lower.as_str();
            let sentence_word = matches!(
                first_word,
                "the"
                    | "on"
                    | "in"
                    | "by"
                    | "after"
                    | "during"
                    | "when"
                    | "a"
                    | "an"
                    | "battle"
                    | "siege"
            );
            if let Some(h) = last_head {
                let s0 = if sentence_word { start + 1 } else { start };
                // a head alone ("Army") is not a name; the registry's generic words cover it
                if h > s0 {
                    let text = tokens[s0..=h]
                        .iter()
                        .map(|t| t.text.as_str())
                        .collect::<Vec<_>>()
                        .join(" ");
                    let key: String = plain_lower(&text)
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join("-");
                    // "the Petroleum Facilities Guard (PFG)": its acronym in brackets is its own,
                    // ACLED's "PFG: Petroleum Facilities Guard"
                    let acronym = tokens.get(h + 2).filter(|a| {
                        tokens[h + 1].text == "("
                            && tokens.get(h + 3).is_some_and(|c| c.text == ")")
                            && a.text.len() >= 2
                            && a.text.chars().all(|c| c.is_ascii_uppercase() || c == '-')
                    });
                    match acronym {
                        Some(a)
                            if h + 3 < tokens.len() && !taken[h + 1..=h + 3].iter().any(|&t| t) =>
                        {
                            let text = format!("{}: {text}", a.text);
                            out.push(ActorMention {
                                start: s0,
                                end: h + 4,
                                text,
                                actor: format!("prov:{key}"),
                            });
                            i = h + 4;
                            continue;
                        }
                        _ => out.push(ActorMention {
                            start: s0,
                            end: h + 1,
                            text,
                            actor: format!("prov:{key}"),
                        }),
                    }
                }
            }
            i = end.max(i + 1);
        }
        out
    }

    /// Where the name of a local unit before token `i` begins: up to three capitalised words
    /// right before it, after `floor` (an earlier mention's end), none a sentence word, a
    /// country's name or people, or a known actor ("the Natogyi PDF", "Banmauk PDF").
    fn branch_start(&self, tokens: &[Token], i: usize, floor: usize) -> Option<usize> {
        const SENTENCE: &[&str] = &[
            "the", "a", "an", "on", "in", "by", "and", "of", "local", "from", "with", "between",
        ];
        let mut k = i;
        while k > floor && i - k < 3 {
            let t = &tokens[k - 1];
            let known = self
                .country_cues
                .get(&t.text)
                .is_some_and(|c| c.iter().any(|(_, w, whole)| w.len() == 1 && !whole))
                || self.index.contains_key(&t.lower);
            if t.kind != TokKind::Word
                || !t.is_capitalized()
                || SENTENCE.contains(&t.lower.as_str())
                || known
            {
                break;
            }
            k -= 1;
        }
        // a capitalised word opening the sentence is no name of a unit ("Local PDF members")
        (k < i
            && !(k == 0
                && i - k == 1
                && tokens.len() > 1
                && SENTENCE.contains(&tokens[0].lower.as_str())))
        .then_some(k)
    }

    fn lookup_single(&self, word: &str, focus: &[String]) -> Option<String> {
        let cands = self.index.get(&plain_lower(word))?;
        cands
            .iter()
            .filter(|a| a.words.len() == 1 && (!a.case_sensitive || a.words[0] == word))
            .find_map(|a| {
                if a.generic {
                    self.generic_actor(&a.words, focus)
                } else {
                    Some(a.actor)
                }
            })
            .map(|i| self.actors[i].id.clone())
    }

    /// Whether `mention`, as the text wrote it, is one of the generic words of actor `id` ("the
    /// army" of the Lebanese Army).
    pub fn is_generic_of(&self, mention: &str, id: &str) -> bool {
        let key = mention
            .split_whitespace()
            .map(plain_lower)
            .collect::<Vec<_>>()
            .join(" ");
        match (self.generic_owners.get(&key), self.by_id.get(id)) {
            (Some(owners), Some(i)) => owners.contains(i),
            _ => false,
        }
    }

    /// The actor an alias names: its own, or for a generic word the focus country's.
    fn alias_actor(&self, alias: &Alias, focus: &[String]) -> Option<usize> {
        if alias.generic {
            self.generic_actor(&alias.words, focus)
        } else {
            Some(alias.actor)
        }
    }

    /// The actor a generic phrase ("civilians", "the army") names in a document about the
    /// `focus` countries (in one that names none, the actor of no country).
    pub fn generic(&self, phrase: &str, focus: &[String]) -> Option<String> {
        self.generic_actor(&alias_words(phrase), focus)
            .map(|i| self.actors[i].id.clone())
    }

    /// The actor a generic word names in a document about the `focus` countries.
    fn generic_actor(&self, words: &[String], focus: &[String]) -> Option<usize> {
        let key = words
            .iter()
            .map(|w| plain_lower(w))
            .collect::<Vec<_>>()
            .join(" ");
        let owners = self.generic_owners.get(&key)?;
        for c in focus {
            if let Some(&i) = owners
                .iter()
                .find(|&&i| self.actors[i].country.as_deref() == Some(c.as_str()))
            {
                return Some(i);
            }
        }
        // no owner among the document's countries: another country's police is not this one's
        // ("the police" in a note about Idlib); in a text that names no country, the actor of no
        // country (whose ACLED name the event's place completes), never a default country's
        if focus.is_empty() {
            owners
                .iter()
                .copied()
                .find(|&i| self.actors[i].country.is_none() && self.actors[i].stands_for.is_some())
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokenize;

    #[test]
    fn a_division_named_on_its_own_tells_its_country() {
        let r = Registry::builtin();
        let focus = |text: &str| r.country_focus(&tokenize(text));
        assert_eq!(
            focus("Russian forces shelled Yakovlivka, Donetsk region."),
            ["RU", "UA"]
        );
        assert_eq!(focus("Gunmen attacked a village in Borno State."), ["NG"]);
        assert_eq!(
            focus("In Benito Juarez, Nuevo Leon, armed men shot a man."),
            ["MX"]
        );
        // inside a longer name it is no division: a neighbourhood, a rocket launcher
        assert!(focus("Armed men shot a man in Colonia Los Puertos.").is_empty());
        assert!(focus("They fired BM-21 Grad rockets.").is_empty());
        // a division's name is not a country's: "Abia" is no country of its own
        assert!(!r.is_country_name("Abia"));
        // a part of a place chain named as a country is may be another country's division
        assert_eq!(
            focus("Militiamen rustled cattle from Nasko (Magama, Niger)."),
            ["NE", "NG"]
        );
        assert_eq!(focus("Gunmen attacked a base in Niger."), ["NE"]);
    }

    fn check(text: &str, focus: &[&str], expected: &[(&str, &str)]) {
        let r = Registry::builtin();
        let focus: Vec<String> = focus.iter().map(|s| s.to_string()).collect();
        let got: Vec<(String, String)> = r
            .find(&tokenize(text), &focus)
            .into_iter()
            .map(|m| (m.text, m.actor))
            .collect();
        let want: Vec<(String, String)> = expected
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn aliases_longest_first() {
        check(
            "The Syrian Army's 1st Armored Division and Hizbullah fought Jabhat al-Nusra.",
            &["SY"],
            &[
                ("Syrian Army", "saa"),
                ("1st Armored Division", "saa"),
                ("Hizbullah", "hezbollah"),
                ("Jabhat al-Nusra", "nusra"),
            ],
        );
    }

    #[test]
    fn actors_named_by_their_own_names_say_the_country() {
        let r = Registry::builtin();
        let mut counts = HashMap::new();
        r.count_countries(
            &tokenize(
                "Syrian regime forces withdrew from a checkpoint and handed it over to Russian forces.",
            ),
            &mut counts,
        );
        assert!(counts.get("SY").is_some_and(|&n| n >= 1), "{counts:?}");
        // "the regime" is any country's: it names Syria's army only in a text about Syria
        let mut counts = HashMap::new();
        r.count_countries(
            &tokenize("Regime forces withdrew from a checkpoint."),
            &mut counts,
        );
        assert!(counts.is_empty(), "{counts:?}");
        // generic words do not: "gunmen" are of whatever country the text is about
        let mut counts = HashMap::new();
        r.count_countries(&tokenize("Gunmen shot a man."), &mut counts);
        assert!(counts.is_empty(), "{counts:?}");
        // a named clan is a clan militia of the document's country
        let toks = tokenize("Members of the Jaafar clan clashed with the Shamas clan.");
        let got: Vec<String> = r
            .find(&toks, &["LB".to_string()])
            .into_iter()
            .map(|m| m.actor)
            .collect();
        assert_eq!(got, ["clan_lb", "clan_lb"]);
        // an actor that fights beyond its country tells each country it fights in
        let mut counts = HashMap::new();
        r.count_countries(&tokenize("A blast hit a Hezbollah depot."), &mut counts);
        assert_eq!(
            (counts.get("LB"), counts.get("SY")),
            (Some(&1), Some(&1)),
            "{counts:?}"
        );
    }

    #[test]
    fn every_country_has_its_forces() {
        check(
            "The Myanmar military arrested two men.",
            &["MM"],
            &[("Myanmar military", "military_mm")],
        );
        check(
            "Nigerian troops and Afghan police",
            &[],
            &[
                ("Nigerian troops", "military_ng"),
                ("Afghan police", "police_af"),
            ],
        );
        check(
            "Burkinabe soldiers clashed with JNIM.",
            &["BF"],
            &[("Burkinabe soldiers", "military_bf"), ("JNIM", "jnim")],
        );
        check(
            "Russian forces shelled Kharkiv.",
            &["UA"],
            &[("Russian forces", "russia")],
        );
        // a registry actor with the template's own id takes its names too
        check(
            "Ukrainian forces fired mortars",
            &["UA"],
            &[("Ukrainian forces", "military_ua")],
        );
        // a registry actor that stands for its country's military takes the template's names
        check(
            "Syrian forces entered the town.",
            &["SY"],
            &[("Syrian forces", "saa")],
        );
        // and "the army" of a country whose military the registry names is that actor
        check(
            "the army shelled the village",
            &["ET"],
            &[("the army", "military_et")],
        );
        let r = Registry::builtin();
        // foreign forces named in a Syrian text own no generic word ("Government forces" after
        // "Russian airstrikes" are Syria's)
        assert!(
            !r.is_generic_of("Government forces", "russia")
                && r.is_generic_of("Government forces", "saa")
        );
        let a = r.get("military_cd").expect("DR Congo's military");
        assert_eq!(
            a.acled.as_deref(),
            Some("Military Forces of the Democratic Republic of Congo")
        );
        assert_eq!(
            r.get("protesters_in").and_then(|a| a.acled.as_deref()),
            Some("Protesters (India)")
        );
    }

    #[test]
    fn no_country_is_assumed() {
        // a text that names no country: "the army" is an army of no country, never Syria's
        check(
            "the army shelled the village",
            &[],
            &[("the army", "military")],
        );
        check(
            "gunmen shot a man",
            &[],
            &[("gunmen", "uag"), ("a man", "civilians")],
        );
        let r = Registry::builtin();
        assert_eq!(r.get("military").map(|a| a.country.is_none()), Some(true));
        // countries come from what the text names, the longest name first
        let count = |text: &str| {
            let mut c = HashMap::new();
            r.count_countries(&tokenize(text), &mut c);
            let mut v: Vec<String> = c.into_keys().collect();
            v.sort();
            v
        };
        assert_eq!(count("Fighting in South Sudan"), ["SS"]);
        assert_eq!(count("bandits in Niger State"), ["NG"]);
        assert_eq!(count("islands of Lake Chad"), Vec::<String>::new());
        assert_eq!(count("a Burkinabe and a Congolese"), ["BF", "CD"]);
    }

    #[test]
    fn unknown_organisations_are_named_as_the_text_names_them() {
        // a local unit of a group with units: the place's name and the group's
        check(
            "On 5 March, the Natogyi PDF attacked a convoy.",
            &["MM"],
            &[("Natogyi PDF", "prov:branch:pdf:Natogyi")],
        );
        // an organisation the registry lacks keeps its acronym, never the nearest entry
        let r = Registry::builtin();
        let toks = tokenize("the Petroleum Facilities Guard (PFG) clashed with gunmen");
        let found = r.find(&toks, &["LY".to_string()]);
        let mut taken = vec![false; toks.len()];
        for m in &found {
            taken[m.start..m.end].iter_mut().for_each(|t| *t = true);
        }
        let prov: Vec<String> = r
            .find_provisional(&toks, &taken)
            .into_iter()
            .map(|m| m.text)
            .collect();
        assert_eq!(prov, ["PFG: Petroleum Facilities Guard"]);
        // "the Gulf Clan" is a named group, not a clan militia
        check(
            "the Gulf Clan attacked",
            &["CO"],
            &[("Gulf Clan", "gulf_clan")],
        );
    }

    #[test]
    fn a_militia_named_after_a_place_or_a_people_is_its_own() {
        check(
            "On 3 March, Zamfara militiamen attacked the market.",
            &["NG"],
            &[("Zamfara militiamen", "prov:militia:communal:Zamfara")],
        );
        check(
            "On 4 March, Batwa ethnic militiamen burned houses.",
            &["CD"],
            &[("Batwa ethnic militiamen", "prov:militia:ethnic:Batwa")],
        );
        check(
            "On 9 February, suspected Misseriya militia killed one person.",
            &["SD"],
            &[("Misseriya militia", "prov:militia:ethnic:Misseriya")],
        );
        // a country's demonym names its forces, an acronym an organisation: no people's militia
        let r = Registry::builtin();
        for text in [
            "Malian militias attacked the village",
            "17 militants and 4 CSP militiamen were killed",
            "Russian-backed militias deployed to the town",
        ] {
            assert!(!r
                .find(&tokenize(text), &["ML".to_string()])
                .iter()
                .any(|m| m.actor.starts_with("prov:militia:")));
        }
    }

    #[test]
    fn retired_officers_are_not_the_army() {
        check(
            "Retired military officers protested while the army watched.",
            &["LB"],
            &[("the army", "laf")],
        );
    }

    #[test]
    fn generic_words_follow_the_country_of_the_document() {
        check(
            "the army shelled rebel-held villages",
            &["LB", "SY"],
            &[("the army", "laf"), ("rebel", "rebels")],
        );
        check(
            "the army shelled ISIL-controlled villages",
            &["SY"],
            &[("the army", "saa"), ("ISIL", "isil")],
        );
        // a generic word the document's countries have no owner of names no one
        check("the police arrested him", &["SY"], &[]);
    }

    #[test]
    fn sides_have_dates_and_persons_speak_for_their_group() {
        let r = Registry::builtin();
        let d = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
        assert_eq!(r.side("russia", d("2016-01-01")), Some("Syrian government"));
        assert_eq!(r.organisation("nasrallah"), "hezbollah");
        assert_eq!(r.side("nasrallah", None), Some("Syrian government"));
    }
}
