use std::process::ExitCode;

use clap::Parser;

#[actix_web::main]
async fn main() -> ExitCode {
    let cli = taizhang::cli::Cli::parse();
    taizhang::telemetry::init(cli.settings.log_format);
    match taizhang::cli::run(cli).await {
        Ok(code) => code,
        Err(e) => {
            eprintln!("taizhang: {e:#}");
            // 1 is reserved for "audit trail broken".
            ExitCode::from(2)
        }
    }
}
