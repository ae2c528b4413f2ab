//! Writing one table as CSV: points as two coordinate columns (`lon`, `lat` for geographic
//! coordinates, else `X`, `Y`), any other geometry as a `WKT` column first (GDAL's
//! `GEOMETRY=AS_WKT`), then the fields in order.
//!
//! The text is UTF-8 with a byte-order mark unless GBK (or another encoding) is asked for:
//! Excel on a Chinese Windows reads a CSV without a BOM in the ANSI code page (GBK) and shows
//! UTF-8 Chinese as mojibake, while with the BOM it reads UTF-8; GDAL, QGIS and pandas skip
//! the BOM. Lines end with CRLF, as Excel writes them. The file is written atomically.

use std::path::Path;

use geo::{CoordsIter, Geometry};
use serde_json::Value;
use wkt::ToWkt;

use crate::io::error::IoError;
use crate::io::formats::encoding::display_name;
use crate::io::formats::{DataFeature, DataTable, WriteOptions};

/// Where the geometry goes.
enum Layout {
    None,
    Xy { x: &'static str, y: &'static str },
    Wkt,
}

impl Layout {
    fn of(table: &DataTable, options: &WriteOptions) -> Self {
        let mut geometries = table.features.iter().filter_map(|f| f.geometry.as_ref());
        let Some(first) = geometries.next() else {
            return Self::None;
        };
        let all_points = matches!(first, Geometry::Point(_))
            && geometries.all(|g| matches!(g, Geometry::Point(_)));
        if !all_points {
            return Self::Wkt;
        }
        let geographic =
            options.crs_wkt.is_none() && options.crs_epsg.is_none_or(|c| c == 4326 || c == 4490);
        if geographic {
            Self::Xy { x: "lon", y: "lat" }
        } else {
            Self::Xy { x: "X", y: "Y" }
        }
    }

    fn columns(&self) -> Vec<&'static str> {
        match self {
            Self::None => vec![],
            Self::Xy { x, y } => vec![x, y],
            Self::Wkt => vec!["WKT"],
        }
    }

    /// The geometry cells of a feature (empty when it has none).
    fn cells(&self, feature: &DataFeature) -> Vec<String> {
        match (self, &feature.geometry) {
            (Self::None, _) => vec![],
            (Self::Xy { .. }, Some(Geometry::Point(p))) => {
                vec![p.x().to_string(), p.y().to_string()]
            }
            (Self::Xy { .. }, _) => vec![String::new(), String::new()],
            (Self::Wkt, Some(g)) => vec![g.wkt_string()],
            (Self::Wkt, None) => vec![String::new()],
        }
    }
}

pub fn write(path: &Path, tables: &[DataTable], options: &WriteOptions) -> Result<(), IoError> {
    let table = match tables {
        [table] => table,
        [] => {
            return Err(IoError::invalid(
                path,
                "cannot be written: there is no table to write",
            ));
        }
        _ => {
            let names: Vec<&str> = tables.iter().map(|t| t.name.as_str()).collect();
            return Err(IoError::invalid(
                path,
                format!(
                    "cannot hold {} tables ({}): a CSV is one table, choose one layer",
                    tables.len(),
                    names.join(", ")
                ),
            ));
        }
    };
    let layout = Layout::of(table, options);
    let mut header: Vec<String> = layout.columns().into_iter().map(str::to_owned).collect();
    let geometry_columns = header.len();
    for field in &table.fields {
        header.push(unique_name(&field.name, &header));
    }
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let csv_error = |e: csv::Error| IoError::invalid(path, format!("cannot be written: {e}"));
    writer.write_record(&header).map_err(csv_error)?;
    for (n, feature) in table.features.iter().enumerate() {
        let finite = feature
            .geometry
            .as_ref()
            .is_none_or(|g| g.coords_iter().all(|c| c.x.is_finite() && c.y.is_finite()));
        if !finite {
            return Err(IoError::invalid(
                path,
                format!(
                    "cannot be written: feature {} has a coordinate that is not a number",
                    n + 1
                ),
            ));
        }
        let mut row = layout.cells(feature);
        row.extend(
            table
                .fields
                .iter()
                .map(|f| cell(feature.attributes.get(&f.name))),
        );
        debug_assert_eq!(row.len(), geometry_columns + table.fields.len());
        writer.write_record(&row).map_err(csv_error)?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| IoError::invalid(path, format!("cannot be written: {e}")))?;
    let text = String::from_utf8(bytes)
        .map_err(|_| IoError::invalid(path, "cannot be written: the table's text is not UTF-8"))?;
    let bytes = encode(path, &text, options.encoding)?;
    crate::io::atomic::atomic_write(path, &bytes, false)
}

/// A field's column name, with `_2`, `_3` … when a geometry column (or an earlier field) has
/// it already, whatever the case.
fn unique_name(name: &str, taken: &[String]) -> String {
    let clashes = |candidate: &str| taken.iter().any(|t| t.eq_ignore_ascii_case(candidate));
    let mut candidate = name.to_owned();
    let mut n = 1;
    while clashes(&candidate) {
        n += 1;
        candidate = format!("{name}_{n}");
    }
    candidate
}

fn cell(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

/// The bytes of the file: UTF-8 with a BOM, or `encoding`, refusing text it cannot hold.
fn encode(
    path: &Path,
    text: &str,
    encoding: Option<&'static encoding_rs::Encoding>,
) -> Result<Vec<u8>, IoError> {
    let encoding = encoding.unwrap_or(encoding_rs::UTF_8);
    if encoding == encoding_rs::UTF_8 {
        let mut bytes = b"\xEF\xBB\xBF".to_vec();
        bytes.extend_from_slice(text.as_bytes());
        return Ok(bytes);
    }
    if encoding.output_encoding() != encoding {
        return Err(IoError::invalid(
            path,
            format!(
                "cannot be written in {}: choose UTF-8 or GBK",
                encoding.name()
            ),
        ));
    }
    let (bytes, _, had_errors) = encoding.encode(text);
    if !had_errors {
        return Ok(bytes.into_owned());
    }
    let (line, c) = text
        .lines()
        .enumerate()
        .find_map(|(i, line)| {
            line.chars()
                .find(|c| encoding.encode(c.encode_utf8(&mut [0; 4])).2)
                .map(|c| (i + 1, c))
        })
        .unwrap_or((0, '?'));
    Err(IoError::invalid(
        path,
        format!(
            "cannot be written in {}: \"{c}\" (line {line}) has no {} code; write UTF-8 instead",
            display_name(encoding),
            display_name(encoding)
        ),
    ))
}
