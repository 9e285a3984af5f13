//! Inboxes that are not polite: each case is built in a temp folder from the July
//! samples plus a generated workbook, and must give its finding at its location
//! while the untouched units still add up the same.

mod common;

use baocao::read::legacy::{self, Legacy};
use common::{check_json as check, finding, inbox_without, root, total};
use rust_xlsxwriter::{Format, Formula, Workbook};
use serde_json::Value;
use std::path::Path;

/// A data row: its label, its total and its online figure.
type Row<'a> = (&'a str, TotalCell, TotalCell);

/// A ward workbook in the city's template: title, period, two-row header, the given
/// (label, total, online) rows, a total row (typed values or SUM formulas with a cached result).
struct Ward<'a> {
    title: &'a str,
    period: &'a str,
    rows: Vec<Row<'a>>,
    total_row: Option<(TotalCell, TotalCell)>,
    stray_far_cell: Option<&'a str>,
    /// Type every text in a legacy encoding, with this font name (None: no font, plain Calibri).
    legacy: Option<(Legacy, Option<&'static str>)>,
    /// The "Tỷ lệ %" cell of data row i (0-based), where one is written.
    ratios: Vec<(usize, TotalCell)>,
    /// A second sheet of the same table and period after the first: its name and rows.
    copy: Option<(&'a str, Vec<Row<'a>>)>,
}

#[derive(Clone)]
enum TotalCell {
    Num(f64),
    Text(&'static str),
    /// A formula with the cached result given (None: no cached value).
    Formula(&'static str, Option<f64>),
}

impl Ward<'_> {
    fn save(&self, path: &Path) {
        let mut wb = Workbook::new();
        self.write_sheet(wb.add_worksheet(), "DVC thiết yếu", &self.rows, true);
        if let Some((name, rows)) = &self.copy {
            self.write_sheet(wb.add_worksheet(), name, rows, false);
        }
        self.write_other_tables(&mut wb);
        wb.save(path).unwrap();
    }

    /// The other tables every ward reports (`reported_by` in the config), their
    /// rows there and left blank: the ward has nothing in them, and is complete.
    fn write_other_tables(&self, wb: &mut Workbook) {
        let cfg = common::config();
        for t in cfg.tables.iter().filter(|t| t.sheet != "DVC thiết yếu") {
            if !t.reported_by.iter().any(|g| g.get_ref() == "phuong_xa") {
                continue;
            }
            let ws = wb.add_worksheet();
            ws.set_name(&t.sheet).unwrap();
            ws.write_string(0, 0, self.title).unwrap();
            ws.write_string(1, 0, &t.title).unwrap();
            ws.write_string(4, 0, &t.stt_header).unwrap();
            ws.write_string(4, 1, &t.label_header).unwrap();
            for (c, col) in t.columns.iter().enumerate() {
                ws.write_string(4, 2 + c as u16, &col.header).unwrap();
            }
            for (i, row) in t.rows.iter().enumerate() {
                ws.write_number(5 + i as u32, 0, row.stt as f64).unwrap();
                ws.write_string(5 + i as u32, 1, &row.label).unwrap();
            }
        }
        for l in cfg.lists.iter().filter(|l| l.reported_by.iter().any(|g| g.get_ref() == "phuong_xa")) {
            let ws = wb.add_worksheet();
            ws.set_name(&l.sheet).unwrap();
            ws.write_string(0, 0, self.title).unwrap();
            ws.write_string(1, 0, l.title.as_deref().unwrap_or(&l.sheet)).unwrap();
            ws.write_string(4, 0, &l.label_header).unwrap();
            ws.write_string(4, 1, &l.value_header).unwrap();
            for (i, item) in l.items.iter().enumerate() {
                ws.write_string(5 + i as u32, 0, &item.label).unwrap();
            }
        }
    }

    fn write_sheet(&self, ws: &mut rust_xlsxwriter::Worksheet, name: &str, rows: &[Row], first: bool) {
        let (enc, font) = match self.legacy {
            Some((enc, font)) => (Some(enc), font),
            None => (None, None),
        };
        let plain = font.map_or_else(Format::new, |f| Format::new().set_font_name(f));
        // TCVN3 has no accented capitals: capitals are typed as lowercase codes in the
        // ".VnTimeH" font, which draws them as capitals.
        let caps = font.map_or_else(Format::new, |f| Format::new().set_font_name(format!("{f}H")));
        let is_caps = |s: &str| s.chars().any(char::is_alphabetic) && s == s.to_uppercase();
        let txt = |s: &str| match enc {
            Some(Legacy::Tcvn3) if is_caps(s) => legacy::encode(&s.to_lowercase(), Legacy::Tcvn3),
            Some(e) => legacy::encode(s, e),
            None => s.to_string(),
        };
        let fmt_of = |s: &str| if enc == Some(Legacy::Tcvn3) && is_caps(s) { &caps } else { &plain };
        ws.set_name(name).unwrap();
        ws.write_string_with_format(0, 0, txt(self.title), fmt_of(self.title)).unwrap();
        ws.write_string_with_format(
            1,
            0,
            txt("KẾT QUẢ TRIỂN KHAI DỊCH VỤ CÔNG THIẾT YẾU THEO ĐỀ ÁN 06"),
            fmt_of("KẾT QUẢ TRIỂN KHAI DỊCH VỤ CÔNG THIẾT YẾU THEO ĐỀ ÁN 06"),
        )
        .unwrap();
        ws.write_string_with_format(2, 0, txt(self.period), fmt_of(self.period)).unwrap();
        for (c, h) in
            ["STT", "Dịch vụ công trực tuyến", "Kết nối Cổng DVC quốc gia", "Đơn vị thực hiện"].iter().enumerate()
        {
            ws.write_string_with_format(4, c as u16, txt(h), fmt_of(h)).unwrap();
        }
        ws.merge_range(4, 4, 4, 6, &txt("Tổng số hồ sơ"), fmt_of("Tổng số hồ sơ")).unwrap();
        ws.write_string_with_format(5, 4, txt("Tổng số hồ sơ"), fmt_of("Tổng số hồ sơ")).unwrap();
        ws.write_string_with_format(5, 5, txt("Tiếp nhận hồ sơ trực tuyến"), fmt_of("Tiếp nhận hồ sơ trực tuyến"))
            .unwrap();
        ws.write_string_with_format(5, 6, txt("Tỷ lệ %"), fmt_of("Tỷ lệ %")).unwrap();
        let put = |ws: &mut rust_xlsxwriter::Worksheet, r: u32, c: u16, v: &TotalCell| match v {
            TotalCell::Num(n) => {
                ws.write_number(r, c, *n).unwrap();
            }
            TotalCell::Text(t) => {
                ws.write_string(r, c, *t).unwrap();
            }
            TotalCell::Formula(f, cached) => {
                let mut formula = Formula::new(*f);
                if let Some(v) = cached {
                    formula = formula.set_result(v.to_string());
                }
                ws.write_formula(r, c, formula).unwrap();
            }
        };
        let mut r = 6;
        for (i, (label, t, o)) in rows.iter().enumerate() {
            ws.write_number(r, 0, (i + 1) as f64).unwrap();
            ws.write_string_with_format(r, 1, txt(label), fmt_of(label)).unwrap();
            put(ws, r, 4, t);
            put(ws, r, 5, o);
            if let Some((_, ratio)) = self.ratios.iter().find(|(k, _)| *k == i) {
                put(ws, r, 6, ratio);
            }
            r += 1;
        }
        if let Some((t, o)) = &self.total_row {
            ws.write_string_with_format(r, 0, txt("Tổng cộng"), fmt_of("Tổng cộng")).unwrap();
            put(ws, r, 4, t);
            put(ws, r, 5, o);
        }
        if let Some(text) = self.stray_far_cell.filter(|_| first) {
            ws.write_string(1_048_575, 16_383, text).unwrap();
        }
    }
}

use TotalCell::*;

fn phu_ha(rows: Vec<(&'static str, TotalCell, TotalCell)>, total_row: Option<(TotalCell, TotalCell)>) -> Ward<'static> {
    Ward {
        title: "TỔ CÔNG TÁC ĐỀ ÁN 06 PHƯỜNG PHỦ HÀ",
        period: "(Từ ngày 05/6/2024 đến ngày 05/7/2024)",
        rows,
        total_row,
        stray_far_cell: None,
        legacy: None,
        ratios: Vec::new(),
        copy: None,
    }
}

const PHU_HA: &str = "PHU HA - BC DA06 T7-2024.xlsx";

#[test]
fn a_stray_cell_at_xfd1048576_costs_nothing_and_the_ward_is_told_to_clear_it() {
    for (text, shown) in [("x", "XFD1048576"), (" ", "XFD1048576 (chỉ có dấu cách)")] {
        let dir = inbox_without(&[PHU_HA]);
        let mut w = phu_ha(vec![("Đăng ký thường trú", Num(40.0), Num(39.0))], None);
        w.stray_far_cell = Some(text);
        w.save(&dir.path().join("phu ha.xlsx"));
        let (_, run) = check(dir.path());
        let unit = run["units"].as_array().unwrap().iter().find(|u| u["name"] == "Phường Phủ Hà").unwrap();
        assert_eq!(unit["status"], "counted");
        let fig =
            unit["figures"].as_array().unwrap().iter().find(|f| f["id"] == "dvc_thiet_yeu.rows[3].total").unwrap();
        assert_eq!(fig["value"], 40.0);
        assert_eq!(fig["source"]["cell"], "E7");
        let f = finding(&run, "stray_cells");
        assert_eq!(f["severity"], "warning");
        assert_eq!(f["unit"], "Phường Phủ Hà");
        assert_eq!(f["location"]["cell"], "XFD1048576");
        let msg = f["message"].as_str().unwrap();
        assert!(msg.contains(&format!("vùng số liệu (A1:G7): {shown}. Ô này")), "{text:?}: {msg}");
    }
    // The July workbooks have no such cell: nothing is said of them.
    let (_, july) = check(&common::root().join(common::INBOX));
    assert!(!july["findings"].as_array().unwrap().iter().any(|f| f["kind"] == "stray_cells"));
}

#[test]
fn a_formula_total_with_a_wrong_cached_value_is_found() {
    let dir = inbox_without(&[PHU_HA]);
    phu_ha(
        vec![("Đăng ký thường trú", Num(40.0), Num(39.0)), ("Đăng ký tạm trú", Num(5.0), Num(5.0))],
        Some((Formula("=SUM(E7:E8)", Some(44.0)), Formula("=SUM(F7:F8)", Some(44.0)))),
    )
    .save(&dir.path().join("phu ha.xlsx"));
    let (code, run) = check(dir.path());
    assert_eq!(code, 0);
    let f = finding(&run, "formula_cache_mismatch");
    assert_eq!(f["location"]["cell"], "E9");
    assert_eq!(f["found"], 44.0);
    assert_eq!(f["expected"], 45.0);
    assert_eq!(f["unit"], "Phường Phủ Hà");
}

#[test]
fn text_that_is_not_a_number_is_an_error_never_a_zero() {
    let dir = inbox_without(&[PHU_HA]);
    phu_ha(vec![("Đăng ký thường trú", Text("chưa có số liệu"), Num(3.0))], None).save(&dir.path().join("phu ha.xlsx"));
    let (code, run) = check(dir.path());
    assert_eq!(code, 1);
    let f = finding(&run, "not_a_number");
    assert_eq!(f["severity"], "error");
    assert_eq!(f["location"]["sheet"], "DVC thiết yếu");
    assert_eq!(f["location"]["cell"], "E7");
    assert!(f["message"].as_str().unwrap().contains("chưa có số liệu"));
    // The online figure of that row is still counted, the unreadable one is not.
    let unit = run["units"].as_array().unwrap().iter().find(|u| u["name"] == "Phường Phủ Hà").unwrap();
    let ids: Vec<&str> = unit["figures"].as_array().unwrap().iter().map(|f| f["id"].as_str().unwrap()).collect();
    assert!(ids.contains(&"dvc_thiet_yeu.rows[3].online") && !ids.contains(&"dvc_thiet_yeu.rows[3].total"));
}

#[test]
fn online_above_total_and_negative_counts_are_flagged_at_their_cells() {
    let dir = inbox_without(&[PHU_HA]);
    phu_ha(vec![("Đăng ký thường trú", Num(10.0), Num(12.0)), ("Đăng ký khai tử", Num(-2.0), Num(0.0))], None)
        .save(&dir.path().join("phu ha.xlsx"));
    let (_, run) = check(dir.path());
    assert_eq!(finding(&run, "exceeds_total")["location"]["cell"], "F7");
    assert_eq!(finding(&run, "negative_count")["location"]["cell"], "E8");
}

#[test]
fn last_months_workbook_sent_again_is_not_counted() {
    let dir = inbox_without(&[PHU_HA]);
    let mut w = phu_ha(vec![("Đăng ký thường trú", Num(40.0), Num(39.0))], None);
    w.period = "(Từ ngày 05/5/2024 đến ngày 05/6/2024)";
    w.save(&dir.path().join("phu ha T6.xlsx"));
    let (code, run) = check(dir.path());
    assert_eq!(code, 1);
    let f = finding(&run, "period_mismatch");
    assert_eq!(f["severity"], "error");
    assert_eq!(f["location"]["cell"], "A3");
    assert!(f["message"].as_str().unwrap().contains("05/5/2024"));
    assert_eq!(common::unit(&run, "Phường Phủ Hà")["status"], "wrong_period");
    // Untouched units unchanged: only Phủ Hà's 357 records are out.
    assert_eq!(total(&run, "dvc_thiet_yeu.total.total"), 8725.0 - 357.0);
}

#[test]
fn one_unit_sent_twice_is_never_summed_twice() {
    // Same figures twice: counted once, with a warning naming both files.
    let dir = inbox_without(&[]);
    std::fs::copy(
        root().join("samples/inbox-2024-07").join(PHU_HA),
        dir.path().join("PHU HA - BC DA06 T7-2024 (1).xlsx"),
    )
    .unwrap();
    let (code, run) = check(dir.path());
    assert_eq!(code, 0);
    assert_eq!(total(&run, "dvc_thiet_yeu.total.total"), 8725.0);
    let f = finding(&run, "duplicate_unit");
    assert_eq!(f["severity"], "warning");
    assert!(f["message"].as_str().unwrap().contains("(1).xlsx"));

    // Different figures: neither is counted, the differences are listed.
    let dir = inbox_without(&[]);
    phu_ha(vec![("Đăng ký thường trú", Num(40.0), Num(39.0))], None).save(&dir.path().join("PHU HA (1).xlsx"));
    let (code, run) = check(dir.path());
    assert_eq!(code, 1);
    let f = finding(&run, "duplicate_unit");
    assert_eq!(f["severity"], "error");
    assert!(f["message"].as_str().unwrap().contains(PHU_HA));
    assert!(!f["cells"].as_array().unwrap().is_empty());
    assert_eq!(total(&run, "dvc_thiet_yeu.total.total"), 8725.0 - 357.0);
}

#[test]
fn two_sheets_of_one_period_are_counted_once_or_not_at_all() {
    let rows = || vec![("Đăng ký thường trú", Num(40.0), Num(39.0)), ("Đăng ký tạm trú", Num(12.0), Num(12.0))];
    // A copy with the same figures: counted once, an info naming both sheets.
    let dir = inbox_without(&[PHU_HA]);
    let mut w = phu_ha(rows(), None);
    w.copy = Some(("DVC thiết yếu (2)", rows()));
    w.save(&dir.path().join(PHU_HA));
    let (code, run) = check(dir.path());
    assert_eq!(code, 0, "{run}");
    let f = finding(&run, "duplicate_sheet");
    assert_eq!(f["severity"], "info");
    assert_eq!(f["location"]["sheet"], "DVC thiết yếu (2)");
    assert!(f["message"].as_str().unwrap().contains("\"DVC thiết yếu\""), "{f}");
    assert_eq!(total(&run, "dvc_thiet_yeu.total.total"), 8725.0 - 357.0 + 52.0);
    let phu_ha_stale = |f: &&Value| f["kind"] == "stale_sheet_ignored" && f["location"]["file"] == PHU_HA;
    assert!(!run["findings"].as_array().unwrap().iter().any(|f| phu_ha_stale(&f)), "{run}");

    // A copy with one figure different: neither counted, both cells named.
    let mut other = rows();
    other[1].1 = Num(13.0);
    w.copy = Some(("DVC thiết yếu (2)", other));
    w.save(&dir.path().join(PHU_HA));
    let (code, run) = check(dir.path());
    assert_eq!(code, 1, "{run}");
    let f = finding(&run, "duplicate_sheet");
    assert_eq!(f["severity"], "error");
    let msg = f["message"].as_str().unwrap();
    assert!(msg.contains("\"DVC thiết yếu\"") && msg.contains("\"DVC thiết yếu (2)\""), "{msg}");
    assert!(msg.contains("12") && msg.contains("13") && msg.contains("E8"), "{msg}");
    assert!(!msg.contains("dvc_thiet_yeu"), "labels, not ids: {msg}");
    let cells: Vec<(&str, &str)> = f["cells"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["sheet"].as_str().unwrap(), c["cell"].as_str().unwrap()))
        .collect();
    assert_eq!(cells, [("DVC thiết yếu", "E8"), ("DVC thiết yếu (2)", "E8")]);
    // Not a figure of Phủ Hà's table is counted, the other units unchanged.
    assert_eq!(total(&run, "dvc_thiet_yeu.total.total"), 8725.0 - 357.0);
    assert!(!msg.contains("kỳ khác"), "{msg}");
}

#[test]
fn files_that_are_not_workbooks_are_listed_and_the_rest_goes_on() {
    let dir = inbox_without(&[]);
    std::fs::write(dir.path().join("scan.xlsx"), b"%PDF-1.4\n%...").unwrap();
    std::fs::write(dir.path().join("empty.xlsx"), b"").unwrap();
    std::fs::create_dir(dir.path().join("folder.xlsx")).unwrap();
    let good = std::fs::read(root().join("samples/inbox-2024-07").join(PHU_HA)).unwrap();
    std::fs::write(dir.path().join("truncated.xlsx"), &good[..good.len() / 2]).unwrap();
    let (code, run) = check(dir.path());
    assert_eq!(code, 1, "a corrupt workbook is an error");
    let skipped: Vec<&str> = run["skipped"].as_array().unwrap().iter().map(|s| s["file"].as_str().unwrap()).collect();
    for name in ["scan.xlsx", "empty.xlsx", "folder.xlsx", "truncated.xlsx"] {
        assert!(skipped.contains(&name), "{name} not listed in {skipped:?}");
    }
    let f = finding(&run, "unreadable");
    assert_eq!(f["location"]["file"], "truncated.xlsx");
    assert_eq!(total(&run, "dvc_thiet_yeu.total.total"), 8725.0);
}

#[test]
fn legacy_encoded_workbooks_are_decoded_and_matched() {
    // TCVN3 text in a .VnTime font (told by the font) and VNI text with no legacy
    // font at all (told by character statistics): both read like the Unicode file.
    for (enc, font) in [(Legacy::Tcvn3, Some(".VnTime")), (Legacy::Vni, None)] {
        let dir = inbox_without(&[PHU_HA]);
        let mut w = phu_ha(
            vec![("Đăng ký thường trú", Num(40.0), Num(39.0)), ("Đăng ký khai tử", Num(4.0), Num(4.0))],
            Some((Num(44.0), Num(43.0))),
        );
        w.legacy = Some((enc, font));
        w.save(&dir.path().join("phu ha.xlsx"));
        let (code, run) = check(dir.path());
        assert_eq!(code, 0, "{enc:?}: {:#}", run["findings"]);
        let unit = run["units"].as_array().unwrap().iter().find(|u| u["name"] == "Phường Phủ Hà").unwrap();
        assert_eq!(unit["status"], "counted", "{enc:?}");
        let figs = unit["figures"].as_array().unwrap();
        let get = |id: &str| figs.iter().find(|f| f["id"] == id).map(|f| f["value"].as_f64().unwrap());
        assert_eq!(get("dvc_thiet_yeu.rows[3].total"), Some(40.0), "{enc:?}");
        assert_eq!(get("dvc_thiet_yeu.rows[12].online"), Some(4.0), "{enc:?}");
        let f = finding(&run, "legacy_encoding");
        assert_eq!(f["severity"], "info");
        assert_eq!(f["location"]["file"], "phu ha.xlsx");
        let wanted = if enc == Legacy::Tcvn3 { "TCVN3" } else { "VNI" };
        assert!(f["message"].as_str().unwrap().contains(wanted), "{}", f["message"]);
    }
}

#[test]
fn a_workbook_without_a_period_line_is_counted_with_a_warning() {
    let dir = inbox_without(&[PHU_HA]);
    let mut w = phu_ha(vec![("Đăng ký thường trú", Num(40.0), Num(39.0))], None);
    w.period = "";
    w.save(&dir.path().join("phu ha.xlsx"));
    let (code, run) = check(dir.path());
    assert_eq!(code, 0);
    let f = finding(&run, "period_missing");
    assert_eq!((f["severity"].as_str(), f["location"]["file"].as_str()), (Some("warning"), Some("phu ha.xlsx")));
    assert_eq!(total(&run, "dvc_thiet_yeu.rows[3].total"), 1156.0 - 60.0 + 40.0, "counted: Phủ Hà had 60 there");
}

#[test]
fn a_ratio_cell_that_disagrees_with_its_row_is_flagged() {
    let dir = inbox_without(&[PHU_HA]);
    let mut w = phu_ha(
        vec![
            ("Đăng ký thường trú", Num(40.0), Num(38.0)),
            ("Đăng ký tạm trú", Num(10.0), Num(10.0)),
            ("Khai báo tạm vắng", Num(4.0), Num(3.0)),
            ("Thông báo lưu trú", Num(0.0), Num(0.0)),
            ("Đăng ký khai sinh", Num(3.0), Num(2.0)),
        ],
        None,
    );
    w.ratios = vec![
        (0, Text("99,5%")),                               // 38/40 is 95%: wrong
        (1, Formula("=IF(E8=0,\"-\",F8/E8)", Some(1.0))), // right
        (2, Num(0.75)),                                   // right
        (3, Text("-")),                                   // no records: right
        (4, Text("66,7%")),                               // 66,67% written to one decimal: right
    ];
    w.save(&dir.path().join("phu ha.xlsx"));
    let (_, run) = check(dir.path());
    let flagged: Vec<&Value> =
        run["findings"].as_array().unwrap().iter().filter(|f| f["kind"] == "ratio_mismatch").collect();
    assert_eq!(flagged.len(), 1, "{flagged:#?}");
    assert_eq!(flagged[0]["location"]["cell"], "G7");
    assert!(flagged[0]["message"].as_str().unwrap().contains("95%"), "{}", flagged[0]["message"]);
}

#[test]
fn a_value_hidden_under_a_merged_cell_is_not_counted() {
    // E7:E8 merged: Excel shows only E7; a number left in E8 from before the merge
    // is invisible and must not be added.
    let dir = inbox_without(&[PHU_HA]);
    let path = dir.path().join("phu ha.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("DVC thiết yếu").unwrap();
    ws.write_string(0, 0, "TỔ CÔNG TÁC ĐỀ ÁN 06 PHƯỜNG PHỦ HÀ").unwrap();
    ws.write_string(2, 0, "(Từ ngày 05/6/2024 đến ngày 05/7/2024)").unwrap();
    for (c, h) in ["STT", "Dịch vụ công trực tuyến"].iter().enumerate() {
        ws.write_string(4, c as u16, *h).unwrap();
    }
    ws.write_string(5, 4, "Tổng số hồ sơ").unwrap();
    ws.write_string(5, 5, "Tiếp nhận hồ sơ trực tuyến").unwrap();
    ws.write_string(6, 1, "Đăng ký thường trú").unwrap();
    ws.write_string(7, 1, "Đăng ký tạm trú").unwrap();
    ws.merge_range(6, 4, 7, 4, "", &Format::new()).unwrap();
    ws.write_number(6, 4, 40.0).unwrap();
    ws.write_number(7, 4, 99.0).unwrap(); // hidden under the merge
    ws.write_number(6, 5, 39.0).unwrap();
    ws.write_number(7, 5, 5.0).unwrap();
    wb.save(&path).unwrap();
    let (_, run) = check(dir.path());
    let unit = common::unit(&run, "Phường Phủ Hà");
    let get = |id: &str| unit["figures"].as_array().unwrap().iter().find(|f| f["id"] == id).map(|f| f["value"].clone());
    assert_eq!(get("dvc_thiet_yeu.rows[3].total"), Some(serde_json::json!(40.0)));
    assert_ne!(get("dvc_thiet_yeu.rows[4].total"), Some(serde_json::json!(99.0)), "the hidden 99 is not counted");
}
