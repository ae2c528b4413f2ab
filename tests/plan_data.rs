//! Checks that the shipped data is what it claims to be. They read the files in `layers/` and
//! `assets/`; they are not snapshots of them. The counts are those of the 2022 plan edition
//! (the seed paper, `[xiong2022]` in layers/SOURCES.md).

// An integration test is a crate of its own, which clippy's allow-unwrap-in-tests (clippy.toml)
// does not cover outside #[test] functions: its helpers unwrap too, a panic being a failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use geo::{
    Area, BooleanOps, BoundingRect, Distance, Euclidean, Geometry, Intersects, MultiLineString,
    MultiPolygon, Polygon,
};
use onemap::io::{DataDir, load_project, read_basemap, read_edition, read_plan, read_style};
use onemap::model::measure::{area_km2, length_km};
use onemap::model::project::Project;
use onemap::model::validate::validate_plan;
use onemap::model::{PlaceKind, Plan, PlanFeature, Region, Status};

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
    // It is read at start: 0.67 MB before the ring and the towns, 1.18 MB with them, 1.42 MB
    // with the built-up areas (MODIS, 0.24 MB; see assets/basemap/README.md for the cost).
    assert!(
        size <= 1_500_000,
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
    let seats = map
        .places
        .iter()
        .filter(|p| {
            matches!(
                p.kind,
                PlaceKind::Prefecture | PlaceKind::County | PlaceKind::District
            )
        })
        .count();
    assert_eq!(seats, 39, "the city and county seats");
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

/// Issue 18: towns from GeoNames, with Chinese names, each appearing from a zoom; and coarse
/// land, lakes and cities beyond the plan frame, so that the map has no edge.
#[test]
fn the_basemap_has_towns_by_zoom_and_ground_beyond_the_plan_frame() {
    let map = read_basemap(&data().basemap()).unwrap();
    let towns: Vec<_> = map
        .places
        .iter()
        .filter(|p| {
            matches!(
                p.kind,
                PlaceKind::Town
                    | PlaceKind::Township
                    | PlaceKind::Subdistrict
                    | PlaceKind::Locality
            )
        })
        .collect();
    assert!(towns.len() > 1000, "GeoNames towns: {}", towns.len());
    let han = |s: &str| !s.is_empty() && s.chars().all(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    for t in &towns {
        assert!(han(&t.name_zh), "{} has no Chinese name", t.name_en);
        assert!(!t.name_en.is_empty(), "{} has no English name", t.name_zh);
        assert_eq!(t.source, "GeoNames cities500", "{}", t.name_zh);
        let zoom = t
            .min_zoom
            .unwrap_or_else(|| panic!("{} has no min_zoom", t.name_zh));
        assert!((9.0..=11.0).contains(&zoom), "{}: {zoom}", t.name_zh);
    }
    let town = |zh: &str| towns.iter().find(|t| t.name_zh == zh);
    for zh in ["朱家角", "金泽", "周庄", "锦溪", "同里", "西塘"] {
        let t = town(zh).unwrap_or_else(|| panic!("{zh} is not a town of the basemap"));
        assert!(t.min_zoom <= Some(11.0), "{zh} shows by zoom 11");
    }
    let zhujiajiao = town("朱家角").unwrap();
    assert!(
        Euclidean.distance(&zhujiajiao.position, &geo::Point::new(121.05, 31.11)) < 0.03,
        "朱家角 is on 淀山湖's east shore"
    );
    // Seats are not repeated as towns.
    assert!(town("昆山").is_none() && town("嘉善").is_none());
    let cities: Vec<_> = map
        .places
        .iter()
        .filter(|p| p.kind == PlaceKind::City)
        .collect();
    for zh in ["南京", "杭州", "合肥", "绍兴"] {
        assert!(
            cities
                .iter()
                .any(|c| c.name_zh == zh && c.min_zoom.is_some()),
            "{zh}, a city beyond the nine"
        );
    }

    let frame = map.frame.expect("bbox");
    let fine = map.plan_frame.expect("plan_frame");
    assert!(
        frame.min().x <= fine.min().x - 4.0
            && frame.max().x >= fine.max().x + 4.0
            && frame.min().y <= fine.min().y - 2.5
            && frame.max().y >= fine.max().y + 2.5,
        "the ring reaches well beyond the plan frame: {frame:?} around {fine:?}"
    );
    use geo::Contains;
    let nanjing = geo::Point::new(118.78, 32.06);
    let hefei = geo::Point::new(117.28, 31.86);
    let east_china_sea = geo::Point::new(124.5, 31.0);
    assert!(map.land.contains(&nanjing) && map.land.contains(&hefei));
    assert!(
        !map.land.contains(&east_china_sea),
        "the sea beyond is water"
    );
    let chaohu = map
        .lakes
        .iter()
        .find(|l| l.name_zh == "巢湖")
        .expect("巢湖, a lake beyond the frame");
    assert!(chaohu.shape.contains(&geo::Point::new(117.55, 31.55)));
    assert!(
        !map.land.contains(&geo::Point::new(117.55, 31.55)),
        "a lake is not land"
    );
    use geo::CoordsIter;
    assert!(
        map.admin_lines
            .iter()
            .any(|a| a.admin_level == 4 && a.lines.coords_iter().any(|c| c.x < fine.min().x - 1.0)),
        "province borders go on beyond the plan frame (江苏/安徽)"
    );
    assert!(
        map.attribution.contains("GeoNames") && map.attribution.contains("Natural Earth"),
        "{}",
        map.attribution
    );
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
    for file in ["assets/style.ron", "layers/edition.ron"] {
        texts.push(
            std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(file)).unwrap(),
        );
    }
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

// ---------------------------------------------------------------------------------------------
// Sources anyone can follow (layers/SOURCES.md)

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn default_project() -> Project {
    load_project(&root().join("assets/projects/sma-2022.onemap")).expect("the default project")
}

/// The entries of layers/SOURCES.md: key → its text (up to the next entry or section).
fn bibliography() -> BTreeMap<String, String> {
    let text =
        std::fs::read_to_string(root().join("layers/SOURCES.md")).expect("layers/SOURCES.md");
    let mut entries = BTreeMap::new();
    let mut current: Option<(String, String)> = None;
    for line in text.lines() {
        if line.starts_with('#') {
            if let Some((key, body)) = current.take() {
                assert!(
                    entries.insert(key.clone(), body).is_none(),
                    "[{key}] is defined twice"
                );
            }
            if let Some(key) = line
                .strip_prefix("### [")
                .and_then(|rest| rest.strip_suffix(']'))
            {
                current = Some((key.to_owned(), String::new()));
            }
        } else if let Some((_, body)) = current.as_mut() {
            body.push_str(line);
            body.push('\n');
        }
    }
    if let Some((key, body)) = current {
        entries.insert(key, body);
    }
    entries
}

fn is_key(text: &str) -> bool {
    text.chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric())
        && text
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// The keys a source text cites, or what it puts in brackets that is not a key.
fn cited_keys(source: &str) -> Result<Vec<String>, String> {
    let mut keys = Vec::new();
    let mut rest = source;
    while let Some(open) = rest.find('[') {
        let after = &rest[open + 1..];
        let close = after
            .find(']')
            .ok_or_else(|| format!("an unclosed '[' in {source:?}"))?;
        let inside = &after[..close];
        if !is_key(inside) {
            return Err(format!(
                "[{inside}] is not a key (a-z, 0-9, -) in {source:?}"
            ));
        }
        keys.push(inside.to_owned());
        rest = &after[close + 1..];
    }
    Ok(keys)
}

/// File names in a source that are not files of this repository (URLs are not file names).
fn paths_outside_the_repository(source: &str) -> Vec<String> {
    const EXTENSIONS: [&str; 10] = [
        ".md", ".txt", ".geojson", ".ron", ".py", ".rs", ".png", ".json", ".bin", ".onemap",
    ];
    let mut outside = Vec::new();
    for word in source.split(|c: char| c.is_whitespace() || ",;()（），；：".contains(c)) {
        let word = word.trim_end_matches(['.', ':']);
        if word.contains("plan-facts") || word.contains("shared/reference") {
            outside.push(word.to_owned());
            continue;
        }
        if word.starts_with("http://") || word.starts_with("https://") {
            continue;
        }
        let names_a_file = word.chars().any(char::is_alphanumeric)
            && (EXTENSIONS.iter().any(|e| word.ends_with(e))
                || word.starts_with('/')
                || word.starts_with('~')
                || word.starts_with(".."));
        if names_a_file
            && (word.contains("..") || word.starts_with(['/', '~']) || !root().join(word).exists())
        {
            outside.push(word.to_owned());
        }
    }
    outside
}

/// Every source text of the shipped data: (where, text, whether it may be "unsourced").
fn all_sources() -> Vec<(String, String, bool)> {
    let mut out = Vec::new();
    for f in plan().features() {
        for (key, value) in &f.properties {
            if key == "source" || key.ends_with("_source") {
                let text = value.as_str().unwrap_or_default().to_owned();
                out.push((format!("{} {key}", f.id), text, key != "source"));
            }
        }
    }
    let edition = read_edition(&data().edition()).expect("layers/edition.ron");
    out.push(("layers/edition.ron source".into(), edition.source, false));
    for (id, p) in &default_project().placements {
        out.push((format!("{} source", id.0), p.source.clone(), false));
    }
    out
}

#[test]
fn every_bibliography_entry_is_a_full_citation() {
    let entries = bibliography();
    assert!(entries.len() > 20, "only {} entries", entries.len());
    for (key, body) in &entries {
        assert!(is_key(key), "[{key}] is not a key (a-z, 0-9, -)");
        for field in [
            "**Authors:**",
            "**Title:**",
            "**Published:**",
            "**Date:**",
            "**URL:**",
            "**Facts used:**",
        ] {
            let line = body.lines().find(|l| l.contains(field));
            let value = line.map(|l| l.split(field).nth(1).unwrap_or_default().trim());
            assert!(
                value.is_some_and(|v| !v.is_empty()),
                "[{key}] lacks {field} in layers/SOURCES.md"
            );
        }
    }
    let seed = &entries["xiong2022"];
    assert!(seed.contains("熊健、范宇、张振广、杜凤姣") && seed.contains("总第 268 期"));
}

#[test]
fn every_source_cites_keys_of_the_bibliography_and_no_file_outside_the_repository() {
    let entries = bibliography();
    let mut cited = BTreeSet::new();
    let mut problems = Vec::new();
    for (place, text, may_be_unsourced) in all_sources() {
        match cited_keys(&text) {
            Err(e) => problems.push(format!("{place}: {e}")),
            Ok(keys) => {
                if keys.is_empty() && !(may_be_unsourced && text.starts_with("unsourced")) {
                    problems.push(format!("{place} cites no key: {text:?}"));
                }
                for k in keys {
                    if !entries.contains_key(&k) {
                        problems.push(format!(
                            "{place} cites [{k}], which layers/SOURCES.md lacks"
                        ));
                    }
                    cited.insert(k);
                }
            }
        }
        for path in paths_outside_the_repository(&text) {
            problems.push(format!(
                "{place} names {path:?}, which is not in the repository"
            ));
        }
    }
    for key in entries.keys() {
        if !cited.contains(key) {
            problems.push(format!("[{key}] in layers/SOURCES.md is cited by nothing"));
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn the_source_checks_catch_unknown_keys_and_outside_paths() {
    assert_eq!(cited_keys("[a-1] and [b]").unwrap(), ["a-1", "b"]);
    assert!(cited_keys("[Seed Paper]").is_err());
    assert!(cited_keys("[open").is_err());
    for outside in [
        "shared/reference/plan-facts.md §9",
        "plan-facts §8",
        "see /home/me/notes.txt",
        "../other/SOURCES.md",
        "layers/NOTES.md",
    ] {
        assert!(
            !paths_outside_the_repository(outside).is_empty(),
            "{outside} passed"
        );
    }
    for inside in [
        "layers/pipeline/clip_sections.py",
        "https://example.org/a/b.html",
        "350 km/h, 沪宁铁路/京沪高铁, 临港 / 滴水湖",
    ] {
        assert!(
            paths_outside_the_repository(inside).is_empty(),
            "{inside} failed"
        );
    }
}

#[test]
fn every_area_and_population_value_cites_a_source_or_says_it_is_unsourced() {
    for f in plan().features() {
        for (key, value) in &f.properties {
            if (key.contains("area") || key.contains("population")) && value.is_number() {
                let source = f.text(&format!("{key}_source"));
                assert!(
                    source.starts_with("unsourced") || source.contains('['),
                    "{}: {key} has no {key}_source (a [key] or \"unsourced…\")",
                    f.id
                );
            }
        }
    }
}

#[test]
fn no_zone_claims_a_core_city_and_the_demonstration_zone_says_what_is_inferred() {
    let plan = plan();
    for z in features(&plan, "sections") {
        assert!(
            !z.properties.contains_key("core_city"),
            "{}: Table 2 names no core city",
            z.id
        );
    }
    let demo = features(&plan, "coordination")
        .into_iter()
        .find(|f| f.id.as_str() == "coord.demo_zone")
        .expect("the demonstration zone");
    assert!(demo.text("inference").contains("inference"));
    assert!(demo.text("source").contains("our inference"));
}

// ---------------------------------------------------------------------------------------------
// Zones stay inside the plan area; corridors keep off the lakes

fn polygons(g: &Geometry<f64>) -> MultiPolygon<f64> {
    match g {
        Geometry::Polygon(p) => MultiPolygon(vec![p.clone()]),
        Geometry::MultiPolygon(m) => m.clone(),
        other => panic!("not a polygon: {other:?}"),
    }
}

/// The area of the parts of an overlay's result that have one: geo's overlays can leave
/// zero-width slivers along shared edges (the plan frame's edge, where the coarse land beyond
/// meets the fine land), whose geodesic area comes out as the whole Earth's.
fn sliverless_km2(m: &MultiPolygon<f64>) -> f64 {
    m.0.iter()
        .filter(|p| p.unsigned_area() > 1e-10)
        .map(|p| area_km2(&MultiPolygon(vec![p.clone()])))
        .sum()
}

/// An island this close (in degrees, about 10 km) to a territory counts as its own: Tianditu's
/// generalised polygons leave many small islands of Zhoushan and Ningbo out. The same rule as
/// layers/pipeline/clip_sections.py.
const ISLAND_REACH_DEG: f64 = 0.1;

#[test]
fn every_zone_keeps_to_the_nine_territories_and_their_waters() {
    let plan = plan();
    let map = read_basemap(&data().basemap()).unwrap();
    let territories = features(&plan, "city_boundaries")
        .iter()
        .map(|f| polygons(&f.geometry))
        .reduce(|a, b| a.union(&b))
        .expect("nine territories");
    let mut parts: Vec<&Polygon<f64>> = map.land.0.iter().collect();
    parts.sort_by(|a, b| b.unsigned_area().total_cmp(&a.unsigned_area()));
    let (mainland, islands) = parts.split_first().expect("land");
    // Only the plan frame's part of the mainland: beyond it the basemap has coarse land of all
    // East China, which no zone reaches, and which would only slow the overlays down.
    let plan_frame = map
        .plan_frame
        .expect("the basemap's plan frame")
        .to_polygon();
    let mainland = MultiPolygon(vec![(*mainland).clone()]).intersection(&plan_frame);
    let far_from_territories = |island: &Polygon<f64>| {
        !territories.intersects(island)
            && territories
                .0
                .iter()
                .all(|t| Euclidean.distance(island, t) > ISLAND_REACH_DEG)
    };
    let mut report = Vec::new();
    for zone in features(&plan, "sections") {
        let z = polygons(&zone.geometry);
        let zone_land = area_km2(&z.intersection(&map.land));
        let mut outside = sliverless_km2(&z.intersection(&mainland).difference(&territories));
        let bbox = z.bounding_rect().expect("a zone has an extent");
        for island in islands {
            if island.bounding_rect().is_some_and(|b| b.intersects(&bbox))
                && island.intersects(&z)
                && far_from_territories(island)
            {
                outside += area_km2(&z.intersection(&MultiPolygon(vec![(*island).clone()])));
            }
        }
        report.push(format!(
            "{}: {:.1} km² of {zone_land:.0} km² of land outside the nine",
            zone.id,
            outside + 0.0 // not "-0.0"
        ));
        println!("{}", report.last().unwrap_or(&String::new()));
        assert!(zone_land > 100.0, "{} has almost no land", zone.id);
        assert!(
            outside < 0.01 * zone_land,
            "{} takes land outside the nine cities: {report:#?}",
            zone.id
        );
    }
}

/// A real line may bridge a lake for a short way (the 京沪高铁 crosses 阳澄湖); 3 % of a 65 km
/// secondary corridor is 2 km. Before the re-sketch, 锡宜湖 ran 21.5 % over Taihu and 常溧 21.8 %
/// over 长荡湖.
const MAX_LAKE_SHARE: f64 = 0.03;

#[test]
fn no_corridor_cuts_across_a_lake() {
    let plan = plan();
    let map = read_basemap(&data().basemap()).unwrap();
    let lakes = MultiPolygon(map.lakes.iter().map(|l| l.shape.clone()).collect());
    for c in features(&plan, "corridors") {
        let Geometry::LineString(line) = &c.geometry else {
            panic!("{} is not a line", c.id)
        };
        let over_water: f64 = lakes
            .clip(&MultiLineString(vec![line.clone()]), false)
            .0
            .iter()
            .map(length_km)
            .sum();
        let share = over_water / length_km(line);
        println!("{}: {:.2} % over lake water", c.id, share * 100.0 + 0.0);
        assert!(
            share < MAX_LAKE_SHARE,
            "{} runs {:.1} % over lake water",
            c.id,
            share * 100.0
        );
    }
}

#[test]
fn corridor_names_agree_with_their_lines() {
    // 常溧: the line runs 常州–金坛–溧阳, so its axis must say so (it once named 常泰、常宜).
    let plan = plan();
    let changli = features(&plan, "corridors")
        .into_iter()
        .find(|c| c.id.as_str() == "corridor.changli")
        .expect("常溧");
    assert!(changli.text("axis_zh").contains("金坛"));
    assert!(!changli.text("axis_zh").contains("常泰"));
    let Geometry::LineString(line) = &changli.geometry else {
        panic!()
    };
    let jintan = geo::Point::new(119.57, 31.74);
    assert!(Euclidean.distance(&jintan, line) < 0.02, "passes 金坛");
}

// ---------------------------------------------------------------------------------------------
// The plan's structure as data, and the default project's placements

#[test]
fn every_system_action_states_its_focus_from_table_1() {
    let edition = read_edition(&data().edition()).unwrap();
    let counts: Vec<(String, usize, usize)> = edition
        .actions
        .iter()
        .map(|a| (a.id.clone(), a.focus_zh.len(), a.focus_en.len()))
        .collect();
    let expected = [
        ("transport", 4),
        ("blueways", 4),
        ("ecology", 4),
        ("municipal", 6),
        ("greenways", 3),
        ("culture", 5),
        ("industry", 4),
        ("cooperation", 4),
    ];
    assert_eq!(counts.len(), expected.len());
    for ((id, zh, en), (want_id, want)) in counts.iter().zip(expected) {
        assert_eq!((id.as_str(), *zh, *en), (want_id, want, want));
    }
    let transport = edition.action("transport").unwrap();
    assert_eq!(transport.focus_zh[0], "加强区域港口协作与联动");
}

#[test]
fn every_placement_of_the_default_project_says_when_its_status_was_checked() {
    for (id, p) in &default_project().placements {
        let checked = p
            .source
            .split("status checked ")
            .nth(1)
            .map(|rest| rest.chars().take(7).collect::<String>());
        let well_formed = checked.as_deref().is_some_and(|d| {
            d.len() == 7
                && d[..4].chars().all(|c| c.is_ascii_digit())
                && &d[4..5] == "-"
                && d[5..].chars().all(|c| c.is_ascii_digit())
        });
        assert!(
            well_formed,
            "{}: the source should say \"status checked YYYY-MM\": {:?}",
            id.0, p.source
        );
    }
}

#[test]
fn the_cooperation_actions_under_way_are_indicative_placements() {
    let project = default_project();
    for (name, action) in [
        ("沪宁科创带", "industry"),
        ("环太湖科创圈", "industry"),
        ("太湖生态岛", "ecology"),
        ("甬舟人工航道", "transport"),
        ("长江沿线生态安全缓冲区", "ecology"),
    ] {
        let p = project
            .placements
            .values()
            .find(|p| p.name_zh.contains(name))
            .unwrap_or_else(|| panic!("no placement for {name}"));
        assert_eq!(p.action, action, "{name}");
        assert!(p.indicative, "{name} is a sketch");
        assert!(p.source.contains("[xiong2022]"), "{name}: {}", p.source);
    }
}
