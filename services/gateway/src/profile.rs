//! An actor's record from its events: places taken and lost, allies and opponents by period,
//! counts by kind. Pure: the gateway fetches the events, this reads them.

use std::collections::BTreeMap;

use sitrep_proto::v1::{
    ActorRef, ActorRole, Event, EventKind, GetActorProfileResponse, KindCount, PlaceChange,
    Relation,
};

/// Whether `a` is the actor asked for (`query`: an id, a name or a mention, any case).
fn is(a: &ActorRef, query: &str) -> bool {
    let q = query.trim().to_lowercase();
    a.id == q || a.id == query || a.name.to_lowercase() == q || a.mention.to_lowercase() == q
}

/// Agents and their backers act; targets are acted upon.
fn acting(a: &ActorRef) -> bool {
    a.role == ActorRole::Agent as i32
        || a.role == ActorRole::Ally as i32
        || a.role == ActorRole::Unspecified as i32
}

fn day(e: &Event) -> String {
    e.when
        .as_ref()
        .map(|w| w.earliest.clone())
        .unwrap_or_default()
}

fn key(a: &ActorRef) -> String {
    if a.id.is_empty() {
        a.name.to_lowercase()
    } else {
        a.id.clone()
    }
}

fn relate(map: &mut BTreeMap<String, Relation>, a: &ActorRef, date: &str) {
    let r = map.entry(key(a)).or_insert_with(|| Relation {
        actor: key(a),
        name: a.name.clone(),
        since: date.to_string(),
        until: date.to_string(),
        events: 0,
    });
    r.events += 1;
    if !date.is_empty() {
        if r.since.is_empty() || date < r.since.as_str() {
            r.since = date.to_string();
        }
        if date > r.until.as_str() {
            r.until = date.to_string();
        }
    }
}

/// The profile of `query` from `events` (those the timeline returned for it). Failed and negated
/// events count by kind but take or lose nothing.
pub fn profile(query: &str, events: Vec<Event>) -> GetActorProfileResponse {
    let mut out = GetActorProfileResponse {
        actor: query.to_string(),
        ..Default::default()
    };
    let mut allies = BTreeMap::new();
    let mut opponents = BTreeMap::new();
    let mut kinds: BTreeMap<i32, KindCount> = BTreeMap::new();
    let mut events: Vec<Event> = events
        .into_iter()
        .filter(|e| e.actors.iter().any(|a| is(a, query)))
        .collect();
    events.sort_by(|a, b| {
        day(a)
            .cmp(&day(b))
            .then_with(|| a.document_id.cmp(&b.document_id))
            .then(a.order.cmp(&b.order))
    });
    for e in &events {
        let Some(me) = e.actors.iter().find(|a| is(a, query)) else {
            continue;
        };
        if out.name.is_empty() {
            out.actor = key(me);
            out.name = me.name.clone();
            out.side = me.side.clone();
        }
        let k = kinds.entry(e.kind).or_insert(KindCount {
            kind: e.kind,
            ..Default::default()
        });
        k.events += 1;
        k.fatalities += e.fatalities.unwrap_or(0);
        let date = day(e);
        let i_act = acting(me);
        for other in e.actors.iter().filter(|a| key(a) != key(me)) {
            // the same side, or the same part in the event, is an ally; the other part an opponent
            let same_side = !me.side.is_empty() && other.side == me.side;
            let other_side = !me.side.is_empty() && !other.side.is_empty() && other.side != me.side;
            if same_side || (!other_side && acting(other) == i_act) {
                relate(&mut allies, other, &date);
            } else {
                relate(&mut opponents, other, &date);
            }
        }
        if e.failed || e.negated {
            continue;
        }
        let counterpart = |acting_side: bool| {
            e.actors
                .iter()
                .find(|a| key(a) != key(me) && acting(a) == acting_side)
                .map(|a| a.name.clone())
                .unwrap_or_default()
        };
        let changes = |c: &str| -> Vec<PlaceChange> {
            e.places
                .iter()
                .map(|p| PlaceChange {
                    place: if p.name.is_empty() {
                        p.mention.clone()
                    } else {
                        p.name.clone()
                    },
                    place_id: p.id.clone(),
                    date: date.clone(),
                    event_id: e.id.clone(),
                    counterpart: c.to_string(),
                })
                .collect()
        };
        match (EventKind::try_from(e.kind), i_act) {
            (Ok(EventKind::Capture), true) => out.places_taken.extend(changes(&counterpart(false))),
            (Ok(EventKind::Capture), false) => out.places_lost.extend(changes(&counterpart(true))),
            (Ok(EventKind::Withdrawal), true) => {
                out.places_lost.extend(changes(&counterpart(false)))
            }
            _ => {}
        }
    }
    out.events = events;
    out.allies = allies.into_values().collect();
    out.opponents = opponents.into_values().collect();
    out.by_kind = kinds.into_values().collect();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use sitrep_proto::v1::{PlaceRef, When};

    fn actor(id: &str, side: &str, role: ActorRole) -> ActorRef {
        ActorRef {
            id: id.into(),
            name: id.replace('_', " "),
            side: side.into(),
            role: role as i32,
            ..Default::default()
        }
    }

    fn event(id: &str, kind: EventKind, date: &str, actors: Vec<ActorRef>, place: &str) -> Event {
        Event {
            id: id.into(),
            kind: kind as i32,
            when: Some(When {
                earliest: date.into(),
                latest: date.into(),
                ..Default::default()
            }),
            actors,
            places: vec![PlaceRef {
                mention: place.into(),
                name: place.into(),
                id: format!("geonames:{}", place.len()),
                ..Default::default()
            }],
            ..Default::default()
        }
    }

    #[test]
    fn captures_withdrawals_allies_and_opponents() {
        let events = vec![
            event(
                "e1",
                EventKind::Capture,
                "2015-05-05",
                vec![
                    actor("hezbollah", "government", ActorRole::Agent),
                    actor("syrian_army", "government", ActorRole::Ally),
                    actor("al_nusra", "rebels", ActorRole::Target),
                ],
                "Tallat Moussa",
            ),
            event(
                "e2",
                EventKind::Capture,
                "2015-05-20",
                vec![
                    actor("al_nusra", "rebels", ActorRole::Agent),
                    actor("hezbollah", "government", ActorRole::Target),
                ],
                "Ras al-Maara",
            ),
            event(
                "e3",
                EventKind::Withdrawal,
                "2015-06-01",
                vec![actor("hezbollah", "government", ActorRole::Agent)],
                "Flita",
            ),
            event(
                "e4",
                EventKind::Clash,
                "2015-06-02",
                vec![
                    actor("isil", "jihadists", ActorRole::Agent),
                    actor("al_nusra", "rebels", ActorRole::Target),
                ],
                "Arsal",
            ),
        ];
        let p = profile("Hezbollah", events);
        assert_eq!(
            (p.actor.as_str(), p.side.as_str(), p.events.len()),
            ("hezbollah", "government", 3)
        );
        assert_eq!(
            p.places_taken
                .iter()
                .map(|c| (c.place.as_str(), c.counterpart.as_str()))
                .collect::<Vec<_>>(),
            [("Tallat Moussa", "al nusra")]
        );
        assert_eq!(
            p.places_lost
                .iter()
                .map(|c| c.place.as_str())
                .collect::<Vec<_>>(),
            ["Ras al-Maara", "Flita"]
        );
        assert_eq!(
            p.allies
                .iter()
                .map(|r| r.actor.as_str())
                .collect::<Vec<_>>(),
            ["syrian_army"]
        );
        let nusra = p.opponents.iter().find(|r| r.actor == "al_nusra").unwrap();
        assert_eq!(
            (nusra.since.as_str(), nusra.until.as_str(), nusra.events),
            ("2015-05-05", "2015-05-20", 2)
        );
        assert_eq!(
            p.by_kind
                .iter()
                .map(|k| (k.kind, k.events))
                .collect::<Vec<_>>(),
            [
                (EventKind::Capture as i32, 2),
                (EventKind::Withdrawal as i32, 1)
            ]
        );
    }

    #[test]
    fn a_failed_capture_takes_nothing() {
        let mut e = event(
            "e1",
            EventKind::Capture,
            "2015-05-05",
            vec![
                actor("al_nusra", "rebels", ActorRole::Agent),
                actor("hezbollah", "government", ActorRole::Target),
            ],
            "Assal al-Ward",
        );
        e.failed = true;
        let p = profile("al_nusra", vec![e]);
        assert!(p.places_taken.is_empty() && p.places_lost.is_empty());
        assert_eq!(p.opponents.len(), 1);
    }
}
