//! A command line clap cannot parse, told in Vietnamese (clap's own words are
//! English): every kind of error is said here from its kind and context, and
//! clap's English text is never printed.

use std::process::ExitCode;

/// Help and version go to stdout; a bad command line gets a Vietnamese message and exit code 2.
pub fn usage_error(e: &clap::Error) -> ExitCode {
    use clap::error::{ContextKind, ErrorKind};
    let arg = |kind| e.get(kind).map(|v| v.to_string()).unwrap_or_default();
    let mut msg = match e.kind() {
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
            a => format!(
                "thừa tham số \"{a}\" (mỗi lệnh nhận một thư mục báo cáo; đường dẫn có dấu cách thì đặt trong dấu ngoặc kép)"
            ),
        },
        // `baocao help`, as many programs take it: the help itself.
        ErrorKind::InvalidSubcommand if arg(ContextKind::InvalidSubcommand) == "help" => {
            use clap::CommandFactory;
            print!("{}", super::Cli::command().render_help());
            return ExitCode::SUCCESS;
        }
        ErrorKind::InvalidSubcommand => {
            format!("không có lệnh \"{}\" (các lệnh: {})", arg(ContextKind::InvalidSubcommand), commands().join(", "))
        }
        ErrorKind::InvalidValue | ErrorKind::NoEquals | ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues
            if arg(ContextKind::InvalidValue).is_empty() =>
        {
            format!("thiếu giá trị sau {}", arg(ContextKind::InvalidArg))
        }
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            format!("giá trị \"{}\" không hợp lệ cho {}", arg(ContextKind::InvalidValue), arg(ContextKind::InvalidArg))
        }
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues | ErrorKind::TooFewValues => {
            format!("số giá trị không đúng cho {}", arg(ContextKind::InvalidArg))
        }
        ErrorKind::ArgumentConflict => match arg(ContextKind::PriorArg) {
            prior if prior.is_empty() || prior == arg(ContextKind::InvalidArg) => {
                format!("{} chỉ được ghi một lần", arg(ContextKind::InvalidArg))
            }
            prior => format!("không dùng {} cùng với {prior}", arg(ContextKind::InvalidArg)),
        },
        ErrorKind::MissingRequiredArgument => format!("thiếu tham số bắt buộc {}", arg(ContextKind::InvalidArg)),
        ErrorKind::InvalidUtf8 => "tham số có ký tự không đọc được (không phải UTF-8)".to_string(),
        _ => "dòng lệnh không hợp lệ".to_string(),
    };
    for (kind, what) in [(ContextKind::SuggestedArg, "tùy chọn"), (ContextKind::SuggestedSubcommand, "lệnh")] {
        let suggested = arg(kind);
        if !suggested.is_empty() {
            msg.push_str(&format!(" (có phải {what} {suggested}?)"));
        }
    }
    eprintln!("Lỗi: {msg}.\nXem hướng dẫn: baocao --help");
    ExitCode::from(2)
}

/// The subcommands a clerk can type, as `baocao --help` lists them.
fn commands() -> Vec<String> {
    use clap::CommandFactory;
    super::Cli::command().get_subcommands().filter(|c| !c.is_hide_set()).map(|c| c.get_name().to_string()).collect()
}
