//! One huge feature, generated: a polygon of hundreds of thousands of vertices (a digitized
//! shoreline's worth) that takes part of 太湖's ecological core, as a placement of the default
//! project and as a sketch layer's GeoJSON. No 10 MB file is committed: the tests, the
//! `huge_feature` example (for timing the CLI) and the bench make it when they need it.
// Shared by test crates and the example; each uses some of it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use onemap::model::project::{
    Placement, PlacementGeometry, PlacementId, PlacementStatus, Project, SketchLayer, SketchSource,
};

/// The figure: a 400,000-vertex placement, a ~10 MB project.
pub const HUGE_VERTICES: usize = 400_000;

/// Where the polygon lies: east of 太湖, reaching into its ecological core (whose east shore
/// is at about 120.6° E), inside the plan area.
pub const CENTRE: (f64, f64) = (120.62, 31.22);
pub const RADIUS_DEG: f64 = 0.12;

pub const PLACEMENT_ID: &str = "placement.huge-park";

/// A closed ring of `n` vertices around [`CENTRE`] (plus the closing repeat): a wavy outline
/// with a jagged edge of a few metres, as a digitized boundary has. Star-shaped about the
/// centre with every radius positive, so it is a simple polygon.
pub fn huge_ring(n: usize) -> Vec<(f64, f64)> {
    huge_ring_of(n, RADIUS_DEG)
}

/// [`huge_ring`] with another radius (degrees).
pub fn huge_ring_of(n: usize, radius_deg: f64) -> Vec<(f64, f64)> {
    let mut ring: Vec<(f64, f64)> = (0..n)
        .map(|k| {
            let a = std::f64::consts::TAU * k as f64 / n as f64;
            let wave = 1.0 + 0.08 * (7.0 * a).sin() + 0.03 * (31.0 * a).cos();
            let jag = if k % 2 == 0 { 1.0 } else { 0.9997 };
            let r = radius_deg * wave * jag;
            (
                onemap::model::project::round7(CENTRE.0 + r * a.cos()),
                onemap::model::project::round7(CENTRE.1 + r * a.sin()),
            )
        })
        .collect();
    ring.push(ring[0]);
    ring
}

fn default_project(root: &Path) -> Project {
    onemap::io::load_project(&root.join("assets/projects/sma-2022.onemap"))
        .expect("the default project loads")
}

/// The huge polygon as an industrial placement (a building action: checked against the
/// ecological cores).
pub fn huge_placement(ring: Vec<(f64, f64)>) -> Placement {
    Placement {
        name_zh: "巨型测试园区".into(),
        name_en: "Huge test park".into(),
        action: "industry".into(),
        section: Some("section.taihu".into()),
        lead_city: Some("city.suzhou".into()),
        participants: vec![],
        status: PlacementStatus::Proposed,
        horizon: 2035,
        geometry: PlacementGeometry::Polygon(vec![ring]),
        description: String::new(),
        source: "generated for the huge-feature tests".into(),
        indicative: true,
        comments: vec![],
    }
}

/// The default project with the huge placement (`ring`) added, saved as `dir/huge.onemap`.
pub fn write_placement_project(root: &Path, dir: &Path, ring: Vec<(f64, f64)>) -> PathBuf {
    let mut project = default_project(root);
    project
        .placements
        .insert(PlacementId(PLACEMENT_ID.into()), huge_placement(ring));
    let path = dir.join("huge.onemap");
    onemap::io::save_project(&path, &project).expect("the huge project saves");
    path
}

/// A ring as a GeoJSON FeatureCollection of one polygon feature.
pub fn huge_geojson(ring: &[(f64, f64)]) -> String {
    let coords: Vec<[f64; 2]> = ring.iter().map(|&(x, y)| [x, y]).collect();
    serde_json::json!({
        "type": "FeatureCollection",
        "features": [{
            "type": "Feature",
            "id": "huge",
            "properties": {"name": "巨型测试片区", "kind": "generated"},
            "geometry": {"type": "Polygon", "coordinates": [coords]},
        }],
    })
    .to_string()
}

/// The default project with a sketch layer referencing `dir/huge.geojson` (the polygon `ring`),
/// saved as `dir/huge-sketch.onemap`.
pub fn write_sketch_project(root: &Path, dir: &Path, ring: &[(f64, f64)]) -> PathBuf {
    std::fs::write(dir.join("huge.geojson"), huge_geojson(ring)).expect("the GeoJSON is written");
    let mut project = default_project(root);
    project.sketch_layers.insert(
        "huge".into(),
        SketchLayer {
            name: "巨型测试片区".into(),
            source: SketchSource::Referenced("huge.geojson".into()),
            visible: true,
            opacity: 1.0,
            choices: Default::default(),
            label_field: None,
        },
    );
    let path = dir.join("huge-sketch.onemap");
    onemap::io::save_project(&path, &project).expect("the sketch project saves");
    path
}
