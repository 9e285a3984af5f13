//! `baocao init [DIR]`: the starting point of a new city or district: a config
//! whose every key is explained in Vietnamese comments (units and groups to fill
//! in, the indicator mapping of the sample), the report template as a file to
//! edit, and a notes skeleton. Nothing that exists is ever overwritten.

use super::error::{CmdError, Outcome};
use std::path::Path;

/// The config `init` writes (the sample's mapping, commented in Vietnamese).
pub const INIT_CONFIG: &str = include_str!("../../templates/baocao.toml");
/// The notes skeleton `init` writes.
const INIT_NOTES: &str = include_str!("../../templates/ghi-chu.md");
/// The config's file name: `check` and `convert` find it in the inbox by this name.
pub const CONFIG_FILE: &str = "baocao.toml";
/// The template's file name: `convert` uses the one beside the config (see [`super::template_beside`]).
pub const TEMPLATE_FILE: &str = "bao-cao.md.j2";

/// What the copy of the built-in template says on top, for the clerk who edits it.
const TEMPLATE_NOTE: &str = "{#-\n  Mẫu báo cáo của địa phương (tạo bằng baocao init từ mẫu có sẵn). baocao convert dùng\n  \
    tệp này khi nó nằm cạnh tệp cấu hình (hoặc ghi --template TỆP). Sửa lời văn cho đúng địa\n  \
    phương (tên thành phố, huyện; các câu riêng của Phan Rang – Tháp Chàm như phòng khám khu vực,\n  \
    trạm y tế xã Thành Hải), giữ nguyên các chỗ {{ … }}. Câu nêu số liệu mà cấu hình không khai\n  \
    báo thì được bỏ, kèm cảnh báo; baocao check-template liệt kê các câu đó.\n-#}\n";

/// Write the three files into `dir` (made when missing), none of which may exist yet.
pub fn run(dir: &Path) -> Result<Outcome, CmdError> {
    super::refuse_windows_path(dir)?;
    let template = format!("{TEMPLATE_NOTE}{}", super::convert::DEFAULT_TEMPLATE);
    let files: [(&str, &str); 3] =
        [(CONFIG_FILE, INIT_CONFIG), (TEMPLATE_FILE, &template), (baocao::write::docx::NOTES_FILE, INIT_NOTES)];
    let existing: Vec<String> =
        files.iter().map(|(name, _)| dir.join(name)).filter(|p| p.exists()).map(|p| p.display().to_string()).collect();
    if !existing.is_empty() {
        return Err(CmdError::Unusable(format!(
            "không ghi gì vì đã có {}; baocao init không ghi đè tệp có sẵn. Hãy chọn thư mục khác \
             (baocao init THƯ_MỤC_MỚI) hoặc đổi tên các tệp này.",
            existing.join(", ")
        )));
    }
    std::fs::create_dir_all(dir).map_err(|e| {
        CmdError::Unusable(format!(
            "không tạo được thư mục {}: {}{}",
            dir.display(),
            baocao::io_error_vi(&e),
            baocao::file::windows_path_hint(dir)
        ))
    })?;
    for (name, text) in files {
        let path = dir.join(name);
        write_new(&path, text.as_bytes()).map_err(|e| {
            CmdError::Unusable(format!("không ghi được {}: {}", path.display(), baocao::io_error_vi(&e)))
        })?;
    }
    let shown = |name: &str| dir.join(name).display().to_string();
    println!(
        "Đã tạo:\n  {}  cấu hình: sửa [document], [[groups]] và [[units]] cho đúng địa phương\n  \
         {}  mẫu báo cáo: sửa lời văn (convert dùng tệp này vì nó nằm cạnh cấu hình)\n  \
         {}  ghi chú hằng tháng: chép vào thư mục bảng tính của tháng rồi viết nội dung\n\n\
         Bước tiếp theo: baocao check-template --config {}\n\
         Hướng dẫn từng khóa của cấu hình: docs/cau-hinh.md",
        shown(CONFIG_FILE),
        shown(TEMPLATE_FILE),
        shown(baocao::write::docx::NOTES_FILE),
        shown(CONFIG_FILE)
    );
    Ok(Outcome::Clean)
}

/// Write a file that must not exist: created exclusively, so a file made in the
/// meantime is not overwritten either.
fn write_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut file = std::fs::OpenOptions::new().write(true).create_new(true).open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}
