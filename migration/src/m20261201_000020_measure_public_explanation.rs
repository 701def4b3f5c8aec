//! A measure's explanation to the public (向群众说明情况): why a problem is solved step by step
//! (逐步解决) or cannot be solved yet. It was only the reason of a `declareLongTerm` event; as a
//! column it is shown with the measure to whoever may read it, the public included once the
//! measure is disclosed.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000005_create_measure::Measure;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Measure::Table)
                    .add_column(text_null(Explanation::PublicExplanation))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Measure::Table)
                    .drop_column(Explanation::PublicExplanation)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Explanation {
    PublicExplanation,
}
