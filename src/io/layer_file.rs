//! Reading plan layers: one GeoJSON FeatureCollection (RFC 7946, lon/lat) per layer file.

use std::collections::BTreeMap;
use std::path::Path;

use geojson::{GeoJson, Value};
use serde_json::Value as Json;

use crate::model::{FeatureId, Plan, PlanFeature, PlanLayer, Region};

use super::error::IoError;

/// Reads one layer file. The layer id is the file's stem.
pub fn read_layer(path: &Path) -> Result<PlanLayer, IoError> {
    let text = std::fs::read_to_string(path).map_err(|e| IoError::read(path, e))?;
    parse_layer(path, &text)
}

/// Parses a layer from text; `path` is only used to name the layer and in errors.
pub fn parse_layer(path: &Path, text: &str) -> Result<PlanLayer, IoError> {
    let layer_id = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let geojson: GeoJson = serde_json::from_str(text).map_err(|e| IoError::json(path, &e))?;
    let GeoJson::FeatureCollection(collection) = geojson else {
        return Err(IoError::NotACollection {
            path: path.to_owned(),
            message: "the top-level object is a single Feature or Geometry".into(),
        });
    };
    let member = |key: &str| {
        collection
            .foreign_members
            .as_ref()
            .and_then(|m| m.get(key))
            .and_then(Json::as_str)
            .map(str::to_owned)
    };
    let note = member("note");
    let same_ids_as = member("same_ids_as");
    let mut features = Vec::with_capacity(collection.features.len());
    for (index, feature) in collection.features.into_iter().enumerate() {
        let properties: BTreeMap<String, Json> =
            feature.properties.unwrap_or_default().into_iter().collect();
        let id = properties
            .get("id")
            .and_then(Json::as_str)
            .map(str::to_owned)
            .or_else(|| feature.id.as_ref().map(feature_id_text));
        let bad = |message: String| IoError::BadFeature {
            path: path.to_owned(),
            index,
            id: id.as_ref().map(|i| format!(" ({i})")).unwrap_or_default(),
            message,
        };
        let Some(id) = id.clone() else {
            return Err(bad("has no `id` property".into()));
        };
        let Some(geometry) = feature.geometry else {
            return Err(bad("has no geometry".into()));
        };
        check_geometry(&geometry.value).map_err(bad)?;
        let geometry = geo::Geometry::<f64>::try_from(&geometry.value)
            .map_err(|e| bad(format!("geometry cannot be used: {e}")))?;
        features.push(PlanFeature {
            id: FeatureId(id),
            layer: layer_id.clone(),
            geometry,
            properties,
        });
    }
    Ok(PlanLayer {
        id: layer_id,
        note,
        same_ids_as,
        features,
    })
}

fn feature_id_text(id: &geojson::feature::Id) -> String {
    match id {
        geojson::feature::Id::String(s) => s.clone(),
        geojson::feature::Id::Number(n) => n.to_string(),
    }
}

/// What `geo` would accept silently but the data must not contain: non-finite or short
/// positions, and polygon rings that are not closed (geo closes them without telling).
fn check_geometry(value: &Value) -> Result<(), String> {
    match value {
        Value::Point(p) => check_position(p),
        Value::MultiPoint(ps) | Value::LineString(ps) => {
            ps.iter().try_for_each(|p| check_position(p))
        }
        Value::MultiLineString(lines) => lines.iter().flatten().try_for_each(|p| check_position(p)),
        Value::Polygon(rings) => check_rings(rings),
        Value::MultiPolygon(polys) => polys.iter().try_for_each(|rings| check_rings(rings)),
        Value::GeometryCollection(geoms) => geoms.iter().try_for_each(|g| check_geometry(&g.value)),
    }
}

fn check_position(p: &[f64]) -> Result<(), String> {
    if p.len() < 2 {
        return Err(format!(
            "a position has {} numbers; it needs longitude and latitude",
            p.len()
        ));
    }
    if !p.iter().all(|v| v.is_finite()) {
        return Err("a coordinate is not a finite number".into());
    }
    Ok(())
}

fn check_rings(rings: &[Vec<Vec<f64>>]) -> Result<(), String> {
    for (i, ring) in rings.iter().enumerate() {
        ring.iter().try_for_each(|p| check_position(p))?;
        if ring.len() < 4 {
            return Err(format!(
                "polygon ring {i} has {} positions; a ring needs at least 4",
                ring.len()
            ));
        }
        if ring.first() != ring.last() {
            return Err(format!(
                "polygon ring {i} is not closed: its first and last positions differ"
            ));
        }
    }
    Ok(())
}

/// A plan read from a folder, with the files that could not be read. One broken layer does not
/// stop the others from loading, but it is never skipped silently: its error is kept here.
#[derive(Debug)]
pub struct PlanLoad {
    pub plan: Plan,
    pub errors: Vec<IoError>,
}

/// Reads every `*.geojson` in `dir`, in file-name order.
pub fn read_plan(dir: &Path, region: Region) -> Result<PlanLoad, IoError> {
    let entries = std::fs::read_dir(dir).map_err(|e| IoError::read(dir, e))?;
    let mut paths: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "geojson"))
        .collect();
    paths.sort();
    let mut plan = Plan::new(region);
    let mut errors = Vec::new();
    for path in paths {
        match read_layer(&path) {
            Ok(layer) => {
                plan.layers.insert(layer.id.clone(), layer);
            }
            Err(e) => errors.push(e),
        }
    }
    Ok(PlanLoad { plan, errors })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<PlanLayer, IoError> {
        parse_layer(Path::new("layers/test.geojson"), text)
    }

    #[test]
    fn a_feature_collection_is_read_with_all_its_properties() {
        let layer = parse(
            r#"{"type":"FeatureCollection","note":"sketch","features":[
            {"type":"Feature","properties":{"id":"a.b","name_zh":"甲","extra":{"x":1}},
             "geometry":{"type":"Point","coordinates":[121.0,31.0]}}]}"#,
        )
        .unwrap();
        assert_eq!(layer.id, "test");
        assert_eq!(layer.note.as_deref(), Some("sketch"));
        assert_eq!(layer.features[0].id.as_str(), "a.b");
        assert_eq!(layer.features[0].name_zh(), "甲");
        assert!(layer.features[0].properties.contains_key("extra"));
    }

    #[test]
    fn truncated_json_names_the_file_line_and_column() {
        let err = parse("{\"type\":\"FeatureCollection\",\n\"features\":[").unwrap_err();
        let text = err.to_string();
        assert!(
            text.starts_with("layers/test.geojson is not valid JSON at line 2"),
            "{text}"
        );
    }

    #[test]
    fn an_unclosed_ring_is_refused_with_the_feature_named() {
        let err = parse(
            r#"{"type":"FeatureCollection","features":[{"type":"Feature",
            "properties":{"id":"p"},"geometry":{"type":"Polygon",
            "coordinates":[[[121,31],[121.1,31],[121.1,31.1],[121,31.1]]]}}]}"#,
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "layers/test.geojson: feature 0 (p): polygon ring 0 is not closed: its first and last positions differ"
        );
    }

    #[test]
    fn a_feature_without_id_or_geometry_is_refused() {
        let no_id = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},
            "geometry":{"type":"Point","coordinates":[121,31]}}]}"#;
        assert!(
            parse(no_id)
                .unwrap_err()
                .to_string()
                .ends_with("feature 0: has no `id` property")
        );
        let no_geometry = r#"{"type":"FeatureCollection","features":[{"type":"Feature",
            "properties":{"id":"x"},"geometry":null}]}"#;
        assert!(
            parse(no_geometry)
                .unwrap_err()
                .to_string()
                .ends_with("feature 0 (x): has no geometry")
        );
    }

    #[test]
    fn a_single_feature_is_not_a_layer() {
        let err = parse(r#"{"type":"Feature","properties":{},"geometry":null}"#).unwrap_err();
        assert!(matches!(err, IoError::NotACollection { .. }));
    }
}
