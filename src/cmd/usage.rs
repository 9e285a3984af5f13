//! A command line clap cannot parse, told in Vietnamese (clap's own words are English).

use std::process::ExitCode;

/// Help and version go to stdout; a bad command line gets a Vietnamese message and exit code 2.
pub fn usage_error(e: &clap::Error) -> ExitCode {
    use clap::error::{ContextKind, ErrorKind};
    let arg = |kind| e.get(kind).map(|v| v.to_string()).unwrap_or_default();
    let msg = match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand | ErrorKind::MissingSubcommand => {
            let _ = e.print();
            return ExitCode::from(2);
        }
        ErrorKind::UnknownArgument => match arg(ContextKind::InvalidArg) {
            a if a.starts_with('-') => format!("không có tùy chọn {a}"),
            a => format!("thừa tham số \"{a}\""),
        },
        ErrorKind::InvalidSubcommand => {
            format!("không có lệnh \"{}\" (các lệnh: check, convert)", arg(ContextKind::InvalidSubcommand))
        }
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            format!("giá trị không hợp lệ cho {}", arg(ContextKind::InvalidArg))
        }
        _ => {
            let text = e.to_string();
            let first = text.lines().next().unwrap_or("").trim_start_matches("error: ").to_string();
            format!("tham số không hợp lệ ({first})")
        }
    };
    eprintln!("Lỗi: {msg}.\nXem hướng dẫn: baocao --help");
    ExitCode::from(2)
}
