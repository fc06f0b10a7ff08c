//! Assembly: one event per tree of folded clauses, its actors in their roles (the lead first),
//! its places, date, count of the dead and kind.

use super::clauses::Clause;
use super::counts;
use super::fold::root_of;
use super::{coref, dates, push_actor, DocState, SentenceCtx, SentenceFacts, PRONOUNS};
use crate::{Attribution, Event, EventActor, EventPlace, Kind, Lexicon, Role};

/// The events of the sentence's clause trees, each with the token it starts at.
pub(super) fn events(
    cx: &SentenceCtx<'_>,
    clauses: &[Clause],
    facts: &SentenceFacts,
    state: &mut DocState,
) -> Vec<(usize, Event)> {
    let roots: Vec<usize> = (0..clauses.len())
        .filter(|&k| clauses[k].folded_into.is_none())
        .collect();
    // coordination carries the subject from one event to the next
    let mut prev_agents: Vec<usize> = Vec::new();
    let mut made = Vec::new();
    for &r in &roots {
        let members: Vec<usize> = (0..clauses.len())
            .filter(|&k| root_of(clauses, k) == r)
            .collect();
        made.push(event(
            cx,
            &Tree {
                clauses,
                root: r,
                members,
            },
            facts,
            &mut prev_agents,
            state,
        ));
    }
    made
}

/// A clause tree: a root and the clauses folded into it (the root among them).
struct Tree<'c> {
    clauses: &'c [Clause],
    root: usize,
    members: Vec<usize>,
}

impl Tree<'_> {
    fn host(&self) -> &Clause {
        &self.clauses[self.root]
    }

    fn each<'s, T: 's>(&'s self, f: impl Fn(&'s Clause) -> T + 's) -> impl Iterator<Item = T> + 's {
        self.members.iter().map(move |&k| f(&self.clauses[k]))
    }
}

fn event(
    cx: &SentenceCtx<'_>,
    tree: &Tree<'_>,
    facts: &SentenceFacts,
    prev_agents: &mut Vec<usize>,
    state: &mut DocState,
) -> (usize, Event) {
    let (registry, s) = (cx.registry, cx.sentence);
    let host = tree.host();
    let mut agents: Vec<usize> = tree.each(|c| c.agents.clone()).flatten().collect();
    let allies: Vec<usize> = tree.each(|c| c.allies.clone()).flatten().collect();
    let mut others: Vec<usize> = tree.each(|c| c.others.clone()).flatten().collect();
    let attribution = tree.each(|c| c.attribution.clone()).flatten().next();
    lead_agents(cx, attribution.as_ref(), &mut agents, &mut others);
    let date = dates::date_for(&s.text, tree.clauses, &tree.members, cx.timexes, tree.root)
        .map(dates::when_of);
    let side_date = date
        .as_ref()
        .and_then(|w| w.earliest)
        .or(facts.when.earliest);
    let push = |id: &str, mention: &str, role: Role, list: &mut Vec<EventActor>| {
        push_actor(registry, id, mention, role, side_date, list)
    };
    let actors = &cx.actors;
    let mut list: Vec<EventActor> = Vec::new();
    for &ai in &agents {
        push(&actors[ai].actor, &actors[ai].text, Role::Agent, &mut list);
    }
    if agents.is_empty() {
        // coordination carries the subject; pronouns take the last agents
        if !prev_agents.is_empty() {
            for &ai in prev_agents.iter() {
                push(&actors[ai].actor, &actors[ai].text, Role::Agent, &mut list);
            }
        } else if cx.tokens[host.from..host.cand.start]
            .iter()
            .any(|t| PRONOUNS.contains(&t.lower.as_str()))
        {
            for (id, mention) in state.last_agents.clone() {
                push(&id, &mention, Role::Agent, &mut list);
            }
        }
    } else {
        *prev_agents = agents.iter().chain(&allies).copied().collect();
    }
    for &ai in &allies {
        push(&actors[ai].actor, &actors[ai].text, Role::Ally, &mut list);
    }
    for &ai in &others {
        push(&actors[ai].actor, &actors[ai].text, Role::Target, &mut list);
    }
    if list.is_empty()
        && cx.tokens[host.from..host.to]
            .iter()
            .any(|t| matches!(t.lower.as_str(), "their" | "its"))
    {
        for (id, mention) in state.last_agents.clone() {
            push(&id, &mention, Role::Agent, &mut list);
        }
    }
    let agent_list: Vec<(String, String)> = list
        .iter()
        .filter(|a| a.role == Role::Agent)
        .map(|a| (a.id.clone(), a.mention.clone()))
        .collect();
    if !agent_list.is_empty() {
        state.last_agents = agent_list;
    }
    let places = places_of(cx, tree);
    let when = date.unwrap_or_else(|| facts.when.clone());
    // the deaths of folded clauses add up ("60 militants were killed, while Hezbollah lost 19")
    let fatal = tree
        .each(|c| c.cand.fatalities)
        .flatten()
        .reduce(counts::add);
    let (kind, acled) = kind_of(cx, tree, &list);
    let span_from = tree.each(|c| c.from).min().unwrap_or(host.from);
    let span_to = tree.each(|c| c.to).max().unwrap_or(host.to);
    let ev = Event {
        sentence_index: s.index,
        order: 0,
        sentence: s.text.clone(),
        span: cx
            .join(span_from, span_to)
            .trim_start_matches([',', ' '])
            .to_string(),
        kind,
        when,
        actors: list,
        places,
        citations: s.citations.clone(),
        attribution,
        fatalities: fatal.map(|f| f.0).or(facts.bodies),
        fatalities_max: fatal.and_then(|f| f.1),
        hedged: facts.hedged || tree.each(|c| c.cand.hedged).any(|h| h),
        failed: host.cand.failed,
        negated: false,
        trigger: host.cand.trigger.clone(),
        acled_sub_event_type: acled,
        means: Vec::new(),
        body_found: false,
        count_adds: false,
    };
    (host.cand.start, ev)
}

/// Who leads the agents: not the source reporting it (unless it is a party, not the media); the
/// umbrella the others operate under; the suspect rather than an unidentified group.
fn lead_agents(
    cx: &SentenceCtx<'_>,
    attribution: Option<&Attribution>,
    agents: &mut Vec<usize>,
    others: &mut Vec<usize>,
) {
    let (registry, actors, tokens) = (cx.registry, &cx.actors, cx.tokens);
    let source_ids: Vec<String> = attribution
        .map(|a| {
            actors
                .iter()
                .filter(|m| {
                    registry
                        .get(&m.actor)
                        .is_some_and(|r| r.name == a.source || r.is_media())
                })
                .map(|m| m.actor.clone())
                .collect()
        })
        .unwrap_or_default();
    agents.retain(|&ai| {
        !source_ids.contains(&actors[ai].actor)
            || registry
                .get(&actors[ai].actor)
                .is_some_and(|a| !a.is_media())
    });
    // "Turkish forces and JWS operating under OPS shelled …": the umbrella the others operate
    // under leads (ACLED codes the joint operation as its first actor)
    if let Some(k) = agents
        .iter()
        .position(|&ai| under_umbrella(tokens, actors[ai].start))
    {
        let umbrella = agents.remove(k);
        agents.insert(0, umbrella);
    }
    // "unknown gunmen believed to be IS attacked": the suspect is who acted (ACLED codes the
    // suspected actor rather than an unidentified group)
    let unidentified = |ai: usize| {
        registry
            .get(&actors[ai].actor)
            .is_some_and(|a| a.kind == "armed_group")
    };
    if agents.iter().any(|&ai| unidentified(ai)) {
        if let Some(&suspect) = agents
            .iter()
            .chain(others.iter())
            .find(|&&ai| suspected(tokens, actors[ai].start) && !unidentified(ai))
        {
            agents.retain(|&ai| !unidentified(ai) && ai != suspect);
            others.retain(|&ai| ai != suspect);
            agents.insert(0, suspect);
        }
    }
}

/// The places of a tree's clauses, where it happened before where people came from ("residents
/// of X protested in Y"); none named: "the town" the text named last.
fn places_of(cx: &SentenceCtx<'_>, tree: &Tree<'_>) -> Vec<EventPlace> {
    let host = tree.host();
    let mut places: Vec<EventPlace> = Vec::new();
    for &k in &tree.members {
        for &pi in &tree.clauses[k].places {
            let p = &cx.places[pi];
            if !places.iter().any(|q| q.mention == p.text) {
                places.push(EventPlace {
                    mention: p.text.clone(),
                    near: p.near.clone(),
                });
            }
        }
    }
    // (a stable sort: when every place is an origin, the order stays)
    let origins: Vec<String> = tree
        .each(|c| c.places.iter())
        .flatten()
        .map(|&pi| &cx.places[pi])
        .filter(|p| p.origin)
        .map(|p| p.text.clone())
        .collect();
    places.sort_by_key(|p| origins.contains(&p.mention));
    if places.is_empty() {
        // "the Syrian Army retook the town": the town the text named last
        let from = tree.each(|c| c.cand.start).min().unwrap_or(host.cand.start);
        let to = tree.each(|c| c.to).max().unwrap_or(host.to);
        let definite =
            (from..to.saturating_sub(1)).find(|&j| coref::names_settlement(cx.tokens, j));
        if let Some((mention, near)) = definite.and_then(|at| coref::settlement_before(cx, at)) {
            places.push(EventPlace { mention, near });
        }
    }
    places
}

/// The event's kind and ACLED sub-event type: the host's, but a protest with destructive acts
/// is a violent demonstration, forces that disperse a protest or fire tear gas at protesters
/// make a protest with intervention, a clash of fists is mob violence (ACLED's lines; the cue
/// phrases are data, `violent_protest`, `protest_intervention`, `mob_violence`).
fn kind_of(cx: &SentenceCtx<'_>, tree: &Tree<'_>, list: &[EventActor]) -> (Kind, Option<String>) {
    let lexicon = cx.lexicon;
    let lower_sentence = cx.sentence.text.to_lowercase();
    let kind = tree.host().cand.kind;
    let acled = tree.each(|c| c.cand.acled.clone()).flatten().next();
    let said = |cues: &[String]| cues.iter().any(|c| lower_sentence.contains(c.as_str()));
    let protesters_hit = list
        .iter()
        .any(|a| a.role == Role::Target && a.kind == "protesters");
    match kind {
        Kind::Protest if said(&lexicon.violent_protest) => {
            (Kind::Riot, Some("Violent demonstration".to_string()))
        }
        Kind::Protest | Kind::Attack | Kind::Bombardment | Kind::Clash
            if (kind == Kind::Protest || protesters_hit) && said(&lexicon.protest_intervention) =>
        {
            (Kind::Protest, Some("Protest with intervention".to_string()))
        }
        Kind::Clash | Kind::Attack | Kind::Protest if said(&lexicon.mob_violence) => {
            (Kind::Riot, Some("Mob violence".to_string()))
        }
        _ => (kind, acled),
    }
}

/// A protest that forces break up in the sentence or two after it, before another protest is
/// told ("… demonstrated outside the mayor's house. A police force dispersed the
/// demonstration."), is a protest with intervention, as one told in a single sentence is.
pub(super) fn intervened_after(
    lexicon: &Lexicon,
    sentences: &[crate::segment::Sentence],
    events: &mut [crate::Event],
) {
    let peaceful = |e: &crate::Event| {
        e.kind == Kind::Protest
            && e.acled_sub_event_type
                .as_deref()
                .is_none_or(|s| s == "Peaceful protest")
    };
    for i in 0..events.len() {
        if !peaceful(&events[i]) {
            continue;
        }
        let at = events[i].sentence_index;
        let next_protest = events
            .iter()
            .filter(|e| e.kind == Kind::Protest && e.sentence_index > at)
            .map(|e| e.sentence_index)
            .min()
            .unwrap_or(usize::MAX);
        let broken_up = (at + 1..=at + 2)
            .take_while(|&k| k < next_protest)
            .filter_map(|k| sentences.get(k))
            .any(|s| {
                let lower = s.text.to_lowercase();
                lexicon
                    .protest_intervention
                    .iter()
                    .any(|c| lower.contains(c.as_str()))
            });
        // or forces act on the protesters then ("Libyan police forces beat up and arrested
        // demonstrators")
        let acted_on = events.iter().any(|e| {
            (at + 1..=at + 2).contains(&e.sentence_index)
                && e.sentence_index < next_protest
                && matches!(e.kind, Kind::Arrest | Kind::Attack)
                && e.actors
                    .iter()
                    .any(|a| a.role == Role::Target && a.kind == "protesters")
        });
        if broken_up || acted_on {
            events[i].acled_sub_event_type = Some("Protest with intervention".to_string());
        }
    }
}

/// Whether the actor named at token `start` is named as a suspect: "believed to be (the) X",
/// "suspected to be X", "thought to be X", "likely X".
fn suspected(tokens: &[crate::text::Token], start: usize) -> bool {
    let w = |k: usize| tokens.get(k).map_or("", |t| t.lower.as_str());
    let at = if start >= 1 && w(start - 1) == "the" {
        start - 1
    } else {
        start
    };
    (at >= 3
        && matches!(w(at - 3), "believed" | "suspected" | "thought" | "presumed")
        && w(at - 2) == "to"
        && w(at - 1) == "be")
        || (at >= 1 && matches!(w(at - 1), "likely" | "probably" | "presumably"))
}

/// Whether the actor named at token `start` is what others operate under ("JWS, which operates
/// under OPS", "factions operating under the umbrella of the National Front").
fn under_umbrella(tokens: &[crate::text::Token], start: usize) -> bool {
    let before = &tokens[start.saturating_sub(6)..start];
    let Some(u) = before.iter().rposition(|t| t.lower == "under") else {
        return false;
    };
    // only "the umbrella of", "the banner of", "the" may stand between "under" and the name
    let between_ok = before[u + 1..].iter().all(|t| {
        matches!(
            t.lower.as_str(),
            "the" | "umbrella" | "banner" | "command" | "of"
        )
    });
    between_ok
        && u > 0
        && before[..u]
            .iter()
            .rev()
            .take(2)
            .any(|t| t.lower.starts_with("operat") || t.lower.starts_with("fight"))
}

#[cfg(test)]
mod tests {
    use super::super::tests::with_clauses;
    use super::super::{DocState, SentenceFacts};
    use crate::{Kind, When};

    /// The events `text` assembles to: (kind, actor ids with roles, places, fatalities).
    fn assembled(text: &str) -> Vec<(Kind, Vec<String>, Vec<String>, Option<u32>)> {
        with_clauses(text, true, |cx, clauses| {
            let facts = SentenceFacts {
                when: When::unknown(),
                hedged: false,
                bodies: None,
            };
            let made = super::events(cx, clauses, &facts, &mut DocState::default());
            made.into_iter()
                .map(|(_, e)| {
                    (
                        e.kind,
                        e.actors
                            .iter()
                            .map(|a| format!("{:?}:{}", a.role, a.id))
                            .collect(),
                        e.places.into_iter().map(|p| p.mention).collect(),
                        e.fatalities,
                    )
                })
                .collect()
        })
    }

    #[test]
    fn one_event_per_tree_with_roles_and_places() {
        let e = assembled("The Syrian Army captured Tal Kalakh from rebels, securing the roads, and stormed Qusayr.");
        assert_eq!(e.len(), 2);
        assert_eq!(e[0].2, ["Tal Kalakh"]);
        assert_eq!(e[1].2, ["Qusayr"]);
        // coordination carries the subject to the second event
        assert_eq!(e[1].1.first().map(String::as_str), Some("Agent:saa"));
    }

    #[test]
    fn the_deaths_of_folded_clauses_add_up() {
        let e = assembled("60 militants were killed, while Hezbollah lost 19 fighters.");
        assert_eq!(e.iter().filter_map(|e| e.3).sum::<u32>(), 79);
    }

    #[test]
    fn a_destructive_protest_is_a_riot() {
        let e = assembled(
            "Protesters demonstrated in Beirut and set fire to tyres and vandalised shops.",
        );
        assert!(e.iter().any(|e| e.0 == Kind::Riot), "{e:?}");
    }

    #[test]
    fn the_suspect_leads_an_unidentified_group() {
        let e = assembled("Unknown gunmen believed to be ISIL attacked a checkpoint in Daraa.");
        assert_eq!(e[0].1.first().map(String::as_str), Some("Agent:isil"));
    }
}
