//! Reading the built-in basemap (`assets/basemap/basemap.geojson`, see its README).

use std::path::Path;

use geo::{Geometry, MultiLineString, MultiPolygon};
use serde_json::Value as Json;

use crate::model::basemap::{
    AdminLine, Basemap, BasemapPlace, BuiltUpArea, Lake, PlaceKind, WaterLabel, Waterway,
};
use crate::model::{FeatureId, PlanFeature};

use super::error::IoError;
use super::geojson_reader::{self as reader, Feature, GeoJson, PropertiesMode, ReadOptions};
use super::layer_file::all_features;

pub fn read_basemap(path: &Path) -> Result<Basemap, IoError> {
    let file = reader::read_file(path, &ReadOptions::new(PropertiesMode::Keep), |f| f)?;
    basemap_of(path, file)
}

/// Parses the basemap from text; `path` is only used in errors.
pub fn parse_basemap(path: &Path, text: &str) -> Result<Basemap, IoError> {
    basemap_of(
        path,
        reader::read_str(path, text, PropertiesMode::Keep, |f| f)?,
    )
}

/// The basemap's features have no ids; they are given `basemap.N` ids, N their place in the
/// file. Like a plan layer, every entry must be a feature with a geometry.
fn basemap_of(path: &Path, file: GeoJson<Feature>) -> Result<Basemap, IoError> {
    let file = all_features(path, file)?;
    let attribution = file
        .members
        .get("attribution")
        .and_then(Json::as_str)
        .unwrap_or_default()
        .to_owned();
    let frame = lonlat_box(&file.members, "bbox");
    let plan_frame = lonlat_box(&file.members, "plan_frame");
    let features = file
        .features
        .into_iter()
        .enumerate()
        .map(|(i, f)| PlanFeature {
            id: FeatureId(format!("basemap.{i}")),
            layer: "basemap".into(),
            geometry: f.geometry,
            properties: f.properties.into_iter().collect(),
        });
    let mut map = Basemap {
        attribution,
        frame,
        plan_frame,
        ..Basemap::default()
    };
    for (index, f) in features.enumerate() {
        let unexpected = || IoError::BadFeature {
            path: path.to_owned(),
            index,
            id: String::new(),
            message: format!(
                "a `{}` feature has an unexpected geometry type",
                f.text("layer")
            ),
        };
        let names = (f.name_zh().to_owned(), f.name_en().to_owned());
        match (f.text("layer"), &f.geometry) {
            ("land", g) => map.land = polygons(g).ok_or_else(unexpected)?,
            ("urban", g) => {
                let min_zoom = f.properties.get("min_zoom").and_then(Json::as_f64);
                let shapes = polygons(g).ok_or_else(unexpected)?;
                map.built_up.extend(
                    shapes
                        .into_iter()
                        .map(|shape| BuiltUpArea { shape, min_zoom }),
                );
            }
            ("lake", Geometry::Polygon(p)) => map.lakes.push(Lake {
                name_zh: names.0,
                name_en: names.1,
                shape: p.clone(),
            }),
            (kind @ ("river" | "canal"), g) => map.waterways.push(Waterway {
                canal: kind == "canal",
                level: f.integer("level").unwrap_or_default(),
                lines: lines(g).ok_or_else(unexpected)?,
            }),
            ("admin_boundary", g) => map.admin_lines.push(AdminLine {
                admin_level: f.integer("admin_level").unwrap_or(5),
                between: f.text("between").to_owned(),
                lines: lines(g).ok_or_else(unexpected)?,
            }),
            ("place", Geometry::Point(p)) => map.places.push(BasemapPlace {
                name_zh: names.0,
                name_en: names.1,
                kind: PlaceKind::from_word(f.kind()),
                position: *p,
                min_zoom: f.properties.get("min_zoom").and_then(Json::as_f64),
                source: f.text("source").to_owned(),
            }),
            ("water_label", Geometry::Point(p)) => map.water_labels.push(WaterLabel {
                name_zh: names.0,
                name_en: names.1,
                position: *p,
            }),
            _ => return Err(unexpected()),
        }
    }
    Ok(map)
}

/// A `[west, south, east, north]` member of the collection, if it has one.
fn lonlat_box(members: &serde_json::Map<String, Json>, name: &str) -> Option<geo::Rect<f64>> {
    let v: Vec<f64> = members
        .get(name)?
        .as_array()?
        .iter()
        .filter_map(Json::as_f64)
        .collect();
    (v.len() == 4).then(|| {
        geo::Rect::new(
            geo::Coord { x: v[0], y: v[1] },
            geo::Coord { x: v[2], y: v[3] },
        )
    })
}

fn polygons(g: &Geometry<f64>) -> Option<MultiPolygon<f64>> {
    match g {
        Geometry::Polygon(p) => Some(MultiPolygon(vec![p.clone()])),
        Geometry::MultiPolygon(m) => Some(m.clone()),
        _ => None,
    }
}

fn lines(g: &Geometry<f64>) -> Option<MultiLineString<f64>> {
    match g {
        Geometry::LineString(l) => Some(MultiLineString(vec![l.clone()])),
        Geometry::MultiLineString(m) => Some(m.clone()),
        _ => None,
    }
}
