//! Checks that the shipped data is what it claims to be. They read the files in `layers/` and
//! `assets/`; they are not snapshots of them. The counts are those of the 2022 plan edition
//! (seed paper, shared/reference/plan-facts.md §0).

// An integration test is a crate of its own, which clippy's allow-unwrap-in-tests (clippy.toml)
// does not cover outside #[test] functions: its helpers unwrap too, a panic being a failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;
use std::path::Path;

use onemap::io::{DataDir, read_basemap, read_plan, read_style};
use onemap::model::validate::validate_plan;
use onemap::model::{Plan, PlanFeature, Region, Status};

const LAYER_FILES: [&str; 9] = [
    "blueways",
    "cities",
    "city_boundaries",
    "coordination",
    "corridors",
    "ecological",
    "greenways",
    "sections",
    "urban_tiers",
];

fn data() -> DataDir {
    DataDir::at(env!("CARGO_MANIFEST_DIR"))
}

fn plan() -> Plan {
    let load =
        read_plan(&data().layers(), Region::SHANGHAI_METROPOLITAN_AREA).expect("layers/ readable");
    let errors: Vec<String> = load.errors.iter().map(|e| e.to_string()).collect();
    assert!(
        errors.is_empty(),
        "layer files that do not parse: {errors:#?}"
    );
    load.plan
}

fn features<'a>(plan: &'a Plan, layer: &str) -> Vec<&'a PlanFeature> {
    plan.layer(layer)
        .map(|l| l.features.iter().collect())
        .unwrap_or_default()
}

#[test]
fn all_nine_layer_files_parse_as_feature_collections() {
    let plan = plan();
    let ids: Vec<&str> = plan.layers.keys().map(String::as_str).collect();
    assert_eq!(ids, LAYER_FILES);
    for layer in plan.layers.values() {
        assert!(!layer.features.is_empty(), "{} has no features", layer.id);
    }
}

#[test]
fn ids_are_unique_properties_present_coordinates_in_region_and_polygons_valid() {
    let problems: Vec<String> = validate_plan(&plan())
        .iter()
        .map(|p| p.to_string())
        .collect();
    assert!(problems.is_empty(), "data problems: {problems:#?}");
}

#[test]
fn there_are_nine_cities_with_province_tier_population_and_area() {
    let plan = plan();
    let cities = features(&plan, "cities");
    let names: BTreeSet<&str> = cities.iter().map(|f| f.name_zh()).collect();
    let expected: BTreeSet<&str> = [
        "上海", "苏州", "无锡", "常州", "南通", "宁波", "嘉兴", "舟山", "湖州",
    ]
    .into();
    assert_eq!(names, expected);
    for c in &cities {
        for key in ["province", "tier", "population_2020", "land_area_km2"] {
            assert!(c.properties.contains_key(key), "{} lacks {key}", c.id);
        }
    }
    let population: i64 = cities
        .iter()
        .filter_map(|c| c.integer("population_2020"))
        .sum();
    assert!(
        (77_000_000..78_000_000).contains(&population),
        "the plan states about 7742万 people, got {population}"
    );
    let territories: BTreeSet<&str> = features(&plan, "city_boundaries")
        .iter()
        .map(|f| f.id.as_str())
        .collect();
    let seats: BTreeSet<&str> = cities.iter().map(|f| f.id.as_str()).collect();
    assert_eq!(
        territories, seats,
        "city_boundaries must use the same ids as cities"
    );
}

#[test]
fn the_five_sections_have_the_seed_papers_lead_cities() {
    let plan = plan();
    let leads: BTreeSet<(&str, &str)> = features(&plan, "sections")
        .iter()
        .map(|f| (f.name_zh(), f.text("lead_city")))
        .collect();
    let expected: BTreeSet<(&str, &str)> = [
        ("环太湖战略协同区", "无锡"),
        ("淀山湖战略协同区", "苏州"),
        ("杭州湾战略协同区", "宁波"),
        ("长江口战略协同区", "南通"),
        ("沿海战略协同区", "舟山"),
    ]
    .into();
    assert_eq!(leads, expected);
    for s in features(&plan, "sections") {
        assert!(!s.text("goal_zh").is_empty(), "{} has no goal", s.id);
        let strategies = s.properties.get("strategies_zh").and_then(|v| v.as_array());
        assert_eq!(
            strategies.map(Vec::len),
            Some(4),
            "{} needs its 4 strategies",
            s.id
        );
        assert!(
            s.properties
                .get("participants")
                .and_then(|v| v.as_array())
                .is_some_and(|p| !p.is_empty())
        );
    }
}

#[test]
fn there_are_seven_primary_and_at_least_four_secondary_corridors_all_indicative() {
    let plan = plan();
    let corridors = features(&plan, "corridors");
    let count = |class: &str| {
        corridors
            .iter()
            .filter(|c| c.text("class") == class)
            .count()
    };
    assert_eq!(count("primary"), 7);
    assert!(count("secondary") >= 4);
    assert!(
        corridors
            .iter()
            .all(|c| c.status() == Some(Status::Indicative))
    );
    assert!(
        plan.layer("corridors")
            .and_then(|l| l.note.as_ref())
            .is_some(),
        "an all-sketch layer says so in `note`"
    );
}

#[test]
fn all_five_tiers_are_present_and_every_tier_1_to_3_city_is_a_tier_node() {
    let plan = plan();
    let nodes = features(&plan, "urban_tiers");
    let tiers: BTreeSet<u8> = nodes.iter().filter_map(|n| n.tier()).collect();
    assert_eq!(tiers, BTreeSet::from([1, 2, 3, 4, 5]));
    for city in features(&plan, "cities") {
        let tier = city.tier().expect("every city has a tier");
        assert!((1..=3).contains(&tier));
        let node = nodes.iter().find(|n| {
            n.tier() == Some(tier)
                && (n.name_zh() == city.name_zh() || n.name_zh().starts_with(city.name_zh()))
        });
        assert!(
            node.is_some(),
            "{} (tier {tier}) is missing from urban_tiers",
            city.name_zh()
        );
    }
    let lingang = nodes
        .iter()
        .find(|n| n.name_zh().contains("临港"))
        .expect("Lingang is a tier-2 node");
    assert_eq!(lingang.tier(), Some(2));
    let tier5 = nodes.iter().filter(|n| n.tier() == Some(5)).count();
    assert_eq!(tier5, 19, "the source states 19 tier-5 nodes");
}

#[test]
fn there_are_ten_clear_water_corridors_and_the_four_water_sources() {
    let plan = plan();
    let blue = features(&plan, "blueways");
    let corridors = blue
        .iter()
        .filter(|f| f.kind() == "clear_water_corridor")
        .count();
    assert_eq!(corridors, 10);
    let sources: BTreeSet<&str> = blue
        .iter()
        .filter(|f| f.kind() == "water_source")
        .map(|f| f.name_zh())
        .collect();
    for name in ["青草沙", "陈行", "东风西沙", "金泽"] {
        assert!(
            sources.iter().any(|s| s.starts_with(name)),
            "water source {name} missing"
        );
    }
}

#[test]
fn ecological_areas_have_a_protection_class_and_include_the_named_sources() {
    let plan = plan();
    let eco = features(&plan, "ecological");
    for f in &eco {
        assert!(
            matches!(f.text("protection"), "core" | "buffer"),
            "{} has no protection class",
            f.id
        );
    }
    for name in [
        "太湖",
        "崇明东滩",
        "九段沙",
        "杭州湾",
        "宜溧",
        "安吉",
        "四明山",
        "舟山",
    ] {
        assert!(
            eco.iter().any(|f| f.name_zh().contains(name)),
            "no ecological area for {name}"
        );
    }
    assert!(eco.iter().any(|f| f.kind() == "ecological_corridor"));
}

#[test]
fn coordination_has_the_demonstration_zone_and_three_town_circles() {
    let plan = plan();
    let coord = features(&plan, "coordination");
    assert_eq!(
        coord
            .iter()
            .filter(|f| f.kind() == "cooperation_demonstration_zone")
            .count(),
        1
    );
    assert_eq!(
        coord
            .iter()
            .filter(|f| f.kind() == "cross_border_town_circle")
            .count(),
        3
    );
}

#[test]
fn every_feature_that_is_not_sourced_is_marked_indicative_with_a_source() {
    for f in plan().features() {
        let status = f
            .status()
            .unwrap_or_else(|| panic!("{} has no valid status", f.id));
        assert!(
            !f.text("source").trim().is_empty(),
            "{} ({}) has no source",
            f.id,
            status.as_str()
        );
    }
}

#[test]
fn the_basemap_has_land_lakes_rivers_boundaries_and_places_within_size() {
    let path = data().basemap();
    let size = std::fs::metadata(&path).unwrap().len();
    assert!(
        size <= 1_100_000,
        "the basemap should stay about 1 MB, is {size} bytes"
    );
    let map = read_basemap(&path).unwrap();
    assert!(map.land.0.len() > 100, "mainland plus islands");
    let lakes: BTreeSet<&str> = map.lakes.iter().map(|l| l.name_zh.as_str()).collect();
    for lake in ["太湖", "淀山湖", "阳澄湖", "滆湖", "长荡湖"] {
        assert!(lakes.contains(lake), "{lake} missing");
    }
    assert!(
        map.waterways.iter().any(|w| w.canal && w.level == 8),
        "the Grand Canal"
    );
    assert!(map.admin_lines.iter().any(|a| a.admin_level == 4));
    assert_eq!(map.places.len(), 39);
    assert!(map.attribution.contains("GSHHG") && map.attribution.contains("OpenStreetMap"));
    use geo::Contains;
    let pudong_airport = geo::Point::new(121.805, 31.143);
    assert!(
        map.land.contains(&pudong_airport),
        "Pudong airport must be on land (modern coast)"
    );
    let chongming = geo::Point::new(121.5, 31.62);
    assert!(map.land.contains(&chongming));
    let taihu = geo::Point::new(120.22, 31.2);
    assert!(!map.land.contains(&taihu), "Taihu is water");
}

#[test]
fn the_style_covers_every_layer_file() {
    let style = read_style(&data().style()).unwrap();
    for layer in LAYER_FILES {
        assert!(
            style.layer(layer).is_some(),
            "assets/style.ron has no style for {layer}"
        );
    }
}

#[test]
fn the_bundled_font_has_a_glyph_for_every_character_in_the_data() {
    let font = std::fs::read(
        data()
            .root
            .join("assets/fonts/NotoSansSC-Regular-subset.ttf"),
    )
    .unwrap();
    let face = ttf_parser::Face::parse(&font, 0).unwrap();
    let mut texts = Vec::new();
    for dir in ["layers", "assets/basemap"] {
        for entry in std::fs::read_dir(data().root.join(dir)).unwrap() {
            let p = entry.unwrap().path();
            if p.extension().is_some_and(|e| e == "geojson") {
                texts.push(std::fs::read_to_string(&p).unwrap());
            }
        }
    }
    texts.push(
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/style.ron"))
            .unwrap(),
    );
    // The default project's scenes and placements, and every string of the UI.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    texts.push(std::fs::read_to_string(root.join("assets/projects/sma-2022.onemap")).unwrap());
    let mut folders = vec![root.join("src")];
    while let Some(dir) = folders.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                folders.push(p);
            } else if p.extension().is_some_and(|e| e == "rs") {
                // Code, not comments: only strings reach the screen.
                let text = std::fs::read_to_string(&p).unwrap();
                let code: String = text
                    .lines()
                    .filter(|l| !l.trim_start().starts_with("//"))
                    .collect::<Vec<_>>()
                    .join("\n");
                texts.push(code);
            }
        }
    }
    let missing: BTreeSet<char> = texts
        .iter()
        .flat_map(|t| t.chars())
        .filter(|c| !c.is_control() && face.glyph_index(*c).is_none())
        .collect();
    assert!(
        missing.is_empty(),
        "characters without a glyph: {missing:?}"
    );
}
