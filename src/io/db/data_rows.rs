//! Embedded data layers as feature rows, for QGIS: each feature of a data layer kept in the
//! project (its GeoJSON) is a row of `onemap.data_features`, with a PostGIS geometry, and the
//! views `data_points`, `data_lines` and `data_polygons` show the current ones.
//!
//! The layer's own item (its GeoJSON text, verbatim) stays what a project is read back from,
//! so a project round-trips exactly; the rows are written from it in the same transaction,
//! versioned like every other row, whenever the layer changes.

use std::path::Path;

use postgres::Transaction;

use super::DbError;
use crate::io::geojson_reader::{self as reader, PropertiesMode};
use crate::model::project::{SketchLayer, SketchSource};

/// The item keys of data layers: `sketch_layers/ID`.
const PREFIX: &str = "sketch_layers/";

/// The rows of the data layers' features, as columns for one multi-row insert.
#[derive(Default)]
struct Rows {
    item_key: Vec<String>,
    layer_name: Vec<String>,
    position: Vec<i32>,
    label: Vec<Option<String>>,
    properties: Vec<String>,
    wkb: Vec<Vec<u8>>,
}

impl Rows {
    /// Adds the features of the data layer whose item is `text`, if it is embedded. Features
    /// the reader refuses are left out here (the app reports them when it opens the layer).
    fn add(&mut self, key: &str, text: &str) -> Result<(), DbError> {
        let bad = |message: String| DbError::BadRow {
            project: String::new(),
            table: "data_features",
            key: key.into(),
            message,
        };
        let layer: SketchLayer =
            serde_json::from_str(text).map_err(|e| bad(format!("is not a data layer: {e}")))?;
        let SketchSource::Embedded(geojson) = &layer.source else {
            return Ok(());
        };
        let name = format!("data layer {}", &key[PREFIX.len()..]);
        let file = reader::read_str(Path::new(&name), geojson, PropertiesMode::Keep, |f| f)
            .map_err(|e| bad(e.to_string()))?;
        for (position, feature) in file.features.into_iter().enumerate() {
            let label = layer.label_field.as_ref().and_then(|field| {
                feature.properties.get(field).map(|v| match v {
                    serde_json::Value::String(s) => s.clone(),
                    other => other.to_string(),
                })
            });
            let mut wkb = Vec::new();
            let options = wkb::writer::WriteOptions {
                endianness: wkb::Endianness::LittleEndian,
            };
            wkb::writer::write_geometry(&mut wkb, &feature.geometry, &options)
                .map_err(|e| bad(e.to_string()))?;
            self.item_key.push(key.into());
            self.layer_name.push(layer.name.clone());
            self.position
                .push(i32::try_from(position).map_err(|_| bad("too many features".into()))?);
            self.label.push(label);
            self.properties
                .push(serde_json::to_string(&feature.properties).map_err(|e| bad(e.to_string()))?);
            self.wkb.push(wkb);
        }
        Ok(())
    }
}

/// Replaces the feature rows of the data layers whose items a save closed (`closed`) or
/// writes (`written`: key and item text); returns how many rows were closed or written.
pub(super) fn replace_data_features(
    tx: &mut Transaction<'_>,
    project_id: i32,
    revision: i32,
    closed: &[String],
    written: &[(&String, &String)],
) -> Result<usize, DbError> {
    let closed: Vec<&String> = closed.iter().filter(|k| k.starts_with(PREFIX)).collect();
    let mut count = 0;
    if !closed.is_empty() {
        count += tx
            .execute(
                "UPDATE onemap.data_features SET valid_to = $2 \
                 WHERE project_id = $1 AND item_key = ANY($3) AND valid_to IS NULL",
                &[&project_id, &revision, &closed],
            )
            .map_err(|e| DbError::server("could not replace rows of data_features", &e))?;
    }
    let mut rows = Rows::default();
    for (key, text) in written.iter().filter(|(k, _)| k.starts_with(PREFIX)) {
        rows.add(key, text)?;
    }
    if rows.item_key.is_empty() {
        return Ok(usize::try_from(count).unwrap_or(usize::MAX));
    }
    tx.execute(
        "INSERT INTO onemap.data_features (project_id, item_key, valid_from, layer_name, \
         position, label, properties, geom) \
         SELECT $1, k, $2, n, p, l, props::jsonb, ST_GeomFromWKB(g, 4326) \
         FROM unnest($3::text[], $4::text[], $5::int4[], $6::text[], $7::text[], $8::bytea[]) \
         AS t(k, n, p, l, props, g)",
        &[
            &project_id,
            &revision,
            &rows.item_key,
            &rows.layer_name,
            &rows.position,
            &rows.label,
            &rows.properties,
            &rows.wkb,
        ],
    )
    .map_err(|e| DbError::server("could not write the data layers' features", &e))?;
    Ok(usize::try_from(count).unwrap_or(usize::MAX) + rows.item_key.len())
}
