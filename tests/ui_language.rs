//! One interface language at a time: in English every menu, panel and dialog speaks English, in
//! Chinese every dialog title is Chinese. Driven headless with egui_kittest, reading the labels
//! of the accessibility tree.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::ui_tour::{all_dialogs, click, visit_everything};

use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use onemap::app::{AppData, OneMapApp, install_fonts};
use onemap::command::{Dialog, PathPurpose};
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

/// The names of the languages, which each switch shows in its own language on purpose.
const LANGUAGE_NAMES: [&str; 2] = ["中文", "中文 + English"];

/// Every label of the accessibility tree.
fn labels(h: &Harness<'_, OneMapApp>) -> Vec<String> {
    h.query_all_by(|_| true)
        .filter(|n| {
            // A wrapped label's lines repeat its words; what the user typed is theirs.
            !matches!(
                n.accesskit_node().role(),
                egui::accesskit::Role::TextRun
                    | egui::accesskit::Role::TextInput
                    | egui::accesskit::Role::MultilineTextInput
            )
        })
        // A label's words are its value, a button's its label.
        .filter_map(|n| n.accesskit_node().value().or(n.accesskit_node().label()))
        .collect()
}

/// Labels of the interface that carry Chinese, leaving out the plan's own names: a name that
/// the data gives only in Chinese is shown as it is.
fn chinese_labels(h: &Harness<'_, OneMapApp>, plan_names: &[String]) -> Vec<String> {
    labels(h)
        .into_iter()
        .filter(|l| has_cjk(l) && !LANGUAGE_NAMES.contains(&l.as_str()))
        .filter(|l| !plan_names.iter().any(|n| l.contains(n.as_str())))
        .collect()
}

/// Names in the project and the plan that have no English, which may show in English mode.
fn names_without_english(app: &OneMapApp) -> Vec<String> {
    let mut names: Vec<String> = app
        .doc
        .project
        .placements
        .values()
        .filter(|p| p.name_en.trim().is_empty())
        .map(|p| p.name_zh.clone())
        .collect();
    names.extend(app.doc.project.scenes.iter().map(|s| s.name.clone()));
    // The data sources' attribution is one document, in English, that quotes sources by their
    // own (Chinese) names: 天地图, 审图号.
    names.extend(onemap::ui::about::readable_lines(&app.data.attribution));
    names.retain(|n| !n.is_empty());
    names
}

#[test]
fn in_english_no_menu_panel_or_dialog_shows_chinese() {
    let mut h = harness(UiLanguage::English);
    let plan_names = names_without_english(h.state());
    let mut found = Vec::new();
    visit_everything(&mut h, ["File", "Edit", "View", "Help"], |h, at| {
        for label in chinese_labels(h, &plan_names) {
            found.push(format!("{at}: {label}"));
        }
    });
    found.dedup();
    assert!(
        found.is_empty(),
        "Chinese in the English interface:\n{}",
        found.join("\n")
    );
}

#[test]
fn in_chinese_every_dialog_title_is_chinese() {
    let mut h = harness(UiLanguage::Chinese);
    let mut english = Vec::new();
    let mut windows = 0;
    visit_everything(&mut h, ["文件", "编辑", "视图", "帮助"], |h, at| {
        for window in h.query_all_by_role(egui::accesskit::Role::Window) {
            windows += 1;
            let title = window.accesskit_node().label().unwrap_or_default();
            if !has_cjk(&title) {
                english.push(format!("{at}: {title:?}"));
            }
        }
    });
    assert!(
        windows >= all_dialogs().len(),
        "only {windows} windows were seen"
    );
    assert!(
        english.is_empty(),
        "English dialog titles:\n{}",
        english.join("\n")
    );
}

#[test]
fn the_interface_language_is_switched_from_the_view_menu_and_labels_keep_theirs() {
    let mut h = harness(UiLanguage::Chinese);
    let labels_before = h.state().doc.project.settings.language;
    click(&mut h, "视图");
    // The interface's switch comes first; the map labels' has an "English" too.
    let english = h.query_all_by_role_and_label(egui::accesskit::Role::RadioButton, "English");
    english
        .into_iter()
        .next()
        .expect("an English switch")
        .click();
    h.run();
    assert_eq!(h.state().help.prefs.ui_language, UiLanguage::English);
    assert!(
        h.query_by_label("File").is_some(),
        "the menus speak English"
    );
    assert_eq!(
        h.state().doc.project.settings.language,
        labels_before,
        "the map's label language is its own setting"
    );
}

#[test]
fn the_import_path_dialog_keeps_browse_inside_its_edge() {
    for (language, browse) in [
        (UiLanguage::English, "Browse…"),
        (UiLanguage::Chinese, "浏览…"),
    ] {
        let mut h = harness(language);
        h.state_mut().files.desktop = true;
        h.state_mut().files.dialog = Some(Dialog::PathPrompt {
            purpose: PathPurpose::Import,
            text: String::new(),
            focus: false,
        });
        h.run();
        let window = h.get_by_role(egui::accesskit::Role::Window).rect();
        let inside = |r: egui::Rect| r.min.x >= window.min.x - 0.5 && r.max.x <= window.max.x + 0.5;
        let button = h.get_by_label(browse).rect();
        assert!(
            inside(button),
            "{language:?}: {browse} at {button:?}, window {window:?}"
        );
    }
}

/// The labels of the search's list of hits.
fn search_hits(h: &mut Harness<'_, OneMapApp>, label: &str, query: &str) -> Vec<String> {
    h.get_by_label(label).click();
    h.run();
    h.get_by_label(label).type_text(query);
    h.run();
    labels(h)
        .into_iter()
        .filter(|l| l.contains(" — "))
        .collect()
}

#[test]
fn search_lists_a_city_once_in_words_and_shows_its_territory() {
    let mut h = harness(UiLanguage::Chinese);
    let hits = search_hits(&mut h, "搜索", "苏州");
    let suzhou: Vec<_> = hits.iter().filter(|l| l.starts_with("苏州 —")).collect();
    assert_eq!(suzhou, ["苏州 — 城市"], "{hits:?}");
    for raw in ["cities", "urban_tiers", "city_boundaries", "basemap"] {
        assert!(!hits.iter().any(|l| l.contains(raw)), "{raw} in {hits:?}");
    }
    h.get_by_label("苏州 — 城市").click();
    h.run();
    assert_eq!(
        h.state().selected,
        Some(onemap::model::FeatureId("city.suzhou".into()))
    );
    // The whole territory is in view, not the town around the seat.
    let territory = h
        .state()
        .data
        .plan
        .layer("city_boundaries")
        .and_then(|l| l.features.iter().find(|f| f.id.0 == "city.suzhou"))
        .map(|f| geo::BoundingRect::bounding_rect(&f.geometry).unwrap())
        .unwrap();
    let t = h.state().last_transform.unwrap();
    let (a, b) = (
        t.to_screen(onemap::map::scene::merc(territory.min())),
        t.to_screen(onemap::map::scene::merc(territory.max())),
    );
    let window = egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(1400.0, 900.0));
    assert!(window.contains(a) && window.contains(b), "{a:?} {b:?}");
    assert!(
        (b.x - a.x).abs() > 200.0,
        "the territory fills the map: {a:?} {b:?}"
    );
}

#[test]
fn search_finds_a_lake_named_on_the_basemap_and_speaks_english_in_english() {
    let mut h = harness(UiLanguage::Chinese);
    let hits = search_hits(&mut h, "搜索", "淀山湖");
    assert!(hits.iter().any(|l| l == "淀山湖 — 水体"), "{hits:?}");
    let mut h = harness(UiLanguage::English);
    let hits = search_hits(&mut h, "Search", "Suzhou");
    assert!(hits.iter().any(|l| l == "Suzhou — City"), "{hits:?}");
}

#[test]
fn the_checks_panel_reaches_its_last_finding_with_a_scrollbar() {
    use onemap::model::checks::{Finding, Rule};
    use onemap::model::finding_text::{FindingText, Names, Says};
    let mut h = harness(UiLanguage::English);
    let findings: Vec<Finding> = (0..40)
        .map(|i| {
            let text = FindingText {
                subject: Names::new("", &format!("finding number {i:02}")),
                says: Says::WhollyOutside {
                    waters_sketched: false,
                },
            };
            Finding {
                id: format!("outside_plan_area:p{i}"),
                rule: Rule::OutsidePlanArea,
                placement: format!("p{i}"),
                message: text.message(),
                text,
                bbox: [120.0, 30.0, 121.0, 31.0],
                overlap_km2: None,
            }
        })
        .collect();
    // The findings of this revision stand until the project changes.
    h.state_mut().findings = findings;
    h.state_mut().checks_open = true;
    h.run();
    let status_bar = h.get_by_label("Checks").rect();
    let visible = |h: &Harness<'_, OneMapApp>| {
        (0..40)
            .filter(|i| {
                let label = format!("finding number {i:02}");
                h.query_by_label_contains(&label).is_some_and(|n| {
                    let r = n.rect();
                    r.min.y >= 0.0 && r.max.y <= status_bar.min.y + 1.0 && r.height() > 0.0
                })
            })
            .count()
    };
    let shown = visible(&h);
    assert!(shown >= 8, "the panel shows {shown} findings at first");
    let last = h.get_by_label_contains("finding number 39");
    last.scroll_to_me();
    h.run();
    let last = h.get_by_label_contains("finding number 39").rect();
    assert!(
        last.max.y <= status_bar.min.y + 1.0,
        "the last finding {last:?} is scrolled into the panel, above the status bar {status_bar:?}"
    );
    h.get_by_label_contains("finding number 39").click();
    h.run();
    assert_eq!(
        h.state().selected,
        Some(onemap::model::FeatureId("p39".into()))
    );
}

#[test]
fn export_image_writes_what_onemap_export_writes_for_the_same_scene() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(UiLanguage::Chinese);
    let scene = h.state().doc.project.scenes[1].name.clone();
    click(&mut h, "文件");
    h.get_by_label_contains("导出图片").click();
    h.run();
    let ours = dir.path().join("from-the-app.png");
    match h.state_mut().files.dialog.as_mut() {
        Some(Dialog::ExportImage(form)) => {
            form.scene = Some(scene.clone());
            form.width = 800;
            form.height = 450;
            form.path = ours.display().to_string();
        }
        other => panic!("the Export image dialog is open, not {other:?}"),
    }
    h.run();
    click(&mut h, "导出");
    assert!(
        matches!(
            &h.state().files.dialog,
            Some(Dialog::Message { error: false, .. })
        ),
        "{:?}",
        h.state().files.dialog
    );
    let cli = dir.path().join("from-the-cli.png");
    let project = h.state().doc.path.clone().unwrap();
    // The command line's own code, run in this process: the shared build folder's `onemap`
    // binary may be another branch's.
    use clap::Parser as _;
    let args = onemap::cli::Cli::try_parse_from([
        "onemap",
        "export",
        project.to_str().unwrap(),
        "--scene",
        &scene,
        "--width",
        "800",
        "--height",
        "450",
        "--out",
        cli.to_str().unwrap(),
        "--data",
        env!("CARGO_MANIFEST_DIR"),
    ])
    .unwrap();
    let code = onemap::cli::run_command(args.command.as_ref().unwrap(), args.data.as_deref());
    assert_eq!(code, std::process::ExitCode::SUCCESS);
    let (a, b) = (std::fs::read(&ours).unwrap(), std::fs::read(&cli).unwrap());
    assert_eq!(a.len(), b.len(), "the same size");
    assert!(a == b, "byte for byte the same PNG");
}

/// File › Export map book (PDF)…, in either language: the dialog speaks it, and the book has
/// the cover and a page per scene (counted by the page objects, without poppler).
#[test]
fn the_map_book_menu_item_writes_a_cover_and_every_scene() {
    for (lang, file, item, title, export) in [
        (
            UiLanguage::Chinese,
            "文件",
            "导出地图册（PDF）…",
            "导出地图册",
            "导出",
        ),
        (
            UiLanguage::English,
            "File",
            "Export map book (PDF)…",
            "Export map book",
            "Export",
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let mut h = harness(lang);
        click(&mut h, file);
        h.get_by_label_contains(item).click();
        h.run();
        assert!(
            h.query_all_by_role(egui::accesskit::Role::Window).any(|w| w
                .accesskit_node()
                .label()
                .unwrap_or_default()
                == title),
            "the {title} window"
        );
        let scenes = h.state().doc.project.scenes.len();
        let path = dir.path().join("book");
        match h.state_mut().files.dialog.as_mut() {
            Some(Dialog::ExportBook(form)) => {
                assert_eq!(form.scenes, scenes);
                form.path = path.display().to_string();
                // Slides: the quickest pages to write.
                form.paper = None;
            }
            other => panic!("the Export map book dialog is open, not {other:?}"),
        }
        h.run();
        click(&mut h, export);
        assert!(
            matches!(
                &h.state().files.dialog,
                Some(Dialog::Message { error: false, .. })
            ),
            "{:?}",
            h.state().files.dialog
        );
        let pdf = std::fs::read(path.with_extension("pdf")).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        let count = format!("/Type/Pages/Count {}", scenes + 1);
        assert!(
            pdf.windows(count.len()).any(|w| w == count.as_bytes()),
            "{count}"
        );
    }
}

#[test]
fn export_image_writes_the_current_view_as_svg() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(UiLanguage::English);
    h.state_mut()
        .run_commands(vec![onemap::app::AppCommand::AskExportImage]);
    let path = dir.path().join("view");
    match h.state_mut().files.dialog.as_mut() {
        Some(Dialog::ExportImage(form)) => {
            form.svg = true;
            form.width = 640;
            form.height = 360;
            form.path = path.display().to_string();
        }
        other => panic!("the Export image dialog is open, not {other:?}"),
    }
    h.run();
    click(&mut h, "Export");
    let svg = std::fs::read_to_string(path.with_extension("svg")).unwrap();
    assert!(
        svg.contains("<svg") && svg.contains("640"),
        "{}",
        &svg[..200.min(svg.len())]
    );
}

#[test]
fn f1_opens_the_shortcut_sheet_with_the_keys_the_app_answers_to() {
    let mut h = harness(UiLanguage::English);
    assert!(h.query_by_label("Keyboard shortcuts").is_none());
    h.key_press(egui::Key::F1);
    h.run();
    h.get_by_role_and_label(egui::accesskit::Role::Window, "Keyboard shortcuts");
    for keys in ["Ctrl+S", "Ctrl+Shift+S", "F5", "V", "L", "G"] {
        assert!(h.query_by_label(keys).is_some(), "{keys} is listed");
    }
    h.key_press(egui::Key::F1);
    h.run();
    assert!(!h.state().help.show_shortcuts, "F1 again closes it");
}

#[test]
fn the_quick_start_shows_on_a_first_run_until_dismissed_for_good() {
    let dir = tempfile::tempdir().unwrap();
    let prefs = dir.path().join("config/preferences.ron");
    let mut h = harness(UiLanguage::English);
    h.state_mut().help.use_preferences_file(Some(prefs.clone()));
    h.run();
    h.get_by_role_and_label(egui::accesskit::Role::Window, "快速入门");
    click(&mut h, "不再显示");
    assert!(!h.state().help.show_quick_start);
    let saved = std::fs::read_to_string(&prefs).unwrap();
    assert!(saved.contains("quick_start_dismissed: true"), "{saved}");
    // The next start reads it and does not greet again.
    let mut next = harness(UiLanguage::English);
    next.state_mut().help.use_preferences_file(Some(prefs));
    next.run();
    assert!(!next.state().help.show_quick_start);
    assert!(next.query_by_label("Quick start").is_none());
}

#[test]
fn help_says_where_the_readme_is_on_this_machine() {
    let mut h = harness(UiLanguage::English);
    click(&mut h, "Help");
    h.get_by_label_contains("User guide (README)").click();
    h.run();
    let readme = h.state().data.dir.root.join("README.md");
    assert!(readme.is_file());
    h.get_by_label(&readme.display().to_string());
}

#[test]
fn the_legend_collapses_and_moves_to_any_corner_and_a_scene_keeps_it() {
    use onemap::model::view::Corner;
    let mut h = harness(UiLanguage::English);
    let at_first = h.get_by_label("Collapse the legend").rect();
    click(&mut h, "Collapse the legend");
    assert!(h.state().doc.project.settings.legend.collapsed);
    h.get_by_label("Expand the legend");
    click(&mut h, "Legend to the top right");
    let legend = h.state().doc.project.settings.legend;
    assert_eq!(legend.corner, Corner::TopRight);
    let now = h.get_by_label("Expand the legend").rect();
    assert!(
        now.center().y < at_first.center().y - 300.0 && now.center().x > 900.0,
        "the buttons moved with the legend to the top right: {at_first:?} → {now:?}"
    );
    // A scene made now keeps the legend as it is.
    h.state_mut()
        .run_commands(vec![onemap::app::AppCommand::AddScene]);
    let scene = h.state().doc.project.scenes.last().unwrap().clone();
    assert_eq!(scene.settings.unwrap().legend, legend);
    // Undo takes the moves back, one at a time.
    h.state_mut()
        .run_commands(vec![onemap::app::AppCommand::Undo]);
    h.state_mut()
        .run_commands(vec![onemap::app::AppCommand::Undo]);
    h.run();
    assert_eq!(
        h.state().doc.project.settings.legend.corner,
        Corner::BottomLeft
    );
}
