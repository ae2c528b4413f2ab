//! Review mode never changes the reviewed project, so it offers no Import: the menu item is
//! greyed out, and an import asked for anyway (a dropped file, a command) is refused with a
//! message, where it used to run, report success, and add nothing.

// An integration test is a crate of its own, which clippy's allow-unwrap-in-tests (clippy.toml)
// does not cover outside #[test] functions: its helpers unwrap too, a panic being a failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::root;

use std::path::PathBuf;

use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use onemap::app::{AppCommand, AppData, OneMapApp, install_fonts};
use onemap::command::{Dialog, PathPurpose};
use onemap::io::DataDir;

fn project_copy(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "onemap-review-import-{name}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("plan.onemap");
    std::fs::copy(root().join("assets/projects/sma-2022.onemap"), &file).unwrap();
    file
}

fn reviewing(name: &str) -> OneMapApp {
    let file = project_copy(name);
    let mut app = OneMapApp::new(AppData::load(&DataDir::at(root())).unwrap());
    app.open_for_review_at_start(&file);
    assert!(app.review_mode);
    app.files.dialog = None;
    app
}

fn wait_for_import(app: &mut OneMapApp) {
    for _ in 0..500 {
        app.finish_import();
        if app.files.import.is_none() {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    panic!("the import did not finish");
}

fn refused(app: &OneMapApp) -> bool {
    matches!(&app.files.dialog, Some(Dialog::Message { title, text, .. })
        // The text is in the interface language (Chinese unless chosen otherwise).
        if title == "Review mode" && (text.contains("imported") || text.contains("不能导入")))
}

#[test]
fn an_import_in_review_mode_is_refused_with_a_message() {
    let mut app = reviewing("command");
    let before = app.doc.project.clone();
    app.run_commands(vec![AppCommand::Import {
        path: root().join("tests/fixtures/all_geometries.geojson"),
        gcj02: false,
    }]);
    wait_for_import(&mut app);
    assert!(refused(&app), "{:?}", app.files.dialog);
    assert_eq!(app.doc.project, before, "nothing was added");
    assert!(app.doc.sketches.is_empty());
}

#[test]
fn the_import_dialog_is_not_opened_in_review_mode() {
    let mut app = reviewing("ask");
    app.run_commands(vec![AppCommand::AskPath(PathPurpose::Import)]);
    assert!(refused(&app), "{:?}", app.files.dialog);
}

#[test]
fn the_import_menu_item_is_greyed_out_in_review_mode() {
    let mut h = Harness::builder()
        .with_size([1400.0, 900.0])
        .with_max_steps(8)
        .with_context_setup(install_fonts)
        .build_ui_state(|ui, app: &mut OneMapApp| app.ui(ui), reviewing("menu"));
    h.run();
    h.get_by_label("文件").click();
    h.run();
    let import = h.get_by(|n| n.label().is_some_and(|l| l.starts_with("导入数据")));
    assert!(
        import.accesskit_node().is_disabled(),
        "Import is greyed out"
    );
}
