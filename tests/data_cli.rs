//! Issue 17: `onemap info` and `onemap convert` are contracts, like `ogrinfo` and `ogr2ogr`:
//! info exits 0 when the file can be read and 2 when it cannot; convert exits 0 when written
//! and 2 on any error, with nothing written. What they say is checked against GDAL where GDAL
//! can read the same file.

// An integration test is a crate of its own, which clippy's allow-unwrap-in-tests (clippy.toml)
// does not cover outside #[test] functions: its helpers unwrap too, a panic being a failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::{onemap, root};

use std::path::{Path, PathBuf};

use serde_json::Value;

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("onemap-data-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn info_json(file: &Path, extra: &[&str]) -> Value {
    let mut args = vec!["info", "--json", s(file)];
    args.extend_from_slice(extra);
    let (code, out, err) = onemap(&args);
    assert_eq!(code, 0, "onemap info {}: {err}", file.display());
    serde_json::from_str(&out).unwrap()
}

#[test]
fn info_says_what_a_geojson_holds() {
    let file = root().join("layers/cities.geojson");
    let report = info_json(&file, &[]);
    assert_eq!(report["format"], "GeoJSON");
    let layer = &report["layers"][0];
    assert_eq!(layer["name"], "cities");
    assert_eq!(layer["features"], 9, "{layer}");
    assert_eq!(layer["geometry_types"]["Point"], 9);
    assert_eq!(layer["crs"]["epsg"], 4326);
    assert_eq!(layer["crs"]["source"], "declared");
    let extent: Vec<f64> = layer["extent_wgs84"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    assert!(
        extent[0] > 118.0 && extent[2] < 123.5 && extent[1] > 28.5 && extent[3] < 33.5,
        "{extent:?}"
    );
    let names: Vec<&str> = layer["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"name_zh"), "{names:?}");
    // The text form says the same.
    let (code, text, _) = onemap(&["info", s(&file)]);
    assert_eq!(code, 0);
    assert!(
        text.contains("GeoJSON") && text.contains("9 features"),
        "{text}"
    );
    assert!(text.contains("EPSG:4326") || text.contains("WGS"), "{text}");
}

#[test]
fn info_exits_2_naming_the_file_when_it_cannot_be_read() {
    let dir = scratch("unreadable");
    let missing = dir.join("missing.geojson");
    let unknown = dir.join("table.xyz");
    std::fs::write(&unknown, "x").unwrap();
    let broken = dir.join("broken.geojson");
    std::fs::write(&broken, "{\"type\": \"FeatureCollection\", \"features\": [").unwrap();
    for file in [&missing, &unknown, &broken] {
        let (code, out, err) = onemap(&["info", s(file)]);
        assert_eq!(code, 2, "{}: {out} {err}", file.display());
        assert!(
            err.contains(file.file_name().unwrap().to_str().unwrap()),
            "the error names the file: {err}"
        );
    }
}

#[test]
fn convert_writes_nothing_when_it_fails() {
    let dir = scratch("nothing-written");
    let input = root().join("layers/cities.geojson");
    // GeoJSON is WGS84 by definition: a projected GeoJSON is refused, not written.
    let out = dir.join("cities.geojson");
    let (code, _, err) = onemap(&["convert", s(&input), s(&out), "--to-crs", "EPSG:4528"]);
    assert_eq!(code, 2, "{err}");
    assert!(!out.exists());
    // DXF is read, never written.
    let out = dir.join("cities.dxf");
    let (code, _, err) = onemap(&["convert", s(&input), s(&out)]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("DXF"), "{err}");
    assert!(!out.exists());
    // Never over its own input.
    let copy = dir.join("copy.geojson");
    std::fs::copy(&input, &copy).unwrap();
    let before = std::fs::read(&copy).unwrap();
    let (code, _, err) = onemap(&["convert", s(&copy), s(&copy)]);
    assert_eq!(code, 2, "{err}");
    assert_eq!(std::fs::read(&copy).unwrap(), before);
    // An unknown --crs is an error before anything is read or written.
    let out = dir.join("cities2.geojson");
    let (code, _, err) = onemap(&["convert", s(&input), s(&out), "--crs", "EPSG:99999"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("99999"), "{err}");
    assert!(!out.exists());
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        1,
        "only the copy is left in the folder"
    );
}

#[test]
fn convert_geojson_to_geojson_keeps_every_feature() {
    let dir = scratch("geojson-roundtrip");
    let input = root().join("layers/corridors.geojson");
    let out = dir.join("corridors.geojson");
    let (code, text, err) = onemap(&["convert", s(&input), s(&out)]);
    assert_eq!(code, 0, "{err}");
    assert!(text.contains("wrote"), "{text}");
    let a = info_json(&input, &[]);
    let b = info_json(&out, &[]);
    assert_eq!(a["layers"][0]["features"], b["layers"][0]["features"]);
    assert_eq!(
        a["layers"][0]["extent_wgs84"],
        b["layers"][0]["extent_wgs84"]
    );
}

/// The plan's city points, lon/lat by id.
fn city_points(file: &Path) -> std::collections::BTreeMap<String, (f64, f64)> {
    let v: Value = serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
    v["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let c = &f["geometry"]["coordinates"];
            (
                f["properties"]["id"].as_str().unwrap().to_owned(),
                (c[0].as_f64().unwrap(), c[1].as_f64().unwrap()),
            )
        })
        .collect()
}

#[test]
fn a_projected_geojson_is_read_in_its_declared_or_confirmed_crs() {
    let fixtures = root().join("tests/data/formats/geojson");
    let declared = fixtures.join("cities_4528.geojson");
    let undeclared = fixtures.join("cities_gk_undeclared.geojson");
    let report = info_json(&declared, &[]);
    assert_eq!(report["layers"][0]["crs"]["epsg"], 4528);
    assert_eq!(report["layers"][0]["crs"]["source"], "declared");
    // Nothing declared: the eastings' zone prefix proposes CGCS2000 zone 40, as a guess.
    let report = info_json(&undeclared, &[]);
    assert_eq!(report["layers"][0]["crs"]["epsg"], 4528);
    assert_eq!(report["layers"][0]["crs"]["source"], "guessed");
    let dir = scratch("projected");
    let out = dir.join("cities.geojson");
    // A projected guess is not used without asking: exit 2, the guess named, nothing written.
    let (code, _, err) = onemap(&["convert", s(&undeclared), s(&out)]);
    assert_eq!(code, 2);
    assert!(err.contains("--crs EPSG:4528"), "{err}");
    assert!(!out.exists());
    // Confirmed, it converts back onto the plan's points (the fixture keeps millimetres).
    let original = city_points(&root().join("layers/cities.geojson"));
    for (input, extra) in [(&declared, None), (&undeclared, Some("EPSG:4528"))] {
        let mut args = vec!["convert", s(input), s(&out)];
        if let Some(crs) = extra {
            args.extend(["--crs", crs]);
        }
        let _ = std::fs::remove_file(&out);
        let (code, _, err) = onemap(&args);
        assert_eq!(code, 0, "{err}");
        let back = city_points(&out);
        assert_eq!(back.len(), original.len());
        for (id, (lon, lat)) in &original {
            let (x, y) = back[id];
            assert!(
                (x - lon).abs() < 1e-7 && (y - lat).abs() < 1e-7,
                "{id}: {x},{y} vs {lon},{lat}"
            );
        }
    }
}

#[test]
fn a_project_converts_to_its_tables() {
    let dir = scratch("project");
    let project = onemap::io::DataDir::at(root()).default_project();
    let out = dir.join("plan.geojson");
    let (code, text, err) = onemap(&["convert", s(&project), s(&out)]);
    assert_eq!(code, 0, "{err}");
    let loaded = onemap::io::load_project(&project).unwrap();
    let plan = onemap::io::read_plan(
        &root().join("layers"),
        onemap::model::Region::SHANGHAI_METROPOLITAN_AREA,
    )
    .unwrap()
    .plan;
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    let features = v["features"].as_array().unwrap();
    let placements = features
        .iter()
        .filter(|f| f["properties"]["layer"] == "placements")
        .count();
    assert_eq!(placements, loaded.placements.len(), "{text}");
    let corridors = features
        .iter()
        .filter(|f| f["properties"]["layer"] == "corridors")
        .count();
    assert_eq!(corridors, plan.layers["corridors"].features.len());
    let effective = onemap::model::overrides::apply(&plan, &loaded.plan_overrides);
    let plan_features: usize = effective
        .plan
        .layers
        .values()
        .map(|l| l.features.len())
        .sum();
    let data_features: usize = loaded
        .sketch_layers
        .iter()
        .map(|(id, l)| {
            onemap::io::sketch::load_sketch(project.parent().unwrap(), id, l)
                .unwrap()
                .len()
        })
        .sum();
    assert_eq!(
        features.len(),
        loaded.placements.len() + plan_features + data_features
    );
    // One layer only.
    let out = dir.join("placements.geojson");
    let (code, _, err) = onemap(&["convert", s(&project), s(&out), "--layer", "placements"]);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(
        v["features"].as_array().unwrap().len(),
        loaded.placements.len()
    );
}
