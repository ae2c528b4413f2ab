//! Coordinate reference systems of the data planners hold, and their conversion to and from
//! WGS84 (OneMap keeps WGS84 inside; other systems exist only at the edges, on import and
//! export).
//!
//! Supported: WGS 84 (EPSG:4326), CGCS2000 (4490), Beijing 1954 (4214) and Xi'an 1980 (4610)
//! longitude/latitude; Web Mercator (3857); the Gauss–Krüger grids of CGCS2000, Beijing 1954
//! and Xi'an 1980, 3° and 6°, with and without the zone number in front of the easting;
//! WGS 84 / UTM north zones; GCJ-02 and BD-09; and any PROJ string. The projection
//! arithmetic is `proj4rs`, a pure-Rust transcription of PROJ (Poder/Engsager transverse
//! Mercator); tests/crs_accuracy.rs holds it to within 1 mm of PROJ itself.

mod catalog;
pub mod gcj02;
mod guess;
mod transform;
mod wkt;
mod wkt_match;

pub use catalog::{Datum, GaussKruger, ZoneWidth};
pub use guess::{CrsGuess, GUESS_REGION, guess_crs};
pub use transform::CrsTransform;

/// Why a CRS could not be read or a coordinate not converted; shown to the user as it is.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum CrsError {
    #[error("EPSG:{0} is not a coordinate system OneMap supports (see the README for the list)")]
    UnsupportedEpsg(u32),
    #[error(
        "\"{0}\" is not a coordinate system OneMap understands: give an EPSG code (EPSG:4528), \
         gcj02, bd09 or a PROJ string (+proj=…)"
    )]
    Unrecognised(String),
    #[error("the PROJ string \"{text}\" cannot be used: {reason}")]
    BadProjString { text: String, reason: String },
    #[error("the WKT coordinate system is not one OneMap recognises: {0}")]
    UnrecognisedWkt(String),
    #[error("{0} has no WKT of its own: convert the coordinates to WGS 84 to write them")]
    NoWkt(String),
    #[error("the point ({x}, {y}) cannot be converted: {reason}")]
    Transform { x: f64, y: f64, reason: String },
}

/// A coordinate reference system.
#[derive(Clone, Debug, PartialEq)]
pub enum Crs {
    /// Longitude/latitude in degrees on a datum (EPSG:4326, 4490, 4214, 4610).
    Geographic(Datum),
    /// WGS 84 / Pseudo-Mercator, the tile grid of web maps (EPSG:3857).
    WebMercator,
    GaussKruger(GaussKruger),
    /// WGS 84 / UTM, a northern zone (EPSG:32601–32660).
    Utm {
        zone: u8,
    },
    /// Longitude/latitude obfuscated by the GCJ-02 algorithm (Amap, Tencent and other Chinese
    /// web maps).
    Gcj02,
    /// GCJ-02 shifted again by Baidu's BD-09 algorithm (Baidu maps).
    Bd09,
    /// A PROJ string the user typed, checked when it was parsed.
    Proj(ProjString),
}

/// A PROJ string that `proj4rs` accepts, with whitespace tidied.
#[derive(Clone, Debug, PartialEq)]
pub struct ProjString {
    text: String,
    geographic: bool,
}

impl ProjString {
    pub fn new(text: &str) -> Result<ProjString, CrsError> {
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let bad = |reason: &str| CrsError::BadProjString {
            text: text.clone(),
            reason: reason.to_string(),
        };
        if text.contains("+init=") {
            return Err(bad(
                "+init= needs PROJ's database; write the parameters out",
            ));
        }
        let proj = proj4rs::Proj::from_proj_string(&text).map_err(|e| bad(&e.to_string()))?;
        if proj.is_geocent() {
            return Err(bad("geocentric coordinates are not map coordinates"));
        }
        Ok(ProjString {
            geographic: proj.is_latlong(),
            text,
        })
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }
}

/// The WGS 84 / Web Mercator sphere, as PROJ defines EPSG:3857.
const WEB_MERCATOR: &str = "+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 \
                            +k=1 +units=m +nadgrids=@null +no_defs";

impl Crs {
    pub const WGS84: Crs = Crs::Geographic(Datum::Wgs84);

    pub fn from_epsg(code: u32) -> Option<Crs> {
        if let Some(datum) = Datum::ALL.into_iter().find(|d| d.geographic_epsg() == code) {
            return Some(Crs::Geographic(datum));
        }
        match code {
            3857 => Some(Crs::WebMercator),
            32601..=32660 => u8::try_from(code - 32600)
                .ok()
                .map(|zone| Crs::Utm { zone }),
            _ => GaussKruger::from_epsg(code).map(Crs::GaussKruger),
        }
    }

    /// Reads what a user types: "EPSG:4528", "4528", "gcj02", "bd09", "wgs84", a PROJ string
    /// or a WKT text.
    pub fn parse(text: &str) -> Result<Crs, CrsError> {
        let trimmed = text.trim();
        let lower = trimmed.to_ascii_lowercase();
        let compact: String = lower
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect();
        let code = lower.strip_prefix("epsg:").unwrap_or(&lower).trim();
        if !code.is_empty() && code.bytes().all(|b| b.is_ascii_digit()) {
            let code: u32 = code.parse().map_err(|_| unrecognised(trimmed))?;
            return Crs::from_epsg(code).ok_or(CrsError::UnsupportedEpsg(code));
        }
        match compact.as_str() {
            "gcj02" | "gcj" | "amap" | "mars" => return Ok(Crs::Gcj02),
            "bd09" | "baidu" | "bd09ll" => return Ok(Crs::Bd09),
            "wgs84" | "4326" => return Ok(Crs::WGS84),
            "cgcs2000" => return Ok(Crs::Geographic(Datum::Cgcs2000)),
            "webmercator" | "pseudomercator" => return Ok(Crs::WebMercator),
            _ => {}
        }
        if trimmed.starts_with('+') {
            return ProjString::new(trimmed).map(Crs::Proj);
        }
        if trimmed.contains('[') {
            return Crs::from_wkt(trimmed);
        }
        Err(unrecognised(trimmed))
    }

    /// Recognises a WKT text: ESRI WKT from a .prj, OGC WKT1 or WKT2 as GDAL writes them.
    pub fn from_wkt(text: &str) -> Result<Crs, CrsError> {
        wkt_match::recognise(text)
    }

    /// The ESRI-style WKT that GDAL and ArcGIS recognise in a .prj.
    pub fn to_wkt(&self) -> Result<String, CrsError> {
        wkt_match::esri_wkt(self)
    }

    pub fn epsg(&self) -> Option<u32> {
        match self {
            Crs::Geographic(datum) => Some(datum.geographic_epsg()),
            Crs::WebMercator => Some(3857),
            Crs::GaussKruger(grid) => Some(grid.epsg()),
            Crs::Utm { zone } => Some(32600 + u32::from(*zone)),
            Crs::Gcj02 | Crs::Bd09 | Crs::Proj(_) => None,
        }
    }

    /// The CRS in words, with its EPSG code where it has one.
    pub fn label(&self) -> String {
        self.label_in(crate::model::UiLanguage::English)
    }

    /// The CRS in words in the interface's language, with its EPSG code where it has one.
    /// EPSG's own names ("CGCS2000 / 3-degree Gauss-Kruger zone 40") are proper names, kept as
    /// EPSG and QGIS write them; OneMap's words around them are translated.
    pub fn label_in(&self, lang: crate::model::UiLanguage) -> String {
        let zh = lang == crate::model::UiLanguage::Chinese;
        let name = match self {
            Crs::Geographic(datum) if zh => format!("{} 经纬度", datum.name()),
            Crs::Gcj02 if zh => "GCJ-02 经纬度（高德、腾讯地图）".to_string(),
            Crs::Bd09 if zh => "BD-09 经纬度（百度地图）".to_string(),
            Crs::Proj(proj) if zh => format!("PROJ 字符串 {}", proj.as_str()),
            Crs::Geographic(datum) => format!("{} longitude/latitude", datum.name()),
            Crs::WebMercator => "WGS 84 / Web Mercator".to_string(),
            Crs::GaussKruger(grid) => grid.epsg_name(),
            Crs::Utm { zone } => format!("WGS 84 / UTM zone {zone}N"),
            Crs::Gcj02 => "GCJ-02 longitude/latitude (Amap, Tencent maps)".to_string(),
            Crs::Bd09 => "BD-09 longitude/latitude (Baidu maps)".to_string(),
            Crs::Proj(proj) => format!("PROJ string {}", proj.as_str()),
        };
        match self.epsg() {
            Some(code) => format!("{name} (EPSG:{code})"),
            None => name,
        }
    }

    /// Coordinates are longitude/latitude in degrees (not metres).
    pub fn is_geographic(&self) -> bool {
        match self {
            Crs::Geographic(_) | Crs::Gcj02 | Crs::Bd09 => true,
            Crs::Proj(proj) => proj.geographic,
            Crs::WebMercator | Crs::GaussKruger(_) | Crs::Utm { .. } => false,
        }
    }

    /// The datum, where the CRS is defined on one OneMap knows.
    pub fn datum(&self) -> Option<Datum> {
        match self {
            Crs::Geographic(datum) => Some(*datum),
            Crs::GaussKruger(grid) => Some(grid.datum),
            Crs::WebMercator | Crs::Utm { .. } => Some(Datum::Wgs84),
            Crs::Gcj02 | Crs::Bd09 | Crs::Proj(_) => None,
        }
    }

    /// The PROJ definition `proj4rs` works from; `None` for GCJ-02 and BD-09, which are
    /// algorithms rather than PROJ definitions.
    pub fn proj_string(&self) -> Option<String> {
        match self {
            Crs::Geographic(datum) => Some(format!("+proj=longlat {}", datum.proj_params())),
            Crs::WebMercator => Some(WEB_MERCATOR.to_string()),
            Crs::GaussKruger(grid) => Some(grid.proj_string()),
            Crs::Utm { zone } => Some(format!("+proj=utm +zone={zone} +datum=WGS84 +units=m")),
            Crs::Gcj02 | Crs::Bd09 => None,
            Crs::Proj(proj) => Some(proj.as_str().to_string()),
        }
    }

    /// What a user can expect of the conversion to WGS 84.
    pub fn accuracy(&self) -> Accuracy {
        match self.datum() {
            Some(Datum::Wgs84) => Accuracy::Exact,
            Some(Datum::Cgcs2000) => Accuracy::Cgcs2000AsWgs84,
            Some(Datum::Beijing1954) => Accuracy::Published {
                transformation: "EPSG:15919 Beijing 1954 to WGS 84 (2)",
                metres: 15.0,
            },
            Some(Datum::Xian1980) => Accuracy::NoPublishedShift {
                up_to_metres: 100.0,
            },
            None if matches!(self, Crs::Gcj02 | Crs::Bd09) => Accuracy::WebMapAlgorithm,
            None => Accuracy::AsDefined,
        }
    }

    /// Converts one point to WGS 84 longitude/latitude. For many points, build a
    /// [`CrsTransform`] once.
    pub fn to_wgs84(&self, x: f64, y: f64) -> Result<(f64, f64), CrsError> {
        CrsTransform::new(self)?.to_wgs84(x, y)
    }

    /// Converts one WGS 84 longitude/latitude to this CRS.
    pub fn from_wgs84(&self, lon: f64, lat: f64) -> Result<(f64, f64), CrsError> {
        CrsTransform::new(self)?.from_wgs84(lon, lat)
    }
}

fn unrecognised(text: &str) -> CrsError {
    let shown: String = text.chars().take(80).collect();
    CrsError::Unrecognised(shown)
}

/// How close the conversion to WGS 84 comes to the true position.
#[derive(Clone, Debug, PartialEq)]
pub enum Accuracy {
    /// Projection arithmetic only, on WGS 84: within 1 mm of PROJ.
    Exact,
    /// CGCS2000 is taken as WGS 84, as PROJ does; the two differ by well under a metre.
    Cgcs2000AsWgs84,
    /// A published datum transformation, with the accuracy its publisher states.
    Published {
        transformation: &'static str,
        metres: f64,
    },
    /// No published transformation: longitude/latitude are taken unchanged (PROJ's ballpark).
    NoPublishedShift { up_to_metres: f64 },
    /// GCJ-02 / BD-09: the published algorithm, inverted to 1e-10°.
    WebMapAlgorithm,
    /// A PROJ string: as exact as its definition (a datum shift only if it gives +towgs84).
    AsDefined,
}

impl Accuracy {
    /// The accuracy in words, for the import dialog and `onemap info`.
    pub fn describe(&self) -> String {
        match self {
            Accuracy::Exact => "exact: within 1 mm of PROJ".to_string(),
            Accuracy::Cgcs2000AsWgs84 => "within 1 mm of PROJ; CGCS2000 is taken as WGS 84 (as \
                                          PROJ does), which it matches to well under 1 m"
                .to_string(),
            Accuracy::Published {
                transformation,
                metres,
            } => format!(
                "datum shift by {transformation}, stated accurate to {metres} m where it was \
                 derived (Yellow Sea coast); on land further south its error is not published"
            ),
            Accuracy::NoPublishedShift { up_to_metres } => format!(
                "datum shift unknown: no published transformation to WGS 84 exists, so \
                 longitude/latitude are taken unchanged (as PROJ does); expect errors of tens \
                 of metres, up to about {up_to_metres} m (an order of magnitude, not a \
                 measurement: for Beijing 1954 this shortcut and EPSG:15919 differ by about \
                 70 m here). A PROJ string with +towgs84 from local control points does better"
            ),
            Accuracy::WebMapAlgorithm => "the published obfuscation algorithm, reversed to \
                                          1e-10° (about 0.01 mm)"
                .to_string(),
            Accuracy::AsDefined => "as the PROJ string defines it: a datum shift is applied \
                                    only if it gives +towgs84 or +datum"
                .to_string(),
        }
    }
}

#[cfg(test)]
mod tests;
