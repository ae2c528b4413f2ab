//! The datums and Gauss–Krüger grids Chinese planning data comes in, with their EPSG codes.
//!
//! The numbering follows the EPSG dataset: each family (datum × zone width × with or without
//! the zone number in front of the easting) is a run of consecutive codes, one per zone.

/// A geodetic datum OneMap knows by name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Datum {
    Wgs84,
    /// China Geodetic Coordinate System 2000 (GRS 1980 ellipsoid), EPSG:4490.
    Cgcs2000,
    /// Beijing 1954 (Krassowsky 1940 ellipsoid), EPSG:4214.
    Beijing1954,
    /// Xi'an 1980 (IAG 1975 ellipsoid), EPSG:4610.
    Xian1980,
}

/// EPSG:15919 "Beijing 1954 to WGS 84 (2)", position-vector convention: the only published
/// transformation whose area (31.23–37.4°N, 119.23–125.06°E) reaches the plan region.
pub(crate) const BEIJING_1954_TO_WGS84: &str = "15.53,-113.82,-41.38,0,0,0.814,-0.38";

impl Datum {
    pub const ALL: [Datum; 4] = [
        Datum::Wgs84,
        Datum::Cgcs2000,
        Datum::Beijing1954,
        Datum::Xian1980,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Datum::Wgs84 => "WGS 84",
            Datum::Cgcs2000 => "CGCS2000",
            Datum::Beijing1954 => "Beijing 1954",
            Datum::Xian1980 => "Xi'an 1980",
        }
    }

    /// The EPSG code of the geographic (lon/lat) CRS on this datum.
    pub fn geographic_epsg(self) -> u32 {
        match self {
            Datum::Wgs84 => 4326,
            Datum::Cgcs2000 => 4490,
            Datum::Beijing1954 => 4214,
            Datum::Xian1980 => 4610,
        }
    }

    /// Semi-major axis (m) and inverse flattening of the ellipsoid.
    pub fn ellipsoid(self) -> (f64, f64) {
        match self {
            Datum::Wgs84 => (6_378_137.0, 298.257_223_563),
            Datum::Cgcs2000 => (6_378_137.0, 298.257_222_101),
            Datum::Beijing1954 => (6_378_245.0, 298.3),
            Datum::Xian1980 => (6_378_140.0, 298.257),
        }
    }

    /// The PROJ ellipsoid and datum-shift parameters. CGCS2000 and Xi'an 1980 have no shift:
    /// PROJ uses a ballpark (geographic coordinates unchanged) for both, and so do we.
    pub(crate) fn proj_params(self) -> String {
        match self {
            Datum::Wgs84 => "+datum=WGS84".to_string(),
            Datum::Cgcs2000 => "+ellps=GRS80".to_string(),
            Datum::Beijing1954 => format!("+ellps=krass +towgs84={BEIJING_1954_TO_WGS84}"),
            Datum::Xian1980 => "+ellps=IAU76".to_string(),
        }
    }

    /// The datum as it starts ESRI names ("CGCS2000_3_Degree_GK_Zone_40").
    pub(crate) fn esri_prefix(self) -> &'static str {
        match self {
            Datum::Wgs84 => "WGS_1984",
            Datum::Cgcs2000 => "CGCS2000",
            Datum::Beijing1954 => "Beijing_1954",
            Datum::Xian1980 => "Xian_1980",
        }
    }

    /// The ESRI GEOGCS of the datum, as GDAL writes it into a .prj.
    pub(crate) fn esri_geogcs(self) -> String {
        let (geogcs, datum, spheroid) = match self {
            Datum::Wgs84 => ("GCS_WGS_1984", "D_WGS_1984", "WGS_1984"),
            Datum::Cgcs2000 => (
                "GCS_China_Geodetic_Coordinate_System_2000",
                "D_China_2000",
                "CGCS2000",
            ),
            Datum::Beijing1954 => ("GCS_Beijing_1954", "D_Beijing_1954", "Krasovsky_1940"),
            Datum::Xian1980 => ("GCS_Xian_1980", "D_Xian_1980", "Xian_1980"),
        };
        let (a, rf) = self.ellipsoid();
        format!(
            "GEOGCS[\"{geogcs}\",DATUM[\"{datum}\",SPHEROID[\"{spheroid}\",{},{}]],\
             PRIMEM[\"Greenwich\",0.0],UNIT[\"Degree\",0.0174532925199433]]",
            esri_number(a),
            esri_number(rf)
        )
    }
}

/// How wide a Gauss–Krüger zone is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ZoneWidth {
    /// 3° zones 25–45, central meridian 3 × zone (75°E–135°E).
    Three,
    /// 6° zones 13–23, central meridian 6 × zone − 3 (75°E–135°E).
    Six,
}

impl ZoneWidth {
    pub fn zones(self) -> std::ops::RangeInclusive<u8> {
        match self {
            ZoneWidth::Three => 25..=45,
            ZoneWidth::Six => 13..=23,
        }
    }

    pub fn degrees(self) -> u8 {
        match self {
            ZoneWidth::Three => 3,
            ZoneWidth::Six => 6,
        }
    }

    /// The zone whose central meridian this is, if any.
    pub fn zone_of_meridian(self, meridian: f64) -> Option<u8> {
        let zone = match self {
            ZoneWidth::Three => meridian / 3.0,
            ZoneWidth::Six => (meridian + 3.0) / 6.0,
        };
        let rounded = zone.round();
        if (zone - rounded).abs() > 1e-9 || !(0.0..=60.0).contains(&rounded) {
            return None;
        }
        let zone = rounded as u8;
        self.zones().contains(&zone).then_some(zone)
    }
}

/// A Chinese Gauss–Krüger grid: transverse Mercator with scale 1 on the central meridian,
/// false easting 500 km, with or without the zone number in front of the easting.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct GaussKruger {
    pub datum: Datum,
    pub width: ZoneWidth,
    pub zone: u8,
    /// The zone number is written in front of the easting (zone 40: 40 500 000 m).
    pub prefixed: bool,
}

/// The first EPSG code of each family and the zone it belongs to.
const FAMILIES: [(Datum, ZoneWidth, bool, u32); 12] = [
    (Datum::Cgcs2000, ZoneWidth::Six, true, 4491),
    (Datum::Cgcs2000, ZoneWidth::Six, false, 4502),
    (Datum::Cgcs2000, ZoneWidth::Three, true, 4513),
    (Datum::Cgcs2000, ZoneWidth::Three, false, 4534),
    (Datum::Beijing1954, ZoneWidth::Six, true, 21413),
    (Datum::Beijing1954, ZoneWidth::Six, false, 21453),
    (Datum::Beijing1954, ZoneWidth::Three, true, 2401),
    (Datum::Beijing1954, ZoneWidth::Three, false, 2422),
    (Datum::Xian1980, ZoneWidth::Six, true, 2327),
    (Datum::Xian1980, ZoneWidth::Six, false, 2338),
    (Datum::Xian1980, ZoneWidth::Three, true, 2349),
    (Datum::Xian1980, ZoneWidth::Three, false, 2370),
];

impl GaussKruger {
    /// A grid, if the datum has Gauss–Krüger grids and the zone exists for that width.
    pub fn new(datum: Datum, width: ZoneWidth, zone: u8, prefixed: bool) -> Option<GaussKruger> {
        let known = datum != Datum::Wgs84 && width.zones().contains(&zone);
        known.then_some(GaussKruger {
            datum,
            width,
            zone,
            prefixed,
        })
    }

    /// The unprefixed grid whose central meridian this is.
    pub fn on_meridian(datum: Datum, width: ZoneWidth, meridian: f64) -> Option<GaussKruger> {
        GaussKruger::new(datum, width, width.zone_of_meridian(meridian)?, false)
    }

    pub fn from_epsg(code: u32) -> Option<GaussKruger> {
        FAMILIES
            .iter()
            .find_map(|&(datum, width, prefixed, first)| {
                let first_zone = *width.zones().start();
                let offset = code.checked_sub(first)?;
                let zone = u8::try_from(offset).ok()?.checked_add(first_zone)?;
                GaussKruger::new(datum, width, zone, prefixed)
            })
    }

    pub fn epsg(&self) -> u32 {
        let first = FAMILIES
            .iter()
            .find(|f| (f.0, f.1, f.2) == (self.datum, self.width, self.prefixed))
            .map_or(0, |f| f.3);
        first + u32::from(self.zone - self.width.zones().start())
    }

    pub fn central_meridian(&self) -> f64 {
        let zone = f64::from(self.zone);
        match self.width {
            ZoneWidth::Three => 3.0 * zone,
            ZoneWidth::Six => 6.0 * zone - 3.0,
        }
    }

    pub fn false_easting(&self) -> f64 {
        if self.prefixed {
            f64::from(self.zone) * 1_000_000.0 + 500_000.0
        } else {
            500_000.0
        }
    }

    pub(crate) fn proj_string(&self) -> String {
        format!(
            "+proj=tmerc +lat_0=0 +lon_0={} +k=1 +x_0={} +y_0=0 {} +units=m +no_defs",
            self.central_meridian(),
            self.false_easting(),
            self.datum.proj_params()
        )
    }

    /// "CGCS2000 / 3-degree Gauss-Kruger zone 40", as EPSG names it.
    pub fn epsg_name(&self) -> String {
        let degree = match self.width {
            ZoneWidth::Three => "3-degree ",
            ZoneWidth::Six => "",
        };
        let grid = if self.prefixed {
            format!("zone {}", self.zone)
        } else {
            format!("CM {}E", self.central_meridian())
        };
        format!("{} / {degree}Gauss-Kruger {grid}", self.datum.name())
    }

    /// "CGCS2000_3_Degree_GK_Zone_40", as ESRI (and GDAL's .prj) names it.
    pub(crate) fn esri_name(&self) -> String {
        let degree = match self.width {
            ZoneWidth::Three => "3_Degree_",
            ZoneWidth::Six => "",
        };
        // ESRI spells out one family in full: Beijing 1954, 6°, without the zone prefix.
        let gk = match (self.datum, self.width, self.prefixed) {
            (Datum::Beijing1954, ZoneWidth::Six, false) => "Gauss_Kruger",
            _ => "GK",
        };
        let grid = if self.prefixed {
            format!("Zone_{}", self.zone)
        } else {
            format!("CM_{}E", self.central_meridian())
        };
        format!("{}_{degree}{gk}_{grid}", self.datum.esri_prefix())
    }
}

/// A number as ESRI WKT writes it: integers with ".0", others in their shortest form.
pub(crate) fn esri_number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{value:.1}")
    } else {
        format!("{value}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epsg_codes_follow_the_families() {
        let zone40 = GaussKruger::from_epsg(4528).unwrap();
        assert_eq!(
            zone40,
            GaussKruger::new(Datum::Cgcs2000, ZoneWidth::Three, 40, true).unwrap()
        );
        assert_eq!(zone40.central_meridian(), 120.0);
        assert_eq!(zone40.false_easting(), 40_500_000.0);
        let cm123 = GaussKruger::from_epsg(4510).unwrap();
        assert_eq!(
            (cm123.width, cm123.zone, cm123.prefixed),
            (ZoneWidth::Six, 21, false)
        );
        assert_eq!(cm123.central_meridian(), 123.0);
        for code in (4491..=4554)
            .chain(2327..=2390)
            .chain(2401..=2442)
            .chain(21413..=21423)
            .chain(21453..=21463)
        {
            assert_eq!(GaussKruger::from_epsg(code).map(|g| g.epsg()), Some(code));
        }
        for code in [
            4490,
            4555,
            2326,
            2391,
            2400,
            2443,
            21412,
            21424,
            21452,
            21464,
            0,
            u32::MAX,
        ] {
            assert_eq!(GaussKruger::from_epsg(code), None, "{code}");
        }
    }

    #[test]
    fn names_are_the_epsg_and_esri_ones() {
        let g = GaussKruger::from_epsg(4528).unwrap();
        assert_eq!(g.epsg_name(), "CGCS2000 / 3-degree Gauss-Kruger zone 40");
        assert_eq!(g.esri_name(), "CGCS2000_3_Degree_GK_Zone_40");
        let g = GaussKruger::from_epsg(21461).unwrap();
        assert_eq!(g.esri_name(), "Beijing_1954_Gauss_Kruger_CM_123E");
        assert_eq!(g.epsg_name(), "Beijing 1954 / Gauss-Kruger CM 123E");
    }

    #[test]
    fn meridians_map_to_zones() {
        assert_eq!(ZoneWidth::Three.zone_of_meridian(120.0), Some(40));
        assert_eq!(ZoneWidth::Six.zone_of_meridian(123.0), Some(21));
        assert_eq!(ZoneWidth::Six.zone_of_meridian(120.0), None);
        assert_eq!(ZoneWidth::Three.zone_of_meridian(121.5), None);
        assert_eq!(ZoneWidth::Three.zone_of_meridian(f64::NAN), None);
        assert_eq!(ZoneWidth::Three.zone_of_meridian(1e300), None);
    }
}
