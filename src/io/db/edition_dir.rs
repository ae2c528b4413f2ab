//! A plan edition as a `layers/` folder: read to push it (through the edition and layer
//! readers every other command uses), and written when one is pulled, so that it opens
//! offline as `layers/` does.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value, json};

use super::edition::EditionData;
use crate::io::{read_edition, read_plan};
use crate::model::{PlanLayer, Region};

/// The edition in folder `dir` (`edition.ron`, every `*.geojson`, `SOURCES.md` if there is
/// one). A layer that cannot be read refuses the whole folder: a store must not hold half an
/// edition.
pub fn read_edition_dir(dir: &Path) -> Result<EditionData, String> {
    if !dir.is_dir() {
        return Err(format!("{}: is not a folder", dir.display()));
    }
    let edition = read_edition(&dir.join("edition.ron")).map_err(|e| e.to_string())?;
    let load = read_plan(dir, Region::SHANGHAI_METROPOLITAN_AREA).map_err(|e| e.to_string())?;
    if let Some(first) = load.errors.first() {
        let more = load.errors.len() - 1;
        let more = if more > 0 {
            format!(" (and {more} more)")
        } else {
            String::new()
        };
        return Err(format!("{first}{more}; nothing was pushed"));
    }
    if load.plan.layers.is_empty() {
        return Err(format!(
            "{}: holds no layer (*.geojson); nothing was pushed",
            dir.display()
        ));
    }
    let sources_path = dir.join("SOURCES.md");
    let sources = if sources_path.exists() {
        std::fs::read_to_string(&sources_path)
            .map_err(|e| format!("{}: could not be read: {e}", sources_path.display()))?
    } else {
        String::new()
    };
    Ok(EditionData {
        edition,
        plan: load.plan,
        sources,
    })
}

/// One layer as the GeoJSON FeatureCollection it was read from: its note and `same_ids_as`
/// kept, every property as read, coordinates as stored.
fn layer_json(layer: &PlanLayer) -> Value {
    let features: Vec<Value> = layer
        .features
        .iter()
        .map(|f| {
            let properties: Map<String, Value> = f
                .properties
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            let mut feature = json!({
                "type": "Feature",
                "properties": properties,
                "geometry": geojson::Geometry::new(geojson::Value::from(&f.geometry)),
            });
            // The reader takes the feature's id from its `id` property, else from here.
            if !f.properties.contains_key("id") {
                feature["id"] = Value::String(f.id.0.clone());
            }
            feature
        })
        .collect();
    let mut collection = json!({ "type": "FeatureCollection", "name": layer.id });
    if let Some(note) = &layer.note {
        collection["note"] = Value::String(note.clone());
    }
    if let Some(same) = &layer.same_ids_as {
        collection["same_ids_as"] = Value::String(same.clone());
    }
    collection["features"] = Value::Array(features);
    collection
}

/// Writes `data` as folder `dir`, which must not exist or be empty. It is written beside it
/// first and moved into place whole, so a failure leaves no half folder.
pub fn write_edition_dir(dir: &Path, data: &EditionData) -> Result<(), String> {
    if dir.exists()
        && std::fs::read_dir(dir)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        return Err(format!(
            "{}: exists and is not empty (pull into a new folder)",
            dir.display()
        ));
    }
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "edition".into());
    let partial: PathBuf = dir.with_file_name(format!(".{name}.partial-{}", std::process::id()));
    let result = write_files(&partial, data).and_then(|()| {
        std::fs::rename(&partial, dir)
            .map_err(|e| format!("{}: could not be written: {e}", dir.display()))
    });
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&partial);
    }
    result
}

fn write_files(dir: &Path, data: &EditionData) -> Result<(), String> {
    let write = |file: &str, text: &str| {
        let path = dir.join(file);
        std::fs::write(&path, text)
            .map_err(|e| format!("{}: could not be written: {e}", path.display()))
    };
    std::fs::create_dir_all(dir)
        .map_err(|e| format!("{}: could not be created: {e}", dir.display()))?;
    let ron = ron::ser::to_string_pretty(&data.edition, ron::ser::PrettyConfig::default())
        .map_err(|e| format!("the edition could not be written: {e}"))?;
    write("edition.ron", &format!("{ron}\n"))?;
    if !data.sources.is_empty() {
        write("SOURCES.md", &data.sources)?;
    }
    for layer in data.plan.layers.values() {
        let text = serde_json::to_string(&layer_json(layer))
            .map_err(|e| format!("layer {} could not be written: {e}", layer.id))?;
        write(&format!("{}.geojson", layer.id), &text)?;
    }
    Ok(())
}
