//! Writing KML and KMZ: a Document holding a Document per table, a Placemark per feature
//! named by the table's name-like field, and every attribute in ExtendedData/SchemaData, typed
//! by the table's Schema (so that GDAL and Google Earth read the types back).
//!
//! A table is a Document rather than a Folder because a Schema belongs to a Document, and
//! GDAL 3.6 (LIBKML) reads no SchemaData of Placemarks in Folders of a KMZ (seen: every field
//! empty) while it reads them in a Document of their own, in a KML and in a KMZ alike.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

use geo::{Coord, Geometry, LineString, Polygon};
use quick_xml::escape::escape;
use serde_json::Value;

use crate::io::error::IoError;
use crate::io::formats::{DataTable, Field, FieldKind, Format, WriteOptions};

/// Fields whose value names a placemark, best first (compared without regard to ASCII case).
const NAME_FIELDS: &[&str] = &["name", "名称", "名字", "标题", "title", "label", "地名"];

pub fn write(
    path: &Path,
    format: Format,
    tables: &[DataTable],
    options: &WriteOptions,
) -> Result<(), IoError> {
    if options.crs_epsg.is_some_and(|c| c != 4326) || options.crs_wkt.is_some() {
        return Err(IoError::invalid(
            path,
            "KML is always WGS84 (EPSG:4326); choose another format to write a projected CRS",
        ));
    }
    let document = document(path, tables).map_err(|e| IoError::invalid(path, e))?;
    let bytes = match format {
        Format::Kmz => zipped(document.as_bytes())
            .map_err(|e| IoError::invalid(path, format!("could not be zipped: {e}")))?,
        _ => document.into_bytes(),
    };
    crate::io::atomic::atomic_write(path, &bytes, false)
}

/// A KMZ: the document as doc.kml, deflated.
fn zipped(document: &[u8]) -> Result<Vec<u8>, zip::result::ZipError> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("doc.kml", options)?;
    zip.write_all(document)?;
    Ok(zip.finish()?.into_inner())
}

/// Text for XML, escaped (`&`, `<`, `>`, quotes).
fn xml(text: &str) -> std::borrow::Cow<'_, str> {
    escape(text)
}

fn schema_type(kind: FieldKind) -> &'static str {
    match kind {
        FieldKind::Integer => "int",
        FieldKind::Real => "double",
        FieldKind::Boolean => "bool",
        FieldKind::Text | FieldKind::Date => "string",
    }
}

/// How one table's attributes are written.
struct Layout<'a> {
    schema_id: String,
    /// The field put in `<name>`, and whether it also stays in ExtendedData (`name` itself does
    /// not: KML readers give `<name>` back as `name`).
    name_field: Option<&'a Field>,
    description_field: Option<&'a Field>,
    /// The fields of the SchemaData, with the type each is declared as.
    data: Vec<(&'a Field, &'static str)>,
}

impl<'a> Layout<'a> {
    fn of(table: &'a DataTable, index: usize) -> Self {
        let text_field = |wanted: &str| {
            table
                .fields
                .iter()
                .find(|f| f.kind == FieldKind::Text && f.name.eq_ignore_ascii_case(wanted))
        };
        let name_field = NAME_FIELDS.iter().find_map(|n| text_field(n));
        let description_field = text_field("description");
        let data =
            table
                .fields
                .iter()
                .filter(|f| !(f.name == "name" || f.name == "description"))
                .map(|f| {
                    // A value that is not its field's kind would be read back wrongly as that
                    // kind: such a field is declared a string.
                    let fits = table.features.iter().all(|feature| {
                        match feature.attributes.get(&f.name) {
                            None | Some(Value::Null) => true,
                            Some(v) => value_fits(f.kind, v),
                        }
                    });
                    (f, if fits { schema_type(f.kind) } else { "string" })
                })
                .collect();
        Self {
            schema_id: format!("schema_{}", index + 1),
            name_field,
            description_field,
            data,
        }
    }
}

fn value_fits(kind: FieldKind, value: &Value) -> bool {
    match kind {
        FieldKind::Integer => value.is_i64() || value.is_u64(),
        FieldKind::Real => value.is_number(),
        FieldKind::Boolean => value.is_boolean(),
        FieldKind::Text | FieldKind::Date => true,
    }
}

/// The text of an attribute value in KML: booleans as 1/0 (what xsd:boolean and GDAL both read).
fn value_text(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(if *b { "1" } else { "0" }.to_owned()),
        other => Some(other.to_string()),
    }
}

fn document(path: &Path, tables: &[DataTable]) -> Result<String, String> {
    let title = super::super::geojson::table_name(path);
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str("<kml xmlns=\"http://www.opengis.net/kml/2.2\">\n<Document>\n");
    let _ = writeln!(out, "<name>{}</name>", xml(&title));
    for (index, table) in tables.iter().enumerate() {
        let layout = Layout::of(table, index);
        let _ = writeln!(out, "<Document>\n<name>{}</name>", xml(&table.name));
        if !layout.data.is_empty() {
            let _ = writeln!(
                out,
                "<Schema name=\"{}\" id=\"{}\">",
                xml(&table.name),
                layout.schema_id
            );
            for (field, kind) in &layout.data {
                let _ = writeln!(
                    out,
                    "\t<SimpleField name=\"{}\" type=\"{kind}\"/>",
                    xml(&field.name)
                );
            }
            out.push_str("</Schema>\n");
        }
        for (i, feature) in table.features.iter().enumerate() {
            placemark(
                &mut out,
                &layout,
                &feature.attributes,
                feature.geometry.as_ref(),
            )
            .map_err(|e| format!("table {}, feature {}: {e}", table.name, i + 1))?;
        }
        out.push_str("</Document>\n");
    }
    out.push_str("</Document>\n</kml>\n");
    Ok(out)
}

fn placemark(
    out: &mut String,
    layout: &Layout,
    attributes: &crate::model::attributes::Attributes,
    geometry: Option<&Geometry<f64>>,
) -> Result<(), String> {
    out.push_str("<Placemark>\n");
    let text_of = |f: Option<&Field>| f.and_then(|f| attributes.get(&f.name)).and_then(value_text);
    if let Some(name) = text_of(layout.name_field) {
        let _ = writeln!(out, "\t<name>{}</name>", xml(&name));
    }
    if let Some(description) = text_of(layout.description_field) {
        let _ = writeln!(out, "\t<description>{}</description>", xml(&description));
    }
    let values: Vec<(&Field, String)> = layout
        .data
        .iter()
        .filter_map(|(f, _)| Some((*f, attributes.get(&f.name).and_then(value_text)?)))
        .collect();
    if !values.is_empty() {
        let _ = writeln!(
            out,
            "\t<ExtendedData><SchemaData schemaUrl=\"#{}\">",
            layout.schema_id
        );
        for (field, value) in values {
            let _ = writeln!(
                out,
                "\t\t<SimpleData name=\"{}\">{}</SimpleData>",
                xml(&field.name),
                xml(&value)
            );
        }
        out.push_str("\t</SchemaData></ExtendedData>\n");
    }
    if let Some(g) = geometry {
        out.push('\t');
        write_geometry(out, g)?;
        out.push('\n');
    }
    out.push_str("</Placemark>\n");
    Ok(())
}

fn write_coords(out: &mut String, coords: impl Iterator<Item = Coord<f64>>) -> Result<(), String> {
    out.push_str("<coordinates>");
    for (i, c) in coords.enumerate() {
        if !(c.x.is_finite() && c.y.is_finite()) {
            return Err(format!("coordinate ({}, {}) is not a number", c.x, c.y));
        }
        if i > 0 {
            out.push(' ');
        }
        let _ = write!(out, "{},{}", c.x, c.y);
    }
    out.push_str("</coordinates>");
    Ok(())
}

fn write_line(out: &mut String, line: &LineString<f64>) -> Result<(), String> {
    out.push_str("<LineString>");
    write_coords(out, line.coords().copied())?;
    out.push_str("</LineString>");
    Ok(())
}

fn write_polygon(out: &mut String, polygon: &Polygon<f64>) -> Result<(), String> {
    out.push_str("<Polygon><outerBoundaryIs><LinearRing>");
    write_coords(out, polygon.exterior().coords().copied())?;
    out.push_str("</LinearRing></outerBoundaryIs>");
    for ring in polygon.interiors() {
        out.push_str("<innerBoundaryIs><LinearRing>");
        write_coords(out, ring.coords().copied())?;
        out.push_str("</LinearRing></innerBoundaryIs>");
    }
    out.push_str("</Polygon>");
    Ok(())
}

fn write_geometry(out: &mut String, geometry: &Geometry<f64>) -> Result<(), String> {
    match geometry {
        Geometry::Point(p) => {
            out.push_str("<Point>");
            write_coords(out, std::iter::once(p.0))?;
            out.push_str("</Point>");
        }
        Geometry::Line(l) => write_line(out, &LineString::from(vec![l.start, l.end]))?,
        Geometry::LineString(l) => write_line(out, l)?,
        Geometry::Polygon(p) => write_polygon(out, p)?,
        Geometry::Rect(r) => write_polygon(out, &r.to_polygon())?,
        Geometry::Triangle(t) => write_polygon(out, &t.to_polygon())?,
        Geometry::MultiPoint(m) => {
            out.push_str("<MultiGeometry>");
            for p in m {
                write_geometry(out, &Geometry::Point(*p))?;
            }
            out.push_str("</MultiGeometry>");
        }
        Geometry::MultiLineString(m) => {
            out.push_str("<MultiGeometry>");
            for l in m {
                write_line(out, l)?;
            }
            out.push_str("</MultiGeometry>");
        }
        Geometry::MultiPolygon(m) => {
            out.push_str("<MultiGeometry>");
            for p in m {
                write_polygon(out, p)?;
            }
            out.push_str("</MultiGeometry>");
        }
        Geometry::GeometryCollection(c) => {
            out.push_str("<MultiGeometry>");
            for g in c {
                write_geometry(out, g)?;
            }
            out.push_str("</MultiGeometry>");
        }
    }
    Ok(())
}
