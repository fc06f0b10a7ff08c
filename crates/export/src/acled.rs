//! ACLED's CSV layout (the 31 columns of ACLED's exports) and its coding conventions.

use std::collections::HashMap;

use sitrep_proto::v1::{ActorRef, ActorRole, Event, Means, PlaceRef, Precision};

use crate::{main_place, Context};

pub const COLUMNS: [&str; 31] = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
];

/// Country facts by ISO alpha-2 code (the extraction core's country table): (alpha-3, numeric,
/// name, ACLED region).
fn country(cc: &str) -> Option<(&'static str, u16, &'static str, &'static str)> {
    let n = sitrep_extract::registry::builtin_countries()
        .0
        .iter()
        .find(|n| !cc.is_empty() && n.code.eq_ignore_ascii_case(cc))?;
    Some((
        n.alpha3.as_deref().unwrap_or(""),
        n.numeric.unwrap_or(0),
        n.name.as_str(),
        n.region.as_deref().unwrap_or(""),
    ))
}

/// The country whose forces an ACLED name names ("Military Forces of Russia (2000-)" → RU).
fn forces_country(acled_name: &str) -> Option<&'static str> {
    let rest = acled_name
        .strip_prefix("Military Forces of ")
        .or_else(|| acled_name.strip_prefix("Police Forces of "))?;
    let rest = rest.strip_prefix("the ").unwrap_or(rest);
    sitrep_extract::registry::builtin_countries()
        .0
        .iter()
        .filter(|n| rest.starts_with(n.name.as_str()))
        .max_by_key(|n| n.name.len())
        .map(|n| n.code.as_str())
}

/// ACLED's name of an actor in an event placed in country `cc`: a generic actor of the
/// country table named by the place's country where ACLED does so (civilians, protesters,
/// unidentified gunmen: "Civilians (Myanmar)"), and the actor of no country ("the army" in a
/// note that names no country) named by its place, else without one.
fn acled_name_at(a: &ActorRef, cc: &str) -> String {
    let (nations, templates) = sitrep_extract::registry::builtin_countries();
    let place = nations
        .iter()
        .find(|n| !cc.is_empty() && n.code.eq_ignore_ascii_case(cc));
    let anonymous = a.acled_name.contains("{of}") || a.acled_name.contains("{name}");
    if let Some(t) = templates.iter().find(|t| t.names_id(&a.id)) {
        if anonymous || t.of_place {
            if let Some(n) = place {
                return t.acled_for(n).unwrap_or_else(|| acled_name(a));
            }
        }
        if anonymous {
            return t.acled_unplaced().unwrap_or_else(|| a.name.clone());
        }
    }
    if anonymous {
        // a user's actor of no country: its placeholders filled, or cut
        return match place {
            Some(n) => a
                .acled_name
                .replace("{of}", &n.of_name())
                .replace("{name}", &n.name),
            None => a
                .acled_name
                .split(" ({")
                .next()
                .unwrap_or("")
                .split(" of {")
                .next()
                .unwrap_or("")
                .to_string(),
        };
    }
    acled_name(a)
}

/// ACLED's event type and sub-event type for an event.
pub fn types(e: &Event) -> (&'static str, &'static str) {
    // armed forces that block a road or a convoy are not protesting (ACLED: another development)
    let blocking = e
        .trigger
        .to_lowercase()
        .split_whitespace()
        .any(|w| w.starts_with("block"));
    if crate::kind_name(e.kind) == "PROTEST"
        && blocking
        && agents(e)
            .first()
            .is_some_and(|a| ARMED.contains(&a.actor_type.as_str()))
    {
        return ("Strategic developments", "Other");
    }
    // the predicate decided the sub-event type; the event type follows from it
    if let Some(&(t, s)) = SUB_TYPES.iter().find(|(_, s)| *s == e.acled_sub_event_type) {
        // a crowd that loots, wrecks, attacks or fights is rioting: protesters in a
        // demonstration, a mob outside one ("a vigilante mob … beat and killed a man")
        if matches!(s, "Looting/property destruction" | "Attack" | "Armed clash") {
            match agents(e).first().map(|a| a.actor_type.as_str()) {
                Some("protesters") => return ("Riots", "Violent demonstration"),
                Some("rioters") => return ("Riots", "Mob violence"),
                _ => {}
            }
        }
        return (t, s);
    }
    mapped(e)
}

/// ACLED's sub-event types with their event types.
const SUB_TYPES: &[(&str, &str)] = &[
    ("Battles", "Armed clash"),
    ("Battles", "Government regains territory"),
    ("Battles", "Non-state actor overtakes territory"),
    (
        "Explosions/Remote violence",
        "Shelling/artillery/missile attack",
    ),
    ("Explosions/Remote violence", "Air/drone strike"),
    (
        "Explosions/Remote violence",
        "Remote explosive/landmine/IED",
    ),
    ("Explosions/Remote violence", "Suicide bomb"),
    ("Explosions/Remote violence", "Grenade"),
    ("Explosions/Remote violence", "Chemical weapon"),
    ("Violence against civilians", "Attack"),
    (
        "Violence against civilians",
        "Abduction/forced disappearance",
    ),
    ("Violence against civilians", "Sexual violence"),
    ("Protests", "Peaceful protest"),
    ("Protests", "Protest with intervention"),
    ("Protests", "Excessive force against protesters"),
    ("Riots", "Violent demonstration"),
    ("Riots", "Mob violence"),
    ("Strategic developments", "Agreement"),
    ("Strategic developments", "Arrests"),
    ("Strategic developments", "Change to group/activity"),
    ("Strategic developments", "Disrupted weapons use"),
    ("Strategic developments", "Headquarters or base established"),
    ("Strategic developments", "Looting/property destruction"),
    (
        "Strategic developments",
        "Non-violent transfer of territory",
    ),
    ("Strategic developments", "Other"),
];

/// Types of actors that carry arms.
const ARMED: &[&str] = &[
    "state_forces",
    "militia",
    "rebel_group",
    "jihadist_group",
    "armed_group",
];

const REMOTE: &str = "Explosions/Remote violence";
const AIR: &str = "Air/drone strike";
const IED: &str = "Remote explosive/landmine/IED";
const SHELLING: &str = "Shelling/artillery/missile attack";

/// The means that decide remote violence, whatever verb told the attack ("helicopters
/// targeted", "killed in a landmine explosion", "targeted … with an RPG"): the first named wins.
const REMOTE_BY_MEANS: &[(Means, &str)] = &[
    (Means::Aircraft, AIR),
    (Means::ExplosiveDevice, IED),
    (Means::Artillery, SHELLING),
];

fn named(e: &Event, m: Means) -> bool {
    e.means.contains(&(m as i32))
}

/// The first means of `table` the event names, as its sub-event type.
fn by_means(e: &Event, table: &[(Means, &'static str)]) -> Option<&'static str> {
    table.iter().find(|(m, _)| named(e, *m)).map(|(_, s)| *s)
}

/// The mapping from sitrep's kinds when the predicate did not decide.
fn mapped(e: &Event) -> (&'static str, &'static str) {
    let kind = crate::kind_name(e.kind);
    if matches!(kind, "ATTACK" | "BOMBARDMENT" | "CASUALTIES") {
        if let Some(sub) = by_means(e, REMOTE_BY_MEANS) {
            return (REMOTE, sub);
        }
    }
    let armed_target = e
        .actors
        .iter()
        .any(|a| a.role == ActorRole::Target as i32 && ARMED.contains(&a.actor_type.as_str()));
    if let Some(t) = crowd(e, kind).or_else(|| on_civilians(e, kind, armed_target)) {
        return t;
    }
    let state_agent = agents(e).first().is_some_and(|a| {
        a.actor_type == "state_forces" || a.actor_type == "militia" && a.side.contains("government")
    });
    let civilians_targeted = e
        .actors
        .iter()
        .any(|a| a.role == ActorRole::Target as i32 && a.actor_type == "civilians");
    match kind {
        "CAPTURE" => {
            if state_agent {
                ("Battles", "Government regains territory")
            } else {
                ("Battles", "Non-state actor overtakes territory")
            }
        }
        "BOMBARDMENT" => bombardment(e, armed_target),
        "ATTACK" | "CASUALTIES" if civilians_targeted => ("Violence against civilians", "Attack"),
        // forces moving with no one named against them and no one killed: a change of activity
        "ADVANCE"
            if !e.actors.iter().any(|a| a.role == ActorRole::Target as i32)
                && e.fatalities.unwrap_or(0) == 0 =>
        {
            ("Strategic developments", "Change to group/activity")
        }
        "ATTACK" | "CLASH" | "CASUALTIES" | "OFFENSIVE" | "SIEGE" | "ADVANCE" => {
            ("Battles", "Armed clash")
        }
        "WITHDRAWAL" => (
            "Strategic developments",
            "Non-violent transfer of territory",
        ),
        "PROTEST" => ("Protests", "Peaceful protest"),
        "RIOT" => ("Riots", "Violent demonstration"),
        "ABDUCTION" => (
            "Violence against civilians",
            "Abduction/forced disappearance",
        ),
        "ARREST" => ("Strategic developments", "Arrests"),
        "DEVELOPMENT" => ("Strategic developments", "Other"),
        "END" => ("Strategic developments", "Agreement"),
        _ => ("Strategic developments", "Other"),
    }
}

/// A crowd that storms or attacks is rioting, not fighting; a party's supporters or a mob who
/// attack are mob violence (no demonstration).
fn crowd(e: &Event, kind: &str) -> Option<(&'static str, &'static str)> {
    let agent = agents(e).first().map(|a| a.actor_type.as_str());
    if agent == Some("protesters") && matches!(kind, "ATTACK" | "CLASH" | "CAPTURE" | "DEVELOPMENT")
    {
        return Some(("Riots", "Violent demonstration"));
    }
    if agent == Some("rioters")
        && matches!(
            kind,
            "ATTACK" | "CLASH" | "CAPTURE" | "DEVELOPMENT" | "BOMBARDMENT"
        )
    {
        return Some(("Riots", "Mob violence"));
    }
    None
}

/// Violence against civilians: an attack by direct force on people who carry no arms, or bodies
/// found (someone was killed who was not fighting: ACLED's attack).
fn on_civilians(e: &Event, kind: &str, armed_target: bool) -> Option<(&'static str, &'static str)> {
    // ("suspected Misseriya militia killed one person": a killing by someone named is an attack)
    let killed_by = kind == "CASUALTIES" && !agents(e).is_empty();
    let direct = (kind == "ATTACK" || killed_by) && named(e, Means::Direct);
    let bodies = matches!(kind, "ATTACK" | "CASUALTIES" | "CLASH") && e.body_found;
    ((direct || bodies) && !armed_target).then_some(("Violence against civilians", "Attack"))
}

/// A bombardment by what it was done with, when no means that decides remote violence was named:
/// the wide readings (any word of the air, a bomb; explosives, mines), small arms between them
/// (a bombardment by gunfire is no remote violence), shelling when none is named.
fn bombardment(e: &Event, armed_target: bool) -> (&'static str, &'static str) {
    if named(e, Means::AirOrBomb) {
        return (REMOTE, AIR);
    }
    // "unknown gunmen fired at an army patrol": small arms, no shell named
    if named(e, Means::SmallArms) {
        return if armed_target {
            ("Battles", "Armed clash")
        } else {
            ("Violence against civilians", "Attack")
        };
    }
    if named(e, Means::Explosive) {
        return (REMOTE, IED);
    }
    (REMOTE, SHELLING)
}

fn disorder(event_type: &str) -> &'static str {
    match event_type {
        "Protests" | "Riots" => "Demonstrations",
        "Strategic developments" => "Strategic developments",
        _ => "Political violence",
    }
}

fn agents(e: &Event) -> Vec<&ActorRef> {
    let a: Vec<&ActorRef> = e
        .actors
        .iter()
        .filter(|a| a.role == ActorRole::Agent as i32 || a.role == ActorRole::Ally as i32)
        .collect();
    if a.is_empty() {
        e.actors
            .iter()
            .filter(|a| a.role != ActorRole::Target as i32)
            .collect()
    } else {
        a
    }
}

fn acled_name(a: &ActorRef) -> String {
    if a.acled_name.is_empty() {
        a.name.clone()
    } else {
        a.acled_name.clone()
    }
}

/// ACLED's inter code of an actor in an event located in `cc`.
fn inter(a: &ActorRef, cc: &str, actor_country: Option<&str>) -> u8 {
    match a.actor_type.as_str() {
        "state_forces" if actor_country.is_some_and(|c| !cc.is_empty() && c != cc) => 8,
        "state_forces" => 1,
        "rebel_group" | "jihadist_group" => 2,
        "militia" => 3,
        "protesters" => 6,
        "rioters" => 5,
        "civilians" => 7,
        "armed_group" => 3,
        // peacekeepers and other outside forces
        "external_force" => 8,
        _ => 0,
    }
}

/// 1: the day is known; 2: a few days or a week; 3: a month or longer.
pub fn time_precision(e: &Event) -> u8 {
    let Some(w) = &e.when else { return 3 };
    if !w.earliest.is_empty() && w.earliest == w.latest {
        return 1;
    }
    match Precision::try_from(w.precision).unwrap_or(Precision::Unspecified) {
        Precision::Day | Precision::Days | Precision::Week => 2,
        _ => 3,
    }
}

/// 1: a town or a precise feature; 2: near a known place (estimated); 3: a region or unknown.
/// The gazetteer's own precision of the resolution when it gave one.
pub fn geo_precision(e: &Event) -> u8 {
    match main_place(e) {
        None => 3,
        Some(p) if (1..=3).contains(&p.geo_precision) => p.geo_precision as u8,
        Some(p) if p.provisional => 2,
        Some(p) => match p.feature_code.as_str() {
            "PCLI" | "PCLD" | "ADM1" | "RGN" | "MTS" | "DSRT" | "PLAT" | "VAL" | "AREA"
            | "UPLD" => 3,
            _ => 1,
        },
    }
}

/// The place whose coordinates locate the event: a country's point (its capital, or its middle)
/// says nothing of where in it the event was, so an event known only to its country has none;
/// nor does a place the gazetteer lacks, whose point is an estimate from its context (the seat of
/// the division the text puts it in may lie 100 km from it): ACLED's row is where the event was,
/// or blank.
fn located(place: Option<&PlaceRef>) -> Option<&PlaceRef> {
    place.filter(|p| {
        !p.provisional
            && !matches!(
                p.feature_code.as_str(),
                "PCLI" | "PCLD" | "PCLS" | "PCLF" | "PCLIX" | "PCL"
            )
    })
}

/// One ACLED row per event.
pub fn row(e: &Event, ctx: &Context) -> Vec<String> {
    let place = main_place(e);
    // the event's country, known even where its point is not (a village the gazetteer lacks,
    // placed in its country; a province that locates nothing finer)
    let cc = place
        .or_else(|| e.places.iter().find(|p| !p.country_code.is_empty()))
        .map(|p| p.country_code.clone())
        .unwrap_or_default();
    let facts = country(&cc);
    let (event_type, sub_event_type) = types(e);
    let (ag, targets) = parties(e, event_type);
    // foreign state forces: the ACLED name says whose ("Military Forces of Russia")
    let inter_of = |a: &&ActorRef| inter(a, &cc, forces_country(&acled_name_at(a, &cc)));
    let i1 = match event_type {
        "Protests" => 6,
        "Riots" => 5,
        _ => ag.first().map_or(0, inter_of),
    };
    let i2 = targets.first().map_or(0, inter_of);
    let interaction = match (i1, i2) {
        (0, 0) => String::new(),
        (a, 0) | (0, a) => format!("{a}0"),
        (a, b) => format!("{}{}", a.min(b), a.max(b)),
    };
    let hierarchy = place
        .and_then(|p| ctx.hierarchy.get(&p.id))
        .cloned()
        .unwrap_or_default();
    let (title, url) = ctx
        .documents
        .get(&e.document_id)
        .cloned()
        .unwrap_or_default();
    let named = |a: &&ActorRef| acled_name_at(a, &cc);
    let first = FirstActor {
        actor1: ag.first().map(named).unwrap_or_default(),
        assoc1: ag.iter().skip(1).map(named).collect(),
        inter1: i1,
    }
    .coded(e, event_type, facts);
    let date = e
        .when
        .as_ref()
        .map(|w| w.earliest.clone())
        .unwrap_or_default();
    let id_number =
        e.id.bytes()
            .fold(0u32, |h, b| h.wrapping_mul(31).wrapping_add(b as u32))
            % 10_000_000;
    let code = |i: u8| if i == 0 { String::new() } else { i.to_string() };
    let coordinate = |v: Option<f64>| v.map(|v| format!("{v:.4}")).unwrap_or_default();
    vec![
        format!("{}{}", facts.map_or("XXX", |f| f.0), id_number),
        date.clone(),
        date.get(..4).unwrap_or("").to_string(),
        time_precision(e).to_string(),
        disorder(event_type).to_string(),
        event_type.to_string(),
        sub_event_type.to_string(),
        first.actor1,
        first.assoc1.join("; "),
        code(first.inter1),
        targets.first().map(named).unwrap_or_default(),
        targets
            .iter()
            .skip(1)
            .map(named)
            .collect::<Vec<_>>()
            .join("; "),
        code(i2),
        interaction,
        if targets.iter().any(|a| a.actor_type == "civilians") {
            "Civilian targeting".into()
        } else {
            String::new()
        },
        facts.map(|f| f.1.to_string()).unwrap_or_default(),
        facts.map(|f| f.3.to_string()).unwrap_or_default(),
        facts
            .map(|f| f.2.to_string())
            .or_else(|| hierarchy.first().cloned())
            .unwrap_or_default(),
        admin_level(place, &hierarchy, 1),
        admin_level(place, &hierarchy, 2),
        String::new(),
        place
            .map(|p| {
                if p.name.is_empty() {
                    p.mention.clone()
                } else {
                    p.name.clone()
                }
            })
            .unwrap_or_default(),
        coordinate(located(place).and_then(|p| p.lat)),
        coordinate(located(place).and_then(|p| p.lon)),
        geo_precision(e).to_string(),
        if url.is_empty() { title } else { url },
        String::new(),
        e.sentence.clone(),
        e.fatalities.unwrap_or(0).to_string(),
        String::new(),
        String::new(),
    ]
}

/// The event's two sides as ACLED codes them: who acted (actor 1 and its associates) and whom
/// it was against (actor 2 and its associates).
fn parties<'e>(e: &'e Event, event_type: &str) -> (Vec<&'e ActorRef>, Vec<&'e ActorRef>) {
    let mut ag = agents(e);
    // ACLED's civilians only suffer violence: "a man shot his brother" was done by someone ACLED
    // leaves unidentified (below), the man is no party of it
    if disorder(event_type) == "Political violence" {
        ag.retain(|a| a.actor_type != "civilians");
    }
    let mut targets: Vec<&ActorRef> = e
        .actors
        .iter()
        .filter(|a| a.role == ActorRole::Target as i32)
        .collect();
    // "regime forces and QSD exchanged fire": in a battle with no one named against its subjects,
    // the second subject, if not of the first's side, is the other party
    if event_type == "Battles"
        && targets.is_empty()
        && ag.len() >= 2
        && (ag[0].side.is_empty() || ag[0].side != ag[1].side)
    {
        targets.push(ag.remove(1));
    }
    // "clashes took place between A and B": no subject, the first party acts; but whoever an
    // explosion or an attack on civilians struck did not do it (ACLED: the unidentified armed
    // group acts, below)
    if ag.is_empty()
        && !targets.is_empty()
        && !matches!(
            event_type,
            "Violence against civilians" | "Explosions/Remote violence" | "Riots"
        )
    {
        ag.push(targets.remove(0));
    }
    // forces that stepped in on a protest are its other party, not its organisers
    if event_type == "Protests" && ag.first().is_some_and(|a| a.actor_type == "state_forces") {
        targets.retain(|a| a.actor_type != "protesters");
        targets.insert(0, ag.remove(0));
    }
    (ag, targets)
}

/// Actor 1's columns: its ACLED name, its associates', its inter code.
struct FirstActor {
    actor1: String,
    assoc1: Vec<String>,
    inter1: u8,
}

impl FirstActor {
    /// As ACLED codes them: protests and riots name the crowd first, the organisers after it;
    /// violence no one is named for is the country's unidentified armed group's.
    fn coded(
        mut self,
        e: &Event,
        event_type: &str,
        facts: Option<(&'static str, u16, &'static str, &'static str)>,
    ) -> FirstActor {
        let crowd = match event_type {
            "Protests" => Some("Protesters"),
            "Riots" => Some("Rioters"),
            _ => None,
        };
        if let Some(crowd) = crowd {
            // the crowd of the event's country: from its place, else from an actor named for it,
            // else a crowd of no known country (its organisers are still not the crowd)
            let named = facts
                .map(|f| format!("{crowd} ({})", f.2))
                .or_else(|| {
                    e.actors
                        .iter()
                        .map(|a| a.acled_name.as_str())
                        .find(|n| n.starts_with("Protesters (") || n.starts_with("Rioters ("))
                        .map(|n| format!("{crowd} ({}", n.split_once('(').map_or("", |x| x.1)))
                })
                .or_else(|| Some(crowd.to_string()));
            if let Some(named) = named.filter(|_| !self.actor1.starts_with(crowd)) {
                if !self.actor1.is_empty() && !self.actor1.starts_with("Protesters") {
                    self.assoc1.insert(0, self.actor1.clone());
                }
                self.actor1 = named;
                self.inter1 = if crowd == "Protesters" { 6 } else { 5 };
            }
        }
        if self.actor1.is_empty()
            && matches!(
                event_type,
                "Violence against civilians" | "Battles" | "Explosions/Remote violence"
            )
        {
            if let Some(f) = facts {
                self.actor1 = format!("Unidentified Armed Group ({})", f.2);
            }
        }
        self
    }
}

/// ACLED codes one event where a narrative tells two: a count of the dead in a sentence of its
/// own, with no place or date of its own and naming only the event's own parties ("… clashed in
/// Kabani. Three regime soldiers were killed."), is the fatalities of the event just before it;
/// the same act told again in the next sentence, with no place, date or party of its own, is it.
/// Returns the events to write: the count folded into its event (the larger figure kept, as a
/// note restates its total), that count's own event left out.
pub fn fold_counts(events: &[Event]) -> Vec<Event> {
    let mut out: Vec<Event> = Vec::with_capacity(events.len());
    for e in events {
        let told_apart = e.places.is_empty() && e.when.as_ref().is_none_or(|w| w.inherited);
        let own_count = crate::kind_name(e.kind) == "CASUALTIES"
            && e.actors.iter().all(|a| a.role == ActorRole::Target as i32);
        let before = out.iter().rposition(|h| {
            h.document_id == e.document_id
                && h.order + 1 == e.order
                && h.sentence_index < e.sentence_index
        });
        // the dead are the fighting's, not an abduction's or an arrest's told beside it
        // ("… clashed with armed individuals who were abducting commuters. 6 armed men were
        // killed")
        let seizing = |h: &Event| matches!(crate::kind_name(h.kind), "ABDUCTION" | "ARREST");
        let before = before.map(|b| {
            if !(own_count && seizing(&out[b])) {
                return b;
            }
            let sentence = out[b].sentence_index;
            out.iter()
                .rposition(|h| {
                    h.document_id == e.document_id
                        && h.sentence_index == sentence
                        && (matches!(types(h).0, "Battles" | "Explosions/Remote violence")
                            || types(h) == ("Violence against civilians", "Attack"))
                })
                .unwrap_or(b)
        });
        let host = before.map(|b| &mut out[b]);
        // … and so is the same act told again ("… planted an explosive device under a car in
        // Daraa. The device exploded, wounding the officer.")
        let again =
            |h: &Event| h.kind == e.kind && h.acled_sub_event_type == e.acled_sub_event_type;
        // "… the army carried out artillery strikes (…). 28 'terrorists' (JNIM) were killed":
        // the dead of a count may be whom the event told no target of was against
        let its_target = |h: &Event| {
            own_count
                && !e.actors.is_empty()
                && !h.actors.iter().any(|b| b.role == ActorRole::Target as i32)
        };
        match host.filter(|h| {
            told_apart
                && (own_count || again(h))
                && (e
                    .actors
                    .iter()
                    .all(|a| h.actors.iter().any(|b| b.id == a.id))
                    || its_target(h))
        }) {
            // "… killing 4 soldiers. 4 IS members were also killed.": more dead; without such a
            // word the count restates the event's ("… Three soldiers were killed.")
            Some(h) => {
                if its_target(h) {
                    let new: Vec<_> = e
                        .actors
                        .iter()
                        .filter(|a| !h.actors.iter().any(|b| b.id == a.id))
                        .cloned()
                        .collect();
                    h.actors.extend(new);
                }
                h.fatalities = match (h.fatalities, e.fatalities) {
                    (Some(a), Some(b)) if e.count_adds && own_count => Some(a + b),
                    (a, b) => a.max(b),
                };
            }
            None => out.push(e.clone()),
        }
    }
    out
}

/// ACLED codes what accompanies an act of violence or a demonstration as part of it: the
/// arrests, looting, burning of houses or claims told with an attack — in its sentence or the two
/// after it, at its place (or at none of their own), on its day — are no strategic development of
/// their own ("… opened fire and arrested a young man", "… Al Shabaab claimed responsibility").
/// Returns the events to write, those developments left out; an act told at no place takes the
/// place of what it accompanied.
pub fn fold_accompanying(mut events: Vec<Event>) -> Vec<Event> {
    const ACTS: &[&str] = &[
        "Battles",
        "Violence against civilians",
        "Explosions/Remote violence",
        "Riots",
        "Protests",
    ];
    let place = |e: &Event| e.places.first().map(|p| p.id.clone());
    let day = |e: &Event| {
        e.when
            .as_ref()
            .map(|w| (w.earliest.clone(), w.latest.clone()))
    };
    let accompanies = |d: &Event, h: &Event| {
        h.document_id == d.document_id
            && (h.sentence_index..=h.sentence_index + 2).contains(&d.sentence_index)
            && ACTS.contains(&types(h).0)
            && (d.places.is_empty() || h.places.is_empty() || place(d) == place(h))
            && (d.when.as_ref().is_none_or(|w| w.inherited) || day(d) == day(h))
    };
    let mut drop = vec![false; events.len()];
    for i in 0..events.len() {
        if types(&events[i]).0 != "Strategic developments" {
            continue;
        }
        let host =
            (0..events.len()).find(|&j| j != i && !drop[j] && accompanies(&events[i], &events[j]));
        if let Some(j) = host {
            drop[i] = true;
            if events[j].places.is_empty() {
                events[j].places = std::mem::take(&mut events[i].places);
            }
        }
    }
    events
        .into_iter()
        .zip(drop)
        .filter_map(|(e, d)| (!d).then_some(e))
        .collect()
}

/// ACLED codes one event per act at a place on a day: two clauses of one sentence telling the
/// same kind of act by the same actors on the same day ("youths set three vehicles on fire and
/// blocked the old Lagos-Abeokuta highway while demonstrating in Itori") are one event when their
/// places do not say two places (the same place, none, or a road or a building beside a town).
/// Returns the events, each such clause folded into the first, its places and parties added.
pub fn fold_same_act(events: Vec<Event>) -> Vec<Event> {
    let words = sitrep_extract::places::words();
    // a road or a building lies beside a town; a division is a place of its own
    let settlement = |p: &PlaceRef| {
        let head = p.mention.rsplit(' ').next().unwrap_or("").to_lowercase();
        !words.not_settlements.contains(&head.as_str())
            || words.division_words.contains(&head.as_str())
            || words.first_units.contains(&head.as_str())
    };
    let agents_of = |e: &Event| -> Vec<String> {
        let mut v: Vec<String> = agents(e).iter().map(|a| a.id.clone()).collect();
        v.sort();
        v
    };
    let day = |e: &Event| {
        e.when
            .as_ref()
            .map(|w| (w.earliest.clone(), w.latest.clone()))
    };
    let mut out: Vec<Event> = Vec::with_capacity(events.len());
    for e in events {
        let host = out.iter_mut().find(|h| {
            h.document_id == e.document_id
                && h.sentence_index == e.sentence_index
                && !agents_of(h).is_empty()
                && ((types(h) == types(&e) || turns_violent(h, &e) || turns_violent(&e, h))
                    && agents_of(h) == agents_of(&e)
                    || hurt_in(h, &e) && agents_of(&e).iter().all(|a| agents_of(h).contains(a)))
                && (day(h) == day(&e) || e.when.as_ref().is_none_or(|w| w.inherited))
                && {
                    let towns = |x: &Event| -> Vec<String> {
                        x.places
                            .iter()
                            .filter(|p| settlement(p))
                            .map(|p| p.id.clone())
                            .collect()
                    };
                    let (a, b) = (towns(h), towns(&e));
                    a.is_empty() || b.is_empty() || a == b
                }
        });
        match host {
            Some(h) => {
                // a demonstration with violence in it is a violent one (ACLED's riot)
                let violent = turns_violent(h, &e) || turns_violent(&e, h);
                let e = if turns_violent(h, &e) {
                    std::mem::replace(h, e)
                } else {
                    e
                };
                if violent {
                    h.kind = sitrep_proto::v1::EventKind::Riot as i32;
                    h.acled_sub_event_type = "Violent demonstration".into();
                }
                for p in e.places {
                    if !h.places.iter().any(|q| q.id == p.id) {
                        h.places.push(p);
                    }
                }
                for a in e.actors {
                    if !h.actors.iter().any(|b| b.id == a.id) {
                        h.actors.push(a);
                    }
                }
                h.fatalities = match (h.fatalities, e.fatalities) {
                    (Some(x), Some(y)) => Some(x.max(y)),
                    (x, y) => x.or(y),
                };
            }
            None => out.push(e),
        }
    }
    out
}

/// `count` tells of people killed or wounded by those who did `act` in its sentence ("Zamfara
/// militiamen attacked civilians and wounded seven persons"): the act's casualties.
fn hurt_in(act: &Event, count: &Event) -> bool {
    crate::kind_name(count.kind) == "CASUALTIES"
        && crate::kind_name(act.kind) != "CASUALTIES"
        && matches!(
            types(act).0,
            "Battles" | "Violence against civilians" | "Explosions/Remote violence" | "Riots"
        )
}

/// `protest` is a demonstration and `riot` violence by a crowd: told of the same people in one
/// sentence ("set three vehicles on fire … while demonstrating"), one violent demonstration.
fn turns_violent(protest: &Event, riot: &Event) -> bool {
    types(protest).0 == "Protests" && types(riot).0 == "Riots"
}

/// Every ACLED event has a location and a day: an act the text tells at no place of its own
/// ("The assailants shot and killed three policemen at a checkpoint") happened where the text
/// last put its events — the places of the document's nearest earlier event, else of the nearest
/// later one — and one told with no date of its own on the day of the nearest earlier event that
/// has one (the extractor widens such an interval for a narrative: "28 'terrorists' were
/// killed" after "Around 19 January 2022, the army carried out strikes" spans January; ACLED
/// codes the note's day). Returns the events, those without either given them.
pub fn inherit_context(mut events: Vec<Event>) -> Vec<Event> {
    for i in 0..events.len() {
        let doc = events[i].document_id.clone();
        let ours = |e: &Event| e.document_id == doc;
        let own_date = |e: &Event| e.when.as_ref().is_some_and(|w| !w.inherited);
        if events[i].places.is_empty() {
            let from = (0..i)
                .rev()
                .chain(i + 1..events.len())
                .find(|&j| ours(&events[j]) && !events[j].places.is_empty());
            if let Some(j) = from {
                events[i].places = events[j].places.clone();
            }
        }
        if !own_date(&events[i]) {
            let earlier = (0..i)
                .rev()
                .find(|&j| ours(&events[j]) && own_date(&events[j]));
            if let Some(j) = earlier {
                events[i].when = events[j].when.clone();
            }
        }
    }
    events
}

/// The CSV: header, then one row per event (counts of the dead told apart folded,
/// [`fold_counts`]; what accompanies an act left in it, [`fold_accompanying`]; two clauses of
/// one act one event, [`fold_same_act`]; an event at no place or day of its own where and when
/// the text last put one, [`inherit_context`]).
pub fn csv(events: &[Event], ctx: &Context) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(COLUMNS);
    // the folds read a document as told (a count after its act): in narrative order, then the
    // rows in the order the events came (by time, from a timeline query)
    let came: HashMap<&str, usize> = events
        .iter()
        .enumerate()
        .map(|(i, e)| (e.id.as_str(), i))
        .collect();
    let mut told = events.to_vec();
    told.sort_by(|a, b| (&a.document_id, a.order).cmp(&(&b.document_id, b.order)));
    let mut rows = inherit_context(fold_same_act(fold_accompanying(fold_counts(&told))));
    rows.sort_by_key(|e| came.get(e.id.as_str()).copied().unwrap_or(usize::MAX));
    for e in rows {
        let _ = w.write_record(row(&e, ctx));
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// The name of the event's first- or second-level division (`level` 1 or 2): from the place's
/// hierarchy, or the place itself when it is that division (an event known only to its
/// governorate is in that governorate); "Idlib Governorate" and "Mohafazat Béqaa" are written as
/// ACLED writes them, without the word for a governorate.
fn admin_level(
    place: Option<&sitrep_proto::v1::PlaceRef>,
    hierarchy: &[String],
    level: usize,
) -> String {
    let own = place
        .filter(|p| p.feature_code == format!("ADM{level}"))
        .map(|p| p.name.clone());
    let name = own
        .or_else(|| hierarchy.get(level).cloned())
        .unwrap_or_default();
    let name = name.strip_suffix(" Governorate").unwrap_or(&name);
    name.strip_prefix("Mohafazat ").unwrap_or(name).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use sitrep_extract::Lexicon;
    use sitrep_proto::v1::{EventKind, When};

    fn event(
        kind: EventKind,
        trigger: &str,
        actors: &[(&str, &str, ActorRole)],
        sub: &str,
    ) -> Event {
        Event {
            id: "d:0:0".into(),
            kind: kind as i32,
            trigger: trigger.into(),
            when: Some(When {
                earliest: "2022-01-02".into(),
                latest: "2022-01-02".into(),
                precision: Precision::Day as i32,
                ..Default::default()
            }),
            actors: actors
                .iter()
                .map(|(n, t, r)| ActorRef {
                    name: (*n).into(),
                    acled_name: (*n).into(),
                    actor_type: (*t).into(),
                    role: *r as i32,
                    ..Default::default()
                })
                .collect(),
            acled_sub_event_type: sub.into(),
            // what the coder reads in a trigger, as it would
            means: sitrep_extract::events::means::of(&Lexicon::builtin(), trigger, "")
                .into_iter()
                .map(proto_means)
                .collect(),
            ..Default::default()
        }
    }

    fn proto_means(m: sitrep_extract::Means) -> i32 {
        use sitrep_extract::Means as X;
        (match m {
            X::Aircraft => Means::Aircraft,
            X::AirOrBomb => Means::AirOrBomb,
            X::ExplosiveDevice => Means::ExplosiveDevice,
            X::Explosive => Means::Explosive,
            X::Artillery => Means::Artillery,
            X::SmallArms => Means::SmallArms,
            X::Direct => Means::Direct,
        }) as i32
    }

    #[test]
    fn kinds_and_predicates_map_to_the_codebook() {
        let army = (
            "Military Forces of Syria (2000-)",
            "state_forces",
            ActorRole::Agent,
        );
        let rebels = ("Opposition Rebels (Syria)", "rebel_group", ActorRole::Agent);
        let civilians = ("Civilians (Syria)", "civilians", ActorRole::Target);
        assert_eq!(
            types(&event(EventKind::Capture, "captured", &[army], "")),
            ("Battles", "Government regains territory")
        );
        assert_eq!(
            types(&event(EventKind::Capture, "captured", &[rebels], "")),
            ("Battles", "Non-state actor overtakes territory")
        );
        assert_eq!(
            types(&event(
                EventKind::Bombardment,
                "conducted airstrikes",
                &[army],
                "Air/drone strike"
            )),
            ("Explosions/Remote violence", "Air/drone strike")
        );
        assert_eq!(
            types(&event(
                EventKind::Attack,
                "helicopters targeted",
                &[army],
                ""
            )),
            ("Explosions/Remote violence", "Air/drone strike")
        );
        assert_eq!(
            types(&event(EventKind::Attack, "shot", &[rebels, civilians], "")),
            ("Violence against civilians", "Attack")
        );
        assert_eq!(
            types(&event(EventKind::Protest, "protested", &[], "")),
            ("Protests", "Peaceful protest")
        );
        // a cue is never the middle of a word: "unidentified" holds no IED
        let gunmen = (
            "Unidentified Armed Group (Syria)",
            "armed_group",
            ActorRole::Agent,
        );
        let soldiers = (
            "Military Forces of Syria (2000-)",
            "state_forces",
            ActorRole::Target,
        );
        assert_eq!(
            types(&event(
                EventKind::Attack,
                "unidentified gunmen opened fire",
                &[gunmen, soldiers],
                ""
            )),
            ("Battles", "Armed clash")
        );
        assert_eq!(
            types(&event(
                EventKind::Attack,
                "an IED detonated",
                &[gunmen, soldiers],
                ""
            )),
            (
                "Explosions/Remote violence",
                "Remote explosive/landmine/IED"
            )
        );
        assert_eq!(
            types(&event(EventKind::Arrest, "arrested", &[army], "Arrests")),
            ("Strategic developments", "Arrests")
        );
    }

    #[test]
    fn rows_follow_the_conventions() {
        let mut e = event(
            EventKind::Bombardment,
            "shelled",
            &[
                (
                    "Military Forces of Russia (2000-)",
                    "state_forces",
                    ActorRole::Agent,
                ),
                ("Civilians (Syria)", "civilians", ActorRole::Target),
            ],
            "",
        );
        e.places.push(sitrep_proto::v1::PlaceRef {
            id: "geonames:1".into(),
            name: "Sarmin".into(),
            lat: Some(35.9),
            lon: Some(36.72),
            country_code: "SY".into(),
            feature_code: "PPL".into(),
            ..Default::default()
        });
        e.fatalities = Some(4);
        let row = row(&e, &Context::default());
        let col = |name: &str| row[COLUMNS.iter().position(|c| *c == name).unwrap()].clone();
        assert!(col("event_id_cnty").starts_with("SYR"));
        assert_eq!(
            (col("time_precision"), col("geo_precision")),
            ("1".into(), "1".into())
        );
        assert_eq!(
            (col("inter1"), col("inter2"), col("interaction")),
            ("8".into(), "7".into(), "78".into())
        );
        assert_eq!(
            (col("iso"), col("country"), col("location"), col("latitude")),
            (
                "760".into(),
                "Syria".into(),
                "Sarmin".into(),
                "35.9000".into()
            )
        );
        assert_eq!(
            (col("civilian_targeting"), col("fatalities")),
            ("Civilian targeting".into(), "4".into())
        );
    }

    #[test]
    fn generic_actors_are_named_by_the_country_of_their_place() {
        let place = |cc: &str| sitrep_proto::v1::PlaceRef {
            id: "geonames:9".into(),
            name: "X".into(),
            lat: Some(20.0),
            lon: Some(95.0),
            country_code: cc.into(),
            feature_code: "PPL".into(),
            ..Default::default()
        };
        let actor = |id: &str, acled: &str, t: &str, role: ActorRole| ActorRef {
            id: id.into(),
            name: id.into(),
            acled_name: acled.into(),
            actor_type: t.into(),
            role: role as i32,
            ..Default::default()
        };
        let cols = |e: &Event| {
            let r = row(e, &Context::default());
            let col = |name: &str| r[COLUMNS.iter().position(|c| *c == name).unwrap()].clone();
            (col("actor1"), col("actor2"), col("country"), col("inter1"))
        };
        // "the army" in a note that names no country: the army of where it happened
        let mut e = event(EventKind::Arrest, "arrested", &[], "Arrests");
        e.actors = vec![
            actor(
                "military",
                "Military Forces of {of}",
                "state_forces",
                ActorRole::Agent,
            ),
            actor(
                "civilians",
                "Civilians ({name})",
                "civilians",
                ActorRole::Target,
            ),
        ];
        e.places.push(place("MM"));
        assert_eq!(
            cols(&e),
            (
                "Military Forces of Myanmar".into(),
                "Civilians (Myanmar)".into(),
                "Myanmar".into(),
                "1".into()
            )
        );
        // a village the gazetteer lacks, known to be in Myanmar, still says whose
        e.places[0].lat = None;
        e.places[0].lon = None;
        e.places[0].provisional = true;
        assert_eq!(cols(&e).1, "Civilians (Myanmar)");
        // its estimated point (the seat of its township) is no location of the row
        e.places[0].lat = Some(20.0);
        e.places[0].lon = Some(95.0);
        let r = row(&e, &Context::default());
        let col = |name: &str| r[COLUMNS.iter().position(|c| *c == name).unwrap()].clone();
        assert_eq!(
            (col("latitude"), col("longitude")),
            (String::new(), String::new())
        );
        e.places[0] = place("MM");
        // ACLED's civilians are those of the event's country, whoever else the text names
        e.actors = vec![
            actor(
                "russia",
                "Military Forces of Russia (2000-)",
                "state_forces",
                ActorRole::Agent,
            ),
            actor(
                "civilians_ru",
                "Civilians (Russia)",
                "civilians",
                ActorRole::Target,
            ),
        ];
        e.places[0] = place("UA");
        let (a1, a2, country, inter1) = cols(&e);
        assert_eq!(
            (a1.as_str(), a2.as_str(), country.as_str(), inter1.as_str()),
            (
                "Military Forces of Russia (2000-)",
                "Civilians (Ukraine)",
                "Ukraine",
                "8"
            )
        );
        // with no place, the actor of no country keeps no placeholder
        e.actors = vec![actor(
            "military",
            "Military Forces of {of}",
            "state_forces",
            ActorRole::Agent,
        )];
        e.places.clear();
        assert_eq!(cols(&e).0, "Military Forces");
        // a country's name with its article
        e.actors = vec![actor(
            "military",
            "Military Forces of {of}",
            "state_forces",
            ActorRole::Agent,
        )];
        e.places.push(place("CD"));
        assert_eq!(
            cols(&e).0,
            "Military Forces of the Democratic Republic of Congo"
        );
    }

    #[test]
    fn admin_columns_come_from_the_hierarchy_or_the_division_itself() {
        let gunmen = (
            "Unidentified Armed Group (Syria)",
            "armed_group",
            ActorRole::Agent,
        );
        let at = |id: &str, name: &str, code: &str| sitrep_proto::v1::PlaceRef {
            id: id.into(),
            name: name.into(),
            lat: Some(35.9),
            lon: Some(39.0),
            country_code: "SY".into(),
            feature_code: code.into(),
            ..Default::default()
        };
        let cols = |e: &Event, ctx: &Context| {
            let r = row(e, ctx);
            let col = |name: &str| r[COLUMNS.iter().position(|c| *c == name).unwrap()].clone();
            (col("admin1"), col("admin2"), col("location"))
        };
        // an event known only to its governorate is in that governorate
        let mut e = event(EventKind::Attack, "shelled a village", &[gunmen], "");
        e.places
            .push(at("sitrep:raqqa", "Ar-Raqqah Governorate", "ADM1"));
        assert_eq!(
            cols(&e, &Context::default()),
            (
                "Ar-Raqqah".into(),
                String::new(),
                "Ar-Raqqah Governorate".into()
            )
        );
        // a town's divisions by position: a country the data lacks leaves its place empty
        let mut e = event(EventKind::Attack, "shelled a village", &[gunmen], "");
        e.places.push(at("geonames:9", "Zahle", "PPLA"));
        let mut ctx = Context::default();
        ctx.hierarchy.insert(
            "geonames:9".into(),
            vec![
                String::new(),
                "Mohafazat Béqaa".into(),
                "Caza de Zahlé".into(),
            ],
        );
        assert_eq!(
            cols(&e, &ctx),
            ("Béqaa".into(), "Caza de Zahlé".into(), "Zahle".into())
        );
    }

    #[test]
    fn the_weapon_and_the_crowd_decide() {
        let gunmen = (
            "Unidentified Armed Group (Syria)",
            "armed_group",
            ActorRole::Agent,
        );
        let army = (
            "Military Forces of Syria (2000-)",
            "state_forces",
            ActorRole::Target,
        );
        assert_eq!(
            types(&event(
                EventKind::Attack,
                "targeted a checkpoint with an RPG",
                &[gunmen, army],
                ""
            )),
            (
                "Explosions/Remote violence",
                "Shelling/artillery/missile attack"
            )
        );
        assert_eq!(
            types(&event(
                EventKind::Attack,
                "opened fire on a checkpoint",
                &[gunmen, army],
                ""
            )),
            ("Battles", "Armed clash")
        );
        // gunmen firing at a patrol use guns, not shells; at a house, they attack civilians
        assert_eq!(
            types(&event(
                EventKind::Bombardment,
                "unknown gunmen fired at",
                &[gunmen, army],
                ""
            )),
            ("Battles", "Armed clash")
        );
        assert_eq!(
            types(&event(
                EventKind::Bombardment,
                "unknown gunmen fired at",
                &[gunmen],
                ""
            )),
            ("Violence against civilians", "Attack")
        );
        assert_eq!(
            types(&event(
                EventKind::Bombardment,
                "the army fired at",
                &[army],
                ""
            )),
            (
                "Explosions/Remote violence",
                "Shelling/artillery/missile attack"
            )
        );
        let fighter = (
            "HTS: Hayat Tahrir al Sham",
            "jihadist_group",
            ActorRole::Target,
        );
        assert_eq!(
            types(&event(
                EventKind::Casualties,
                "was killed in a landmine explosion",
                &[fighter],
                ""
            )),
            (
                "Explosions/Remote violence",
                "Remote explosive/landmine/IED"
            )
        );
        let checkpoint = (
            "Military Forces of Syria (2000-)",
            "state_forces",
            ActorRole::Agent,
        );
        assert_eq!(
            types(&event(
                EventKind::Protest,
                "blocked the road",
                &[checkpoint],
                "Peaceful protest"
            )),
            ("Strategic developments", "Other")
        );
        let army = (
            "Military Forces of Lebanon (1991-)",
            "state_forces",
            ActorRole::Agent,
        );
        let mut e = event(
            EventKind::Protest,
            "fired tear gas",
            &[
                army,
                ("Protesters (Lebanon)", "protesters", ActorRole::Target),
            ],
            "Protest with intervention",
        );
        e.places.push(sitrep_proto::v1::PlaceRef {
            id: "geonames:2".into(),
            name: "Zahle".into(),
            lat: Some(33.85),
            lon: Some(35.9),
            country_code: "LB".into(),
            feature_code: "PPLA".into(),
            ..Default::default()
        });
        let r = row(&e, &Context::default());
        let col = |name: &str| r[COLUMNS.iter().position(|c| *c == name).unwrap()].clone();
        assert_eq!(
            (col("actor1"), col("actor2"), col("sub_event_type")),
            (
                "Protesters (Lebanon)".into(),
                "Military Forces of Lebanon (1991-)".into(),
                "Protest with intervention".into()
            )
        );
        let crowd = ("Protesters (Lebanon)", "protesters", ActorRole::Agent);
        assert_eq!(
            types(&event(
                EventKind::Attack,
                "stormed the municipality",
                &[crowd],
                ""
            )),
            ("Riots", "Violent demonstration")
        );
        assert_eq!(
            types(&event(
                EventKind::Attack,
                "stormed and set fire to the serail",
                &[crowd],
                "Looting/property destruction"
            )),
            ("Riots", "Violent demonstration")
        );
        let mob = ("Rioters (Lebanon)", "rioters", ActorRole::Agent);
        assert_eq!(
            types(&event(
                EventKind::Attack,
                "attacked a campaign office",
                &[mob],
                ""
            )),
            ("Riots", "Mob violence")
        );
        // … whatever sub-event type the verb decided ("a vigilante mob beat and killed a man")
        assert_eq!(
            types(&event(
                EventKind::Attack,
                "beat and killed",
                &[mob],
                "Attack"
            )),
            ("Riots", "Mob violence")
        );
        // a man found dead was killed by someone, not in a fight
        let mut e = event(EventKind::Casualties, "a man was found dead", &[], "");
        e.sentence = "On 3 July 2022, a man was found dead near the bakery in Nawa.".into();
        e.body_found =
            sitrep_extract::events::means::bodies_found(&Lexicon::builtin(), &e.sentence);
        assert!(e.body_found);
        assert_eq!(types(&e), ("Violence against civilians", "Attack"));
    }

    #[test]
    fn a_count_of_the_dead_told_apart_is_its_events() {
        let party = |n: &str, role: ActorRole| ActorRef {
            id: n.into(),
            name: n.into(),
            role: role as i32,
            ..Default::default()
        };
        let mut clash = event(EventKind::Clash, "clashed", &[], "Armed clash");
        clash.actors = vec![
            party("hts", ActorRole::Agent),
            party("saa", ActorRole::Target),
        ];
        clash.document_id = "d".into();
        let mut count = event(EventKind::Casualties, "were killed", &[], "");
        count.actors = vec![party("saa", ActorRole::Target)];
        (
            count.document_id,
            count.order,
            count.sentence_index,
            count.fatalities,
        ) = ("d".into(), 1, 1, Some(3));
        count.when.as_mut().unwrap().inherited = true;
        let folded = fold_counts(&[clash.clone(), count.clone()]);
        assert_eq!((folded.len(), folded[0].fatalities), (1, Some(3)));
        // told as more dead ("… were also killed"), the counts add up
        let mut more = count.clone();
        more.sentence = "3 soldiers were also killed.".into();
        more.count_adds =
            sitrep_extract::events::means::count_adds(&Lexicon::builtin(), &more.sentence);
        let mut first = clash.clone();
        first.fatalities = Some(4);
        assert_eq!(fold_counts(&[first, more])[0].fatalities, Some(7));
        // another party's dead, or a count with a place of its own, is an event of its own
        count.actors = vec![party("hezbollah", ActorRole::Target)];
        assert_eq!(fold_counts(&[clash.clone(), count.clone()]).len(), 2);
        count.actors = vec![party("saa", ActorRole::Target)];
        count.places.push(sitrep_proto::v1::PlaceRef {
            name: "Kabani".into(),
            ..Default::default()
        });
        assert_eq!(fold_counts(&[clash.clone(), count.clone()]).len(), 2);
        // the dead of an act told against no one are whom it was against ("the army carried
        // out artillery strikes … 28 'terrorists' (JNIM) were killed")
        let mut strikes = clash.clone();
        strikes.actors.truncate(1);
        count.places.clear();
        count.actors = vec![party("jnim", ActorRole::Target)];
        let folded = fold_counts(&[strikes, count.clone()]);
        assert_eq!(folded.len(), 1);
        assert_eq!(folded[0].actors[1].id, "jnim");
        // the dead are the fighting's, not those of an abduction told after it in its sentence
        let mut fight = clash.clone();
        fight.actors = vec![
            party("police", ActorRole::Agent),
            party("uag", ActorRole::Target),
        ];
        let mut abducting = event(EventKind::Abduction, "were abducting", &[], "");
        (abducting.document_id, abducting.order) = ("d".into(), 1);
        abducting.actors = vec![party("uag", ActorRole::Agent)];
        let mut six = count.clone();
        (six.order, six.sentence_index, six.fatalities) = (2, 1, Some(6));
        six.places.clear();
        six.actors = vec![party("uag", ActorRole::Target)];
        let folded = fold_counts(&[fight, abducting, six]);
        assert_eq!(folded.len(), 2);
        assert_eq!(
            (folded[0].fatalities, folded[1].fatalities),
            (Some(6), None)
        );
        // the same act told again is the event before; another act is its own
        let mut planted = event(
            EventKind::Bombardment,
            "planted an explosive device",
            &[],
            "Remote explosive/landmine/IED",
        );
        planted.document_id = "d".into();
        planted.actors = vec![party("uag", ActorRole::Agent)];
        let mut exploded = planted.clone();
        (
            exploded.trigger,
            exploded.order,
            exploded.sentence_index,
            exploded.actors,
        ) = ("exploded".into(), 1, 1, Vec::new());
        exploded.when.as_mut().unwrap().inherited = true;
        assert_eq!(fold_counts(&[planted.clone(), exploded.clone()]).len(), 1);
        exploded.kind = EventKind::Arrest as i32;
        assert_eq!(fold_counts(&[planted, exploded]).len(), 2);
    }

    #[test]
    fn what_accompanies_an_act_is_part_of_it() {
        let at = |e: &mut Event, place: &str, sentence: u32| {
            e.document_id = "d".into();
            e.sentence_index = sentence;
            e.places = vec![sitrep_proto::v1::PlaceRef {
                id: place.into(),
                ..Default::default()
            }];
        };
        let army = (
            "Military Forces of Myanmar (2021-)",
            "state_forces",
            ActorRole::Agent,
        );
        let civilians = ("Civilians (Myanmar)", "civilians", ActorRole::Target);
        // "… opened fire and arrested a young man": the arrest is the attack's
        let mut shot = event(EventKind::Attack, "shot", &[army, civilians], "");
        at(&mut shot, "", 0);
        shot.places.clear();
        let mut arrest = event(EventKind::Arrest, "arrested", &[army], "");
        at(&mut arrest, "geonames:1", 0);
        let kept = fold_accompanying(vec![arrest.clone(), shot.clone()]);
        assert_eq!(kept.len(), 1);
        assert_eq!(types(&kept[0]).0, "Violence against civilians");
        assert_eq!(
            kept[0].places[0].id, "geonames:1",
            "the act takes the arrest's place"
        );
        // an arrest at another place, three sentences on, or alone, is an event of its own
        at(&mut shot, "geonames:2", 0);
        assert_eq!(
            fold_accompanying(vec![arrest.clone(), shot.clone()]).len(),
            2
        );
        at(&mut shot, "geonames:1", 0);
        at(&mut arrest, "geonames:1", 3);
        assert_eq!(fold_accompanying(vec![shot, arrest.clone()]).len(), 2);
        assert_eq!(fold_accompanying(vec![arrest]).len(), 1);
    }

    #[test]
    fn an_event_at_no_place_is_where_the_text_last_put_one() {
        let army = (
            "Military Forces of Nigeria (2015-)",
            "state_forces",
            ActorRole::Agent,
        );
        let placed = |id: &str, doc: &str| {
            let mut e = event(EventKind::Clash, "clashed", &[army], "");
            e.document_id = doc.into();
            e.places = vec![sitrep_proto::v1::PlaceRef {
                id: id.into(),
                ..Default::default()
            }];
            e
        };
        let bare = |doc: &str| {
            let mut e = event(EventKind::Attack, "shot", &[army], "");
            e.document_id = doc.into();
            e
        };
        let out = inherit_context(vec![
            bare("d"),
            placed("geonames:1", "d"),
            bare("d"),
            placed("geonames:2", "d"),
            bare("e"),
        ]);
        let ids: Vec<&str> = out
            .iter()
            .map(|e| e.places.first().map_or("", |p| p.id.as_str()))
            .collect();
        // the first takes the later event's place (nothing earlier), the third the one before
        // it; another document's event takes nothing from this one
        assert_eq!(
            ids,
            ["geonames:1", "geonames:1", "geonames:1", "geonames:2", ""]
        );
        // a day inherited (widened over the month) is the day of the event before it
        let mut strikes = placed("geonames:1", "d");
        strikes.when.as_mut().unwrap().earliest = "2022-01-19".into();
        let mut count = bare("d");
        let w = count.when.as_mut().unwrap();
        (w.earliest, w.inherited) = ("2022-01-01".into(), true);
        let out = inherit_context(vec![strikes, count]);
        assert_eq!(out[1].when.as_ref().unwrap().earliest, "2022-01-19");
    }

    #[test]
    fn two_clauses_of_one_act_are_one_event() {
        let youths = ("Rioters (Nigeria)", "rioters", ActorRole::Agent);
        let at = |trigger: &str, place: &str, id: &str| {
            let mut e = event(EventKind::Riot, trigger, &[youths], "Violent demonstration");
            e.document_id = "d".into();
            e.actors[0].id = "rioters_ng".into();
            e.places = vec![sitrep_proto::v1::PlaceRef {
                id: id.into(),
                mention: place.into(),
                ..Default::default()
            }];
            e
        };
        let mut road = at("blocked", "old Lagos-Abeokuta highway", "prov:1");
        // (a crowd's violence on its own is mob violence)
        road.acled_sub_event_type = "Looting/property destruction".into();
        assert_eq!(types(&road), ("Riots", "Mob violence"));
        let mut town = at("demonstrating", "Itori", "geonames:1");
        town.kind = EventKind::Protest as i32;
        town.acled_sub_event_type = "Peaceful protest".into();
        let folded = fold_same_act(vec![town.clone(), road.clone()]);
        assert_eq!(folded.len(), 1);
        assert_eq!(folded[0].places.len(), 2);
        assert_eq!(
            types(&folded[0]),
            ("Riots", "Violent demonstration"),
            "a demonstration with violence in it is a violent one"
        );
        // the people an act wounded are its casualties
        let militia = ("Zamfara Communal Militia", "militia", ActorRole::Agent);
        let civilians = ("Civilians (Nigeria)", "civilians", ActorRole::Target);
        let mut attack = event(EventKind::Attack, "attacked", &[militia, civilians], "");
        let mut wounded = event(EventKind::Casualties, "wounded", &[militia], "");
        for e in [&mut attack, &mut wounded] {
            e.document_id = "d".into();
            e.actors[0].id = "militia".into();
        }
        wounded.fatalities = Some(0);
        let folded = fold_same_act(vec![attack, wounded]);
        assert_eq!(folded.len(), 1);
        assert_eq!(types(&folded[0]).0, "Violence against civilians");
        // two towns are two events, as are a crossing and a province; so are two sentences
        let crossing = at("entered", "Al Waleed border", "prov:2");
        let province = at("headed", "Al-Hasakeh province", "geonames:3");
        assert_eq!(fold_same_act(vec![crossing, province]).len(), 2);
        let other = at("demonstrating", "Ewekoro", "geonames:2");
        assert_eq!(fold_same_act(vec![town.clone(), other]).len(), 2);
        let mut later = town.clone();
        later.sentence_index = 1;
        assert_eq!(fold_same_act(vec![road, later]).len(), 2);
    }

    #[test]
    fn a_document_is_folded_as_told_whatever_order_its_events_come_in() {
        let army = ("Military Forces of Mali", "state_forces", ActorRole::Agent);
        let jnim = ("JNIM", "jihadist_group", ActorRole::Target);
        let mut strikes = event(
            EventKind::Bombardment,
            "carried out artillery strikes",
            &[army],
            "",
        );
        strikes.when.as_mut().unwrap().earliest = "2022-01-19".into();
        let mut count = event(EventKind::Casualties, "were killed", &[jnim], "");
        (
            count.id,
            count.order,
            count.sentence_index,
            count.fatalities,
        ) = ("d:1:0".into(), 1, 1, Some(28));
        let w = count.when.as_mut().unwrap();
        (w.earliest, w.inherited) = ("2022-01-01".into(), true);
        for e in [&mut strikes, &mut count] {
            e.document_id = "d".into();
        }
        // a timeline answers by time: the count (its interval widened to January) first
        let out = csv(&[count, strikes], &Context::default());
        let rows: Vec<&str> = out.lines().skip(1).collect();
        assert_eq!(rows.len(), 1, "{out}");
        assert!(
            rows[0].contains("2022-01-19") && rows[0].contains(",28,"),
            "{out}"
        );
    }

    #[test]
    fn whom_an_explosion_struck_did_not_set_it_off() {
        let sarmin = sitrep_proto::v1::PlaceRef {
            id: "geonames:1".into(),
            name: "Sarmin".into(),
            lat: Some(35.9),
            lon: Some(36.72),
            country_code: "SY".into(),
            feature_code: "PPL".into(),
            ..Default::default()
        };
        let mut e = event(
            EventKind::Bombardment,
            "exploded",
            &[("Civilians (Syria)", "civilians", ActorRole::Target)],
            "Remote explosive/landmine/IED",
        );
        e.places.push(sarmin.clone());
        let r = row(&e, &Context::default());
        let col = |name: &str| r[COLUMNS.iter().position(|c| *c == name).unwrap()].clone();
        assert_eq!(
            (col("actor1"), col("actor2")),
            (
                "Unidentified Armed Group (Syria)".into(),
                "Civilians (Syria)".into()
            )
        );
        // a civilian who kills is left unidentified: ACLED's civilians only suffer violence
        let mut e = event(
            EventKind::Attack,
            "shot and killed",
            &[
                ("Civilians (Syria)", "civilians", ActorRole::Agent),
                ("Civilians (Syria)", "civilians", ActorRole::Target),
            ],
            "",
        );
        e.places.push(sarmin.clone());
        let r = row(&e, &Context::default());
        let col = |name: &str| r[COLUMNS.iter().position(|c| *c == name).unwrap()].clone();
        assert_eq!(
            (col("actor1"), col("actor2")),
            (
                "Unidentified Armed Group (Syria)".into(),
                "Civilians (Syria)".into()
            )
        );
        // a clash with no subject: its first party is the first actor
        let mut e = event(
            EventKind::Clash,
            "clashes",
            &[
                ("QSD", "rebel_group", ActorRole::Target),
                ("Islamic State (Syria)", "jihadist_group", ActorRole::Target),
            ],
            "Armed clash",
        );
        e.places.push(sarmin);
        let r = row(&e, &Context::default());
        let col = |name: &str| r[COLUMNS.iter().position(|c| *c == name).unwrap()].clone();
        assert_eq!(
            (col("actor1"), col("actor2")),
            ("QSD".into(), "Islamic State (Syria)".into())
        );
        // "A and B exchanged fire": the second subject is the other party
        let mut e = event(
            EventKind::Clash,
            "exchanged fire",
            &[
                (
                    "Military Forces of Syria (2000-)",
                    "state_forces",
                    ActorRole::Agent,
                ),
                ("QSD", "rebel_group", ActorRole::Agent),
            ],
            "Armed clash",
        );
        e.actors[0].side = "government".into();
        e.actors[1].side = "SDF".into();
        let r = row(&e, &Context::default());
        let col = |name: &str| r[COLUMNS.iter().position(|c| *c == name).unwrap()].clone();
        assert_eq!(
            (col("actor1"), col("actor2")),
            ("Military Forces of Syria (2000-)".into(), "QSD".into())
        );
    }
}
