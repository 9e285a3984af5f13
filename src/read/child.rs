//! Reading a workbook in a child process (`baocao __doc-workbook NAME`) with a
//! memory and a time limit, for the formats calamine parses whole at open: a
//! crafted file that makes calamine allocate without bound, or loop, then costs
//! that one file, not the run.

use super::{ReadError, Workbook, read_in_process, sniff};
use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The program that reads workbooks in a child process (`baocao __doc-workbook`).
pub(super) static ISOLATE: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();

/// Read xls, xlsb and ods through `exe __doc-workbook NAME` (stdin: the bytes;
/// stdout: the workbook as JSON), which must call [`serve_child`].
pub fn isolate_with(exe: std::path::PathBuf) {
    let _ = ISOLATE.set(exe);
}

/// Memory a child reader may map.
pub const CHILD_MEMORY_BYTES: u64 = 2 * 1024 * 1024 * 1024;
/// Time a child reader may take.
pub const CHILD_SECONDS: u64 = 60;

/// The child side of [`isolate_with`]: read stdin as the workbook `name`, write the result.
pub fn serve_child(name: &str) -> std::io::Result<()> {
    use std::io::{Read, Write};
    let mut bytes = Vec::new();
    std::io::stdin().read_to_end(&mut bytes)?;
    let result = match sniff(name, &bytes) {
        Ok(format) => read_in_process(format, bytes),
        Err(e) => Err(e),
    };
    let json = serde_json::to_vec(&result).map_err(std::io::Error::other)?;
    std::io::stdout().write_all(&json)
}

/// Read `bytes` (the workbook `name`) through `exe __doc-workbook NAME`, within
/// [`CHILD_MEMORY_BYTES`] and [`CHILD_SECONDS`].
pub(super) fn read(exe: &std::path::Path, name: &str, bytes: Vec<u8>) -> Result<Workbook, ReadError> {
    let broke = |why: &str| ReadError::Unreadable(format!("tệp hỏng: {why}"));
    let mut cmd = Command::new(exe);
    cmd.arg("__doc-workbook").arg(name).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::null());
    #[cfg(unix)]
    unsafe {
        use std::os::unix::process::CommandExt;
        // Only setrlimit between fork and exec: async-signal-safe.
        cmd.pre_exec(|| {
            let limit = libc::rlimit { rlim_cur: CHILD_MEMORY_BYTES as _, rlim_max: CHILD_MEMORY_BYTES as _ };
            libc::setrlimit(libc::RLIMIT_AS, &limit);
            Ok(())
        });
    }
    let mut child = cmd.spawn().map_err(|e| ReadError::Unreadable(format!("không chạy được trình đọc: {e}")))?;
    let mut stdin = child.stdin.take().expect("piped stdin");
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&bytes);
    });
    let mut stdout = child.stdout.take().expect("piped stdout");
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        let _ = stdout.read_to_end(&mut out);
        out
    });
    let start = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if start.elapsed() < Duration::from_secs(CHILD_SECONDS) => {
                std::thread::sleep(Duration::from_millis(5))
            }
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
        }
    };
    let _ = writer.join();
    let out = reader.join().unwrap_or_default();
    match status {
        None => Err(broke(&format!("đọc quá {CHILD_SECONDS} giây, đã dừng"))),
        Some(s) if !s.success() => Err(broke(&format!(
            "trình đọc bảng tính dừng đột ngột (vượt giới hạn {} MB bộ nhớ hoặc cấu trúc tệp sai)",
            CHILD_MEMORY_BYTES / (1024 * 1024)
        ))),
        Some(_) => serde_json::from_slice::<Result<Workbook, ReadError>>(&out)
            .unwrap_or_else(|_| Err(broke("trình đọc trả kết quả không hợp lệ"))),
    }
}
