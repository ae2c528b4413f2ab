//! Reading the vector tables of an open GeoPackage.

use std::path::Path;
use std::sync::atomic::Ordering;

use rusqlite::types::ValueRef;
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::{Number, Value};

use crate::model::attributes::FieldLayout;

use super::{blob, quote_ident, sql_error};
use crate::io::error::IoError;
use crate::io::formats::{
    DataFeature, DataTable, DeclaredCrs, Field, FieldKind, Progress, ReadOptions,
};

/// A `features` table of `gpkg_contents` with its geometry column.
#[derive(Debug)]
struct VectorTable {
    name: String,
    geometry_column: String,
    srs_id: i64,
}

/// What `gpkg_contents` lists.
#[derive(Debug, Default)]
struct Catalogue {
    vector: Vec<VectorTable>,
    /// Tables of other data types (`tiles`, `attributes`, …) with their type, for the error of
    /// a GeoPackage without vector tables.
    other: Vec<(String, String)>,
}

pub(super) fn read_tables(
    conn: &Connection,
    path: &Path,
    options: &ReadOptions,
) -> Result<Vec<DataTable>, IoError> {
    let catalogue = catalogue(conn, path)?;
    let chosen = choose(catalogue, options.table.as_deref(), path)?;
    let mut progress = RowProgress::new(conn, path, &chosen, options.progress)?;
    chosen
        .iter()
        .map(|t| read_table(conn, path, t, &mut progress))
        .collect()
}

fn table_exists(conn: &Connection, path: &Path, name: &str) -> Result<bool, IoError> {
    conn.query_row(
        "SELECT 1 FROM sqlite_master WHERE type IN ('table', 'view') AND lower(name) = lower(?1)",
        [name],
        |_| Ok(()),
    )
    .optional()
    .map(|found| found.is_some())
    .map_err(|e| sql_error(path, e))
}

fn catalogue(conn: &Connection, path: &Path) -> Result<Catalogue, IoError> {
    if !table_exists(conn, path, "gpkg_contents")? {
        return Err(IoError::invalid(
            path,
            "is an SQLite database but not a GeoPackage: it has no gpkg_contents table",
        ));
    }
    let has_geometry_columns = table_exists(conn, path, "gpkg_geometry_columns")?;
    let sql = if has_geometry_columns {
        "SELECT c.table_name, c.data_type, g.column_name, g.srs_id FROM gpkg_contents c \
         LEFT JOIN gpkg_geometry_columns g ON lower(g.table_name) = lower(c.table_name) \
         ORDER BY c.rowid"
    } else {
        "SELECT table_name, data_type, NULL, NULL FROM gpkg_contents ORDER BY rowid"
    };
    let mut stmt = conn.prepare(sql).map_err(|e| sql_error(path, e))?;
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, Option<i64>>(3)?,
            ))
        })
        .map_err(|e| sql_error(path, e))?;
    let mut catalogue = Catalogue::default();
    for row in rows {
        let (name, data_type, column, srs_id) = row.map_err(|e| sql_error(path, e))?;
        if data_type != "features" {
            catalogue.other.push((name, data_type));
            continue;
        }
        let (Some(geometry_column), Some(srs_id)) = (column, srs_id) else {
            return Err(IoError::invalid(
                path,
                format!(
                    "table {name} is listed as features in gpkg_contents but has no row in gpkg_geometry_columns (the GeoPackage is damaged)"
                ),
            ));
        };
        catalogue.vector.push(VectorTable {
            name,
            geometry_column,
            srs_id,
        });
    }
    Ok(catalogue)
}

/// The tables to read: all vector tables, or the one asked for.
fn choose(
    catalogue: Catalogue,
    wanted: Option<&str>,
    path: &Path,
) -> Result<Vec<VectorTable>, IoError> {
    if catalogue.vector.is_empty() {
        let what = if catalogue.other.is_empty() {
            "its gpkg_contents lists no table at all".to_owned()
        } else {
            let list: Vec<String> = catalogue
                .other
                .iter()
                .map(|(name, kind)| format!("{name} ({kind})"))
                .collect();
            format!("it only has {}", list.join(", "))
        };
        return Err(IoError::invalid(
            path,
            format!("is a GeoPackage without any vector (features) table: {what}"),
        ));
    }
    let Some(wanted) = wanted else {
        return Ok(catalogue.vector);
    };
    let names: Vec<String> = catalogue.vector.iter().map(|t| t.name.clone()).collect();
    let found = catalogue
        .vector
        .into_iter()
        .find(|t| t.name == wanted || t.name.eq_ignore_ascii_case(wanted));
    match found {
        Some(t) => Ok(vec![t]),
        None => Err(IoError::invalid(
            path,
            format!(
                "has no vector table named {wanted}; its vector tables are: {}",
                names.join(", ")
            ),
        )),
    }
}

/// A column of a table as SQLite declares it.
struct Column {
    name: String,
    declared: String,
    primary_key: bool,
}

fn columns(conn: &Connection, path: &Path, table: &str) -> Result<Vec<Column>, IoError> {
    let mut stmt = conn
        .prepare("SELECT name, type, pk FROM pragma_table_info(?1)")
        .map_err(|e| sql_error(path, e))?;
    let rows = stmt
        .query_map([table], |r| {
            Ok(Column {
                name: r.get(0)?,
                declared: r.get::<_, Option<String>>(1)?.unwrap_or_default(),
                primary_key: r.get::<_, i64>(2)? == 1,
            })
        })
        .map_err(|e| sql_error(path, e))?;
    rows.collect::<Result<_, _>>()
        .map_err(|e| sql_error(path, e))
}

/// The kind of a field from its declared SQL type (GeoPackage 1.4, table 1), or `None` for a
/// BLOB, which has no place in a table of attributes.
pub(super) fn kind_of_declared(declared: &str) -> Option<FieldKind> {
    let upper = declared.trim().to_ascii_uppercase();
    // TEXT(50), VARCHAR(12): the length does not change the kind.
    let base = upper.split('(').next().unwrap_or_default().trim();
    Some(match base {
        "BOOLEAN" => FieldKind::Boolean,
        "TINYINT" | "SMALLINT" | "MEDIUMINT" | "INT" | "INTEGER" | "BIGINT" => FieldKind::Integer,
        "FLOAT" | "DOUBLE" | "REAL" | "NUMERIC" => FieldKind::Real,
        "DATE" => FieldKind::Date,
        "BLOB" => return None,
        // TEXT, DATETIME (kept as written: 2024-05-01T08:00:00Z) and anything else.
        _ => FieldKind::Text,
    })
}

/// The CRS a table's `srs_id` names: an EPSG code where the organization is EPSG, else the
/// WKT definition, else (srs_id 0 and -1, "undefined" geographic and Cartesian) nothing.
fn declared_crs(conn: &Connection, path: &Path, srs_id: i64) -> Result<DeclaredCrs, IoError> {
    let row = conn
        .query_row(
            "SELECT organization, organization_coordsys_id, definition FROM gpkg_spatial_ref_sys WHERE srs_id = ?1",
            [srs_id],
            |r| {
                Ok((
                    r.get::<_, Option<String>>(0)?,
                    r.get::<_, Option<i64>>(1)?,
                    r.get::<_, Option<String>>(2)?,
                ))
            },
        )
        .optional()
        .map_err(|e| sql_error(path, e))?;
    let Some((organization, code, definition)) = row else {
        return Err(IoError::invalid(
            path,
            format!("srs_id {srs_id} is used by a table but not defined in gpkg_spatial_ref_sys"),
        ));
    };
    let epsg = organization
        .filter(|o| o.trim().eq_ignore_ascii_case("EPSG"))
        .and(code)
        .and_then(|c| u32::try_from(c).ok())
        .filter(|&c| c > 0);
    if let Some(code) = epsg {
        return Ok(DeclaredCrs::Epsg(code));
    }
    Ok(match definition.map(|d| d.trim().to_owned()) {
        Some(wkt) if !wkt.is_empty() && !wkt.eq_ignore_ascii_case("undefined") => {
            DeclaredCrs::Wkt(wkt)
        }
        _ => DeclaredCrs::Unknown,
    })
}

/// How far reading got, in rows, shown as the share of the file's bytes; and Cancel.
struct RowProgress<'a> {
    progress: Option<&'a Progress>,
    file_size: u64,
    total_rows: u64,
    done_rows: u64,
}

impl<'a> RowProgress<'a> {
    fn new(
        conn: &Connection,
        path: &Path,
        tables: &[VectorTable],
        progress: Option<&'a Progress>,
    ) -> Result<Self, IoError> {
        let mut total_rows = 0u64;
        if progress.is_some() {
            for t in tables {
                let sql = format!("SELECT count(*) FROM {}", quote_ident(&t.name));
                let n: i64 = conn
                    .query_row(&sql, [], |r| r.get(0))
                    .map_err(|e| sql_error(path, e))?;
                total_rows = total_rows.saturating_add(u64::try_from(n).unwrap_or(0));
            }
        }
        Ok(Self {
            progress,
            file_size: std::fs::metadata(path).map(|m| m.len()).unwrap_or(0),
            total_rows: total_rows.max(1),
            done_rows: 0,
        })
    }

    /// Counts a row; every few thousand, reports and says whether to stop.
    fn row_done(&mut self, path: &Path) -> Result<(), IoError> {
        self.done_rows += 1;
        let Some(progress) = self.progress else {
            return Ok(());
        };
        if self.done_rows.is_multiple_of(4096) {
            if progress.cancel.load(Ordering::Relaxed) {
                return Err(IoError::Cancelled {
                    path: path.to_owned(),
                });
            }
            let share = self.done_rows.min(self.total_rows) as f64 / self.total_rows as f64;
            let bytes = (self.file_size as f64 * share) as u64;
            progress.bytes_read.store(bytes, Ordering::Relaxed);
        }
        Ok(())
    }
}

fn read_table(
    conn: &Connection,
    path: &Path,
    table: &VectorTable,
    progress: &mut RowProgress,
) -> Result<DataTable, IoError> {
    let name = &table.name;
    let columns = columns(conn, path, name)?;
    if !columns.iter().any(|c| c.name == table.geometry_column) {
        return Err(IoError::invalid(
            path,
            format!(
                "table {name} has no column {} although gpkg_geometry_columns names it",
                table.geometry_column
            ),
        ));
    }
    // The integer primary key is the feature id (GDAL's FID), not an attribute.
    let fid = columns
        .iter()
        .find(|c| c.primary_key && c.declared.eq_ignore_ascii_case("INTEGER"))
        .map(|c| c.name.clone());
    let mut fields = Vec::new();
    let mut skipped = Vec::new();
    for c in &columns {
        if c.name == table.geometry_column || Some(&c.name) == fid.as_ref() {
            continue;
        }
        match kind_of_declared(&c.declared) {
            Some(kind) => fields.push(Field {
                name: c.name.clone(),
                kind,
            }),
            None => skipped.push(format!("field {} (binary data, BLOB) not read", c.name)),
        }
    }
    let mut select = vec![
        fid.as_deref()
            .map_or_else(|| "NULL".to_owned(), quote_ident),
        quote_ident(&table.geometry_column),
    ];
    select.extend(fields.iter().map(|f| quote_ident(&f.name)));
    let order = fid
        .as_deref()
        .map(|f| format!(" ORDER BY {}", quote_ident(f)))
        .unwrap_or_default();
    let sql = format!(
        "SELECT {} FROM {}{order}",
        select.join(", "),
        quote_ident(name)
    );
    let mut stmt = conn.prepare(&sql).map_err(|e| sql_error(path, e))?;
    let mut rows = stmt.query(params![]).map_err(|e| sql_error(path, e))?;
    let mut features = Vec::new();
    let mut notes = Notes::default();
    let layout = FieldLayout::new(&super::super::field_names(&fields));
    while let Some(row) = rows.next().map_err(|e| sql_error(path, e))? {
        let number = row
            .get::<_, Option<i64>>(0)
            .ok()
            .flatten()
            .unwrap_or(features.len() as i64 + 1);
        let geometry = row.get_ref(1).map_err(|e| sql_error(path, e))?;
        let geometry = geometry_of(geometry, &mut notes).map_err(|e| {
            IoError::invalid(
                path,
                format!("table {name}, feature {number}: the geometry {e}"),
            )
        })?;
        let mut values = Vec::with_capacity(fields.len());
        for (i, field) in fields.iter().enumerate() {
            let value = row.get_ref(i + 2).map_err(|e| sql_error(path, e))?;
            values.push(attribute(field.kind, value, &mut notes));
        }
        let attributes = layout.attributes(values);
        features.push(DataFeature {
            geometry,
            attributes,
        });
        progress.row_done(path)?;
    }
    skipped.extend(notes.lines());
    Ok(DataTable {
        name: name.clone(),
        fields,
        features,
        crs: declared_crs(conn, path, table.srs_id)?,
        encoding: None,
        skipped,
    })
}

/// What was read differently from the file, counted for the report.
#[derive(Default)]
struct Notes {
    z_or_m: usize,
    blobs: usize,
    not_finite: usize,
}

impl Notes {
    fn lines(&self) -> Vec<String> {
        let mut lines = Vec::new();
        if self.z_or_m > 0 {
            lines.push(format!(
                "{} geometries with Z or M values: read in 2D (heights and measures dropped)",
                self.z_or_m
            ));
        }
        if self.blobs > 0 {
            lines.push(format!(
                "{} attribute values that are binary data (BLOB): read as empty",
                self.blobs
            ));
        }
        if self.not_finite > 0 {
            lines.push(format!(
                "{} attribute values that are NaN or infinite: read as empty",
                self.not_finite
            ));
        }
        lines
    }
}

fn geometry_of(value: ValueRef, notes: &mut Notes) -> Result<Option<geo::Geometry<f64>>, String> {
    match value {
        ValueRef::Null => Ok(None),
        ValueRef::Blob(bytes) => {
            let decoded = blob::decode(bytes)?;
            if decoded.had_z_or_m {
                notes.z_or_m += 1;
            }
            Ok(decoded.geometry)
        }
        _ => Err("is not a geometry blob (it is a number or text)".into()),
    }
}

/// One attribute value as JSON, typed by its field (SQLite stores any type in any column; a
/// value that does not fit its field is kept as it is).
fn attribute(kind: FieldKind, value: ValueRef, notes: &mut Notes) -> Value {
    match value {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) if kind == FieldKind::Boolean => Value::Bool(i != 0),
        ValueRef::Integer(i) => Value::Number(i.into()),
        ValueRef::Real(f) => match Number::from_f64(f) {
            Some(n) if kind == FieldKind::Boolean => Value::Bool(n.as_f64() != Some(0.0)),
            Some(n) => Value::Number(n),
            None => {
                notes.not_finite += 1;
                Value::Null
            }
        },
        ValueRef::Text(bytes) => Value::String(String::from_utf8_lossy(bytes).into_owned()),
        ValueRef::Blob(_) => {
            notes.blobs += 1;
            Value::Null
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declared_types_give_field_kinds() {
        for (declared, kind) in [
            ("INTEGER", Some(FieldKind::Integer)),
            ("MEDIUMINT", Some(FieldKind::Integer)),
            ("REAL", Some(FieldKind::Real)),
            ("DOUBLE", Some(FieldKind::Real)),
            ("TEXT", Some(FieldKind::Text)),
            ("TEXT(50)", Some(FieldKind::Text)),
            ("boolean", Some(FieldKind::Boolean)),
            ("DATE", Some(FieldKind::Date)),
            ("DATETIME", Some(FieldKind::Text)),
            ("", Some(FieldKind::Text)),
            ("BLOB", None),
        ] {
            assert_eq!(kind_of_declared(declared), kind, "{declared}");
        }
    }
}
