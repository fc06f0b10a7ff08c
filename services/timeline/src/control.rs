//! Control of territory, derived from the events at one place: pure functions, no I/O.
//!
//! CAPTURE hands a place to the capturing side; WITHDRAWAL takes it from the withdrawing side
//! (to the other side when the event names one), and only from them: "the army captured the
//! city after the rebels withdrew", told in that order, leaves the army holding it; SIEGE,
//! ATTACK and CLASH mark it contested without changing hands; a failed or negated event changes nothing. Events on one day are taken in
//! narrative order. A change only one side's claim supports is `claimed`.

use chrono::NaiveDate;
use sitrep_proto::v1::{ActorRole, ControlInterval, Event, EventKind};

use crate::store::Days;

#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    Taken {
        controller: String,
        side: String,
        coalition: Vec<String>,
        claimed: bool,
    },
    /// The holder left (of `side`; empty when unknown); nobody named took over.
    Lost {
        side: String,
    },
    Contested,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub event_id: String,
    pub earliest: Option<NaiveDate>,
    pub latest: Option<NaiveDate>,
    pub effect: Effect,
}

fn agents(e: &Event) -> Vec<&sitrep_proto::v1::ActorRef> {
    let agents: Vec<_> = e
        .actors
        .iter()
        .filter(|a| a.role == ActorRole::Agent as i32 || a.role == ActorRole::Ally as i32)
        .collect();
    if agents.is_empty() {
        e.actors.iter().take(1).collect()
    } else {
        agents
    }
}

/// The effect of one event on control of its places.
pub fn effect(e: &Event) -> Option<Effect> {
    if e.failed || e.negated {
        return match EventKind::try_from(e.kind).ok()? {
            EventKind::Capture | EventKind::Attack | EventKind::Advance => Some(Effect::Contested),
            _ => None,
        };
    }
    match EventKind::try_from(e.kind).ok()? {
        EventKind::Capture => {
            let ag = agents(e);
            let first = ag.first()?;
            let side = if first.side.is_empty() {
                first.name.clone()
            } else {
                first.side.clone()
            };
            let coalition: Vec<String> = ag
                .iter()
                .filter(|a| a.side == first.side)
                .map(|a| a.name.clone())
                .collect();
            let claimed = e.hedged || e.attribution.as_ref().is_some_and(|a| !a.source.is_empty());
            Some(Effect::Taken {
                controller: first.name.clone(),
                side,
                coalition,
                claimed,
            })
        }
        EventKind::Withdrawal => {
            let ag = agents(e);
            let leaving = ag.first().map(|a| a.side.clone()).unwrap_or_default();
            let taker = e
                .actors
                .iter()
                .find(|a| a.role == ActorRole::Target as i32 && a.side != leaving);
            match taker {
                Some(t) => Some(Effect::Taken {
                    controller: t.name.clone(),
                    side: if t.side.is_empty() {
                        t.name.clone()
                    } else {
                        t.side.clone()
                    },
                    coalition: vec![t.name.clone()],
                    claimed: e.hedged,
                }),
                None => Some(Effect::Lost { side: leaving }),
            }
        }
        EventKind::Siege | EventKind::Attack | EventKind::Clash | EventKind::Bombardment => {
            Some(Effect::Contested)
        }
        _ => None,
    }
}

/// The control changes of a place's events, in time then narrative order.
pub fn changes(events: &[Event]) -> Vec<Change> {
    let mut sorted: Vec<(&Event, Days)> = events.iter().map(|e| (e, Days::of(e))).collect();
    sorted.sort_by(|(a, da), (b, db)| {
        da.earliest
            .cmp(&db.earliest)
            .then_with(|| a.document_id.cmp(&b.document_id))
            .then(a.order.cmp(&b.order))
    });
    sorted
        .into_iter()
        .filter_map(|(e, days)| {
            let effect = effect(e)?;
            Some(Change {
                event_id: e.id.clone(),
                earliest: days.earliest,
                latest: days.latest,
                effect,
            })
        })
        .collect()
}

/// Whether the withdrawal of `leaving` (empty: a side not known) ends the hold of `holder`:
/// another side's leaving does not.
fn ends_hold(leaving: &str, holder: &str) -> bool {
    leaving.is_empty() || leaving == holder
}

/// Who held the place on `date`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Answer {
    pub controller: String,
    pub side: String,
    pub coalition: Vec<String>,
    pub confidence: f64,
    pub claimed: bool,
    pub contested: bool,
    pub event_ids: Vec<String>,
    pub since: Option<NaiveDate>,
}

pub fn control_at(changes: &[Change], date: NaiveDate) -> Answer {
    let mut answer = Answer::default();
    let mut held: Option<&Change> = None;
    for c in changes
        .iter()
        .filter(|c| c.earliest.is_some_and(|d| d <= date))
    {
        match &c.effect {
            Effect::Taken { .. } => held = Some(c),
            Effect::Lost { side } => {
                if let Some(Effect::Taken { side: holder, .. }) = held.map(|h| &h.effect) {
                    if ends_hold(side, holder) {
                        held = None;
                    }
                }
            }
            Effect::Contested => {
                // fighting within a few days of the date
                if c.latest.is_some_and(|l| (date - l).num_days() <= 3) {
                    answer.contested = true;
                    answer.event_ids.push(c.event_id.clone());
                }
            }
        }
    }
    if let Some(c) = held {
        if let Effect::Taken {
            controller,
            side,
            coalition,
            claimed,
        } = &c.effect
        {
            answer.controller = controller.clone();
            answer.side = side.clone();
            answer.coalition = coalition.clone();
            answer.claimed = *claimed;
            answer.since = c.earliest;
            answer.event_ids.insert(0, c.event_id.clone());
            let certain = c.latest.is_some_and(|l| l <= date);
            let mut conf: f64 = if certain { 0.9 } else { 0.5 };
            if *claimed {
                conf -= 0.2;
            }
            if answer.contested {
                conf -= 0.2;
            }
            answer.confidence = conf.max(0.1);
        }
    }
    answer
}

/// Control intervals of a place, from its changes.
pub fn history(changes: &[Change]) -> Vec<ControlInterval> {
    let mut out: Vec<ControlInterval> = Vec::new();
    for c in changes {
        let day = c.earliest.map(|d| d.to_string()).unwrap_or_default();
        match &c.effect {
            Effect::Taken {
                controller,
                side,
                coalition,
                claimed,
            } => {
                if let Some(last) = out.last_mut() {
                    if last.side == *side && last.until.is_empty() {
                        last.event_ids.push(c.event_id.clone());
                        continue;
                    }
                    if last.until.is_empty() {
                        last.until = day.clone();
                    }
                }
                out.push(ControlInterval {
                    controller: controller.clone(),
                    side: side.clone(),
                    coalition: coalition.clone(),
                    since: day,
                    until: String::new(),
                    claimed: *claimed,
                    contested: false,
                    event_ids: vec![c.event_id.clone()],
                });
            }
            Effect::Lost { side } => {
                if let Some(last) = out.last_mut() {
                    if last.until.is_empty() && ends_hold(side, &last.side) {
                        last.until = day;
                        last.event_ids.push(c.event_id.clone());
                    }
                }
            }
            Effect::Contested => {
                if let Some(last) = out.last_mut() {
                    if last.until.is_empty() {
                        last.contested = true;
                        last.event_ids.push(c.event_id.clone());
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use sitrep_proto::v1::{ActorRef, When};

    fn ev(
        id: &str,
        order: u32,
        kind: EventKind,
        day: &str,
        actors: &[(&str, &str, ActorRole)],
        failed: bool,
    ) -> Event {
        Event {
            id: id.into(),
            document_id: "d".into(),
            order,
            kind: kind as i32,
            when: Some(When {
                earliest: day.into(),
                latest: day.into(),
                ..Default::default()
            }),
            actors: actors
                .iter()
                .map(|(n, s, r)| ActorRef {
                    name: (*n).into(),
                    side: (*s).into(),
                    role: *r as i32,
                    ..Default::default()
                })
                .collect(),
            failed,
            ..Default::default()
        }
    }

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn captures_hand_over_and_failed_attacks_do_not() {
        let gov = ("Army", "Government", ActorRole::Agent);
        let reb = ("Rebels", "Opposition", ActorRole::Agent);
        let events = vec![
            ev("a", 0, EventKind::Capture, "2014-03-02", &[gov], false),
            ev("b", 1, EventKind::Attack, "2014-03-04", &[reb], true),
            ev("c", 2, EventKind::Capture, "2014-03-09", &[reb], false),
        ];
        let ch = changes(&events);
        assert_eq!(control_at(&ch, d("2014-03-01")).controller, "");
        let a = control_at(&ch, d("2014-03-05"));
        assert_eq!((a.controller.as_str(), a.contested), ("Army", true));
        assert_eq!(control_at(&ch, d("2014-03-10")).side, "Opposition");
        let h = history(&ch);
        assert_eq!(h.len(), 2);
        assert_eq!(
            (h[0].since.as_str(), h[0].until.as_str()),
            ("2014-03-02", "2014-03-09")
        );
    }

    #[test]
    fn one_side_leaving_does_not_end_the_others_hold() {
        let gov = ("Army", "Government", ActorRole::Agent);
        let reb = ("Rebels", "Opposition", ActorRole::Agent);
        // "the army captured the city after the rebels withdrew", told in that order
        let events = vec![
            ev("cap", 1, EventKind::Capture, "2020-01-28", &[gov], false),
            ev("wd", 2, EventKind::Withdrawal, "2020-01-28", &[reb], false),
        ];
        let ch = changes(&events);
        assert_eq!(control_at(&ch, d("2020-02-01")).controller, "Army");
        assert_eq!(history(&ch)[0].until, "");
        // the holder's own withdrawal does end it
        let events = vec![
            ev("cap", 1, EventKind::Capture, "2020-01-28", &[gov], false),
            ev("wd", 2, EventKind::Withdrawal, "2020-02-03", &[gov], false),
        ];
        assert_eq!(
            control_at(&changes(&events), d("2020-02-05")).controller,
            ""
        );
    }

    #[test]
    fn same_day_events_follow_narrative_order() {
        let gov = ("Army", "Government", ActorRole::Agent);
        let reb = ("Rebels", "Opposition", ActorRole::Agent);
        let events = vec![
            ev("late", 5, EventKind::Capture, "2014-03-02", &[reb], false),
            ev("early", 1, EventKind::Capture, "2014-03-02", &[gov], false),
        ];
        assert_eq!(
            control_at(&changes(&events), d("2014-03-03")).controller,
            "Rebels"
        );
    }
}
