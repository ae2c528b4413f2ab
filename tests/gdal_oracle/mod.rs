//! GDAL as the oracle of the format tests: `ogr2ogr` turns a file into GeoJSON (one
//! FeatureCollection per layer, coordinates as stored, full precision) and the test compares
//! that, feature by feature, with what OneMap read or wrote. Needs `ogr2ogr`/`ogrinfo` (Debian
//! gdal-bin, installed by `.ci/run`): without them a test prints why and passes, except in CI,
//! where their absence fails.

#![allow(dead_code)]

use std::path::Path;
use std::process::Command;

use geo::{Coord, CoordsIter, Geometry};
use onemap::io::formats::{DataFeature, DataTable};
use serde_json::{Map, Value};

/// Whether GDAL is here; in CI it must be.
pub fn available() -> bool {
    let ok = Command::new("ogr2ogr")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            std::env::var_os("CI").is_none(),
            "ogr2ogr is missing in CI: .ci/run must install gdal-bin"
        );
        eprintln!("ogr2ogr not installed (apt-get install gdal-bin); GDAL comparison not run here");
    }
    ok
}

/// `ogrinfo -ro -al -so FILE`: its output, with the test failing if GDAL said anything on
/// stderr (an error or a warning: QGIS would show the same).
pub fn ogrinfo_clean(path: &Path, config: &[&str]) -> String {
    let out = Command::new("ogrinfo")
        .args(config)
        .args(["-ro", "-al", "-so"])
        .arg(path)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "ogrinfo failed on {}: {stderr}",
        path.display()
    );
    assert!(
        stderr.trim().is_empty(),
        "ogrinfo warned on {}: {stderr}",
        path.display()
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// GDAL's GeoPackage validator (validate_gpkg.py of python3-gdal, run with its extra checks
/// and warnings as errors), where it is installed; a note where it is not.
pub fn validate_gpkg(path: &Path) {
    let script = "/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py";
    if !Path::new(script).exists() {
        eprintln!("validate_gpkg.py not installed (apt-get install python3-gdal): not run");
        return;
    }
    let out = Command::new("/usr/bin/python3")
        .args([script, "--extra", "--warning-as-error"])
        .arg(path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "validate_gpkg.py on {}: {}{}",
        path.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The layer names GDAL sees, in its order.
pub fn layers(path: &Path, config: &[&str]) -> Vec<String> {
    let out = Command::new("ogrinfo")
        .args(config)
        .args(["-ro", "-q"])
        .arg(path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| {
            let (_, rest) = l.split_once(": ")?;
            Some(match rest.rfind(" (") {
                Some(i) if rest.ends_with(')') => rest[..i].to_owned(),
                _ => rest.to_owned(),
            })
        })
        .collect()
}

/// One layer as GDAL reads it, as a GeoJSON FeatureCollection.
pub fn layer_as_geojson(path: &Path, layer: &str, config: &[&str]) -> Value {
    let out = Command::new("ogr2ogr")
        .args(config)
        .args(["-f", "GeoJSON", "-lco", "RFC7946=NO", "/vsistdout/"])
        .arg(path)
        .arg(layer)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "ogr2ogr failed on {} {layer}: {}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// A feature as GDAL gives it: geometry and properties.
pub type GdalFeature = (Option<Geometry<f64>>, Map<String, Value>);

/// The features of a GDAL GeoJSON layer.
pub fn features(collection: &Value) -> Vec<GdalFeature> {
    collection["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let geometry = match &f["geometry"] {
                Value::Null => None,
                g => {
                    let g: geojson::Geometry = serde_json::from_value(g.clone()).unwrap();
                    Some(Geometry::<f64>::try_from(g).unwrap())
                }
            };
            let properties = f["properties"].as_object().cloned().unwrap_or_default();
            (geometry, properties)
        })
        .collect()
}

/// The same value, as GDAL and OneMap may write it: numbers compare as numbers.
pub fn same_value(ours: &Value, gdal: &Value) -> bool {
    match (ours, gdal) {
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        (a, b) => a == b,
    }
}

/// The coordinates of two geometries agree within `tolerance` (same type, same number of
/// vertices in the same order).
pub fn assert_same_geometry(ours: &Geometry<f64>, gdal: &Geometry<f64>, tolerance: f64, at: &str) {
    let kind = |g: &Geometry<f64>| {
        format!("{g:?}")
            .split('(')
            .next()
            .unwrap_or_default()
            .to_owned()
    };
    assert_eq!(kind(ours), kind(gdal), "{at}: geometry type");
    let a: Vec<Coord<f64>> = ours.coords_iter().collect();
    let b: Vec<Coord<f64>> = gdal.coords_iter().collect();
    assert_eq!(a.len(), b.len(), "{at}: number of vertices");
    for (i, (p, q)) in a.iter().zip(&b).enumerate() {
        assert!(
            (p.x - q.x).abs() <= tolerance && (p.y - q.y).abs() <= tolerance,
            "{at}: vertex {i}: ours {p:?}, GDAL {q:?}"
        );
    }
}

/// A table (read or written by OneMap) against GDAL's reading of a layer: the feature count,
/// every attribute GDAL has (by `field(ours)` → GDAL's name) and every coordinate.
pub fn assert_table_matches(
    table: &DataTable,
    features: &[&DataFeature],
    gdal: &Value,
    gdal_field: &dyn Fn(&str) -> String,
    tolerance: f64,
) {
    let theirs = self::features(gdal);
    assert_eq!(
        features.len(),
        theirs.len(),
        "{}: feature count",
        table.name
    );
    for (i, (ours, (geometry, properties))) in features.iter().zip(&theirs).enumerate() {
        let at = format!("{} feature {}", table.name, i + 1);
        for field in &table.fields {
            let name = gdal_field(&field.name);
            let ours_value = ours.attributes.get(&field.name).unwrap_or(&Value::Null);
            let gdal_value = properties.get(&name).unwrap_or(&Value::Null);
            assert!(
                same_value(ours_value, gdal_value),
                "{at}, field {} (GDAL {name}): ours {ours_value}, GDAL {gdal_value}",
                field.name
            );
        }
        match (&ours.geometry, geometry) {
            (Some(a), Some(b)) => assert_same_geometry(a, b, tolerance, &at),
            (None, None) => {}
            (a, b) => panic!("{at}: ours {a:?}, GDAL {b:?}"),
        }
    }
}
