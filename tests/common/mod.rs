//! Shared by the integration tests: the bundled samples, temp inboxes built from
//! them, and running the `baocao` binary.
#![allow(dead_code)] // each test file uses its own part

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

pub const CONFIG: &str = "samples/phan-rang-thap-cham.toml";
pub const INBOX: &str = "samples/inbox-2024-07";

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// samples/expected-2024-07.json
pub fn expected() -> Value {
    serde_json::from_str(&std::fs::read_to_string(root().join("samples/expected-2024-07.json")).unwrap()).unwrap()
}

/// A temp copy of the July inbox without the files named in `drop`.
pub fn inbox_without(drop: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(root().join(INBOX)).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if !drop.contains(&name.as_str()) {
            std::fs::copy(&path, dir.path().join(&name)).unwrap();
        }
    }
    dir
}

/// `baocao SUBCOMMAND INBOX --config samples/... ARGS...`
pub fn baocao(sub: &str, inbox: &Path, args: &[&str]) -> std::process::Output {
    Command::cargo_bin("baocao")
        .unwrap()
        .arg(sub)
        .arg(inbox)
        .arg("--config")
        .arg(root().join(CONFIG))
        .args(args)
        .output()
        .unwrap()
}

/// `baocao check INBOX --json`: exit code and the parsed JSON.
pub fn check_json(inbox: &Path) -> (i32, Value) {
    let out = baocao("check", inbox, &["--json"]);
    let json = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code().unwrap(), json)
}

/// The first finding of a kind.
pub fn finding<'a>(run: &'a Value, kind: &str) -> &'a Value {
    run["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["kind"] == kind)
        .unwrap_or_else(|| panic!("no {kind} finding in {:#}", run["findings"]))
}

/// A consolidated value.
pub fn total(run: &Value, id: &str) -> f64 {
    run["totals"][id]["value"].as_f64().unwrap()
}

/// One unit of the run by name.
pub fn unit<'a>(run: &'a Value, name: &str) -> &'a Value {
    run["units"].as_array().unwrap().iter().find(|u| u["name"] == name).unwrap()
}
