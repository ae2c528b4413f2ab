//! Unit tests of the CRS module; PROJ-checked accuracy lives in tests/crs_accuracy.rs.

use super::*;

#[test]
fn epsg_codes_round_trip_and_unknown_ones_are_refused() {
    for code in [
        4326, 4490, 4214, 4610, 3857, 32650, 32651, 4513, 4533, 4534, 4554, 4491, 4512,
    ] {
        assert_eq!(Crs::from_epsg(code).and_then(|c| c.epsg()), Some(code));
    }
    for code in [0, 2000, 4555, 32600, 32661, 900913] {
        assert_eq!(Crs::from_epsg(code), None, "{code}");
    }
    assert_eq!(
        Crs::parse("EPSG:2000"),
        Err(CrsError::UnsupportedEpsg(2000))
    );
}

#[test]
fn parse_reads_what_users_type() {
    let zone40 = Crs::from_epsg(4528).unwrap();
    assert_eq!(Crs::parse("EPSG:4528").unwrap(), zone40);
    assert_eq!(Crs::parse(" epsg:4528 ").unwrap(), zone40);
    assert_eq!(Crs::parse("4528").unwrap(), zone40);
    assert_eq!(Crs::parse("gcj02").unwrap(), Crs::Gcj02);
    assert_eq!(Crs::parse("GCJ-02").unwrap(), Crs::Gcj02);
    assert_eq!(Crs::parse("bd09").unwrap(), Crs::Bd09);
    assert_eq!(Crs::parse("BD-09").unwrap(), Crs::Bd09);
    assert_eq!(Crs::parse("WGS84").unwrap(), Crs::WGS84);
    let typed =
        "+proj=tmerc +lat_0=0 +lon_0=120 +k=1 +x_0=500000 +y_0=0 +ellps=GRS80 +units=m +no_defs";
    let Crs::Proj(proj) = Crs::parse(&format!("  {typed}  ")).unwrap() else {
        panic!("not a PROJ string");
    };
    assert_eq!(proj.as_str(), typed);
    assert!(
        Crs::parse("+proj=longlat +datum=WGS84")
            .unwrap()
            .is_geographic()
    );
    let wkt = Crs::from_epsg(4549).unwrap().to_wkt().unwrap();
    assert_eq!(Crs::parse(&wkt).unwrap().epsg(), Some(4549));
}

#[test]
fn parse_refuses_clearly() {
    for bad in ["", "hello", "EPSG:", "EPSG:abc", "99999999999999999999"] {
        let err = Crs::parse(bad).unwrap_err().to_string();
        assert!(
            err.contains("not a coordinate system OneMap"),
            "{bad}: {err}"
        );
    }
    for bad in [
        "+proj=nonsense",
        "+proj=tmerc +ellps=nowhere",
        "+init=epsg:4528",
        "+proj=geocent +datum=WGS84",
    ] {
        let err = Crs::parse(bad).unwrap_err();
        assert!(
            matches!(err, CrsError::BadProjString { .. }),
            "{bad}: {err}"
        );
    }
}

#[test]
fn labels_say_it_in_words() {
    let label = |code| Crs::from_epsg(code).unwrap().label();
    assert_eq!(
        label(4528),
        "CGCS2000 / 3-degree Gauss-Kruger zone 40 (EPSG:4528)"
    );
    assert_eq!(
        label(4549),
        "CGCS2000 / 3-degree Gauss-Kruger CM 120E (EPSG:4549)"
    );
    assert_eq!(label(4499), "CGCS2000 / Gauss-Kruger zone 21 (EPSG:4499)");
    assert_eq!(label(32651), "WGS 84 / UTM zone 51N (EPSG:32651)");
    assert_eq!(label(4490), "CGCS2000 longitude/latitude (EPSG:4490)");
    assert_eq!(
        label(2364),
        "Xi'an 1980 / 3-degree Gauss-Kruger zone 40 (EPSG:2364)"
    );
    assert!(Crs::Bd09.label().contains("Baidu"));
}

#[test]
fn in_chinese_a_label_has_no_english_words_but_epsgs_own_names() {
    use crate::model::UiLanguage::Chinese;
    let zh = |crs: Crs| crs.label_in(Chinese);
    assert_eq!(
        zh(Crs::from_epsg(4490).unwrap()),
        "CGCS2000 经纬度 (EPSG:4490)"
    );
    assert_eq!(
        zh(Crs::from_epsg(4326).unwrap()),
        "WGS 84 经纬度 (EPSG:4326)"
    );
    assert_eq!(zh(Crs::Gcj02), "GCJ-02 经纬度（高德、腾讯地图）");
    assert_eq!(zh(Crs::Bd09), "BD-09 经纬度（百度地图）");
    let Ok(proj) = Crs::parse("+proj=longlat +ellps=GRS80") else {
        panic!("a PROJ string parses");
    };
    assert!(zh(proj).starts_with("PROJ 字符串 +proj=longlat"));
    // EPSG's names of projected systems are proper names, the same in both languages.
    let zone40 = Crs::from_epsg(4528).unwrap();
    assert_eq!(zh(zone40.clone()), zone40.label());
    for crs in [Crs::from_epsg(4490).unwrap(), Crs::Gcj02, Crs::Bd09] {
        assert!(!zh(crs).contains("longitude"));
    }
}

#[test]
fn accuracy_tells_what_to_expect() {
    let of = |code| Crs::from_epsg(code).unwrap().accuracy();
    assert_eq!(of(32650), Accuracy::Exact);
    assert_eq!(of(4528), Accuracy::Cgcs2000AsWgs84);
    assert!(matches!(of(2416), Accuracy::Published { metres: 15.0, .. }));
    assert!(matches!(of(2364), Accuracy::NoPublishedShift { .. }));
    assert!(of(2364).describe().contains("datum shift unknown"));
    assert_eq!(Crs::Gcj02.accuracy(), Accuracy::WebMapAlgorithm);
}

#[test]
fn points_and_geometries_convert_both_ways() {
    let crs = Crs::from_epsg(4528).unwrap();
    let (x, y) = crs.from_wgs84(121.47, 31.23).unwrap();
    assert!((40_000_000.0..41_000_000.0).contains(&x) && (3_400_000.0..3_500_000.0).contains(&y));
    let (lon, lat) = crs.to_wgs84(x, y).unwrap();
    assert!((lon - 121.47).abs() < 1e-9 && (lat - 31.23).abs() < 1e-9);

    let t = CrsTransform::new(&crs).unwrap();
    let original: geo::Geometry<f64> =
        geo::Geometry::GeometryCollection(geo::GeometryCollection(vec![
            geo::Geometry::Point(geo::point!(x: 121.47, y: 31.23)),
            geo::Geometry::LineString(geo::LineString::from(vec![(120.0, 30.0), (121.0, 31.5)])),
        ]));
    let mut g = original.clone();
    t.geometry_from_wgs84(&mut g).unwrap();
    assert_ne!(g, original);
    t.geometry_to_wgs84(&mut g).unwrap();
    let mut max_off: f64 = 0.0;
    for (a, b) in geo::CoordsIter::coords_iter(&g).zip(geo::CoordsIter::coords_iter(&original)) {
        max_off = max_off.max((a.x - b.x).abs()).max((a.y - b.y).abs());
    }
    assert!(max_off < 1e-9, "{max_off}");

    let mut bad = geo::Geometry::Point(geo::point!(x: f64::NAN, y: 0.0));
    assert!(t.geometry_to_wgs84(&mut bad).is_err());
    assert!(crs.from_wgs84(121.0, 95.0).is_err());
    assert!(crs.to_wgs84(f64::INFINITY, 0.0).is_err());
}

#[test]
fn web_map_datums_convert_through_the_published_algorithms() {
    // googollee/eviltransform's Shanghai pair.
    let (lon, lat) = Crs::Gcj02.from_wgs84(121.5272106, 31.1774276).unwrap();
    assert!((lon - 121.531541859215).abs() < 1e-9 && (lat - 31.17530398364597).abs() < 1e-9);
    let (bx, by) = Crs::Bd09.from_wgs84(121.5272106, 31.1774276).unwrap();
    assert!((bx - lon).abs() > 0.005 && (by - lat).abs() > 0.005);
    let (lon, lat) = Crs::Bd09.to_wgs84(bx, by).unwrap();
    assert!((lon - 121.5272106).abs() < 1e-10 && (lat - 31.1774276).abs() < 1e-10);
    assert!(Crs::Gcj02.to_wkt().is_err());
}

// --- guess_crs on realistic samples (made by converting known lon/lat with PROJ's grids) ---

/// Points around a city, converted with the given CRS (our conversion is PROJ-checked).
fn sample(crs: &Crs, centre: (f64, f64)) -> Vec<(f64, f64)> {
    let mut points = Vec::new();
    for i in 0..5 {
        for j in 0..5 {
            let lon = centre.0 - 0.2 + 0.1 * f64::from(i);
            let lat = centre.1 - 0.2 + 0.1 * f64::from(j);
            points.push(crs.from_wgs84(lon, lat).unwrap());
        }
    }
    points
}

const SHANGHAI: (f64, f64) = (121.47, 31.23);
const SUZHOU: (f64, f64) = (120.62, 31.30);
const CHANGZHOU: (f64, f64) = (119.97, 31.81);

#[test]
fn longitude_latitude_is_guessed_geographic() {
    let guesses = guess_crs(&sample(&Crs::WGS84, SHANGHAI));
    assert_eq!(guesses[0].crs, Crs::WGS84);
    assert!(
        guesses[0].reason.contains("longitude/latitude"),
        "{}",
        guesses[0].reason
    );
    assert!(guesses.iter().any(|g| g.crs == Crs::Gcj02));
    assert_eq!(guesses[0].inside_region, 1.0);
}

#[test]
fn a_zone_prefix_names_the_zone() {
    let zone40 = Crs::from_epsg(4528).unwrap();
    let guesses = guess_crs(&sample(&zone40, SHANGHAI));
    assert_eq!(guesses[0].crs, zone40, "{guesses:#?}");
    assert!(
        guesses[0].reason.contains("start with 40"),
        "{}",
        guesses[0].reason
    );
    // The older datums on the same grid come next, CGCS2000 first.
    assert_eq!(guesses[1].crs.epsg(), Some(2364));
    // A 6° zone 21 prefix.
    let zone21 = Crs::from_epsg(4499).unwrap();
    assert_eq!(guess_crs(&sample(&zone21, SHANGHAI))[0].crs, zone21);
}

#[test]
fn without_a_prefix_the_plan_region_decides_the_meridian() {
    let cm120 = Crs::from_epsg(4549).unwrap();
    for city in [SHANGHAI, SUZHOU, CHANGZHOU] {
        let guesses = guess_crs(&sample(&cm120, city));
        assert_eq!(guesses[0].crs, cm120, "{city:?}: {guesses:#?}");
        assert!(guesses[0].reason.contains("every point inside"));
    }
    // Zhoushan on CM 123: on 117°E it falls outside the region.
    let cm123 = Crs::from_epsg(4550).unwrap();
    // Read on 120°E, Zhoushan's numbers fall on Hangzhou Bay's west (still inside the region):
    // only the nearer centre ranks CM 123 first. Both are offered.
    let guesses = guess_crs(&sample(&cm123, (122.2, 30.0)));
    assert_eq!(guesses[0].crs, cm123, "{guesses:#?}");
    assert!(guesses.iter().any(|g| g.crs == cm120));
}

#[test]
fn web_mercator_magnitudes_are_recognised() {
    let guesses = guess_crs(&sample(&Crs::WebMercator, SHANGHAI));
    assert_eq!(guesses[0].crs, Crs::WebMercator, "{guesses:#?}");
}

#[test]
fn nothing_plausible_still_gets_candidates_or_none() {
    assert!(guess_crs(&[]).is_empty());
    assert!(guess_crs(&[(f64::NAN, 1.0)]).is_empty());
    // Far outside any grid of the region: no candidate puts anything inside, all are kept.
    let far = guess_crs(&[(5_000_000.0, 9_000_000.0)]);
    assert!(far.iter().all(|g| g.inside_region == 0.0));
    assert!(far.iter().all(|g| g.reason.contains("no point inside")));
}

proptest::proptest! {
    #[test]
    fn no_text_makes_parsing_panic(text in ".{0,200}") {
        let _ = Crs::parse(&text);
        let _ = Crs::from_wkt(&text);
    }

    #[test]
    fn no_wkt_like_text_makes_parsing_panic(text in r#"[A-Z\[\]\(\)",0-9.eE+\- ]{0,300}"#) {
        let _ = Crs::from_wkt(&text);
    }

    #[test]
    fn cgcs2000_zone_40_round_trips(lon in 118.0f64..123.5, lat in 28.5f64..33.5) {
        let t = CrsTransform::new(&Crs::from_epsg(4528).unwrap()).unwrap();
        let (x, y) = t.from_wgs84(lon, lat).unwrap();
        let (lon2, lat2) = t.to_wgs84(x, y).unwrap();
        proptest::prop_assert!((lon2 - lon).abs() < 1e-9 && (lat2 - lat).abs() < 1e-9);
    }

    #[test]
    fn guessing_any_numbers_does_not_panic(
        points in proptest::collection::vec((-1e9f64..1e9, -1e9f64..1e9), 0..20)
    ) {
        let _ = guess_crs(&points);
    }
}

#[test]
fn a_city_grid_on_a_known_datum_becomes_a_proj_string() {
    let wkt = Crs::from_epsg(4549)
        .unwrap()
        .to_wkt()
        .unwrap()
        .replace("\"Central_Meridian\",120.0", "\"Central_Meridian\",121.5")
        .replace("CGCS2000_3_Degree_GK_CM_120E", "Local_Grid");
    let Crs::Proj(proj) = Crs::from_wkt(&wkt).unwrap() else {
        panic!("not a PROJ string");
    };
    assert!(proj.as_str().contains("+lon_0=121.5") && proj.as_str().contains("+ellps=GRS80"));
    // A shift written into the .prj is kept.
    let shifted = Crs::from_epsg(2437).unwrap().to_wkt().unwrap().replace(
        "298.3]]",
        "298.3],TOWGS84[24,-123,-94,0.02,-0.25,-0.13,1.1]]",
    );
    let Crs::Proj(proj) = Crs::from_wkt(&shifted).unwrap() else {
        panic!("not a PROJ string");
    };
    assert!(
        proj.as_str()
            .contains("+towgs84=24,-123,-94,0.02,-0.25,-0.13,1.1")
    );
}
