//! The plan checks, each rule with a placement that triggers it and one that does not.

// An integration test is a crate of its own, which clippy's allow-unwrap-in-tests (clippy.toml)
// does not cover outside #[test] functions: its helpers unwrap too, a panic being a failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use onemap::io::{DataDir, load_project, read_edition, read_plan, save_project};
use onemap::model::Region;
use onemap::model::checks::{Finding, Rule, run_checks, unacknowledged};
use onemap::model::project::{
    Acknowledgement, Placement, PlacementGeometry, PlacementId, PlacementStatus, Project,
};
use onemap::model::view::ViewSettings;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn placement(
    action: &str,
    section: Option<&str>,
    lead: Option<&str>,
    geometry: PlacementGeometry,
) -> Placement {
    Placement {
        name_zh: "测试".into(),
        name_en: "Test".into(),
        action: action.into(),
        section: section.map(Into::into),
        lead_city: lead.map(Into::into),
        participants: vec![],
        status: PlacementStatus::Proposed,
        horizon: 2035,
        geometry,
        description: String::new(),
        source: "test".into(),
        indicative: true,
        comments: vec![],
    }
}

fn square(lon: f64, lat: f64, d: f64) -> PlacementGeometry {
    PlacementGeometry::Polygon(vec![vec![
        (lon, lat),
        (lon + d, lat),
        (lon + d, lat + d),
        (lon, lat + d),
        (lon, lat),
    ]])
}

fn findings(p: Placement) -> Vec<Finding> {
    let dir = DataDir::at(root());
    let plan = read_plan(&dir.layers(), Region::SHANGHAI_METROPOLITAN_AREA)
        .unwrap()
        .plan;
    let edition = read_edition(&dir.edition()).unwrap();
    let mut project = Project::new(
        "sma-2022",
        ViewSettings::from_style(&onemap::io::read_style(&dir.style()).unwrap()),
        "now",
    );
    project
        .placements
        .insert(PlacementId("placement.test".into()), p);
    run_checks(&project, &plan, &edition)
}

fn rules(p: Placement) -> Vec<Rule> {
    findings(p).iter().map(|f| f.rule).collect()
}

#[test]
fn an_industrial_park_in_taihus_core_is_flagged_with_its_overlap_and_clears_when_moved_out() {
    // About 4.8 km × 5.7 km in the middle of Taihu.
    let inside = findings(placement(
        "industry",
        Some("section.taihu"),
        Some("city.wuxi"),
        square(120.2, 31.15, 0.05),
    ));
    let core: Vec<&Finding> = inside
        .iter()
        .filter(|f| f.rule == Rule::EcologicalCore)
        .collect();
    assert_eq!(core.len(), 1, "{inside:#?}");
    let overlap = core[0].overlap_km2.unwrap();
    assert!((25.0..30.0).contains(&overlap), "overlap {overlap} km²");
    assert!(
        core[0].message.contains("太湖") && core[0].message.contains("km²"),
        "{}",
        core[0].message
    );
    let moved = rules(placement(
        "industry",
        None,
        Some("city.suzhou"),
        square(120.75, 31.33, 0.02),
    ));
    assert!(!moved.contains(&Rule::EcologicalCore), "{moved:?}");
}

#[test]
fn only_building_actions_are_kept_out_of_ecological_cores() {
    let greenway_area = rules(placement(
        "greenways",
        Some("section.taihu"),
        None,
        square(120.2, 31.15, 0.05),
    ));
    assert!(!greenway_area.contains(&Rule::EcologicalCore));
}

#[test]
fn a_line_across_a_water_source_is_flagged() {
    let across = PlacementGeometry::LineString(vec![(121.55, 31.40), (121.60, 31.50)]);
    assert!(rules(placement("transport", None, None, across)).contains(&Rule::WaterSource));
    let beside = PlacementGeometry::LineString(vec![(121.3, 31.2), (121.4, 31.25)]);
    assert!(!rules(placement("transport", None, None, beside)).contains(&Rule::WaterSource));
}

#[test]
fn placements_outside_the_plan_area_are_flagged_partly_or_wholly() {
    let hangzhou = findings(placement(
        "culture",
        None,
        None,
        PlacementGeometry::Point((120.15, 30.27)),
    ));
    assert!(
        hangzhou
            .iter()
            .any(|f| f.rule == Rule::OutsidePlanArea && f.message.contains("wholly"))
    );
    let to_hangzhou = findings(placement(
        "transport",
        None,
        None,
        PlacementGeometry::LineString(vec![(121.3, 31.2), (120.15, 30.27)]),
    ));
    assert!(
        to_hangzhou
            .iter()
            .any(|f| f.rule == Rule::OutsidePlanArea && f.message.contains("partly"))
    );
    let estuary = rules(placement(
        "blueways",
        None,
        None,
        PlacementGeometry::Point((121.6, 31.45)),
    ));
    assert!(
        !estuary.contains(&Rule::OutsidePlanArea),
        "the estuary waters are part of the plan area"
    );
}

#[test]
fn a_declared_section_or_lead_city_must_touch_the_geometry() {
    let at_taihu = PlacementGeometry::Point((120.3, 31.45));
    assert!(
        rules(placement(
            "culture",
            Some("section.yanhai"),
            Some("city.wuxi"),
            at_taihu.clone()
        ))
        .contains(&Rule::SectionMismatch)
    );
    assert!(
        rules(placement(
            "culture",
            Some("section.taihu"),
            Some("city.ningbo"),
            at_taihu.clone()
        ))
        .contains(&Rule::LeadCityMismatch)
    );
    let fine = rules(placement(
        "culture",
        Some("section.taihu"),
        Some("city.wuxi"),
        at_taihu,
    ));
    assert!(
        !fine.contains(&Rule::SectionMismatch) && !fine.contains(&Rule::LeadCityMismatch),
        "{fine:?}"
    );
}

#[test]
fn a_greenway_must_connect_to_the_network_within_a_kilometre() {
    let dir = DataDir::at(root());
    let plan = read_plan(&dir.layers(), Region::SHANGHAI_METROPOLITAN_AREA)
        .unwrap()
        .plan;
    let start = |id: &str| -> (f64, f64) {
        let f = plan.feature(&onemap::model::FeatureId(id.into())).unwrap();
        let geo::Geometry::LineString(l) = &f.geometry else {
            panic!("{id} is a line")
        };
        (l.0[0].x, l.0[0].y)
    };
    let link = PlacementGeometry::LineString(vec![
        start("greenway.taihu_ring"),
        start("greenway.dianshan_ring"),
    ]);
    assert!(!rules(placement("greenways", None, None, link)).contains(&Rule::Disconnected));
    let stray = PlacementGeometry::LineString(vec![(119.5, 30.9), (119.55, 30.95)]);
    let found = findings(placement("greenways", None, None, stray));
    assert!(
        found
            .iter()
            .any(|f| f.rule == Rule::Disconnected && f.message.contains("km from it")),
        "{found:#?}"
    );
}

#[test]
fn a_greenway_end_is_connected_up_to_1000_geodesic_metres_from_the_network_and_no_further() {
    use geo::{Bearing, Destination, Geodesic, InterpolatePoint, Point};
    // A greenway of its own as the network, where no planned one is near (see the stray
    // above), running north-east: about 49° on the ground. There the nearest point of the line
    // found in degrees of lon/lat (where a degree east is shorter than a degree north) is
    // not the nearest on the ground, and a distance measured to it came out about 1 % long.
    let (a, b) = (Point::new(119.50, 30.90), Point::new(119.60, 31.00));
    let network = PlacementGeometry::LineString(vec![a.x_y(), b.x_y()]);
    let middle = Geodesic.point_at_ratio_between(a, b, 0.5);
    let across = Geodesic.bearing(a, b) + 90.0;
    let disconnected = |metres: f64| {
        // A second greenway from the network's start to a point `metres` off its middle.
        let end = Geodesic.destination(middle, across, metres);
        let mut project = Project::new(
            "sma-2022",
            ViewSettings::from_style(
                &onemap::io::read_style(&DataDir::at(root()).style()).unwrap(),
            ),
            "now",
        );
        for (id, geometry) in [
            ("placement.network", network.clone()),
            (
                "placement.test",
                PlacementGeometry::LineString(vec![a.x_y(), end.x_y()]),
            ),
        ] {
            project.placements.insert(
                PlacementId(id.into()),
                placement("greenways", None, None, geometry),
            );
        }
        let dir = DataDir::at(root());
        let plan = read_plan(&dir.layers(), Region::SHANGHAI_METROPOLITAN_AREA)
            .unwrap()
            .plan;
        run_checks(&project, &plan, &read_edition(&dir.edition()).unwrap())
            .into_iter()
            .any(|f| f.placement == "placement.test" && f.rule == Rule::Disconnected)
    };
    // 5 m either side of the 1 km tolerance: the spherical nearest point and the segment's
    // bow between lon/lat and the great circle are each well under a metre here.
    assert!(!disconnected(995.0), "995 m is within 1 km");
    assert!(disconnected(1005.0), "1005 m is more than 1 km");
}

#[test]
fn acknowledged_findings_are_kept_in_the_project_and_no_longer_open() {
    let mut project = load_project(&root().join("assets/projects/sma-2022.onemap")).unwrap();
    let dir = DataDir::at(root());
    let plan = read_plan(&dir.layers(), Region::SHANGHAI_METROPOLITAN_AREA)
        .unwrap()
        .plan;
    let edition = read_edition(&dir.edition()).unwrap();
    let found = run_checks(&project, &plan, &edition);
    assert!(!found.is_empty());
    let first = found[0].id.clone();
    project.acknowledgements.insert(
        first.clone(),
        Acknowledgement {
            author: "planner".into(),
            time: "2026-11-28T12:00:00Z".into(),
            reason: "extends beyond the nine cities by design".into(),
        },
    );
    assert_eq!(unacknowledged(&found, &project).len(), found.len() - 1);
    let file = std::env::temp_dir().join(format!("onemap-ack-{}.onemap", std::process::id()));
    save_project(&file, &project).unwrap();
    assert_eq!(
        load_project(&file).unwrap().acknowledgements[&first].author,
        "planner"
    );

    // The headless command agrees: 1 while findings are open, 0 once all are acknowledged.
    let run = |path: &Path| {
        std::process::Command::new(env!("CARGO_BIN_EXE_onemap"))
            .arg("check")
            .arg(path)
            .arg("--data")
            .arg(root())
            .output()
            .unwrap()
    };
    let out = run(&file);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(text.lines().count(), found.len());
    assert!(text.contains("acknowledged by planner: extends beyond the nine cities by design"));
    for f in &found {
        project
            .acknowledgements
            .entry(f.id.clone())
            .or_insert(Acknowledgement {
                author: "p".into(),
                time: "t".into(),
                reason: "r".into(),
            });
    }
    save_project(&file, &project).unwrap();
    assert_eq!(run(&file).status.code(), Some(0));
    std::fs::write(&file, "(version: 1").unwrap();
    assert_eq!(run(&file).status.code(), Some(2));
}

#[test]
fn derived_facts_name_the_cities_and_zones_a_placement_touches() {
    use onemap::model::derived::derive;
    let dir = DataDir::at(root());
    let plan = read_plan(&dir.layers(), Region::SHANGHAI_METROPOLITAN_AREA)
        .unwrap()
        .plan;
    let project = load_project(&root().join("assets/projects/sma-2022.onemap")).unwrap();
    let husuhu = &project.placements[&PlacementId("placement.husuhu-railway".into())];
    let d = derive(&plan, &husuhu.geometry.to_geo());
    for city in ["上海", "苏州", "湖州"] {
        assert!(
            d.cities.iter().any(|c| c == city),
            "{city} missing from {:?}",
            d.cities
        );
    }
    assert!(d.cross_border());
    assert!(
        d.zones.iter().any(|z| z.contains("淀山湖")),
        "{:?}",
        d.zones
    );
    assert!((120.0..180.0).contains(&d.length_km.unwrap()));
    let airport = &project.placements[&PlacementId("placement.nantong-new-airport".into())];
    let d = derive(&plan, &airport.geometry.to_geo());
    assert_eq!(d.cities, ["南通"]);
    assert!(!d.cross_border());
}

/// `onemap check` is a contract: its lines and its JSON stay as they were written before the
/// findings learned to speak the interface language (a project that trips every rule, the
/// expected output recorded from the command as it was).
#[test]
fn onemap_check_prints_every_rule_as_before_in_text_and_json() {
    let project = root().join("tests/fixtures/every_rule.onemap");
    let project = project.to_str().unwrap();
    let run = |json: bool| {
        let mut args = vec!["check", project];
        if json {
            args.push("--json");
        }
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_onemap"))
            .args(&args)
            .arg("--data")
            .arg(root())
            .output()
            .unwrap();
        (out.status.code(), String::from_utf8(out.stdout).unwrap())
    };
    let expected =
        |name: &str| std::fs::read_to_string(root().join("tests/fixtures").join(name)).unwrap();
    assert_eq!(run(false), (Some(1), expected("every_rule.check.txt")));
    assert_eq!(run(true), (Some(1), expected("every_rule.check.json")));
}
