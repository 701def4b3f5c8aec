//! Evidence (佐证材料): files attached to a measure. Contents are stored once per SHA-256
//! (`evidence_blob`), never overwritten; an `evidence` row records who attached which content
//! under which name, and a wrong file is withdrawn with a reason, not deleted.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000005_create_measure::Measure;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(EvidenceBlob::Table)
                    // Lower-case hex SHA-256 of the content.
                    .col(char_len(EvidenceBlob::Sha256, 64).primary_key())
                    .col(big_integer(EvidenceBlob::Size))
                    .col(blob(EvidenceBlob::Content))
                    .col(timestamp_with_time_zone(EvidenceBlob::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Evidence::Table)
                    .col(pk_uuid(Evidence::Id))
                    .col(uuid(Evidence::MeasureId))
                    .col(char_len(Evidence::Sha256, 64))
                    .col(string_len(Evidence::FileName, 255))
                    .col(string_len(Evidence::MediaType, 100))
                    .col(big_integer(Evidence::Size))
                    .col(string_len_null(Evidence::Description, 1000))
                    .col(string_len(Evidence::UploadedBy, 64))
                    .col(string_len(Evidence::UploaderName, 100))
                    .col(timestamp_with_time_zone(Evidence::UploadedAt))
                    .col(timestamp_with_time_zone_null(Evidence::WithdrawnAt))
                    .col(string_len_null(Evidence::WithdrawnBy, 64))
                    .col(string_len_null(Evidence::WithdrawReason, 1000))
                    .col(integer(Evidence::Version))
                    .col(timestamp_with_time_zone(Evidence::CreatedAt))
                    .col(timestamp_with_time_zone(Evidence::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_evidence_measure")
                            .from(Evidence::Table, Evidence::MeasureId)
                            .to(Measure::Table, Measure::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_evidence_blob")
                            .from(Evidence::Table, Evidence::Sha256)
                            .to(EvidenceBlob::Table, EvidenceBlob::Sha256),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_evidence_measure")
                    .table(Evidence::Table)
                    .col(Evidence::MeasureId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Evidence::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(EvidenceBlob::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
pub enum EvidenceBlob {
    Table,
    Sha256,
    Size,
    Content,
    CreatedAt,
}

#[derive(DeriveIden)]
pub enum Evidence {
    Table,
    Id,
    MeasureId,
    Sha256,
    FileName,
    MediaType,
    Size,
    Description,
    UploadedBy,
    UploaderName,
    UploadedAt,
    WithdrawnAt,
    WithdrawnBy,
    WithdrawReason,
    Version,
    CreatedAt,
    UpdatedAt,
}
