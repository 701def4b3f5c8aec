//! The PostgreSQL privileges of the role the server runs as (docs/operations.md): generated
//! from the tables the migrations created, so that a new table cannot be forgotten. Every
//! table gets what the code does with it; the audit trail gets SELECT and INSERT only, so the
//! server's role can never rewrite history.

use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, DbErr, Statement};

/// What the server does with a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Use {
    /// Appended and read, never changed or removed (the audit trail, records).
    Append,
    /// Read, created and changed (most of the ledger).
    Keep,
    /// Read, created and deleted (lists replaced whole, revoked grants, pruned failures).
    Replace,
    /// Read, created, changed and deleted (calendar days).
    Edit,
    /// Read and changed, one row created by the migrations (the audit head).
    Change,
    /// Read only (the migrations' own bookkeeping).
    Read,
}

impl Use {
    fn privileges(self) -> &'static str {
        match self {
            Use::Append => "SELECT, INSERT",
            Use::Keep => "SELECT, INSERT, UPDATE",
            Use::Replace => "SELECT, INSERT, DELETE",
            Use::Edit => "SELECT, INSERT, UPDATE, DELETE",
            Use::Change => "SELECT, UPDATE",
            Use::Read => "SELECT",
        }
    }
}

/// Every table of the schema and what the server does with it. A migration that adds a table
/// must add it here: [`statements`] refuses a table it does not know.
pub const TABLES: &[(&str, Use)] = &[
    ("seaql_migrations", Use::Read),
    ("audit_event", Use::Append),
    ("audit_head", Use::Change),
    ("unit", Use::Keep),
    ("person", Use::Keep),
    ("campaign", Use::Keep),
    ("problem", Use::Keep),
    ("measure", Use::Keep),
    ("measure_cooperating_unit", Use::Replace),
    ("milestone", Use::Keep),
    ("account", Use::Keep),
    ("access_token", Use::Keep),
    ("login_failure", Use::Replace),
    ("role_grant", Use::Replace),
    ("verification", Use::Append),
    ("progress_report", Use::Append),
    ("deadline_extension", Use::Keep),
    ("supervision_action", Use::Keep),
    ("evidence", Use::Keep),
    ("evidence_blob", Use::Append),
    ("calendar_day", Use::Edit),
    ("feedback", Use::Keep),
    ("satisfaction_survey", Use::Keep),
    ("commitment", Use::Keep),
    ("bulletin", Use::Keep),
    ("look_back", Use::Append),
    ("accountability", Use::Keep),
    ("score_adjustment", Use::Keep),
    ("inspection", Use::Keep),
    ("inspection_member", Use::Append),
    ("inspection_visit", Use::Append),
    ("inspection_finding", Use::Append),
    ("receipt", Use::Keep),
    ("urging", Use::Append),
    ("inbox_read", Use::Append),
    ("webhook_outbox", Use::Keep),
];

/// A role name as PostgreSQL accepts it unquoted (lower-case letters, digits, `_`; not
/// starting with a digit), so that it can be written into the statements.
fn check_role(role: &str) -> Result<(), String> {
    let ok = !role.is_empty()
        && role.len() <= 63
        && role
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !role.starts_with(|c: char| c.is_ascii_digit());
    if ok {
        Ok(())
    } else {
        Err(format!(
            "role `{role}`: use 1–63 lower-case letters, digits and _ (not starting with a digit)"
        ))
    }
}

/// The tables of the current schema.
async fn tables(db: &DatabaseConnection) -> Result<Vec<String>, DbErr> {
    let rows = db
        .query_all_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT table_name FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name",
        ))
        .await?;
    rows.iter().map(|r| r.try_get::<String>("", "table_name")).collect()
}

/// The statements that give `role` what the server needs on the migrated database `db`, in
/// order; an error for SQLite, a bad role name or a table [`TABLES`] does not know.
pub async fn statements(db: &DatabaseConnection, role: &str) -> Result<Vec<String>, String> {
    if db.get_database_backend() != DbBackend::Postgres {
        return Err("roles and grants are PostgreSQL's; SQLite has none".to_owned());
    }
    check_role(role)?;
    let found = tables(db).await.map_err(|e| format!("listing the tables: {e}"))?;
    let unknown: Vec<&str> = found
        .iter()
        .map(String::as_str)
        .filter(|t| !TABLES.iter().any(|(name, _)| name == t))
        .collect();
    if !unknown.is_empty() {
        return Err(format!(
            "tables without a privilege rule in src/db/grants.rs: {}",
            unknown.join(", ")
        ));
    }
    let (database, schema) = (current_database(db).await?, current_schema(db).await?);
    let mut out = vec![
        format!("GRANT CONNECT ON DATABASE {} TO {role};", quoted(&database)),
        // CREATE: the migrator's `CREATE TABLE IF NOT EXISTS seaql_migrations` at every start
        // needs it even when the table exists (docs/operations.md).
        format!("GRANT USAGE, CREATE ON SCHEMA {} TO {role};", quoted(&schema)),
    ];
    for (table, usage) in TABLES.iter().filter(|(t, _)| found.iter().any(|f| f == t)) {
        out.push(format!("GRANT {} ON {table} TO {role};", usage.privileges()));
    }
    // Whatever was granted before: the trail is never rewritten by the server's role.
    out.push(format!("REVOKE UPDATE, DELETE, TRUNCATE ON audit_event FROM {role};"));
    Ok(out)
}

/// An identifier in double quotes, any double quote doubled.
fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

async fn scalar(db: &DatabaseConnection, sql: &str) -> Result<String, String> {
    let row = db
        .query_one_raw(Statement::from_string(DbBackend::Postgres, sql))
        .await
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("`{sql}` answered nothing"))?;
    row.try_get_by_index::<String>(0).map_err(|e| e.to_string())
}

async fn current_schema(db: &DatabaseConnection) -> Result<String, String> {
    scalar(db, "SELECT current_schema()::text").await
}

async fn current_database(db: &DatabaseConnection) -> Result<String, String> {
    scalar(db, "SELECT current_database()::text").await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_names_are_checked_before_they_are_written_into_sql() {
        assert!(check_role("taizhang_app").is_ok());
        for bad in ["", "1app", "app; DROP TABLE audit_event", "App", "a-b"] {
            assert!(check_role(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_trail_is_append_only_and_every_table_is_listed_once() {
        let trail = TABLES.iter().find(|(t, _)| *t == "audit_event").map(|(_, u)| *u);
        assert_eq!(trail, Some(Use::Append));
        let mut names: Vec<&str> = TABLES.iter().map(|(t, _)| *t).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), TABLES.len());
    }
}
