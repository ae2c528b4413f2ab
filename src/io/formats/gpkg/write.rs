//! Writing a GeoPackage: one table per [`DataTable`], in the CRS the options name, with its
//! extent in `gpkg_contents`, its geometry type in `gpkg_geometry_columns` and an R-tree
//! spatial index, so that QGIS and GDAL open it as they open their own.
//!
//! SQLite writes into a temporary file beside the target, which is renamed over the target only
//! once complete; on any error the temporary file is removed and the target left as it was.

use std::collections::BTreeSet;
use std::path::Path;

use geo::{BoundingRect, Geometry, Rect};
use rusqlite::types::Value as SqlValue;
use rusqlite::{Connection, params, params_from_iter};
use serde_json::Value;

use super::{blob, quote_ident, schema};
use crate::io::atomic::PendingWrite;
use crate::io::error::IoError;
use crate::io::formats::{DataTable, FieldKind, WriteOptions};

/// The spatial reference system written for every table.
#[derive(Debug, PartialEq)]
struct Srs {
    id: i32,
    name: String,
    organization: &'static str,
    code: i32,
    definition: String,
}

/// srs_id of a CRS without an EPSG code (GDAL uses the same first number).
const CUSTOM_SRS_ID: i32 = 100_000;

impl Srs {
    fn from_options(path: &Path, options: &WriteOptions) -> Result<Self, IoError> {
        let wgs84 = Self {
            id: 4326,
            name: "WGS 84 geodetic".into(),
            organization: "EPSG",
            code: 4326,
            definition: schema::WGS84_WKT.into(),
        };
        let wkt = options
            .crs_wkt
            .as_deref()
            .map(str::trim)
            .filter(|w| !w.is_empty());
        match (options.crs_epsg, wkt) {
            (None | Some(4326), None) | (Some(4326), Some(_)) => Ok(wgs84),
            (Some(code), Some(wkt)) => {
                let id = i32::try_from(code).map_err(|_| {
                    IoError::invalid(path, format!("EPSG:{code} is not a valid code"))
                })?;
                Ok(Self {
                    id,
                    name: wkt_name(wkt).unwrap_or_else(|| format!("EPSG:{code}")),
                    organization: "EPSG",
                    code: id,
                    definition: wkt.into(),
                })
            }
            (Some(code), None) => Err(IoError::invalid(
                path,
                format!(
                    "writing EPSG:{code} into a GeoPackage needs its WKT definition, which was not given"
                ),
            )),
            (None, Some(wkt)) => Ok(Self {
                id: CUSTOM_SRS_ID,
                name: wkt_name(wkt).unwrap_or_else(|| "custom".into()),
                organization: "NONE",
                code: CUSTOM_SRS_ID,
                definition: wkt.into(),
            }),
        }
    }
}

/// The name a WKT gives its CRS: the first quoted string (`PROJCS["CGCS2000 / …",`).
fn wkt_name(wkt: &str) -> Option<String> {
    let start = wkt.find('"')? + 1;
    let len = wkt.get(start..)?.find('"')?;
    wkt.get(start..start + len)
        .map(str::to_owned)
        .filter(|n| !n.is_empty())
}

pub fn write(path: &Path, tables: &[DataTable], options: &WriteOptions) -> Result<(), IoError> {
    let srs = Srs::from_options(path, options)?;
    let pending = PendingWrite::empty_beside(path)?;
    let fail = |e: rusqlite::Error| IoError::invalid(path, format!("could not be written: {e}"));
    let mut conn = Connection::open(pending.path()).map_err(fail)?;
    // The file is new and private until renamed: no journal, and one flush at the end.
    conn.execute_batch("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;")
        .map_err(fail)?;
    conn.pragma_update(None, "application_id", schema::APPLICATION_ID)
        .map_err(fail)?;
    conn.pragma_update(None, "user_version", schema::USER_VERSION)
        .map_err(fail)?;
    let tx = conn.transaction().map_err(fail)?;
    tx.execute_batch(schema::CREATE_CORE).map_err(fail)?;
    insert_srs(&tx, &srs).map_err(fail)?;
    let mut used = BTreeSet::new();
    for table in tables {
        let name = unique(sanitize(&table.name, "layer"), &mut used);
        write_table(&tx, path, table, &name, srs.id)?;
    }
    tx.commit().map_err(fail)?;
    conn.close().map_err(|(_, e)| fail(e))?;
    pending.sync()?;
    pending.commit(false)
}

fn insert_srs(conn: &Connection, srs: &Srs) -> rusqlite::Result<()> {
    let sql = "INSERT INTO gpkg_spatial_ref_sys VALUES (?1, ?2, ?3, ?4, ?5, NULL)";
    let wgs84 = schema::WGS84_WKT;
    conn.execute(sql, params!["WGS 84 geodetic", 4326, "EPSG", 4326, wgs84])?;
    if srs.id != 4326 {
        conn.execute(
            sql,
            params![srs.name, srs.id, srs.organization, srs.code, srs.definition],
        )?;
    }
    Ok(())
}

/// A name SQLite and GeoPackage readers take: no control characters or double quotes, not
/// empty, not one of the reserved prefixes of GeoPackage and SQLite tables.
fn sanitize(name: &str, fallback: &str) -> String {
    let cleaned: String = name
        .trim()
        .chars()
        .map(|c| if c.is_control() || c == '"' { '_' } else { c })
        .collect();
    if cleaned.is_empty() {
        return fallback.to_owned();
    }
    let lower = cleaned.to_lowercase();
    if ["gpkg_", "sqlite_", "rtree_"]
        .iter()
        .any(|p| lower.starts_with(p))
    {
        return format!("t_{cleaned}");
    }
    cleaned
}

/// `name`, or `name_2`, `name_3`, …: SQLite names are unique regardless of ASCII case.
fn unique(name: String, used: &mut BTreeSet<String>) -> String {
    let mut candidate = name.clone();
    let mut n = 1;
    while used.contains(&candidate.to_lowercase()) {
        n += 1;
        candidate = format!("{name}_{n}");
    }
    used.insert(candidate.to_lowercase());
    candidate
}

/// The columns of one table: the feature id, the geometry, then one per field.
struct Columns {
    fid: String,
    geometry: String,
    fields: Vec<String>,
}

impl Columns {
    fn of(table: &DataTable) -> Self {
        let mut used = BTreeSet::new();
        // The fields keep their names where they can; fid and geom give way.
        let fields: Vec<String> = table
            .fields
            .iter()
            .enumerate()
            .map(|(i, f)| unique(sanitize(&f.name, &format!("field_{}", i + 1)), &mut used))
            .collect();
        Self {
            fid: unique("fid".into(), &mut used),
            geometry: unique("geom".into(), &mut used),
            fields,
        }
    }
}

fn sql_type(kind: FieldKind) -> &'static str {
    match kind {
        FieldKind::Integer => "INTEGER",
        FieldKind::Real => "REAL",
        FieldKind::Text => "TEXT",
        FieldKind::Boolean => "BOOLEAN",
        FieldKind::Date => "DATE",
    }
}

/// The geometry type name of `gpkg_geometry_columns`: the one type of all features, else
/// GEOMETRY.
fn geometry_type_name(table: &DataTable) -> &'static str {
    let mut names = table
        .features
        .iter()
        .filter_map(|f| f.geometry.as_ref())
        .map(|g| match g {
            Geometry::Point(_) => "POINT",
            Geometry::Line(_) | Geometry::LineString(_) => "LINESTRING",
            Geometry::Polygon(_) | Geometry::Rect(_) | Geometry::Triangle(_) => "POLYGON",
            Geometry::MultiPoint(_) => "MULTIPOINT",
            Geometry::MultiLineString(_) => "MULTILINESTRING",
            Geometry::MultiPolygon(_) => "MULTIPOLYGON",
            Geometry::GeometryCollection(_) => "GEOMETRYCOLLECTION",
        });
    let Some(first) = names.next() else {
        return "GEOMETRY";
    };
    if names.all(|n| n == first) {
        first
    } else {
        "GEOMETRY"
    }
}

fn write_table(
    conn: &Connection,
    path: &Path,
    table: &DataTable,
    name: &str,
    srs_id: i32,
) -> Result<(), IoError> {
    let fail =
        |e: rusqlite::Error| IoError::invalid(path, format!("could not write table {name}: {e}"));
    let columns = Columns::of(table);
    let mut ddl = vec![
        format!(
            "{} INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL",
            quote_ident(&columns.fid)
        ),
        format!(
            "{} {}",
            quote_ident(&columns.geometry),
            geometry_type_name(table)
        ),
    ];
    for (column, field) in columns.fields.iter().zip(&table.fields) {
        ddl.push(format!("{} {}", quote_ident(column), sql_type(field.kind)));
    }
    conn.execute_batch(&format!(
        "CREATE TABLE {} ({});\n{};",
        quote_ident(name),
        ddl.join(", "),
        schema::create_rtree(name, &columns.geometry)
    ))
    .map_err(fail)?;
    let extent = insert_features(conn, path, table, name, &columns, srs_id)?;
    conn.execute(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, min_x, min_y, max_x, max_y, srs_id) \
         VALUES (?1, 'features', ?1, '', ?2, ?3, ?4, ?5, ?6)",
        params![
            name,
            extent.map(|r| r.min().x),
            extent.map(|r| r.min().y),
            extent.map(|r| r.max().x),
            extent.map(|r| r.max().y),
            srs_id
        ],
    )
    .map_err(fail)?;
    conn.execute(
        "INSERT INTO gpkg_geometry_columns VALUES (?1, ?2, ?3, ?4, 0, 0)",
        params![name, columns.geometry, geometry_type_name(table), srs_id],
    )
    .map_err(fail)?;
    conn.execute(
        "INSERT INTO gpkg_extensions VALUES (?1, ?2, 'gpkg_rtree_index', 'http://www.geopackage.org/spec120/#extension_rtree', 'write-only')",
        params![name, columns.geometry],
    )
    .map_err(fail)?;
    conn.execute_batch(&schema::rtree_triggers(
        name,
        &columns.geometry,
        &columns.fid,
    ))
    .map_err(fail)
}

/// Inserts the rows and their R-tree entries; gives the extent of all geometries.
fn insert_features(
    conn: &Connection,
    path: &Path,
    table: &DataTable,
    name: &str,
    columns: &Columns,
    srs_id: i32,
) -> Result<Option<Rect<f64>>, IoError> {
    let fail =
        |e: rusqlite::Error| IoError::invalid(path, format!("could not write table {name}: {e}"));
    let mut names = vec![quote_ident(&columns.geometry)];
    names.extend(columns.fields.iter().map(|c| quote_ident(c)));
    let marks = vec!["?"; names.len()].join(", ");
    let mut insert = conn
        .prepare(&format!(
            "INSERT INTO {} ({}) VALUES ({marks})",
            quote_ident(name),
            names.join(", ")
        ))
        .map_err(fail)?;
    let mut index = conn
        .prepare(&format!(
            "INSERT INTO {} VALUES (?1, ?2, ?3, ?4, ?5)",
            quote_ident(&schema::rtree_name(name, &columns.geometry))
        ))
        .map_err(fail)?;
    let mut extent: Option<Rect<f64>> = None;
    let mut values: Vec<SqlValue> = Vec::with_capacity(names.len());
    for (number, feature) in table.features.iter().enumerate() {
        let at = |what: String| {
            IoError::invalid(
                path,
                format!("table {name}, feature {}: {what}", number + 1),
            )
        };
        values.clear();
        let bounds = feature.geometry.as_ref().and_then(|g| g.bounding_rect());
        match &feature.geometry {
            Some(g) => {
                let mut bytes = Vec::new();
                blob::encode(g, srs_id, &mut bytes)
                    .map_err(|e| at(format!("the geometry: {e}")))?;
                values.push(SqlValue::Blob(bytes));
            }
            None => values.push(SqlValue::Null),
        }
        for field in &table.fields {
            let value = feature.attributes.get(&field.name).unwrap_or(&Value::Null);
            let typed = sql_value(field.kind, value)
                .map_err(|e| at(format!("field {}: {e}", field.name)))?;
            values.push(typed);
        }
        insert
            .execute(params_from_iter(values.iter()))
            .map_err(fail)?;
        if let Some(r) = bounds {
            let fid = conn.last_insert_rowid();
            index
                .execute(params![fid, r.min().x, r.max().x, r.min().y, r.max().y])
                .map_err(fail)?;
            extent = Some(match extent {
                None => r,
                Some(e) => Rect::new(
                    (e.min().x.min(r.min().x), e.min().y.min(r.min().y)),
                    (e.max().x.max(r.max().x), e.max().y.max(r.max().y)),
                ),
            });
        }
    }
    Ok(extent)
}

/// An attribute value as its field's SQL type. A value that cannot be one is an error that says
/// so, rather than a file GDAL would read wrongly.
fn sql_value(kind: FieldKind, value: &Value) -> Result<SqlValue, String> {
    let not = |what: &str| format!("{value} is not {what}");
    Ok(match (kind, value) {
        (_, Value::Null) => SqlValue::Null,
        (FieldKind::Integer, Value::Number(n)) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => SqlValue::Integer(i),
            (None, Some(f)) if f.fract() == 0.0 && f.abs() < 9.0e15 => SqlValue::Integer(f as i64),
            _ => return Err(not("an integer")),
        },
        (FieldKind::Integer, Value::Bool(b)) => SqlValue::Integer(i64::from(*b)),
        (FieldKind::Integer, Value::String(s)) => {
            SqlValue::Integer(s.trim().parse().map_err(|_| not("an integer"))?)
        }
        (FieldKind::Real, Value::Number(n)) => {
            SqlValue::Real(n.as_f64().ok_or_else(|| not("a number"))?)
        }
        (FieldKind::Real, Value::String(s)) => {
            SqlValue::Real(s.trim().parse().map_err(|_| not("a number"))?)
        }
        (FieldKind::Boolean, Value::Bool(b)) => SqlValue::Integer(i64::from(*b)),
        (FieldKind::Boolean, other) => SqlValue::Integer(match other {
            Value::Number(n) if n.as_i64() == Some(0) => 0,
            Value::Number(n) if n.as_i64() == Some(1) => 1,
            Value::String(s) if matches!(s.trim(), "true" | "1") => 1,
            Value::String(s) if matches!(s.trim(), "false" | "0") => 0,
            _ => return Err(not("true or false")),
        }),
        (FieldKind::Date, Value::String(s)) if is_date(s) => SqlValue::Text(s.clone()),
        (FieldKind::Date, _) => return Err(not("a date (YYYY-MM-DD)")),
        (FieldKind::Text, Value::String(s)) => SqlValue::Text(s.clone()),
        (FieldKind::Text, other) => SqlValue::Text(other.to_string()),
        (FieldKind::Real, _) => return Err(not("a number")),
        (FieldKind::Integer, _) => return Err(not("an integer")),
    })
}

/// `YYYY-MM-DD`, as GeoPackage DATE columns hold (ISO 8601).
fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn table_and_column_names_are_made_safe_and_unique() {
        let mut used = BTreeSet::new();
        assert_eq!(unique(sanitize("站点", "layer"), &mut used), "站点");
        assert_eq!(unique(sanitize("站点", "layer"), &mut used), "站点_2");
        assert_eq!(unique(sanitize("Roads", "layer"), &mut used), "Roads");
        assert_eq!(unique(sanitize("ROADS", "layer"), &mut used), "ROADS_2");
        assert_eq!(sanitize("  ", "layer"), "layer");
        assert_eq!(sanitize("a\"b\nc", "layer"), "a_b_c");
        assert_eq!(sanitize("gpkg_contents", "layer"), "t_gpkg_contents");
    }

    #[test]
    fn a_field_named_fid_or_geom_keeps_its_name() {
        let table = DataTable {
            name: "t".into(),
            fields: vec![
                crate::io::formats::Field {
                    name: "FID".into(),
                    kind: FieldKind::Integer,
                },
                crate::io::formats::Field {
                    name: "geom".into(),
                    kind: FieldKind::Text,
                },
            ],
            features: vec![],
            crs: crate::io::formats::DeclaredCrs::Unknown,
            encoding: None,
            skipped: vec![],
        };
        let c = Columns::of(&table);
        assert_eq!(c.fields, ["FID", "geom"]);
        assert_eq!(c.fid, "fid_2");
        assert_eq!(c.geometry, "geom_2");
    }

    #[test]
    fn values_are_typed_by_their_field() {
        use FieldKind::*;
        assert_eq!(sql_value(Integer, &json!(3)), Ok(SqlValue::Integer(3)));
        assert_eq!(sql_value(Integer, &json!(3.0)), Ok(SqlValue::Integer(3)));
        assert_eq!(sql_value(Integer, &json!("12")), Ok(SqlValue::Integer(12)));
        assert!(sql_value(Integer, &json!(3.5)).is_err());
        assert!(
            sql_value(Integer, &json!("三"))
                .unwrap_err()
                .contains("not an integer")
        );
        assert_eq!(sql_value(Real, &json!(2)), Ok(SqlValue::Real(2.0)));
        assert_eq!(sql_value(Boolean, &json!(true)), Ok(SqlValue::Integer(1)));
        assert!(sql_value(Boolean, &json!("yes")).is_err());
        assert_eq!(
            sql_value(Date, &json!("2022-03-01")),
            Ok(SqlValue::Text("2022-03-01".into()))
        );
        assert!(sql_value(Date, &json!("2022/03/01")).is_err());
        assert_eq!(
            sql_value(Text, &json!(1.5)),
            Ok(SqlValue::Text("1.5".into()))
        );
        assert_eq!(sql_value(Text, &json!(null)), Ok(SqlValue::Null));
    }

    #[test]
    fn the_srs_comes_from_the_options() {
        let p = Path::new("out.gpkg");
        let wgs = Srs::from_options(p, &WriteOptions::default()).unwrap();
        assert_eq!((wgs.id, wgs.organization), (4326, "EPSG"));
        let gk = Srs::from_options(
            p,
            &WriteOptions {
                crs_epsg: Some(4549),
                crs_wkt: Some(
                    r#"PROJCS["CGCS2000 / 3-degree Gauss-Kruger CM 120E",GEOGCS[…]]"#.into(),
                ),
                ..WriteOptions::default()
            },
        )
        .unwrap();
        assert_eq!((gk.id, gk.code), (4549, 4549));
        assert_eq!(gk.name, "CGCS2000 / 3-degree Gauss-Kruger CM 120E");
        let custom = Srs::from_options(
            p,
            &WriteOptions {
                crs_wkt: Some(r#"PROJCS["local",…]"#.into()),
                ..WriteOptions::default()
            },
        )
        .unwrap();
        assert_eq!((custom.id, custom.organization), (CUSTOM_SRS_ID, "NONE"));
        let e = Srs::from_options(
            p,
            &WriteOptions {
                crs_epsg: Some(4549),
                ..WriteOptions::default()
            },
        )
        .unwrap_err();
        assert!(e.to_string().contains("needs its WKT"), "{e}");
    }
}
