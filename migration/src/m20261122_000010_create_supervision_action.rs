//! Supervision actions (督查, 督办): a supervisor presses a unit about a measure or problem —
//! rectification notice, named criticism, disposal recommendation, talk, written explanation,
//! criticism in a bulletin — and the unit answers by a due date.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000001_create_unit::Unit;
use crate::m20261122_000004_create_problem::Problem;
use crate::m20261122_000005_create_measure::Measure;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SupervisionAction::Table)
                    .col(pk_uuid(SupervisionAction::Id))
                    .col(string_len(SupervisionAction::Kind, 32))
                    .col(uuid(SupervisionAction::TargetUnitId))
                    .col(uuid_null(SupervisionAction::MeasureId))
                    .col(uuid_null(SupervisionAction::ProblemId))
                    .col(text(SupervisionAction::Content))
                    .col(date_null(SupervisionAction::ResponseDue))
                    .col(string_len(SupervisionAction::IssuedBy, 64))
                    .col(string_len(SupervisionAction::IssuerName, 200))
                    .col(timestamp_with_time_zone(SupervisionAction::IssuedAt))
                    .col(text_null(SupervisionAction::Response))
                    .col(string_len_null(SupervisionAction::ResponderId, 64))
                    .col(string_len_null(SupervisionAction::ResponderName, 200))
                    .col(timestamp_with_time_zone_null(SupervisionAction::RespondedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_supervision_unit")
                            .from(SupervisionAction::Table, SupervisionAction::TargetUnitId)
                            .to(Unit::Table, Unit::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_supervision_measure")
                            .from(SupervisionAction::Table, SupervisionAction::MeasureId)
                            .to(Measure::Table, Measure::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_supervision_problem")
                            .from(SupervisionAction::Table, SupervisionAction::ProblemId)
                            .to(Problem::Table, Problem::Id),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, col) in [
            ("idx_supervision_unit", SupervisionAction::TargetUnitId),
            ("idx_supervision_kind", SupervisionAction::Kind),
            ("idx_supervision_due", SupervisionAction::ResponseDue),
            ("idx_supervision_measure", SupervisionAction::MeasureId),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(SupervisionAction::Table)
                        .col(col)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(SupervisionAction::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
pub enum SupervisionAction {
    Table,
    Id,
    Kind,
    TargetUnitId,
    MeasureId,
    ProblemId,
    Content,
    ResponseDue,
    IssuedBy,
    IssuerName,
    IssuedAt,
    Response,
    ResponderId,
    ResponderName,
    RespondedAt,
}
