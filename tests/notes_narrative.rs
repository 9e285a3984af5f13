//! The month's narrative from the notes file, run through `baocao convert` on the
//! July samples.

mod common;

use common::{baocao, inbox_without};
use std::path::Path;

fn convert(inbox: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["--out", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    baocao("convert", inbox, &args)
}

#[test]
fn a_malformed_notes_heading_stops_the_run_with_its_line_before_reading() {
    let inbox = inbox_without(&[]);
    let notes = "# I. CÔNG TÁC CHỈ ĐẠO TRIỂN KHAI\n- Văn bản của tháng.\n\n#III. NHẬN XÉT ĐÁNH GIÁ\n- Ưu điểm.\n";
    std::fs::write(inbox.path().join("ghi-chu.md"), notes).unwrap();
    let out = tempfile::tempdir().unwrap();
    let res = convert(inbox.path(), out.path(), &[]);
    assert_eq!(res.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&res.stderr);
    assert!(stderr.contains("ghi-chu.md, dòng 4") && stderr.contains("#III."), "{stderr}");
    assert!(String::from_utf8_lossy(&res.stdout).is_empty(), "stopped before the workbooks were checked");
    assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 0, "nothing written");
}
