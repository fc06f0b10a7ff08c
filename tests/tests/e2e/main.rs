//! The end-to-end tests, one module per concern, linked into one test binary: each binary links
//! the whole suite (with the bundled world gazetteer), so ten of them cost ten links and about a
//! gigabyte of disk for no isolation the tests use (each test starts its own suite).

mod aggregates;
mod bad_input;
mod bulk;
mod exports;
mod grpcurl;
mod http_api;
mod postgres;
mod recovery;
mod security;
mod suite;
