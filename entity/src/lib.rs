//! SeaORM entities of the taizhang ledger: one module per table, plus the enums stored in them.
//!
//! Entities mirror the schema defined in the `migration` crate. They are not the API: the
//! GraphQL layer has its own types, converted from these.

pub mod access_token;
pub mod account;
pub mod accountability;
pub mod audit_event;
pub mod audit_head;
pub mod bulletin;
pub mod calendar_day;
pub mod campaign;
pub mod commitment;
pub mod deadline_extension;
pub mod enums;
pub mod evidence;
pub mod evidence_blob;
pub mod feedback;
pub mod inbox_read;
pub mod inspection;
pub mod inspection_finding;
pub mod inspection_member;
pub mod inspection_visit;
pub mod login_failure;
pub mod look_back;
pub mod measure;
pub mod measure_cooperating_unit;
pub mod milestone;
pub mod person;
pub mod problem;
pub mod progress_report;
pub mod receipt;
pub mod role_grant;
pub mod satisfaction_survey;
pub mod score_adjustment;
pub mod supervision_action;
pub mod unit;
pub mod urging;
pub mod verification;
pub mod webhook_outbox;
