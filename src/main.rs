use std::process::ExitCode;

use clap::Parser;

#[actix_web::main]
async fn main() -> ExitCode {
    let env = |name: &str| std::env::var(name).ok();
    let args = match taizhang::config::layered_args(std::env::args_os().collect(), &env) {
        Ok(args) => args,
        Err(e) => {
            eprintln!("taizhang: {e}");
            return ExitCode::from(2);
        }
    };
    let cli = taizhang::cli::Cli::parse_from(args);
    let telemetry = taizhang::telemetry::init(cli.settings.log_format, cli.settings.otlp_endpoint.as_deref());
    let code = match taizhang::cli::run(cli).await {
        Ok(code) => code,
        Err(e) => {
            eprintln!("taizhang: {e:#}");
            // 1 is reserved for "audit trail broken".
            ExitCode::from(2)
        }
    };
    telemetry.shutdown();
    code
}
