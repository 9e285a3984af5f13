//! Scale benchmark: `baocao convert` on synthetic inboxes of N units, against the floor of
//! merely reading the same workbooks with calamine.
//!
//! Run (builds `target/release/baocao` and this bench with the optimised `bench` profile):
//!
//! ```sh
//! cargo bench --bench scale                       # N = 20, 200, 2000; 5 runs each, median
//! cargo bench --bench scale -- --sizes 20,200     # other sizes
//! cargo bench --bench scale -- --reps 9 --keep    # more runs; keep the generated inboxes
//! ```
//!
//! For each N the bench writes, outside the timed part, N distinct ward workbooks (xlsx, written
//! with rust_xlsxwriter in the layout of the ward samples: DVC thiết yếu, DVC QĐ 422, Số hóa,
//! Lao động) whose figures are the 16 sample ward workbooks' figures varied per unit, and a config
//! that is `samples/phan-rang-thap-cham.toml` with its units replaced by "Phường Đơn vị 1..N".
//! It then measures, as separate processes, wall time and peak RSS of
//! - `baocao convert INBOX --config CFG --out OUT` (the release binary cargo built for this bench;
//!   `baocao check` if `convert` is not usable, said so in the table header);
//! - the floor: this bench binary re-run as `scale --floor INBOX CFG`, which only opens every
//!   workbook with calamine (format sniffed from the content, in parallel with rayon) and reads
//!   the cells of the sheets the config names.
//!
//! Peak RSS comes from `/usr/bin/time -f %M` when present, else from polling `VmHWM` in
//! `/proc/<pid>/status`. Wall time is taken around the spawned process. Inboxes are in the page
//! cache (just written), so this is warm-cache time.

use baocao::config::Config;
use calamine::{Reader, Xls, Xlsx};
use rayon::prelude::*;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Formula, Workbook, Worksheet, XlsxError};
use std::collections::BTreeMap;
use std::fs;
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// The release binary cargo builds alongside this bench (bench profile = release).
const BAOCAO: &str = env!("CARGO_BIN_EXE_baocao");
const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const SAMPLE_CONFIG: &str = "samples/phan-rang-thap-cham.toml";
const SAMPLE_INBOX: &str = "samples/inbox-2024-07";
/// The group whose sample workbooks serve as templates and which the synthetic units join.
const WARD_GROUP: &str = "phuong_xa";
/// A measurement whose single run exceeds this is not repeated (keeps the whole run bounded).
const REPEAT_BUDGET: Duration = Duration::from_secs(60);
/// A single run is killed after this (`--timeout SECS`); its time is then shown as a lower bound.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(120);

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(i) = args.iter().position(|a| a == "--floor") {
        let (Some(inbox), Some(cfg)) = (args.get(i + 1), args.get(i + 2)) else {
            eprintln!("usage: scale --floor INBOX CONFIG");
            std::process::exit(2);
        };
        floor(Path::new(inbox), Path::new(cfg));
        return;
    }
    let value = |flag: &str| args.iter().position(|a| a == flag).and_then(|i| args.get(i + 1));
    let sizes: Vec<usize> = value("--sizes")
        .map(|s| s.split(',').map(|n| n.trim().parse().expect("--sizes: comma-separated numbers")).collect())
        .unwrap_or_else(|| vec![20, 200, 2000]);
    let reps: usize = value("--reps").map(|s| s.parse().expect("--reps: a number")).unwrap_or(5);
    let keep = args.iter().any(|a| a == "--keep");
    let timeout =
        value("--timeout").map_or(DEFAULT_TIMEOUT, |s| Duration::from_secs(s.parse().expect("--timeout: seconds")));
    bench(&Opts { sizes, reps: reps.max(1), keep, timeout });
}

struct Opts {
    sizes: Vec<usize>,
    reps: usize,
    keep: bool,
    timeout: Duration,
}

// ---------------------------------------------------------------------------------------------
// The floor: open and read, nothing else.
// ---------------------------------------------------------------------------------------------

/// Open every workbook of `inbox` and read the cells of the sheets `cfg` names; print the count.
fn floor(inbox: &Path, cfg: &Path) {
    let cfg = Config::load(cfg).unwrap_or_else(|e| panic!("{e}"));
    let wanted: Vec<String> = cfg
        .tables
        .iter()
        .map(|t| t.sheet.as_str())
        .chain(cfg.lists.iter().map(|l| l.sheet.as_str()))
        .map(baocao::text::norm)
        .collect();
    let mut files: Vec<PathBuf> =
        fs::read_dir(inbox).expect("inbox").filter_map(|e| e.ok().map(|e| e.path())).collect();
    files.sort();
    let cells: usize = files
        .par_iter()
        .map(|path| {
            let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
            if name.starts_with("~$") || !path.is_file() {
                return 0;
            }
            let bytes = fs::read(path).expect("read workbook");
            read_named_sheets(bytes, &wanted)
        })
        .sum();
    println!("{} files, {cells} cells", files.len());
}

/// Non-empty cells (values or formulas) in the sheets whose name is in `wanted`.
fn read_named_sheets(bytes: Vec<u8>, wanted: &[String]) -> usize {
    let is_wanted = |name: &str| wanted.contains(&baocao::text::norm(name));
    let mut count = 0;
    if bytes.starts_with(b"PK\x03\x04") {
        let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).expect("open xlsx");
        for name in wb.sheet_names().into_iter().filter(|n| is_wanted(n)) {
            let mut reader = wb.worksheet_cells_reader(&name).expect("sheet");
            while let Some(c) = reader.next_cell_with_formula().expect("cell") {
                if c.value != calamine::DataRef::Empty || c.formula.is_some_and(|f| !f.is_empty()) {
                    count += 1;
                }
            }
        }
    } else {
        let mut wb: Xls<_> = Xls::new(Cursor::new(bytes)).expect("open xls");
        for name in wb.sheet_names().into_iter().filter(|n| is_wanted(n)) {
            count += wb.worksheet_range(&name).expect("sheet").used_cells().count();
            count += wb.worksheet_formula(&name).map(|f| f.used_cells().count()).unwrap_or(0);
        }
    }
    count
}

// ---------------------------------------------------------------------------------------------
// Driver: generate, measure, print.
// ---------------------------------------------------------------------------------------------

struct Row {
    n: usize,
    /// The baocao subcommand measured ("convert", or "check" when convert is not usable).
    cmd: &'static str,
    convert: Stats,
    floor: Stats,
    /// baocao / floor of each interleaved pair of runs, sorted: the spread shows how
    /// much of a difference the machine's noise alone makes.
    pair_ratios: Vec<f64>,
    summary: String,
}

/// Median wall time and peak RSS over the runs done.
struct Stats {
    wall: Duration,
    peak_kb: Option<u64>,
    runs: usize,
    timed_out: bool,
}

fn bench(opts: &Opts) {
    let Opts { sizes, reps, keep, timeout } = opts;
    let (reps, keep, timeout) = (*reps, *keep, *timeout);
    let root = Path::new(ROOT);
    let sample_cfg_text = fs::read_to_string(root.join(SAMPLE_CONFIG)).expect("sample config");
    let sample_cfg = Config::parse(&sample_cfg_text, SAMPLE_CONFIG).unwrap_or_else(|e| panic!("{e}"));
    let samples = read_samples(&sample_cfg, &root.join(SAMPLE_INBOX));
    assert!(!samples.wards.is_empty(), "no ward workbooks in {SAMPLE_INBOX}");
    let self_exe = std::env::current_exe().expect("bench executable");
    let timer = timing_method();
    eprintln!(
        "scale: {} ward templates, {} other units' workbooks; baocao = {BAOCAO}; peak RSS via {}",
        samples.wards.len(),
        samples.others.len(),
        match timer {
            Timer::UsrBinTime => "/usr/bin/time -f %M",
            Timer::PollProc => "polling /proc/<pid>/status VmHWM",
        }
    );
    let mut subcommand = "convert";
    let mut rows = Vec::new();
    for &n in sizes {
        let dir = tempfile::Builder::new().prefix(&format!("baocao-scale-{n}-")).tempdir().expect("temp dir");
        let inbox = dir.path().join("inbox");
        let out = dir.path().join("out");
        fs::create_dir_all(&inbox).expect("mkdir");
        fs::create_dir_all(&out).expect("mkdir");
        let cfg_path = dir.path().join("baocao.toml");
        let t = Instant::now();
        let cfg_text = config_for(&sample_cfg_text, n);
        let cfg = Config::parse(&cfg_text, "generated").unwrap_or_else(|e| panic!("generated config: {e}"));
        fs::write(&cfg_path, &cfg_text).expect("write config");
        generate_inbox(&cfg, &samples, n, &inbox);
        eprintln!("N={n}: generated {n} workbooks in {:.1} s ({})", t.elapsed().as_secs_f64(), dir.path().display());

        let convert_cmd = |sub: &str| -> Vec<String> {
            let mut v =
                vec![BAOCAO.to_string(), sub.to_string(), path_str(&inbox), "--config".into(), path_str(&cfg_path)];
            if sub == "convert" {
                v.extend(["--out".into(), path_str(&out)]);
            }
            v
        };
        let floor_cmd = vec![path_str(&self_exe), "--floor".into(), path_str(&inbox), path_str(&cfg_path)];
        let (conv_out, floor_out) = (dir.path().join("convert-stdout.txt"), dir.path().join("floor-stdout.txt"));

        let mut conv = Vec::new();
        let mut flo = Vec::new();
        for rep in 0..reps {
            // Interleave convert and floor so drift (thermal, noisy neighbours) hits both alike,
            // each going first every other time (what one leaves behind, the other meets).
            let over_budget = |runs: &[Measure]| runs.iter().any(|m| m.wall > REPEAT_BUDGET);
            let floor_run = |flo: &mut Vec<Measure>| {
                if !over_budget(flo) {
                    let m = measure(timer, &floor_cmd, &floor_out, timeout);
                    assert!(m.timed_out || m.status.success(), "floor failed with {}", m.status);
                    flo.push(m);
                }
            };
            if rep % 2 == 1 {
                floor_run(&mut flo);
            }
            if !over_budget(&conv) {
                let mut m = measure(timer, &convert_cmd(subcommand), &conv_out, timeout);
                if rep == 0 && subcommand == "convert" && !m.timed_out && !matches!(m.status.code(), Some(0 | 1)) {
                    let err = fs::read_to_string(conv_out.with_extension("err")).unwrap_or_default();
                    let first = err.lines().next().unwrap_or_default();
                    eprintln!(
                        "N={n}: `baocao convert` failed ({}: {first}); measuring `baocao check` instead",
                        m.status
                    );
                    subcommand = "check";
                    m = measure(timer, &convert_cmd(subcommand), &conv_out, timeout);
                }
                if !m.timed_out && !matches!(m.status.code(), Some(0 | 1)) {
                    panic!("baocao {subcommand} failed with {}", m.status);
                }
                conv.push(m);
            }
            if rep % 2 == 0 {
                floor_run(&mut flo);
            }
        }
        // baocao's own summary of its last run (units consolidated, errors) and what the floor read.
        let text = fs::read_to_string(&conv_out).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        let at = lines.iter().position(|l| l.starts_with("Tóm tắt")).unwrap_or(lines.len());
        let floor_said = fs::read_to_string(&floor_out).unwrap_or_default();
        let summary = format!(
            "{} | floor read {}",
            lines[at..].iter().take(2).copied().collect::<Vec<_>>().join(" "),
            floor_said.trim()
        );
        let mut pair_ratios: Vec<f64> =
            conv.iter().zip(&flo).map(|(c, f)| c.wall.as_secs_f64() / f.wall.as_secs_f64().max(1e-9)).collect();
        pair_ratios.sort_by(f64::total_cmp);
        let row = Row { n, cmd: subcommand, convert: stats(&conv), floor: stats(&flo), pair_ratios, summary };
        eprintln!(
            "N={n}: {subcommand} {} ms / {} MB, floor {} ms / {} MB; baocao: {}",
            row.convert.wall.as_millis(),
            mb(row.convert.peak_kb),
            row.floor.wall.as_millis(),
            mb(row.floor.peak_kb),
            row.summary
        );
        rows.push(row);
        if keep {
            let kept = dir.keep();
            eprintln!("N={n}: kept {}", kept.display());
        }
    }
    print_table(&rows, reps, timeout);
}

fn print_table(rows: &[Row], reps: usize, timeout: Duration) {
    let subcommand = if rows.iter().all(|r| r.cmd == "convert") { "convert" } else { "baocao" };
    println!();
    println!("Machine: {}", machine_facts());
    println!("Median of {reps} runs each (a run over {} s is not repeated: runs shown).", REPEAT_BUDGET.as_secs());
    println!();
    println!(
        "| N | {subcommand} wall ms | {subcommand} peak MB | floor wall ms | floor peak MB | ratio wall | pair ratios min-max | runs | cmd |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---|---:|---|");
    for r in rows {
        let ratio = r.convert.wall.as_secs_f64() / r.floor.wall.as_secs_f64().max(1e-9);
        let at_least = |timed_out: bool| if timed_out { ">" } else { "" };
        let spread = match (r.pair_ratios.first(), r.pair_ratios.last()) {
            (Some(lo), Some(hi)) => format!("{lo:.2}-{hi:.2}"),
            _ => "-".to_string(),
        };
        println!(
            "| {} | {}{} | {} | {}{} | {} | {}{ratio:.2} | {spread} | {}/{} | {} |",
            r.n,
            at_least(r.convert.timed_out),
            r.convert.wall.as_millis(),
            mb(r.convert.peak_kb),
            at_least(r.floor.timed_out),
            r.floor.wall.as_millis(),
            mb(r.floor.peak_kb),
            at_least(r.convert.timed_out),
            r.convert.runs,
            r.floor.runs,
            r.cmd
        );
    }
    if rows.iter().any(|r| r.convert.timed_out || r.floor.timed_out) {
        println!("(\">\": killed at the timeout, {} s; the time is a lower bound)", timeout.as_secs());
    }
    println!();
    for r in rows {
        println!("N={}: baocao says: {}", r.n, r.summary);
    }
    println!();
    println!("Targets: {subcommand}/floor <= 1.3 at N=2000; N=20 {subcommand} < 150 ms; peak < 150 MB at N=2000.");
    let at = |n: usize| rows.iter().find(|r| r.n == n);
    if let Some(r) = at(2000) {
        let ratio = r.convert.wall.as_secs_f64() / r.floor.wall.as_secs_f64().max(1e-9);
        println!("  N=2000 ratio {ratio:.2}: {}", verdict(ratio <= 1.3));
        if let Some(kb) = r.convert.peak_kb {
            let note = if r.convert.timed_out { " (of a run killed at the timeout)" } else { "" };
            println!("  N=2000 peak {} MB{note}: {}", mb(Some(kb)), verdict(kb < 150 * 1024));
        }
    }
    if let Some(r) = at(20) {
        println!(
            "  N=20 wall {} ms: {}",
            r.convert.wall.as_millis(),
            verdict(r.convert.wall < Duration::from_millis(150))
        );
    }
}

fn verdict(ok: bool) -> &'static str {
    if ok { "met" } else { "NOT met" }
}

fn mb(kb: Option<u64>) -> String {
    kb.map_or("?".into(), |kb| format!("{:.1}", kb as f64 / 1024.0))
}

fn path_str(p: &Path) -> String {
    p.to_string_lossy().into_owned()
}

fn machine_facts() -> String {
    let cpuinfo = fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split_once(':'))
        .map_or("unknown CPU".to_string(), |(_, m)| m.trim().to_string());
    let nproc = std::thread::available_parallelism().map_or(0, |n| n.get());
    let meminfo = fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let mem = meminfo
        .lines()
        .find(|l| l.starts_with("MemTotal:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<u64>().ok())
        .map_or("?".into(), |kb| format!("{:.1} GB", kb as f64 / 1024.0 / 1024.0));
    format!("nproc {nproc}, {model}, RAM {mem}, {}", std::env::consts::OS)
}

// ---------------------------------------------------------------------------------------------
// Measuring a child process: wall time and peak RSS.
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Copy)]
enum Timer {
    UsrBinTime,
    PollProc,
}

struct Measure {
    wall: Duration,
    peak_kb: Option<u64>,
    status: ExitStatus,
    /// Killed at the timeout: the wall time is a lower bound.
    timed_out: bool,
}

fn timing_method() -> Timer {
    let ok = Command::new("/usr/bin/time")
        .args(["-f", "%M", "true"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if ok { Timer::UsrBinTime } else { Timer::PollProc }
}

/// Run `cmd` (program then arguments) with stdout to `stdout_file` and stderr to
/// `stdout_file` + ".err"; a run longer than `timeout` is killed and marked.
fn measure(timer: Timer, cmd: &[String], stdout_file: &Path, timeout: Duration) -> Measure {
    let out = fs::File::create(stdout_file).expect("stdout file");
    let err = fs::File::create(stdout_file.with_extension("err")).expect("stderr file");
    match timer {
        Timer::UsrBinTime => {
            let rss = tempfile::NamedTempFile::new().expect("temp file");
            // coreutils timeout between time and the command: time still sees the peak RSS
            // of the command (a child's maxrss includes its waited-for children).
            let guard: Vec<String> = if Path::new("/usr/bin/timeout").exists() {
                vec!["/usr/bin/timeout".into(), "--kill-after=5".into(), format!("{}", timeout.as_secs().max(1))]
            } else {
                Vec::new()
            };
            let start = Instant::now();
            let status = Command::new("/usr/bin/time")
                .args(["-f", "%M", "-o"])
                .arg(rss.path())
                .args(&guard)
                .args(cmd)
                .stdout(out)
                .stderr(err)
                .status()
                .expect("spawn /usr/bin/time");
            let wall = start.elapsed();
            let text = fs::read_to_string(rss.path()).unwrap_or_default();
            // GNU time puts "Command exited with non-zero status N" before the figures.
            let peak_kb = text.lines().rev().find_map(|l| l.trim().parse().ok());
            let timed_out = !guard.is_empty() && matches!(status.code(), Some(124 | 137));
            Measure { wall, peak_kb, status, timed_out }
        }
        Timer::PollProc => {
            let start = Instant::now();
            let mut child = Command::new(&cmd[0]).args(&cmd[1..]).stdout(out).stderr(err).spawn().expect("spawn");
            let status_path = format!("/proc/{}/status", child.id());
            let mut peak_kb = None;
            let mut timed_out = false;
            let status = loop {
                if let Some(s) = child.try_wait().expect("wait") {
                    break s;
                }
                if !timed_out && start.elapsed() > timeout {
                    timed_out = true;
                    let _ = child.kill();
                }
                let hwm = fs::read_to_string(&status_path).ok().and_then(|s| {
                    s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
                });
                peak_kb = peak_kb.max(hwm);
                std::thread::sleep(Duration::from_millis(2));
            };
            Measure { wall: start.elapsed(), peak_kb, status, timed_out }
        }
    }
}

fn stats(runs: &[Measure]) -> Stats {
    let median = |mut v: Vec<u64>| -> u64 {
        v.sort_unstable();
        v[v.len() / 2]
    };
    let wall = Duration::from_nanos(median(runs.iter().map(|m| m.wall.as_nanos() as u64).collect()));
    let peaks: Vec<u64> = runs.iter().filter_map(|m| m.peak_kb).collect();
    let timed_out = runs.iter().any(|m| m.timed_out);
    Stats { wall, peak_kb: (!peaks.is_empty()).then(|| median(peaks)), runs: runs.len(), timed_out }
}

// ---------------------------------------------------------------------------------------------
// Generation: config and workbooks.
// ---------------------------------------------------------------------------------------------

/// The sample config with its ward units replaced by `n` wards "Phường Đơn vị i"; the city
/// units are kept (their sample workbooks go into the inbox too, see [`generate_inbox`]).
fn config_for(sample: &str, n: usize) -> String {
    let mut out = String::with_capacity(sample.len() + n * 48);
    let mut unit: Option<Vec<&str>> = None;
    let mut inserted = false;
    // A unit's body ends at the first blank line, comment or next table header.
    let flush = |unit: &mut Option<Vec<&str>>, out: &mut String| {
        if let Some(lines) = unit.take() {
            let ward = lines.iter().any(|l| l.replace(' ', "") == format!("group=\"{WARD_GROUP}\""));
            if !ward {
                out.push_str("[[units]]\n");
                for l in lines {
                    out.push_str(l);
                    out.push('\n');
                }
            }
        }
    };
    for line in sample.lines() {
        let trimmed = line.trim();
        if unit.is_some() && (trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with('[')) {
            flush(&mut unit, &mut out);
        }
        if trimmed == "[[units]]" {
            if !inserted {
                for i in 1..=n {
                    out.push_str(&format!("[[units]]\nname = \"{}\"\ngroup = \"{WARD_GROUP}\"\n\n", unit_name(i)));
                }
                inserted = true;
            }
            unit = Some(Vec::new());
            continue;
        }
        match unit.as_mut() {
            Some(lines) => lines.push(line),
            None => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    flush(&mut unit, &mut out);
    assert!(inserted, "the sample config has no [[units]]");
    out
}

fn unit_name(i: usize) -> String {
    format!("Phường Đơn vị {i}")
}

/// The sample inbox split: figures of each ward workbook (by figure id), and the paths of the
/// other units' workbooks (city offices), which are copied into every synthetic inbox as they are.
struct Samples {
    wards: Vec<BTreeMap<String, f64>>,
    others: Vec<PathBuf>,
}

fn read_samples(cfg: &Config, inbox: &Path) -> Samples {
    let mut files: Vec<PathBuf> =
        fs::read_dir(inbox).expect("sample inbox").filter_map(|e| e.ok().map(|e| e.path())).collect();
    files.sort();
    let mut out = Samples { wards: Vec::new(), others: Vec::new() };
    for path in files {
        let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
        let Ok(wb) = baocao::read::read(&path) else { continue }; // lock file
        let x = baocao::extract::extract(cfg, &name, &wb);
        let Some(unit) = x.unit else { continue };
        if cfg.units[unit].group.get_ref() == WARD_GROUP {
            out.wards.push(x.figures.into_iter().map(|f| (f.id.to_string(), f.value)).collect());
        } else {
            out.others.push(path);
        }
    }
    out
}

/// Write `n` ward workbooks into `inbox`, in parallel, and copy the city offices' samples.
fn generate_inbox(cfg: &Config, samples: &Samples, n: usize, inbox: &Path) {
    for path in &samples.others {
        fs::copy(path, inbox.join(path.file_name().expect("file name"))).expect("copy sample");
    }
    let templates = &samples.wards;
    let layout = Layout::from_config(cfg);
    (1..=n).into_par_iter().for_each(|i| {
        let base = &templates[(i - 1) % templates.len()];
        let bytes = ward_workbook(cfg, &layout, base, i).expect("write workbook");
        fs::write(inbox.join(format!("BC DA06 T7-2024 - Don vi {i:04}.xlsx")), bytes).expect("write workbook");
    });
}

/// The parts of the config the ward workbooks are written from.
struct Layout<'a> {
    dvc: &'a baocao::config::Table,
    qd422: &'a baocao::config::Table,
    so_hoa: &'a baocao::config::List,
    lao_dong: &'a baocao::config::List,
}

impl<'a> Layout<'a> {
    fn from_config(cfg: &'a Config) -> Self {
        let table = |sheet: &str| cfg.tables.iter().find(|t| t.sheet == sheet).expect("table in config");
        let list = |sheet: &str| cfg.lists.iter().find(|l| l.sheet == sheet).expect("list in config");
        Layout {
            dvc: table("DVC thiết yếu"),
            qd422: table("DVC QĐ 422"),
            so_hoa: list("Số hóa"),
            lao_dong: list("Lao động"),
        }
    }
}

/// SplitMix64: a deterministic hash for per-unit variation.
fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// Figures of unit `i`: the template's figures scaled by 0.6..1.4 plus 0..4, per figure;
/// a figure the template lacks starts from a small number. Parts never exceed their totals.
struct Figures<'a> {
    base: &'a BTreeMap<String, f64>,
    unit: usize,
}

impl Figures<'_> {
    fn vary(&self, id: &str) -> f64 {
        let key = id.bytes().fold(self.unit as u64, |h, b| mix(h ^ u64::from(b)));
        let h = mix(key);
        let base = self.base.get(id).copied().unwrap_or((h % 40) as f64);
        let factor = 0.6 + (h % 801) as f64 / 1000.0;
        (base * factor).round() + ((h >> 32) % 5) as f64
    }

    /// A part: varied like its total's ratio in the template, never above `total`.
    fn part(&self, id: &str, total_id: &str, total: f64) -> f64 {
        let ratio = match (self.base.get(id), self.base.get(total_id)) {
            (Some(p), Some(t)) if *t > 0.0 => (p / t).min(1.0),
            _ => 1.0,
        };
        let h = id.bytes().fold(self.unit as u64 ^ 0xA5A5, |h, b| mix(h ^ u64::from(b)));
        ((total * ratio).round() - (h % 3) as f64).clamp(0.0, total)
    }
}

struct Formats {
    title: Format,
    center: Format,
    note: Format,
    head: Format,
    cell: Format,
    stt: Format,
    label: Format,
    number: Format,
    pct: Format,
    total_label: Format,
    total_number: Format,
    total_pct: Format,
    sign: Format,
    sign_bold: Format,
}

impl Formats {
    fn new() -> Self {
        let font = || Format::new().set_font_name("Times New Roman").set_font_size(12);
        let boxed = || font().set_border(FormatBorder::Thin).set_text_wrap().set_align(FormatAlign::VerticalCenter);
        Formats {
            title: font().set_bold().set_align(FormatAlign::Center),
            center: font().set_bold().set_align(FormatAlign::Center).set_text_wrap(),
            note: font().set_italic().set_align(FormatAlign::Center),
            head: boxed().set_bold().set_align(FormatAlign::Center),
            cell: boxed().set_align(FormatAlign::Center),
            stt: boxed().set_align(FormatAlign::Center),
            label: boxed(),
            number: boxed().set_num_format("#,##0"),
            pct: boxed().set_num_format("0.00%"),
            total_label: boxed().set_bold().set_align(FormatAlign::Center),
            total_number: boxed().set_bold().set_num_format("#,##0"),
            total_pct: boxed().set_bold().set_num_format("0.00%"),
            sign: font().set_italic().set_align(FormatAlign::Center),
            sign_bold: font().set_bold().set_align(FormatAlign::Center),
        }
    }
}

/// `=IF(den=0,"-",num/den)` with its cached result.
fn ratio_formula(num_cell: &str, den_cell: &str, num: f64, den: f64) -> Formula {
    let result = if den == 0.0 { "-".to_string() } else { (num / den).to_string() };
    Formula::new(format!("=IF({den_cell}=0,\"-\",{num_cell}/{den_cell})")).set_result(result)
}

/// One ward's workbook, laid out like the sample ward workbooks.
fn ward_workbook(cfg: &Config, layout: &Layout, base: &BTreeMap<String, f64>, i: usize) -> Result<Vec<u8>, XlsxError> {
    let figs = Figures { base, unit: i };
    let f = Formats::new();
    let title = format!("TỔ CÔNG TÁC ĐỀ ÁN 06 {}", unit_name(i).to_uppercase());
    let period = cfg.period.period_of(baocao::model::Month::new(2024, 7).expect("July 2024")).text();
    let mut wb = Workbook::new();
    dvc_sheet(wb.add_worksheet(), &f, &figs, layout.dvc, &title, &period, i, true)?;
    dvc_sheet(wb.add_worksheet(), &f, &figs, layout.qd422, &title, &period, i, false)?;
    list_sheet(
        wb.add_worksheet(),
        &f,
        &figs,
        layout.so_hoa,
        &title,
        &period,
        "(Theo Nghị định số 45/2020/NĐ-CP và Nghị định số 107/2021/NĐ-CP của Chính phủ)",
    )?;
    list_sheet(
        wb.add_worksheet(),
        &f,
        &figs,
        layout.lao_dong,
        &title,
        &period,
        "(Số liệu lũy kế tính đến ngày 05/7/2024)",
    )?;
    wb.save_to_buffer()
}

/// A services sheet ("DVC thiết yếu", "DVC QĐ 422"): titles, two-row header, one row per
/// service, and (with `total_row`) the "Tổng cộng" row with SUM formulas and cached results.
#[allow(clippy::too_many_arguments)]
fn dvc_sheet(
    ws: &mut Worksheet,
    f: &Formats,
    figs: &Figures,
    table: &baocao::config::Table,
    title: &str,
    period: &str,
    unit: usize,
    total_row: bool,
) -> Result<(), XlsxError> {
    ws.set_name(&table.sheet)?;
    for (col, width) in [6.29, 48.71, 12.71, 11.71, 10.71, 12.71, 10.29].into_iter().enumerate() {
        ws.set_column_width(col as u16, width)?;
    }
    ws.merge_range(0, 0, 0, 2, title, &f.title)?;
    ws.merge_range(1, 0, 1, 6, &table.title, &f.center)?;
    ws.merge_range(2, 0, 2, 6, period, &f.note)?;
    ws.merge_range(3, 5, 3, 6, table.unit_of_count.as_deref().unwrap_or("Đơn vị tính: hồ sơ"), &f.note)?;
    ws.merge_range(4, 0, 5, 0, "STT", &f.head)?;
    ws.merge_range(4, 1, 5, 1, &table.label_header, &f.head)?;
    ws.merge_range(4, 2, 5, 2, "Kết nối Cổng DVC quốc gia", &f.head)?;
    ws.merge_range(4, 3, 5, 3, "Đơn vị thực hiện", &f.head)?;
    let group = table.columns_group.as_deref().unwrap_or("Tổng số hồ sơ");
    ws.merge_range(4, 4, 4, 6, group, &f.head)?;
    let ratio_header = table.ratio.as_ref().map_or("Tỷ lệ %", |r| r.header.as_str());
    for (col, header) in table.columns.iter().map(|c| c.header.as_str()).chain([ratio_header]).enumerate() {
        ws.write_string_with_format(5, 4 + col as u16, header, &f.head)?;
    }
    let mut row = 6u32;
    let first = row;
    let (mut sum_total, mut sum_online) = (0.0, 0.0);
    for r in &table.rows {
        if let Some(heading) = &r.heading {
            ws.merge_range(row, 0, row, 6, heading, &f.head)?;
            row += 1;
        }
        let id = |col: &str| baocao::model::id::table_row(&table.id, r.stt, col);
        let total = figs.vary(&id("total"));
        let online = figs.part(&id("online"), &id("total"), total);
        sum_total += total;
        sum_online += online;
        let excel = row + 1;
        ws.write_number_with_format(row, 0, f64::from(r.stt), &f.stt)?;
        ws.write_string_with_format(row, 1, &r.label, &f.label)?;
        ws.write_string_with_format(
            row,
            2,
            r.info.get("Kết nối Cổng DVC quốc gia").map_or("", String::as_str),
            &f.cell,
        )?;
        ws.write_string_with_format(row, 3, r.info.get("Đơn vị thực hiện").map_or("", String::as_str), &f.cell)?;
        ws.write_number_with_format(row, 4, total, &f.number)?;
        ws.write_number_with_format(row, 5, online, &f.number)?;
        ws.write_formula_with_format(
            row,
            6,
            ratio_formula(&format!("F{excel}"), &format!("E{excel}"), online, total),
            &f.pct,
        )?;
        row += 1;
    }
    if !total_row {
        return Ok(());
    }
    let (top, bottom, excel) = (first + 1, row, row + 1);
    ws.merge_range(row, 0, row, 3, "Tổng cộng", &f.total_label)?;
    let sum = |col: char, v: f64| Formula::new(format!("=SUM({col}{top}:{col}{bottom})")).set_result(v.to_string());
    ws.write_formula_with_format(row, 4, sum('E', sum_total), &f.total_number)?;
    ws.write_formula_with_format(row, 5, sum('F', sum_online), &f.total_number)?;
    let ratio = ratio_formula(&format!("F{excel}"), &format!("E{excel}"), sum_online, sum_total);
    ws.write_formula_with_format(row, 6, ratio, &f.total_pct)?;
    let sign = row + 2;
    ws.merge_range(sign, 3, sign, 6, &format!("Đơn vị {unit}, ngày 06 tháng 7 năm 2024"), &f.sign)?;
    ws.write_string_with_format(sign + 1, 1, "NGƯỜI LẬP BIỂU", &f.sign_bold)?;
    ws.merge_range(sign + 1, 3, sign + 1, 6, "TM. TỔ CÔNG TÁC ĐỀ ÁN 06", &f.sign_bold)?;
    ws.merge_range(sign + 2, 3, sign + 2, 6, "TỔ TRƯỞNG", &f.sign_bold)?;
    ws.write_string_with_format(sign + 7, 1, format!("Người lập biểu {unit}"), &f.sign_bold)?;
    ws.merge_range(sign + 7, 3, sign + 7, 6, &format!("Tổ trưởng {unit}"), &f.sign_bold)?;
    Ok(())
}

/// A list sheet ("Số hóa", "Lao động"): STT | Nội dung | Số lượng | Tỷ lệ % | Ghi chú, each
/// item after the first as a part of the one before it, with its ratio formula.
fn list_sheet(
    ws: &mut Worksheet,
    f: &Formats,
    figs: &Figures,
    list: &baocao::config::List,
    title: &str,
    period: &str,
    note: &str,
) -> Result<(), XlsxError> {
    ws.set_name(&list.sheet)?;
    for (col, width) in [6.71, 50.71, 15.71, 10.71, 18.71].into_iter().enumerate() {
        ws.set_column_width(col as u16, width)?;
    }
    ws.merge_range(0, 0, 0, 1, title, &f.title)?;
    ws.merge_range(2, 0, 2, 4, list.title.as_deref().unwrap_or(&list.sheet), &f.center)?;
    ws.merge_range(3, 0, 3, 4, period, &f.note)?;
    ws.merge_range(4, 0, 4, 4, note, &f.note)?;
    for (col, header) in
        ["STT", list.label_header.as_str(), list.value_header.as_str(), "Tỷ lệ %", "Ghi chú"].into_iter().enumerate()
    {
        ws.write_string_with_format(6, col as u16, header, &f.head)?;
    }
    let mut prev: Option<(&str, f64)> = None;
    for (k, item) in list.items.iter().enumerate() {
        let row = 7 + k as u32;
        let value = match prev {
            None => figs.vary(&item.id),
            Some((prev_id, prev_value)) => figs.part(&item.id, prev_id, prev_value),
        };
        ws.write_string_with_format(row, 0, (k + 1).to_string(), &f.stt)?;
        ws.write_string_with_format(row, 1, &item.label, &f.label)?;
        ws.write_number_with_format(row, 2, value, &f.number)?;
        match prev {
            Some((_, prev_value)) => {
                let formula = ratio_formula(&format!("C{}", row + 1), &format!("C{row}"), value, prev_value);
                ws.write_formula_with_format(row, 3, formula, &f.pct)?;
            }
            None => {
                ws.write_blank(row, 3, &f.pct)?;
            }
        }
        ws.write_blank(row, 4, &f.label)?;
        prev = Some((&item.id, value));
    }
    Ok(())
}
