//! Shared by the fuzz targets: the sample config, and a panic hook that tells a
//! panic caught inside the reader (turned into "không đọc được") from one that
//! escapes to the caller (a crash).

use baocao::config::Config;
use std::sync::LazyLock;

pub static CONFIG: LazyLock<Config> = LazyLock::new(|| {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../samples/phan-rang-thap-cham.toml");
    Config::load(&path).expect("sample config")
});

/// libfuzzer-sys aborts on every panic, even one that `read::read_bytes` catches on
/// purpose (calamine panics on some corrupt files; the reader reports them as
/// unreadable). Print those once per location and let unwinding decide: a panic that
/// leaves `read_bytes` or `extract` still reaches libfuzzer-sys's own catch and aborts.
pub fn init() {
    LazyLock::force(&CONFIG);
    route_as_the_binary_does();
    let seen = std::sync::Mutex::new(std::collections::BTreeSet::new());
    std::panic::set_hook(Box::new(move |info| {
        let at = info.location().map(|l| format!("{}:{}", l.file(), l.line())).unwrap_or_default();
        if seen.lock().map(|mut s| s.insert(at.clone())).unwrap_or(false) {
            eprintln!("PANIC (caught by the reader if no crash follows) at {at}: {info}");
        }
    }));
}

/// The binary reads .xls, .xlsb and .ods in a child process under a memory and a
/// time limit (`read::isolate_with`), because calamine can be made to allocate
/// without bound (a fuzzed .xlsb asked for 53 GB in `from_sparse`). Fuzzing in
/// process would stop at such a known, contained failure instead of finding the
/// next one, so the targets route those formats the same way, through the release
/// binary (`cargo build --release` first, or `BAOCAO_BIN=...`). The .xlsx path, our
/// own reader, stays in process and under coverage.
fn route_as_the_binary_does() {
    let bin = std::env::var_os("BAOCAO_BIN").map(std::path::PathBuf::from).unwrap_or_else(|| {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/release/baocao")
    });
    assert!(bin.is_file(), "no baocao binary at {}: run `cargo build --release` or set BAOCAO_BIN", bin.display());
    baocao::read::isolate_with(bin);
}

/// read -> extract, as the engine does for one inbox file.
pub fn run(name: &str, bytes: Vec<u8>) {
    if let Ok(wb) = baocao::read::read_bytes(name, bytes) {
        let x = baocao::extract::extract(&CONFIG, name, &wb);
        std::hint::black_box(x);
    }
}
