//! Comparing and merging project versions: diff classification, merges, and the headless
//! `onemap diff` and `onemap merge`.

// An integration test is a crate of its own, which clippy's allow-unwrap-in-tests (clippy.toml)
// does not cover outside #[test] functions: its helpers unwrap too, a panic being a failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::{onemap, root};

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use onemap::edit::merge::{apply_changes, merge3, subjects};
use onemap::io::{DataDir, load_project, save_project};
use onemap::model::diff::{ChangeKind, Subject, diff};
use onemap::model::project::{PlacementId, Project};
use onemap::model::{LabelLanguage, Plan, Region};

fn default_project() -> Project {
    load_project(&DataDir::at(root()).default_project()).unwrap()
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("onemap-review-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn pid(s: &str) -> PlacementId {
    PlacementId(s.into())
}

/// The acceptance edit: move a rail line, delete a greenway, add an industrial park, rename
/// a placement.
fn version_2(v1: &Project) -> Project {
    let mut v2 = v1.clone();
    common::acceptance_edits(&mut v2, 0.02);
    v2
}

fn plan() -> Plan {
    onemap::io::read_plan(&root().join("layers"), Region::SHANGHAI_METROPOLITAN_AREA)
        .unwrap()
        .plan
}

#[test]
fn the_four_acceptance_edits_are_four_changes_of_the_right_kinds() {
    let v1 = default_project();
    let v2 = version_2(&v1);
    let changes = diff(&v1, &v2, &plan(), None);
    assert_eq!(
        common::change_kinds(&changes),
        [
            (
                Subject::Placement("placement.dianshan-greenway".into()),
                ChangeKind::Removed
            ),
            (
                Subject::Placement("placement.husuhu-railway".into()),
                ChangeKind::GeometryChanged
            ),
            (
                Subject::Placement("placement.new-1".into()),
                ChangeKind::Added
            ),
            (
                Subject::Placement("placement.qingcaosha-protection".into()),
                ChangeKind::AttributesChanged
            ),
        ]
    );
    let moved = changes[1].geometry.unwrap();
    // 0.02° of latitude at 31°N is 2217.4 m on the WGS84 ellipsoid (110 870 m per degree there;
    // the flat 110 574 m per degree this was measured with before is the equator's, and gave
    // 2211.5 m). A translation keeps the length.
    assert!((moved.max_displacement_m - 2217.4).abs() < 1.0, "{moved:?}");
    assert!(moved.length_km.unwrap().abs() < 0.5, "{moved:?}");
    assert_eq!(changes[3].attributes[0].field, "name_zh");
    assert_eq!(changes[3].attributes[0].after, "青草沙水源地保护区");
}

#[test]
fn every_change_kind_is_classified() {
    let v1 = default_project();
    let mut v2 = v1.clone();
    let airport = v2
        .placements
        .get_mut(&pid("placement.nantong-new-airport"))
        .unwrap();
    airport.geometry = airport.geometry.translated(0.01, 0.0);
    airport.status = onemap::model::project::PlacementStatus::Completed;
    v2.settings.layers.get_mut("corridors").unwrap().opacity = 0.5;
    v2.settings.groups.get_mut("greenways").unwrap().visible = false;
    v2.scenes[0].title_en = "Nine cities".into();
    v2.scenes.swap(1, 2);
    v2.settings.language = LabelLanguage::Both;
    v2.layer_order.insert("greenways".into(), 99);
    let changes = diff(&v1, &v2, &plan(), None);
    let find = |s: Subject| changes.iter().find(|c| c.subject == s).map(|c| c.kind);
    assert_eq!(
        find(Subject::Placement("placement.nantong-new-airport".into())),
        Some(ChangeKind::GeometryAndAttributesChanged)
    );
    for changed in [
        Subject::Layer("corridors".into()),
        Subject::Layer("greenways".into()),
        Subject::Group("greenways".into()),
        Subject::Scene("cities".into()),
        Subject::Setting("scene order".into()),
        Subject::Setting("label language".into()),
    ] {
        assert_eq!(
            find(changed.clone()),
            Some(ChangeKind::Changed),
            "{changed:?}"
        );
    }
    assert_eq!(changes.len(), 7, "{changes:#?}");
}

#[test]
fn identical_files_and_a_reordered_file_give_no_changes() {
    let v1 = default_project();
    assert!(diff(&v1, &v1.clone(), &plan(), None).is_empty());
    // The same project with two placements' entries swapped in the file's text.
    let text = std::fs::read_to_string(DataDir::at(root()).default_project()).unwrap();
    let block = |name: &str| {
        let start = text.find(&format!("      \"{name}\": (")).unwrap();
        let end = start + text[start..].find("\n      ),\n").unwrap() + "\n      ),\n".len();
        (start, end)
    };
    let (a, b) = (
        block("placement.beiyanjiang-hsr"),
        block("placement.wusong-river-works"),
    );
    let reordered = format!(
        "{}{}{}{}{}",
        &text[..a.0],
        &text[b.0..b.1],
        &text[a.1..b.0],
        &text[a.0..a.1],
        &text[b.1..]
    );
    assert_ne!(reordered, text);
    let dir = scratch("reordered");
    let file = dir.join("reordered.onemap");
    std::fs::write(&file, reordered).unwrap();
    assert!(diff(&v1, &load_project(&file).unwrap(), &plan(), None).is_empty());
}

#[test]
fn accepting_every_change_gives_new_and_rejecting_every_change_gives_old() {
    let v1 = default_project();
    let mut v2 = version_2(&v1);
    v2.scenes.insert(1, {
        let mut s = v1.scenes[0].clone();
        s.name = "inserted".into();
        s
    });
    v2.settings.layers.get_mut("ecological").unwrap().visible = false;
    v2.meta.modified = "2026-12-01T00:00:00Z".into();
    let all = subjects(&v1, &v2);
    assert_eq!(apply_changes(&v1, &v2, &all), v2);
    assert_eq!(apply_changes(&v1, &v2, &BTreeSet::new()), v1);
    // Three accepted, the deletion rejected.
    let mut some = all.clone();
    some.remove(&Subject::Placement("placement.dianshan-greenway".into()));
    let merged = apply_changes(&v1, &v2, &some);
    assert!(
        merged
            .placements
            .contains_key(&pid("placement.dianshan-greenway"))
    );
    assert!(merged.placements.contains_key(&pid("placement.new-1")));
    assert_eq!(merged.scenes[1].name, "inserted");
}

#[test]
fn three_way_merges_take_one_sided_changes_and_report_conflicts() {
    let base = default_project();
    let mut mine = base.clone();
    mine.placements
        .get_mut(&pid("placement.husuhu-railway"))
        .unwrap()
        .name_en = "Husuhu railway".into();
    mine.placements
        .get_mut(&pid("placement.nantong-new-airport"))
        .unwrap()
        .horizon = 2050;
    let mut theirs = base.clone();
    theirs
        .placements
        .remove(&pid("placement.dianshan-greenway"));
    theirs.settings.language = LabelLanguage::English;
    // The same change on both sides is no conflict.
    for p in [&mut mine, &mut theirs] {
        p.placements
            .get_mut(&pid("placement.qingcaosha-protection"))
            .unwrap()
            .status = onemap::model::project::PlacementStatus::Planned;
    }
    let clean = merge3(&base, &mine, &theirs);
    assert!(clean.conflicts.is_empty(), "{:?}", clean.conflicts);
    let m = &clean.merged;
    assert_eq!(
        m.placements[&pid("placement.husuhu-railway")].name_en,
        "Husuhu railway"
    );
    assert_eq!(
        m.placements[&pid("placement.nantong-new-airport")].horizon,
        2050
    );
    assert!(
        !m.placements
            .contains_key(&pid("placement.dianshan-greenway"))
    );
    assert_eq!(m.settings.language, LabelLanguage::English);

    // Both sides change the same placement differently: a conflict, mine kept.
    theirs
        .placements
        .get_mut(&pid("placement.nantong-new-airport"))
        .unwrap()
        .horizon = 2025;
    let conflicted = merge3(&base, &mine, &theirs);
    assert_eq!(conflicted.conflicts.len(), 1);
    assert_eq!(
        conflicted.conflicts[0].subject,
        Subject::Placement("placement.nantong-new-airport".into())
    );
    assert_eq!(
        conflicted.merged.placements[&pid("placement.nantong-new-airport")].horizon,
        2050
    );
    // Deleted on one side, edited on the other: a conflict too.
    theirs.placements.remove(&pid("placement.husuhu-railway"));
    assert_eq!(merge3(&base, &mine, &theirs).conflicts.len(), 2);
}

#[test]
fn onemap_diff_lists_the_changes_and_exits_0_1_or_2() {
    let dir = scratch("cli-diff");
    let v1 = default_project();
    let (p1, p2) = (dir.join("v1.onemap"), dir.join("v2.onemap"));
    save_project(&p1, &v1).unwrap();
    save_project(&p2, &version_2(&v1)).unwrap();
    let s = |p: &Path| p.display().to_string();
    let (code, out, err) = onemap(&["diff", &s(&p1), &s(&p2)]);
    assert_eq!(code, 1, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 4, "{out}");
    assert!(lines[0].starts_with("removed\tplacement placement.dianshan-greenway"));
    assert!(lines[1].contains("moved up to 22"), "{}", lines[1]);
    assert!(
        lines[2].starts_with("added\tplacement placement.new-1"),
        "{}",
        lines[2]
    );
    // The park lands on no ecological core; the rail line's findings are listed if any moved.
    let (code, json, _) = onemap(&["diff", "--json", &s(&p1), &s(&p2)]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 4);
    assert_eq!(onemap(&["diff", &s(&p1), &s(&p1)]).0, 0);
    std::fs::write(dir.join("broken.onemap"), "(version: 1").unwrap();
    let (code, _, err) = onemap(&["diff", &s(&p1), &s(&dir.join("broken.onemap"))]);
    assert_eq!(code, 2);
    assert!(err.contains("broken.onemap"), "{err}");
}

#[test]
fn onemap_merge_writes_the_merge_and_exits_1_on_conflicts() {
    let dir = scratch("cli-merge");
    let base = default_project();
    let mut mine = base.clone();
    mine.settings.language = LabelLanguage::English;
    let theirs = version_2(&base);
    let paths: Vec<PathBuf> = ["base", "mine", "theirs"]
        .iter()
        .map(|n| dir.join(format!("{n}.onemap")))
        .collect();
    for (p, project) in paths.iter().zip([&base, &mine, &theirs]) {
        save_project(p, project).unwrap();
    }
    let out = dir.join("merged.onemap");
    let s = |p: &Path| p.display().to_string();
    let merge = || {
        onemap(&[
            "merge",
            &s(&paths[0]),
            &s(&paths[1]),
            &s(&paths[2]),
            "-o",
            &s(&out),
        ])
    };
    let (code, stdout, err) = merge();
    assert_eq!(code, 0, "{stdout}{err}");
    let merged = load_project(&out).unwrap();
    assert_eq!(merged.settings.language, LabelLanguage::English);
    assert!(merged.placements.contains_key(&pid("placement.new-1")));

    let mut mine2 = mine.clone();
    mine2.placements.remove(&pid("placement.husuhu-railway"));
    save_project(&paths[1], &mine2).unwrap();
    let (code, stdout, _) = merge();
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.contains("conflict"), "{stdout}");
}
