//! A bulletin's public edition (公开版): the seeds ask for results to be reported back to the
//! public (将测评情况向群众通报). Each bulletin is rendered twice when it is generated — the full
//! edition circulated to accounts, and a public edition that names units but no person and no
//! internal item — and carries a disclosure: PUBLIC bulletins are read without login, in their
//! public edition. Bulletins generated before have no public edition and stay INTERNAL.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000017_create_bulletin::Bulletin;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one thing at a time.
        for column in [
            string_len(Edition::Disclosure, 16).default("INTERNAL").to_owned(),
            text_null(Edition::PublicMarkdown).to_owned(),
            text_null(Edition::PublicHtml).to_owned(),
        ] {
            manager
                .alter_table(Table::alter().table(Bulletin::Table).add_column(column).to_owned())
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [Edition::PublicHtml, Edition::PublicMarkdown, Edition::Disclosure] {
            manager
                .alter_table(Table::alter().table(Bulletin::Table).drop_column(column).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Edition {
    Disclosure,
    PublicMarkdown,
    PublicHtml,
}
