//! Outputs on disk: written to a temporary file in the same folder, synced, then
//! renamed over the old one, so readers see either the old file or the whole new one.

use std::io::Write;
use std::path::Path;

/// An output could not be written; in Vietnamese, with the path.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The output folder cannot be made or written into.
    #[error("Không {action} thư mục {path}: {reason}")]
    Folder {
        /// What was tried ("tạo được", "ghi được vào").
        action: &'static str,
        /// The folder.
        path: String,
        /// Why, in Vietnamese.
        reason: String,
    },
    /// The file itself cannot be written or put in place.
    #[error("Không ghi được {path}: {reason}")]
    File {
        /// The file.
        path: String,
        /// Why, in Vietnamese.
        reason: String,
    },
}

/// Write `bytes` to `path` through a temp file in the same folder and a rename,
/// so readers see either the old file or the whole new one.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let folder = |action, e: &std::io::Error| WriteError::Folder {
        action,
        path: dir.display().to_string(),
        reason: crate::io_error_vi(e),
    };
    let file = |reason: String| WriteError::File { path: path.display().to_string(), reason };
    std::fs::create_dir_all(dir).map_err(|e| folder("tạo được", &e))?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(|e| folder("ghi được vào", &e))?;
    let io = |e: std::io::Error| file(crate::io_error_vi(&e));
    tmp.write_all(bytes).map_err(io)?;
    tmp.as_file().sync_all().map_err(io)?;
    // Temp files are private (0600); a report is an ordinary document.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file().set_permissions(std::fs::Permissions::from_mode(0o644)).map_err(io)?;
    }
    tmp.persist(path).map_err(|e| {
        file(format!("{}. Nếu tệp đang mở trong Excel/Word, hãy đóng tệp rồi chạy lại.", crate::io_error_vi(&e.error)))
    })?;
    Ok(())
}
