//! Plan editions in the team store, against a real PostgreSQL + PostGIS started by the tests
//! (tests/common/postgis.rs): `onemap db edition push|list|pull`, a project opened from the
//! store drawing on the store's edition (and a file project on layers/ again), the server
//! refusing a reviewer's push, QGIS reading the feature views, and bad input.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};

use common::postgis::{PASSWORD, PostGis};
use onemap::app::{AppCommand, AppData, OneMapApp, install_fonts};
use onemap::command::DbOpenRequest;
use onemap::io::db::{self, EditionData};
use onemap::io::{DataDir, read_edition, read_plan};
use onemap::model::{Plan, Region};

fn layers() -> PathBuf {
    common::root().join("layers")
}

fn read_layers(dir: &Path) -> Plan {
    let load = read_plan(dir, Region::SHANGHAI_METROPOLITAN_AREA).unwrap();
    assert!(load.errors.is_empty(), "{:?}", load.errors);
    load.plan
}

/// Every layer's note, `same_ids_as` and features (ids, properties, geometries, in order).
fn assert_same_plan(a: &Plan, b: &Plan) {
    assert_eq!(
        a.layers.keys().collect::<Vec<_>>(),
        b.layers.keys().collect::<Vec<_>>()
    );
    for (id, layer) in &a.layers {
        let other = &b.layers[id];
        assert_eq!(layer.note, other.note, "{id}");
        assert_eq!(layer.same_ids_as, other.same_ids_as, "{id}");
        assert_eq!(layer.features.len(), other.features.len(), "{id}");
        for (f, g) in layer.features.iter().zip(&other.features) {
            assert_eq!(f, g, "{id}");
        }
    }
}

fn ready(test: &str) -> Option<(PostGis, String)> {
    let pg = PostGis::start(test)?;
    pg.create_database("plan", true);
    let url = pg.url("plan");
    let (code, out, err) = pg.onemap(&["db", "init", &url]);
    assert_eq!(code, 0, "{out}{err}");
    Some((pg, url))
}

#[test]
fn an_edition_pushes_lists_and_pulls_back_as_the_same_layers() {
    let Some((pg, url)) = ready("edition_round_trip") else {
        return;
    };
    let dir = layers();
    let (code, out, err) = pg.onemap(&[
        "db",
        "edition",
        "push",
        dir.to_str().unwrap(),
        &url,
        "-m",
        "2022 年版",
    ]);
    assert_eq!(code, 0, "{out}{err}");
    let plan = read_layers(&dir);
    let features = plan.features().count();
    assert!(
        out.contains(&format!(
            "plan edition sma-2022: saved as version 1 ({} layers, {features} features)",
            plan.layers.len()
        )),
        "{out}"
    );

    // The same folder again writes nothing.
    let (code, out, _) = pg.onemap(&["db", "edition", "push", dir.to_str().unwrap(), &url]);
    assert_eq!(code, 0);
    assert!(out.contains("nothing to save, version 1"), "{out}");

    let (code, out, err) = pg.onemap(&["db", "edition", "list", &url]);
    assert_eq!(code, 0, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 1, "{out}");
    assert!(lines[0].starts_with("sma-2022\t1\t"), "{out}");
    assert!(
        lines[0].contains(&format!(
            "{} layers, {features} features",
            plan.layers.len()
        )),
        "{out}"
    );
    assert!(
        lines[0].ends_with("上海大都市圈空间协同规划（2022）\t2022 年版"),
        "{out}"
    );
    let (_, json, _) = pg.onemap(&["db", "edition", "list", &url, "--json"]);
    let listed: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(listed[0]["version"], 1);
    assert_eq!(listed[0]["author"], "postgres");

    // Pulled, it is the same edition: the same layers, features and SOURCES.md.
    let out_dir = tempfile::tempdir().unwrap();
    let pulled = out_dir.path().join("layers");
    let (code, out, err) = pg.onemap(&[
        "db",
        "edition",
        "pull",
        &url,
        "sma-2022",
        "-o",
        pulled.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{out}{err}");
    assert_same_plan(&read_layers(&pulled), &plan);
    assert_eq!(
        read_edition(&pulled.join("edition.ron")).unwrap(),
        read_edition(&dir.join("edition.ron")).unwrap()
    );
    assert_eq!(
        std::fs::read_to_string(pulled.join("SOURCES.md")).unwrap(),
        std::fs::read_to_string(dir.join("SOURCES.md")).unwrap()
    );
    // Pulling onto a folder that holds something is refused, and changes nothing.
    let (code, _, err) = pg.onemap(&[
        "db",
        "edition",
        "pull",
        &url,
        "sma-2022",
        "-o",
        pulled.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("exists and is not empty"), "{err}");
    assert_same_plan(&read_layers(&pulled), &plan);

    // A changed feature makes version 2; version 1 still reads as it was.
    let cities = pulled.join("cities.geojson");
    let text = std::fs::read_to_string(&cities).unwrap();
    std::fs::write(&cities, text.replace("\"上海\"", "\"上海（第二版）\"")).unwrap();
    let (code, out, err) = pg.onemap(&["db", "edition", "push", pulled.to_str().unwrap(), &url]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("saved as version 2"), "{out}");
    let (mut client, target) = db::connect(&format!("{url} password='{PASSWORD}'")).unwrap();
    let (v1, version) = db::load_edition(&mut client, &target, "sma-2022", Some(1)).unwrap();
    assert_eq!(version, 1);
    assert_same_plan(&v1.plan, &plan);
    let (v2, version) = db::load_edition(&mut client, &target, "sma-2022", None).unwrap();
    assert_eq!(version, 2);
    assert_eq!(
        v2.plan.layers["cities"].features[0].name_zh(),
        "上海（第二版）"
    );

    qgis_reads_the_edition(&pg);
}

/// GDAL's PostgreSQL driver, which QGIS uses, lists the edition views with one geometry type
/// each and reads a feature's Chinese name.
fn qgis_reads_the_edition(pg: &PostGis) {
    let ogrinfo = |args: &[&str]| pg.ogrinfo("plan", args);
    let Some(listing) = ogrinfo(&[]) else {
        return;
    };
    for layer in [
        "onemap.edition_points (Multi Point)",
        "onemap.edition_lines (Multi Line String)",
        "onemap.edition_polygons (Multi Polygon)",
    ] {
        assert!(listing.contains(layer), "{layer} in {listing}");
    }
    let city = ogrinfo(&[
        "onemap.edition_points",
        "-where",
        "feature_id = 'city.suzhou'",
    ])
    .expect("ogrinfo ran for the listing");
    assert!(city.contains("name_zh (String) = 苏州"), "{city}");
    assert!(city.contains("edition (String) = sma-2022"), "{city}");
    assert!(city.contains("version (Integer) = 2"), "{city}");
    assert!(city.contains("MULTIPOINT ("), "{city}");
}

#[test]
fn a_project_opened_from_the_store_draws_on_the_stores_edition() {
    let Some((pg, url)) = ready("edition_in_the_app") else {
        return;
    };
    // The store's edition differs from layers/ in one name, to tell them apart.
    let work = tempfile::tempdir().unwrap();
    let edited = work.path().join("layers");
    let mut data = db::read_edition_dir(&layers()).unwrap();
    let feature = &mut data.plan.layers.get_mut("cities").unwrap().features[0];
    let id = feature.id.clone();
    feature
        .properties
        .insert("name_zh".into(), "上海（库中版本）".into());
    db::write_edition_dir(&edited, &data).unwrap();
    let (code, out, err) = pg.onemap(&["db", "edition", "push", edited.to_str().unwrap(), &url]);
    assert_eq!(code, 0, "{out}{err}");
    let project_file = work.path().join("plan.onemap");
    std::fs::copy(
        common::root().join("assets/projects/sma-2022.onemap"),
        &project_file,
    )
    .unwrap();
    let (code, out, err) = pg.onemap(&["db", "push", project_file.to_str().unwrap(), &url]);
    assert_eq!(code, 0, "{out}{err}");

    let app_data = AppData::load(&DataDir::at(common::root())).unwrap();
    let from_layers = app_data.plan.clone();
    let mut app = OneMapApp::new(app_data);
    app.open_at_start(&project_file);
    let mut h = egui_kittest::Harness::builder()
        .with_size([1400.0, 900.0])
        .with_max_steps(8)
        .with_context_setup(install_fonts)
        .build_ui_state(|ui, app: &mut OneMapApp| app.ui(ui), app);
    h.run();
    assert_eq!(h.state().data.plan.feature(&id).unwrap().name_zh(), "上海");

    h.state_mut()
        .run_commands(vec![AppCommand::OpenFromDb(DbOpenRequest {
            url: format!("{url} password='{PASSWORD}'"),
            project: "plan".into(),
            revision: None,
        })]);
    for _ in 0..600 {
        h.step();
        if !h.state().db_busy() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    h.run();
    assert!(
        h.state().doc.project.origin.is_some(),
        "opened from the store"
    );
    assert_eq!(
        h.state().db.edition,
        Some(("sma-2022".to_owned(), 1)),
        "the store's edition is in use"
    );
    assert_same_plan(&h.state().data.plan, &data.plan);
    assert_same_plan(&h.state().data.shared_plan, &data.plan);
    assert_eq!(
        h.state().data.plan.feature(&id).unwrap().name_zh(),
        "上海（库中版本）"
    );

    // A file project draws on layers/ again.
    h.state_mut()
        .run_commands(vec![AppCommand::Open(project_file.clone())]);
    h.run();
    assert!(h.state().doc.path.is_some());
    assert_eq!(h.state().db.edition, None);
    assert_same_plan(&h.state().data.plan, &from_layers);
}

#[test]
fn a_reviewer_cannot_push_an_edition_the_server_refuses_it() {
    let Some((pg, url)) = ready("edition_reviewer") else {
        return;
    };
    pg.client("plan")
        .batch_execute(
            "CREATE ROLE wang LOGIN PASSWORD 'wang-pw' IN ROLE onemap_reviewer;
             CREATE ROLE zhao LOGIN PASSWORD 'zhao-pw' IN ROLE onemap_editor;",
        )
        .unwrap();
    let dir = layers();
    let dir = dir.to_str().unwrap();
    let (code, out, err) = pg.onemap_with(
        "wang-pw",
        &["db", "edition", "push", dir, &pg.url_as("plan", "wang")],
    );
    assert_eq!(code, 2, "{out}{err}");
    assert!(
        err.contains("the server refused: permission denied for table editions"),
        "{err}"
    );
    let (code, out, _) = pg.onemap(&["db", "edition", "list", &url]);
    assert_eq!((code, out.as_str()), (0, ""), "nothing was written");

    // An editor may; the reviewer may read it.
    let (code, out, err) = pg.onemap_with(
        "zhao-pw",
        &["db", "edition", "push", dir, &pg.url_as("plan", "zhao")],
    );
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, err) = pg.onemap_with(
        "wang-pw",
        &["db", "edition", "list", &pg.url_as("plan", "wang")],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("sma-2022\t1\t"), "{out}");
    assert!(out.contains("\tzhao\t"), "{out}");
}

#[test]
fn bad_editions_and_schemas_are_clear_errors_that_write_nothing() {
    let Some((pg, url)) = ready("edition_errors") else {
        return;
    };
    let work = tempfile::tempdir().unwrap();

    // No such edition: named, with what there is.
    let out_dir = work.path().join("pulled");
    let pull = |name: &str| {
        pg.onemap(&[
            "db",
            "edition",
            "pull",
            &url,
            name,
            "-o",
            out_dir.to_str().unwrap(),
        ])
    };
    let (code, _, err) = pull("sma-2035");
    assert_eq!(code, 2);
    assert!(
        err.contains("has no plan edition named \"sma-2035\" (it holds none"),
        "{err}"
    );
    let layers_dir = layers();
    assert_eq!(
        pg.onemap(&["db", "edition", "push", layers_dir.to_str().unwrap(), &url])
            .0,
        0
    );
    let (code, _, err) = pull("sma-2035");
    assert_eq!(code, 2);
    assert!(err.contains("(it holds sma-2022)"), "{err}");
    let (code, _, err) = pg.onemap(&[
        "db",
        "edition",
        "pull",
        &url,
        "sma-2022",
        "-o",
        out_dir.to_str().unwrap(),
        "--version",
        "7",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("has no version 7 (its newest is 1)"), "{err}");
    assert!(!out_dir.exists(), "no folder was written");

    // A folder with a broken layer is refused whole, naming the file.
    let broken = work.path().join("broken");
    let data: EditionData = db::read_edition_dir(&layers_dir).unwrap();
    db::write_edition_dir(&broken, &data).unwrap();
    std::fs::write(
        broken.join("cities.geojson"),
        "{\"type\": \"FeatureCollection\"",
    )
    .unwrap();
    let (code, _, err) = pg.onemap(&["db", "edition", "push", broken.to_str().unwrap(), &url]);
    assert_eq!(code, 2);
    assert!(err.contains("cities.geojson"), "{err}");
    assert!(err.contains("nothing was pushed"), "{err}");
    let (_, out, _) = pg.onemap(&["db", "edition", "list", &url]);
    assert_eq!(out.lines().count(), 1, "{out}");

    // A schema from a newer OneMap.
    pg.client("plan")
        .batch_execute("UPDATE onemap.schema_version SET version = 3")
        .unwrap();
    let (code, _, err) = pg.onemap(&["db", "edition", "list", &url]);
    assert_eq!(code, 2);
    assert!(
        err.contains("schema version 3, from a newer OneMap; this one knows version 2"),
        "{err}"
    );
    let (code, _, err) = pull("sma-2022");
    assert_eq!(code, 2);
    assert!(err.contains("from a newer OneMap"), "{err}");

    // A schema from before plan editions: `db init` brings it up to date.
    let client = &mut pg.client("plan");
    client
        .batch_execute("UPDATE onemap.schema_version SET version = 1")
        .unwrap();
    let (code, _, err) = pg.onemap(&["db", "edition", "list", &url]);
    assert_eq!(code, 2);
    assert!(
        err.contains("schema version 1; this OneMap needs version 2 for plan editions: run `onemap db init URL`"),
        "{err}"
    );
    let project = work.path().join("plan.onemap");
    std::fs::copy(
        common::root().join("assets/projects/sma-2022.onemap"),
        &project,
    )
    .unwrap();
    let before = std::fs::read(&project).unwrap();
    let (code, _, err) = pg.onemap(&["db", "push", project.to_str().unwrap(), &url]);
    assert_eq!(code, 2);
    assert!(
        err.contains("this OneMap needs version 2 for saving: run `onemap db init URL`"),
        "{err}"
    );
    assert_eq!(std::fs::read(&project).unwrap(), before);
    assert_eq!(pg.onemap(&["db", "init", &url]).0, 0);
    let (code, out, err) = pg.onemap(&["db", "edition", "list", &url]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(!out_dir.exists(), "no folder was written");
}
