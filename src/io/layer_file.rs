//! Reading plan layers: one GeoJSON FeatureCollection (RFC 7946, lon/lat) per layer file,
//! through the one reader (`io::geojson`) and its rules. A layer is stricter than a sketch
//! import: every entry must be a feature with a geometry and an `id`, or the layer is refused.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value as Json;

use crate::model::{FeatureId, Plan, PlanFeature, PlanLayer, Region};

use super::error::IoError;
use super::geojson_reader::{
    self as reader, Feature, GeoJson, PropertiesMode, ReadOptions, TopLevel,
};

/// Reads one layer file. The layer id is the file's stem.
pub fn read_layer(path: &Path) -> Result<PlanLayer, IoError> {
    let file = reader::read_file(path, &ReadOptions::new(PropertiesMode::Keep), |f| f)?;
    layer_of(path, file)
}

/// Parses a layer from text; `path` is only used to name the layer and in errors.
pub fn parse_layer(path: &Path, text: &str) -> Result<PlanLayer, IoError> {
    let file = reader::read_str(path, text, PropertiesMode::Keep, |f| f)?;
    layer_of(path, file)
}

/// The features of a FeatureCollection in which every entry was read, or the error that names
/// every entry that was not (a feature without geometry too: a plan feature needs one).
pub(crate) fn all_features(
    path: &Path,
    file: GeoJson<Feature>,
) -> Result<GeoJson<Feature>, IoError> {
    if file.top != TopLevel::FeatureCollection {
        return Err(IoError::NotACollection {
            path: path.to_owned(),
            message: "the top-level object is a single Feature or Geometry".into(),
        });
    }
    if !file.report.problems.is_empty() {
        return Err(IoError::Features {
            path: path.to_owned(),
            problems: file.report.problems,
        });
    }
    Ok(file)
}

fn layer_of(path: &Path, file: GeoJson<Feature>) -> Result<PlanLayer, IoError> {
    let layer_id = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let file = all_features(path, file)?;
    let member = |key: &str| {
        file.members
            .get(key)
            .and_then(Json::as_str)
            .map(str::to_owned)
    };
    let note = member("note");
    let same_ids_as = member("same_ids_as");
    let mut features = Vec::with_capacity(file.features.len());
    for (index, feature) in file.features.into_iter().enumerate() {
        let properties: BTreeMap<String, Json> = feature.properties.into_iter().collect();
        let id = properties
            .get("id")
            .and_then(Json::as_str)
            .map(str::to_owned)
            .or_else(|| match &feature.id {
                Some(Json::String(s)) => Some(s.clone()),
                Some(Json::Number(n)) => Some(n.to_string()),
                _ => None,
            });
        let Some(id) = id else {
            return Err(IoError::BadFeature {
                path: path.to_owned(),
                index,
                id: String::new(),
                message: "has no `id` property".into(),
            });
        };
        features.push(PlanFeature {
            id: FeatureId(id),
            layer: layer_id.clone(),
            geometry: feature.geometry,
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
            "layers/test.geojson: feature 0 (p) has a polygon ring that is not closed"
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
                .ends_with("feature 0 (x) has no geometry")
        );
    }

    #[test]
    fn a_single_feature_is_not_a_layer() {
        let err = parse(r#"{"type":"Feature","properties":{},"geometry":null}"#).unwrap_err();
        assert!(matches!(err, IoError::NotACollection { .. }));
    }
}
