//! Milestones (时间节点) of a measure: dated intermediate steps. An overdue milestone makes its
//! measure overdue; a LONG_TERM measure is judged by its milestones alone.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000005_create_measure::Measure;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Milestone::Table)
                    .col(pk_uuid(Milestone::Id))
                    .col(uuid(Milestone::MeasureId))
                    .col(string_len(Milestone::Title, 200))
                    .col(date(Milestone::DueOn))
                    // Set once when the step is done; never cleared.
                    .col(date_null(Milestone::DoneOn))
                    .col(integer(Milestone::Version))
                    .col(timestamp_with_time_zone(Milestone::CreatedAt))
                    .col(timestamp_with_time_zone(Milestone::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_milestone_measure")
                            .from(Milestone::Table, Milestone::MeasureId)
                            .to(Measure::Table, Measure::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_milestone_measure")
                    .table(Milestone::Table)
                    .col(Milestone::MeasureId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Milestone::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
pub enum Milestone {
    Table,
    Id,
    MeasureId,
    Title,
    DueOn,
    DoneOn,
    Version,
    CreatedAt,
    UpdatedAt,
}
