//! The inbox: every entry of the folder, in name order.

use std::path::{Path, PathBuf};

/// Every entry of the inbox, sorted by name so results never depend on the file system.
pub(super) fn list(inbox: &Path) -> Result<Vec<PathBuf>, super::EngineError> {
    let entries = std::fs::read_dir(inbox).map_err(|e| super::EngineError::Inbox {
        path: inbox.display().to_string(),
        reason: crate::io_error_vi(&e) + &crate::file::windows_path_hint(inbox),
    })?;
    // By name: the same order as the paths (one folder), without comparing paths
    // component by component (milliseconds for a province's inbox).
    let mut files: Vec<(std::ffi::OsString, PathBuf)> =
        entries.filter_map(|e| e.ok().map(|e| (e.file_name(), e.path()))).collect();
    files.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    Ok(files.into_iter().map(|(_, path)| path).collect())
}

/// A file name as the user is shown it: as it is when it is UTF-8; otherwise each
/// byte that is not is written `\xNN` (a lossy "�" would show two different names
/// the same), with a note that the name is not Unicode.
pub(super) fn display_name(name: &std::ffi::OsStr) -> String {
    if let Some(s) = name.to_str() {
        return s.to_string();
    }
    let mut out = String::new();
    for chunk in name.as_encoded_bytes().utf8_chunks() {
        out.push_str(chunk.valid());
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02X}"));
        }
    }
    out.push_str(" (tên tệp không phải Unicode)");
    out
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::ffi::OsStrExt;

    #[test]
    fn names_that_are_not_utf8_stay_apart() {
        let a = display_name(std::ffi::OsStr::from_bytes(b"Ph\xfd H\xe0.xlsx"));
        let b = display_name(std::ffi::OsStr::from_bytes(b"Ph\xfe H\xe0.xlsx"));
        assert_ne!(a, b);
        assert!(a.starts_with("Ph\\xFD H\\xE0.xlsx"), "{a}");
        assert_eq!(display_name(std::ffi::OsStr::new("Phủ Hà.xlsx")), "Phủ Hà.xlsx");
    }
}
