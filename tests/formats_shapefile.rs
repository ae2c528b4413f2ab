//! Shapefiles through `io::formats::{read, write}`: GBK without a `.cpg`, UTF-8, zipped,
//! polygons with holes, Z lines and null shapes, the `.prj` passed on, every kind of broken
//! input refused naming its file, and what we write read back by GDAL's `ogrinfo`.
//! The fixtures are made by ogr2ogr (tests/data/formats/shapefile/MAKE.sh).

// An integration test is a crate of its own, which clippy's allow-unwrap-in-tests (clippy.toml)
// does not cover outside #[test] functions: its helpers unwrap too, a panic being a failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "formats_shapefile/ogrinfo.rs"]
mod ogrinfo;

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;

use geo::{Area, BoundingRect, Geometry};
use onemap::io::error::IoError;
use onemap::io::formats::{
    self, DataTable, DeclaredCrs, EncodingSource, FieldKind, Format, Progress, ReadOptions,
};
use serde_json::{Value, json};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/formats/shapefile")
        .join(name)
}

/// A fresh folder for one test.
fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("onemap-shp-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

/// Copies the fixture Shapefile `stem` (all its parts) into `dir`.
fn copy_fixture(stem: &str, dir: &Path) -> PathBuf {
    for ext in ["shp", "shx", "dbf", "prj", "cpg"] {
        let from = fixture(&format!("{stem}.{ext}"));
        if from.exists() {
            fs::copy(&from, dir.join(format!("{stem}.{ext}"))).unwrap();
        }
    }
    dir.join(format!("{stem}.shp"))
}

fn read_one(path: &Path, options: &ReadOptions) -> DataTable {
    let dataset = formats::read(path, options).unwrap();
    assert_eq!(dataset.format, Format::Shapefile);
    assert_eq!(dataset.tables.len(), 1);
    dataset.tables.into_iter().next().unwrap()
}

fn read_error(path: &Path) -> String {
    match formats::read(path, &ReadOptions::default()) {
        Ok(d) => panic!(
            "{} was read: {:?}",
            path.display(),
            d.tables[0].features.len()
        ),
        Err(e) => e.to_string(),
    }
}

fn field_names(table: &DataTable) -> Vec<(&str, FieldKind)> {
    table
        .fields
        .iter()
        .map(|f| (f.name.as_str(), f.kind))
        .collect()
}

fn column<'t>(table: &'t DataTable, name: &str) -> Vec<&'t Value> {
    table
        .features
        .iter()
        .map(|f| f.attributes.get(name).unwrap_or(&Value::Null))
        .collect()
}

/// The cities as ogr2ogr wrote them, whatever the encoding.
fn assert_cities(table: &DataTable) {
    assert_eq!(
        field_names(table),
        [
            ("名称", FieldKind::Text),
            ("人口万", FieldKind::Integer),
            ("面积", FieldKind::Real),
            ("设区市", FieldKind::Integer),
            ("设立日", FieldKind::Date),
            ("备注", FieldKind::Text),
        ]
    );
    assert_eq!(
        column(table, "名称"),
        [&json!("苏州市"), &json!("无锡市"), &json!("嘉兴市")]
    );
    assert_eq!(
        column(table, "人口万"),
        [&json!(1275), &json!(749), &json!(555)]
    );
    assert_eq!(column(table, "面积")[0], &json!(8657.32));
    assert_eq!(
        column(table, "设立日"),
        [&json!("1983-03-01"), &json!("1983-03-01"), &Value::Null]
    );
    assert_eq!(
        column(table, "备注"),
        [&json!("长三角 中心城市之一"), &Value::Null, &json!("浙北")]
    );
    let Some(Geometry::Point(p)) = &table.features[0].geometry else {
        panic!("a point: {:?}", table.features[0].geometry)
    };
    assert_eq!((p.x(), p.y()), (120.585316, 31.298886));
}

#[test]
fn a_gbk_shapefile_without_cpg_is_read_with_its_chinese_names_and_values_guessed() {
    let table = read_one(&fixture("cities_gbk.shp"), &ReadOptions::default());
    assert_eq!(table.name, "cities_gbk");
    assert_cities(&table);
    let encoding = table.encoding.unwrap();
    assert_eq!(encoding.source, EncodingSource::Guessed);
    assert_eq!(formats::encoding::display_name(encoding.encoding), "GBK");
    let prj = fs::read_to_string(fixture("cities_gbk.prj")).unwrap();
    assert_eq!(table.crs, DeclaredCrs::Wkt(prj));
    assert!(table.skipped.is_empty(), "{:?}", table.skipped);
}

#[test]
fn a_gbk_shapefile_imported_as_a_data_layer_keeps_every_value_as_read() {
    let path = fixture("cities_gbk.shp");
    let table = read_one(&path, &ReadOptions::default());
    let first = &table.features[0].attributes;
    assert!(
        table
            .features
            .iter()
            .all(|f| f.attributes.shares_keys_with(first)),
        "the reader builds each record's attributes on one list of field names"
    );
    let layer = onemap::io::sketch::import_data_file(
        &path,
        &onemap::model::project::DataChoices::default(),
        &Progress::default(),
    )
    .unwrap();
    assert_eq!(layer.features.len(), table.features.len());
    for (imported, read) in layer.features.iter().zip(&table.features) {
        assert_eq!(imported.properties, read.attributes);
        assert_eq!(imported.properties.to_map(), read.attributes.to_map());
        assert!(
            imported
                .properties
                .shares_keys_with(&layer.features[0].properties)
        );
    }
    let suzhou = &layer.features[0].properties;
    assert_eq!(suzhou["名称"], json!("苏州市"));
    assert_eq!(suzhou["备注"], json!("长三角 中心城市之一"));
    assert_eq!(suzhou["设立日"], json!("1983-03-01"));
    assert_eq!(layer.features[1].properties["备注"], Value::Null);
    let keys: Vec<&String> = suzhou.keys().collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted, "in the order a JSON map gives them");
}

#[test]
fn a_utf8_shapefile_is_read_with_the_encoding_its_cpg_declares() {
    let table = read_one(&fixture("cities_utf8.shp"), &ReadOptions::default());
    assert_cities(&table);
    let encoding = table.encoding.unwrap();
    assert_eq!(encoding.source, EncodingSource::Declared);
    assert_eq!(encoding.encoding, encoding_rs::UTF_8);
}

#[test]
fn the_users_encoding_overrides_the_guess() {
    let options = ReadOptions {
        encoding: Some(encoding_rs::UTF_8),
        ..ReadOptions::default()
    };
    let table = read_one(&fixture("cities_gbk.shp"), &options);
    assert_eq!(table.encoding.unwrap().source, EncodingSource::Chosen);
    assert!(
        table.fields[0].name.contains('\u{FFFD}'),
        "{:?}",
        table.fields
    );
}

#[test]
fn polygons_keep_their_holes_and_parts() {
    let table = read_one(&fixture("parcels.shp"), &ReadOptions::default());
    let source: Vec<Geometry<f64>> = source_geometries("parcels.geojson");
    assert_eq!(table.features.len(), 3);
    let geometries: Vec<&Geometry<f64>> = table
        .features
        .iter()
        .map(|f| f.geometry.as_ref().unwrap())
        .collect();
    let Geometry::Polygon(first) = geometries[0] else {
        panic!("a polygon with a hole: {:?}", geometries[0])
    };
    assert_eq!(first.interiors().len(), 1);
    let Geometry::MultiPolygon(second) = geometries[1] else {
        panic!("a multipolygon: {:?}", geometries[1])
    };
    assert_eq!(second.0.len(), 2);
    assert_eq!(
        second
            .0
            .iter()
            .map(|p| p.interiors().len())
            .collect::<Vec<_>>(),
        [0, 1]
    );
    assert!(matches!(geometries[2], Geometry::Polygon(p) if p.interiors().is_empty()));
    for (read, expected) in geometries.iter().zip(&source) {
        assert!((read.unsigned_area() - expected.unsigned_area()).abs() < 1e-12);
        assert_eq!(read.bounding_rect(), expected.bounding_rect());
    }
    assert_eq!(column(&table, "用地类")[1], &json!("水域"));
    assert_eq!(column(&table, "公顷")[1], &json!(120.25));
}

fn source_geometries(name: &str) -> Vec<Geometry<f64>> {
    let text = fs::read_to_string(fixture(&format!("src/{name}"))).unwrap();
    let collection: geojson::FeatureCollection = text.parse().unwrap();
    collection
        .features
        .into_iter()
        .map(|f| Geometry::try_from(f.geometry.unwrap()).unwrap())
        .collect()
}

#[test]
fn z_lines_lose_their_z_and_a_null_shape_is_a_feature_without_geometry() {
    let table = read_one(&fixture("lines_z.shp"), &ReadOptions::default());
    assert_eq!(table.features.len(), 3);
    let Some(Geometry::LineString(line)) = &table.features[0].geometry else {
        panic!("a line: {:?}", table.features[0].geometry)
    };
    let coords: Vec<(f64, f64)> = line.coords().map(|c| (c.x, c.y)).collect();
    assert_eq!(coords, [(121.30, 31.10), (120.90, 31.00), (120.10, 30.87)]);
    assert!(matches!(
        &table.features[1].geometry,
        Some(Geometry::MultiLineString(m)) if m.0.len() == 2
    ));
    assert_eq!(table.features[2].geometry, None);
    assert_eq!(column(&table, "name")[2], &json!("无几何"));
    assert_eq!(column(&table, "km")[2], &Value::Null);
}

#[test]
fn a_gauss_kruger_prj_is_passed_on_as_it_is() {
    let table = read_one(&fixture("parcels_gk.shp"), &ReadOptions::default());
    let prj = fs::read_to_string(fixture("parcels_gk.prj")).unwrap();
    assert!(prj.contains("CGCS2000_3_Degree_GK_CM_120E"), "{prj}");
    assert_eq!(table.crs, DeclaredCrs::Wkt(prj));
    let rect = table.features[0]
        .geometry
        .as_ref()
        .unwrap()
        .bounding_rect()
        .unwrap();
    assert!((550_000.0..570_000.0).contains(&rect.min().x), "{rect:?}");
    assert!(
        (3_460_000.0..3_470_000.0).contains(&rect.min().y),
        "{rect:?}"
    );
}

#[test]
fn a_prj_nobody_understands_is_passed_on_not_refused() {
    let dir = temp_dir("oddprj");
    let shp = copy_fixture("parcels", &dir);
    fs::write(dir.join("parcels.prj"), "LOCAL_CS[\"my own grid\"]").unwrap();
    let table = read_one(&shp, &ReadOptions::default());
    assert_eq!(
        table.crs,
        DeclaredCrs::Wkt("LOCAL_CS[\"my own grid\"]".into())
    );
    fs::remove_file(dir.join("parcels.prj")).unwrap();
    assert_eq!(
        read_one(&shp, &ReadOptions::default()).crs,
        DeclaredCrs::Unknown
    );
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn a_zip_with_two_shapefiles_gives_two_tables() {
    let zip = fixture("bundle.zip");
    let dataset = formats::read(&zip, &ReadOptions::default()).unwrap();
    let names: Vec<&str> = dataset.tables.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["cities", "parcels"]);
    assert_cities(&dataset.tables[0]);
    assert_eq!(dataset.tables[1].features.len(), 3);
    let options = ReadOptions {
        table: Some("parcels".into()),
        ..ReadOptions::default()
    };
    let only = formats::read(&zip, &options).unwrap();
    assert_eq!(only.tables.len(), 1);
    assert_eq!(only.tables[0].name, "parcels");
}

#[test]
fn a_zip_from_chinese_windows_with_gbk_member_names_is_read() {
    let dataset = formats::read(&fixture("gbk_names.zip"), &ReadOptions::default()).unwrap();
    assert_eq!(dataset.tables.len(), 1);
    assert_eq!(dataset.tables[0].name, "城市");
    assert_cities(&dataset.tables[0]);
}

#[test]
fn a_zip_without_a_shp_is_refused_naming_it() {
    let e = read_error(&fixture("no_shp.zip"));
    assert!(e.contains("no_shp.zip") && e.contains("no .shp"), "{e}");
}

#[test]
fn a_zip_missing_a_dbf_says_which_part_is_missing() {
    let dir = temp_dir("zipnodbf");
    let zip_path = dir.join("parts.zip");
    let mut writer = zip::ZipWriter::new(fs::File::create(&zip_path).unwrap());
    for ext in ["shp", "shx"] {
        writer
            .start_file(
                format!("parcels.{ext}"),
                zip::write::SimpleFileOptions::default(),
            )
            .unwrap();
        std::io::Write::write_all(
            &mut writer,
            &fs::read(fixture(&format!("parcels.{ext}"))).unwrap(),
        )
        .unwrap();
    }
    writer.finish().unwrap();
    let e = read_error(&zip_path);
    assert!(
        e.contains("parts.zip") && e.contains("parcels.dbf is missing"),
        "{e}"
    );
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn a_truncated_shp_is_refused_naming_it() {
    let dir = temp_dir("truncated");
    let shp = copy_fixture("parcels", &dir);
    let bytes = fs::read(&shp).unwrap();
    fs::write(&shp, &bytes[..bytes.len() - 40]).unwrap();
    let e = read_error(&shp);
    assert!(e.contains("parcels.shp") && e.contains("truncated"), "{e}");
    // Cut inside the header too.
    fs::write(&shp, &bytes[..60]).unwrap();
    let e = read_error(&shp);
    assert!(e.contains("parcels.shp"), "{e}");
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn a_missing_shx_or_dbf_is_named() {
    for missing in ["shx", "dbf"] {
        let dir = temp_dir(&format!("missing-{missing}"));
        let shp = copy_fixture("parcels", &dir);
        fs::remove_file(dir.join(format!("parcels.{missing}"))).unwrap();
        let e = read_error(&shp);
        assert!(
            e.contains(&format!("parcels.{missing} is missing")),
            "{missing}: {e}"
        );
        let _ = fs::remove_dir_all(&dir);
    }
}

#[test]
fn a_dbf_whose_record_count_differs_from_the_shapes_is_refused() {
    let dir = temp_dir("count");
    let shp = copy_fixture("parcels", &dir);
    let dbf = dir.join("parcels.dbf");
    let mut bytes = fs::read(&dbf).unwrap();
    bytes[4..8].copy_from_slice(&2u32.to_le_bytes());
    fs::write(&dbf, &bytes).unwrap();
    let e = read_error(&shp);
    assert!(
        e.contains("parcels.dbf") && e.contains("2 records") && e.contains("3 shapes"),
        "{e}"
    );
    // A DBF that announces more records than it holds is cut short.
    bytes[4..8].copy_from_slice(&30u32.to_le_bytes());
    fs::write(&dbf, &bytes).unwrap();
    let e = read_error(&shp);
    assert!(e.contains("parcels.dbf") && e.contains("truncated"), "{e}");
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn a_file_that_is_not_a_shapefile_is_refused() {
    let dir = temp_dir("notshp");
    let shp = copy_fixture("parcels", &dir);
    fs::write(&shp, vec![7u8; 300]).unwrap();
    let e = read_error(&shp);
    assert!(
        e.contains("parcels.shp") && e.contains("Shapefile header"),
        "{e}"
    );
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn reading_reports_progress_and_can_be_cancelled() {
    let progress = Progress::default();
    let options = ReadOptions {
        progress: Some(&progress),
        ..ReadOptions::default()
    };
    let shp = fixture("parcels.shp");
    read_one(&shp, &options);
    let size = fs::metadata(&shp).unwrap().len();
    assert_eq!(progress.bytes_read.load(Ordering::Relaxed), size);
    progress.cancel.store(true, Ordering::Relaxed);
    let e = formats::read(&shp, &options).unwrap_err();
    assert!(matches!(e, IoError::Cancelled { .. }), "{e}");
}

#[test]
fn the_fuzz_entry_reads_the_same_as_the_file() {
    let part = |ext: &str| fs::read(fixture(&format!("cities_gbk.{ext}"))).unwrap();
    let table = formats::shapefile::read_parts(
        "cities_gbk",
        &part("shp"),
        &part("shx"),
        &part("dbf"),
        &ReadOptions::default(),
    )
    .unwrap();
    let from_file = read_one(&fixture("cities_gbk.shp"), &ReadOptions::default());
    assert_eq!(table.features, from_file.features);
}

#[path = "formats_shapefile/writing.rs"]
mod writing;

/// Overwrites bytes of `bytes` (positions taken modulo its length) and cuts it to `keep`
/// thousandths of its length.
fn damaged(mut bytes: Vec<u8>, writes: &[(usize, u8)], keep: u16) -> Vec<u8> {
    if !bytes.is_empty() {
        for (at, value) in writes {
            let len = bytes.len();
            bytes[at % len] = *value;
        }
    }
    let keep = bytes.len() * usize::from(keep.min(1000)) / 1000;
    bytes.truncate(keep);
    bytes
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

    /// Damaged files (bytes overwritten in any of the three parts, parts cut short) are read or
    /// refused, never a panic; what is read keeps one attribute per field and finite
    /// coordinates. (The fuzz target fuzz_targets/shapefile.rs goes further.)
    #[test]
    fn damaged_shapefiles_are_read_or_refused_never_a_panic(
        stem in proptest::sample::select(vec!["parcels", "cities_gbk", "lines_z"]),
        writes in proptest::collection::vec((0usize..4, proptest::num::usize::ANY, proptest::num::u8::ANY), 0..8),
        keep in proptest::collection::vec(900u16..=1000, 3),
    ) {
        let mut parts: Vec<Vec<u8>> = ["shp", "shx", "dbf"]
            .iter()
            .map(|ext| fs::read(fixture(&format!("{stem}.{ext}"))).unwrap())
            .collect();
        for (i, part) in parts.iter_mut().enumerate() {
            let mine: Vec<(usize, u8)> = writes
                .iter()
                .filter(|(which, _, _)| *which == i || *which == 3)
                .map(|(_, at, value)| (*at, *value))
                .collect();
            *part = damaged(std::mem::take(part), &mine, keep[i]);
        }
        let read = formats::shapefile::read_parts(stem, &parts[0], &parts[1], &parts[2], &ReadOptions::default());
        if let Ok(table) = read {
            for feature in &table.features {
                proptest::prop_assert_eq!(feature.attributes.len(), table.fields.len());
                if let Some(g) = &feature.geometry {
                    use geo::CoordsIter as _;
                    proptest::prop_assert!(g.coords_iter().all(|c| c.x.is_finite() && c.y.is_finite()));
                }
            }
        }
    }
}
