//! The interface in one language, past its menus and titles: the plan checks' findings, the
//! errors of reading files, the comparison's details and the notices say what they say in
//! the interface language. Driven headless with egui_kittest, reading the texts of the
//! accessibility tree (a label's words are its value, a button's its label).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use onemap::app::{AppCommand, AppData, OneMapApp, install_fonts};
use onemap::io::DataDir;
use onemap::model::UiLanguage;

fn app(language: UiLanguage) -> OneMapApp {
    let data =
        AppData::load(&DataDir::at(env!("CARGO_MANIFEST_DIR"))).expect("the built-in data loads");
    let default_project = data.dir.default_project();
    let mut app = OneMapApp::new(data);
    app.open_at_start(&default_project);
    app.help.prefs.ui_language = language;
    app
}

fn harness(language: UiLanguage) -> Harness<'static, OneMapApp> {
    let mut h = Harness::builder()
        .with_size([1400.0, 900.0])
        .with_max_steps(8)
        .with_context_setup(install_fonts)
        .build_ui_state(|ui, app: &mut OneMapApp| app.ui(ui), app(language));
    h.run();
    h
}

fn has_cjk(text: &str) -> bool {
    text.chars().any(|c| {
        matches!(c, '\u{3000}'..='\u{303f}' | '\u{3400}'..='\u{9fff}' | '\u{ff00}'..='\u{ffef}')
    })
}

/// Words that are the same in both interfaces: names of formats, keys and programs.
const SHARED_WORDS: &[&str] = &[
    "OneMap",
    "GeoJSON",
    "PNG",
    "SVG",
    "CSV",
    "GCJ",
    "WGS",
    "README",
    "Ctrl",
    "Shift",
    "Alt",
    "Esc",
    "Enter",
    "Space",
    "PgUp",
    "PgDn",
    "Del",
    "Backspace",
    "English",
    "JSON",
    "RON",
];

/// The English words (three letters or more) of a text, leaving out the shared ones and
/// anything in `names` (the data's own names, paths, ids).
fn english_words(text: &str, names: &[String]) -> Vec<String> {
    let mut text = text.to_owned();
    for n in names {
        text = text.replace(n.as_str(), " ");
    }
    text.split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| w.len() >= 3 && !SHARED_WORDS.contains(w))
        .map(str::to_owned)
        .collect()
}

/// Every text of the accessibility tree: a label's words, a button's label.
fn texts(h: &Harness<'_, OneMapApp>) -> Vec<String> {
    h.query_all_by(|_| true)
        .filter(|n| {
            // What the user typed (a name, a note) is theirs, in whatever language.
            // egui's own handles ("Resize panel") are not the app's words.
            !matches!(
                n.accesskit_node().role(),
                egui::accesskit::Role::TextInput
                    | egui::accesskit::Role::MultilineTextInput
                    | egui::accesskit::Role::Splitter
            )
        })
        .filter_map(|n| {
            let node = n.accesskit_node();
            node.value().or(node.label())
        })
        .collect()
}

#[test]
fn in_chinese_the_checks_panel_says_every_finding_in_chinese() {
    let mut h = harness(UiLanguage::Chinese);
    h.state_mut().checks_open = true;
    h.run();
    let findings = h.state().findings.clone();
    assert!(findings.len() >= 3, "the default project has findings");
    let shown = texts(&h);
    for f in &findings {
        let name = &h.state().doc.project.placements
            [&onemap::model::project::PlacementId(f.placement.clone())]
            .name_zh;
        let row = shown
            .iter()
            .find(|t| t.contains(name.as_str()) && t.contains(f.rule.title(UiLanguage::Chinese)))
            .unwrap_or_else(|| panic!("a row for {} in {shown:#?}", f.id));
        let english = english_words(row, &[]);
        assert!(english.is_empty(), "{row:?} has English words {english:?}");
    }
}

#[test]
fn in_english_the_checks_panel_names_placements_in_english() {
    let mut h = harness(UiLanguage::English);
    h.state_mut().checks_open = true;
    h.run();
    let findings = h.state().findings.clone();
    let shown = texts(&h);
    for f in &findings {
        let name = &h.state().doc.project.placements
            [&onemap::model::project::PlacementId(f.placement.clone())]
            .name_en;
        let row = shown
            .iter()
            .find(|t| t.contains(name.as_str()) && t.contains(f.rule.title(UiLanguage::English)))
            .unwrap_or_else(|| panic!("a row for {} in {shown:#?}", f.id));
        assert!(
            !has_cjk(row),
            "{row:?} has Chinese in the English interface"
        );
    }
}

/// The comparison with a copy that has the acceptance edits: a line moved, a placement
/// deleted, one added, one renamed, and a setting changed.
fn compare_with_an_edited_copy(h: &mut Harness<'_, OneMapApp>, dir: &std::path::Path) {
    let path = h.state().doc.path.clone().unwrap();
    let mut other = onemap::io::load_project(&path).unwrap();
    common::acceptance_edits(&mut other, 0.02);
    other.settings.tiers[4] = false;
    let other_path = dir.join("v2.onemap");
    onemap::io::save_project(&other_path, &other).unwrap();
    h.state_mut()
        .run_commands(vec![AppCommand::CompareWith(other_path)]);
    h.run();
}

#[test]
fn in_chinese_the_compare_panel_details_are_chinese() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(UiLanguage::Chinese);
    compare_with_an_edited_copy(&mut h, dir.path());
    let changes = h.state().compare.as_ref().unwrap().changes.clone();
    assert!(changes.len() >= 5, "{changes:#?}");
    // Ids of findings and placements are the data's, not words.
    let ids: Vec<String> = changes
        .iter()
        .flat_map(|c| {
            c.findings_introduced
                .iter()
                .chain(&c.findings_resolved)
                .cloned()
                .chain([c.name.clone()])
        })
        .chain([
            dir.path().join("v2.onemap").display().to_string(),
            "sma-2022.onemap".into(),
        ])
        .collect();
    let mut english = Vec::new();
    for t in texts(&h) {
        let words = english_words(&t, &ids);
        if !words.is_empty() {
            english.push(format!("{t:?}: {words:?}"));
        }
    }
    assert!(
        english.is_empty(),
        "English in Chinese:\n{}",
        english.join("\n")
    );
}

#[test]
fn the_review_report_is_written_in_the_interface_language() {
    for language in [UiLanguage::Chinese, UiLanguage::English] {
        let dir = tempfile::tempdir().unwrap();
        let mut h = harness(language);
        compare_with_an_edited_copy(&mut h, dir.path());
        let report = dir.path().join("report.md");
        h.state_mut()
            .run_commands(vec![AppCommand::WriteReport(report.clone())]);
        let md = std::fs::read_to_string(&report).unwrap();
        let changes = h.state().compare.as_ref().unwrap().changes.clone();
        // The data's ids and names, the file names and the Markdown's own marks are not words.
        let mut names: Vec<String> = changes
            .iter()
            .flat_map(|c| {
                let (_, id) = onemap::model::diff::subject_parts(&c.subject);
                c.findings_introduced
                    .iter()
                    .chain(&c.findings_resolved)
                    .cloned()
                    .chain([c.name.clone(), id.to_owned()])
            })
            .collect();
        names.extend([
            "sma-2022.onemap".into(),
            "v2.onemap".into(),
            "report.png".into(),
        ]);
        match language {
            UiLanguage::Chinese => {
                let english = english_words(&md, &names);
                assert!(english.is_empty(), "English words {english:?} in\n{md}");
                assert!(md.contains("# 审阅报告"), "{md}");
            }
            UiLanguage::English => {
                assert!(md.contains("# Review report"), "{md}");
                assert!(md.contains("| added | removed |"), "{md}");
            }
        }
    }
}
