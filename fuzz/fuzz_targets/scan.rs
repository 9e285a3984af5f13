//! Differential: the byte scanner for worksheet XML must give exactly what the
//! general (quick-xml) parser gives whenever it reads a part at all. Seeds are
//! the sample workbooks' sheets (fuzz/corpus/scan).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(xml) = std::str::from_utf8(data) {
        assert!(baocao::read::scanner_agrees(xml), "the scanner and the parser disagree");
    }
});
