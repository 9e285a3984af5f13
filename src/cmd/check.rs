//! `baocao check`: read and check the inbox, print the findings (or the JSON).

use super::error::{CmdError, Outcome};
use super::progress::Bar;
use super::{Input, keep_until_exit, load_config};
use baocao::{engine, write};

/// Check the inbox and print what was found.
pub fn run(input: &Input, json: bool) -> Result<Outcome, CmdError> {
    let month = input.month()?;
    let cfg = load_config(input)?;
    let report = keep_until_exit(engine::run_with_progress(&cfg, &input.inbox(), month, &Bar::default())?);
    if json {
        let text = write::json::to_string(&report).map_err(|e| CmdError::Unusable(e.to_string()))?;
        println!("{text}");
    } else {
        print!("{}", write::summary::text(&report));
    }
    Ok(Outcome::of(report.has_errors()))
}
