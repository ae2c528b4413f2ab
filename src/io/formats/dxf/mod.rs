//! DXF drawings (read only), through IxMilia's `dxf` crate, which parses every version from R12
//! to R2018, ASCII and binary, into typed entities.
//!
//! A drawing becomes one table: LINE, ARC and open polylines are lines, closed polylines,
//! CIRCLE, full ELLIPSE and SOLID are polygons, POINT is a point, TEXT, MTEXT and the ATTRIBs of
//! blocks are points with their words in the `text` field; blocks placed by INSERT are drawn in
//! (the `block` field names the block). Every feature has its CAD layer in `layer` and its DXF
//! type in `entity`. Polyline bulges, arcs, circles and ellipses are linearised (at most 4° a
//! segment, as GDAL does). Everything else (HATCH, SPLINE, DIMENSION, paper-space sheets, …) is
//! counted by type in the table's `skipped` report, never dropped without a word: the crate
//! drops the types it does not model, so a first pass (`scan`) counts what the file holds.
//!
//! The CRS is never declared in a DXF (Chinese planning CAD is usually in Gauss–Krüger metres);
//! the caller proposes one. The text encoding is UTF-8 from R2007 (AC1021) on; before, the
//! header's `$DWGCODEPAGE` says it (ANSI_936 is GBK), except that ANSI_1252, which many
//! programs write whatever the text is, is checked against the bytes (UTF-8 or GBK guessed).
//!
//! With a progress bar, the bar moves while the file is read (the first 5 % of it), during the
//! first pass (to 20 %) and while the entities are parsed and converted, a piece of about 1 MiB
//! at a time (see `chunks`; to 100 %), and Cancel stops the read between two pieces.
//!
//! A drawing with nothing OneMap can show is read as an empty table whose report says why;
//! a file that is not a DXF, is cut short or is malformed is an error naming the file.

mod chunks;
mod convert;
mod geometry;
mod report;
mod scan;
mod shapes;
mod text;

use std::path::Path;

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};

use super::encoding::{display_name, from_label, guess};
use super::geojson::table_name;
use super::progress::{Meter, Stage};
use super::{
    DataFeature, DataTable, DeclaredCrs, EncodingSource, Field, FieldKind, ReadOptions,
    TextEncoding,
};
use crate::io::error::IoError;
use convert::{Converter, budget};
use report::Report;
use scan::{BINARY_SENTINEL, Prescan};
use text::TextDecoder;

/// Where the bar is (per mille of the file's size) when the file has been read, and when the
/// first pass is over: about the shares of the time they take (measured on a 33 MB drawing:
/// 30 ms, 110 ms, then 520 ms to parse and convert).
const READ_PER_MILLE: u64 = 50;
const SCAN_PER_MILLE: u64 = 200;

pub fn read(path: &Path, options: &ReadOptions) -> Result<Vec<DataTable>, IoError> {
    let size = std::fs::metadata(path)
        .map_err(|e| IoError::read(path, e))?
        .len();
    let meter = Meter::new(options.progress, path, size);
    let bytes =
        super::progress::read_file(path, &meter.stage(0, share(size, READ_PER_MILLE), size))?;
    read_metered(path, &bytes, options, &meter)
}

/// Reads the bytes of a DXF file; `path` names it in errors and gives the table its name.
pub fn read_bytes(
    path: &Path,
    bytes: &[u8],
    options: &ReadOptions,
) -> Result<Vec<DataTable>, IoError> {
    let meter = Meter::new(options.progress, path, bytes.len() as u64);
    read_metered(path, bytes, options, &meter)
}

/// `per_mille` thousandths of `total`.
fn share(total: u64, per_mille: u64) -> u64 {
    u64::try_from(u128::from(total) * u128::from(per_mille) / 1000).unwrap_or(total)
}

fn read_metered(
    path: &Path,
    bytes: &[u8],
    options: &ReadOptions,
    meter: &Meter,
) -> Result<Vec<DataTable>, IoError> {
    check_is_dxf(path, bytes)?;
    let (len, total) = (bytes.len() as u64, meter.total());
    let scanned = share(total, SCAN_PER_MILLE);
    let scan = scan::prescan(
        bytes,
        &meter.stage(share(total, READ_PER_MILLE), scanned, len),
    )?;
    let encoding = choose_encoding(&scan, options.encoding);
    let stage = meter.stage(scanned, total, len);
    let (features, mut report) = features(path, bytes, &scan, encoding.encoding, &stage)?;
    meter.done()?;
    report.add_dropped(&scan.entities);
    let mut skipped = report.lines();
    if features.is_empty() && scan.entities.is_empty() {
        skipped.push("the drawing has no entities in its ENTITIES section".to_owned());
    }
    Ok(vec![DataTable {
        name: table_name(path),
        fields: fields(&features),
        features,
        crs: DeclaredCrs::Unknown,
        encoding: Some(encoding),
        skipped,
    }])
}

/// `layer` and `entity` always; `text` and `block` when some feature has them.
fn fields(features: &[DataFeature]) -> Vec<Field> {
    ["layer", "entity", "text", "block"]
        .into_iter()
        .enumerate()
        .filter(|(i, name)| *i < 2 || features.iter().any(|f| f.attributes.contains_key(name)))
        .map(|(_, name)| Field {
            name: name.to_owned(),
            kind: FieldKind::Text,
        })
        .collect()
}

/// Refuses what is plainly not a DXF drawing, with words for the usual mistakes.
fn check_is_dxf(path: &Path, bytes: &[u8]) -> Result<(), IoError> {
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if text.trim_ascii().is_empty() {
        return Err(IoError::invalid(path, "is empty: it holds no DXF drawing"));
    }
    if bytes.starts_with(BINARY_SENTINEL) || bytes.starts_with(b"AutoCAD DXB") {
        return Ok(());
    }
    if (bytes.starts_with(b"AC10") || bytes.starts_with(b"AC1.")) && bytes.contains(&0) {
        return Err(IoError::invalid(
            path,
            "is an AutoCAD DWG drawing, not a DXF: save it as DXF in the CAD program \
             (另存为 DXF) and open that file",
        ));
    }
    let first_line = text
        .split(|&b| b == b'\n')
        .map(<[u8]>::trim_ascii)
        .find(|line| !line.is_empty())
        .unwrap_or_default();
    let is_code = std::str::from_utf8(first_line).is_ok_and(|s| s.parse::<i32>().is_ok());
    if is_code {
        Ok(())
    } else {
        Err(IoError::invalid(
            path,
            "is not a DXF drawing: a DXF starts with the group code 0 and SECTION",
        ))
    }
}

/// The text encoding: the user's choice, else what the drawing's version or code page says,
/// else (nothing, or the catch-all ANSI_1252) a guess from the bytes of its text.
fn choose_encoding(scan: &Prescan, chosen: Option<&'static Encoding>) -> TextEncoding {
    let with = |encoding, source| TextEncoding { encoding, source };
    let utf8_by_version = scan.version_number().is_some_and(|v| v >= 1021);
    // The crate decodes an ASCII drawing of R2007 or later as UTF-8, whatever it is told.
    if utf8_by_version && !scan.binary {
        return with(UTF_8, EncodingSource::Declared);
    }
    if let Some(encoding) = chosen {
        return with(encoding, EncodingSource::Chosen);
    }
    if utf8_by_version {
        return with(UTF_8, EncodingSource::Declared);
    }
    let declared = scan.code_page.as_deref().and_then(from_label);
    if let Some(encoding) = declared.filter(|&e| e != WINDOWS_1252) {
        return with(encoding, EncodingSource::Declared);
    }
    let text = &scan.non_ascii_text;
    let guessed = guess(text);
    let decodes = if guessed == UTF_8 {
        std::str::from_utf8(text).is_ok()
    } else {
        true
    };
    match declared {
        Some(encoding) if text.is_empty() || !decodes => with(encoding, EncodingSource::Declared),
        None if !decodes => with(WINDOWS_1252, EncodingSource::Guessed),
        _ => with(guessed, EncodingSource::Guessed),
    }
}

/// The features of the drawing and the report of what was skipped: piece by piece where the
/// drawing allows it (see `chunks`), else the whole drawing parsed at once.
fn features(
    path: &Path,
    bytes: &[u8],
    scan: &Prescan,
    encoding: &'static Encoding,
    stage: &Stage,
) -> Result<(Vec<DataFeature>, Report), IoError> {
    check_before_parsing(path, scan, encoding)?;
    let decoder = TextDecoder {
        binary: scan.binary,
        encoding,
    };
    let budget = budget(bytes.len());
    if let Some(body) = scan.entities_body.as_ref().filter(|_| scan.complete) {
        match chunks::convert(bytes, scan, body, decoder, stage) {
            Ok(done) => return Ok(done),
            Err(chunks::Failed::Cancelled(e)) => return Err(e),
            Err(chunks::Failed::TooLarge) => return Err(too_large(path, budget)),
            // The whole drawing is parsed below, for the crate's words on what is wrong.
            Err(chunks::Failed::Crate) => {}
        }
    }
    let drawing = load(path, bytes, scan, encoding)?;
    stage.at(bytes.len() as u64)?;
    let mut converter = Converter::new(&drawing, scan, decoder, budget);
    converter
        .run(drawing.entities())
        .map_err(|_| too_large(path, budget))?;
    Ok((converter.features, converter.report))
}

fn too_large(path: &Path, budget: usize) -> IoError {
    IoError::invalid(
        path,
        format!(
            "expands to more than {} MB of features through its blocks (blocks placed inside \
             blocks, or large MINSERT arrays): OneMap does not read drawings that large",
            budget >> 20
        ),
    )
}

/// What the first pass found wrong with the drawing, before the crate parses it.
fn check_before_parsing(
    path: &Path,
    scan: &Prescan,
    encoding: &'static Encoding,
) -> Result<(), IoError> {
    if scan.complete && !scan.ends_with_eof {
        return Err(IoError::invalid(
            path,
            "is cut short: a DXF drawing ends with 0/EOF and this one does not (was it copied \
             or downloaded only in part?)",
        ));
    }
    if let Some((line, code, value)) = &scan.bad_number {
        return Err(IoError::invalid(
            path,
            format!(
                "cannot be read as a DXF drawing: line {line} should hold a number (group code {code}) but holds \"{value}\""
            ),
        ));
    }
    if encoding.decode_without_bom_handling(&scan.non_ascii_text).1 {
        return Err(malformed_text(path, encoding));
    }
    Ok(())
}

/// Parses the whole drawing with the crate (checked by [`check_before_parsing`]).
fn load(
    path: &Path,
    bytes: &[u8],
    scan: &Prescan,
    encoding: &'static Encoding,
) -> Result<dxf::Drawing, IoError> {
    let mut reader = bytes;
    let drawing = dxf::Drawing::load_with_encoding(&mut reader, encoding).map_err(|e| match e {
        dxf::DxfError::MalformedString => malformed_text(path, encoding),
        e => IoError::invalid(path, format!("cannot be read as a DXF drawing: {e}")),
    })?;
    if !scan.complete {
        // The crate read what the first pass could not follow: trust neither.
        return Err(IoError::invalid(
            path,
            "cannot be read as a DXF drawing: its group codes are malformed",
        ));
    }
    Ok(drawing)
}

fn malformed_text(path: &Path, encoding: &'static Encoding) -> IoError {
    IoError::invalid(
        path,
        format!(
            "has text that is not valid {}: choose the drawing's text encoding by hand",
            display_name(encoding)
        ),
    )
}

#[cfg(test)]
mod tests;
