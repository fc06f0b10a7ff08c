//! The predicate dictionary: verbs (and light-verb phrases) that code events, with their kinds,
//! loaded from data files (`data/predicates.json` is built in).

use std::collections::HashMap;

use serde::Deserialize;

use crate::text::{TokKind, Token};
use crate::{Error, Kind, Means};

#[derive(Debug, Clone, Deserialize)]
struct Entry {
    verb: String,
    #[serde(default)]
    then: Vec<String>,
    kind: Kind,
    #[serde(default)]
    priority: u8,
    /// ACLED's sub-event type when this predicate decides it ("Air/drone strike").
    #[serde(default)]
    acled: Option<String>,
    /// For a verb that codes through its subject rather than its object: the nouns one of which
    /// must stand before it in its clause ("the fighting in Zabadani had ended").
    #[serde(default)]
    subject: Vec<String>,
    /// The first `then` word may stand anywhere later in the sentence, past commas and brackets
    /// ("marched in Limete (Kinshasa) to demand …"): for purposes that only protests state.
    #[serde(default)]
    far: bool,
    /// Made from `light_verbs` × `event_nouns`, not written in the file.
    #[serde(skip)]
    generated: bool,
}

/// A noun that names an event through any light verb (`light_verbs`: "carried out an
/// airstrike", "did a sit-in"); an entry written for the verb and noun wins.
#[derive(Debug, Clone, Deserialize)]
struct EventNoun {
    noun: String,
    kind: Kind,
    #[serde(default)]
    priority: u8,
    #[serde(default)]
    acled: Option<String>,
}

/// A fixed word sequence that codes an event where no verb leads ("clashes took place").
#[derive(Debug, Clone, Deserialize)]
struct Phrase {
    words: Vec<String>,
    kind: Kind,
    #[serde(default)]
    priority: u8,
    #[serde(default)]
    acled: Option<String>,
}

/// A coder's label opening a note ("Movement of forces: On 3 May …"): what kind of event the
/// note tells, whatever its verbs.
#[derive(Debug, Clone, Deserialize)]
pub struct Label {
    pub label: String,
    pub kind: Kind,
    #[serde(default)]
    pub acled: Option<String>,
    /// Whom the note's event is of when its sentence names no one: a generic word the registry
    /// knows ("civilians": ACLED's displaced are the country's civilians).
    #[serde(default)]
    pub actor: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Default)]
struct LexiconFile {
    #[serde(default)]
    forms: HashMap<String, Vec<String>>,
    #[serde(default)]
    predicates: Vec<Entry>,
    #[serde(default)]
    phrases: Vec<Phrase>,
    #[serde(default)]
    light_verbs: Vec<String>,
    #[serde(default)]
    event_nouns: Vec<EventNoun>,
    #[serde(default)]
    reporting: Vec<String>,
    #[serde(default)]
    hedges: Vec<String>,
    #[serde(default)]
    negations: Vec<String>,
    #[serde(default)]
    failure_before: Vec<String>,
    #[serde(default)]
    failure_after: Vec<String>,
    #[serde(default)]
    realis_before_to: Vec<String>,
    #[serde(default)]
    casualty_nouns: Vec<String>,
    #[serde(default)]
    casualty_words: Vec<String>,
    #[serde(default)]
    violent_protest: Vec<String>,
    #[serde(default)]
    mob_violence: Vec<String>,
    #[serde(default)]
    protest_intervention: Vec<String>,
    #[serde(default)]
    labels: Vec<Label>,
    #[serde(default)]
    means: HashMap<Means, Vec<String>>,
    #[serde(default)]
    bodies_found: BodiesFound,
    #[serde(default)]
    count_adds: Vec<String>,
    #[serde(default)]
    killing_verbs: KillingVerbs,
}

/// The verbs that name their victims after them in a count of the dead (`killing_verbs`).
#[derive(Debug, Clone, Deserialize, Default)]
pub struct KillingVerbs {
    /// "killing 16 people", "killed 3".
    #[serde(default)]
    pub kill: Vec<String>,
    /// "executed a shepherd": victims named after the verb.
    #[serde(default)]
    pub execute: Vec<String>,
    /// "stabbed … to death", "beat … to death".
    #[serde(default)]
    pub to_death: Vec<String>,
    /// "shot dead two men".
    #[serde(default)]
    pub shot_dead: Vec<String>,
}

/// The words that tell of bodies found: a noun of `nouns` with a word of `with` anywhere in the
/// sentence ("the body of a man was found"), or one of `phrases` ("found shot dead").
#[derive(Debug, Clone, Deserialize, Default)]
pub struct BodiesFound {
    #[serde(default)]
    pub nouns: Vec<String>,
    #[serde(default)]
    pub with: Vec<String>,
    #[serde(default)]
    pub phrases: Vec<String>,
}

/// How a verb form is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    Base,
    /// -s
    Present,
    /// -ed or irregular past / participle
    Past,
    /// -ing
    Gerund,
}

/// A predicate found in a sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct PredicateMatch {
    /// Token range: the verb to the last word of the phrase.
    pub start: usize,
    pub end: usize,
    pub kind: Kind,
    pub priority: u8,
    pub lemma: String,
    pub form: Form,
    pub acled: Option<String>,
}

/// Predicates and the small word lists the event coder needs.
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    /// Verb form → (lemma, form).
    forms: HashMap<String, (String, Form)>,
    /// Lemma → entries, longest phrase first.
    entries: HashMap<String, Vec<Entry>>,
    /// First word → fixed phrases, longest first.
    phrases: HashMap<String, Vec<Phrase>>,
    pub reporting: Vec<String>,
    pub hedges: Vec<String>,
    pub negations: Vec<String>,
    pub failure_before: Vec<Vec<String>>,
    pub failure_after: Vec<Vec<String>>,
    pub realis_before_to: Vec<String>,
    pub casualty_nouns: Vec<String>,
    pub casualty_words: Vec<String>,
    /// Phrases that make a protest violent ("burning tires"): ACLED's violent demonstration.
    pub violent_protest: Vec<String>,
    /// Phrases that make a clash a brawl of unarmed people ("physical clashes"): mob violence.
    pub mob_violence: Vec<String>,
    /// Phrases of forces stepping in on a protest ("dispersed", "tear gas"): ACLED's protest with
    /// intervention.
    pub protest_intervention: Vec<String>,
    /// Coders' labels of notes, by their lower-case words.
    pub labels: Vec<Label>,
    /// The cues of each means, lower case, in [`Means`] order.
    pub means: Vec<(Means, Vec<String>)>,
    pub bodies_found: BodiesFound,
    /// Words that make a count of the dead add to the one before ("were also killed").
    pub count_adds: Vec<String>,
    pub killing_verbs: KillingVerbs,
    irregular: HashMap<String, Vec<String>>,
    /// Light verbs, by their words ("carry out"): the verb's lemma and its particles.
    light_verbs: Vec<Vec<String>>,
    event_nouns: Vec<EventNoun>,
}

/// Regular English inflections of a verb.
fn inflect(lemma: &str) -> Vec<(String, Form)> {
    let mut out = vec![(lemma.to_string(), Form::Base)];
    let (stem_e, ends_e) = match lemma.strip_suffix('e') {
        Some(s) => (s.to_string(), true),
        None => (lemma.to_string(), false),
    };
    let sibilant = ["s", "sh", "ch", "x", "z"]
        .iter()
        .any(|s| lemma.ends_with(s));
    let y_after_consonant = lemma.ends_with('y')
        && !lemma.ends_with("ay")
        && !lemma.ends_with("ey")
        && !lemma.ends_with("oy");
    if y_after_consonant {
        let stem = &lemma[..lemma.len() - 1];
        out.push((format!("{stem}ies"), Form::Present));
        out.push((format!("{stem}ied"), Form::Past));
    } else {
        out.push((
            if sibilant {
                format!("{lemma}es")
            } else {
                format!("{lemma}s")
            },
            Form::Present,
        ));
        out.push((
            if ends_e {
                format!("{lemma}d")
            } else {
                format!("{lemma}ed")
            },
            Form::Past,
        ));
    }
    out.push((
        if ends_e && !lemma.ends_with("ee") {
            format!("{stem_e}ing")
        } else {
            format!("{lemma}ing")
        },
        Form::Gerund,
    ));
    out
}

fn words(s: &str) -> Vec<String> {
    s.split_whitespace().map(str::to_string).collect()
}

impl Lexicon {
    pub fn builtin() -> Self {
        let mut l = Lexicon::default();
        l.add_json(include_str!("../data/predicates.json"))
            .expect("built-in predicates.json is valid");
        l
    }

    /// Add the entries and word lists of one data file.
    pub fn add_json(&mut self, json: &str) -> Result<(), Error> {
        let f: LexiconFile = serde_json::from_str(json)
            .map_err(|e| Error::Data(format!("predicate dictionary: {e}")))?;
        self.irregular.extend(f.forms);
        for e in f.predicates {
            self.entries.entry(e.verb.clone()).or_default().push(e);
        }
        self.light_verbs
            .extend(f.light_verbs.iter().map(|s| words(s)));
        self.event_nouns.extend(f.event_nouns);
        self.generate_light_entries();
        for p in f.phrases {
            if let Some(first) = p.words.first() {
                self.phrases.entry(first.clone()).or_default().push(p);
            }
        }
        for v in self.phrases.values_mut() {
            v.sort_by_key(|a| std::cmp::Reverse(a.words.len()));
        }
        for v in self.entries.values_mut() {
            v.sort_by_key(|a| std::cmp::Reverse(a.then.len()));
        }
        self.reporting.extend(f.reporting);
        self.hedges.extend(f.hedges);
        self.negations.extend(f.negations);
        self.failure_before
            .extend(f.failure_before.iter().map(|s| words(s)));
        self.failure_after
            .extend(f.failure_after.iter().map(|s| words(s)));
        self.realis_before_to.extend(f.realis_before_to);
        self.casualty_nouns.extend(f.casualty_nouns);
        self.casualty_words.extend(f.casualty_words);
        self.violent_protest
            .extend(f.violent_protest.iter().map(|w| w.to_lowercase()));
        self.mob_violence
            .extend(f.mob_violence.iter().map(|w| w.to_lowercase()));
        self.protest_intervention
            .extend(f.protest_intervention.iter().map(|w| w.to_lowercase()));
        self.labels.extend(f.labels.into_iter().map(|l| Label {
            label: l.label.to_lowercase(),
            ..l
        }));
        for (m, cues) in f.means {
            let cues = cues.iter().map(|c| c.to_lowercase());
            match self.means.iter_mut().find(|(k, _)| *k == m) {
                Some((_, have)) => have.extend(cues),
                None => self.means.push((m, cues.collect())),
            }
        }
        self.means.sort_by_key(|(m, _)| *m);
        let b = f.bodies_found;
        self.bodies_found.nouns.extend(b.nouns);
        self.bodies_found.with.extend(b.with);
        self.bodies_found.phrases.extend(b.phrases);
        self.count_adds
            .extend(f.count_adds.iter().map(|w| w.to_lowercase()));
        let k = f.killing_verbs;
        let v = &mut self.killing_verbs;
        v.kill.extend(k.kill);
        v.execute.extend(k.execute);
        v.to_death.extend(k.to_death);
        v.shot_dead.extend(k.shot_dead);
        self.rebuild_forms();
        Ok(())
    }

    /// The entries of every light verb with every event noun that no written entry of that verb
    /// already names (made again whenever a file adds verbs, nouns or entries).
    fn generate_light_entries(&mut self) {
        for v in self.entries.values_mut() {
            v.retain(|e| !e.generated);
        }
        for lv in &self.light_verbs {
            let Some((lemma, particles)) = lv.split_first() else {
                continue;
            };
            for n in &self.event_nouns {
                let noun = words(&n.noun);
                let then: Vec<String> = particles.iter().cloned().chain(noun).collect();
                let have = self.entries.get(lemma).is_some_and(|es| {
                    es.iter().any(|e| {
                        e.then.len() == then.len()
                            && e.then.iter().zip(&then).all(|(a, b)| same_noun(a, b))
                    })
                });
                if have {
                    continue;
                }
                self.entries.entry(lemma.clone()).or_default().push(Entry {
                    verb: lemma.clone(),
                    then,
                    kind: n.kind,
                    priority: n.priority,
                    acled: n.acled.clone(),
                    subject: Vec::new(),
                    far: false,
                    generated: true,
                });
            }
        }
    }

    fn rebuild_forms(&mut self) {
        self.forms.clear();
        let lemmas: Vec<String> = self
            .entries
            .keys()
            .cloned()
            .chain(self.reporting.iter().cloned())
            .collect();
        for lemma in lemmas {
            let mut forms = inflect(&lemma);
            if let Some(irr) = self.irregular.get(&lemma) {
                for f in irr {
                    let form = if f.ends_with("ing") {
                        Form::Gerund
                    } else if f.ends_with('s') && !f.ends_with("ss") {
                        Form::Present
                    } else {
                        Form::Past
                    };
                    forms.retain(|(w, _)| w != f);
                    forms.push((f.clone(), form));
                }
                // an irregular past replaces the regular one ("taked")
                if irr.iter().any(|f| !f.ends_with("ing") && !f.ends_with('s')) {
                    forms.retain(|(w, fm)| *fm != Form::Past || irr.contains(w));
                }
            }
            for (w, f) in forms {
                self.forms.entry(w).or_insert((lemma.clone(), f));
            }
        }
    }

    /// The coder's label that opens `tokens` ("Security measures:"), if the dictionary knows it.
    pub fn label(&self, tokens: &[Token]) -> Option<&Label> {
        let colon = tokens.iter().take(6).position(|t| t.text == ":")?;
        let words = tokens[..colon]
            .iter()
            .map(|t| t.lower.as_str())
            .collect::<Vec<_>>()
            .join(" ")
            .replace(" / ", "/");
        self.labels.iter().find(|l| l.label == words)
    }

    /// The lemma and form of a verb word, if it is one the dictionary knows.
    pub fn verb(&self, word: &str) -> Option<(&str, Form)> {
        self.forms.get(word).map(|(l, f)| (l.as_str(), *f))
    }

    pub fn is_reporting(&self, lemma: &str) -> bool {
        self.reporting.iter().any(|r| r == lemma)
    }

    /// Every predicate of the dictionary in `tokens` (reporting verbs are not included).
    pub fn find(&self, tokens: &[Token]) -> Vec<PredicateMatch> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < tokens.len() {
            let t = &tokens[i];
            if t.kind != TokKind::Word {
                i += 1;
                continue;
            }
            if let Some(phrases) = self.phrases.get(&t.lower) {
                if let Some(p) = phrases.iter().find(|p| {
                    p.words
                        .iter()
                        .enumerate()
                        .all(|(k, w)| tokens.get(i + k).is_some_and(|t| t.lower == *w))
                }) {
                    out.push(PredicateMatch {
                        start: i,
                        end: i + p.words.len(),
                        kind: p.kind,
                        priority: p.priority,
                        lemma: p.words.join(" "),
                        form: Form::Past,
                        acled: p.acled.clone(),
                    });
                    i += p.words.len();
                    continue;
                }
            }
            let Some((lemma, form)) = self.verb(&t.lower) else {
                i += 1;
                continue;
            };
            let mut found = None;
            for e in self.entries.get(lemma).into_iter().flatten() {
                // a far purpose is a verb's, never a capitalised word's ("March 2022 … to demand")
                if e.far && t.text != t.lower {
                    continue;
                }
                let span = if !e.subject.is_empty() {
                    (form != Form::Gerund && subject_before(tokens, i, &e.subject))
                        .then_some((i, i + 1))
                } else {
                    // the passive names the object first: "the offensive was launched (by …)"
                    follow(tokens, i + 1, &e.then, e.far)
                        .map(|end| (i, end))
                        .or_else(|| {
                            object_before(tokens, i, &e.then)
                                .filter(|_| form == Form::Past)
                                .map(|start| (start, i + 1))
                        })
                };
                if let Some((start, end)) = span {
                    found = Some(PredicateMatch {
                        start,
                        end,
                        kind: e.kind,
                        priority: e.priority,
                        lemma: lemma.to_string(),
                        form,
                        acled: e.acled.clone(),
                    });
                    break;
                }
            }
            match found {
                Some(m) => {
                    i = m.end.max(m.start + 1);
                    out.push(m);
                }
                None => i += 1,
            }
        }
        out
    }
}

/// A one-word object right before a passive verb at `at`: "offensive was launched", "an assault
/// was reportedly launched", "an operation launched by …".
/// Returns where the match starts: the verb, or the noun of a reduced relative (which is then
/// the event named, not a noun the participle qualifies).
fn object_before(tokens: &[Token], at: usize, then: &[String]) -> Option<usize> {
    let lower = |k: usize| tokens.get(k).map_or("", |t| t.lower.as_str());
    // a particle stays after the verb: "the hill was later handed over to the army"
    let w = match then {
        [w] => w,
        [particle, w]
            if matches!(particle.as_str(), "over" | "up" | "back") && lower(at + 1) == particle =>
        {
            w
        }
        _ => return None,
    };
    // a reduced relative: "a military operation launched by the Syrian Army"
    // (an operation's nouns only: "an IED planted by an unknown group" names the device)
    let operation = matches!(
        w.as_str(),
        "offensive" | "operation" | "campaign" | "assault" | "invasion"
    );
    if operation && at > 0 && word_or_plural(lower(at - 1), w) && lower(at + 1) == "by" {
        return Some(at - 1);
    }
    let mut k = at;
    if k > 0
        && (lower(k - 1).ends_with("ly")
            || matches!(lower(k - 1), "later" | "then" | "also" | "soon"))
    {
        k -= 1;
    }
    if k < 2 || !matches!(lower(k - 1), "was" | "were" | "been") {
        return None;
    }
    let k = if lower(k - 2) == "had" || lower(k - 2) == "has" {
        k - 1
    } else {
        k
    };
    (k >= 2 && word_or_plural(lower(k - 2), w)).then_some(at)
}

/// One of `nouns` heads the clause's subject before the verb at `at`: "the fighting in Zabadani
/// had ended", "the battle for the town finally ended". The search stops at punctuation and at a
/// word that opens another clause; it looks at most twelve words back. An "and" joining the two
/// sides of a "between" opens no clause ("clashes between X forces and Y forces continued").
fn subject_before(tokens: &[Token], at: usize, nouns: &[String]) -> bool {
    let from = at.saturating_sub(12);
    let joins_sides = |k: usize| {
        tokens[from..k]
            .iter()
            .rev()
            .take_while(|t| t.kind != TokKind::Punct)
            .any(|t| t.lower == "between")
    };
    for k in (from..at).rev() {
        let t = &tokens[k];
        if t.lower == "and" && joins_sides(k) {
            continue;
        }
        if t.kind == TokKind::Punct
            || matches!(
                t.lower.as_str(),
                "that"
                    | "which"
                    | "who"
                    | "and"
                    | "but"
                    | "after"
                    | "before"
                    | "when"
                    | "while"
                    | "until"
            )
        {
            return false;
        }
        if nouns.iter().any(|n| word_or_plural(&t.lower, n)) {
            // the noun is the subject, not the object of a preposition ("after weeks of fighting")
            return k == 0
                || !matches!(
                    tokens[k - 1].lower.as_str(),
                    "of" | "in" | "during" | "amid" | "by" | "with"
                );
        }
    }
    false
}

/// `word` is `w` or its plural ("offensive", "offensives").
fn word_or_plural(word: &str, w: &str) -> bool {
    word == w || word.strip_suffix('s') == Some(w)
}

/// Two nouns are one in either number ("airstrike", "airstrikes"; "march", "marches").
fn same_noun(a: &str, b: &str) -> bool {
    let one = |x: &str, y: &str| {
        x == y || y.len() > 2 && (x.strip_suffix('s') == Some(y) || x.strip_suffix("es") == Some(y))
    };
    one(a, b) || one(b, a)
}

/// Match `then` words after `from`, each within three words of the previous one (no punctuation
/// between); returns the token index after the last. A noun matches in either number
/// ("offensives", "carried out airstrike"). `far`: the first word anywhere later in the
/// sentence (up to a semicolon).
fn follow(tokens: &[Token], from: usize, then: &[String], far: bool) -> Option<usize> {
    // a far purpose may be told after another use of its first word ("marched from the Palace
    // to the anti-monument … to demand justice"): each occurrence is tried
    if far && then.len() > 1 {
        let mut start = from;
        while let Some(at) = follow(tokens, start, &then[..1], true) {
            if let Some(end) = follow(tokens, at, &then[1..], false) {
                return Some(end);
            }
            start = at;
        }
        return None;
    }
    let mut pos = from;
    for (k, w) in then.iter().enumerate() {
        let far = far && k == 0;
        let max_gap = if far {
            tokens.len()
        } else if k == 0 {
            3
        } else {
            2
        };
        let mut found = None;
        for (j, t) in tokens.iter().enumerate().take(pos + max_gap + 1).skip(pos) {
            let stops = if far {
                t.text == ";"
            } else {
                t.kind == TokKind::Punct && t.text != "-"
            };
            if stops {
                break;
            }
            if same_noun(&t.lower, w) {
                found = Some(j);
                break;
            }
        }
        pos = found? + 1;
    }
    Some(pos)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokenize;

    fn check(text: &str, expected: &[(&str, Kind)]) {
        let lex = Lexicon::builtin();
        let toks = tokenize(text);
        let got: Vec<(String, Kind)> = lex
            .find(&toks)
            .into_iter()
            .map(|m| {
                (
                    toks[m.start..m.end]
                        .iter()
                        .map(|t| t.text.as_str())
                        .collect::<Vec<_>>()
                        .join(" "),
                    m.kind,
                )
            })
            .collect();
        let want: Vec<(String, Kind)> = expected.iter().map(|(a, k)| (a.to_string(), *k)).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn verbs_inflect_and_phrases_allow_gaps() {
        check("They took full control of the town, seizing the hill, and launched a preemptive attack.", &[
            ("took full control of", Kind::Capture),
            ("seizing", Kind::Capture),
            ("launched a preemptive attack", Kind::Attack),
        ]);
        check(
            "The militia withdrew, then besieged and shelled the camp.",
            &[
                ("withdrew", Kind::Withdrawal),
                ("besieged", Kind::Siege),
                ("shelled", Kind::Bombardment),
            ],
        );
    }

    #[test]
    fn event_nouns_take_any_light_verb_in_either_number() {
        check(
            "The air force carried out airstrike against the positions.",
            &[("carried out airstrike", Kind::Bombardment)],
        );
        check(
            "Rebels mounted an ambush on the road.",
            &[("mounted an ambush", Kind::Attack)],
        );
        // a verb's own entry wins over the noun's: "launched rockets" is a bombardment
        check(
            "They launched rockets.",
            &[("launched rockets", Kind::Bombardment)],
        );
    }

    #[test]
    fn a_far_purpose_is_a_verbs_and_never_a_months() {
        check(
            "Members marched in Limete (Kinshasa, Kinshasa) to demand his resignation.",
            &[(
                "marched in Limete ( Kinshasa , Kinshasa ) to demand",
                Kind::Protest,
            )],
        );
        check(
            "On 25 March 2022, in Durango, feminists protested to demand justice.",
            &[("protested", Kind::Protest)],
        );
        // after another "to" of the march's way
        check(
            "Students marched from the Palace to the monument to demand justice.",
            &[(
                "marched from the Palace to the monument to demand",
                Kind::Protest,
            )],
        );
    }

    #[test]
    fn inflections() {
        let forms: Vec<String> = inflect("capture").into_iter().map(|(w, _)| w).collect();
        assert_eq!(forms, ["capture", "captures", "captured", "capturing"]);
        let forms: Vec<String> = inflect("occupy").into_iter().map(|(w, _)| w).collect();
        assert_eq!(forms, ["occupy", "occupies", "occupied", "occupying"]);
    }
}
