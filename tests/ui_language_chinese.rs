//! The interface in one language, past its menus and titles: the plan checks' findings, the
//! errors of reading files, the comparison's details and the notices say what they say in
//! the interface language. Driven headless with egui_kittest, reading the texts of the
//! accessibility tree (a label's words are its value, a button's its label).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::ui_tour::visit_everything;

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
    "Markdown",
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
    "PDF",
    // Tile basemaps: file extensions, a product name, and the URL of a tile server.
    "pmtiles",
    "mbtiles",
    "OpenStreetMap",
    "URL",
    // libpq's own names (a connection's parameters, variables and files), and the time zone.
    "libpq",
    "URI",
    "PGPASSWORD",
    "pgpass",
    "service",
    "UTC",
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
                    // A wrapped label's lines: its words again.
                    | egui::accesskit::Role::TextRun
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

/// The message the app shows now: its title and its text.
fn message(h: &Harness<'_, OneMapApp>) -> (String, String) {
    match &h.state().files.dialog {
        Some(onemap::command::Dialog::Message { title, text, .. }) => (title.clone(), text.clone()),
        other => panic!("a message is shown, not {other:?}"),
    }
}

#[test]
fn in_chinese_the_common_errors_of_reading_a_file_are_said_in_chinese() {
    let dir = tempfile::tempdir().unwrap();
    let text_file = dir.path().join("notes.onemap");
    std::fs::write(&text_file, "hello world\n").unwrap();
    let newer = dir.path().join("newer.onemap");
    std::fs::write(&newer, "(version: 7, project: ())").unwrap();
    let broken_json = dir.path().join("broken.geojson");
    std::fs::write(&broken_json, "{ \"type\": ").unwrap();
    let cases = [
        (dir.path().join("missing.onemap"), "不存在"),
        (text_file, "不是 OneMap 项目文件"),
        (newer, "较新版本的 OneMap"),
        (dir.path().to_path_buf(), "是一个文件夹"),
    ];
    let mut h = harness(UiLanguage::Chinese);
    for (path, says) in cases {
        h.state_mut()
            .run_commands(vec![AppCommand::Open(path.clone())]);
        h.run();
        let (_, text) = message(&h);
        assert!(text.contains(says), "{text:?} should say {says:?}");
        let english = english_words(&text, &[path.display().to_string()]);
        assert!(english.is_empty(), "{text:?} has English words {english:?}");
        // The window shows it so.
        assert!(
            texts(&h).iter().any(|t| t.contains(says)),
            "{says} on screen"
        );
        h.state_mut().files.dialog = None;
    }
    h.state_mut().run_commands(vec![AppCommand::Import {
        path: broken_json.clone(),
        gcj02: false,
    }]);
    for _ in 0..200 {
        h.state_mut().finish_import();
        if h.state().files.dialog.is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let (title, text) = message(&h);
    assert!(
        text.contains("不是有效的 JSON") && text.contains("第 1 行"),
        "{text:?}"
    );
    h.run();
    assert!(texts(&h).contains(&"导入失败".to_owned()), "{title}");
}

#[test]
fn a_broken_project_at_start_is_reported_in_chinese_and_the_command_line_keeps_english() {
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.onemap");
    std::fs::write(&broken, "hello world\n").unwrap();
    let data = AppData::load(&DataDir::at(env!("CARGO_MANIFEST_DIR"))).unwrap();
    let mut app = OneMapApp::new(data);
    app.help.prefs.ui_language = UiLanguage::Chinese;
    app.open_at_start(&broken);
    let Some(onemap::command::Dialog::Message { text, .. }) = &app.files.dialog else {
        panic!("{:?}", app.files.dialog);
    };
    assert!(
        text.contains("不是 OneMap 项目文件") && text.contains("未命名项目"),
        "{text}"
    );
    assert_eq!(
        app.files.start_error.as_deref(),
        Some(format!("{} is not a OneMap project file", broken.display()).as_str())
    );
}

/// The notice of a sketched feature, in the form of a placement and the inspector of a plan
/// feature: one language at a time, and always there.
#[test]
fn the_indicative_notice_of_the_form_and_the_inspector_follows_the_interface_language() {
    for language in [UiLanguage::Chinese, UiLanguage::English] {
        let mut h = harness(language);
        let placement = h
            .state()
            .doc
            .project
            .placements
            .iter()
            .find(|(_, p)| p.indicative)
            .map(|(id, _)| id.0.clone())
            .expect("an indicative placement");
        let corridor = h
            .state()
            .data
            .plan
            .layer("corridors")
            .and_then(|l| l.features.first())
            .map(|f| f.id.0.clone())
            .unwrap();
        for selected in [placement, corridor] {
            h.state_mut().selected = Some(onemap::model::FeatureId(selected.clone()));
            h.run();
            let notices: Vec<String> = texts(&h)
                .into_iter()
                .filter(|t| t.contains("示意") || t.contains("ndicative"))
                .filter(|t| t.contains("官方") || t.contains("official"))
                .collect();
            assert!(!notices.is_empty(), "{language:?} {selected}: no notice");
            // The map's own notice speaks both languages on purpose (exports show it too);
            // the panels' notice speaks the interface's.
            use onemap::model::indicative::{NOTICE_EN, NOTICE_ZH};
            let panel: Vec<&String> = notices
                .iter()
                .filter(|t| !t.contains(NOTICE_ZH) && !t.contains(NOTICE_EN))
                .collect();
            assert!(!panel.is_empty(), "{language:?} {selected}: {notices:?}");
            for t in panel {
                match language {
                    UiLanguage::Chinese => {
                        let english = english_words(t, &[]);
                        assert!(english.is_empty(), "{t:?}: {english:?}");
                    }
                    UiLanguage::English => assert!(!has_cjk(t), "{t:?}"),
                }
            }
        }
    }
}

#[test]
fn the_edit_menu_names_the_step_to_undo_in_the_interface_language() {
    for (language, edit_menu, expected) in [
        (UiLanguage::Chinese, "编辑", "撤销 隐藏图层 主次走廊"),
        (
            UiLanguage::English,
            "Edit",
            "Undo hide layer Primary and secondary corridors",
        ),
    ] {
        let mut h = harness(language);
        h.state_mut().run_commands(vec![AppCommand::View(
            onemap::model::view::ViewCommand::SetLayerVisible("corridors".into(), false),
        )]);
        h.run();
        h.get_by_label(edit_menu).click();
        h.run();
        assert!(
            h.query_by_label_contains(expected).is_some(),
            "{language:?}: {expected:?} in {:?}",
            texts(&h)
        );
    }
}

#[test]
fn the_measure_readout_and_the_comments_speak_the_interface_language() {
    // English interface, Chinese map labels (the default): the readout is the interface's.
    let mut h = harness(UiLanguage::English);
    h.state_mut().run_commands(vec![
        AppCommand::SetTool(onemap::command::Tool::Measure),
        AppCommand::AddVertex(geo::Coord {
            x: 121.47,
            y: 31.23,
        }),
        AppCommand::AddVertex(geo::Coord {
            x: 120.59,
            y: 31.30,
        }),
    ]);
    h.run();
    assert!(h.query_by_label_contains("Distance 84.").is_some());
    assert!(h.query_by_label("Copy").is_some());
    assert!(
        !texts(&h).iter().any(|t| t.contains("距离")),
        "one language"
    );

    // A review comment's state, in Chinese.
    let mut h = harness(UiLanguage::Chinese);
    let project = h.state().doc.path.clone().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("plan.onemap");
    std::fs::copy(&project, &copy).unwrap();
    h.state_mut().run_commands(vec![
        AppCommand::OpenForReview(copy),
        AppCommand::StartComment(onemap::model::review::Anchor::Location(121.0, 31.0)),
        AppCommand::AddComment("请核对线位".into()),
    ]);
    h.state_mut().files.dialog = None;
    h.run();
    let shown = texts(&h);
    assert!(shown.iter().any(|t| t == "c1 · 未解决"), "{shown:?}");
}

#[test]
fn in_english_the_table_form_and_comparison_name_cities_and_placements_in_english() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(UiLanguage::English);
    h.state_mut().table_open = true;
    let airport = onemap::model::project::PlacementId("placement.nantong-new-airport".into());
    h.state_mut().selected = Some(onemap::model::FeatureId(airport.0.clone()));
    h.run();
    let shown = texts(&h);
    assert!(
        shown.iter().any(|t| t == "Nantong"),
        "the table's city: {shown:?}"
    );
    assert!(
        shown.iter().any(|t| t == "Cities: Nantong"),
        "the form's cities: {shown:?}"
    );
    assert!(!shown.iter().any(|t| t.starts_with("Zones: ") && has_cjk(t)));
    compare_with_an_edited_copy(&mut h, dir.path());
    let shown = texts(&h);
    // 环淀山湖绿道, deleted in the copy, and 沪苏湖铁路, moved.
    for name in [
        "Dianshan Lake ring greenway",
        "Shanghai–Suzhou–Huzhou railway",
    ] {
        let english = h
            .state()
            .doc
            .project
            .placements
            .values()
            .any(|p| p.name_en == name);
        assert!(english, "{name} is a placement's English name");
        assert!(shown.iter().any(|t| t == name), "{name} in {shown:?}");
    }
}

#[test]
fn in_chinese_the_inspector_names_a_features_properties_in_chinese() {
    let mut h = harness(UiLanguage::Chinese);
    h.state_mut().selected = Some(onemap::model::FeatureId("corridor.huning".into()));
    h.run();
    let shown = texts(&h);
    for (key, title) in [("kind", "类型"), ("status", "状态"), ("source", "来源")] {
        assert!(shown.iter().any(|t| t == title), "{title} in {shown:?}");
        assert!(!shown.iter().any(|t| t == key), "the key {key} as it is");
    }
    assert!(shown.iter().any(|t| t == "示意"), "its status in words");
}

/// The data's own words, which show in either interface as they are: English names, sources
/// and notes of the plan and the project, the edition's source, the attribution (an English
/// document), ids and the project's file name.
fn data_words(app: &OneMapApp) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for layer in app.data.plan.layers.values() {
        words.extend(layer.note.iter().cloned());
        for f in &layer.features {
            words.extend([
                f.id.0.clone(),
                f.name_en().to_owned(),
                f.text("source").to_owned(),
            ]);
        }
    }
    for (id, p) in &app.doc.project.placements {
        words.extend([
            id.0.clone(),
            p.name_en.clone(),
            p.source.clone(),
            p.description.clone(),
        ]);
    }
    if let Some(e) = &app.data.edition {
        words.extend([e.source.clone(), e.name_en.clone()]);
    }
    words.extend(onemap::ui::about::readable_lines(&app.data.attribution));
    words.push("sma-2022.onemap".into());
    words.retain(|w| !w.is_empty());
    // The longest first, so that a name is not cut by a shorter one inside it.
    words.sort_by_key(|w| std::cmp::Reverse(w.len()));
    words
}

#[test]
fn in_chinese_no_menu_panel_or_dialog_shows_english_words() {
    let mut h = harness(UiLanguage::Chinese);
    let mut data = data_words(h.state());
    // The tour's own names: a sketch layer, a layer id, an image file, a map book, a
    // team-store project.
    data.extend([
        "my sketch".into(),
        "corridors".into(),
        "map.png".into(),
        "book.pdf".into(),
        "sma2035".into(),
    ]);
    let mut found = Vec::new();
    visit_everything(&mut h, ["文件", "编辑", "视图", "帮助"], |h, at| {
        for t in texts(h) {
            // egui's own accessibility names for a window's buttons, never drawn as words.
            if ["Hide", "Show", "Close window"].contains(&t.as_str()) {
                continue;
            }
            let english = english_words(&t, &data);
            if !english.is_empty() {
                found.push(format!("{at}: {t:?} {english:?}"));
            }
        }
    });
    found.dedup();
    assert!(
        found.is_empty(),
        "English in the Chinese interface:\n{}",
        found.join("\n")
    );
}

/// The reason of a tile problem, on hover of the status bar's note, is said in the interface
/// language: a basemap file that does not exist is refused, and the basemap is kept.
#[test]
fn a_tile_problem_is_explained_in_the_interface_language() {
    for (lang, problem) in [
        (UiLanguage::Chinese, "瓦片问题"),
        (UiLanguage::English, "Tile problem"),
    ] {
        let mut h = harness(lang);
        let gone = std::env::temp_dir().join("onemap-no-such-dir/gone.pmtiles");
        let path = gone.display().to_string();
        h.state_mut().run_commands(vec![AppCommand::PickBasemap(
            onemap::model::tile_basemap::BasemapChoice::Local {
                path: path.clone(),
                attribution: String::new(),
                style: String::new(),
            },
        )]);
        h.run();
        h.get_by_label(problem).hover();
        h.run();
        let shown: Vec<String> = texts(&h)
            .into_iter()
            .filter(|t| t.contains("gone.pmtiles"))
            .collect();
        assert_eq!(shown.len(), 1, "{shown:?}");
        let text = &shown[0];
        match lang {
            UiLanguage::Chinese => {
                assert!(
                    text.contains("文件或文件夹不存在") && text.contains("底图未更改"),
                    "{text}"
                );
                let english = english_words(text, std::slice::from_ref(&path));
                assert!(english.is_empty(), "{english:?} in {text}");
            }
            _ => {
                assert!(text.contains("no such file") && !has_cjk(text), "{text}");
            }
        }
        assert!(h.state().doc.project.settings.basemap.is_builtin());
    }
}
