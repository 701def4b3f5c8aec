//! Reporting rhythms (日报 / 周报 / 半月报 / 月报): a campaign says when progress is due, for all
//! its measures or per unit (JSON; null: no rhythm, nothing is ever due), and a progress report
//! names the period it covers, so that a missing report can be told from a late one. Reports
//! recorded before this migration, or under no rhythm, cover no period (both columns null).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Col::Campaign)
                    .add_column(text_null(Col::ReportRhythm))
                    .to_owned(),
            )
            .await?;
        for column in [Col::PeriodFrom, Col::PeriodTo] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Col::ProgressReport)
                        .add_column(date_null(column))
                        .to_owned(),
                )
                .await?;
        }
        // Which periods of a measure were reported: the missing-report query's lookup.
        manager
            .create_index(
                Index::create()
                    .name("idx_progress_report_measure_period")
                    .table(Col::ProgressReport)
                    .col(Col::MeasureId)
                    .col(Col::PeriodTo)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_progress_report_measure_period")
                    .table(Col::ProgressReport)
                    .to_owned(),
            )
            .await?;
        for column in [Col::PeriodTo, Col::PeriodFrom] {
            manager
                .alter_table(Table::alter().table(Col::ProgressReport).drop_column(column).to_owned())
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Col::Campaign)
                    .drop_column(Col::ReportRhythm)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Col {
    Campaign,
    ProgressReport,
    ReportRhythm,
    MeasureId,
    PeriodFrom,
    PeriodTo,
}
