//! `zhanggui serve`: the web cockpit on the database, until Ctrl-C or SIGTERM.

use std::net::SocketAddr;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use zhanggui_storage::{AccountStore, DuckStore};
use zhanggui_web::server::{run as run_server, warm};
use zhanggui_web::AppState;

use crate::cli::{Cli, ServeArgs};
use crate::{db, UsageError};

pub fn run(cli: &Cli, args: &ServeArgs) -> anyhow::Result<ExitCode> {
    let path = db::db_file(cli)?;
    let (store, _) = DuckStore::open(&path)?;
    if store.users()?.is_empty() {
        return Err(UsageError(format!(
            "no users yet: create the first owner with `zhanggui --db {} user add --owner LOGIN`",
            path.display()
        ))
        .into());
    }
    serve(store, &path, args, None)?;
    Ok(ExitCode::SUCCESS)
}

/// Serves `store` as the web cockpit; `banner` is printed once the server listens.
pub fn serve(
    store: DuckStore,
    db_path: &Path,
    args: &ServeArgs,
    banner: Option<String>,
) -> anyhow::Result<()> {
    init_logging();
    let addr: SocketAddr = args.addr.parse().map_err(|_| {
        UsageError(format!(
            "--addr: `{}` is not an address like 127.0.0.1:8080",
            args.addr
        ))
    })?;
    let upload_dir = db_path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .join("uploads");
    let state = AppState::new(store, args.connections, upload_dir, args.secure_cookies)?;
    eprintln!("preparing the shops' reports ...");
    warm(&state);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the server's runtime")?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .with_context(|| format!("cannot listen on {addr}"))?;
        let bound = listener.local_addr()?;
        println!("zhanggui is serving on http://{bound}/  (Ctrl-C stops it)");
        if let Some(b) = banner {
            println!("{b}");
        }
        tokio::spawn(zhanggui_web::views::desk::warm_reviews(state.clone()));
        if args.notify_every > 0 {
            tokio::spawn(zhanggui_web::views::notify::every(
                state.clone(),
                std::time::Duration::from_secs(args.notify_every),
            ));
        }
        run_server(listener, state).await.context("serving")
    })
}

fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("ZHANGGUI_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}
