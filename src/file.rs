//! Reading a file a user named or dropped in the inbox, safely: only a regular
//! file (a symlink is followed once, to what it names), opened without waiting
//! (a FIFO would block the open itself), and read up to a cap counted in bytes
//! actually read, never in the size the metadata claims (a link to `/dev/zero`
//! says 0 and never ends).
//!
//! std has no "open only if regular" call, so the checks are made on the open
//! handle (`fstat`), which is the file that is then read: no race between a
//! check on the name and the read.

use std::io::Read;
use std::path::Path;

/// Why a file was not read, in Vietnamese.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileError {
    /// Not a regular file: a folder, a FIFO, a socket, a device.
    #[error("{0}")]
    NotAFile(String),
    /// Larger than the cap.
    #[error("tệp quá lớn (hơn {} MB)", .0 / (1024 * 1024))]
    TooLarge(u64),
    /// The system refused (not found, no permission, ...).
    #[error("{0}")]
    Io(String),
}

/// The bytes of the regular file at `path`, at most `cap` of them.
pub fn read_regular(path: &Path, cap: u64) -> Result<Vec<u8>, FileError> {
    let file = open_regular(path)?;
    let mut bytes = Vec::new();
    file.take(cap + 1).read_to_end(&mut bytes).map_err(|e| FileError::Io(crate::io_error_vi(&e)))?;
    if bytes.len() as u64 > cap {
        return Err(FileError::TooLarge(cap));
    }
    Ok(bytes)
}

/// [`read_regular`] as UTF-8 text; `what` names the file in the message ("tệp cấu hình").
pub fn read_text(path: &Path, cap: u64, what: &str) -> Result<String, String> {
    let bytes = read_regular(path, cap)
        .map_err(|e| format!("không đọc được {what} {}: {e}{}", path.display(), windows_path_hint(path)))?;
    String::from_utf8(bytes).map_err(|_| {
        format!(
            "không đọc được {what} {}: tệp không phải văn bản UTF-8 (hãy lưu lại với bảng mã UTF-8)",
            path.display()
        )
    })
}

/// A hint for a path written the Windows way ("C:\\Users\\…", backslashes) on a
/// system where `\\` is not a separator, to add after "không tìm thấy": such a
/// path names nothing here. Empty for any other path, and on Windows.
pub fn windows_path_hint(path: &Path) -> String {
    let text = path.to_string_lossy();
    let drive = text.len() >= 2 && text.as_bytes()[0].is_ascii_alphabetic() && text.as_bytes()[1] == b':';
    if std::path::MAIN_SEPARATOR == '\\' || !(drive || text.contains('\\')) || path.exists() {
        return String::new();
    }
    ". Đường dẫn này viết theo kiểu Windows (ổ đĩa như “C:”, dấu “\\”), trên máy này không có: hãy viết bằng dấu “/”, \
     ví dụ thang-08/baocao.toml hoặc /home/ten/thang-08 (trên Windows thì viết như cũ)"
        .to_string()
}

/// Open `path` for reading if, once opened, it is a regular file.
fn open_regular(path: &Path) -> Result<std::fs::File, FileError> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // Opening a FIFO for reading blocks until a writer comes, unless non-blocking.
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::IsADirectory => FileError::NotAFile(kind_reason(true, None)),
        _ => FileError::Io(crate::io_error_vi(&e)),
    })?;
    let meta = file.metadata().map_err(|e| FileError::Io(crate::io_error_vi(&e)))?;
    if !meta.is_file() {
        return Err(FileError::NotAFile(kind_reason(meta.is_dir(), Some(&meta.file_type()))));
    }
    #[cfg(unix)]
    {
        // Reads of a regular file never block; clear the flag anyway so none is surprising.
        use std::os::fd::AsRawFd;
        // SAFETY: fcntl on a descriptor this function owns, with valid flags.
        unsafe {
            let flags = libc::fcntl(file.as_raw_fd(), libc::F_GETFL);
            if flags >= 0 {
                libc::fcntl(file.as_raw_fd(), libc::F_SETFL, flags & !libc::O_NONBLOCK);
            }
        }
    }
    Ok(file)
}

/// What a non-regular file is, in words.
fn kind_reason(is_dir: bool, file_type: Option<&std::fs::FileType>) -> String {
    if is_dir {
        return "là thư mục, không phải tệp".into();
    }
    #[cfg(unix)]
    if let Some(t) = file_type {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "là ống dẫn (FIFO) của hệ điều hành, không phải tệp; không đọc để khỏi treo máy".into();
        }
        if t.is_socket() {
            return "là socket của hệ điều hành, không phải tệp".into();
        }
        if t.is_char_device() || t.is_block_device() {
            return "là thiết bị của hệ điều hành (ví dụ /dev/zero), không phải tệp".into();
        }
    }
    let _ = file_type;
    "không phải tệp thông thường".into()
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn only_regular_files_are_read_and_the_cap_counts_bytes_read() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("x.xlsx");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
        let e = read_regular(&fifo, 1024).unwrap_err();
        assert!(matches!(&e, FileError::NotAFile(r) if r.contains("FIFO")), "{e}");
        let zero = dir.path().join("zero.xlsx");
        std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
        assert!(matches!(read_regular(&zero, 1024).unwrap_err(), FileError::NotAFile(r) if r.contains("thiết bị")));
        assert!(matches!(read_regular(dir.path(), 1024).unwrap_err(), FileError::NotAFile(_)));
        let big = dir.path().join("big.xlsx");
        std::fs::write(&big, vec![0u8; 2048]).unwrap();
        assert_eq!(read_regular(&big, 1024).unwrap_err(), FileError::TooLarge(1024));
        assert_eq!(read_regular(&big, 2048).unwrap().len(), 2048);
        let link = dir.path().join("link.xlsx");
        std::os::unix::fs::symlink(&big, &link).unwrap();
        assert_eq!(read_regular(&link, 4096).unwrap().len(), 2048, "a link to a file is followed");
    }
}
