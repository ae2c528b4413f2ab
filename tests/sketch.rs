//! Sketching the plan: overrides in the project, applied to the baseline, which is never
//! written; orphans; checks, diff and merge of sketches.

// An integration test is a crate of its own, which clippy's allow-unwrap-in-tests (clippy.toml)
// does not cover outside #[test] functions: its helpers unwrap too, a panic being a failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeMap;

use common::root;

use onemap::io::{DataDir, load_project, read_edition, read_plan, save_project};
use onemap::model::diff::{ChangeKind, Subject, diff};
use onemap::model::overrides::{PlanOverride, apply};
use onemap::model::project::{PlacementGeometry, Project};
use onemap::model::{FeatureId, Plan, Region};

fn plan() -> Plan {
    read_plan(&root().join("layers"), Region::SHANGHAI_METROPOLITAN_AREA)
        .unwrap()
        .plan
}

fn default_project() -> Project {
    load_project(&DataDir::at(root()).default_project()).unwrap()
}

/// The acceptance sketch: 沪苏湖 corridor re-aligned south of 淀山湖 and a greenway link
/// between the 环淀山湖 and 沿江 greenways.
fn sketched() -> Project {
    let mut p = default_project();
    p.plan_overrides.insert(
        "corridor.husuhu".into(),
        PlanOverride::Modified {
            layer: "corridors".into(),
            geometry: Some(PlacementGeometry::LineString(vec![
                (121.32, 31.19),
                (121.18, 31.02),
                (121.0, 30.98),
                (120.92, 31.0),
                (120.6, 30.87),
                (120.1, 30.87),
            ])),
            name_zh: None,
            name_en: None,
        },
    );
    p.plan_overrides.insert(
        "greenway.sketch-1".into(),
        PlanOverride::Added {
            layer: "greenways".into(),
            name_zh: "淀山湖—沿江绿道联络线".into(),
            name_en: "Dianshan–Yangtze greenway link".into(),
            kind: "regional".into(),
            geometry: PlacementGeometry::LineString(vec![
                (120.95, 31.15),
                (121.05, 31.45),
                (121.15, 31.62),
            ]),
        },
    );
    p
}

#[test]
fn overrides_apply_to_the_baseline_and_round_trip_through_the_file() {
    let p = sketched();
    let base = plan();
    let e = apply(&base, &p.plan_overrides);
    assert!(e.orphans.is_empty());
    assert_eq!(e.sketched.len(), 2);
    let corridor = e
        .plan
        .feature(&FeatureId("corridor.husuhu".into()))
        .unwrap();
    assert_eq!(corridor.text("status"), "indicative", "a sketch says so");
    assert!(
        e.plan
            .feature(&FeatureId("greenway.sketch-1".into()))
            .is_some()
    );
    // The baseline plan is untouched.
    let original = base.feature(&FeatureId("corridor.husuhu".into())).unwrap();
    assert_ne!(original.geometry, corridor.geometry);

    let dir = std::env::temp_dir().join(format!("onemap-sketch-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("sketch.onemap");
    save_project(&file, &p).unwrap();
    assert_eq!(load_project(&file).unwrap(), p.rounded());
}

#[test]
fn an_orphaned_override_is_kept_and_reported_and_the_project_still_opens() {
    let mut p = default_project();
    let gone = PlanOverride::Modified {
        layer: "corridors".into(),
        geometry: None,
        name_zh: Some("旧走廊".into()),
        name_en: None,
    };
    p.plan_overrides
        .insert("corridor.removed_in_2035".into(), gone.clone());
    p.plan_overrides.insert(
        "x.y".into(),
        PlanOverride::Removed {
            layer: "no_such_layer".into(),
        },
    );
    let e = apply(&plan(), &p.plan_overrides);
    assert_eq!(e.orphans, ["corridor.removed_in_2035", "x.y"]);
    let dir = std::env::temp_dir().join(format!("onemap-orphan-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("orphan.onemap");
    save_project(&file, &p).unwrap();
    let back = load_project(&file).unwrap();
    assert_eq!(back.plan_overrides["corridor.removed_in_2035"], gone);
}

#[test]
fn a_corridor_sketched_through_an_ecological_core_is_flagged() {
    let mut p = default_project();
    p.plan_overrides.insert(
        "corridor.husuhu".into(),
        PlanOverride::Modified {
            layer: "corridors".into(),
            // Straight across 淀山湖.
            geometry: Some(PlacementGeometry::LineString(vec![
                (121.1, 31.2),
                (120.85, 31.0),
            ])),
            name_zh: None,
            name_en: None,
        },
    );
    let edition = read_edition(&root().join("layers/edition.ron")).unwrap();
    let findings = onemap::model::checks::run_checks(&p, &plan(), &edition);
    let f = findings
        .iter()
        .find(|f| f.id == "ecological_core:corridor.husuhu:eco.lake_dianshan")
        .expect("flagged");
    assert!(f.message.contains("sketched corridor"), "{}", f.message);
    // The baseline corridor is not checked as a sketch.
    let plain = onemap::model::checks::run_checks(&default_project(), &plan(), &edition);
    assert!(!plain.iter().any(|f| f.placement == "corridor.husuhu"));
}

#[test]
fn diff_classifies_sketch_changes_and_merge_takes_them() {
    let (old, new) = (default_project(), sketched());
    let changes = diff(&old, &new, &plan(), None);
    assert_eq!(
        common::change_kinds(&changes),
        [
            (
                Subject::PlanFeature("corridor.husuhu".into()),
                ChangeKind::GeometryChanged
            ),
            (
                Subject::PlanFeature("greenway.sketch-1".into()),
                ChangeKind::Added
            ),
        ]
    );
    let all = onemap::edit::merge::subjects(&old, &new);
    assert_eq!(onemap::edit::merge::apply_changes(&old, &new, &all), new);
    let none: BTreeMap<String, PlanOverride> = BTreeMap::new();
    assert_eq!(apply(&plan(), &none).sketched.len(), 0);
}

#[test]
fn the_effective_layer_exports_and_a_new_edition_folder_reads_back_as_the_sketched_plan() {
    let p = sketched();
    let base = plan();
    let e = apply(&base, &p.plan_overrides);
    let dir = std::env::temp_dir().join(format!("onemap-baseline-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("greenways.geojson");
    let n = onemap::io::baseline::write_effective_layer(&e, "greenways", &out).unwrap();
    assert_eq!(n, base.layer("greenways").unwrap().features.len() + 1);
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("greenway.sketch-1"));
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["features"].as_array().unwrap().len(), n);

    let edition = dir.join("layers-2026-sketch");
    let before: Vec<Vec<u8>> = ["corridors", "greenways"]
        .iter()
        .map(|l| std::fs::read(root().join(format!("layers/{l}.geojson"))).unwrap())
        .collect();
    onemap::io::baseline::write_new_baseline(
        &root().join("layers"),
        &e,
        &["corridors".into(), "greenways".into()],
        &edition,
    )
    .unwrap();
    let reread = read_plan(&edition, Region::SHANGHAI_METROPOLITAN_AREA).unwrap();
    assert!(reread.errors.is_empty(), "{:?}", reread.errors);
    let corridor = reread
        .plan
        .feature(&FeatureId("corridor.husuhu".into()))
        .unwrap();
    assert_eq!(
        corridor.geometry,
        e.plan
            .feature(&FeatureId("corridor.husuhu".into()))
            .unwrap()
            .geometry
    );
    assert!(
        reread
            .plan
            .feature(&FeatureId("greenway.sketch-1".into()))
            .is_some()
    );
    assert!(edition.join("edition.ron").exists(), "the rest is copied");
    let after: Vec<Vec<u8>> = ["corridors", "greenways"]
        .iter()
        .map(|l| std::fs::read(root().join(format!("layers/{l}.geojson"))).unwrap())
        .collect();
    assert_eq!(before, after, "the baseline is never written");
    assert!(
        onemap::io::baseline::write_new_baseline(&root().join("layers"), &e, &[], &edition)
            .is_err(),
        "an existing folder is refused"
    );
}
