//! GeoPackage through `onemap::io::formats::{read, write}`, with GDAL as the oracle: the
//! fixtures are made by ogr2ogr (tests/data/formats/gpkg/MAKE.sh), what OneMap reads is compared
//! with what GDAL reads, and every file OneMap writes is opened by ogrinfo (no warning allowed)
//! and compared feature by feature.

// An integration test is a crate of its own, which clippy's allow-unwrap-in-tests (clippy.toml)
// does not cover outside #[test] functions: its helpers unwrap too, a panic being a failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod gdal_oracle;

/// The program's allocator (src/main.rs), so that the memory measured below is the program's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::{Path, PathBuf};

use onemap::io::formats::{
    self, DataFeature, DataTable, DeclaredCrs, Field, FieldKind, ReadOptions, WriteOptions,
};
use serde_json::{Value, json};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/formats/gpkg")
        .join(name)
}

fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("onemap-gpkg-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn read_all(path: &Path) -> Vec<DataTable> {
    formats::read(path, &ReadOptions::default()).unwrap().tables
}

fn refusal(path: &Path, options: &ReadOptions) -> String {
    formats::read(path, options).unwrap_err().to_string()
}

/// Each feature of a table, compared with GDAL's reading of `layer` of `path`.
fn assert_gdal_reads_the_same(path: &Path, layer: &str, table: &DataTable) {
    let gdal = gdal_oracle::layer_as_geojson(path, layer, &[]);
    let features: Vec<&DataFeature> = table.features.iter().collect();
    gdal_oracle::assert_table_matches(table, &features, &gdal, &|f| f.to_owned(), 1e-9);
}

#[test]
fn every_vector_table_of_a_gdal_geopackage_is_read_with_its_types_and_crs() {
    let path = fixture("gdal.gpkg");
    let tables = read_all(&path);
    let names: Vec<&str> = tables.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["站点", "线路", "地块", "custom", "混合"]);

    let stations = &tables[0];
    let fields: Vec<(&str, FieldKind)> = stations
        .fields
        .iter()
        .map(|f| (f.name.as_str(), f.kind))
        .collect();
    use FieldKind::*;
    assert_eq!(
        fields,
        [
            ("名称", Text),
            ("城市", Text),
            ("人口", Integer),
            ("面积_km2", Real),
            ("已批复", Boolean),
            ("批复日期", Date),
            ("备注", Text)
        ]
    );
    assert_eq!(stations.crs, DeclaredCrs::Epsg(4549));
    let first = &stations.features[0].attributes;
    assert_eq!(first["名称"], json!("上海虹桥站"));
    assert_eq!(first["已批复"], json!(true));
    assert_eq!(first["批复日期"], json!("2022-03-01"));
    assert_eq!(first["备注"], json!("A & B <枢纽> \"东\""));
    assert_eq!(stations.features[2].attributes["人口"], Value::Null);
    // A table's features hold one list of field names between them (no map per feature).
    assert!(
        stations
            .features
            .iter()
            .all(|f| f.attributes.shares_keys_with(first))
    );

    let lines = &tables[1];
    assert_eq!(lines.crs, DeclaredCrs::Epsg(4326));
    assert!(
        lines
            .skipped
            .iter()
            .any(|s| s.contains("2 geometries with Z")),
        "the report says heights were dropped: {:?}",
        lines.skipped
    );
    let DeclaredCrs::Wkt(wkt) = &tables[3].crs else {
        panic!("a CRS without an EPSG code is its WKT: {:?}", tables[3].crs)
    };
    assert!(
        wkt.starts_with("PROJCS[") && wkt.contains("Transverse_Mercator"),
        "{wkt}"
    );
    let mixed = &tables[4];
    assert!(matches!(
        mixed.features[0].geometry,
        Some(geo::Geometry::GeometryCollection(_))
    ));
    assert_eq!(mixed.features[2].geometry, None);

    if gdal_oracle::available() {
        assert_eq!(gdal_oracle::layers(&path, &[]), names);
        for table in &tables {
            assert_gdal_reads_the_same(&path, &table.name, table);
        }
    }
}

#[test]
fn one_table_is_read_when_asked_for() {
    let path = fixture("gdal.gpkg");
    let options = ReadOptions {
        table: Some("地块".into()),
        ..ReadOptions::default()
    };
    let tables = formats::read(&path, &options).unwrap().tables;
    assert_eq!(tables.len(), 1);
    assert_eq!(tables[0].name, "地块");
    let missing = ReadOptions {
        table: Some("道路".into()),
        ..ReadOptions::default()
    };
    let e = refusal(&path, &missing);
    assert!(
        e.contains("gdal.gpkg") && e.contains("no vector table named 道路"),
        "{e}"
    );
    assert!(e.contains("站点, 线路, 地块, custom, 混合"), "{e}");
}

#[test]
fn a_geopackage_without_vector_tables_is_refused_naming_what_it_has() {
    let e = refusal(&fixture("tiles_only.gpkg"), &ReadOptions::default());
    assert!(e.contains("tiles_only.gpkg"), "{e}");
    assert!(e.contains("without any vector (features) table"), "{e}");
    assert!(e.contains("卫星影像 (tiles)"), "{e}");
}

#[test]
fn files_that_are_not_geopackages_are_refused_in_words() {
    let dir = temp_dir("not");
    let text = dir.join("notes.gpkg");
    std::fs::write(&text, "这不是数据库").unwrap();
    let empty = dir.join("empty.gpkg");
    std::fs::write(&empty, "").unwrap();
    for path in [&text, &empty] {
        let e = refusal(path, &ReadOptions::default());
        assert!(e.contains(&*path.to_string_lossy()), "{e}");
        assert!(e.contains("not an SQLite database"), "{e}");
    }
    let plain = dir.join("plain.gpkg");
    let conn = rusqlite::Connection::open(&plain).unwrap();
    conn.execute_batch("CREATE TABLE t (a INTEGER); INSERT INTO t VALUES (1);")
        .unwrap();
    drop(conn);
    let e = refusal(&plain, &ReadOptions::default());
    assert!(
        e.contains("not a GeoPackage: it has no gpkg_contents"),
        "{e}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_broken_geometry_is_refused_naming_the_table_and_the_feature() {
    let dir = temp_dir("broken");
    let path = dir.join("broken.gpkg");
    std::fs::copy(fixture("gdal.gpkg"), &path).unwrap();
    let conn = rusqlite::Connection::open(&path).unwrap();
    // GDAL's R-tree triggers call ST_* functions this connection has not: they go first.
    let triggers: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = '线路'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    for t in triggers {
        conn.execute_batch(&format!("DROP TRIGGER \"{t}\""))
            .unwrap();
    }
    // A LineString header claiming 1000 points, then nothing.
    conn.execute(
        "UPDATE \"线路\" SET geom = X'47500001E61000000102000000E8030000' WHERE fid = 2",
        [],
    )
    .unwrap();
    drop(conn);
    let e = refusal(&path, &ReadOptions::default());
    assert!(
        e.contains("broken.gpkg: table 线路, feature 2: the geometry has broken WKB"),
        "{e}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn reading_leaves_the_file_untouched() {
    let dir = temp_dir("untouched");
    let path = dir.join("in.gpkg");
    std::fs::copy(fixture("gdal.gpkg"), &path).unwrap();
    let before = std::fs::read(&path).unwrap();
    let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
    read_all(&path);
    assert_eq!(std::fs::read(&path).unwrap(), before);
    assert_eq!(
        std::fs::metadata(&path).unwrap().modified().unwrap(),
        modified
    );
    let names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["in.gpkg"], "no journal or WAL file beside it");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_geopackage_in_wal_mode_is_read_without_a_trace() {
    let dir = temp_dir("wal");
    let path = dir.join("wal.gpkg");
    std::fs::copy(fixture("gdal.gpkg"), &path).unwrap();
    let conn = rusqlite::Connection::open(&path).unwrap();
    let mode: String = conn
        .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    drop(conn);
    let before = std::fs::read(&path).unwrap();
    assert_eq!(read_all(&path).len(), 5);
    assert_eq!(std::fs::read(&path).unwrap(), before);
    let names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["wal.gpkg"], "no -wal or -shm file left beside it");
    // While another program writes it (a -wal file with changes not yet in the database
    // file), what it wrote is read.
    let writer = rusqlite::Connection::open(&path).unwrap();
    writer
        .execute("UPDATE \"地块\" SET \"名称\" = '改过' WHERE fid = 1", [])
        .unwrap();
    assert!(dir.join("wal.gpkg-wal").exists());
    let parcels = read_all(&path).remove(2);
    assert_eq!(parcels.features[0].attributes["名称"], json!("改过"));
    drop(writer);
    let _ = std::fs::remove_dir_all(&dir);
}

/// A table of every field kind, 中文 names and values, nulls and every geometry type.
fn sample_table() -> DataTable {
    let field = |name: &str, kind| Field {
        name: name.into(),
        kind,
    };
    let attributes = |v: Value| v.as_object().cloned().unwrap().into();
    let wkt = |text: &str| -> geo::Geometry<f64> {
        let g: geojson::Geometry = text.parse().unwrap();
        geo::Geometry::try_from(g).unwrap()
    };
    DataTable {
        name: "规划\"要素\"".into(),
        fields: vec![
            field("名称", FieldKind::Text),
            field("人口", FieldKind::Integer),
            field("面积", FieldKind::Real),
            field("已批复", FieldKind::Boolean),
            field("批复日期", FieldKind::Date),
            field("fid", FieldKind::Integer),
        ],
        features: vec![
            DataFeature {
                geometry: Some(wkt(r#"{"type":"Point","coordinates":[121.4737,31.2304]}"#)),
                attributes: attributes(
                    json!({"名称": "人民广场", "人口": 24870895, "面积": 6340.5, "已批复": true, "批复日期": "2022-03-01", "fid": 7}),
                ),
            },
            DataFeature {
                geometry: Some(wkt(
                    r#"{"type":"Polygon","coordinates":[[[120.85,31.05],[121.05,31.05],[121.05,31.2],[120.85,31.05]],[[120.95,31.08],[121.0,31.08],[121.0,31.1],[120.95,31.08]]]}"#,
                )),
                attributes: attributes(
                    json!({"名称": "淀山湖 & <湖区>", "人口": null, "面积": 62.0, "已批复": false, "批复日期": null, "fid": 8}),
                ),
            },
            DataFeature {
                geometry: Some(wkt(
                    r#"{"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[121,31]},{"type":"LineString","coordinates":[[121,31],[121.1,31.1]]}]}"#,
                )),
                attributes: attributes(json!({"名称": "集合"})),
            },
            DataFeature {
                geometry: None,
                attributes: attributes(json!({"名称": "无几何", "人口": 0})),
            },
        ],
        crs: DeclaredCrs::Wgs84ByFormat,
        encoding: None,
        skipped: vec![],
    }
}

#[test]
fn a_written_geopackage_opens_in_gdal_without_a_warning_and_holds_the_same_features() {
    let dir = temp_dir("write");
    let out = dir.join("导出.gpkg");
    let mut tables = read_all(&fixture("gdal.gpkg"));
    tables.retain(|t| t.crs == DeclaredCrs::Epsg(4326));
    let twin = tables[0].clone();
    tables.push(twin);
    tables.push(sample_table());
    formats::write(&out, &tables, &WriteOptions::default()).unwrap();

    // OneMap reads back exactly what it wrote (fid, a field of the sample, keeps its name).
    let back = read_all(&out);
    let names: Vec<&str> = back.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["线路", "地块", "混合", "线路_2", "规划_要素_"]);
    for (written, read) in tables.iter().zip(&back) {
        assert_eq!(written.fields, read.fields, "{}", written.name);
        assert_eq!(read.crs, DeclaredCrs::Epsg(4326));
        for (a, b) in written.features.iter().zip(&read.features) {
            assert_eq!(a.geometry, b.geometry, "{}", written.name);
            for f in &written.fields {
                let va = a.attributes.get(&f.name).unwrap_or(&Value::Null);
                assert_eq!(va, &b.attributes[&f.name], "{} {}", written.name, f.name);
            }
        }
    }
    let conn = rusqlite::Connection::open(&out).unwrap();
    let id: i64 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .unwrap();
    assert_eq!(id, 0x4750_4B47, "application_id 'GPKG'");
    drop(conn);

    if !gdal_oracle::available() {
        return;
    }
    gdal_oracle::validate_gpkg(&out);
    let info = gdal_oracle::ogrinfo_clean(&out, &[]);
    assert!(info.contains("Layer name: 规划_要素_"), "{info}");
    assert_eq!(gdal_oracle::layers(&out, &[]), names);
    for (table, name) in tables.iter().zip(&names) {
        let shown = DataTable {
            name: (*name).to_owned(),
            ..table.clone()
        };
        assert_gdal_reads_the_same(&out, name, &shown);
    }
    // The R-tree index is there and GDAL finds it.
    let sql = "SELECT HasSpatialIndex('地块', 'geom')";
    let index = std::process::Command::new("ogrinfo")
        .args(["-ro", "-q"])
        .arg(&out)
        .args(["-sql", sql])
        .output()
        .unwrap();
    let index = String::from_utf8_lossy(&index.stdout);
    assert!(index.contains("= 1"), "{index}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_crs_asked_for_is_written_and_gdal_reads_it() {
    let source = fixture("gdal.gpkg");
    let stations = read_all(&source).remove(0);
    let conn =
        rusqlite::Connection::open_with_flags(&source, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    let wkt: String = conn
        .query_row(
            "SELECT definition FROM gpkg_spatial_ref_sys WHERE srs_id = 4549",
            [],
            |r| r.get(0),
        )
        .unwrap();
    drop(conn);
    let dir = temp_dir("crs");
    let out = dir.join("stations.gpkg");
    let options = WriteOptions {
        crs_epsg: Some(4549),
        crs_wkt: Some(wkt),
        ..WriteOptions::default()
    };
    formats::write(&out, std::slice::from_ref(&stations), &options).unwrap();
    let back = read_all(&out).remove(0);
    assert_eq!(back.crs, DeclaredCrs::Epsg(4549));
    if gdal_oracle::available() {
        let info = gdal_oracle::ogrinfo_clean(&out, &[]);
        assert!(
            info.contains("CGCS2000 / 3-degree Gauss-Kruger CM 120E"),
            "{info}"
        );
        assert!(info.contains("ID[\"EPSG\",4549]"), "{info}");
        assert_gdal_reads_the_same(&out, "站点", &stations);
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_failed_write_leaves_nothing_behind_and_says_where() {
    let dir = temp_dir("fail");
    let out = dir.join("out.gpkg");
    let mut table = sample_table();
    table.features[1]
        .attributes
        .insert("人口".into(), json!("很多"));
    let e = formats::write(&out, &[table.clone()], &WriteOptions::default())
        .unwrap_err()
        .to_string();
    assert!(e.contains("out.gpkg"), "{e}");
    assert!(
        e.contains("feature 2: field 人口: \"很多\" is not an integer"),
        "{e}"
    );
    let left: Vec<_> = std::fs::read_dir(&dir).unwrap().collect();
    assert!(left.is_empty(), "nothing is left: {left:?}");
    // An existing file stays as it was.
    std::fs::write(&out, b"old").unwrap();
    formats::write(&out, &[table], &WriteOptions::default()).unwrap_err();
    assert_eq!(std::fs::read(&out).unwrap(), b"old");
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
    let no_wkt = WriteOptions {
        crs_epsg: Some(4549),
        ..WriteOptions::default()
    };
    let e = formats::write(&out, &[sample_table()], &no_wkt)
        .unwrap_err()
        .to_string();
    assert!(e.contains("needs its WKT"), "{e}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// 10,000 points in one table, written by OneMap.
fn many_points(path: &Path) {
    let features = (0..10_000)
        .map(|i| DataFeature {
            geometry: Some(geo::Point::new(120.0 + f64::from(i) * 1e-4, 31.0).into()),
            attributes: json!({"n": i}).as_object().cloned().unwrap().into(),
        })
        .collect();
    let table = DataTable {
        name: "points".into(),
        fields: vec![Field {
            name: "n".into(),
            kind: FieldKind::Integer,
        }],
        features,
        crs: DeclaredCrs::Wgs84ByFormat,
        encoding: None,
        skipped: vec![],
    };
    formats::write(path, &[table], &WriteOptions::default()).unwrap();
}

#[test]
fn reading_reports_progress_and_can_be_cancelled() {
    use std::sync::atomic::Ordering;
    let dir = temp_dir("progress");
    let path = dir.join("many.gpkg");
    many_points(&path);
    let progress = formats::Progress::default();
    let options = ReadOptions {
        progress: Some(&progress),
        ..ReadOptions::default()
    };
    let tables = formats::read(&path, &options).unwrap().tables;
    assert_eq!(tables[0].features.len(), 10_000);
    let size = std::fs::metadata(&path).unwrap().len();
    let reported = progress.bytes_read.load(Ordering::Relaxed);
    assert!(
        reported > size / 2 && reported <= size,
        "{reported} of {size} bytes"
    );
    progress.cancel.store(true, Ordering::Relaxed);
    let e = formats::read(&path, &options).unwrap_err().to_string();
    assert!(e.contains("many.gpkg was cancelled"), "{e}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// shared/tools/gen_large_geojson.py's 1M-vertex layer, converted by ogr2ogr.
fn make_large_gpkg(dir: &Path) -> PathBuf {
    let geojson = dir.join("large.geojson");
    let gpkg = dir.join("large.gpkg");
    let tool = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/tools/gen_large_geojson.py");
    let ok = std::process::Command::new("python3")
        .arg(&tool)
        .arg(&geojson)
        .status()
        .unwrap();
    assert!(ok.success(), "{} failed", tool.display());
    let ok = std::process::Command::new("ogr2ogr")
        .args(["-f", "GPKG"])
        .arg(&gpkg)
        .arg(&geojson)
        .status()
        .unwrap();
    assert!(ok.success());
    gpkg
}

/// The import bar of issue 17: a 1M-vertex layer (50,000 polygons of 20 vertices, made by
/// shared/tools/gen_large_geojson.py and converted by ogr2ogr) read in at most 2 s in a
/// release build. Prints OneMap's time beside GDAL's reading of the same file into memory
/// (`ogr2ogr -f Memory`), and the peak memory; run with
/// `cargo test --release --test formats_gpkg -- --ignored --nocapture`.
#[test]
#[ignore = "a measurement: needs python3, ogr2ogr and a release build"]
fn large_layer_import_time() {
    let dir = temp_dir("large");
    // ONEMAP_LARGE_GPKG names a GeoPackage made beforehand (to measure this process alone).
    let gpkg = match std::env::var_os("ONEMAP_LARGE_GPKG") {
        Some(path) => PathBuf::from(path),
        None => make_large_gpkg(&dir),
    };
    let size = std::fs::metadata(&gpkg).unwrap().len();
    let mut ours = Vec::new();
    for _ in 0..5 {
        let start = std::time::Instant::now();
        let tables = read_all(&gpkg);
        ours.push(start.elapsed().as_secs_f64());
        assert_eq!(tables[0].features.len(), 50_000);
    }
    let mut gdal = Vec::new();
    // ONEMAP_LARGE_OURS_ONLY=1: no GDAL run, so that /usr/bin/time -v of this process (which
    // counts its children too) gives OneMap's peak memory.
    let runs = if std::env::var_os("ONEMAP_LARGE_OURS_ONLY").is_some() {
        0
    } else {
        5
    };
    for _ in 0..runs {
        let start = std::time::Instant::now();
        let ok = std::process::Command::new("ogr2ogr")
            .args(["-f", "Memory", "/vsimem/x"])
            .arg(&gpkg)
            .status()
            .unwrap();
        gdal.push(start.elapsed().as_secs_f64());
        assert!(ok.success());
    }
    ours.sort_by(f64::total_cmp);
    gdal.sort_by(f64::total_cmp);
    let median = |v: &[f64]| v.get(v.len() / 2).copied().unwrap_or(f64::NAN);
    let min = |v: &[f64]| v.first().copied().unwrap_or(f64::NAN);
    let peak = std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with("VmHWM"))
        .unwrap_or_default()
        .to_owned();
    println!(
        "GeoPackage of 1M vertices ({size} bytes): OneMap read median {:.3} s (min {:.3}), ogr2ogr -f Memory median {:.3} s (min {:.3}); this process {peak}",
        median(&ours),
        min(&ours),
        median(&gdal),
        min(&gdal)
    );
    let _ = std::fs::remove_dir_all(&dir);
}
