//! Satisfaction surveys (满意度测评) can be disclosed like problems and measures: the seeds ask
//! for the results to be reported back to the public (将测评情况向群众通报). Existing surveys stay
//! INTERNAL.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Survey::SatisfactionSurvey)
                    .add_column(string_len(Survey::Disclosure, 16).default("INTERNAL"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Survey::SatisfactionSurvey)
                    .drop_column(Survey::Disclosure)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Survey {
    SatisfactionSurvey,
    Disclosure,
}
