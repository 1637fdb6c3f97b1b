//! `zhanggui`: the command line of the zhanggui operations cockpit.
//!
//! One module per subcommand under `commands/`; each has its clap arguments and a `run`.
//! Exit codes: 0 ok, 1 failed, 2 bad usage.

mod cli;
mod commands;
mod db;
mod output;
mod selection;

use std::process::ExitCode;

use clap::Parser;

use cli::{Cli, Command};

/// mimalloc: imports allocate a record per row on one thread and free it on another, which
/// the system allocator handles slowly.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// An error that is the user's wrong call, not a failure: exit code 2.
#[derive(Debug)]
pub struct UsageError(pub String);

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

/// Output piped into a reader that stops early (`zhanggui ... --csv | head`): Rust's
/// printing panics on the closed pipe; end quietly instead, as command-line tools do.
fn quiet_on_closed_pipe() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or("");
        if message.contains("Broken pipe") {
            std::process::exit(0);
        }
        default(info);
    }));
}

fn main() -> ExitCode {
    quiet_on_closed_pipe();
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Shop(args) => commands::shop::run(&cli, args),
        Command::Import(args) => commands::import::run(&cli, args),
        Command::Mapping(args) => commands::mapping::run(&cli, args),
        Command::Summary => commands::summary::run(&cli),
        Command::Demo(args) => commands::demo::run(&cli, args),
        Command::Migrate => commands::migrate::run(&cli),
        Command::Copy(args) => commands::copy::run(&cli, args),
        Command::Report(args) => commands::report::run(&cli, args),
        Command::Diagnose(args) => commands::diagnose::run(&cli, args),
        Command::Today(args) => commands::today::run(&cli, args),
        Command::Metric(args) => commands::metric::run(&cli, args),
        Command::Metrics(args) => commands::metrics::run(&cli, args),
        Command::Members(args) => commands::members::run(&cli, args),
        Command::Serve(args) => commands::serve::run(&cli, args),
        Command::User(args) => commands::user::run(&cli, args),
        Command::Script(args) => commands::script::run(&cli, args),
        Command::Task(args) => commands::task::run(&cli, args),
        Command::Review(args) => commands::review::run(&cli, args),
        Command::Notify(args) => commands::notify::run(&cli, args),
        Command::Costs(args) => commands::costs::run(&cli, args),
        Command::Ads(args) => commands::ads::run(&cli, args),
        Command::Abtest(args) => commands::abtest::run(&cli, args),
        Command::Profit(args) => commands::profit::run(&cli, args),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            if err.downcast_ref::<UsageError>().is_some() {
                ExitCode::from(2)
            } else {
                ExitCode::from(1)
            }
        }
    }
}
