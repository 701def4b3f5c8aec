//! Configuration, in layers: defaults that work on a laptop, then a TOML file (`--config` or
//! `TAIZHANG_CONFIG`), then `TAIZHANG_*` environment variables, then command-line flags. clap
//! reads the last two; [`layered_args`] puts the file's settings in front of the command line
//! as flags, for the keys the environment does not set, so each layer overrides the one below.

use std::ffi::OsString;

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
    /// A TOML file of settings (`bind = "0.0.0.0:8080"`, `database_url = "…"`, any flag's name
    /// with `_` or `-`), under the environment and the flags.
    #[arg(long, env = "TAIZHANG_CONFIG", global = true)]
    pub config: Option<std::path::PathBuf>,
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
    /// An OpenTelemetry collector (`http://host:4318`) to export traces to over OTLP/HTTP;
    /// none by default.
    #[arg(long, env = "TAIZHANG_OTLP_ENDPOINT", global = true)]
    pub otlp_endpoint: Option<String>,
    /// An `http://` URL that gets a signed JSON POST per audit event (webhooks); none by default.
    #[arg(long, env = "TAIZHANG_WEBHOOK_URL", global = true)]
    pub webhook_url: Option<String>,
    /// The HMAC-SHA256 key of the webhook signature (at least 16 characters; required with
    /// `--webhook-url`).
    #[arg(long, env = "TAIZHANG_WEBHOOK_SECRET", global = true, hide_env_values = true)]
    pub webhook_secret: Option<String>,
}

fn parse_proxies(list: &str) -> Result<crate::http::client::TrustedProxies, String> {
    crate::http::client::TrustedProxies::parse(list)
}

/// The path `--config PATH`, `--config=PATH` or `TAIZHANG_CONFIG` names, if any.
fn config_path(args: &[OsString], env: &dyn Fn(&str) -> Option<String>) -> Option<OsString> {
    let mut iter = args.iter().skip(1);
    while let Some(arg) = iter.next() {
        let text = arg.to_string_lossy();
        if text == "--config" {
            return iter.next().cloned();
        }
        if let Some(path) = text.strip_prefix("--config=") {
            return Some(OsString::from(path));
        }
        if text == "--" {
            break;
        }
    }
    env("TAIZHANG_CONFIG").map(OsString::from)
}

/// A TOML value as a flag's text: strings as they are, numbers and booleans printed, arrays of
/// them joined with commas (the trusted proxies).
fn flag_value(key: &str, value: &toml::Value) -> Result<String, String> {
    match value {
        toml::Value::String(s) => Ok(s.clone()),
        toml::Value::Integer(i) => Ok(i.to_string()),
        toml::Value::Float(f) => Ok(f.to_string()),
        toml::Value::Boolean(b) => Ok(b.to_string()),
        toml::Value::Array(items) => items
            .iter()
            .map(|v| flag_value(key, v))
            .collect::<Result<Vec<_>, _>>()
            .map(|v| v.join(",")),
        _ => Err(format!(
            "setting `{key}` must be a string, a number, a boolean or a list of them"
        )),
    }
}

/// The command line with the configuration file's settings in front, as flags, for every key
/// whose environment variable is not set (`env` reads the environment). Without a file, the
/// command line as it is. An unknown key, a file that cannot be read or parsed, is an error
/// that names it.
pub fn layered_args(args: Vec<OsString>, env: &dyn Fn(&str) -> Option<String>) -> Result<Vec<OsString>, String> {
    let Some(path) = config_path(&args, env) else {
        return Ok(args);
    };
    let shown = std::path::Path::new(&path).display().to_string();
    let text =
        std::fs::read_to_string(&path).map_err(|e| format!("cannot read the configuration file {shown}: {e}"))?;
    let table: toml::Table = text
        .parse()
        .map_err(|e| format!("the configuration file {shown} is not valid TOML: {e}"))?;
    let command = Settings::augment_args(clap::Command::new("taizhang"));
    let mut flags = Vec::new();
    for (key, value) in &table {
        let long = key.replace('_', "-");
        let arg = command
            .get_arguments()
            .find(|a| a.get_long() == Some(long.as_str()) && long != "config")
            .ok_or_else(|| format!("unknown setting `{key}` in the configuration file {shown}"))?;
        let overridden = arg
            .get_env()
            .and_then(|name| name.to_str())
            .is_some_and(|name| env(name).is_some());
        if !overridden {
            flags.push(OsString::from(format!("--{long}={}", flag_value(key, value)?)));
        }
    }
    let mut out = Vec::with_capacity(args.len() + flags.len());
    let mut rest = args.into_iter();
    out.extend(rest.next());
    out.extend(flags);
    out.extend(rest);
    Ok(out)
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
    use super::*;
    use clap::Parser;

    fn parse(file: &str, env: &[(&str, &str)], flags: &[&str]) -> Result<Settings, String> {
        let path = std::env::temp_dir().join(format!("taizhang-config-{}.toml", uuid::Uuid::now_v7().simple()));
        std::fs::write(&path, file).unwrap();
        let mut args: Vec<OsString> = vec!["taizhang".into(), "--config".into(), path.clone().into()];
        args.extend(flags.iter().map(OsString::from));
        let lookup = |name: &str| env.iter().find(|(k, _)| *k == name).map(|(_, v)| (*v).to_owned());
        let layered = layered_args(args, &lookup);
        std::fs::remove_file(&path).ok();
        let layered = layered?;
        // clap reads the real environment for the env layer: give it the test's through flags
        // instead, as the environment wins over the file and loses to the command line.
        let mut with_env = vec![layered[0].clone()];
        with_env.extend(
            layered[1..]
                .iter()
                .cloned()
                .take_while(|a| a.to_string_lossy() != "--config"),
        );
        for (name, value) in env {
            let long = name.trim_start_matches("TAIZHANG_").to_lowercase().replace('_', "-");
            with_env.push(format!("--{long}={value}").into());
        }
        with_env.extend(
            layered
                .iter()
                .skip_while(|a| a.to_string_lossy() != "--config")
                .cloned(),
        );
        crate::cli::Cli::try_parse_from(with_env)
            .map(|c| c.settings)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn the_file_sits_under_the_environment_and_the_flags() {
        let file = "bind = \"0.0.0.0:9000\"\nworkers = 3\nmax_body_bytes = 1024\ntrusted-proxies = [\"10.0.0.1\", \"10.1.0.0/16\"]\n";
        let s = parse(file, &[], &[]).unwrap();
        assert_eq!(
            (s.bind.as_str(), s.workers, s.max_body_bytes),
            ("0.0.0.0:9000", 3, 1024)
        );
        // The environment wins over the file; the flags over both.
        let s = parse(file, &[("TAIZHANG_WORKERS", "5")], &["--bind", "127.0.0.1:7000"]).unwrap();
        assert_eq!(
            (s.bind.as_str(), s.workers, s.max_body_bytes),
            ("127.0.0.1:7000", 5, 1024)
        );
        // Untouched settings keep their defaults.
        assert_eq!(s.token_ttl_hours, defaults::TOKEN_TTL_HOURS);
    }

    #[test]
    fn a_bad_file_is_refused_with_its_key() {
        let err = parse("no_such_setting = 1\n", &[], &[]).unwrap_err();
        assert!(err.contains("unknown setting `no_such_setting`"), "{err}");
        let err = parse("bind = [", &[], &[]).unwrap_err();
        assert!(err.contains("not valid TOML"), "{err}");
        let err = parse("workers = \"many\"\n", &[], &[]).unwrap_err();
        assert!(err.contains("workers"), "{err}");
        let missing = layered_args(
            vec!["taizhang".into(), "--config=/nonexistent/taizhang.toml".into()],
            &|_| None,
        );
        assert!(missing.unwrap_err().contains("cannot read"));
    }

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
