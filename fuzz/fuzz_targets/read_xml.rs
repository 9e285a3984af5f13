//! Structure-aware: byte mutations of a zip rarely get past its CRC, so this target
//! swaps one XML part of a real ward workbook for the fuzzer's bytes and zips it
//! again (stored), then reads and extracts it. The first byte picks the part.
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;
use std::io::{Cursor, Read, Write};
use std::sync::LazyLock;
use zip::write::SimpleFileOptions;

const PARTS: [&str; 4] = ["xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/workbook.xml", "xl/styles.xml"];

static BASE: LazyLock<Vec<(String, Vec<u8>)>> = LazyLock::new(|| {
    let bytes = include_bytes!("../../samples/inbox-2024-07/PHU HA - BC DA06 T7-2024.xlsx");
    let mut zip = zip::ZipArchive::new(Cursor::new(&bytes[..])).expect("sample zip");
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).expect("entry");
            let mut data = Vec::new();
            f.read_to_end(&mut data).expect("inflate");
            (f.name().expect("entry name").to_string(), data)
        })
        .collect()
});

fuzz_target!(init: { common::init(); LazyLock::force(&BASE); }, |data: &[u8]| {
    let Some((&which, xml)) = data.split_first() else { return };
    let part = PARTS[which as usize % PARTS.len()];
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, content) in BASE.iter() {
        out.start_file(name.as_str(), opts).expect("zip entry");
        out.write_all(if name == part { xml } else { content }).expect("zip write");
    }
    let bytes = out.finish().expect("zip finish").into_inner();
    common::run("fuzz.xlsx", bytes);
});
