//! Writing the plan as a project sketches it: one effective layer as GeoJSON ("Export sketch
//! as GeoJSON"), or a whole new plan edition folder ("Apply as new baseline", for the people
//! who maintain the plan data; never automatic). The baseline folder itself is never written.

use std::path::Path;

use serde_json::{Map, Value, json};

use crate::model::PlanFeature;
use crate::model::overrides::EffectivePlan;

use super::atomic::atomic_write;
use super::error::IoError;

fn feature_json(f: &PlanFeature) -> Value {
    let properties: Map<String, Value> = f.properties.clone().into_iter().collect();
    json!({
        "type": "Feature",
        "properties": properties,
        "geometry": geojson::Geometry::new(geojson::Value::from(&f.geometry)),
    })
}

/// The collection's text: the top-level members of `template`, one feature per line.
fn collection_text(
    template: &Map<String, Value>,
    features: &[PlanFeature],
) -> Result<String, IoError> {
    let mut head = template.clone();
    head.remove("features");
    head.insert("type".into(), Value::String("FeatureCollection".into()));
    let mut text = serde_json::to_string(&Value::Object(head))
        .map_err(|e| IoError::invalid(Path::new("layer"), e.to_string()))?;
    text.pop(); // the closing brace: the features go in before it
    text.push_str(if template.len() > 1 {
        ", \"features\": [\n"
    } else {
        "\"features\": [\n"
    });
    for (i, f) in features.iter().enumerate() {
        text.push_str(&feature_json(f).to_string());
        text.push_str(if i + 1 < features.len() { ",\n" } else { "\n" });
    }
    text.push_str("]}\n");
    Ok(text)
}

/// Writes the effective layer `layer` (baseline plus the project's sketches) as GeoJSON.
pub fn write_effective_layer(
    effective: &EffectivePlan,
    layer: &str,
    out: &Path,
) -> Result<usize, IoError> {
    let l = effective
        .plan
        .layer(layer)
        .ok_or_else(|| IoError::invalid(out, format!("the plan has no layer `{layer}`")))?;
    let mut head = Map::new();
    head.insert("name".into(), Value::String(layer.to_owned()));
    head.insert(
        "note".into(),
        Value::String("The plan layer with a OneMap project's sketches applied; sketched features are `status: indicative`.".into()),
    );
    atomic_write(out, collection_text(&head, &l.features)?.as_bytes(), false)?;
    Ok(l.features.len())
}

/// Writes a new plan edition folder at `target`: every file of `layers` copied, the sketched
/// layers rewritten with the sketches applied. `target` must not exist yet.
pub fn write_new_baseline(
    layers: &Path,
    effective: &EffectivePlan,
    changed: &[String],
    target: &Path,
) -> Result<(), IoError> {
    if target.exists() {
        return Err(IoError::invalid(
            target,
            "already exists: a new edition goes into a new folder",
        ));
    }
    std::fs::create_dir_all(target).map_err(|e| IoError::write(target, e))?;
    for entry in std::fs::read_dir(layers).map_err(|e| IoError::read(layers, e))? {
        let path = entry.map_err(|e| IoError::read(layers, e))?.path();
        let Some(name) = path.file_name() else {
            continue;
        };
        let out = target.join(name);
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        if changed.iter().any(|c| c == stem) && path.extension().is_some_and(|e| e == "geojson") {
            let original: Value = serde_json::from_str(
                &std::fs::read_to_string(&path).map_err(|e| IoError::read(&path, e))?,
            )
            .map_err(|e| IoError::json(&path, &e))?;
            let template = original.as_object().cloned().unwrap_or_default();
            let features = effective
                .plan
                .layer(stem)
                .map(|l| l.features.as_slice())
                .unwrap_or(&[]);
            atomic_write(
                &out,
                collection_text(&template, features)?.as_bytes(),
                false,
            )?;
        } else if path.is_file() {
            std::fs::copy(&path, &out).map_err(|e| IoError::write(&out, e))?;
        }
    }
    Ok(())
}
