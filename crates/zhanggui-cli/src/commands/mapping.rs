//! `zhanggui mapping new FILE`: a mapping skeleton from a file's header.

use std::process::ExitCode;

use anyhow::Context;

use crate::cli::{Cli, MappingArgs, MappingCommand};

pub fn run(_cli: &Cli, args: &MappingArgs) -> anyhow::Result<ExitCode> {
    match &args.command {
        MappingCommand::New { file, output } => {
            let (header, _) = zhanggui_import::read_header(file)?;
            let name = file.file_name().map_or_else(
                || file.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            );
            let text = zhanggui_import::mapping::skeleton(&header, &name);
            match output {
                Some(path) => {
                    std::fs::write(path, text)
                        .with_context(|| format!("cannot write {}", path.display()))?;
                    eprintln!(
                        "wrote {}: fill in the columns, then import with --mapping",
                        path.display()
                    );
                }
                None => print!("{text}"),
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
