//! Domain events of the extractor → `sitrep.v1` messages. The one place the two meet.

use sitrep_extract as x;
use sitrep_proto::v1;

pub fn kind(k: x::Kind) -> v1::EventKind {
    match k {
        x::Kind::Offensive => v1::EventKind::Offensive,
        x::Kind::Advance => v1::EventKind::Advance,
        x::Kind::Attack => v1::EventKind::Attack,
        x::Kind::Clash => v1::EventKind::Clash,
        x::Kind::Capture => v1::EventKind::Capture,
        x::Kind::Siege => v1::EventKind::Siege,
        x::Kind::Withdrawal => v1::EventKind::Withdrawal,
        x::Kind::Bombardment => v1::EventKind::Bombardment,
        x::Kind::Casualties => v1::EventKind::Casualties,
        x::Kind::End => v1::EventKind::End,
        x::Kind::Statement => v1::EventKind::Statement,
        x::Kind::Protest => v1::EventKind::Protest,
        x::Kind::Riot => v1::EventKind::Riot,
        x::Kind::Abduction => v1::EventKind::Abduction,
        x::Kind::Arrest => v1::EventKind::Arrest,
        x::Kind::Development => v1::EventKind::Development,
    }
}

fn precision(p: x::Precision) -> v1::Precision {
    match p {
        x::Precision::Day => v1::Precision::Day,
        x::Precision::Days => v1::Precision::Days,
        x::Precision::Week => v1::Precision::Week,
        x::Precision::Month => v1::Precision::Month,
        x::Precision::Season => v1::Precision::Season,
        x::Precision::Year => v1::Precision::Year,
        x::Precision::Unknown => v1::Precision::Unknown,
    }
}

fn basis(b: x::DateBasis) -> v1::DateBasis {
    match b {
        x::DateBasis::Explicit => v1::DateBasis::Explicit,
        x::DateBasis::DocumentTitle => v1::DateBasis::DocumentTitle,
        x::DateBasis::PublishedDate => v1::DateBasis::PublishedDate,
        x::DateBasis::PreviousEvent => v1::DateBasis::PreviousEvent,
        x::DateBasis::EarlierYear => v1::DateBasis::EarlierYear,
        x::DateBasis::None => v1::DateBasis::None,
    }
}

fn means(m: x::Means) -> v1::Means {
    match m {
        x::Means::Aircraft => v1::Means::Aircraft,
        x::Means::AirOrBomb => v1::Means::AirOrBomb,
        x::Means::ExplosiveDevice => v1::Means::ExplosiveDevice,
        x::Means::Explosive => v1::Means::Explosive,
        x::Means::Artillery => v1::Means::Artillery,
        x::Means::SmallArms => v1::Means::SmallArms,
        x::Means::Direct => v1::Means::Direct,
    }
}

fn role(r: x::Role) -> v1::ActorRole {
    match r {
        x::Role::Agent => v1::ActorRole::Agent,
        x::Role::Target => v1::ActorRole::Target,
        x::Role::Ally => v1::ActorRole::Ally,
    }
}

/// One extracted event as a wire event of `document_id`; places carry only their mention until
/// the gazetteer resolves them.
pub fn event(document_id: &str, n_in_sentence: u32, e: &x::Event) -> v1::Event {
    v1::Event {
        id: sitrep_proto::ids::event_id(document_id, e.sentence_index as u32, n_in_sentence),
        document_id: document_id.to_string(),
        sentence_index: e.sentence_index as u32,
        order: e.order as u32,
        sentence: e.sentence.clone(),
        span: e.span.clone(),
        kind: kind(e.kind) as i32,
        when: Some(v1::When {
            earliest: e.when.earliest.map(|d| d.to_string()).unwrap_or_default(),
            latest: e.when.latest.map(|d| d.to_string()).unwrap_or_default(),
            precision: precision(e.when.precision) as i32,
            basis: basis(e.when.basis) as i32,
            text: e.when.text.clone(),
            ambiguous: e.when.ambiguous,
            inherited: e.when.inherited,
        }),
        actors: e
            .actors
            .iter()
            .map(|a| v1::ActorRef {
                id: a.id.clone(),
                name: a.name.clone(),
                mention: a.mention.clone(),
                side: a.side.clone().unwrap_or_default(),
                role: role(a.role) as i32,
                provisional: a.provisional,
                acled_name: a.acled.clone().unwrap_or_default(),
                actor_type: a.kind.clone(),
            })
            .collect(),
        places: e
            .places
            .iter()
            .map(|p| v1::PlaceRef {
                mention: p.mention.clone(),
                near: p.near.clone().unwrap_or_default(),
                ..Default::default()
            })
            .collect(),
        citations: e.citations.clone(),
        attribution: e.attribution.as_ref().map(|a| v1::Attribution {
            source: a.source.clone(),
            verb: a.verb.clone(),
        }),
        fatalities: e.fatalities,
        fatalities_max: e.fatalities_max,
        hedged: e.hedged,
        failed: e.failed,
        negated: e.negated,
        trigger: e.trigger.clone(),
        acled_event_type: String::new(),
        acled_sub_event_type: e.acled_sub_event_type.clone().unwrap_or_default(),
        means: e.means.iter().map(|m| means(*m) as i32).collect(),
        body_found: e.body_found,
        count_adds: e.count_adds,
        also_reported_as: Vec::new(),
        same_as: String::new(),
    }
}

/// Convert every event of an extraction, numbering events within their sentence.
pub fn events(document_id: &str, extraction: &x::Extraction) -> Vec<v1::Event> {
    let mut out = Vec::with_capacity(extraction.events.len());
    let mut last_sentence = usize::MAX;
    let mut n = 0u32;
    for e in &extraction.events {
        if e.sentence_index != last_sentence {
            last_sentence = e.sentence_index;
            n = 0;
        }
        out.push(event(document_id, n, e));
        n += 1;
    }
    out
}
