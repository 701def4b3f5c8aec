//! SQLite backups while the server runs, and restores onto a stopped one.
//!
//! A backup is `VACUUM INTO`: SQLite writes a transactionally consistent, compacted copy of
//! the database as of one read transaction, while other connections keep reading and writing
//! (the online backup API's guarantee, reached through SQL: sqlx does not expose
//! `sqlite3_backup_*`, and this crate forbids unsafe code). The copy is a plain database file in
//! rollback-journal mode, checked with `audit verify` before it is reported written
//! (`taizhang db backup`, in `cli.rs`). A restore copies a verified backup over the configured
//! database, refusing while any connection holds it.

use std::path::{Path, PathBuf};

use sea_orm::{ConnectionTrait, DatabaseConnection, DbErr};

fn sql_string(path: &Path) -> String {
    format!("'{}'", path.display().to_string().replace('\'', "''"))
}

/// Writes a consistent copy of `db` (SQLite) to `to`, which must not exist yet.
pub async fn write_copy(db: &DatabaseConnection, to: &Path) -> Result<(), String> {
    if db.get_database_backend() != sea_orm::DbBackend::Sqlite {
        return Err(
            "taizhang db backup is for SQLite; back PostgreSQL up with pg_dump (docs/operations.md)".to_owned(),
        );
    }
    if to.exists() {
        return Err(format!(
            "{} exists already: a backup never overwrites a file",
            to.display()
        ));
    }
    db.execute_unprepared(&format!("VACUUM INTO {}", sql_string(to)))
        .await
        .map(|_| ())
        .map_err(|e| format!("writing the backup to {}: {e}", to.display()))
}

/// Whether some other connection holds the SQLite database at `path` (a running server, even
/// an idle one). Leaving WAL mode needs the database to itself, so `journal_mode = DELETE`
/// fails while anyone else has it open; it is about to be replaced anyway.
pub async fn in_use(path: &Path) -> Result<bool, DbErr> {
    use sea_orm::sqlx::sqlite::SqliteConnectOptions;
    use sea_orm::sqlx::{ConnectOptions as _, Connection as _, Row as _};
    let options = SqliteConnectOptions::new()
        .filename(path)
        .busy_timeout(std::time::Duration::from_millis(200));
    let mut conn = options.connect().await.map_err(|e| DbErr::Custom(e.to_string()))?;
    let mode = sea_orm::sqlx::query("PRAGMA journal_mode = DELETE")
        .fetch_one(&mut conn)
        .await;
    let _ = conn.close().await;
    Ok(match mode {
        Ok(row) => !row
            .try_get::<String, _>(0)
            .is_ok_and(|m| m.eq_ignore_ascii_case("delete")),
        Err(_) => true,
    })
}

/// The files SQLite keeps beside a database in WAL mode.
fn companions(path: &Path) -> [PathBuf; 2] {
    let name = path.display().to_string();
    [
        PathBuf::from(format!("{name}-wal")),
        PathBuf::from(format!("{name}-shm")),
    ]
}

/// Puts the file `from` in place of the database at `to`: copied beside it, then renamed over
/// it, the old WAL files removed, so that the database is either the old one or the backup.
pub fn replace_with(from: &Path, to: &Path) -> Result<(), String> {
    let staging = PathBuf::from(format!("{}.restoring", to.display()));
    std::fs::copy(from, &staging).map_err(|e| format!("copying {} beside {}: {e}", from.display(), to.display()))?;
    std::fs::File::open(&staging)
        .and_then(|f| f.sync_all())
        .map_err(|e| format!("syncing {}: {e}", staging.display()))?;
    for companion in companions(to) {
        if companion.exists() {
            std::fs::remove_file(&companion).map_err(|e| format!("removing {}: {e}", companion.display()))?;
        }
    }
    std::fs::rename(&staging, to).map_err(|e| format!("putting the backup in place of {}: {e}", to.display()))
}
