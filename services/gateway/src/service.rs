//! The gateway's methods: forward, fan out concurrently, and answer partially when a backend fails.
//! No method checks the bearer token: the servers do, before a call reaches one (`access.rs`).

use std::pin::Pin;
use std::time::Duration;

use futures::StreamExt;
use sitrep_proto::v1::gateway_service_server::GatewayService;
use sitrep_proto::v1::gazetteer_service_client::GazetteerServiceClient;
use sitrep_proto::v1::ingest_service_client::IngestServiceClient;
use sitrep_proto::v1::timeline_service_client::TimelineServiceClient;
use sitrep_proto::v1::*;
use sitrep_server::client::outgoing;
use sitrep_server::tonic_health::pb::health_client::HealthClient;
use sitrep_server::tonic_health::pb::HealthCheckRequest;
use tonic::metadata::MetadataMap;
use tonic::transport::Channel;
use tonic::{Request, Response, Status};
use tracing::instrument;

use crate::error::{Error, Result};

/// The backends, each a cheap-to-clone channel.
#[derive(Clone)]
pub struct Gateway {
    pub(crate) ingest: Channel,
    pub(crate) gazetteer: Channel,
    pub(crate) timeline: Channel,
    pub(crate) urls: [String; 3],
    pub(crate) timeout: Duration,
}

type EventStream =
    Pin<Box<dyn futures::Stream<Item = std::result::Result<ListEventsResponse, Status>> + Send>>;
type IngestStream =
    Pin<Box<dyn futures::Stream<Item = std::result::Result<IngestStreamResponse, Status>> + Send>>;
type ExportStream =
    Pin<Box<dyn futures::Stream<Item = std::result::Result<ExportResponse, Status>> + Send>>;

/// At most this many events feed an actor profile.
const PROFILE_EVENTS: u32 = 20_000;

/// A calendar day YYYY-MM-DD from year 1 on.
fn parse_day(field: &str, v: &str) -> Result<chrono::NaiveDate> {
    use chrono::Datelike;
    chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d")
        .ok()
        .filter(|d| d.year() >= 1)
        .ok_or_else(|| {
            Error::InvalidArgument(format!(
                "{field} must be a calendar date YYYY-MM-DD from year 1 on, got {v:?}"
            ))
        })
}

fn check_period(from: &str, to: &str) -> Result<()> {
    let mut days = Vec::new();
    for (field, v) in [("from", from), ("to", to)] {
        if !v.is_empty() {
            days.push(parse_day(field, v)?);
        }
    }
    if let [a, b] = days[..] {
        if a > b {
            return Err(Error::InvalidArgument(format!(
                "from ({a}) is after to ({b})"
            )));
        }
    }
    Ok(())
}

/// Bytes per streamed piece of an export.
const EXPORT_CHUNK: usize = 64 * 1024;

impl Gateway {
    fn ingest(&self) -> IngestServiceClient<Channel> {
        IngestServiceClient::new(self.ingest.clone())
            .max_decoding_message_size(64 << 20)
            .max_encoding_message_size(64 << 20)
    }

    fn gazetteer(&self) -> GazetteerServiceClient<Channel> {
        GazetteerServiceClient::new(self.gazetteer.clone())
    }

    pub(crate) fn timeline(&self) -> TimelineServiceClient<Channel> {
        TimelineServiceClient::new(self.timeline.clone()).max_decoding_message_size(64 << 20)
    }

    /// The gazetteer's place for a name or id; `None` when it knows none.
    pub(crate) async fn place(&self, name: &str, meta: &MetadataMap) -> Result<Option<Place>> {
        match self
            .gazetteer()
            .get(outgoing(
                GetPlaceRequest {
                    id: name.to_string(),
                },
                meta,
                self.timeout,
            ))
            .await
        {
            Ok(r) => Ok(r.into_inner().place),
            Err(s) if s.code() == tonic::Code::NotFound => Ok(None),
            Err(s) => Err(Error::Backend {
                service: "gazetteer",
                status: s,
            }),
        }
    }

    /// Every event the timeline has for a query, across pages (bounded by `limit`).
    async fn all_events(&self, q: QueryRequest, meta: &MetadataMap) -> Result<Vec<Event>> {
        let mut stream = self
            .timeline()
            .query(outgoing(q, meta, self.timeout))
            .await
            .map_err(Error::backend("timeline"))?
            .into_inner();
        let mut out = Vec::new();
        while let Some(page) = stream.next().await {
            out.extend(page.map_err(Error::backend("timeline"))?.events);
        }
        Ok(out)
    }

    pub async fn control(
        &self,
        req: GetControlRequest,
        meta: &MetadataMap,
    ) -> Result<GetControlResponse> {
        if req.place.trim().is_empty() {
            return Err(Error::InvalidArgument(
                "place is empty: give a place name or id".into(),
            ));
        }
        parse_day("date", &req.date)?;
        let mut failures = Vec::new();
        let place = match self.place(&req.place, meta).await {
            Ok(p) => p,
            Err(e) => {
                failures.push(e.failure());
                None
            }
        };
        let mut aliases = vec![req.place.clone()];
        if let Some(p) = &place {
            aliases.push(p.name.clone());
        }
        let key = place.as_ref().map_or(req.place.clone(), |p| p.id.clone());
        let answer = self
            .timeline()
            .control_at(outgoing(
                ControlAtRequest {
                    place: key,
                    date: req.date.clone(),
                    aliases,
                },
                meta,
                self.timeout,
            ))
            .await
            .map_err(Error::backend("timeline"))?
            .into_inner();
        Ok(GetControlResponse {
            place,
            controller: answer.controller,
            side: answer.side,
            coalition: answer.coalition,
            confidence: answer.confidence,
            claimed: answer.claimed,
            contested: answer.contested,
            event_ids: answer.event_ids,
            since: answer.since,
            failures,
        })
    }

    pub async fn dossier(
        &self,
        req: GetPlaceDossierRequest,
        meta: &MetadataMap,
    ) -> Result<GetPlaceDossierResponse> {
        if req.place.trim().is_empty() {
            return Err(Error::InvalidArgument(
                "place is empty: give a place name or id".into(),
            ));
        }
        let radius = if req.nearby_radius_km == 0.0 {
            10.0
        } else {
            req.nearby_radius_km
        };
        if !radius.is_finite() || !(0.0..=500.0).contains(&radius) {
            return Err(Error::InvalidArgument(format!(
                "nearby_radius_km must be in (0, 500], got {radius}"
            )));
        }
        let mut failures = Vec::new();
        let place = match self.place(&req.place, meta).await {
            Ok(p) => p,
            Err(e) => {
                failures.push(e.failure());
                None
            }
        };
        let key = place.as_ref().map_or(req.place.clone(), |p| p.id.clone());
        let aliases: Vec<String> = std::iter::once(req.place.clone())
            .chain(place.as_ref().map(|p| p.name.clone()))
            .collect();
        let nearby = async {
            match &place {
                Some(p) if !p.provisional || p.location_estimated => self
                    .gazetteer()
                    .nearby(outgoing(
                        NearbyRequest {
                            lat: p.lat,
                            lon: p.lon,
                            radius_km: radius,
                            limit: 20,
                        },
                        meta,
                        self.timeout,
                    ))
                    .await
                    .map(|r| r.into_inner().places)
                    .map_err(Error::backend("gazetteer")),
                _ => Ok(Vec::new()),
            }
        };
        let events = self.all_events(
            QueryRequest {
                place: key.clone(),
                limit: if req.max_events == 0 {
                    500
                } else {
                    req.max_events
                },
                ..Default::default()
            },
            meta,
        );
        let history = async {
            self.timeline()
                .control_history(outgoing(
                    ControlHistoryRequest {
                        place: key.clone(),
                        aliases: aliases.clone(),
                    },
                    meta,
                    self.timeout,
                ))
                .await
                .map(|r| r.into_inner().intervals)
                .map_err(Error::backend("timeline"))
        };
        let (nearby, events, history) = tokio::join!(nearby, events, history);
        let nearby = partial(nearby, &mut failures);
        let events = partial(events, &mut failures);
        let control = partial(history, &mut failures);
        Ok(GetPlaceDossierResponse {
            place,
            nearby,
            events,
            control,
            failures,
        })
    }

    pub async fn report(
        &self,
        req: GetDocumentReportRequest,
        meta: &MetadataMap,
    ) -> Result<GetDocumentReportResponse> {
        if req.document_id.trim().is_empty() {
            return Err(Error::InvalidArgument("document_id is empty".into()));
        }
        let doc = self
            .ingest()
            .get_document(outgoing(
                GetDocumentRequest {
                    document_id: req.document_id.clone(),
                    include_text: false,
                    omit_events: true,
                },
                meta,
                self.timeout,
            ))
            .await
            .map_err(Error::backend("ingest"))?
            .into_inner();
        // the events from their owner: as the timeline has them now (places merged since); with
        // the timeline down, the document alone and the failure
        let q = QueryRequest {
            document_id: req.document_id.clone(),
            ..Default::default()
        };
        let mut failures = Vec::new();
        let events = self.all_events(q, meta).await.unwrap_or_else(|e| {
            failures.push(e.failure());
            Vec::new()
        });
        let mut ids: Vec<String> = events
            .iter()
            .flat_map(|e| e.places.iter().map(|p| p.id.clone()))
            .filter(|id| !id.is_empty())
            .collect();
        ids.sort();
        ids.dedup();
        let lookups = futures::stream::iter(
            ids.into_iter()
                .map(|id| async move { self.place(&id, meta).await }),
        )
        .buffer_unordered(8)
        .collect::<Vec<_>>()
        .await;
        let mut places = Vec::new();
        let mut gazetteer_failed = false;
        for l in lookups {
            match l {
                Ok(Some(p)) => places.push(p),
                Ok(None) => {}
                Err(e) => {
                    if !gazetteer_failed {
                        failures.push(e.failure());
                        gazetteer_failed = true;
                    }
                }
            }
        }
        places.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(GetDocumentReportResponse {
            document: doc.document,
            events,
            places,
            diagnostics: doc.diagnostics,
            failures,
        })
    }

    /// The whole export as text, with its MIME type.
    pub async fn export_text(
        &self,
        req: ExportRequest,
        meta: &MetadataMap,
    ) -> Result<(String, &'static str)> {
        let format = ExportFormat::try_from(req.format).unwrap_or(ExportFormat::Unspecified);
        if format == ExportFormat::ControlGeojson {
            if req.place.trim().is_empty() {
                return Err(Error::InvalidArgument(
                    "a control export needs a place".into(),
                ));
            }
            let place = self.place(&req.place, meta).await?.unwrap_or(Place {
                id: req.place.clone(),
                name: req.place.clone(),
                provisional: true,
                ..Default::default()
            });
            let aliases = vec![req.place.clone(), place.name.clone()];
            let history = self
                .timeline()
                .control_history(outgoing(
                    ControlHistoryRequest {
                        place: place.id.clone(),
                        aliases,
                    },
                    meta,
                    self.timeout,
                ))
                .await
                .map_err(Error::backend("timeline"))?
                .into_inner();
            return Ok((
                sitrep_export::geo::control(&place, &history.intervals),
                "application/geo+json",
            ));
        }
        if format == ExportFormat::Unspecified {
            return Err(Error::InvalidArgument(
                "format is required: ACLED_CSV, GEOJSON, TIMELINEJS or CONTROL_GEOJSON".into(),
            ));
        }
        let place = if req.place.is_empty() || req.place.contains(':') {
            req.place.clone()
        } else {
            self.place(&req.place, meta)
                .await
                .ok()
                .flatten()
                .map_or(req.place.clone(), |p| p.id)
        };
        let q = QueryRequest {
            from: req.from,
            to: req.to,
            place,
            actor: req.actor,
            kind: req.kind,
            document_id: req.document_id,
            ..Default::default()
        };
        let events = self.all_events(q, meta).await?;
        match format {
            ExportFormat::Geojson => {
                Ok((sitrep_export::geo::events(&events), "application/geo+json"))
            }
            ExportFormat::Timelinejs => Ok((
                sitrep_export::timelinejs::timeline(&events, "sitrep timeline"),
                "application/json",
            )),
            _ => {
                // ACLED rows name the document's source and the place's administrative units
                let mut ctx = sitrep_export::Context::default();
                let mut docs: Vec<String> = events.iter().map(|e| e.document_id.clone()).collect();
                docs.sort();
                docs.dedup();
                for d in docs {
                    if let Ok(r) = self
                        .ingest()
                        .get_document(outgoing(
                            GetDocumentRequest {
                                document_id: d.clone(),
                                include_text: false,
                                omit_events: true,
                            },
                            meta,
                            self.timeout,
                        ))
                        .await
                    {
                        if let Some(info) = r.into_inner().document {
                            ctx.documents.insert(d, (info.title, info.source_url));
                        }
                    }
                }
                let mut places: Vec<String> = events
                    .iter()
                    .filter_map(sitrep_export::main_place)
                    .map(|p| p.id.clone())
                    .filter(|id| !id.is_empty())
                    .collect();
                places.sort();
                places.dedup();
                for id in places {
                    if let Ok(Some(p)) = self.place(&id, meta).await {
                        ctx.hierarchy.insert(id, p.hierarchy);
                    }
                }
                Ok((sitrep_export::acled::csv(&events, &ctx), "text/csv"))
            }
        }
    }

    /// The timeline query of an `Events` call: a place name becomes the gazetteer's id (the name
    /// itself if the gazetteer cannot say).
    pub(crate) async fn events_query(
        &self,
        r: ListEventsRequest,
        meta: &MetadataMap,
    ) -> QueryRequest {
        let place = if r.place.is_empty() || r.place.contains(':') {
            r.place.clone()
        } else {
            match self.place(&r.place, meta).await {
                Ok(Some(p)) => p.id,
                _ => r.place.clone(),
            }
        };
        QueryRequest {
            from: r.from,
            to: r.to,
            place,
            actor: r.actor,
            kind: r.kind,
            document_id: r.document_id,
            page_size: r.page_size,
            page_token: r.page_token,
            limit: r.limit,
            include_duplicates: r.include_duplicates,
        }
    }

    pub async fn actor_profile(
        &self,
        req: GetActorProfileRequest,
        meta: &MetadataMap,
    ) -> Result<GetActorProfileResponse> {
        if req.actor.trim().is_empty() {
            return Err(Error::InvalidArgument(
                "actor is empty: give an actor id (syrian_army) or a name".into(),
            ));
        }
        check_period(&req.from, &req.to)?;
        let q = QueryRequest {
            actor: req.actor.trim().to_string(),
            from: req.from.clone(),
            to: req.to.clone(),
            limit: PROFILE_EVENTS,
            ..Default::default()
        };
        let events = self.all_events(q, meta).await?;
        let profile = crate::profile::profile(req.actor.trim(), events);
        if profile.events.is_empty() {
            return Err(Error::NotFound(format!(
                "no events name actor {:?}{}",
                req.actor,
                if req.from.is_empty() && req.to.is_empty() {
                    ""
                } else {
                    " in that period"
                }
            )));
        }
        Ok(profile)
    }

    pub async fn summary(
        &self,
        req: GetSummaryRequest,
        meta: &MetadataMap,
    ) -> Result<GetSummaryResponse> {
        check_period(&req.from, &req.to)?;
        let mut failures = Vec::new();
        let mut s = SummarizeRequest {
            from: req.from.clone(),
            to: req.to.clone(),
            ..Default::default()
        };
        let mut region = None;
        if let Some(b) = &req.bbox {
            (s.min_lat, s.min_lon, s.max_lat, s.max_lon) = (
                Some(b.min_lat),
                Some(b.min_lon),
                Some(b.max_lat),
                Some(b.max_lon),
            );
        } else if !req.region.trim().is_empty() {
            let radius = if req.radius_km == 0.0 {
                10.0
            } else {
                req.radius_km
            };
            if !radius.is_finite() || !(0.0..=500.0).contains(&radius) || radius <= 0.0 {
                return Err(Error::InvalidArgument(format!(
                    "radius_km must be in (0, 500], got {}",
                    req.radius_km
                )));
            }
            s.places.push(req.region.trim().to_string());
            match self.place(req.region.trim(), meta).await {
                Ok(Some(p)) => {
                    s.places.push(p.id.clone());
                    if !p.provisional || p.location_estimated {
                        // the region is its place and a circle around it, approximated by a box
                        let dlat = radius / 111.0;
                        let dlon = radius / (111.0 * p.lat.to_radians().cos().max(0.01));
                        s.min_lat = Some((p.lat - dlat).max(-90.0));
                        s.max_lat = Some((p.lat + dlat).min(90.0));
                        s.min_lon = Some((p.lon - dlon).max(-180.0));
                        s.max_lon = Some((p.lon + dlon).min(180.0));
                    }
                    region = Some(p);
                }
                Ok(None) => {}
                Err(e) => failures.push(e.failure()),
            }
        }
        let summary = self
            .timeline()
            .summarize(outgoing(s, meta, self.timeout))
            .await
            .map_err(Error::backend("timeline"))?
            .into_inner();
        Ok(GetSummaryResponse {
            region,
            summary: Some(summary),
            failures,
        })
    }

    pub async fn merge_place(
        &self,
        req: MergePlaceRequest,
        meta: &MetadataMap,
    ) -> Result<MergePlaceResponse> {
        if req.from_id.trim().is_empty() || req.into_id.trim().is_empty() {
            return Err(Error::InvalidArgument(
                "from_id (a prov:… place) and into_id (a gazetteer place) are both required".into(),
            ));
        }
        // the gazetteer first: a retry after a timeline failure merges again idempotently
        let place = self
            .gazetteer()
            .merge(outgoing(
                MergePlacesRequest {
                    from_id: req.from_id.clone(),
                    into_id: req.into_id.clone(),
                },
                meta,
                self.timeout,
            ))
            .await
            .map_err(Error::backend("gazetteer"))?
            .into_inner()
            .place
            .ok_or(Error::Incomplete {
                service: "gazetteer",
                message: "merge answered no place",
            })?;
        let into = PlaceRef {
            mention: String::new(),
            name: place.name.clone(),
            id: place.id.clone(),
            lat: Some(place.lat),
            lon: Some(place.lon),
            provisional: false,
            confidence: 1.0,
            country_code: place.country_code.clone(),
            feature_code: place.feature_code.clone(),
            // a curator's merge names the place itself
            geo_precision: 1,
            near: String::new(),
        };
        let n = self
            .timeline()
            .relabel_place(outgoing(
                RelabelPlaceRequest {
                    from_id: req.from_id.clone(),
                    into: Some(into),
                },
                meta,
                self.timeout,
            ))
            .await
            .map_err(Error::backend("timeline"))?
            .into_inner()
            .events_updated;
        Ok(MergePlaceResponse {
            place: Some(place),
            events_updated: n,
        })
    }

    pub async fn status(&self) -> GetStatusResponse {
        let names = ["ingest", "gazetteer", "timeline"];
        let channels = [
            self.ingest.clone(),
            self.gazetteer.clone(),
            self.timeline.clone(),
        ];
        let checks = channels.into_iter().map(|c| async move {
            let mut client = HealthClient::new(c);
            let mut req = Request::new(HealthCheckRequest {
                service: String::new(),
            });
            req.set_timeout(Duration::from_secs(2));
            client.check(req).await
        });
        let results = futures::future::join_all(checks).await;
        let mut backends = Vec::new();
        for ((name, url), r) in names.iter().zip(&self.urls).zip(results) {
            let (serving, message) = match r {
                Ok(resp) => {
                    let s = resp.into_inner().status;
                    (
                        s == 1,
                        if s == 1 {
                            "SERVING".to_string()
                        } else {
                            "NOT_SERVING".to_string()
                        },
                    )
                }
                Err(e) => (false, format!("{:?}: {}", e.code(), e.message())),
            };
            backends.push(BackendStatus {
                backend: name.to_string(),
                address: url.clone(),
                serving,
                message,
            });
        }
        GetStatusResponse {
            serving: backends.iter().all(|b| b.serving),
            backends,
        }
    }
}

/// The value of a backend answer, or empty with its failure noted (once per backend).
fn partial<T>(r: Result<Vec<T>>, failures: &mut Vec<BackendFailure>) -> Vec<T> {
    match r {
        Ok(v) => v,
        Err(e) => {
            let f = e.failure();
            if !failures.iter().any(|x| x.backend == f.backend) {
                failures.push(f);
            }
            Vec::new()
        }
    }
}

#[tonic::async_trait]
impl GatewayService for Gateway {
    #[instrument(skip_all, fields(bytes = request.get_ref().text.len()))]
    async fn ingest(
        &self,
        request: Request<IngestDocumentRequest>,
    ) -> std::result::Result<Response<IngestDocumentResponse>, Status> {
        let meta = request.metadata().clone();
        let r = request.into_inner();
        let req = IngestRequest {
            text: r.text,
            title: r.title,
            published: r.published,
            source_url: r.source_url,
        };
        // ingesting runs extraction and two backends: allow it longer than a query
        let result = self
            .ingest()
            .ingest(outgoing(req, &meta, self.timeout * 4))
            .await
            .map_err(Error::backend("ingest"))?
            .into_inner();
        Ok(Response::new(IngestDocumentResponse {
            result: Some(result),
        }))
    }

    type EventsStream = EventStream;

    #[instrument(skip_all)]
    async fn events(
        &self,
        request: Request<ListEventsRequest>,
    ) -> std::result::Result<Response<Self::EventsStream>, Status> {
        let meta = request.metadata().clone();
        let q = self.events_query(request.into_inner(), &meta).await;
        let stream = self
            .timeline()
            .query(outgoing(q, &meta, self.timeout))
            .await
            .map_err(Error::backend("timeline"))?
            .into_inner();
        let mapped = stream.map(|page| match page {
            Ok(p) => Ok(ListEventsResponse {
                events: p.events,
                next_page_token: p.next_page_token,
                exact_event_ids: p.exact_event_ids,
            }),
            Err(s) => Err(Error::backend_status("timeline")(s)),
        });
        Ok(Response::new(Box::pin(mapped)))
    }

    #[instrument(skip_all, fields(place = %request.get_ref().place, date = %request.get_ref().date))]
    async fn control(
        &self,
        request: Request<GetControlRequest>,
    ) -> std::result::Result<Response<GetControlResponse>, Status> {
        let meta = request.metadata().clone();
        Ok(Response::new(
            Gateway::control(self, request.into_inner(), &meta).await?,
        ))
    }

    #[instrument(skip_all, fields(place = %request.get_ref().place))]
    async fn place_dossier(
        &self,
        request: Request<GetPlaceDossierRequest>,
    ) -> std::result::Result<Response<GetPlaceDossierResponse>, Status> {
        let meta = request.metadata().clone();
        Ok(Response::new(
            self.dossier(request.into_inner(), &meta).await?,
        ))
    }

    #[instrument(skip_all, fields(document = %request.get_ref().document_id))]
    async fn document_report(
        &self,
        request: Request<GetDocumentReportRequest>,
    ) -> std::result::Result<Response<GetDocumentReportResponse>, Status> {
        let meta = request.metadata().clone();
        Ok(Response::new(
            self.report(request.into_inner(), &meta).await?,
        ))
    }

    #[instrument(skip_all)]
    async fn search_places(
        &self,
        request: Request<SearchPlacesRequest>,
    ) -> std::result::Result<Response<SearchPlacesResponse>, Status> {
        let meta = request.metadata().clone();
        let r = request.into_inner();
        let answer = self
            .gazetteer()
            .search(outgoing(
                SearchRequest {
                    query: r.query,
                    limit: r.limit,
                    country_code: r.country_code,
                    bbox: r.bbox,
                },
                &meta,
                self.timeout,
            ))
            .await
            .map_err(Error::backend("gazetteer"))?;
        Ok(Response::new(SearchPlacesResponse {
            candidates: answer.into_inner().candidates,
        }))
    }

    #[instrument(skip_all)]
    async fn import_places(
        &self,
        request: Request<tonic::Streaming<ImportPlacesRequest>>,
    ) -> std::result::Result<Response<ImportPlacesResponse>, Status> {
        let meta = request.metadata().clone();
        // chunks pass through as they come; a failed chunk ends the stream and the import
        let chunks = tokio_stream::StreamExt::map_while(request.into_inner(), |c| {
            c.ok().map(|c| ImportRequest { chunk: c.chunk })
        });
        // an import of a large file takes long: up to an hour, or the caller's deadline
        let result = GazetteerServiceClient::new(self.gazetteer.clone())
            .max_decoding_message_size(64 << 20)
            .max_encoding_message_size(64 << 20)
            .import(outgoing(chunks, &meta, Duration::from_secs(3600)))
            .await
            .map_err(Error::backend("gazetteer"))?
            .into_inner();
        Ok(Response::new(ImportPlacesResponse {
            result: Some(result),
        }))
    }

    type IngestStreamStream = IngestStream;

    #[instrument(skip_all)]
    async fn ingest_stream(
        &self,
        request: Request<tonic::Streaming<IngestStreamRequest>>,
    ) -> std::result::Result<Response<Self::IngestStreamStream>, Status> {
        let meta = request.metadata().clone();
        // documents pass through as they come (back-pressure end to end: the ingest service
        // reads them only as fast as it commits them); a message that does not decode ends
        // the stream, and the ingest service answers what it had
        let documents = tokio_stream::StreamExt::map_while(
            request.into_inner(),
            |d: std::result::Result<IngestStreamRequest, Status>| d.ok(),
        );
        // a bulk load takes as long as it takes: up to a day, or the caller's deadline
        let answers = self
            .ingest()
            .ingest_stream(outgoing(documents, &meta, Duration::from_secs(24 * 3600)))
            .await
            .map_err(Error::backend("ingest"))?
            .into_inner();
        let mapped = answers.map(|a| a.map_err(Error::backend_status("ingest")));
        Ok(Response::new(Box::pin(mapped)))
    }

    type ExportStream = ExportStream;

    #[instrument(skip_all)]
    async fn export(
        &self,
        request: Request<ExportRequest>,
    ) -> std::result::Result<Response<Self::ExportStream>, Status> {
        let meta = request.metadata().clone();
        let (text, content_type) = self.export_text(request.into_inner(), &meta).await?;
        let bytes = text.into_bytes();
        let pieces: Vec<std::result::Result<ExportResponse, Status>> = if bytes.is_empty() {
            vec![Ok(ExportResponse {
                data: Vec::new(),
                content_type: content_type.into(),
            })]
        } else {
            bytes
                .chunks(EXPORT_CHUNK)
                .enumerate()
                .map(|(i, c)| {
                    Ok(ExportResponse {
                        data: c.to_vec(),
                        content_type: if i == 0 {
                            content_type.into()
                        } else {
                            String::new()
                        },
                    })
                })
                .collect()
        };
        Ok(Response::new(Box::pin(futures::stream::iter(pieces))))
    }

    #[instrument(skip_all, fields(actor = %request.get_ref().actor))]
    async fn actor_profile(
        &self,
        request: Request<GetActorProfileRequest>,
    ) -> std::result::Result<Response<GetActorProfileResponse>, Status> {
        let meta = request.metadata().clone();
        Ok(Response::new(
            Gateway::actor_profile(self, request.into_inner(), &meta).await?,
        ))
    }

    #[instrument(skip_all, fields(region = %request.get_ref().region))]
    async fn summary(
        &self,
        request: Request<GetSummaryRequest>,
    ) -> std::result::Result<Response<GetSummaryResponse>, Status> {
        let meta = request.metadata().clone();
        Ok(Response::new(
            Gateway::summary(self, request.into_inner(), &meta).await?,
        ))
    }

    #[instrument(skip_all, fields(from = %request.get_ref().from_id, into = %request.get_ref().into_id))]
    async fn merge_place(
        &self,
        request: Request<MergePlaceRequest>,
    ) -> std::result::Result<Response<MergePlaceResponse>, Status> {
        let meta = request.metadata().clone();
        Ok(Response::new(
            Gateway::merge_place(self, request.into_inner(), &meta).await?,
        ))
    }

    #[instrument(skip_all)]
    async fn status(
        &self,
        _request: Request<GetStatusRequest>,
    ) -> std::result::Result<Response<GetStatusResponse>, Status> {
        Ok(Response::new(Gateway::status(self).await))
    }
}
