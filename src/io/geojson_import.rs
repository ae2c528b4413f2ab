//! Importing any GeoJSON as a sketch layer: every geometry type, every property (including
//! ones we do not understand), and a report of exactly what was imported and what was not.
//! The file is read by the one reader (`io::geojson`), with its rules.

use std::fmt;
use std::path::Path;

use geo::MapCoordsInPlace;
use serde_json::{Map, Value};

pub use crate::model::attributes::Attributes;
use crate::model::crs::gcj02::gcj02_to_wgs84;

use super::error::IoError;
pub use super::geojson_reader::Progress;
use super::geojson_reader::{self as reader, Feature, PropertiesMode, ReadOptions};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ImportOptions {
    /// The source is in GCJ-02 (Chinese web maps); convert it to WGS84.
    pub source_is_gcj02: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ImportedFeature {
    pub geometry: geo::Geometry<f64>,
    /// All properties, as in the file (kept compactly: see [`Attributes`]).
    pub properties: Attributes,
    /// The feature's `id` member, if any.
    pub id: Option<Value>,
}

/// What an import did, to be shown to the user.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub imported: usize,
    /// The entries not imported, in file order (a feature without geometry too: a sketch layer
    /// has nothing to hold it).
    pub skipped: Vec<reader::Problem>,
    pub converted_from_gcj02: bool,
    /// What other formats' readers did not take, and how the file was read ("CRS: …"), one
    /// line each.
    pub notes: Vec<String>,
}

impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "imported {} feature{}",
            self.imported,
            if self.imported == 1 { "" } else { "s" }
        )?;
        if !self.skipped.is_empty() {
            let reasons: Vec<String> = self.skipped.iter().map(ToString::to_string).collect();
            write!(
                f,
                ", skipped {}: {}",
                self.skipped.len(),
                reasons.join(", ")
            )?;
        }
        if self.converted_from_gcj02 {
            write!(f, " (converted from GCJ-02 to WGS84)")?;
        }
        for note in &self.notes {
            write!(f, "; {note}")?;
        }
        Ok(())
    }
}

impl ImportReport {
    /// The report in the interface language (English: as displayed). The reasons an entry was
    /// skipped are quoted as the reader words them.
    pub fn in_language(&self, lang: crate::model::UiLanguage) -> String {
        if lang == crate::model::UiLanguage::English {
            return self.to_string();
        }
        let mut text = format!("导入了 {} 个要素", self.imported);
        if !self.skipped.is_empty() {
            let reasons: Vec<String> = self.skipped.iter().map(ToString::to_string).collect();
            text.push_str(&format!(
                "，跳过 {} 个：{}",
                self.skipped.len(),
                reasons.join("，")
            ));
        }
        if self.converted_from_gcj02 {
            text.push_str("（已由 GCJ-02 转换为 WGS84）");
        }
        text
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct ImportedLayer {
    pub features: Vec<ImportedFeature>,
    pub report: ImportReport,
}

fn imported(f: Feature) -> ImportedFeature {
    ImportedFeature {
        geometry: f.geometry,
        properties: f.properties.into(),
        id: f.id,
    }
}

/// Reads and imports a GeoJSON file, reporting progress and stopping when cancelled. The file
/// is streamed from disk, so only the imported features are held in memory.
pub fn import_geojson_file(
    path: &Path,
    options: ImportOptions,
    progress: &Progress,
) -> Result<ImportedLayer, IoError> {
    let read_options = ReadOptions {
        progress: Some(progress),
        ..ReadOptions::new(PropertiesMode::Keep)
    };
    let file = reader::read_file(path, &read_options, imported)?;
    Ok(finish(file, options))
}

/// Imports GeoJSON text; `path` is only used in errors.
pub fn import_geojson_str(
    path: &Path,
    text: &str,
    options: ImportOptions,
) -> Result<ImportedLayer, IoError> {
    let file = reader::read_str(path, text, PropertiesMode::Keep, imported)?;
    Ok(finish(file, options))
}

fn finish(file: reader::GeoJson<ImportedFeature>, options: ImportOptions) -> ImportedLayer {
    let mut features = file.features;
    if options.source_is_gcj02 {
        for f in &mut features {
            f.geometry.map_coords_in_place(|c| {
                let (x, y) = gcj02_to_wgs84(c.x, c.y);
                geo::Coord { x, y }
            });
        }
    }
    ImportedLayer {
        report: ImportReport {
            imported: features.len(),
            skipped: file.report.problems,
            converted_from_gcj02: options.source_is_gcj02,
            notes: Vec::new(),
        },
        features,
    }
}

/// The imported features as a GeoJSON FeatureCollection, for embedding in a project.
pub fn to_feature_collection(features: &[ImportedFeature]) -> Value {
    let features: Vec<Value> = features
        .iter()
        .map(|f| {
            let mut obj = Map::new();
            obj.insert("type".into(), Value::String("Feature".into()));
            if let Some(id) = &f.id {
                obj.insert("id".into(), id.clone());
            }
            obj.insert("properties".into(), Value::Object(f.properties.to_map()));
            let g = geojson::Geometry::from(&f.geometry);
            obj.insert(
                "geometry".into(),
                serde_json::to_value(g).unwrap_or(Value::Null),
            );
            Value::Object(obj)
        })
        .collect();
    serde_json::json!({"type": "FeatureCollection", "features": features})
}
