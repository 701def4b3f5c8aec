//! PostgreSQL tells every server instance when the trail grows: an AFTER INSERT trigger on
//! `audit_event` sends `NOTIFY taizhang_audit` with the new seq. NOTIFY is transactional, so a
//! listener hears of an event only once its change has committed; each instance LISTENs and
//! feeds its subscriptions (`domain::feed`). SQLite is one process: the server signals itself
//! after each commit, and this migration does nothing there.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const POSTGRES_UP: &[&str] = &[
    "CREATE FUNCTION audit_event_notify() RETURNS trigger LANGUAGE plpgsql AS $$ \
     BEGIN \
       PERFORM pg_notify('taizhang_audit', NEW.seq::text); \
       RETURN NULL; \
     END $$",
    "CREATE TRIGGER audit_event_notify AFTER INSERT ON audit_event \
     FOR EACH ROW EXECUTE FUNCTION audit_event_notify()",
];

const POSTGRES_DOWN: &[&str] = &[
    "DROP TRIGGER IF EXISTS audit_event_notify ON audit_event",
    "DROP FUNCTION IF EXISTS audit_event_notify()",
];

async fn run(manager: &SchemaManager<'_>, postgres: &[&str]) -> Result<(), DbErr> {
    if manager.get_database_backend() != sea_orm::DbBackend::Postgres {
        return Ok(());
    }
    for sql in postgres {
        manager.get_connection().execute_unprepared(sql).await?;
    }
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        run(manager, POSTGRES_UP).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        run(manager, POSTGRES_DOWN).await
    }
}
