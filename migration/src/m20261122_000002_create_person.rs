//! People (人员): heads of units, responsible leaders and responsible persons.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000001_create_unit::Unit;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Person::Table)
                    .col(pk_uuid(Person::Id))
                    .col(string_len(Person::Name, 100))
                    .col(uuid(Person::UnitId))
                    .col(string_len_null(Person::Position, 100))
                    // Contact data is personal: it is never disclosed publicly.
                    .col(string_len_null(Person::Contact, 200))
                    .col(boolean(Person::Archived).default(false))
                    .col(integer(Person::Version))
                    .col(timestamp_with_time_zone(Person::CreatedAt))
                    .col(timestamp_with_time_zone(Person::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_person_unit")
                            .from(Person::Table, Person::UnitId)
                            .to(Unit::Table, Unit::Id),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, col) in [("idx_person_unit", Person::UnitId), ("idx_person_name", Person::Name)] {
            manager
                .create_index(Index::create().name(name).table(Person::Table).col(col).to_owned())
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Person::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
pub enum Person {
    Table,
    Id,
    Name,
    UnitId,
    Position,
    Contact,
    Archived,
    Version,
    CreatedAt,
    UpdatedAt,
}
