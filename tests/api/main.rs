#![allow(clippy::unwrap_used, clippy::expect_used)] // a failing test is meant to panic
//! Integration tests: the real HTTP server on port 0, a fresh database per test, on SQLite
//! and (with TAIZHANG_TEST_POSTGRES_URL) PostgreSQL.

mod helpers;

mod accountability;
mod accounts;
mod allowed_actions;
mod audit;
mod bulletins;
mod calendar;
mod campaigns;
mod close_out;
mod concurrency;
mod console;
mod dataloaders;
mod demo;
mod evidence;
mod export;
mod extensions;
mod hostile;
mod http;
mod inbox;
mod inspections;
mod intake;
mod introspection;
mod lifecycle;
mod measures;
mod milestones;
mod node;
mod operations;
mod overdue;
mod pagination;
mod people;
mod permissions;
mod personal;
mod problems;
mod ranking;
mod receipts;
mod reports;
mod rhythms;
mod schema;
mod scoring;
mod session;
mod subscriptions;
mod supervision;
mod telemetry;
mod units;
mod webhooks;
