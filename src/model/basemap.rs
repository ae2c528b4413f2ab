//! The offline basemap: land, water, boundaries and place names, drawn under the plan layers.

use geo::{MultiLineString, MultiPolygon, Point, Polygon, Rect};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum PlaceKind {
    /// The seat of one of the nine cities.
    Prefecture,
    County,
    District,
    /// A prefecture seat beyond the nine, for orientation.
    City,
    /// 镇.
    Town,
    /// 乡.
    Township,
    /// 街道, an urban subdistrict.
    Subdistrict,
    /// A GeoNames place of none of the kinds above (a village, a part of a city).
    Locality,
}

impl PlaceKind {
    /// The word the basemap file and the style use for this kind.
    pub fn as_str(self) -> &'static str {
        match self {
            PlaceKind::Prefecture => "prefecture",
            PlaceKind::County => "county",
            PlaceKind::District => "district",
            PlaceKind::City => "city",
            PlaceKind::Town => "town",
            PlaceKind::Township => "township",
            PlaceKind::Subdistrict => "subdistrict",
            PlaceKind::Locality => "locality",
        }
    }

    /// The kind named by `word`; an unknown word is a county seat, as before there were more.
    pub fn from_word(word: &str) -> Self {
        [
            PlaceKind::Prefecture,
            PlaceKind::District,
            PlaceKind::City,
            PlaceKind::Town,
            PlaceKind::Township,
            PlaceKind::Subdistrict,
            PlaceKind::Locality,
        ]
        .into_iter()
        .find(|k| k.as_str() == word)
        .unwrap_or(PlaceKind::County)
    }
}

#[derive(Clone, Debug)]
pub struct BasemapPlace {
    pub name_zh: String,
    pub name_en: String,
    pub kind: PlaceKind,
    pub position: Point<f64>,
    /// The smallest map zoom at which the place is drawn (towns appear as one zooms in);
    /// `None`: at every zoom.
    pub min_zoom: Option<f64>,
    /// Where the place comes from (a GeoNames table, or a hand-entered seat).
    pub source: String,
}

/// A named lake, or an unnamed one (empty names).
#[derive(Clone, Debug)]
pub struct Lake {
    pub name_zh: String,
    pub name_en: String,
    pub shape: Polygon<f64>,
}

/// A river or canal line with its WDBII level (0–4 rivers, 8 the Grand Canal, 9 minor canals).
#[derive(Clone, Debug)]
pub struct Waterway {
    pub canal: bool,
    pub level: i64,
    pub lines: MultiLineString<f64>,
}

/// A border between two cities; admin level 4 separates provinces, 5 cities.
#[derive(Clone, Debug)]
pub struct AdminLine {
    pub admin_level: i64,
    pub between: String,
    pub lines: MultiLineString<f64>,
}

/// A built-up area: where a 5 km grid of land cover says the ground is mostly built on.
#[derive(Clone, Debug)]
pub struct BuiltUpArea {
    pub shape: Polygon<f64>,
    /// The smallest map zoom at which the area is drawn (a town's few cells appear as one
    /// zooms in, a city's at every zoom); `None`: at every zoom.
    pub min_zoom: Option<f64>,
}

#[derive(Clone, Debug)]
pub struct WaterLabel {
    pub name_zh: String,
    pub name_en: String,
    pub position: Point<f64>,
}

#[derive(Clone, Debug)]
pub struct Basemap {
    pub land: MultiPolygon<f64>,
    /// Built-up areas (MODIS land cover, a 5 km grid): a light fill under everything else.
    pub built_up: Vec<BuiltUpArea>,
    pub lakes: Vec<Lake>,
    pub waterways: Vec<Waterway>,
    pub admin_lines: Vec<AdminLine>,
    pub places: Vec<BasemapPlace>,
    pub water_labels: Vec<WaterLabel>,
    pub attribution: String,
    /// The lon/lat box the basemap covers; outside it there is no data.
    pub frame: Option<Rect<f64>>,
    /// The box inside `frame` where the data is fine (GSHHG, WDBII, Tianditu, every town);
    /// between the two it is coarse (Natural Earth land and lakes, major rivers, large cities).
    pub plan_frame: Option<Rect<f64>>,
}

impl Default for Basemap {
    fn default() -> Self {
        Self {
            land: MultiPolygon(Vec::new()),
            built_up: Vec::new(),
            lakes: Vec::new(),
            waterways: Vec::new(),
            admin_lines: Vec::new(),
            places: Vec::new(),
            water_labels: Vec::new(),
            attribution: String::new(),
            frame: None,
            plan_frame: None,
        }
    }
}
