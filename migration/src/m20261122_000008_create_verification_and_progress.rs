//! The lifecycle's records: who submitted a measure, verifications (验收) and progress reports
//! (进展).

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000005_create_measure::Measure;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // The actor who submitted the measure: that account may not verify it.
        manager
            .alter_table(
                Table::alter()
                    .table(Measure::Table)
                    .add_column(string_len_null(MeasureSubmitter::SubmittedBy, 64))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Verification::Table)
                    .col(pk_uuid(Verification::Id))
                    .col(uuid(Verification::MeasureId))
                    .col(string_len(Verification::Result, 16))
                    .col(text_null(Verification::Comment))
                    .col(string_len(Verification::VerifierId, 64))
                    .col(string_len(Verification::VerifierName, 200))
                    // The seq of the measure's last audit event before the verification: the
                    // exact state the verifier approved or rejected.
                    .col(big_integer(Verification::ApprovedSeq))
                    .col(timestamp_with_time_zone(Verification::VerifiedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_verification_measure")
                            .from(Verification::Table, Verification::MeasureId)
                            .to(Measure::Table, Measure::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ProgressReport::Table)
                    .col(pk_uuid(ProgressReport::Id))
                    .col(uuid(ProgressReport::MeasureId))
                    .col(integer(ProgressReport::Percent))
                    .col(text(ProgressReport::Text))
                    .col(date(ProgressReport::ReportedOn))
                    .col(string_len(ProgressReport::ReporterId, 64))
                    .col(string_len(ProgressReport::ReporterName, 200))
                    .col(timestamp_with_time_zone(ProgressReport::CreatedAt))
                    .check(Expr::col(ProgressReport::Percent).between(0, 100))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_progress_report_measure")
                            .from(ProgressReport::Table, ProgressReport::MeasureId)
                            .to(Measure::Table, Measure::Id),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, table, col) in [
            (
                "idx_verification_measure",
                Verification::Table.into_iden(),
                Verification::MeasureId.into_iden(),
            ),
            (
                "idx_progress_report_measure",
                ProgressReport::Table.into_iden(),
                ProgressReport::MeasureId.into_iden(),
            ),
        ] {
            manager
                .create_index(Index::create().name(name).table(table).col(col).to_owned())
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ProgressReport::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Verification::Table).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Measure::Table)
                    .drop_column(MeasureSubmitter::SubmittedBy)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum MeasureSubmitter {
    SubmittedBy,
}

#[derive(DeriveIden)]
pub enum Verification {
    Table,
    Id,
    MeasureId,
    Result,
    Comment,
    VerifierId,
    VerifierName,
    ApprovedSeq,
    VerifiedAt,
}

#[derive(DeriveIden)]
pub enum ProgressReport {
    Table,
    Id,
    MeasureId,
    Percent,
    Text,
    ReportedOn,
    ReporterId,
    ReporterName,
    CreatedAt,
}
