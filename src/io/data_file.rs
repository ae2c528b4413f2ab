//! A data file as a data layer, `onemap info` and `onemap convert` see it: read by its format's
//! reader (`io::formats`), then put into WGS84 through the CRS the file declares, the user
//! chose, or (where nothing says) the best guess from its coordinates.

use std::path::Path;

use geo::BoundingRect;

use super::error::IoError;
use super::formats::{DataFeature, DataTable, DeclaredCrs};
use crate::model::crs::{Crs, CrsGuess, CrsTransform, guess_crs};

/// Where a table's CRS came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CrsSource {
    /// The file says so (`.prj`, GeoPackage `srs_id`), or its format is always WGS84.
    Declared,
    /// The user (or `--crs`) said so.
    Chosen,
    /// Nothing said so: the best guess from the coordinates, for the user to confirm.
    Guessed,
}

impl CrsSource {
    pub fn word(self) -> &'static str {
        match self {
            Self::Declared => "declared",
            Self::Chosen => "chosen",
            Self::Guessed => "guessed",
        }
    }
}

/// A table's CRS as far as it is known.
#[derive(Clone, Debug)]
pub struct TableCrs {
    /// `None` when nothing declared one that OneMap understands and no guess fits.
    pub crs: Option<Crs>,
    pub source: CrsSource,
    /// Why the declared CRS was not used ("the .prj names a CRS OneMap does not know: …").
    pub problem: Option<String>,
    /// Every candidate the coordinates allow, best first (empty when the CRS is declared).
    pub guesses: Vec<CrsGuess>,
}

impl TableCrs {
    /// The CRS to use without asking: a declared or chosen one, or a guess that the coordinates
    /// make plain (lon/lat within ±180/±90 when nothing else fits as well).
    pub fn usable_without_asking(&self) -> Option<&Crs> {
        match self.source {
            CrsSource::Declared | CrsSource::Chosen => self.crs.as_ref(),
            CrsSource::Guessed => self.crs.as_ref().filter(|c| c.is_geographic()),
        }
    }
}

/// The CRS of a table: `chosen` wins; then what the file declares; then the best guess.
pub fn table_crs(table: &DataTable, chosen: Option<&Crs>) -> TableCrs {
    if let Some(crs) = chosen {
        return TableCrs {
            crs: Some(crs.clone()),
            source: CrsSource::Chosen,
            problem: None,
            guesses: Vec::new(),
        };
    }
    let declared = match &table.crs {
        DeclaredCrs::Wgs84ByFormat => Ok(Crs::from_epsg(4326)),
        DeclaredCrs::Epsg(code) => Crs::from_epsg(*code)
            .map(Some)
            .ok_or_else(|| format!("the file declares EPSG:{code}, which OneMap does not know")),
        DeclaredCrs::Wkt(wkt) => Crs::from_wkt(wkt).map(Some).map_err(|e| {
            format!("the file declares a coordinate system OneMap does not understand ({e})")
        }),
        DeclaredCrs::Unknown => Ok(None),
    };
    let problem = match declared {
        Ok(Some(crs)) => {
            return TableCrs {
                crs: Some(crs),
                source: CrsSource::Declared,
                problem: None,
                guesses: Vec::new(),
            };
        }
        Ok(None) => None,
        Err(problem) => Some(problem),
    };
    let guesses = guess_crs(&sample_positions(&table.features, 2000));
    TableCrs {
        crs: guesses.first().map(|g| g.crs.clone()),
        source: CrsSource::Guessed,
        problem,
        guesses,
    }
}

/// Up to `limit` positions spread over the table's features, for guessing its CRS.
pub fn sample_positions(features: &[DataFeature], limit: usize) -> Vec<(f64, f64)> {
    use geo::CoordsIter;
    let step = features.len().div_ceil(limit.max(1)).max(1);
    features
        .iter()
        .step_by(step)
        .filter_map(|f| f.geometry.as_ref()?.coords_iter().next())
        .map(|c| (c.x, c.y))
        .collect()
}

/// The table's features with their geometry in WGS84. A coordinate the CRS cannot convert
/// (outside its area, not finite) is an error naming the file and the feature.
pub fn to_wgs84(path: &Path, table: &DataTable, crs: &Crs) -> Result<Vec<DataFeature>, IoError> {
    let transform = CrsTransform::new(crs)
        .map_err(|e| IoError::invalid(path, format!("{}: {e}", crs.label())))?;
    table
        .features
        .iter()
        .enumerate()
        .map(|(index, f)| {
            let mut geometry = f.geometry.clone();
            if let Some(g) = &mut geometry {
                transform.geometry_to_wgs84(g).map_err(|e| {
                    IoError::invalid(
                        path,
                        format!(
                            "{}feature {}: cannot be converted from {} to WGS84: {e}",
                            table_prefix(table),
                            index + 1,
                            crs.label()
                        ),
                    )
                })?;
            }
            Ok(DataFeature {
                geometry,
                attributes: f.attributes.clone(),
            })
        })
        .collect()
}

/// Like [`to_wgs84`], converting the table's own features in place: an import of a large
/// file that holds the only copy of its read makes no second one.
pub fn into_wgs84(
    path: &Path,
    mut table: DataTable,
    crs: &Crs,
) -> Result<Vec<DataFeature>, IoError> {
    table_to_wgs84(path, &mut table, crs)?;
    Ok(table.features)
}

/// Converts a table's features to WGS84 in place (errors as [`to_wgs84`]).
pub fn table_to_wgs84(path: &Path, table: &mut DataTable, crs: &Crs) -> Result<(), IoError> {
    let transform = CrsTransform::new(crs)
        .map_err(|e| IoError::invalid(path, format!("{}: {e}", crs.label())))?;
    let prefix = table_prefix(table);
    for (index, f) in table.features.iter_mut().enumerate() {
        if let Some(g) = &mut f.geometry {
            transform.geometry_to_wgs84(g).map_err(|e| {
                IoError::invalid(
                    path,
                    format!(
                        "{prefix}feature {}: cannot be converted from {} to WGS84: {e}",
                        index + 1,
                        crs.label()
                    ),
                )
            })?;
        }
    }
    Ok(())
}

/// A WGS84 table with its features in another CRS, for writers: converted in place.
pub fn from_wgs84(path: &Path, table: DataTable, crs: &Crs) -> Result<DataTable, IoError> {
    let transform = CrsTransform::new(crs)
        .map_err(|e| IoError::invalid(path, format!("{}: {e}", crs.label())))?;
    let mut out = table;
    for (index, f) in out.features.iter_mut().enumerate() {
        if let Some(g) = &mut f.geometry {
            transform.geometry_from_wgs84(g).map_err(|e| {
                IoError::invalid(
                    path,
                    format!(
                        "feature {}: cannot be converted to {}: {e}",
                        index + 1,
                        crs.label()
                    ),
                )
            })?;
        }
    }
    Ok(out)
}

fn table_prefix(table: &DataTable) -> String {
    if table.name.is_empty() {
        String::new()
    } else {
        format!("table {}: ", table.name)
    }
}

/// The extent in WGS84 of a table in `crs`: [`extent`] of [`to_wgs84`], `None` where that
/// fails, but converting one geometry at a time instead of a copy of the table.
pub fn wgs84_extent(table: &DataTable, crs: &Crs) -> Option<geo::Rect<f64>> {
    let transform = CrsTransform::new(crs).ok()?;
    let mut boxes = Vec::new();
    for f in &table.features {
        if let Some(g) = &f.geometry {
            let mut g = g.clone();
            transform.geometry_to_wgs84(&mut g).ok()?;
            boxes.extend(g.bounding_rect());
        }
    }
    boxes.into_iter().reduce(|a, b| {
        geo::Rect::new(
            geo::coord! { x: a.min().x.min(b.min().x), y: a.min().y.min(b.min().y) },
            geo::coord! { x: a.max().x.max(b.max().x), y: a.max().y.max(b.max().y) },
        )
    })
}

/// The bounding box of features (lon/lat when they are WGS84).
pub fn extent(features: &[DataFeature]) -> Option<geo::Rect<f64>> {
    features
        .iter()
        .filter_map(|f| f.geometry.as_ref()?.bounding_rect())
        .reduce(|a, b| {
            geo::Rect::new(
                geo::coord! { x: a.min().x.min(b.min().x), y: a.min().y.min(b.min().y) },
                geo::coord! { x: a.max().x.max(b.max().x), y: a.max().y.max(b.max().y) },
            )
        })
}

/// The geometry types of features, with counts, in a stable order ("Polygon: 12").
pub fn geometry_types(features: &[DataFeature]) -> Vec<(&'static str, usize)> {
    let mut counts: std::collections::BTreeMap<&'static str, usize> = Default::default();
    for f in features {
        let kind = match &f.geometry {
            None => "None",
            Some(geo::Geometry::Point(_)) => "Point",
            Some(geo::Geometry::MultiPoint(_)) => "MultiPoint",
            Some(geo::Geometry::LineString(_) | geo::Geometry::Line(_)) => "LineString",
            Some(geo::Geometry::MultiLineString(_)) => "MultiLineString",
            Some(
                geo::Geometry::Polygon(_) | geo::Geometry::Rect(_) | geo::Geometry::Triangle(_),
            ) => "Polygon",
            Some(geo::Geometry::MultiPolygon(_)) => "MultiPolygon",
            Some(geo::Geometry::GeometryCollection(_)) => "GeometryCollection",
        };
        *counts.entry(kind).or_default() += 1;
    }
    counts.into_iter().collect()
}
