//! The inbox: every entry of the folder, in name order.

use std::path::{Path, PathBuf};

/// Every entry of the inbox, sorted by name so results never depend on the file system.
pub(super) fn list(inbox: &Path) -> Result<Vec<PathBuf>, super::EngineError> {
    let entries = std::fs::read_dir(inbox)
        .map_err(|e| super::EngineError::Inbox { path: inbox.display().to_string(), reason: crate::io_error_vi(&e) })?;
    // By name: the same order as the paths (one folder), without comparing paths
    // component by component (milliseconds for a province's inbox).
    let mut files: Vec<(std::ffi::OsString, PathBuf)> =
        entries.filter_map(|e| e.ok().map(|e| (e.file_name(), e.path()))).collect();
    files.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    Ok(files.into_iter().map(|(_, path)| path).collect())
}
