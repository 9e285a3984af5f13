//! baocao: consolidate the monthly Đề án 06 workbooks of a city's units into
//! one checked set of figures, an XLSX appendix and a DOCX report.
//!
//! The shape follows pandoc: [`workbook`] reads any spreadsheet into plain
//! cells, [`extract`] finds the configured figures in it, [`engine`]
//! consolidates and checks them into a [`model::RunResult`], and the writers
//! turn that into text, JSON, XLSX and DOCX. The CLI only wires them.

pub mod config;
pub mod engine;
pub mod extract;
pub mod model;
pub mod number;
pub mod own;
pub mod read;
pub mod text;
pub mod write;

/// A file-system error in Vietnamese (the OS text is English), with the OS detail kept.
pub fn io_error_vi(e: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    let what = match e.kind() {
        NotFound => "không tìm thấy",
        PermissionDenied => "không có quyền truy cập",
        AlreadyExists => "đã có sẵn",
        IsADirectory => "là thư mục, không phải tệp",
        NotADirectory => "không phải thư mục",
        StorageFull => "ổ đĩa đầy",
        ReadOnlyFilesystem => "ổ đĩa chỉ cho đọc",
        _ => return format!("lỗi đọc/ghi ({e})"),
    };
    format!("{what} ({e})")
}
