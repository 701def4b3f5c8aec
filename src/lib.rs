#![recursion_limit = "256"]
//! taizhang (台账): a rectification ledger served over GraphQL, with an append-only,
//! hash-chained audit trail.
//!
//! Layers point one way: [`http`] → [`graphql`] → [`domain`] (with [`audit`]) → database.

pub mod audit;
pub mod cli;
pub mod config;
pub mod db;
pub mod demo;
pub mod domain;
pub mod graphql;
pub mod http;
pub mod metrics;
pub mod startup;
pub mod telemetry;
pub mod webhook;
