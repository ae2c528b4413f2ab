//! The offline basemap: land, water, boundaries and place names, drawn under the plan layers.

use geo::{MultiLineString, MultiPolygon, Point, Polygon, Rect};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum PlaceKind {
    Prefecture,
    County,
    District,
}

#[derive(Clone, Debug)]
pub struct BasemapPlace {
    pub name_zh: String,
    pub name_en: String,
    pub kind: PlaceKind,
    pub position: Point<f64>,
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

#[derive(Clone, Debug)]
pub struct WaterLabel {
    pub name_zh: String,
    pub name_en: String,
    pub position: Point<f64>,
}

#[derive(Clone, Debug)]
pub struct Basemap {
    pub land: MultiPolygon<f64>,
    pub lakes: Vec<Lake>,
    pub waterways: Vec<Waterway>,
    pub admin_lines: Vec<AdminLine>,
    pub places: Vec<BasemapPlace>,
    pub water_labels: Vec<WaterLabel>,
    pub attribution: String,
    /// The lon/lat box the basemap covers; outside it there is no data.
    pub frame: Option<Rect<f64>>,
}

impl Default for Basemap {
    fn default() -> Self {
        Self {
            land: MultiPolygon(Vec::new()),
            lakes: Vec::new(),
            waterways: Vec::new(),
            admin_lines: Vec::new(),
            places: Vec::new(),
            water_labels: Vec::new(),
            attribution: String::new(),
            frame: None,
        }
    }
}
