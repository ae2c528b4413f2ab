//! Reading a project's sketch layers, embedded or referenced.

use std::path::{Path, PathBuf};

use crate::model::project::{SketchLayer, SketchSource};

use super::error::IoError;
use super::geojson_fields::property_order;
use super::geojson_import::{
    ImportOptions, ImportedFeature, ImportedLayer, Progress, import_geojson_file,
    import_geojson_str,
};
use super::paths::resolve;
use crate::io::data_file::{into_wgs84, table_crs};
use crate::io::formats::{self, Format, ReadOptions};
use crate::model::crs::Crs;
use crate::model::project::DataChoices;

/// The features of a sketch layer, as its import found them: the entries the import skipped
/// (and reported) are skipped again. `project_dir` resolves referenced files; a missing or
/// unreadable file is an error for this layer only, and the reference itself is left as it is.
pub fn load_sketch(
    project_dir: &Path,
    name: &str,
    layer: &SketchLayer,
) -> Result<Vec<ImportedFeature>, IoError> {
    load_sketch_with_report(project_dir, name, layer).map(|(_, imported)| imported.features)
}

/// A sketch layer's features with the import's report, and the path that names its GeoJSON
/// (the file, or `sketch layer NAME` for an embedded one), for checks that list what the
/// import skips.
pub fn load_sketch_with_report(
    project_dir: &Path,
    name: &str,
    layer: &SketchLayer,
) -> Result<(PathBuf, ImportedLayer), IoError> {
    load_with_fields(project_dir, name, layer).map(|(path, imported, _)| (path, imported))
}

/// A data layer as the app shows it: its features and its attribute fields in the file's order.
#[derive(Clone, Debug, PartialEq)]
pub struct LoadedLayer {
    pub features: Vec<ImportedFeature>,
    /// The order the format declares (a DBF's fields, a GeoPackage table's columns, a CSV's
    /// header); for GeoJSON, whose properties are JSON objects without an order (RFC 8259),
    /// the names as first met, each feature's by name.
    pub fields: Vec<String>,
}

/// A data layer's features and fields (see [`LoadedLayer`]); errors as [`load_sketch`].
pub fn load_data_layer(
    project_dir: &Path,
    name: &str,
    layer: &SketchLayer,
) -> Result<LoadedLayer, IoError> {
    let (path, imported, fields) = load_with_fields(project_dir, name, layer)?;
    Ok(loaded_layer(&path, layer, imported, fields))
}

/// A layer as [`load_data_layer`] gives it, from its features as read (by the import, which
/// has them already) and its fields where the format declares them.
pub fn loaded_layer(
    path: &Path,
    layer: &SketchLayer,
    imported: ImportedLayer,
    fields: Option<Vec<String>>,
) -> LoadedLayer {
    let mut fields = fields.unwrap_or_else(|| fields_as_met(&imported.features));
    let written = match &layer.source {
        SketchSource::Embedded(text) => property_order(text.as_bytes()),
        SketchSource::Referenced(_) => match Format::of_path(path) {
            Some(Format::GeoJson) | None => std::fs::File::open(path).ok().and_then(property_order),
            Some(_) => None,
        },
    };
    if let Some(written) = written {
        fields = in_written_order(fields, written);
    }
    LoadedLayer {
        features: imported.features,
        fields,
    }
}

/// `fields` in the order the file writes them where it does, the others after, as they were.
fn in_written_order(fields: Vec<String>, written: Vec<String>) -> Vec<String> {
    let known: std::collections::HashSet<&String> = fields.iter().collect();
    let mut ordered: Vec<String> = written.into_iter().filter(|w| known.contains(w)).collect();
    let placed: std::collections::HashSet<String> = ordered.iter().cloned().collect();
    ordered.extend(fields.into_iter().filter(|f| !placed.contains(f)));
    ordered
}

/// Every property name of `features`, in the order first met.
fn fields_as_met(features: &[ImportedFeature]) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    let mut fields = Vec::new();
    for f in features {
        for key in f.properties.keys() {
            if !seen.contains(key.as_str()) {
                seen.insert(key.clone());
                fields.push(key.clone());
            }
        }
    }
    fields
}

/// The layer's path, features and report, and its fields where the format declares them.
fn load_with_fields(
    project_dir: &Path,
    name: &str,
    layer: &SketchLayer,
) -> Result<(PathBuf, ImportedLayer, Option<Vec<String>>), IoError> {
    Ok(match &layer.source {
        SketchSource::Embedded(text) => {
            let path = PathBuf::from(format!("sketch layer {name}"));
            let imported = import_geojson_str(&path, text, ImportOptions::default())?;
            (path, imported, None)
        }
        SketchSource::Referenced(stored) => {
            let path = resolve(project_dir, stored);
            let progress = Progress::default();
            let (imported, fields) = if plain_geojson(&path, layer) {
                // WGS84 GeoJSON as ever; one in a projected CRS goes the data-file way,
                // which names the CRS it guesses for the user to confirm.
                match import_geojson_file(&path, ImportOptions::default(), &progress) {
                    Err(IoError::Projected { .. }) => {
                        read_data_file(&path, &layer.choices, &progress)?
                    }
                    other => (other?, None),
                }
            } else {
                read_data_file(&path, &layer.choices, &progress)?
            };
            (path, imported, fields)
        }
    })
}

/// Whether a referenced layer is read as GeoJSON has always been read (WGS84, no choices),
/// rather than through [`import_data_file`].
fn plain_geojson(path: &Path, layer: &SketchLayer) -> bool {
    matches!(Format::of_path(path), Some(Format::GeoJson) | None) && layer.choices.is_empty()
}

/// Whether [`load_data_layer`] reads `layer` (a file at `path`) exactly as
/// [`import_data_file`] does with the layer's choices, so that what the import read can stand
/// for it: a referenced file read the data-file way. (An embedded layer is its GeoJSON text.)
pub fn loads_as_imported(path: &Path, layer: &SketchLayer) -> bool {
    matches!(layer.source, SketchSource::Referenced(_)) && !plain_geojson(path, layer)
}

/// Reads a data file of any format into WGS84 features, with the choices made on import: the
/// table (else the first), the CRS (else the declared one, else a plain lon/lat guess; any
/// other guess must have been confirmed), the encoding and the CSV columns.
pub fn import_data_file(
    path: &Path,
    choices: &DataChoices,
    progress: &Progress,
) -> Result<ImportedLayer, IoError> {
    read_data_file(path, choices, progress).map(|(imported, _)| imported)
}

/// [`import_data_file`], with the table's fields in the file's order (GeoJSON: as met).
fn read_data_file(
    path: &Path,
    choices: &DataChoices,
    progress: &Progress,
) -> Result<(ImportedLayer, Option<Vec<String>>), IoError> {
    let dataset = formats::read(path, &read_options(path, choices, Some(progress))?)?;
    layer_of_dataset(path, std::sync::Arc::new(dataset), choices)
}

/// What a layer's choices ask of the reader: its table, text encoding and CSV columns.
pub fn read_options<'a>(
    path: &Path,
    choices: &DataChoices,
    progress: Option<&'a Progress>,
) -> Result<ReadOptions<'a>, IoError> {
    let encoding = match &choices.encoding {
        Some(label) => Some(formats::encoding::from_label(label).ok_or_else(|| {
            IoError::invalid(
                path,
                format!("the encoding {label} is not one OneMap knows"),
            )
        })?),
        None => None,
    };
    Ok(ReadOptions {
        encoding,
        table: choices.table.clone(),
        csv_columns: choices
            .csv_columns
            .as_ref()
            .map(|(x, y)| formats::CsvColumns {
                x: x.clone(),
                y: y.clone(),
            }),
        progress,
    })
}

/// A data layer's features in WGS84 from its file as read: the table, CRS (as
/// [`import_data_file`] says) and fields. For the import dialog, which has read the file for
/// its preview already: when it hands over the only reference to its read, the table's
/// features are moved into the layer, not copied.
pub fn layer_of_dataset(
    path: &Path,
    dataset: std::sync::Arc<formats::Dataset>,
    choices: &DataChoices,
) -> Result<(ImportedLayer, Option<Vec<String>>), IoError> {
    let index = match &choices.table {
        Some(name) => dataset.tables.iter().position(|t| &t.name == name),
        None => (!dataset.tables.is_empty()).then_some(0),
    }
    .ok_or_else(|| match &choices.table {
        Some(name) => IoError::invalid(path, format!("has no layer {name}")),
        None => IoError::invalid(path, "has no layer with features"),
    })?;
    let table = &dataset.tables[index];
    let chosen =
        match &choices.crs {
            Some(text) => Some(Crs::parse(text).map_err(|e| {
                IoError::invalid(path, format!("the coordinate system {text}: {e}"))
            })?),
            None => None,
        };
    let crs = table_crs(table, chosen.as_ref());
    let Some(source) = crs.usable_without_asking() else {
        let hint = crs
            .guesses
            .first()
            .map(|g| format!("; it looks like {} ({})", g.crs.label(), g.reason))
            .unwrap_or_default();
        return Err(IoError::invalid(
            path,
            format!(
                "its coordinate system is unknown{}{hint}: choose one for the layer",
                crs.problem
                    .as_deref()
                    .map(|p| format!(" ({p})"))
                    .unwrap_or_default()
            ),
        ));
    };
    let mut notes = table.skipped.clone();
    let fields = table.fields.iter().map(|f| f.name.clone()).collect();
    let source = source.clone();
    let table = match std::sync::Arc::try_unwrap(dataset) {
        Ok(mut dataset) => dataset.tables.swap_remove(index),
        Err(shared) => shared.tables[index].clone(),
    };
    let features = into_wgs84(path, table, &source)?;
    let without_geometry = features.iter().filter(|f| f.geometry.is_none()).count();
    // Made at its final size: grown by doubling, a large layer's vector (120 bytes a
    // feature) left 14 freed copies and a quarter of its room unused (heaptrack).
    let mut kept = Vec::with_capacity(features.len() - without_geometry);
    kept.extend(features.into_iter().filter_map(|f| {
        Some(ImportedFeature {
            geometry: f.geometry?,
            properties: f.attributes,
            id: None,
        })
    }));
    let features = kept;
    if without_geometry > 0 {
        notes.push(format!("{without_geometry} without geometry not shown"));
    }
    let imported = ImportedLayer {
        report: super::geojson_import::ImportReport {
            imported: features.len(),
            skipped: Vec::new(),
            converted_from_gcj02: false,
            notes,
        },
        features,
    };
    Ok((imported, Some(fields)))
}
