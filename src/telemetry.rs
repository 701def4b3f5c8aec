//! Tracing: `RUST_LOG` filter (default `info`), human output or JSON.

use tracing_subscriber::{fmt, layer::SubscriberExt, util::SubscriberInitExt, EnvFilter};

use crate::config::LogFormat;

pub fn init(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let registry = tracing_subscriber::registry().with(filter);
    // `try_init`: tests and embedders may have installed a subscriber already.
    let _ = match format {
        LogFormat::Json => registry
            .with(fmt::layer().json().with_writer(std::io::stderr))
            .try_init(),
        LogFormat::Text => {
            // Colours only for a person at a terminal, not in files or journald.
            let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
            registry
                .with(fmt::layer().with_ansi(ansi).with_writer(std::io::stderr))
                .try_init()
        }
    };
}
