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

use super::encoding::{display_name, guess};
use super::geojson::table_name;
use super::{
    CsvColumns, DataFeature, DataTable, DeclaredCrs, EncodingSource, Field, Progress, ReadOptions,
    TextEncoding,
};
use crate::io::error::IoError;
use crate::model::attributes::FieldLayout;
use columns::GeometryColumns;
pub use write::write;

/// The delimiters a CSV may use, in order of preference when several fit.
const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

pub fn read(path: &Path, options: &ReadOptions) -> Result<Vec<DataTable>, IoError> {
    read_with_layout(path, options).0
}

/// What a CSV's header holds: every column, and the ones the reader found the coordinates in.
/// The import dialog lists the columns so that the user can pick the X and Y ones, also when
/// the reader found none.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CsvLayout {
    /// The column names in the file's order (made unique and non-empty, as the fields are).
    pub header: Vec<String>,
    /// The geometry columns found by their names and values, whether or not the user chose
    /// others; `None` when nothing fits.
    pub detected: Option<Detected>,
    /// The text encoding the header was read with.
    pub encoding: TextEncoding,
}

/// Where the reader found a CSV's geometry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Detected {
    /// Longitude and latitude columns (`lon`/`lat`, `经度`/`纬度` …).
    LonLat { x: String, y: String },
    /// Planar columns (`x`/`y`, `easting`/`northing` …): `x` is the easting. `swapped` when
    /// the header's X holds the northings (survey order), so that `x` here is its Y.
    Xy { x: String, y: String, swapped: bool },
    /// A column of WKT geometries.
    Wkt(String),
}

impl Detected {
    /// The x (easting, longitude) and y columns, for a pair.
    pub fn pair(&self) -> Option<(&str, &str)> {
        match self {
            Self::LonLat { x, y } | Self::Xy { x, y, .. } => Some((x, y)),
            Self::Wkt(_) => None,
        }
    }
}

/// [`read`], with the header and what was detected in it whenever the header could be read:
/// also when the table is refused (no coordinate columns, a chosen column that is missing or
/// holds words, Cancel).
pub fn read_with_layout(
    path: &Path,
    options: &ReadOptions,
) -> (Result<Vec<DataTable>, IoError>, Option<CsvLayout>) {
    let mut layout = None;
    let tables = read_table(path, options, &mut layout).map(|table| vec![table]);
    (tables, layout)
}

fn read_table(
    path: &Path,
    options: &ReadOptions,
    layout: &mut Option<CsvLayout>,
) -> Result<DataTable, IoError> {
    let bytes = std::fs::read(path).map_err(|e| IoError::read(path, e))?;
    let progress = Reporter::new(path, options.progress, bytes.len() as u64);
    let (text, encoding) = decode(path, &bytes, options.encoding)?;
    drop(bytes);
    let (header, rows, lines) = records(path, &text, &progress)?;
    drop(text);
    let detected = columns::detect(&header, &rows);
    *layout = Some(CsvLayout {
        detected: detected.as_ref().map(|g| described(&header, g)),
        header: header.clone(),
        encoding,
    });
    progress.check()?;
    let geometry = match &options.csv_columns {
        Some(chosen) => chosen_columns(path, &header, chosen)?,
        None => detected.ok_or_else(|| no_coordinates(path, &header))?,
    };
    let (features, fields, skipped) = features(path, &header, rows, &lines, &geometry, &progress)?;
    progress.done();
    Ok(DataTable {
        name: table_name(path),
        fields,
        features,
        crs: DeclaredCrs::Unknown,
        encoding: Some(encoding),
        skipped,
    })
}

/// Detected geometry columns by name.
fn described(header: &[String], geometry: &GeometryColumns) -> Detected {
    let name = |i: usize| header.get(i).cloned().unwrap_or_default();
    match *geometry {
        GeometryColumns::Wkt(i) => Detected::Wkt(name(i)),
        GeometryColumns::Xy { x, y, swapped } => {
            if !swapped && columns::is_longitude(&name(x)) {
                Detected::LonLat {
                    x: name(x),
                    y: name(y),
                }
            } else {
                Detected::Xy {
                    x: name(x),
                    y: name(y),
                    swapped,
                }
            }
        }
    }
}

/// How many rows are read or converted between two progress reports and looks at Cancel.
const PROGRESS_EVERY: usize = 4096;

/// The share of the progress bar the parsing of the rows takes; converting them into
/// features (typing the columns, parsing the numbers) takes the rest. An even split, as both
/// passes go over every row once (not measured: the bar moves forward either way).
const PARSE_SHARE: f64 = 0.5;

/// Reports how far the reading is, in bytes of the file, and says whether Cancel was pressed.
/// The rows are parsed from the decoded text, whose positions are mapped onto the file's
/// bytes (a GBK file is shorter than its UTF-8 text); then the conversion of the rows into
/// features fills the rest of the bar.
struct Reporter<'p> {
    path: &'p Path,
    progress: Option<&'p Progress>,
    file_len: u64,
}

impl<'p> Reporter<'p> {
    fn new(path: &'p Path, progress: Option<&'p Progress>, file_len: u64) -> Self {
        Self {
            path,
            progress,
            file_len,
        }
    }

    /// Stores `share` (0–1) of the file as read, then looks at Cancel.
    fn at(&self, share: f64) -> Result<(), IoError> {
        if let Some(progress) = self.progress {
            let done = (self.file_len as f64 * share.clamp(0.0, 1.0)) as u64;
            progress
                .bytes_read
                .store(done.min(self.file_len), Ordering::Relaxed);
        }
        self.check()
    }

    /// Parsed up to byte `position` of `text_len` bytes of text.
    fn parsed(&self, position: u64, text_len: usize) -> Result<(), IoError> {
        self.at(PARSE_SHARE * position as f64 / text_len.max(1) as f64)
    }

    /// Converted `rows` of `total` rows into features.
    fn converted(&self, rows: usize, total: usize) -> Result<(), IoError> {
        self.at(PARSE_SHARE + (1.0 - PARSE_SHARE) * rows as f64 / total.max(1) as f64)
    }

    /// Cancel pressed: stop.
    fn check(&self) -> Result<(), IoError> {
        match self.progress {
            Some(progress) if progress.cancel.load(Ordering::Relaxed) => Err(IoError::Cancelled {
                path: self.path.to_owned(),
            }),
            _ => Ok(()),
        }
    }

    /// The whole file has been read.
    fn done(&self) {
        if let Some(progress) = self.progress {
            progress.bytes_read.store(self.file_len, Ordering::Relaxed);
        }
    }
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
fn records(path: &Path, text: &str, progress: &Reporter<'_>) -> Result<Records, IoError> {
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
        if rows.len() % PROGRESS_EVERY == 0 {
            progress.parsed(record.position().map_or(0, |p| p.byte()), text.len())?;
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
    progress.parsed(text.len() as u64, text.len())?;
    Ok((header, rows, lines))
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
    progress: &Reporter<'_>,
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
    let layout = FieldLayout::new(
        &fields
            .iter()
            .map(|(_, f)| f.name.as_str())
            .collect::<Vec<_>>(),
    );
    let total = rows.len();
    let mut features = Vec::with_capacity(total);
    let mut without = 0;
    for (i, (row, line)) in rows.into_iter().zip(lines).enumerate() {
        if i % PROGRESS_EVERY == 0 {
            progress.converted(i, total)?;
        }
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
        let attributes = layout.attributes(
            fields
                .iter()
                .map(|(i, f)| columns::value(cell(&row, *i), f.kind)),
        );
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
