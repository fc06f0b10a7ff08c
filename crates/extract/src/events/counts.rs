//! Counts of people and of the dead: "at least 16", "killing a woman and three children",
//! "25 rebels and 11 soldiers were killed", "Hezbollah lost nine fighters", bodies found.
//! The wounded are not counted.

use super::BE;
use crate::lexicon::Lexicon;
use crate::text::{TokKind, Token};

/// A count of people: (min, max).
pub(super) type Count = (u32, Option<u32>);

/// A fatality expression: the token where it starts, the token after it, its count.
pub(super) struct Fatality {
    pub start: usize,
    pub end: usize,
    pub count: Count,
}

/// Two counts added up ("a woman and three children"): the maxima add, a missing one is its
/// minimum.
pub(super) fn add(a: Count, b: Count) -> Count {
    (
        a.0 + b.0,
        match (a.1, b.1) {
            (None, None) => None,
            (x, y) => Some(x.unwrap_or(a.0) + y.unwrap_or(b.0)),
        },
    )
}

/// A number of people: "six", "16", "dozens", "at least 16" → (min, max), and the token after.
pub(super) fn people_count(tokens: &[Token], i: usize) -> Option<(Count, usize)> {
    let w = |k: usize| tokens.get(k).map_or("", |t| t.lower.as_str());
    let mut j = i;
    if matches!(w(j), "at") && matches!(w(j + 1), "least") {
        j += 2;
    }
    if matches!(
        w(j),
        "some" | "about" | "around" | "nearly" | "almost" | "over" | "more" | "up"
    ) {
        j += 1;
        if matches!(w(j), "than" | "to") {
            j += 1;
        }
    }
    let t = tokens.get(j)?;
    // "an unknown number of fighters" is no count
    if matches!(t.lower.as_str(), "a" | "an")
        && matches!(
            w(j + 1),
            "unknown" | "number" | "few" | "large" | "small" | "total"
        )
    {
        return None;
    }
    let n: Option<u32> = if t.kind == TokKind::Number {
        t.lower.replace(',', "").parse().ok()
    } else {
        match t.lower.as_str() {
            "one" | "a" | "an" => Some(1),
            "two" => Some(2),
            "three" => Some(3),
            "four" => Some(4),
            "five" => Some(5),
            "six" => Some(6),
            "seven" => Some(7),
            "eight" => Some(8),
            "nine" => Some(9),
            "ten" => Some(10),
            "eleven" => Some(11),
            "twelve" => Some(12),
            "fifteen" => Some(15),
            "twenty" => Some(20),
            "thirty" => Some(30),
            "forty" => Some(40),
            "fifty" => Some(50),
            "hundred" => Some(100),
            _ => None,
        }
    };
    if let Some(n) = n {
        // "two to five", "10-15"
        if matches!(w(j + 1), "to" | "-" | "–" | "or") {
            if let Some(t2) = tokens.get(j + 2) {
                if let Ok(m) = t2.lower.parse::<u32>() {
                    return Some(((n, Some(m)), j + 3));
                }
            }
        }
        return Some(((n, None), j + 1));
    }
    match t.lower.as_str() {
        "dozens" if w(j + 1) == "of" => Some(((24, Some(99)), j + 2)),
        "hundreds" if w(j + 1) == "of" => Some(((200, Some(999)), j + 2)),
        "scores" if w(j + 1) == "of" => Some(((40, Some(99)), j + 2)),
        "several" => Some(((3, Some(9)), j + 1)),
        "a" if w(j + 1) == "dozen" => Some(((12, None), j + 2)),
        _ => None,
    }
}

/// The words of the dead the dictionary knows: nouns of people ("civilians", "fighters") and of
/// death ("killed", "dead").
struct Dead<'a> {
    lexicon: &'a Lexicon,
    tokens: &'a [Token],
}

impl Dead<'_> {
    fn noun(&self, k: usize) -> bool {
        self.tokens.get(k).is_some_and(|t| {
            // (a word in quotation marks is still the word: "28 'terrorists'")
            let w = t.lower.trim_matches(['\'', '\u{2018}', '\u{2019}', '"']);
            self.lexicon.casualty_nouns.iter().any(|n| n == w)
                || w.ends_with("ers")
                || w.ends_with("men")
        })
    }

    fn dead(&self, k: usize) -> bool {
        self.tokens
            .get(k)
            .is_some_and(|t| self.lexicon.casualty_words.contains(&t.lower))
    }
}

/// Fatality expressions, in order. At each token the patterns are tried in turn: a verb of
/// killing and its victims, a coder's count, losses, a count and its death.
pub(super) fn fatalities(lexicon: &Lexicon, tokens: &[Token]) -> Vec<Fatality> {
    let d = Dead { lexicon, tokens };
    // each found with whether the coder stated it
    let mut found_all: Vec<(Fatality, bool)> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let by_verb = killed_by_verb(&d, i);
        let by_coder = by_verb.is_none().then(|| coded_count(tokens, i)).flatten();
        let found = by_verb
            .or(by_coder)
            .or_else(|| lost(&d, i))
            .or_else(|| deaths_of(&d, i))
            .or_else(|| count_of_dead(&d, i));
        match found {
            Some((end, count)) => {
                let f = Fatality {
                    start: i,
                    end,
                    count,
                };
                found_all.push((f, by_coder.is_some()));
                i = end;
            }
            None => i += 1,
        }
    }
    // the coder's figure is the note's, whatever else its sentence counts ("Fatalities coded as
    // 3 (NRF reported 5 Taliban fatalities …)")
    let coded = found_all.iter().any(|(_, c)| *c);
    found_all
        .into_iter()
        .filter(|(_, c)| *c || !coded)
        .map(|(f, _)| f)
        .collect()
}

/// The closing bracket of an aside opened at `open`, within eight tokens.
fn bracket_end(tokens: &[Token], open: usize) -> Option<usize> {
    (open + 1..(open + 9).min(tokens.len())).find(|&j| tokens[j].text == ")")
}

/// "killing (at least) 16 (people)", "killed 3"; "executed a shepherd", "shot dead two men",
/// "killing him", "killing all of them": the token after the victims, and their count.
fn killed_by_verb(d: &Dead<'_>, i: usize) -> Option<(usize, Count)> {
    let tokens = d.tokens;
    let is_noun = |k: usize| d.noun(k);
    let verbs = &d.lexicon.killing_verbs;
    let verb = &tokens[i].lower;
    let killing = verbs.kill.contains(verb);
    let to_death = (i + 2..(i + 7).min(tokens.len()))
        .any(|j| tokens[j].lower == "death" && tokens[j - 1].lower == "to");
    let shot = verbs.shot_dead.contains(verb);
    let named_victims = verbs.execute.contains(verb)
        || (verbs.to_death.contains(verb) && to_death)
        || (shot && tokens.get(i + 1).is_some_and(|t| t.lower == "dead"));
    let count_at = if shot { i + 2 } else { i + 1 };
    if !(killing || named_victims) || (i > 0 && BE.contains(&tokens[i - 1].lower.as_str())) {
        return None;
    }
    // "killing him", "killing the Levant Front member", "the killing of the council member"
    let at = if tokens.get(count_at).is_some_and(|t| t.lower == "of") {
        count_at + 1
    } else {
        count_at
    };
    if let Some(end) = one_named_person(tokens, at, &is_noun) {
        return Some((end, (1, None)));
    }
    // "killing its two passengers": the count after a possessive
    let count_at = if tokens
        .get(count_at)
        .is_some_and(|t| matches!(t.lower.as_str(), "its" | "their" | "his" | "her"))
        && people_count(tokens, count_at + 1).is_some()
    {
        count_at + 1
    } else {
        count_at
    };
    // "killing all of them", "killing all three": everyone the sentence counted before
    if killing && tokens.get(count_at).is_some_and(|t| t.lower == "all") {
        let before = (0..i).rev().find_map(|k| {
            people_count(tokens, k).filter(|&(_, e)| (e..e + 3).any(|x| x < i && is_noun(x)))
        });
        if let Some((n, _)) = before {
            let end = if tokens.get(count_at + 1).is_some_and(|t| t.lower == "of") {
                count_at + 3
            } else {
                count_at + 2
            };
            return Some((end.min(tokens.len()), n));
        }
    }
    // ("assassinated a former opposition commander": a few words may qualify the noun)
    let noun_near = |end: usize| killing || (end..end + 4).any(is_noun);
    let (n, end) = people_count(tokens, count_at).filter(|&(_, end)| noun_near(end))?;
    // "killing a woman and three children": the counts add up
    let (mut total, mut e) = (n, end);
    while e < tokens.len()
        && (is_noun(e)
            || tokens[e].lower.ends_with("-old")
            || matches!(tokens[e].lower.as_str(), "young" | "old" | "other" | "more"))
    {
        e += 1;
    }
    // "killed 8 civilians in Mbakira village and 7 civilians in Chavinyungu village": a place
    // may stand between the two counts
    let and = if tokens.get(e).is_some_and(|t| t.lower == "and") {
        Some(e)
    } else if tokens
        .get(e)
        .is_some_and(|t| matches!(t.lower.as_str(), "in" | "at" | "near"))
    {
        (e + 1..(e + 7).min(tokens.len()))
            .take_while(|&j| tokens[j].kind == TokKind::Word)
            .find(|&j| tokens[j].lower == "and")
    } else {
        None
    };
    if let Some(a) = and {
        if let Some((m, e2)) = people_count(tokens, a + 1) {
            if is_noun(e2) {
                total = add(total, m);
                e = e2 + 1;
            }
        }
    }
    Some((e.max(end), total))
}

/// A coder's count: "Unknown fatalities coded as 10", "An unidentified number of fatalities
/// mentioned in low intensity conflict area (is) coded as 3": the figure the note is coded with.
fn coded_count(tokens: &[Token], i: usize) -> Option<(usize, Count)> {
    let fatal = |t: &Token| matches!(t.lower.as_str(), "fatalities" | "deaths");
    let word = |k: usize| tokens.get(k).map_or("", |t| t.lower.as_str());
    let at = if fatal(&tokens[i]) && word(i + 1) == "coded" && word(i + 2) == "as" {
        i + 3
    } else if word(i) == "coded" && word(i + 1) == "as" && tokens[..i].iter().any(fatal) {
        i + 2
    } else {
        return None;
    };
    people_count(tokens, at).map(|(n, end)| (end, n))
}

/// "leading to the death of 3 Mai-Mai Kabidon and 3 NDC-R/Guidon", "the deaths of two
/// soldiers": the counts after "death(s) of", each of people or of a group's members named by
/// the group (the counts add up).
fn deaths_of(d: &Dead<'_>, i: usize) -> Option<(usize, Count)> {
    let tokens = d.tokens;
    if !matches!(tokens[i].lower.as_str(), "death" | "deaths")
        || tokens.get(i + 1).is_none_or(|t| t.lower != "of")
    {
        return None;
    }
    // the people a count names: nouns of the dead, or a group's name
    let named = |k: usize| {
        let mut e = k;
        while e < tokens.len()
            && (d.noun(e)
                || tokens[e].is_capitalized()
                || (tokens[e].text == "-" || tokens[e].text == "/") && e > k)
        {
            e += 1;
        }
        (e > k).then_some(e)
    };
    // ("over the death of a person due to …": one death a text protests over is a cause, not
    // a count of the dead; the counted deaths of a fight are numbers)
    if tokens
        .get(i + 2)
        .is_some_and(|t| matches!(t.lower.as_str(), "a" | "an" | "one" | "the"))
    {
        return None;
    }
    let (mut total, end) = people_count(tokens, i + 2)?;
    let mut e = named(end)?;
    while tokens.get(e).is_some_and(|t| t.lower == "and") {
        let Some((m, e2)) = people_count(tokens, e + 1) else {
            break;
        };
        let Some(e3) = named(e2) else {
            break;
        };
        total = add(total, m);
        e = e3;
    }
    Some((e, total))
}

/// "Hezbollah lost nine fighters", "the army lost 30 soldiers".
fn lost(d: &Dead<'_>, i: usize) -> Option<(usize, Count)> {
    let tokens = d.tokens;
    if !matches!(
        tokens[i].lower.as_str(),
        "lost" | "losing" | "loses" | "lose"
    ) {
        return None;
    }
    let (n, end) = people_count(tokens, i + 1)?;
    let mut k = end;
    while k < end + 3
        && tokens.get(k).is_some_and(|t| {
            t.is_capitalized()
                || t.lower.ends_with("ed")
                || matches!(t.lower.as_str(), "of" | "their" | "its")
        })
    {
        k += 1;
    }
    (d.noun(k) && !matches!(tokens.get(k).map(|t| t.lower.as_str()), Some("of")))
        .then_some((k + 1, n))
}

/// "six of their fighters dead", "16 ISIL fighters were killed", "12 killed", "a man was shot
/// dead": a count at `i`, the people it counts, then their death.
fn count_of_dead(d: &Dead<'_>, i: usize) -> Option<(usize, Count)> {
    let tokens = d.tokens;
    // "The businessman was killed": one person, told as known
    let the_one = tokens[i].lower == "the" && (i == 0 || !tokens[i - 1].is_capitalized());
    let (n, end) = match people_count(tokens, i) {
        Some(c) => c,
        None if the_one => ((1, None), i + 1),
        None => return None,
    };
    let (k, steps, n) = counted_people(d, end, n);
    // "a former commander of uprising forces was shot dead": the person's "of" phrase runs to
    // the verb
    let k = if steps > 0 && tokens.get(k).is_some_and(|t| t.kind == TokKind::Word) {
        (k..(k + 4).min(tokens.len()))
            .take_while(|&j| tokens[j].kind == TokKind::Word && tokens[j].lower != "and")
            .find(|&j| matches!(tokens[j].lower.as_str(), "was" | "were"))
            .filter(|_| tokens[..k].iter().rev().take(4).any(|t| t.lower == "of"))
            .unwrap_or(k)
    } else {
        k
    };
    if the_one && (steps == 0 || tokens.get(k).is_none_or(|t| t.lower != "was")) {
        return None;
    }
    let aux = matches!(
        tokens.get(k).map(|t| t.lower.as_str()),
        Some("were" | "was" | "are" | "have" | "had" | "been" | "reportedly" | "also")
    );
    let k2 = if aux { k + 1 } else { k };
    let k3 = if tokens
        .get(k2)
        .is_some_and(|t| matches!(t.lower.as_str(), "been" | "reportedly" | "also"))
    {
        k2 + 1
    } else {
        k2
    };
    let direct = tokens.get(k).is_some_and(|t| {
        matches!(
            t.lower.as_str(),
            "killed" | "dead" | "fatality" | "fatalities"
        )
    });
    if (steps > 0 || direct) && d.dead(k3) {
        return Some((k3 + 1, n));
    }
    // "a man was shot dead", "two women were stabbed to death"
    if steps > 0 && aux {
        if let Some(after) = violent_death(tokens, k3) {
            return Some((after, n));
        }
    }
    None
}

/// A word that may qualify a noun of people after a count: a lower-case word that is no verb of
/// being and no conjunction or preposition ("government", "volunteer", "other").
fn qualifier(t: &Token) -> bool {
    t.kind == TokKind::Word
        && t.text.chars().all(|c| c.is_lowercase() || c == '-')
        && !matches!(
            t.lower.as_str(),
            "and" | "or" | "of" | "in" | "were" | "was" | "are" | "is" | "have" | "had" | "been"
        )
}

/// Whether a noun of people comes at `k`, past names and asides in brackets only ("Katiba Macina
/// (JNIM) militants"): what lets a qualifier before it stay in the phrase.
fn noun_ahead(d: &Dead<'_>, mut k: usize) -> bool {
    let tokens = d.tokens;
    for _ in 0..6 {
        if d.noun(k) {
            return true;
        }
        match tokens.get(k) {
            Some(t) if t.kind == TokKind::Word && t.is_capitalized() => k += 1,
            Some(t) if t.text == "(" => match bracket_end(tokens, k) {
                Some(close) => k = close + 1,
                None => return false,
            },
            _ => return false,
        }
    }
    false
}

/// The people a count at `end` goes on to name: "of their fighters", "ISIL fighters", "25 rebels
/// and 11 soldiers" (the counts add up), "219 civilians, including 27 children," (the part is in
/// the whole). Returns the token after, the steps taken (none when no noun of people came), and
/// the count.
fn counted_people(d: &Dead<'_>, end: usize, n: Count) -> (usize, usize, Count) {
    let tokens = d.tokens;
    let is_noun = |k: usize| d.noun(k);
    let mut k = end;
    let mut steps = 0;
    let mut nouns = 0;
    let mut n = n;
    while steps < 9 {
        let t = tokens.get(k);
        let filler = t.is_some_and(|t| {
            matches!(
                t.lower.as_str(),
                "of" | "their" | "its" | "the" | "his" | "her" | "'s" | "government" | "rebel" | "pro-government" | "more" | "regime" | "pro-regime"
                    | "army" | "opposition" | "security" | "military" | "police" | "armed" | "young" | "other"
                    // "a man (originally) from Kobani was shot dead", "a member of the Amal movement"
                    | "from" | "originally" | "movement" | "clan" | "party" | "family" | "tribe" | "group" | "faction" | "brigade"
                    | "battalion" | "militia" | "forces"
            ) || (t.is_capitalized() && t.kind == TokKind::Word)
                // "a member of the 8th Brigade"
                || (t.lower.len() > 2 && t.lower.chars().next().is_some_and(|c| c.is_ascii_digit()) && ["st", "nd", "rd", "th"].iter().any(|x| t.lower.ends_with(x)))
        });
        if is_noun(k) {
            nouns += 1;
        } else if nouns > 0 && t.is_some_and(|t| t.lower == "and") {
            // "25 rebels and 11 soldiers were killed": the counts add up; "a woman and her
            // daughter", "a man and his two sons" too
            let possessive = tokens
                .get(k + 1)
                .is_some_and(|t| matches!(t.lower.as_str(), "her" | "his" | "their" | "its"));
            let next = if possessive {
                people_count(tokens, k + 2).or_else(|| is_noun(k + 2).then_some(((1, None), k + 2)))
            } else {
                people_count(tokens, k + 1)
            };
            match next {
                // ("… and 188 government soldiers", "… and 4 volunteer fighters": a qualifier
                // may stand before the noun)
                Some((m, e2))
                    if is_noun(e2)
                        || tokens.get(e2).is_some_and(|t| t.is_capitalized())
                        || (is_noun(e2 + 1) && tokens.get(e2).is_some_and(qualifier)) =>
                {
                    n = add(n, m);
                    // (past a qualifier the phrase goes on at its noun)
                    let qualified = !is_noun(e2)
                        && tokens[e2].kind == TokKind::Word
                        && !tokens[e2].is_capitalized();
                    k = if qualified { e2 + 1 } else { e2 };
                    steps += 1;
                    continue;
                }
                // "1,000 rebels and 200 soldiers and Hezbollah fighters were killed": a
                // group named without a count adds nothing, but the list goes on
                None if (k + 1..k + 4).any(|x| {
                    is_noun(x)
                        && tokens[k + 1..x]
                            .iter()
                            .all(|t| t.is_capitalized() && t.kind == TokKind::Word)
                }) =>
                {
                    let x = (k + 1..k + 4).find(|&x| is_noun(x)).unwrap_or(k + 1);
                    k = x + 1;
                    steps += 1;
                    continue;
                }
                _ => break,
            }
        } else if nouns > 0
            && t.is_some_and(|t| t.text == ",")
            && tokens
                .get(k + 1)
                .is_some_and(|t| matches!(t.lower.as_str(), "including" | "among"))
        {
            // "219 civilians, including 27 children, were killed": the part is inside the whole
            match (k + 2..(k + 10).min(tokens.len())).find(|&j| tokens[j].text == ",") {
                Some(close) => {
                    k = close + 1;
                    steps += 1;
                    continue;
                }
                None => break,
            }
        } else if t.is_some_and(|t| t.text == "(") {
            // "4 volunteer fighters (VDP) were killed", "Three presumed Katiba Macina (JNIM)
            // militants": an aside in brackets inside the phrase
            match bracket_end(tokens, k) {
                Some(close) => {
                    k = close + 1;
                    steps += 1;
                    continue;
                }
                None => break,
            }
        } else {
            // ("Three presumed militants", "two young men": a word may qualify the noun to come)
            let qualifies = nouns == 0 && t.is_some_and(qualifier) && noun_ahead(d, k + 1);
            // (quotation marks around a word: "28 'terrorists' were killed")
            let quote = t.is_some_and(|t| {
                matches!(
                    t.text.as_str(),
                    "'" | "\"" | "\u{2018}" | "\u{2019}" | "\u{201c}" | "\u{201d}"
                )
            });
            if !(filler || qualifies || quote) {
                break;
            }
        }
        k += 1;
        steps += 1;
    }
    (k, if nouns > 0 { steps } else { 0 }, n)
}

/// One person named after a verb, at `k`: "him", "her", "the (Levant Front) member" (a singular
/// noun of the dead within four words of "the"). Returns the token after.
fn one_named_person(tokens: &[Token], k: usize, is_noun: &dyn Fn(usize) -> bool) -> Option<usize> {
    let w = |j: usize| tokens.get(j).map_or("", |t| t.lower.as_str());
    if matches!(w(k), "himself" | "herself") {
        return Some(k + 1);
    }
    if matches!(w(k), "him" | "her")
        && !tokens
            .get(k + 1)
            .is_some_and(|t| t.kind == TokKind::Word && is_noun(k + 1))
    {
        return Some(k + 1);
    }
    // "the council member", "his brother", "its driver"
    if !matches!(w(k), "the" | "his" | "her" | "its" | "their") {
        return None;
    }
    (k + 1..k + 5)
        .take_while(|&j| {
            tokens.get(j).is_some_and(|t| {
                t.kind == TokKind::Word
                    && !matches!(t.lower.as_str(), "and" | "in" | "of" | "at" | "on")
            })
        })
        .find(|&j| is_noun(j) && !w(j).ends_with('s'))
        .map(|j| j + 1)
}

/// The token after a violent death told by a participle at `k`: "shot dead", "stabbed to death",
/// "executed", "assassinated".
fn violent_death(tokens: &[Token], k: usize) -> Option<usize> {
    let w = |j: usize| tokens.get(j).map_or("", |t| t.lower.as_str());
    match w(k) {
        "executed" | "assassinated" | "beheaded" | "slaughtered" => Some(k + 1),
        // "a man was found dead", "found shot dead": a death the finding tells
        "found" => match (w(k + 1), w(k + 2)) {
            ("dead" | "killed" | "murdered" | "slain", _) => Some(k + 2),
            ("shot" | "stabbed", "dead") => Some(k + 3),
            _ => None,
        },
        "shot" | "stabbed" | "beaten" | "burned" | "burnt" | "tortured" | "hacked" => {
            match (w(k + 1), w(k + 2)) {
                ("dead", _) => Some(k + 2),
                ("to", "death") => Some(k + 3),
                _ => None,
            }
        }
        _ => None,
    }
}

/// "A man's body was found", "the bodies of two individuals were found": the dead the finding
/// counts (one body, or the number before "bodies" or after "bodies of").
pub(super) fn bodies_found(tokens: &[Token]) -> Option<u32> {
    let found = tokens.iter().any(|t| t.lower == "found");
    let k = tokens
        .iter()
        .position(|t| t.lower == "body" || t.lower == "bodies")?;
    if !found {
        return None;
    }
    if tokens[k].lower == "body" {
        return Some(1);
    }
    // the count before ("three bodies") or after ("the bodies of two …"), read as casualty counts are
    let count = |at: usize| people_count(tokens, at).map(|((n, _), _)| n);
    k.checked_sub(1).and_then(count).or_else(|| {
        (tokens.get(k + 1).is_some_and(|t| t.lower == "of"))
            .then(|| count(k + 2))
            .flatten()
    })
}

#[cfg(test)]
mod tests {
    use crate::lexicon::Lexicon;
    use crate::text::tokenize;

    /// The fatality expressions of `text`: (first word, count).
    fn dead(text: &str) -> Vec<(String, super::Count)> {
        let toks = tokenize(text);
        super::fatalities(&Lexicon::builtin(), &toks)
            .into_iter()
            .map(|f| (toks[f.start].lower.clone(), f.count))
            .collect()
    }

    #[test]
    fn counts_of_people() {
        let t = tokenize("at least 16 dozens of two to five");
        assert_eq!(super::people_count(&t, 0), Some(((16, None), 3)));
        assert_eq!(super::people_count(&t, 3), Some(((24, Some(99)), 5)));
        assert_eq!(
            super::people_count(&tokenize("two to 5 men"), 0),
            Some(((2, Some(5)), 3))
        );
        assert_eq!(
            super::people_count(&tokenize("an unknown number of fighters"), 0),
            None
        );
        assert_eq!(super::add((2, None), (3, Some(5))), (5, Some(7)));
    }

    #[test]
    fn a_verb_of_killing_counts_its_victims() {
        assert_eq!(
            dead("The strike hit a car, killing a woman and three children."),
            [("killing".to_string(), (4, None))]
        );
        assert_eq!(
            dead("Gunmen shot dead two men."),
            [("shot".to_string(), (2, None))]
        );
        assert_eq!(
            dead("Three soldiers were found, and gunmen killed all of them."),
            [("killed".to_string(), (3, None))]
        );
    }

    #[test]
    fn a_coders_count_and_losses() {
        assert_eq!(
            dead("Unknown fatalities coded as 10."),
            [("fatalities".to_string(), (10, None))]
        );
        assert_eq!(
            dead("Hezbollah lost nine fighters."),
            [("lost".to_string(), (9, None))]
        );
    }

    #[test]
    fn counts_before_their_death_add_up_and_the_wounded_do_not_count() {
        assert_eq!(
            dead("25 rebels and 11 soldiers were killed."),
            [("25".to_string(), (36, None))]
        );
        assert_eq!(
            dead("219 civilians, including 27 children, were killed."),
            [("219".to_string(), (219, None))]
        );
        assert_eq!(dead("A man was shot dead."), [("a".to_string(), (1, None))]);
        assert!(dead("Five people were wounded.").is_empty());
    }

    #[test]
    fn bodies_found_count_their_dead() {
        assert_eq!(
            super::bodies_found(&tokenize("A man's body was found near the river.")),
            Some(1)
        );
        assert_eq!(
            super::bodies_found(&tokenize("The bodies of two individuals were found.")),
            Some(2)
        );
        assert_eq!(
            super::bodies_found(&tokenize("The body of the car was hit.")),
            None
        );
    }
}
