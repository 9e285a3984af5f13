//! The Open XML validator `openxml-audit` (PyPI), standing in for Word's strictness.
//!
//! The README's test command is plain `cargo test`, so the tests install the validator
//! themselves: a Python virtual environment under cargo's per-target temp folder, created
//! once (under a file lock, as the test binaries run in parallel) and reused by later runs.
//! `OPENXML_AUDIT=/path/to/openxml-audit` uses an installed one instead.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The version the outputs are checked against: a newer validator may add rules, which
/// is a decision to take on purpose, not on a CI run.
const VERSION: &str = "0.8.0";

fn executable() -> PathBuf {
    if let Some(path) = std::env::var_os("OPENXML_AUDIT") {
        return PathBuf::from(path);
    }
    let venv = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("openxml-audit-{VERSION}"));
    let exe = venv.join("bin/openxml-audit");
    std::fs::create_dir_all(venv.parent().unwrap()).unwrap();
    let lock = std::fs::File::create(venv.with_extension("lock")).unwrap();
    lock.lock().unwrap();
    if !exe.exists() {
        let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".into());
        let ok = Command::new(&python).args(["-m", "venv"]).arg(&venv).status();
        assert!(ok.is_ok_and(|s| s.success()), "{python} -m venv {} failed", venv.display());
        let ok = Command::new(venv.join("bin/pip"))
            .args(["install", "--quiet", "--disable-pip-version-check"])
            .arg(format!("openxml-audit=={VERSION}"))
            .status();
        assert!(ok.is_ok_and(|s| s.success()), "pip install openxml-audit=={VERSION} failed");
    }
    exe
}

/// The validator's findings on `file` under the strict policy for `format` (`office2016`,
/// `microsoft365`): one line per error, empty when the file is clean.
pub fn errors(file: &Path, format: &str) -> Vec<String> {
    let out = Command::new(executable())
        .args(["--policy", "strict", "--max-errors", "0", "-o", "text", "-f", format])
        .arg(file)
        .output()
        .expect("openxml-audit runs");
    let text = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    if out.status.success() {
        return Vec::new();
    }
    let lines: Vec<String> = text.lines().filter(|l| !l.trim().is_empty()).map(str::to_owned).collect();
    assert!(!lines.is_empty(), "openxml-audit failed without output on {}", file.display());
    lines
}
