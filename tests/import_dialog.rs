//! File › Import data…, as a planner uses it (egui_kittest, the whole app): the file is read
//! off the UI thread, the dialog shows what was detected (format, CRS declared or guessed,
//! where the data lies), OK names the CRS it uses, and the layer lands in the project with the
//! choices the user confirmed, as one undo step. Cancel and bad files leave the project as it
//! was.

// An integration test is a crate of its own, which clippy's allow-unwrap-in-tests (clippy.toml)
// does not cover outside #[test] functions: its helpers unwrap too, a panic being a failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::root;

use std::path::{Path, PathBuf};

use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use onemap::app::{AppCommand, AppData, OneMapApp, install_fonts};
use onemap::command::Dialog;
use onemap::command::import::ImportForm;
use onemap::doc::SketchState;
use onemap::io::DataDir;
use onemap::model::UiLanguage;
use onemap::model::project::{DataChoices, SketchSource};

fn fixture(name: &str) -> PathBuf {
    root().join("tests/data/formats/geojson").join(name)
}

/// The app on a new, untitled project (so imported layers are embedded), in `language`.
fn harness(language: UiLanguage, size: [f32; 2]) -> Harness<'static, OneMapApp> {
    let mut app = OneMapApp::new(AppData::load(&DataDir::at(root())).unwrap());
    app.help.prefs.ui_language = language;
    let mut h = Harness::builder()
        .with_size(size)
        .with_max_steps(8)
        .with_context_setup(install_fonts)
        .build_ui_state(|ui, app: &mut OneMapApp| app.ui(ui), app);
    h.run();
    h
}

/// Frames until `done`, while a worker reads the file.
fn wait_until(h: &mut Harness<'_, OneMapApp>, done: impl Fn(&OneMapApp) -> bool) {
    for _ in 0..500 {
        h.run();
        if done(h.state()) {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    panic!("timed out; the dialog is {:?}", h.state().files.dialog);
}

fn import_form(app: &OneMapApp) -> Option<&ImportForm> {
    match &app.files.dialog {
        Some(Dialog::ImportData(form)) => Some(form),
        _ => None,
    }
}

/// File › Import data…, the path typed, OK; then waits for the import dialog.
fn open_import_dialog(h: &mut Harness<'_, OneMapApp>, file: &Path, words: [&str; 4]) {
    let [file_menu, item, path, ok] = words;
    h.get_by_label(file_menu).click();
    h.run();
    h.get_by(|n| n.label().is_some_and(|l| l.starts_with(item)))
        .click();
    h.run();
    h.get_by_label(path).type_text(&file.display().to_string());
    h.run();
    h.get_by_label(ok).click();
    wait_until(h, |app| import_form(app).is_some());
    // A new window takes a few frames to size itself to its contents: until then a button
    // near its bottom may still lie outside it, where a click does not reach it.
    for _ in 0..3 {
        h.run();
    }
}

/// The words of every widget (a label's text is its value).
fn labels(h: &Harness<'_, OneMapApp>) -> Vec<String> {
    h.query_all_by(|_| true)
        .filter_map(|n| {
            let node = n.accesskit_node();
            node.label().or_else(|| node.value())
        })
        .collect()
}

fn shows(h: &Harness<'_, OneMapApp>, text: &str) -> bool {
    labels(h).iter().any(|l| l.contains(text))
}

const ENGLISH: [&str; 4] = ["File", "Import data…", "Path", "OK"];

#[test]
fn an_undeclared_gauss_krueger_file_is_guessed_confirmed_and_lands_in_the_plan_region() {
    let mut h = harness(UiLanguage::English, [1400.0, 900.0]);
    let before = h.state().doc.project.clone();
    open_import_dialog(&mut h, &fixture("cities_gk_undeclared.geojson"), ENGLISH);
    assert!(shows(&h, "Format: GeoJSON"), "{:?}", labels(&h));
    assert!(shows(&h, "(EPSG:4528) — guessed"), "{:?}", labels(&h));
    assert!(
        shows(&h, "Accuracy: within 1 mm of PROJ"),
        "{:?}",
        labels(&h)
    );
    assert!(shows(&h, "Extent (WGS84): "), "{:?}", labels(&h));
    assert!(!shows(&h, "outside the plan region"), "{:?}", labels(&h));
    assert!(shows(&h, "上海"), "the preview shows the first rows");
    // OK says which CRS it will use.
    h.get_by_label("Import with EPSG:4528").click();
    wait_until(&mut h, |app| !app.doc.project.sketch_layers.is_empty());
    let app = h.state();
    let layer = &app.doc.project.sketch_layers["cities_gk_undeclared"];
    assert_eq!(
        layer.choices,
        DataChoices {
            crs: Some("EPSG:4528".into()),
            ..DataChoices::default()
        }
    );
    assert!(
        matches!(layer.source, SketchSource::Embedded(_)),
        "an untitled project has no folder to refer from"
    );
    let Some(SketchState::Loaded(features)) = app.doc.sketches.get("cities_gk_undeclared") else {
        panic!("the layer is loaded");
    };
    assert_eq!(features.len(), 9);
    let region = onemap::model::Region::SHANGHAI_METROPOLITAN_AREA;
    for f in features {
        let geo::Geometry::Point(p) = &f.geometry else {
            panic!("cities are points")
        };
        assert!(region.contains(p.0), "{p:?} is in the plan region");
    }
    assert!(app.doc.is_dirty());
    assert_eq!(
        app.doc.history.undo_label(),
        Some("import cities_gk_undeclared")
    );
    h.state_mut().run_commands(vec![AppCommand::Undo]);
    assert_eq!(h.state().doc.project, before, "one undo step takes it back");
}

#[test]
fn a_declared_crs_is_shown_as_declared_and_stored_as_no_choice() {
    let mut h = harness(UiLanguage::English, [1400.0, 900.0]);
    open_import_dialog(&mut h, &fixture("cities_4528.geojson"), ENGLISH);
    assert!(
        shows(&h, "(EPSG:4528) — declared by the file"),
        "{:?}",
        labels(&h)
    );
    h.get_by_label("Import with EPSG:4528").click();
    wait_until(&mut h, |app| !app.doc.project.sketch_layers.is_empty());
    let layer = &h.state().doc.project.sketch_layers["cities_4528"];
    assert_eq!(layer.choices, DataChoices::default());
}

#[test]
fn a_project_with_a_folder_refers_to_the_file_by_relative_path() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("data")).unwrap();
    let data = dir.path().join("data/cities.geojson");
    std::fs::copy(fixture("cities_gk_undeclared.geojson"), &data).unwrap();
    let project = dir.path().join("plan.onemap");
    std::fs::copy(root().join("assets/projects/sma-2022.onemap"), &project).unwrap();
    let mut h = harness(UiLanguage::English, [1400.0, 900.0]);
    h.state_mut().open_at_start(&project);
    h.state_mut().files.dialog = None;
    h.run();
    open_import_dialog(&mut h, &data, ENGLISH);
    h.get_by_label("Import with EPSG:4528").click();
    wait_until(&mut h, |app| {
        app.doc.project.sketch_layers.contains_key("cities")
    });
    let app = h.state();
    let layer = &app.doc.project.sketch_layers["cities"];
    assert_eq!(
        layer.source,
        SketchSource::Referenced("data/cities.geojson".into())
    );
    assert_eq!(layer.choices.crs.as_deref(), Some("EPSG:4528"));
    assert!(matches!(
        app.doc.sketches.get("cities"),
        Some(SketchState::Loaded(f)) if f.len() == 9
    ));
}

#[test]
fn another_crs_is_picked_or_typed_and_checked_as_typed() {
    let mut h = harness(UiLanguage::English, [1400.0, 900.0]);
    open_import_dialog(&mut h, &fixture("cities_gk_undeclared.geojson"), ENGLISH);
    // The last entry of the list: type one.
    if let Some(Dialog::ImportData(form)) = h.state_mut().files.dialog.as_mut() {
        form.tables[0].crs.pick = None;
        form.tables[0].crs.typed = "EPSG:12345678".into();
    }
    h.run();
    assert!(
        shows(&h, "not a coordinate system OneMap supports"),
        "{:?}",
        labels(&h)
    );
    // OK names no CRS when there is none, and waits for one.
    let ok = h.get_by_role_and_label(egui::accesskit::Role::Button, "Import");
    assert!(ok.accesskit_node().is_disabled(), "nothing to import with");
    if let Some(Dialog::ImportData(form)) = h.state_mut().files.dialog.as_mut() {
        // Zone 40 without the zone number in front: the eastings are 40 000 km off.
        form.tables[0].crs.typed = "EPSG:4549".into();
    }
    h.run();
    assert!(shows(&h, "not on the earth"), "{:?}", labels(&h));
    let ok = h.get_by_label_contains("Import with");
    assert!(ok.accesskit_node().is_disabled(), "nowhere to put them");
    if let Some(Dialog::ImportData(form)) = h.state_mut().files.dialog.as_mut() {
        // The next zone east: 3° too far west.
        form.tables[0].crs.typed = "EPSG:4529".into();
    }
    h.run();
    assert!(
        shows(&h, "Entirely outside the plan region"),
        "a wrong CRS is shown for what it is: {:?}",
        labels(&h)
    );
    if let Some(Dialog::ImportData(form)) = h.state_mut().files.dialog.as_mut() {
        form.tables[0].crs.typed = "+proj=tmerc +lat_0=0 +lon_0=120 +k=1 +x_0=40500000 +y_0=0 +ellps=GRS80 +units=m +no_defs".into();
    }
    h.run();
    assert!(!shows(&h, "outside the plan region"), "{:?}", labels(&h));
    h.get_by_label("Import with PROJ").click();
    wait_until(&mut h, |app| !app.doc.project.sketch_layers.is_empty());
    let layer = &h.state().doc.project.sketch_layers["cities_gk_undeclared"];
    assert!(
        layer
            .choices
            .crs
            .as_deref()
            .unwrap()
            .starts_with("+proj=tmerc"),
        "{:?}",
        layer.choices
    );
}

#[test]
fn cancel_leaves_the_project_as_it_was() {
    let mut h = harness(UiLanguage::English, [1400.0, 900.0]);
    let before = h.state().doc.project.clone();
    open_import_dialog(&mut h, &fixture("cities_gk_undeclared.geojson"), ENGLISH);
    h.get_by_label("Cancel").click();
    h.run();
    assert!(h.state().files.dialog.is_none());
    // Cancel while the layer is being read: what the worker finds is not used.
    let request = {
        let mut form = onemap::app::import::detect(
            &fixture("cities_gk_undeclared.geojson"),
            &Default::default(),
            &Default::default(),
        )
        .unwrap();
        form.tables[0].crs.seen = true;
        form.request(UiLanguage::English).unwrap()
    };
    h.state_mut().run_commands(vec![
        AppCommand::ImportData(request),
        AppCommand::CancelImport,
    ]);
    std::thread::sleep(std::time::Duration::from_millis(300));
    h.run();
    h.state_mut().finish_import();
    assert_eq!(h.state().doc.project, before);
    assert!(!h.state().doc.is_dirty());
    assert!(h.state().files.dialog.is_none(), "no message for a cancel");
}

#[test]
fn a_broken_file_gets_an_error_that_names_it_and_adds_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken-cities.geojson");
    std::fs::write(
        &broken,
        "{\"type\": \"FeatureCollection\", \"features\": [ {",
    )
    .unwrap();
    let unknown = dir.path().join("cities.xyz");
    std::fs::write(&unknown, "x").unwrap();
    let mut h = harness(UiLanguage::English, [1400.0, 900.0]);
    let before = h.state().doc.project.clone();
    for file in [&broken, &unknown, &dir.path().join("missing.gpkg")] {
        h.state_mut()
            .run_commands(vec![AppCommand::DetectData(file.clone())]);
        wait_until(&mut h, |app| app.files.data_job.is_none());
        let Some(Dialog::Message { text, error, .. }) = &h.state().files.dialog else {
            panic!("{file:?}: {:?}", h.state().files.dialog);
        };
        assert!(*error);
        assert!(text.contains(&file.display().to_string()), "{text}");
        h.state_mut().files.dialog = None;
    }
    assert_eq!(h.state().doc.project, before);
}

#[test]
fn undo_removes_every_layer_of_one_import_in_one_step() {
    let mut h = harness(UiLanguage::English, [1400.0, 900.0]);
    let before = h.state().doc.project.clone();
    let mut form = onemap::app::import::detect(
        &fixture("cities_gk_undeclared.geojson"),
        &Default::default(),
        &Default::default(),
    )
    .unwrap();
    form.tables[0].crs.seen = true;
    let mut request = form.request(UiLanguage::English).unwrap();
    // Two layers of one import (as a GeoPackage's tables would be): one step.
    let mut second = request.layers[0].clone();
    second.choices.crs = Some("EPSG:4513".into());
    request.layers.push(second);
    h.state_mut()
        .run_commands(vec![AppCommand::ImportData(request)]);
    wait_until(&mut h, |app| app.doc.project.sketch_layers.len() == 2);
    let ids: Vec<&String> = h.state().doc.project.sketch_layers.keys().collect();
    assert_eq!(ids, ["cities_gk_undeclared", "cities_gk_undeclared-2"]);
    h.state_mut().run_commands(vec![AppCommand::Undo]);
    assert_eq!(h.state().doc.project, before);
    assert!(h.state().doc.sketches.is_empty());
}

#[test]
fn a_new_read_keeps_the_users_crs_pick() {
    let mut h = harness(UiLanguage::English, [1400.0, 900.0]);
    h.state_mut()
        .run_commands(vec![AppCommand::DetectData(fixture(
            "cities_gk_undeclared.geojson",
        ))]);
    wait_until(&mut h, |app| import_form(app).is_some());
    let picked = {
        let Some(Dialog::ImportData(form)) = h.state_mut().files.dialog.as_mut() else {
            unreachable!()
        };
        form.tables[0].crs.pick = Some(1);
        form.tables[0].crs.options[1].crs.clone()
    };
    h.state_mut()
        .run_commands(vec![AppCommand::RereadData(Default::default())]);
    assert!(import_form(h.state()).unwrap().rereading);
    wait_until(&mut h, |app| import_form(app).is_some_and(|f| !f.rereading));
    let form = import_form(h.state()).unwrap();
    let (crs, _) = form.tables[0].crs.chosen().unwrap();
    assert_eq!(crs, picked);
}

#[test]
fn in_chinese_the_dialog_speaks_chinese_and_ok_names_the_crs() {
    let mut h = harness(UiLanguage::Chinese, [1400.0, 900.0]);
    open_import_dialog(
        &mut h,
        &fixture("cities_gk_undeclared.geojson"),
        ["文件", "导入数据…", "路径", "确定"],
    );
    h.get_by_role_and_label(egui::accesskit::Role::Window, "导入数据");
    assert!(shows(&h, "格式：GeoJSON"));
    assert!(shows(&h, "(EPSG:4528) — 推测"), "{:?}", labels(&h));
    assert!(
        shows(&h, "精度：与 PROJ 相差不超过 1 毫米"),
        "{:?}",
        labels(&h)
    );
    h.get_by_label("按 EPSG:4528 导入");
}

#[test]
fn nothing_is_cut_off_in_a_large_or_a_small_window() {
    for size in [[1400.0, 900.0], [800.0, 560.0]] {
        let mut h = harness(UiLanguage::English, size);
        // Through the path dialog, whose title is the same: the import dialog has its own place.
        open_import_dialog(&mut h, &fixture("cities_gk_undeclared.geojson"), ENGLISH);
        let screen = egui::Rect::from_min_size(egui::Pos2::ZERO, size.into());
        let window = h
            .get_by_role_and_label(egui::accesskit::Role::Window, "Import data")
            .rect();
        assert!(screen.contains_rect(window), "{size:?}: window {window:?}");
        assert!(
            window.min.y < screen.center().y - 100.0,
            "{size:?}: it opens high enough to grow downwards: {window:?}"
        );
        for button in ["Import with EPSG:4528", "Cancel"] {
            let r = h.get_by_label(button).rect();
            assert!(
                window.contains_rect(r),
                "{size:?}: {button} at {r:?}, window {window:?}"
            );
        }
    }
}

#[test]
fn ok_and_cancel_answer_a_real_pointer() {
    let mut h = harness(UiLanguage::English, [1400.0, 900.0]);
    open_import_dialog(&mut h, &fixture("cities_gk_undeclared.geojson"), ENGLISH);
    let cancel = h.get_by_label("Cancel").rect().center();
    common::pointer::click_with(&mut h, cancel, egui::PointerButton::Primary);
    assert!(h.state().files.dialog.is_none(), "Cancel closes the dialog");
    open_import_dialog(&mut h, &fixture("cities_4528.geojson"), ENGLISH);
    let ok = h.get_by_label("Import with EPSG:4528").rect().center();
    common::pointer::click_with(&mut h, ok, egui::PointerButton::Primary);
    wait_until(&mut h, |app| !app.doc.project.sketch_layers.is_empty());
}

/// The Shapefile fixtures (GBK without `.cpg`, UTF-8 with it) come with the Shapefile reader
/// (branch `shapefile`). Until both are in this tree, the test says so and returns; in CI their
/// absence is a failure.
fn shapefile_fixture(name: &str) -> Option<PathBuf> {
    let path = root().join("tests/data/formats/shapefile").join(name);
    if path.is_file() {
        return Some(path);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "{} is missing in CI: the Shapefile fixtures must be in the tree",
        path.display()
    );
    eprintln!("skipped: {} is not in this tree yet", path.display());
    None
}

#[test]
fn a_gbk_shapefile_without_cpg_shows_its_chinese_and_another_encoding_reads_it_again() {
    let Some(gbk) = shapefile_fixture("cities_gbk.shp") else {
        return;
    };
    let mut h = harness(UiLanguage::English, [1400.0, 900.0]);
    open_import_dialog(&mut h, &gbk, ENGLISH);
    let form = import_form(h.state()).unwrap();
    assert_eq!(form.format, "Shapefile");
    let encoding = form.encoding.clone().unwrap();
    assert_eq!(
        (encoding.name.as_str(), encoding.source),
        ("GBK", onemap::command::import::Source::Guessed)
    );
    assert!(shows(&h, "名称") && shows(&h, "苏州市"), "{:?}", labels(&h));
    // Another encoding: the file is read again and the preview shows what it makes of it.
    h.get_by_label("Text encoding:").click();
    h.run();
    h.get_by_label("windows-1252").click();
    wait_until(&mut h, |app| {
        import_form(app).is_some_and(|f| !f.rereading && f.encoding.as_ref().unwrap().name != "GBK")
    });
    assert!(!shows(&h, "苏州市"), "windows-1252 does not read GBK");
    assert!(shows(&h, "(chosen)"), "{:?}", labels(&h));
    h.get_by_label("Text encoding:").click();
    h.run();
    h.get_by_label("GBK").click();
    wait_until(&mut h, |app| {
        import_form(app).is_some_and(|f| !f.rereading && f.encoding.as_ref().unwrap().name == "GBK")
    });
    assert!(shows(&h, "苏州市"));
    h.get_by_label("Import with EPSG:4326").click();
    wait_until(&mut h, |app| !app.doc.project.sketch_layers.is_empty());
    let app = h.state();
    let layer = &app.doc.project.sketch_layers["cities_gbk"];
    assert_eq!(
        layer.choices,
        DataChoices {
            encoding: Some("GBK".into()),
            ..DataChoices::default()
        },
        "the .prj declares the CRS; the encoding was not declared"
    );
    let Some(SketchState::Loaded(features)) = app.doc.sketches.get("cities_gbk") else {
        panic!("the layer is loaded");
    };
    let names: Vec<&str> = features
        .iter()
        .filter_map(|f| f.properties.get("名称")?.as_str())
        .collect();
    assert_eq!(names, ["苏州市", "无锡市", "嘉兴市"]);
}

#[test]
fn a_declared_encoding_is_stored_as_no_choice() {
    let Some(utf8) = shapefile_fixture("cities_utf8.shp") else {
        return;
    };
    let mut h = harness(UiLanguage::English, [1400.0, 900.0]);
    open_import_dialog(&mut h, &utf8, ENGLISH);
    assert!(shows(&h, "(declared by the file)"), "{:?}", labels(&h));
    h.get_by_label("Import with EPSG:4326").click();
    wait_until(&mut h, |app| !app.doc.project.sketch_layers.is_empty());
    let layer = &h.state().doc.project.sketch_layers["cities_utf8"];
    assert_eq!(layer.choices, DataChoices::default());
}

fn csv_fixture(name: &str) -> PathBuf {
    root().join("tests/data/formats/csv").join(name)
}

/// Clicks the combo box labelled `combo`, then the entry `entry` of its list.
fn pick(h: &mut Harness<'_, OneMapApp>, combo: &str, entry: &str) {
    h.get_by_label(combo).click();
    h.run();
    h.get_by_label(entry).click();
    h.run();
}

#[test]
fn a_csv_lists_every_column_in_both_combo_boxes_and_shows_the_detected_pair() {
    let mut h = harness(UiLanguage::English, [1400.0, 900.0]);
    open_import_dialog(&mut h, &csv_fixture("nine_cities_utf8.csv"), ENGLISH);
    assert!(
        shows(&h, "Coordinate columns detected: X 经度, Y 纬度"),
        "{:?}",
        labels(&h)
    );
    // The coordinate columns are no attribute fields, yet both lists hold them.
    let columns = ["名称", "经度", "纬度", "人口（万人）", "备注"];
    let count = |h: &Harness<'_, OneMapApp>, column: &str| h.query_all_by_label(column).count();
    let closed: Vec<usize> = columns.iter().map(|c| count(&h, c)).collect();
    assert_eq!(closed[1..3], [0, 0], "not among the fields");
    for combo in ["X column:", "Y column:"] {
        h.get_by_label(combo).click();
        h.run();
        for (column, before) in columns.iter().zip(&closed) {
            assert_eq!(
                count(&h, column),
                before + 1,
                "{combo} lists {column}: {:?}",
                labels(&h)
            );
        }
        h.get_by_label(combo).click();
        h.run();
    }
    h.get_by_label("Import with EPSG:4326").click();
    wait_until(&mut h, |app| !app.doc.project.sketch_layers.is_empty());
    let layer = &h.state().doc.project.sketch_layers["nine_cities_utf8"];
    assert_eq!(
        layer.choices.csv_columns, None,
        "as detected: no choice stored"
    );
}

#[test]
fn a_csv_without_coordinate_columns_says_so_naming_it_and_the_user_picks_two() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("stations.csv");
    std::fs::write(
        &path,
        "站名,坐标E,坐标N,备注\n人民广场,121.4737,31.2304,换乘\n苏州站,120.6105,31.3291,\n",
    )
    .unwrap();
    let mut h = harness(UiLanguage::English, [1400.0, 900.0]);
    open_import_dialog(&mut h, &path, ENGLISH);
    let refusal = format!("{} has no coordinate columns", path.display());
    assert!(shows(&h, &refusal), "{:?}", labels(&h));
    assert!(shows(&h, "Pick the X and Y columns"), "{:?}", labels(&h));
    let ok = h.get_by_role_and_label(egui::accesskit::Role::Button, "Import");
    assert!(ok.accesskit_node().is_disabled(), "nothing to import yet");
    pick(&mut h, "X column:", "坐标E");
    pick(&mut h, "Y column:", "坐标N");
    wait_until(&mut h, |app| {
        import_form(app).is_some_and(|f| !f.rereading && !f.tables.is_empty())
    });
    assert!(!shows(&h, &refusal), "{:?}", labels(&h));
    assert!(shows(&h, "人民广场"), "the preview shows the rows");
    h.get_by_label("Import with EPSG:4326").click();
    wait_until(&mut h, |app| !app.doc.project.sketch_layers.is_empty());
    let app = h.state();
    let layer = &app.doc.project.sketch_layers["stations"];
    assert_eq!(
        layer.choices.csv_columns,
        Some(("坐标E".into(), "坐标N".into()))
    );
    let Some(SketchState::Loaded(features)) = app.doc.sketches.get("stations") else {
        panic!("the layer is loaded");
    };
    assert_eq!(features.len(), 2);
}

#[test]
fn in_chinese_file_errors_and_the_csv_refusal_are_chinese() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(UiLanguage::Chinese, [1400.0, 900.0]);
    let missing = dir.path().join("missing.gpkg");
    h.state_mut()
        .run_commands(vec![AppCommand::DetectData(missing.clone())]);
    wait_until(&mut h, |app| app.files.data_job.is_none());
    let Some(Dialog::Message { text, .. }) = &h.state().files.dialog else {
        panic!("{:?}", h.state().files.dialog);
    };
    assert!(
        text.contains("无法读取") && text.contains("missing.gpkg"),
        "{text}"
    );
    assert!(!text.contains("could not"), "one language: {text}");
    h.state_mut().files.dialog = None;
    let csv = dir.path().join("no_coordinates.csv");
    std::fs::copy(csv_fixture("no_coordinates.csv"), &csv).unwrap();
    h.state_mut()
        .run_commands(vec![AppCommand::DetectData(csv.clone())]);
    wait_until(&mut h, |app| import_form(app).is_some());
    assert!(shows(&h, "中没有可识别的坐标列"), "{:?}", labels(&h));
    assert!(!shows(&h, "coordinate columns"), "{:?}", labels(&h));
    // A read again that fails (the file is gone) says why in Chinese.
    std::fs::remove_file(&csv).unwrap();
    h.get_by_label("文本编码：").click();
    h.run();
    h.get_by_label("GBK").click();
    wait_until(&mut h, |app| {
        import_form(app).is_some_and(|f| f.reread_error.is_some())
    });
    assert!(shows(&h, "重新读取失败：无法读取"), "{:?}", labels(&h));
    assert!(!shows(&h, "could not read"), "{:?}", labels(&h));
}

/// Rewrites `path` with other values of the same length, and its old modification time.
fn rewrite_in_place(path: &Path, from: &str, to: &str) {
    let modified = std::fs::metadata(path).unwrap().modified().unwrap();
    let text = std::fs::read_to_string(path).unwrap().replace(from, to);
    std::fs::write(path, text).unwrap();
    let file = std::fs::File::options().write(true).open(path).unwrap();
    file.set_modified(modified).unwrap();
}

#[test]
fn the_import_takes_what_the_dialog_read_and_reads_a_changed_file_again() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("plan.onemap");
    std::fs::copy(root().join("assets/projects/sma-2022.onemap"), &project).unwrap();
    let names = |h: &Harness<'_, OneMapApp>, id: &str| -> Vec<String> {
        let Some(SketchState::Loaded(features)) = h.state().doc.sketches.get(id) else {
            panic!("{id} is loaded");
        };
        features
            .iter()
            .filter_map(|f| Some(f.properties.get("名称")?.as_str()?.to_owned()))
            .collect()
    };
    let mut h = harness(UiLanguage::English, [1400.0, 900.0]);
    h.state_mut().open_at_start(&project);
    h.state_mut().files.dialog = None;
    h.run();
    // Same size, same time: a file that is the one read, so neither the import nor the
    // loading of the layer reads it again (what the dialog read shows through).
    let same = dir.path().join("same.csv");
    std::fs::copy(csv_fixture("nine_cities_utf8.csv"), &same).unwrap();
    open_import_dialog(&mut h, &same, ENGLISH);
    rewrite_in_place(&same, "上海", "北京");
    h.get_by_label("Import with EPSG:4326").click();
    wait_until(&mut h, |app| {
        app.doc.project.sketch_layers.contains_key("same")
    });
    assert_eq!(names(&h, "same")[0], "上海", "read once, by the dialog");
    // A file changed since the dialog read it is read again.
    let changed = dir.path().join("changed.csv");
    std::fs::copy(csv_fixture("nine_cities_utf8.csv"), &changed).unwrap();
    open_import_dialog(&mut h, &changed, ENGLISH);
    std::fs::write(
        &changed,
        std::fs::read_to_string(&changed)
            .unwrap()
            .replace("上海", "上海市"),
    )
    .unwrap();
    h.get_by_label("Import with EPSG:4326").click();
    wait_until(&mut h, |app| {
        app.doc.project.sketch_layers.contains_key("changed")
    });
    assert_eq!(names(&h, "changed")[0], "上海市");
    assert!(h.state().files.data_preview.is_none(), "let go once used");
}

#[test]
fn the_window_is_asked_for_a_frame_as_soon_as_the_read_is_done() {
    // A window draws no frame that nothing asks for (eframe waits for egui's repaint
    // requests): the read's result must ask for one, or the dialog waits for the progress
    // window's next frame, up to 100 ms later.
    use std::sync::{Arc, Mutex};
    use std::time::{Duration, Instant};
    let ctx = egui::Context::default();
    install_fonts(&ctx);
    let asked: Arc<Mutex<Vec<Duration>>> = Arc::default();
    let requests = Arc::clone(&asked);
    ctx.set_request_repaint_callback(move |info| requests.lock().unwrap().push(info.delay));
    let mut app = OneMapApp::new(AppData::load(&DataDir::at(root())).unwrap());
    let frame = |app: &mut OneMapApp| {
        let input = egui::RawInput {
            screen_rect: Some(egui::Rect::from_min_size(
                egui::Pos2::ZERO,
                egui::vec2(1400.0, 900.0),
            )),
            ..Default::default()
        };
        // No GPU to upload the font atlas to.
        ctx.run_ui(input, |ui| app.ui(ui)).textures_delta.clear();
    };
    // The window's first frames, until one asks for no other at once (egui calls back only
    // for a request sooner than the one pending): the app learns its context.
    for settled in 0.. {
        assert!(settled < 20, "the app keeps asking for frames");
        asked.lock().unwrap().clear();
        frame(&mut app);
        if !asked.lock().unwrap().contains(&Duration::ZERO) {
            break;
        }
    }
    asked.lock().unwrap().clear();
    app.run_commands(vec![AppCommand::DetectData(fixture(
        "cities_gk_undeclared.geojson",
    ))]);
    // No frame from here on until one is asked for at once.
    let start = Instant::now();
    while !asked.lock().unwrap().contains(&Duration::ZERO) {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "no frame asked for; requests: {:?}",
            asked.lock().unwrap()
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    frame(&mut app);
    assert!(
        import_form(&app).is_some(),
        "the frame asked for shows the dialog: {:?}",
        app.files.dialog
    );
}

#[test]
fn in_chinese_a_geographic_crs_is_named_in_chinese() {
    // "WGS 84 longitude/latitude" in the Chinese dialog mixed the languages.
    let mut h = harness(UiLanguage::Chinese, [1400.0, 900.0]);
    let kml = root().join("tests/data/formats/kml/google_earth.kml");
    open_import_dialog(&mut h, &kml, ["文件", "导入数据…", "路径", "确定"]);
    assert!(shows(&h, "WGS 84 经纬度 (EPSG:4326)"), "{:?}", labels(&h));
    let english: Vec<String> = labels(&h)
        .into_iter()
        .filter(|l| l.contains("longitude") || l.contains("latitude"))
        .collect();
    assert!(english.is_empty(), "{english:?}");
}
