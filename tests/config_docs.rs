//! docs/cau-hinh.md and the config `baocao init` writes stay true to the config
//! schema: every key serde accepts, in every table, is named in both, and the
//! reference's example is a valid config.

mod common;

use baocao::config::Config;
use common::{CONFIG, root};
use std::collections::BTreeSet;

/// Every key the config schema accepts, by section, as serde itself lists them:
/// an unknown key is put in each table of the sample config, and the error names
/// the keys that are used there.
fn schema_keys() -> Vec<(&'static str, BTreeSet<String>)> {
    let sample = std::fs::read_to_string(root().join(CONFIG)).unwrap();
    let places: [(&str, &str, &str); 15] = [
        ("tệp", "[period]\n", "zzz_khong_co = 1\n[period]\n"),
        ("[period]", "[period]\n", "[period]\nzzz_khong_co = 1\n"),
        ("[document]", "[document]\n", "[document]\nzzz_khong_co = 1\n"),
        ("[[groups]]", "[[groups]]\n", "[[groups]]\nzzz_khong_co = 1\n"),
        ("[[units]]", "[[units]]\n", "[[units]]\nzzz_khong_co = 1\n"),
        ("[[tables]]", "[[tables]]\n", "[[tables]]\nzzz_khong_co = 1\n"),
        ("columns", "\"Số hồ sơ\"] }", "\"Số hồ sơ\"], zzz_khong_co = 1 }"),
        ("ratio", "denominator = \"total\" }", "denominator = \"total\", zzz_khong_co = 1 }"),
        ("[[tables.rows]]", "[[tables.rows]]\n", "[[tables.rows]]\nzzz_khong_co = 1\n"),
        ("[[lists]]", "[[lists]]\n", "[[lists]]\nzzz_khong_co = 1\n"),
        (
            "items",
            "label = \"Số hồ sơ, kết quả đã số hóa\" }",
            "label = \"Số hồ sơ, kết quả đã số hóa\", zzz_khong_co = 1 }",
        ),
        ("[[aggregates]]", "[[aggregates]]\n", "[[aggregates]]\nzzz_khong_co = 1\n"),
        ("[[derived]]", "[[derived]]\n", "[[derived]]\nzzz_khong_co = 1\n"),
        ("[[checks]]", "[[checks]]\n", "[[checks]]\nzzz_khong_co = 1\n"),
        ("[compare]", "[compare]\n", "[compare]\nzzz_khong_co = 1\n"),
    ];
    places
        .iter()
        .map(|(section, find, put)| {
            assert!(sample.contains(find), "{find}");
            let bad = sample.replacen(find, put, 1);
            let e = Config::parse(&bad, "c.toml").unwrap_err().to_string();
            let list = e.split_once("các khóa được dùng ở đây: ").unwrap_or_else(|| panic!("{section}: {e}")).1;
            let list = list.lines().next().unwrap().trim_end_matches('.');
            let keys: BTreeSet<String> = list.split(", ").map(|k| k.trim_matches('`').to_string()).collect();
            assert!(keys.len() >= 2, "{section}: {keys:?}");
            (*section, keys)
        })
        .collect()
}

/// Whether `text` names `key` in code: `key`, `key = …`, `[key]`, `[[key]]`.
fn names_in_code(text: &str, key: &str) -> bool {
    let word = regex::Regex::new(&format!(r"`[^`\n]*\b{key}\b[^`\n]*`")).unwrap();
    word.is_match(text)
}

#[test]
fn the_reference_names_every_key_of_the_schema() {
    let doc = std::fs::read_to_string(root().join("docs/cau-hinh.md")).unwrap();
    let keys = schema_keys();
    let all: BTreeSet<&String> = keys.iter().flat_map(|(_, k)| k).collect();
    assert!(all.len() >= 55, "{} keys: {all:?}", all.len());
    for (section, keys) in &keys {
        for key in keys {
            assert!(names_in_code(&doc, key), "docs/cau-hinh.md does not name `{key}` of {section}");
        }
    }
}

#[test]
fn the_reference_s_example_is_a_valid_config() {
    let doc = std::fs::read_to_string(root().join("docs/cau-hinh.md")).unwrap();
    let example = doc.split("```toml\n").nth(1).unwrap().split("```").next().unwrap();
    let cfg = Config::parse(example, "docs/cau-hinh.md").unwrap();
    assert_eq!(cfg.units.len(), 3);
    assert_eq!(cfg.groups[1].level.as_deref(), Some("huyện"));
}

#[test]
fn the_init_config_explains_every_key() {
    let init = std::fs::read_to_string(root().join("templates/baocao.toml")).unwrap();
    Config::parse(&init, "baocao.toml").unwrap();
    let comments: String = init.lines().filter(|l| l.trim_start().starts_with('#')).collect::<Vec<_>>().join("\n");
    for (section, keys) in schema_keys() {
        for key in keys.iter().filter(|k| *k != "report") {
            // Named in a comment (explained), whether or not the config also sets it.
            let word = regex::Regex::new(&format!(r"\b{key}\b")).unwrap();
            assert!(word.is_match(&comments), "the init config does not explain `{key}` of {section}");
        }
    }
}
