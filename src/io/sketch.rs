//! Reading a project's sketch layers, embedded or referenced.

use std::path::{Path, PathBuf};

use crate::model::project::{SketchLayer, SketchSource};

use super::error::IoError;
use super::geojson_import::{
    ImportOptions, ImportedFeature, ImportedLayer, Progress, import_geojson_file,
    import_geojson_str,
};
use super::paths::resolve;

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
    Ok(match &layer.source {
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
    })
}
