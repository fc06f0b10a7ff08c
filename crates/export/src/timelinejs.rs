//! TimelineJS 3 JSON: a title slide and one slide per dated event.

use serde_json::{json, Value};
use sitrep_proto::v1::{Event, Precision};

use crate::{kind_name, main_place};

/// A TimelineJS date object; the day is left out when only the month is known.
fn date(s: &str, with_day: bool) -> Option<Value> {
    let (y, rest) = s.split_once('-')?;
    let (m, d) = rest.split_once('-')?;
    let mut o = json!({"year": y.parse::<i64>().ok()?, "month": m.parse::<u32>().ok()?});
    if with_day {
        o["day"] = json!(d.get(..2)?.parse::<u32>().ok()?);
    }
    Some(o)
}

pub fn timeline(events: &[Event], title: &str) -> String {
    let slides: Vec<Value> = events
        .iter()
        .filter_map(|e| {
            let w = e.when.as_ref()?;
            let coarse = matches!(Precision::try_from(w.precision), Ok(Precision::Month | Precision::Season | Precision::Year));
            let start = date(&w.earliest, !coarse)?;
            let place = main_place(e).map(|p| p.name.clone()).or_else(|| e.places.first().map(|p| p.mention.clone()));
            let actors: Vec<String> = e.actors.iter().map(|a| a.name.clone()).collect();
            let mut slide = json!({
                "unique_id": e.id.replace(':', "-"),
                "group": kind_name(e.kind),
                "start_date": start,
                "text": {
                    "headline": format!("{}{}", kind_name(e.kind), place.map(|p| format!(": {p}")).unwrap_or_default()),
                    "text": format!("{}<br><small>{}{}</small>", e.sentence, actors.join(", "), if e.citations.is_empty() { String::new() } else { format!(" [{}]", e.citations.join("][")) }),
                },
            });
            if w.latest != w.earliest {
                if let Some(end) = date(&w.latest, !coarse) {
                    slide["end_date"] = end;
                }
            }
            Some(slide)
        })
        .collect();
    json!({"title": {"text": {"headline": title, "text": format!("{} events", slides.len())}}, "events": slides}).to_string()
}
