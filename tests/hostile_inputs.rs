//! Issue 15: numbers and shapes a file can say that must not crash OneMap. Each hostile file is
//! refused on load, by every path that loads it (validate, check, export, diff, merge,
//! journals, review sidecars), with the file and the field named; and what loads can always be
//! built into a map scene.

// An integration test is a crate of its own, which clippy's allow-unwrap-in-tests (clippy.toml)
// does not cover outside #[test] functions: its helpers unwrap too, a panic being a failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::{onemap, root};

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use onemap::io::project_file::{parse_project, project_to_string};
use onemap::io::{DataDir, read_plan, read_style};
use onemap::map::Scene;
use onemap::model::overrides::{EDITABLE_LAYERS, PlanOverride, apply};
use onemap::model::project::{Comment, MapNote, MapView, PlacementGeometry, PlacementId, Project};
use onemap::model::{FeatureId, Plan, PlanFeature, Region};
use proptest::prelude::*;

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("onemap-hostile-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn default_text() -> String {
    std::fs::read_to_string(DataDir::at(root()).default_project()).unwrap()
}

/// The default project with `edit` applied to its text, written to `dir/name`.
fn write_edited(dir: &Path, name: &str, edit: impl Fn(&str) -> String) -> PathBuf {
    let text = default_text();
    let edited = edit(&text);
    assert_ne!(edited, text, "the edit of {name} found nothing to change");
    let path = dir.join(name);
    std::fs::write(&path, edited).unwrap();
    path
}

/// Adds `plan_overrides: {…}` (RON text of the map's entries) to the default project.
fn with_overrides(entries: &str) -> impl Fn(&str) -> String + '_ {
    move |text: &str| {
        text.replacen(
            "    acknowledgements: {},\n  ),\n)",
            &format!("    acknowledgements: {{}},\n    plan_overrides: {{{entries}}},\n  ),\n)"),
            1,
        )
    }
}

/// An added corridor sketch `sketch.x` with the given geometry (RON).
fn added(geometry: &str) -> String {
    format!(
        r#""sketch.x": Added(layer: "corridors", name_zh: "x", name_en: "x", kind: "primary", geometry: {geometry})"#
    )
}

const ISSUE_REPRODUCTION: &str = "LineString([(NaN, 31.0), (121.0, inf)])";

fn str_path(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn a_nan_override_is_refused_by_validate_and_does_not_crash_export() {
    let dir = scratch("nan-override");
    let added = added(ISSUE_REPRODUCTION);
    let bad = write_edited(&dir, "bad.onemap", with_overrides(&added));
    let expected =
        r#"plan_overrides["sketch.x"].geometry: coordinate 0 (NaN, 31.0) is not a finite number"#;

    let (code, _, err) = onemap(&["validate", str_path(&bad)]);
    assert_eq!(code, 2, "validate: {err}");
    assert!(err.contains(&bad.display().to_string()), "{err}");
    assert!(err.contains(expected), "{err}");

    let png = dir.join("out.png");
    let (code, _, err) = onemap(&[
        "export",
        str_path(&bad),
        "--out",
        str_path(&png),
        "--width",
        "64",
        "--height",
        "36",
    ]);
    assert_eq!(code, 2, "export must refuse, not panic: {err}");
    assert!(err.contains(expected), "{err}");
    assert!(!png.exists(), "nothing is written");
}

/// An edit of the project file's text.
type Edit = Box<dyn Fn(&str) -> String>;

/// Each hostile edit of the default project, and the message naming its field.
fn hostile_edits() -> Vec<(&'static str, Edit, &'static str)> {
    let overrides = |geometry: &'static str| -> Edit {
        let entry = added(geometry);
        Box::new(move |t: &str| with_overrides(&entry)(t))
    };
    let note = |at: &'static str| -> Edit {
        let entry = format!(
            r#"    notes: [(at: {at}, comment: (author: "a", time: "2026-11-28T00:00:00Z", text: "x"))],"#
        );
        Box::new(move |t: &str| {
            t.replacen(
                "    acknowledgements: {},\n  ),\n)",
                &format!("    acknowledgements: {{}},\n{entry}\n  ),\n)"),
                1,
            )
        })
    };
    let view = |v: &'static str| -> Edit {
        Box::new(move |t: &str| t.replacen("\n    view: None,", &format!("\n    view: {v},"), 1))
    };
    let text_edit = |from: &'static str, to: &'static str| -> Edit {
        Box::new(move |t: &str| t.replacen(from, to, 1))
    };
    vec![
        (
            "opacity-nan",
            text_edit("opacity: 1.0", "opacity: NaN"),
            r#"settings.groups["basemap"].opacity: NaN is outside 0..=1"#,
        ),
        (
            "opacity-above-one",
            text_edit("opacity: 1.0", "opacity: 3.0"),
            r#"settings.groups["basemap"].opacity: 3.0 is outside 0..=1"#,
        ),
        (
            "note-nan",
            note("(NaN, 31.0)"),
            "notes[0].at: (NaN, 31.0) is not a finite number",
        ),
        (
            "note-inf",
            note("(121.0, inf)"),
            "notes[0].at: (121.0, inf) is not a finite number",
        ),
        (
            "view-centre-nan",
            view("Some((center: (NaN, 31.0), zoom: 9.0))"),
            "view.center: (NaN, 31.0) is not a finite number",
        ),
        (
            "view-centre-inf",
            view("Some((center: (121.0, -inf), zoom: 9.0))"),
            "view.center: (121.0, -inf) is not a finite number",
        ),
        (
            "view-zoom-nan",
            view("Some((center: (121.0, 31.0), zoom: NaN))"),
            "view.zoom: NaN is outside 0..=26",
        ),
        (
            "view-zoom-huge",
            view("Some((center: (121.0, 31.0), zoom: 1e300))"),
            "view.zoom: 1e300 is outside 0..=26",
        ),
        (
            "scene-zoom-huge",
            text_edit("zoom: 10.486", "zoom: 1e300"),
            "scenes[3].view.zoom: 1e300 is outside 0..=26",
        ),
        (
            "scene-zoom-negative",
            text_edit("zoom: 10.486", "zoom: -1e300"),
            "scenes[3].view.zoom: -1e300 is outside 0..=26",
        ),
        (
            "override-line-one-point",
            overrides("LineString([(121.0, 31.0)])"),
            r#"plan_overrides["sketch.x"].geometry: a line needs at least 2 positions; it has 1"#,
        ),
        (
            "override-polygon-unclosed",
            overrides("Polygon([[(121.0, 31.0), (121.1, 31.0), (121.1, 31.1), (121.0, 31.1)]])"),
            r#"plan_overrides["sketch.x"].geometry: ring 0 is not closed: its first and last positions differ"#,
        ),
        (
            "override-polygon-empty",
            overrides("Polygon([])"),
            r#"plan_overrides["sketch.x"].geometry: a polygon needs at least one ring"#,
        ),
        (
            "override-polygon-empty-ring",
            overrides("Polygon([[]])"),
            r#"plan_overrides["sketch.x"].geometry: ring 0 has 0 positions; a ring needs at least 4"#,
        ),
        (
            "override-outside-lonlat",
            overrides("Point((500.0, 31.0))"),
            r#"plan_overrides["sketch.x"].geometry: coordinate 0 (500.0, 31.0) is outside ±180/±90 (lon/lat, WGS84)"#,
        ),
    ]
}

#[test]
fn validate_refuses_every_hostile_number_and_shape_naming_the_field() {
    let dir = scratch("edits");
    let mut failures = Vec::new();
    for (name, edit, expected) in hostile_edits() {
        let path = write_edited(&dir, &format!("{name}.onemap"), edit);
        let (code, out, err) = onemap(&["validate", str_path(&path)]);
        let named = format!("{}: {expected}", path.display());
        if code != 2 || !err.contains(&named) {
            failures.push(format!(
                "{name}: exit {code}, expected 2 and `{named}`\n  stdout: {out}  stderr: {err}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn check_diff_and_merge_refuse_a_hostile_input_and_write_nothing() {
    let dir = scratch("commands");
    let good = dir.join("good.onemap");
    std::fs::write(&good, default_text()).unwrap();
    let added = added(ISSUE_REPRODUCTION);
    let bad = write_edited(&dir, "bad.onemap", with_overrides(&added));
    let expected = r#"plan_overrides["sketch.x"].geometry"#;

    let (code, _, err) = onemap(&["check", str_path(&bad)]);
    assert_eq!(code, 2, "check: {err}");
    assert!(err.contains(expected), "{err}");

    let (code, _, err) = onemap(&["diff", str_path(&good), str_path(&bad)]);
    assert_eq!(code, 2, "diff: {err}");
    assert!(err.contains(expected), "{err}");

    let merged = dir.join("merged.onemap");
    let (code, _, err) = onemap(&[
        "merge",
        str_path(&good),
        str_path(&good),
        str_path(&bad),
        "-o",
        str_path(&merged),
    ]);
    assert_eq!(code, 2, "merge: {err}");
    assert!(err.contains(expected), "{err}");
    assert!(!merged.exists(), "nothing is written");
}

fn default_project() -> Project {
    parse_project(Path::new("default.onemap"), &default_text()).unwrap()
}

fn nan_override() -> PlanOverride {
    PlanOverride::Added {
        layer: "corridors".into(),
        name_zh: "x".into(),
        name_en: "x".into(),
        kind: "primary".into(),
        geometry: PlacementGeometry::LineString(vec![(f64::NAN, 31.0), (121.0, f64::INFINITY)]),
    }
}

#[test]
fn a_recovery_journal_with_a_nan_override_is_refused() {
    use onemap::io::recovery::{read_journal, write_journal};
    let dir = scratch("journal");
    let mut project = default_project();
    project
        .plan_overrides
        .insert("sketch.x".into(), nan_override());
    let file = dir.join("session.recovery");
    write_journal(&file, None, "2026-11-28T00:00:00Z", &project).unwrap();
    let err = read_journal(&file).unwrap_err().to_string();
    assert!(err.contains(&file.display().to_string()), "{err}");
    assert!(
        err.contains(r#"plan_overrides["sketch.x"].geometry: coordinate 0 (NaN, 31.0) is not a finite number"#),
        "{err}"
    );
}

#[test]
fn a_review_sidecar_with_a_nan_location_is_refused() {
    use onemap::io::review_file::{load_review, save_review};
    use onemap::model::review::{Anchor, CommentStatus, Review, ReviewComment};
    let dir = scratch("review");
    let comment = |id: &str, anchor: Anchor| ReviewComment {
        id: id.into(),
        anchor,
        author: "r".into(),
        time: "2026-11-28T00:00:00Z".into(),
        text: "x".into(),
        status: CommentStatus::Open,
        replies: Vec::new(),
    };
    let review = Review {
        reviewed: "p.onemap".into(),
        comments: vec![
            comment("c1", Anchor::Location(121.0, 31.0)),
            comment("c2", Anchor::Location(f64::NAN, 31.0)),
        ],
    };
    let file = dir.join("p.review.onemap");
    save_review(&file, &review).unwrap();
    let err = load_review(&file).unwrap_err().to_string();
    assert_eq!(
        err,
        format!(
            "{}: comments[1].anchor: (NaN, 31.0) is not a finite number",
            file.display()
        )
    );
}

// --- What loads can be drawn ----------------------------------------------------------------

struct MapData {
    plan: Plan,
    style: onemap::model::style::Style,
    project: Project,
}

fn map_data() -> &'static MapData {
    static DATA: OnceLock<MapData> = OnceLock::new();
    DATA.get_or_init(|| MapData {
        plan: read_plan(&root().join("layers"), Region::SHANGHAI_METROPOLITAN_AREA)
            .unwrap()
            .plan,
        style: read_style(&DataDir::at(root()).style()).unwrap(),
        project: default_project(),
    })
}

fn hostile_number() -> impl Strategy<Value = f64> {
    prop_oneof![
        Just(f64::NAN),
        Just(f64::INFINITY),
        Just(f64::NEG_INFINITY),
        Just(1e300),
        Just(-1e300),
        Just(180.0),
        Just(-90.0),
        Just(0.0),
        120.0..122.0f64,
        30.0..32.0f64,
        any::<f64>(),
    ]
}

/// A number from `sound`, or with `hostile` sometimes one of the hostile numbers.
fn number(sound: impl Strategy<Value = f64> + 'static, hostile: bool) -> BoxedStrategy<f64> {
    if hostile {
        prop_oneof![8 => sound, 1 => hostile_number()].boxed()
    } else {
        sound.boxed()
    }
}

/// Near the plan region, or with `hostile` sometimes anything.
fn position(hostile: bool) -> BoxedStrategy<(f64, f64)> {
    (
        number(118.0..123.0f64, hostile),
        number(29.0..33.0f64, hostile),
    )
        .boxed()
}

/// Points, lines and polygons of the right shape, or with `hostile` sometimes too short, empty
/// or unclosed.
fn geometry(hostile: bool) -> BoxedStrategy<PlacementGeometry> {
    let closed = prop::collection::vec(position(hostile), 3..7).prop_map(|mut r| {
        r.push(r[0]);
        r
    });
    let sound = prop_oneof![
        position(hostile).prop_map(PlacementGeometry::Point),
        prop::collection::vec(position(hostile), 2..6).prop_map(PlacementGeometry::LineString),
        prop::collection::vec(closed, 1..3).prop_map(PlacementGeometry::Polygon),
    ];
    if !hostile {
        return sound.boxed();
    }
    let short_line = prop::collection::vec(position(true), 0..2);
    let any_rings = prop::collection::vec(prop::collection::vec(position(true), 0..6), 0..3);
    prop_oneof![
        3 => sound,
        1 => short_line.prop_map(PlacementGeometry::LineString),
        1 => any_rings.prop_map(PlacementGeometry::Polygon),
    ]
    .boxed()
}

/// What the proptests vary in the default project.
#[derive(Debug)]
struct Variation {
    override_geometry: PlacementGeometry,
    placement_geometry: PlacementGeometry,
    layer: usize,
    note: (f64, f64),
    center: (f64, f64),
    zoom: f64,
    opacity: f64,
}

fn variation(hostile: bool) -> impl Strategy<Value = Variation> {
    (
        geometry(hostile),
        geometry(hostile),
        0..EDITABLE_LAYERS.len(),
        position(hostile),
        position(hostile),
        number(0.0..=26.0f64, hostile),
        number(0.0..=1.0f64, hostile),
    )
        .prop_map(|(o, p, layer, note, center, zoom, opacity)| Variation {
            override_geometry: o,
            placement_geometry: p,
            layer,
            note,
            center,
            zoom,
            opacity,
        })
}

/// The default project, varied, as the text of its file.
fn varied_project_text(v: Variation) -> String {
    let mut project = map_data().project.clone();
    project.plan_overrides.insert(
        "sketch.p".into(),
        PlanOverride::Added {
            layer: EDITABLE_LAYERS[v.layer].into(),
            name_zh: "p".into(),
            name_en: "p".into(),
            kind: "primary".into(),
            geometry: v.override_geometry,
        },
    );
    let railway = PlacementId("placement.husuhu-railway".into());
    project.placements.get_mut(&railway).unwrap().geometry = v.placement_geometry;
    project.notes.push(MapNote {
        at: v.note,
        comment: Comment {
            author: "a".into(),
            time: "t".into(),
            text: "x".into(),
        },
    });
    project.view = Some(MapView {
        center: v.center,
        zoom: v.zoom,
    });
    if let Some(s) = project.settings.layers.values_mut().next() {
        s.opacity = v.opacity as f32;
    }
    project_to_string(&project).unwrap()
}

/// Builds the overlay scene of a loaded project and frames its view, as opening and
/// exporting it do: nothing panics, every item is indexed where it lies, and the camera is
/// inside the map's zoom range.
fn builds(loaded: &Project) -> Result<(), TestCaseError> {
    let data = map_data();
    let (scene, n) = overlay(loaded, data);
    prop_assert_eq!(scene.items.len(), n);
    let world = geo::Rect::new((-180.0, -90.0), (180.0, 90.0));
    prop_assert_eq!(scene.items_in(world).len(), n);
    let spec = onemap::present::export::SlideSpec::of(loaded, None);
    let area = onemap::present::plan_area(&data.plan);
    let camera = spec.camera(area, egui::vec2(64.0, 36.0));
    prop_assert!((0.0..=26.0).contains(&camera.zoom), "{:?}", camera);
    prop_assert!(camera.center.0.is_finite() && camera.center.1.is_finite());
    Ok(())
}

/// The overlay scene `Document::rebuild` makes: placements, and the sketched plan features.
fn overlay(project: &Project, data: &MapData) -> (Scene, usize) {
    let effective = apply(&data.plan, &project.plan_overrides);
    let mut features: Vec<PlanFeature> = effective
        .sketched
        .keys()
        .filter_map(|id| effective.plan.feature(id).cloned())
        .collect();
    for (id, p) in &project.placements {
        let properties = [
            ("name_zh", &p.name_zh),
            ("name_en", &p.name_en),
            ("kind", &p.action),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), serde_json::Value::String(v.clone())))
        .collect();
        features.push(PlanFeature {
            id: FeatureId(id.0.clone()),
            layer: "placements".into(),
            geometry: p.geometry.to_geo(),
            properties,
        });
    }
    let n = features.len();
    (Scene::build_overlay(&features, &data.style), n)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// Any project the loader accepts, however hostile its numbers, builds into a map scene.
    #[test]
    fn a_project_that_loads_builds_into_a_scene(v in variation(true)) {
        if let Ok(loaded) = parse_project(Path::new("p.onemap"), &varied_project_text(v)) {
            builds(&loaded)?;
        }
    }

    /// A project of sound numbers and shapes always loads (the checks refuse nothing they
    /// should not), and builds.
    #[test]
    fn a_sound_project_loads_and_builds(v in variation(false)) {
        let loaded = parse_project(Path::new("p.onemap"), &varied_project_text(v));
        prop_assert!(loaded.is_ok(), "{:?}", loaded.err());
        builds(&loaded.unwrap())?;
    }
}

/// The proptest's overlay is not vacuous: the default project's own placements and a sound
/// sketch are all in it.
#[test]
fn the_overlay_of_a_sound_project_has_every_feature() {
    let data = map_data();
    let mut project = data.project.clone();
    project.plan_overrides.insert(
        "sketch.x".into(),
        PlanOverride::Added {
            layer: "corridors".into(),
            name_zh: "x".into(),
            name_en: "x".into(),
            kind: "primary".into(),
            geometry: PlacementGeometry::LineString(vec![(121.0, 31.0), (121.2, 31.1)]),
        },
    );
    let (scene, n) = overlay(&project, data);
    assert_eq!(n, project.placements.len() + 1);
    assert_eq!(scene.items.len(), n);
}
