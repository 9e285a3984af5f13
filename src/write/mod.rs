//! Writers: turn a [`crate::model::RunResult`] into the documents people read.
//! Each writer is a pure function returning bytes; [`write_atomic`] puts them on disk
//! so a failed run never leaves half a file.

pub mod docx;
pub mod summary;
pub mod xlsx;

use crate::config::Config;
use crate::model::{RunResult, UnitStatus};
use std::io::Write;
use std::path::Path;

/// When some expected units are not in the consolidation: how many of each group
/// are, and which are missing, e.g. "Số liệu tổng hợp từ 15/16 phường, xã và 4/4
/// phòng, ban, đơn vị thành phố; chưa có số liệu của: Phường Phủ Hà." None when all are.
pub fn coverage_note(cfg: &Config, run: &RunResult) -> Option<String> {
    let missing: Vec<&str> =
        run.units.iter().filter(|u| u.status != UnitStatus::Counted).map(|u| u.name.as_str()).collect();
    if missing.is_empty() {
        return None;
    }
    let parts: Vec<String> = cfg
        .groups
        .iter()
        .filter_map(|g| {
            let of_group: Vec<_> = run.units.iter().filter(|u| u.group == g.id).collect();
            let counted = of_group.iter().filter(|u| u.status == UnitStatus::Counted).count();
            (!of_group.is_empty()).then(|| format!("{counted}/{} {}", of_group.len(), g.name))
        })
        .collect();
    Some(format!("Số liệu tổng hợp từ {}; chưa có số liệu của: {}.", parts.join(" và "), missing.join(", ")))
}

/// Write `bytes` to `path` through a temp file in the same folder and a rename,
/// so readers see either the old file or the whole new one.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)
        .map_err(|e| anyhow::anyhow!("Không tạo được thư mục {}: {}", dir.display(), crate::io_error_vi(&e)))?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)
        .map_err(|e| anyhow::anyhow!("Không ghi được vào thư mục {}: {}", dir.display(), crate::io_error_vi(&e)))?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    // Temp files are private (0600); a report is an ordinary document.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file().set_permissions(std::fs::Permissions::from_mode(0o644))?;
    }
    tmp.persist(path).map_err(|e| {
        anyhow::anyhow!(
            "Không ghi được {}: {}. Nếu tệp đang mở trong Excel/Word, hãy đóng tệp rồi chạy lại.",
            path.display(),
            e.error
        )
    })?;
    Ok(())
}
