//! Deadline extensions (延期申请): "只能提前，不能推后" — a later deadline needs approval, an
//! earlier one does not; the original deadline stays on the measure.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000005_create_measure::Measure;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // How many times the deadline was postponed; part of the row so snapshots carry it.
        manager
            .alter_table(
                Table::alter()
                    .table(Measure::Table)
                    .add_column(integer(MeasureExtensions::ExtensionCount).default(0))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(DeadlineExtension::Table)
                    .col(pk_uuid(DeadlineExtension::Id))
                    .col(uuid(DeadlineExtension::MeasureId))
                    .col(date(DeadlineExtension::PreviousDeadline))
                    .col(date(DeadlineExtension::RequestedDeadline))
                    .col(text(DeadlineExtension::Reason))
                    .col(string_len(DeadlineExtension::Status, 16))
                    .col(string_len(DeadlineExtension::RequestedBy, 64))
                    .col(string_len(DeadlineExtension::RequesterName, 200))
                    .col(timestamp_with_time_zone(DeadlineExtension::RequestedAt))
                    .col(string_len_null(DeadlineExtension::DecidedBy, 64))
                    .col(string_len_null(DeadlineExtension::DeciderName, 200))
                    .col(timestamp_with_time_zone_null(DeadlineExtension::DecidedAt))
                    .col(text_null(DeadlineExtension::DecisionComment))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_deadline_extension_measure")
                            .from(DeadlineExtension::Table, DeadlineExtension::MeasureId)
                            .to(Measure::Table, Measure::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_deadline_extension_measure")
                    .table(DeadlineExtension::Table)
                    .col(DeadlineExtension::MeasureId)
                    .col(DeadlineExtension::Status)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(DeadlineExtension::Table).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Measure::Table)
                    .drop_column(MeasureExtensions::ExtensionCount)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum MeasureExtensions {
    ExtensionCount,
}

#[derive(DeriveIden)]
pub enum DeadlineExtension {
    Table,
    Id,
    MeasureId,
    PreviousDeadline,
    RequestedDeadline,
    Reason,
    Status,
    RequestedBy,
    RequesterName,
    RequestedAt,
    DecidedBy,
    DeciderName,
    DecidedAt,
    DecisionComment,
}
