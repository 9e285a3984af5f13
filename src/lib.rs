//! baocao: consolidate the monthly Đề án 06 workbooks of a city's units into
//! one checked set of figures, an XLSX appendix and a DOCX report.
//!
//! The shape follows pandoc, and the modules read as the pipeline:
//! [`config`] says what to look for; [`read`] turns any spreadsheet into plain
//! cells; [`extract`] finds the configured figures in it, each with its file,
//! sheet and cell; [`engine`] sorts the workbooks to units, consolidates and
//! checks them into one [`model::Report`]; [`write`] turns the report into the
//! terminal summary, JSON, XLSX and DOCX without looking at the config. The
//! binary's `cmd` module only wires them. [`own`] holds what baocao writes
//! into its outputs and recognises again; [`file`] reads a user's file safely
//! (regular files only, capped); [`text`] and [`number`] are the
//! Vietnamese text and number rules every layer shares. See ARCHITECTURE.md.

#![warn(missing_docs)]

pub mod config;
pub mod engine;
pub mod extract;
pub mod file;
pub mod model;
pub mod number;
pub mod own;
pub mod read;
pub mod text;
pub mod write;

/// A file-system error in Vietnamese. The OS's own text is English (and, from
/// some crates, carries the path again), so only its kind is told, and its
/// number when the kind is not one a clerk can act on; callers add the path.
pub fn io_error_vi(e: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    let what = match e.kind() {
        NotFound => "không tìm thấy",
        PermissionDenied => "không có quyền truy cập",
        AlreadyExists => "đã có sẵn",
        IsADirectory => "là thư mục, không phải tệp",
        NotADirectory => "không phải thư mục",
        DirectoryNotEmpty => "thư mục không rỗng",
        StorageFull => "ổ đĩa đầy",
        QuotaExceeded => "đã hết dung lượng được cấp trên ổ đĩa",
        FileTooLarge => "tệp quá lớn",
        ReadOnlyFilesystem => "ổ đĩa chỉ cho đọc",
        ResourceBusy | ExecutableFileBusy => "đang bị chương trình khác dùng",
        InvalidFilename => "tên tệp không hợp lệ hoặc quá dài",
        UnexpectedEof => "tệp bị cắt cụt giữa chừng",
        TimedOut => "hết thời gian chờ",
        Interrupted => "bị ngắt giữa chừng",
        _ => {
            return match e.raw_os_error() {
                Some(code) => format!("lỗi đọc/ghi của hệ điều hành (mã {code})"),
                None => "lỗi đọc/ghi".to_owned(),
            };
        }
    };
    what.to_owned()
}
