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
            let db = open(&settings).await?;
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
                    "audit trail BROKEN at seq {}: {} events verified before it; head seq {} hash {}",
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

/// The file of a SQLite URL (`sqlite://file.db?mode=rwc` → `file.db`), if it is one.
fn sqlite_path(url: &str) -> Option<&str> {
    let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    (!path.is_empty() && !path.starts_with(":memory:")).then_some(path)
}

async fn open(settings: &Settings) -> anyhow::Result<sea_orm::DatabaseConnection> {
    let db = crate::db::connect(&settings.database_url, settings.db_max_connections)
        .await
        .with_context(|| format!("connecting to {}", settings.redacted_database_url()))?;
    crate::db::migrate(&db).await.context("applying migrations")?;
    Ok(db)
}

async fn serve(settings: Settings) -> anyhow::Result<ExitCode> {
    let db = open(&settings).await?;
    let listener = TcpListener::bind(&settings.bind).with_context(|| format!("binding {}", settings.bind))?;
    let config = AppConfig {
        max_body_bytes: settings.max_body_bytes,
        workers: settings.workers,
        ..AppConfig::default()
    };
    let app = Application::build(db, listener, config)?;
    tracing::info!(
        database = %settings.redacted_database_url(),
        "taizhang listening on http://{}/graphql (GraphiQL in a browser)",
        settings.bind
    );
    // actix-web stops accepting on SIGINT/SIGTERM and lets in-flight requests finish.
    app.server.await?;
    tracing::info!("taizhang stopped");
    Ok(ExitCode::SUCCESS)
}
