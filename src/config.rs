//! Configuration: defaults that work on a laptop, overridden by `TAIZHANG_*` environment
//! variables, overridden by command-line flags (clap reads both).

use clap::{Args, ValueEnum};

/// Every default of the configuration, in one place: the flags below, [`crate::startup::AppConfig`]
/// (tests and embedders) and [`crate::domain::Ledger`] all take theirs from here.
pub mod defaults {
    pub const DATABASE_URL: &str = "sqlite://taizhang.db?mode=rwc";
    pub const BIND: &str = "127.0.0.1:8080";
    pub const DB_MAX_CONNECTIONS: u32 = 16;
    /// 256 KiB: a GraphQL document and its variables.
    pub const MAX_BODY_BYTES: usize = 256 * 1024;
    /// 20 MiB: one evidence file.
    pub const MAX_UPLOAD_BYTES: usize = 20 * 1024 * 1024;
    pub const TOKEN_TTL_HOURS: u32 = 12;
    pub const REQUEST_TIMEOUT_SECS: u64 = 30;
    /// 0: one worker per core.
    pub const WORKERS: usize = 0;

    pub fn token_ttl() -> chrono::Duration {
        chrono::Duration::hours(i64::from(TOKEN_TTL_HOURS))
    }

    pub fn request_timeout() -> std::time::Duration {
        std::time::Duration::from_secs(REQUEST_TIMEOUT_SECS)
    }
}

#[derive(Debug, Clone, Args)]
pub struct Settings {
    /// Database URL: `sqlite://taizhang.db?mode=rwc` (default, next to where you start it) or
    /// `postgres://user@host/db`.
    #[arg(
        long,
        env = "TAIZHANG_DATABASE_URL",
        default_value = defaults::DATABASE_URL,
        global = true
    )]
    pub database_url: String,
    /// Address to listen on.
    #[arg(long, env = "TAIZHANG_BIND", default_value = defaults::BIND, global = true)]
    pub bind: String,
    /// Log output: `text` for people, `json` for collectors.
    #[arg(long, env = "TAIZHANG_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text, global = true)]
    pub log_format: LogFormat,
    /// Maximum database connections in the pool.
    #[arg(long, env = "TAIZHANG_DB_MAX_CONNECTIONS", default_value_t = defaults::DB_MAX_CONNECTIONS, global = true)]
    pub db_max_connections: u32,
    /// Largest accepted request body, in bytes.
    #[arg(long, env = "TAIZHANG_MAX_BODY_BYTES", default_value_t = defaults::MAX_BODY_BYTES, global = true)]
    pub max_body_bytes: usize,
    /// Largest evidence file accepted, in bytes (default 20 MiB).
    #[arg(long, env = "TAIZHANG_MAX_UPLOAD_BYTES", default_value_t = defaults::MAX_UPLOAD_BYTES, global = true)]
    pub max_upload_bytes: usize,
    /// How long a login's bearer token stays valid, in hours.
    #[arg(long, env = "TAIZHANG_TOKEN_TTL_HOURS", default_value_t = defaults::TOKEN_TTL_HOURS, global = true)]
    pub token_ttl_hours: u32,
    /// Wall-clock budget of one request in seconds: a request still running then is stopped
    /// and answered 503 with the code TIMEOUT.
    #[arg(long, env = "TAIZHANG_REQUEST_TIMEOUT_SECS", default_value_t = defaults::REQUEST_TIMEOUT_SECS, value_parser = clap::value_parser!(u64).range(1..=3600), global = true)]
    pub request_timeout_secs: u64,
    /// HTTP worker threads (0: one per core).
    #[arg(long, env = "TAIZHANG_WORKERS", default_value_t = defaults::WORKERS, global = true)]
    pub workers: usize,
    /// Reverse proxies (addresses or CIDR networks, comma-separated) whose `X-Forwarded-For`
    /// names the client for the login limits; none by default (the peer is the client).
    #[arg(long, env = "TAIZHANG_TRUSTED_PROXIES", default_value = "", value_parser = parse_proxies, global = true)]
    pub trusted_proxies: crate::http::client::TrustedProxies,
}

fn parse_proxies(list: &str) -> Result<crate::http::client::TrustedProxies, String> {
    crate::http::client::TrustedProxies::parse(list)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

impl Settings {
    /// The URL with any password replaced, for logs.
    pub fn redacted_database_url(&self) -> String {
        redact(&self.database_url)
    }
}

fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    match rest.split_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split(':').next().unwrap_or_default();
            if userinfo.contains(':') {
                format!("{scheme}://{user}:***@{host}")
            } else {
                format!("{scheme}://{user}@{host}")
            }
        }
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn passwords_never_reach_the_logs() {
        assert_eq!(
            super::redact("postgres://app:s3cret@db/ledger"),
            "postgres://app:***@db/ledger"
        );
        assert_eq!(super::redact("postgres://app@db/ledger"), "postgres://app@db/ledger");
        assert_eq!(
            super::redact("sqlite://taizhang.db?mode=rwc"),
            "sqlite://taizhang.db?mode=rwc"
        );
    }
}
