//! Proposing a CRS from the coordinates alone, for files that declare none (a Shapefile
//! without .prj, a DXF, a CSV). The user confirms or picks another; nothing is refused for
//! being projected.
//!
//! The clues: longitude/latitude stay within ±180/±90; an 8-digit Gauss–Krüger easting
//! carries its zone number in front (40 5xx xxx is 3° zone 40); an easting without it lies
//! within 0–1000 km of a false easting of 500 km, and only the right central meridian puts
//! the points in the plan region; Web Mercator has magnitudes of about 1.3e7 by 3.5e6 here.

use geo::Coord;

use super::{Crs, CrsTransform, Datum, GaussKruger, ZoneWidth};
use crate::model::Region;

/// The plan region with a margin: where converted points are expected to fall.
pub const GUESS_REGION: Region = Region {
    west: 118.0,
    south: 28.5,
    east: 123.5,
    north: 33.5,
};

/// One candidate CRS, with why it is proposed.
#[derive(Clone, Debug, PartialEq)]
pub struct CrsGuess {
    pub crs: Crs,
    pub reason: String,
    /// The share (0–1) of the sample this CRS puts inside [`GUESS_REGION`].
    pub inside_region: f64,
}

/// More points than this tell nothing more; a larger sample is thinned evenly.
const SAMPLE_LIMIT: usize = 2000;

/// Ranked candidates, most likely first. Candidates that put none of the points in the plan
/// region are dropped, unless no candidate does.
pub fn guess_crs(sample: &[(f64, f64)]) -> Vec<CrsGuess> {
    let points = thin(sample);
    if points.is_empty() {
        return Vec::new();
    }
    let mut ranked: Vec<(Ranking, CrsGuess)> = Vec::new();
    // Candidates of one group place the points within a kilometre of each other: they share
    // the distance of the group's first, so that only the preference orders them.
    let mut group_distance: Vec<(u8, f64)> = Vec::new();
    for (preference, (crs, why, group)) in candidates(&points).into_iter().enumerate() {
        let Some((inside, distance)) = fit(&crs, &points) else {
            continue;
        };
        let distance = match group_distance.iter().find(|(g, _)| *g == group) {
            Some((_, first)) => *first,
            None => {
                group_distance.push((group, distance));
                distance
            }
        };
        let ranking = Ranking {
            percent_inside: (inside * 100.0).round() as u32,
            distance,
            preference,
        };
        let reason = format!("{why}; {}", region_words(inside));
        let guess = CrsGuess {
            crs,
            reason,
            inside_region: inside,
        };
        ranked.push((ranking, guess));
    }
    if ranked.iter().any(|(_, g)| g.inside_region > 0.0) {
        ranked.retain(|(_, g)| g.inside_region > 0.0);
    }
    ranked.sort_by(|a, b| a.0.order(&b.0));
    ranked.into_iter().map(|(_, guess)| guess).collect()
}

/// Sort key: most points inside, then the centre nearest the region's, then the order the
/// candidates were proposed in (CGCS2000 before the older datums, 3° before 6° before UTM).
struct Ranking {
    percent_inside: u32,
    distance: f64,
    preference: usize,
}

impl Ranking {
    fn order(&self, other: &Ranking) -> std::cmp::Ordering {
        other
            .percent_inside
            .cmp(&self.percent_inside)
            .then(self.distance.total_cmp(&other.distance))
            .then(self.preference.cmp(&other.preference))
    }
}

fn thin(sample: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let finite: Vec<(f64, f64)> = sample
        .iter()
        .copied()
        .filter(|(x, y)| x.is_finite() && y.is_finite())
        .collect();
    let step = finite.len().div_ceil(SAMPLE_LIMIT).max(1);
    finite.into_iter().step_by(step).collect()
}

/// The share of points the CRS puts in the region and how far (degrees) their centre lies
/// from the region's; `None` when the CRS cannot convert them.
fn fit(crs: &Crs, points: &[(f64, f64)]) -> Option<(f64, f64)> {
    let transform = CrsTransform::new(crs).ok()?;
    let lonlat: Vec<(f64, f64)> = points
        .iter()
        .filter_map(|&(x, y)| transform.to_wgs84(x, y).ok())
        .collect();
    if lonlat.is_empty() {
        return None;
    }
    let n = lonlat.len() as f64;
    let inside = lonlat
        .iter()
        .filter(|&&(x, y)| GUESS_REGION.contains(Coord { x, y }))
        .count() as f64;
    let (sum_x, sum_y) = lonlat
        .iter()
        .fold((0.0, 0.0), |(sx, sy), (x, y)| (sx + x, sy + y));
    let centre_x = (GUESS_REGION.west + GUESS_REGION.east) / 2.0;
    let centre_y = (GUESS_REGION.south + GUESS_REGION.north) / 2.0;
    let distance = (sum_x / n - centre_x).hypot(sum_y / n - centre_y);
    Some((inside / n, distance.min(1e6)))
}

fn region_words(inside: f64) -> String {
    let region = format!(
        "the plan region ({}–{}°E, {}–{}°N)",
        GUESS_REGION.west, GUESS_REGION.east, GUESS_REGION.south, GUESS_REGION.north
    );
    if inside >= 1.0 {
        format!("it puts every point inside {region}")
    } else if inside > 0.0 {
        format!(
            "it puts {:.0}% of the points inside {region}",
            inside * 100.0
        )
    } else {
        format!("it puts no point inside {region}")
    }
}

/// Every CRS the coordinates' magnitudes allow, most likely first, with why.
/// Each comes with a group: candidates that place the points within a kilometre of each other.
fn candidates(points: &[(f64, f64)]) -> Vec<(Crs, String, u8)> {
    let geographic = points
        .iter()
        .all(|(x, y)| x.abs() <= 180.0 && y.abs() <= 90.0);
    if geographic {
        let why = "the values lie within ±180/±90, so they are longitude/latitude";
        return vec![
            (Crs::WGS84, why.to_string(), 0),
            (
                Crs::Geographic(Datum::Cgcs2000),
                format!("{why}; CGCS2000 differs from WGS 84 by well under a metre"),
                0,
            ),
            (
                Crs::Gcj02,
                format!("{why}; GCJ-02 if copied from Amap or Tencent maps (about 500 m off)"),
                0,
            ),
            (
                Crs::Bd09,
                format!("{why}; BD-09 if copied from Baidu maps (about 1 km off)"),
                0,
            ),
        ];
    }
    let mut found = prefixed_grids(points);
    found.extend(unprefixed_grids(points));
    let mercator_range = 20_037_508.35;
    if points
        .iter()
        .all(|(x, y)| x.abs() <= mercator_range && y.abs() <= mercator_range)
    {
        let why = "the values fit Web Mercator metres (about 1.3e7 by 3.5e6 here)";
        found.push((Crs::WebMercator, why.to_string(), 1));
    }
    found
}

/// An 8-digit easting whose first digits, the same for every point, are a zone number.
fn prefixed_grids(points: &[(f64, f64)]) -> Vec<(Crs, String, u8)> {
    let zone_of = |x: f64| (x / 1_000_000.0).floor();
    let zone = zone_of(points[0].0);
    let same_zone = points.iter().all(|&(x, _)| zone_of(x) == zone);
    let northings = points.iter().all(|(_, y)| (0.0..10_000_000.0).contains(y));
    if !same_zone || !northings || !(13.0..=45.0).contains(&zone) {
        return Vec::new();
    }
    let zone = zone as u8;
    let Some(width) = [ZoneWidth::Three, ZoneWidth::Six]
        .into_iter()
        .find(|w| w.zones().contains(&zone))
    else {
        return Vec::new();
    };
    let why = format!(
        "the eastings start with {zone}, the zone number of a {}° Gauss–Krüger grid",
        width.degrees()
    );
    datums_of(&why)
        .into_iter()
        .filter_map(|(datum, why)| {
            let grid = GaussKruger::new(datum, width, zone, true)?;
            Some((Crs::GaussKruger(grid), why, 2))
        })
        .collect()
}

/// Eastings within 1000 km of nothing (a 500 km false easting) and northings of this
/// latitude: a Gauss–Krüger or UTM grid whose meridian the plan region decides.
fn unprefixed_grids(points: &[(f64, f64)]) -> Vec<(Crs, String, u8)> {
    let plausible = points.iter().all(|&(x, y)| {
        (0.0..=1_000_000.0).contains(&x) && (2_000_000.0..=6_000_000.0).contains(&y)
    });
    if !plausible {
        return Vec::new();
    }
    let why = "the eastings lie within 1000 km of a 500 km false easting, without a zone number";
    let mut found = Vec::new();
    for (group, meridian) in [(3, 120.0), (4, 117.0), (5, 123.0)] {
        let on = |width| GaussKruger::on_meridian(Datum::Cgcs2000, width, meridian);
        if let Some(grid) = on(ZoneWidth::Three) {
            let why = format!("{why}: a 3° grid on {meridian}°E");
            found.push((Crs::GaussKruger(grid), why, group));
        }
        if let Some(grid) = on(ZoneWidth::Six) {
            let why = format!("{why}: a 6° grid on {meridian}°E (the same grid as the 3° one)");
            found.push((Crs::GaussKruger(grid), why, group));
        }
        if let Some(zone) = utm_zone(meridian) {
            let why = format!("{why}: UTM zone {zone}N on {meridian}°E (scale 0.9996)");
            found.push((Crs::Utm { zone }, why, group));
        }
        for (datum, why) in datums_of(&format!("{why}: a 3° grid on {meridian}°E")) {
            if datum != Datum::Cgcs2000
                && let Some(grid) = GaussKruger::on_meridian(datum, ZoneWidth::Three, meridian)
            {
                found.push((Crs::GaussKruger(grid), why, group));
            }
        }
    }
    found
}

fn utm_zone(meridian: f64) -> Option<u8> {
    let zone = (meridian + 183.0) / 6.0;
    (zone.fract() == 0.0 && (1.0..=60.0).contains(&zone)).then_some(zone as u8)
}

/// The datums a Gauss–Krüger grid may be on, CGCS2000 first: coordinates alone cannot tell
/// them apart (they differ by tens of metres).
fn datums_of(why: &str) -> Vec<(Datum, String)> {
    vec![
        (
            Datum::Cgcs2000,
            format!("{why} (CGCS2000, today's national datum)"),
        ),
        (
            Datum::Xian1980,
            format!("{why} (Xi'an 1980: older data; not told apart from CGCS2000 by the numbers)"),
        ),
        (
            Datum::Beijing1954,
            format!(
                "{why} (Beijing 1954: older data; not told apart from CGCS2000 by the numbers)"
            ),
        ),
    ]
}
