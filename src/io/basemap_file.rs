//! Reading the built-in basemap (`assets/basemap/basemap.geojson`, see its README).

use std::path::Path;

use geo::{Geometry, MultiLineString, MultiPolygon};
use serde_json::Value as Json;

use crate::model::basemap::{
    AdminLine, Basemap, BasemapPlace, Lake, PlaceKind, WaterLabel, Waterway,
};

use super::error::IoError;
use super::layer_file::parse_layer;

pub fn read_basemap(path: &Path) -> Result<Basemap, IoError> {
    let text = std::fs::read_to_string(path).map_err(|e| IoError::read(path, e))?;
    parse_basemap(path, &text)
}

/// The basemap's features have no ids; they are given `basemap.N` ids so that the layer reader,
/// with all its checks, can be reused.
pub fn parse_basemap(path: &Path, text: &str) -> Result<Basemap, IoError> {
    let mut value: Json = serde_json::from_str(text).map_err(|e| IoError::json(path, &e))?;
    let attribution = value
        .get("attribution")
        .and_then(Json::as_str)
        .unwrap_or_default()
        .to_owned();
    let frame = value.get("bbox").and_then(Json::as_array).and_then(|b| {
        let v: Vec<f64> = b.iter().filter_map(Json::as_f64).collect();
        (v.len() == 4).then(|| {
            geo::Rect::new(
                geo::Coord { x: v[0], y: v[1] },
                geo::Coord { x: v[2], y: v[3] },
            )
        })
    });
    if let Some(features) = value.get_mut("features").and_then(Json::as_array_mut) {
        for (i, f) in features.iter_mut().enumerate() {
            if let Some(props) = f.get_mut("properties").and_then(Json::as_object_mut) {
                props.insert("id".into(), Json::String(format!("basemap.{i}")));
            }
        }
    }
    let layer = parse_layer(path, &value.to_string())?;
    let mut map = Basemap {
        attribution,
        frame,
        ..Basemap::default()
    };
    for f in layer.features {
        let unexpected = || IoError::BadFeature {
            path: path.to_owned(),
            index: 0,
            id: format!(" ({})", f.id),
            message: format!(
                "a `{}` feature has an unexpected geometry type",
                f.text("layer")
            ),
        };
        let names = (f.name_zh().to_owned(), f.name_en().to_owned());
        match (f.text("layer"), &f.geometry) {
            ("land", g) => map.land = polygons(g).ok_or_else(unexpected)?,
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
                kind: match f.kind() {
                    "prefecture" => PlaceKind::Prefecture,
                    "district" => PlaceKind::District,
                    _ => PlaceKind::County,
                },
                position: *p,
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
