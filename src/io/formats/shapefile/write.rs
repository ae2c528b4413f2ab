//! Writing one table as a Shapefile: `NAME.shp`, `.shx`, `.dbf`, `.prj` and `.cpg` (or all of
//! them in `NAME.zip`). Every file is written in full to a temporary file beside its target
//! first; only then are they renamed into place, so an error leaves nothing behind.

use std::path::{Path, PathBuf};

use encoding_rs::Encoding;
use serde_json::Value;

use super::super::{Attributes, DataTable, Field, WriteOptions, encoding};
use super::{archive, dbf_write, shp_write};
use crate::io::atomic::{PendingWrite, write_temp};
use crate::io::error::IoError;
use crate::model::attributes::FieldLayout;

/// WGS84 as GDAL writes it into a `.prj` (ESRI's WKT 1).
pub const WGS84_PRJ: &str = r#"GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]"#;

/// Spatial indexes of other programs, which would describe the old geometry.
const STALE_INDEXES: &[&str] = &["qix", "sbn", "sbx"];

pub fn write(path: &Path, tables: &[DataTable], options: &WriteOptions) -> Result<(), IoError> {
    let table = match tables {
        [table] => table,
        [] => {
            return Err(IoError::invalid(
                path,
                "nothing to write: no table was given",
            ));
        }
        _ => {
            return Err(IoError::invalid(
                path,
                format!(
                    "a Shapefile holds one table, and {} were given; choose one, or write a GeoPackage",
                    tables.len()
                ),
            ));
        }
    };
    let files = encode(path, table, options)?;
    if archive::is_zip(path) {
        let stem = super::super::geojson::table_name(path);
        let named: Vec<(String, Vec<u8>)> = files
            .into_iter()
            .map(|(ext, bytes)| (format!("{stem}.{ext}"), bytes))
            .collect();
        let zipped = archive::pack(path, &named)?;
        return crate::io::atomic::atomic_write(path, &zipped, false);
    }
    let upper = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.chars().all(|c| c.is_ascii_uppercase()));
    let target = |ext: &str| {
        path.with_extension(if upper {
            ext.to_ascii_uppercase()
        } else {
            ext.to_owned()
        })
    };
    let pending: Vec<PendingWrite> = files
        .iter()
        .map(|(ext, bytes)| write_temp(&target(ext), bytes))
        .collect::<Result<_, _>>()?;
    commit_all(pending, files.iter().map(|(ext, _)| target(ext)).collect())?;
    for ext in STALE_INDEXES {
        let _ = std::fs::remove_file(target(ext));
    }
    Ok(())
}

/// Renames every temporary file into place; when one fails, the ones already renamed are
/// removed again, so that no half set of files is left.
fn commit_all(pending: Vec<PendingWrite>, targets: Vec<PathBuf>) -> Result<(), IoError> {
    let mut done: Vec<PathBuf> = Vec::new();
    for (write, target) in pending.into_iter().zip(targets) {
        if let Err(e) = write.commit(false) {
            for path in &done {
                let _ = std::fs::remove_file(path);
            }
            return Err(e);
        }
        done.push(target);
    }
    Ok(())
}

/// The bytes of every file of the Shapefile, by extension.
fn encode(
    path: &Path,
    table: &DataTable,
    options: &WriteOptions,
) -> Result<Vec<(&'static str, Vec<u8>)>, IoError> {
    let text = options.encoding.unwrap_or(encoding_rs::UTF_8);
    let (cpg, language_driver) = code_page(text);
    let family = shp_write::family(
        path,
        table.features.iter().filter_map(|f| f.geometry.as_ref()),
    )?;
    let (shp, shx) = shp_write::write(
        path,
        family,
        table.features.iter().map(|f| f.geometry.as_ref()),
    )?;
    let today = crate::io::clock::now_rfc3339();
    let dbf_path = path.with_extension("dbf");
    let mut fields = all_fields(table);
    let dbf = if fields.is_empty() {
        // A DBF needs a field; GDAL gives a table without any this one.
        fields.push(Field {
            name: "FID".into(),
            kind: super::super::FieldKind::Integer,
        });
        let fid = FieldLayout::new(&["FID"]);
        let rows: Vec<Attributes> = (0..table.features.len())
            .map(|i| fid.attributes([Value::from(i)]))
            .collect();
        let rows: Vec<&Attributes> = rows.iter().collect();
        dbf_write::write(&dbf_path, &fields, &rows, text, language_driver, &today)?
    } else {
        let rows: Vec<&Attributes> = table.features.iter().map(|f| &f.attributes).collect();
        dbf_write::write(&dbf_path, &fields, &rows, text, language_driver, &today)?
    };
    let prj = prj(path, options)?;
    Ok(vec![
        ("shp", shp),
        ("shx", shx),
        ("dbf", dbf),
        ("prj", prj.into_bytes()),
        ("cpg", cpg.into_bytes()),
    ])
}

/// The `.cpg` text and the language-driver byte of an encoding. GBK is written as code page
/// 936 with language driver 0x4D, which old ArcGIS versions read; UTF-8 has no language driver.
fn code_page(text: &'static Encoding) -> (String, u8) {
    if text == encoding_rs::UTF_8 {
        return ("UTF-8".into(), 0);
    }
    if text == encoding_rs::GBK {
        return ("936".into(), 0x4D);
    }
    let label = encoding::display_name(text);
    let windows = text.name().strip_prefix("windows-").map(str::to_owned);
    let ldid = match windows.as_deref() {
        Some("1252") => 0x03,
        Some("1250") => 0xC8,
        Some("1251") => 0xC9,
        Some("1254") => 0xCA,
        Some("1253") => 0xCB,
        _ => 0,
    };
    (windows.unwrap_or_else(|| label.to_owned()), ldid)
}

/// The table's fields, and any attribute no field names (typed by its values), so that no
/// attribute is dropped.
fn all_fields(table: &DataTable) -> Vec<Field> {
    let mut fields = table.fields.clone();
    let extra: Vec<_> = table
        .features
        .iter()
        .map(|f| {
            f.attributes
                .iter()
                .filter(|(k, _)| !fields.iter().any(|field| &field.name == *k))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect::<Attributes>()
        })
        .collect();
    fields.extend(super::super::geojson::infer_fields(extra.iter()));
    fields
}

fn prj(path: &Path, options: &WriteOptions) -> Result<String, IoError> {
    match (&options.crs_wkt, options.crs_epsg) {
        (Some(wkt), _) => Ok(wkt.clone()),
        (None, None | Some(4326)) => Ok(WGS84_PRJ.to_owned()),
        (None, Some(code)) => Err(IoError::invalid(
            path,
            format!("cannot write EPSG:{code} into a .prj without its WKT definition"),
        )),
    }
}
