//! The working-day calendar: public holidays (放假) and the weekend days worked in exchange
//! (调休上班), as the State Council announces them each year. Days not listed follow the week:
//! Monday to Friday are working days.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CalendarDay::Table)
                    .col(pk_uuid(CalendarDay::Id))
                    // One row per date.
                    .col(date(CalendarDay::Day).unique_key())
                    // HOLIDAY or WORKDAY.
                    .col(string_len(CalendarDay::Kind, 16))
                    // e.g. 国庆节, 国庆节调休上班.
                    .col(string_len(CalendarDay::Name, 100))
                    .col(integer(CalendarDay::Version))
                    .col(timestamp_with_time_zone(CalendarDay::CreatedAt))
                    .col(timestamp_with_time_zone(CalendarDay::UpdatedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(CalendarDay::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
pub enum CalendarDay {
    Table,
    Id,
    Day,
    Kind,
    Name,
    Version,
    CreatedAt,
    UpdatedAt,
}
