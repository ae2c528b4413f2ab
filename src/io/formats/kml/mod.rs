//! KML and KMZ (zipped KML), as Google Earth, 奥维互动地图 (Ovital) and GDAL write them.
//!
//! A KML file is one table: every Placemark with its `name`, `description`, the path of the
//! Folders around it (`folder`, e.g. "规划/绿道"; a Document inside the file's Document counts
//! as a folder, as GDAL writes a layer) and its ExtendedData (`<Data>` and `<SchemaData>`) as
//! fields. KML is always WGS84.
//!
//! With a progress bar, the bar moves while the file is read (its first 5 %) and while each
//! document is parsed; in a KMZ each KML file inside has the share of the archive its compressed
//! bytes take, 15 % of it to unzip and the rest to parse. Cancel is looked at every few
//! milliseconds.
//!
//! The reader is OneMap's own, over quick-xml's streaming parser, rather than georust's `kml`
//! crate: that crate (0.15) panics on an empty `<coordinates/>` of a Point and loops forever on
//! a file cut short inside a Placemark (both seen here), and keeps no Folder path.

mod geometry;
mod parse;
mod write;

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use serde_json::{Map, Value};

use super::progress::{CountingReader, Meter};
use super::{
    DataFeature, DataTable, DeclaredCrs, EncodingSource, Field, FieldKind, Format, ReadOptions,
    TextEncoding,
};
use crate::io::error::IoError;
use parse::{Failure, Parsed, RawPlacemark};

pub use write::write;

/// A KMZ entry larger than this once unzipped is refused (a zip bomb, not a map).
const MAX_UNZIPPED: u64 = 1 << 30;
/// NetworkLinks followed inside one KMZ, at most (GDAL's KMZ link to one file per layer).
const MAX_LINKED: usize = 256;

/// Where the bar is (per mille of a KML file) when the file has been read, and when it has
/// been parsed; and the per mille of a KML file in a KMZ that unzipping it takes. About the
/// shares of the time they take (a 45 MB KML: read in 20 ms, parsed in 270 ms; unzipped from a
/// KMZ in 40 ms).
const READ_PER_MILLE: u64 = 50;
const PARSED_PER_MILLE: u64 = 900;
const UNZIP_PER_MILLE: u64 = 150;

/// `per_mille` thousandths of `total`.
fn share(total: u64, per_mille: u64) -> u64 {
    u64::try_from(u128::from(total) * u128::from(per_mille) / 1000).unwrap_or(total)
}

pub fn read(path: &Path, format: Format, options: &ReadOptions) -> Result<Vec<DataTable>, IoError> {
    let size = std::fs::metadata(path)
        .map_err(|e| IoError::read(path, e))?
        .len();
    let meter = Meter::new(options.progress, path, size);
    let mut documents = Vec::new();
    let mut skipped = Vec::new();
    let encoding = match format {
        Format::Kmz => read_kmz(path, options, &meter, &mut documents, &mut skipped)?,
        _ => {
            let read = share(size, READ_PER_MILLE);
            let bytes = super::progress::read_file(path, &meter.stage(0, read, size))?;
            let (text, encoding) = decode(bytes, options);
            let stage = meter.stage(read, share(size, PARSED_PER_MILLE), text.len() as u64);
            let parsed = parse::parse(&text, None, &stage).map_err(|e| match e {
                Failure::Invalid(message) => IoError::invalid(path, message),
                Failure::Cancelled(e) => e,
            })?;
            drop(text);
            if !parsed.links.is_empty() {
                skipped.push(format!(
                    "{} network links to other files not followed: {}",
                    parsed.links.len(),
                    list(parsed.links.iter().map(|l| l.href.as_str()))
                ));
            }
            documents.push(parsed);
            encoding
        }
    };
    let table = table(path, documents, encoding, skipped);
    meter.done()?;
    Ok(vec![table])
}

/// The text of a KML file: the caller's encoding, else its byte-order mark, else its XML
/// declaration's, else UTF-8 (XML's default), else a guess (GBK) when the bytes are not UTF-8.
/// `None` stands for UTF-8 as declared or by default.
fn decode(bytes: Vec<u8>, options: &ReadOptions) -> (String, Option<TextEncoding>) {
    let chosen = |encoding, source| Some(TextEncoding { encoding, source });
    let bom = encoding_rs::Encoding::for_bom(&bytes);
    let (encoding, source) = if let Some(e) = options.encoding {
        (e, chosen(e, EncodingSource::Chosen))
    } else if let Some((e, _)) = bom {
        (
            e,
            chosen(e, EncodingSource::Declared).filter(|_| e != encoding_rs::UTF_8),
        )
    } else if let Some(e) = declared_encoding(&bytes) {
        (
            e,
            chosen(e, EncodingSource::Declared).filter(|_| e != encoding_rs::UTF_8),
        )
    } else if std::str::from_utf8(&bytes).is_ok() {
        (encoding_rs::UTF_8, None)
    } else {
        let e = super::encoding::guess(&bytes);
        (e, chosen(e, EncodingSource::Guessed))
    };
    // UTF-8 without a byte-order mark (the usual KML) becomes the text without a copy: a
    // large file is not held twice.
    if encoding == encoding_rs::UTF_8 && bom.is_none() {
        return match String::from_utf8(bytes) {
            Ok(text) => (text, source),
            Err(e) => (encoding.decode(e.as_bytes()).0.into_owned(), source),
        };
    }
    let (text, _, _) = encoding.decode(&bytes);
    (text.into_owned(), source)
}

/// The `encoding="…"` of the XML declaration, when it names one OneMap knows.
fn declared_encoding(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let head = bytes.get(..bytes.len().min(256))?;
    let head = String::from_utf8_lossy(head);
    let decl = head.strip_prefix("<?xml")?.split("?>").next()?;
    let at = decl.find("encoding")?;
    let rest = decl
        .get(at + "encoding".len()..)?
        .trim_start()
        .strip_prefix('=')?;
    let rest = rest.trim_start();
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let label = rest.get(1..)?.split(quote).next()?;
    super::encoding::from_label(label)
}

fn list<'a>(names: impl Iterator<Item = &'a str>) -> String {
    let names: Vec<&str> = names.collect();
    let shown = names.iter().take(5).copied().collect::<Vec<_>>().join(", ");
    if names.len() > 5 {
        format!("{shown}, … ({} in all)", names.len())
    } else {
        shown
    }
}

/// The name of a zip entry: UTF-8 where it is, else GBK (Chinese Windows zip tools write names
/// in the system code page without saying so).
fn entry_name(raw: &[u8]) -> String {
    match std::str::from_utf8(raw) {
        Ok(s) => s.to_owned(),
        Err(_) => encoding_rs::GBK.decode(raw).0.into_owned(),
    }
}

/// Reads the KMZ's main KML (doc.kml, else the first .kml in it) and the KML files inside the
/// archive that it links to (GDAL's LIBKML driver writes one per layer).
fn read_kmz(
    path: &Path,
    options: &ReadOptions,
    meter: &Meter,
    documents: &mut Vec<Parsed>,
    skipped: &mut Vec<String>,
) -> Result<Option<TextEncoding>, IoError> {
    let file = std::fs::File::open(path).map_err(|e| IoError::read(path, e))?;
    let mut zip = zip::ZipArchive::new(std::io::BufReader::new(file)).map_err(|e| {
        IoError::invalid(path, format!("is not a KMZ: it is not a zip archive ({e})"))
    })?;
    let names: Vec<String> = (0..zip.len())
        .map(|i| zip.by_index_raw(i).map(|f| entry_name(f.name_raw())))
        .collect::<Result<_, _>>()
        .map_err(|e| IoError::invalid(path, format!("is a damaged zip archive: {e}")))?;
    let is_kml = |n: &String| n.to_lowercase().ends_with(".kml");
    let main = names
        .iter()
        .position(|n| n.eq_ignore_ascii_case("doc.kml"))
        .or_else(|| names.iter().position(is_kml))
        .ok_or_else(|| {
            let held = if names.is_empty() {
                "it is empty".to_owned()
            } else {
                format!("it holds {}", list(names.iter().map(String::as_str)))
            };
            IoError::invalid(
                path,
                format!("is a KMZ without any KML file inside ({held})"),
            )
        })?;
    let mut queue = vec![(main, None::<String>)];
    let mut visited = BTreeSet::new();
    let mut encoding = None;
    // Where the bar is: the compressed bytes of the KML files read so far.
    let mut done = 0u64;
    while let Some((index, prefix)) = queue.pop() {
        if !visited.insert(index) || visited.len() > MAX_LINKED {
            continue;
        }
        let entry = &names[index];
        let compressed = zip.by_index_raw(index).map_or(0, |f| f.compressed_size());
        let unzipped = done.saturating_add(share(compressed, UNZIP_PER_MILLE));
        let bytes = unzip(
            &mut zip,
            index,
            path,
            entry,
            &meter.stage(done, unzipped, 0),
        )?;
        let (text, this_encoding) = decode(bytes, options);
        encoding = encoding.or(this_encoding);
        done = done.saturating_add(compressed);
        let stage = meter.stage(unzipped, done, text.len() as u64);
        let parsed = parse::parse(&text, prefix, &stage).map_err(|e| match e {
            Failure::Invalid(e) => IoError::invalid(path, format!("{entry} inside it {e}")),
            Failure::Cancelled(e) => e,
        })?;
        let mut outside = Vec::new();
        for link in parsed.links.iter().rev() {
            match resolve(entry, &link.href).and_then(|t| names.iter().position(|n| *n == t)) {
                Some(target) => queue.push((target, link.name.clone())),
                None => outside.push(link.href.as_str()),
            }
        }
        if !outside.is_empty() {
            skipped.push(format!(
                "{} network links to files outside the KMZ not followed: {}",
                outside.len(),
                list(outside.into_iter().rev())
            ));
        }
        documents.push(parsed);
    }
    Ok(encoding)
}

/// The bytes of a KML file inside the archive, unzipped while the bar moves across `stage`
/// (made for any length: it is measured against the file's uncompressed size here).
fn unzip<R: std::io::Read + std::io::Seek>(
    zip: &mut zip::ZipArchive<R>,
    index: usize,
    path: &Path,
    entry: &str,
    stage: &super::progress::Stage,
) -> Result<Vec<u8>, IoError> {
    use std::io::Read as _;
    let damaged =
        |e: String| IoError::invalid(path, format!("{entry} inside it cannot be unzipped: {e}"));
    let file = zip.by_index(index).map_err(|e| damaged(e.to_string()))?;
    let stage = stage.with_len(file.size());
    let mut bytes = Vec::new();
    CountingReader::new(file.take(MAX_UNZIPPED + 1), &stage)
        .read_to_end(&mut bytes)
        .map_err(|e| stage.or_cancelled(damaged(e.to_string())))?;
    if bytes.len() as u64 > MAX_UNZIPPED {
        return Err(damaged(format!(
            "it is larger than {MAX_UNZIPPED} bytes unzipped"
        )));
    }
    Ok(bytes)
}

/// The archive entry a relative href from `from` names (`layers/a.kml`, `../b.kml`), or `None`
/// for a URL or a path leaving the archive.
fn resolve(from: &str, href: &str) -> Option<String> {
    if href.contains("://") || href.starts_with('/') || href.starts_with('#') {
        return None;
    }
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for piece in href.split('/') {
        match piece {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// The field kind a Schema's SimpleField type names (KML 2.2, §9.8).
fn kind_of_schema_type(kind: &str) -> FieldKind {
    match kind.trim() {
        "int" | "uint" | "short" | "ushort" => FieldKind::Integer,
        "float" | "double" => FieldKind::Real,
        "bool" => FieldKind::Boolean,
        _ => FieldKind::Text,
    }
}

/// A text value as its field's kind, or `None` when it is not one.
fn typed(kind: FieldKind, text: &str) -> Option<Value> {
    match kind {
        FieldKind::Integer => text.parse::<i64>().ok().map(Value::from),
        FieldKind::Real => text
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number),
        FieldKind::Boolean => match text {
            "1" | "true" => Some(Value::Bool(true)),
            "0" | "false" => Some(Value::Bool(false)),
            _ => None,
        },
        FieldKind::Text | FieldKind::Date => Some(Value::String(text.to_owned())),
    }
}

/// An ExtendedData field: its name in the file, its column in the table (a name taken by
/// name, description or folder gets a suffix) and its kind.
struct DataField {
    name: String,
    column: String,
    kind: FieldKind,
}

/// ExtendedData fields in the order they first appear, typed by their Schema where a
/// SchemaData names one and every value is of that type; text otherwise.
fn data_fields(
    placemarks: &[RawPlacemark],
    schemas: &HashMap<String, HashMap<String, String>>,
    fixed: &[&str],
    skipped: &mut Vec<String>,
) -> Vec<DataField> {
    let mut fields: Vec<DataField> = Vec::new();
    for p in placemarks {
        for (name, _, schema) in &p.data {
            if fields.iter().any(|f| f.name == *name) {
                continue;
            }
            let declared = schema
                .as_ref()
                .and_then(|s| schemas.get(s))
                .and_then(|s| s.get(name))
                .map(|t| kind_of_schema_type(t))
                .unwrap_or(FieldKind::Text);
            let mut column = name.clone();
            while fixed.contains(&column.as_str()) || fields.iter().any(|f| f.column == column) {
                column.push_str("_2");
            }
            let fits = placemarks
                .iter()
                .flat_map(|p| &p.data)
                .filter(|(n, v, _)| n == name && !v.is_empty())
                .all(|(_, v, _)| typed(declared, v).is_some());
            let kind = if fits {
                declared
            } else {
                skipped.push(format!(
                    "field {column}: declared {} in its Schema, but not every value is one; read as text",
                    declared.name()
                ));
                FieldKind::Text
            };
            fields.push(DataField {
                name: name.clone(),
                column,
                kind,
            });
        }
    }
    fields
}

/// The one table of a KML or KMZ file.
fn table(
    path: &Path,
    documents: Vec<Parsed>,
    encoding: Option<TextEncoding>,
    mut skipped: Vec<String>,
) -> DataTable {
    let mut schemas: HashMap<String, HashMap<String, String>> = HashMap::new();
    let mut placemarks: Vec<RawPlacemark> = Vec::new();
    for d in documents {
        schemas.extend(d.schemas);
        placemarks.extend(d.placemarks);
    }
    // name, description and folder are fields when any placemark has one.
    let fixed: Vec<&str> = [
        ("name", placemarks.iter().any(|p| p.name.is_some())),
        (
            "description",
            placemarks.iter().any(|p| p.description.is_some()),
        ),
        ("folder", placemarks.iter().any(|p| p.folder.is_some())),
    ]
    .into_iter()
    .filter_map(|(name, present)| present.then_some(name))
    .collect();
    let data = data_fields(&placemarks, &schemas, &fixed, &mut skipped);
    let mut fields: Vec<Field> = fixed
        .iter()
        .map(|name| Field {
            name: (*name).to_owned(),
            kind: FieldKind::Text,
        })
        .collect();
    fields.extend(data.iter().map(|f| Field {
        name: f.column.clone(),
        kind: f.kind,
    }));
    let mut unread: BTreeSet<&str> = BTreeSet::new();
    let without_geometry = placemarks.iter().filter(|p| p.geometry.is_none()).count();
    unread.extend(placemarks.iter().filter_map(|p| p.unread));
    if without_geometry > 0 {
        let why = if unread.is_empty() {
            String::new()
        } else {
            let what: Vec<&str> = unread.into_iter().collect();
            format!(" (OneMap does not read {})", what.join(", "))
        };
        skipped.push(format!(
            "{without_geometry} placemarks without a geometry{why}"
        ));
    }
    let features = placemarks
        .into_iter()
        .map(|p| feature(p, &fixed, &data))
        .collect();
    DataTable {
        name: super::geojson::table_name(path),
        fields,
        features,
        crs: DeclaredCrs::Wgs84ByFormat,
        encoding,
        skipped,
    }
}

fn feature(p: RawPlacemark, fixed: &[&str], data: &[DataField]) -> DataFeature {
    let mut attributes = Map::new();
    for (field, value) in [
        ("name", p.name),
        ("description", p.description),
        ("folder", p.folder),
    ] {
        if fixed.contains(&field) {
            attributes.insert(field.to_owned(), value.map_or(Value::Null, Value::String));
        }
    }
    for f in data {
        let value = p
            .data
            .iter()
            .find(|(n, _, _)| *n == f.name)
            .map(|(_, v, _)| v);
        let value = match value {
            Some(v) if !v.is_empty() || f.kind == FieldKind::Text => {
                typed(f.kind, v).unwrap_or(Value::Null)
            }
            _ => Value::Null,
        };
        attributes.insert(f.column.clone(), value);
    }
    DataFeature {
        geometry: p.geometry,
        attributes: attributes.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hrefs_resolve_inside_the_archive() {
        assert_eq!(
            resolve("doc.kml", "layers/a.kml").as_deref(),
            Some("layers/a.kml")
        );
        assert_eq!(resolve("x/doc.kml", "../b.kml").as_deref(), Some("b.kml"));
        assert_eq!(resolve("doc.kml", "../b.kml"), None);
        assert_eq!(resolve("doc.kml", "http://example.org/a.kml"), None);
    }

    #[test]
    fn the_declared_encoding_is_used() {
        let text = "<?xml version=\"1.0\" encoding=\"GBK\"?><kml/>";
        assert_eq!(declared_encoding(text.as_bytes()), Some(encoding_rs::GBK));
        assert_eq!(
            declared_encoding(b"<?xml version='1.0' encoding='utf-8'?>"),
            Some(encoding_rs::UTF_8)
        );
        assert_eq!(declared_encoding(b"<kml/>"), None);
        let (gbk, _, _) = encoding_rs::GBK
            .encode("<?xml version=\"1.0\" encoding=\"GBK\"?><kml><name>苏州</name></kml>");
        let (back, source) = decode(gbk.into_owned(), &ReadOptions::default());
        assert!(back.contains("苏州"));
        assert_eq!(source.map(|s| s.source), Some(EncodingSource::Declared));
        let (undeclared, _, _) = encoding_rs::GBK.encode("<kml><name>上海大都市圈</name></kml>");
        let (back, source) = decode(undeclared.into_owned(), &ReadOptions::default());
        assert!(back.contains("上海大都市圈"));
        assert_eq!(source.map(|s| s.source), Some(EncodingSource::Guessed));
    }

    #[test]
    fn zip_entry_names_in_gbk_are_read() {
        let (gbk, _, _) = encoding_rs::GBK.encode("规划/绿道.kml");
        assert_eq!(entry_name(&gbk), "规划/绿道.kml");
        assert_eq!(entry_name("doc.kml".as_bytes()), "doc.kml");
    }
}
