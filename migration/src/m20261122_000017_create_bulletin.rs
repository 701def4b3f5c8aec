//! Bulletins (通报): the documents a supervisor issues for a period of a campaign, kept as
//! generated (Markdown and HTML) with the audit checkpoint they were computed at.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000003_create_campaign::Campaign;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Bulletin::Table)
                    .col(pk_uuid(Bulletin::Id))
                    .col(uuid(Bulletin::CampaignId))
                    .col(date(Bulletin::PeriodFrom))
                    .col(date(Bulletin::PeriodTo))
                    .col(string_len(Bulletin::Title, 300))
                    // The instant the figures describe, and the last audit event at or before it.
                    .col(timestamp_with_time_zone(Bulletin::AsOf))
                    .col(big_integer(Bulletin::AuditSeq))
                    .col(string_len(Bulletin::AuditHash, 64))
                    .col(text(Bulletin::Markdown))
                    .col(text(Bulletin::Html))
                    .col(string_len(Bulletin::GeneratedBy, 200))
                    .col(timestamp_with_time_zone(Bulletin::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_bulletin_campaign")
                            .from(Bulletin::Table, Bulletin::CampaignId)
                            .to(Campaign::Table, Campaign::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_bulletin_campaign_created")
                    .table(Bulletin::Table)
                    .col(Bulletin::CampaignId)
                    .col(Bulletin::CreatedAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Bulletin::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
pub enum Bulletin {
    Table,
    Id,
    CampaignId,
    PeriodFrom,
    PeriodTo,
    Title,
    AsOf,
    AuditSeq,
    AuditHash,
    Markdown,
    Html,
    GeneratedBy,
    CreatedAt,
}
