//! One huge feature must not stall anything: a placement polygon of 400,000 vertices (a 15 MB
//! project), and the same polygon as a sketch layer, through `check`, `export`, `diff` and the
//! app. The polygon is generated (tests/common/huge.rs), not committed. These tests assert that
//! the work completes and that its results are right; how long it takes is measured by
//! `benches/huge_feature.rs` and with the release binary (see the README), not here.

// An integration test is a crate of its own, which clippy's allow-unwrap-in-tests (clippy.toml)
// does not cover outside #[test] functions: its helpers unwrap too, a panic being a failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use common::huge;
use common::{drawn, onemap, root};
use geo::{BooleanOps, BoundingRect};
use onemap::model::FeatureId;

/// The two projects and the GeoJSON, written once for all the tests of this file.
fn projects() -> &'static (PathBuf, PathBuf) {
    static PROJECTS: OnceLock<(PathBuf, PathBuf)> = OnceLock::new();
    PROJECTS.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("onemap-huge-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let ring = huge::huge_ring(huge::HUGE_VERTICES);
        (
            huge::write_placement_project(root(), &dir, ring.clone()),
            huge::write_sketch_project(root(), &dir, &ring),
        )
    })
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn the_project_is_as_large_as_the_issue_says_and_loads() {
    let (placement, _) = projects();
    let bytes = std::fs::metadata(placement).unwrap().len();
    assert!(
        (10_000_000..onemap::io::project_file::MAX_PROJECT_BYTES).contains(&bytes),
        "{bytes}"
    );
    let project = onemap::io::load_project(placement).unwrap();
    let p = &project.placements[&onemap::model::project::PlacementId(huge::PLACEMENT_ID.into())];
    assert_eq!(p.geometry.positions().count(), huge::HUGE_VERTICES + 1);
}

/// The overlap with 太湖's ecological core, computed the plain way: the whole outline in one
/// overlay with the core, no index and no clipping.
fn taihu_overlap_km2() -> f64 {
    let data = onemap::doc::AppData::load(&onemap::io::DataDir::at(root())).unwrap();
    let core = data
        .plan
        .feature(&FeatureId("eco.lake_taihu".into()))
        .unwrap();
    let geo::Geometry::Polygon(core) = &core.geometry else {
        panic!("太湖's core is a polygon")
    };
    let ring = huge::huge_ring(huge::HUGE_VERTICES);
    let outline = geo::Polygon::new(geo::LineString::from(ring), vec![]);
    onemap::model::measure::area_km2(&outline.intersection(core))
}

#[test]
fn check_finds_the_huge_placement_taking_taihu_ecological_core() {
    let (placement, _) = projects();
    let (code, out, err) = onemap(&["check", s(placement), "--json"]);
    assert_eq!(code, 1, "{err}");
    let findings: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    let ours: Vec<&serde_json::Value> = findings
        .iter()
        .filter(|f| f["placement"] == huge::PLACEMENT_ID)
        .collect();
    let ids: Vec<&str> = ours.iter().map(|f| f["id"].as_str().unwrap()).collect();
    // Only the core it reaches: inside the plan area, in its declared zone and city.
    assert_eq!(ids, ["ecological_core:placement.huge-park:eco.lake_taihu"]);
    let overlap = ours[0]["overlap_km2"].as_f64().unwrap();
    let expected = taihu_overlap_km2();
    assert!(
        expected > 10.0 && (overlap - expected).abs() < 1e-6 * expected,
        "{overlap} km² against {expected} km²"
    );
    // The finding's box is the placement's.
    let bbox: Vec<f64> = serde_json::from_value(ours[0]["bbox"].clone()).unwrap();
    let ring = geo::LineString::from(huge::huge_ring(huge::HUGE_VERTICES));
    let r = ring.bounding_rect().unwrap();
    assert_eq!(bbox, [r.min().x, r.min().y, r.max().x, r.max().y]);
}

/// The PNG's RGBA pixels.
fn pixels(path: &Path) -> Vec<u8> {
    let mut reader = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).unwrap()))
        .read_info()
        .unwrap();
    let mut px = vec![0; reader.output_buffer_size().unwrap()];
    reader.next_frame(&mut px).unwrap();
    px
}

#[test]
fn export_draws_the_huge_feature_as_placement_and_as_sketch_layer() {
    let (placement, sketch) = projects();
    let dir = placement.parent().unwrap();
    let export = |project: &Path, out: &str| {
        let out = dir.join(out);
        let size = ["--width", "960", "--height", "540"];
        let (code, _, err) =
            onemap(&[&["export", s(project), "--out", s(&out)], &size[..]].concat());
        assert_eq!(code, 0, "{err}");
        out
    };
    let default_project = root().join("assets/projects/sma-2022.onemap");
    let default = pixels(&export(&default_project, "default.png"));
    let default_svg = std::fs::metadata(export(&default_project, "default.svg"))
        .unwrap()
        .len() as usize;
    for (project, name) in [(placement, "placement"), (sketch, "sketch")] {
        let png = pixels(&export(project, &format!("{name}.png")));
        let differing = png
            .chunks_exact(4)
            .zip(default.chunks_exact(4))
            .filter(|(a, b)| a != b)
            .count();
        // The polygon is about 25 km across: some 30 px at this size, its hatched fill and
        // dotted outline some hundreds of pixels.
        assert!(differing > 400, "{name}: {differing} pixels differ");
        let svg = std::fs::read_to_string(export(project, &format!("{name}.svg"))).unwrap();
        roxmltree::Document::parse(&svg).unwrap();
        // Drawn at the output's pixel size, not vertex by vertex: 400,000 vertices would take
        // some 8 MB of SVG on their own.
        let added = svg.len().saturating_sub(default_svg);
        assert!(added < 200_000, "{name}: {added} bytes more SVG");
    }
}

#[test]
fn diff_names_the_added_huge_placement_and_its_finding_and_measures_a_move() {
    let (placement, _) = projects();
    let default = root().join("assets/projects/sma-2022.onemap");
    let (code, out, err) = onemap(&["diff", s(&default), s(placement)]);
    assert_eq!(code, 1, "{err}");
    assert!(
        out.contains("added\tplacement placement.huge-park")
            && out.contains("new findings: ecological_core:placement.huge-park:eco.lake_taihu"),
        "{out}"
    );
    // The whole outline moved 0.01° east: about 953 m at 31.2° N, the largest displacement.
    let mut moved = onemap::io::load_project(placement).unwrap();
    let id = onemap::model::project::PlacementId(huge::PLACEMENT_ID.into());
    let g = &mut moved.placements.get_mut(&id).unwrap().geometry;
    *g = g.translated(0.01, 0.0);
    let moved_path = placement.with_file_name("moved.onemap");
    onemap::io::save_project(&moved_path, &moved).unwrap();
    let (code, out, err) = onemap(&["diff", s(placement), s(&moved_path), "--json"]);
    assert_eq!(code, 1, "{err}");
    let changes: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    assert_eq!(changes.len(), 1, "{out}");
    let metres = changes[0]["geometry"]["max_displacement_m"]
        .as_f64()
        .unwrap();
    let expected = 0.01_f64.to_radians() * 6_378_137.0 * 31.22_f64.to_radians().cos();
    assert!((metres - expected).abs() < 0.005 * expected, "{metres} m");
}

fn harness(project: &Path) -> egui_kittest::Harness<'static, onemap::app::OneMapApp> {
    let data = onemap::app::AppData::load(&onemap::io::DataDir::at(root())).unwrap();
    let mut app = onemap::app::OneMapApp::new(data);
    app.open_at_start(project);
    assert!(app.files.dialog.is_none(), "the project opens");
    let mut h = egui_kittest::Harness::builder()
        .with_size([1400.0, 900.0])
        .with_max_steps(8)
        .with_context_setup(onemap::app::install_fonts)
        .build_ui_state(|ui, app: &mut onemap::app::OneMapApp| app.ui(ui), app);
    h.run();
    h
}

#[test]
fn the_app_draws_the_huge_placement_checks_it_and_draws_it_zoomed_in() {
    let (placement, _) = projects();
    let mut h = harness(placement);
    assert!(drawn(&h, "placements") >= 16, "{:?}", h.state().last_draw);
    let ids: Vec<&str> = h.state().findings.iter().map(|f| f.id.as_str()).collect();
    assert!(
        ids.contains(&"ecological_core:placement.huge-park:eco.lake_taihu"),
        "{ids:?}"
    );
    // Zoomed in on its edge (a pixel is about 2 m): its finest levels, made when first drawn.
    let edge = (huge::CENTRE.0 + huge::RADIUS_DEG * 1.08, huge::CENTRE.1);
    h.state_mut()
        .memory
        .center_at(walkers::lon_lat(edge.0, edge.1));
    h.state_mut().memory.set_zoom(16.0).unwrap();
    h.run();
    let t = h.state().last_transform.unwrap();
    assert!(t.deg_per_px() < 3e-5, "{}", t.deg_per_px());
    assert!(drawn(&h, "placements") >= 1, "{:?}", h.state().last_draw);
}

#[test]
fn the_app_draws_the_huge_sketch_layer() {
    let (_, sketch) = projects();
    let h = harness(sketch);
    assert_eq!(drawn(&h, "sketch:huge"), 1, "{:?}", h.state().last_draw);
}
