//! DXF reading against GDAL's DXF driver: the fixtures in tests/data/formats/dxf (made by
//! ogr2ogr and by make_hand_dxf.py, see MAKE.sh there) are read by OneMap and by GDAL
//! (`ogr2ogr -f GeoJSON`, the same driver `ogrinfo -al` shows), and the features, their
//! layers, texts and coordinates must agree. Needs GDAL (Debian gdal-bin), which `.ci/run`
//! installs; in CI its absence is a failure.
//!
//! Where OneMap and GDAL differ by design, the test says so: OneMap makes closed polylines
//! and circles polygons (GDAL closed lines), draws each entity of a block as a feature (GDAL
//! merges an INSERT into one), places justified TEXT on its alignment point (GDAL on the
//! first point, with the offset in its style), and skips HATCH, SPLINE and paper space with a
//! report (GDAL reads them).

// An integration test is a crate of its own, which clippy's allow-unwrap-in-tests (clippy.toml)
// does not cover outside #[test] functions: its helpers unwrap too, a panic being a failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod read_progress;

use std::path::{Path, PathBuf};
use std::process::Command;

use geo::{Coord, CoordsIter, Geometry, HausdorffDistance, LineString, MultiLineString};
use onemap::io::formats::{
    DataFeature, DataTable, EncodingSource, ReadOptions, encoding::display_name, read,
};
use serde_json::Value;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/formats/dxf")
        .join(name)
}

fn read_table(path: &Path) -> DataTable {
    let mut dataset = read(path, &ReadOptions::default()).unwrap();
    assert_eq!(dataset.tables.len(), 1);
    dataset.tables.remove(0)
}

/// GDAL's reading of a DXF as GeoJSON features (with the style string), or `None` without
/// GDAL outside CI.
fn gdal_features(path: &Path, config: &[(&str, &str)]) -> Option<Vec<Value>> {
    let mut command = Command::new("ogr2ogr");
    for (key, value) in config {
        command.args(["--config", key, value]);
    }
    command
        .args(["-f", "GeoJSON", "/vsistdout/"])
        .arg(path)
        .args(["-sql", "SELECT *, OGR_STYLE FROM entities"]);
    let Ok(out) = command.output() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "ogr2ogr is missing in CI: .ci/run must install gdal-bin"
        );
        eprintln!("ogr2ogr not installed (apt-get install gdal-bin); GDAL check not run here");
        return None;
    };
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    Some(json["features"].as_array().unwrap().clone())
}

fn gdal_geometry(feature: &Value) -> Geometry<f64> {
    let geometry: geojson::Geometry = serde_json::from_value(feature["geometry"].clone()).unwrap();
    Geometry::try_from(geometry).unwrap()
}

fn property<'a>(feature: &'a Value, name: &str) -> Option<&'a str> {
    feature["properties"][name].as_str()
}

fn attribute<'a>(feature: &'a DataFeature, name: &str) -> Option<&'a str> {
    feature.attributes.get(name).and_then(Value::as_str)
}

/// The vertices of a geometry (a polygon's exterior ring, closed).
fn vertices(geometry: &Geometry<f64>) -> Vec<Coord<f64>> {
    match geometry {
        Geometry::Polygon(p) => p.exterior().0.clone(),
        other => other.coords_iter().collect(),
    }
}

/// The largest distance from a vertex of either to the other (both as lines).
fn hausdorff(a: &[Coord<f64>], b: &[Coord<f64>]) -> f64 {
    LineString::new(a.to_vec()).hausdorff_distance(&LineString::new(b.to_vec()))
}

#[test]
fn ogr2ogr_drawings_read_as_gdal_reads_them() {
    for (name, source) in [
        ("ogr_r2004.dxf", EncodingSource::Guessed),
        ("ogr_r2018.dxf", EncodingSource::Declared),
    ] {
        let table = read_table(&fixture(name));
        let encoding = table.encoding.unwrap();
        assert_eq!(
            (display_name(encoding.encoding), encoding.source),
            ("UTF-8", source),
            "{name}"
        );
        assert_eq!(table.crs, onemap::io::formats::DeclaredCrs::Unknown);
        assert!(table.skipped.is_empty(), "{name}: {:?}", table.skipped);
        let names: Vec<&str> = table.fields.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, vec!["layer", "entity", "text"]);
        // GDAL writes UTF-8 under a header saying ANSI_1252 and reads it back as such: told
        // the encoding, it reads what OneMap guesses.
        let Some(gdal) = gdal_features(&fixture(name), &[("DXF_ENCODING", "UTF-8")]) else {
            return;
        };
        assert_eq!(table.features.len(), gdal.len(), "{name}");
        assert_eq!(gdal.len(), 6);
        for (ours, theirs) in table.features.iter().zip(&gdal) {
            assert_eq!(
                attribute(ours, "layer"),
                property(theirs, "Layer"),
                "{name}"
            );
            assert_eq!(attribute(ours, "text"), property(theirs, "Text"), "{name}");
            let ours = vertices(ours.geometry.as_ref().unwrap());
            assert_eq!(ours, vertices(&gdal_geometry(theirs)), "{name}");
        }
        let labels: Vec<&str> = table
            .features
            .iter()
            .filter_map(|f| attribute(f, "text"))
            .collect();
        assert_eq!(labels, vec!["苏州", "Kunshan 昆山"]);
    }
}

#[test]
fn binary_drawings_read_exactly_as_their_ascii_originals() {
    for (binary, ascii) in [
        ("ogr_r2004_binary.dxf", "ogr_r2004.dxf"),
        ("r12_gbk_binary.dxf", "r12_gbk.dxf"),
    ] {
        let mut from_binary = read_table(&fixture(binary));
        from_binary.name = ascii.trim_end_matches(".dxf").to_owned();
        assert_eq!(from_binary, read_table(&fixture(ascii)), "{binary}");
    }
}

#[test]
fn an_r12_gbk_drawing_reads_as_gdal_reads_it_but_its_hatch() {
    let table = read_table(&fixture("r12_gbk.dxf"));
    let encoding = table.encoding.unwrap();
    assert_eq!(
        (display_name(encoding.encoding), encoding.source),
        ("GBK", EncodingSource::Declared)
    );
    assert_eq!(
        table.skipped,
        vec!["1 HATCH entity skipped: OneMap does not read this entity type"]
    );
    let kinds: Vec<&str> = table
        .features
        .iter()
        .map(|f| attribute(f, "entity").unwrap())
        .collect();
    assert_eq!(
        kinds,
        vec!["LWPOLYLINE", "POLYLINE", "LINE", "POINT", "TEXT", "TEXT"]
    );
    assert!(matches!(
        table.features[0].geometry,
        Some(Geometry::Polygon(_))
    ));
    assert!(matches!(
        table.features[1].geometry,
        Some(Geometry::Polygon(_))
    ));
    let Some(gdal) = gdal_features(&fixture("r12_gbk.dxf"), &[]) else {
        return;
    };
    // GDAL's first feature is the HATCH, which it fills as a polygon.
    assert_eq!(gdal.len(), 7);
    assert_eq!(property(&gdal[0], "Layer"), Some("填充"));
    assert_eq!(property(&gdal[0], "Text"), Some("SOLID"));
    for (ours, theirs) in table.features.iter().zip(&gdal[1..]) {
        assert_eq!(attribute(ours, "layer"), property(theirs, "Layer"));
        assert_eq!(attribute(ours, "text"), property(theirs, "Text"));
        let mut expected = vertices(&gdal_geometry(theirs));
        // Centred text: GDAL's point is the first alignment point, with the offset to the
        // second (where the drafter centred it, and where OneMap puts the label) in its style.
        if let Some((dx, dy)) = style_offset(property(theirs, "OGR_STYLE").unwrap()) {
            expected[0].x += dx;
            expected[0].y += dy;
        }
        assert_eq!(vertices(ours.geometry.as_ref().unwrap()), expected);
    }
    assert_eq!(attribute(&table.features[5], "text"), Some("无锡市"));
}

/// `dx:10g,dy:2.5g` of a GDAL LABEL style.
fn style_offset(style: &str) -> Option<(f64, f64)> {
    let number = |key: &str| -> Option<f64> {
        let start = style.find(key)? + key.len();
        let end = style[start..].find('g')? + start;
        style[start..end].parse().ok()
    };
    Some((number("dx:")?, number("dy:")?))
}

#[test]
fn curves_blocks_and_texts_read_as_gdal_draws_them() {
    let table = read_table(&fixture("features_r2000.dxf"));
    assert_eq!(
        table.skipped,
        vec![
            "1 SPLINE entity skipped: OneMap does not read this entity type",
            "1 LINE entity in paper space (layout sheets, not the map) skipped",
        ]
    );
    let summary: Vec<(&str, &str, Option<&str>)> = table
        .features
        .iter()
        .map(|f| {
            (
                attribute(f, "entity").unwrap(),
                attribute(f, "layer").unwrap(),
                attribute(f, "block"),
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            ("LWPOLYLINE", "道路", None),
            ("LWPOLYLINE", "用地", None),
            ("MTEXT", "地名", None),
            ("TEXT", "高程", None),
            ("CIRCLE", "绿化", None),
            ("ARC", "道路", None),
            // The trunk is on layer 0 in the block: drawn on the INSERT's layer.
            ("LINE", "绿化", Some("TREE")),
            ("CIRCLE", "绿化", Some("TREE")),
            ("LINE", "景观", Some("TREE")),
            ("CIRCLE", "绿化", Some("TREE")),
            ("ELLIPSE", "水系", None),
            ("SOLID", "符号", None),
        ]
    );
    let f = &table.features;
    assert_eq!(
        attribute(&f[2], "text"),
        Some("上海\n大都市圈 规划\n上海Plan")
    );
    assert_eq!(attribute(&f[3], "text"), Some("坡度 12.5°"));
    for i in [1, 4, 7, 9, 10, 11] {
        assert!(
            matches!(f[i].geometry, Some(Geometry::Polygon(_))),
            "feature {i}"
        );
    }
    let Some(gdal) = gdal_features(&fixture("features_r2000.dxf"), &[]) else {
        return;
    };
    assert_eq!(gdal.len(), 12);
    let ours = |i: usize| vertices(f[i].geometry.as_ref().unwrap());
    let theirs = |i: usize| vertices(&gdal_geometry(&gdal[i]));
    // Straight figures: the same vertices (the mirrored polyline's x flipped back).
    assert_eq!(ours(1), theirs(1));
    assert_eq!(ours(3), theirs(3));
    assert_eq!(ours(11), theirs(10));
    assert_eq!(ours(2), theirs(2));
    assert_eq!(attribute(&f[2], "text"), property(&gdal[2], "Text"));
    assert_eq!(attribute(&f[3], "text"), property(&gdal[3], "Text"));
    // Curves: both linearise at 4° at most, so they lie within 0.1 % of the radius.
    for (i, j, radius) in [(0, 0, 50.0), (4, 4, 10.0), (5, 5, 20.0), (10, 8, 30.0)] {
        let d = hausdorff(&ours(i), &theirs(j));
        assert!(d < radius * 1e-3, "feature {i}: {d} m from GDAL's");
    }
    // The blocks: each INSERT's two features against GDAL's one multi-line.
    for (trunk, gdal_insert) in [(6, 6), (8, 7)] {
        let ours_insert = MultiLineString::new(vec![
            LineString::new(ours(trunk)),
            LineString::new(ours(trunk + 1)),
        ]);
        let Geometry::MultiLineString(theirs) = gdal_geometry(&gdal[gdal_insert]) else {
            panic!("GDAL's INSERT {gdal_insert} is not a multi-line");
        };
        let d = ours_insert.hausdorff_distance(&theirs);
        assert!(d < 0.01, "INSERT {gdal_insert}: {d} m from GDAL's");
        assert_eq!(
            attribute(&f[trunk], "layer"),
            property(&gdal[gdal_insert], "Layer")
        );
    }
    assert_eq!(
        property(&gdal[9], "SubClasses"),
        Some("AcDbEntity:AcDbSpline")
    );
}

fn temp_dxf(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn error_of(path: &Path) -> String {
    let error = read(path, &ReadOptions::default()).unwrap_err().to_string();
    assert!(
        error.contains(path.file_name().unwrap().to_str().unwrap()),
        "{error}"
    );
    error
}

#[test]
fn files_that_are_not_whole_drawings_are_refused_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let whole = std::fs::read(fixture("ogr_r2004.dxf")).unwrap();
    let cut = temp_dxf(&dir, "cut.dxf", &whole[..whole.len() / 2]);
    assert!(error_of(&cut).contains("cut short"), "{}", error_of(&cut));
    let binary = std::fs::read(fixture("ogr_r2004_binary.dxf")).unwrap();
    for at in [binary.len() - 7, binary.len() / 2, 30] {
        let cut = temp_dxf(&dir, "cut_binary.dxf", &binary[..at]);
        let error = error_of(&cut);
        assert!(
            error.contains("cut short") || error.contains("cannot be read"),
            "{error}"
        );
    }
    let csv = temp_dxf(&dir, "points.dxf", "名称,x,y\n苏州,1,2\n".as_bytes());
    assert!(error_of(&csv).contains("is not a DXF drawing"));
    let dwg = temp_dxf(&dir, "plan.dxf", b"AC1032\0\0\0\0\x01\x02garbage");
    assert!(error_of(&dwg).contains("DWG"));
    let empty = temp_dxf(&dir, "empty.dxf", b"");
    assert!(error_of(&empty).contains("is empty"));
    let garbled = temp_dxf(
        &dir,
        "garbled.dxf",
        b"  0\nSECTION\n  2\nENTITIES\n  0\nLINE\n 10\nnot a number\n  0\nENDSEC\n  0\nEOF\n",
    );
    assert!(error_of(&garbled).contains("cannot be read as a DXF drawing"));
}

#[test]
fn an_empty_drawing_is_an_empty_table_that_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let path = temp_dxf(
        &dir,
        "blank.dxf",
        b"  0\nSECTION\n  2\nENTITIES\n  0\nENDSEC\n  0\nEOF\n",
    );
    let table = read_table(&path);
    assert!(table.features.is_empty());
    assert_eq!(
        table.skipped,
        vec!["the drawing has no entities in its ENTITIES section"]
    );
}

#[test]
fn a_chosen_encoding_that_does_not_fit_is_an_error_not_mojibake() {
    let options = ReadOptions {
        encoding: Some(encoding_rs::UTF_8),
        ..ReadOptions::default()
    };
    let error = read(&fixture("r12_gbk.dxf"), &options)
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("not valid UTF-8") && error.contains("r12_gbk.dxf"),
        "{error}"
    );
    let options = ReadOptions {
        encoding: Some(encoding_rs::GB18030),
        ..ReadOptions::default()
    };
    let table = read(&fixture("r12_gbk.dxf"), &options)
        .unwrap()
        .tables
        .remove(0);
    assert_eq!(table.encoding.unwrap().source, EncodingSource::Chosen);
    assert_eq!(attribute(&table.features[4], "text"), Some("苏州"));
}

/// An R2000 drawing of `blocks` (name, entity groups) and top-level `entities`, as text.
fn drawing(blocks: &[(&str, &str)], entities: &str) -> Vec<u8> {
    let mut text = String::from("  0\nSECTION\n  2\nBLOCKS\n");
    for (name, body) in blocks {
        text += &format!(
            "  0\nBLOCK\n  8\n0\n  2\n{name}\n 70\n0\n 10\n0\n 20\n0\n 30\n0\n{body}  0\nENDBLK\n"
        );
    }
    text += &format!("  0\nENDSEC\n  0\nSECTION\n  2\nENTITIES\n{entities}  0\nENDSEC\n  0\nEOF\n");
    text.into_bytes()
}

fn insert(name: &str, extra: &str) -> String {
    format!("  0\nINSERT\n  8\n0\n  2\n{name}\n 10\n1\n 20\n1\n 30\n0\n{extra}")
}

#[test]
fn blocks_that_expand_without_end_are_refused_or_reported() {
    let dir = tempfile::tempdir().unwrap();
    let line = "  0\nLINE\n  8\n0\n 10\n0\n 20\n0\n 11\n1\n 21\n1\n";
    // Ten levels of ten INSERTs each: 10^10 placements from a file of a few KB. (B0 is empty,
    // so that the test makes no features before the budget runs out, only placements.)
    let mut blocks = vec![("B0".to_owned(), String::new())];
    for level in 1..10 {
        let inner = insert(&format!("B{}", level - 1), "").repeat(10);
        blocks.push((format!("B{level}"), inner));
    }
    let blocks: Vec<(&str, &str)> = blocks
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_str()))
        .collect();
    let bomb = temp_dxf(&dir, "bomb.dxf", &drawing(&blocks, &insert("B9", "")));
    assert!(
        error_of(&bomb).contains("expands to more than"),
        "{}",
        error_of(&bomb)
    );
    // A MINSERT of 32767 × 32767 copies.
    let array = insert("B0", " 70\n32767\n 71\n32767\n 44\n1\n 45\n1\n");
    let minsert = temp_dxf(&dir, "minsert.dxf", &drawing(&[("B0", "")], &array));
    assert!(error_of(&minsert).contains("expands to more than"));
    // A block that places itself: followed 32 deep, then reported; a missing block too.
    let selfish = insert("LOOP", "");
    let entities = insert("LOOP", "") + &insert("NOWHERE", "");
    let path = temp_dxf(
        &dir,
        "loop.dxf",
        &drawing(&[("LOOP", &(line.to_owned() + &selfish))], &entities),
    );
    let table = read_table(&path);
    assert_eq!(table.features.len(), 32);
    assert_eq!(
        table.skipped,
        vec![
            "1 INSERT entity of a block the drawing does not define skipped",
            "1 INSERT entity nested more than 32 blocks deep (a block inserting itself?) skipped",
        ]
    );
}

#[test]
fn mutilated_drawings_never_panic() {
    // A deterministic sample of byte edits over every fixture: each read is an Ok or an Err.
    let dir = tempfile::tempdir().unwrap();
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for name in [
        "ogr_r2004.dxf",
        "ogr_r2004_binary.dxf",
        "r12_gbk.dxf",
        "features_r2000.dxf",
    ] {
        let original = std::fs::read(fixture(name)).unwrap();
        for _ in 0..150 {
            let mut bytes = original.clone();
            for _ in 0..1 + next() % 4 {
                let at = (next() as usize) % bytes.len();
                bytes[at] = b"0123456789-.e\n \x00\xff"[(next() as usize) % 16];
            }
            let path = temp_dxf(&dir, "mutant.dxf", &bytes);
            let _ = read(&path, &ReadOptions::default());
        }
    }
}

/// Entities of the large drawing: 3.9 MB, four pieces.
const LARGE: usize = 5_000;

/// An R2007 drawing of `n` closed LWPOLYLINEs of 20 vertices, texts and lines on a few layers:
/// about 0.8 KB an entity.
fn large_drawing(n: usize) -> Vec<u8> {
    let mut entities = String::new();
    for i in 0..n {
        let (x0, y0) = (
            500_000.0 + (i % 100) as f64 * 50.0,
            3_400_000.0 + (i / 100) as f64 * 50.0,
        );
        entities += &format!("  0\nLWPOLYLINE\n  8\n地块{}\n 90\n20\n 70\n1\n", i % 7);
        for k in 0..20 {
            let a = k as f64 * std::f64::consts::TAU / 20.0;
            entities += &format!(
                " 10\n{:.3}\n 20\n{:.3}\n",
                x0 + 20.0 * a.cos(),
                y0 + 20.0 * a.sin()
            );
        }
        entities += &format!("  0\nTEXT\n  8\n注记\n 10\n{x0}\n 20\n{y0}\n 40\n2\n  1\n地块 {i}\n");
        entities += &format!("  0\nLINE\n  8\n0\n 10\n{x0}\n 20\n{y0}\n 11\n0\n 21\n0\n");
    }
    let mut text =
        String::from("  0\nSECTION\n  2\nHEADER\n  9\n$ACADVER\n  1\nAC1021\n  0\nENDSEC\n");
    text += std::str::from_utf8(&drawing(&[], &entities)).unwrap();
    text.into_bytes()
}

#[test]
fn a_large_drawing_moves_the_bar_to_its_end_and_reads_as_without_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = temp_dxf(&dir, "large.dxf", &large_drawing(LARGE));
    let size = std::fs::metadata(&path).unwrap().len();
    assert!(size > 3 << 20, "several pieces of 1 MiB: {size}");
    let watched = read_progress::watch(&path, read_progress::Cancel::Never);
    read_progress::assert_moved_to_the_end(&watched, size);
    let with_bar = watched.result.unwrap();
    let without = read(&path, &ReadOptions::default()).unwrap();
    assert_eq!(with_bar, without);
    let table = &without.tables[0];
    assert_eq!(table.features.len(), 3 * LARGE);
    assert_eq!(
        attribute(&table.features[3 * (LARGE - 1)], "layer"),
        Some(format!("地块{}", (LARGE - 1) % 7).as_str())
    );
    assert_eq!(
        attribute(&table.features[3 * (LARGE - 1) + 1], "text"),
        Some(format!("地块 {}", LARGE - 1).as_str())
    );
    let last = &table.features[3 * (LARGE - 1)];
    assert!(
        matches!(last.geometry, Some(Geometry::Polygon(_))),
        "{last:?}"
    );
}

#[test]
fn cancel_stops_a_drawing_before_or_while_it_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = temp_dxf(&dir, "large.dxf", &large_drawing(LARGE));
    let size = std::fs::metadata(&path).unwrap().len();
    read_progress::assert_cancelled(&read_progress::watch(&path, read_progress::Cancel::Before));
    let watched = read_progress::watch(&path, read_progress::Cancel::WhenMoving);
    let at = watched.cancelled_at.expect("the bar moved");
    assert!(at < size, "Cancel came after the read ({at} of {size})");
    read_progress::assert_cancelled(&watched);
    // A binary drawing is parsed whole by the crate: Cancel is seen before and after.
    let binary = fixture("ogr_r2004_binary.dxf");
    read_progress::assert_cancelled(&read_progress::watch(
        &binary,
        read_progress::Cancel::Before,
    ));
    let watched = read_progress::watch(&binary, read_progress::Cancel::Never);
    read_progress::assert_moved_to_the_end(&watched, std::fs::metadata(&binary).unwrap().len());
    assert_eq!(
        watched.result.unwrap(),
        read(&binary, &ReadOptions::default()).unwrap()
    );
}
