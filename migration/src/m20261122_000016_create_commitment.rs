//! Public commitments (公开承诺): what a unit and its head pledged, by when, and how it was kept.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000001_create_unit::Unit;
use crate::m20261122_000002_create_person::Person;
use crate::m20261122_000003_create_campaign::Campaign;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Commitment::Table)
                    .col(pk_uuid(Commitment::Id))
                    .col(uuid(Commitment::CampaignId))
                    .col(uuid(Commitment::UnitId))
                    // Who pledged it, usually the unit's head.
                    .col(uuid_null(Commitment::PersonId))
                    .col(string_len(Commitment::Content, 5000))
                    .col(date(Commitment::DueOn))
                    // PLEDGED or FULFILLED.
                    .col(string_len(Commitment::Status, 16))
                    .col(date_null(Commitment::FulfilledOn))
                    .col(string_len_null(Commitment::FulfilmentNote, 5000))
                    .col(integer(Commitment::Version))
                    .col(timestamp_with_time_zone(Commitment::CreatedAt))
                    .col(timestamp_with_time_zone(Commitment::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_commitment_campaign")
                            .from(Commitment::Table, Commitment::CampaignId)
                            .to(Campaign::Table, Campaign::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_commitment_unit")
                            .from(Commitment::Table, Commitment::UnitId)
                            .to(Unit::Table, Unit::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_commitment_person")
                            .from(Commitment::Table, Commitment::PersonId)
                            .to(Person::Table, Person::Id),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Commitment::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
pub enum Commitment {
    Table,
    Id,
    CampaignId,
    UnitId,
    PersonId,
    Content,
    DueOn,
    Status,
    FulfilledOn,
    FulfilmentNote,
    Version,
    CreatedAt,
    UpdatedAt,
}
