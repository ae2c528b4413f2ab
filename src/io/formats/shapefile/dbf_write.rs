//! Writing the DBF table of a Shapefile.
//!
//! Ours, not `dbase`'s: `dbase` 0.8 checks a field name's length in UTF-8 bytes and writes it
//! as UTF-8 whatever the table's encoding, so a GBK table would get UTF-8 field names that
//! ArcGIS and GDAL then read as garbage. Here names and values are encoded in the table's
//! encoding, names cut to 10 bytes and made unique as GDAL does (`NAME_1`, …), text widths
//! sized to the longest value in bytes, numbers written as `N`.

use std::path::Path;

use encoding_rs::Encoding;
use serde_json::Value;

use super::super::{Attributes, Field, FieldKind};
use crate::io::error::IoError;

/// A DBF field name holds 10 bytes (and a terminating NUL).
const NAME_BYTES: usize = 10;
/// The widest character field.
const MAX_TEXT: usize = 254;
/// The widest number GDAL writes (`%24.15f`).
const MAX_NUMBER: usize = 24;
const MAX_DECIMALS: usize = 15;

struct OutField<'t> {
    source: &'t str,
    name: Vec<u8>,
    kind: FieldKind,
    width: usize,
    decimals: usize,
}

/// The DBF bytes of the attribute `rows` with `fields`, in `encoding`, with `language_driver` in its
/// header. `date` is the day of writing (`YYYY-MM-DD`).
pub(super) fn write(
    path: &Path,
    fields: &[Field],
    rows: &[&Attributes],
    encoding: &'static Encoding,
    language_driver: u8,
    date: &str,
) -> Result<Vec<u8>, IoError> {
    let layout = layout(path, fields, rows, encoding)?;
    let record_len = 1 + layout.iter().map(|f| f.width).sum::<usize>();
    let header_len = 32 + 32 * layout.len() + 1;
    let (Ok(record_len16), Ok(header_len16)) =
        (u16::try_from(record_len), u16::try_from(header_len))
    else {
        return Err(IoError::invalid(
            path,
            format!(
                "cannot hold this table: its {} fields need records of {record_len} bytes, more than a DBF allows (65535)",
                layout.len()
            ),
        ));
    };
    let records = u32::try_from(rows.len())
        .map_err(|_| IoError::invalid(path, "cannot hold more than 4 294 967 295 records"))?;
    let mut out = Vec::with_capacity(header_len + record_len * rows.len() + 1);
    out.push(0x03);
    let (year, month, day) = ymd(date);
    out.extend([year, month, day]);
    out.extend(records.to_le_bytes());
    out.extend(header_len16.to_le_bytes());
    out.extend(record_len16.to_le_bytes());
    out.extend([0u8; 17]);
    out.push(language_driver);
    out.extend([0u8; 2]);
    for field in &layout {
        let mut name = [0u8; 11];
        name[..field.name.len()].copy_from_slice(&field.name);
        out.extend(name);
        out.push(type_letter(field.kind));
        out.extend([0u8; 4]);
        // Widths are at most 254 (text) or 24 (numbers).
        out.push(field.width as u8);
        out.push(field.decimals as u8);
        out.extend([0u8; 14]);
    }
    out.push(0x0D);
    for (index, row) in rows.iter().enumerate() {
        out.push(b' ');
        for field in &layout {
            let value = row.get(field.source).unwrap_or(&Value::Null);
            let cell = cell(field, value, encoding)
                .map_err(|what| value_error(path, index, field.source, &what))?;
            out.extend(cell);
        }
    }
    out.push(0x1A);
    Ok(out)
}

fn value_error(path: &Path, index: usize, field: &str, what: &str) -> IoError {
    IoError::invalid(path, format!("feature {index}: field {field} {what}"))
}

fn type_letter(kind: FieldKind) -> u8 {
    match kind {
        FieldKind::Integer | FieldKind::Real => b'N',
        FieldKind::Text => b'C',
        FieldKind::Boolean => b'L',
        FieldKind::Date => b'D',
    }
}

/// Year since 1900, month and day of `YYYY-MM-DD…` (zeros when it is not that).
fn ymd(date: &str) -> (u8, u8, u8) {
    let part = |range: std::ops::Range<usize>| date.get(range).and_then(|s| s.parse::<u16>().ok());
    match (part(0..4), part(5..7), part(8..10)) {
        (Some(y), Some(m), Some(d)) => (
            u8::try_from(y.saturating_sub(1900)).unwrap_or(u8::MAX),
            m as u8,
            d as u8,
        ),
        _ => (0, 0, 0),
    }
}

/// Names, types and widths of the fields, sized to the values.
fn layout<'t>(
    path: &Path,
    fields: &'t [Field],
    rows: &[&Attributes],
    encoding: &'static Encoding,
) -> Result<Vec<OutField<'t>>, IoError> {
    let mut out: Vec<OutField<'t>> = Vec::with_capacity(fields.len());
    for field in fields {
        let name = dbf_name(path, &field.name, encoding, &out)?;
        let values = rows
            .iter()
            .filter_map(|row| row.get(&field.name))
            .filter(|v| !v.is_null());
        let (width, decimals) = match field.kind {
            FieldKind::Boolean => (1, 0),
            FieldKind::Date => (8, 0),
            FieldKind::Integer => (integer_width(values), 0),
            FieldKind::Real => real_width(values),
            FieldKind::Text => text_width(path, &field.name, values, encoding)?,
        };
        out.push(OutField {
            source: &field.name,
            name,
            kind: field.kind,
            width,
            decimals,
        });
    }
    Ok(out)
}

/// The field's name in `encoding`, cut to 10 bytes at a character boundary and made unique
/// (case-insensitively) among `taken` as GDAL does it: the first 8 bytes and `_1` … `_9`, then
/// the first 7 and `_10` … `_99`.
fn dbf_name(
    path: &Path,
    name: &str,
    encoding: &'static Encoding,
    taken: &[OutField<'_>],
) -> Result<Vec<u8>, IoError> {
    let is_taken = |candidate: &[u8]| taken.iter().any(|f| f.name.eq_ignore_ascii_case(candidate));
    let full = encode(name, encoding)
        .map_err(|what| IoError::invalid(path, format!("field name {name} {what}")))?;
    let name_bytes = cut(name, &full, NAME_BYTES, encoding);
    if !is_taken(&name_bytes) && !name_bytes.is_empty() {
        return Ok(name_bytes);
    }
    for n in 1..100 {
        let suffix = format!("_{n}");
        let mut candidate = cut(name, &full, NAME_BYTES - suffix.len(), encoding);
        candidate.extend(suffix.as_bytes());
        if !is_taken(&candidate) {
            return Ok(candidate);
        }
    }
    Err(IoError::invalid(
        path,
        format!("cannot name field {name}: 99 other fields already begin like it"),
    ))
}

fn encode(text: &str, encoding: &'static Encoding) -> Result<Vec<u8>, String> {
    let (bytes, _, had_errors) = encoding.encode(text);
    if had_errors {
        return Err(format!(
            "has characters that {} cannot hold",
            super::super::encoding::display_name(encoding)
        ));
    }
    Ok(bytes.into_owned())
}

/// The longest prefix of `text` (encoded as `full`) that takes at most `limit` bytes: whole
/// characters only.
fn cut(text: &str, full: &[u8], limit: usize, encoding: &'static Encoding) -> Vec<u8> {
    if full.len() <= limit {
        return full.to_vec();
    }
    let mut best = Vec::new();
    for (end, _) in text.char_indices().skip(1).chain([(text.len(), ' ')]) {
        let (bytes, _, _) = encoding.encode(&text[..end]);
        if bytes.len() > limit {
            break;
        }
        best = bytes.into_owned();
    }
    best
}

fn integer_text(value: &Value) -> Option<String> {
    match value {
        Value::Number(n) if n.is_i64() || n.is_u64() => Some(n.to_string()),
        Value::Number(n) => n
            .as_f64()
            .filter(|x| x.fract() == 0.0 && x.abs() < 1e18)
            .map(|x| format!("{x:.0}")),
        _ => None,
    }
}

fn integer_width<'v>(values: impl Iterator<Item = &'v Value>) -> usize {
    values
        .filter_map(integer_text)
        .map(|t| t.len())
        .max()
        .unwrap_or(1)
        .clamp(1, MAX_NUMBER)
}

/// Width and decimals that hold every value: as many decimals as the shortest exact text of
/// any value has (at most 15, and at least 1 so that the field reads back as Real).
fn real_width<'v>(values: impl Iterator<Item = &'v Value>) -> (usize, usize) {
    let mut integer_digits = 1;
    let mut decimals = 1;
    for x in values.filter_map(Value::as_f64) {
        let text = x.to_string();
        let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
        integer_digits = integer_digits.max(int.len());
        decimals = decimals.max(frac.len());
    }
    let decimals = decimals
        .min(MAX_DECIMALS)
        .min(MAX_NUMBER.saturating_sub(integer_digits + 1))
        .max(1);
    ((integer_digits + 1 + decimals).min(MAX_NUMBER), decimals)
}

fn text_of(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn text_width<'v>(
    path: &Path,
    name: &str,
    values: impl Iterator<Item = &'v Value>,
    encoding: &'static Encoding,
) -> Result<(usize, usize), IoError> {
    let mut width = 1;
    for value in values {
        let text = text_of(value);
        let (bytes, _, _) = encoding.encode(&text);
        if bytes.len() > MAX_TEXT {
            return Err(IoError::invalid(
                path,
                format!(
                    "field {name} has a value of {} bytes; a Shapefile's text field holds at most {MAX_TEXT}. Shorten it, or write a GeoPackage",
                    bytes.len()
                ),
            ));
        }
        width = width.max(bytes.len());
    }
    Ok((width, 0))
}

/// One value as the field's bytes, padded to its width.
fn cell(
    field: &OutField<'_>,
    value: &Value,
    encoding: &'static Encoding,
) -> Result<Vec<u8>, String> {
    let width = field.width;
    let right = |text: String| format!("{text:>width$}").into_bytes();
    if value.is_null() {
        return Ok(match field.kind {
            FieldKind::Integer | FieldKind::Real => vec![b'*'; width],
            FieldKind::Boolean => b"?".to_vec(),
            FieldKind::Date => b"00000000".to_vec(),
            FieldKind::Text => vec![b' '; width],
        });
    }
    match field.kind {
        FieldKind::Integer => integer_text(value)
            .map(right)
            .ok_or_else(|| format!("is Integer but holds {value}")),
        FieldKind::Real => {
            let x = value
                .as_f64()
                .ok_or_else(|| format!("is Real but holds {value}"))?;
            let text = format!("{x:.*}", field.decimals);
            if text.len() > width {
                return Err(format!(
                    "holds {x}, too large for a DBF number of {width} digits"
                ));
            }
            Ok(right(text))
        }
        FieldKind::Boolean => match value {
            Value::Bool(b) => Ok(if *b { b"T" } else { b"F" }.to_vec()),
            _ => Err(format!("is Boolean but holds {value}")),
        },
        FieldKind::Date => date_cell(value),
        FieldKind::Text => {
            let mut bytes = encode(&text_of(value), encoding)?;
            bytes.resize(width, b' ');
            Ok(bytes)
        }
    }
}

/// `YYYY-MM-DD` as `YYYYMMDD`.
fn date_cell(value: &Value) -> Result<Vec<u8>, String> {
    let text = value.as_str().unwrap_or_default();
    let digits: Vec<u8> = text.bytes().filter(|b| *b != b'-').collect();
    let shaped = text.len() == 10
        && text.as_bytes().get(4) == Some(&b'-')
        && text.as_bytes().get(7) == Some(&b'-');
    if shaped && digits.len() == 8 && digits.iter().all(u8::is_ascii_digit) {
        Ok(digits)
    } else {
        Err(format!("is a Date but holds {value}, not YYYY-MM-DD"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn names(fields: &[&str], encoding: &'static Encoding) -> Vec<String> {
        let fields: Vec<Field> = fields
            .iter()
            .map(|n| Field {
                name: (*n).to_owned(),
                kind: FieldKind::Text,
            })
            .collect();
        layout(Path::new("t.dbf"), &fields, &[], encoding)
            .unwrap()
            .iter()
            .map(|f| encoding.decode_without_bom_handling(&f.name).0.into_owned())
            .collect()
    }

    #[test]
    fn long_names_are_cut_to_ten_bytes_and_made_unique_as_gdal_does() {
        assert_eq!(
            names(
                &["population_2020", "population_2035", "POPULATION"],
                encoding_rs::UTF_8
            ),
            ["population", "populati_1", "POPULATI_2"]
        );
        // 规划人口总数 is 12 bytes in GBK, 18 in UTF-8: whole characters only.
        assert_eq!(names(&["规划人口总数"], encoding_rs::GBK), ["规划人口总"]);
        assert_eq!(names(&["规划人口总数"], encoding_rs::UTF_8), ["规划人"]);
    }

    #[test]
    fn numbers_are_sized_to_their_values() {
        let values = [json!(1.5), json!(-120.25), json!(3)];
        assert_eq!(real_width(values.iter()), (7, 2));
        assert_eq!(integer_width([json!(12345), json!(-7)].iter()), 5);
        assert_eq!(date_cell(&json!("2022-03-15")).unwrap(), b"20220315");
        assert!(date_cell(&json!("15/03/2022")).is_err());
    }
}
