//! The one set of rules every GeoJSON entry goes through, whichever command reads the file.
//! An entry becomes a feature with a `geo` geometry, or a problem that names what is wrong
//! with it; a coordinate outside lon/lat range stops the whole file (it is in another CRS).

use geo::{
    Coord, Geometry, GeometryCollection, LineString, MultiLineString, MultiPoint, MultiPolygon,
    Point, Polygon,
};
use serde_json::Value;

use super::parse::{Coords, Entry, Properties, RawFeature, RawGeometry};
use super::{Feature, ProblemKind};

/// What one entry of a file is.
pub(super) enum Checked {
    Feature(Feature),
    /// Not read, for this reason; the label is the entry's id, if it has one.
    Problem(ProblemKind, Option<String>),
    /// A coordinate outside ±180/±90: the file is in a projected CRS.
    OutOfRange(Coord<f64>),
}

/// Why a geometry cannot be used. Coordinates out of range are checked apart, on the whole
/// geometry (`out_of_range`): they are about the whole file.
enum Bad {
    Problem(ProblemKind),
}

impl From<ProblemKind> for Bad {
    fn from(p: ProblemKind) -> Self {
        Self::Problem(p)
    }
}

/// `allow_projected`: coordinates outside ±180/±90 are kept (for a GeoJSON in a projected CRS,
/// which the caller converts), rather than refusing the file.
pub(super) fn check_entry<P: Properties>(entry: Entry<P>, allow_projected: bool) -> Checked {
    let Entry::Object(raw) = entry else {
        return Checked::Problem(ProblemKind::NotAnObject, None);
    };
    let label = label(&raw);
    let problem = |kind| Checked::Problem(kind, label.clone());
    let RawFeature {
        kind,
        id,
        properties,
        geometry,
    } = raw;
    if kind.0.as_deref() != Some("Feature") {
        return problem(ProblemKind::NotAFeature);
    }
    let Ok(properties) = properties.into_map() else {
        return problem(ProblemKind::PropertiesNotAnObject);
    };
    let Some(raw_geometry) = geometry else {
        return problem(ProblemKind::NoGeometry);
    };
    match geometry_of(raw_geometry) {
        Ok(geometry) if !allow_projected && let Some(c) = out_of_range(&geometry) => {
            Checked::OutOfRange(c)
        }
        Ok(geometry) => Checked::Feature(Feature {
            id,
            properties,
            geometry,
        }),
        Err(Bad::Problem(kind)) => problem(kind),
    }
}

/// The first coordinate outside ±180/±90, if any: then the file is in a projected CRS.
fn out_of_range(geometry: &Geometry<f64>) -> Option<Coord<f64>> {
    use geo::CoordsIter;
    geometry
        .coords_iter()
        .find(|p| p.x.abs() > 180.0 || p.y.abs() > 90.0)
}

/// How a problem names its feature: the `id` property (as plan layers have it), else the
/// feature's `id` member.
fn label<P: Properties>(raw: &RawFeature<P>) -> Option<String> {
    raw.properties.id().or_else(|| match &raw.id {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    })
}

fn geometry_of(g: RawGeometry) -> Result<Geometry<f64>, Bad> {
    if g.not_an_object {
        return Err(ProblemKind::GeometryNotAnObject.into());
    }
    let Some(kind) = g.kind.0 else {
        return Err(ProblemKind::UnknownGeometryType(String::new()).into());
    };
    if kind == "GeometryCollection" {
        let Some(Some(parts)) = g.geometries else {
            return Err(ProblemKind::NoGeometries.into());
        };
        return parts
            .into_iter()
            .map(geometry_of)
            .collect::<Result<Vec<_>, _>>()
            .map(|g| Geometry::GeometryCollection(GeometryCollection(g)));
    }
    if !COORDINATE_GEOMETRY_TYPES.contains(&kind.as_str()) {
        return Err(ProblemKind::UnknownGeometryType(kind).into());
    }
    let Some(c) = g.coordinates else {
        return Err(ProblemKind::NoCoordinates(kind).into());
    };
    let nesting = || Bad::Problem(ProblemKind::Nesting(kind.clone()));
    Ok(match kind.as_str() {
        "Point" => Geometry::Point(Point(position(c, &nesting)?)),
        "MultiPoint" => Geometry::MultiPoint(MultiPoint(
            list(c, &nesting)?
                .into_iter()
                .map(|p| position(p, &nesting).map(Point))
                .collect::<Result<_, _>>()?,
        )),
        "LineString" => Geometry::LineString(line(c, &nesting)?),
        "MultiLineString" => Geometry::MultiLineString(MultiLineString(
            list(c, &nesting)?
                .into_iter()
                .map(|l| line(l, &nesting))
                .collect::<Result<_, _>>()?,
        )),
        "Polygon" => Geometry::Polygon(polygon(c, &nesting)?),
        _ => Geometry::MultiPolygon(MultiPolygon(
            list(c, &nesting)?
                .into_iter()
                .map(|p| polygon(p, &nesting))
                .collect::<Result<_, _>>()?,
        )),
    })
}

fn position(c: Coords, nesting: &dyn Fn() -> Bad) -> Result<Coord<f64>, Bad> {
    match c {
        Coords::Position(p) if !p.x.is_finite() || !p.y.is_finite() => {
            Err(ProblemKind::NotFinite.into())
        }
        Coords::Position(p) => Ok(p),
        Coords::ShortPosition(n) => Err(ProblemKind::ShortPosition(n).into()),
        Coords::List(l) if l.is_empty() => Err(ProblemKind::ShortPosition(0).into()),
        Coords::NotANumber => Err(ProblemKind::NotANumber.into()),
        Coords::Number(_) | Coords::List(_) | Coords::Positions(_) => Err(nesting()),
    }
}

fn list(c: Coords, nesting: &dyn Fn() -> Bad) -> Result<Vec<Coords>, Bad> {
    match c {
        Coords::List(l) => Ok(l),
        Coords::Positions(p) => Ok(p.into_iter().map(Coords::Position).collect()),
        Coords::NotANumber => Err(ProblemKind::NotANumber.into()),
        _ => Err(nesting()),
    }
}

fn positions(c: Coords, nesting: &dyn Fn() -> Bad) -> Result<Vec<Coord<f64>>, Bad> {
    if let Coords::Positions(points) = c {
        // Each is a position: the one thing that can be wrong with it is a non-finite number.
        return match points.iter().all(|p| p.x.is_finite() && p.y.is_finite()) {
            true => Ok(points),
            false => Err(ProblemKind::NotFinite.into()),
        };
    }
    list(c, nesting)?
        .into_iter()
        .map(|p| position(p, nesting))
        .collect()
}

fn line(c: Coords, nesting: &dyn Fn() -> Bad) -> Result<LineString<f64>, Bad> {
    let points = positions(c, nesting)?;
    if points.len() < 2 {
        return Err(ProblemKind::ShortLine(points.len()).into());
    }
    Ok(LineString::new(points))
}

/// `geo::Polygon::new` closes an open ring without a word: a ring is checked before.
fn polygon(c: Coords, nesting: &dyn Fn() -> Bad) -> Result<Polygon<f64>, Bad> {
    let mut rings = Vec::new();
    for ring in list(c, nesting)? {
        let points = positions(ring, nesting)?;
        if points.len() < 4 {
            return Err(ProblemKind::ShortRing(points.len()).into());
        }
        if points.first() != points.last() {
            return Err(ProblemKind::UnclosedRing.into());
        }
        rings.push(LineString::new(points));
    }
    let mut rings = rings.into_iter();
    let exterior = rings.next().ok_or(Bad::Problem(ProblemKind::NoRings))?;
    Ok(Polygon::new(exterior, rings.collect()))
}

/// The RFC 7946 geometry types that carry `coordinates` (all but GeometryCollection).
pub(super) const COORDINATE_GEOMETRY_TYPES: [&str; 6] = [
    "Point",
    "MultiPoint",
    "LineString",
    "MultiLineString",
    "Polygon",
    "MultiPolygon",
];
