//! The DBF table of a Shapefile: header, field descriptors and records, read from its bytes.
//!
//! Ours rather than the `dbase` crate's, because the text encoding must be chosen from the raw
//! bytes (field names included) before anything is decoded, and `dbase` decodes field names
//! when it opens the file; and because its writer cannot write GBK field names (see
//! `dbf_write`). The format is small: a 32-byte header, 32 bytes per field, then fixed-width
//! records of ASCII digits and encoded text.

use std::path::Path;

use encoding_rs::Encoding;
use serde_json::{Number, Value};

use crate::model::attributes::{Attributes, FieldLayout};

use super::super::{Field, FieldKind};
use crate::io::error::IoError;

const HEADER: usize = 32;
const DESCRIPTOR: usize = 32;

/// One field descriptor as stored: the name's raw bytes, its type letter, its place.
#[derive(Clone, Debug)]
pub(super) struct RawField {
    pub name: Vec<u8>,
    pub kind_letter: u8,
    pub offset: usize,
    pub width: usize,
    pub decimals: u8,
}

impl RawField {
    pub fn kind(&self) -> FieldKind {
        match self.kind_letter.to_ascii_uppercase() {
            b'N' if self.decimals == 0 => FieldKind::Integer,
            b'N' | b'F' => FieldKind::Real,
            b'L' => FieldKind::Boolean,
            b'D' => FieldKind::Date,
            // C, and the types Shapefiles rarely hold (memo numbers, …), are read as text, as
            // GDAL does.
            _ => FieldKind::Text,
        }
    }
}

/// A DBF file's layout, checked against its size.
#[derive(Debug)]
pub(super) struct Table<'b> {
    pub records: usize,
    pub record_len: usize,
    pub fields: Vec<RawField>,
    /// The language-driver id (byte 29): the code page the writer declared, 0 for none.
    pub language_driver: u8,
    /// The record area: `records × record_len` bytes.
    data: &'b [u8],
}

/// Reads the header and field descriptors of `bytes` (the whole `.dbf`), checking that the
/// records it announces are all there.
pub(super) fn parse<'b>(path: &Path, bytes: &'b [u8]) -> Result<Table<'b>, IoError> {
    let bad = |what: String| IoError::invalid(path, what);
    if bytes.len() < HEADER + 1 {
        return Err(bad(format!(
            "is not a DBF table: it has {} bytes, fewer than a DBF header",
            bytes.len()
        )));
    }
    let records = u32::from_le_bytes([bytes[4], bytes[5], bytes[6], bytes[7]]) as usize;
    let header_len = usize::from(u16::from_le_bytes([bytes[8], bytes[9]]));
    let record_len = usize::from(u16::from_le_bytes([bytes[10], bytes[11]]));
    let language_driver = bytes[29];
    if header_len < HEADER + 1 || header_len > bytes.len() {
        return Err(bad(format!(
            "is not a valid DBF table: its header length ({header_len} bytes) does not fit the file ({} bytes)",
            bytes.len()
        )));
    }
    let fields = parse_fields(path, &bytes[HEADER..header_len], record_len)?;
    let needed = records
        .checked_mul(record_len)
        .and_then(|n| n.checked_add(header_len))
        .ok_or_else(|| bad(format!("announces an impossible size ({records} records)")))?;
    if needed > bytes.len() {
        let held = (bytes.len() - header_len) / record_len.max(1);
        return Err(bad(format!(
            "is cut short: its header announces {records} records of {record_len} bytes but the file holds only {held}; the file is truncated"
        )));
    }
    Ok(Table {
        records,
        record_len,
        fields,
        language_driver,
        data: &bytes[header_len..needed],
    })
}

/// The field descriptors, up to the 0x0D terminator.
fn parse_fields(path: &Path, area: &[u8], record_len: usize) -> Result<Vec<RawField>, IoError> {
    let mut fields = Vec::new();
    // Byte 0 of each record is the deletion flag.
    let mut offset = 1usize;
    for descriptor in area.chunks(DESCRIPTOR) {
        if descriptor.first() == Some(&0x0D) || descriptor.len() < DESCRIPTOR {
            break;
        }
        let name_bytes = &descriptor[..11];
        let name_end = name_bytes.iter().position(|&b| b == 0).unwrap_or(11);
        let width = usize::from(descriptor[16]);
        let field = RawField {
            name: trim_spaces(&name_bytes[..name_end]).to_vec(),
            kind_letter: descriptor[11],
            offset,
            width,
            decimals: descriptor[17],
        };
        offset += width;
        fields.push(field);
    }
    if offset > record_len {
        return Err(IoError::invalid(
            path,
            format!(
                "is not a valid DBF table: its fields take {} bytes but a record has {record_len}",
                offset
            ),
        ));
    }
    Ok(fields)
}

fn trim_spaces(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|&b| b != b' ').unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|&b| b != b' ')
        .map_or(start, |i| i + 1);
    &bytes[start..end]
}

/// Trailing spaces and NULs go (DBF pads with spaces; some writers with NULs).
fn trim_end(bytes: &[u8]) -> &[u8] {
    let end = bytes
        .iter()
        .rposition(|&b| b != b' ' && b != 0)
        .map_or(0, |i| i + 1);
    &bytes[..end]
}

impl<'b> Table<'b> {
    /// The raw bytes of record `i` (deletion flag first).
    pub fn record(&self, i: usize) -> Option<&'b [u8]> {
        let start = i.checked_mul(self.record_len)?;
        self.data.get(start..start.checked_add(self.record_len)?)
    }

    /// The bytes an encoding guess should look at: the field names and every text value that
    /// is not plain ASCII (ASCII reads the same in every candidate), up to `limit` bytes.
    pub fn text_sample(&self, limit: usize) -> Vec<u8> {
        let mut sample = Vec::new();
        for field in &self.fields {
            sample.extend_from_slice(&field.name);
            sample.push(b' ');
        }
        let text_fields: Vec<&RawField> = self
            .fields
            .iter()
            .filter(|f| f.kind() == FieldKind::Text)
            .collect();
        for i in 0..self.records {
            let Some(record) = self.record(i) else { break };
            for field in &text_fields {
                let Some(value) = record.get(field.offset..field.offset + field.width) else {
                    continue;
                };
                let value = trim_end(value);
                if !value.is_ascii() {
                    sample.extend_from_slice(value);
                    sample.push(b' ');
                }
            }
            if sample.len() >= limit {
                break;
            }
        }
        sample
    }

    /// The fields with their names decoded, made unique (a DBF may repeat a name; the
    /// attributes are keyed by name).
    pub fn decoded_fields(&self, encoding: &'static Encoding) -> Vec<Field> {
        let mut fields: Vec<Field> = Vec::with_capacity(self.fields.len());
        for (i, raw) in self.fields.iter().enumerate() {
            let (name, _) = encoding.decode_without_bom_handling(&raw.name);
            let mut name = name.trim().to_owned();
            if name.is_empty() {
                name = format!("FIELD_{}", i + 1);
            }
            let base = name.clone();
            let mut n = 2;
            while fields.iter().any(|f| f.name == name) {
                name = format!("{base}_{n}");
                n += 1;
            }
            fields.push(Field {
                name,
                kind: raw.kind(),
            });
        }
        fields
    }
}

/// Values that could not be read as their field's type, per field (reported, read as null).
#[derive(Debug, Default)]
pub(super) struct Unreadable {
    pub counts: Vec<usize>,
}

impl Unreadable {
    pub fn report(&self, fields: &[Field], dbf_name: &str) -> Vec<String> {
        fields
            .iter()
            .zip(&self.counts)
            .filter(|(_, n)| **n > 0)
            .map(|(f, n)| {
                format!(
                    "{n} value{} of field {} in {dbf_name} could not be read as {} and {} read as empty",
                    if *n == 1 { "" } else { "s" },
                    f.name,
                    f.kind.name(),
                    if *n == 1 { "was" } else { "were" },
                )
            })
            .collect()
    }
}

/// The attributes of one record (`None` when the record is marked deleted), built in
/// `layout`'s order (the fields' names, sorted once for the table).
pub(super) fn attributes(
    table: &Table<'_>,
    record: &[u8],
    fields: &[Field],
    layout: &FieldLayout,
    encoding: &'static Encoding,
    unreadable: &mut Unreadable,
) -> Option<Attributes> {
    if record.first() == Some(&b'*') {
        return None;
    }
    unreadable.counts.resize(fields.len(), 0);
    let values = table
        .fields
        .iter()
        .zip(fields)
        .enumerate()
        .map(|(i, (raw, field))| {
            let bytes = record
                .get(raw.offset..raw.offset + raw.width)
                .unwrap_or_default();
            value(bytes, field.kind, encoding).unwrap_or_else(|| {
                unreadable.counts[i] += 1;
                Value::Null
            })
        });
    Some(layout.attributes(values))
}

fn value(bytes: &[u8], kind: FieldKind, encoding: &'static Encoding) -> Option<Value> {
    let trimmed = trim_spaces(trim_end(bytes));
    match kind {
        FieldKind::Text => {
            let text = trim_end(bytes);
            if text.is_empty() {
                // GDAL reads an empty text value as null; so do we.
                return Some(Value::Null);
            }
            let (text, _) = encoding.decode_without_bom_handling(text);
            Some(Value::String(text.into_owned()))
        }
        FieldKind::Integer | FieldKind::Real => number(trimmed, kind),
        FieldKind::Boolean => match trimmed.first().map(u8::to_ascii_uppercase) {
            None | Some(b'?') => Some(Value::Null),
            Some(b'T' | b'Y') => Some(Value::Bool(true)),
            Some(b'F' | b'N') => Some(Value::Bool(false)),
            Some(_) => None,
        },
        FieldKind::Date => date(trimmed),
    }
}

/// A number, or null for blanks and the asterisks some writers fill an empty number with.
fn number(trimmed: &[u8], kind: FieldKind) -> Option<Value> {
    if trimmed.is_empty() || trimmed.iter().all(|&b| b == b'*') {
        return Some(Value::Null);
    }
    let text = std::str::from_utf8(trimmed).ok()?;
    if kind == FieldKind::Integer
        && let Ok(n) = text.parse::<i64>()
    {
        return Some(Value::Number(n.into()));
    }
    let x: f64 = text.parse().ok()?;
    Number::from_f64(x).map(Value::Number)
}

/// `YYYYMMDD` as `YYYY-MM-DD`; blanks and `00000000` are null.
fn date(trimmed: &[u8]) -> Option<Value> {
    if trimmed.is_empty() || trimmed.iter().all(|&b| b == b'0') {
        return Some(Value::Null);
    }
    if trimmed.len() != 8 || !trimmed.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let digits = std::str::from_utf8(trimmed).ok()?;
    let (month, day) = (&digits[4..6], &digits[6..8]);
    let valid =
        matches!(month.parse::<u8>(), Ok(1..=12)) && matches!(day.parse::<u8>(), Ok(1..=31));
    valid.then(|| Value::String(format!("{}-{month}-{day}", &digits[..4])))
}

/// The encoding a language-driver id declares, when it names one we can decode. 0x00 declares
/// nothing, and 0x57 ("ANSI") only says "the writing PC's code page", which is GBK on a
/// Chinese Windows and Latin-1 elsewhere: both are left to the guess.
pub(super) fn language_driver_encoding(ldid: u8) -> Option<&'static Encoding> {
    let code_page: u16 = match ldid {
        0x03 => 1252,
        0x13 | 0x7B => 932,
        0x4D | 0x7A => 936,
        0x4E | 0x79 => 949,
        0x4F | 0x78 => 950,
        0x65 => 866,
        0x7C => 874,
        0x7D => 1255,
        0x7E => 1256,
        0xC8 => 1250,
        0xC9 => 1251,
        0xCA => 1254,
        0xCB => 1253,
        0xCC => 1257,
        _ => return None,
    };
    super::super::encoding::from_label(&code_page.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_read_as_their_field_type() {
        let utf8 = encoding_rs::UTF_8;
        assert_eq!(
            value(b"   42", FieldKind::Integer, utf8),
            Some(Value::from(42))
        );
        assert_eq!(
            value(b" -3.25", FieldKind::Real, utf8),
            Some(Value::from(-3.25))
        );
        assert_eq!(value(b"*****", FieldKind::Real, utf8), Some(Value::Null));
        assert_eq!(value(b"abc", FieldKind::Integer, utf8), None);
        assert_eq!(
            value(b"T", FieldKind::Boolean, utf8),
            Some(Value::Bool(true))
        );
        assert_eq!(value(b"?", FieldKind::Boolean, utf8), Some(Value::Null));
        assert_eq!(
            value(b"20220315", FieldKind::Date, utf8),
            Some(Value::from("2022-03-15"))
        );
        assert_eq!(value(b"00000000", FieldKind::Date, utf8), Some(Value::Null));
        assert_eq!(value(b"20221345", FieldKind::Date, utf8), None);
        assert_eq!(value(b"      ", FieldKind::Text, utf8), Some(Value::Null));
        let (gbk, _, _) = encoding_rs::GBK.encode("苏州  ");
        assert_eq!(
            value(&gbk, FieldKind::Text, encoding_rs::GBK),
            Some(Value::from("苏州"))
        );
    }

    #[test]
    fn language_drivers_name_code_pages() {
        assert_eq!(language_driver_encoding(0x4D), Some(encoding_rs::GBK));
        assert_eq!(language_driver_encoding(0x57), None);
        assert_eq!(language_driver_encoding(0x00), None);
        assert_eq!(
            language_driver_encoding(0x03),
            Some(encoding_rs::WINDOWS_1252)
        );
    }
}
