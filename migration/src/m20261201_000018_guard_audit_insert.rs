//! An event may only extend the chain: a BEFORE INSERT trigger refuses a row whose `seq` is not
//! the head's (the writer advances `audit_head.seq` first, in the same transaction) or whose
//! `prev_hash` is not the head's hash. Without it, a role with INSERT on `audit_event` (the
//! server's own) could add rows past the head that a verification stopping at the head never
//! read, and every later write would then fail on the primary key.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const SQLITE_UP: &[&str] = &["CREATE TRIGGER audit_event_extends_head BEFORE INSERT ON audit_event \
     WHEN NEW.seq IS NOT (SELECT seq FROM audit_head WHERE id = 1) \
       OR NEW.prev_hash IS NOT (SELECT hash FROM audit_head WHERE id = 1) \
     BEGIN SELECT RAISE(ABORT, 'audit_event must extend the chain head'); END"];

const POSTGRES_UP: &[&str] = &[
    "CREATE FUNCTION audit_event_extends_head() RETURNS trigger LANGUAGE plpgsql AS $$ \
     DECLARE head RECORD; \
     BEGIN \
       SELECT seq, hash INTO head FROM audit_head WHERE id = 1; \
       IF head.seq IS DISTINCT FROM NEW.seq OR head.hash IS DISTINCT FROM NEW.prev_hash THEN \
         RAISE EXCEPTION 'audit_event must extend the chain head' USING ERRCODE = 'integrity_constraint_violation'; \
       END IF; \
       RETURN NEW; \
     END $$",
    "CREATE TRIGGER audit_event_extends_head BEFORE INSERT ON audit_event \
     FOR EACH ROW EXECUTE FUNCTION audit_event_extends_head()",
];

const SQLITE_DOWN: &[&str] = &["DROP TRIGGER IF EXISTS audit_event_extends_head"];
const POSTGRES_DOWN: &[&str] = &[
    "DROP TRIGGER IF EXISTS audit_event_extends_head ON audit_event",
    "DROP FUNCTION IF EXISTS audit_event_extends_head()",
];

async fn run(manager: &SchemaManager<'_>, sqlite: &[&str], postgres: &[&str]) -> Result<(), DbErr> {
    let statements = match manager.get_database_backend() {
        sea_orm::DbBackend::Postgres => postgres,
        _ => sqlite,
    };
    for sql in statements {
        manager.get_connection().execute_unprepared(sql).await?;
    }
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        run(manager, SQLITE_UP, POSTGRES_UP).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        run(manager, SQLITE_DOWN, POSTGRES_DOWN).await
    }
}
