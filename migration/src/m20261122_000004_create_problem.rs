//! Problems found (查摆问题): the rows of the problem list of a campaign.

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
                    .table(Problem::Table)
                    .col(pk_uuid(Problem::Id))
                    .col(uuid(Problem::CampaignId))
                    .col(string_len(Problem::Code, 32))
                    .col(string_len(Problem::Title, 200))
                    .col(text_null(Problem::Description))
                    .col(string_len(Problem::Category, 50))
                    .col(string_len(Problem::Source, 32))
                    .col(string_len_null(Problem::SourceDetail, 200))
                    .col(date(Problem::FoundOn))
                    .col(string_len(Problem::ResponsibilityLevel, 32))
                    .col(string_len(Problem::Severity, 16))
                    .col(string_len(Problem::RectificationKind, 32))
                    .col(text_null(Problem::RootCause))
                    .col(uuid(Problem::LeadUnitId))
                    .col(string_len(Problem::Disclosure, 16))
                    // 老问题: a problem that repeats an earlier one.
                    .col(uuid_null(Problem::RepeatsProblemId))
                    .col(boolean(Problem::Archived).default(false))
                    .col(integer(Problem::Version))
                    .col(timestamp_with_time_zone(Problem::CreatedAt))
                    .col(timestamp_with_time_zone(Problem::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_problem_campaign")
                            .from(Problem::Table, Problem::CampaignId)
                            .to(Campaign::Table, Campaign::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_problem_lead_unit")
                            .from(Problem::Table, Problem::LeadUnitId)
                            .to(Unit::Table, Unit::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_problem_repeats")
                            .from(Problem::Table, Problem::RepeatsProblemId)
                            .to(Problem::Table, Problem::Id),
                    )
                    .to_owned(),
            )
            .await?;
        // Codes are how people cite a problem ("A-017"); unique within a campaign. The
        // application checks first for a friendly error; this index settles races.
        manager
            .create_index(
                Index::create()
                    .name("uq_problem_campaign_code")
                    .table(Problem::Table)
                    .col(Problem::CampaignId)
                    .col(Problem::Code)
                    .unique()
                    .to_owned(),
            )
            .await?;
        for (name, col) in [
            ("idx_problem_lead_unit", Problem::LeadUnitId),
            ("idx_problem_severity", Problem::Severity),
            ("idx_problem_rectification_kind", Problem::RectificationKind),
            ("idx_problem_category", Problem::Category),
            ("idx_problem_found_on", Problem::FoundOn),
        ] {
            manager
                .create_index(Index::create().name(name).table(Problem::Table).col(col).to_owned())
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Problem::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
pub enum Problem {
    Table,
    Id,
    CampaignId,
    Code,
    Title,
    Description,
    Category,
    Source,
    SourceDetail,
    FoundOn,
    ResponsibilityLevel,
    Severity,
    RectificationKind,
    RootCause,
    LeadUnitId,
    Disclosure,
    RepeatsProblemId,
    Archived,
    Version,
    CreatedAt,
    UpdatedAt,
}
