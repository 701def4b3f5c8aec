//! The audit trail (审计日志, 留痕): an append-only, hash-chained table of events and the
//! single-row head that serialises the chain. See docs/audit.md for the hashing recipe.

use sea_orm_migration::{prelude::*, schema::*, sea_orm::DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The hash the first event chains from: 32 zero bytes, in hex.
const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.create_table(audit_event_table()).await?;
        for (name, col) in [
            ("idx_audit_event_entity", AuditEvent::EntityId),
            ("idx_audit_event_entity_type", AuditEvent::EntityType),
            ("idx_audit_event_action", AuditEvent::Action),
            ("idx_audit_event_actor", AuditEvent::ActorId),
            ("idx_audit_event_occurred_at", AuditEvent::OccurredAt),
        ] {
            // (filter column, seq): every filtered list is ordered by seq.
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(AuditEvent::Table)
                        .col(col)
                        .col(AuditEvent::Seq)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(AuditHead::Table)
                    .col(integer(AuditHead::Id).primary_key())
                    .col(big_integer(AuditHead::Seq))
                    .col(char_len(AuditHead::Hash, 64))
                    // One row only: every business transaction updates it, which serialises
                    // the chain (row lock on PostgreSQL, write lock on SQLite).
                    .check(Expr::col(AuditHead::Id).eq(1))
                    .to_owned(),
            )
            .await?;
        manager
            .exec_stmt(
                Query::insert()
                    .into_table(AuditHead::Table)
                    .columns([AuditHead::Id, AuditHead::Seq, AuditHead::Hash])
                    .values_panic([1.into(), 0i64.into(), GENESIS_HASH.into()])
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        let statements: &[&str] = match manager.get_database_backend() {
            DbBackend::Postgres => POSTGRES_APPEND_ONLY,
            _ => SQLITE_APPEND_ONLY,
        };
        for statement in statements {
            db.execute_unprepared(statement).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() == DbBackend::Postgres {
            manager
                .get_connection()
                .execute_unprepared("DROP FUNCTION IF EXISTS audit_event_append_only() CASCADE")
                .await?;
        }
        manager
            .drop_table(Table::drop().table(AuditHead::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(AuditEvent::Table).to_owned())
            .await
    }
}

fn audit_event_table() -> TableCreateStatement {
    Table::create()
        .table(AuditEvent::Table)
        // Assigned from audit_head inside the business transaction: 1, 2, 3 … with no gaps.
        .col(big_integer(AuditEvent::Seq).primary_key())
        .col(timestamp_with_time_zone(AuditEvent::OccurredAt))
        .col(string_len(AuditEvent::ActorId, 64))
        // A snapshot of the actor's display name: renaming an account must not rewrite history.
        .col(string_len(AuditEvent::ActorName, 200))
        .col(string_len(AuditEvent::Action, 64))
        .col(string_len(AuditEvent::EntityType, 64))
        .col(uuid(AuditEvent::EntityId))
        .col(json_binary_null(AuditEvent::Before))
        .col(json_binary_null(AuditEvent::After))
        .col(text_null(AuditEvent::Reason))
        .col(string_len_null(AuditEvent::RequestId, 64))
        .col(char_len(AuditEvent::PrevHash, 64))
        .col(char_len(AuditEvent::Hash, 64))
        .to_owned()
}

/// SQLite: triggers that abort any UPDATE or DELETE of an event.
const SQLITE_APPEND_ONLY: &[&str] = &[
    "CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event \
     BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END",
    "CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event \
     BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END",
];

/// PostgreSQL: one function raised by row triggers (UPDATE, DELETE) and a statement trigger
/// (TRUNCATE). They fire for superusers too; only the table owner can disable them, so a
/// production server runs as a role that neither owns the table nor may alter it.
const POSTGRES_APPEND_ONLY: &[&str] = &[
    "CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ \
     BEGIN RAISE EXCEPTION 'audit_event is append-only' USING ERRCODE = 'insufficient_privilege'; END $$",
    "CREATE TRIGGER audit_event_no_update_delete BEFORE UPDATE OR DELETE ON audit_event \
     FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()",
    "CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event \
     FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()",
];

#[derive(DeriveIden)]
pub enum AuditEvent {
    Table,
    Seq,
    OccurredAt,
    ActorId,
    ActorName,
    Action,
    EntityType,
    EntityId,
    Before,
    After,
    Reason,
    RequestId,
    PrevHash,
    Hash,
}

#[derive(DeriveIden)]
pub enum AuditHead {
    Table,
    Id,
    Seq,
    Hash,
}
