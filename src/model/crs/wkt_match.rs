//! Which CRS a WKT text describes (`Crs::from_wkt`), and the ESRI WKT of a CRS for a .prj
//! (`Crs::to_wkt`).
//!
//! Matching goes by the EPSG code first (AUTHORITY of WKT1, ID of WKT2), then by what the
//! text defines: projection, central meridian, false easting, scale and datum/ellipsoid. A
//! transverse Mercator on a known ellipsoid that is no standard grid (a city's own central
//! meridian, a shift given by TOWGS84) becomes a PROJ string with exactly those parameters.
//! Anything else is an error that says what was not understood, so the caller can ask.

use super::catalog::{BEIJING_1954_TO_WGS84, Datum, GaussKruger, ZoneWidth, esri_number};
use super::wkt::{self, Node, Value};
use super::{Crs, CrsError, ProjString};

pub(super) fn recognise(text: &str) -> Result<Crs, CrsError> {
    let text = text.trim_start_matches('\u{feff}').trim();
    let root = wkt::parse(text).map_err(|e| fail(format!("it cannot be read: {e}")))?;
    let crs = horizontal(&root)?;
    let code = epsg_code(crs);
    if let Some(found) = code.and_then(Crs::from_epsg) {
        return Ok(found);
    }
    let kind = crs.keyword.as_str();
    let result = match kind {
        "GEOGCS" | "GEOGCRS" | "GEOGRAPHICCRS" | "GEODCRS" | "GEODETICCRS" => geographic(crs),
        "PROJCS" | "PROJCRS" | "PROJECTEDCRS" => projected(crs),
        _ => Err(fail(format!("{kind} is not a map coordinate system"))),
    };
    result.map_err(|e| match (e, code) {
        (CrsError::UnrecognisedWkt(why), Some(code)) => fail(format!("EPSG:{code}, and {why}")),
        (e, _) => e,
    })
}

fn fail(why: impl Into<String>) -> CrsError {
    CrsError::UnrecognisedWkt(why.into())
}

/// The horizontal CRS: itself, the first part of a compound CRS, or the source of a WKT2
/// BOUNDCRS (GDAL's way of attaching a TOWGS84).
fn horizontal(root: &Node) -> Result<&Node, CrsError> {
    match root.keyword.as_str() {
        "COMPD_CS" | "COMPOUNDCRS" => root
            .children()
            .find(|n| {
                !matches!(
                    n.keyword.as_str(),
                    "VERT_CS" | "VERTCRS" | "AUTHORITY" | "ID"
                )
            })
            .ok_or_else(|| fail("the compound CRS has no horizontal part")),
        "BOUNDCRS" => root
            .child(&["SOURCECRS"])
            .and_then(|s| s.children().next())
            .ok_or_else(|| fail("the BOUNDCRS has no SOURCECRS")),
        _ => Ok(root),
    }
}

fn epsg_code(node: &Node) -> Option<u32> {
    let id = node.child(&["AUTHORITY", "ID"])?;
    let authority = id.name()?;
    if !authority.eq_ignore_ascii_case("EPSG") {
        return None;
    }
    let code = id.number(0)?;
    (code >= 0.0 && code.fract() == 0.0 && code <= f64::from(u32::MAX)).then_some(code as u32)
}

/// Lower-case letters and digits only: "False_Easting" and "False easting" compare equal.
fn squash(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1.0)
}

/// The datum and any TOWGS84 shift of a geographic CRS node.
struct GeoDef {
    datum_name: String,
    datum: Option<Datum>,
    a: f64,
    rf: f64,
    towgs84: Vec<f64>,
}

fn geo_def(geog: &Node) -> Result<GeoDef, CrsError> {
    if let Some(unit) = geog.child(&["UNIT", "ANGLEUNIT"])
        && !unit.number(0).is_some_and(|f| close(f, 1f64.to_radians()))
    {
        return Err(fail("its longitude/latitude are not in degrees"));
    }
    if let Some(primem) = geog.child(&["PRIMEM", "PRIMEMERIDIAN"])
        && primem.number(0).is_some_and(|l| l != 0.0)
    {
        return Err(fail("its prime meridian is not Greenwich"));
    }
    let datum = geog
        .child(&["DATUM", "GEODETICDATUM", "TRF", "ENSEMBLE"])
        .ok_or_else(|| fail("it names no datum"))?;
    let ellipsoid = datum
        .child(&["SPHEROID", "ELLIPSOID"])
        .ok_or_else(|| fail("its datum has no ellipsoid"))?;
    let (a, rf) = match (ellipsoid.number(0), ellipsoid.number(1)) {
        (Some(a), Some(rf)) if a > 0.0 && rf >= 0.0 => (a, rf),
        _ => return Err(fail("its ellipsoid has no usable axis and flattening")),
    };
    let towgs84: Vec<f64> = datum
        .child(&["TOWGS84"])
        .map(|t| (0..7).filter_map(|i| t.number(i)).collect())
        .unwrap_or_default();
    let name = squash(datum.name().unwrap_or_default());
    let known = Datum::ALL.into_iter().find(|d| {
        let (da, drf) = d.ellipsoid();
        let named = match d {
            Datum::Wgs84 => true,
            Datum::Cgcs2000 => name.contains("china") || name.contains("cgcs"),
            Datum::Beijing1954 => name.contains("beijing"),
            Datum::Xian1980 => name.contains("xian"),
        };
        named && close(a, da) && close(rf, drf)
    });
    Ok(GeoDef {
        datum_name: datum.name().unwrap_or("(unnamed)").to_string(),
        datum: known,
        a,
        rf,
        towgs84,
    })
}

impl GeoDef {
    /// The datum, if the text adds no shift of its own to it (none, zeros, or the one OneMap
    /// applies anyway).
    fn plain_datum(&self) -> Option<Datum> {
        let ours: Vec<f64> = match self.datum? {
            Datum::Beijing1954 => BEIJING_1954_TO_WGS84
                .split(',')
                .filter_map(|v| v.parse().ok())
                .collect(),
            _ => Vec::new(),
        };
        let no_shift = self.towgs84.iter().all(|v| *v == 0.0);
        let same_shift = self.towgs84.len() == ours.len()
            && self.towgs84.iter().zip(&ours).all(|(a, b)| close(*a, *b));
        self.datum.filter(|_| no_shift || same_shift)
    }

    /// The datum as PROJ parameters: a known datum, or any ellipsoid with its TOWGS84 shift.
    /// An unknown datum without a shift would be off by an unknown amount: refused.
    fn proj_params(&self) -> Result<String, CrsError> {
        if let Some(datum) = self.plain_datum() {
            return Ok(datum.proj_params());
        }
        if self.towgs84.len() != 3 && self.towgs84.len() != 7 {
            return Err(fail(format!(
                "its datum \"{}\" (ellipsoid {} m, 1/{}) is not one OneMap knows, and it gives \
                 no TOWGS84 shift to WGS 84",
                self.datum_name, self.a, self.rf
            )));
        }
        let shift: Vec<String> = self.towgs84.iter().map(f64::to_string).collect();
        Ok(format!(
            "+a={} +rf={} +towgs84={}",
            self.a,
            self.rf,
            shift.join(",")
        ))
    }
}

fn geographic(node: &Node) -> Result<Crs, CrsError> {
    let def = geo_def(node)?;
    if let Some(datum) = def.plain_datum() {
        return Ok(Crs::Geographic(datum));
    }
    custom(format!("+proj=longlat {}", def.proj_params()?))
}

fn custom(definition: String) -> Result<Crs, CrsError> {
    ProjString::new(&definition)
        .map(Crs::Proj)
        .map_err(|e| fail(e.to_string()))
}

/// The projection method and parameters of a projected CRS node, by squashed name.
struct Projection {
    method: String,
    parameters: Vec<(String, f64)>,
}

impl Projection {
    fn of(node: &Node) -> Result<Projection, CrsError> {
        // WKT2 groups them in CONVERSION; WKT1 and ESRI put them on the PROJCS itself.
        let holder = node.child(&["CONVERSION"]).unwrap_or(node);
        let method = holder
            .child(&["PROJECTION", "METHOD"])
            .and_then(Node::name)
            .ok_or_else(|| fail("it names no projection"))?;
        let parameters = holder
            .children()
            .filter(|n| n.keyword == "PARAMETER")
            .filter_map(|p| Some((squash(p.name()?), p.number(0)?)))
            .collect();
        Ok(Projection {
            method: squash(method),
            parameters,
        })
    }

    fn get(&self, names: &[&str], default: Option<f64>) -> Result<f64, CrsError> {
        self.parameters
            .iter()
            .find(|(name, _)| names.contains(&name.as_str()))
            .map(|(_, v)| *v)
            .or(default)
            .ok_or_else(|| fail(format!("its {} is missing", names[0])))
    }
}

/// Metres per unit of the projected coordinates (WKT1: UNIT; WKT2: on the CS or each AXIS).
fn linear_unit(node: &Node) -> f64 {
    let direct = node.child(&["UNIT", "LENGTHUNIT"]);
    let on_axis = || {
        node.children()
            .filter(|n| n.keyword == "AXIS")
            .find_map(|a| a.child(&["LENGTHUNIT", "UNIT"]))
    };
    direct
        .or_else(on_axis)
        .and_then(|u| u.number(0))
        .unwrap_or(1.0)
}

fn projected(node: &Node) -> Result<Crs, CrsError> {
    let geog = node
        .child(&["GEOGCS", "BASEGEOGCRS", "BASEGEODCRS", "GEOGCRS"])
        .ok_or_else(|| fail("it has no geographic base"))?;
    let def = geo_def(geog)?;
    let projection = Projection::of(node)?;
    let unit = linear_unit(node);
    let method = projection.method.as_str();
    if (matches!(
        method,
        "mercatorauxiliarysphere" | "popularvisualisationpseudomercator"
    ) || (method == "mercator1sp" && spherical_extension(node)))
        && def.plain_datum() == Some(Datum::Wgs84)
        && close(unit, 1.0)
    {
        return Ok(Crs::WebMercator);
    }
    if !matches!(method, "transversemercator" | "gausskruger") {
        return Err(fail(format!("its projection {method} is not supported")));
    }
    let tmerc = Tmerc {
        lat0: projection.get(&["latitudeoforigin", "latitudeofnaturalorigin"], Some(0.0))?,
        lon0: projection.get(&["centralmeridian", "longitudeofnaturalorigin"], None)?,
        k: projection.get(&["scalefactor", "scalefactoratnaturalorigin"], Some(1.0))?,
        x0: projection.get(&["falseeasting"], Some(0.0))?,
        y0: projection.get(&["falsenorthing"], Some(0.0))?,
    };
    let name = squash(node.name().unwrap_or_default());
    if close(unit, 1.0)
        && let Some(crs) = standard_grid(&tmerc, def.plain_datum(), &name)
    {
        return Ok(crs);
    }
    custom(format!(
        "+proj=tmerc +lat_0={} +lon_0={} +k={} +x_0={} +y_0={} {} +to_meter={unit} +no_defs",
        tmerc.lat0,
        tmerc.lon0,
        tmerc.k,
        tmerc.x0,
        tmerc.y0,
        def.proj_params()?
    ))
}

/// GDAL's WKT1 of EPSG:3857: Mercator_1SP on WGS 84, made spherical by a PROJ4 EXTENSION.
fn spherical_extension(node: &Node) -> bool {
    node.children()
        .filter(|n| n.keyword == "EXTENSION")
        .filter_map(|n| match n.values.get(1) {
            Some(Value::Text(text)) => Some(text.as_str()),
            _ => None,
        })
        .any(|proj| {
            let words: Vec<&str> = proj.split_whitespace().collect();
            ["+proj=merc", "+a=6378137", "+b=6378137"]
                .iter()
                .all(|w| words.contains(w))
        })
}

struct Tmerc {
    lat0: f64,
    lon0: f64,
    k: f64,
    x0: f64,
    y0: f64,
}

/// A UTM zone or a Gauss–Krüger grid with exactly these parameters.
fn standard_grid(t: &Tmerc, datum: Option<Datum>, name: &str) -> Option<Crs> {
    if t.lat0 != 0.0 || t.y0 != 0.0 {
        return None;
    }
    let datum = datum?;
    if datum == Datum::Wgs84 {
        let zone = (t.lon0 + 183.0) / 6.0;
        let utm = close(t.k, 0.9996) && close(t.x0, 500_000.0) && zone.fract() == 0.0;
        return (utm && (1.0..=60.0).contains(&zone)).then_some(Crs::Utm { zone: zone as u8 });
    }
    if !close(t.k, 1.0) {
        return None;
    }
    if close(t.x0, 500_000.0) {
        // 3° and 6° grids share the meridians 75°E, 81°E, …: the name tells them apart.
        let three = ZoneWidth::Three.zone_of_meridian(t.lon0).is_some();
        let six = ZoneWidth::Six.zone_of_meridian(t.lon0).is_some();
        let named_six =
            !name.contains("3degree") && (name.contains("gk") || name.contains("gauss"));
        let width = if six && (named_six || !three) {
            ZoneWidth::Six
        } else {
            ZoneWidth::Three
        };
        return GaussKruger::on_meridian(datum, width, t.lon0).map(Crs::GaussKruger);
    }
    let zone = (t.x0 - 500_000.0) / 1_000_000.0;
    if zone.fract() != 0.0 || !(0.0..=60.0).contains(&zone) {
        return None;
    }
    [ZoneWidth::Three, ZoneWidth::Six]
        .into_iter()
        .find_map(|width| {
            let grid = GaussKruger::new(datum, width, zone as u8, true)?;
            close(grid.central_meridian(), t.lon0).then_some(Crs::GaussKruger(grid))
        })
}

/// The ESRI WKT GDAL writes into a .prj for the same EPSG code (`gdalsrsinfo -o wkt_esri`).
pub(super) fn esri_wkt(crs: &Crs) -> Result<String, CrsError> {
    let wgs84 = || Datum::Wgs84.esri_geogcs();
    match crs {
        Crs::Geographic(datum) => Ok(datum.esri_geogcs()),
        Crs::GaussKruger(grid) => Ok(esri_tmerc(
            &grid.esri_name(),
            &grid.datum.esri_geogcs(),
            "Gauss_Kruger",
            grid.false_easting(),
            grid.central_meridian(),
            1.0,
        )),
        Crs::Utm { zone } => Ok(esri_tmerc(
            &format!("WGS_1984_UTM_Zone_{zone}N"),
            &wgs84(),
            "Transverse_Mercator",
            500_000.0,
            f64::from(*zone) * 6.0 - 183.0,
            0.9996,
        )),
        Crs::WebMercator => Ok(format!(
            "PROJCS[\"WGS_1984_Web_Mercator_Auxiliary_Sphere\",{},\
             PROJECTION[\"Mercator_Auxiliary_Sphere\"],PARAMETER[\"False_Easting\",0.0],\
             PARAMETER[\"False_Northing\",0.0],PARAMETER[\"Central_Meridian\",0.0],\
             PARAMETER[\"Standard_Parallel_1\",0.0],PARAMETER[\"Auxiliary_Sphere_Type\",0.0],\
             UNIT[\"Meter\",1.0]]",
            wgs84()
        )),
        Crs::Gcj02 | Crs::Bd09 | Crs::Proj(_) => Err(CrsError::NoWkt(crs.label())),
    }
}

fn esri_tmerc(name: &str, geogcs: &str, method: &str, fe: f64, cm: f64, k: f64) -> String {
    format!(
        "PROJCS[\"{name}\",{geogcs},PROJECTION[\"{method}\"],\
         PARAMETER[\"False_Easting\",{}],PARAMETER[\"False_Northing\",0.0],\
         PARAMETER[\"Central_Meridian\",{}],PARAMETER[\"Scale_Factor\",{}],\
         PARAMETER[\"Latitude_Of_Origin\",0.0],UNIT[\"Meter\",1.0]]",
        esri_number(fe),
        esri_number(cm),
        esri_number(k)
    )
}
