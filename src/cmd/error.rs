//! The one place where exit codes are decided.
//!
//! `0`: no error in the data; `1`: the run went through but found errors (a
//! unit not sent, a figure not read) or left the report a draft (a figure
//! without value), or `--strict` refused to write a draft; `2`: the command
//! line, the config, the template or the notes cannot be used, or an output
//! cannot be written. Missing data never give `2`.

use std::process::ExitCode;

/// How a command that ran ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// No error in the data.
    Clean,
    /// Errors in the data, or a report written as a draft ([`baocao::model::Report::is_draft`]).
    DataErrors,
}

/// Why a command stopped, with what to tell the user (in Vietnamese).
#[derive(Debug, thiserror::Error)]
pub enum CmdError {
    /// The config cannot be used.
    #[error("Lỗi cấu hình: {0}")]
    Config(#[from] baocao::config::ConfigError),
    /// The inbox cannot be read.
    #[error("Lỗi: {0}")]
    Engine(#[from] baocao::engine::EngineError),
    /// A flag's value cannot be used (checked before anything is read).
    #[error("Lỗi: {0}.\nXem hướng dẫn: baocao --help")]
    Usage(String),
    /// The template, the notes, an output, or another input given on the command line is unusable.
    #[error("Lỗi: {0}")]
    Unusable(String),
    /// `--strict` and the report would be a draft: nothing was written.
    #[error("Lỗi: báo cáo còn là bản nháp nên không ghi (--strict). Hãy xử lý các vấn đề ở trên rồi chạy lại.")]
    Strict,
}

impl CmdError {
    /// The exit code of the process.
    pub fn exit_code(&self) -> ExitCode {
        match self {
            CmdError::Strict => ExitCode::from(1),
            CmdError::Config(_) | CmdError::Engine(_) | CmdError::Usage(_) | CmdError::Unusable(_) => ExitCode::from(2),
        }
    }
}

impl Outcome {
    /// The outcome of a run with or without errors in its data (or a draft).
    pub fn of(has_errors: bool) -> Self {
        if has_errors { Outcome::DataErrors } else { Outcome::Clean }
    }

    /// The exit code of the process.
    pub fn exit_code(self) -> ExitCode {
        match self {
            Outcome::Clean => ExitCode::SUCCESS,
            Outcome::DataErrors => ExitCode::from(1),
        }
    }
}

/// The process's exit code for a command's result, after telling the user why it stopped.
pub fn finish(result: Result<Outcome, CmdError>) -> ExitCode {
    match result {
        Ok(outcome) => outcome.exit_code(),
        Err(e) => {
            eprintln!("{e}");
            e.exit_code()
        }
    }
}
