//! Arbitrary bytes, and mutations of the sample workbooks (corpus/read), through
//! `read::read_bytes` -> `extract::extract` with the sample config.
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(init: common::init(), |data: &[u8]| {
    common::run("fuzz.xlsx", data.to_vec());
});
