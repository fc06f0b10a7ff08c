//! `Events` without re-encoding: the timeline's `QueryResponse` pages and the gateway's
//! `ListEventsResponse` pages are the same message on the wire (fields 1 `events`,
//! 2 `next_page_token`, 3 `exact_event_ids`, same types), so the gateway forwards each page's
//! bytes as they come instead of decoding and encoding every event. The request is still decoded
//! (a place name becomes the gazetteer's id), and a backend failure is still reported naming the
//! timeline. The token is checked before, by the server's layer, as for every other method.
//!
//! [`WithRawEvents`] wraps the generated server and answers that one method itself; every other
//! path goes to the generated server unchanged.

use std::convert::Infallible;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures::{Stream, StreamExt};
use prost::bytes::{Buf, BufMut, Bytes};
use prost::Message;
use sitrep_proto::v1::ListEventsRequest;
use tonic::body::Body;
use tonic::codec::{Codec, DecodeBuf, Decoder, EncodeBuf, Encoder};
use tonic::server::NamedService;
use tonic::{Request, Response, Status};

use crate::error::Error;
use crate::service::Gateway;

/// gRPC path of the method answered here.
pub const EVENTS_PATH: &str = "/sitrep.v1.GatewayService/Events";
const QUERY_PATH: &str = "/sitrep.v1.TimelineService/Query";

/// A codec that passes message bytes through untouched.
#[derive(Debug, Clone, Copy, Default)]
pub struct RawCodec;

#[derive(Debug, Clone, Copy, Default)]
pub struct RawEncoder;

#[derive(Debug, Clone, Copy, Default)]
pub struct RawDecoder;

impl Encoder for RawEncoder {
    type Item = Bytes;
    type Error = Status;

    fn encode(&mut self, item: Bytes, dst: &mut EncodeBuf<'_>) -> Result<(), Status> {
        dst.put(item);
        Ok(())
    }
}

impl Decoder for RawDecoder {
    type Item = Bytes;
    type Error = Status;

    fn decode(&mut self, src: &mut DecodeBuf<'_>) -> Result<Option<Bytes>, Status> {
        Ok(Some(src.copy_to_bytes(src.remaining())))
    }
}

impl Codec for RawCodec {
    type Encode = Bytes;
    type Decode = Bytes;
    type Encoder = RawEncoder;
    type Decoder = RawDecoder;

    fn encoder(&mut self) -> RawEncoder {
        RawEncoder
    }

    fn decoder(&mut self) -> RawDecoder {
        RawDecoder
    }
}

type PageStream = Pin<Box<dyn Stream<Item = Result<Bytes, Status>> + Send>>;
type BoxFuture<T> = Pin<Box<dyn std::future::Future<Output = T> + Send>>;

/// The `Events` method over raw pages.
struct Events(Gateway);

impl tonic::server::ServerStreamingService<Bytes> for Events {
    type Response = Bytes;
    type ResponseStream = PageStream;
    type Future = BoxFuture<Result<Response<PageStream>, Status>>;

    fn call(&mut self, request: Request<Bytes>) -> Self::Future {
        let gw = self.0.clone();
        Box::pin(async move {
            let meta = request.metadata().clone();
            let r = ListEventsRequest::decode(request.into_inner()).map_err(|e| {
                Error::InvalidArgument(format!("ListEventsRequest does not decode: {e}"))
            })?;
            let q = gw.events_query(r, &meta).await;
            let mut grpc =
                tonic::client::Grpc::new(gw.timeline.clone()).max_decoding_message_size(64 << 20);
            grpc.ready().await.map_err(|e| Error::Unreachable {
                service: "timeline",
                message: e.to_string(),
            })?;
            let req =
                sitrep_server::client::outgoing(Bytes::from(q.encode_to_vec()), &meta, gw.timeout);
            let path = http::uri::PathAndQuery::from_static(QUERY_PATH);
            let stream = grpc
                .server_streaming(req, path, RawCodec)
                .await
                .map_err(Error::backend("timeline"))?
                .into_inner();
            let pages: PageStream =
                Box::pin(stream.map(|page| page.map_err(Error::backend_status("timeline"))));
            Ok(Response::new(pages))
        })
    }
}

/// The generated gateway server, with `Events` answered by [`Events`].
#[derive(Clone)]
pub struct WithRawEvents<S> {
    pub inner: S,
    pub gateway: Gateway,
    pub max_message_bytes: usize,
}

impl<S> tower::Service<http::Request<Body>> for WithRawEvents<S>
where
    S: tower::Service<http::Request<Body>, Response = http::Response<Body>, Error = Infallible>
        + Clone
        + Send
        + 'static,
    S::Future: Send + 'static,
{
    type Response = http::Response<Body>;
    type Error = Infallible;
    type Future = BoxFuture<Result<http::Response<Body>, Infallible>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: http::Request<Body>) -> Self::Future {
        if req.uri().path() == EVENTS_PATH {
            let (gw, max) = (self.gateway.clone(), self.max_message_bytes);
            return Box::pin(async move {
                let mut grpc = tonic::server::Grpc::new(RawCodec)
                    .apply_max_message_size_config(Some(max), Some(max));
                Ok(grpc.server_streaming(Events(gw), req).await)
            });
        }
        // the inner service was made ready by poll_ready; keep a ready clone in its place
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        Box::pin(async move { inner.call(req).await })
    }
}

impl<S: NamedService> NamedService for WithRawEvents<S> {
    const NAME: &'static str = S::NAME;
}
