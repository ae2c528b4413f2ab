//! KML geometries as they are read: `<coordinates>` text to coordinates, and the geometry
//! elements (Point, LineString, LinearRing, Polygon, MultiGeometry, gx:Track, gx:MultiTrack)
//! built up from their children into `geo` geometries.

use geo::{
    Coord, Geometry, GeometryCollection, LineString, MultiLineString, MultiPoint, MultiPolygon,
    Point, Polygon,
};

/// The geometry elements OneMap reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Shape {
    Point,
    LineString,
    LinearRing,
    Polygon,
    MultiGeometry,
    /// gx:Track (a LineString through its gx:coord points).
    Track,
    /// gx:MultiTrack.
    MultiTrack,
}

impl Shape {
    pub(super) fn of_local_name(name: &[u8]) -> Option<Self> {
        Some(match name {
            b"Point" => Self::Point,
            b"LineString" => Self::LineString,
            b"LinearRing" => Self::LinearRing,
            b"Polygon" => Self::Polygon,
            b"MultiGeometry" => Self::MultiGeometry,
            b"Track" => Self::Track,
            b"MultiTrack" => Self::MultiTrack,
            _ => return None,
        })
    }

    fn name(self) -> &'static str {
        match self {
            Self::Point => "Point",
            Self::LineString => "LineString",
            Self::LinearRing => "LinearRing",
            Self::Polygon => "Polygon",
            Self::MultiGeometry => "MultiGeometry",
            Self::Track => "gx:Track",
            Self::MultiTrack => "gx:MultiTrack",
        }
    }
}

/// Which boundary of a Polygon a LinearRing is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Boundary {
    Outer,
    Inner,
}

/// A geometry element being read.
#[derive(Debug)]
pub(super) struct Builder {
    shape: Shape,
    coords: Vec<Coord<f64>>,
    outer: Option<LineString<f64>>,
    inners: Vec<LineString<f64>>,
    parts: Vec<Geometry<f64>>,
}

impl Builder {
    pub(super) fn new(shape: Shape) -> Self {
        Self {
            shape,
            coords: Vec::new(),
            outer: None,
            inners: Vec::new(),
            parts: Vec::new(),
        }
    }

    pub(super) fn shape(&self) -> Shape {
        self.shape
    }

    /// The text of a `<coordinates>` element of this geometry.
    pub(super) fn set_coordinates(&mut self, text: &str) -> Result<(), String> {
        self.coords = parse_coordinates(text)?;
        Ok(())
    }

    /// One `<gx:coord>` of a track: "lon lat alt".
    pub(super) fn push_track_coord(&mut self, text: &str) -> Result<(), String> {
        let mut values = text.split_ascii_whitespace().map(parse_number);
        match (values.next(), values.next()) {
            (Some(x), Some(y)) => {
                self.coords.push(Coord { x: x?, y: y? });
                Ok(())
            }
            _ => Err(format!(
                "gx:coord '{}' does not have two numbers",
                text.trim()
            )),
        }
    }

    /// A finished child geometry: a ring of this Polygon, or a part of this MultiGeometry.
    pub(super) fn add_child(
        &mut self,
        child: Geometry<f64>,
        boundary: Option<Boundary>,
    ) -> Result<(), String> {
        match (self.shape, child, boundary) {
            (Shape::Polygon, Geometry::LineString(ring), Some(Boundary::Outer)) => {
                if self.outer.is_some() {
                    return Err("a Polygon has two outer boundaries".into());
                }
                self.outer = Some(ring);
            }
            (Shape::Polygon, Geometry::LineString(ring), Some(Boundary::Inner)) => {
                self.inners.push(ring);
            }
            (Shape::MultiGeometry | Shape::MultiTrack, child, _) => self.parts.push(child),
            (shape, _, _) => {
                return Err(format!(
                    "a {} holds a geometry it cannot have",
                    shape.name()
                ));
            }
        }
        Ok(())
    }

    /// The geometry, `None` when the element was empty (no coordinates, no parts).
    pub(super) fn finish(self) -> Result<Option<Geometry<f64>>, String> {
        let shape = self.shape.name();
        Ok(Some(match self.shape {
            Shape::Point => match self.coords.as_slice() {
                [] => return Ok(None),
                [c] => Point(*c).into(),
                more => {
                    return Err(format!(
                        "a Point has {} coordinates instead of one",
                        more.len()
                    ));
                }
            },
            Shape::LineString | Shape::LinearRing | Shape::Track => match self.coords.len() {
                0 => return Ok(None),
                1 => return Err(format!("a {shape} has only one coordinate")),
                _ => LineString::new(self.coords).into(),
            },
            Shape::Polygon => match self.outer {
                Some(outer) => Polygon::new(outer, self.inners).into(),
                None if self.inners.is_empty() => return Ok(None),
                None => return Err("a Polygon has inner boundaries but no outer one".into()),
            },
            Shape::MultiGeometry | Shape::MultiTrack => return Ok(collect_parts(self.parts)),
        }))
    }
}

/// A MultiGeometry of points only is a MultiPoint (and so on); of mixed parts, a collection.
fn collect_parts(parts: Vec<Geometry<f64>>) -> Option<Geometry<f64>> {
    if parts.is_empty() {
        return None;
    }
    if parts.iter().all(|g| matches!(g, Geometry::Point(_))) {
        let points = parts.into_iter().filter_map(|g| Point::try_from(g).ok());
        return Some(MultiPoint::new(points.collect()).into());
    }
    if parts.iter().all(|g| matches!(g, Geometry::LineString(_))) {
        let lines = parts
            .into_iter()
            .filter_map(|g| LineString::try_from(g).ok());
        return Some(MultiLineString::new(lines.collect()).into());
    }
    if parts.iter().all(|g| matches!(g, Geometry::Polygon(_))) {
        let polygons = parts.into_iter().filter_map(|g| Polygon::try_from(g).ok());
        return Some(MultiPolygon::new(polygons.collect()).into());
    }
    Some(Geometry::GeometryCollection(GeometryCollection::new_from(
        parts,
    )))
}

fn parse_number(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        _ => Err(format!("'{text}' is not a number")),
    }
}

/// `lon,lat[,alt]` tuples separated by white space (KML 2.2, §16.9.1). Files written by hand
/// or by other programs sometimes put spaces after the commas ("121.5, 31.2"): a comma at the
/// end of one piece or the start of the next joins them into one tuple.
pub(super) fn parse_coordinates(text: &str) -> Result<Vec<Coord<f64>>, String> {
    let mut coords = Vec::new();
    let mut pending = String::new();
    for piece in text.split_ascii_whitespace() {
        if !pending.is_empty() && !pending.ends_with(',') && !piece.starts_with(',') {
            coords.push(parse_tuple(&pending)?);
            pending.clear();
        }
        pending.push_str(piece);
    }
    if !pending.is_empty() {
        coords.push(parse_tuple(&pending)?);
    }
    Ok(coords)
}

fn parse_tuple(tuple: &str) -> Result<Coord<f64>, String> {
    let mut values = tuple.split(',');
    let (Some(x), Some(y)) = (values.next(), values.next()) else {
        return Err(format!("coordinate '{tuple}' is not 'longitude,latitude'"));
    };
    let bad = |_| format!("coordinate '{tuple}' is not 'longitude,latitude[,altitude]' in numbers");
    Ok(Coord {
        x: parse_number(x).map_err(bad)?,
        y: parse_number(y).map_err(bad)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coordinates_are_read_however_they_are_spaced() {
        let c = |x, y| Coord { x, y };
        assert_eq!(
            parse_coordinates("121.5,31.2,0 121.6,31.3,0 ").unwrap(),
            [c(121.5, 31.2), c(121.6, 31.3)]
        );
        assert_eq!(
            parse_coordinates("\n\t121.5,31.2\n\t121.6,31.3\n").unwrap(),
            [c(121.5, 31.2), c(121.6, 31.3)]
        );
        assert_eq!(
            parse_coordinates("121.5, 31.2, 10 121.6 ,31.3").unwrap(),
            [c(121.5, 31.2), c(121.6, 31.3)]
        );
        assert_eq!(parse_coordinates("  ").unwrap(), []);
    }

    #[test]
    fn bad_coordinates_are_said_in_words() {
        for (text, expected) in [
            ("121.5", "is not 'longitude,latitude'"),
            ("121.5,北纬31", "in numbers"),
            ("121.5,NaN", "in numbers"),
        ] {
            let e = parse_coordinates(text).unwrap_err();
            assert!(e.contains(expected), "{text}: {e}");
        }
    }

    #[test]
    fn multigeometries_become_multi_or_collections() {
        let p = |x| Geometry::Point(Point::new(x, 0.0));
        let mut m = Builder::new(Shape::MultiGeometry);
        m.add_child(p(1.0), None).unwrap();
        m.add_child(p(2.0), None).unwrap();
        assert!(matches!(m.finish().unwrap(), Some(Geometry::MultiPoint(_))));
        let mut m = Builder::new(Shape::MultiGeometry);
        m.add_child(p(1.0), None).unwrap();
        m.add_child(LineString::from(vec![(0.0, 0.0), (1.0, 1.0)]).into(), None)
            .unwrap();
        assert!(matches!(
            m.finish().unwrap(),
            Some(Geometry::GeometryCollection(_))
        ));
        assert_eq!(Builder::new(Shape::MultiGeometry).finish().unwrap(), None);
    }

    #[test]
    fn a_polygon_takes_its_rings_by_boundary() {
        let ring = |d: f64| -> Geometry<f64> {
            LineString::from(vec![(0.0, 0.0), (d, 0.0), (d, d), (0.0, 0.0)]).into()
        };
        let mut b = Builder::new(Shape::Polygon);
        b.add_child(ring(4.0), Some(Boundary::Outer)).unwrap();
        b.add_child(ring(1.0), Some(Boundary::Inner)).unwrap();
        let Some(Geometry::Polygon(p)) = b.finish().unwrap() else {
            panic!("a polygon")
        };
        assert_eq!(p.interiors().len(), 1);
        let mut b = Builder::new(Shape::Polygon);
        b.add_child(ring(1.0), Some(Boundary::Inner)).unwrap();
        assert!(b.finish().is_err());
        let mut p = Builder::new(Shape::Point);
        p.set_coordinates("1,2 3,4").unwrap();
        assert!(p.finish().unwrap_err().contains("2 coordinates"));
    }
}
