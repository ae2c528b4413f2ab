//! A planner's day with project files, through the app's own command path (headless): import,
//! save, crash and recover, Save As elsewhere, move the folder, and the headless commands.

// An integration test is a crate of its own, which clippy's allow-unwrap-in-tests (clippy.toml)
// does not cover outside #[test] functions: its helpers unwrap too, a panic being a failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::{onemap, root};

use std::path::{Path, PathBuf};

use onemap::app::{AppCommand, AppData, OneMapApp};
use onemap::command::Dialog;
use onemap::doc::SketchState;
use onemap::io::{DataDir, load_project};
use onemap::model::project::SketchSource;

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("onemap-workflow-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn app(journals: Option<PathBuf>) -> OneMapApp {
    let mut app = OneMapApp::new(AppData::load(&DataDir::at(root())).unwrap());
    app.files.use_journal_dir(journals);
    // The messages checked here are the English interface's.
    app.help.prefs.ui_language = onemap::model::UiLanguage::English;
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

/// Opens the project, imports its `data/sketch.geojson` and saves it.
fn open_import_and_save(dir: &Path, file: &Path) -> OneMapApp {
    let mut a = app(None);
    a.open_at_start(file);
    a.run_commands(vec![AppCommand::Import {
        path: dir.join("data/sketch.geojson"),
        gcj02: false,
    }]);
    wait_for_import(&mut a);
    a.run_commands(vec![AppCommand::Save]);
    a
}

/// A project folder with the default project and a GeoJSON beside it in `data/`.
fn project_folder(name: &str) -> (PathBuf, PathBuf) {
    let dir = scratch(name);
    std::fs::create_dir_all(dir.join("data")).unwrap();
    std::fs::copy(
        root().join("assets/projects/sma-2022.onemap"),
        dir.join("plan.onemap"),
    )
    .unwrap();
    std::fs::copy(
        root().join("tests/fixtures/all_geometries.geojson"),
        dir.join("data/sketch.geojson"),
    )
    .unwrap();
    (dir.clone(), dir.join("plan.onemap"))
}

#[test]
fn work_is_recovered_after_a_crash() {
    let journals = scratch("journals");
    let (dir, file) = project_folder("crash");
    let mut a = app(Some(journals.clone()));
    a.open_at_start(&file);
    a.run_commands(vec![AppCommand::Import {
        path: dir.join("data/sketch.geojson"),
        gcj02: false,
    }]);
    wait_for_import(&mut a);
    assert!(a.doc.is_dirty());
    assert_eq!(a.doc.project.sketch_layers.len(), 1);
    let unsaved = a.doc.project.clone();
    // The process dies here: nothing is saved, the journal stays.
    drop(a);
    assert_eq!(
        load_project(&file).unwrap().sketch_layers.len(),
        0,
        "the file on disk was not touched"
    );

    let mut b = app(Some(journals.clone()));
    b.open_at_start(&file);
    let Some(Dialog::Recovery(journal)) = b.files.dialog.clone() else {
        panic!("the next start offers the unsaved work");
    };
    assert_eq!(journal.original.as_deref(), Some(file.as_path()));
    b.run_commands(vec![AppCommand::Restore(journal)]);
    assert_eq!(b.doc.project, unsaved);
    assert_eq!(b.doc.path.as_deref(), Some(file.as_path()));
    assert!(b.doc.is_dirty(), "restored work still needs saving");
    b.run_commands(vec![AppCommand::Save]);
    assert!(!b.doc.is_dirty());
    assert_eq!(load_project(&file).unwrap().sketch_layers.len(), 1);
    assert_eq!(
        std::fs::read_dir(&journals).unwrap().count(),
        0,
        "saving removes the journal"
    );
}

#[test]
fn save_as_into_another_folder_rewrites_references_and_moving_the_folder_keeps_them() {
    let (dir, file) = project_folder("saveas");
    let mut a = open_import_and_save(&dir, &file);
    let stored = load_project(&file).unwrap().sketch_layers["sketch"]
        .source
        .clone();
    assert_eq!(
        stored,
        SketchSource::Referenced("data/sketch.geojson".into())
    );

    let elsewhere = dir.join("review/v2/plan.onemap");
    std::fs::create_dir_all(elsewhere.parent().unwrap()).unwrap();
    a.run_commands(vec![AppCommand::SaveAs(elsewhere.clone())]);
    let moved = load_project(&elsewhere).unwrap().sketch_layers["sketch"]
        .source
        .clone();
    assert_eq!(
        moved,
        SketchSource::Referenced("../../data/sketch.geojson".into())
    );

    // Move the whole original folder: references are relative, so they are found.
    let new_home = scratch("moved").join("plans");
    std::fs::rename(&dir, &new_home).unwrap();
    let mut b = app(None);
    b.open_at_start(&new_home.join("plan.onemap"));
    assert!(matches!(b.doc.sketches.get("sketch"), Some(SketchState::Loaded(f)) if f.len() == 8));
}

#[test]
fn a_missing_reference_is_reported_kept_and_can_be_located() {
    let (dir, file) = project_folder("missing");
    open_import_and_save(&dir, &file);
    std::fs::rename(
        dir.join("data/sketch.geojson"),
        dir.join("elsewhere.geojson"),
    )
    .unwrap();

    let mut b = app(None);
    b.open_at_start(&file);
    assert!(matches!(
        b.doc.sketches.get("sketch"),
        Some(SketchState::Missing(_))
    ));
    assert!(
        matches!(&b.files.dialog, Some(Dialog::Message { error: true, text, .. }) if text.contains("sketch layer sketch"))
    );
    assert!(!b.doc.is_dirty());
    b.doc.project.meta.author = "someone".into();
    b.run_commands(vec![AppCommand::Save]);
    assert_eq!(
        load_project(&file).unwrap().sketch_layers["sketch"].source,
        SketchSource::Referenced("data/sketch.geojson".into())
    );

    b.run_commands(vec![AppCommand::Locate {
        name: "sketch".into(),
        path: dir.join("elsewhere.geojson"),
    }]);
    assert!(matches!(
        b.doc.sketches.get("sketch"),
        Some(SketchState::Loaded(_))
    ));
    assert_eq!(
        b.doc.project.sketch_layers["sketch"].source,
        SketchSource::Referenced("elsewhere.geojson".into())
    );
}

#[test]
fn a_failed_open_leaves_the_current_project_as_it_was() {
    let dir = scratch("failed-open");
    let broken = dir.join("broken.onemap");
    std::fs::write(&broken, "(version: 1, project: (").unwrap();
    let mut a = app(None);
    a.open_at_start(&root().join("assets/projects/sma-2022.onemap"));
    let before = a.doc.project.clone();
    a.run_commands(vec![AppCommand::Open(broken.clone())]);
    assert_eq!(a.doc.project, before);
    assert!(
        matches!(&a.files.dialog, Some(Dialog::Message { error: true, text, .. }) if text.contains("broken.onemap is not a valid OneMap project"))
    );
    assert_eq!(
        std::fs::read_to_string(&broken).unwrap(),
        "(version: 1, project: ("
    );
}

#[test]
fn validate_exits_0_for_fine_1_for_problems_and_2_for_unreadable_files() {
    let default = root().join("assets/projects/sma-2022.onemap");
    let (code, out, _) = onemap(&["validate", default.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.ends_with("OK, 15 placements, 0 sketch layers\n"),
        "{out}"
    );

    let dir = scratch("validate");
    let odd = dir.join("odd.onemap");
    let text = std::fs::read_to_string(&default).unwrap().replacen(
        "action: \"transport\"",
        "action: \"teleport\"",
        1,
    );
    std::fs::write(&odd, text).unwrap();
    let (code, out, _) = onemap(&["validate", odd.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(
        out.contains("action `teleport` is not one of the edition's system actions"),
        "{out}"
    );

    let (code, out, _) = onemap(&[
        "validate",
        root()
            .join("tests/fixtures/all_geometries.geojson")
            .to_str()
            .unwrap(),
    ]);
    assert_eq!(code, 1);
    assert!(out.contains("feature 7 has no geometry"), "{out}");

    let broken = dir.join("broken.onemap");
    std::fs::write(&broken, "(version: 1, proj").unwrap();
    let (code, _, err) = onemap(&["validate", broken.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(
        err.contains("broken.onemap is not a valid OneMap project at line 1"),
        "{err}"
    );
    let (code, _, err) = onemap(&["validate", dir.join("absent.onemap").to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("absent.onemap"), "{err}");
}

#[test]
fn export_geojson_writes_the_placements_or_exits_2() {
    let dir = scratch("export");
    let out = dir.join("out.geojson");
    let default = root().join("assets/projects/sma-2022.onemap");
    let (code, stdout, _) = onemap(&[
        "export-geojson",
        default.to_str().unwrap(),
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0);
    assert_eq!(
        stdout.trim(),
        format!("wrote 15 features to {}", out.display())
    );
    let value: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(value["features"].as_array().unwrap().len(), 15);
    let (code, _, _) = onemap(&[
        "export-geojson",
        dir.join("absent.onemap").to_str().unwrap(),
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
}

#[test]
fn new_and_open_ask_before_unsaved_work_is_dropped() {
    use onemap::command::AfterConfirm;
    use onemap::model::view::ViewCommand;
    let mut a = app(None);
    a.open_at_start(&root().join("assets/projects/sma-2022.onemap"));
    a.run_commands(vec![AppCommand::View(ViewCommand::SetLayerVisible(
        "corridors".into(),
        false,
    ))]);
    assert!(a.doc.is_dirty(), "layer settings are part of the project");
    a.run_commands(vec![AppCommand::New]);
    assert!(matches!(
        a.files.dialog,
        Some(Dialog::ConfirmUnsaved(AfterConfirm::New))
    ));
    assert_eq!(a.doc.project.placements.len(), 15, "nothing happened yet");
    a.files.dialog = None;
    a.run_commands(vec![AppCommand::Open(
        root().join("tests/fixtures/project_v1.onemap"),
    )]);
    assert!(matches!(
        a.files.dialog,
        Some(Dialog::ConfirmUnsaved(AfterConfirm::Open(_)))
    ));
    a.run_commands(vec![AppCommand::DiscardThen(AfterConfirm::Open(
        root().join("tests/fixtures/project_v1.onemap"),
    ))]);
    assert_eq!(
        a.doc.project.sketch_layers.len(),
        2,
        "the other project is open"
    );
    assert!(!a.doc.is_dirty());
}

#[test]
fn layer_order_and_style_overrides_change_the_map_are_saved_and_undone() {
    use onemap::edit::Edit;
    use onemap::model::style::{Paint, Rgba};
    let mut a = app(None);
    a.open_at_start(&root().join("assets/projects/sma-2022.onemap"));
    a.restyle();
    let order_of =
        |a: &OneMapApp, layer: &str| a.scene.items.iter().position(|i| i.layer == layer).unwrap();
    assert!(order_of(&a, "corridors") > order_of(&a, "ecological"));
    a.run_commands(vec![
        AppCommand::Edit(Box::new(Edit::SetLayerOrder {
            layer: "corridors".into(),
            order: Some(5),
        })),
        AppCommand::Edit(Box::new(Edit::SetStyleOverride {
            layer: "corridors".into(),
            paint: Some(Paint {
                stroke: Some(Rgba(0, 114, 178, 95)),
                ..Paint::default()
            }),
        })),
    ]);
    a.restyle();
    assert!(
        order_of(&a, "corridors") < order_of(&a, "ecological"),
        "corridors now draw under the ecology"
    );
    let corridor = a
        .scene
        .items
        .iter()
        .find(|i| i.layer == "corridors")
        .unwrap();
    assert_eq!(
        corridor.paint.stroke,
        Some(Rgba(0, 114, 178, 95)),
        "the override wins over the primary/secondary variants"
    );

    let dir = scratch("overrides");
    let file = dir.join("p.onemap");
    a.run_commands(vec![AppCommand::SaveAs(file.clone())]);
    let saved = load_project(&file).unwrap();
    assert_eq!(saved.layer_order["corridors"], 5);
    assert_eq!(
        saved.style_overrides["corridors"].stroke,
        Some(Rgba(0, 114, 178, 95))
    );

    a.run_commands(vec![AppCommand::Undo, AppCommand::Undo]);
    a.restyle();
    assert!(order_of(&a, "corridors") > order_of(&a, "ecological"));
    assert_eq!(a.data.style, a.data.base_style);
}
