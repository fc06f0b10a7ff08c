//! Clauses: each candidate opens one, from a delimiter before it to the next clause; what it
//! owns (its object's places, its date) and the roles of the actors in it.

use super::attribution::{self, Report};
use super::candidates::Cand;
use super::{coref, SentenceCtx, DELIMITERS};
use crate::text::TokKind;
use crate::Attribution;

/// Words that open a subordinate clause and end a predicate's object.
const SUBORDINATORS: &[&str] = &[
    "as", "while", "after", "before", "when", "whereas", "because", "since", "which", "where",
    "who", "until", "whilst", "although", "though", "but", ";",
];
/// Nouns of fire and strikes an actor's name may qualify ("regime shelling", "Turkish drones"),
/// and of the custody one dies in ("under torture in a regime prison").
const WEAPON_NOUNS: &[&str] = &[
    "prison",
    "prisons",
    "jail",
    "jails",
    "custody",
    "shelling",
    "shell",
    "shells",
    "bombardment",
    "airstrike",
    "airstrikes",
    "strike",
    "strikes",
    "drone",
    "drones",
    "fire",
    "gunfire",
    "sniper",
    "snipers",
    "rocket",
    "rockets",
    "missile",
    "missiles",
    "mortar",
    "mortars",
    "artillery",
    "warplane",
    "warplanes",
    "jets",
    "helicopter",
    "helicopters",
    "bullets",
];

/// The coded state of one clause before folding.
pub(super) struct Clause {
    pub cand: Cand,
    /// Token range of the clause.
    pub from: usize,
    pub to: usize,
    pub own_place: bool,
    pub own_date: bool,
    /// Indices into the sentence's places, its actors and its timexes.
    pub places: Vec<usize>,
    pub agents: Vec<usize>,
    pub others: Vec<usize>,
    pub allies: Vec<usize>,
    pub timex: Option<usize>,
    pub attribution: Option<Attribution>,
    pub folded_into: Option<usize>,
}

/// The roles of a clause's actors (indices into the sentence's actors).
#[derive(Debug, Default, PartialEq)]
pub(super) struct Roles {
    pub agents: Vec<usize>,
    pub allies: Vec<usize>,
    pub others: Vec<usize>,
}

/// One clause per candidate, in order.
pub(super) fn build(cx: &SentenceCtx<'_>, cands: Vec<Cand>, reports: &[Report]) -> Vec<Clause> {
    let bounds = bounds(cx, &cands);
    let n = cx.tokens.len();
    cands
        .into_iter()
        .enumerate()
        .map(|(k, c)| {
            clause(
                cx,
                c,
                bounds[k],
                bounds.get(k + 1).copied().unwrap_or(n),
                reports,
            )
        })
        .collect()
}

/// Where each candidate's clause begins: at the last delimiter after the candidate before.
fn bounds(cx: &SentenceCtx<'_>, cands: &[Cand]) -> Vec<usize> {
    let tokens = cx.tokens;
    let mut bounds = Vec::with_capacity(cands.len());
    for (k, c) in cands.iter().enumerate() {
        if k == 0 {
            bounds.push(0);
            continue;
        }
        let prev_end = cands[k - 1].end;
        // an "and" that joins two actors ("the Islamic Front and al-Nusra withdrew") is inside the
        // subject, not a clause boundary
        let joins_actors = |j: usize| {
            tokens[j].lower == "and"
                && j > 0
                && cx.is_actor_end[j - 1]
                && cx
                    .actors
                    .iter()
                    .any(|m| m.start == j + 1 || (m.start == j + 2 && tokens[j + 1].lower == "the"))
        };
        let b = (prev_end..c.start)
            .rev()
            .find(|&j| DELIMITERS.contains(&tokens[j].lower.as_str()) && !joins_actors(j))
            .unwrap_or(c.start);
        bounds.push(b);
    }
    bounds
}

/// The clause of candidate `c` over tokens `from..to`.
fn clause(cx: &SentenceCtx<'_>, c: Cand, from: usize, to: usize, reports: &[Report]) -> Clause {
    let stop = object_end(cx, &c, to);
    let places_in: Vec<usize> = cx
        .places
        .iter()
        .enumerate()
        .filter(|(_, p)| p.start >= from && p.start < to)
        .map(|(i, _)| i)
        .collect();
    // ("then stormed the village": a settlement named by its noun is a place of its own too)
    let definite_settlement =
        (c.end..stop.min(c.end + 3)).any(|j| coref::names_settlement(cx.tokens, j));
    let own_place = definite_settlement
        || cx.places.iter().any(|p| {
            (p.start >= from && p.start < c.start) || (p.start >= c.end && p.start < stop)
        });
    let timex = clause_date(cx, &c, from, to);
    let Roles {
        agents,
        allies,
        others,
    } = roles(cx, &c, from, to);
    let attribution = attribution::covering(reports, c.start);
    Clause {
        own_place,
        own_date: timex.is_some(),
        cand: c,
        from,
        to,
        places: places_in,
        agents,
        others,
        allies,
        timex,
        attribution,
        folded_into: None,
    }
}

/// Where the predicate's own object ends: at a subordinate clause or a comma not continuing a
/// list.
fn object_end(cx: &SentenceCtx<'_>, c: &Cand, to: usize) -> usize {
    let tokens = cx.tokens;
    for j in c.end..to {
        let w = tokens[j].lower.as_str();
        if SUBORDINATORS.contains(&w)
            && !(w == "as" && tokens.get(j + 1).is_some_and(|t| t.lower == "well"))
        {
            return j;
        }
        if w == "," {
            let next = tokens.get(j + 1);
            let continues = next.is_some_and(|t| {
                cx.places.iter().any(|p| p.start == j + 1)
                    || matches!(t.lower.as_str(), "and" | "or")
            });
            if !continues {
                return j;
            }
        }
    }
    to
}

/// The clause's own date: the last in it, one in brackets only when no other is ("Around 19
/// January 2022 (between 17 - 22 January)": the aside only qualifies it). "captured Qara, and the
/// next day they took the hills": a date after ", and" (or ";") opens a clause of its own, even
/// when no predicate of the dictionary leads it.
fn clause_date(cx: &SentenceCtx<'_>, c: &Cand, from: usize, to: usize) -> Option<usize> {
    let tokens = cx.tokens;
    let dated_clause = (c.end..to).find(|&j| {
        tokens[j].text == ";"
            || (tokens[j].text == ","
                && tokens
                    .get(j + 1)
                    .is_some_and(|t| matches!(t.lower.as_str(), "and" | "but"))
                && cx.timex_toks.iter().any(|(a, _)| *a > j + 1 && *a <= j + 4))
    });
    let timex_to = dated_clause.unwrap_or(to);
    // (a date that names a thing, "the Amendment Act 2021", dates no clause)
    let dates: Vec<usize> = cx
        .timex_toks
        .iter()
        .enumerate()
        .filter(|(i, (a, _))| {
            *a >= from && *a < timex_to && !cx.timexes.get(*i).is_some_and(|t| t.names_thing)
        })
        .map(|(i, _)| i)
        .collect();
    let aside = |i: &usize| cx.timexes.get(*i).is_some_and(|t| t.bracketed);
    dates.iter().rfind(|i| !aside(i)).or(dates.last()).copied()
}

/// The roles of the clause's actors: before the predicate are agents ("backed by X": allies),
/// after it the others; then what the predicate's grammar says of who acted.
fn roles(cx: &SentenceCtx<'_>, c: &Cand, from: usize, to: usize) -> Roles {
    let mut r = Roles::default();
    for (ai, m) in cx.actors.iter().enumerate() {
        if m.start >= from && m.start < c.start {
            let backed = (m.start.saturating_sub(4)..m.start).any(|j| {
                matches!(
                    cx.tokens[j].lower.as_str(),
                    "backed"
                        | "supported"
                        | "coordination"
                        | "alongside"
                        | "allied"
                        | "aided"
                        | "assisted"
                        | "support"
                )
            });
            if backed {
                r.allies.push(ai);
            } else {
                r.agents.push(ai);
            }
        } else if m.start >= c.end && m.start < to {
            r.others.push(ai);
        }
    }
    fell_to(cx, c, &mut r);
    by_or_passive(cx, c, &mut r);
    r
}

/// "Qusayr fell to the Syrian Army", "came under the control of ISIL": who follows the phrase
/// took the place (everyone named up to the phrase's end: "… to the Syrian Army and
/// Hezbollah").
fn fell_to(cx: &SentenceCtx<'_>, c: &Cand, r: &mut Roles) {
    let (tokens, n) = (cx.tokens, cx.tokens.len());
    let trigger = c.trigger.to_lowercase();
    let taken_by = (trigger.starts_with("fell") || trigger.starts_with("fall"))
        && trigger.ends_with(" to")
        || (trigger.starts_with("came") || trigger.starts_with("come")) && trigger.ends_with(" of");
    if !taken_by {
        return;
    }
    let stop = (c.end..n)
        .find(|&j| {
            tokens[j].kind == TokKind::Punct
                || matches!(
                    tokens[j].lower.as_str(),
                    "after" | "in" | "on" | "near" | "following" | "when" | "as" | "at" | "during"
                )
        })
        .unwrap_or(n);
    let takers: Vec<usize> = r
        .others
        .iter()
        .copied()
        .filter(|&ai| cx.actors[ai].start >= c.end && cx.actors[ai].start < stop)
        .collect();
    if !takers.is_empty() {
        let mut new_others = std::mem::take(&mut r.agents);
        new_others.extend(r.others.iter().copied().filter(|ai| !takers.contains(ai)));
        r.agents = takers;
        r.others = new_others;
    }
}

/// "was captured by X", "a body found, killed by X": the agent follows "by" (inside a noun
/// phrase too: "killed by a sniper of regime forces", "shot by members of HTS"); with no
/// by-phrase, who a passive verb names first suffered it ("three regime soldiers were killed"),
/// unless the actor names the weapon's owner ("died of wounds from regime shelling").
fn by_or_passive(cx: &SentenceCtx<'_>, c: &Cand, r: &mut Roles) {
    let (tokens, actors) = (cx.tokens, &cx.actors);
    let by_follows = tokens.get(c.end).is_some_and(|t| t.lower == "by");
    if !(c.passive || by_follows) {
        return;
    }
    let by_agents: Vec<usize> = r
        .others
        .iter()
        .copied()
        .filter(|&ai| in_by_phrase(tokens, c.end, actors[ai].start))
        .collect();
    if !by_agents.is_empty() {
        let mut new_others = r.agents.clone();
        new_others.extend(
            r.others
                .iter()
                .copied()
                .filter(|ai| !by_agents.contains(ai)),
        );
        r.agents = by_agents;
        r.others = new_others;
    } else if c.passive && !c.failed {
        let mut new_others = std::mem::take(&mut r.agents);
        new_others.append(&mut r.others);
        r.others = new_others;
        let (owners, rest): (Vec<usize>, Vec<usize>) = r.others.iter().partition(|&&ai| {
            let m = &actors[ai];
            c.end <= m.start
                && (m.start + 1..=m.end).any(|j| {
                    tokens
                        .get(j)
                        .is_some_and(|t| WEAPON_NOUNS.contains(&t.lower.as_str()))
                })
        });
        r.agents = owners;
        r.others = rest;
    }
}

/// Whether the actor named at token `start` stands in the by-phrase of a verb ending at `verb_end`:
/// "by" after the verb, then at most a noun phrase ("by a sniper of", "by members of the") with
/// no punctuation or clause word between.
fn in_by_phrase(tokens: &[crate::text::Token], verb_end: usize, start: usize) -> bool {
    if start == 0 || start <= verb_end {
        return false;
    }
    let Some(by) = (verb_end..start)
        .rev()
        .take(5)
        .find(|&j| tokens[j].lower == "by")
    else {
        return false;
    };
    tokens[by + 1..start].iter().all(|t| {
        t.kind == TokKind::Word
            && !matches!(
                t.lower.as_str(),
                "and"
                    | "in"
                    | "at"
                    | "on"
                    | "near"
                    | "while"
                    | "after"
                    | "before"
                    | "who"
                    | "which"
                    | "that"
            )
    })
}

#[cfg(test)]
mod tests {
    use super::super::tests::with_clauses;

    /// Per clause: (trigger, agents, others, own place, own date) with actor ids.
    fn clauses(text: &str) -> Vec<(String, Vec<String>, Vec<String>, bool, bool)> {
        with_clauses(text, false, |cx, clauses| {
            let ids = |v: &[usize]| {
                v.iter()
                    .map(|&a| cx.actors[a].actor.clone())
                    .collect::<Vec<_>>()
            };
            clauses
                .iter()
                .map(|c| {
                    (
                        c.cand.trigger.clone(),
                        ids(&c.agents),
                        ids(&c.others),
                        c.own_place,
                        c.own_date,
                    )
                })
                .collect()
        })
    }

    #[test]
    fn a_clause_begins_at_a_delimiter_and_owns_its_object() {
        let c = clauses("On 2 March 2012, the Syrian Army captured Tal Kalakh, securing the roads to the town, and stormed Qusayr.");
        let owns: Vec<(&str, bool, bool)> = c.iter().map(|c| (c.0.as_str(), c.3, c.4)).collect();
        assert_eq!(
            owns,
            [
                ("captured", true, true),
                ("securing", false, false),
                ("stormed", true, false)
            ]
        );
    }

    #[test]
    fn who_a_passive_names_first_suffered_it_and_by_names_the_agent() {
        let c = clauses("Three regime soldiers were killed.");
        assert!(c[0].1.is_empty() && !c[0].2.is_empty());
        let c = clauses("The village was captured by the Syrian Army.");
        assert_eq!(c[0].1, ["saa"]);
    }

    #[test]
    fn a_place_falls_to_who_follows_fell_to() {
        let c = clauses("Qusayr fell to the Syrian Army and Hezbollah.");
        assert_eq!(c[0].1, ["saa", "hezbollah"]);
        assert!(c[0].2.is_empty());
    }
}
