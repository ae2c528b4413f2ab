use std::path::PathBuf;

use geo::{Geometry, Point};

use super::*;

/// A file in a folder of its own under the system's temporary folder.
fn temp_file(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("onemap-reader-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn read(name: &str, text: &str, mode: PropertiesMode) -> Result<GeoJson<Feature>, IoError> {
    read_file(
        &temp_file(name, text.as_bytes()),
        &ReadOptions::new(mode),
        |f| f,
    )
}

fn problems(file: &GeoJson<Feature>) -> Vec<String> {
    file.report
        .problems
        .iter()
        .map(ToString::to_string)
        .collect()
}

#[test]
fn every_geometry_type_reads_in_any_key_order_with_or_without_properties() {
    let text = r#"{"features":[
        {"properties":{"a":[1,{"b":2}]},"geometry":{"coordinates":[121,31],"type":"Point"},"type":"Feature"},
        {"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]],[[0.2,0.1],[0.8,0.1],[0.8,0.7],[0.2,0.1]]]}},
        {"type":"Feature","geometry":null},
        {"type":"Feature","geometry":{"type":"GeometryCollection","geometries":[{"type":"MultiLineString","coordinates":[[[0,0],[1,1]]]}]}}
        ],"type":"FeatureCollection","name":"late"}"#;
    for mode in [PropertiesMode::Keep, PropertiesMode::Skip] {
        let file = read("order.geojson", text, mode).unwrap();
        assert_eq!(file.top, TopLevel::FeatureCollection);
        assert_eq!(file.features.len(), 3);
        assert_eq!(
            file.features[0].geometry,
            Geometry::Point(Point::new(121.0, 31.0))
        );
        assert_eq!(
            file.features[0].properties.contains_key("a"),
            mode == PropertiesMode::Keep
        );
        let Geometry::Polygon(p) = &file.features[1].geometry else {
            panic!("a polygon")
        };
        assert_eq!(p.interiors().len(), 1);
        assert_eq!(problems(&file), ["feature 2 has no geometry"]);
        assert!(
            !file.report.has_errors(),
            "a null geometry is valid GeoJSON"
        );
        assert_eq!(file.members["name"], "late");
    }
}

#[test]
fn each_rule_names_the_entry_and_the_reading_goes_on() {
    let entries = [
        (r#"5"#, "is not a JSON object"),
        (
            r#"{"type":"Point","coordinates":[1,2]}"#,
            "is not a Feature",
        ),
        (
            r#"{"type":"Feature","properties":3,"geometry":null}"#,
            "has properties that are not an object",
        ),
        (
            r#"{"type":"Feature","geometry":[1]}"#,
            "has a geometry that is not a JSON object",
        ),
        (
            r#"{"type":"Feature","geometry":{"coordinates":[1,2]}}"#,
            "has a geometry without a type",
        ),
        (
            r#"{"type":"Feature","geometry":{"type":"Blob","coordinates":[1,2]}}"#,
            "has a geometry of unknown type `Blob`",
        ),
        (
            r#"{"type":"Feature","geometry":{"type":"Point"}}"#,
            "has a Point without coordinates",
        ),
        (
            r#"{"type":"Feature","geometry":{"type":"GeometryCollection","geometries":{}}}"#,
            "has a GeometryCollection without geometries",
        ),
        (
            r#"{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[1,2],[3,4]]}}"#,
            "has Polygon coordinates nested wrongly",
        ),
        (
            r#"{"type":"Feature","geometry":{"type":"Point","coordinates":[1]}}"#,
            "has a position of 1 number; it needs longitude and latitude",
        ),
        (
            r#"{"type":"Feature","geometry":{"type":"Point","coordinates":[1,"2"]}}"#,
            "has a coordinate that is not a number",
        ),
        (
            r#"{"type":"Feature","geometry":{"type":"LineString","coordinates":[[1,2]]}}"#,
            "has a line of 1 position; a line needs at least 2",
        ),
        (
            r#"{"type":"Feature","geometry":{"type":"Polygon","coordinates":[]}}"#,
            "has a polygon without rings",
        ),
        (
            r#"{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[0,0]]]}}"#,
            "has a polygon ring of 3 positions; a ring needs at least 4",
        ),
        (
            r#"{"type":"Feature","id":7,"geometry":{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,1]]]]}}"#,
            "(7) has a polygon ring that is not closed",
        ),
        (
            r#"{"type":"Feature","properties":{"id":"x.y"},"geometry":{"type":"GeometryCollection","geometries":[{"type":"LineString","coordinates":[[0,0]]}]}}"#,
            "(x.y) has a line of 1 position; a line needs at least 2",
        ),
    ];
    let good = r#"{"type":"Feature","geometry":{"type":"Point","coordinates":[121,31]}}"#;
    let mut all: Vec<&str> = entries.iter().map(|(e, _)| *e).collect();
    all.push(good);
    let text = collection_of(&all);
    for mode in [PropertiesMode::Keep, PropertiesMode::Skip] {
        let file = read("rules.geojson", &text, mode).unwrap();
        let expected = numbered_problems(&entries);
        assert_eq!(problems(&file), expected);
        assert_eq!(
            file.features.len(),
            1,
            "the good feature after them is read"
        );
        assert_eq!(file.report.entries, entries.len() + 1);
    }
}

#[test]
fn a_file_is_refused_as_a_whole_for_broken_json_a_projected_crs_or_a_wrong_top_level() {
    let cases = [
        ("{not json", "is not valid JSON at line 1, column 2"),
        (r#"{"features":[]}"#, "is not a GeoJSON FeatureCollection"),
        (r#"{"type":"FeatureCollection"}"#, "it has no `features`"),
        (
            r#"{"type":"FeatureCollection","features":{}}"#,
            "`features` is not an array",
        ),
        ("[1, 2]", "the document is not a JSON object"),
        (
            r#"{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[500000,3400000]}}]}"#,
            "coordinate (500000, 3400000) is outside ±180/±90",
        ),
        (
            r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"n":1e400},"geometry":null}]}"#,
            "number out of range",
        ),
        (
            r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"n":"\ud800"},"geometry":null}]}"#,
            "hex escape",
        ),
    ];
    for (text, expected) in cases {
        for mode in [PropertiesMode::Keep, PropertiesMode::Skip] {
            let e = read("bad.geojson", text, mode).unwrap_err().to_string();
            assert!(
                e.contains("bad.geojson") && e.contains(expected),
                "{mode:?} {text}: {e}"
            );
        }
    }
    let mut bytes =
        br#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"n":"a"#
            .to_vec();
    bytes.extend_from_slice(b"\xff\"},\"geometry\":null}]}");
    let path = temp_file("latin1.geojson", &bytes);
    for mode in [PropertiesMode::Keep, PropertiesMode::Skip] {
        let e = read_file(&path, &ReadOptions::new(mode), |f| f)
            .unwrap_err()
            .to_string();
        assert!(
            e.ends_with("not UTF-8 text (an invalid byte at line 1, column 79)"),
            "{e}"
        );
    }
}

#[test]
fn a_single_feature_or_geometry_is_read_with_the_same_rules() {
    let file = read("one.geojson", r#"{"type":"Feature","id":"f","properties":{"k":1},"geometry":{"type":"Point","coordinates":[121,31]}}"#, PropertiesMode::Keep).unwrap();
    assert_eq!((file.top, file.features.len()), (TopLevel::Feature, 1));
    assert_eq!(file.features[0].id, Some(Value::String("f".into())));
    let file = read(
        "one.geojson",
        r#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1]]]}"#,
        PropertiesMode::Keep,
    )
    .unwrap();
    assert_eq!(file.top, TopLevel::Geometry);
    assert_eq!(
        problems(&file),
        ["feature 0 has a polygon ring of 3 positions; a ring needs at least 4"]
    );
}

#[test]
fn a_directory_a_fifo_and_a_file_past_the_limit_are_refused_before_reading() {
    let path = temp_file(
        "small.geojson",
        br#"{"type":"FeatureCollection","features":[]}"#,
    );
    let dir = path.parent().unwrap();
    let e = read_file(dir, &ReadOptions::new(PropertiesMode::Skip), |f| f).unwrap_err();
    assert!(e.to_string().ends_with("is a directory"), "{e}");
    let options = ReadOptions {
        max_bytes: 10,
        ..ReadOptions::new(PropertiesMode::Skip)
    };
    let e = read_file(&path, &options, |f| f).unwrap_err().to_string();
    assert!(
        e.contains("is 42 bytes; GeoJSON files") && e.contains("limited to 10 bytes"),
        "{e}"
    );
    #[cfg(unix)]
    {
        let fifo = dir.join("fifo.geojson");
        let _ = std::fs::remove_file(&fifo);
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            let e = read_file(&fifo, &ReadOptions::new(PropertiesMode::Skip), |f| f).unwrap_err();
            assert!(e.to_string().contains("is not a regular file"), "{e}");
        }
    }
}

/// A FeatureCollection over the size that is read in two halves: `n` polygons, each with a
/// property `note` (which may hold text that looks like a boundary between features); every
/// 997th ring is left open.
fn large(n: usize, note: &str, trailing_type: bool) -> String {
    let features: Vec<String> = (0..n)
        .map(|i| {
            let (x, y) = (119.0 + (i % 300) as f64 * 0.01, 29.0 + (i / 300) as f64 * 0.01);
            let close = if i % 997 == 500 { String::new() } else { format!(",[{x},{y}]") };
            format!(
                r#"{{"type":"Feature","properties":{{"note":"{note}","id":"f{i}"}},"geometry":{{"type":"Polygon","coordinates":[[[{x},{y}],[{},{y}],[{},{}],[{x},{}]{close}]]}}}}"#,
                x + 0.005,
                x + 0.005,
                y + 0.005,
                y + 0.004
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

/// The one-pass parse, the reference for the others.
fn one_pass(text: &str, mode: PropertiesMode) -> GeoJson<Feature> {
    let keep = |f: Feature| f;
    let collector = Collector::new(&keep);
    let mut de = serde_json::Deserializer::from_str(text);
    match mode {
        PropertiesMode::Keep => parse_from::<Value, _, _, _>(Path::new("x"), &mut de, collector),
        PropertiesMode::Skip => parse_from::<Shape, _, _, _>(Path::new("x"), &mut de, collector),
    }
    .unwrap()
}

#[test]
fn a_large_file_reads_in_two_halves_exactly_as_in_one_pass() {
    // Notes that look like boundaries between features, so that the guess falls in one.
    let text = large(20_001, &"x}, {y".repeat(40), true);
    assert!(text.len() > 4 << 20, "large enough to be split");
    let guess = split::boundary_after_for_tests(text.as_bytes());
    assert_eq!(
        &text[guess - 1..guess + 3],
        "}, {",
        "the guess falls in a note"
    );
    let compact = large(40_000, "plain", false).replace(",\n", ",");
    let guess = split::boundary_after_for_tests(compact.as_bytes());
    assert_eq!(&compact[guess - 1..guess + 2], "},{", "a right guess");
    for (name, text) in [("noted.geojson", &text), ("compact.geojson", &compact)] {
        let path = temp_file(name, text.as_bytes());
        for mode in [PropertiesMode::Keep, PropertiesMode::Skip] {
            let expected = one_pass(text, mode);
            assert!(expected.report.has_errors(), "some rings are open");
            let got = read_file(&path, &ReadOptions::new(mode), |f| f).unwrap();
            assert_eq!(got.features, expected.features, "{name}");
            assert_eq!(
                got.report, expected.report,
                "{name}: problems numbered in file order"
            );
            assert_eq!(got.members, expected.members);
            let progress = Progress::default();
            let options = ReadOptions {
                progress: Some(&progress),
                ..ReadOptions::new(mode)
            };
            let streamed = read_file(&path, &options, |f| f).unwrap();
            assert_eq!(streamed.report, expected.report);
            assert_eq!(
                progress.bytes_read.load(Ordering::Relaxed) as usize,
                text.len()
            );
        }
        if std::thread::available_parallelism().map_or(1, |n| n.get()) > 1 {
            let keep = |f: Feature| f;
            let by_entries = split::parse_by_entries::<Shape, _, _>(
                text.as_bytes(),
                Collector::new(&keep),
                None,
            );
            assert!(
                matches!(by_entries, Some(split::ByEntries::Done { .. })),
                "read in two halves"
            );
        }
    }
}

#[test]
fn an_error_in_the_second_half_of_a_large_file_names_its_line() {
    let text = large(40_000, "plain", false);
    let broken = format!("{}{}", &text[..text.len() - 200], "]]]}");
    let path = temp_file("broken.geojson", broken.as_bytes());
    let e = read_file(&path, &ReadOptions::new(PropertiesMode::Skip), |f| f)
        .unwrap_err()
        .to_string();
    assert!(e.contains("line 40000"), "{e}");
}

#[test]
fn a_cancelled_read_says_so() {
    let text = large(2_000, "plain", false);
    let path = temp_file("cancel.geojson", text.as_bytes());
    let progress = Progress::default();
    progress.cancel.store(true, Ordering::Relaxed);
    let options = ReadOptions {
        progress: Some(&progress),
        ..ReadOptions::new(PropertiesMode::Keep)
    };
    let e = read_file(&path, &options, |f| f).unwrap_err();
    assert!(matches!(e, IoError::Cancelled { .. }), "{e}");
}

#[test]
fn a_list_of_positions_with_anything_else_in_it_is_checked_as_before() {
    // Runs of positions are kept as coordinates while they are read (`Coords::Positions`);
    // whatever comes among or instead of them gets the problem it always got.
    let line = |coordinates: &str| {
        format!(
            r#"{{"type":"Feature","geometry":{{"type":"LineString","coordinates":{coordinates}}}}}"#
        )
    };
    let entries = [
        (line(r#"[[0,0],[1,1],[2,"x"]]"#), "has a coordinate that is not a number"),
        (line(r#"[[0,0],[1,1],"x"]"#), "has a coordinate that is not a number"),
        (
            line("[[0,0],[1,1],[2]]"),
            "has a position of 1 number; it needs longitude and latitude",
        ),
        (line("[[0,0],[1,1],[[2,2]]]"), "has LineString coordinates nested wrongly"),
        (line("[[0,0],[1,1],5]"), "has LineString coordinates nested wrongly"),
        (line("[[0,0],[1,1],[]]"), "has a position of 0 numbers; it needs longitude and latitude"),
        (
            r#"{"type":"Feature","geometry":{"type":"Point","coordinates":[[1,2],[3,4]]}}"#.into(),
            "has Point coordinates nested wrongly",
        ),
        (
            r#"{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[0,0],[1,0],[1,1],[0,0]]}}"#.into(),
            "has Polygon coordinates nested wrongly",
        ),
        (
            r#"{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]],[[0,0],[1,0],[0,0]]]}}"#.into(),
            "has a polygon ring of 3 positions; a ring needs at least 4",
        ),
    ];
    let good = [
        r#"{"type":"Feature","geometry":{"type":"MultiPoint","coordinates":[[1,2],[3,4,5]]}}"#,
        r#"{"type":"Feature","geometry":{"type":"LineString","coordinates":[[1,2,9],[3,4]]}}"#,
    ];
    let mut all: Vec<&str> = entries.iter().map(|(e, _)| e.as_str()).collect();
    all.extend(good);
    let text = collection_of(&all);
    let file = read("positions.geojson", &text, PropertiesMode::Skip).unwrap();
    let expected = numbered_problems(&entries);
    assert_eq!(problems(&file), expected);
    let geometries: Vec<&Geometry> = file.features.iter().map(|f| &f.geometry).collect();
    assert_eq!(
        geometries,
        [
            &Geometry::MultiPoint(vec![Point::new(1.0, 2.0), Point::new(3.0, 4.0)].into()),
            &Geometry::LineString(vec![(1.0, 2.0), (3.0, 4.0)].into()),
        ]
    );
}

/// A FeatureCollection of these features (JSON texts), in order.
fn collection_of(features: &[&str]) -> String {
    format!(
        r#"{{"type":"FeatureCollection","features":[{}]}}"#,
        features.join(",")
    )
}

/// The problems the reader reports for `entries` (a feature and its message) at the head of a
/// collection: "feature N message", N the feature's place.
fn numbered_problems<F>(entries: &[(F, &str)]) -> Vec<String> {
    entries
        .iter()
        .enumerate()
        .map(|(i, (_, message))| format!("feature {i} {message}"))
        .collect()
}

#[test]
fn a_large_file_is_utf8_checked_in_halves_exactly_as_whole() {
    // 5 MB of three-byte characters (中) between ASCII, so that the middle falls inside a
    // character; then one invalid byte in each half, and a character cut short at the middle.
    let unit = "ab中文,".as_bytes();
    let mut bytes: Vec<u8> = unit.iter().copied().cycle().take(5 << 20).collect();
    while std::str::from_utf8(&bytes).is_err() {
        bytes.pop();
    }
    assert!(is_utf8(&bytes));
    let middle = bytes.len() / 2;
    let mut cases = Vec::new();
    for at in [10, middle - 1, middle, middle + 1, bytes.len() - 2] {
        let mut bad = bytes.clone();
        bad[at] = 0xFF;
        cases.push(bad);
    }
    let mut cut = bytes.clone();
    let lead = (middle - 8..middle + 8).find(|&i| cut[i] == 0xE4).unwrap();
    cut[lead + 1] = b'x';
    cases.push(cut);
    for (k, case) in cases.iter().enumerate() {
        assert!(std::str::from_utf8(case).is_err(), "case {k} is not UTF-8");
        assert!(!is_utf8(case), "case {k}");
    }
}
