//! Command line: wires the config, the engine and the writers; see `baocao --help`.
//! Each subcommand is a module of [`cmd`]; exit codes are decided in [`cmd::error`].

mod cmd;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    // A panic is a bug of baocao, or a library's; said in Vietnamese, with where it was
    // for the developers, instead of Rust's English line. One that is caught (a
    // library that panics on a broken file or a full disk) is then also reported as
    // the error it is.
    std::panic::set_hook(Box::new(|info| {
        let at = info.location().map(|l| format!(" ({}:{})", l.file(), l.line())).unwrap_or_default();
        let what = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        eprintln!("Lỗi nội bộ: {what}{at}");
    }));
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
