//! Issue 17: a data file of any format is a data layer of a project: referenced by path with
//! the choices it was imported with (its CRS here), drawn in its own style, labelled by a
//! field of its choice, and in WGS84 on the map whatever CRS the file is in.

// An integration test is a crate of its own, which clippy's allow-unwrap-in-tests (clippy.toml)
// does not cover outside #[test] functions: its helpers unwrap too, a panic being a failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::root;

use onemap::doc::{AppData, Document, SketchState};
use onemap::io::DataDir;
use onemap::map::scene::ItemKey;
use onemap::model::project::{DataChoices, SketchLayer, SketchSource};
use onemap::model::style::{Paint, Rgba};

fn project_with_layer(file: &str, choices: DataChoices) -> (AppData, Document) {
    let data = AppData::load(&DataDir::at(root())).unwrap();
    let mut project = onemap::io::load_project(&data.dir.default_project()).unwrap();
    project.sketch_layers.clear();
    project.sketch_layers.insert(
        "cities".into(),
        SketchLayer {
            name: "九城 (GK)".into(),
            source: SketchSource::Referenced(file.into()),
            visible: true,
            opacity: 1.0,
            choices,
            label_field: Some("name_zh".into()),
        },
    );
    project.style_overrides.insert(
        "sketch:cities".into(),
        Paint {
            stroke: Some(Rgba(10, 120, 200, 255)),
            ..Paint::default()
        },
    );
    let style = data
        .base_style
        .with_overrides(&project.layer_order, &project.style_overrides);
    // The project "lives" in the fixtures folder, so the reference is relative to it.
    let path = root().join("tests/data/formats/geojson/project.onemap");
    let doc = Document::new(project, Some(path), &style);
    (data, doc)
}

#[test]
fn a_projected_file_with_a_confirmed_crs_is_drawn_in_place_in_its_style_with_labels() {
    let choices = DataChoices {
        crs: Some("EPSG:4528".into()),
        ..DataChoices::default()
    };
    let (_, doc) = project_with_layer("cities_gk_undeclared.geojson", choices);
    let Some(SketchState::Loaded(features)) = doc.sketches.get("cities") else {
        panic!(
            "not loaded: {:?}",
            doc.sketches.get("cities").map(|_| "missing")
        );
    };
    assert_eq!(features.len(), 9);
    let shanghai = features
        .iter()
        .find(|f| f.properties["id"] == "city.shanghai")
        .unwrap();
    let geo::Geometry::Point(p) = shanghai.geometry else {
        panic!("a point")
    };
    assert!(
        (p.x() - 121.47).abs() < 0.1 && (p.y() - 31.23).abs() < 0.1,
        "{p:?}"
    );
    let items: Vec<_> = doc
        .overlay
        .items
        .iter()
        .filter(|i| i.layer == "sketch:cities")
        .collect();
    assert_eq!(items.len(), 9);
    for item in &items {
        assert_eq!(
            item.paint.stroke,
            Some(Rgba(10, 120, 200, 255)),
            "its own colour"
        );
        let label = item.label.as_ref().expect("labelled by its field");
        assert!(!label.name_zh.is_empty());
    }
    let labels: Vec<&str> = items
        .iter()
        .filter_map(|i| i.label.as_ref().map(|l| l.name_zh.as_str()))
        .collect();
    assert!(labels.contains(&"上海"), "{labels:?}");
    assert!(items.iter().all(|i| matches!(i.key, ItemKey::Feature(_))));
}

#[test]
fn a_projected_file_whose_crs_was_never_confirmed_is_an_error_for_that_layer_only() {
    let (_, doc) = project_with_layer("cities_gk_undeclared.geojson", DataChoices::default());
    match doc.sketches.get("cities") {
        Some(SketchState::Missing(why)) => {
            let why = &why.en;
            assert!(why.contains("cities_gk_undeclared.geojson"), "{why}");
            assert!(why.contains("EPSG:4528"), "the guess is offered: {why}");
        }
        _ => panic!("an unconfirmed projected guess must not be drawn"),
    }
    // The plan and the placements are still there.
    assert!(!doc.project.placements.is_empty());
}
