//! Database connections: SQLite (the embedded default) or PostgreSQL, chosen by the URL;
//! migrations; and the write transactions every domain service uses.

pub mod backup;
pub mod grants;

use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use std::sync::Arc;

use sea_orm::{
    ConnectOptions, Database, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr, SqliteTransactionMode,
    TransactionOptions, TransactionTrait,
};
use tokio::sync::{Mutex, OwnedMutexGuard};

/// Connects to `url` with the pool settings taizhang relies on. For SQLite: WAL, a busy
/// timeout, `synchronous = NORMAL` and enforced foreign keys; the file is created if absent.
pub async fn connect(url: &str, max_connections: u32) -> Result<DatabaseConnection, DbErr> {
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .max_connections(max_connections)
        .min_connections(1)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(30))
        .sqlx_logging(false);
    if url.starts_with("sqlite:") {
        options.map_sqlx_sqlite_opts(|opts| {
            opts.create_if_missing(true)
                .journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(30))
                .foreign_keys(true)
        });
    }
    Database::connect(options).await
}

/// A connection that never writes, for checking a database: a SQLite file is opened read-only
/// and its journal mode left as it is (a copy in rollback-journal mode, a file on read-only
/// media), nothing is created and no migration runs.
pub async fn connect_read_only(url: &str) -> Result<DatabaseConnection, DbErr> {
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .max_connections(2)
        .min_connections(1)
        .connect_timeout(Duration::from_secs(10))
        .sqlx_logging(false);
    if url.starts_with("sqlite:") {
        options.map_sqlx_sqlite_opts(|opts| {
            opts.create_if_missing(false)
                .read_only(true)
                .busy_timeout(Duration::from_secs(30))
        });
    }
    Database::connect(options).await
}

/// How many migrations the database has not applied yet.
pub async fn pending_migrations(db: &DatabaseConnection) -> Result<usize, DbErr> {
    Ok(Migrator::get_pending_migrations(db).await?.len())
}

/// The pool's open connections, idle ones and limit.
pub fn pool_stats(db: &DatabaseConnection) -> (u32, u32, u32) {
    match db.get_database_backend() {
        sea_orm::DbBackend::Postgres => {
            let pool = db.get_postgres_connection_pool();
            (
                pool.size(),
                pool.num_idle() as u32,
                pool.options().get_max_connections(),
            )
        }
        _ => {
            let pool = db.get_sqlite_connection_pool();
            (
                pool.size(),
                pool.num_idle() as u32,
                pool.options().get_max_connections(),
            )
        }
    }
}

pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    Migrator::up(db, None).await
}

/// Begins a transaction that will write. On SQLite it is IMMEDIATE, taking the write lock at
/// once: a deferred transaction that upgrades later gets SQLITE_BUSY under WAL.
pub async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..Default::default()
    })
    .await
}

/// Takes the audit head's row lock first thing in a write transaction (PostgreSQL; SQLite's
/// IMMEDIATE transaction already holds the database's write lock). Writers are serialised anyway
/// when they append to the chain; taking the lock at the start rather than at the end means the
/// checks a service makes (no cycle in the unit tree, no active children before archiving,
/// deadlines after the found date, login failure counts) see every earlier write, so two
/// concurrent transactions cannot each pass a check the pair of them breaks, and `occurred_at`
/// follows `seq`.
pub async fn lock_audit_head(tx: &DatabaseTransaction) -> Result<(), DbErr> {
    use sea_orm::ConnectionTrait;
    if tx.get_database_backend() == DbBackend::Postgres {
        tx.execute_unprepared("SELECT seq FROM audit_head WHERE id = 1 FOR UPDATE")
            .await?;
    }
    Ok(())
}

/// Whether the database answers; for `/healthz`.
pub async fn ping(db: &DatabaseConnection) -> bool {
    db.ping().await.is_ok()
}

/// SQLite admits one writer at a time; a second `BEGIN IMMEDIATE` waits in SQLite's busy
/// handler, which sleeps and retries with growing pauses and serves nobody in order: under 16
/// concurrent writers that gave p99 latencies near a second. The gate queues this process's
/// writers first-come-first-served before they reach SQLite. PostgreSQL needs none: writers
/// queue on the audit head's row lock.
#[derive(Debug, Clone)]
pub struct WriteGate(Option<Arc<Mutex<()>>>);

/// A writer's turn at the gate; the next writer goes when it is dropped.
#[derive(Debug)]
pub struct WriteTurn {
    _guard: Option<OwnedMutexGuard<()>>,
}

impl WriteGate {
    pub fn for_backend(backend: DbBackend) -> Self {
        Self((backend == DbBackend::Sqlite).then(|| Arc::new(Mutex::new(()))))
    }

    pub async fn wait(&self) -> WriteTurn {
        match &self.0 {
            Some(mutex) => WriteTurn {
                _guard: Some(mutex.clone().lock_owned().await),
            },
            None => WriteTurn { _guard: None },
        }
    }
}
