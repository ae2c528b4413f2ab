//! GeoJSON in and out: the import report is exact, properties survive, projected files are
//! refused, GCJ-02 is converted on request, and what we export GDAL reads as it is.

// An integration test is a crate of its own, which clippy's allow-unwrap-in-tests (clippy.toml)
// does not cover outside #[test] functions: its helpers unwrap too, a panic being a failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::Command;

use onemap::io::export::{export_geojson, placements_csv};
use onemap::io::geojson_import::{
    ImportOptions, Progress, import_geojson_file, import_geojson_str,
};
use onemap::io::load_project;
use serde_json::json;

fn fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

#[test]
fn the_import_report_is_exact_for_every_geometry_type() {
    let layer = import_geojson_file(
        &fixture("all_geometries.geojson"),
        ImportOptions::default(),
        &Progress::default(),
    )
    .unwrap();
    assert_eq!(
        layer.report.to_string(),
        "imported 8 features, skipped 3: feature 7 has no geometry, feature 8 has a polygon ring that is not closed, feature 9 is not a Feature"
    );
    let kinds: Vec<&str> = layer
        .features
        .iter()
        .map(|f| match f.geometry {
            geo::Geometry::Point(_) => "Point",
            geo::Geometry::MultiPoint(_) => "MultiPoint",
            geo::Geometry::LineString(_) => "LineString",
            geo::Geometry::MultiLineString(_) => "MultiLineString",
            geo::Geometry::Polygon(_) => "Polygon",
            geo::Geometry::MultiPolygon(_) => "MultiPolygon",
            geo::Geometry::GeometryCollection(_) => "GeometryCollection",
            _ => "other",
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "Point",
            "MultiPoint",
            "LineString",
            "MultiLineString",
            "Polygon",
            "MultiPolygon",
            "GeometryCollection",
            "Point"
        ]
    );
    let first = &layer.features[0];
    assert_eq!(first.id, Some(json!("p1")));
    assert_eq!(
        first.properties["nested"],
        json!({"a": [1, 2, {"b": null}]}),
        "unknown properties survive as they are"
    );
    assert_eq!(first.properties["x-unknown"], json!(true));
}

#[test]
fn a_file_in_a_projected_crs_is_refused_with_advice() {
    let err = import_geojson_file(
        &fixture("projected.geojson"),
        ImportOptions::default(),
        &Progress::default(),
    )
    .unwrap_err();
    let text = err.to_string();
    assert!(text.contains("coordinate (351234.5, 3456789) is outside ±180/±90; the file is probably in a projected coordinate system and must be reprojected to WGS84"), "{text}");
}

#[test]
fn gcj02_sources_are_converted_to_wgs84_on_request() {
    let text = r#"{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[121.4782,31.2282]}}"#;
    let plain = import_geojson_str(Path::new("a.geojson"), text, ImportOptions::default()).unwrap();
    let converted = import_geojson_str(
        Path::new("a.geojson"),
        text,
        ImportOptions {
            source_is_gcj02: true,
        },
    )
    .unwrap();
    let (geo::Geometry::Point(p), geo::Geometry::Point(q)) =
        (&plain.features[0].geometry, &converted.features[0].geometry)
    else {
        panic!("points expected");
    };
    let (dx, dy) = (q.x() - p.x(), q.y() - p.y());
    assert!(
        (-0.0050..-0.0040).contains(&dx) && (0.0015..0.0025).contains(&dy),
        "GCJ-02 shifts about 500 m here: {dx}, {dy}"
    );
    assert!(
        converted
            .report
            .to_string()
            .ends_with("(converted from GCJ-02 to WGS84)")
    );
}

#[test]
fn bad_geojson_gets_a_specific_error() {
    let cases = [
        (
            "{\"type\": \"FeatureCollection\", \"features\": [",
            "is not valid JSON at line 1",
        ),
        (
            "{\"type\": \"Topology\"}",
            "is not a GeoJSON FeatureCollection",
        ),
        ("[1, 2, 3]", "is not a GeoJSON FeatureCollection"),
    ];
    for (text, expected) in cases {
        let err = import_geojson_str(Path::new("in.geojson"), text, ImportOptions::default())
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("in.geojson") && err.contains(expected),
            "{text}: {err}"
        );
    }
    let deep = format!(
        "{{\"type\": \"Feature\", \"properties\": {}{}, \"geometry\": null}}",
        "{\"a\":".repeat(500),
        "}".repeat(500)
    );
    assert!(import_geojson_str(Path::new("in.geojson"), &deep, ImportOptions::default()).is_err());
}

#[test]
fn a_cancelled_import_says_so() {
    let progress = Progress::default();
    progress
        .cancel
        .store(true, std::sync::atomic::Ordering::Relaxed);
    let err = import_geojson_file(
        &fixture("all_geometries.geojson"),
        ImportOptions::default(),
        &progress,
    )
    .unwrap_err();
    assert!(err.to_string().starts_with("reading ") && err.to_string().ends_with("was cancelled"));
}

#[test]
fn exported_geojson_is_rfc7946_and_gdal_reads_it() {
    let project = load_project(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/projects/sma-2022.onemap"),
    )
    .unwrap();
    let sketch = import_geojson_file(
        &fixture("all_geometries.geojson"),
        ImportOptions::default(),
        &Progress::default(),
    )
    .unwrap();
    let value = export_geojson(&project, &[("fixture".into(), sketch.features)]);
    let features = value["features"].as_array().unwrap();
    assert_eq!(features.len(), project.placements.len() + 8);
    let qingcaosha = features
        .iter()
        .find(|f| f["id"] == "placement.qingcaosha-protection")
        .unwrap();
    let ring = qingcaosha["geometry"]["coordinates"][0].as_array().unwrap();
    let signed: f64 = ring
        .windows(2)
        .map(|w| {
            w[0][0].as_f64().unwrap() * w[1][1].as_f64().unwrap()
                - w[1][0].as_f64().unwrap() * w[0][1].as_f64().unwrap()
        })
        .sum();
    assert!(
        signed > 0.0,
        "exterior rings are counter-clockwise (RFC 7946 §3.1.6)"
    );
    let dir = std::env::temp_dir().join(format!("onemap-export-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("export.geojson");
    std::fs::write(&out, serde_json::to_string(&value).unwrap()).unwrap();
    let Ok(result) = Command::new("ogrinfo")
        .args(["-al", "-so"])
        .arg(&out)
        .output()
    else {
        assert!(
            std::env::var_os("CI").is_none(),
            "ogrinfo is missing in CI: .ci/run must install gdal-bin"
        );
        return;
    };
    let stdout = String::from_utf8_lossy(&result.stdout);
    assert!(
        result.status.success(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    assert!(
        stdout.contains(&format!("Feature Count: {}", features.len())),
        "{stdout}"
    );
}

#[test]
fn the_placement_table_exports_as_csv_with_measures() {
    let project = load_project(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/projects/sma-2022.onemap"),
    )
    .unwrap();
    let csv = placements_csv(&project);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), project.placements.len() + 1);
    assert!(lines[0].starts_with("id,name_zh,name_en,action,section"));
    let husuhu = lines
        .iter()
        .find(|l| l.starts_with("placement.husuhu-railway,"))
        .unwrap();
    let length: f64 = husuhu.split(',').nth(10).unwrap().parse().unwrap();
    assert!(
        (120.0..200.0).contains(&length),
        "沪苏湖 is about 164 km along the real line; the sketch gives {length}"
    );
}
