//! The reminders inbox (提醒): what an account has marked read. The inbox itself is computed
//! from the ledger (what falls due, what was received, what was decided); a row here says that
//! the account has seen one item, by its stable key. Never changed or deleted.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Col::InboxRead)
                    .col(pk_uuid(Col::Id))
                    // The account's id (`account.id`), as the actor of the trail names it.
                    .col(string_len(Col::AccountId, 64))
                    // The item's key, e.g. `supervision:<id>` or `due:<measure id>:<deadline>`.
                    .col(string_len(Col::ItemKey, 200))
                    .col(timestamp_with_time_zone(Col::ReadAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_inbox_read_account_key")
                    .table(Col::InboxRead)
                    .col(Col::AccountId)
                    .col(Col::ItemKey)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Col::InboxRead).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum Col {
    InboxRead,
    Id,
    AccountId,
    ItemKey,
    ReadAt,
}
