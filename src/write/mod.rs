//! Writers: turn a [`crate::model::Report`] (and the document's standing parts,
//! [`crate::model::Document`]) into what people read. Each writer is a pure
//! function returning text or bytes; [`atomic`] puts them on disk so a failed
//! run never leaves half a file. None of them reads the config.
//!
//! - [`summary`]: the terminal report of `check` and `convert`;
//! - [`json`]: `check --json`;
//! - [`xlsx`]: the appendix workbook with its working sheets;
//! - [`docx`]: the formal report with its appendices;
//! - [`appendix`]: what both appendices word the same way;
//! - [`forms`]: the blank collection workbooks of `baocao forms`.

pub mod appendix;
pub mod atomic;
pub mod docx;
pub mod forms;
pub mod json;
pub mod summary;
pub mod xlsx;

pub use atomic::{WriteError, write_atomic, write_together};
