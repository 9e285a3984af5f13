//! Command line: wires the engine and the writers. See `baocao --help`.

use baocao::config::Config;
use baocao::engine;
use baocao::writer;
use clap::{Parser, Subcommand};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Tổng hợp báo cáo Đề án 06 từ các bảng tính của đơn vị.
#[derive(Parser)]
#[command(name = "baocao", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Đọc và kiểm tra các bảng tính, in các vấn đề theo từng đơn vị.
    Check {
        /// Thư mục chứa bảng tính của các đơn vị (mặc định: thư mục hiện tại).
        inbox: Option<PathBuf>,
        /// Tệp cấu hình TOML (mặc định: baocao.toml trong thư mục báo cáo).
        #[arg(long)]
        config: Option<PathBuf>,
        /// In số liệu tổng hợp (kèm nguồn) và các vấn đề dạng JSON.
        #[arg(long)]
        json: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check { inbox, config, json } => {
            let inbox = inbox.unwrap_or_else(|| PathBuf::from("."));
            let cfg = match load_config(&inbox, config.as_deref()) {
                Ok(c) => c,
                Err(code) => return code,
            };
            let run = match engine::run(&cfg, &inbox) {
                Ok(r) => r,
                Err(e) => {
                    eprintln!("Lỗi: {e}");
                    return ExitCode::from(2);
                }
            };
            if json {
                match serde_json::to_string_pretty(&run) {
                    Ok(s) => println!("{s}"),
                    Err(e) => {
                        eprintln!("Lỗi: {e}");
                        return ExitCode::from(2);
                    }
                }
            } else {
                print!("{}", writer::summary::text(&run));
            }
            if run.has_errors() { ExitCode::from(1) } else { ExitCode::SUCCESS }
        }
    }
}

/// The config named on the command line, or baocao.toml in the inbox; exit code 2 when unusable.
fn load_config(inbox: &Path, config: Option<&Path>) -> Result<Config, ExitCode> {
    let path = config.map(Path::to_path_buf).unwrap_or_else(|| inbox.join("baocao.toml"));
    Config::load(&path).map_err(|e| {
        eprintln!("Lỗi cấu hình: {e}");
        ExitCode::from(2)
    })
}
