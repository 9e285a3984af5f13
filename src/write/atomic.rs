//! Outputs on disk: written to a temporary file in the same folder, synced, then
//! renamed over the old one, so readers see either the old file or the whole new one.
//!
//! The outputs of one run are one unit ([`write_together`]): both are written in
//! full before either is renamed into place, under a lock on the folder, so two
//! runs into one folder never leave one run's report beside the other's appendix,
//! and a run that fails (a full disk) leaves the previous pair as it was.

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
    /// Another run is writing into the same folder.
    #[error(
        "Thư mục {path} đang được một lần chạy baocao khác ghi vào (đã chờ {seconds} giây); hãy chờ lần chạy đó xong rồi chạy lại"
    )]
    Busy {
        /// The folder.
        path: String,
        /// How long this run waited.
        seconds: u64,
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

/// What temporary files of baocao's outputs are called: one left behind by a run
/// that was killed is recognised, and removed, by the next run into the folder.
const TEMP_PREFIX: &str = ".baocao-tmp-";

/// How long a run waits for another run writing into the same folder.
const LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(30);

/// Write every `(path, bytes)` (all in one folder) as one unit: under a lock on the
/// folder, each to a temporary file there, synced; only when all are complete are
/// they renamed into place, and if a rename fails the ones already renamed are put
/// back. A failure at any point leaves the previous files as they were and no
/// temporary file behind; temporaries of a killed run are removed first.
pub fn write_together(outputs: &[(&Path, &[u8])]) -> Result<(), WriteError> {
    let Some((first, _)) = outputs.first() else { return Ok(()) };
    let dir = first.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    debug_assert!(
        outputs.iter().all(|(p, _)| p.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")) == dir)
    );
    let folder = |action, e: &std::io::Error| WriteError::Folder {
        action,
        path: dir.display().to_string(),
        reason: crate::io_error_vi(e),
    };
    std::fs::create_dir_all(dir).map_err(|e| folder("tạo được", &e))?;
    let _lock = lock::Folder::acquire(dir, LOCK_WAIT).map_err(|e| match e {
        lock::Error::Busy => WriteError::Busy { path: dir.display().to_string(), seconds: LOCK_WAIT.as_secs() },
        lock::Error::Io(e) => folder("khóa được", &e),
    })?;
    remove_stale_temporaries(dir);
    // Each write waits for the disk (fsync): all at once.
    use rayon::prelude::*;
    let temps: Vec<tempfile::NamedTempFile> =
        outputs.par_iter().map(|(path, bytes)| temporary(dir, path, bytes)).collect::<Result<_, _>>()?;
    // All complete: now into place. Old files are kept aside until every rename has worked.
    let mut kept: Vec<(tempfile::TempPath, &Path)> = Vec::new();
    let mut placed: Vec<&Path> = Vec::new();
    for (tmp, (path, _)) in temps.into_iter().zip(outputs) {
        if path.exists() {
            let aside = tempfile::Builder::new()
                .prefix(TEMP_PREFIX)
                .tempfile_in(dir)
                .map_err(|e| folder("ghi được vào", &e))?
                .into_temp_path();
            if let Err(e) = std::fs::rename(path, &aside) {
                restore(&mut kept, &placed);
                return Err(WriteError::File { path: path.display().to_string(), reason: in_use(&e) });
            }
            kept.push((aside, path));
        }
        if let Err(e) = tmp.persist(path) {
            restore(&mut kept, &placed);
            return Err(WriteError::File { path: path.display().to_string(), reason: in_use(&e.error) });
        }
        placed.push(path);
    }
    // The old files kept aside are removed as `kept` drops (TempPath deletes on drop).
    sync_folder(dir);
    Ok(())
}

/// One output in a temporary file of `dir`, synced and readable by others.
fn temporary(dir: &Path, path: &Path, bytes: &[u8]) -> Result<tempfile::NamedTempFile, WriteError> {
    let file =
        |e: std::io::Error| WriteError::File { path: path.display().to_string(), reason: crate::io_error_vi(&e) };
    let mut tmp = tempfile::Builder::new().prefix(TEMP_PREFIX).tempfile_in(dir).map_err(file)?;
    tmp.write_all(bytes).map_err(file)?;
    tmp.as_file().sync_all().map_err(file)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file().set_permissions(std::fs::Permissions::from_mode(0o644)).map_err(file)?;
    }
    Ok(tmp)
}

/// After a failed rename: the files renamed so far are taken out again and the old
/// ones put back, so the folder holds the previous set as it was.
fn restore(kept: &mut Vec<(tempfile::TempPath, &Path)>, placed: &[&Path]) {
    for path in placed {
        let _ = std::fs::remove_file(path);
    }
    for (aside, path) in kept.drain(..) {
        if let Err(e) = aside.persist(path) {
            // Nothing more can be done: leave the old file under its temporary name.
            let _ = e.path.keep();
        }
    }
}

/// Temporaries of earlier runs that were killed before they could clean up.
fn remove_stale_temporaries(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().starts_with(TEMP_PREFIX) && entry.file_type().is_ok_and(|t| t.is_file())
        {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// The renames made durable (best effort: not every system can sync a folder).
fn sync_folder(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

fn in_use(e: &std::io::Error) -> String {
    format!("{}. Nếu tệp đang mở trong Excel/Word, hãy đóng tệp rồi chạy lại.", crate::io_error_vi(e))
}

/// An exclusive lock on a folder for the time a run writes into it.
///
/// Hand-written over `flock(2)` on the folder itself (no lock file left in the
/// user's folder): std's file locks (`File::lock`) need a file opened for
/// writing, which a folder cannot be. Unix only; elsewhere there is no lock and
/// two runs at once into one folder are the user's to avoid.
mod lock {
    use std::path::Path;
    use std::time::{Duration, Instant};

    pub(super) enum Error {
        Busy,
        Io(std::io::Error),
    }

    pub(super) struct Folder {
        #[cfg(unix)]
        _dir: std::fs::File,
    }

    impl Folder {
        /// The lock on `dir`, waiting up to `wait` for another run to release it.
        pub(super) fn acquire(dir: &Path, wait: Duration) -> Result<Folder, Error> {
            #[cfg(unix)]
            {
                use std::os::fd::AsRawFd;
                let file = std::fs::File::open(dir).map_err(Error::Io)?;
                let start = Instant::now();
                loop {
                    // SAFETY: flock on a descriptor this function owns.
                    if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } == 0 {
                        return Ok(Folder { _dir: file });
                    }
                    let e = std::io::Error::last_os_error();
                    if e.raw_os_error() != Some(libc::EWOULDBLOCK) {
                        return Err(Error::Io(e));
                    }
                    if start.elapsed() >= wait {
                        return Err(Error::Busy);
                    }
                    std::thread::sleep(Duration::from_millis(100));
                }
            }
            #[cfg(not(unix))]
            {
                let _ = (dir, wait, Instant::now());
                Ok(Folder {})
            }
        }
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn a_pair_replaces_the_old_pair_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a.docx"), dir.path().join("b.xlsx"));
        std::fs::write(dir.path().join(".baocao-tmp-killed"), b"left by a killed run").unwrap();
        write_together(&[(&a, b"A1"), (&b, b"B1")]).unwrap();
        write_together(&[(&a, b"A2"), (&b, b"B2")]).unwrap();
        assert_eq!((std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap()), (b"A2".to_vec(), b"B2".to_vec()));
        let names: Vec<String> =
            std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into()).collect();
        assert_eq!(names.len(), 2, "{names:?}");
    }

    #[test]
    fn a_failed_rename_puts_the_old_pair_back() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.docx");
        let b = dir.path().join("b.xlsx");
        write_together(&[(&a, b"A1"), (&b, b"B1")]).unwrap();
        // A folder where the second file should go: its rename fails after the first's worked.
        std::fs::remove_file(&b).unwrap();
        std::fs::create_dir(&b).unwrap();
        std::fs::write(b.join("x"), b"x").unwrap();
        assert!(write_together(&[(&a, b"A2"), (&b, b"B2")]).is_err());
        assert_eq!(std::fs::read(&a).unwrap(), b"A1", "the first file is put back");
        let temps = std::fs::read_dir(dir.path())
            .unwrap()
            .filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().starts_with(TEMP_PREFIX))
            .count();
        assert_eq!(temps, 0);
    }

    #[test]
    fn a_second_run_waits_for_the_lock_then_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let held = lock::Folder::acquire(dir.path(), LOCK_WAIT).ok().unwrap();
        assert!(matches!(
            lock::Folder::acquire(dir.path(), std::time::Duration::from_millis(300)),
            Err(lock::Error::Busy)
        ));
        drop(held);
        assert!(lock::Folder::acquire(dir.path(), std::time::Duration::from_millis(300)).is_ok());
    }
}
