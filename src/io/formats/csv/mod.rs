//! CSV tables of points (or of any geometry, in a WKT column), read and written with the `csv`
//! crate (RFC 4180 quoting, line breaks inside quotes, as Excel and GDAL write them).
//!
//! Reading: the text encoding is what a byte-order mark says, else the user's choice, else
//! guessed (UTF-8 or GBK, as Excel on a Chinese Windows saves "CSV"); the delimiter is the
//! one of `,` `;` tab `|` that splits the first rows alike; the first row is the header. The
//! geometry comes from the columns the user chose, else from a WKT column or coordinate
//! columns found by their names and values (`columns`). The other columns are fields typed by
//! their values. Rows with empty coordinates are kept without geometry, and counted in the
//! report. No CRS is declared: the caller proposes one from the coordinates.
//!
//! Writing: see `write`.

mod columns;
mod write;

use std::path::Path;
use std::sync::atomic::Ordering;

use csv::StringRecord;
use encoding_rs::Encoding;
use serde_json::Map;

use super::encoding::{display_name, guess};
use super::geojson::table_name;
use super::{
    CsvColumns, DataFeature, DataTable, DeclaredCrs, EncodingSource, Field, ReadOptions,
    TextEncoding,
};
use crate::io::error::IoError;
use columns::GeometryColumns;
pub use write::write;

/// The delimiters a CSV may use, in order of preference when several fit.
const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

pub fn read(path: &Path, options: &ReadOptions) -> Result<Vec<DataTable>, IoError> {
    let bytes = std::fs::read(path).map_err(|e| IoError::read(path, e))?;
    let (text, encoding) = decode(path, &bytes, options.encoding)?;
    drop(bytes);
    let (header, rows, lines) = records(path, &text, options)?;
    drop(text);
    let geometry = match &options.csv_columns {
        Some(chosen) => chosen_columns(path, &header, chosen)?,
        None => columns::detect(&header, &rows).ok_or_else(|| no_coordinates(path, &header))?,
    };
    let (features, fields, skipped) = features(path, &header, rows, &lines, &geometry)?;
    Ok(vec![DataTable {
        name: table_name(path),
        fields,
        features,
        crs: DeclaredCrs::Unknown,
        encoding: Some(encoding),
        skipped,
    }])
}

/// The file's text: decoded as its byte-order mark says, else as chosen, else as guessed.
fn decode(
    path: &Path,
    bytes: &[u8],
    chosen: Option<&'static Encoding>,
) -> Result<(String, TextEncoding), IoError> {
    let bom = Encoding::for_bom(bytes);
    let (encoding, source, body) = match (bom, chosen) {
        (Some((encoding, length)), _) => (encoding, EncodingSource::Declared, &bytes[length..]),
        (None, Some(encoding)) => (encoding, EncodingSource::Chosen, bytes),
        (None, None) => (guess(bytes), EncodingSource::Guessed, bytes),
    };
    let (text, had_errors) = encoding.decode_without_bom_handling(body);
    if had_errors {
        let line = first_bad_line(body, encoding)
            .map(|n| format!(" (line {n})"))
            .unwrap_or_default();
        let what = match source {
            EncodingSource::Guessed => "is neither UTF-8 nor GBK text".to_owned(),
            _ => format!(
                "has bytes that are not valid {} text",
                display_name(encoding)
            ),
        };
        return Err(IoError::invalid(
            path,
            format!("{what}{line}: choose the file's text encoding by hand"),
        ));
    }
    Ok((text.into_owned(), TextEncoding { encoding, source }))
}

/// The first line (1-based) that does not decode, for an encoding whose newline is one byte.
fn first_bad_line(body: &[u8], encoding: &'static Encoding) -> Option<usize> {
    if !encoding.is_ascii_compatible() {
        return None;
    }
    body.split(|&b| b == b'\n')
        .position(|line| encoding.decode_without_bom_handling(line).1)
        .map(|i| i + 1)
}

/// The delimiter that splits the first rows into the same number (more than one) of cells.
fn delimiter(text: &str) -> u8 {
    let score = |delimiter: u8| {
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let lengths: Vec<usize> = reader
            .records()
            .take(50)
            .map_while(Result::ok)
            .map(|r| r.len())
            .collect();
        let header = lengths.first().copied().unwrap_or(0);
        let alike = lengths.iter().filter(|&&n| n == header).count();
        if header > 1 { (alike, header) } else { (0, 0) }
    };
    let mut best = (b',', (0, 0));
    for d in DELIMITERS {
        let s = score(d);
        if s > best.1 {
            best = (d, s);
        }
    }
    best.0
}

/// The rows of a table: the header, the rows (at most as long as the header; a missing cell
/// is empty) and the line each starts on.
type Records = (Vec<String>, Vec<StringRecord>, Vec<usize>);

/// Counts lines up to where each record starts. (The csv crate's own line count lags by one
/// after a CRLF.) A record may be said to start at the newline ending the line before it, so
/// the byte at the start counts too.
struct LineCounter<'a> {
    bytes: &'a [u8],
    counted_to: usize,
    line: usize,
}

impl LineCounter<'_> {
    fn line_at(&mut self, byte: u64) -> usize {
        let end = usize::try_from(byte)
            .map_or(self.bytes.len(), |b| {
                b.saturating_add(1).min(self.bytes.len())
            })
            .max(self.counted_to);
        let newlines = self.bytes[self.counted_to..end]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        self.line += newlines;
        self.counted_to = end;
        self.line
    }
}

/// The header (names made unique and non-empty), the rows and the line each starts on.
fn records(path: &Path, text: &str, options: &ReadOptions) -> Result<Records, IoError> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter(text))
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let header = match records.next() {
        None => return Err(IoError::invalid(path, "is empty: a CSV needs a header row")),
        Some(first) => header_names(first.map_err(|e| csv_error(path, &e))?.iter()),
    };
    let mut rows = Vec::new();
    let mut lines = Vec::new();
    let mut counter = LineCounter {
        bytes: text.as_bytes(),
        counted_to: 0,
        line: 1,
    };
    for record in records {
        let record = record.map_err(|e| csv_error(path, &e))?;
        if rows.len() % 4096 == 0 {
            check_cancel(path, options, record.position().map_or(0, |p| p.byte()))?;
        }
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        let line = counter.line_at(record.position().map_or(0, |p| p.byte()));
        let mut row = record;
        if row.len() > header.len() {
            if row.iter().skip(header.len()).any(|c| !c.trim().is_empty()) {
                return Err(IoError::invalid(
                    path,
                    format!(
                        "line {line} has {} values but the header has {} columns",
                        row.len(),
                        header.len()
                    ),
                ));
            }
            row.truncate(header.len());
        }
        rows.push(row);
        lines.push(line);
    }
    if let Some(progress) = options.progress {
        progress
            .bytes_read
            .store(text.len() as u64, Ordering::Relaxed);
    }
    Ok((header, rows, lines))
}

fn check_cancel(path: &Path, options: &ReadOptions, byte: u64) -> Result<(), IoError> {
    let Some(progress) = options.progress else {
        return Ok(());
    };
    progress.bytes_read.store(byte, Ordering::Relaxed);
    if progress.cancel.load(Ordering::Relaxed) {
        return Err(IoError::Cancelled {
            path: path.to_owned(),
        });
    }
    Ok(())
}

fn csv_error(path: &Path, e: &csv::Error) -> IoError {
    IoError::invalid(path, format!("cannot be read as CSV: {e}"))
}

/// Header cells as field names: trimmed, `field_N` for an empty one, `NAME_2` for a repeat.
fn header_names<'a>(cells: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for (i, cell) in cells.enumerate() {
        let base = match cell.trim() {
            "" => format!("field_{}", i + 1),
            name => name.to_owned(),
        };
        let mut name = base.clone();
        let mut n = 1;
        while names.contains(&name) {
            n += 1;
            name = format!("{base}_{n}");
        }
        names.push(name);
    }
    names
}

/// The columns the user chose, by name (exactly, else ignoring case and spaces).
fn chosen_columns(
    path: &Path,
    header: &[String],
    chosen: &CsvColumns,
) -> Result<GeometryColumns, IoError> {
    let find = |wanted: &str| {
        header.iter().position(|h| h == wanted).or_else(|| {
            let wanted = columns::normalized(wanted);
            header.iter().position(|h| columns::normalized(h) == wanted)
        })
    };
    match (find(&chosen.x), find(&chosen.y)) {
        (Some(x), Some(y)) if x != y => Ok(GeometryColumns::Xy {
            x,
            y,
            swapped: false,
        }),
        _ => Err(IoError::invalid(
            path,
            format!(
                "has no columns \"{}\" and \"{}\" for X and Y; its columns are: {}",
                chosen.x,
                chosen.y,
                header.join(", ")
            ),
        )),
    }
}

fn no_coordinates(path: &Path, header: &[String]) -> IoError {
    IoError::invalid(
        path,
        format!(
            "has no coordinate columns: its columns are {}. Name them lon/lat, 经度/纬度, x/y or \
             WKT (numbers in every row), or choose the X and Y columns when importing",
            header.join(", ")
        ),
    )
}

/// A table's features, fields and report.
type Converted = (Vec<DataFeature>, Vec<Field>, Vec<String>);

/// The features, the fields (every column but the geometry's) and the report.
fn features(
    path: &Path,
    header: &[String],
    rows: Vec<StringRecord>,
    lines: &[usize],
    geometry: &GeometryColumns,
) -> Result<Converted, IoError> {
    let geometry_columns: Vec<usize> = match *geometry {
        GeometryColumns::Xy { x, y, .. } => vec![x, y],
        GeometryColumns::Wkt(i) => vec![i],
    };
    let fields: Vec<(usize, Field)> = (0..header.len())
        .filter(|i| !geometry_columns.contains(i))
        .map(|i| {
            let kind = columns::kind(&rows, i);
            (
                i,
                Field {
                    name: header[i].clone(),
                    kind,
                },
            )
        })
        .collect();
    let mut features = Vec::with_capacity(rows.len());
    let mut without = 0;
    for (row, line) in rows.into_iter().zip(lines) {
        let shape = row_geometry(&row, geometry).map_err(|column| {
            IoError::invalid(
                path,
                format!(
                    "line {line}: {} is \"{}\", not a coordinate",
                    header[column],
                    cell(&row, column).trim()
                ),
            )
        })?;
        without += usize::from(shape.is_none());
        let attributes: Map<String, serde_json::Value> = fields
            .iter()
            .map(|(i, f)| (f.name.clone(), columns::value(cell(&row, *i), f.kind)))
            .collect();
        features.push(DataFeature {
            geometry: shape,
            attributes,
        });
    }
    let mut report = Vec::new();
    if let GeometryColumns::Xy {
        x,
        y,
        swapped: true,
    } = *geometry
    {
        report.push(format!(
            "columns {} and {} read as northing and easting (survey order, X north): \
             {} is taken as the easting",
            header[y], header[x], header[x]
        ));
    }
    match without {
        0 => {}
        1 => report.push("1 row without coordinates kept without geometry".to_owned()),
        n => report.push(format!(
            "{n} rows without coordinates kept without geometry"
        )),
    }
    let fields = fields.into_iter().map(|(_, f)| f).collect();
    Ok((features, fields, report))
}

/// A row's cell, empty where the row is short.
fn cell(row: &StringRecord, i: usize) -> &str {
    row.get(i).unwrap_or("")
}

/// A row's geometry (`None` when its coordinates are empty), or the column that is wrong.
fn row_geometry(
    row: &StringRecord,
    geometry: &GeometryColumns,
) -> Result<Option<geo::Geometry<f64>>, usize> {
    match *geometry {
        GeometryColumns::Wkt(i) => columns::wkt_geometry(cell(row, i)).map_err(|()| i),
        GeometryColumns::Xy { x, y, .. } => {
            let xv = columns::coordinate(cell(row, x)).map_err(|()| x)?;
            let yv = columns::coordinate(cell(row, y)).map_err(|()| y)?;
            Ok(match (xv, yv) {
                (Some(x), Some(y)) => Some(geo::Geometry::Point(geo::Point::new(x, y))),
                _ => None,
            })
        }
    }
}

#[cfg(test)]
mod tests;
