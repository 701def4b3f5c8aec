//! Campaigns (活动, 专项, 批次): the frame in which problems are found and rectified.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Campaign::Table)
                    .col(pk_uuid(Campaign::Id))
                    .col(string_len(Campaign::Name, 200))
                    .col(text_null(Campaign::Description))
                    .col(string_len(Campaign::Phase, 32))
                    .col(date(Campaign::StartsOn))
                    .col(date_null(Campaign::EndsOn))
                    .col(integer(Campaign::Version))
                    .col(timestamp_with_time_zone(Campaign::CreatedAt))
                    .col(timestamp_with_time_zone(Campaign::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_campaign_starts_on")
                    .table(Campaign::Table)
                    .col(Campaign::StartsOn)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Campaign::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
pub enum Campaign {
    Table,
    Id,
    Name,
    Description,
    Phase,
    StartsOn,
    EndsOn,
    Version,
    CreatedAt,
    UpdatedAt,
}
