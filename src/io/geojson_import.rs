//! Importing any GeoJSON as a sketch layer: every geometry type, every property (including
//! ones we do not understand), and a report of exactly what was imported and what was not.

use std::fmt;
use std::io::Read;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use geo::{CoordsIter, MapCoordsInPlace};
use serde_json::{Map, Value};

use crate::model::gcj02::gcj02_to_wgs84;

use super::error::IoError;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ImportOptions {
    /// The source is in GCJ-02 (Chinese web maps); convert it to WGS84.
    pub source_is_gcj02: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ImportedFeature {
    pub geometry: geo::Geometry<f64>,
    /// All properties, as in the file.
    pub properties: Map<String, Value>,
    /// The feature's `id` member, if any.
    pub id: Option<Value>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    /// The feature's 0-based position in the file.
    pub index: usize,
    pub reason: String,
}

/// What an import did, to be shown to the user.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub imported: usize,
    pub skipped: Vec<Skipped>,
    pub converted_from_gcj02: bool,
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
            let reasons: Vec<String> = self
                .skipped
                .iter()
                .map(|s| format!("feature {} {}", s.index, s.reason))
                .collect();
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
        Ok(())
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct ImportedLayer {
    pub features: Vec<ImportedFeature>,
    pub report: ImportReport,
}

/// Progress of a background read: bytes read so far, and a flag that cancels it.
#[derive(Clone, Debug, Default)]
pub struct Progress {
    pub bytes_read: Arc<AtomicU64>,
    pub cancel: Arc<AtomicBool>,
}

struct CountingReader<R> {
    inner: R,
    progress: Progress,
}

impl<R: Read> Read for CountingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.progress.cancel.load(Ordering::Relaxed) {
            // Not `Interrupted`: readers retry that kind forever.
            return Err(std::io::Error::other("cancelled"));
        }
        let n = self.inner.read(buf)?;
        self.progress
            .bytes_read
            .fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Reads and imports a GeoJSON file, reporting progress and stopping when cancelled.
pub fn import_geojson_file(
    path: &Path,
    options: ImportOptions,
    progress: &Progress,
) -> Result<ImportedLayer, IoError> {
    let file = std::fs::File::open(path).map_err(|e| IoError::read(path, e))?;
    let reader = std::io::BufReader::with_capacity(
        1 << 16,
        CountingReader {
            inner: file,
            progress: progress.clone(),
        },
    );
    let value: Value = serde_json::from_reader(reader).map_err(|e| {
        if progress.cancel.load(Ordering::Relaxed) {
            IoError::Cancelled {
                path: path.to_owned(),
            }
        } else if e.is_io() && e.to_string().contains("stream did not contain valid UTF-8") {
            IoError::NotUtf8 {
                path: path.to_owned(),
            }
        } else {
            IoError::json(path, &e)
        }
    })?;
    import_value(path, value, options)
}

/// Imports GeoJSON text; `path` is only used in errors.
pub fn import_geojson_str(
    path: &Path,
    text: &str,
    options: ImportOptions,
) -> Result<ImportedLayer, IoError> {
    let value: Value = serde_json::from_str(text).map_err(|e| IoError::json(path, &e))?;
    import_value(path, value, options)
}

fn import_value(
    path: &Path,
    value: Value,
    options: ImportOptions,
) -> Result<ImportedLayer, IoError> {
    let features: Vec<Value> = match value.get("type").and_then(Value::as_str) {
        Some("FeatureCollection") => match value.get("features") {
            Some(Value::Array(f)) => f.clone(),
            _ => {
                return Err(IoError::NotACollection {
                    path: path.to_owned(),
                    message: "`features` is not an array".into(),
                });
            }
        },
        Some("Feature") => vec![value],
        Some(
            t @ ("Point" | "MultiPoint" | "LineString" | "MultiLineString" | "Polygon"
            | "MultiPolygon" | "GeometryCollection"),
        ) => {
            let _ = t;
            vec![serde_json::json!({"type": "Feature", "properties": {}, "geometry": value})]
        }
        _ => {
            return Err(IoError::NotACollection {
                path: path.to_owned(),
                message: "the top-level `type` is not FeatureCollection, Feature or a geometry"
                    .into(),
            });
        }
    };
    let mut out = ImportedLayer {
        features: Vec::new(),
        report: ImportReport {
            converted_from_gcj02: options.source_is_gcj02,
            ..ImportReport::default()
        },
    };
    for (index, raw) in features.into_iter().enumerate() {
        match feature(raw) {
            Ok(f) => out.features.push(f),
            Err(reason) => out.report.skipped.push(Skipped { index, reason }),
        }
    }
    // One position outside lon/lat range means the whole file is in another CRS: refuse it
    // rather than import a part in the wrong place.
    if let Some(c) = out
        .features
        .iter()
        .flat_map(|f| f.geometry.coords_iter())
        .find(|c| c.x.abs() > 180.0 || c.y.abs() > 90.0)
    {
        return Err(IoError::Projected {
            path: path.to_owned(),
            x: c.x,
            y: c.y,
        });
    }
    if options.source_is_gcj02 {
        for f in &mut out.features {
            f.geometry.map_coords_in_place(|c| {
                let (x, y) = gcj02_to_wgs84(c.x, c.y);
                geo::Coord { x, y }
            });
        }
    }
    out.report.imported = out.features.len();
    Ok(out)
}

fn feature(raw: Value) -> Result<ImportedFeature, String> {
    let Value::Object(mut object) = raw else {
        return Err("is not a JSON object".into());
    };
    if object.get("type").and_then(Value::as_str) != Some("Feature") {
        return Err("is not a Feature".into());
    }
    let properties = match object.remove("properties") {
        Some(Value::Object(p)) => p,
        None | Some(Value::Null) => Map::new(),
        Some(_) => return Err("has properties that are not an object".into()),
    };
    let id = object.remove("id");
    let geometry = match object.remove("geometry") {
        None | Some(Value::Null) => return Err("has no geometry".into()),
        Some(g) => g,
    };
    check_rings(&geometry)?;
    let geometry: geojson::Geometry =
        serde_json::from_value(geometry).map_err(|e| format!("has an invalid geometry: {e}"))?;
    let geometry = geo::Geometry::<f64>::try_from(&geometry.value)
        .map_err(|e| format!("has a geometry that cannot be used: {e}"))?;
    if geometry
        .coords_iter()
        .any(|c| !c.x.is_finite() || !c.y.is_finite())
    {
        return Err("has a coordinate that is not a finite number".into());
    }
    Ok(ImportedFeature {
        geometry,
        properties,
        id,
    })
}

/// geo closes rings silently; an unclosed ring is a broken file and is reported instead.
fn check_rings(geometry: &Value) -> Result<(), String> {
    let rings_of = |polygon: &Value| -> Result<(), String> {
        for ring in polygon.as_array().into_iter().flatten() {
            let r = ring.as_array().map(Vec::as_slice).unwrap_or_default();
            if r.len() < 4 || r.first() != r.last() {
                return Err("has a polygon ring that is not closed".into());
            }
        }
        Ok(())
    };
    match geometry.get("type").and_then(Value::as_str) {
        Some("Polygon") => rings_of(geometry.get("coordinates").unwrap_or(&Value::Null)),
        Some("MultiPolygon") => geometry
            .get("coordinates")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .try_for_each(rings_of),
        Some("GeometryCollection") => geometry
            .get("geometries")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .try_for_each(check_rings),
        _ => Ok(()),
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
            obj.insert("properties".into(), Value::Object(f.properties.clone()));
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
