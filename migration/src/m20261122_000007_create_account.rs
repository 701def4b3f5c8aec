//! Accounts (账号), their bearer tokens and failed logins: every audit event must name a real,
//! authenticated person ("表扬能找得到人，打板子也得能找到人").

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000002_create_person::Person;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Account::Table)
                    .col(pk_uuid(Account::Id))
                    // Lower-case login name; unique.
                    .col(string_len_uniq(Account::Username, 64))
                    // Shown in audit events as the actor's name at the time of the change.
                    .col(string_len(Account::DisplayName, 100))
                    .col(uuid_null(Account::PersonId))
                    // Argon2id PHC string; never leaves the server, never in audit snapshots.
                    .col(string_len(Account::PasswordHash, 255))
                    .col(boolean(Account::Disabled).default(false))
                    .col(integer(Account::Version))
                    .col(timestamp_with_time_zone(Account::CreatedAt))
                    .col(timestamp_with_time_zone(Account::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_account_person")
                            .from(Account::Table, Account::PersonId)
                            .to(Person::Table, Person::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AccessToken::Table)
                    .col(pk_uuid(AccessToken::Id))
                    .col(uuid(AccessToken::AccountId))
                    // SHA-256 of the bearer token (hex): a leaked table does not leak sessions.
                    .col(char_len_uniq(AccessToken::TokenHash, 64))
                    .col(timestamp_with_time_zone(AccessToken::CreatedAt))
                    .col(timestamp_with_time_zone(AccessToken::ExpiresAt))
                    .col(timestamp_with_time_zone_null(AccessToken::RevokedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_access_token_account")
                            .from(AccessToken::Table, AccessToken::AccountId)
                            .to(Account::Table, Account::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_access_token_account")
                    .table(AccessToken::Table)
                    .col(AccessToken::AccountId)
                    .to_owned(),
            )
            .await?;
        // Failed logins, kept in the database (not in memory) so that the per-username and
        // per-address limits hold across all server instances behind a load balancer.
        manager
            .create_table(
                Table::create()
                    .table(LoginFailure::Table)
                    .col(pk_uuid(LoginFailure::Id))
                    .col(string_len(LoginFailure::Username, 64))
                    .col(string_len(LoginFailure::Address, 64))
                    .col(timestamp_with_time_zone(LoginFailure::OccurredAt))
                    .to_owned(),
            )
            .await?;
        for (name, col) in [
            ("idx_login_failure_username", LoginFailure::Username),
            ("idx_login_failure_address", LoginFailure::Address),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(LoginFailure::Table)
                        .col(col)
                        .col(LoginFailure::OccurredAt)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(LoginFailure::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(AccessToken::Table).to_owned())
            .await?;
        manager.drop_table(Table::drop().table(Account::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
pub enum Account {
    Table,
    Id,
    Username,
    DisplayName,
    PersonId,
    PasswordHash,
    Disabled,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
pub enum AccessToken {
    Table,
    Id,
    AccountId,
    TokenHash,
    CreatedAt,
    ExpiresAt,
    RevokedAt,
}

#[derive(DeriveIden)]
pub enum LoginFailure {
    Table,
    Id,
    Username,
    Address,
    OccurredAt,
}
