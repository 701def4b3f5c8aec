//! 督查 (inspections): a visit by an inspection group — its plan, its team (people of an
//! INSPECTION_GROUP unit), its dates, the units it visits, 明察 or 暗访 — and the problems its
//! findings became. Members, visited units and findings are rows of their own so that the
//! rights filter (a visited unit in the reader's scope) is a join.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000001_create_unit::Unit;
use crate::m20261122_000002_create_person::Person;
use crate::m20261122_000003_create_campaign::Campaign;
use crate::m20261122_000004_create_problem::Problem;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Inspection::Table)
                    .col(pk_uuid(Inspection::Id))
                    .col(uuid(Inspection::CampaignId))
                    .col(uuid(Inspection::GroupUnitId))
                    // OPEN (明察) or UNANNOUNCED (暗访).
                    .col(string_len(Inspection::Mode, 16))
                    .col(string_len(Inspection::Title, 200))
                    .col(text(Inspection::Plan))
                    .col(date(Inspection::StartsOn))
                    .col(date(Inspection::EndsOn))
                    .col(string_len(Inspection::RecordedBy, 64))
                    .col(string_len(Inspection::RecorderName, 200))
                    .col(integer(Inspection::Version))
                    .col(timestamp_with_time_zone(Inspection::CreatedAt))
                    .col(timestamp_with_time_zone(Inspection::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_inspection_campaign")
                            .from(Inspection::Table, Inspection::CampaignId)
                            .to(Campaign::Table, Campaign::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_inspection_group")
                            .from(Inspection::Table, Inspection::GroupUnitId)
                            .to(Unit::Table, Unit::Id),
                    )
                    .to_owned(),
            )
            .await?;
        link(
            manager,
            InspectionMember::Table,
            InspectionMember::PersonId,
            Person::Table,
            Person::Id,
        )
        .await?;
        link(
            manager,
            InspectionVisit::Table,
            InspectionVisit::UnitId,
            Unit::Table,
            Unit::Id,
        )
        .await?;
        link(
            manager,
            InspectionFinding::Table,
            InspectionFinding::ProblemId,
            Problem::Table,
            Problem::Id,
        )
        .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_inspection_campaign")
                    .table(Inspection::Table)
                    .col(Inspection::CampaignId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            InspectionFinding::Table.into_iden(),
            InspectionVisit::Table.into_iden(),
            InspectionMember::Table.into_iden(),
            Inspection::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}

/// A table of (inspection_id, `column`) pairs, each pair once, `column` referring to `to`.
async fn link(
    manager: &SchemaManager<'_>,
    table: impl IntoIden + Copy + 'static,
    column: impl IntoIden + Copy + 'static,
    to: impl IntoIden + 'static,
    to_id: impl IntoIden + 'static,
) -> Result<(), DbErr> {
    let name = table.into_iden().to_string();
    manager
        .create_table(
            Table::create()
                .table(table)
                .col(uuid(LinkColumn::InspectionId))
                .col(uuid(column))
                .primary_key(Index::create().col(LinkColumn::InspectionId).col(column))
                .foreign_key(
                    ForeignKey::create()
                        .name(format!("fk_{name}_inspection"))
                        .from(table, LinkColumn::InspectionId)
                        .to(Inspection::Table, Inspection::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name(format!("fk_{name}_target"))
                        .from(table, column)
                        .to(to, to_id),
                )
                .to_owned(),
        )
        .await?;
    manager
        .create_index(
            Index::create()
                .name(format!("idx_{name}_target"))
                .table(table)
                .col(column)
                .to_owned(),
        )
        .await
}

#[derive(DeriveIden)]
enum Inspection {
    Table,
    Id,
    CampaignId,
    GroupUnitId,
    Mode,
    Title,
    Plan,
    StartsOn,
    EndsOn,
    RecordedBy,
    RecorderName,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum LinkColumn {
    InspectionId,
}

#[derive(DeriveIden, Clone, Copy)]
enum InspectionMember {
    Table,
    PersonId,
}

#[derive(DeriveIden, Clone, Copy)]
enum InspectionVisit {
    Table,
    UnitId,
}

#[derive(DeriveIden, Clone, Copy)]
enum InspectionFinding {
    Table,
    ProblemId,
}
