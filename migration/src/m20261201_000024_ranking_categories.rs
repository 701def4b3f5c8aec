//! Ranking as offices rank: a unit may carry a ranking category (县直部门, 乡镇, …) and is ranked
//! among the units of its category; a unit without one (a 股室, a village branch) counts for
//! the nearest unit above it that has one. A campaign stores its ranking weights (JSON; null
//! means the documented defaults), so that every ranking and bulletin of the campaign uses the
//! same ones.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Col::Unit)
                    .add_column(string_len_null(Col::RankingCategory, 100))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Col::Campaign)
                    .add_column(text_null(Col::RankingWeights))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Col::Campaign)
                    .drop_column(Col::RankingWeights)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Col::Unit)
                    .drop_column(Col::RankingCategory)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Col {
    Unit,
    Campaign,
    RankingCategory,
    RankingWeights,
}
