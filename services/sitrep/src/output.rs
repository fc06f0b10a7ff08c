//! Human-readable output.

use sitrep_proto::v1::{
    BackendFailure, Event, GetActorProfileResponse, GetPlaceDossierResponse, GetSummaryResponse,
};

pub use sitrep_proto::kind_name;

fn when(e: &Event) -> String {
    match &e.when {
        Some(w) if w.earliest.is_empty() => "undated".to_string(),
        Some(w) if w.earliest == w.latest => w.earliest.clone(),
        Some(w) => format!("{}..{}", w.earliest, &w.latest[5.min(w.latest.len())..]),
        None => "undated".to_string(),
    }
}

/// One line per event: date, kind, actors, places, sources.
pub fn event_line(e: &Event) -> String {
    let actors: Vec<&str> = e.actors.iter().map(|a| a.name.as_str()).collect();
    let places: Vec<String> = e
        .places
        .iter()
        .map(|p| match (p.lat, p.lon) {
            (Some(la), Some(lo)) => format!(
                "{} ({la:.3}, {lo:.3})",
                if p.name.is_empty() {
                    &p.mention
                } else {
                    &p.name
                }
            ),
            _ => format!("{} (provisional)", p.mention),
        })
        .collect();
    let mut line = format!(
        "{:<23} {:<11} {}",
        when(e),
        kind_name(e.kind),
        actors.join(", ")
    );
    if !places.is_empty() {
        line.push_str(&format!(" @ {}", places.join("; ")));
    }
    if let Some(f) = e.fatalities {
        line.push_str(&format!(" — {f} killed"));
    }
    if let Some(a) = e.attribution.as_ref().filter(|a| !a.source.is_empty()) {
        line.push_str(&format!(" (per {})", a.source));
    }
    if !e.citations.is_empty() {
        line.push_str(&format!(" [{}]", e.citations.join("][")));
    }
    line
}

pub fn dossier(r: &GetPlaceDossierResponse) -> String {
    let mut s = String::new();
    if let Some(p) = &r.place {
        s.push_str(&format!(
            "{} ({}) {:.4}, {:.4} {}.{} {}{}\n",
            p.name,
            p.id,
            p.lat,
            p.lon,
            p.feature_class,
            p.feature_code,
            p.country_code,
            if p.provisional { " provisional" } else { "" }
        ));
        let known: Vec<&str> = p
            .hierarchy
            .iter()
            .map(String::as_str)
            .filter(|n| !n.is_empty())
            .collect();
        if !known.is_empty() {
            s.push_str(&format!("  in: {}\n", known.join(" › ")));
        }
        if !p.alternate_names.is_empty() {
            s.push_str(&format!(
                "  also: {}\n",
                p.alternate_names
                    .iter()
                    .take(12)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
    }
    if !r.nearby.is_empty() {
        s.push_str("nearby:\n");
        for n in &r.nearby {
            if let Some(p) = &n.place {
                s.push_str(&format!("  {:>5.1} km  {}\n", n.distance_km, p.name));
            }
        }
    }
    s.push_str("control:\n");
    for c in &r.control {
        s.push_str(&format!(
            "  {} .. {}  {} ({}){}{}\n",
            c.since,
            if c.until.is_empty() { "" } else { &c.until },
            c.controller,
            c.side,
            if c.claimed { " claimed" } else { "" },
            if c.contested { " contested" } else { "" }
        ));
    }
    s.push_str("events:\n");
    for e in &r.events {
        s.push_str(&format!("  {}\n", event_line(e)));
    }
    s
}

pub fn failures(f: &[BackendFailure]) {
    for x in f {
        eprintln!(
            "partial answer: {} backend failed: {} {}",
            x.backend, x.code, x.message
        );
    }
}

/// An actor profile as text.
pub fn profile(r: &GetActorProfileResponse) -> String {
    let mut out = format!(
        "{} ({}) side {}: {} events\n",
        r.name,
        r.actor,
        if r.side.is_empty() {
            "unknown"
        } else {
            &r.side
        },
        r.events.len()
    );
    let kinds: Vec<String> = r
        .by_kind
        .iter()
        .map(|k| format!("{} {}", kind_name(k.kind), k.events))
        .collect();
    out += &format!("  by kind: {}\n", kinds.join(", "));
    for (label, list) in [("taken", &r.places_taken), ("lost", &r.places_lost)] {
        for c in list {
            out += &format!(
                "  {label:<5} {} {}{}\n",
                c.date,
                c.place,
                if c.counterpart.is_empty() {
                    String::new()
                } else {
                    format!(" (from/to {})", c.counterpart)
                }
            );
        }
    }
    for (label, list) in [("ally", &r.allies), ("enemy", &r.opponents)] {
        for x in list {
            out += &format!(
                "  {label:<5} {} {}..{} ({} events)\n",
                x.name, x.since, x.until, x.events
            );
        }
    }
    out
}

/// A summary as text.
pub fn summary(r: &GetSummaryResponse) -> String {
    let mut out = String::new();
    if let Some(p) = &r.region {
        out += &format!("region {} {} ({:.4}, {:.4})\n", p.id, p.name, p.lat, p.lon);
    }
    let s = r.summary.clone().unwrap_or_default();
    out += &format!(
        "{} events, {} fatalities ({} other reports of the same events, {} undated)\n",
        s.events, s.fatalities, s.duplicates, s.undated
    );
    for k in &s.by_kind {
        out += &format!(
            "  {:<12} {:>5} events {:>6} fatalities\n",
            kind_name(k.kind),
            k.events,
            k.fatalities
        );
    }
    for w in &s.by_week {
        out += &format!(
            "  {:<12} {:>5} events {:>6} fatalities\n",
            w.week, w.events, w.fatalities
        );
    }
    out
}
