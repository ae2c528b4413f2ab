//! The one GeoJSON reader. Plan layers, the basemap, sketch imports, embedded sketch layers,
//! `validate` and `export --geojson` all read through [`read_file`] or [`read_str`], so that
//! one file gives one report everywhere.
//!
//! **Design.** A typed serde parse (`parse`) with lenient visitors: each entry of `features` is
//! checked (`validate`) and converted to a `geo` geometry as soon as it is read, so only one
//! feature's raw coordinates exist at a time, and the caller's `keep` turns it into whatever
//! that caller stores (nothing, for `validate`). Positions are parsed straight into
//! `geo::Coord`s; properties are kept as JSON or skipped unread ([`PropertiesMode`]), and a
//! skipped value is still checked as a kept one would be. Every input, file or text, takes one
//! way: the file's bytes are read (in two halves at once when large), then parsed entry by
//! entry (`split`), on two cores for a large file; the one-pass parse of the whole document
//! takes over where that cannot be used (a single Feature, an unusual layout, broken JSON,
//! whose error then gets its line and column). Memory: the file's bytes plus what is kept.
//!
//! **Why not `geojson::FeatureReader`.** The crate's reader (0.24, `FeatureIterator`) skips to
//! the first `[` in the file, so a `bbox` before `features` is taken for the features; an entry
//! that is not a Feature is an error of the iteration, not a report; each feature is read into
//! a JSON tree before it is converted, with positions as `Vec<f64>`, where the typed parse here
//! allocates neither; and each feature's parser starts afresh, so an error's line and column
//! are not the file's. `geojson` still writes every GeoJSON we export.
//!
//! **The rules** (`validate`): an entry that is not a Feature object, properties that are not
//! an object, an unknown geometry type, missing or mis-nested coordinates, a position of fewer
//! than two numbers, a non-finite number, a line of fewer than 2 positions, a polygon ring of
//! fewer than 4 positions or not closed: each is a [`Problem`] naming the entry. A feature whose
//! geometry is `null` is valid (RFC 7946 §3.2) and is reported as having no geometry. A
//! coordinate outside ±180/±90 refuses the whole file as being in a projected CRS. Broken JSON
//! is an error with its line and column.

mod parse;
mod split;
mod validate;

use std::fmt;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use serde::de::DeserializeSeed as _;
use serde_json::{Map, Value};

use super::error::IoError;
use parse::{Entry, FeaturesMember, RawFeature, RawGeometry, Root, RootSeed, Sink};
pub(crate) use parse::{Properties, Shape};
use validate::{Checked, check_entry};

/// GeoJSON files larger than this are refused before they are read, unless the environment
/// variable [`MAX_BYTES_VARIABLE`] (in MiB) says otherwise. Reading takes about the file's size
/// again in memory, plus what is kept.
pub const DEFAULT_MAX_BYTES: u64 = 1 << 30;

/// The environment variable that sets the size limit, in MiB.
pub const MAX_BYTES_VARIABLE: &str = "ONEMAP_MAX_GEOJSON_MB";

/// The size limit in force: [`MAX_BYTES_VARIABLE`] if it is set to a number, else the default.
pub fn max_bytes() -> u64 {
    std::env::var(MAX_BYTES_VARIABLE)
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map_or(DEFAULT_MAX_BYTES, |mib| mib.saturating_mul(1 << 20))
}

/// One feature that passed every check.
#[derive(Clone, Debug, PartialEq)]
pub struct Feature {
    /// The feature's `id` member, if any.
    pub id: Option<Value>,
    /// All properties as in the file (empty when they were not asked for).
    pub properties: Map<String, Value>,
    pub geometry: geo::Geometry<f64>,
}

/// What is wrong with an entry of `features` (or with the one feature or geometry of a file
/// that holds only that).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProblemKind {
    NotAnObject,
    NotAFeature,
    PropertiesNotAnObject,
    /// Not an error (RFC 7946 §3.2), but there is nothing to draw or import.
    NoGeometry,
    GeometryNotAnObject,
    /// The type as written (empty when there is none).
    UnknownGeometryType(String),
    NoCoordinates(String),
    NoGeometries,
    /// Coordinates nested too deeply or too shallowly for the geometry type named.
    Nesting(String),
    ShortPosition(usize),
    NotANumber,
    NotFinite,
    ShortLine(usize),
    NoRings,
    ShortRing(usize),
    UnclosedRing,
}

impl fmt::Display for ProblemKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = |n: &usize| if *n == 1 { "" } else { "s" };
        match self {
            Self::NotAnObject => write!(f, "is not a JSON object"),
            Self::NotAFeature => write!(f, "is not a Feature"),
            Self::PropertiesNotAnObject => write!(f, "has properties that are not an object"),
            Self::NoGeometry => write!(f, "has no geometry"),
            Self::GeometryNotAnObject => write!(f, "has a geometry that is not a JSON object"),
            Self::UnknownGeometryType(t) if t.is_empty() => {
                write!(f, "has a geometry without a type")
            }
            Self::UnknownGeometryType(t) => write!(f, "has a geometry of unknown type `{t}`"),
            Self::NoCoordinates(t) => write!(f, "has a {t} without coordinates"),
            Self::NoGeometries => write!(f, "has a GeometryCollection without geometries"),
            Self::Nesting(t) => write!(f, "has {t} coordinates nested wrongly"),
            Self::ShortPosition(n) => write!(
                f,
                "has a position of {n} number{}; it needs longitude and latitude",
                s(n)
            ),
            Self::NotANumber => write!(f, "has a coordinate that is not a number"),
            Self::NotFinite => write!(f, "has a coordinate that is not a finite number"),
            Self::ShortLine(n) => write!(
                f,
                "has a line of {n} position{}; a line needs at least 2",
                s(n)
            ),
            Self::NoRings => write!(f, "has a polygon without rings"),
            Self::ShortRing(n) => write!(
                f,
                "has a polygon ring of {n} position{}; a ring needs at least 4",
                s(n)
            ),
            Self::UnclosedRing => write!(f, "has a polygon ring that is not closed"),
        }
    }
}

/// An entry that was not read as a feature, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The entry's 0-based position in `features`.
    pub index: usize,
    /// The `id` property or the `id` member, when the entry has one.
    pub id: Option<String>,
    pub kind: ProblemKind,
}

impl Problem {
    /// Whether the file is wrong here: everything but a feature without geometry.
    pub fn is_error(&self) -> bool {
        self.kind != ProblemKind::NoGeometry
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "feature {}", self.index)?;
        if let Some(id) = &self.id {
            write!(f, " ({id})")?;
        }
        write!(f, " {}", self.kind)
    }
}

/// What reading found: how many entries, and the ones that were not read, in file order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub entries: usize,
    pub problems: Vec<Problem>,
}

impl Report {
    /// The problems that make the file wrong (all but features without geometry).
    pub fn errors(&self) -> impl Iterator<Item = &Problem> {
        self.problems.iter().filter(|p| p.is_error())
    }

    pub fn has_errors(&self) -> bool {
        self.errors().next().is_some()
    }
}

/// What the document is at its top level.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TopLevel {
    FeatureCollection,
    Feature,
    Geometry,
}

/// A read file: what `keep` made of each good feature, in file order, and the report.
#[derive(Debug)]
pub struct GeoJson<T> {
    pub features: Vec<T>,
    pub report: Report,
    pub top: TopLevel,
    /// The top-level members other than the GeoJSON ones (`name`, `bbox`, `note`, …).
    pub members: Map<String, Value>,
}

/// Whether feature properties are read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PropertiesMode {
    Keep,
    /// Skipped unread (faster); a problem still names the feature by its `id` property.
    Skip,
}

/// Progress of a background read: bytes read so far, and a flag that cancels it.
#[derive(Clone, Debug, Default)]
pub struct Progress {
    pub bytes_read: Arc<AtomicU64>,
    pub cancel: Arc<AtomicBool>,
}

#[derive(Clone, Copy, Debug)]
pub struct ReadOptions<'a> {
    pub properties: PropertiesMode,
    /// Larger files are refused before they are read.
    pub max_bytes: u64,
    /// With progress, the reading reports how far it got and can be cancelled; without, a
    /// large file is parsed in two halves at once.
    pub progress: Option<&'a Progress>,
    /// Keep coordinates outside ±180/±90 (a GeoJSON in a projected CRS, as older GDAL wrote
    /// with a `crs` member) instead of refusing the file; for the data-file import, which
    /// converts them.
    pub allow_projected: bool,
}

impl ReadOptions<'_> {
    pub fn new(properties: PropertiesMode) -> Self {
        Self {
            properties,
            max_bytes: max_bytes(),
            progress: None,
            allow_projected: false,
        }
    }
}

/// Why reading stopped before the end.
#[derive(Clone, Copy, Debug)]
enum Stop {
    OutOfRange(geo::Coord<f64>),
    Cancelled,
}

/// The entries of a file, checked one by one as they are read.
struct Collector<'k, T, F> {
    keep: &'k F,
    features: Vec<T>,
    report: Report,
    stop: Option<Stop>,
    cancel: Option<&'k AtomicBool>,
    allow_projected: bool,
}

impl<'k, T, F: Fn(Feature) -> T> Collector<'k, T, F> {
    fn new(keep: &'k F) -> Self {
        Self {
            keep,
            features: Vec::new(),
            report: Report::default(),
            stop: None,
            cancel: None,
            allow_projected: false,
        }
    }
}

impl<P: Properties, T, F: Fn(Feature) -> T> Sink<P> for Collector<'_, T, F> {
    fn entry(&mut self, entry: Entry<P>) -> Result<(), ()> {
        if self.cancel.is_some_and(|c| c.load(Ordering::Relaxed)) {
            self.stop = Some(Stop::Cancelled);
            return Err(());
        }
        let index = self.report.entries;
        self.report.entries += 1;
        match check_entry(entry, self.allow_projected) {
            Checked::Feature(f) => self.features.push((self.keep)(f)),
            Checked::Problem(kind, id) => self.report.problems.push(Problem { index, id, kind }),
            Checked::OutOfRange(c) => {
                self.stop = Some(Stop::OutOfRange(c));
                return Err(());
            }
        }
        Ok(())
    }
}

/// Reads a GeoJSON file (a FeatureCollection, a Feature or a bare geometry), handing each good
/// feature to `keep`. Refuses before reading anything that is not a regular file or is larger
/// than `options.max_bytes`.
pub fn read_file<T: Send, F: Fn(Feature) -> T + Sync>(
    path: &Path,
    options: &ReadOptions,
    keep: F,
) -> Result<GeoJson<T>, IoError> {
    let size = check_file(path, options.max_bytes)?;
    match options.properties {
        PropertiesMode::Keep => read_file_as::<Value, T, F>(path, size, options, &keep),
        PropertiesMode::Skip => read_file_as::<Shape, T, F>(path, size, options, &keep),
    }
}

/// The geometries of a file, to be drawn: properties are skipped unread. A file with a problem
/// is refused, with every entry that was not read named; a feature without geometry has
/// nothing to draw and is left out.
pub fn read_geometries(path: &Path) -> Result<Vec<geo::Geometry<f64>>, IoError> {
    read_geometries_as(path, |g| g)
}

/// [`read_geometries`], each geometry made into what `keep` makes of it as soon as it is read
/// (on the core that read it, while its coordinates are still in the cache).
pub fn read_geometries_as<T: Send>(
    path: &Path,
    keep: impl Fn(geo::Geometry<f64>) -> T + Sync,
) -> Result<Vec<T>, IoError> {
    let file = read_file(path, &ReadOptions::new(PropertiesMode::Skip), |f| {
        keep(f.geometry)
    })?;
    if file.report.has_errors() {
        return Err(IoError::Features {
            path: path.to_owned(),
            problems: file.report.problems,
        });
    }
    Ok(file.features)
}

/// Reads GeoJSON text as [`read_file`] reads a file; `path` names it in errors.
pub fn read_str<T: Send, F: Fn(Feature) -> T + Sync>(
    path: &Path,
    text: &str,
    properties: PropertiesMode,
    keep: F,
) -> Result<GeoJson<T>, IoError> {
    let options = ReadOptions {
        properties,
        max_bytes: u64::MAX,
        progress: None,
        allow_projected: false,
    };
    read_bytes(path, text.as_bytes(), &options, keep)
}

fn check_file(path: &Path, max_bytes: u64) -> Result<u64, IoError> {
    super::open::regular_file_size(
        path,
        max_bytes,
        "GeoJSON files (ONEMAP_MAX_GEOJSON_MB sets the limit in MiB)",
    )
}

fn read_file_as<P: Properties, T: Send, F: Fn(Feature) -> T + Sync>(
    path: &Path,
    size: u64,
    options: &ReadOptions,
    keep: &F,
) -> Result<GeoJson<T>, IoError> {
    let bytes = split::read_bytes(path, size).map_err(|e| IoError::read(path, e))?;
    read_bytes_as::<P, T, F>(path, &bytes, options, keep)
}

/// Reads a file's bytes as [`read_file`] does, after its checks of the file itself; `path`
/// names it in errors.
pub fn read_bytes<T: Send, F: Fn(Feature) -> T + Sync>(
    path: &Path,
    bytes: &[u8],
    options: &ReadOptions,
    keep: F,
) -> Result<GeoJson<T>, IoError> {
    match options.properties {
        PropertiesMode::Keep => read_bytes_as::<Value, T, F>(path, bytes, options, &keep),
        PropertiesMode::Skip => read_bytes_as::<Shape, T, F>(path, bytes, options, &keep),
    }
}

/// Every input takes this one way: entry by entry first (`split`), and the one-pass parse when
/// that cannot be used. The two agree on every file but one whose entries nest deeper than
/// serde_json's limit of 128 levels (counted from the entry in one, from the document in the
/// other), so that no input is read by one of them here and by the other there.
fn read_bytes_as<P: Properties, T: Send, F: Fn(Feature) -> T + Sync>(
    path: &Path,
    bytes: &[u8],
    options: &ReadOptions,
    keep: &F,
) -> Result<GeoJson<T>, IoError> {
    check_utf8(path, bytes)?;
    let mut collector = Collector::new(keep);
    collector.cancel = options.progress.map(|p| &*p.cancel);
    collector.allow_projected = options.allow_projected;
    let progress = options.progress.map(|p| &*p.bytes_read);
    match split::parse_by_entries::<P, T, F>(bytes, collector, progress) {
        Some(split::ByEntries::Done { root, collector }) => finish(path, *root, collector),
        Some(split::ByEntries::Stopped(collector)) => Err(stopped_error(path, &collector)),
        // A single Feature or geometry, and every error: the one-pass parse, which also gives
        // a JSON error its line and column.
        None => {
            let mut collector = Collector::new(keep);
            collector.cancel = options.progress.map(|p| &*p.cancel);
            collector.allow_projected = options.allow_projected;
            let mut de = serde_json::Deserializer::from_slice(bytes);
            parse_from::<P, _, _, _>(path, &mut de, collector)
        }
    }
}

/// JSON is UTF-8. Checked for the whole file at once: the parser checks only the strings it
/// keeps, so a file would otherwise read differently with and without its properties.
fn check_utf8(path: &Path, bytes: &[u8]) -> Result<(), IoError> {
    if is_utf8(bytes) {
        return Ok(());
    }
    let Err(e) = std::str::from_utf8(bytes) else {
        return Ok(());
    };
    let before = &bytes[..e.valid_up_to()];
    let line = before.iter().filter(|b| **b == b'\n').count() + 1;
    let column = before.len()
        - before
            .iter()
            .rposition(|b| *b == b'\n')
            .map_or(0, |i| i + 1)
        + 1;
    Err(IoError::invalid(
        path,
        format!("not UTF-8 text (an invalid byte at line {line}, column {column})"),
    ))
}

/// Whether the bytes are UTF-8; a large file's two halves are checked at once, on two cores
/// (checking 30 MB took one core ~4 ms while the other waited).
fn is_utf8(bytes: &[u8]) -> bool {
    const HALVES_FROM: usize = 4 << 20;
    let valid = |b: &[u8]| std::str::from_utf8(b).is_ok();
    if bytes.len() < HALVES_FROM {
        return valid(bytes);
    }
    // The second half starts on a character's first byte (not a continuation byte, 10xxxxxx),
    // so that each half is UTF-8 exactly when the whole is.
    let middle = (bytes.len() / 2..bytes.len())
        .find(|&i| bytes[i] & 0xC0 != 0x80)
        .unwrap_or(bytes.len());
    let (first, second) = bytes.split_at(middle);
    std::thread::scope(|scope| {
        let second = scope.spawn(|| valid(second));
        let first = valid(first);
        first && second.join().unwrap_or(false)
    })
}

/// Parses a whole document in one pass.
fn parse_from<'de, P, R, T, F>(
    path: &Path,
    de: &mut serde_json::Deserializer<R>,
    mut collector: Collector<'_, T, F>,
) -> Result<GeoJson<T>, IoError>
where
    P: Properties,
    R: serde_json::de::Read<'de>,
    F: Fn(Feature) -> T,
{
    let root = RootSeed::<_, P>(&mut collector, std::marker::PhantomData)
        .deserialize(&mut *de)
        .and_then(|root| de.end().map(|()| root));
    match root {
        Ok(root) => finish(path, root, collector),
        Err(e) => Err(stopped(path, &collector)
            .or_else(|| cancelled(path, &collector))
            .unwrap_or_else(|| json_error(path, &e))),
    }
}

fn stopped<T, F>(path: &Path, collector: &Collector<'_, T, F>) -> Option<IoError> {
    match collector.stop? {
        Stop::OutOfRange(c) => Some(IoError::Projected {
            path: path.to_owned(),
            x: c.x,
            y: c.y,
        }),
        Stop::Cancelled => Some(IoError::Cancelled {
            path: path.to_owned(),
        }),
    }
}

fn cancelled<T, F>(path: &Path, collector: &Collector<'_, T, F>) -> Option<IoError> {
    collector
        .cancel
        .is_some_and(|c| c.load(Ordering::Relaxed))
        .then(|| IoError::Cancelled {
            path: path.to_owned(),
        })
}

fn json_error(path: &Path, e: &serde_json::Error) -> IoError {
    if e.is_io() {
        return IoError::Read {
            path: path.to_owned(),
            source: std::io::Error::other(e.to_string()),
        };
    }
    if e.is_data() {
        // Valid JSON, but not as GeoJSON has it (a member twice): say what, and where.
        return IoError::invalid(path, e.to_string());
    }
    IoError::json(path, e)
}

/// Makes sense of the top level once the document is parsed; a file that is a single Feature or
/// geometry goes through the same checks as one entry of `features`.
fn finish<P: Properties, T, F: Fn(Feature) -> T>(
    path: &Path,
    root: Root<P>,
    mut collector: Collector<'_, T, F>,
) -> Result<GeoJson<T>, IoError> {
    let not_geojson = |message: &str| IoError::NotACollection {
        path: path.to_owned(),
        message: message.into(),
    };
    if root.not_an_object {
        return Err(not_geojson("the document is not a JSON object"));
    }
    let kind = root.kind.0.as_deref().unwrap_or_default();
    let is_geometry =
        |t: &str| t == "GeometryCollection" || validate::COORDINATE_GEOMETRY_TYPES.contains(&t);
    let top = match (kind, &root.features) {
        ("FeatureCollection", FeaturesMember::Array) => TopLevel::FeatureCollection,
        ("FeatureCollection", FeaturesMember::Absent) => {
            return Err(not_geojson("it has no `features`"));
        }
        ("FeatureCollection", FeaturesMember::NotAnArray) => {
            return Err(not_geojson("`features` is not an array"));
        }
        (_, FeaturesMember::Array | FeaturesMember::NotAnArray) => {
            return Err(not_geojson(
                "it has `features`, but its `type` is not FeatureCollection",
            ));
        }
        ("Feature", FeaturesMember::Absent) => {
            let feature = RawFeature {
                kind: parse::Text(Some("Feature".into())),
                ..root.feature
            };
            single(&mut collector, Entry::Object(feature))
                .ok_or_else(|| stopped_error(path, &collector))?;
            TopLevel::Feature
        }
        (t, FeaturesMember::Absent) if is_geometry(t) => {
            let feature = RawFeature {
                kind: parse::Text(Some("Feature".into())),
                id: None,
                properties: P::default(),
                geometry: Some(RawGeometry {
                    kind: root.kind,
                    coordinates: root.coordinates,
                    geometries: root.geometries,
                    not_an_object: false,
                }),
            };
            single(&mut collector, Entry::Object(feature))
                .ok_or_else(|| stopped_error(path, &collector))?;
            TopLevel::Geometry
        }
        _ => {
            return Err(not_geojson(
                "the top-level `type` is not FeatureCollection, Feature or a geometry",
            ));
        }
    };
    Ok(GeoJson {
        features: collector.features,
        report: collector.report,
        top,
        members: root.members,
    })
}

fn single<P: Properties, T, F: Fn(Feature) -> T>(
    collector: &mut Collector<'_, T, F>,
    entry: Entry<P>,
) -> Option<()> {
    collector.entry(entry).ok()
}

fn stopped_error<T, F>(path: &Path, collector: &Collector<'_, T, F>) -> IoError {
    stopped(path, collector).unwrap_or_else(|| IoError::invalid(path, "reading stopped"))
}

#[cfg(test)]
mod tests;
