//! 第N期: a bulletin carries its issue number within its campaign, assigned when it is
//! generated, so offices can cite it ("2026年第3期督查通报") and see that none is missing.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000017_create_bulletin::Bulletin;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Bulletin::Table)
                    .add_column(integer(Issue::IssueNumber).default(0))
                    .to_owned(),
            )
            .await?;
        // Bulletins generated before the column are numbered in the order they were generated,
        // per campaign, so the next one continues the series. (Their `bulletin.generate` events
        // predate the number; their snapshots read it as 0.) Plain SQL both engines run.
        manager
            .get_connection()
            .execute_unprepared(
                "UPDATE bulletin SET issue_number = (SELECT COUNT(*) FROM bulletin AS earlier \
                 WHERE earlier.campaign_id = bulletin.campaign_id \
                 AND (earlier.created_at < bulletin.created_at \
                 OR (earlier.created_at = bulletin.created_at AND earlier.id <= bulletin.id)))",
            )
            .await?;
        // One issue number per campaign: two generations racing cannot print the same 第N期.
        manager
            .create_index(
                Index::create()
                    .name("ux_bulletin_campaign_issue")
                    .table(Bulletin::Table)
                    .col(Bulletin::CampaignId)
                    .col(Issue::IssueNumber)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("ux_bulletin_campaign_issue")
                    .table(Bulletin::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Bulletin::Table)
                    .drop_column(Issue::IssueNumber)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Issue {
    IssueNumber,
}
