//! CSV reading and writing against GDAL's CSV driver. The fixtures in tests/data/formats/csv
//! (made by ogr2ogr and make_hand_csv.py from the project's layers, see MAKE.sh there) are read
//! by OneMap and by GDAL (`ogr2ogr -f GeoJSON`, the driver `ogrinfo -al` shows), and every
//! CSV OneMap writes is read back by GDAL: feature count, attributes (中文 too) and
//! coordinates must agree. Needs GDAL (Debian gdal-bin), which `.ci/run` installs; in CI its
//! absence is a failure.

// An integration test is a crate of its own, which clippy's allow-unwrap-in-tests (clippy.toml)
// does not cover outside #[test] functions: its helpers unwrap too, a panic being a failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::Command;

use geo::Geometry;
use onemap::io::formats::{
    CsvColumns, DataTable, EncodingSource, FieldKind, ReadOptions, WriteOptions,
    encoding::display_name, read, write,
};
use serde_json::Value;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/formats/csv")
        .join(name)
}

fn read_with(path: &Path, options: &ReadOptions) -> DataTable {
    let mut dataset = read(path, options).unwrap();
    assert_eq!(dataset.tables.len(), 1);
    dataset.tables.remove(0)
}

fn read_table(path: &Path) -> DataTable {
    read_with(path, &ReadOptions::default())
}

/// GDAL's reading of a CSV as GeoJSON: (field names, features), or `None` without GDAL
/// outside CI. `open` are the CSV driver's open options (`X_POSSIBLE_NAMES=lon`, …).
fn gdal_read(path: &Path, open: &[&str]) -> Option<(Vec<String>, Vec<Value>)> {
    let mut info = Command::new("ogrinfo");
    info.args(["-al", "-so"]);
    let mut convert = Command::new("ogr2ogr");
    convert.args(["-f", "GeoJSON", "/vsistdout/"]).arg(path);
    info.arg(path);
    for option in open.iter().chain(&["AUTODETECT_TYPE=YES"]) {
        info.args(["-oo", option]);
        convert.args(["-oo", option]);
    }
    let Ok(summary) = info.output() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "ogrinfo is missing in CI: .ci/run must install gdal-bin"
        );
        eprintln!("ogrinfo not installed (apt-get install gdal-bin); GDAL check not run here");
        return None;
    };
    let stderr = String::from_utf8_lossy(&summary.stderr);
    assert!(
        summary.status.success() && !stderr.contains("ERROR"),
        "{stderr}"
    );
    // The field list of `ogrinfo -al -so`: "NAME: Type (width.precision)" after the SRS.
    let fields = String::from_utf8(summary.stdout)
        .unwrap()
        .lines()
        .skip_while(|l| !l.starts_with("Layer SRS WKT") && !l.starts_with("Geometry Column"))
        .filter_map(|l| {
            l.split_once(": ")
                .filter(|(_, t)| t.contains(" ("))
                .map(|(n, _)| n.to_owned())
        })
        .collect();
    let out = convert.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    Some((fields, json["features"].as_array().unwrap().clone()))
}

fn gdal_geometry(feature: &Value) -> Option<Geometry<f64>> {
    if feature["geometry"].is_null() {
        return None;
    }
    let geometry: geojson::Geometry = serde_json::from_value(feature["geometry"].clone()).unwrap();
    Some(Geometry::try_from(geometry).unwrap())
}

/// Whether an attribute agrees with GDAL's: the same number, the same text, both null. (An
/// empty text cell is null to OneMap and "" to GDAL.)
fn same_value(ours: &Value, theirs: &Value) -> bool {
    match (ours, theirs) {
        (Value::Null, Value::String(s)) => s.is_empty(),
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        (Value::Number(a), Value::String(b)) | (Value::String(b), Value::Number(a)) => {
            b.parse::<f64>().ok() == a.as_f64()
        }
        (a, b) => a == b,
    }
}

/// Our table against GDAL's features: count, every attribute, every coordinate (exactly).
fn assert_same_as_gdal(table: &DataTable, gdal: &[Value], what: &str) {
    assert_eq!(table.features.len(), gdal.len(), "{what}");
    for (i, (ours, theirs)) in table.features.iter().zip(gdal).enumerate() {
        let (mine, gdal_geometry) = (ours.geometry.as_ref(), gdal_geometry(theirs));
        assert_eq!(
            mine.is_some(),
            gdal_geometry.is_some(),
            "{what}: feature {i}"
        );
        if let (Some(mine), Some(gdal_geometry)) = (mine, gdal_geometry) {
            assert_same_coordinates(mine, &gdal_geometry, &format!("{what}: feature {i}"));
        }
        for field in &table.fields {
            let mine = ours.attributes.get(&field.name).unwrap_or(&Value::Null);
            let gdal_value = &theirs["properties"][&field.name];
            assert!(
                same_value(mine, gdal_value),
                "{what}: feature {i} {}: {mine} against GDAL's {gdal_value}",
                field.name
            );
        }
    }
}

/// The same geometry, coordinate by coordinate, to 1e-12 of their size: GDAL's text-to-number
/// conversion (CPLAtof) can be one unit in the last place off the correctly rounded value
/// (3516747.92022275 read as 3516747.9202227495), which Rust's is not.
fn assert_same_coordinates(ours: &Geometry<f64>, theirs: &Geometry<f64>, what: &str) {
    use geo::CoordsIter;
    assert_eq!(
        std::mem::discriminant(ours),
        std::mem::discriminant(theirs),
        "{what}"
    );
    assert_eq!(ours.coords_count(), theirs.coords_count(), "{what}");
    for (a, b) in ours.coords_iter().zip(theirs.coords_iter()) {
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-12 * a.abs().max(1.0);
        assert!(
            close(a.x, b.x) && close(a.y, b.y),
            "{what}: {a:?} against GDAL's {b:?}"
        );
    }
}

fn field_names(table: &DataTable) -> Vec<&str> {
    table.fields.iter().map(|f| f.name.as_str()).collect()
}

#[test]
fn gdal_written_tables_read_as_gdal_reads_them() {
    let xy = [
        "X_POSSIBLE_NAMES=X",
        "Y_POSSIBLE_NAMES=Y",
        "KEEP_GEOM_COLUMNS=NO",
    ];
    let wkt = ["GEOM_POSSIBLE_NAMES=WKT", "KEEP_GEOM_COLUMNS=NO"];
    for (name, open, source) in [
        ("ogr_cities_xy.csv", &xy[..], EncodingSource::Guessed),
        ("ogr_cities_semicolon.csv", &xy[..], EncodingSource::Guessed),
        ("ogr_cities_gk.csv", &xy[..], EncodingSource::Guessed),
        ("ogr_corridors_wkt.csv", &wkt[..], EncodingSource::Declared),
    ] {
        let table = read_table(&fixture(name));
        let encoding = table.encoding.unwrap();
        assert_eq!(
            (display_name(encoding.encoding), encoding.source),
            ("UTF-8", source),
            "{name}"
        );
        assert!(table.skipped.is_empty(), "{name}: {:?}", table.skipped);
        assert_eq!(table.crs, onemap::io::formats::DeclaredCrs::Unknown);
        let Some((fields, gdal)) = gdal_read(&fixture(name), open) else {
            return;
        };
        assert_eq!(field_names(&table), fields, "{name}");
        assert_same_as_gdal(&table, &gdal, name);
    }
    let cities = read_table(&fixture("ogr_cities_xy.csv"));
    let kinds: Vec<FieldKind> = cities.fields.iter().map(|f| f.kind).collect();
    use FieldKind::{Integer, Real, Text};
    assert_eq!(kinds, vec![Text, Text, Text, Integer, Integer, Real]);
    assert_eq!(cities.features.len(), 9);
}

#[test]
fn spreadsheet_tables_in_gbk_and_utf16_read_with_their_chinese() {
    let gbk = read_table(&fixture("nine_cities_gbk.csv"));
    let encoding = gbk.encoding.unwrap();
    assert_eq!(
        (display_name(encoding.encoding), encoding.source),
        ("GBK", EncodingSource::Guessed)
    );
    assert_eq!(field_names(&gbk), vec!["名称", "人口（万人）", "备注"]);
    let names: Vec<&str> = gbk
        .features
        .iter()
        .map(|f| f.attributes["名称"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        vec![
            "上海", "苏州", "无锡", "常州", "南通", "宁波", "嘉兴", "湖州", "舟山"
        ]
    );
    assert_eq!(gbk.features[0].attributes["备注"], "直辖市, 含崇明区");
    assert_eq!(gbk.features[1].attributes["备注"], Value::Null);
    let utf8 = read_table(&fixture("nine_cities_utf8.csv"));
    assert_eq!(gbk.features, utf8.features);
    let utf16 = read_table(&fixture("cities_unicode.txt"));
    assert_eq!(utf16.encoding.unwrap().encoding, encoding_rs::UTF_16LE);
    assert_eq!(utf16.encoding.unwrap().source, EncodingSource::Declared);
    assert_eq!(
        (utf16.features, utf16.fields),
        (utf8.features, utf8.fields.clone())
    );
    // GDAL does not read GBK: its reading of the UTF-8 twin is the oracle.
    let open = [
        "X_POSSIBLE_NAMES=经度",
        "Y_POSSIBLE_NAMES=纬度",
        "KEEP_GEOM_COLUMNS=NO",
    ];
    let Some((fields, gdal)) = gdal_read(&fixture("nine_cities_utf8.csv"), &open) else {
        return;
    };
    assert_eq!(field_names(&gbk), fields);
    assert_same_as_gdal(&gbk, &gdal, "nine_cities_gbk.csv");
}

#[test]
fn projected_metres_and_empty_coordinates_are_kept() {
    let table = read_table(&fixture("gk_points.csv"));
    assert_eq!(field_names(&table), vec!["点名", "类型"]);
    assert_eq!(table.features.len(), 10);
    assert_eq!(table.features[9].geometry, None);
    assert_eq!(
        table.skipped,
        vec!["1 row without coordinates kept without geometry"]
    );
    let Some(Geometry::Point(shanghai)) = &table.features[0].geometry else {
        panic!("{:?}", table.features[0].geometry);
    };
    assert_eq!(
        (shanghai.x(), shanghai.y()),
        (40638933.9739715, 3456528.63423402)
    );
    let open = [
        "X_POSSIBLE_NAMES=x",
        "Y_POSSIBLE_NAMES=y",
        "KEEP_GEOM_COLUMNS=NO",
    ];
    let Some((_, gdal)) = gdal_read(&fixture("gk_points.csv"), &open) else {
        return;
    };
    assert_same_as_gdal(&table, &gdal, "gk_points.csv");
}

#[test]
fn survey_tables_with_x_north_are_read_east_first_unless_columns_are_chosen() {
    let table = read_table(&fixture("survey_points.csv"));
    assert_eq!(field_names(&table), vec!["点号", "备注"]);
    let Some(Geometry::Point(j1)) = &table.features[0].geometry else {
        panic!();
    };
    assert_eq!((j1.x(), j1.y()), (40638933.9739715, 3456528.63423402));
    assert_eq!(table.skipped.len(), 1);
    assert!(
        table.skipped[0].contains("survey order"),
        "{:?}",
        table.skipped
    );
    let chosen = ReadOptions {
        csv_columns: Some(CsvColumns {
            x: "X".into(),
            y: "Y".into(),
        }),
        ..ReadOptions::default()
    };
    let as_chosen = read_with(&fixture("survey_points.csv"), &chosen);
    let Some(Geometry::Point(j1)) = &as_chosen.features[0].geometry else {
        panic!();
    };
    assert_eq!((j1.x(), j1.y()), (3456528.63423402, 40638933.9739715));
    assert!(as_chosen.skipped.is_empty());
}

fn read_error(path: &Path, options: &ReadOptions) -> String {
    let error = read(path, options).unwrap_err().to_string();
    assert!(
        error.contains(path.file_name().unwrap().to_str().unwrap()),
        "{error}"
    );
    error
}

#[test]
fn tables_without_usable_coordinates_are_refused_with_the_columns_found() {
    let error = read_error(&fixture("no_coordinates.csv"), &ReadOptions::default());
    assert!(
        error.contains("no coordinate columns") && error.contains("名称, 人口, 备注"),
        "{error}"
    );
    assert!(error.contains("choose the X and Y columns"), "{error}");
    let missing = ReadOptions {
        csv_columns: Some(CsvColumns {
            x: "lon".into(),
            y: "lat".into(),
        }),
        ..ReadOptions::default()
    };
    let error = read_error(&fixture("nine_cities_utf8.csv"), &missing);
    assert!(
        error.contains("\"lon\"") && error.contains("名称, 经度, 纬度"),
        "{error}"
    );
    let words = ReadOptions {
        csv_columns: Some(CsvColumns {
            x: "名称".into(),
            y: "纬度".into(),
        }),
        ..ReadOptions::default()
    };
    let error = read_error(&fixture("nine_cities_utf8.csv"), &words);
    assert!(
        error.contains("line 2: 名称 is \"上海\", not a coordinate"),
        "{error}"
    );
    let dir = tempfile::tempdir().unwrap();
    let ragged = dir.path().join("ragged.csv");
    std::fs::write(&ragged, "名称,x,y\n甲,1,2\n乙,3,4,多余\n").unwrap();
    let error = read_error(&ragged, &ReadOptions::default());
    assert!(
        error.contains("line 3 has 4 values but the header has 3 columns"),
        "{error}"
    );
    let empty = dir.path().join("empty.csv");
    std::fs::write(&empty, "").unwrap();
    assert!(read_error(&empty, &ReadOptions::default()).contains("is empty"));
}

fn written(
    dir: &tempfile::TempDir,
    name: &str,
    table: &DataTable,
    options: &WriteOptions,
) -> PathBuf {
    let path = dir.path().join(name);
    write(&path, std::slice::from_ref(table), options).unwrap();
    path
}

#[test]
fn written_points_are_read_back_by_gdal_and_excel_gets_a_bom() {
    let dir = tempfile::tempdir().unwrap();
    let table = read_table(&fixture("nine_cities_gbk.csv"));
    let path = written(&dir, "cities.csv", &table, &WriteOptions::default());
    let bytes = std::fs::read(&path).unwrap();
    assert!(bytes.starts_with("\u{feff}lon,lat,名称,人口（万人）,备注\r\n".as_bytes()));
    assert_eq!(read_table(&path).features, table.features);
    let open = ["X_POSSIBLE_NAMES=lon", "Y_POSSIBLE_NAMES=lat"];
    let Some((fields, gdal)) = gdal_read(&path, &open) else {
        return;
    };
    // The BOM does not leak into the first column's name.
    assert_eq!(fields, vec!["lon", "lat", "名称", "人口（万人）", "备注"]);
    assert_same_as_gdal(&table, &gdal, "written cities.csv");
}

#[test]
fn written_lines_go_in_a_wkt_column_gdal_reads() {
    let dir = tempfile::tempdir().unwrap();
    let table = read_table(&fixture("ogr_corridors_wkt.csv"));
    let path = written(&dir, "corridors.csv", &table, &WriteOptions::default());
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.starts_with("\u{feff}WKT,name_zh,kind\r\n\"LINESTRING("),
        "{}",
        &text[..60]
    );
    assert_eq!(read_table(&path).features, table.features);
    let Some((fields, gdal)) =
        gdal_read(&path, &["GEOM_POSSIBLE_NAMES=WKT", "KEEP_GEOM_COLUMNS=NO"])
    else {
        return;
    };
    assert_eq!(fields, vec!["name_zh", "kind"]);
    assert_same_as_gdal(&table, &gdal, "written corridors.csv");
}

#[test]
fn written_projected_points_are_x_and_y_with_empty_cells_for_no_geometry() {
    let dir = tempfile::tempdir().unwrap();
    let table = read_table(&fixture("gk_points.csv"));
    let options = WriteOptions {
        crs_epsg: Some(4528),
        ..WriteOptions::default()
    };
    let path = written(&dir, "gk.csv", &table, &options);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.starts_with("\u{feff}X,Y,点名,类型\r\n40638933.9739715,3456528.63423402,"),
        "{text}"
    );
    assert!(text.ends_with(",,待测点,未测\r\n"), "{text}");
    let Some((_, gdal)) = gdal_read(
        &path,
        &[
            "X_POSSIBLE_NAMES=X",
            "Y_POSSIBLE_NAMES=Y",
            "KEEP_GEOM_COLUMNS=NO",
        ],
    ) else {
        return;
    };
    assert_same_as_gdal(&table, &gdal, "written gk.csv");
}

#[test]
fn gbk_is_written_on_request_and_what_gbk_cannot_hold_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut table = read_table(&fixture("nine_cities_utf8.csv"));
    let gbk = WriteOptions {
        encoding: Some(encoding_rs::GBK),
        ..WriteOptions::default()
    };
    let path = written(&dir, "gbk.csv", &table, &gbk);
    let bytes = std::fs::read(&path).unwrap();
    let (text, had_errors) = encoding_rs::GBK.decode_without_bom_handling(&bytes);
    assert!(!had_errors && text.starts_with("lon,lat,名称"), "{text}");
    let back = read_table(&path);
    assert_eq!(display_name(back.encoding.unwrap().encoding), "GBK");
    assert_eq!(back.features, table.features);
    // 𠀀 (CJK extension B) has no GBK code: an error, and no file.
    table.features[0]
        .attributes
        .insert("备注".into(), Value::from("𠀀"));
    let refused = dir.path().join("refused.csv");
    let error = write(&refused, std::slice::from_ref(&table), &gbk)
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("𠀀") && error.contains("line 2") && error.contains("UTF-8"),
        "{error}"
    );
    assert!(!refused.exists());
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "a temporary file was left"
    );
}

#[test]
fn a_csv_holds_one_table() {
    let dir = tempfile::tempdir().unwrap();
    let a = read_table(&fixture("gk_points.csv"));
    let b = read_table(&fixture("survey_points.csv"));
    let path = dir.path().join("two.csv");
    let error = write(&path, &[a, b], &WriteOptions::default())
        .unwrap_err()
        .to_string();
    assert!(error.contains("gk_points, survey_points"), "{error}");
    assert!(!path.exists());
}

#[test]
fn the_header_and_what_was_detected_are_given_also_when_the_table_is_refused() {
    use onemap::io::formats::csv::{Detected, read_with_layout};
    // No coordinate columns: refused as `read` refuses it, the columns listed for a pick.
    let path = fixture("no_coordinates.csv");
    let (tables, layout) = read_with_layout(&path, &ReadOptions::default());
    let error = tables.unwrap_err().to_string();
    assert!(
        error.contains("no_coordinates.csv") && error.contains("no coordinate columns"),
        "{error}"
    );
    let layout = layout.unwrap();
    assert_eq!(layout.header, ["名称", "人口", "备注"]);
    assert_eq!(layout.detected, None);
    // Longitude and latitude, by their Chinese names; the header has every column, the
    // table's fields all but the coordinates.
    let (tables, layout) =
        read_with_layout(&fixture("nine_cities_utf8.csv"), &ReadOptions::default());
    let layout = layout.unwrap();
    assert_eq!(
        layout.header,
        ["名称", "经度", "纬度", "人口（万人）", "备注"]
    );
    assert_eq!(
        layout.detected,
        Some(Detected::LonLat {
            x: "经度".into(),
            y: "纬度".into()
        })
    );
    assert_eq!(field_names(&tables.unwrap()[0]).len(), 3);
    // Survey order: X holds the northings, so Y is the easting.
    let (_, layout) = read_with_layout(&fixture("survey_points.csv"), &ReadOptions::default());
    assert_eq!(
        layout.unwrap().detected,
        Some(Detected::Xy {
            x: "Y".into(),
            y: "X".into(),
            swapped: true
        })
    );
    // WKT; and a chosen pair that is missing still lists the header.
    let (_, layout) = read_with_layout(&fixture("ogr_corridors_wkt.csv"), &ReadOptions::default());
    assert!(matches!(layout.unwrap().detected, Some(Detected::Wkt(c)) if c == "WKT"));
    let missing = ReadOptions {
        csv_columns: Some(CsvColumns {
            x: "lon".into(),
            y: "lat".into(),
        }),
        ..ReadOptions::default()
    };
    let (tables, layout) = read_with_layout(&fixture("nine_cities_utf8.csv"), &missing);
    assert!(tables.is_err());
    assert_eq!(layout.unwrap().header.len(), 5);
    // An empty file has no header to give.
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.csv");
    std::fs::write(&empty, "").unwrap();
    assert_eq!(read_with_layout(&empty, &ReadOptions::default()).1, None);
}

/// A CSV of `rows` points in GBK (so that the file is shorter than its text).
fn large_gbk_csv(dir: &Path, rows: usize) -> PathBuf {
    let mut text = String::from("名称,经度,纬度\n");
    for i in 0..rows {
        text += &format!("点{i},{},{}\n", 120.0 + i as f64 * 1e-6, 31.0);
    }
    let path = dir.join("large_gbk.csv");
    std::fs::write(&path, encoding_rs::GBK.encode(&text).0).unwrap();
    path
}

#[test]
fn progress_is_in_bytes_of_the_file_and_cancel_stops_the_read() {
    use onemap::io::formats::Progress;
    use std::sync::atomic::Ordering;
    let dir = tempfile::tempdir().unwrap();
    let path = large_gbk_csv(dir.path(), 200_000);
    let size = std::fs::metadata(&path).unwrap().len();
    let progress = Progress::default();
    let options = ReadOptions {
        progress: Some(&progress),
        ..ReadOptions::default()
    };
    // Watched from another thread as the import dialog's progress bar does: it moves
    // forward, never past the file's size, and ends at it.
    let seen = std::thread::scope(|s| {
        let watcher = s.spawn(|| {
            let mut seen = Vec::new();
            let start = std::time::Instant::now();
            while seen.last() != Some(&size) && start.elapsed().as_secs() < 60 {
                seen.push(progress.bytes_read.load(Ordering::Relaxed));
                std::thread::sleep(std::time::Duration::from_micros(200));
            }
            seen
        });
        let table = read_with(&path, &options);
        assert_eq!(table.features.len(), 200_000);
        watcher.join().unwrap()
    });
    assert_eq!(seen.last(), Some(&size), "it ends at the file's size");
    assert!(seen.windows(2).all(|w| w[0] <= w[1]), "{seen:?}");
    assert!(seen.iter().all(|&b| b <= size));
    assert!(
        seen.iter().any(|&b| b > 0 && b < size),
        "some progress on the way: {:?}",
        &seen[..seen.len().min(20)]
    );
    // Cancel: the read stops with Cancelled, naming the file.
    progress.cancel.store(true, Ordering::Relaxed);
    let error = read(&path, &options).unwrap_err();
    assert!(
        matches!(&error, onemap::io::IoError::Cancelled { path: p } if *p == path),
        "{error}"
    );
}
