//! GeoJSON through the one reader (`io::geojson_reader`) and the `geojson` crate's writer.
//! RFC 7946 GeoJSON is WGS84; the fields are inferred from the properties.

use std::path::Path;

use serde_json::Value;

use super::{
    Attributes, DataFeature, DataTable, DeclaredCrs, Field, FieldKind, ReadOptions, WriteOptions,
};
use crate::io::error::IoError;
use crate::io::geojson_import::ImportedFeature;
use crate::io::geojson_reader::{self as reader, PropertiesMode};

pub fn read(path: &Path, options: &ReadOptions) -> Result<Vec<DataTable>, IoError> {
    let default_progress = super::Progress::default();
    let read_options = reader::ReadOptions {
        progress: Some(options.progress.unwrap_or(&default_progress)),
        allow_projected: true,
        ..reader::ReadOptions::new(PropertiesMode::Keep)
    };
    let file = reader::read_file(path, &read_options, |f| DataFeature {
        geometry: Some(f.geometry),
        attributes: f.properties.into(),
    })?;
    let features = file.features;
    Ok(vec![DataTable {
        name: table_name(path),
        fields: infer_fields(features.iter().map(|f| &f.attributes)),
        crs: declared_crs(path, &features),
        features,
        encoding: None,
        skipped: file
            .report
            .problems
            .iter()
            .map(ToString::to_string)
            .collect(),
    }])
}

/// RFC 7946 GeoJSON is WGS84. Older GeoJSON (as GDAL writes it for a projected layer) names
/// its CRS in a `crs` member, `urn:ogc:def:crs:EPSG::4528`; coordinates beyond ±180/±90 with
/// no such member are in a CRS nobody declared.
fn declared_crs(path: &Path, features: &[DataFeature]) -> DeclaredCrs {
    if let Some(code) = crs_member_epsg(path) {
        return DeclaredCrs::Epsg(code);
    }
    let projected = features
        .iter()
        .filter_map(|f| f.geometry.as_ref())
        .any(|g| {
            use geo::CoordsIter;
            g.coords_iter()
                .any(|c| c.x.abs() > 180.0 || c.y.abs() > 90.0)
        });
    if projected {
        DeclaredCrs::Unknown
    } else {
        DeclaredCrs::Wgs84ByFormat
    }
}

/// The EPSG code of a `crs` member near the top of the file (GDAL writes it before
/// `features`), from its name: `urn:ogc:def:crs:EPSG::N` or `EPSG:N`. CRS84 is WGS84.
fn crs_member_epsg(path: &Path) -> Option<u32> {
    use std::io::Read;
    let mut head = Vec::new();
    std::fs::File::open(path)
        .ok()?
        .take(4096)
        .read_to_end(&mut head)
        .ok()?;
    let head = String::from_utf8_lossy(&head);
    let crs: String = head[head.find("\"crs\"")?..].chars().take(300).collect();
    if crs.contains("CRS84") {
        return Some(4326);
    }
    let after = &crs[crs.find("EPSG:")? + 5..];
    let digits: String = after
        .trim_start_matches(':')
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// Writes the tables as one FeatureCollection (GeoJSON has no tables), WGS84 only.
pub fn write(path: &Path, tables: &[DataTable], options: &WriteOptions) -> Result<(), IoError> {
    if options.crs_epsg.is_some_and(|c| c != 4326) || options.crs_wkt.is_some() {
        return Err(IoError::invalid(
            path,
            "GeoJSON is always WGS84 (RFC 7946); choose another format to write a projected CRS",
        ));
    }
    // GeoJSON has no tables: with several, each feature says which it came from.
    let several = tables.len() > 1;
    let features: Vec<ImportedFeature> = tables
        .iter()
        .flat_map(|t| t.features.iter().map(move |f| (t, f)))
        .filter_map(|(t, f)| {
            let mut properties = f.attributes.to_map();
            if several {
                properties
                    .entry("layer")
                    .or_insert_with(|| Value::String(t.name.clone()));
            }
            Some(ImportedFeature {
                geometry: f.geometry.clone()?,
                properties: properties.into(),
                id: None,
            })
        })
        .collect();
    let collection = crate::io::geojson_import::to_feature_collection(&features);
    let text = serde_json::to_string_pretty(&collection)
        .map_err(|e| IoError::invalid(path, e.to_string()))?;
    crate::io::atomic::atomic_write(path, text.as_bytes(), false)
}

/// The table name of a one-table file: its file stem.
pub(crate) fn table_name(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Fields in the order their names first appear, each typed by the values it holds: integers
/// only → Integer, numbers → Real, booleans → Boolean, anything else → String.
pub(crate) fn infer_fields<'a>(rows: impl Iterator<Item = &'a Attributes>) -> Vec<Field> {
    let mut fields: Vec<Field> = Vec::new();
    let mut kinds: Vec<Option<FieldKind>> = Vec::new();
    for row in rows {
        for (name, value) in row {
            let i = match fields.iter().position(|f| &f.name == name) {
                Some(i) => i,
                None => {
                    fields.push(Field {
                        name: name.clone(),
                        kind: FieldKind::Text,
                    });
                    kinds.push(None);
                    fields.len() - 1
                }
            };
            kinds[i] = merge_kind(kinds[i], value);
        }
    }
    for (field, kind) in fields.iter_mut().zip(kinds) {
        field.kind = kind.unwrap_or(FieldKind::Text);
    }
    fields
}

fn merge_kind(so_far: Option<FieldKind>, value: &Value) -> Option<FieldKind> {
    let this = match value {
        Value::Null => return so_far,
        Value::Bool(_) => FieldKind::Boolean,
        Value::Number(n) if n.is_i64() || n.is_u64() => FieldKind::Integer,
        Value::Number(_) => FieldKind::Real,
        _ => FieldKind::Text,
    };
    Some(match (so_far, this) {
        (None, k) => k,
        (Some(a), b) if a == b => a,
        (Some(FieldKind::Integer), FieldKind::Real)
        | (Some(FieldKind::Real), FieldKind::Integer) => FieldKind::Real,
        _ => FieldKind::Text,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn fields_are_typed_by_their_values() {
        let rows: Vec<Attributes> = vec![
            json!({"名称": "苏州", "n": 1, "x": 1, "ok": true}),
            json!({"名称": "无锡", "n": 2, "x": 1.5, "ok": null, "extra": "a"}),
        ]
        .into_iter()
        .map(|v| v.as_object().cloned().unwrap_or_default().into())
        .collect();
        let fields = infer_fields(rows.iter());
        let got: Vec<(&str, FieldKind)> =
            fields.iter().map(|f| (f.name.as_str(), f.kind)).collect();
        assert_eq!(
            got,
            // In the order the properties first appear in the rows (each row's keys in
            // serde_json's order).
            vec![
                ("n", FieldKind::Integer),
                ("ok", FieldKind::Boolean),
                ("x", FieldKind::Real),
                ("名称", FieldKind::Text),
                ("extra", FieldKind::Text),
            ]
        );
    }
}
