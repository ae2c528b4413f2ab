//! The help windows and the export suggestion, laid out and tried as a user would see them:
//! the shortcut sheet shows every row at once, the quick start wraps Chinese by phrase, not
//! one character to a line, in a large window and in the smallest one.

#![allow(clippy::unwrap_used, clippy::expect_used)]

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

fn harness(language: UiLanguage, size: [f32; 2]) -> Harness<'static, OneMapApp> {
    let mut h = Harness::builder()
        .with_size(size)
        .with_max_steps(8)
        .with_context_setup(install_fonts)
        .build_ui_state(|ui, app: &mut OneMapApp| app.ui(ui), app(language));
    h.run();
    h
}

/// The large window the app opens with, and the smallest it can be made.
const SIZES: [[f32; 2]; 2] = [[1400.0, 900.0], OneMapApp::MIN_WINDOW_SIZE];

fn window_rect(h: &Harness<'_, OneMapApp>, title: &str) -> egui::Rect {
    h.get_by_role_and_label(egui::accesskit::Role::Window, title)
        .rect()
}

/// Whether `inner` is wholly inside `outer` (to half a point).
fn inside(inner: egui::Rect, outer: egui::Rect) -> bool {
    outer.expand(0.5).contains_rect(inner)
}

#[test]
fn the_shortcut_sheet_shows_every_row_without_scrolling_in_a_large_and_the_smallest_window() {
    use onemap::ui::help::{SHORTCUTS, tool_rows};
    for language in [UiLanguage::Chinese, UiLanguage::English] {
        for size in SIZES {
            let mut h = harness(language, size);
            h.key_press(egui::Key::F1);
            h.run();
            let title = language.pick("键盘快捷键", "Keyboard shortcuts");
            let window = window_rect(&h, title);
            let screen = egui::Rect::from_min_size(egui::Pos2::ZERO, size.into());
            assert!(inside(window, screen), "{language:?} {size:?}: {window:?}");
            let tool_word = language.pick("工具：", "Tool:");
            let rows: Vec<(String, String)> = SHORTCUTS
                .iter()
                .map(|(k, zh, en)| ((*k).to_owned(), language.pick(zh, en).to_owned()))
                .chain(
                    tool_rows(language)
                        .into_iter()
                        .map(|(k, name)| (k, format!("{tool_word} {name}"))),
                )
                .collect();
            for (keys, what) in rows {
                for text in [keys, what] {
                    let shown = h
                        .query_all_by_value(&text)
                        .any(|n| inside(n.rect(), window));
                    assert!(
                        shown,
                        "{language:?} {size:?}: {text:?} is not shown inside the sheet {window:?}"
                    );
                }
            }
        }
    }
}

#[test]
fn the_quick_start_wraps_chinese_by_phrase_and_keeps_every_line_inside() {
    for language in [UiLanguage::Chinese, UiLanguage::English] {
        for size in SIZES {
            let mut h = harness(language, size);
            h.state_mut()
                .run_commands(vec![AppCommand::ShowQuickStart(true)]);
            h.run();
            let window = window_rect(&h, language.pick("快速入门", "Quick start"));
            let screen = egui::Rect::from_min_size(egui::Pos2::ZERO, size.into());
            assert!(inside(window, screen), "{language:?} {size:?}: {window:?}");
            let is_step = |v: &str| {
                ["1. ", "2. ", "3. ", "4. ", "5. "]
                    .iter()
                    .any(|p| v.starts_with(p))
            };
            let steps: Vec<_> = h
                .query_all_by_role(egui::accesskit::Role::Label)
                .filter(|n| n.accesskit_node().value().is_some_and(|v| is_step(&v)))
                .collect();
            assert_eq!(steps.len(), 5, "{language:?} {size:?}: the steps are shown");
            // Each line of a wrapped label is a text run of its own.
            let lines: Vec<(String, egui::Rect)> = steps
                .iter()
                .flat_map(|step| step.children().collect::<Vec<_>>())
                .filter_map(|n| n.accesskit_node().value().map(|v| (v, n.rect())))
                .collect();
            assert!(lines.len() >= 5, "{language:?} {size:?}: {lines:?}");
            for (line, rect) in &lines {
                assert!(
                    inside(*rect, window),
                    "{language:?} {size:?}: {line:?} at {rect:?} runs out of {window:?}"
                );
                if language == UiLanguage::Chinese {
                    let chars = line.trim().chars().count();
                    assert!(
                        chars > 3,
                        "{size:?}: a line of {chars} characters, {line:?}, in {lines:#?}"
                    );
                }
            }
        }
    }
}

#[test]
fn the_toolbar_keeps_every_button_in_the_smallest_window() {
    for language in [UiLanguage::Chinese, UiLanguage::English] {
        let size = OneMapApp::MIN_WINDOW_SIZE;
        let h = harness(language, size);
        let present = language.pick("演示 (F5)", "Present (F5)");
        let comment = language.pick("评论 (C)", "Comment (C)");
        for label in [present, comment] {
            let r = h.get_by_label(label).rect();
            assert!(
                r.max.x <= size[0] && r.min.x >= 0.0,
                "{language:?}: {label} at {r:?} in a window {size:?} wide"
            );
        }
    }
}

/// The path File › Export image… suggests.
fn suggested_image_path(h: &mut Harness<'_, OneMapApp>) -> std::path::PathBuf {
    h.state_mut().run_commands(vec![AppCommand::AskExportImage]);
    match &h.state().files.dialog {
        Some(onemap::command::Dialog::ExportImage(form)) => form.path.clone().into(),
        other => panic!("the Export image dialog, not {other:?}"),
    }
}

#[test]
fn export_image_suggests_the_users_folder_for_the_built_in_project_then_the_last_one_used() {
    let program = std::path::absolute(env!("CARGO_MANIFEST_DIR")).unwrap();
    let mut h = harness(UiLanguage::English, [1400.0, 900.0]);
    let first = suggested_image_path(&mut h);
    assert!(
        !std::path::absolute(&first).unwrap().starts_with(&program),
        "{first:?} is inside the program's folder {program:?}"
    );
    assert_eq!(first.file_name().unwrap(), "sma-2022.png");
    assert!(
        first.parent().unwrap().is_dir(),
        "{first:?}: its folder exists"
    );

    // An image written elsewhere: that folder is suggested next time.
    let dir = tempfile::tempdir().unwrap();
    let written = dir.path().join("slides/view.png");
    std::fs::create_dir_all(written.parent().unwrap()).unwrap();
    if let Some(onemap::command::Dialog::ExportImage(form)) = h.state_mut().files.dialog.as_mut() {
        form.path = written.display().to_string();
    }
    h.run();
    h.get_by_label("Export").click();
    h.run();
    assert!(written.is_file());
    h.state_mut().files.dialog = None;
    assert_eq!(
        suggested_image_path(&mut h),
        written.parent().unwrap().join("sma-2022.png")
    );

    // A project of the user's own: beside it.
    let mine = dir.path().join("mine/plan.onemap");
    std::fs::create_dir_all(mine.parent().unwrap()).unwrap();
    h.state_mut().files.dialog = None;
    h.state_mut()
        .run_commands(vec![AppCommand::SaveAs(mine.clone())]);
    assert_eq!(suggested_image_path(&mut h), mine.with_extension("png"));
}
