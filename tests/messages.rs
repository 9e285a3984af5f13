//! What a clerk reads when something is wrong (issue 15, item 5): every message
//! in Vietnamese, naming the file and the line, never the English of the
//! libraries underneath (the OS's "os error 2", serde's "invalid type", the TOML
//! parser's "unclosed table", clap's "error: unexpected argument").

mod common;

use assert_cmd::Command;
use common::{CONFIG, INBOX, root};
use std::path::Path;

/// English a clerk must never see, from the libraries under baocao.
const ENGLISH: [&str; 22] = [
    "os error",
    "No such file",
    "invalid type",
    "invalid value",
    "expected",
    "unexpected",
    "unclosed",
    "end of input",
    "unknown field",
    "missing field",
    "duplicate key",
    "string",
    "integer",
    "error:",
    "Usage",
    "tip:",
    "For more information",
    "argument",
    "found",
    "panicked",
    "Error",
    "invalid",
];

/// `baocao ARGS…`: exit code and stderr.
fn run(args: &[&str]) -> (Option<i32>, String, String) {
    let out = Command::cargo_bin("baocao").unwrap().args(args).output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn assert_vietnamese(message: &str) {
    for word in ENGLISH {
        assert!(!message.contains(word), "English {word:?} in: {message}");
    }
}

/// `baocao check` of the July inbox with the sample config changed by `edit`.
fn check_with_config(edit: impl Fn(&str) -> String) -> (Option<i32>, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let sample = std::fs::read_to_string(root().join(CONFIG)).unwrap();
    let path = dir.path().join("cau-hinh.toml");
    std::fs::write(&path, edit(&sample)).unwrap();
    let inbox = root().join(INBOX);
    run(&["check", inbox.to_str().unwrap(), "--config", path.to_str().unwrap()])
}

/// The 1-based line of the first line of `text` containing `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).unwrap() + 1
}

#[test]
fn a_value_of_the_wrong_type_says_what_is_needed_and_where() {
    let (code, _, err) = check_with_config(|s| s.replace("cut_off_day = 5", "cut_off_day = \"8\""));
    assert_eq!(code, Some(2));
    let sample = std::fs::read_to_string(root().join(CONFIG)).unwrap();
    let line = line_of(&sample, "cut_off_day = 5");
    assert!(err.contains(&format!("cau-hinh.toml, dòng {line}: cần một số nguyên")), "{err}");
    assert!(err.contains("đang ghi chuỗi \"8\"") && err.contains("cut_off_day = \"8\""), "{err}");
    assert_vietnamese(&err);
}

#[test]
fn a_truncated_config_is_said_truncated() {
    // Cut in the middle of a [[tables]] header, of a string, of an inline table.
    for cut in ["[[tab", "label = \"Đăng ký th", "{ id = \"total\", hea"] {
        let (code, _, err) = check_with_config(|s| {
            let at = s.find(cut).unwrap() + cut.len();
            s[..at].to_string()
        });
        assert_eq!(code, Some(2), "{cut}");
        assert!(err.contains("Lỗi cấu hình: Tệp cấu hình") && err.contains("dòng"), "{err}");
        assert!(err.contains("chưa được đóng") && err.contains("cắt cụt"), "{cut}: {err}");
        assert_vietnamese(&err);
    }
}

#[test]
fn an_unknown_key_is_named_with_the_keys_that_are_used() {
    let (code, _, err) = check_with_config(|s| s.replacen("symbol = ", "symbl = ", 1));
    assert_eq!(code, Some(2));
    assert!(err.contains("khóa không hợp lệ `symbl`; các khóa được dùng ở đây: `parent_body`"), "{err}");
    assert!(err.contains("`symbol`") && err.contains("| symbl = \"BC-TCTĐA06\""), "{err}");
    assert_vietnamese(&err);
}

#[test]
fn a_missing_inbox_is_said_as_the_inbox_not_as_a_missing_config() {
    let dir = tempfile::tempdir().unwrap();
    let inbox = dir.path().join("thang-08");
    for args in [vec!["check", inbox.to_str().unwrap()], vec!["convert", inbox.to_str().unwrap(), "--out", "."]] {
        let (code, _, err) = run(&args);
        assert_eq!(code, Some(2));
        assert_eq!(err.trim(), format!("Lỗi: Không mở được thư mục báo cáo {}: không tìm thấy", inbox.display()));
    }
    // With --config too: the inbox, not the config, is what is missing.
    let config = root().join(CONFIG);
    let (code, _, err) = run(&["check", inbox.to_str().unwrap(), "--config", config.to_str().unwrap()]);
    assert_eq!(code, Some(2));
    assert!(err.contains("thư mục báo cáo") && !err.contains("cấu hình"), "{err}");
    // A file named as the inbox.
    let (code, _, err) = run(&["check", config.to_str().unwrap()]);
    assert_eq!(code, Some(2));
    assert!(err.contains("là tệp, không phải thư mục"), "{err}");
}

#[test]
fn a_missing_config_is_named_without_the_system_s_english() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("khong-co.toml");
    let inbox = root().join(INBOX);
    let (code, _, err) = run(&["check", inbox.to_str().unwrap(), "--config", config.to_str().unwrap()]);
    assert_eq!(code, Some(2));
    assert_eq!(err.trim(), format!("Lỗi cấu hình: Không đọc được tệp cấu hình {}: không tìm thấy", config.display()));
    // The default one, baocao.toml in the inbox.
    let (code, _, err) = run(&["check", dir.path().to_str().unwrap()]);
    assert_eq!(code, Some(2));
    assert!(err.contains(&format!("{}: không tìm thấy", dir.path().join("baocao.toml").display())), "{err}");
    assert_vietnamese(&err);
}

#[test]
#[cfg(unix)]
fn a_windows_path_gets_a_hint() {
    let inbox = root().join(INBOX);
    let (code, _, err) = run(&["check", inbox.to_str().unwrap(), "--config", "C:\\Users\\van-thu\\baocao.toml"]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("C:\\Users\\van-thu\\baocao.toml: không tìm thấy. Đường dẫn này viết theo kiểu Windows"),
        "{err}"
    );
    assert!(err.contains("dấu “/”"), "{err}");
    let (code, _, err) = run(&["check", "D:\\Bao cao\\thang-08"]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("thư mục báo cáo D:\\Bao cao\\thang-08: không tìm thấy. Đường dẫn này viết theo kiểu Windows"),
        "{err}"
    );
    // A folder to write into named that way is refused, not made (here it would be
    // a folder called "C:\ket-qua" in the current one).
    let cwd = tempfile::tempdir().unwrap();
    let config = root().join(CONFIG);
    for args in [
        vec!["init", "C:\\Bao cao\\huyen"],
        vec!["convert", inbox.to_str().unwrap(), "--config", config.to_str().unwrap(), "--out", "C:\\ket-qua"],
    ] {
        let out = Command::cargo_bin("baocao").unwrap().args(&args).current_dir(cwd.path()).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(err.contains("Đường dẫn này viết theo kiểu Windows"), "{err}");
        assert_eq!(std::fs::read_dir(cwd.path()).unwrap().count(), 0, "nothing made");
    }
    // A path of this system that is missing gets no such hint.
    let (_, _, err) = run(&["check", "/khong/co/thang-08"]);
    assert!(!err.contains("Windows"), "{err}");
}

#[test]
fn a_bad_command_line_is_told_in_vietnamese() {
    let inbox = root().join(INBOX);
    let inbox = inbox.to_str().unwrap();
    let cases: [(&[&str], &str); 6] = [
        (&["check", inbox, "--bogus"], "không có tùy chọn --bogus"),
        (&["check", inbox, "--period"], "thiếu giá trị sau --period"),
        (&["check", inbox, "thua"], "thừa tham số \"thua\""),
        (&["chek", inbox], "không có lệnh \"chek\" (các lệnh: check, convert, init, check-template"),
        (&["check", inbox, "--json", "--json"], "--json chỉ được ghi một lần"),
        (&["convert", inbox, "--out"], "thiếu giá trị sau --out"),
    ];
    for (args, said) in cases {
        let (code, stdout, err) = run(args);
        assert_eq!(code, Some(2), "{args:?}");
        assert!(stdout.is_empty(), "{args:?}");
        assert!(err.starts_with("Lỗi: ") && err.contains(said), "{args:?}: {err}");
        assert!(err.ends_with("Xem hướng dẫn: baocao --help\n"), "{err}");
        assert_vietnamese(&err);
    }
}

/// English words of clap's own help, or any sentence of English.
fn english_words(help: &str) -> Vec<String> {
    const WORDS: [&str; 16] = [
        "the",
        "of",
        "and",
        "to",
        "for",
        "this",
        "print",
        "usage",
        "options",
        "arguments",
        "commands",
        "command",
        "help",
        "version",
        "subcommand",
        "default",
    ];
    help.split(|c: char| !c.is_alphanumeric() && c != '-' && c != '_')
        .filter(|w| !w.starts_with('-') && !w.contains('_'))
        .map(str::to_lowercase)
        .filter(|w| WORDS.contains(&w.as_str()))
        .collect()
}

#[test]
fn every_help_is_vietnamese() {
    let (code, top, _) = run(&["--help"]);
    assert_eq!(code, Some(0));
    assert!(top.contains("Cách dùng: baocao <LỆNH>") && top.contains("Lệnh:") && top.contains("Tùy chọn:"), "{top}");
    let commands: Vec<&str> = top
        .lines()
        .skip_while(|l| *l != "Lệnh:")
        .skip(1)
        .take_while(|l| !l.is_empty())
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert!(commands.len() >= 4 && commands.contains(&"init") && commands.contains(&"check-template"), "{commands:?}");
    assert!(english_words(&top).is_empty(), "{:?} in {top}", english_words(&top));
    for command in commands {
        let (code, help, err) = run(&[command, "--help"]);
        assert_eq!(code, Some(0), "{command}: {err}");
        assert!(help.contains(&format!("Cách dùng: baocao {command}")), "{help}");
        assert!(english_words(&help).is_empty(), "{command}: {:?} in {help}", english_words(&help));
        // -h says the same.
        assert_eq!(run(&[command, "-h"]).1, help);
    }
    // `baocao help` is the help too.
    assert_eq!(run(&["help"]), (Some(0), top.clone(), String::new()));
    let (code, version, _) = run(&["--version"]);
    assert_eq!((code, version.trim()), (Some(0), format!("baocao {}", env!("CARGO_PKG_VERSION")).as_str()));
    // No command at all: the help, on stderr's side of things (exit 2), in Vietnamese.
    let (code, stdout, err) = run(&[]);
    assert_eq!(code, Some(2));
    assert!(english_words(&(stdout.clone() + &err)).is_empty() && (stdout + &err).contains("Cách dùng"));
}

#[test]
fn a_missing_template_or_notes_file_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let inbox = root().join(INBOX);
    let missing = dir.path().join("mau.md.j2");
    let config = root().join(CONFIG);
    let args = ["convert", inbox.to_str().unwrap(), "--config", config.to_str().unwrap(), "--out"];
    let (code, _, err) =
        run(&[&args[..], &[dir.path().to_str().unwrap(), "--template", missing.to_str().unwrap()]].concat());
    assert_eq!(code, Some(2));
    assert_eq!(err.trim(), format!("Lỗi: không đọc được mẫu báo cáo {}: không tìm thấy", missing.display()));
    assert!(!Path::new(&dir.path().join("bao-cao-2024-07.docx")).exists());
}
