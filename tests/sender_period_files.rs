//! Where the sender and the period really are, and one unit's figures in two
//! files (issue 14, items 5 and 6): each case edits the July workbooks' package
//! XML the way an office's Excel would have written it (an instructions sheet
//! first, notes naming the city police, a hidden stale copy, hidden rows, the
//! period written another way, a ward's workbook split by sheets), and the
//! consolidated figures must stay July's, with findings that name the right
//! file, sheet and cell in Vietnamese.

mod common;

use common::{check_json as check, expected, inbox_without, unit};
use regex::Regex;
use serde_json::Value;
use std::io::{Read, Write};
use std::path::Path;

const PHU_HA: &str = "PHU HA - BC DA06 T7-2024.xlsx";
const DO_VINH: &str = "BC_DA06_DoVinh_T7_2024.xlsx";
const MAIN: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

/// The parts of an .xlsx package, in package order, to edit as text.
struct Package {
    parts: Vec<(String, Vec<u8>)>,
}

impl Package {
    fn open(path: &Path) -> Package {
        let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
        let parts = (0..zip.len())
            .map(|i| {
                let mut file = zip.by_index(i).unwrap();
                let mut data = Vec::new();
                file.read_to_end(&mut data).unwrap();
                (file.name().unwrap().to_string(), data)
            })
            .collect();
        Package { parts }
    }

    fn save(&self, path: &Path) {
        let mut out = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
        for (name, data) in &self.parts {
            out.start_file(name.as_str(), zip::write::SimpleFileOptions::default()).unwrap();
            out.write_all(data).unwrap();
        }
        out.finish().unwrap();
    }

    fn xml(&self, name: &str) -> String {
        let (_, data) = self.parts.iter().find(|(n, _)| n == name).unwrap_or_else(|| panic!("no part {name}"));
        String::from_utf8(data.clone()).unwrap()
    }

    fn set(&mut self, name: &str, xml: String) {
        match self.parts.iter_mut().find(|(n, _)| n == name) {
            Some((_, data)) => *data = xml.into_bytes(),
            None => self.parts.push((name.to_string(), xml.into_bytes())),
        }
    }

    fn edit(&mut self, name: &str, f: impl FnOnce(String) -> String) {
        let xml = f(self.xml(name));
        self.set(name, xml);
    }

    /// A new sheet `name` with part `xml`, placed first in the workbook (hidden or not).
    fn add_sheet_first(&mut self, name: &str, xml: String, hidden: bool) {
        let n = self.parts.iter().filter(|(p, _)| p.starts_with("xl/worksheets/sheet")).count() + 10;
        let part = format!("xl/worksheets/sheet{n}.xml");
        self.set(&part, xml);
        self.edit("xl/_rels/workbook.xml.rels", |rels| {
            rels.replace(
                "</Relationships>",
                &format!(
                    r#"<Relationship Id="rIdNew{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{n}.xml"/></Relationships>"#
                ),
            )
        });
        self.edit("[Content_Types].xml", |types| {
            types.replace(
                "</Types>",
                &format!(
                    r#"<Override PartName="/{part}" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#
                ),
            )
        });
        let state = if hidden { r#" state="hidden""# } else { "" };
        self.edit("xl/workbook.xml", |wb| {
            wb.replacen(
                "<sheets>",
                &format!(r#"<sheets><sheet name="{name}" sheetId="{n}"{state} r:id="rIdNew{n}"/>"#),
                1,
            )
        });
    }

    /// Only the sheets named stay in the workbook (the print titles that name the
    /// others go too, as Excel drops them with a deleted sheet).
    fn keep_sheets(&mut self, keep: &[&str]) {
        let sheet = Regex::new(r#"<sheet name="([^"]*)"[^>]*/>"#).unwrap();
        let names = Regex::new(r"(?s)<definedNames>.*</definedNames>").unwrap();
        self.edit("xl/workbook.xml", |wb| {
            let wb = sheet.replace_all(
                &wb,
                |c: &regex::Captures| {
                    if keep.contains(&&c[1]) { c[0].to_string() } else { String::new() }
                },
            );
            names.replace(&wb, "").into_owned()
        });
    }
}

/// An inline text cell.
fn text_cell(cell: &str, text: &str) -> String {
    format!(r#"<c r="{cell}" t="inlineStr"><is><t>{text}</t></is></c>"#)
}

/// A number cell.
fn number_cell(cell: &str, n: f64) -> String {
    format!(r#"<c r="{cell}"><v>{n}</v></c>"#)
}

/// Row `row` of a sheet's XML with its cells replaced by `cells`.
fn replace_row(xml: &str, row: u32, cells: &[String]) -> String {
    let re = Regex::new(&format!(r#"(?s)<row r="{row}"[^>]*>.*?</row>"#)).unwrap();
    assert!(re.is_match(xml), "no row {row}");
    re.replace(xml, format!(r#"<row r="{row}">{}</row>"#, cells.concat()).as_str()).into_owned()
}

/// `cells` put at the start (`first`) or end of row `row`'s cells.
fn add_to_row(xml: &str, row: u32, cells: &str, first: bool) -> String {
    let re = Regex::new(&format!(r#"(?s)(<row r="{row}"[^>]*>)(.*?)(</row>)"#)).unwrap();
    assert!(re.is_match(xml), "no row {row}");
    re.replace(xml, |c: &regex::Captures| {
        if first {
            format!("{}{cells}{}{}", &c[1], &c[2], &c[3])
        } else {
            format!("{}{}{cells}{}", &c[1], &c[2], &c[3])
        }
    })
    .into_owned()
}

/// A sheet XML without the merged range `range`.
fn unmerge(xml: &str, range: &str) -> String {
    let merged = format!(r#"<mergeCell ref="{range}"/>"#);
    assert!(xml.contains(&merged), "no merge {range}");
    xml.replace(&merged, "")
}

/// Every consolidated figure of the run is July's.
fn assert_july_figures(run: &Value) {
    let mut wrong = Vec::new();
    for (id, want) in expected()["consolidated"].as_object().unwrap() {
        let got = &run["totals"][id]["value"];
        let same = match (got.as_f64(), want.as_f64()) {
            (Some(a), Some(b)) => (a - b).abs() < 1e-9,
            _ => got == want,
        };
        if !same {
            wrong.push(format!("{id}: July {want}, now {got}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

fn findings<'a>(run: &'a Value, kind: &str) -> Vec<&'a Value> {
    run["findings"].as_array().unwrap().iter().filter(|f| f["kind"] == kind).collect()
}

/// The July inbox with `file` edited.
fn july_with(file: &str, edit: impl FnOnce(&mut Package)) -> tempfile::TempDir {
    let dir = inbox_without(&[]);
    let path = dir.path().join(file);
    let mut pkg = Package::open(&path);
    edit(&mut pkg);
    pkg.save(&path);
    dir
}

#[test]
fn an_instructions_sheet_and_notes_naming_the_city_police_leave_the_ward_its_own() {
    let dir = july_with(PHU_HA, |pkg| {
        let rows = [
            "CÔNG AN THÀNH PHỐ PHAN RANG - THÁP CHÀM",
            "HƯỚNG DẪN NHẬP SỐ LIỆU BÁO CÁO ĐỀ ÁN 06",
            "Các phường, xã gửi báo cáo về Công an thành phố trước ngày 05 hằng tháng.",
            "Không sửa tên các trang tính.",
        ];
        let data: String = rows
            .iter()
            .enumerate()
            .map(|(i, t)| format!(r#"<row r="{}">{}</row>"#, i + 1, text_cell(&format!("A{}", i + 1), t)))
            .collect();
        pkg.add_sheet_first(
            "Hướng dẫn",
            format!(r#"<worksheet xmlns="{MAIN}"><sheetData>{data}</sheetData></worksheet>"#),
            false,
        );
        pkg.edit("xl/worksheets/sheet1.xml", |xml| {
            // A note in the title block, a remark beside a row, a footnote below the table.
            let xml =
                add_to_row(&xml, 4, &text_cell("A4", "(Số liệu dịch vụ công do Công an thành phố cung cấp)"), true);
            let xml = add_to_row(&xml, 9, &text_cell("H9", "Phối hợp Công an thành phố"), false);
            xml.replace(
                "</sheetData>",
                &format!(
                    r#"<row r="30">{}</row></sheetData>"#,
                    text_cell("A30", "Ghi chú: số liệu đã đối chiếu với Công an thành phố.")
                ),
            )
        });
        pkg.edit("xl/worksheets/sheet3.xml", |xml| {
            // Row 2 is empty there: the line goes in above the title.
            let line = format!(
                r#"<row r="2">{}</row><row r="3""#,
                text_cell("A2", "Kính gửi: Công an thành phố Phan Rang - Tháp Chàm")
            );
            assert!(xml.contains(r#"<row r="3""#));
            xml.replacen(r#"<row r="3""#, &line, 1)
        });
    });
    let (code, run) = check(dir.path());
    assert_eq!(code, 0, "{:#}", run["findings"]);
    assert_july_figures(&run);
    let phu_ha = unit(&run, "Phường Phủ Hà");
    assert_eq!(phu_ha["status"], "counted");
    assert_eq!(phu_ha["files"], serde_json::json!([PHU_HA]));
    assert_eq!(unit(&run, "Công an thành phố")["files"], serde_json::json!(["CATP - BC DA06 T7.2024.xlsx"]));
    assert!(findings(&run, "unknown_unit").is_empty() && findings(&run, "duplicate_unit").is_empty(), "{run:#}");
}

#[test]
fn a_hidden_stale_copy_before_the_data_sheet_is_skipped_and_told() {
    let dir = july_with(PHU_HA, |pkg| {
        // Last month's figures (doubled here), same title and period line, hidden.
        let stale = common::month::scale_numbers_for_test(&pkg.xml("xl/worksheets/sheet1.xml"), 2.0);
        pkg.add_sheet_first("DVC thiết yếu (cũ)", stale, true);
    });
    let (code, run) = check(dir.path());
    assert_eq!(code, 0, "{:#}", run["findings"]);
    assert_july_figures(&run);
    let told = findings(&run, "hidden_sheet_ignored");
    assert_eq!(told.len(), 1, "{told:#?}");
    let f = told[0];
    assert_eq!(f["severity"], "info");
    assert_eq!(
        (f["location"]["file"].as_str(), f["location"]["sheet"].as_str()),
        (Some(PHU_HA), Some("DVC thiết yếu (cũ)"))
    );
    assert_eq!(
        f["message"],
        "Trang tính \"DVC thiết yếu (cũ)\" đang bị ẩn; không tổng hợp trang này, dùng trang \"DVC thiết yếu\" đang hiện."
    );
    assert!(findings(&run, "duplicate_sheet").is_empty(), "{run:#}");

    // A hidden sheet that is the only one of its table is still read, and told.
    let dir = july_with(PHU_HA, |pkg| {
        pkg.edit("xl/workbook.xml", |wb| {
            assert!(wb.contains(r#"<sheet name="Số hóa" sheetId="3""#));
            wb.replace(r#"<sheet name="Số hóa" sheetId="3""#, r#"<sheet name="Số hóa" sheetId="3" state="hidden""#)
        });
    });
    let (code, run) = check(dir.path());
    assert_eq!(code, 0, "{:#}", run["findings"]);
    assert_july_figures(&run);
    let told = findings(&run, "hidden_sheet_read");
    assert_eq!(told.len(), 1, "{run:#}");
    assert_eq!(
        (told[0]["location"]["file"].as_str(), told[0]["location"]["sheet"].as_str()),
        (Some(PHU_HA), Some("Số hóa"))
    );
    assert_eq!(
        told[0]["message"],
        "Trang tính \"Số hóa\" đang bị ẩn nhưng là trang duy nhất có bảng này; vẫn đọc và tổng hợp số liệu của trang này."
    );
}

#[test]
fn hidden_rows_inside_a_table_are_counted_and_named() {
    let dir = july_with(PHU_HA, |pkg| {
        pkg.edit("xl/worksheets/sheet1.xml", |xml| {
            xml.replace(r#"<row r="9" "#, r#"<row r="9" hidden="1" "#)
                .replace(r#"<row r="10" "#, r#"<row r="10" hidden="1" "#)
        });
    });
    let (code, run) = check(dir.path());
    assert_eq!(code, 0, "{:#}", run["findings"]);
    assert_july_figures(&run);
    let told = findings(&run, "hidden_rows_read");
    assert_eq!(told.len(), 1, "{told:#?}");
    let f = told[0];
    assert_eq!(f["severity"], "info");
    assert_eq!(f["unit"], "Phường Phủ Hà");
    assert_eq!(f["location"]["sheet"], "DVC thiết yếu");
    assert_eq!(f["location"]["cell"], "A9");
    let msg = f["message"].as_str().unwrap();
    assert!(msg.starts_with("Trang tính \"DVC thiết yếu\" có 2 dòng bị ẩn (dòng 9, 10)"), "{msg}");
    assert!(msg.contains("vẫn được đọc và tổng hợp"), "{msg}");
    let cells: Vec<&str> = f["cells"].as_array().unwrap().iter().map(|c| c["cell"].as_str().unwrap()).collect();
    assert_eq!(cells, ["A9", "A10"]);
}

#[test]
fn a_period_in_date_cells_or_written_another_way_is_read() {
    let dir = inbox_without(&[]);
    let edit = |file: &str, f: &dyn Fn(&mut Package)| {
        let path = dir.path().join(file);
        let mut pkg = Package::open(&path);
        f(&mut pkg);
        pkg.save(&path);
    };
    // Phủ Hà: "Từ ngày" | 05/6/2024 | "đến ngày" | 05/7/2024 as Excel dates; then the
    // forms typed as text, one per sheet.
    edit(PHU_HA, &|pkg| {
        pkg.edit("xl/worksheets/sheet1.xml", |xml| {
            let cells = [
                text_cell("A3", "Từ ngày"),
                number_cell("B3", 45448.0),
                text_cell("C3", "đến ngày"),
                number_cell("D3", 45478.0),
            ];
            unmerge(&replace_row(&xml, 3, &cells), "A3:G3")
        });
        pkg.edit("xl/worksheets/sheet2.xml", |xml| {
            replace_row(&xml, 3, &[text_cell("A3", "Kỳ báo cáo: từ 05/6 - 05/7/2024")])
        });
        pkg.edit("xl/worksheets/sheet3.xml", |xml| {
            replace_row(&xml, 4, &[text_cell("A4", "(Từ ngày 05 tháng 6 năm 2024 đến ngày 05 tháng 7 năm 2024)")])
        });
        pkg.edit("xl/worksheets/sheet4.xml", |xml| {
            replace_row(&xml, 4, &[text_cell("A4", "Từ ngày 5-6-2024 đến ngày 5-7-2024")])
        });
    });
    // Đô Vinh: over two rows as text; a month; dotted dates without "từ"; a month over cells.
    edit(DO_VINH, &|pkg| {
        pkg.edit("xl/worksheets/sheet1.xml", |xml| {
            let xml = replace_row(&xml, 3, &[text_cell("A3", "Từ ngày:"), text_cell("B3", "05/6/2024")]);
            let xml = replace_row(&xml, 4, &[text_cell("A4", "Đến ngày:"), text_cell("B4", "05/7/2024")]);
            unmerge(&xml, "A3:G3")
        });
        pkg.edit("xl/worksheets/sheet2.xml", |xml| replace_row(&xml, 3, &[text_cell("A3", "Kỳ báo cáo tháng 7/2024")]));
        pkg.edit("xl/worksheets/sheet3.xml", |xml| {
            replace_row(&xml, 4, &[text_cell("A4", "Kỳ báo cáo: 05.06.2024 - 05.07.2024")])
        });
        pkg.edit("xl/worksheets/sheet4.xml", |xml| {
            let cells =
                [text_cell("A4", "Tháng"), number_cell("B4", 7.0), text_cell("C4", "năm"), number_cell("D4", 2024.0)];
            unmerge(&replace_row(&xml, 4, &cells), "A4:E4")
        });
    });
    let (code, run) = check(dir.path());
    assert_eq!(code, 0, "{:#}", run["findings"]);
    assert_july_figures(&run);
    assert_eq!(run["period"], expected()["period"]);
    for file in [PHU_HA, DO_VINH] {
        let about = |kind: &str| findings(&run, kind).into_iter().filter(|f| f["location"]["file"] == file).count();
        assert_eq!((about("period_missing"), about("period_mismatch")), (0, 0), "{file}: {:#}", run["findings"]);
    }
}

/// What the justice office's file holds of the DVC table besides its lists.
#[derive(Clone, Copy)]
enum JusticeDvc {
    /// Not the sheet.
    No,
    /// The sheet with the police's figures.
    Same,
    /// The sheet with another number of registrations ("Đăng ký thường trú", 60 in July).
    Registrations(f64),
    /// The template's sheet left at its zeros.
    Zeros,
}

#[test]
fn a_ward_split_into_two_files_is_combined_and_an_overlap_that_differs_is_an_error() {
    const POLICE: &str = "PHU HA - Cong an phuong - T7.xlsx";
    const JUSTICE: &str = "PHU HA - Tu phap - T7.xlsx";
    let split = |justice_dvc: JusticeDvc| {
        let dir = inbox_without(&[PHU_HA]);
        let original = common::root().join(common::INBOX).join(PHU_HA);
        // The ward's police sends the DVC tables, titled as its own.
        let mut police = Package::open(&original);
        police.keep_sheets(&["DVC thiết yếu", "DVC QĐ 422"]);
        let a1 = Regex::new(r#"<c r="A1"[^>]*>.*?</c>"#).unwrap();
        for part in ["xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"] {
            police.edit(part, |xml| a1.replace(&xml, text_cell("A1", "CÔNG AN PHƯỜNG PHỦ HÀ").as_str()).into_owned());
        }
        police.save(&dir.path().join(POLICE));
        // Its justice office the lists (and maybe its own copy of the DVC table).
        let mut justice = Package::open(&original);
        let mut keep = vec!["Số hóa", "Lao động"];
        match justice_dvc {
            JusticeDvc::No => {}
            JusticeDvc::Same => keep.push("DVC thiết yếu"),
            JusticeDvc::Registrations(value) => {
                keep.push("DVC thiết yếu");
                justice.edit("xl/worksheets/sheet1.xml", |xml| {
                    let re = Regex::new(r#"(<c r="E9"[^>]*>)<v>60</v>"#).unwrap();
                    assert!(re.is_match(&xml));
                    re.replace(&xml, format!("${{1}}<v>{value}</v>").as_str()).into_owned()
                });
            }
            JusticeDvc::Zeros => {
                // The template's sheet as it came: 0 in every figure cell (a blank cell
                // gives no figure at all, so the sheet would hold nothing).
                keep.push("DVC thiết yếu");
                justice.edit("xl/worksheets/sheet1.xml", |xml| {
                    let re = Regex::new(r#"<c r="([EFG])(\d+)"([^>]*)>(<f>[^<]*</f>)?<v>[^<]*</v></c>"#).unwrap();
                    re.replace_all(&xml, |c: &regex::Captures| match (c[2].parse::<u32>().unwrap(), c.get(4)) {
                        (row, _) if row < 7 => c[0].to_string(),
                        (_, f) => format!(
                            r#"<c r="{}{}"{}>{}<v>0</v></c>"#,
                            &c[1],
                            &c[2],
                            c[3].replace(r#" t="s""#, ""),
                            f.map_or("", |f| f.as_str())
                        ),
                    })
                    .into_owned()
                });
            }
        }
        justice.keep_sheets(&keep);
        justice.save(&dir.path().join(JUSTICE));
        dir
    };

    // Two parts, no overlap: combined, every figure July's, an info naming both files.
    let (code, run) = check(split(JusticeDvc::No).path());
    assert_eq!(code, 0, "{:#}", run["findings"]);
    assert_july_figures(&run);
    let phu_ha = unit(&run, "Phường Phủ Hà");
    assert_eq!(phu_ha["status"], "counted");
    assert_eq!(phu_ha["files"], serde_json::json!([POLICE, JUSTICE]));
    let f = findings(&run, "unit_files_combined");
    assert_eq!(f.len(), 1, "{run:#}");
    assert_eq!(f[0]["severity"], "info");
    assert_eq!(
        f[0]["message"],
        format!(
            "Phường Phủ Hà gửi số liệu trong 2 tệp, mỗi tệp một phần: tệp \"{POLICE}\" có trang \"DVC thiết yếu\", \"DVC QĐ 422\"; tệp \"{JUSTICE}\" có trang \"Số hóa\", \"Lao động\"; đã gộp các tệp để tổng hợp."
        )
    );
    assert!(findings(&run, "duplicate_unit").is_empty());

    // The justice office also sent the DVC table, with the same figures: still combined, counted once.
    let (code, run) = check(split(JusticeDvc::Same).path());
    assert_eq!(code, 0, "{:#}", run["findings"]);
    assert_july_figures(&run);
    let f = findings(&run, "unit_files_combined");
    assert!(
        f[0]["message"].as_str().unwrap().contains("trang \"DVC thiết yếu\" có ở nhiều tệp với số liệu giống nhau"),
        "{f:#?}"
    );

    // The template's DVC sheet left at 0 in the justice office's file: not a second copy.
    let (code, run) = check(split(JusticeDvc::Zeros).path());
    assert_eq!(code, 0, "{:#}", run["findings"]);
    assert_july_figures(&run);
    let f = findings(&run, "unit_files_combined");
    assert_eq!(
        f[0]["message"],
        format!(
            "Phường Phủ Hà gửi số liệu trong 2 tệp, mỗi tệp một phần: tệp \"{POLICE}\" có trang \"DVC thiết yếu\", \"DVC QĐ 422\"; tệp \"{JUSTICE}\" có trang \"Số hóa\", \"Lao động\" (trang \"DVC thiết yếu\" để trống, không tính); đã gộp các tệp để tổng hợp."
        )
    );

    // With another figure: an error naming the figure by its label and both values; Phủ Hà is not counted.
    let (code, run) = check(split(JusticeDvc::Registrations(61.0)).path());
    assert_eq!(code, 1);
    assert_eq!(unit(&run, "Phường Phủ Hà")["status"], "conflict");
    let f = findings(&run, "duplicate_unit");
    assert_eq!(f.len(), 1);
    assert_eq!(f[0]["severity"], "error");
    let msg = f[0]["message"].as_str().unwrap();
    assert!(msg.contains("DVC thiết yếu › 3. Đăng ký thường trú › Tổng số hồ sơ: 60 / 61"), "{msg}");
    assert!(!msg.contains("dvc_thiet_yeu"), "labels, not ids: {msg}");
    let cells: Vec<(&str, &str)> = f[0]["cells"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["sheet"].as_str().unwrap(), c["cell"].as_str().unwrap()))
        .collect();
    assert_eq!(cells, [("DVC thiết yếu", "E9")]);
    assert_eq!(run["totals"]["dvc_thiet_yeu.total.total"]["value"], 8725.0 - 357.0);
}

#[test]
fn a_unit_named_only_on_a_cover_sheet_is_taken_with_a_warning_naming_it() {
    let dir = july_with(PHU_HA, |pkg| {
        pkg.edit("xl/sharedStrings.xml", |sst| {
            assert!(sst.contains("TỔ CÔNG TÁC ĐỀ ÁN 06 PHƯỜNG PHỦ HÀ"));
            sst.replace("TỔ CÔNG TÁC ĐỀ ÁN 06 PHƯỜNG PHỦ HÀ", "TỔ CÔNG TÁC ĐỀ ÁN 06")
        });
        let cover = format!(
            r#"<worksheet xmlns="{MAIN}"><sheetData><row r="1">{}</row><row r="3">{}</row></sheetData></worksheet>"#,
            text_cell("A1", "UBND PHƯỜNG PHỦ HÀ"),
            text_cell("A3", "BÁO CÁO KẾT QUẢ THỰC HIỆN ĐỀ ÁN 06")
        );
        pkg.add_sheet_first("Bìa", cover, false);
    });
    let (code, run) = check(dir.path());
    assert_eq!(code, 0, "{:#}", run["findings"]);
    assert_july_figures(&run);
    assert_eq!(unit(&run, "Phường Phủ Hà")["status"], "counted");
    let f = findings(&run, "unit_from_other_sheet");
    assert_eq!(f.len(), 1, "{run:#}");
    assert_eq!(f[0]["severity"], "warning");
    assert_eq!((f[0]["location"]["file"].as_str(), f[0]["location"]["sheet"].as_str()), (Some(PHU_HA), Some("Bìa")));
    assert_eq!(
        f[0]["message"],
        "Các trang số liệu (\"DVC thiết yếu\", \"DVC QĐ 422\", \"Số hóa\", \"Lao động\") không ghi tên đơn vị ở dòng tiêu đề; đơn vị được nhận ra là Phường Phủ Hà theo trang \"Bìa\". Đề nghị kiểm tra và ghi tên đơn vị ở đầu các trang số liệu."
    );
}
