//! `chamado-admin`: the help desk's admin command line.
//!
//! Works on the helpdesk's redb file directly (`--data-dir`, while the server is stopped), on its
//! PostgreSQL database (`--store-url`), or through its HTTP API (`--url`, `--token`). Tables for people, `--json` for scripts; every error names
//! what was wrong and exits with status 1 (2 for unusable arguments).
#![forbid(unsafe_code)]

mod backend;
mod cli;
mod commands;
mod direct;
mod error;
mod http_client;
mod ics;
mod model;
mod output;
mod remote;
mod remote_import;
mod secrets;

use clap::Parser;
use cli::{Cli, Command};
use commands::{backup, import_znuny};
use direct::{Direct, DirectOptions};
use error::{AdminError, Result};
use output::Output;
use remote::Remote;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let json = cli.json;
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => return fail(&AdminError::Secret(format!("cannot start the async runtime: {e}")), json),
    };
    match runtime.block_on(run(cli)) {
        Ok(out) => {
            let text = out.render(json);
            if !(text.is_empty() || (json && out.json.is_null())) {
                // A reader that stops early (`| head`, `| grep -q`) is not an error of ours.
                use std::io::Write;
                let mut stdout = std::io::stdout().lock();
                if let Err(e) = writeln!(stdout, "{text}").and_then(|()| stdout.flush())
                    && e.kind() != std::io::ErrorKind::BrokenPipe
                {
                    return fail(&AdminError::Output(e), json);
                }
            }
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e, json),
    }
}

fn fail(e: &AdminError, json: bool) -> ExitCode {
    if json {
        eprintln!("{}", serde_json::json!({ "error": { "kind": e.kind(), "message": e.to_string() } }));
    } else {
        eprintln!("chamado-admin: {e}");
    }
    ExitCode::FAILURE
}

async fn run(cli: Cli) -> Result<Output> {
    let json = cli.json;
    if let Some(url) = &cli.url {
        return match cli.command {
            Command::Init { .. } => Err(AdminError::DirectOnly { command: "init" }),
            Command::Export { .. } => Err(AdminError::DirectOnly { command: "export" }),
            Command::Import { .. } => Err(AdminError::DirectOnly { command: "import" }),
            Command::ImportZnuny(args) => {
                let remote = Remote::new(url, token(&cli.token, &cli.data_dir)?)?;
                import_znuny::run(&remote, &args, json).await
            }
            command => {
                let token = token(&cli.token, &cli.data_dir)?;
                commands::run(&Remote::new(url, token)?, command).await
            }
        };
    }
    let options = DirectOptions { allow_private_targets: cli.allow_private_targets };
    if let Some(url) = &cli.store_url {
        return match cli.command {
            Command::Init { .. } => Err(AdminError::RedbOnly { command: "init" }),
            Command::Export { .. } => Err(AdminError::RedbOnly { command: "export" }),
            Command::Import { .. } => Err(AdminError::RedbOnly { command: "import" }),
            Command::ImportZnuny(args) => {
                let direct = Direct::connect_postgres(url, options).await?;
                let admin = direct.engine().admin(&chamado::Actor::System).await?;
                import_znuny::run(&admin, &args, json).await
            }
            command => {
                let direct = Direct::connect_postgres(url, options).await?;
                commands::run(&direct, command).await
            }
        };
    }
    match cli.command {
        Command::ImportZnuny(args) => {
            let direct = Direct::create(&cli.data_dir)?;
            let out = match direct.engine().admin(&chamado::Actor::System).await {
                Ok(admin) => import_znuny::run(&admin, &args, json).await,
                Err(e) => Err(e.into()),
            };
            direct.close();
            out
        }
        Command::Init { admin } => backup::init(&cli.data_dir, &admin).await,
        Command::Export { file } => backup::export(&cli.data_dir, &file),
        Command::Import { file } => backup::import(&cli.data_dir, &file).await,
        command => {
            let direct = Direct::open_with(&cli.data_dir, options)?;
            let out = commands::run(&direct, command).await;
            direct.close();
            out
        }
    }
}

/// The API token: `--token` / `CHAMADO_ADMIN_TOKEN`, else the data directory's `admin.token` (written by
/// the helpdesk on first start).
fn token(given: &Option<String>, data_dir: &std::path::Path) -> Result<String> {
    if let Some(t) = given {
        return Ok(t.trim().to_string());
    }
    let file = data_dir.join("admin.token");
    match std::fs::read_to_string(&file) {
        Ok(t) if !t.trim().is_empty() => Ok(t.trim().to_string()),
        _ => Err(AdminError::Usage(format!(
            "--url needs an admin API token: give --token (or set CHAMADO_ADMIN_TOKEN); {} holds none",
            file.display()
        ))),
    }
}
