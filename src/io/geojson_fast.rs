//! A typed GeoJSON reader for geometries only, for exporting large files: it parses straight
//! into coordinates and skips properties unread, where the import (which keeps properties)
//! goes through a JSON tree. A 1M-vertex file reads about five times faster this way.

use std::path::Path;

use geo::{Coord, Geometry, LineString, MultiLineString, MultiPoint, MultiPolygon, Point, Polygon};
use serde::Deserialize;
use serde::de::{Deserializer, SeqAccess, Visitor};

use super::error::IoError;

/// Nested coordinate arrays of any depth; an array of numbers is a position (any third
/// number, an altitude, is dropped), read without an allocation of its own.
enum Coords {
    Number(f64),
    Position(Coord<f64>),
    List(Vec<Coords>),
}

impl<'de> Deserialize<'de> for Coords {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Coords;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a number or an array of coordinates")
            }
            fn visit_f64<E>(self, v: f64) -> Result<Coords, E> {
                Ok(Coords::Number(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Coords, E> {
                Ok(Coords::Number(v as f64))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Coords, E> {
                Ok(Coords::Number(v as f64))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Coords, A::Error> {
                let Some(first) = seq.next_element::<Coords>()? else {
                    return Ok(Coords::List(Vec::new()));
                };
                if let Coords::Number(x) = first {
                    let Some(Coords::Number(y)) = seq.next_element::<Coords>()? else {
                        return Err(serde::de::Error::custom(
                            "a position is not an array of two numbers",
                        ));
                    };
                    while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
                    return Ok(Coords::Position(Coord { x, y }));
                }
                // Rings are typically tens of positions; these lists are short-lived.
                let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(32).max(1));
                items.push(first);
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(Coords::List(items))
            }
        }
        d.deserialize_any(V)
    }
}

/// The geometries of a `features` array, each converted as soon as it is read, so that only
/// one feature's raw coordinates exist at a time. A feature without geometry gives `None`.
struct Features(Vec<Option<Geometry<f64>>>);

impl<'de> Deserialize<'de> for Features {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Features;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an array of features")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Features, A::Error> {
                let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0));
                while let Some(feature) = seq.next_element::<Object>()? {
                    let geometry = match feature.geometry {
                        Some(Some(g)) => Some(geometry(*g).map_err(|m| {
                            serde::de::Error::custom(format!("feature {}: {m}", out.len()))
                        })?),
                        _ => None,
                    };
                    out.push(geometry);
                }
                Ok(Features(out))
            }
        }
        d.deserialize_seq(V)
    }
}

/// A FeatureCollection, a Feature or a geometry: every member any of them has, all optional,
/// so that keys come in any order and unknown ones (properties, crs, bbox) are skipped.
#[derive(Deserialize)]
struct Root {
    #[serde(rename = "type")]
    kind: Option<String>,
    features: Option<Features>,
    geometry: Option<Option<Box<Object>>>,
    coordinates: Option<Coords>,
    geometries: Option<Vec<Object>>,
}

/// A feature or a geometry inside the collection.
#[derive(Deserialize)]
struct Object {
    #[serde(rename = "type")]
    kind: Option<String>,
    geometry: Option<Option<Box<Object>>>,
    coordinates: Option<Coords>,
    geometries: Option<Vec<Object>>,
}

/// The geometries of a GeoJSON file, in file order (features without a geometry are left out;
/// they have nothing to draw).
pub fn read_geometries(path: &Path) -> Result<Vec<Geometry<f64>>, IoError> {
    let bytes = read_file(path).map_err(|e| IoError::read(path, e))?;
    let parsed = match parse_in_two(&bytes) {
        Some(root) => Ok(root),
        // Small files, unusual layouts, and every error take the one-pass parse, which
        // also gives the error its line and column.
        None => serde_json::from_slice::<Root>(&bytes),
    };
    drop(bytes);
    let root: Root = parsed.map_err(|e| {
        if e.is_data() {
            // Valid JSON, but not GeoJSON as expected: say what, and where.
            IoError::Invalid {
                path: path.to_owned(),
                message: e.to_string(),
            }
        } else {
            IoError::json(path, &e)
        }
    })?;
    let invalid = |message: String| IoError::Invalid {
        path: path.to_owned(),
        message,
    };
    let mut out = Vec::new();
    match root.kind.as_deref() {
        Some("FeatureCollection") => {
            let features = root
                .features
                .ok_or_else(|| invalid("a FeatureCollection without `features`".into()))?;
            out.extend(features.0.into_iter().flatten());
        }
        Some("Feature") => {
            if let Some(Some(g)) = root.geometry {
                out.push(geometry(*g).map_err(invalid)?);
            }
        }
        Some(_) => out.push(
            geometry(Object {
                kind: root.kind,
                geometry: None,
                coordinates: root.coordinates,
                geometries: root.geometries,
            })
            .map_err(invalid)?,
        ),
        None => return Err(invalid("no top-level `type`".into())),
    }
    if let Some(c) = out
        .iter()
        .flat_map(geo::CoordsIter::coords_iter)
        .find(|c| c.x.abs() > 180.0 || c.y.abs() > 90.0)
    {
        return Err(IoError::Projected {
            path: path.to_owned(),
            x: c.x,
            y: c.y,
        });
    }
    Ok(out)
}

/// The bytes of a file; a large one is read in two halves at once (copying 30 MB out of the
/// page cache and touching the pages it lands in takes one core ~15 ms).
fn read_file(path: &Path) -> std::io::Result<Vec<u8>> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileExt as _;
        const WORTH_IT: u64 = 4 << 20;
        let file = std::fs::File::open(path)?;
        let len = file.metadata()?.len();
        if len >= WORTH_IT
            && let Ok(len) = usize::try_from(len)
        {
            let mut bytes = vec![0u8; len];
            let (head, tail) = bytes.split_at_mut(len / 2);
            let (file, at) = (&file, head.len() as u64);
            let read = std::thread::scope(|scope| {
                let tail = scope.spawn(move || file.read_exact_at(tail, at));
                let head = file.read_exact_at(head, 0);
                head.and(tail.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            });
            // A file that changed size while being read is read again, in one go.
            if read.is_ok() && file.read_at(&mut [0u8], len as u64)? == 0 {
                return Ok(bytes);
            }
        }
    }
    std::fs::read(path)
}

/// Parses a large FeatureCollection in two halves at once, without copying either: one core
/// reads features from the start; the other from a guessed boundary between two features near
/// the middle to the end of the array. The guess is kept only if the first core, reading
/// feature by feature, stops exactly on it; otherwise the first core reads on to the end
/// alone. The top-level members other than `features` are parsed on their own. `None` when
/// the file is small or anything fails to parse: the caller then parses it in one pass, which
/// also gives the error its line and column.
fn parse_in_two(bytes: &[u8]) -> Option<Root> {
    const WORTH_IT: usize = 4 << 20;
    if bytes.len() < WORTH_IT || std::thread::available_parallelism().map_or(1, |n| n.get()) < 2 {
        return None;
    }
    let open = features_array(bytes)?;
    let guess = boundary_after(bytes, bytes.len() / 2);
    let (head, tail) = std::thread::scope(|scope| {
        let tail = guess.map(|g| scope.spawn(move || read_features(bytes, g + 1, None)));
        let head = read_features(bytes, open + 1, guess);
        let tail = match (&head, tail) {
            (Some(h), Some(t)) if Some(h.stop) == guess => t.join().ok().flatten(),
            _ => None,
        };
        (head, tail)
    });
    let head = head?;
    let (features, close) = match tail {
        Some(tail) => {
            let mut features = head.geometries;
            features.extend(tail.geometries);
            (features, tail.stop)
        }
        // The guess was not a boundary between features: the first core read them all.
        None if bytes.get(head.stop) == Some(&b']') => (head.geometries, head.stop),
        None => return None,
    };
    // What surrounds the array, with the array left empty: small.
    let mut rest = Vec::with_capacity(open + 2 + bytes.len() - close);
    rest.extend_from_slice(&bytes[..open]);
    rest.extend_from_slice(b"[]");
    rest.extend_from_slice(&bytes[close + 1..]);
    let mut root: Root = serde_json::from_slice(&rest).ok()?;
    root.features = Some(Features(features));
    Some(root)
}

/// Features read one after another, and where reading stopped: at the `]` closing the array,
/// or at the `,` asked for.
struct Run {
    geometries: Vec<Option<Geometry<f64>>>,
    stop: usize,
}

/// Reads features from `at` (just after the `[` or a `,` of the features array) until the
/// array closes, or until the `,` at `stop_at` if it comes between two features.
fn read_features(bytes: &[u8], mut at: usize, stop_at: Option<usize>) -> Option<Run> {
    let mut geometries = Vec::new();
    loop {
        let mut one = serde_json::Deserializer::from_slice(&bytes[at..]).into_iter::<Object>();
        let feature = one.next()?.ok()?;
        at += one.byte_offset();
        geometries.push(match feature.geometry {
            Some(Some(g)) => Some(geometry(*g).ok()?),
            _ => None,
        });
        at += bytes[at..]
            .iter()
            .take_while(|b| b.is_ascii_whitespace())
            .count();
        match bytes.get(at)? {
            b',' if Some(at) == stop_at => break,
            b',' => at += 1,
            b']' => break,
            _ => return None,
        }
    }
    Some(Run {
        geometries,
        stop: at,
    })
}

/// The offset of the `[` opening the top-level `features` array, found by following strings
/// and nesting from the start (members before it are usually a few short ones).
fn features_array(bytes: &[u8]) -> Option<usize> {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    let mut key: (usize, usize) = (0, 0);
    let mut string_start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
                if depth == 1 {
                    key = (string_start, i);
                }
            }
            continue;
        }
        match b {
            b'"' => {
                in_string = true;
                string_start = i + 1;
            }
            b'[' if depth == 1 && &bytes[key.0..key.1] == b"features" => return Some(i),
            b'{' | b'[' => depth += 1,
            b'}' | b']' => depth = depth.checked_sub(1)?,
            _ => {}
        }
    }
    None
}

/// A likely boundary between two features at or after `from`: a `,` between a `}` and a `{`
/// (whitespace aside). Only a guess: it may lie inside a string or a nested array.
fn boundary_after(bytes: &[u8], from: usize) -> Option<usize> {
    let is_space = |b: &u8| b.is_ascii_whitespace();
    (from..bytes.len()).find(|&i| {
        bytes[i] == b','
            && bytes[..i].iter().rev().find(|b| !is_space(b)) == Some(&b'}')
            && bytes[i + 1..].iter().find(|b| !is_space(b)) == Some(&b'{')
    })
}

fn position(c: &Coords) -> Result<Coord<f64>, String> {
    match c {
        Coords::Position(p) => Ok(*p),
        _ => Err("a position is not an array of two numbers".into()),
    }
}

fn list(c: &Coords) -> Result<&[Coords], String> {
    match c {
        Coords::List(v) => Ok(v),
        _ => Err("coordinates are nested too shallowly".into()),
    }
}

fn line(c: &Coords) -> Result<LineString<f64>, String> {
    list(c)?
        .iter()
        .map(position)
        .collect::<Result<Vec<_>, _>>()
        .map(LineString::new)
}

fn polygon(c: &Coords) -> Result<Polygon<f64>, String> {
    let mut rings = list(c)?.iter().map(line);
    let exterior = rings.next().ok_or("a polygon without rings")??;
    Ok(Polygon::new(exterior, rings.collect::<Result<_, _>>()?))
}

fn geometry(o: Object) -> Result<Geometry<f64>, String> {
    let kind = o.kind.as_deref().unwrap_or("");
    if kind == "GeometryCollection" {
        let parts = o
            .geometries
            .ok_or("a GeometryCollection without `geometries`")?;
        return parts
            .into_iter()
            .map(geometry)
            .collect::<Result<Vec<_>, _>>()
            .map(|g| Geometry::GeometryCollection(geo::GeometryCollection(g)));
    }
    let c = o
        .coordinates
        .ok_or_else(|| format!("a {kind} without `coordinates`"))?;
    Ok(match kind {
        "Point" => Geometry::Point(Point(position(&c)?)),
        "MultiPoint" => Geometry::MultiPoint(MultiPoint(
            list(&c)?
                .iter()
                .map(|p| position(p).map(Point))
                .collect::<Result<_, _>>()?,
        )),
        "LineString" => Geometry::LineString(line(&c)?),
        "MultiLineString" => Geometry::MultiLineString(MultiLineString(
            list(&c)?.iter().map(line).collect::<Result<_, _>>()?,
        )),
        "Polygon" => Geometry::Polygon(polygon(&c)?),
        "MultiPolygon" => Geometry::MultiPolygon(MultiPolygon(
            list(&c)?.iter().map(polygon).collect::<Result<_, _>>()?,
        )),
        other => return Err(format!("unknown geometry type `{other}`")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Vec<Geometry<f64>>, IoError> {
        let path = std::env::temp_dir().join(format!(
            "onemap-fast-{}-{}.geojson",
            std::process::id(),
            text.len()
        ));
        std::fs::write(&path, text).unwrap();
        let out = read_geometries(&path);
        let _ = std::fs::remove_file(&path);
        out
    }

    #[test]
    fn every_geometry_type_reads_in_any_key_order_and_properties_are_skipped() {
        let g = read(
            r#"{"features":[
            {"properties":{"a":[1,{"b":2}]},"geometry":{"coordinates":[121,31],"type":"Point"},"type":"Feature"},
            {"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]],[[0.2,0.1],[0.8,0.1],[0.8,0.7],[0.2,0.1]]]}},
            {"type":"Feature","geometry":null},
            {"type":"Feature","geometry":{"type":"GeometryCollection","geometries":[{"type":"MultiLineString","coordinates":[[[0,0],[1,1]]]}]}}
            ],"type":"FeatureCollection"}"#,
        )
        .unwrap();
        assert_eq!(g.len(), 3);
        assert_eq!(g[0], Geometry::Point(Point::new(121.0, 31.0)));
        let Geometry::Polygon(p) = &g[1] else {
            panic!()
        };
        assert_eq!(p.interiors().len(), 1);
    }

    /// A FeatureCollection over the size that is read in two halves: `n` polygons, each with a
    /// property `note` (which may hold text that looks like a boundary between features).
    fn large(n: usize, note: &str, trailing_type: bool) -> String {
        let features: Vec<String> = (0..n)
            .map(|i| {
                let (x, y) = (119.0 + (i % 300) as f64 * 0.01, 29.0 + (i / 300) as f64 * 0.01);
                format!(
                    r#"{{"type":"Feature","properties":{{"note":"{note}","i":{i}}},"geometry":{{"type":"Polygon","coordinates":[[[{x},{y}],[{},{y}],[{},{}],[{x},{y}]]]}}}}"#,
                    x + 0.005,
                    x + 0.005,
                    y + 0.005
                )
            })
            .collect();
        let body = features.join(",\n");
        if trailing_type {
            format!(r#"{{"features":[{body}],"name":"late","type":"FeatureCollection"}}"#)
        } else {
            format!(r#"{{"type":"FeatureCollection","features":[{body}]}}"#)
        }
    }

    #[test]
    fn a_large_file_reads_in_two_halves_exactly_as_in_one_pass() {
        // Notes that look like boundaries between features, so that the guess falls in one.
        let text = large(20_001, &"x}, {y".repeat(40), true);
        assert!(text.len() > 4 << 20, "large enough to be split");
        let one_pass = serde_json::from_str::<Root>(&text).unwrap();
        let expected: Vec<Geometry<f64>> =
            one_pass.features.unwrap().0.into_iter().flatten().collect();
        let got = read(&text).unwrap();
        assert_eq!(got.len(), 20_001);
        assert_eq!(
            got, expected,
            "`type` after `features` is found, and order is kept"
        );
        let guess = boundary_after(text.as_bytes(), text.len() / 2).unwrap();
        assert_eq!(
            &text[guess - 1..guess + 3],
            "}, {",
            "the guess falls in a note"
        );
        if std::thread::available_parallelism().map_or(1, |n| n.get()) > 1 {
            assert!(
                parse_in_two(text.as_bytes()).is_some(),
                "read in two halves"
            );
        }
        // And a guess that is right, in a file with no spaces.
        let compact = large(40_000, "plain", false).replace(",\n", ",");
        let guess = boundary_after(compact.as_bytes(), compact.len() / 2).unwrap();
        assert_eq!(&compact[guess - 1..guess + 2], "},{");
        assert!(parse_in_two(compact.as_bytes()).is_some());
        assert_eq!(read(&compact).unwrap().len(), 40_000);
    }

    #[test]
    fn an_error_in_the_second_half_of_a_large_file_names_its_line() {
        let text = large(40_000, "plain", false);
        let broken = format!("{}{}", &text[..text.len() - 200], "]]]}");
        let e = read(&broken).unwrap_err().to_string();
        assert!(e.contains("line 40000"), "{e}");
    }

    #[test]
    fn bad_input_is_an_error_naming_the_file_and_the_feature() {
        let e = read(r#"{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[1]}}]}"#)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("onemap-fast") && e.contains("position") && e.contains("column"),
            "{e}"
        );
        let e = read(r#"{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Blob","coordinates":[1,2]}}]}"#)
            .unwrap_err()
            .to_string();
        assert!(e.contains("feature 0:") && e.contains("Blob"), "{e}");
        let e = read(r#"{"type":"FeatureCollection","features":[{"geometry":{"type":"Point","coordinates":[500000,3400000]}}]}"#)
            .unwrap_err();
        assert!(matches!(e, IoError::Projected { .. }));
        assert!(read("{not json").is_err());
        assert!(read(r#"{"features":[]}"#).is_err(), "no type");
    }
}
