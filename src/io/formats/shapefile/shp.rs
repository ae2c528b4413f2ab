//! The geometry of a Shapefile: the `.shx` index, the `.shp` records it points to, and their
//! conversion to `geo` geometries.
//!
//! Each record's content is decoded by the `shapefile` crate (`Shape::read_from`, every shape
//! type with its Z/M variants and multipatches), from a buffer holding exactly that record.
//! Before that, the counts at the start of the record are checked against its length: the
//! crate reserves room for as many points as a record claims before reading them, and a
//! hostile 100-byte file must not ask for gigabytes. Z and M values are dropped.

use std::io::{Cursor, Read, Seek, SeekFrom};
use std::path::Path;

use geo::{Coord, Geometry, LineString, MultiLineString, MultiPoint, MultiPolygon, Point, Polygon};
use shapefile::record::ReadableShape;
use shapefile::{Patch, Shape};

use crate::io::error::IoError;

pub(super) const HEADER_LEN: u64 = 100;
pub(super) const FILE_CODE: i32 = 9994;

/// Where a record is in the `.shp`, from the `.shx`.
#[derive(Clone, Copy, Debug)]
pub(super) struct Entry {
    pub offset: u64,
}

fn be_i32(bytes: &[u8], at: usize) -> Option<i32> {
    Some(i32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

fn le_i32(bytes: &[u8], at: usize) -> Option<i32> {
    Some(i32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

/// Checks the first 100 bytes of a `.shp` or `.shx` and returns the length its header
/// announces, in bytes.
pub(super) fn check_header(path: &Path, header: &[u8], actual_len: u64) -> Result<u64, IoError> {
    if header.len() < HEADER_LEN as usize || be_i32(header, 0) != Some(FILE_CODE) {
        return Err(IoError::invalid(
            path,
            "is not a Shapefile part: it does not begin with the Shapefile header (file code 9994)",
        ));
    }
    let words = be_i32(header, 24).unwrap_or(0);
    let announced = u64::try_from(words).unwrap_or(0) * 2;
    if announced > actual_len {
        return Err(IoError::invalid(
            path,
            format!(
                "is cut short: its header says {announced} bytes but the file has {actual_len}; the file is truncated"
            ),
        ));
    }
    Ok(announced)
}

/// The record offsets of a `.shx`, each checked to lie inside the `.shp`.
pub(super) fn parse_index(
    shx_path: &Path,
    shx: &[u8],
    shp_path: &Path,
    shp_len: u64,
) -> Result<Vec<Entry>, IoError> {
    let announced = check_header(shx_path, shx, shx.len() as u64)?;
    let count = (announced.saturating_sub(HEADER_LEN) / 8) as usize;
    let mut entries = Vec::with_capacity(count);
    for i in 0..count {
        let at = HEADER_LEN as usize + 8 * i;
        let (Some(offset), Some(words)) = (be_i32(shx, at), be_i32(shx, at + 4)) else {
            break;
        };
        let (Ok(offset), Ok(len)) = (u64::try_from(offset), u64::try_from(words)) else {
            return Err(IoError::invalid(
                shx_path,
                format!(
                    "is not a valid Shapefile index: record {} has a negative offset or length",
                    i + 1
                ),
            ));
        };
        let (offset, len) = (offset * 2, len * 2);
        if offset < HEADER_LEN || offset + 8 + len > shp_len {
            return Err(IoError::invalid(
                shp_path,
                format!(
                    "is cut short: record {} of {count} (at byte {offset}, {} bytes) ends past the end of the file ({shp_len} bytes); the file is truncated or does not belong with its .shx",
                    i + 1,
                    8 + len
                ),
            ));
        }
        entries.push(Entry { offset });
    }
    Ok(entries)
}

/// Reads the records of a `.shp` in the order of its index, one at a time.
pub(super) struct Records<R> {
    source: R,
    position: u64,
    len: u64,
    buffer: Vec<u8>,
}

impl<R: Read + Seek> Records<R> {
    /// `source` is positioned after the 100-byte header.
    pub fn new(source: R, len: u64) -> Self {
        Self {
            source,
            position: HEADER_LEN,
            len,
            buffer: Vec::new(),
        }
    }

    /// The record at `entry`, as a geometry (`None` for a null shape).
    pub fn read(
        &mut self,
        path: &Path,
        number: usize,
        entry: Entry,
    ) -> Result<Option<Geometry<f64>>, IoError> {
        let read_error = |e: std::io::Error| IoError::read(path, e);
        if entry.offset != self.position {
            self.source
                .seek(SeekFrom::Start(entry.offset))
                .map_err(read_error)?;
        }
        let mut header = [0u8; 8];
        self.source.read_exact(&mut header).map_err(read_error)?;
        let words = be_i32(&header, 4).unwrap_or(-1);
        let len = u64::try_from(words).map(|w| w * 2).ok().filter(|len| {
            *len >= 4 && entry.offset + 8 + len <= self.len && *len <= usize::MAX as u64
        });
        let Some(len) = len else {
            return Err(IoError::invalid(
                path,
                format!(
                    "is not a valid Shapefile: record {number} has a length ({words} words) that does not fit the file ({} bytes)",
                    self.len
                ),
            ));
        };
        self.buffer.resize(len as usize, 0);
        self.source
            .read_exact(&mut self.buffer)
            .map_err(read_error)?;
        self.position = entry.offset + 8 + len;
        let bad = |what: String| IoError::invalid(path, format!("record {number} {what}"));
        check_counts(&self.buffer).map_err(|what| bad(what.to_owned()))?;
        let size = i32::try_from(len)
            .map_err(|_| bad("is larger than a Shapefile record can be".into()))?;
        let shape = Shape::read_from(&mut Cursor::new(&self.buffer[..]), size)
            .map_err(|e| bad(format!("cannot be read: {e}")))?;
        let geometry = to_geometry(shape);
        if geometry.as_ref().is_some_and(|g| !finite(g)) {
            return Err(bad("has a coordinate that is not a finite number".into()));
        }
        Ok(geometry)
    }
}

/// Checks the part and point counts at the start of a record's content against its length,
/// and the part indices against the point count, before the crate allocates for them.
fn check_counts(content: &[u8]) -> Result<(), &'static str> {
    let shape_type = le_i32(content, 0).ok_or("is too short to hold its shape type")?;
    let len = content.len() as u64;
    let fits = |needed: u64| {
        if needed <= len {
            Ok(())
        } else {
            Err("is shorter than its point count says")
        }
    };
    match shape_type {
        // Multipoint, MultipointM, MultipointZ: bbox, then the point count.
        8 | 18 | 28 => {
            let points = le_i32(content, 36).ok_or("is too short")?;
            let points = u64::try_from(points).map_err(|_| "has a negative point count")?;
            fits(40 + 16 * points)
        }
        // Polyline, Polygon, their M and Z variants, and Multipatch: bbox, part and point
        // counts, the part indices (and, for a multipatch, the part types), then the points.
        3 | 5 | 13 | 15 | 23 | 25 | 31 => {
            let (Some(parts), Some(points)) = (le_i32(content, 36), le_i32(content, 40)) else {
                return Err("is too short");
            };
            let (Ok(parts), Ok(points)) = (u64::try_from(parts), u64::try_from(points)) else {
                return Err("has a negative part or point count");
            };
            let per_part = if shape_type == 31 { 8 } else { 4 };
            fits(44 + per_part * parts + 16 * points)?;
            let mut previous = 0i32;
            for i in 0..parts as usize {
                let start = le_i32(content, 44 + 4 * i).ok_or("is too short")?;
                let first_is_zero = i > 0 || start == 0;
                if !first_is_zero || start < previous || i64::from(start) > points as i64 {
                    return Err("has part indices out of order or beyond its points");
                }
                previous = start;
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

fn finite(geometry: &Geometry<f64>) -> bool {
    use geo::CoordsIter as _;
    geometry
        .coords_iter()
        .all(|c| c.x.is_finite() && c.y.is_finite())
}

fn coord(x: f64, y: f64) -> Coord<f64> {
    Coord { x, y }
}

fn xy<P: shapefile::record::traits::HasXY>(points: &[P]) -> Vec<Coord<f64>> {
    points.iter().map(|p| coord(p.x(), p.y())).collect()
}

/// A shape as a geometry: Z and M dropped; several parts make a Multi geometry; polygon rings
/// become polygons with holes by their orientation and containment.
fn to_geometry(shape: Shape) -> Option<Geometry<f64>> {
    Some(match shape {
        Shape::NullShape => return None,
        Shape::Point(p) => Point::new(p.x, p.y).into(),
        Shape::PointM(p) => Point::new(p.x, p.y).into(),
        Shape::PointZ(p) => Point::new(p.x, p.y).into(),
        Shape::Multipoint(m) => multipoint(xy(m.points())),
        Shape::MultipointM(m) => multipoint(xy(m.points())),
        Shape::MultipointZ(m) => multipoint(xy(m.points())),
        Shape::Polyline(l) => lines(l.parts().iter().map(|p| xy(p))),
        Shape::PolylineM(l) => lines(l.parts().iter().map(|p| xy(p))),
        Shape::PolylineZ(l) => lines(l.parts().iter().map(|p| xy(p))),
        Shape::Polygon(p) => super::rings::assemble(p.rings().iter().map(|r| xy(r.points())))?,
        Shape::PolygonM(p) => super::rings::assemble(p.rings().iter().map(|r| xy(r.points())))?,
        Shape::PolygonZ(p) => super::rings::assemble(p.rings().iter().map(|r| xy(r.points())))?,
        Shape::Multipatch(m) => multipatch(m.patches())?,
    })
}

fn multipoint(points: Vec<Coord<f64>>) -> Geometry<f64> {
    MultiPoint::from(points).into()
}

fn lines(parts: impl Iterator<Item = Vec<Coord<f64>>>) -> Geometry<f64> {
    let mut lines: Vec<LineString<f64>> = parts
        .filter(|p| !p.is_empty())
        .map(LineString::from)
        .collect();
    if lines.len() == 1
        && let Some(line) = lines.pop()
    {
        return line.into();
    }
    MultiLineString::new(lines).into()
}

/// A multipatch as polygons, as GDAL reads it: each triangle of a strip or fan a polygon, and
/// the rings (an outer or first ring followed by its inner rings) polygons with holes.
fn multipatch(patches: &[Patch]) -> Option<Geometry<f64>> {
    let mut polygons: Vec<Polygon<f64>> = Vec::new();
    let mut open: Option<Polygon<f64>> = None;
    for patch in patches {
        let points = xy(patch.points());
        match patch {
            Patch::TriangleStrip(_) => {
                polygons.extend(points.windows(3).map(|t| triangle(t[0], t[1], t[2])));
            }
            Patch::TriangleFan(_) => {
                if let Some((&first, rest)) = points.split_first() {
                    polygons.extend(rest.windows(2).map(|t| triangle(first, t[0], t[1])));
                }
            }
            Patch::OuterRing(_) | Patch::FirstRing(_) => {
                polygons.extend(open.take());
                open = Some(Polygon::new(LineString::from(points), vec![]));
            }
            Patch::InnerRing(_) | Patch::Ring(_) => match open.as_mut() {
                Some(polygon) => polygon.interiors_push(LineString::from(points)),
                None => open = Some(Polygon::new(LineString::from(points), vec![])),
            },
        }
    }
    polygons.extend(open);
    match polygons.len() {
        0 => None,
        _ => Some(MultiPolygon::new(polygons).into()),
    }
}

fn triangle(a: Coord<f64>, b: Coord<f64>, c: Coord<f64>) -> Polygon<f64> {
    Polygon::new(LineString::from(vec![a, b, c, a]), vec![])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn polyline_content(parts: &[i32], points: i32, extra: usize) -> Vec<u8> {
        let mut c = 3i32.to_le_bytes().to_vec();
        c.extend([0u8; 32]);
        c.extend((parts.len() as i32).to_le_bytes());
        c.extend(points.to_le_bytes());
        for p in parts {
            c.extend(p.to_le_bytes());
        }
        c.extend(vec![0u8; extra]);
        c
    }

    #[test]
    fn counts_beyond_the_record_are_refused_before_reading() {
        assert!(check_counts(&polyline_content(&[0], 2, 32)).is_ok());
        assert!(check_counts(&polyline_content(&[0], 1 << 28, 32)).is_err());
        assert!(check_counts(&polyline_content(&[0], -1, 32)).is_err());
        assert!(check_counts(&polyline_content(&[0, 5], 2, 32)).is_err());
        assert!(check_counts(&polyline_content(&[1], 2, 32)).is_err());
        assert!(check_counts(&[1, 0]).is_err());
    }

    #[test]
    fn a_triangle_fan_becomes_triangles() {
        let p = |x: f64, y: f64| shapefile::PointZ::new(x, y, 0.0, 0.0);
        let fan = Patch::TriangleFan(vec![p(0., 0.), p(1., 0.), p(1., 1.), p(0., 1.)]);
        let Some(Geometry::MultiPolygon(m)) = multipatch(&[fan]) else {
            panic!("a multipolygon")
        };
        assert_eq!(m.0.len(), 2);
    }
}
