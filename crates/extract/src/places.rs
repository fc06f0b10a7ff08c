//! Toponym mentions: the words of a sentence that name places, with their Arabic prefixes and
//! generic heads ("Jabal al-Barouh", "the Ras al-Marra-Arsal border-crossing", "Al-Barouh hill").
//! Resolution to coordinates is the gazetteer's job; this only finds the spans.

use crate::text::{plain_lower, TokKind, Token};

/// A place named in a sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct PlaceMention {
    /// Token range in the sentence.
    pub start: usize,
    pub end: usize,
    /// The words of the text, with a trailing generic head ("Dahr al-Hawa Hill").
    pub text: String,
    /// A known place the text relates it to: "outside Al-Juba", "overlooks Arsal".
    pub near: Option<String>,
    /// Where people come from, not where something happened: "residents of Kfar Kila
    /// protested in Marjayoun", "a man from Kobani was shot near Tal Abyad".
    pub origin: bool,
}

/// Generic heads that follow a name ("X hill", "X border-crossing").
pub(crate) const HEADS_AFTER: &[&str] = &[
    "hill",
    "hills",
    "mountain",
    "mountains",
    "mount",
    "ridge",
    "valley",
    "river",
    "plain",
    "plains",
    "crossing",
    "border-crossing",
    "checkpoint",
    "airbase",
    "air",
    "airport",
    "base",
    "dam",
    "bridge",
    "area",
    "region",
    "district",
    "governorate",
    "province",
    "city",
    "town",
    "village",
    "camp",
    "border",
    "highway",
    "road",
    "lake",
    "desert",
    "heights",
    "countryside",
    "suburb",
    "neighbourhood",
    "neighborhood",
    "quarter",
    "hilltop",
    "peak",
    "pass",
    "crossroads",
    "junction",
    "subdistrict",
    "municipality",
    "outskirts",
    "farms",
    "farm",
    "orchards",
    "plateau",
    "canal",
    "gate",
    "square",
    "badia",
    "axis",
    "hospital",
    "school",
    "mosque",
    "church",
    "market",
    "prison",
    "roundabout",
    "stadium",
    "factory",
];

/// Words between a name and a road's head that stay in the mention ("the Baalbek international
/// highway" is a road, not the town).
const ROAD_MODIFIERS: &[&str] = &[
    "international",
    "main",
    "old",
    "new",
    "coastal",
    "ring",
    "military",
    "desert",
];
const ROAD_HEADS: &[&str] = &["highway", "road", "motorway", "route"];

/// Arabic articles and particles inside names.
/// Arabic articles and particles that stand as separate words inside names ("Ras el Maarra").
/// The English-looking sun-letter forms (as, at, an, ad) only count when hyphenated ("as-Sukhnah").
const PARTICLES: &[&str] = &[
    "al", "el", "ash", "ath", "adh", "ed", "ej", "er", "es", "et", "ez", "ud", "bin", "ibn", "abu",
    "bani", "beni",
];
/// Romance prepositions written in lower case inside names ("Victoria de Durango", "Juan de
/// Acosta", "Saint-Louis du Senegal"), between two of its words; "de" may take an article ("San
/// Juan de la Vega", "Ciudad de los Ninos").
const ROMANCE_PARTICLES: &[&str] = &["de", "del", "do", "da", "dos", "das", "du", "des"];
const ROMANCE_ARTICLES: &[&str] = &["la", "las", "los", "l'"];

/// The sun-letter forms of the article that look like English words, inside a name only between
/// two of its words ("Ma'arrat an Nu'man", "Tell ad Daman"); "as" and "at" are left out ("in Homs
/// as Russian jets struck", "the hill that overlooks Jaroud Jarajeer at Qurnah Shab'ah").
const SUN_ARTICLES: &[&str] = &["an", "ad", "ar", "az"];
/// Articles that join a capitalised word with a hyphen ("al-Jerafah", "as-Sukhnah").
const HYPHEN_ARTICLES: &[&str] = &[
    "al", "el", "as", "ash", "ad", "ar", "az", "at", "an", "ath", "adh", "ed", "ej", "er", "es",
    "et", "ez",
];

/// Words that start with a capital but do not name places.
const NOT_NAMES: &[&str] = &[
    "the",
    "a",
    "an",
    "in",
    "on",
    "at",
    "by",
    "after",
    "before",
    "during",
    "despite",
    "with",
    "without",
    "earlier",
    "later",
    "early",
    "late",
    "according",
    "this",
    "that",
    "these",
    "those",
    "there",
    "their",
    "its",
    "his",
    "her",
    "they",
    "it",
    "he",
    "she",
    "we",
    "i",
    "meanwhile",
    "however",
    "also",
    "then",
    "when",
    "while",
    "as",
    "although",
    "since",
    "until",
    "from",
    "to",
    "of",
    "for",
    "but",
    "and",
    "or",
    "following",
    "next",
    "previous",
    "around",
    "near",
    "some",
    "many",
    "several",
    "most",
    "all",
    "both",
    "each",
    "over",
    "under",
    "between",
    "among",
    "within",
    "into",
    "throughout",
    "by",
    "about",
    "thus",
    "so",
    "still",
    "yet",
    "here",
    "where",
    "which",
    "who",
    "whose",
    "what",
    "president",
    "minister",
    "general",
    "colonel",
    "commander",
    "professor",
    "dr",
    "mr",
    "sheikh",
    "sayyed",
    "prime",
];

/// Titles before a person's name.
const TITLES: &[&str] = &[
    "gen",
    "general",
    "lt",
    "lieutenant",
    "col",
    "colonel",
    "maj",
    "major",
    "brig",
    "brigadier",
    "capt",
    "captain",
    "sgt",
    "president",
    "minister",
    "commander",
    "sheikh",
    "shaykh",
    "dr",
    "mr",
    "mrs",
    "ms",
    "prof",
    "professor",
    "emir",
    "king",
    "prince",
    "imam",
    "ayatollah",
    "sayyed",
    "mufti",
    "governor",
    "mayor",
    "spokesman",
    "leader",
    "chief",
    "cleric",
];

/// Heads that make a capitalised phrase an organisation, not a place.
const ORG_HEADS: &[&str] = &[
    "center",
    "centre",
    "institute",
    "university",
    "front",
    "army",
    "brigade",
    "brigades",
    "division",
    "forces",
    "force",
    "news",
    "party",
    "council",
    "movement",
    "group",
    "committee",
    "agency",
    "ministry",
    "corps",
    "battalion",
    "regiment",
    "units",
    "unit",
    "guard",
    "guards",
    "police",
    "office",
    "observatory",
    "organization",
    "organisation",
    "union",
    "coalition",
    "alliance",
    "company",
    "network",
    "times",
    "post",
    "press",
    "foundation",
    "association",
    "policy",
    "program",
    "programme",
    "commission",
    "court",
    "government",
    "regime",
    "media",
    "tv",
    "channel",
    "agency",
];

/// Adjectives of nationality and faith: capitalised, never places by themselves.
const DEMONYMS: &[&str] = &[
    "syrian",
    "lebanese",
    "iraqi",
    "iranian",
    "israeli",
    "turkish",
    "russian",
    "kurdish",
    "american",
    "british",
    "french",
    "jordanian",
    "saudi",
    "egyptian",
    "palestinian",
    "shiite",
    "shia",
    "sunni",
    "alawite",
    "druze",
    "christian",
    "muslim",
    "arab",
    "islamic",
    "islamist",
    "jihadist",
    "european",
    "western",
    "ukrainian",
    "german",
    "soviet",
    "yazidi",
    "armenian",
    "assyrian",
    "turkmen",
    "qatari",
    "emirati",
    "afghan",
    "pakistani",
    "chechen",
];

/// Words before a name that make it a place.
const LOCATIVE: &[&str] = &[
    "in",
    "at",
    "near",
    "outside",
    "inside",
    "around",
    "toward",
    "towards",
    "to",
    "into",
    "from",
    "of",
    "between",
    "along",
    "across",
    "through",
    "within",
    "overlooks",
    "overlooking",
    "captured",
    "seized",
    "took",
    "recaptured",
    "retook",
    "stormed",
    "shelled",
    "entered",
    "besieged",
    "attacked",
    "assaulted",
    "encircled",
    "surrounded",
    "on",
    "reached",
    "liberated",
    "overran",
    "bombed",
    "hit",
    "struck",
    "targeted",
    "north",
    "south",
    "east",
    "west",
    "onto",
    // "shot down a drone over Marjayoun", "flew over Tyre"
    "over",
    "via",
    "beyond",
    "past",
    "off",
    "against",
    "for",
];

/// Heads of institutions named "X of Y" besides the organisations' ("the Palace of Justice").
const INSTITUTIONS: &[&str] = &[
    "palace",
    "bank",
    "directorate",
    "department",
    "minister",
    "ministers",
    "house",
    "hall",
    "chamber",
    "faculty",
    "school",
    "college",
    "order",
    "syndicate",
    "federation",
    "league",
];

/// Name-like words that begin a place name by their meaning.
const PLACE_PREFIXES: &[&str] = &[
    "jabal", "jebel", "jbel", "tal", "tall", "tell", "tallat", "tallet", "ras", "ra's", "wadi",
    "ouadi", "jurd", "jaroud", "jroud", "jurud", "jord", "dahr", "zahr", "ayn", "ain", "ein",
    "deir", "dayr", "khirbet", "khirbat", "tel", "qurnat", "qurnah", "sin", "harf", "mount",
    "lake", "camp", "ouqbet", "aqabat", "maabar", "ma'br", "qalaat", "qalat", "bab",
];

fn is_particle_word(t: &Token) -> bool {
    let l = t.lower.as_str();
    PARTICLES.contains(&l)
}

/// A name word: capitalised, or an Arabic article joined to a capitalised word ("al-Jerafah").
fn is_name_word(t: &Token) -> bool {
    if t.kind != TokKind::Word {
        return false;
    }
    if t.is_capitalized() {
        return true;
    }
    if let Some((head, tail)) = t.text.split_once('-') {
        // ("al-'Ayn": an ayn may come between the article and the capital)
        let tail = tail.trim_start_matches(['\'', '\u{2018}', '\u{2019}', '\u{02bf}', '\u{02bc}']);
        if HYPHEN_ARTICLES.contains(&plain_lower(head).as_str())
            && tail.chars().next().is_some_and(char::is_uppercase)
        {
            return true;
        }
    }
    false
}

/// Find place mentions in `tokens`, skipping tokens in `taken` (actors, dates).
pub fn find(tokens: &[Token], taken: &[bool]) -> Vec<PlaceMention> {
    let mut out: Vec<PlaceMention> = Vec::new();
    // names no cue marked as places (kept for lists: see below)
    let mut unsure: Vec<PlaceMention> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        if taken[i] || !is_name_word(&tokens[i]) {
            i += 1;
            continue;
        }
        let end = name_run(tokens, taken, i);
        let (s, mid_sentence_article) = name_start(tokens, i, end);
        if s == end || not_a_place(tokens, s, end) {
            i = end;
            continue;
        }
        let name_words: Vec<&Token> = tokens[s..end].iter().collect();
        let last = tokens[end - 1].lower.as_str();
        // include a generic head after the name: "Al-Barouh hill", "Ras al-Marra-Arsal border-crossing"
        let mut e = end;
        if e < tokens.len()
            && !taken[e]
            && HEADS_AFTER.contains(&tokens[e].lower.as_str())
            && !tokens[e].is_capitalized()
        {
            e += 1;
        } else if e + 1 < tokens.len()
            && !taken[e]
            && !taken[e + 1]
            && ROAD_MODIFIERS.contains(&tokens[e].lower.as_str())
            && ROAD_HEADS.contains(&tokens[e + 1].lower.as_str())
        {
            e += 2;
        }
        // evidence that it is a place
        let prev = if s == 0 {
            None
        } else {
            Some(tokens[s - 1].lower.as_str())
        };
        let prev2 = if s < 2 {
            None
        } else {
            Some(tokens[s - 2].lower.as_str())
        };
        let after_according = prev == Some("to") && prev2 == Some("according");
        // "Lt. Gen. Ali Haidar", "President Assad", "Col. Suheil al-Hassan": people, not places
        let titled = prev.is_some_and(|p| TITLES.contains(&p))
            || (prev == Some(".") && prev2.is_some_and(|p| TITLES.contains(&p)));
        // "an offensive, code-named Dawn of the Jurds": an operation's name, not a place
        let code_name = (s.saturating_sub(3)..s).any(|k| {
            matches!(
                tokens[k].lower.as_str(),
                "code-named" | "codenamed" | "dubbed" | "code-name" | "codename"
            )
        });
        if titled || code_name {
            i = e.max(i + 1);
            // (the whole name: "Dawn of the Jurds")
            while code_name
                && i < tokens.len()
                && (matches!(tokens[i].lower.as_str(), "of" | "the")
                    || (tokens[i].is_capitalized() && tokens[i].kind == TokKind::Word))
            {
                i += 1;
            }
            continue;
        }
        let locative = !after_according
            && (prev.is_some_and(|p| LOCATIVE.contains(&p))
                || (prev == Some("the") && prev2.is_some_and(|p| LOCATIVE.contains(&p))));
        let first = plain_lower(&name_words[0].text);
        let prefix = PLACE_PREFIXES.contains(&first.as_str())
            || PLACE_PREFIXES
                .iter()
                .any(|p| first.starts_with(&format!("{p}-")));
        let article = mid_sentence_article
            || first.starts_with("al-")
            || first.starts_with("el-")
            || first.starts_with("as-")
            || first.starts_with("ad-")
            || first.starts_with("ar-")
            || first.starts_with("az-")
            || first.starts_with("an-")
            || first.starts_with("at-")
            || first.starts_with("ash-");
        let headed = e > end || HEADS_AFTER.contains(&last);
        // "Qusayr fell to the Syrian Army", "Palmyra was recaptured": what falls or is taken is a place
        let after = |k: usize| tokens.get(e + k).map_or("", |t| t.lower.as_str());
        let taken_place = (after(0) == "fell" && after(1) == "to")
            || (after(0) == "came" && after(1) == "under")
            || (matches!(after(0), "was" | "had")
                && matches!(
                    after(1),
                    "captured"
                        | "recaptured"
                        | "retaken"
                        | "seized"
                        | "overrun"
                        | "besieged"
                        | "encircled"
                        | "liberated"
                        | "been"
                ));
        // a list continues a place list: "Arsal and Younin", "A, B and C"
        let in_list = out.last().is_some_and(|p| {
            let between: Vec<&str> = tokens[p.end..s].iter().map(|t| t.lower.as_str()).collect();
            !between.is_empty()
                && between.len() <= 5
                && between.iter().all(|w| {
                    matches!(
                        *w,
                        "," | "and"
                            | "or"
                            | "the"
                            | "all"
                            | "of"
                            | "barrens"
                            | "hills"
                            | "villages"
                            | "towns"
                            | "well"
                            | "as"
                            | "nearby"
                            | "neighbouring"
                            | "neighboring"
                            | "adjacent"
                            | "surrounding"
                            | "village"
                            | "town"
                    )
                })
        });
        let followed_by_possessive_org = e < tokens.len() && tokens[e].text == "'s";
        // "the Palmyra offensive", "the Raqqa campaign": a campaign named after its place
        let campaign = e == end
            && tokens
                .get(e)
                .is_some_and(|t| matches!(t.lower.as_str(), "offensive" | "campaign" | "front"));
        let text = tokens[s..e]
            .iter()
            .map(|t| t.text.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        // "Hamra (Beirut)", "Younine town (Baalbek)": a name in brackets just after a place is a
        // coder's note of its district; it places the name before it and is no place of its own
        // "Goma (Goma, Nord-Kivu)", "Hin Thar village (Yesagyo township, Pakokku district,
        // Magway region)": a coder's chain of the divisions holding the place, smallest first;
        // the chain places it (as one `near`, comma-separated) and names no place of its own
        let chain_of = out
            .last()
            .filter(|p| prev == Some("(") && p.end + 1 == s)
            .and_then(|_| containing_chain(tokens, s - 1));
        let district_of = out.last_mut().filter(|p| {
            prev == Some("(") && p.end + 1 == s && tokens.get(e).is_some_and(|t| t.text == ")")
        });
        if let Some(p) = district_of {
            p.near = Some(text);
            share_near(tokens, &mut out);
        } else if let Some((chain, close)) = chain_of {
            let p = out.last_mut().expect("chain_of follows a place");
            let own = plain_lower(&p.text);
            let parts: Vec<String> = chain
                .into_iter()
                .filter(|c| plain_lower(c) != own)
                .collect();
            if !parts.is_empty() {
                p.near = Some(parts.join(", "));
                share_near(tokens, &mut out);
            }
            i = close + 1;
            continue;
        } else if locative
            || prefix
            || article
            || headed
            || in_list
            || followed_by_possessive_org
            || campaign
            || taken_place
        {
            // ("a man from Soran in Hama": where the origin lies is origin too; but "a man from
            // Deir ez-Zor in Raqqa city" was where the town says)
            let settlement_head = matches!(
                tokens[e - 1].lower.as_str(),
                "city" | "town" | "village" | "camp"
            );
            let in_origin = !settlement_head
                && out.last().is_some_and(|p| {
                    p.origin && p.end + 1 == s && matches!(tokens[p.end].lower.as_str(), "in" | ",")
                });
            out.push(PlaceMention {
                start: s,
                end: e,
                text,
                near: None,
                origin: in_origin || is_origin(tokens, s),
            });
        } else if !titled {
            unsure.push(PlaceMention {
                start: s,
                end: e,
                text,
                near: None,
                origin: false,
            });
        }
        i = e.max(i + 1);
    }
    open_lists(tokens, unsure, &mut out);
    relate(tokens, &mut out);
    out
}

/// The end of the run of name words from token `start`: name words, and particles and hyphens
/// between them.
fn name_run(tokens: &[Token], taken: &[bool], start: usize) -> usize {
    let mut end = start + 1;
    while end < tokens.len() && !taken[end] {
        let t = &tokens[end];
        if is_name_word(t) {
            end += 1;
        } else if (is_particle_word(t)
            || (SUN_ARTICLES.contains(&t.lower.as_str()) && !DEMONYMS.contains(&tokens.get(end + 1).map_or("", |n| n.lower.as_str())))
            // "Ayn at Tinah", "Tall as Sultan": after a generic head, "at" and "as" are articles
            || (matches!(t.lower.as_str(), "at" | "as") && end == start + 1 && PLACE_PREFIXES.contains(&tokens[start].lower.as_str())))
            && end + 1 < tokens.len()
            && is_name_word(&tokens[end + 1])
            && !taken[end + 1]
        {
            end += 2;
        } else if let Some(n) = romance_connector(tokens, taken, end) {
            end += n;
        } else {
            break;
        }
    }
    end
}

/// The length of a lower-case Romance connector at `at` followed by a name word ("de", "de la"),
/// if there is one.
fn romance_connector(tokens: &[Token], taken: &[bool], at: usize) -> Option<usize> {
    let lower_word = |k: usize, list: &[&str]| {
        tokens.get(k).is_some_and(|t| {
            t.kind == TokKind::Word && t.text == t.lower && list.contains(&t.lower.as_str())
        })
    };
    if !lower_word(at, ROMANCE_PARTICLES) {
        return None;
    }
    let n = if tokens[at].lower == "de" && lower_word(at + 1, ROMANCE_ARTICLES) {
        2
    } else {
        1
    };
    let name = at + n;
    (name < tokens.len() && !taken[name] && is_name_word(&tokens[name])).then_some(n + 1)
}

/// Where the name in the run `start..end` begins, leading words that are not names trimmed
/// ("During", "The"), and whether it opens with an article written capitalised mid-sentence.
fn name_start(tokens: &[Token], start: usize, end: usize) -> (usize, bool) {
    // inside a sentence a capitalised "As", "An", "At" before a name is its article ("shelled As
    // Salamiyah", "in An Nasirah"): English writes those words in lower case there
    let mid_sentence_article = start > 0
        && matches!(
            tokens[start].text.as_str(),
            "As" | "An" | "At" | "Ad" | "Ar" | "Az" | "Ash"
        )
        && !matches!(
            tokens[start - 1].text.as_str(),
            "." | "!" | "?" | ":" | ";" | "\"" | "\u{201c}" | "("
        )
        && end > start + 1
        && !DEMONYMS.contains(&tokens[start + 1].lower.as_str());
    let mut s = start;
    while s < end && NOT_NAMES.contains(&tokens[s].lower.as_str()) && !mid_sentence_article {
        s += 1;
    }
    // "the Sheikh Fares district", "in Sheikh Maqsoud": a sheikh's name is a quarter's when a
    // place's head follows or a locative comes before
    if s > start
        && s < end
        && matches!(tokens[s - 1].lower.as_str(), "sheikh" | "shaykh")
        && tokens[s - 1].is_capitalized()
    {
        let k = s - 1;
        let headed = tokens
            .get(end)
            .is_some_and(|t| HEADS_AFTER.contains(&t.lower.as_str()) && !t.is_capitalized());
        let locative = k > 0
            && (LOCATIVE.contains(&tokens[k - 1].lower.as_str())
                || (tokens[k - 1].lower == "the"
                    && k > 1
                    && LOCATIVE.contains(&tokens[k - 2].lower.as_str())));
        if headed || locative {
            s = k;
        }
    }
    (s, mid_sentence_article)
}

/// Whether the name `s..end` is no place: an organisation, a nationality, a month or a day, an
/// institution, a family, a lone article.
fn not_a_place(tokens: &[Token], s: usize, end: usize) -> bool {
    let lowers: Vec<&str> = tokens[s..end].iter().map(|t| t.lower.as_str()).collect();
    let is_org = lowers.iter().any(|w| ORG_HEADS.contains(w));
    let all_demonym = lowers
        .iter()
        .all(|w| DEMONYMS.contains(w) || w.ends_with("ian") && lowers.len() == 1);
    let is_calendar = lowers.iter().any(|w| {
        matches!(
            *w,
            "january"
                | "february"
                | "march"
                | "april"
                | "may"
                | "june"
                | "july"
                | "august"
                | "september"
                | "october"
                | "november"
                | "december"
                | "monday"
                | "tuesday"
                | "wednesday"
                | "thursday"
                | "friday"
                | "saturday"
                | "sunday"
                | "christmas"
                | "easter"
                | "ramadan"
                | "eid"
                | "ashura"
                | "nowruz"
        )
    });
    // "the Ministry of Energy", "the Palace of Justice": an institution's name, not a place;
    // "the Jaafar clan": a family
    let institution = s >= 2
        && tokens[s - 1].lower == "of"
        && tokens[s - 2].is_capitalized()
        && (ORG_HEADS.contains(&tokens[s - 2].lower.as_str())
            || INSTITUTIONS.contains(&tokens[s - 2].lower.as_str()));
    let kin = tokens.get(end).is_some_and(|t| {
        matches!(
            t.lower.as_str(),
            "clan" | "clans" | "tribe" | "tribes" | "family" | "families"
        )
    });
    // a lone article ("the Al Jamal clan" when the clan took "Jamal clan") names nothing
    let lone_article = lowers
        .iter()
        .all(|w| HYPHEN_ARTICLES.contains(w) || PARTICLES.contains(w));
    is_org || all_demonym || is_calendar || institution || kin || lone_article
}

/// A list of places may open with names no cue marks: "covering Zabadani, Madaya, al-Fu'ah and
/// Kafriya" — a name followed by a comma and a place of a list ending in "and"/"or" is one.
fn open_lists(tokens: &[Token], unsure: Vec<PlaceMention>, out: &mut Vec<PlaceMention>) {
    for u in unsure.into_iter().rev() {
        let Some(k) = out.iter().position(|p| p.start == u.end + 1) else {
            continue;
        };
        if tokens[u.end].text != "," || !closes_list(tokens, out, k) {
            continue;
        }
        let origin = out[k].origin;
        out.insert(k, PlaceMention { origin, ..u });
    }
}

/// Lower-case words a division's name may carry in a coder's chain ("Pakokku district").
pub(crate) const DIVISION_WORDS: &[&str] = &[
    "township",
    "district",
    "region",
    "state",
    "province",
    "subdivision",
    "subdistrict",
    "county",
    "municipality",
    "governorate",
    "department",
    "prefecture",
    "division",
    "sector",
    "territory",
    "commune",
    "cercle",
    "circle",
    "lga",
    "oblast",
    "raion",
    "rayon",
    "city",
    "town",
    "village",
    "area",
    "zone",
    "woreda",
    "kebele",
    "tehsil",
    "parish",
    "chiefdom",
    "locality",
    "of",
    "de",
    "del",
    "la",
];

/// A coder's bracket after the last of places joined by "and", "or" or commas holds them all
/// ("between Toun and Koloye (Djenne, Mopti)", "in Bir al Maraziq and Ar Rayyan (Khabb wa Ash
/// Shaaf, Al Jawf)"): the last place's `near` goes to those before it that have none.
fn share_near(tokens: &[Token], out: &mut [PlaceMention]) {
    let Some((last, before)) = out.split_last_mut() else {
        return;
    };
    let mut next_start = last.start;
    for p in before.iter_mut().rev() {
        let joined =
            p.end + 1 == next_start && matches!(tokens[p.end].lower.as_str(), "and" | "or" | ",");
        if !joined || p.near.is_some() {
            break;
        }
        p.near = last.near.clone();
        next_start = p.start;
    }
}

/// The names of a bracket opened at `open` that lists places and divisions, comma-separated
/// ("(Goma, Nord-Kivu)"), with the index of its closing bracket; `None` for any other bracket
/// (a single name, a note, a date, "coded as X").
fn containing_chain(tokens: &[Token], open: usize) -> Option<(Vec<String>, usize)> {
    let mut parts: Vec<String> = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for (k, t) in tokens.iter().enumerate().skip(open + 1).take(30) {
        match t.text.as_str() {
            ")" => {
                if current.is_empty() {
                    return None;
                }
                parts.push(current.join(" "));
                return (parts.len() >= 2).then_some((parts, k));
            }
            "," => {
                if current.is_empty() {
                    return None;
                }
                parts.push(current.join(" "));
                current.clear();
            }
            "-" if !current.is_empty() => current.push("-"),
            _ if t.kind == TokKind::Word
                && (is_name_word(t)
                    || (!current.is_empty() && DIVISION_WORDS.contains(&t.lower.as_str()))) =>
            {
                current.push(&t.text)
            }
            _ => return None,
        }
    }
    None
}

/// Whether place `k` of `out` runs, through commas, to a place after "and" or "or": the list
/// "A, B and C" that place `k` belongs to.
fn closes_list(tokens: &[Token], out: &[PlaceMention], k: usize) -> bool {
    let mut k = k;
    while let Some(next) = out.get(k + 1) {
        let between: Vec<&str> = tokens[out[k].end..next.start]
            .iter()
            .map(|t| t.lower.as_str())
            .collect();
        match between.as_slice() {
            [","] => k += 1,
            ["and"] | ["or"] | [",", "and"] | [",", "or"] => return true,
            _ => return false,
        }
    }
    false
}

/// People who come from a place or live in it ("residents of X", "a man from X").
const PEOPLE: &[&str] = &[
    "people",
    "man",
    "men",
    "woman",
    "women",
    "resident",
    "residents",
    "native",
    "natives",
    "student",
    "students",
    "youth",
    "youths",
    "family",
    "families",
    "displaced",
    "civilian",
    "civilians",
    "child",
    "children",
    "boy",
    "boys",
    "girl",
    "girls",
    "worker",
    "workers",
    "farmer",
    "farmers",
    "shepherd",
    "shepherds",
    "refugee",
    "refugees",
    "idps",
    "person",
    "persons",
    "individual",
    "individuals",
    "townspeople",
    "villagers",
    "inhabitants",
    "tribesmen",
    "notables",
    "dignitaries",
];

/// Whether the place starting at token `s` is where people come from: "originally from X", or
/// "from X" / "of X" right after a word for people ("displaced people from Saraqib", "a resident
/// of Douma"); not "withdrew from X", "the countryside of X".
fn is_origin(tokens: &[Token], s: usize) -> bool {
    let word = |k: usize| tokens.get(k).map_or("", |t| t.lower.as_str());
    let prep = s.checked_sub(1).map(word).unwrap_or("");
    match prep {
        "from" => s >= 2 && (word(s - 2) == "originally" || PEOPLE.contains(&word(s - 2))),
        "of" => s >= 2 && PEOPLE.contains(&word(s - 2)),
        _ => false,
    }
}

/// Words between two places that put the first near the second: "X, which overlooks Y",
/// "X outside Y", "X near Y", "X linked to Y", "X on the outskirts of Y".
const NEAR_WORDS: &[&str] = &[
    "overlooks",
    "overlooking",
    "outside",
    "near",
    "linked",
    "close",
    "around",
    "outskirts",
    "overlooked",
    "adjacent",
    "beside",
    "next",
    "countryside",
    "vicinity",
    "suburbs",
];

/// Kinds of place that lie inside the place named after them with "in".
const SMALL_PLACE_HEADS: &[&str] = &[
    "square",
    "neighbourhood",
    "neighborhood",
    "quarter",
    "street",
    "camp",
    "village",
    "town",
    "hill",
    "farm",
    "farms",
    "district",
    "area",
    "hospital",
    "school",
    "mosque",
    "church",
    "market",
    "prison",
    "bakery",
    "office",
    "roundabout",
    "junction",
    "checkpoint",
    "bridge",
    "field",
    "fields",
    "base",
    "station",
    "building",
    "university",
    "stadium",
    "port",
    "hotel",
    "factory",
    "dam",
    "axis",
    "badia",
];

/// Set `near` on places the text relates to a following place (not on those a district note
/// already placed).
fn relate(tokens: &[Token], places: &mut [PlaceMention]) {
    for k in 0..places.len().saturating_sub(1) {
        let (a_end, b_start) = (places[k].end, places[k + 1].start);
        if places[k].near.is_some() || b_start < a_end || b_start - a_end > 6 {
            continue;
        }
        let between: Vec<&str> = tokens[a_end..b_start]
            .iter()
            .map(|t| t.lower.as_str())
            .collect();
        // "Nijmeh square in Sidon", "Masyaf town in Hama countryside": a small place named with
        // its kind, inside the next one
        let inside = matches!(between.as_slice(), ["in"] | ["in", "the"])
            && places[k]
                .text
                .rsplit(' ')
                .next()
                .is_some_and(|h| SMALL_PLACE_HEADS.contains(&h.to_lowercase().as_str()));
        if inside
            || between.iter().any(|w| NEAR_WORDS.contains(w))
            || held_by_next(tokens, places, k)
        {
            places[k].near = Some(places[k + 1].text.clone());
        }
    }
}

/// "in Benito Juarez, Nuevo Leon, three armed men…", "shelled Yakovlivka, Donetsk region":
/// a place, a comma and a place that ends the phrase names the second as holding the first (a
/// town and its state, oblast or country). Not in a list: "Aleppo, Idlib and Hama", "Aleppo,
/// Idlib, Hama".
fn held_by_next(tokens: &[Token], places: &[PlaceMention], k: usize) -> bool {
    let (a, b) = (&places[k], &places[k + 1]);
    if b.start != a.end + 1 || tokens[a.end].text != "," {
        return false;
    }
    // the first is not itself the next item of a list
    let listed = k > 0 && {
        let p = &places[k - 1];
        p.end < a.start
            && tokens[p.end..a.start]
                .iter()
                .all(|t| t.text == "," || matches!(t.lower.as_str(), "and" | "or"))
    };
    if listed {
        return false;
    }
    // the second ends the phrase: the sentence goes on in lower case, or stops
    let mut e = b.end;
    while tokens
        .get(e)
        .is_some_and(|t| DIVISION_WORDS.contains(&t.lower.as_str()) && !t.is_capitalized())
    {
        e += 1;
    }
    match tokens.get(e) {
        None => true,
        Some(t) if t.kind == TokKind::Punct => match t.text.as_str() {
            "." | ";" | ":" | ")" => true,
            "," => tokens
                .get(e + 1)
                .is_some_and(|n| !n.is_capitalized() || n.kind == TokKind::Number),
            _ => false,
        },
        Some(t) => {
            t.kind == TokKind::Word
                && !t.is_capitalized()
                && !matches!(t.lower.as_str(), "and" | "or")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokenize;

    #[test]
    fn a_place_then_a_place_ending_the_phrase_is_held_by_it() {
        let near = |text: &str| -> Vec<(String, Option<String>)> {
            let toks = tokenize(text);
            let taken = vec![false; toks.len()];
            find(&toks, &taken)
                .into_iter()
                .map(|p| (p.text, p.near))
                .collect()
        };
        let held = near("In Benito Juarez, Nuevo Leon, three armed men shot a man.");
        assert_eq!(held[0].1.as_deref(), Some("Nuevo Leon"), "{held:?}");
        let held = near("Russian forces shelled Yakovlivka, Donetsk region.");
        assert_eq!(held[0].1.as_deref(), Some("Donetsk region"), "{held:?}");
        // a list holds nothing
        for list in [
            "Rebels shelled Aleppo, Idlib and Hama.",
            "Rebels shelled Aleppo, Idlib, Hama.",
        ] {
            let got = near(list);
            assert!(got.iter().all(|(_, n)| n.is_none()), "{list}: {got:?}");
        }
    }

    fn check(text: &str, expected: &[&str]) {
        let toks = tokenize(text);
        let taken = vec![false; toks.len()];
        let got: Vec<String> = find(&toks, &taken).into_iter().map(|p| p.text).collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn a_name_runs_over_particles_and_drops_leading_words_that_are_no_names() {
        let t = tokenize("During the battle for Jabal al-Barouh , rebels shelled As Salamiyah");
        let taken = vec![false; t.len()];
        assert_eq!(name_run(&t, &taken, 4), 6);
        assert_eq!(name_start(&t, 0, 1), (1, false));
        // a capitalised "As" inside a sentence is an article
        assert_eq!(name_start(&t, 9, name_run(&t, &taken, 9)), (9, true));
    }

    #[test]
    fn a_name_runs_over_lower_case_romance_prepositions() {
        check(
            "On 25 March 2022, in Victoria de Durango, Durango, feminists protested.",
            &["Victoria de Durango", "Durango"],
        );
        check(
            "Residents of San Juan de la Vega and Cienega de Flores blocked a road.",
            &["San Juan de la Vega", "Cienega de Flores"],
        );
        // a preposition with no name after it ends the name
        check("Clashes broke out in Tumaco de noche.", &["Tumaco"]);
    }

    #[test]
    fn a_bracket_after_joined_places_holds_them_all() {
        let t = tokenize("JNIM evicted fishermen between Toun and Koloye (Djenne, Mopti).");
        let found = find(&t, &vec![false; t.len()]);
        let near: Vec<(&str, Option<&str>)> = found
            .iter()
            .map(|p| (p.text.as_str(), p.near.as_deref()))
            .collect();
        assert_eq!(
            near,
            [
                ("Toun", Some("Djenne, Mopti")),
                ("Koloye", Some("Djenne, Mopti"))
            ]
        );
    }

    #[test]
    fn months_nationalities_and_institutions_are_no_places() {
        let t = tokenize("in March the Syrian Ministry of Energy near Homs");
        assert!(not_a_place(&t, 1, 2));
        assert!(not_a_place(&t, 3, 4));
        assert!(not_a_place(&t, 6, 7));
        assert!(!not_a_place(&t, 8, 9));
    }

    #[test]
    fn names_with_prefixes_heads_and_lists() {
        check("Troops captured the Tal Hamra hill outside Kafr Zita and the hills of al-Nasra, Sin al-Wadi and Jabal Ruweis.", &[
            "Tal Hamra hill",
            "Kafr Zita",
            "al-Nasra",
            "Sin al-Wadi",
            "Jabal Ruweis",
        ]);
        check(
            "They took the Qusayr-Hermel border-crossing, which overlooks Hermel and Qasr.",
            &["Qusayr-Hermel border-crossing", "Hermel", "Qasr"],
        );
    }

    #[test]
    fn an_ayn_written_with_an_apostrophe_is_part_of_the_name() {
        check(
            "Drones struck Ra's al-'Ayn town and Wadi al-\u{2018}Uyun village.",
            &["Ra's al-'Ayn town", "Wadi al-\u{2018}Uyun village"],
        );
        // and so is an article after a generic head, or a capitalised one inside a sentence
        check(
            "Jets struck Ayn at Tinah and shelled As Salamiyah.",
            &["Ayn at Tinah", "As Salamiyah"],
        );
        // a campaign named after its place
        check(
            "The Palmyra offensive began, as did the Raqqa campaign.",
            &["Palmyra", "Raqqa"],
        );
    }

    #[test]
    fn where_people_come_from_is_an_origin() {
        let toks = tokenize("Residents of Kfar Kila and a man originally from Douma in Rif Dimashq protested in Marjayoun, a boy from Qusayr in Homs city was hurt, and forces withdrew from Arsal to the countryside of Hermel.");
        let taken = vec![false; toks.len()];
        let got: Vec<(String, bool)> = find(&toks, &taken)
            .into_iter()
            .map(|p| (p.text, p.origin))
            .collect();
        let want = [
            ("Kfar Kila", true),
            ("Douma", true),
            ("Rif Dimashq", true),
            ("Marjayoun", false),
            ("Qusayr", true),
            ("Homs city", false),
            ("Arsal", false),
            ("Hermel", false),
        ];
        assert_eq!(got, want.map(|(t, o)| (t.to_string(), o)));
    }

    #[test]
    fn a_coders_chain_of_divisions_places_the_name_before_it() {
        let near = |text: &str| -> Vec<(String, Option<String>)> {
            let toks = tokenize(text);
            find(&toks, &vec![false; toks.len()])
                .into_iter()
                .map(|p| (p.text, p.near))
                .collect()
        };
        assert_eq!(
            near("Youths burnt homes in Goma (Goma, Nord-Kivu) on Monday."),
            [("Goma".to_string(), Some("Nord-Kivu".to_string()))]
        );
        assert_eq!(
            near("Soldiers raided Hin Thar village (Yesagyo township, Pakokku district, Magway region)."),
            [("Hin Thar village".to_string(), Some("Yesagyo township, Pakokku district, Magway region".to_string()))]
        );
        // not a chain: a single district note, and a coder's remark
        assert_eq!(
            near("A protest in Hamra (Beirut)."),
            [("Hamra".to_string(), Some("Beirut".to_string()))]
        );
        assert_eq!(
            near("Clashes between Pay Pin and Kyauk Aing villages (coded as Kyauk Aing) went on.")
                .iter()
                .filter(|p| p.1.is_some())
                .count(),
            0
        );
    }

    #[test]
    fn a_small_place_in_a_larger_one_is_near_it() {
        let toks = tokenize("Protesters gathered in Nijmeh square in Sidon city, and shells hit Kafr Oweid town in Idleb governorate.");
        let taken = vec![false; toks.len()];
        let got: Vec<(String, Option<String>)> = find(&toks, &taken)
            .into_iter()
            .map(|p| (p.text, p.near))
            .collect();
        assert!(
            got.iter().any(|(t, n)| t.starts_with("Nijmeh")
                && n.as_deref().is_some_and(|n| n.starts_with("Sidon"))),
            "{got:?}"
        );
        assert!(
            got.iter().any(|(t, n)| t.starts_with("Kafr Oweid")
                && n.as_deref().is_some_and(|n| n.starts_with("Idleb"))),
            "{got:?}"
        );
        // feasts are no places, even "over" them
        check(
            "Fighting went on over Christmas and over Eid in Daraa.",
            &["Daraa"],
        );
        // an institution's name and a family's are no places
        check(
            "Teachers gathered at the Ministry of Energy and the Palace of Justice in Beirut.",
            &["Beirut"],
        );
        check(
            "Members of the Jaafar clan clashed in Baalbek.",
            &["Baalbek"],
        );
        // a district in brackets after the place
        let toks = tokenize("Depositors stormed a bank in Hamra (Beirut) on Monday.");
        let got: Vec<(String, Option<String>)> = find(&toks, &vec![false; toks.len()])
            .into_iter()
            .map(|p| (p.text, p.near))
            .collect();
        assert_eq!(got, [("Hamra".to_string(), Some("Beirut".to_string()))]);
    }

    #[test]
    fn facilities_and_roads_keep_their_heads() {
        let toks = tokenize("Nurses gathered outside the Nour hospital in Zabadani, and drivers blocked the Homs international highway at Qara.");
        let taken = vec![false; toks.len()];
        let got: Vec<(String, Option<String>)> = find(&toks, &taken)
            .into_iter()
            .map(|p| (p.text, p.near))
            .collect();
        assert_eq!(
            got,
            [
                ("Nour hospital".to_string(), Some("Zabadani".to_string())),
                ("Zabadani".to_string(), None),
                ("Homs international highway".to_string(), None),
                ("Qara".to_string(), None),
            ]
        );
        check("Shells fell on the old road and the new market.", &[]);
        check(
            "A mine exploded in Ma'arrat an Nu'man and near Tell ad Daman.",
            &["Ma'arrat an Nu'man", "Tell ad Daman"],
        );
        check(
            "They took the hill overlooking Jaroud Arsal at Qurnat Shaaba.",
            &["Jaroud Arsal", "Qurnat Shaaba"],
        );
        check(
            "Shells hit the countryside of Ain al Arab city.",
            &["Ain al Arab city"],
        );
    }

    #[test]
    fn organisations_people_and_nationalities_are_not_places() {
        check("According to Omar Haddad of the Beirut Policy Institute, Syrian troops and the Druze held.", &[]);
        // an article left alone when an actor took the rest of the name
        let toks = tokenize("a member of the Al Jamal clan");
        let mut taken = vec![false; toks.len()];
        taken[5] = true;
        taken[6] = true;
        assert!(find(&toks, &taken).is_empty());
    }
}
