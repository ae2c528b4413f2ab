//! Writing the `.shp` and `.shx` of a table.
//!
//! Each record's content is laid out by the `shapefile` crate (`WritableShape::write_to`;
//! its polygon constructor turns outer rings clockwise and holes counter-clockwise, as the
//! format wants). The headers and the index are ours, because the crate's `ShapeWriter`
//! cannot write a null shape into a file of points or polygons, and a feature without a
//! geometry must keep its place (its attributes are in the DBF's record of the same number).

use std::path::Path;

use geo::{Coord, CoordsIter as _, Geometry};
use shapefile::record::WritableShape;
use shapefile::{Multipoint, Point, Polygon, PolygonRing, Polyline};

use super::shp::{FILE_CODE, HEADER_LEN};
use crate::io::error::IoError;

/// The one geometry type of a Shapefile.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Family {
    Point,
    MultiPoint,
    Line,
    Polygon,
    /// No feature has a geometry.
    Null,
}

impl Family {
    fn code(self) -> i32 {
        match self {
            Self::Null => 0,
            Self::Point => 1,
            Self::Line => 3,
            Self::Polygon => 5,
            Self::MultiPoint => 8,
        }
    }

    fn words(self) -> &'static str {
        match self {
            Self::Point | Self::MultiPoint => "points",
            Self::Line => "lines",
            Self::Polygon => "polygons",
            Self::Null => "no geometry",
        }
    }
}

fn family_of(geometry: &Geometry<f64>) -> Option<Family> {
    Some(match geometry {
        Geometry::Point(_) => Family::Point,
        Geometry::MultiPoint(_) => Family::MultiPoint,
        Geometry::Line(_) | Geometry::LineString(_) | Geometry::MultiLineString(_) => Family::Line,
        Geometry::Polygon(_)
        | Geometry::MultiPolygon(_)
        | Geometry::Rect(_)
        | Geometry::Triangle(_) => Family::Polygon,
        Geometry::GeometryCollection(_) => return None,
    })
}

/// The Shapefile type that holds every geometry: points and multipoints go together (as
/// multipoints), lines with multilines, polygons with multipolygons; anything else mixed is
/// refused.
pub(super) fn family<'g>(
    path: &Path,
    geometries: impl Iterator<Item = &'g Geometry<f64>>,
) -> Result<Family, IoError> {
    let mut found = Family::Null;
    for (index, geometry) in geometries.enumerate() {
        let this = family_of(geometry).ok_or_else(|| {
            IoError::invalid(
                path,
                format!("feature {index} is a GeometryCollection, which a Shapefile cannot hold"),
            )
        })?;
        found = match (found, this) {
            (Family::Null, f) => f,
            (a, b) if a == b => a,
            (Family::Point, Family::MultiPoint) | (Family::MultiPoint, Family::Point) => {
                Family::MultiPoint
            }
            (a, b) => {
                return Err(IoError::invalid(
                    path,
                    format!(
                        "cannot hold this table: a Shapefile holds one geometry type, and this table has both {} and {} (feature {index}); write a GeoPackage, or one Shapefile per type",
                        a.words(),
                        b.words()
                    ),
                ));
            }
        };
    }
    Ok(found)
}

/// The `.shp` and `.shx` bytes of the geometries, one record each (`None` is a null shape).
pub(super) fn write<'g>(
    path: &Path,
    family: Family,
    geometries: impl ExactSizeIterator<Item = Option<&'g Geometry<f64>>>,
) -> Result<(Vec<u8>, Vec<u8>), IoError> {
    let count = geometries.len();
    let mut shp = vec![0u8; HEADER_LEN as usize];
    let mut shx = vec![0u8; HEADER_LEN as usize];
    shx.reserve(8 * count);
    let mut bounds: Option<[f64; 4]> = None;
    let mut content = Vec::new();
    for (index, geometry) in geometries.enumerate() {
        let bad = |what: &str| IoError::invalid(path, format!("feature {index} {what}"));
        content.clear();
        let shape = geometry
            .map(|g| record(g, family))
            .transpose()
            .map_err(bad)?
            .flatten();
        match shape {
            Some(shape) => {
                content.extend(family.code().to_le_bytes());
                shape
                    .write_content(&mut content)
                    .map_err(|e| bad(&e.to_string()))?;
                for c in geometry.into_iter().flat_map(|g| g.coords_iter()) {
                    grow(&mut bounds, c);
                }
            }
            None => content.extend(0i32.to_le_bytes()),
        }
        let offset = shp.len();
        let number =
            i32::try_from(index + 1).map_err(|_| bad("is one too many for a Shapefile"))?;
        let (Ok(offset_words), Ok(len_words)) =
            (i32::try_from(offset / 2), i32::try_from(content.len() / 2))
        else {
            return Err(too_large(path));
        };
        shp.extend(number.to_be_bytes());
        shp.extend(len_words.to_be_bytes());
        shp.extend_from_slice(&content);
        shx.extend(offset_words.to_be_bytes());
        shx.extend(len_words.to_be_bytes());
    }
    let bounds = bounds.unwrap_or([0.0; 4]);
    let shp_header = header(path, family, shp.len(), bounds)?;
    let shx_header = header(path, family, shx.len(), bounds)?;
    shp[..HEADER_LEN as usize].copy_from_slice(&shp_header);
    shx[..HEADER_LEN as usize].copy_from_slice(&shx_header);
    Ok((shp, shx))
}

fn too_large(path: &Path) -> IoError {
    IoError::invalid(
        path,
        "would be larger than a Shapefile can be (4 GB); write a GeoPackage",
    )
}

fn grow(bounds: &mut Option<[f64; 4]>, c: Coord<f64>) {
    let b = bounds.get_or_insert([c.x, c.y, c.x, c.y]);
    *b = [b[0].min(c.x), b[1].min(c.y), b[2].max(c.x), b[3].max(c.y)];
}

/// The 100-byte header of a `.shp` or `.shx` of `len` bytes.
fn header(path: &Path, family: Family, len: usize, bounds: [f64; 4]) -> Result<[u8; 100], IoError> {
    let words = i32::try_from(len / 2).map_err(|_| too_large(path))?;
    let mut h = [0u8; 100];
    h[0..4].copy_from_slice(&FILE_CODE.to_be_bytes());
    h[24..28].copy_from_slice(&words.to_be_bytes());
    h[28..32].copy_from_slice(&1000i32.to_le_bytes());
    h[32..36].copy_from_slice(&family.code().to_le_bytes());
    for (i, v) in bounds.iter().enumerate() {
        h[36 + 8 * i..44 + 8 * i].copy_from_slice(&v.to_le_bytes());
    }
    Ok(h)
}

/// A record's shape, laid out by the crate.
enum Record {
    Point(Point),
    MultiPoint(Multipoint),
    Line(Polyline),
    Polygon(Polygon),
}

impl Record {
    fn write_content(&self, out: &mut Vec<u8>) -> Result<(), shapefile::Error> {
        match self {
            Self::Point(s) => s.write_to(out),
            Self::MultiPoint(s) => s.write_to(out),
            Self::Line(s) => s.write_to(out),
            Self::Polygon(s) => s.write_to(out),
        }
    }
}

fn point(c: Coord<f64>) -> Point {
    Point::new(c.x, c.y)
}

fn points(coords: impl Iterator<Item = Coord<f64>>) -> Vec<Point> {
    coords.map(point).collect()
}

/// The record of a geometry, `None` when it is empty (written as a null shape); an error for a
/// coordinate that is not a finite number or a line of one point.
fn record(geometry: &Geometry<f64>, family: Family) -> Result<Option<Record>, &'static str> {
    if geometry
        .coords_iter()
        .any(|c| !c.x.is_finite() || !c.y.is_finite())
    {
        return Err("has a coordinate that is not a finite number");
    }
    let record = match (geometry, family) {
        (Geometry::Point(p), Family::Point) => Record::Point(point(p.0)),
        (Geometry::Point(_) | Geometry::MultiPoint(_), _) => {
            let all = points(geometry.coords_iter());
            if all.is_empty() {
                return Ok(None);
            }
            Record::MultiPoint(Multipoint::new(all))
        }
        (Geometry::Line(_) | Geometry::LineString(_) | Geometry::MultiLineString(_), _) => {
            let parts: Vec<Vec<Point>> = line_parts(geometry);
            if parts.iter().any(|p| p.len() < 2) {
                return Err("has a line of fewer than 2 points, which a Shapefile cannot hold");
            }
            if parts.is_empty() {
                return Ok(None);
            }
            Record::Line(Polyline::with_parts(parts))
        }
        _ => {
            let rings = polygon_rings(geometry);
            if rings.is_empty() {
                return Ok(None);
            }
            Record::Polygon(Polygon::with_rings(rings))
        }
    };
    Ok(Some(record))
}

fn line_parts(geometry: &Geometry<f64>) -> Vec<Vec<Point>> {
    match geometry {
        Geometry::Line(l) => vec![vec![point(l.start), point(l.end)]],
        Geometry::LineString(l) => vec![points(l.coords().copied())],
        Geometry::MultiLineString(m) => {
            m.0.iter()
                .filter(|l| !l.0.is_empty())
                .map(|l| points(l.coords().copied()))
                .collect()
        }
        _ => Vec::new(),
    }
}

/// Outer rings and their holes, in order; empty rings left out (a polygon without an outer
/// ring is left out whole).
fn polygon_rings(geometry: &Geometry<f64>) -> Vec<PolygonRing<Point>> {
    let polygons: Vec<geo::Polygon<f64>> = match geometry {
        Geometry::Polygon(p) => vec![p.clone()],
        Geometry::MultiPolygon(m) => m.0.clone(),
        Geometry::Rect(r) => vec![r.to_polygon()],
        Geometry::Triangle(t) => vec![t.to_polygon()],
        _ => Vec::new(),
    };
    let mut rings = Vec::new();
    for polygon in polygons.iter().filter(|p| !p.exterior().0.is_empty()) {
        rings.push(PolygonRing::Outer(points(
            polygon.exterior().coords().copied(),
        )));
        for hole in polygon.interiors().iter().filter(|h| !h.0.is_empty()) {
            rings.push(PolygonRing::Inner(points(hole.coords().copied())));
        }
    }
    rings
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{LineString, MultiPoint, point, polygon};

    #[test]
    fn geometry_types_mix_only_within_their_family() {
        let p: Geometry<f64> = point!(x: 1.0, y: 2.0).into();
        let mp: Geometry<f64> = MultiPoint::from(vec![(1.0, 2.0), (3.0, 4.0)]).into();
        let poly: Geometry<f64> =
            polygon![(x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 1.0, y: 1.0)].into();
        let path = Path::new("t.shp");
        assert_eq!(family(path, [&p, &p].into_iter()).unwrap(), Family::Point);
        assert_eq!(
            family(path, [&p, &mp].into_iter()).unwrap(),
            Family::MultiPoint
        );
        let mixed = family(path, [&p, &poly].into_iter())
            .unwrap_err()
            .to_string();
        assert!(mixed.contains("points and polygons"), "{mixed}");
    }

    #[test]
    fn a_one_point_line_is_refused_not_a_panic() {
        let line: Geometry<f64> = LineString::from(vec![(1.0, 2.0)]).into();
        assert!(record(&line, Family::Line).is_err());
    }
}
