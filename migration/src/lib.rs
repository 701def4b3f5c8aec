//! The taizhang database schema, as an ordered list of SeaORM migrations.
//!
//! This crate is the only place the schema is defined. It deliberately does not import the
//! `entity` crate: a migration describes the schema as it was on the day it was written, while
//! entities follow the schema as it is now.

pub use sea_orm_migration::prelude::*;

mod m20261122_000001_create_unit;
mod m20261122_000002_create_person;
mod m20261122_000003_create_campaign;
mod m20261122_000004_create_problem;
mod m20261122_000005_create_measure;
mod m20261122_000006_create_audit_trail;
mod m20261122_000007_create_account;
mod m20261122_000008_create_verification_and_progress;
mod m20261122_000009_create_deadline_extension;
mod m20261122_000010_create_supervision_action;
mod m20261122_000011_create_role_grant;
mod m20261122_000012_create_calendar_day;
mod m20261122_000013_create_milestone;
mod m20261122_000014_create_evidence;
mod m20261122_000015_create_intake;
mod m20261122_000016_create_commitment;
mod m20261122_000017_create_bulletin;
mod m20261201_000018_guard_audit_insert;
mod m20261201_000019_campaign_close_out_rules;
mod m20261201_000020_measure_public_explanation;
mod m20261201_000021_measure_relapse;
mod m20261201_000022_create_look_back;
mod m20261201_000023_survey_disclosure;
mod m20261201_000024_ranking_categories;
mod m20261201_000025_bulletin_issue_number;
mod m20261201_000026_bulletin_public_edition;
mod m20261201_000027_notify_audit_append;
mod m20261202_000028_create_accountability;
mod m20261202_000029_create_score_adjustment;
mod m20261202_000030_create_inspection;
mod m20261202_000031_report_rhythm;
mod m20261202_000032_create_receipt_and_urging;
mod m20261203_000033_create_inbox_read;
mod m20261203_000034_create_webhook_outbox;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_create_unit::Migration),
            Box::new(m20261122_000002_create_person::Migration),
            Box::new(m20261122_000003_create_campaign::Migration),
            Box::new(m20261122_000004_create_problem::Migration),
            Box::new(m20261122_000005_create_measure::Migration),
            Box::new(m20261122_000006_create_audit_trail::Migration),
            Box::new(m20261122_000007_create_account::Migration),
            Box::new(m20261122_000008_create_verification_and_progress::Migration),
            Box::new(m20261122_000009_create_deadline_extension::Migration),
            Box::new(m20261122_000010_create_supervision_action::Migration),
            Box::new(m20261122_000011_create_role_grant::Migration),
            Box::new(m20261122_000012_create_calendar_day::Migration),
            Box::new(m20261122_000013_create_milestone::Migration),
            Box::new(m20261122_000014_create_evidence::Migration),
            Box::new(m20261122_000015_create_intake::Migration),
            Box::new(m20261122_000016_create_commitment::Migration),
            Box::new(m20261122_000017_create_bulletin::Migration),
            Box::new(m20261201_000018_guard_audit_insert::Migration),
            Box::new(m20261201_000019_campaign_close_out_rules::Migration),
            Box::new(m20261201_000020_measure_public_explanation::Migration),
            Box::new(m20261201_000021_measure_relapse::Migration),
            Box::new(m20261201_000022_create_look_back::Migration),
            Box::new(m20261201_000023_survey_disclosure::Migration),
            Box::new(m20261201_000024_ranking_categories::Migration),
            Box::new(m20261201_000025_bulletin_issue_number::Migration),
            Box::new(m20261201_000026_bulletin_public_edition::Migration),
            Box::new(m20261201_000027_notify_audit_append::Migration),
            Box::new(m20261202_000028_create_accountability::Migration),
            Box::new(m20261202_000029_create_score_adjustment::Migration),
            Box::new(m20261202_000030_create_inspection::Migration),
            Box::new(m20261202_000031_report_rhythm::Migration),
            Box::new(m20261202_000032_create_receipt_and_urging::Migration),
            Box::new(m20261203_000033_create_inbox_read::Migration),
            Box::new(m20261203_000034_create_webhook_outbox::Migration),
        ]
    }
}
