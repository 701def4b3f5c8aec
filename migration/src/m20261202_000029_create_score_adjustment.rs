//! 考核 加分/减分: an item that adds points to a unit's ranking score or takes them off, with
//! its basis and evidence, proposed by one supervisor and approved or refused by another. Only
//! approved items count, from the instant of their approval; a proposal is never deleted.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000001_create_unit::Unit;
use crate::m20261122_000003_create_campaign::Campaign;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ScoreAdjustment::Table)
                    .col(pk_uuid(ScoreAdjustment::Id))
                    .col(uuid(ScoreAdjustment::CampaignId))
                    .col(uuid(ScoreAdjustment::UnitId))
                    // BONUS (加分) or DEDUCTION (减分); `points` is always positive.
                    .col(string_len(ScoreAdjustment::Kind, 16))
                    // Hundredths of a point, 1–10000: 0.01 to 100 points.
                    .col(integer(ScoreAdjustment::PointsCenti))
                    .col(string_len(ScoreAdjustment::Item, 200))
                    .col(text(ScoreAdjustment::Basis))
                    .col(text(ScoreAdjustment::Evidence))
                    .col(string_len(ScoreAdjustment::ProposedBy, 64))
                    .col(string_len(ScoreAdjustment::ProposerName, 200))
                    // PROPOSED, then APPROVED or REFUSED once.
                    .col(string_len(ScoreAdjustment::Status, 16))
                    .col(string_len_null(ScoreAdjustment::DecidedBy, 64))
                    .col(string_len_null(ScoreAdjustment::DeciderName, 200))
                    .col(timestamp_with_time_zone_null(ScoreAdjustment::DecidedAt))
                    .col(text_null(ScoreAdjustment::DecisionNote))
                    .col(integer(ScoreAdjustment::Version))
                    .col(timestamp_with_time_zone(ScoreAdjustment::CreatedAt))
                    .col(timestamp_with_time_zone(ScoreAdjustment::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_score_adjustment_campaign")
                            .from(ScoreAdjustment::Table, ScoreAdjustment::CampaignId)
                            .to(Campaign::Table, Campaign::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_score_adjustment_unit")
                            .from(ScoreAdjustment::Table, ScoreAdjustment::UnitId)
                            .to(Unit::Table, Unit::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_score_adjustment_campaign")
                    .table(ScoreAdjustment::Table)
                    .col(ScoreAdjustment::CampaignId)
                    .col(ScoreAdjustment::Status)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ScoreAdjustment::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum ScoreAdjustment {
    Table,
    Id,
    CampaignId,
    UnitId,
    Kind,
    PointsCenti,
    Item,
    Basis,
    Evidence,
    ProposedBy,
    ProposerName,
    Status,
    DecidedBy,
    DeciderName,
    DecidedAt,
    DecisionNote,
    Version,
    CreatedAt,
    UpdatedAt,
}
