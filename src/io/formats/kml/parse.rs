//! One pass over a KML document with quick-xml's streaming reader, keeping what OneMap uses:
//! Placemarks (name, description, enclosing Folder names, ExtendedData, geometry), the
//! Schemas that type SchemaData fields, and NetworkLink targets. Everything else (styles,
//! LookAt, gx: extensions, …) is passed over. The element stack is a vector on the heap: a
//! deeply nested file cannot overflow the program's stack.

use std::collections::HashMap;

use geo::Geometry;
use quick_xml::Reader;
use quick_xml::events::{BytesRef, BytesStart, Event};

use super::geometry::{Boundary, Builder, Shape};
use crate::io::error::IoError;
use crate::io::formats::progress::Stage;

/// XML events between two progress reports (and looks at Cancel): a few milliseconds.
const EVENTS_PER_REPORT: usize = 1 << 14;

/// Why a document was not read.
#[derive(Debug)]
pub(super) enum Failure {
    /// What is wrong and where, to follow the file's name.
    Invalid(String),
    Cancelled(IoError),
}

impl From<String> for Failure {
    fn from(message: String) -> Self {
        Self::Invalid(message)
    }
}

impl From<&str> for Failure {
    fn from(message: &str) -> Self {
        Self::Invalid(message.to_owned())
    }
}

/// A Placemark as read, before its fields are typed.
#[derive(Debug, Default)]
pub(super) struct RawPlacemark {
    pub name: Option<String>,
    pub description: Option<String>,
    /// The names of the enclosing Folders, outermost first, joined by "/".
    pub folder: Option<String>,
    /// ExtendedData in file order: (name, value, schema id of a SchemaData).
    pub data: Vec<(String, String, Option<String>)>,
    pub geometry: Option<Geometry<f64>>,
    /// A geometry element OneMap does not read (Model), for the report.
    pub unread: Option<&'static str>,
}

/// A NetworkLink: another KML file, by its href.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Link {
    pub name: Option<String>,
    pub href: String,
}

#[derive(Debug, Default)]
pub(super) struct Parsed {
    pub placemarks: Vec<RawPlacemark>,
    /// Schema id → field name → declared type ("int", "double", "string", …).
    pub schemas: HashMap<String, HashMap<String, String>>,
    pub links: Vec<Link>,
}

/// The elements the reader acts on; anything else is `Other`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Elem {
    /// The outermost Document (a Document inside it is a container like a Folder).
    Document,
    Folder,
    Placemark,
    Geometry(Shape),
    Outer,
    Inner,
    Coordinates,
    TrackCoord,
    Name,
    Description,
    Data,
    Value,
    SchemaData,
    SimpleData,
    Schema,
    NetworkLink,
    Href,
    Other,
}

impl Elem {
    /// Leaves whose text is kept.
    fn has_text(self) -> bool {
        matches!(
            self,
            Self::Name
                | Self::Description
                | Self::Coordinates
                | Self::TrackCoord
                | Self::Value
                | Self::SimpleData
                | Self::Href
        )
    }
}

#[derive(Default)]
struct State {
    parsed: Parsed,
    prefix: Option<String>,
    stack: Vec<Elem>,
    folders: Vec<Option<String>>,
    placemark: Option<RawPlacemark>,
    builders: Vec<Builder>,
    text: String,
    /// The `name` attribute of the open Data or SimpleData, its value, the open SchemaData's
    /// schema, the open Schema's id.
    data_name: Option<String>,
    data_value: Option<String>,
    schema_url: Option<String>,
    schema_id: Option<String>,
    link: Option<Link>,
    seen_root: bool,
    /// Whether the outermost Document is open.
    in_document: bool,
}

/// Reads a KML document. `prefix` is put before every folder path (the name of the
/// NetworkLink that led to this document). The error says what is wrong and where. The bar
/// moves across `stage` (positions are bytes of `text`).
pub(super) fn parse(text: &str, prefix: Option<String>, stage: &Stage) -> Result<Parsed, Failure> {
    let mut reader = Reader::from_str(text);
    reader.config_mut().expand_empty_elements = true;
    let mut state = State {
        prefix,
        ..State::default()
    };
    let at_line = |pos: u64| {
        let pos = usize::try_from(pos).unwrap_or(usize::MAX).min(text.len());
        let prefix = text.get(..pos).unwrap_or(text);
        prefix.matches('\n').count() + 1
    };
    for n in 0usize.. {
        if n.is_multiple_of(EVENTS_PER_REPORT) {
            stage
                .at(reader.buffer_position())
                .map_err(Failure::Cancelled)?;
        }
        let event = reader.read_event().map_err(|e| {
            let line = at_line(reader.error_position());
            // An error at the very end is a file cut short in the middle of a tag.
            if usize::try_from(reader.buffer_position()).is_ok_and(|p| p >= text.len()) {
                format!("is cut short: it ends inside a tag (line {line}: {e})")
            } else {
                format!("is not valid XML (line {line}): {e}")
            }
        })?;
        let step = match event {
            Event::Start(e) => state.start(&e),
            Event::End(e) => state.end(e.local_name().as_ref()),
            Event::Text(t) => {
                if let Ok(s) = t.xml10_content() {
                    state.text.push_str(&s);
                }
                Ok(())
            }
            Event::CData(c) => {
                if let Ok(s) = c.decode() {
                    state.text.push_str(&s);
                }
                Ok(())
            }
            Event::GeneralRef(r) => {
                push_reference(&mut state.text, &r);
                Ok(())
            }
            Event::Eof => break,
            _ => Ok(()),
        };
        step.map_err(|e| format!("line {}: {e}", at_line(reader.buffer_position())))?;
    }
    if !state.seen_root {
        return Err("is not KML: it has no <kml> element".into());
    }
    if !state.stack.is_empty() {
        return Err("is cut short: it ends before its elements are closed".into());
    }
    Ok(state.parsed)
}

/// `&amp;`, `&#20013;` and the other references of XML; an unknown one (an HTML entity such as
/// `&nbsp;` in a description) is kept as written.
fn push_reference(text: &mut String, r: &BytesRef) {
    if let Ok(Some(c)) = r.resolve_char_ref() {
        text.push(c);
        return;
    }
    let name = r.decode().unwrap_or_default();
    match quick_xml::escape::resolve_predefined_entity(&name) {
        Some(s) => text.push_str(s),
        None => {
            text.push('&');
            text.push_str(&name);
            text.push(';');
        }
    }
}

fn attribute(e: &BytesStart, name: &str) -> Option<String> {
    let attr = e.try_get_attribute(name).ok().flatten()?;
    attr.normalized_value(quick_xml::XmlVersion::Implicit1_0)
        .ok()
        .map(|v| v.into_owned())
}

impl State {
    fn start(&mut self, e: &BytesStart) -> Result<(), String> {
        let local = e.local_name();
        let local = local.as_ref();
        if !self.seen_root {
            if local != b"kml" {
                let name = String::from_utf8_lossy(local);
                return Err(format!("is not KML: its first element is <{name}>"));
            }
            self.seen_root = true;
        }
        let in_placemark = self.placemark.is_some();
        let elem = match (local, Shape::of_local_name(local)) {
            (_, Some(shape)) if in_placemark => {
                self.builders.push(Builder::new(shape));
                Elem::Geometry(shape)
            }
            (b"Document", _) if !self.in_document => {
                self.in_document = true;
                Elem::Document
            }
            // A Document inside the Document is a container like a Folder (GDAL writes a
            // layer so, and Google Earth shows it so).
            (b"Folder" | b"Document", _) => {
                self.folders.push(None);
                Elem::Folder
            }
            (b"Placemark", _) => {
                if in_placemark {
                    return Err("a Placemark inside another Placemark".into());
                }
                self.placemark = Some(RawPlacemark {
                    folder: self.folder_path(),
                    ..RawPlacemark::default()
                });
                Elem::Placemark
            }
            (b"outerBoundaryIs", _) => Elem::Outer,
            (b"innerBoundaryIs", _) => Elem::Inner,
            (b"coordinates", _) => Elem::Coordinates,
            (b"coord", _) => Elem::TrackCoord,
            (b"name", _) => Elem::Name,
            (b"description", _) => Elem::Description,
            (b"Data", _) => {
                self.data_name = attribute(e, "name");
                self.data_value = None;
                Elem::Data
            }
            (b"value", _) => Elem::Value,
            (b"SchemaData", _) => {
                self.schema_url = attribute(e, "schemaUrl");
                Elem::SchemaData
            }
            (b"SimpleData", _) => {
                self.data_name = attribute(e, "name");
                Elem::SimpleData
            }
            (b"Schema", _) => {
                self.schema_id = attribute(e, "id").or_else(|| attribute(e, "name"));
                Elem::Schema
            }
            (b"SimpleField", _) => {
                self.schema_field(e);
                Elem::Other
            }
            (b"NetworkLink", _) => {
                self.link = Some(Link {
                    name: None,
                    href: String::new(),
                });
                Elem::NetworkLink
            }
            (b"href", _) => Elem::Href,
            (b"Model", _) => {
                if let Some(p) = self.placemark.as_mut() {
                    p.unread = Some("a 3D model (Model)");
                }
                Elem::Other
            }
            _ => Elem::Other,
        };
        if elem.has_text() {
            self.text.clear();
        }
        self.stack.push(elem);
        Ok(())
    }

    fn schema_field(&mut self, e: &BytesStart) {
        let (Some(schema), Some(name)) = (self.schema_id.clone(), attribute(e, "name")) else {
            return;
        };
        let kind = attribute(e, "type").unwrap_or_default();
        self.parsed
            .schemas
            .entry(schema)
            .or_default()
            .insert(name, kind);
    }

    fn folder_path(&self) -> Option<String> {
        let names: Vec<&str> = self
            .prefix
            .iter()
            .map(String::as_str)
            .chain(self.folders.iter().flatten().map(String::as_str))
            .filter(|n| !n.is_empty())
            .collect();
        (!names.is_empty()).then(|| names.join("/"))
    }

    fn end(&mut self, _local: &[u8]) -> Result<(), String> {
        let Some(elem) = self.stack.pop() else {
            return Ok(());
        };
        let parent = self.stack.last().copied();
        match elem {
            Elem::Name => self.end_name(parent),
            Elem::Description => {
                if let (Some(Elem::Placemark), Some(p)) = (parent, self.placemark.as_mut()) {
                    p.description = Some(self.text.trim().to_owned());
                }
            }
            Elem::Coordinates => {
                if let Some(b) = self.builders.last_mut() {
                    b.set_coordinates(&self.text)
                        .map_err(|e| self.in_placemark(e))?;
                }
            }
            Elem::TrackCoord => {
                if let Some(b) = self.builders.last_mut() {
                    b.push_track_coord(&self.text)
                        .map_err(|e| self.in_placemark(e))?;
                }
            }
            Elem::Geometry(_) => self.end_geometry(parent)?,
            Elem::Value => {
                if parent == Some(Elem::Data) {
                    self.data_value = Some(self.text.trim().to_owned());
                }
            }
            Elem::Data => {
                let value = self.data_value.take().unwrap_or_default();
                self.push_data(value, None);
            }
            Elem::SimpleData => {
                let value = self.text.trim().to_owned();
                let schema = self
                    .schema_url
                    .as_deref()
                    .map(|u| u.trim_start_matches('#').to_owned());
                self.push_data(value, schema);
            }
            Elem::SchemaData => self.schema_url = None,
            Elem::Schema => self.schema_id = None,
            Elem::Folder => {
                self.folders.pop();
            }
            Elem::Placemark => {
                if let Some(p) = self.placemark.take() {
                    self.parsed.placemarks.push(p);
                }
                self.builders.clear();
            }
            Elem::Href => {
                if let Some(link) = self.link.as_mut() {
                    link.href = self.text.trim().to_owned();
                }
            }
            Elem::NetworkLink => {
                if let Some(link) = self.link.take().filter(|l| !l.href.is_empty()) {
                    self.parsed.links.push(link);
                }
            }
            Elem::Document => self.in_document = false,
            Elem::Outer | Elem::Inner | Elem::Other => {}
        }
        Ok(())
    }

    fn end_name(&mut self, parent: Option<Elem>) {
        let name = self.text.trim().to_owned();
        match parent {
            Some(Elem::Placemark) => {
                if let Some(p) = self.placemark.as_mut() {
                    p.name = Some(name);
                }
            }
            Some(Elem::Folder) => {
                if let Some(f) = self.folders.last_mut() {
                    *f = Some(name);
                }
            }
            Some(Elem::NetworkLink) => {
                if let Some(link) = self.link.as_mut() {
                    link.name = Some(name);
                }
            }
            _ => {}
        }
    }

    fn push_data(&mut self, value: String, schema: Option<String>) {
        if let (Some(name), Some(p)) = (self.data_name.take(), self.placemark.as_mut()) {
            p.data.push((name, value, schema));
        }
    }

    /// A geometry element closed: it becomes a part of the geometry around it, or the
    /// Placemark's geometry.
    fn end_geometry(&mut self, parent: Option<Elem>) -> Result<(), String> {
        let Some(builder) = self.builders.pop() else {
            return Ok(());
        };
        let shape = builder.shape();
        let geometry = builder.finish().map_err(|e| self.in_placemark(e))?;
        let Some(geometry) = geometry else {
            return Ok(());
        };
        let boundary = match parent {
            Some(Elem::Outer) => Some(Boundary::Outer),
            Some(Elem::Inner) => Some(Boundary::Inner),
            _ => None,
        };
        if let Some(outer) = self.builders.last_mut() {
            return outer
                .add_child(geometry, boundary)
                .map_err(|e| self.in_placemark(e));
        }
        match self.placemark.as_mut() {
            Some(p) if p.geometry.is_some() => Err(self.in_placemark(format!(
                "a second geometry ({shape:?}) outside a MultiGeometry"
            ))),
            Some(p) => {
                p.geometry = Some(geometry);
                Ok(())
            }
            None => Ok(()),
        }
    }

    /// An error about the open Placemark, naming it.
    fn in_placemark(&self, message: String) -> String {
        let number = self.parsed.placemarks.len() + 1;
        match self.placemark.as_ref().and_then(|p| p.name.as_deref()) {
            Some(name) => format!("placemark {number} ({name}): {message}"),
            None => format!("placemark {number}: {message}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::formats::progress::Meter;

    /// A document read without a progress bar; the error's words.
    fn parse(text: &str, prefix: Option<String>) -> Result<Parsed, String> {
        let meter = Meter::new(None, std::path::Path::new("t.kml"), 1);
        super::parse(text, prefix, &meter.stage(0, 1, 1)).map_err(|e| match e {
            Failure::Invalid(message) => message,
            Failure::Cancelled(e) => e.to_string(),
        })
    }

    const KML: &str = r##"<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2" xmlns:gx="http://www.google.com/kml/ext/2.2">
<Document><name>文档</name>
<Schema name="s" id="s1"><SimpleField name="人口" type="int"/></Schema>
<Folder><name>规划</name><Folder><name>绿道</name>
<Placemark><name>A &amp; B</name><description><![CDATA[<b>粗</b>]]></description>
<ExtendedData><Data name="等级"><value>一级</value></Data>
<SchemaData schemaUrl="#s1"><SimpleData name="人口">12</SimpleData></SchemaData></ExtendedData>
<gx:balloonVisibility>1</gx:balloonVisibility>
<Point><coordinates>121.5,31.2,0</coordinates></Point></Placemark>
</Folder></Folder>
<Document><name>表</name><Placemark><Polygon><outerBoundaryIs><LinearRing><coordinates>0,0 4,0 4,4 0,0</coordinates></LinearRing></outerBoundaryIs>
<innerBoundaryIs><LinearRing><coordinates>1,1 2,1 2,2 1,1</coordinates></LinearRing></innerBoundaryIs></Polygon></Placemark></Document>
<NetworkLink><name>层</name><Link><href>layers/a.kml</href></Link></NetworkLink>
</Document></kml>"##;

    #[test]
    fn placemarks_folders_data_and_schemas_are_read() {
        let parsed = parse(KML, None).unwrap();
        assert_eq!(parsed.placemarks.len(), 2);
        let a = &parsed.placemarks[0];
        assert_eq!(a.name.as_deref(), Some("A & B"));
        assert_eq!(a.description.as_deref(), Some("<b>粗</b>"));
        assert_eq!(a.folder.as_deref(), Some("规划/绿道"));
        assert_eq!(
            a.data,
            [
                ("等级".to_owned(), "一级".to_owned(), None),
                ("人口".to_owned(), "12".to_owned(), Some("s1".to_owned()))
            ]
        );
        assert_eq!(a.geometry, Some(geo::Point::new(121.5, 31.2).into()));
        let b = &parsed.placemarks[1];
        assert_eq!(
            b.folder.as_deref(),
            Some("表"),
            "a Document inside the Document"
        );
        let Some(Geometry::Polygon(p)) = &b.geometry else {
            panic!("a polygon: {b:?}")
        };
        assert_eq!(p.interiors().len(), 1);
        assert_eq!(parsed.schemas["s1"]["人口"], "int");
        assert_eq!(
            parsed.links,
            [Link {
                name: Some("层".into()),
                href: "layers/a.kml".into()
            }]
        );
    }

    #[test]
    fn broken_documents_are_refused_in_words() {
        let cut = &KML[..KML.find("<Polygon>").unwrap()];
        for (text, expected) in [
            (cut, "cut short"),
            ("<html><body/></html>", "its first element is <html>"),
            ("", "no <kml> element"),
            ("<kml><Placemark></Folder></kml>", "not valid XML (line 1)"),
            (
                "<kml>\n<Placemark><name>x</name><Point><coordinates>1,北</coordinates></Point></Placemark></kml>",
                "line 2: placemark 1 (x): coordinate '1,北'",
            ),
            (
                "<kml><Placemark><Point><coordinates>1,2</coordinates></Point><Point><coordinates>1,2</coordinates></Point></Placemark></kml>",
                "a second geometry",
            ),
        ] {
            let e = parse(text, None).unwrap_err();
            assert!(e.contains(expected), "{e:?} should say {expected:?}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]

        /// Any damage to a KML document is an error or a reading, never a panic or a hang.
        #[test]
        fn damaged_documents_never_panic(
            cut in 0usize..2000,
            flips in proptest::collection::vec((0usize..2000, 0usize..12), 0..6),
        ) {
            const PIECES: [&str; 12] = [
                "<", ">", "/", "\"", "&", ",", " ", "<Point>", "</Placemark>", "<MultiGeometry>",
                "<outerBoundaryIs>", "]]>",
            ];
            let mut text = KML.to_owned();
            for (at, piece) in flips {
                let mut at = at.min(text.len());
                while !text.is_char_boundary(at) {
                    at -= 1;
                }
                text.insert_str(at, PIECES[piece]);
            }
            let mut cut = cut.min(text.len());
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            let _ = parse(&text[..cut], None);
        }
    }
}
