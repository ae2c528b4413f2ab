//! Vector data in the formats planners exchange: GeoJSON, Shapefile, GeoPackage, KML/KMZ, DXF
//! and CSV. Every path that reads or writes one of them (the import dialog, data layers of a
//! project, `onemap info`, `onemap convert`) goes through [`read`] and [`write`], one reader and
//! one writer per format.
//!
//! A reader gives the file as it is: its tables, fields, features with their attributes, the
//! coordinates **in the file's own CRS** and what the file declares about its CRS and text
//! encoding. Turning coordinates into WGS84 is the caller's step (`model::crs`), because the user
//! may have to confirm or pick the CRS first. A writer takes tables whose coordinates are already
//! in the CRS it is asked to write.
//!
//! All formats are pure Rust at run time (the planners' Windows PCs have no GDAL); GDAL's
//! `ogrinfo`/`ogr2ogr` are the oracle of the tests.

pub mod csv;
pub mod dxf;
pub mod encoding;
pub mod geojson;
pub mod gpkg;
pub mod kml;
mod progress;
pub mod shapefile;

use std::path::Path;

pub use crate::model::attributes::Attributes;

use super::error::IoError;
pub use super::geojson_reader::Progress;

/// The formats OneMap reads, chosen by the file's extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    GeoJson,
    /// `.shp` with `.shx`, `.dbf`, `.prj`, `.cpg` beside it, or all of them in a `.zip`.
    Shapefile,
    GeoPackage,
    Kml,
    /// Zipped KML.
    Kmz,
    Dxf,
    Csv,
}

impl Format {
    /// The format a path's extension names (case-insensitive), or `None`.
    pub fn of_path(path: &Path) -> Option<Self> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "geojson" | "json" => Self::GeoJson,
            "shp" | "zip" => Self::Shapefile,
            "gpkg" => Self::GeoPackage,
            "kml" => Self::Kml,
            "kmz" => Self::Kmz,
            "dxf" => Self::Dxf,
            "csv" | "txt" => Self::Csv,
            _ => return None,
        })
    }

    /// The name users know it by.
    pub fn name(self) -> &'static str {
        match self {
            Self::GeoJson => "GeoJSON",
            Self::Shapefile => "Shapefile",
            Self::GeoPackage => "GeoPackage",
            Self::Kml => "KML",
            Self::Kmz => "KMZ",
            Self::Dxf => "DXF",
            Self::Csv => "CSV",
        }
    }

    /// Whether OneMap writes this format (`onemap convert`, exports).
    pub fn writable(self) -> bool {
        !matches!(self, Self::Dxf)
    }

    /// The extensions of the file dialogs, readable formats.
    pub const READ_EXTENSIONS: &'static [&'static str] = &[
        "geojson", "json", "shp", "zip", "gpkg", "kml", "kmz", "dxf", "csv", "txt",
    ];
}

/// The type of an attribute field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FieldKind {
    Integer,
    Real,
    Text,
    Boolean,
    /// A date (`YYYY-MM-DD`, stored as text in the feature's attributes).
    Date,
}

impl FieldKind {
    pub fn name(self) -> &'static str {
        match self {
            Self::Integer => "Integer",
            Self::Real => "Real",
            Self::Text => "String",
            Self::Boolean => "Boolean",
            Self::Date => "Date",
        }
    }
}

/// An attribute field of a table, in the file's order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field {
    pub name: String,
    pub kind: FieldKind,
}

/// One feature: its geometry (in the table's CRS; `None` when the file has none for it) and its
/// attributes by field name (JSON values: numbers, strings, booleans, null), kept as a data
/// layer keeps them ([`Attributes`]: one shared list of names for a table's features), so that
/// an import moves them into the layer instead of building them again.
#[derive(Clone, Debug, PartialEq)]
pub struct DataFeature {
    pub geometry: Option<geo::Geometry<f64>>,
    pub attributes: Attributes,
}

/// The names of `fields`, in their order.
pub fn field_names(fields: &[Field]) -> Vec<&str> {
    fields.iter().map(|f| f.name.as_str()).collect()
}

/// What a file says about its coordinate reference system.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DeclaredCrs {
    /// Nothing (a Shapefile without `.prj`, a DXF, a CSV): the user or a guess must say.
    Unknown,
    /// The format is always WGS84 (GeoJSON by RFC 7946, KML).
    Wgs84ByFormat,
    /// An EPSG code (a GeoPackage `srs_id` whose organization is EPSG).
    Epsg(u32),
    /// A WKT definition (a Shapefile's `.prj`, a GeoPackage SRS without an EPSG code).
    Wkt(String),
}

/// Whether a text encoding came from the file or was guessed from its bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EncodingSource {
    /// The file said so (a `.cpg`, the DBF language-driver byte).
    Declared,
    /// Nothing said so; detected from the bytes.
    Guessed,
    /// The caller (the user) chose it.
    Chosen,
}

/// The text encoding a table was read with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TextEncoding {
    pub encoding: &'static encoding_rs::Encoding,
    pub source: EncodingSource,
}

/// One table of a file: a Shapefile, a GeoPackage table, a KML document, a DXF drawing, a CSV.
#[derive(Clone, Debug, PartialEq)]
pub struct DataTable {
    pub name: String,
    pub fields: Vec<Field>,
    pub features: Vec<DataFeature>,
    pub crs: DeclaredCrs,
    /// For formats that store text in a legacy encoding (DBF, CSV); `None` for UTF-8-only ones.
    pub encoding: Option<TextEncoding>,
    /// What the reader did not take, one line each ("3 HATCH entities", …), for the report.
    pub skipped: Vec<String>,
}

/// A file as read.
#[derive(Clone, Debug, PartialEq)]
pub struct Dataset {
    pub format: Format,
    pub tables: Vec<DataTable>,
}

/// How a CSV's coordinates are found: the user's choice, else detected from the header.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CsvColumns {
    pub x: String,
    pub y: String,
}

/// Choices that override what the reader would detect.
#[derive(Clone, Debug, Default)]
pub struct ReadOptions<'a> {
    /// The text encoding to use instead of the declared or guessed one.
    pub encoding: Option<&'static encoding_rs::Encoding>,
    /// Only this table (GeoPackage table, KML folder is not a table); `None` reads all.
    pub table: Option<String>,
    /// CSV coordinate columns.
    pub csv_columns: Option<CsvColumns>,
    pub progress: Option<&'a Progress>,
}

/// Choices for a writer.
#[derive(Clone, Debug, Default)]
pub struct WriteOptions {
    /// DBF/CSV text encoding; `None` is UTF-8 (with a `.cpg` for a Shapefile).
    pub encoding: Option<&'static encoding_rs::Encoding>,
    /// The CRS the coordinates are in, written into `.prj` / `srs_id`: `None` is WGS84.
    pub crs_wkt: Option<String>,
    pub crs_epsg: Option<u32>,
}

/// Reads a file in the format its extension names.
pub fn read(path: &Path, options: &ReadOptions) -> Result<Dataset, IoError> {
    let format = Format::of_path(path).ok_or_else(|| unknown_format(path))?;
    super::open::regular_file_size(path, u64::MAX, "data files")?;
    let tables = match format {
        Format::GeoJson => geojson::read(path, options)?,
        Format::Shapefile => shapefile::read(path, options)?,
        Format::GeoPackage => gpkg::read(path, options)?,
        Format::Kml | Format::Kmz => kml::read(path, format, options)?,
        Format::Dxf => dxf::read(path, options)?,
        Format::Csv => csv::read(path, options)?,
    };
    Ok(Dataset { format, tables })
}

/// Writes tables in the format the path's extension names, atomically: on an error nothing is
/// left at `path` (nor beside it, for the Shapefile's sidecar files).
pub fn write(path: &Path, tables: &[DataTable], options: &WriteOptions) -> Result<(), IoError> {
    let format = Format::of_path(path).ok_or_else(|| unknown_format(path))?;
    match format {
        Format::GeoJson => geojson::write(path, tables, options),
        Format::Shapefile => shapefile::write(path, tables, options),
        Format::GeoPackage => gpkg::write(path, tables, options),
        Format::Kml | Format::Kmz => kml::write(path, format, tables, options),
        Format::Csv => csv::write(path, tables, options),
        Format::Dxf => Err(IoError::invalid(
            path,
            "OneMap reads DXF drawings but does not write them; choose .gpkg, .shp, .kml, .geojson or .csv",
        )),
    }
}

fn unknown_format(path: &Path) -> IoError {
    IoError::invalid(
        path,
        "is not a format OneMap reads (by its extension): use .geojson, .shp, .zip, .gpkg, .kml, .kmz, .dxf or .csv",
    )
}
