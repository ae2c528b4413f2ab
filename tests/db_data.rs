//! Embedded data layers in the team store as feature rows QGIS opens (`onemap.data_points`,
//! `data_lines`, `data_polygons`), against a real PostgreSQL + PostGIS started by the tests
//! (tests/common/postgis.rs): written when a layer changes, replaced (and kept in history)
//! when it changes again, and the project still pulls back exactly.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::postgis::{PASSWORD, PostGis};
use onemap::io::db::{self, Pushed};
use onemap::io::load_project;
use onemap::model::project::{DataChoices, Project, SketchLayer, SketchSource};

const PARCELS: &str = r#"{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"名称":"青浦地块一","面积":12.5},"geometry":{"type":"Point","coordinates":[121.1,31.15]}},
{"type":"Feature","properties":{"名称":"吴江地块二","面积":8},"geometry":{"type":"Point","coordinates":[120.65,31.16]}},
{"type":"Feature","properties":{"名称":"嘉善走廊"},"geometry":{"type":"LineString","coordinates":[[120.9,30.85],[121.0,30.9]]}},
{"type":"Feature","properties":{"名称":"示范区"},"geometry":{"type":"Polygon","coordinates":[[[120.8,31.0],[121.2,31.0],[121.2,31.2],[120.8,31.0]]]}}
]}"#;

fn with_layer(geojson: &str) -> Project {
    let mut project =
        load_project(&common::root().join("assets/projects/sma-2022.onemap")).unwrap();
    project.sketch_layers.insert(
        "parcels".into(),
        SketchLayer {
            name: "示范区地块".into(),
            source: SketchSource::Embedded(geojson.into()),
            visible: true,
            opacity: 1.0,
            choices: DataChoices::default(),
            label_field: Some("名称".into()),
        },
    );
    project
}

fn push(client: &mut postgres::Client, target: &db::Target, project: &Project) -> (i32, usize) {
    match db::push(client, target, "plan", project, "").unwrap() {
        Pushed::Saved {
            revision,
            rows_written,
            ..
        } => (revision, rows_written),
        other => panic!("{other:?}"),
    }
}

/// The current rows of one view: label and revision, by position.
fn current(pg: &PostGis, view: &str) -> Vec<(String, i32)> {
    pg.client("plan")
        .query(
            &format!(
                "SELECT label, revision FROM onemap.{view} WHERE project = 'plan' \
                 AND layer = 'parcels' ORDER BY position"
            ),
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect()
}

#[test]
fn an_embedded_data_layer_is_a_feature_table_qgis_opens() {
    let Some(pg) = PostGis::start("data_layer_rows") else {
        return;
    };
    pg.create_database("plan", true);
    let url = format!("{} password='{PASSWORD}'", pg.url("plan"));
    let (mut client, target) = db::connect(&url).unwrap();
    db::init(&mut client, &target).unwrap();

    let project = with_layer(PARCELS);
    let (first, _) = push(&mut client, &target, &project);
    assert_eq!(
        current(&pg, "data_points"),
        vec![("青浦地块一".into(), first), ("吴江地块二".into(), first)]
    );
    assert_eq!(current(&pg, "data_lines"), vec![("嘉善走廊".into(), first)]);
    assert_eq!(
        current(&pg, "data_polygons"),
        vec![("示范区".into(), first)]
    );
    let row = pg
        .client("plan")
        .query_one(
            "SELECT layer_name, properties, ST_AsText(geom) FROM onemap.data_points \
             WHERE label = '青浦地块一'",
            &[],
        )
        .unwrap();
    assert_eq!(row.get::<_, String>(0), "示范区地块");
    let properties: serde_json::Value = serde_json::from_str(&row.get::<_, String>(1)).unwrap();
    assert_eq!(
        properties,
        serde_json::json!({"名称": "青浦地块一", "面积": 12.5})
    );
    assert_eq!(row.get::<_, String>(2), "MULTIPOINT((121.1 31.15))");

    // Another edit leaves the layer's rows as they are.
    let mut renamed = db::load(&mut client, &target, "plan", None).unwrap();
    renamed.meta.title_zh = "另一个标题".into();
    let (second, rows) = push(&mut client, &target, &renamed);
    assert_eq!(rows, 2, "the title's item only");
    assert_eq!(current(&pg, "data_lines"), vec![("嘉善走廊".into(), first)]);

    // A changed layer replaces its rows; the old ones stay in history.
    let mut fewer = renamed.clone();
    fewer.sketch_layers.get_mut("parcels").unwrap().source =
        SketchSource::Embedded(PARCELS.replace("吴江地块二", "吴江地块二（改）"));
    fewer.origin.as_mut().unwrap().revision = second;
    let (third, rows) = push(&mut client, &target, &fewer);
    assert_eq!(
        rows,
        2 + 4 + 4,
        "the layer's item closed and written, its 4 rows likewise"
    );
    assert_eq!(
        current(&pg, "data_points"),
        vec![
            ("青浦地块一".into(), third),
            ("吴江地块二（改）".into(), third)
        ]
    );
    let closed: i64 = pg
        .client("plan")
        .query_one(
            "SELECT count(*) FROM onemap.data_features WHERE valid_to = $1",
            &[&third],
        )
        .unwrap()
        .get(0);
    assert_eq!(closed, 4);

    // The project reads back from its items, exactly.
    let pulled = db::load(&mut client, &target, "plan", None).unwrap();
    assert_eq!(pulled.sketch_layers, fewer.sketch_layers);

    // Removing the layer closes its rows.
    let mut without = pulled.clone();
    without.sketch_layers.clear();
    push(&mut client, &target, &without);
    assert!(current(&pg, "data_points").is_empty());

    qgis_lists_the_data_views(&pg);
}

fn qgis_lists_the_data_views(pg: &PostGis) {
    let Some(listing) = pg.ogrinfo("plan", &[]) else {
        return;
    };
    for layer in [
        "onemap.data_points (Multi Point)",
        "onemap.data_lines (Multi Line String)",
        "onemap.data_polygons (Multi Polygon)",
    ] {
        assert!(listing.contains(layer), "{layer} in {listing}");
    }
}
