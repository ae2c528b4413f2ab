//! Converting coordinates between a CRS and WGS 84, point by point or a whole geometry.

use std::cell::Cell;

use geo::{Coord, Geometry, MapCoordsInPlace};
use proj4rs::Proj;

use super::{Crs, CrsError, Datum, gcj02};

/// A conversion prepared once (the PROJ definitions parsed) and applied to many points.
#[derive(Debug)]
pub struct CrsTransform {
    kind: Kind,
}

#[derive(Debug)]
enum Kind {
    Identity,
    Gcj02,
    Bd09,
    Proj {
        source: Box<Proj>,
        wgs84: Box<Proj>,
        /// The source takes degrees (proj4rs works in radians).
        source_geographic: bool,
    },
}

impl CrsTransform {
    pub fn new(crs: &Crs) -> Result<CrsTransform, CrsError> {
        let kind = match crs {
            Crs::Geographic(Datum::Wgs84) => Kind::Identity,
            Crs::Gcj02 => Kind::Gcj02,
            Crs::Bd09 => Kind::Bd09,
            _ => {
                let definition = crs.proj_string().unwrap_or_default();
                let proj = |text: &str| {
                    Proj::from_proj_string(text).map_err(|e| CrsError::BadProjString {
                        text: text.to_string(),
                        reason: e.to_string(),
                    })
                };
                Kind::Proj {
                    source: Box::new(proj(&definition)?),
                    wgs84: Box::new(proj("+proj=longlat +datum=WGS84")?),
                    source_geographic: crs.is_geographic(),
                }
            }
        };
        Ok(CrsTransform { kind })
    }

    /// A point of the CRS (easting/northing in metres, or longitude/latitude in degrees) to
    /// WGS 84 longitude/latitude in degrees.
    pub fn to_wgs84(&self, x: f64, y: f64) -> Result<(f64, f64), CrsError> {
        check_finite(x, y)?;
        let (lon, lat) = match &self.kind {
            Kind::Identity => (x, y),
            Kind::Gcj02 => gcj02::gcj02_to_wgs84(x, y),
            Kind::Bd09 => gcj02::bd09_to_wgs84(x, y),
            Kind::Proj {
                source,
                wgs84,
                source_geographic,
            } => {
                let input = if *source_geographic {
                    (x.to_radians(), y.to_radians())
                } else {
                    (x, y)
                };
                let (lon, lat) = run(source, wgs84, input, (x, y))?;
                (lon.to_degrees(), lat.to_degrees())
            }
        };
        check_output(x, y, lon, lat)
    }

    /// WGS 84 longitude/latitude in degrees to a point of the CRS.
    pub fn from_wgs84(&self, lon: f64, lat: f64) -> Result<(f64, f64), CrsError> {
        check_finite(lon, lat)?;
        if !(-90.0..=90.0).contains(&lat) {
            return Err(CrsError::Transform {
                x: lon,
                y: lat,
                reason: "latitude beyond ±90°".to_string(),
            });
        }
        let (x, y) = match &self.kind {
            Kind::Identity => (lon, lat),
            Kind::Gcj02 => gcj02::wgs84_to_gcj02(lon, lat),
            Kind::Bd09 => gcj02::wgs84_to_bd09(lon, lat),
            Kind::Proj {
                source,
                wgs84,
                source_geographic,
            } => {
                let input = (lon.to_radians(), lat.to_radians());
                let (x, y) = run(wgs84, source, input, (lon, lat))?;
                if *source_geographic {
                    (x.to_degrees(), y.to_degrees())
                } else {
                    (x, y)
                }
            }
        };
        check_output(lon, lat, x, y)
    }

    /// Converts every coordinate of the geometry to WGS 84; on an error the geometry is left
    /// partly converted, so callers discard it.
    pub fn geometry_to_wgs84(&self, geometry: &mut Geometry<f64>) -> Result<(), CrsError> {
        convert_all(geometry, |x, y| self.to_wgs84(x, y))
    }

    /// Converts every coordinate of a WGS 84 geometry to the CRS; on an error the geometry is
    /// left partly converted, so callers discard it.
    pub fn geometry_from_wgs84(&self, geometry: &mut Geometry<f64>) -> Result<(), CrsError> {
        convert_all(geometry, |x, y| self.from_wgs84(x, y))
    }
}

/// geo's fallible `try_map_coords_in_place` cannot be instantiated on a `Geometry` (its
/// recursion into collections never ends at compile time), so the first error is kept aside.
fn convert_all(
    geometry: &mut Geometry<f64>,
    convert: impl Fn(f64, f64) -> Result<(f64, f64), CrsError> + Copy,
) -> Result<(), CrsError> {
    let first_error: Cell<Option<CrsError>> = Cell::new(None);
    let first_error_ref = &first_error;
    geometry.map_coords_in_place(|c| match convert(c.x, c.y) {
        Ok((x, y)) => Coord { x, y },
        Err(e) => {
            let earlier = first_error_ref.take();
            first_error_ref.set(earlier.or(Some(e)));
            c
        }
    });
    match first_error.take() {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

fn run(
    from: &Proj,
    to: &Proj,
    input: (f64, f64),
    shown: (f64, f64),
) -> Result<(f64, f64), CrsError> {
    let mut point = (input.0, input.1, 0.0);
    proj4rs::transform::transform(from, to, &mut point).map_err(|e| CrsError::Transform {
        x: shown.0,
        y: shown.1,
        reason: e.to_string(),
    })?;
    Ok((point.0, point.1))
}

fn check_finite(x: f64, y: f64) -> Result<(), CrsError> {
    if x.is_finite() && y.is_finite() {
        Ok(())
    } else {
        Err(CrsError::Transform {
            x,
            y,
            reason: "the coordinate is not a finite number".to_string(),
        })
    }
}

fn check_output(x: f64, y: f64, out_x: f64, out_y: f64) -> Result<(f64, f64), CrsError> {
    if out_x.is_finite() && out_y.is_finite() {
        Ok((out_x, out_y))
    } else {
        Err(CrsError::Transform {
            x,
            y,
            reason: "it lies outside the area the coordinate system covers".to_string(),
        })
    }
}
