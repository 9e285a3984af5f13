//! The mapping config: which units report, which tables and figures to take
//! from their workbooks, how figures combine, and which checks to run.
//!
//! One TOML file per city, read with serde. It names each thing once and
//! holds no per-unit or per-file layout: where a ward put its cells is found
//! by the matching rules of the readers, not written here.

pub use crate::model::Document;
use crate::model::id;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use toml::Spanned;

/// A config error, with the config line when there is one, in Vietnamese.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ConfigError(pub String);

/// One city's config: the TOML file, table by table.
///
/// ```toml
/// [period]            # the city's period rule (model::PeriodRule)
/// [document]          # the report's standing parts (model::Document)
/// [[groups]]          # groups of units (Group)
/// [[units]]           # every unit that must report (Unit)
/// [[tables]]          # tables with one row per item (Table, Column, Ratio, Row)
/// [[lists]]           # sheets of single figures (List, Item)
/// [[aggregates]]      # a figure summed over one group (Aggregate)
/// [[derived]]         # a percentage of two figures (Derived)
/// [[checks]]          # rules each unit's figures must meet (Check)
/// [compare]           # how this month is checked against last month's appendix (Compare)
/// ```
///
/// **Cumulative figures.** `cumulative = true` on a `[[tables]]` or `[[lists]]`
/// entry says its figures are counted up to a date ("Số liệu lũy kế", "tính đến
/// ngày …"), not over the period: such a figure does not go down from one month to
/// the next, and `convert` warns when it does (against last month's appendix). A
/// table's column or a list's item may say otherwise for itself (`cumulative =
/// false` on a population column of a cumulative table, `cumulative = true` on the
/// one item of a list that a unit marks "Lũy kế"). Figures are not cumulative
/// unless the config says so.
///
/// **Headers and labels said another way.** A table's column is found by its
/// `header` or an `aliases` entry (the whole header cell, case, spacing and
/// diacritics forgiven), and else by its meaning: `synonyms` lists words and
/// phrases that say what the column holds ("Trực tuyến", "Online", "Qua DVC" for
/// the online column; "Tổng", "Tổng cộng", "Số hồ sơ" for the total). A header
/// cell that is one of them, or holds all the distinctive words of the header, an
/// alias or a synonym (the words no other column of the table uses; "TT" and
/// "DVCTT" count as the words they abbreviate), is read as that column when it
/// fits it and no other, with an info naming the cell. A header cell that fits
/// two columns, or two cells that fit one column, is an error, never a guess.
/// A row is found by its `label` or an `aliases` entry, and else when a row label
/// holds all the configured label's words (with a note, a remark or a leading
/// "-", "a)", "+") and no other configured row fits it better; its STT decides
/// between two that fit equally when the sheet numbers its rows as the config
/// does. "Cộng …" and "Tổng …" rows inside a table are sub-totals: never a row,
/// never added to the table's sum.
/// ```toml
/// columns = [
///   { id = "total", header = "Tổng số hồ sơ", synonyms = ["Tổng", "Tổng cộng", "Số hồ sơ"] },
///   { id = "online", header = "Tiếp nhận hồ sơ trực tuyến", synonyms = ["Trực tuyến", "Online"] },
/// ]
/// ```
///
/// **Who reports what.** `reported_by = ["phuong_xa", "Công an thành phố"]` on a
/// `[[tables]]` or `[[lists]]` entry names the groups (by id) and units (by name)
/// that report it. `baocao forms` gives each unit a sheet only for what it
/// reports, and a unit it names whose workbooks lack that sheet is "thiếu số
/// liệu". Without it, every unit gets the sheet in its form and none is short for
/// lacking it. Reading takes a table or list from any unit's workbook that has it.
///
/// Nothing in it names a month: the period of a run is the one its workbooks
/// state (or `--period`), checked against `[period]`; the document's number and
/// date are given at `convert` (`--number`, `--date`). Unknown keys are errors
/// (a typo is never silently ignored), and every figure an aggregate, a ratio
/// or a check names must be defined. A small config:
///
/// ```
/// use baocao::config::Config;
/// let toml = r#"
/// [period]
/// cut_off_day = 5     # from the 5th of the month before to the 5th
///
/// [[groups]]
/// id = "phuong_xa"
/// name = "phường, xã"
///
/// [[units]]
/// name = "Phường Bảo An"
/// group = "phuong_xa"
/// aliases = ["P. Bảo An"]
///
/// [[lists]]
/// sheet = "Số hóa"
/// items = [
///   { id = "so_hoa.tong", label = "Tổng số hồ sơ" },
///   { id = "so_hoa.da_so_hoa", label = "Đã số hóa" },
/// ]
///
/// [[checks]]
/// kind = "not_greater"
/// small = "so_hoa.da_so_hoa"
/// large = "so_hoa.tong"
/// "#;
/// let cfg = Config::parse(toml, "mau.toml").unwrap();
/// assert_eq!(cfg.units[0].names().collect::<Vec<_>>(), ["Phường Bảo An", "P. Bảo An"]);
/// let aug = baocao::model::Month::new(2024, 8).unwrap();
/// assert_eq!(cfg.period.period_of(aug).text(), "(Từ ngày 05/7/2024 đến ngày 05/8/2024)");
/// let typo = toml.replace("small =", "smal =");
/// assert!(Config::parse(&typo, "mau.toml").unwrap_err().to_string().contains("smal"));
/// ```
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// `[period]`: how a month's period runs (Decree 09/2019's 15th to 14th when absent).
    #[serde(default)]
    pub period: crate::model::PeriodRule,
    /// A `[report]` table of an older config (a fixed month): refused with a message.
    #[serde(default)]
    report: Option<toml::Table>,
    /// `[document]`: number, symbol, bodies, recipients and signer of the report.
    #[serde(default)]
    pub document: Document,
    /// `[[groups]]`: the groups units belong to.
    pub groups: Vec<Group>,
    /// `[[units]]`: every unit expected to report.
    pub units: Vec<Unit>,
    /// `[[tables]]`: tables with one row per item.
    #[serde(default)]
    pub tables: Vec<Table>,
    /// `[[lists]]`: sheets listing single figures.
    #[serde(default)]
    pub lists: Vec<List>,
    /// `[[aggregates]]`: figures summed over one group only.
    #[serde(default)]
    pub aggregates: Vec<Aggregate>,
    /// `[[derived]]`: percentages of two consolidated figures.
    #[serde(default)]
    pub derived: Vec<Derived>,
    /// `[[checks]]`: rules each unit's figures must meet.
    #[serde(default)]
    pub checks: Vec<Check>,
    /// `[compare]`: the month-over-month checks against last month's appendix.
    #[serde(default)]
    pub compare: Compare,
}

/// `[compare]`: how `convert` checks this month's figures against last month's
/// appendix. A unit's figure that grew more than `jump_factor` times is a warning,
/// unless both months' values are under `jump_minimum` (small counts move a lot).
///
/// ```toml
/// [compare]
/// jump_factor = 5      # the default
/// jump_minimum = 20    # the default
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Compare {
    /// A figure more than this many times last month's is a sudden jump (more than 1).
    #[serde(default = "default_jump_factor")]
    pub jump_factor: f64,
    /// Both values under this: never a jump.
    #[serde(default = "default_jump_minimum")]
    pub jump_minimum: f64,
}

impl Default for Compare {
    fn default() -> Self {
        Compare { jump_factor: default_jump_factor(), jump_minimum: default_jump_minimum() }
    }
}

fn default_jump_factor() -> f64 {
    5.0
}
fn default_jump_minimum() -> f64 {
    20.0
}

/// A group of units ("phường, xã"; "phòng, ban thành phố").
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    /// Its id, as `[[units]]` and `[[aggregates]]` name it ("phuong_xa").
    pub id: String,
    /// Its name in a sentence ("phường, xã").
    pub name: String,
    /// The level it stands for, as the report names it after "Bộ phận tiếp nhận
    /// và trả kết quả" ("thành phố" for the city's departments); `name` when absent.
    #[serde(default)]
    pub level: Option<String>,
}

/// A unit expected to report every period.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Unit {
    /// Official name, as the report prints it ("Phường Bảo An").
    pub name: String,
    /// The id of its group.
    pub group: Spanned<String>,
    /// Other names by which the unit's workbooks title themselves.
    #[serde(default)]
    pub aliases: Vec<String>,
}

impl Unit {
    /// Every name the unit is recognised by, the official one first.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str()).chain(self.aliases.iter().map(String::as_str))
    }
}

/// A table with one row per item and one column per figure (e.g. "DVC thiết yếu").
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Table {
    /// Its id: the first part of its figures' ids ("dvc_thiet_yeu.rows[3].total").
    pub id: String,
    /// Usual sheet name ("DVC thiết yếu").
    pub sheet: String,
    /// The table's title, as in the workbooks and in the appendix.
    pub title: String,
    /// Header of the column that names each row ("Dịch vụ công trực tuyến").
    pub label_header: String,
    /// Header of the STT column ("STT").
    #[serde(default = "default_stt_header")]
    pub stt_header: String,
    /// The figure columns, found by their header.
    pub columns: Vec<Column>,
    /// A ratio column computed from two figure columns.
    #[serde(default)]
    pub ratio: Option<Ratio>,
    /// Labels of the table's own total row.
    #[serde(default = "default_total_labels")]
    pub total_labels: Vec<String>,
    /// The rows to take. Empty: the table's figures are its column sums.
    #[serde(default)]
    pub rows: Vec<Row>,
    /// Per-row checks "small <= large", by column id (e.g. ["online", "total"]).
    #[serde(default)]
    pub not_greater: Vec<[String; 2]>,
    /// Printed in the appendix (Phụ lục) of the report.
    #[serde(default)]
    pub appendix: bool,
    /// Header printed over the figure columns in the appendix ("Tổng số hồ sơ").
    #[serde(default)]
    pub columns_group: Option<String>,
    /// The unit of count printed above the table ("Đơn vị tính: hồ sơ").
    #[serde(default)]
    pub unit_of_count: Option<String>,
    /// Its figures are counted up to a date, not over the period (see [`Config`]).
    #[serde(default)]
    pub cumulative: bool,
    /// Who reports it: group ids (every unit of the group) and unit names (see
    /// [`Config`]). `baocao forms` gives its sheet to them only; a unit they name
    /// whose workbooks have no sheet of it is "thiếu số liệu" (an error naming the
    /// sheet). Empty: every unit gets its sheet in the forms, and a workbook
    /// without it is not short of anything.
    #[serde(default)]
    pub reported_by: Vec<Spanned<String>>,
}

impl Table {
    /// The figure ids a unit's sheet of this table gives: each row's, column by
    /// column, or each column's sum when the table has no rows.
    pub fn unit_figure_ids(&self) -> Vec<String> {
        if self.rows.is_empty() {
            self.columns.iter().map(|c| id::table_sum(&self.id, &c.id)).collect()
        } else {
            self.rows
                .iter()
                .flat_map(|r| self.columns.iter().map(move |c| id::table_row(&self.id, r.stt, &c.id)))
                .collect()
        }
    }
}

fn default_stt_header() -> String {
    "STT".into()
}
fn default_total_labels() -> Vec<String> {
    vec!["Tổng cộng".into(), "Tổng".into(), "Cộng".into()]
}

/// A figure column of a table, found in the workbooks by its header.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Column {
    /// Its id: the last part of its figures' ids.
    pub id: String,
    /// Its header, as in the workbooks and the appendix.
    pub header: String,
    /// Other headers the workbooks give it.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Words and phrases that say what it holds ("Trực tuyến", "Online"): a header
    /// cell that is one, or holds one's distinctive words, is read as this column
    /// when it fits no other (see [`Config`]).
    #[serde(default)]
    pub synonyms: Vec<String>,
    /// Whether its figures are cumulative, when not as its table says.
    #[serde(default)]
    pub cumulative: Option<bool>,
}

/// A percentage column of a table: one figure column over another, row by row.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ratio {
    /// Its id, as a column's ("ratio_pct").
    pub id: String,
    /// Its header ("Tỷ lệ %").
    pub header: String,
    /// The id of the numerator column.
    pub numerator: String,
    /// The id of the denominator column.
    pub denominator: String,
}

/// A row of a table, found in the workbooks by its label.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Row {
    /// The row's number in the official table.
    pub stt: u32,
    /// Its label, as in the official table.
    pub label: String,
    /// Other labels the workbooks give it.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Further fixed columns printed in the appendix, by header ("Kết nối Cổng DVC quốc gia").
    #[serde(default)]
    pub info: BTreeMap<String, String>,
    /// A group heading printed above this row ("I. NHÓM DỊCH VỤ CÔNG THIẾT YẾU CỦA CÁ NHÂN").
    #[serde(default)]
    pub heading: Option<String>,
}

/// A sheet listing single figures, one per row ("STT | Nội dung | Đơn vị tính | Số lượng").
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct List {
    /// Usual sheet name ("Số hóa").
    pub sheet: String,
    /// Its title, when the sheet has one.
    #[serde(default)]
    pub title: Option<String>,
    /// Header of the column naming each item ("Nội dung").
    #[serde(default = "default_list_label")]
    pub label_header: String,
    /// Header of the column of values ("Số lượng").
    #[serde(default = "default_list_value")]
    pub value_header: String,
    /// The figures to take.
    pub items: Vec<Item>,
    /// Its figures are counted up to a date, not over the period (see [`Config`]).
    #[serde(default)]
    pub cumulative: bool,
    /// Who reports it: group ids (every unit of the group) and unit names (see
    /// [`Config`]). `baocao forms` gives its sheet to them only; a unit they name
    /// whose workbooks have no sheet of it is "thiếu số liệu" (an error naming the
    /// sheet). Empty: every unit gets its sheet in the forms, and a workbook
    /// without it is not short of anything.
    #[serde(default)]
    pub reported_by: Vec<Spanned<String>>,
}

fn default_list_label() -> String {
    "Nội dung".into()
}
fn default_list_value() -> String {
    "Số lượng".into()
}

/// One figure of a list, found by its label.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    /// Its figure id, as the template and checks name it.
    pub id: String,
    /// Its label, as in the workbooks.
    pub label: String,
    /// Other labels the workbooks give it.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// The heading row the item sits under, when the same label appears under several.
    #[serde(default)]
    pub section: Option<String>,
    /// Whether the figure is cumulative, when not as its list says.
    #[serde(default)]
    pub cumulative: Option<bool>,
}

/// A figure summed over one group of units only.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Aggregate {
    /// Its figure id.
    pub id: String,
    /// The figure it sums.
    pub sum: Spanned<String>,
    /// The group whose units it sums.
    pub group: Spanned<String>,
}

/// A percentage computed from two consolidated figures.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Derived {
    /// Its figure id.
    pub id: String,
    /// [numerator, denominator]
    pub percent: [Spanned<String>; 2],
}

/// A rule each unit's figures must meet.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Check {
    /// Which rule.
    pub kind: CheckKind,
    /// `sum`: the figure that must equal the sum of `parts`.
    #[serde(default)]
    pub total: Option<Spanned<String>>,
    /// `sum`: the figures that add up to `total`.
    #[serde(default)]
    pub parts: Vec<Spanned<String>>,
    /// `not_greater`: `small` must not exceed `large`.
    #[serde(default)]
    pub small: Option<Spanned<String>>,
    /// `not_greater`: the figure `small` must not exceed.
    #[serde(default)]
    pub large: Option<Spanned<String>>,
}

/// The rules a `[[checks]]` entry can state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckKind {
    /// `kind = "sum"`: `total` equals the sum of `parts`.
    Sum,
    /// `kind = "not_greater"`: `small` is at most `large`.
    NotGreater,
}

impl Config {
    /// Read and validate a config file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        // A config is a few dozen KB; 10 MB leaves room and bounds a wrong path.
        let text = crate::file::read_text(path, 10 * 1024 * 1024, "tệp cấu hình").map_err(|e| {
            let mut chars = e.chars();
            ConfigError(chars.next().map(|c| c.to_uppercase().collect::<String>() + chars.as_str()).unwrap_or_default())
        })?;
        Config::parse(&text, &path.display().to_string())
    }

    /// Parse and validate config text; `name` is used in messages.
    pub fn parse(text: &str, name: &str) -> Result<Config, ConfigError> {
        let cfg: Config = toml::from_str(text).map_err(|e| {
            let what = translate_toml_error(e.message());
            match e.span().map(|s| line_of(text, s.start)) {
                Some(line) => {
                    let shown = text.lines().nth(line - 1).unwrap_or("").trim();
                    let shown = if shown.is_empty() { String::new() } else { format!("\n  {line}| {shown}") };
                    ConfigError(format!("Tệp cấu hình {name}, dòng {line}: {what}.{shown}"))
                }
                None => ConfigError(format!("Tệp cấu hình {name}: {what}.")),
            }
        })?;
        cfg.validate(text, name)?;
        Ok(cfg)
    }

    /// What a clerk calls a unit figure: "DVC thiết yếu › 11. Đăng ký thường trú ›
    /// Tiếp nhận hồ sơ trực tuyến" (the labels the report's figures carry).
    pub fn figure_label(&self, figure: &str) -> Option<String> {
        for t in &self.tables {
            for c in &t.columns {
                if t.rows.is_empty() && id::table_sum(&t.id, &c.id) == figure {
                    return Some(format!("{} › {}", t.sheet, c.header));
                }
                if let Some(r) = t.rows.iter().find(|r| id::table_row(&t.id, r.stt, &c.id) == figure) {
                    return Some(format!("{} › {}. {} › {}", t.sheet, r.stt, r.label, c.header));
                }
            }
        }
        let (l, i) = self.lists.iter().find_map(|l| l.items.iter().find(|i| i.id == figure).map(|i| (l, i)))?;
        Some(match &i.section {
            Some(section) => format!("{} › {section} › {}", l.sheet, i.label),
            None => format!("{} › {}", l.sheet, i.label),
        })
    }

    /// The `reported_by` of the table or list a unit figure `figure` belongs to
    /// (a row, a column sum, the table's total row, a list item); None for a
    /// figure of no table or list.
    pub fn reported_by_of(&self, figure: &str) -> Option<&[Spanned<String>]> {
        for t in &self.tables {
            let of_table = t.columns.iter().any(|c| {
                id::table_sum(&t.id, &c.id) == figure
                    || id::table_total(&t.id, &c.id) == figure
                    || t.rows.iter().any(|r| id::table_row(&t.id, r.stt, &c.id) == figure)
            });
            if of_table {
                return Some(&t.reported_by);
            }
        }
        self.lists.iter().find(|l| l.items.iter().any(|i| i.id == figure)).map(|l| l.reported_by.as_slice())
    }

    /// Every figure id a unit's workbook can give: each table's rows (or its
    /// column sums when it has none) column by column, then each list's items.
    pub fn unit_figure_ids(&self) -> BTreeSet<String> {
        let mut ids: BTreeSet<String> = self.tables.iter().flat_map(Table::unit_figure_ids).collect();
        ids.extend(self.lists.iter().flat_map(|l| l.items.iter().map(|i| i.id.clone())));
        ids
    }

    /// Whether `unit` reports a table or list whose `reported_by` is `by` (empty: every unit).
    pub fn reports(unit: &Unit, by: &[Spanned<String>]) -> bool {
        by.is_empty() || by.iter().any(|who| *who.get_ref() == unit.name || who.get_ref() == unit.group.get_ref())
    }

    fn validate(&self, text: &str, name: &str) -> Result<(), ConfigError> {
        let err = |span: std::ops::Range<usize>, msg: String| {
            ConfigError(format!("Tệp cấu hình {name}, dòng {}: {msg}", line_of(text, span.start)))
        };
        let plain = |msg: String| ConfigError(format!("Tệp cấu hình {name}: {msg}"));
        if self.report.is_some() {
            return Err(plain(
                "mục [report] không còn dùng: kỳ báo cáo lấy theo các bảng tính của tháng (hoặc tham số --period 2024-08). \
                 Xóa mục [report]; quy tắc kỳ của thành phố ghi trong [period], ví dụ cut_off_day = 5 \
                 (từ ngày 5 tháng trước đến ngày 5 tháng báo cáo)."
                    .into(),
            ));
        }
        if !self.period.is_valid() {
            return Err(plain(format!(
                "[period]: ngày chốt kỳ phải từ 1 đến 31 (cut_off_day = {}, start_day = {:?})",
                self.period.cut_off_day, self.period.start_day
            )));
        }
        self.document.validate_standing().map_err(|msg| plain(format!("[document] {msg}")))?;
        let Compare { jump_factor, jump_minimum } = self.compare;
        if !(jump_factor.is_finite() && jump_factor > 1.0) {
            return Err(plain(format!("[compare]: jump_factor phải là số lớn hơn 1 (đang là {jump_factor})")));
        }
        if !(jump_minimum.is_finite() && jump_minimum >= 0.0) {
            return Err(plain(format!("[compare]: jump_minimum phải là số không âm (đang là {jump_minimum})")));
        }
        let groups: BTreeSet<&str> = self.groups.iter().map(|g| g.id.as_str()).collect();
        let mut names = BTreeSet::new();
        for u in &self.units {
            if !groups.contains(u.group.get_ref().as_str()) {
                return Err(err(
                    u.group.span(),
                    format!(
                        "đơn vị \"{}\" thuộc nhóm \"{}\" chưa khai báo trong [[groups]] (có: {})",
                        u.name,
                        u.group.get_ref(),
                        join(&groups)
                    ),
                ));
            }
            if !names.insert(u.name.as_str()) {
                return Err(plain(format!("đơn vị \"{}\" được khai báo hai lần", u.name)));
            }
        }
        // A name or alias shared by two units (case, spacing and diacritics aside)
        // would make both unrecognisable: every workbook naming it names both.
        let mut owner: BTreeMap<String, &str> = BTreeMap::new();
        for u in &self.units {
            for n in u.names() {
                let key = crate::text::fold(n).split_whitespace().collect::<Vec<_>>().join(" ");
                match owner.get(&key) {
                    Some(other) if *other != u.name => {
                        return Err(plain(format!(
                            "tên \"{n}\" của đơn vị \"{}\" trùng với tên hoặc tên gọi khác của đơn vị \"{other}\"; \
                             mỗi tên chỉ được dùng cho một đơn vị (sửa aliases của một trong hai)",
                            u.name
                        )));
                    }
                    _ => {
                        owner.insert(key, &u.name);
                    }
                }
            }
        }
        let mut known = self.unit_figure_ids();
        for t in &self.tables {
            let cols: BTreeSet<&str> = t.columns.iter().map(|c| c.id.as_str()).collect();
            for pair in &t.not_greater {
                for c in pair {
                    if !cols.contains(c.as_str()) {
                        return Err(plain(format!(
                            "bảng \"{}\": not_greater nêu cột \"{c}\" không có trong columns",
                            t.id
                        )));
                    }
                }
            }
            if let Some(r) = &t.ratio {
                for c in [&r.numerator, &r.denominator] {
                    if !cols.contains(c.as_str()) {
                        return Err(plain(format!("bảng \"{}\": ratio nêu cột \"{c}\" không có trong columns", t.id)));
                    }
                }
            }
            let mut said: BTreeMap<String, &str> = BTreeMap::new();
            for c in &t.columns {
                for name in std::iter::once(&c.header).chain(&c.aliases).chain(&c.synonyms) {
                    if let Some(other) = said.insert(crate::text::fold(name), &c.id)
                        && other != c.id
                    {
                        return Err(plain(format!(
                            "bảng \"{}\": \"{name}\" là tiêu đề, tên khác hay từ đồng nghĩa của cả cột \"{other}\" và cột \"{}\"; mỗi cách gọi chỉ được dùng cho một cột",
                            t.id, c.id
                        )));
                    }
                }
            }
            let mut stts = BTreeSet::new();
            for r in &t.rows {
                if !stts.insert(r.stt) {
                    return Err(plain(format!("bảng \"{}\": STT {} xuất hiện hai lần", t.id, r.stt)));
                }
            }
            for c in &t.columns {
                if !t.rows.is_empty() {
                    known.insert(id::table_total(&t.id, &c.id));
                }
            }
        }
        let check_ref = |r: &Spanned<String>, known: &BTreeSet<String>| {
            if known.contains(r.get_ref()) {
                Ok(())
            } else {
                Err(err(
                    r.span(),
                    format!("số liệu \"{}\" chưa được định nghĩa trong [[tables]] hay [[lists]]", r.get_ref()),
                ))
            }
        };
        let required =
            self.tables.iter().flat_map(|t| &t.reported_by).chain(self.lists.iter().flat_map(|l| &l.reported_by));
        for g in required {
            let name = g.get_ref().as_str();
            if !groups.contains(name) && !self.units.iter().any(|u| u.name == name) {
                return Err(err(
                    g.span(),
                    format!(
                        "reported_by: \"{name}\" không phải mã nhóm trong [[groups]] ({}) hay tên đơn vị trong [[units]]",
                        join(&groups)
                    ),
                ));
            }
        }
        for a in &self.aggregates {
            check_ref(&a.sum, &known)?;
            if !groups.contains(a.group.get_ref().as_str()) {
                return Err(err(
                    a.group.span(),
                    format!("nhóm \"{}\" chưa khai báo trong [[groups]]", a.group.get_ref()),
                ));
            }
            known.insert(a.id.clone());
        }
        for d in &self.derived {
            for r in &d.percent {
                check_ref(r, &known)?;
            }
            known.insert(d.id.clone());
        }
        for (i, c) in self.checks.iter().enumerate() {
            let need = |f: &Option<Spanned<String>>, key: &str| {
                f.clone().ok_or_else(|| plain(format!("[[checks]] thứ {}: thiếu khóa \"{key}\"", i + 1)))
            };
            match c.kind {
                CheckKind::Sum => {
                    check_ref(&need(&c.total, "total")?, &known)?;
                    if c.parts.is_empty() {
                        return Err(plain(format!("[[checks]] thứ {}: thiếu khóa \"parts\"", i + 1)));
                    }
                    for p in &c.parts {
                        check_ref(p, &known)?;
                    }
                }
                CheckKind::NotGreater => {
                    check_ref(&need(&c.small, "small")?, &known)?;
                    check_ref(&need(&c.large, "large")?, &known)?;
                }
            }
        }
        Ok(())
    }
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

fn join(set: &BTreeSet<&str>) -> String {
    set.iter().copied().collect::<Vec<_>>().join(", ")
}

/// The toml crate and serde speak English: every message is said in Vietnamese
/// here, from its shape (the English never reaches the clerk). What the parser
/// expected or found is kept where it is a spelling (`]]`, `=`, a key name).
fn translate_toml_error(msg: &str) -> String {
    let msg = msg.trim();
    if let Some(rest) = msg.strip_prefix("unknown field") {
        let (field, expected) = rest.split_once(", expected").unwrap_or((rest, ""));
        let keys = expected.trim_start_matches(" one of").trim();
        return if keys.is_empty() {
            format!("khóa không hợp lệ {}", field.trim())
        } else {
            format!("khóa không hợp lệ {}; các khóa được dùng ở đây: {}", field.trim(), or_to_comma(keys))
        };
    }
    if let Some(rest) = msg.strip_prefix("missing field") {
        return format!("thiếu khóa bắt buộc {}", rest.trim());
    }
    if let Some(rest) = msg.strip_prefix("unknown variant") {
        let (value, expected) = rest.split_once(", expected").unwrap_or((rest, ""));
        let values = expected.trim_start_matches(" one of").trim();
        return format!("giá trị {} không được dùng; các giá trị được dùng: {}", value.trim(), or_to_comma(values));
    }
    for prefix in ["invalid type:", "invalid value:"] {
        if let Some(rest) = msg.strip_prefix(prefix) {
            let (found, expected) = rest.split_once(", expected").unwrap_or((rest, ""));
            return format!("cần {}, nhưng đang ghi {}", expected_vi(expected.trim()), found_vi(found.trim()));
        }
    }
    if let Some(rest) = msg.strip_prefix("invalid length") {
        let (n, expected) = rest.split_once(", expected").unwrap_or((rest, ""));
        let want = expected
            .trim()
            .strip_prefix("an array of length ")
            .map_or_else(|| "số phần tử khác".to_string(), |k| format!("đúng {k} phần tử"));
        return format!("danh sách có {} phần tử, cần {want}", n.trim());
    }
    if msg.starts_with("duplicate key") {
        return "khóa này đã được ghi ở trên (mỗi khóa chỉ ghi một lần trong một mục)".into();
    }
    format!("cú pháp TOML không hợp lệ: {}", syntax_vi(msg))
}

/// "`sum` or `not_greater`" -> "`sum`, `not_greater`".
fn or_to_comma(list: &str) -> String {
    list.replace(" or ", ", ")
}

/// What serde expected, in words: "i8" -> "một số nguyên".
fn expected_vi(expected: &str) -> String {
    let e = expected.trim_start_matches("a ").trim_start_matches("an ");
    match e {
        _ if e.starts_with('i') || e.starts_with('u') && e[1..].chars().all(|c| c.is_ascii_digit()) => {
            "một số nguyên (không có dấu ngoặc kép, trong giới hạn cho phép)".into()
        }
        "f64" | "f32" | "float" | "floating point" => "một số (không có dấu ngoặc kép)".into(),
        "string" | "borrowed string" => "một chuỗi trong dấu ngoặc kép, ví dụ \"Phường Bảo An\"".into(),
        "boolean" | "bool" => "true hoặc false".into(),
        "sequence" | "array" => "một danh sách trong ngoặc vuông, ví dụ [\"a\", \"b\"]".into(),
        _ if e.starts_with("sequence") || e.starts_with("array") || e.starts_with("tuple") => {
            "một danh sách trong ngoặc vuông".into()
        }
        _ if e.starts_with("struct") || e.starts_with("map") || e.starts_with("table") => {
            "một mục (bảng TOML, ví dụ [period] hay { id = \"…\" })".into()
        }
        _ => "giá trị khác".into(),
    }
}

/// What was written, in words: "string \"8\"" -> "chuỗi \"8\"".
fn found_vi(found: &str) -> String {
    let pairs = [
        ("string ", "chuỗi "),
        ("integer ", "số nguyên "),
        ("floating point ", "số thập phân "),
        ("boolean ", "giá trị đúng/sai "),
        ("sequence", "một danh sách"),
        ("map", "một bảng"),
        ("unit value", "giá trị rỗng"),
    ];
    for (en, vi) in pairs {
        if let Some(rest) = found.strip_prefix(en) {
            let rest = rest.trim();
            return if rest.is_empty() { vi.trim().to_string() } else { format!("{vi}{rest}") };
        }
    }
    "giá trị khác kiểu".into()
}

/// A syntax error of the parser, in words; the spelling it expected is kept.
fn syntax_vi(msg: &str) -> String {
    let expected = msg.split_once("expected ").map(|(_, e)| e.trim()).unwrap_or("");
    let closing =
        |what: &str, close: &str| format!("{what} chưa được đóng: thiếu {close} (tệp bị cắt cụt, hoặc quên dấu đóng)");
    if msg.starts_with("unclosed array table") || expected == "`]]`" {
        return closing("tên mục [[…]]", "`]]`");
    }
    if msg.starts_with("unclosed table") {
        return closing("tên mục […]", "`]`");
    }
    if msg.starts_with("unclosed inline table") || expected == "`}`" {
        return closing("bảng { … }", "`}`");
    }
    if msg.starts_with("unclosed array") || expected == "`]`" {
        return closing("danh sách [ … ]", "`]`");
    }
    if msg.contains("string") && (expected.contains('"') || expected.contains('\'')) {
        return closing("chuỗi", "dấu ngoặc kép `\"` ở cuối (chuỗi phải nằm trên một dòng)");
    }
    if msg.starts_with("string values must be quoted") {
        return "giá trị chữ phải đặt trong dấu ngoặc kép, ví dụ name = \"Phường Bảo An\" (số thì không cần)".into();
    }
    if expected.contains("`=`") {
        return "sau tên khóa phải có dấu `=` và giá trị, ví dụ cut_off_day = 5".into();
    }
    if msg.contains("end of input") || msg.contains("eof") {
        return "tệp kết thúc giữa chừng (tệp bị cắt cụt?)".into();
    }
    if msg.contains("key") {
        return "tên khóa không hợp lệ (chỉ dùng chữ không dấu, số, `_` và `-`; hoặc đặt trong dấu ngoặc kép)".into();
    }
    if msg.contains("newline") || expected.contains("\\n") {
        return "sau một giá trị phải xuống dòng (mỗi khóa một dòng)".into();
    }
    "dòng này không đúng cú pháp TOML (xem ví dụ trong docs/cau-hinh.md)".into()
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINI: &str = r#"
[period]
cut_off_day = 5

[[groups]]
id = "phuong_xa"
name = "phường, xã"

[[units]]
name = "Phường Bảo An"
group = "phuong_xa"

[[lists]]
sheet = "Số hóa"
items = [
  { id = "so_hoa.tong", label = "Tổng số hồ sơ" },
  { id = "so_hoa.da_so_hoa", label = "Đã số hóa" },
]
"#;

    #[test]
    fn a_valid_config_parses() {
        let c = Config::parse(MINI, "mini.toml").unwrap();
        assert_eq!(c.units[0].name, "Phường Bảo An");
        let july = crate::model::Month::new(2024, 7).unwrap();
        assert_eq!(c.period.period_of(july).text(), "(Từ ngày 05/6/2024 đến ngày 05/7/2024)");
    }

    #[test]
    fn unknown_key_names_its_line() {
        let bad = MINI.replace("cut_off_day = 5", "cut_off_day = 5\ncut_of_day = 8");
        let e = Config::parse(&bad, "c.toml").unwrap_err().0;
        assert!(e.contains("dòng 4"), "{e}");
        assert!(e.contains("cut_of_day"), "{e}");
    }

    #[test]
    fn a_check_on_an_undefined_figure_fails_with_its_line() {
        let bad =
            format!("{MINI}\n[[checks]]\nkind = \"sum\"\ntotal = \"so_hoa.tong\"\nparts = [\"so_hoa.khong_co\"]\n");
        let e = Config::parse(&bad, "c.toml").unwrap_err().0;
        assert!(e.contains("so_hoa.khong_co"), "{e}");
        let line = bad.lines().position(|l| l.contains("so_hoa.khong_co")).unwrap() + 1;
        assert!(e.contains(&format!("dòng {line}")), "{e}");
    }

    #[test]
    fn one_name_for_two_columns_is_refused() {
        let table = |second: &str| {
            format!(
                "{MINI}\n[[tables]]\nid = \"t\"\nsheet = \"T\"\ntitle = \"T\"\nlabel_header = \"Nội dung\"\ncolumns = [\n  {{ id = \"total\", header = \"Tổng số\", synonyms = [\"Tổng\"] }},\n  {{ id = \"online\", header = \"Trực tuyến\", synonyms = [\"{second}\"] }},\n]\n"
            )
        };
        let ok = Config::parse(&table("Online"), "c.toml").unwrap();
        assert_eq!(ok.tables[0].columns[1].synonyms, ["Online"]);
        let e = Config::parse(&table("TONG"), "c.toml").unwrap_err().0;
        assert!(e.contains("\"TONG\"") && e.contains("\"total\"") && e.contains("\"online\""), "{e}");
    }

    #[test]
    fn an_undeclared_group_fails() {
        let bad = MINI.replace("group = \"phuong_xa\"", "group = \"phuong\"");
        let e = Config::parse(&bad, "c.toml").unwrap_err().0;
        let line = bad.lines().position(|l| l == "group = \"phuong\"").unwrap() + 1;
        assert!(e.contains("\"phuong\"") && e.contains(&format!("dòng {line}")), "{e}");
    }

    #[test]
    fn what_names_a_month_is_refused_before_reading() {
        let old = MINI.replace("[period]\ncut_off_day = 5", "[report]\nperiod_from = \"05/6/2024\"\nmonth = 7");
        let e = Config::parse(&old, "c.toml").unwrap_err().0;
        assert!(e.contains("[report] không còn dùng") && e.contains("--period"), "{e}");
        let bad = MINI.replace("cut_off_day = 5", "cut_off_day = 32");
        let e = Config::parse(&bad, "c.toml").unwrap_err().0;
        assert!(e.contains("[period]") && e.contains("32"), "{e}");
        for (key, flag) in [("number = \"287\"", "--number"), ("date = \"12/07/2024\"", "--date")] {
            let bad = format!("{MINI}\n[document]\n{key}\n");
            let e = Config::parse(&bad, "c.toml").unwrap_err().0;
            assert!(e.contains("[document]") && e.contains(flag), "{e}");
        }
        let bad = format!("{MINI}\n[document]\nsummary = \"Kết quả trên địa bàn thành phố tháng 7 năm 2024\"\n");
        let e = Config::parse(&bad, "c.toml").unwrap_err().0;
        assert!(e.contains("tháng 7 năm 2024"), "{e}");
    }

    #[test]
    fn an_alias_that_is_another_units_name_is_refused() {
        let two = format!(
            "{MINI}\n[[units]]\nname = \"Phường Đài Sơn\"\ngroup = \"phuong_xa\"\naliases = [\"phuong bao  an\"]\n"
        );
        let e = Config::parse(&two, "c.toml").unwrap_err().0;
        assert!(e.contains("Phường Đài Sơn") && e.contains("Phường Bảo An"), "{e}");
    }

    #[test]
    fn cumulative_and_compare_keys_are_read_and_checked() {
        let c = Config::parse(MINI, "mini.toml").unwrap();
        assert!(!c.lists[0].cumulative, "not cumulative unless said");
        assert_eq!(c.compare, Compare { jump_factor: 5.0, jump_minimum: 20.0 });
        let with = MINI
            .replace("sheet = \"Số hóa\"", "sheet = \"Số hóa\"\ncumulative = true")
            .replace("label = \"Đã số hóa\" }", "label = \"Đã số hóa\", cumulative = false }")
            + "\n[compare]\njump_factor = 3\njump_minimum = 50\n";
        let c = Config::parse(&with, "c.toml").unwrap();
        assert!(c.lists[0].cumulative);
        assert_eq!(c.lists[0].items[1].cumulative, Some(false));
        assert_eq!(c.compare, Compare { jump_factor: 3.0, jump_minimum: 50.0 });
        let bad = with.replace("jump_factor = 3", "jump_factor = 1");
        let e = Config::parse(&bad, "c.toml").unwrap_err().0;
        assert!(e.contains("[compare]") && e.contains("jump_factor"), "{e}");
        let bad = with.replace("jump_minimum = 50", "jump_minimum = -1");
        let e = Config::parse(&bad, "c.toml").unwrap_err().0;
        assert!(e.contains("jump_minimum"), "{e}");
    }

    #[test]
    fn reported_by_names_groups_or_units_and_nothing_else() {
        let with =
            |who: &str| MINI.replace("sheet = \"Số hóa\"", &format!("sheet = \"Số hóa\"\nreported_by = [{who}]"));
        let c = Config::parse(&with("\"phuong_xa\""), "c.toml").unwrap();
        assert!(Config::reports(&c.units[0], &c.lists[0].reported_by));
        let c = Config::parse(&with("\"Phường Bảo An\""), "c.toml").unwrap();
        assert!(Config::reports(&c.units[0], &c.lists[0].reported_by));
        let bad = with("\"thanh_pho\", \"Phường Bảo An\"");
        let e = Config::parse(&bad, "c.toml").unwrap_err().0;
        let line = bad.lines().position(|l| l.starts_with("reported_by")).unwrap() + 1;
        assert!(e.contains("\"thanh_pho\"") && e.contains(&format!("dòng {line}")), "{e}");
        let c = Config::parse(MINI, "c.toml").unwrap();
        assert!(Config::reports(&c.units[0], &c.lists[0].reported_by), "every unit when not said");
    }

    #[test]
    fn bad_toml_is_reported() {
        let e = Config::parse("[report\n", "c.toml").unwrap_err().0;
        assert!(e.contains("dòng 1"), "{e}");
    }
}

#[cfg(test)]
mod sample_tests {
    use super::*;

    #[test]
    fn the_bundled_config_is_valid() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/phan-rang-thap-cham.toml");
        let c = Config::load(&path).unwrap();
        assert_eq!(c.units.len(), 20);
        assert_eq!(c.units.iter().filter(|u| u.group.get_ref() == "phuong_xa").count(), 16);
        assert_eq!(c.tables[0].rows.len(), 15);
        // What the sample workbooks mark "lũy kế" / "tính đến ngày" is cumulative.
        let list = |sheet: &str| c.lists.iter().find(|l| l.sheet == sheet).unwrap();
        for sheet in ["Lao động", "Cập nhật CSDLQG", "An sinh xã hội"] {
            assert!(list(sheet).cumulative, "{sheet}");
        }
        assert!(!list("Tuyên truyền").cumulative && !list("Số hóa").cumulative);
        let asm = list("Căn cước - ĐDĐT").items.iter().find(|i| i.id == "luu_tru.tai_khoan_asm").unwrap();
        assert_eq!(asm.cumulative, Some(true));
        assert!(c.tables.iter().find(|t| t.id == "hssk").unwrap().cumulative);
        assert!(!c.tables[0].cumulative, "DVC: records of the period");
    }
}
