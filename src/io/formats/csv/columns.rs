//! Which columns of a CSV hold its geometry, and what type the others are.
//!
//! Coordinates are found by the header's names (case, spaces and underscores aside), in
//! families tried in this order: longitude/latitude (`lon`, `lng`, `long`, `longitude`, `经度`,
//! `东经` with `lat`, `latitude`, `纬度`, `北纬`), then x/y (`x`, `point_x`, `x坐标`, `横坐标` …),
//! then easting/northing (`easting`, `east`, `东坐标` …). A column counts only when every value
//! it holds is a number. A WKT column (`WKT`, `geometry`, `geom`, `the_geom`, `shape`), as GDAL
//! writes with `GEOMETRY=AS_WKT`, counts when every value parses as WKT, and comes first.
//!
//! Chinese survey tables (测量坐标) name the northing X and the easting Y. When the "x" column
//! holds northings of China (2 000 000 – 6 000 000 m) and the "y" column eastings (100 000 –
//! 900 000 m, or with a Gauss–Krüger zone number in front), the two are read the other way
//! round, and the report says so.

use csv::StringRecord;
use geo::Geometry;
use serde_json::{Number, Value};
use wkt::TryFromWkt;

use crate::io::formats::FieldKind;

const LON: &[&str] = &["lon", "lng", "long", "longitude", "经度", "东经"];
const LAT: &[&str] = &["lat", "latitude", "纬度", "北纬"];
const X: &[&str] = &["x", "pointx", "xcoord", "coordx", "x坐标", "横坐标"];
const Y: &[&str] = &["y", "pointy", "ycoord", "coordy", "y坐标", "纵坐标"];
const EAST: &[&str] = &["easting", "east", "东坐标", "东向坐标"];
const NORTH: &[&str] = &["northing", "north", "北坐标", "北向坐标"];
const WKT: &[&str] = &["wkt", "geometry", "geom", "thegeom", "shape", "wktgeometry"];

/// Where a table's geometry comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum GeometryColumns {
    /// Column indexes of x (easting, longitude) and y.
    Xy {
        x: usize,
        y: usize,
        /// Read the other way round from the header's names (survey X = north).
        swapped: bool,
    },
    Wkt(usize),
}

/// A header name as compared: lower case, without spaces, underscores and hyphens.
pub(super) fn normalized(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_whitespace() && *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether a header name says longitude (`lon`, `经度` …).
pub(super) fn is_longitude(name: &str) -> bool {
    LON.contains(&normalized(name).as_str())
}

/// A coordinate value: a finite number, `None` for an empty cell.
pub(super) fn coordinate(value: &str) -> Result<Option<f64>, ()> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    match value.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(Some(v)),
        _ => Err(()),
    }
}

/// A WKT cell as a geometry: `None` for an empty cell or an empty geometry.
pub(super) fn wkt_geometry(value: &str) -> Result<Option<Geometry<f64>>, ()> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    let geometry = Geometry::<f64>::try_from_wkt_str(value).map_err(|_| ())?;
    if geo::CoordsIter::coords_count(&geometry) == 0 {
        return Ok(None);
    }
    Ok(Some(geometry))
}

/// Whether every non-empty cell of column `i` passes `test`; `None` when all are empty.
fn every_value(rows: &[StringRecord], i: usize, test: impl Fn(&str) -> bool) -> Option<bool> {
    let mut any = false;
    for row in rows {
        let value = row.get(i).map_or("", str::trim);
        if value.is_empty() {
            continue;
        }
        if !test(value) {
            return Some(false);
        }
        any = true;
    }
    any.then_some(true)
}

/// A column of numbers, or of nothing (a table of only a header still has its columns).
fn numeric_column(rows: &[StringRecord], i: usize) -> bool {
    every_value(rows, i, |v| coordinate(v).is_ok()) != Some(false)
}

/// The first column whose name is one of `names` and whose values are numbers.
fn find(names: &[String], rows: &[StringRecord], candidates: &[&str]) -> Option<usize> {
    names
        .iter()
        .position(|n| candidates.contains(&n.as_str()))
        .filter(|&i| numeric_column(rows, i))
}

/// The geometry columns by the header's names and the values, if any.
pub(super) fn detect(header: &[String], rows: &[StringRecord]) -> Option<GeometryColumns> {
    let names: Vec<String> = header.iter().map(|h| normalized(h)).collect();
    let wkt = names
        .iter()
        .position(|n| WKT.contains(&n.as_str()))
        .filter(|&i| every_value(rows, i, |v| wkt_geometry(v).is_ok()) != Some(false));
    if let Some(i) = wkt {
        return Some(GeometryColumns::Wkt(i));
    }
    for (family, (xs, ys)) in [(LON, LAT), (X, Y), (EAST, NORTH)].into_iter().enumerate() {
        if let (Some(x), Some(y)) = (find(&names, rows, xs), find(&names, rows, ys)) {
            // Only plain x/y names leave the axis order open: lon/lat and east/north say it.
            let swapped = family == 1 && survey_order(rows, x, y);
            let (x, y) = if swapped { (y, x) } else { (x, y) };
            return Some(GeometryColumns::Xy { x, y, swapped });
        }
    }
    None
}

/// Whether column `x` holds northings of China and column `y` eastings (with or without a
/// Gauss–Krüger zone number in front): the survey convention, X north and Y east.
fn survey_order(rows: &[StringRecord], x: usize, y: usize) -> bool {
    let northing = |v: &str| {
        coordinate(v)
            .ok()
            .flatten()
            .is_some_and(|n| (2.0e6..6.0e6).contains(&n))
    };
    let easting = |v: &str| {
        coordinate(v)
            .ok()
            .flatten()
            .is_some_and(|e| (1.0e5..9.0e5).contains(&e) || (13.0e6..46.0e6).contains(&e))
    };
    every_value(rows, x, northing) == Some(true) && every_value(rows, y, easting) == Some(true)
}

/// The type of an attribute column by its values: integers (without a leading zero, which
/// makes a code such as 001 or 0571 text), numbers, dates (YYYY-MM-DD), else text.
pub(super) fn kind(rows: &[StringRecord], i: usize) -> FieldKind {
    let every = |test: &dyn Fn(&str) -> bool| every_value(rows, i, test) == Some(true);
    if every(&|v| integer(v).is_some()) {
        FieldKind::Integer
    } else if every(&|v| real(v).is_some()) {
        FieldKind::Real
    } else if every(&is_date) {
        FieldKind::Date
    } else {
        FieldKind::Text
    }
}

/// A cell as the value of a field of `kind` (null when empty).
pub(super) fn value(cell: &str, kind: FieldKind) -> Value {
    let trimmed = cell.trim();
    if trimmed.is_empty() {
        return Value::Null;
    }
    let number = match kind {
        FieldKind::Integer => integer(trimmed).map(Number::from),
        FieldKind::Real => real(trimmed).and_then(Number::from_f64),
        _ => None,
    };
    match number {
        Some(n) => Value::Number(n),
        None if kind == FieldKind::Date => Value::String(trimmed.to_owned()),
        None => Value::String(cell.to_owned()),
    }
}

fn integer(v: &str) -> Option<i64> {
    let digits = v.strip_prefix(['-', '+']).unwrap_or(v);
    let leading_zero = digits.len() > 1 && digits.starts_with('0');
    if digits.is_empty() || leading_zero || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    v.parse().ok()
}

/// A decimal number with a fraction or an exponent (a long run of digits alone is an
/// identifier that would lose digits as a float: text).
fn real(v: &str) -> Option<f64> {
    if integer(v).is_some() {
        return v.parse().ok();
    }
    let digits = v.strip_prefix(['-', '+']).unwrap_or(v);
    let numeric = digits
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'-' | b'+'));
    let has_point = digits.contains(['.', 'e', 'E']);
    let leading_zero = digits.len() > 1 && digits.starts_with('0') && !digits.starts_with("0.");
    if !numeric || !has_point || leading_zero {
        return None;
    }
    v.parse::<f64>().ok().filter(|f| f.is_finite())
}

fn is_date(v: &str) -> bool {
    let b = v.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|s| s.iter().all(u8::is_ascii_digit));
    let month = v.get(5..7).and_then(|m| m.parse::<u8>().ok());
    let day = v.get(8..10).and_then(|d| d.parse::<u8>().ok());
    b.len() == 10
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10)
        && month.is_some_and(|m| (1..=12).contains(&m))
        && day.is_some_and(|d| (1..=31).contains(&d))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(rows: &[&[&str]]) -> Vec<StringRecord> {
        rows.iter()
            .map(|r| StringRecord::from(r.to_vec()))
            .collect()
    }

    /// Found: x and y columns.
    fn xy(x: usize, y: usize, swapped: bool) -> Option<GeometryColumns> {
        Some(GeometryColumns::Xy { x, y, swapped })
    }

    fn header(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn coordinate_columns_are_found_by_name_and_values() {
        let rows = table(&[&["苏州", "120.58", "31.30"], &["无锡", "", ""]]);
        let found = detect(&header(&["名称", "经度", "纬度"]), &rows);
        assert_eq!(found, xy(1, 2, false));
        let found = detect(&header(&["name", "Longitude", " LAT "]), &rows);
        assert_eq!(found, xy(1, 2, false));
        let found = detect(&header(&["name", "POINT_X", "POINT_Y"]), &rows);
        assert_eq!(found, xy(1, 2, false));
        // A "lon" column of words is not a coordinate column.
        let words = table(&[&["a", "east", "31.3"]]);
        assert_eq!(detect(&header(&["name", "lon", "lat"]), &words), None);
        assert_eq!(detect(&header(&["名称", "人口", "备注"]), &rows), None);
        // Only a header: the names say it all.
        let found = detect(&header(&["name", "lng", "lat"]), &[]);
        assert_eq!(found, xy(1, 2, false));
    }

    #[test]
    fn survey_tables_with_x_north_are_read_the_other_way_round() {
        let survey = table(&[
            &["J1", "3456789.12", "40512345.67"],
            &["J2", "3456790", "40512346"],
        ]);
        let found = detect(&header(&["点号", "X", "Y"]), &survey);
        assert_eq!(found, xy(2, 1, true));
        let gis = table(&[&["J1", "40512345.67", "3456789.12"]]);
        let found = detect(&header(&["点号", "X", "Y"]), &gis);
        assert_eq!(found, xy(1, 2, false));
    }

    #[test]
    fn a_wkt_column_comes_first() {
        let rows = table(&[&["POLYGON((0 0,1 0,1 1,0 0))", "1", "2"], &["", "1", "2"]]);
        assert_eq!(
            detect(&header(&["WKT", "x", "y"]), &rows),
            Some(GeometryColumns::Wkt(0))
        );
        let not_wkt = table(&[&["a polygon", "1", "2"]]);
        let found = detect(&header(&["geometry", "x", "y"]), &not_wkt);
        assert_eq!(found, xy(1, 2, false));
        assert_eq!(wkt_geometry("POINT EMPTY"), Ok(None));
    }

    #[test]
    fn attribute_columns_are_typed_by_their_values() {
        let rows = table(&[
            &["1", "1.5", "001", "2022-03-01", "12345678901234567890", "x"],
            &["-20", "3", "002", "", "1", "1"],
            &["", "", "", "2022-12-31", "2", ""],
        ]);
        let kinds: Vec<FieldKind> = (0..6).map(|i| kind(&rows, i)).collect();
        use FieldKind::*;
        assert_eq!(kinds, vec![Integer, Real, Text, Date, Text, Text]);
        assert_eq!(value(" 12 ", Integer), Value::from(12));
        assert_eq!(value("1.5", Real), Value::from(1.5));
        assert_eq!(value("3", Real), Value::from(3.0));
        assert_eq!(value("", Text), Value::Null);
        assert_eq!(value("001", Text), Value::from("001"));
        assert!(!is_date("2022-13-01") && !is_date("2022/03/01"));
    }
}
