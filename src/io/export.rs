//! Exporting a project's placements and sketch layers as RFC 7946 GeoJSON (which GDAL and QGIS
//! open as it is) and the placement table as CSV.

use std::path::Path;

use geo::Geometry;
use geo::orient::{Direction, Orient};

use crate::model::measure::{area_km2, length_km};
use serde_json::{Map, Value, json};

use crate::model::project::{Placement, Project};

use super::atomic::atomic_write;
use super::error::IoError;
use super::geojson_import::ImportedFeature;
use super::output_guard::{Writes, check_output};

/// Exterior rings counter-clockwise, holes clockwise, as RFC 7946 §3.1.6 asks.
fn rfc7946(g: Geometry<f64>) -> Geometry<f64> {
    match g {
        Geometry::Polygon(p) => Geometry::Polygon(p.orient(Direction::Default)),
        Geometry::MultiPolygon(m) => Geometry::MultiPolygon(m.orient(Direction::Default)),
        Geometry::GeometryCollection(c) => {
            Geometry::GeometryCollection(c.into_iter().map(rfc7946).collect())
        }
        other => other,
    }
}

fn feature(id: Option<&str>, properties: Map<String, Value>, g: Geometry<f64>) -> Value {
    let geometry =
        serde_json::to_value(geojson::Geometry::from(&rfc7946(g))).unwrap_or(Value::Null);
    let mut f = json!({"type": "Feature", "properties": properties, "geometry": geometry});
    if let (Some(id), Some(obj)) = (id, f.as_object_mut()) {
        obj.insert("id".into(), Value::String(id.into()));
    }
    f
}

pub(crate) fn placement_properties(id: &str, p: &Placement) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("id".into(), id.into());
    m.insert("layer".into(), "placements".into());
    m.insert("name_zh".into(), p.name_zh.clone().into());
    m.insert("name_en".into(), p.name_en.clone().into());
    m.insert("action".into(), p.action.clone().into());
    m.insert(
        "section".into(),
        p.section.clone().map_or(Value::Null, Value::String),
    );
    m.insert(
        "lead_city".into(),
        p.lead_city.clone().map_or(Value::Null, Value::String),
    );
    m.insert("participants".into(), p.participants.join(";").into());
    m.insert("status".into(), p.status.as_str().into());
    m.insert("horizon".into(), p.horizon.into());
    m.insert("description".into(), p.description.clone().into());
    m.insert("source".into(), p.source.clone().into());
    m.insert("indicative".into(), p.indicative.into());
    m.insert("comments".into(), p.comments.len().into());
    m
}

/// Placements, then the features of the given sketch layers (each tagged with its layer).
pub fn export_geojson(project: &Project, sketches: &[(String, Vec<ImportedFeature>)]) -> Value {
    let mut features: Vec<Value> = project
        .placements
        .iter()
        .map(|(id, p)| {
            feature(
                Some(&id.0),
                placement_properties(&id.0, p),
                p.geometry.to_geo(),
            )
        })
        .collect();
    for (layer, fs) in sketches {
        for f in fs {
            let mut props = f.properties.to_map();
            props.insert("sketch_layer".into(), layer.clone().into());
            features.push(feature(None, props, f.geometry.clone()));
        }
    }
    json!({"type": "FeatureCollection", "name": project.meta.title_en, "features": features})
}

pub fn write_geojson(
    path: &Path,
    project: &Project,
    sketches: &[(String, Vec<ImportedFeature>)],
) -> Result<(), IoError> {
    // Also the app's path: a project cannot be replaced by its own GeoJSON export.
    check_output(path, [], Writes::Other("GeoJSON"))?;
    let text = serde_json::to_string_pretty(&export_geojson(project, sketches))
        .map_err(|e| IoError::invalid(path, format!("could not be written as JSON: {e}")))?;
    atomic_write(path, text.as_bytes(), false)
}

/// Geodesic length in km of lines, area in km² of polygons.
pub fn measures(g: &Geometry<f64>) -> (Option<f64>, Option<f64>) {
    match g {
        Geometry::LineString(l) => (Some(length_km(l)), None),
        Geometry::Polygon(p) => (None, Some(area_km2(&geo::MultiPolygon(vec![p.clone()])))),
        _ => (None, None),
    }
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

/// The placement table, one row per placement, UTF-8 with a header row.
pub fn placements_csv(project: &Project) -> String {
    let mut out = String::from(
        "id,name_zh,name_en,action,section,lead_city,participants,status,horizon,geometry,length_km,area_km2,indicative,source\n",
    );
    for (id, p) in &project.placements {
        let g = p.geometry.to_geo();
        let (length, area) = measures(&g);
        let kind = match &p.geometry {
            crate::model::project::PlacementGeometry::Point(_) => "Point",
            crate::model::project::PlacementGeometry::LineString(_) => "LineString",
            crate::model::project::PlacementGeometry::Polygon(_) => "Polygon",
        };
        let row = [
            id.0.clone(),
            p.name_zh.clone(),
            p.name_en.clone(),
            p.action.clone(),
            p.section.clone().unwrap_or_default(),
            p.lead_city.clone().unwrap_or_default(),
            p.participants.join(";"),
            p.status.as_str().to_owned(),
            p.horizon.to_string(),
            kind.to_owned(),
            length.map(|v| format!("{v:.3}")).unwrap_or_default(),
            area.map(|v| format!("{v:.3}")).unwrap_or_default(),
            p.indicative.to_string(),
            p.source.clone(),
        ];
        out.push_str(
            &row.iter()
                .map(|f| csv_field(f))
                .collect::<Vec<_>>()
                .join(","),
        );
        out.push('\n');
    }
    out
}

pub fn write_csv(path: &Path, project: &Project) -> Result<(), IoError> {
    check_output(path, [], Writes::Other("CSV"))?;
    atomic_write(path, placements_csv(project).as_bytes(), false)
}
