//! Command line: wires the config, the engine and the writers; see `baocao --help`.
//! Each subcommand is a module of [`cmd`]; exit codes are decided in [`cmd::error`].

mod cmd;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match cmd::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return cmd::usage::usage_error(&e),
    };
    if let cmd::Command::DocWorkbook { name } = &cli.command {
        return match baocao::read::serve_child(name) {
            Ok(()) => ExitCode::SUCCESS,
            Err(_) => ExitCode::from(3),
        };
    }
    // Formats calamine reads whole are read in a child of this program, with limits.
    if let Ok(exe) = std::env::current_exe() {
        baocao::read::isolate_with(exe);
    }
    cmd::error::finish(cmd::run(cli))
}
