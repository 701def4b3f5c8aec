//! 回头看 without a reopen: a follow-up check of a closed measure that found it in order (or
//! not: then the measure is reopened as well), with who looked and when.

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
                    .table(LookBack::Table)
                    .col(pk_uuid(LookBack::Id))
                    .col(uuid(LookBack::MeasureId))
                    .col(date(LookBack::LookedOn))
                    .col(boolean(LookBack::FoundInOrder))
                    .col(text_null(LookBack::Note))
                    .col(string_len(LookBack::ReviewerId, 64))
                    .col(string_len(LookBack::ReviewerName, 200))
                    .col(timestamp_with_time_zone(LookBack::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_look_back_measure")
                            .from(LookBack::Table, LookBack::MeasureId)
                            .to(Measure::Table, Measure::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_look_back_measure")
                    .table(LookBack::Table)
                    .col(LookBack::MeasureId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(LookBack::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum LookBack {
    Table,
    Id,
    MeasureId,
    LookedOn,
    FoundInOrder,
    Note,
    ReviewerId,
    ReviewerName,
    CreatedAt,
}
