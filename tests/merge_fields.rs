//! Three-way merges at the grain of a field (issue 15): edits to different fields of one
//! placement, scene, layer or sketch merge cleanly; only one field changed differently on both
//! sides is a conflict, reported in words by `onemap merge` (and as JSON with `--json`).

// An integration test is a crate of its own, which clippy's allow-unwrap-in-tests (clippy.toml)
// does not cover outside #[test] functions: its helpers unwrap too, a panic being a failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::{onemap, root};

use std::path::{Path, PathBuf};

use onemap::edit::merge::merge3;
use onemap::io::{DataDir, load_project, save_project};
use onemap::model::diff::Subject;
use onemap::model::project::{
    Comment, Placement, PlacementGeometry, PlacementId, PlacementStatus, Project,
};
use proptest::prelude::*;

const RAIL: &str = "placement.husuhu-railway";

fn default_project() -> Project {
    load_project(&DataDir::at(root()).default_project()).unwrap()
}

fn pid(s: &str) -> PlacementId {
    PlacementId(s.into())
}

fn rail(p: &mut Project) -> &mut Placement {
    p.placements.get_mut(&pid(RAIL)).unwrap()
}

fn moved(p: &Placement) -> PlacementGeometry {
    p.geometry.translated(0.0, -0.02)
}

/// Base, mine (the railway moved 0.02° south), theirs (the railway renamed).
fn move_and_rename() -> (Project, Project, Project) {
    let base = default_project();
    let mut mine = base.clone();
    rail(&mut mine).geometry = moved(&base.placements[&pid(RAIL)]);
    let mut theirs = base.clone();
    rail(&mut theirs).name_zh = "沪苏湖高速铁路".into();
    rail(&mut theirs).name_en = "Shanghai–Suzhou–Huzhou high-speed railway".into();
    (base, mine, theirs)
}

#[test]
fn mine_moves_and_theirs_renames_one_placement_merges_cleanly_with_both() {
    let (base, mine, theirs) = move_and_rename();
    let result = merge3(&base, &mine, &theirs);
    assert!(result.conflicts.is_empty(), "{:?}", result.conflicts);
    let merged = &result.merged.placements[&pid(RAIL)];
    assert_eq!(merged.geometry, mine.placements[&pid(RAIL)].geometry);
    assert_eq!(merged.name_zh, "沪苏湖高速铁路");
    assert_eq!(merged.name_en, "Shanghai–Suzhou–Huzhou high-speed railway");
    // The other way round too.
    let result = merge3(&base, &theirs, &mine);
    assert!(result.conflicts.is_empty(), "{:?}", result.conflicts);
    assert_eq!(result.merged.placements[&pid(RAIL)], *merged);
}

#[test]
fn both_renaming_differently_is_one_conflict_on_the_name_and_the_rest_merges() {
    let (base, mut mine, mut theirs) = move_and_rename();
    rail(&mut mine).name_zh = "沪苏湖城际".into();
    rail(&mut theirs).horizon = 2035;
    let result = merge3(&base, &mine, &theirs);
    assert_eq!(result.conflicts.len(), 1, "{:?}", result.conflicts);
    let c = &result.conflicts[0];
    assert_eq!(c.field, "name_zh");
    assert_eq!(c.subject, Subject::Placement(RAIL.into()));
    assert_eq!(
        (c.base.as_str(), c.mine.as_str(), c.theirs.as_str()),
        ("沪苏湖铁路", "沪苏湖城际", "沪苏湖高速铁路")
    );
    let merged = &result.merged.placements[&pid(RAIL)];
    assert_eq!(merged.name_zh, "沪苏湖城际", "mine kept in the conflict");
    assert_eq!(
        merged.name_en, "Shanghai–Suzhou–Huzhou high-speed railway",
        "only mine's Chinese name changed: theirs' English one is taken"
    );
    assert_eq!(merged.geometry, mine.placements[&pid(RAIL)].geometry);
    assert_eq!(merged.horizon, 2035, "theirs' other field is taken");
}

#[test]
fn the_same_change_on_both_sides_is_no_conflict_beside_other_changes() {
    let (base, mut mine, mut theirs) = move_and_rename();
    rail(&mut mine).name_zh = "沪苏湖高速铁路".into();
    rail(&mut theirs).status = PlacementStatus::Planned;
    let result = merge3(&base, &mine, &theirs);
    assert!(result.conflicts.is_empty(), "{:?}", result.conflicts);
    let merged = &result.merged.placements[&pid(RAIL)];
    assert_eq!(merged.name_zh, "沪苏湖高速铁路");
    assert_eq!(merged.status, PlacementStatus::Planned);
    assert_eq!(merged.geometry, mine.placements[&pid(RAIL)].geometry);
}

#[test]
fn deleting_on_one_side_and_editing_on_the_other_stays_a_conflict_either_way() {
    let (base, mine, mut theirs) = move_and_rename();
    theirs.placements.remove(&pid(RAIL));
    for (a, b, kept) in [(&mine, &theirs, true), (&theirs, &mine, false)] {
        let result = merge3(&base, a, b);
        assert_eq!(result.conflicts.len(), 1, "{:?}", result.conflicts);
        let c = &result.conflicts[0];
        assert_eq!(c.subject, Subject::Placement(RAIL.into()));
        assert_eq!(c.field, "existence");
        let deleted = if kept { &c.theirs } else { &c.mine };
        assert_eq!(deleted, "(deleted)");
        assert_eq!(
            result.merged.placements.contains_key(&pid(RAIL)),
            kept,
            "mine is kept"
        );
    }
}

#[test]
fn attributes_merge_one_by_one() {
    let base = default_project();
    let airport = pid("placement.nantong-new-airport");
    let (mut mine, mut theirs) = (base.clone(), base.clone());
    let m = mine.placements.get_mut(&airport).unwrap();
    m.status = PlacementStatus::UnderConstruction;
    m.participants.push("city.shanghai".into());
    let t = theirs.placements.get_mut(&airport).unwrap();
    t.horizon = 2040;
    t.description = "theirs' description".into();
    t.indicative = !t.indicative;
    let result = merge3(&base, &mine, &theirs);
    assert!(result.conflicts.is_empty(), "{:?}", result.conflicts);
    let merged = &result.merged.placements[&airport];
    assert_eq!(merged.status, PlacementStatus::UnderConstruction);
    assert_eq!(merged.participants, mine.placements[&airport].participants);
    assert_eq!(merged.horizon, 2040);
    assert_eq!(merged.description, "theirs' description");
    assert_eq!(merged.indicative, theirs.placements[&airport].indicative);

    mine.placements.get_mut(&airport).unwrap().horizon = 2050;
    let result = merge3(&base, &mine, &theirs);
    assert_eq!(result.conflicts.len(), 1, "{:?}", result.conflicts);
    let c = &result.conflicts[0];
    assert_eq!(c.field, "horizon");
    assert_eq!(
        (c.mine.as_str(), c.theirs.as_str()),
        ("2050", "2040"),
        "in words"
    );
    assert_eq!(
        result.merged.placements[&airport].description,
        "theirs' description"
    );
}

#[test]
fn comments_added_on_both_sides_are_all_kept() {
    let base = default_project();
    let comment = |text: &str| Comment {
        author: "reviewer".into(),
        time: "2026-11-29T10:00:00Z".into(),
        text: text.into(),
    };
    let (mut mine, mut theirs) = (base.clone(), base.clone());
    rail(&mut mine).comments.push(comment("mine"));
    rail(&mut theirs).comments.push(comment("theirs"));
    let result = merge3(&base, &mine, &theirs);
    assert!(result.conflicts.is_empty(), "{:?}", result.conflicts);
    let texts: Vec<&str> = result.merged.placements[&pid(RAIL)]
        .comments
        .iter()
        .map(|c| c.text.as_str())
        .collect();
    let before = base.placements[&pid(RAIL)].comments.len();
    assert_eq!(texts[before..], ["mine", "theirs"]);
}

#[test]
fn scenes_layers_and_sketches_merge_by_field_too() {
    let base = default_project();
    let (mut mine, mut theirs) = (base.clone(), base.clone());
    mine.scenes[0].title_en = "Mine's title".into();
    theirs.scenes[0].subtitle_zh = "他们的副标题".into();
    let layer = base.settings.layers.keys().next().unwrap().clone();
    mine.settings.layers.get_mut(&layer).unwrap().opacity = 0.5;
    theirs.settings.layers.get_mut(&layer).unwrap().visible = false;
    theirs.layer_order.insert(layer.clone(), 99);
    let sketch = |name_zh: Option<&str>, geometry: Option<PlacementGeometry>| {
        onemap::model::overrides::PlanOverride::Modified {
            layer: "corridors".into(),
            geometry,
            name_zh: name_zh.map(str::to_owned),
            name_en: None,
        }
    };
    let line = PlacementGeometry::LineString(vec![(121.0, 31.0), (121.2, 31.1)]);
    let mut base = base;
    base.plan_overrides
        .insert("corridor.x".into(), sketch(None, Some(line.clone())));
    mine.plan_overrides.insert(
        "corridor.x".into(),
        sketch(None, Some(line.translated(0.01, 0.0))),
    );
    theirs.plan_overrides.insert(
        "corridor.x".into(),
        sketch(Some("新名"), Some(line.clone())),
    );
    let result = merge3(&base, &mine, &theirs);
    assert!(result.conflicts.is_empty(), "{:?}", result.conflicts);
    let m = &result.merged;
    assert_eq!(m.scenes[0].title_en, "Mine's title");
    assert_eq!(m.scenes[0].subtitle_zh, "他们的副标题");
    assert_eq!(m.settings.layers[&layer].opacity, 0.5);
    assert!(!m.settings.layers[&layer].visible);
    assert_eq!(m.layer_order.get(&layer), Some(&99));
    assert_eq!(
        m.plan_overrides["corridor.x"],
        sketch(Some("新名"), Some(line.translated(0.01, 0.0)))
    );
}

fn scratch(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("onemap-merge-fields-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Writes the three versions; returns their paths and the output path.
fn write_versions(dir: &Path, versions: [&Project; 3]) -> [String; 4] {
    let s = |p: PathBuf| p.display().to_string();
    for (name, p) in ["base", "mine", "theirs"].iter().zip(versions) {
        save_project(&dir.join(format!("{name}.onemap")), p).unwrap();
    }
    [
        s(dir.join("base.onemap")),
        s(dir.join("mine.onemap")),
        s(dir.join("theirs.onemap")),
        s(dir.join("merged.onemap")),
    ]
}

fn run_merge(paths: &[String; 4], json: bool) -> (i32, String, String) {
    let mut args = vec!["merge", &paths[0], &paths[1], &paths[2], "-o", &paths[3]];
    if json {
        args.push("--json");
    }
    onemap(&args)
}

#[test]
fn onemap_merge_merges_a_move_and_a_rename_cleanly_and_exits_0() {
    let dir = scratch("clean");
    let (base, mine, theirs) = move_and_rename();
    let paths = write_versions(&dir, [&base, &mine, &theirs]);
    let (code, stdout, err) = run_merge(&paths, false);
    assert_eq!(code, 0, "{stdout}{err}");
    let merged = load_project(Path::new(&paths[3])).unwrap();
    let rail = &merged.placements[&pid(RAIL)];
    assert_eq!(rail.name_zh, "沪苏湖高速铁路");
    assert_eq!(
        rail.geometry,
        mine.placements[&pid(RAIL)].geometry.rounded()
    );
    let (code, stdout, err) = run_merge(&paths, true);
    assert_eq!(code, 0, "{stdout}{err}");
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["conflicts"].as_array().unwrap().len(), 0, "{stdout}");
    assert_eq!(v["summary"]["conflicts"], 0, "{stdout}");
}

#[test]
fn onemap_merge_names_each_conflicting_field_in_words_and_exits_1() {
    let dir = scratch("conflicts");
    let (base, mut mine, mut theirs) = move_and_rename();
    rail(&mut mine).name_zh = "沪苏湖城际".into();
    theirs.placements.get_mut(&pid(RAIL)).unwrap().geometry =
        base.placements[&pid(RAIL)].geometry.translated(0.0, 0.03);
    let paths = write_versions(&dir, [&base, &mine, &theirs]);
    let (code, stdout, err) = run_merge(&paths, false);
    assert_eq!(code, 1, "{stdout}{err}");
    for expected in [
        RAIL,
        "name_zh",
        "沪苏湖铁路",
        "沪苏湖城际",
        "沪苏湖高速铁路",
        "geometry",
        "line, 8 vertices",
        "starts 121.32",
        " km",
    ] {
        assert!(stdout.contains(expected), "{expected:?} in {stdout}");
    }
    for debug in ["Placement {", "LineString(", "Some(", "{", "}"] {
        assert!(!stdout.contains(debug), "no Debug {debug:?} in {stdout}");
    }
    assert!(
        stdout.len() < 1500,
        "short: {} bytes\n{stdout}",
        stdout.len()
    );
    assert!(Path::new(&paths[3]).exists(), "written with mine kept");

    let (code, stdout, err) = run_merge(&paths, true);
    assert_eq!(code, 1, "{stdout}{err}");
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let conflicts = v["conflicts"].as_array().unwrap();
    let fields: Vec<&str> = conflicts
        .iter()
        .map(|c| c["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["name_zh", "geometry"], "{stdout}");
    let name = &conflicts[0];
    assert_eq!(name["subject"], "placement");
    assert_eq!(name["id"], RAIL);
    assert_eq!(name["base"], "沪苏湖铁路");
    assert_eq!(name["mine"], "沪苏湖城际");
    assert_eq!(name["theirs"], "沪苏湖高速铁路");
    assert_eq!(v["summary"]["conflicts"], 2);
}

#[test]
fn onemap_merge_shows_a_deletion_as_deleted_and_exits_2_on_an_unreadable_input() {
    let dir = scratch("deleted");
    let (base, mine, mut theirs) = move_and_rename();
    theirs.placements.remove(&pid(RAIL));
    let mut paths = write_versions(&dir, [&base, &mine, &theirs]);
    let (code, stdout, err) = run_merge(&paths, false);
    assert_eq!(code, 1, "{stdout}{err}");
    assert!(stdout.contains("(deleted)"), "{stdout}");
    let (code, stdout, _) = run_merge(&paths, true);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["conflicts"][0]["theirs"], "(deleted)", "{stdout}");

    std::fs::remove_file(&paths[3]).unwrap();
    std::fs::write(&paths[2], "(version: 1").unwrap();
    for json in [false, true] {
        let (code, _, err) = run_merge(&paths, json);
        assert_eq!(code, 2, "{err}");
        assert!(err.contains("theirs.onemap"), "{err}");
        assert!(!Path::new(&paths[3]).exists(), "nothing written");
    }
    paths[2] = dir.join("missing.onemap").display().to_string();
    assert_eq!(run_merge(&paths, true).0, 2);
}

/// One edit per field of a placement, numbered as the proptest draws them.
const FIELDS: usize = 12;

fn edit_field(p: &mut Placement, field: usize, n: u16) {
    match field {
        0 => p.name_zh = format!("名{n}"),
        1 => p.name_en = format!("name {n}"),
        2 => p.action = format!("action-{n}"),
        3 => p.section = Some(format!("section.{n}")),
        4 => p.lead_city = None,
        5 => p.participants.push(format!("city.{n}")),
        6 => p.status = PlacementStatus::ALL[usize::from(n) % 4],
        7 => p.horizon = 2000 + n,
        8 => p.geometry = p.geometry.translated(f64::from(n) * 1e-4, 0.0),
        9 => p.description = format!("description {n}"),
        10 => p.source = format!("source {n}"),
        _ => p.indicative = !p.indicative,
    }
}

fn field_value(p: &Placement, field: usize) -> String {
    match field {
        0 => p.name_zh.clone(),
        1 => p.name_en.clone(),
        2 => p.action.clone(),
        3 => format!("{:?}", p.section),
        4 => format!("{:?}", p.lead_city),
        5 => format!("{:?}", p.participants),
        6 => format!("{:?}", p.status),
        7 => p.horizon.to_string(),
        8 => format!("{:?}", p.geometry),
        9 => p.description.clone(),
        10 => p.source.clone(),
        _ => p.indicative.to_string(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Each field goes to mine, to theirs or to neither; the merge is clean and has every
    /// side's value.
    #[test]
    fn edits_to_disjoint_fields_merge_cleanly_with_both_sides_values(
        sides in proptest::collection::vec(0u8..3, FIELDS),
        n in 1u16..500,
    ) {
        let base = default_project();
        let (mut mine, mut theirs) = (base.clone(), base.clone());
        for (field, side) in sides.iter().enumerate() {
            match side {
                1 => edit_field(rail(&mut mine), field, n),
                2 => edit_field(rail(&mut theirs), field, n + 1),
                _ => {}
            }
        }
        let result = merge3(&base, &mine, &theirs);
        prop_assert!(result.conflicts.is_empty(), "{:?}", result.conflicts);
        let merged = &result.merged.placements[&pid(RAIL)];
        for (field, side) in sides.iter().enumerate() {
            let from = match side {
                1 => &mine,
                2 => &theirs,
                _ => &base,
            };
            prop_assert_eq!(
                field_value(merged, field),
                field_value(&from.placements[&pid(RAIL)], field),
                "field {}", field
            );
        }
    }
}

/// The legend's corner is a setting of its own: theirs moving the legend and mine hiding the
/// sketches merge with both, and `diff` names the move.
#[test]
fn moving_the_legend_is_a_setting_that_merges_and_diffs() {
    use onemap::model::view::{Corner, LegendPlacement};
    let base = default_project();
    let mut mine = base.clone();
    mine.settings.hide_indicative = !base.settings.hide_indicative;
    let mut theirs = base.clone();
    theirs.settings.legend = LegendPlacement {
        corner: Corner::TopRight,
        collapsed: true,
    };
    let result = merge3(&base, &mine, &theirs);
    assert!(result.conflicts.is_empty(), "{:?}", result.conflicts);
    assert_eq!(result.merged.settings.legend, theirs.settings.legend);
    assert_eq!(
        result.merged.settings.hide_indicative,
        mine.settings.hide_indicative
    );

    let plan = onemap::model::Plan::new(onemap::model::Region::SHANGHAI_METROPOLITAN_AREA);
    let changes = onemap::model::diff::diff(&base, &theirs, &plan, None);
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!(changes[0].subject, Subject::Setting("legend".into()));
    let words = &changes[0].attributes[0];
    assert_eq!(
        (words.before.as_str(), words.after.as_str()),
        ("bottom left", "top right, collapsed")
    );
}
