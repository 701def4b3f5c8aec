//! 问责: who was held accountable and how (约谈, 通报批评, 诫勉谈话, 责令检查, 组织处理, 纪律处分,
//! 一票否决), recorded by the 纪委 (the DISCIPLINE role) with the deciding body and its document
//! number (文号). A record is never deleted: a decision that is withdrawn is revoked (撤销) with
//! a reason, and the row keeps both states.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000001_create_unit::Unit;
use crate::m20261122_000002_create_person::Person;
use crate::m20261122_000003_create_campaign::Campaign;
use crate::m20261122_000004_create_problem::Problem;
use crate::m20261122_000005_create_measure::Measure;
use crate::m20261122_000010_create_supervision_action::SupervisionAction;
use crate::m20261122_000017_create_bulletin::Bulletin;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Accountability::Table)
                    .col(pk_uuid(Accountability::Id))
                    // Bulletins and rankings are per campaign.
                    .col(uuid(Accountability::CampaignId))
                    .col(string_len(Accountability::Kind, 32))
                    // Always set: the unit held accountable, or the person's unit when the
                    // subject is a person (the scope the record is decided and read in).
                    .col(uuid(Accountability::SubjectUnitId))
                    .col(uuid_null(Accountability::SubjectPersonId))
                    // The basis: at least one of the four (the domain checks it).
                    .col(uuid_null(Accountability::ProblemId))
                    .col(uuid_null(Accountability::MeasureId))
                    .col(uuid_null(Accountability::SupervisionActionId))
                    .col(uuid_null(Accountability::BulletinId))
                    .col(text(Accountability::Facts))
                    .col(string_len(Accountability::DecidingBody, 200))
                    .col(string_len(Accountability::DocumentNumber, 100))
                    .col(date(Accountability::DecidedOn))
                    .col(string_len(Accountability::RecordedBy, 64))
                    .col(string_len(Accountability::RecorderName, 200))
                    .col(timestamp_with_time_zone_null(Accountability::RevokedAt))
                    .col(string_len_null(Accountability::RevokerName, 200))
                    .col(text_null(Accountability::RevokeReason))
                    .col(integer(Accountability::Version))
                    .col(timestamp_with_time_zone(Accountability::CreatedAt))
                    .col(timestamp_with_time_zone(Accountability::UpdatedAt))
                    .foreign_key(&mut fk(
                        "campaign",
                        Accountability::CampaignId,
                        Campaign::Table,
                        Campaign::Id,
                    ))
                    .foreign_key(&mut fk("unit", Accountability::SubjectUnitId, Unit::Table, Unit::Id))
                    .foreign_key(&mut fk(
                        "person",
                        Accountability::SubjectPersonId,
                        Person::Table,
                        Person::Id,
                    ))
                    .foreign_key(&mut fk(
                        "problem",
                        Accountability::ProblemId,
                        Problem::Table,
                        Problem::Id,
                    ))
                    .foreign_key(&mut fk(
                        "measure",
                        Accountability::MeasureId,
                        Measure::Table,
                        Measure::Id,
                    ))
                    .foreign_key(&mut fk(
                        "supervision",
                        Accountability::SupervisionActionId,
                        SupervisionAction::Table,
                        SupervisionAction::Id,
                    ))
                    .foreign_key(&mut fk(
                        "bulletin",
                        Accountability::BulletinId,
                        Bulletin::Table,
                        Bulletin::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        for (name, col) in [
            ("idx_accountability_campaign", Accountability::CampaignId),
            ("idx_accountability_unit", Accountability::SubjectUnitId),
            ("idx_accountability_person", Accountability::SubjectPersonId),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(Accountability::Table)
                        .col(col)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Accountability::Table).to_owned())
            .await
    }
}

fn fk(name: &str, from: Accountability, table: impl IntoIden, to: impl IntoIden) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_accountability_{name}"))
        .from(Accountability::Table, from)
        .to(table, to)
        .to_owned()
}

#[derive(DeriveIden, Clone, Copy)]
enum Accountability {
    Table,
    Id,
    CampaignId,
    Kind,
    SubjectUnitId,
    SubjectPersonId,
    ProblemId,
    MeasureId,
    SupervisionActionId,
    BulletinId,
    Facts,
    DecidingBody,
    DocumentNumber,
    DecidedOn,
    RecordedBy,
    RecorderName,
    RevokedAt,
    RevokerName,
    RevokeReason,
    Version,
    CreatedAt,
    UpdatedAt,
}
