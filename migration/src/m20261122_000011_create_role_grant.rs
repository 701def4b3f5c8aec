//! Role grants: an account holds ADMIN, SUPERVISOR, EDITOR or VIEWER on a unit subtree or, with
//! no unit, on the whole tree. Revoking deletes the row; the audit trail keeps what it was.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000001_create_unit::Unit;
use crate::m20261122_000007_create_account::Account;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(RoleGrant::Table)
                    .col(pk_uuid(RoleGrant::Id))
                    .col(uuid(RoleGrant::AccountId))
                    // ADMIN, SUPERVISOR, EDITOR or VIEWER.
                    .col(string_len(RoleGrant::Role, 16))
                    // The root of the subtree the role covers; NULL means the whole tree.
                    .col(uuid_null(RoleGrant::UnitId))
                    .col(timestamp_with_time_zone(RoleGrant::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_role_grant_account")
                            .from(RoleGrant::Table, RoleGrant::AccountId)
                            .to(Account::Table, Account::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_role_grant_unit")
                            .from(RoleGrant::Table, RoleGrant::UnitId)
                            .to(Unit::Table, Unit::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_role_grant_account")
                    .table(RoleGrant::Table)
                    .col(RoleGrant::AccountId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(RoleGrant::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
pub enum RoleGrant {
    Table,
    Id,
    AccountId,
    Role,
    UnitId,
    CreatedAt,
}
