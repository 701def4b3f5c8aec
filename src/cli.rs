//! The `taizhang` command line: serve (default), migrate, schema, demo, audit verify.

use std::net::TcpListener;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context as _;
use clap::{Parser, Subcommand};

use crate::config::Settings;
use crate::domain::clock::SystemClock;
use crate::domain::Ledger;
use crate::startup::{AppConfig, Application};

#[derive(Debug, Parser)]
#[command(
    name = "taizhang",
    version,
    // A flag given twice takes the last: the configuration file's settings come first.
    args_override_self = true,
    about = "整改台账: a rectification ledger with a tamper-evident audit trail"
)]
pub struct Cli {
    #[command(flatten)]
    pub settings: Settings,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the GraphQL API (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Print the GraphQL schema (SDL).
    Schema,
    /// Load the demo ledger (青山县, 深入学习实践科学发展观活动 第一批) into the database.
    Demo,
    /// Audit trail tools.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Account tools.
    Account {
        #[command(subcommand)]
        command: AccountCommand,
    },
    /// Database tools.
    Db {
        #[command(subcommand)]
        command: DbCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum DbCommand {
    /// Print the PostgreSQL GRANT statements the server's role needs, for the migrated
    /// database of `--database-url` (run it as the owner, after `migrate`; pipe it to psql).
    Grants {
        /// The role the server connects as, e.g. taizhang_app.
        #[arg(long)]
        role: String,
    },
    /// Write a consistent copy of the SQLite database of `--database-url` to a new file while
    /// the server runs, and verify its audit trail.
    Backup {
        /// The file to write (must not exist).
        #[arg(long)]
        to: std::path::PathBuf,
    },
    /// Put a backup in place of the SQLite database of `--database-url`, after verifying its
    /// audit trail; the server must be stopped.
    Restore {
        /// The backup file.
        #[arg(long)]
        from: std::path::PathBuf,
        /// Replace an existing database.
        #[arg(long)]
        force: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum AccountCommand {
    /// Create an account; the password is read from standard input, never from the command line.
    Create {
        #[arg(long)]
        username: String,
        /// The name shown as the actor in audit events.
        #[arg(long)]
        display_name: String,
        /// Link the account to a person (id).
        #[arg(long)]
        person_id: Option<uuid::Uuid>,
        /// Grant ADMIN on the whole unit tree: the way to create the first administrator.
        #[arg(long)]
        admin: bool,
    },
    /// Disable an account: its tokens stop working at once.
    Disable {
        #[arg(long)]
        username: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Walk the hash chain; exit 0 when intact, 1 and the first broken seq when broken, 2 when
    /// the database cannot be read.
    Verify,
}

pub async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let settings = cli.settings;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Schema => {
            print!("{}", crate::graphql::sdl());
            Ok(ExitCode::SUCCESS)
        }
        Command::Migrate => {
            open(&settings).await?;
            tracing::info!("migrations applied");
            Ok(ExitCode::SUCCESS)
        }
        Command::Serve => serve(settings).await,
        Command::Account { command } => account(&settings, command).await,
        Command::Db {
            command: DbCommand::Grants { role },
        } => print_grants(&settings, &role).await,
        Command::Db {
            command: DbCommand::Backup { to },
        } => backup(&settings, &to).await,
        Command::Db {
            command: DbCommand::Restore { from, force },
        } => restore(&settings, &from, force).await,
        Command::Demo => {
            let db = open(&settings).await?;
            let ledger = Ledger::new(db, Arc::new(SystemClock));
            let summary = crate::demo::load(&ledger).await.context("loading the demo ledger")?;
            println!("{summary}");
            Ok(ExitCode::SUCCESS)
        }
        Command::Audit {
            command: AuditCommand::Verify,
        } => {
            // Verifying must not conjure up an empty (and trivially intact) database.
            if let Some(path) = sqlite_path(&settings.database_url) {
                anyhow::ensure!(std::path::Path::new(path).exists(), "no database at {path}");
            }
            // Read-only: a copy or a backup is checked as it is, never migrated or changed.
            let db = crate::db::connect_read_only(&settings.database_url)
                .await
                .with_context(|| format!("connecting to {}", settings.redacted_database_url()))?;
            let v = crate::audit::verify(&db, None)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            if v.ok {
                println!(
                    "audit trail intact: {} events, head seq {} hash {}",
                    v.checked_events, v.head.seq, v.head.hash
                );
                Ok(ExitCode::SUCCESS)
            } else {
                println!(
                    "audit trail BROKEN at seq {}: {} events from seq 1 are intact; head seq {} hash {}",
                    v.first_broken_seq.unwrap_or_default(),
                    v.checked_events,
                    v.head.seq,
                    v.head.hash
                );
                Ok(ExitCode::from(1))
            }
        }
    }
}

/// Account commands run as the `system` actor with request id `cli`.
async fn account(settings: &Settings, command: AccountCommand) -> anyhow::Result<ExitCode> {
    let db = open(settings).await?;
    let ledger = Ledger::new(db, Arc::new(SystemClock));
    let ctx = crate::domain::context::RequestContext::system(Some("cli".to_owned()));
    match command {
        AccountCommand::Create {
            username,
            display_name,
            person_id,
            admin,
        } => {
            let password = read_password()?;
            let new = crate::domain::accounts::NewAccount {
                username,
                display_name,
                person_id,
                password,
            };
            let account = crate::domain::accounts::create(&ledger, &ctx, new)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("account {} created ({})", account.username, account.id);
            if admin {
                crate::domain::accounts::grants::grant(&ledger, &ctx, account.id, entity::enums::Role::Admin, None)
                    .await
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
                println!("granted ADMIN on the whole unit tree to {}", account.username);
            }
        }
        AccountCommand::Disable { username } => {
            let found = crate::domain::accounts::find_by_username(&ledger.db, &username)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?
                .ok_or_else(|| anyhow::anyhow!("no account {username}"))?;
            crate::domain::accounts::set_disabled(&ledger, &ctx, found.id, true)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("account {username} disabled");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// One line from standard input; on a terminal, prompted and not echoed.
fn read_password() -> anyhow::Result<String> {
    use std::io::{BufRead, IsTerminal, Write};
    let terminal = std::io::stdin().is_terminal();
    let stty = |arg: &str| {
        let _ = std::process::Command::new("stty")
            .arg(arg)
            .stdin(std::process::Stdio::inherit())
            .status();
    };
    if terminal {
        eprint!("password: ");
        std::io::stderr().flush()?;
        stty("-echo");
    }
    let mut line = String::new();
    let read = std::io::stdin().lock().read_line(&mut line);
    if terminal {
        stty("echo");
        eprintln!();
    }
    read.context("reading the password from standard input")?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

/// The file of a SQLite URL (`sqlite://file.db?mode=rwc` → `file.db`), if it is one.
fn sqlite_path(url: &str) -> Option<&str> {
    let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    (!path.is_empty() && !path.starts_with(":memory:")).then_some(path)
}

/// The audit trail of the SQLite file at `path`, verified read-only: its one-line summary, or
/// why it does not hold.
async fn verified_file(path: &std::path::Path) -> anyhow::Result<String> {
    let url = format!("sqlite://{}?mode=ro", path.display());
    let db = crate::db::connect_read_only(&url)
        .await
        .with_context(|| format!("opening {}", path.display()))?;
    let v = crate::audit::verify(&db, None)
        .await
        .map_err(|e| anyhow::anyhow!("verifying {}: {e}", path.display()))?;
    db.close().await.ok();
    anyhow::ensure!(
        v.ok,
        "the audit trail of {} is BROKEN at seq {}",
        path.display(),
        v.first_broken_seq.unwrap_or_default()
    );
    Ok(format!(
        "{} events, head seq {} hash {}",
        v.checked_events, v.head.seq, v.head.hash
    ))
}

/// `taizhang db backup --to FILE`.
async fn backup(settings: &Settings, to: &std::path::Path) -> anyhow::Result<ExitCode> {
    anyhow::ensure!(
        sqlite_path(&settings.database_url).is_some(),
        "taizhang db backup is for SQLite; back PostgreSQL up with pg_dump (docs/operations.md)"
    );
    let db = open(settings).await?;
    crate::db::backup::write_copy(&db, to)
        .await
        .map_err(|e| anyhow::anyhow!(e))?;
    let summary = verified_file(to).await?;
    println!("backup written to {} and verified: {summary}", to.display());
    Ok(ExitCode::SUCCESS)
}

/// `taizhang db restore --from FILE [--force]`.
async fn restore(settings: &Settings, from: &std::path::Path, force: bool) -> anyhow::Result<ExitCode> {
    let target = sqlite_path(&settings.database_url)
        .map(std::path::PathBuf::from)
        .ok_or_else(|| {
            anyhow::anyhow!(
                "taizhang db restore is for SQLite; restore PostgreSQL with pg_restore (docs/operations.md)"
            )
        })?;
    anyhow::ensure!(from.is_file(), "no backup at {}", from.display());
    verified_file(from).await?;
    if target.exists() {
        anyhow::ensure!(
            force,
            "{} exists: add --force to replace it with the backup",
            target.display()
        );
        anyhow::ensure!(
            !crate::db::backup::in_use(&target).await?,
            "{} is in use (a server is running on it): stop it first",
            target.display()
        );
    }
    crate::db::backup::replace_with(from, &target).map_err(|e| anyhow::anyhow!(e))?;
    let summary = verified_file(&target).await?;
    println!(
        "restored {} to {} and verified: {summary}",
        from.display(),
        target.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// `taizhang db grants --role …`: the statements, one per line, for psql.
async fn print_grants(settings: &Settings, role: &str) -> anyhow::Result<ExitCode> {
    let db = open(settings).await?;
    let statements = crate::db::grants::statements(&db, role)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    for s in statements {
        println!("{s}");
    }
    Ok(ExitCode::SUCCESS)
}

async fn open(settings: &Settings) -> anyhow::Result<sea_orm::DatabaseConnection> {
    let db = crate::db::connect(&settings.database_url, settings.db_max_connections)
        .await
        .with_context(|| format!("connecting to {}", settings.redacted_database_url()))?;
    crate::db::migrate(&db).await.context("applying migrations")?;
    Ok(db)
}

/// The webhook settings: both the URL and the secret, or neither.
fn webhook_config(settings: &Settings) -> anyhow::Result<Option<crate::webhook::WebhookConfig>> {
    match (&settings.webhook_url, &settings.webhook_secret) {
        (None, None) => Ok(None),
        (Some(url), Some(secret)) => Ok(Some(
            crate::webhook::WebhookConfig::new(url, secret).map_err(anyhow::Error::msg)?,
        )),
        _ => anyhow::bail!("--webhook-url and --webhook-secret go together"),
    }
}

async fn serve(settings: Settings) -> anyhow::Result<ExitCode> {
    let db = open(&settings).await?;
    let listener = TcpListener::bind(&settings.bind).with_context(|| format!("binding {}", settings.bind))?;
    let config = AppConfig {
        max_body_bytes: settings.max_body_bytes,
        max_upload_bytes: settings.max_upload_bytes,
        workers: settings.workers,
        token_ttl: chrono::Duration::hours(i64::from(settings.token_ttl_hours)),
        request_timeout: std::time::Duration::from_secs(settings.request_timeout_secs),
        trusted_proxies: settings.trusted_proxies.clone(),
        webhook: webhook_config(&settings)?,
        ..AppConfig::default()
    };
    if crate::domain::accounts::count(&db)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?
        == 0
    {
        tracing::warn!(
            "no accounts yet: create the first administrator with `taizhang account create --admin --username admin --display-name 管理员` (password on stdin); until then only public items can be read"
        );
    }
    // The address actually bound (with `--bind 127.0.0.1:0`, the port the system chose): the
    // browser test reads it from this line.
    let address = listener
        .local_addr()
        .map_or_else(|_| settings.bind.clone(), |a| a.to_string());
    let app = Application::build(db, listener, config)?;
    tracing::info!(
        database = %settings.redacted_database_url(),
        "taizhang listening on http://{address}/ (the console; GraphQL, and GraphiQL in a browser, at /graphql)"
    );
    // actix-web stops accepting on SIGINT/SIGTERM and lets in-flight requests finish.
    app.server.await?;
    tracing::info!("taizhang stopped");
    Ok(ExitCode::SUCCESS)
}
