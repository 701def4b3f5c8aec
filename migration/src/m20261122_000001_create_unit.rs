//! Units (单位): the organisation tree every problem and measure hangs from.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Unit::Table)
                    .col(pk_uuid(Unit::Id))
                    .col(string_len(Unit::Name, 200))
                    // Short codes are what people type and print ("QS-SLJ"); unique so that
                    // imports and exports can refer to a unit by its code.
                    .col(string_len_uniq(Unit::ShortCode, 32))
                    .col(string_len(Unit::Kind, 32))
                    // Self reference: the tree. Cycles are refused by the application, which
                    // walks the ancestors of the new parent before saving.
                    .col(uuid_null(Unit::ParentId))
                    // The head is a person of this unit; a foreign key would make unit and
                    // person reference each other, so the application checks it instead.
                    .col(uuid_null(Unit::HeadId))
                    .col(integer(Unit::SortOrder).default(0))
                    // Units are archived, never deleted: history points at them.
                    .col(boolean(Unit::Archived).default(false))
                    .col(integer(Unit::Version))
                    .col(timestamp_with_time_zone(Unit::CreatedAt))
                    .col(timestamp_with_time_zone(Unit::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_unit_parent")
                            .from(Unit::Table, Unit::ParentId)
                            .to(Unit::Table, Unit::Id),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, col) in [
            ("idx_unit_parent", Unit::ParentId),
            ("idx_unit_kind", Unit::Kind),
            ("idx_unit_name", Unit::Name),
        ] {
            manager
                .create_index(Index::create().name(name).table(Unit::Table).col(col).to_owned())
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Unit::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
pub enum Unit {
    Table,
    Id,
    Name,
    ShortCode,
    Kind,
    ParentId,
    HeadId,
    SortOrder,
    Archived,
    Version,
    CreatedAt,
    UpdatedAt,
}
