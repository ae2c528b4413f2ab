//! Reading a project's sketch layers, embedded or referenced.

use std::path::Path;

use crate::model::project::{SketchLayer, SketchSource};

use super::error::IoError;
use super::geojson_import::{
    ImportOptions, ImportedFeature, Progress, import_geojson_file, import_geojson_str,
};
use super::paths::resolve;

/// The features of a sketch layer. `project_dir` resolves referenced files; a missing file is
/// an error for this layer only, and the reference itself is left as it is.
pub fn load_sketch(
    project_dir: &Path,
    name: &str,
    layer: &SketchLayer,
) -> Result<Vec<ImportedFeature>, IoError> {
    let imported = match &layer.source {
        SketchSource::Embedded(text) => import_geojson_str(
            Path::new(&format!("sketch layer {name}")),
            text,
            ImportOptions::default(),
        )?,
        SketchSource::Referenced(stored) => import_geojson_file(
            &resolve(project_dir, stored),
            ImportOptions::default(),
            &Progress::default(),
        )?,
    };
    Ok(imported.features)
}
