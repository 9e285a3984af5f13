//! The subcommands: each parses nothing itself (clap does, into [`Cli`]), wires
//! config, engine and writers, and returns an [`error::Outcome`] or a
//! [`error::CmdError`]; [`error::finish`] turns either into the exit code.

mod check;
mod convert;
pub mod error;
mod forms;
mod progress;
pub mod usage;

use baocao::config::Config;
use baocao::model::Month;
use clap::{Parser, Subcommand};
use error::{CmdError, Outcome};
use std::path::PathBuf;

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
pub struct Cli {
    #[command(subcommand)]
    /// The subcommand.
    pub command: Command,
    /// In hướng dẫn này.
    #[arg(short, long, action = clap::ArgAction::Help, help_heading = "Tùy chọn")]
    help: Option<bool>,
    /// In số phiên bản.
    #[arg(short = 'V', long, action = clap::ArgAction::Version, help_heading = "Tùy chọn")]
    version: Option<bool>,
}

#[derive(Subcommand)]
pub enum Command {
    /// Đọc và kiểm tra các bảng tính, in các vấn đề theo từng đơn vị.
    #[command(
        help_template = HELP,
        next_help_heading = "Tùy chọn",
        disable_help_flag = true,
        override_usage = "baocao check [THƯ_MỤC] [--config TỆP] [--period THÁNG] [--json]"
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
        override_usage = "baocao convert [THƯ_MỤC] [--config TỆP] [--period THÁNG] [--out THƯ_MỤC] [--number SỐ] [--date NGÀY] [--previous TỆP] [--no-previous-column] [--strict]"
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
        /// Tệp ghi chú: lời văn của tháng cho mục I, III, IV, V và các câu riêng của mục II (mặc định: ghi-chu.md trong thư mục báo cáo, nếu có).
        #[arg(long, value_name = "TỆP")]
        notes: Option<PathBuf>,
        /// Số văn bản do văn thư cấp, ví dụ 312 (không ghi: để trống "Số:      /…" như bản nháp).
        #[arg(long, value_name = "SỐ")]
        number: Option<String>,
        /// Ngày ký, dd/mm/yyyy, ví dụ 12/08/2024 (không ghi: để trống "ngày      tháng 8 năm 2024").
        #[arg(long, value_name = "NGÀY")]
        date: Option<String>,
        /// Phụ lục XLSX tháng trước để so sánh (mặc định: phu-luc-NĂM-THÁNG.xlsx của tháng trước trong --out, nếu có).
        #[arg(long, value_name = "TỆP")]
        previous: Option<PathBuf>,
        /// Không in cột "Tháng trước" trong các bảng phụ lục (vẫn so sánh với tháng trước).
        #[arg(long)]
        no_previous_column: bool,
        /// Không ghi gì nếu báo cáo còn là bản nháp (còn lỗi, mục chưa có nội dung, số liệu trống).
        #[arg(long)]
        strict: bool,
        #[command(flatten)]
        help: HelpFlag,
    },
    /// Ghi biểu mẫu trống (XLSX) cho từng đơn vị để gửi đi thu thập số liệu.
    #[command(
        help_template = HELP,
        next_help_heading = "Tùy chọn",
        disable_help_flag = true,
        override_usage = "baocao forms --out THƯ_MỤC [--config TỆP] [--period THÁNG] [--force]"
    )]
    Forms {
        /// Thư mục ghi biểu mẫu (bắt buộc; nên khác thư mục nhận báo cáo).
        #[arg(long, value_name = "THƯ_MỤC")]
        out: PathBuf,
        /// Tệp cấu hình TOML (mặc định: baocao.toml trong thư mục hiện tại).
        #[arg(long, value_name = "TỆP")]
        config: Option<PathBuf>,
        /// Tháng báo cáo, ví dụ 2024-08 (mặc định: tháng có kỳ báo cáo chưa kết thúc tính đến hôm nay).
        #[arg(long, value_name = "THÁNG")]
        period: Option<String>,
        /// Ghi đè biểu mẫu đã có trong thư mục (mặc định: không ghi gì nếu đã có).
        #[arg(long)]
        force: bool,
        #[command(flatten)]
        help: HelpFlag,
    },
    /// Internal: read one workbook from stdin in an isolated process (see workbook::isolate_with).
    #[command(name = "__doc-workbook", hide = true)]
    DocWorkbook {
        /// The file's name, for messages.
        name: String,
    },
}

/// Where the workbooks are and how to read them: the same for every command.
#[derive(clap::Args)]
pub struct Input {
    /// Thư mục chứa bảng tính của các đơn vị (mặc định: thư mục hiện tại).
    #[arg(value_name = "THƯ_MỤC", help_heading = "Tham số")]
    inbox: Option<PathBuf>,
    /// Tệp cấu hình TOML (mặc định: baocao.toml trong thư mục báo cáo).
    #[arg(long, value_name = "TỆP")]
    config: Option<PathBuf>,
    /// Tháng báo cáo, ví dụ 2024-08, 8/2024 hoặc 08/2024 (mặc định: kỳ mà đa số bảng tính ghi).
    #[arg(long, value_name = "THÁNG")]
    period: Option<String>,
}

impl Input {
    fn inbox(&self) -> PathBuf {
        self.inbox.clone().unwrap_or_else(|| PathBuf::from("."))
    }

    /// The month of `--period`, checked before anything is read.
    fn month(&self) -> Result<Option<Month>, CmdError> {
        self.period.as_deref().map(parse_month).transpose()
    }
}

/// The month of a `--period` value.
fn parse_month(text: &str) -> Result<Month, CmdError> {
    Month::parse(text).ok_or_else(|| {
        CmdError::Usage(format!(
            "--period \"{text}\" không phải tháng báo cáo: ghi năm và tháng như 2024-08, 8/2024 hoặc 08/2024 (tháng từ 1 đến 12)"
        ))
    })
}

/// "-h, --help" in Vietnamese (clap's own is English).
#[derive(clap::Args)]
pub struct HelpFlag {
    /// In hướng dẫn này.
    #[arg(short, long, action = clap::ArgAction::Help)]
    help: Option<bool>,
}

/// Run a parsed command line (the child process's internal command excepted).
pub fn run(cli: Cli) -> Result<Outcome, CmdError> {
    match cli.command {
        Command::Check { input, json, .. } => check::run(&input, json),
        Command::Convert {
            input, out, template, notes, number, date, previous, no_previous_column, strict, ..
        } => {
            let signing = convert::Signing::parse(number.as_deref(), date.as_deref())?;
            let previous_column = !no_previous_column;
            convert::run(&input, &convert::Options { out, template, notes, signing, previous, previous_column, strict })
        }
        Command::Forms { out, config, period, force, .. } => forms::run(&forms::Options { out, config, period, force }),
        Command::DocWorkbook { .. } => unreachable!("served before the commands"),
    }
}

/// The config named on the command line, or baocao.toml in the inbox.
fn load_config(input: &Input) -> Result<Config, CmdError> {
    let path = input.config.clone().unwrap_or_else(|| input.inbox().join("baocao.toml"));
    Ok(Config::load(&path)?)
}

/// The run's result lives until the process exits, and the system takes its memory
/// back then: freeing a province's figures string by string cost more than writing
/// the report's DOCX.
fn keep_until_exit<T>(value: T) -> std::mem::ManuallyDrop<T> {
    std::mem::ManuallyDrop::new(value)
}
