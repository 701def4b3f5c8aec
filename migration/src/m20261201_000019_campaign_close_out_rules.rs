//! A campaign's close-out (销号) rules: whether its measures must be verified by someone of an
//! inspection group (督查组), and whether the evidence file may be left out for problems
//! rectified at once (立行立改). Both default to the stricter rule's absence: off.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000003_create_campaign::Campaign;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite adds one at a time.
        for column in [
            CloseOut::VerifiedByInspectionGroup,
            CloseOut::EvidenceOptionalForImmediate,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Campaign::Table)
                        .add_column(boolean(column).default(false))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            CloseOut::EvidenceOptionalForImmediate,
            CloseOut::VerifiedByInspectionGroup,
        ] {
            manager
                .alter_table(Table::alter().table(Campaign::Table).drop_column(column).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden, Clone, Copy)]
pub enum CloseOut {
    VerifiedByInspectionGroup,
    EvidenceOptionalForImmediate,
}
