//! Command line: wires the engine and the writers. See `baocao --help`.

use baocao::config::Config;
use baocao::engine;
use baocao::model::RunResult;
use baocao::write;
use clap::{Parser, Subcommand};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Help laid out in Vietnamese (clap's own headings are English).
const HELP: &str = "{about-with-newline}\nCách dùng: {usage}\n\n{all-args}{after-help}";

/// Tổng hợp báo cáo Đề án 06 từ các bảng tính của đơn vị.
#[derive(Parser)]
#[command(
    name = "baocao",
    version,
    about,
    long_about = None,
    help_template = HELP,
    subcommand_help_heading = "Lệnh",
    subcommand_value_name = "LỆNH",
    disable_help_subcommand = true,
    disable_help_flag = true,
    disable_version_flag = true,
    after_help = "Xem thêm: baocao LỆNH --help"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// In hướng dẫn này.
    #[arg(short, long, action = clap::ArgAction::Help, help_heading = "Tùy chọn")]
    help: Option<bool>,
    /// In số phiên bản.
    #[arg(short = 'V', long, action = clap::ArgAction::Version, help_heading = "Tùy chọn")]
    version: Option<bool>,
}

#[derive(Subcommand)]
enum Command {
    /// Đọc và kiểm tra các bảng tính, in các vấn đề theo từng đơn vị.
    #[command(
        help_template = HELP,
        next_help_heading = "Tùy chọn",
        disable_help_flag = true,
        override_usage = "baocao check [THƯ_MỤC] [--config TỆP] [--json]"
    )]
    Check {
        #[command(flatten)]
        input: Input,
        /// In số liệu tổng hợp (kèm nguồn) và các vấn đề dạng JSON.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        help: HelpFlag,
    },
    /// Tổng hợp và ghi báo cáo DOCX cùng phụ lục XLSX.
    #[command(
        help_template = HELP,
        next_help_heading = "Tùy chọn",
        disable_help_flag = true,
        override_usage = "baocao convert [THƯ_MỤC] [--config TỆP] [--out THƯ_MỤC] [--strict]"
    )]
    Convert {
        #[command(flatten)]
        input: Input,
        /// Thư mục ghi kết quả (mặc định: thư mục hiện tại).
        #[arg(long, value_name = "THƯ_MỤC", default_value = ".", hide_default_value = true)]
        out: PathBuf,
        /// Mẫu báo cáo (mặc định: mẫu có sẵn, xem templates/bao-cao.md.j2).
        #[arg(long, value_name = "TỆP")]
        template: Option<PathBuf>,
        /// Tệp ghi chú cho các phần I, III, IV, V (mặc định: ghi-chu.md trong thư mục báo cáo, nếu có).
        #[arg(long, value_name = "TỆP")]
        notes: Option<PathBuf>,
        /// Không ghi gì nếu còn lỗi.
        #[arg(long)]
        strict: bool,
        #[command(flatten)]
        help: HelpFlag,
    },
    /// Internal: read one workbook from stdin in an isolated process (see workbook::isolate_with).
    #[command(name = "__doc-workbook", hide = true)]
    DocWorkbook { name: String },
}

/// Where the workbooks are and how to read them: the same for every command.
#[derive(clap::Args)]
struct Input {
    /// Thư mục chứa bảng tính của các đơn vị (mặc định: thư mục hiện tại).
    #[arg(value_name = "THƯ_MỤC", help_heading = "Tham số")]
    inbox: Option<PathBuf>,
    /// Tệp cấu hình TOML (mặc định: baocao.toml trong thư mục báo cáo).
    #[arg(long, value_name = "TỆP")]
    config: Option<PathBuf>,
}

impl Input {
    fn inbox(&self) -> PathBuf {
        self.inbox.clone().unwrap_or_else(|| PathBuf::from("."))
    }
}

/// "-h, --help" in Vietnamese (clap's own is English).
#[derive(clap::Args)]
struct HelpFlag {
    /// In hướng dẫn này.
    #[arg(short, long, action = clap::ArgAction::Help)]
    help: Option<bool>,
}

/// The report template shipped with baocao.
const DEFAULT_TEMPLATE: &str = include_str!("../templates/bao-cao.md.j2");
/// The notes file looked for next to the workbooks.
const NOTES_FILE: &str = "ghi-chu.md";

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage_error(&e),
    };
    if let Command::DocWorkbook { name } = &cli.command {
        return match baocao::read::serve_child(name) {
            Ok(()) => ExitCode::SUCCESS,
            Err(_) => ExitCode::from(3),
        };
    }
    // Formats calamine reads whole are read in a child of this program, with limits.
    if let Ok(exe) = std::env::current_exe() {
        baocao::read::isolate_with(exe);
    }
    match cli.command {
        Command::DocWorkbook { .. } => unreachable!("served above"),
        Command::Check { input, json, .. } => {
            let inbox = input.inbox();
            let cfg = match load_config(&inbox, input.config.as_deref()) {
                Ok(c) => c,
                Err(code) => return code,
            };
            let run = match engine::run_with_progress(&cfg, &inbox, &Bar::default()) {
                Ok(r) => keep_until_exit(r),
                Err(e) => {
                    eprintln!("Lỗi: {e}");
                    return ExitCode::from(2);
                }
            };
            if json {
                match serde_json::to_string_pretty(&*run) {
                    Ok(s) => println!("{s}"),
                    Err(e) => {
                        eprintln!("Lỗi: {e}");
                        return ExitCode::from(2);
                    }
                }
            } else {
                print!("{}", write::summary::text(&run));
            }
            if run.has_errors() { ExitCode::from(1) } else { ExitCode::SUCCESS }
        }
        Command::Convert { input, out, template, notes, strict, .. } => {
            match convert(&input.inbox(), input.config.as_deref(), &out, template.as_deref(), notes.as_deref(), strict)
            {
                Ok(code) => code,
                Err((code, msg)) => {
                    eprintln!("Lỗi: {msg}");
                    code
                }
            }
        }
    }
}

/// The run's result lives until the process exits, and the system takes its memory
/// back then: freeing a province's figures string by string cost more than writing
/// the report's DOCX.
fn keep_until_exit(run: RunResult) -> std::mem::ManuallyDrop<RunResult> {
    std::mem::ManuallyDrop::new(run)
}

/// Consolidate, render both documents in memory, then write them atomically.
fn convert(
    inbox: &Path,
    config: Option<&Path>,
    out: &Path,
    template: Option<&Path>,
    notes: Option<&Path>,
    strict: bool,
) -> Result<ExitCode, (ExitCode, String)> {
    let usage = |msg: String| (ExitCode::from(2), msg);
    let Ok(cfg) = load_config(inbox, config) else {
        return Ok(ExitCode::from(2)); // load_config said why
    };
    let template = match template {
        Some(p) => std::fs::read_to_string(p)
            .map_err(|e| usage(format!("không đọc được mẫu {}: {}", p.display(), baocao::io_error_vi(&e))))?,
        None => DEFAULT_TEMPLATE.to_string(),
    };
    let notes_path = notes.map(Path::to_path_buf).or_else(|| Some(inbox.join(NOTES_FILE)).filter(|p| p.is_file()));
    let notes = match &notes_path {
        Some(p) => Some(
            std::fs::read_to_string(p)
                .map_err(|e| usage(format!("không đọc được ghi chú {}: {}", p.display(), baocao::io_error_vi(&e))))?,
        ),
        None => None,
    };
    let run =
        keep_until_exit(engine::run_with_progress(&cfg, inbox, &Bar::default()).map_err(|e| usage(e.to_string()))?);
    print!("{}", write::summary::text(&run));
    if strict && run.has_errors() {
        return Err((
            ExitCode::from(1),
            "còn lỗi nên không ghi báo cáo (--strict). Hãy xử lý các lỗi ở trên rồi chạy lại.".into(),
        ));
    }
    // The two documents are independent: rendered side by side.
    let (docx, xlsx) = rayon::join(
        || write::docx::docx_bytes(&cfg, &run, &template, notes.as_deref()),
        || write::xlsx::xlsx_bytes(&cfg, &run),
    );
    let docx = docx.map_err(|e| usage(format!("{e:#}")))?;
    let xlsx = xlsx.map_err(|e| usage(format!("{e:#}")))?;
    let stem = format!("{}-{:02}", cfg.report.year, cfg.report.month);
    let docx_path = out.join(format!("bao-cao-{stem}.docx"));
    let xlsx_path = out.join(format!("phu-luc-{stem}.xlsx"));
    // Each write waits for the disk (fsync): both at once.
    let (wrote_docx, wrote_xlsx) =
        rayon::join(|| write::write_atomic(&docx_path, &docx), || write::write_atomic(&xlsx_path, &xlsx));
    for wrote in [wrote_docx, wrote_xlsx] {
        wrote.map_err(|e| (ExitCode::from(2), format!("{e:#}")))?;
    }
    println!("\nĐã ghi: {}\n       {}", docx_path.display(), xlsx_path.display());
    if run.has_errors() {
        println!(
            "Báo cáo là BẢN NHÁP vì còn {} lỗi (xem trang tính “Kiểm tra” trong tệp XLSX).",
            run.count(baocao::model::Severity::Error)
        );
        Ok(ExitCode::from(1))
    } else {
        Ok(ExitCode::SUCCESS)
    }
}

/// A progress bar on stderr for long runs; indicatif draws nothing when stderr is not a terminal.
#[derive(Default)]
struct Bar(std::sync::OnceLock<indicatif::ProgressBar>);

impl engine::Progress for Bar {
    fn start(&self, files: usize) {
        let bar = indicatif::ProgressBar::with_draw_target(Some(files as u64), indicatif::ProgressDrawTarget::stderr());
        if let Ok(style) = indicatif::ProgressStyle::with_template("Đang đọc {pos}/{len} tệp {wide_bar} {eta}") {
            bar.set_style(style);
        }
        let _ = self.0.set(bar);
    }
    fn file_done(&self) {
        if let Some(bar) = self.0.get() {
            bar.inc(1);
        }
    }
}

impl Drop for Bar {
    fn drop(&mut self) {
        if let Some(bar) = self.0.get() {
            bar.finish_and_clear();
        }
    }
}

/// Help and version go to stdout; a bad command line gets a Vietnamese message and exit code 2.
fn usage_error(e: &clap::Error) -> ExitCode {
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

/// The config named on the command line, or baocao.toml in the inbox; exit code 2 when unusable.
fn load_config(inbox: &Path, config: Option<&Path>) -> Result<Config, ExitCode> {
    let path = config.map(Path::to_path_buf).unwrap_or_else(|| inbox.join("baocao.toml"));
    Config::load(&path).map_err(|e| {
        eprintln!("Lỗi cấu hình: {e}");
        ExitCode::from(2)
    })
}
