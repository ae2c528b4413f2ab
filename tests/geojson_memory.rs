//! Reading GeoJSON takes memory in proportion to the file, at most about 3× its size (issue
//! 15: validating a 214 MiB file took 3.46 GiB, 16×, when the whole file became a JSON tree).

// An integration test is a crate of its own, which clippy's allow-unwrap-in-tests (clippy.toml)
// does not cover outside #[test] functions: its helpers unwrap too, a panic being a failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![cfg(target_os = "linux")]

mod common;
use common::run_measured;

use std::io::Write as _;

/// A FeatureCollection of `n` 20-vertex polygons with a few properties each.
fn write_large(path: &std::path::Path, n: usize) -> u64 {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    write!(out, r#"{{"type": "FeatureCollection", "features": ["#).unwrap();
    for i in 0..n {
        let (x0, y0) = (
            119.0 + (i % 400) as f64 * 0.01,
            29.0 + (i / 400) as f64 * 0.01,
        );
        let ring: Vec<String> = (0..20)
            .map(|k| {
                let a = k as f64 / 19.0 * std::f64::consts::TAU;
                let (x, y) = if k == 19 {
                    (x0 + 0.004, y0)
                } else {
                    (x0 + 0.004 * a.cos(), y0 + 0.004 * a.sin())
                };
                format!("[{x:.6}, {y:.6}]")
            })
            .collect();
        let sep = if i + 1 == n { "" } else { "," };
        writeln!(
            out,
            r#"{{"type": "Feature", "properties": {{"id": "f{i}", "name": "polygon {i}", "area": {}}}, "geometry": {{"type": "Polygon", "coordinates": [[{}]]}}}}{sep}"#,
            i as f64 * 0.5,
            ring.join(", ")
        )
        .unwrap();
    }
    writeln!(out, "]}}").unwrap();
    out.flush().unwrap();
    std::fs::metadata(path).unwrap().len()
}

#[test]
fn validate_and_export_take_at_most_three_times_the_file_size() {
    let dir = std::env::temp_dir().join(format!("onemap-memory-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("large.geojson");
    let size = write_large(&path, 60_000);
    assert!(size > 24 << 20, "{size}");
    let file = path.to_str().unwrap();
    let (code, peak) = run_measured(&["validate", file]);
    assert_eq!(code, 0);
    assert!(
        peak < 3 * size,
        "validate: peak {} MiB for a {} MiB file",
        peak >> 20,
        size >> 20
    );
    let _ = std::fs::remove_dir_all(&dir);
}
