//! Builds the application on a listener: the schema, the routes, the middleware.

use std::net::TcpListener;
use std::sync::Arc;

use actix_web::dev::Server;
use actix_web::{middleware, web, App, HttpServer};
use sea_orm::DatabaseConnection;
use tracing_actix_web::TracingLogger;

use crate::config::defaults;
use crate::domain::clock::{SharedClock, SystemClock};
use crate::domain::Ledger;
use crate::graphql::{build_schema, Limits};

/// What the server is built from. Tests pass their own connection and listener (port 0).
pub struct AppConfig {
    pub max_body_bytes: usize,
    /// The largest evidence file; multipart requests may be this much plus the form around it.
    pub max_upload_bytes: usize,
    pub workers: usize,
    pub limits: Limits,
    pub clock: SharedClock,
    pub token_ttl: chrono::Duration,
    /// The wall-clock budget of one request until its response starts (`--request-timeout-secs`).
    pub request_timeout: std::time::Duration,
    /// Reverse proxies whose `X-Forwarded-For` names the client (`--trusted-proxies`).
    pub trusted_proxies: crate::http::client::TrustedProxies,
    /// Where every audit event is POSTed (`--webhook-url`); none: no outbox, no deliverer.
    pub webhook: Option<crate::webhook::WebhookConfig>,
}

impl Default for AppConfig {
    fn default() -> Self {
        Self {
            max_body_bytes: defaults::MAX_BODY_BYTES,
            max_upload_bytes: defaults::MAX_UPLOAD_BYTES,
            workers: defaults::WORKERS,
            limits: Limits::default(),
            clock: Arc::new(SystemClock),
            token_ttl: defaults::token_ttl(),
            request_timeout: defaults::request_timeout(),
            trusted_proxies: crate::http::client::TrustedProxies::default(),
            webhook: None,
        }
    }
}

/// A running server and the port it listens on.
pub struct Application {
    pub port: u16,
    pub server: Server,
}

impl Application {
    pub fn build(db: DatabaseConnection, listener: TcpListener, config: AppConfig) -> std::io::Result<Self> {
        let port = listener.local_addr()?.port();
        let ledger = Ledger::new(db, config.clock.clone())
            .with_token_ttl(config.token_ttl)
            .with_upload_limit(config.max_upload_bytes)
            .with_outbox(config.webhook.is_some());
        // One feed of committed changes per server, for its subscriptions.
        tokio::spawn(crate::domain::feed::run(ledger.clone()));
        // One webhook deliverer, sending what the outbox holds (also what a crash left there).
        if let Some(webhook) = config.webhook.clone() {
            tokio::spawn(crate::webhook::run(ledger.clone(), webhook));
        }
        let schema = web::Data::new(build_schema(ledger.clone(), config.limits));
        let ledger = web::Data::new(ledger);
        let max_body = config.max_body_bytes;
        let limits = config.limits;
        let budget = crate::http::RequestBudget(config.request_timeout);
        let trusted = web::Data::new(config.trusted_proxies.clone());
        let mut server = HttpServer::new(move || {
            App::new()
                .wrap(middleware::from_fn(crate::http::timeout::limit))
                .wrap(middleware::from_fn(crate::http::access_log::log))
                .wrap(middleware::Compress::default())
                .wrap(TracingLogger::default())
                .app_data(web::PayloadConfig::new(max_body))
                .app_data(web::Data::new(crate::http::BodyLimit(max_body)))
                .app_data(web::Data::new(limits))
                .app_data(web::Data::new(budget))
                .app_data(trusted.clone())
                .app_data(schema.clone())
                .app_data(ledger.clone())
                .configure(crate::http::routes)
        })
        .listen(listener)?;
        if config.workers > 0 {
            server = server.workers(config.workers);
        }
        Ok(Self {
            port,
            server: server.run(),
        })
    }
}
