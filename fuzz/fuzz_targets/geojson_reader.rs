//! The one GeoJSON reader on any bytes (UTF-8 or not): a report or an error, never a panic;
//! text and bytes, with and without properties, give the same result; and every feature it lets
//! through keeps the rules (finite lon/lat in range, lines of 2 positions, closed rings).
#![no_main]

use std::path::Path;

use geo::CoordsIter;
use libfuzzer_sys::fuzz_target;
use onemap::io::geojson_reader::{Feature, PropertiesMode, ReadOptions, read_bytes, read_str};

/// What a reading found, comparable across modes: the geometries and the report's lines, or
/// the error's text.
fn outcome(result: Result<onemap::io::geojson_reader::GeoJson<Feature>, onemap::io::IoError>) -> Result<(Vec<geo::Geometry<f64>>, Vec<String>), String> {
    result
        .map(|file| {
            let lines = file.report.problems.iter().map(ToString::to_string).collect();
            (file.features.into_iter().map(|f| f.geometry).collect(), lines)
        })
        .map_err(|e| e.to_string())
}

fn check_rules(g: &geo::Geometry<f64>) {
    for c in g.coords_iter() {
        assert!(c.x.is_finite() && c.y.is_finite() && c.x.abs() <= 180.0 && c.y.abs() <= 90.0);
    }
    let rings_closed = |p: &geo::Polygon<f64>| {
        std::iter::once(p.exterior())
            .chain(p.interiors())
            .all(|r| r.0.len() >= 4 && r.0.first() == r.0.last())
    };
    match g {
        geo::Geometry::LineString(l) => assert!(l.0.len() >= 2),
        geo::Geometry::MultiLineString(m) => assert!(m.0.iter().all(|l| l.0.len() >= 2)),
        geo::Geometry::Polygon(p) => assert!(rings_closed(p)),
        geo::Geometry::MultiPolygon(m) => assert!(m.0.iter().all(rings_closed)),
        geo::Geometry::GeometryCollection(c) => c.0.iter().for_each(check_rules),
        _ => {}
    }
}

fuzz_target!(|data: &[u8]| {
    let path = Path::new("fuzz.geojson");
    let keep = |f: Feature| f;
    let kept = outcome(read_bytes(path, data, &ReadOptions::new(PropertiesMode::Keep), keep));
    let skipped = outcome(read_bytes(path, data, &ReadOptions::new(PropertiesMode::Skip), keep));
    assert_eq!(kept, skipped, "the same with and without properties");
    if let Ok(text) = std::str::from_utf8(data) {
        let one_pass = outcome(read_str(path, text, PropertiesMode::Keep, keep));
        assert_eq!(kept, one_pass, "text as bytes");
    }
    if let Ok((geometries, _)) = &kept {
        geometries.iter().for_each(check_rules);
    }
});
