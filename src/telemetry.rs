//! Tracing: the log (`RUST_LOG` filter, default `info`; human output or JSON) and, when an OTLP
//! endpoint is configured (`--otlp-endpoint`), every span exported as OpenTelemetry traces over
//! OTLP/HTTP (JSON) to a collector on the intranet. A request that carries a W3C `traceparent`
//! continues that trace (tracing-actix-web reads it with the propagator set here).

use opentelemetry::trace::TracerProvider as _;
use opentelemetry_otlp::{Protocol, WithExportConfig};
use opentelemetry_sdk::trace::SdkTracerProvider;
use tracing_subscriber::{fmt, layer::SubscriberExt, util::SubscriberInitExt, EnvFilter, Layer};

use crate::config::LogFormat;

/// Keeps the trace exporter running; [`Telemetry::shutdown`] sends what is still buffered.
#[derive(Debug, Default)]
pub struct Telemetry {
    provider: Option<SdkTracerProvider>,
}

impl Telemetry {
    pub fn shutdown(self) {
        if let Some(provider) = self.provider {
            if let Err(e) = provider.shutdown() {
                eprintln!("taizhang: flushing traces: {e}");
            }
        }
    }
}

/// The exporter's provider for the collector at `endpoint` (`http://host:4318`).
fn otlp_provider(endpoint: &str, service: &str) -> Result<SdkTracerProvider, String> {
    let exporter = opentelemetry_otlp::SpanExporter::builder()
        .with_http()
        .with_protocol(Protocol::HttpJson)
        .with_endpoint(format!("{}/v1/traces", endpoint.trim_end_matches('/')))
        .build()
        .map_err(|e| format!("the OTLP exporter for {endpoint}: {e}"))?;
    let resource = opentelemetry_sdk::Resource::builder()
        .with_service_name(service.to_owned())
        .build();
    Ok(SdkTracerProvider::builder()
        .with_batch_exporter(exporter)
        .with_resource(resource)
        .build())
}

pub fn init(format: LogFormat, otlp_endpoint: Option<&str>) -> Telemetry {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let provider = otlp_endpoint.and_then(|endpoint| match otlp_provider(endpoint, "taizhang") {
        Ok(p) => Some(p),
        Err(e) => {
            eprintln!("taizhang: traces are not exported: {e}");
            None
        }
    });
    let otel = provider.as_ref().map(|p| {
        opentelemetry::global::set_text_map_propagator(opentelemetry_sdk::propagation::TraceContextPropagator::new());
        // Traces keep every request's spans whatever RUST_LOG keeps in the log.
        tracing_opentelemetry::layer()
            .with_tracer(p.tracer("taizhang"))
            .with_filter(tracing_subscriber::filter::LevelFilter::INFO)
            .boxed()
    });
    let registry = tracing_subscriber::registry().with(otel);
    // `try_init`: tests and embedders may have installed a subscriber already.
    let _ = match format {
        LogFormat::Json => registry
            .with(fmt::layer().json().with_writer(std::io::stderr).with_filter(filter))
            .try_init(),
        LogFormat::Text => {
            // Colours only for a person at a terminal, not in files or journald.
            let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
            registry
                .with(
                    fmt::layer()
                        .with_ansi(ansi)
                        .with_writer(std::io::stderr)
                        .with_filter(filter),
                )
                .try_init()
        }
    };
    Telemetry { provider }
}
