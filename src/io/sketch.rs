//! Reading a project's sketch layers, embedded or referenced.

use std::path::{Path, PathBuf};

use crate::model::project::{SketchLayer, SketchSource};

use super::error::IoError;
use super::geojson_import::{
    ImportOptions, ImportedFeature, Progress, import_geojson_file, import_geojson_str,
};
use super::geojson_reader::Problem;
use super::paths::resolve;

/// The features of a sketch layer. `project_dir` resolves referenced files; a missing or
/// broken file is an error for this layer only, and the reference itself is left as it is.
pub fn load_sketch(
    project_dir: &Path,
    name: &str,
    layer: &SketchLayer,
) -> Result<Vec<ImportedFeature>, IoError> {
    let (path, imported) = match &layer.source {
        SketchSource::Embedded(text) => {
            let path = PathBuf::from(format!("sketch layer {name}"));
            let imported = import_geojson_str(&path, text, ImportOptions::default())?;
            (path, imported)
        }
        SketchSource::Referenced(stored) => {
            let path = resolve(project_dir, stored);
            let imported =
                import_geojson_file(&path, ImportOptions::default(), &Progress::default())?;
            (path, imported)
        }
    };
    // A referenced file may have changed since it was imported: a broken entry is not skipped
    // without a word. (A feature without geometry is valid GeoJSON, with nothing to draw.)
    if imported.report.skipped.iter().any(Problem::is_error) {
        return Err(IoError::Features {
            path,
            problems: imported.report.skipped,
        });
    }
    Ok(imported.features)
}
