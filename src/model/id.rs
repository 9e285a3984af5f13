//! Figure ids: the one place where they are spelled.
//!
//! Every figure a config defines has an id, used in `--json`, in the report
//! template (`v["dvc_thiet_yeu.total.online"]`) and in the config's own
//! aggregates, ratios and checks. A list item's id is the one the config gives;
//! a table's figures are named from the table's, row's and column's ids here.

/// One column of one row of a table: "dvc_thiet_yeu.rows[3].total".
pub fn table_row(table: &str, stt: u32, column: &str) -> String {
    format!("{table}.rows[{stt}].{column}")
}

/// A table's total of one column, over its rows: "dvc_thiet_yeu.total.online".
pub fn table_total(table: &str, column: &str) -> String {
    format!("{table}.total.{column}")
}

/// A column of a table without rows, summed down the sheet: "hssk.dan_so".
pub fn table_sum(table: &str, column: &str) -> String {
    format!("{table}.{column}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_spelled_as_the_json_and_the_template_name_them() {
        assert_eq!(table_row("dvc", 12_345, "total"), "dvc.rows[12345].total");
        assert_eq!(table_total("dvc", "ratio_pct"), "dvc.total.ratio_pct");
        assert_eq!(table_sum("hssk", "dan_so"), "hssk.dan_so");
    }
}
