//! Writes the huge-feature projects for timing the command line by hand (see
//! `benches/huge_feature_cli.py`): `huge.onemap` (the default project with a placement polygon of
//! 400,000 vertices), `huge-sketch.onemap` and `huge.geojson` (the same polygon as a sketch
//! layer).
//!
//! usage: cargo run --release --example huge_feature -- OUT_DIR [VERTICES [RADIUS_DEG]]
// A generator for measurements, not a part of the program: a failure is a panic.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/common/huge.rs"]
mod huge;

use std::path::Path;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next() else {
        eprintln!("usage: huge_feature OUT_DIR [VERTICES [RADIUS_DEG]]");
        std::process::exit(2);
    };
    let n = args.next().map_or(huge::HUGE_VERTICES, |v| {
        v.parse().expect("VERTICES is a number")
    });
    let radius = args.next().map_or(huge::RADIUS_DEG, |r| {
        r.parse().expect("RADIUS_DEG is a number")
    });
    let ring = huge::huge_ring_of(n, radius);
    let dir = Path::new(&dir);
    std::fs::create_dir_all(dir).unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for path in [
        huge::write_placement_project(root, dir, ring.clone()),
        huge::write_sketch_project(root, dir, &ring),
        dir.join("huge.geojson"),
    ] {
        let size = std::fs::metadata(&path).unwrap().len();
        println!("{} ({:.1} MB)", path.display(), size as f64 / 1e6);
    }
}
