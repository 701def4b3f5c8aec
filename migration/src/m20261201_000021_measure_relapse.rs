//! 反弹 (relapse): how often a closed measure was reopened because the problem came back, and
//! when last. Counted in the figures and the ranking.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000005_create_measure::Measure;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite adds one at a time.
        manager
            .alter_table(
                Table::alter()
                    .table(Measure::Table)
                    .add_column(integer(Relapse::RelapseCount).default(0))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Measure::Table)
                    .add_column(date_null(Relapse::LastRelapseOn))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [Relapse::LastRelapseOn, Relapse::RelapseCount] {
            manager
                .alter_table(Table::alter().table(Measure::Table).drop_column(column).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Relapse {
    RelapseCount,
    LastRelapseOn,
}
