//! The `*.onemap` format: round trips, versions, the default project, and every kind of bad
//! input getting its own clear error.

// An integration test is a crate of its own, which clippy's allow-unwrap-in-tests (clippy.toml)
// does not cover outside #[test] functions: its helpers unwrap too, a panic being a failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use onemap::io::project_file::{
    MAX_PROJECT_BYTES, load_project, parse_project, project_to_string, save_project,
};
use onemap::io::{DataDir, read_edition, read_plan};
use onemap::model::LabelLanguage;
use onemap::model::Region;
use onemap::model::project::{
    Comment, Metadata, Placement, PlacementGeometry, PlacementId, PlacementStatus, Project,
    SketchLayer, SketchSource,
};
use onemap::model::project_check::project_problems;
use onemap::model::view::{LayerSettings, ViewSettings};
use proptest::prelude::*;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("onemap-project-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn parse(text: &str) -> Result<Project, String> {
    parse_project(Path::new("bad.onemap"), text).map_err(|e| e.to_string())
}

#[test]
fn the_version_1_fixture_still_loads() {
    let p = load_project(&root().join("tests/fixtures/project_v1.onemap")).unwrap();
    assert_eq!(p.edition, "sma-2022");
    assert_eq!(p.sketch_layers.len(), 2);
    assert_eq!(
        p.sketch_layers["referenced"].source,
        SketchSource::Referenced("data/sketch.geojson".into())
    );
    let commented = &p.placements[&PlacementId("placement.dianshan-greenway".into())];
    assert_eq!(commented.comments[0].author, "reviewer");
    assert_eq!(p.view.map(|v| v.zoom), Some(8.0));
}

#[test]
fn the_default_project_is_canonical_and_fits_its_edition() {
    let path = DataDir::at(root()).default_project();
    let text = std::fs::read_to_string(&path).unwrap();
    let project = parse_project(&path, &text).unwrap();
    assert_eq!(
        project_to_string(&project).unwrap(),
        text,
        "saving the default project changes nothing"
    );
    let dir = DataDir::at(root());
    let edition = read_edition(&dir.edition()).unwrap();
    let plan = read_plan(&dir.layers(), Region::SHANGHAI_METROPOLITAN_AREA)
        .unwrap()
        .plan;
    assert_eq!(
        project_problems(&project, &edition, &plan),
        Vec::<String>::new()
    );
    let names: Vec<&str> = project
        .placements
        .values()
        .map(|p| p.name_zh.as_str())
        .collect();
    for expected in [
        "沪苏湖铁路",
        "通苏嘉甬铁路",
        "沪通铁路二期（太仓–四团）",
        "北沿江高铁（上海–南通段）",
        "沪乍杭高铁",
        "金山至平湖市域铁路",
        "吴淞江整治工程（江苏段）",
        "环淀山湖绿道",
        "青草沙水源地保护",
    ] {
        assert!(
            names.contains(&expected),
            "{expected} missing from the default project"
        );
    }
    assert!(project.placements.values().all(|p| !p.source.is_empty()));
}

#[test]
fn changing_one_placement_changes_only_its_lines() {
    let path = DataDir::at(root()).default_project();
    let mut project = load_project(&path).unwrap();
    let before = project_to_string(&project).unwrap();
    let id = PlacementId("placement.nantong-new-airport".into());
    project.placements.get_mut(&id).unwrap().geometry = PlacementGeometry::Point((121.11, 32.01));
    let after = project_to_string(&project).unwrap();
    let changed: Vec<(&str, &str)> = before
        .lines()
        .zip(after.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(before.lines().count(), after.lines().count());
    assert_eq!(
        changed,
        vec![(
            "        geometry: Point((121.1, 32.0)),",
            "        geometry: Point((121.11, 32.01)),"
        )]
    );
}

#[test]
fn saving_twice_gives_the_same_bytes_and_keeps_a_backup() {
    let dir = scratch("twice");
    let file = dir.join("p.onemap");
    let project = load_project(&root().join("tests/fixtures/project_v1.onemap")).unwrap();
    save_project(&file, &project).unwrap();
    let first = std::fs::read(&file).unwrap();
    save_project(&file, &load_project(&file).unwrap()).unwrap();
    assert_eq!(std::fs::read(&file).unwrap(), first);
    assert_eq!(std::fs::read(dir.join("p.onemap.bak")).unwrap(), first);
}

#[test]
fn a_missing_referenced_file_survives_a_re_save_untouched() {
    let dir = scratch("missing");
    let file = dir.join("p.onemap");
    let project = load_project(&root().join("tests/fixtures/project_v1.onemap")).unwrap();
    assert!(!dir.join("data/sketch.geojson").exists());
    save_project(&file, &project).unwrap();
    let reopened = load_project(&file).unwrap();
    assert_eq!(
        reopened.sketch_layers["referenced"].source,
        SketchSource::Referenced("data/sketch.geojson".into())
    );
}

#[test]
fn a_file_from_a_newer_onemap_says_so() {
    let err = parse("(version: 7, project: ())").unwrap_err();
    assert_eq!(
        err,
        "bad.onemap was written by a newer OneMap (v7); this one reads up to v1"
    );
}

#[test]
fn truncated_and_garbage_files_name_the_file_line_and_column() {
    let text = std::fs::read_to_string(root().join("tests/fixtures/project_v1.onemap")).unwrap();
    let err = parse(&text[..text.len() / 2]).unwrap_err();
    assert!(
        err.starts_with("bad.onemap is not a valid OneMap project at line "),
        "{err}"
    );
    // Not a project at all: said so, without the parser's words (issue 16).
    let err = parse("%%% not ron").unwrap_err();
    assert_eq!(err, "bad.onemap is not a OneMap project file");
}

#[test]
fn wrong_types_are_reported() {
    let text = std::fs::read_to_string(root().join("tests/fixtures/project_v1.onemap")).unwrap();
    let err = parse(&text.replacen("horizon: 2025", "horizon: \"soon\"", 1)).unwrap_err();
    assert!(
        err.contains("bad.onemap is not a valid OneMap project at line"),
        "{err}"
    );
}

#[test]
fn nan_infinite_and_unclosed_geometry_are_refused_with_the_placement_named() {
    let text = std::fs::read_to_string(root().join("tests/fixtures/project_v1.onemap")).unwrap();
    let nan = text.replacen("Point((121.1, 32.0))", "Point((NaN, 32.0))", 1);
    assert_eq!(
        parse(&nan).unwrap_err(),
        r#"bad.onemap: placements["placement.nantong-new-airport"].geometry: coordinate 0 (NaN, 32.0) is not a finite number"#
    );
    let inf = text.replacen("Point((121.1, 32.0))", "Point((inf, 32.0))", 1);
    assert!(parse(&inf).unwrap_err().contains("is not a finite number"));
    let out = text.replacen("Point((121.1, 32.0))", "Point((500.0, 32.0))", 1);
    assert!(parse(&out).unwrap_err().contains("outside ±180/±90"));
    let unclosed = text.replacen(
        "(121.51, 31.47),\n            (121.5, 31.44),",
        "(121.51, 31.47),\n            (121.4, 31.44),",
        1,
    );
    assert!(unclosed != text, "the fixture's ring was not found");
    assert_eq!(
        parse(&unclosed).unwrap_err(),
        r#"bad.onemap: placements["placement.qingcaosha-protection"].geometry: ring 0 is not closed: its first and last positions differ"#
    );
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let deep = format!(
        "(version: 1, project: {}{})",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    assert!(parse(&deep).is_err());
}

#[test]
fn non_utf8_and_oversized_files_are_refused_before_parsing() {
    let dir = scratch("bytes");
    let binary = dir.join("binary.onemap");
    std::fs::write(&binary, [0xff, 0xfe, 0x00, 0x28]).unwrap();
    let err = load_project(&binary).unwrap_err().to_string();
    assert!(
        err.ends_with("binary.onemap is not UTF-8 text (is it a project file?)"),
        "{err}"
    );
    let huge = dir.join("huge.onemap");
    // A sparse file: its size is checked before anything is read.
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(MAX_PROJECT_BYTES + 1)
        .unwrap();
    let err = load_project(&huge).unwrap_err().to_string();
    assert!(
        err.contains("project files are limited to 67108864 bytes"),
        "{err}"
    );
}

#[test]
fn a_failed_open_leaves_the_file_on_disk_untouched() {
    let dir = scratch("untouched");
    let file = dir.join("broken.onemap");
    std::fs::write(&file, "(version: 1, project: (").unwrap();
    assert!(load_project(&file).is_err());
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "(version: 1, project: ("
    );
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        1,
        "nothing else was written"
    );
}

fn coord() -> impl Strategy<Value = (f64, f64)> {
    (119.0f64..123.0, 29.0f64..32.7)
}

fn geometry() -> impl Strategy<Value = PlacementGeometry> {
    prop_oneof![
        coord().prop_map(PlacementGeometry::Point),
        prop::collection::vec(coord(), 2..8).prop_map(PlacementGeometry::LineString),
        prop::collection::vec(coord(), 3..8).prop_map(|mut ring| {
            ring.push(ring[0]);
            PlacementGeometry::Polygon(vec![ring])
        }),
    ]
}

fn placement() -> impl Strategy<Value = Placement> {
    let text = "[\\PC]{0,12}";
    (
        text,
        text,
        geometry(),
        prop::sample::select(PlacementStatus::ALL.to_vec()),
        prop::sample::select(vec![2025u16, 2035, 2050]),
        text,
        prop::collection::vec((text, text), 0..2),
    )
        .prop_map(
            |(zh, en, geometry, status, horizon, description, comments)| Placement {
                name_zh: zh,
                name_en: en,
                action: "transport".into(),
                section: Some("section.taihu".into()),
                lead_city: None,
                participants: vec!["city.wuxi".into()],
                status,
                horizon,
                geometry,
                description,
                source: "test".into(),
                indicative: true,
                comments: comments
                    .into_iter()
                    .map(|(author, text)| Comment {
                        author,
                        time: "2026-11-28T00:00:00Z".into(),
                        text,
                    })
                    .collect(),
            },
        )
}

fn project() -> impl Strategy<Value = Project> {
    (
        prop::collection::btree_map("[a-z0-9.-]{1,16}", placement(), 0..6),
        prop::collection::btree_map("[a-z]{1,8}", (any::<bool>(), 0.0f32..=1.0), 0..4),
        prop::sample::select(LabelLanguage::ALL.to_vec()),
        "[\\PC]{0,20}",
        prop::collection::btree_map("[a-z]{1,6}", "[a-z/]{1,12}\\.geojson", 0..3),
    )
        .prop_map(|(placements, layers, language, title, sketches)| Project {
            meta: Metadata {
                title_zh: title.clone(),
                title_en: title,
                author: "a".into(),
                created: "c".into(),
                modified: "m".into(),
                approval_number: String::new(),
            },
            edition: "sma-2022".into(),
            settings: ViewSettings {
                groups: BTreeMap::new(),
                layers: layers
                    .into_iter()
                    .map(|(k, (visible, opacity))| (k, LayerSettings { visible, opacity }))
                    .collect(),
                tiers: [true, false, true, true, false],
                language,
                hide_indicative: false,
                legend: Default::default(),
                basemap: Default::default(),
            },
            layer_order: BTreeMap::new(),
            style_overrides: BTreeMap::new(),
            view: None,
            placements: placements
                .into_iter()
                .map(|(k, v)| (PlacementId(k), v))
                .collect(),
            sketch_layers: sketches
                .into_iter()
                .map(|(k, path)| {
                    (
                        k.clone(),
                        SketchLayer {
                            name: k,
                            source: SketchSource::Referenced(path),
                            visible: true,
                            opacity: 1.0,
                            choices: Default::default(),
                            label_field: None,
                        },
                    )
                })
                .collect(),
            scenes: Vec::new(),
            acknowledgements: BTreeMap::new(),
            notes: Vec::new(),
            origin: None,
            plan_overrides: BTreeMap::new(),
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn save_then_load_gives_the_saved_project(p in project()) {
        let text = project_to_string(&p).unwrap();
        let loaded = parse_project(Path::new("p.onemap"), &text).unwrap();
        prop_assert_eq!(loaded, p.rounded());
    }

    #[test]
    fn save_load_save_gives_identical_bytes(p in project()) {
        let first = project_to_string(&p).unwrap();
        let again = project_to_string(&parse_project(Path::new("p.onemap"), &first).unwrap()).unwrap();
        prop_assert_eq!(first, again);
    }
}
