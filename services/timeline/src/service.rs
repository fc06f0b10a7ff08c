//! The gRPC face of the timeline.

use std::pin::Pin;

use chrono::{Datelike, Duration, NaiveDate};
use sitrep_proto::v1::timeline_service_server::TimelineService;
use sitrep_proto::v1::{
    ControlAtRequest, ControlAtResponse, ControlHistoryRequest, ControlHistoryResponse, Event,
    EventKind, KindCount, PlaceRef, QueryRequest, QueryResponse, RecordBatchRequest,
    RecordBatchResponse, RecordRequest, RecordResponse, RelabelPlaceRequest, RelabelPlaceResponse,
    SummarizeRequest, SummarizeResponse, WeekCount,
};
use sitrep_server::blocking;
use tokio_stream::wrappers::ReceiverStream;
use tonic::{Request, Response, Status};
use tracing::instrument;

use crate::control;
use crate::error::{Error, Result};
use crate::store::{day_number, mention_key, Days, Index, Store, Window};

const DEFAULT_PAGE: u32 = 200;
const MAX_PAGE: u32 = 1000;
/// At most this many events in one Record call.
const MAX_RECORD: usize = 100_000;

#[derive(Clone)]
pub struct Timeline {
    store: Store,
}

impl Timeline {
    pub fn new(store: Store) -> Self {
        Timeline { store }
    }
}

fn parse_date(field: &str, s: &str) -> Result<Option<NaiveDate>> {
    if s.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .filter(|d| d.year() >= 1)
        .map(Some)
        .ok_or_else(|| {
            Error::InvalidArgument(format!(
                "{field} must be a calendar date YYYY-MM-DD from year 1 on, got {s:?}"
            ))
        })
}

/// A validated query.
#[derive(Debug, Clone)]
pub struct Plan {
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    place: Vec<String>,
    actor: String,
    kind: i32,
    document: String,
    page_size: u32,
    limit: u32,
    index: Index,
    prefix: Vec<u8>,
    /// Resume after this key (or, for document queries, skip this many).
    after: Option<Vec<u8>>,
    skip: usize,
    /// Return other documents' reports of an event too (always, for a document's events).
    duplicates: bool,
}

impl Plan {
    pub fn new(q: &QueryRequest) -> Result<Plan> {
        let from = parse_date("from", &q.from)?;
        let to = parse_date("to", &q.to)?;
        if let (Some(a), Some(b)) = (from, to) {
            if a > b {
                return Err(Error::InvalidArgument(format!(
                    "from ({a}) is after to ({b})"
                )));
            }
        }
        if q.kind != 0 && EventKind::try_from(q.kind).is_err() {
            return Err(Error::InvalidArgument(format!(
                "unknown event kind {}",
                q.kind
            )));
        }
        if q.page_size > MAX_PAGE {
            return Err(Error::InvalidArgument(format!(
                "page_size is at most {MAX_PAGE}, got {}",
                q.page_size
            )));
        }
        let place: Vec<String> = if q.place.is_empty() {
            Vec::new()
        } else if q.place.contains(':') {
            vec![q.place.clone()]
        } else {
            vec![mention_key(&q.place)]
        };
        let (index, prefix) = if !q.document_id.is_empty() {
            (
                Index::Document,
                Store::prefix_of(Index::Document, &q.document_id),
            )
        } else if place.len() == 1 && q.place.contains(':') {
            (Index::Place, Store::prefix_of(Index::Place, &place[0]))
        } else if !q.actor.is_empty()
            && q.actor
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '_' || c == ':' || c.is_ascii_digit())
        {
            (Index::Actor, Store::prefix_of(Index::Actor, &q.actor))
        } else if q.kind != 0 {
            (
                Index::Kind,
                Store::prefix_of(Index::Kind, &q.kind.to_string()),
            )
        } else {
            (Index::Time, Vec::new())
        };
        let (mut after, mut skip) = (None, 0);
        if !q.page_token.is_empty() {
            let bad = || {
                Error::InvalidArgument(
                    "malformed page_token: pass next_page_token from a previous answer unchanged"
                        .into(),
                )
            };
            if index == Index::Document {
                skip = q
                    .page_token
                    .strip_prefix("d:")
                    .and_then(|n| n.parse().ok())
                    .ok_or_else(bad)?;
            } else {
                let key = q
                    .page_token
                    .strip_prefix("k:")
                    .and_then(|h| hex::decode(h).ok())
                    .ok_or_else(bad)?;
                if !key.starts_with(&prefix) {
                    return Err(bad());
                }
                after = Some(key);
            }
        }
        Ok(Plan {
            from,
            to,
            place,
            actor: q.actor.to_lowercase(),
            kind: q.kind,
            document: q.document_id.clone(),
            page_size: if q.page_size == 0 {
                DEFAULT_PAGE
            } else {
                q.page_size
            },
            limit: q.limit,
            index,
            prefix,
            after,
            skip,
            duplicates: q.include_duplicates || !q.document_id.is_empty(),
        })
    }

    /// Whether an event's days lie wholly inside the query's period (None: the query has none).
    fn exact(&self, days: Days) -> Option<bool> {
        if self.from.is_none() && self.to.is_none() {
            return None;
        }
        Some(match (days.earliest, days.latest) {
            (Some(a), Some(b)) => {
                self.from.is_none_or(|f| a >= f) && self.to.is_none_or(|t| b <= t)
            }
            _ => false,
        })
    }

    fn matches(&self, e: &Event, days: Days) -> bool {
        if !self.document.is_empty() && e.document_id != self.document {
            return false;
        }
        if self.kind != 0 && e.kind != self.kind {
            return false;
        }
        let (a, b) = (days.earliest, days.latest);
        if let Some(from) = self.from {
            if b.is_none_or(|b| b < from) {
                return false;
            }
        }
        if let Some(to) = self.to {
            if a.is_none_or(|a| a > to) {
                return false;
            }
        }
        if !self.place.is_empty() {
            let keys = crate::store::place_keys(e);
            let names: Vec<String> = e
                .places
                .iter()
                .flat_map(|p| [mention_key(&p.name), mention_key(&p.mention)])
                .collect();
            if !self
                .place
                .iter()
                .any(|p| keys.contains(p) || names.contains(p))
            {
                return false;
            }
        }
        if !self.actor.is_empty()
            && !e.actors.iter().any(|x| {
                x.id == self.actor
                    || x.name.to_lowercase() == self.actor
                    || x.mention.to_lowercase() == self.actor
            })
        {
            return false;
        }
        true
    }
}

impl Timeline {
    /// Run a plan, handing each page to `send`; stops when `send` returns false.
    pub fn run(&self, plan: &Plan, mut send: impl FnMut(QueryResponse) -> bool) -> Result<()> {
        let mut page = Page::default();
        let mut total = 0u32;
        let limit_hit = |t: u32| plan.limit != 0 && t >= plan.limit;
        if plan.index == Index::Document {
            let mut events = Vec::new();
            for kv in self
                .store
                .scan_events(Index::Document, &plan.prefix, &plan.prefix)
            {
                let (_, e) = kv?;
                let days = Days::of(&e);
                if plan.matches(&e, days) {
                    events.push((e, days));
                }
            }
            events.sort_by_key(|(e, days)| (day_number(days.earliest), e.order));
            let mut n = plan.skip;
            for (e, days) in events.into_iter().skip(plan.skip) {
                if limit_hit(total) {
                    break;
                }
                page.push(plan, self.store.linked(e)?, days);
                total += 1;
                n += 1;
                if page.len() as u32 == plan.page_size && !send(page.take(format!("d:{n}"))) {
                    return Ok(());
                }
            }
            send(page.take(String::new()));
            return Ok(());
        }
        // time-sorted indexes: start at the first day an overlapping event can begin
        let mut start = plan.prefix.clone();
        if let Some(from) = plan.from {
            let span = self.store.max_span_days()? as i64;
            start.extend_from_slice(&day_number(Some(from - Duration::days(span))).to_be_bytes());
        }
        if let Some(after) = &plan.after {
            let mut k = after.clone();
            k.push(0); // strictly after
            if k > start {
                start = k;
            }
        }
        let last_day = plan.to.map(|t| day_number(Some(t)));
        let window = Window {
            earliest_to: last_day,
            latest_from: plan.from.map(|f| day_number(Some(f))),
        };
        for kv in self
            .store
            .scan_events_within(plan.index, &plan.prefix, &start, window)
        {
            let (key, e) = kv?;
            if let Some(ld) = last_day {
                let at = plan.prefix.len();
                if key.len() >= at + 4 {
                    let day = u32::from_be_bytes([key[at], key[at + 1], key[at + 2], key[at + 3]]);
                    if day > ld && day != u32::MAX {
                        break;
                    }
                }
            }
            if limit_hit(total) {
                break;
            }
            let days = Days::of(&e);
            if !plan.matches(&e, days) {
                continue;
            }
            let e = self.store.linked(e)?;
            if !plan.duplicates && !e.same_as.is_empty() {
                continue;
            }
            page.push(plan, e, days);
            total += 1;
            if page.len() as u32 == plan.page_size
                && !send(page.take(format!("k:{}", hex::encode(&key))))
            {
                return Ok(());
            }
        }
        send(page.take(String::new()));
        Ok(())
    }

    /// Counts by kind and ISO week, and fatalities, of the events in a period and an area; other
    /// documents' reports of an event already counted are counted apart, not again.
    pub fn summarize_blocking(&self, req: &SummarizeRequest) -> Result<SummarizeResponse> {
        let bbox = match (req.min_lat, req.min_lon, req.max_lat, req.max_lon) {
            (None, None, None, None) => None,
            (Some(a), Some(b), Some(c), Some(d)) => {
                let ok = [a, c]
                    .iter()
                    .all(|v| v.is_finite() && (-90.0..=90.0).contains(v))
                    && [b, d]
                        .iter()
                        .all(|v| v.is_finite() && (-180.0..=180.0).contains(v))
                    && a <= c
                    && b <= d;
                if !ok {
                    return Err(Error::InvalidArgument("the box needs finite min_lat ≤ max_lat in [-90, 90] and min_lon ≤ max_lon in [-180, 180]".into()));
                }
                Some((a, b, c, d))
            }
            _ => {
                return Err(Error::InvalidArgument(
                    "give all four of min_lat, min_lon, max_lat, max_lon, or none".into(),
                ))
            }
        };
        let plan = Plan::new(&QueryRequest {
            from: req.from.clone(),
            to: req.to.clone(),
            page_size: MAX_PAGE,
            include_duplicates: true,
            ..Default::default()
        })?;
        let keys: Vec<String> = req
            .places
            .iter()
            .filter(|p| !p.trim().is_empty())
            .map(|p| {
                if p.contains(':') {
                    p.clone()
                } else {
                    mention_key(p)
                }
            })
            .collect();
        let mut out = SummarizeResponse::default();
        let mut kinds: std::collections::BTreeMap<i32, KindCount> = Default::default();
        let mut weeks: std::collections::BTreeMap<String, WeekCount> = Default::default();
        let in_box = |e: &Event| {
            match bbox {
            Some((a, b, c, d)) => e.places.iter().any(|p| matches!((p.lat, p.lon), (Some(la), Some(lo)) if (a..=c).contains(&la) && (b..=d).contains(&lo))),
            None => true,
        }
        };
        let mut consider = |e: &Event| {
            if !e.same_as.is_empty() {
                out.duplicates += 1;
                return;
            }
            let f = e.fatalities.unwrap_or(0);
            out.events += 1;
            out.fatalities += f;
            let k = kinds.entry(e.kind).or_insert(KindCount {
                kind: e.kind,
                ..Default::default()
            });
            k.events += 1;
            k.fatalities += f;
            match Days::of(e).earliest {
                Some(d) => {
                    let iso = d.iso_week();
                    let w = format!("{}-W{:02}", iso.year(), iso.week());
                    let c = weeks.entry(w.clone()).or_insert(WeekCount {
                        week: w,
                        ..Default::default()
                    });
                    c.events += 1;
                    c.fatalities += f;
                }
                None => out.undated += 1,
            }
        };
        if bbox.is_none() && !keys.is_empty() {
            for e in self.place_events(&keys)? {
                if plan.matches(&e, Days::of(&e)) {
                    consider(&self.store.linked(e)?);
                }
            }
        } else {
            // every event of the period, those at one of the places or inside the box
            let at_place = |e: &Event| {
                !keys.is_empty() && crate::store::place_keys(e).iter().any(|k| keys.contains(k))
            };
            self.run(&plan, |page| {
                page.events
                    .iter()
                    .filter(|e| bbox.is_none() || at_place(e) || in_box(e))
                    .for_each(&mut consider);
                true
            })?;
        }
        out.by_kind = kinds.into_values().collect();
        out.by_week = weeks.into_values().collect();
        Ok(out)
    }

    /// Every event at a place, under any of its keys.
    pub fn place_events(&self, keys: &[String]) -> Result<Vec<Event>> {
        let mut out: Vec<Event> = Vec::new();
        for k in keys {
            let key = if k.contains(':') {
                k.clone()
            } else {
                mention_key(k)
            };
            let prefix = Store::prefix_of(Index::Place, &key);
            for kv in self.store.scan_events(Index::Place, &prefix, &prefix) {
                let (_, e) = kv?;
                if !out.iter().any(|x| x.id == e.id) {
                    out.push(e);
                }
            }
        }
        Ok(out)
    }

    fn place_keys(place: &str, aliases: &[String]) -> Result<Vec<String>> {
        if place.trim().is_empty() {
            return Err(Error::InvalidArgument(
                "place is empty: give a place id or name".into(),
            ));
        }
        let mut keys = vec![place.to_string()];
        keys.extend(aliases.iter().filter(|a| !a.trim().is_empty()).cloned());
        Ok(keys)
    }

    pub fn control_at_blocking(&self, req: &ControlAtRequest) -> Result<ControlAtResponse> {
        let date = parse_date("date", &req.date)?
            .ok_or_else(|| Error::InvalidArgument("date is required (YYYY-MM-DD)".into()))?;
        let events = self.place_events(&Self::place_keys(&req.place, &req.aliases)?)?;
        let a = control::control_at(&control::changes(&events), date);
        Ok(ControlAtResponse {
            place: req.place.clone(),
            controller: a.controller,
            side: a.side,
            coalition: a.coalition,
            confidence: a.confidence,
            claimed: a.claimed,
            contested: a.contested,
            event_ids: a.event_ids,
            since: a.since.map(|d| d.to_string()).unwrap_or_default(),
        })
    }

    pub fn control_history_blocking(
        &self,
        req: &ControlHistoryRequest,
    ) -> Result<ControlHistoryResponse> {
        let events = self.place_events(&Self::place_keys(&req.place, &req.aliases)?)?;
        Ok(ControlHistoryResponse {
            place: req.place.clone(),
            intervals: control::history(&control::changes(&events)),
        })
    }

    pub fn validate_record(req: &RecordRequest) -> Result<()> {
        if req.document_id.trim().is_empty() {
            return Err(Error::InvalidArgument("document_id is empty".into()));
        }
        if req.events.len() > MAX_RECORD {
            return Err(Error::InvalidArgument(format!(
                "at most {MAX_RECORD} events per Record call, got {}",
                req.events.len()
            )));
        }
        for e in &req.events {
            if e.id.is_empty() {
                return Err(Error::InvalidArgument("every event needs an id".into()));
            }
            if e.document_id != req.document_id {
                return Err(Error::InvalidArgument(format!(
                    "event {} belongs to document {:?}, not {:?}",
                    e.id, e.document_id, req.document_id
                )));
            }
            if e.kind != 0 && EventKind::try_from(e.kind).is_err() {
                return Err(Error::InvalidArgument(format!(
                    "event {}: unknown kind {}",
                    e.id, e.kind
                )));
            }
            if let Some(w) = &e.when {
                let a = parse_date("when.earliest", &w.earliest)?;
                let b = parse_date("when.latest", &w.latest)?;
                if let (Some(a), Some(b)) = (a, b) {
                    if a > b {
                        return Err(Error::InvalidArgument(format!(
                            "event {}: when.earliest {a} is after when.latest {b}",
                            e.id
                        )));
                    }
                }
            }
            for p in &e.places {
                for v in [p.lat, p.lon].into_iter().flatten() {
                    if !v.is_finite() {
                        return Err(Error::InvalidArgument(format!(
                            "event {}: place {:?} has a coordinate that is not a number",
                            e.id, p.mention
                        )));
                    }
                }
                if p.lat.is_some_and(|v| !(-90.0..=90.0).contains(&v))
                    || p.lon.is_some_and(|v| !(-180.0..=180.0).contains(&v))
                {
                    return Err(Error::InvalidArgument(format!(
                        "event {}: place {:?} has coordinates out of range",
                        e.id, p.mention
                    )));
                }
            }
        }
        Ok(())
    }

    /// Every document of a RecordBatch checked as a Record (its errors name the document), and
    /// the batch's size.
    pub fn validate_batch(req: &RecordBatchRequest) -> Result<()> {
        for (i, d) in req.documents.iter().enumerate() {
            Timeline::validate_record(d).map_err(|e| match e {
                Error::InvalidArgument(m) => {
                    Error::InvalidArgument(format!("documents[{i}] ({}): {m}", d.document_id))
                }
                e => e,
            })?;
        }
        let total: usize = req.documents.iter().map(|d| d.events.len()).sum();
        if total > MAX_RECORD {
            return Err(Error::InvalidArgument(format!(
                "at most {MAX_RECORD} events per RecordBatch call, got {total}"
            )));
        }
        Ok(())
    }

    /// A RelabelPlace call checked: the place id it relabels and the place its events name
    /// from now on.
    pub fn validate_relabel(req: RelabelPlaceRequest) -> Result<(String, PlaceRef)> {
        let into = req.into.ok_or_else(|| {
            Error::InvalidArgument("into is required: the place the events name from now on".into())
        })?;
        if req.from_id.trim().is_empty() || into.id.trim().is_empty() {
            return Err(Error::InvalidArgument(
                "from_id and into.id are required".into(),
            ));
        }
        if into
            .lat
            .is_some_and(|v| !v.is_finite() || !(-90.0..=90.0).contains(&v))
            || into
                .lon
                .is_some_and(|v| !v.is_finite() || !(-180.0..=180.0).contains(&v))
        {
            return Err(Error::InvalidArgument(
                "into has coordinates out of range".into(),
            ));
        }
        Ok((req.from_id, into))
    }
}

/// A page being filled, with which of its events lie wholly inside the query's period.
#[derive(Default)]
struct Page {
    events: Vec<Event>,
    exact: Vec<String>,
}

impl Page {
    fn push(&mut self, plan: &Plan, e: Event, days: Days) {
        if plan.exact(days) == Some(true) {
            self.exact.push(e.id.clone());
        }
        self.events.push(e);
    }

    fn len(&self) -> usize {
        self.events.len()
    }

    fn take(&mut self, next_page_token: String) -> QueryResponse {
        let p = std::mem::take(self);
        QueryResponse {
            events: p.events,
            next_page_token,
            exact_event_ids: p.exact,
        }
    }
}

type QueryStream =
    Pin<Box<dyn futures::Stream<Item = std::result::Result<QueryResponse, Status>> + Send>>;

#[tonic::async_trait]
impl TimelineService for Timeline {
    #[instrument(skip_all, fields(document = %request.get_ref().document_id, events = request.get_ref().events.len()))]
    async fn record(
        &self,
        request: Request<RecordRequest>,
    ) -> std::result::Result<Response<RecordResponse>, Status> {
        let req = request.into_inner();
        Timeline::validate_record(&req)?;
        let store = self.store.clone();
        let n = blocking(move || store.record(&req.document_id, &req.events, req.append)).await?;
        // acknowledged only once durable
        self.store.flush().await?;
        Ok(Response::new(RecordResponse { recorded: n as u32 }))
    }

    #[instrument(skip_all, fields(documents = request.get_ref().documents.len()))]
    async fn record_batch(
        &self,
        request: Request<RecordBatchRequest>,
    ) -> std::result::Result<Response<RecordBatchResponse>, Status> {
        let req = request.into_inner();
        Timeline::validate_batch(&req)?;
        let store = self.store.clone();
        let counts = blocking(move || store.record_batch(&req.documents)).await?;
        // one durable flush for every document of the batch; acknowledged only after it
        self.store.flush().await?;
        Ok(Response::new(RecordBatchResponse {
            results: counts
                .into_iter()
                .map(|n| RecordResponse { recorded: n as u32 })
                .collect(),
        }))
    }

    type QueryStream = QueryStream;

    #[instrument(skip_all)]
    async fn query(
        &self,
        request: Request<QueryRequest>,
    ) -> std::result::Result<Response<Self::QueryStream>, Status> {
        let plan = Plan::new(request.get_ref())?;
        let (tx, rx) = tokio::sync::mpsc::channel(4);
        let this = self.clone();
        tokio::task::spawn_blocking(move || {
            let result = this.run(&plan, |page| tx.blocking_send(Ok(page)).is_ok());
            if let Err(e) = result {
                let _ = tx.blocking_send(Err(e.into()));
            }
        });
        Ok(Response::new(Box::pin(ReceiverStream::new(rx))))
    }

    #[instrument(skip_all, fields(place = %request.get_ref().place, date = %request.get_ref().date))]
    async fn control_at(
        &self,
        request: Request<ControlAtRequest>,
    ) -> std::result::Result<Response<ControlAtResponse>, Status> {
        let this = self.clone();
        let req = request.into_inner();
        Ok(Response::new(
            blocking(move || this.control_at_blocking(&req)).await?,
        ))
    }

    #[instrument(skip_all, fields(from = %request.get_ref().from_id))]
    async fn relabel_place(
        &self,
        request: Request<RelabelPlaceRequest>,
    ) -> std::result::Result<Response<RelabelPlaceResponse>, Status> {
        let (from_id, into) = Timeline::validate_relabel(request.into_inner())?;
        let store = self.store.clone();
        let n = blocking(move || store.relabel_place(&from_id, &into)).await?;
        self.store.flush().await?;
        Ok(Response::new(RelabelPlaceResponse {
            events_updated: n as u32,
        }))
    }

    #[instrument(skip_all)]
    async fn summarize(
        &self,
        request: Request<SummarizeRequest>,
    ) -> std::result::Result<Response<SummarizeResponse>, Status> {
        let this = self.clone();
        let req = request.into_inner();
        Ok(Response::new(
            blocking(move || this.summarize_blocking(&req)).await?,
        ))
    }

    #[instrument(skip_all, fields(place = %request.get_ref().place))]
    async fn control_history(
        &self,
        request: Request<ControlHistoryRequest>,
    ) -> std::result::Result<Response<ControlHistoryResponse>, Status> {
        let this = self.clone();
        let req = request.into_inner();
        Ok(Response::new(
            blocking(move || this.control_history_blocking(&req)).await?,
        ))
    }
}
