//! The two outputs of a run are one unit (issue 17, item 3): two runs into one
//! folder at once never leave one's report beside the other's appendix; a run
//! that cannot finish writing (a full disk) leaves the previous pair as it was
//! and no temporary file.

mod common;

use common::{JULY_SIGNING, root};
use std::path::Path;

fn convert_cmd(out: &Path, number: &str) -> std::process::Command {
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("baocao"));
    cmd.arg("convert")
        .arg(root().join(common::INBOX))
        .arg("--config")
        .arg(root().join(common::CONFIG))
        .args(["--out", out.to_str().unwrap(), "--number", number, "--date", "12/07/2024"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped());
    cmd
}

/// The number the DOCX and the XLSX of `out` were written with.
fn numbers(out: &Path) -> (String, String) {
    let docx = common::month::docx_text(&out.join("bao-cao-2024-07.docx"));
    let in_docx = docx.split("Số: ").nth(1).unwrap().split('/').next().unwrap().to_string();
    let mut xlsx = zip::ZipArchive::new(std::fs::File::open(out.join("phu-luc-2024-07.xlsx")).unwrap()).unwrap();
    let mut strings = String::new();
    use std::io::Read;
    xlsx.by_name("xl/sharedStrings.xml").unwrap().read_to_string(&mut strings).unwrap();
    let in_xlsx = strings.split("Kèm theo Báo cáo số ").nth(1).unwrap().split('/').next().unwrap().to_string();
    (in_docx, in_xlsx)
}

fn leftovers(out: &Path) -> Vec<String> {
    std::fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.starts_with('.'))
        .collect()
}

#[test]
fn two_runs_at_once_into_one_folder_always_leave_a_pair() {
    let out = tempfile::tempdir().unwrap();
    for round in 0..6 {
        let mut a = convert_cmd(out.path(), "101").spawn().unwrap();
        let mut b = convert_cmd(out.path(), "202").spawn().unwrap();
        let (ra, rb) = (a.wait().unwrap(), b.wait().unwrap());
        assert!(ra.code() == Some(0) || rb.code() == Some(0), "round {round}: at least one run writes");
        let (in_docx, in_xlsx) = numbers(out.path());
        assert_eq!(in_docx, in_xlsx, "round {round}: the DOCX and the XLSX are of one run");
        assert!(leftovers(out.path()).is_empty(), "{:?}", leftovers(out.path()));
    }
}

#[cfg(unix)]
#[test]
fn a_run_that_cannot_finish_writing_keeps_the_old_pair_and_no_temporary() {
    use std::os::unix::process::CommandExt;
    let out = tempfile::tempdir().unwrap();
    let first = convert_cmd(out.path(), "101").output().unwrap();
    assert_eq!(first.status.code(), Some(0));
    let before = (
        std::fs::read(out.path().join("bao-cao-2024-07.docx")).unwrap(),
        std::fs::read(out.path().join("phu-luc-2024-07.xlsx")).unwrap(),
    );
    // A file size limit smaller than the appendix: writing it fails as on a full disk.
    let limit = (before.1.len() / 2) as libc::rlim_t;
    let mut cmd = convert_cmd(out.path(), "202");
    // SAFETY: setrlimit and signal are async-signal-safe; nothing else runs in the child before exec.
    unsafe {
        cmd.pre_exec(move || {
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            let lim = libc::rlimit { rlim_cur: limit, rlim_max: limit };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &lim) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let second = cmd.output().unwrap();
    assert_eq!(second.status.code(), Some(2), "{}", String::from_utf8_lossy(&second.stderr));
    let err = String::from_utf8_lossy(&second.stderr);
    assert!(err.contains("ổ đĩa đầy") || err.contains("Không ghi được"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    let after = (
        std::fs::read(out.path().join("bao-cao-2024-07.docx")).unwrap(),
        std::fs::read(out.path().join("phu-luc-2024-07.xlsx")).unwrap(),
    );
    assert!(before == after, "the previous pair is untouched");
    assert!(leftovers(out.path()).is_empty(), "{:?}", leftovers(out.path()));
    // A temporary left by a killed run is cleaned by the next run.
    std::fs::write(out.path().join(".baocao-tmp-killed"), b"x").unwrap();
    let third = convert_cmd(out.path(), "303").output().unwrap();
    assert_eq!(third.status.code(), Some(0));
    assert!(leftovers(out.path()).is_empty());
    assert_eq!(numbers(out.path()), ("303".into(), "303".into()));
    let _ = JULY_SIGNING;
}

/// A tmpfs of `bytes` mounted for the test, unmounted when dropped; `None` where
/// mounting is not allowed (not root, no CAP_SYS_ADMIN, not Linux).
#[cfg(target_os = "linux")]
struct Tmpfs(tempfile::TempDir);

#[cfg(target_os = "linux")]
impl Tmpfs {
    fn mount(bytes: u64) -> Option<Tmpfs> {
        let dir = tempfile::tempdir().unwrap();
        let ok = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={bytes}"), "tmpfs"])
            .arg(dir.path())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        ok.then_some(Tmpfs(dir))
    }
}

#[cfg(target_os = "linux")]
impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg(self.0.path()).status();
    }
}

/// The same promise on a real full disk: a tmpfs with room for one pair and half
/// of a second. Skipped, with a note, where a tmpfs cannot be mounted.
#[cfg(target_os = "linux")]
#[test]
fn on_a_full_disk_the_old_pair_stays_and_the_message_is_vietnamese() {
    let sizes = tempfile::tempdir().unwrap();
    assert_eq!(convert_cmd(sizes.path(), "101").output().unwrap().status.code(), Some(0));
    let pair: u64 = ["bao-cao-2024-07.docx", "phu-luc-2024-07.xlsx"]
        .iter()
        .map(|n| std::fs::metadata(sizes.path().join(n)).unwrap().len())
        .sum();
    let Some(disk) = Tmpfs::mount(pair + pair / 2) else {
        eprintln!(
            "note: no tmpfs could be mounted here (needs root); the full-disk case is covered by RLIMIT_FSIZE only"
        );
        return;
    };
    let out = disk.0.path();
    let first = convert_cmd(out, "101").output().unwrap();
    assert_eq!(first.status.code(), Some(0), "one pair fits: {}", String::from_utf8_lossy(&first.stderr));
    let before = (
        std::fs::read(out.join("bao-cao-2024-07.docx")).unwrap(),
        std::fs::read(out.join("phu-luc-2024-07.xlsx")).unwrap(),
    );
    let second = convert_cmd(out, "202").output().unwrap();
    let err = String::from_utf8_lossy(&second.stderr);
    assert_eq!(second.status.code(), Some(2), "{err}");
    assert!(err.contains("ổ đĩa đầy"), "{err}");
    for english in ["No space", "os error", "at path"] {
        assert!(!err.contains(english), "no English OS text: {err}");
    }
    assert!(err.contains(&out.display().to_string()), "the message names the path: {err}");
    assert!(!err.contains("panicked"), "{err}");
    let after = (
        std::fs::read(out.join("bao-cao-2024-07.docx")).unwrap(),
        std::fs::read(out.join("phu-luc-2024-07.xlsx")).unwrap(),
    );
    assert!(before == after, "the previous pair is untouched");
    assert!(leftovers(out).is_empty(), "{:?}", leftovers(out));
}
