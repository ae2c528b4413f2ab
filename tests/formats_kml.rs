//! KML and KMZ through `onemap::io::formats::{read, write}`, with GDAL (its LIBKML driver, the
//! one ogrinfo uses by default) as the oracle: files from Google Earth, 奥维互动地图 and GDAL
//! read as GDAL reads them, and every file OneMap writes opens in ogrinfo without a warning
//! and gives GDAL the same placemarks, attributes and coordinates.

// An integration test is a crate of its own, which clippy's allow-unwrap-in-tests (clippy.toml)
// does not cover outside #[test] functions: its helpers unwrap too, a panic being a failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod gdal_oracle;
mod read_progress;

use std::path::{Path, PathBuf};

use geo::Geometry;
use onemap::io::formats::{
    self, DataFeature, DataTable, DeclaredCrs, Field, FieldKind, ReadOptions, WriteOptions,
};
use serde_json::{Value, json};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/formats/kml")
        .join(name)
}

fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("onemap-kml-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn read_one(path: &Path) -> DataTable {
    let mut tables = formats::read(path, &ReadOptions::default()).unwrap().tables;
    assert_eq!(tables.len(), 1, "a KML file is one table");
    tables.remove(0)
}

fn refusal(path: &Path) -> String {
    formats::read(path, &ReadOptions::default())
        .unwrap_err()
        .to_string()
}

fn by_name<'a>(table: &'a DataTable, name: &str) -> &'a DataFeature {
    table
        .features
        .iter()
        .find(|f| f.attributes.get("name") == Some(&json!(name)))
        .unwrap_or_else(|| panic!("no placemark {name}"))
}

fn field_names(table: &DataTable) -> Vec<(&str, FieldKind)> {
    table
        .fields
        .iter()
        .map(|f| (f.name.as_str(), f.kind))
        .collect()
}

/// GDAL's LIBKML driver makes a layer of each Folder (named by the folder, nested ones too)
/// and one of the placemarks outside any folder (named by the Document): each layer is
/// compared with OneMap's placemarks of that folder. `name` is GDAL's Name, `description` its
/// description; `data_fields` are compared too (LIBKML mangles non-ASCII <Data> names, not
/// SchemaData ones).
fn assert_gdal_reads_the_same(path: &Path, table: &DataTable, data_fields: &[&str]) {
    if !gdal_oracle::available() {
        return;
    }
    let layers = gdal_oracle::layers(path, &[]);
    let mut compared = 0;
    for layer in &layers {
        let in_layer: Vec<&DataFeature> = table
            .features
            .iter()
            .filter(|f| match f.attributes.get("folder") {
                Some(Value::String(folder)) => folder.rsplit('/').next() == Some(layer.as_str()),
                _ => !layers_hold_folder_named(table, layer),
            })
            .collect();
        let gdal = gdal_oracle::layer_as_geojson(path, layer, &[]);
        let shown = DataTable {
            name: layer.clone(),
            fields: table
                .fields
                .iter()
                .filter(|f| {
                    ["name", "description"].contains(&f.name.as_str())
                        || data_fields.contains(&f.name.as_str())
                })
                .cloned()
                .collect(),
            ..table.clone()
        };
        let gdal_name = |f: &str| {
            if f == "name" {
                "Name".to_owned()
            } else {
                f.to_owned()
            }
        };
        gdal_oracle::assert_table_matches(&shown, &in_layer, &gdal, &gdal_name, 1e-12);
        compared += in_layer.len();
    }
    assert_eq!(
        compared,
        table.features.len(),
        "every placemark is in a GDAL layer"
    );
}

fn layers_hold_folder_named(table: &DataTable, layer: &str) -> bool {
    table.features.iter().any(|f| {
        matches!(f.attributes.get("folder"), Some(Value::String(folder))
            if folder.rsplit('/').next() == Some(layer))
    })
}

#[test]
fn a_google_earth_file_reads_with_folders_extended_data_and_tracks() {
    let path = fixture("google_earth.kml");
    let table = read_one(&path);
    assert_eq!(table.name, "google_earth");
    assert_eq!(table.crs, DeclaredCrs::Wgs84ByFormat);
    use FieldKind::Text;
    assert_eq!(
        field_names(&table),
        [
            ("name", Text),
            ("description", Text),
            ("folder", Text),
            ("调研日期", Text),
            ("记录人", Text)
        ]
    );
    assert_eq!(table.features.len(), 6);
    let zhujiajiao = by_name(&table, "朱家角古镇");
    assert_eq!(zhujiajiao.attributes["folder"], json!("踏勘点"));
    assert_eq!(
        zhujiajiao.attributes["description"],
        json!("水乡古镇 & 淀山湖东岸")
    );
    assert_eq!(zhujiajiao.attributes["调研日期"], json!("2023-04-18"));
    assert_eq!(zhujiajiao.attributes["记录人"], json!("张工"));
    assert_eq!(
        zhujiajiao.geometry,
        Some(geo::Point::new(121.0535, 31.1103).into())
    );
    let Some(Geometry::LineString(track)) = &by_name(&table, "踏勘轨迹").geometry else {
        panic!("a gx:Track is a line")
    };
    assert_eq!(track.0.len(), 3);
    let Some(Geometry::Polygon(parlour)) = &by_name(&table, "水乡客厅").geometry else {
        panic!("a polygon")
    };
    assert_eq!(parlour.interiors().len(), 1);
    let both = by_name(&table, "两点一线");
    assert_eq!(both.attributes["folder"], Value::Null);
    assert!(matches!(
        both.geometry,
        Some(Geometry::GeometryCollection(_))
    ));
    assert!(table.skipped.is_empty(), "{:?}", table.skipped);
    assert_gdal_reads_the_same(&path, &table, &[]);
}

#[test]
fn an_ovital_file_reads_with_its_nested_folder_path() {
    let path = fixture("ovital.kml");
    let table = read_one(&path);
    let greenway = by_name(&table, "淀山湖环湖绿道");
    assert_eq!(greenway.attributes["folder"], json!("规划/绿道"));
    assert_eq!(
        greenway.attributes["description"],
        json!("<p>一期 <b>32km</b></p>")
    );
    assert!(matches!(greenway.geometry, Some(Geometry::LineString(_))));
    let boundary = by_name(&table, "规划范围界线");
    assert_eq!(boundary.attributes["folder"], json!("规划"));
    let Some(Geometry::LineString(ring)) = &boundary.geometry else {
        panic!("a LinearRing placemark is a closed line")
    };
    assert!(ring.is_closed());
    assert_eq!(
        by_name(&table, "青浦区政府").attributes["folder"],
        json!("收藏夹")
    );
    assert_eq!(table.features.len(), 4);
    assert_gdal_reads_the_same(&path, &table, &[]);
}

#[test]
fn a_gdal_kml_reads_its_schema_typed_fields() {
    let path = fixture("gdal.kml");
    let table = read_one(&path);
    use FieldKind::*;
    assert_eq!(
        field_names(&table),
        [
            ("folder", Text),
            ("名称", Text),
            ("城市", Text),
            ("人口", Integer),
            ("面积_km2", Real),
            ("已批复", Integer),
            ("批复日期", Text),
            ("备注", Text),
            ("编号", Integer)
        ]
    );
    let first = &table.features[0].attributes;
    assert_eq!(first["人口"], json!(24870895));
    assert_eq!(first["备注"], json!("A & B <枢纽> \"东\""));
    assert_eq!(table.features[2].attributes["人口"], Value::Null);
    assert_gdal_reads_the_same(
        &path,
        &table,
        &[
            "名称",
            "城市",
            "人口",
            "面积_km2",
            "已批复",
            "批复日期",
            "备注",
            "编号",
        ],
    );
}

#[test]
fn kmz_files_read_their_doc_kml_or_first_kml_and_the_kml_they_link_to() {
    let google = read_one(&fixture("google_earth.kmz"));
    assert_eq!(google.name, "google_earth");
    assert_eq!(
        google.features,
        read_one(&fixture("google_earth.kml")).features
    );
    let ovital = read_one(&fixture("ovital.kmz"));
    assert_eq!(ovital.features, read_one(&fixture("ovital.kml")).features);
    // GDAL's LIBKML KMZ: a doc.kml linking to layers/stations.kml inside the archive.
    let path = fixture("gdal_libkml.kmz");
    let gdal = read_one(&path);
    assert_eq!(gdal.features.len(), 3);
    assert_eq!(gdal.features[0].attributes["名称"], json!("上海虹桥站"));
    assert_eq!(gdal.features[0].attributes["人口"], json!(24870895));
    assert_gdal_reads_the_same(&path, &gdal, &["名称", "城市", "人口", "面积_km2", "备注"]);
}

#[test]
fn bad_kml_and_kmz_files_are_refused_in_words() {
    let e = refusal(&fixture("no_kml.kmz"));
    assert!(e.contains("no_kml.kmz"), "{e}");
    assert!(
        e.contains("a KMZ without any KML file inside (it holds files/ovital_mark.png)"),
        "{e}"
    );
    let dir = temp_dir("bad");
    let text = std::fs::read_to_string(fixture("ovital.kml")).unwrap();
    let cases = [
        ("cut.kml", text[..text.len() / 2].to_owned(), "is cut short"),
        (
            "cut_tag.kml",
            text[..text.find("</Placemark>").unwrap() + 5].to_owned(),
            "is cut short: it ends inside a tag",
        ),
        (
            "cut_between.kml",
            text[..text.find("</Placemark>").unwrap()].to_owned(),
            "is cut short: it ends before",
        ),
        (
            "page.kml",
            "<html><body>404</body></html>".to_owned(),
            "is not KML: its first element is <html>",
        ),
        (
            "broken.kml",
            text.replace("</Folder>\n<Folder>", "</Placemark>\n<Folder>"),
            "is not valid XML",
        ),
        (
            "coords.kml",
            text.replace(
                "120.880100,31.090200,0 120.910300",
                "120.880100,北纬,0 120.910300",
            ),
            "placemark 2 (元荡生态岸线): coordinate '120.880100,北纬,0'",
        ),
        (
            "notzip.kmz",
            text.clone(),
            "is not a KMZ: it is not a zip archive",
        ),
    ];
    for (name, content, expected) in cases {
        let path = dir.join(name);
        std::fs::write(&path, content).unwrap();
        let e = refusal(&path);
        assert!(e.contains(name) && e.contains(expected), "{name}: {e}");
    }
    // What georust's kml crate panics on: a Point with empty coordinates. Read without a
    // geometry, and said so.
    let empty = dir.join("empty.kml");
    std::fs::write(
        &empty,
        "<kml><Placemark><name>空</name><Point><coordinates></coordinates></Point></Placemark></kml>",
    )
    .unwrap();
    let table = read_one(&empty);
    assert_eq!(table.features[0].geometry, None);
    assert_eq!(table.skipped, ["1 placemarks without a geometry"]);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Two tables: plan features with every field kind and geometry type, and points.
fn sample_tables() -> Vec<DataTable> {
    let field = |name: &str, kind| Field {
        name: name.into(),
        kind,
    };
    let geometry = |text: &str| -> Option<Geometry<f64>> {
        let g: geojson::Geometry = text.parse().unwrap();
        Some(Geometry::try_from(g).unwrap())
    };
    let feature = |g: Option<Geometry<f64>>, v: Value| DataFeature {
        geometry: g,
        attributes: v.as_object().cloned().unwrap().into(),
    };
    let table = |name: &str, fields, features| DataTable {
        name: name.into(),
        fields,
        features,
        crs: DeclaredCrs::Wgs84ByFormat,
        encoding: None,
        skipped: vec![],
    };
    vec![
        table(
            "规划要素",
            vec![
                field("名称", FieldKind::Text),
                field("人口", FieldKind::Integer),
                field("面积", FieldKind::Real),
                field("已批复", FieldKind::Boolean),
                field("批复日期", FieldKind::Date),
            ],
            vec![
                feature(
                    geometry(
                        r#"{"type":"Polygon","coordinates":[[[120.85,31.05],[121.05,31.05],[121.05,31.2],[120.85,31.05]],[[120.95,31.08],[121.0,31.08],[121.0,31.1],[120.95,31.08]]]}"#,
                    ),
                    json!({"名称": "淀山湖 & <湖区>", "人口": 24870895, "面积": 62.5, "已批复": true, "批复日期": "2022-03-01"}),
                ),
                feature(
                    geometry(
                        r#"{"type":"MultiLineString","coordinates":[[[121.3,31.19],[120.95,31.05]],[[120.64,30.98],[120.09,30.87]]]}"#,
                    ),
                    json!({"名称": "沪苏湖铁路", "人口": null, "面积": 0.1, "已批复": false}),
                ),
                feature(
                    geometry(
                        r#"{"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[121.0,31.0]},{"type":"LineString","coordinates":[[121.0,31.0],[121.1,31.1]]}]}"#,
                    ),
                    json!({"名称": "集合"}),
                ),
                feature(None, json!({"名称": "无几何", "人口": 3})),
            ],
        ),
        table(
            "站点",
            vec![
                field("name", FieldKind::Text),
                field("description", FieldKind::Text),
            ],
            vec![feature(
                geometry(r#"{"type":"Point","coordinates":[121.320014,31.194093]}"#),
                json!({"name": "虹桥", "description": "枢纽"}),
            )],
        ),
    ]
}

/// GDAL's reading of each Folder (= table) of a written file against the tables.
fn assert_gdal_reads_what_was_written(path: &Path, tables: &[DataTable]) {
    if !gdal_oracle::available() {
        return;
    }
    gdal_oracle::ogrinfo_clean(path, &[]);
    assert_eq!(
        gdal_oracle::layers(path, &[]),
        tables.iter().map(|t| t.name.clone()).collect::<Vec<_>>()
    );
    for table in tables {
        let gdal = gdal_oracle::layer_as_geojson(path, &table.name, &[]);
        let features: Vec<&DataFeature> = table.features.iter().collect();
        // Booleans are written 1/0, which GDAL reads as integers.
        let as_gdal = DataTable {
            features: table
                .features
                .iter()
                .map(|f| DataFeature {
                    geometry: f.geometry.clone(),
                    attributes: f
                        .attributes
                        .iter()
                        .map(|(k, v)| {
                            (
                                k.clone(),
                                v.as_bool().map_or(v.clone(), |b| json!(i64::from(b))),
                            )
                        })
                        .collect(),
                })
                .collect(),
            ..table.clone()
        };
        let features_as_gdal: Vec<&DataFeature> = as_gdal.features.iter().collect();
        assert_eq!(features.len(), features_as_gdal.len());
        let gdal_name = |f: &str| {
            if f == "name" {
                "Name".to_owned()
            } else {
                f.to_owned()
            }
        };
        gdal_oracle::assert_table_matches(&as_gdal, &features_as_gdal, &gdal, &gdal_name, 0.0);
        // The name-like field names the placemark.
        if table.fields.iter().any(|f| f.name == "名称") {
            for (ours, (_, theirs)) in table.features.iter().zip(gdal_oracle::features(&gdal)) {
                assert_eq!(ours.attributes["名称"], theirs["Name"]);
            }
        }
    }
}

#[test]
fn a_written_kml_opens_in_gdal_and_reads_back_with_its_types() {
    let dir = temp_dir("write");
    let tables = sample_tables();
    let out = dir.join("导出.kml");
    formats::write(&out, &tables, &WriteOptions::default()).unwrap();
    assert_gdal_reads_what_was_written(&out, &tables);
    let back = read_one(&out);
    assert_eq!(back.name, "导出");
    use FieldKind::*;
    assert_eq!(
        field_names(&back),
        [
            ("name", Text),
            ("description", Text),
            ("folder", Text),
            ("名称", Text),
            ("人口", Integer),
            ("面积", Real),
            ("已批复", Boolean),
            ("批复日期", Text)
        ]
    );
    let written = tables
        .iter()
        .flat_map(|t| t.features.iter().map(move |f| (t, f)));
    for ((table, ours), read) in written.zip(&back.features) {
        assert_eq!(read.geometry, ours.geometry);
        assert_eq!(read.attributes["folder"], json!(table.name));
        for field in &table.fields {
            let value = ours.attributes.get(&field.name).unwrap_or(&Value::Null);
            assert_eq!(&read.attributes[&field.name], value, "{}", field.name);
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_written_kmz_is_a_zip_with_doc_kml_that_gdal_opens() {
    let dir = temp_dir("kmz");
    let tables = sample_tables();
    let out = dir.join("export.kmz");
    formats::write(&out, &tables, &WriteOptions::default()).unwrap();
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&out).unwrap()).unwrap();
    assert_eq!(zip.len(), 1);
    assert_eq!(zip.by_index(0).unwrap().name().unwrap(), "doc.kml");
    assert_gdal_reads_what_was_written(&out, &tables);
    let kml = dir.join("export.kml");
    formats::write(&kml, &tables, &WriteOptions::default()).unwrap();
    assert_eq!(read_one(&out).features, read_one(&kml).features);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_refused_write_leaves_nothing_behind() {
    let dir = temp_dir("refused");
    let out = dir.join("out.kml");
    let projected = WriteOptions {
        crs_epsg: Some(4549),
        ..WriteOptions::default()
    };
    let e = formats::write(&out, &sample_tables(), &projected)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("out.kml") && e.contains("KML is always WGS84"),
        "{e}"
    );
    let mut tables = sample_tables();
    tables[1].features[0].geometry = Some(geo::Point::new(f64::NAN, 31.0).into());
    let e = formats::write(&out, &tables, &WriteOptions::default())
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("table 站点, feature 1: coordinate (NaN, 31) is not a number"),
        "{e}"
    );
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        0,
        "nothing written"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// A KML of `n` placemarks (a polygon of 20 vertices each) in folders, with ExtendedData,
/// about 0.8 KB each.
fn large_kml(n: usize) -> String {
    let mut text = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<kml xmlns=\"http://www.opengis.net/kml/2.2\"><Document>\n",
    );
    for folder in 0..4 {
        text += &format!("<Folder><name>分区{folder}</name>\n");
        for i in (folder..n).step_by(4) {
            let (x0, y0) = (
                120.5 + (i % 100) as f64 * 0.01,
                30.5 + (i / 100) as f64 * 0.01,
            );
            let ring: Vec<String> = (0..=20)
                .map(|k| {
                    let a = (k % 20) as f64 * std::f64::consts::TAU / 20.0;
                    format!("{:.6},{:.6},0", x0 + 0.004 * a.cos(), y0 + 0.004 * a.sin())
                })
                .collect();
            text += &format!(
                "<Placemark><name>地块 {i}</name><ExtendedData><Data name=\"用途\"><value>绿地</value></Data>\
                 <Data name=\"面积\"><value>{}.5</value></Data></ExtendedData><Polygon><outerBoundaryIs>\
                 <LinearRing><coordinates>{}</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>\n",
                i % 50,
                ring.join(" ")
            );
        }
        text += "</Folder>\n";
    }
    text + "</Document></kml>\n"
}

fn large_kml_and_kmz(dir: &Path) -> (PathBuf, PathBuf) {
    let text = large_kml(4_000);
    let kml = dir.join("large.kml");
    std::fs::write(&kml, &text).unwrap();
    let kmz = dir.join("large.kmz");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&kmz).unwrap());
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("doc.kml", options).unwrap();
    std::io::Write::write_all(&mut zip, text.as_bytes()).unwrap();
    zip.finish().unwrap();
    (kml, kmz)
}

#[test]
fn large_kml_and_kmz_move_the_bar_to_their_end_and_read_as_without_it() {
    let dir = temp_dir("progress");
    let (kml, kmz) = large_kml_and_kmz(&dir);
    assert!(std::fs::metadata(&kml).unwrap().len() > 2 << 20);
    for path in [&kml, &kmz] {
        let size = std::fs::metadata(path).unwrap().len();
        let watched = read_progress::watch(path, read_progress::Cancel::Never);
        read_progress::assert_moved_to_the_end(&watched, size);
        let with_bar = watched.result.unwrap();
        let without = formats::read(path, &ReadOptions::default()).unwrap();
        assert_eq!(with_bar, without);
        let table = &without.tables[0];
        assert_eq!(table.features.len(), 4_000);
        let last = by_name(table, "地块 3999");
        assert_eq!(last.attributes["folder"], json!("分区3"));
        assert_eq!(last.attributes["用途"], json!("绿地"));
        assert!(matches!(last.geometry, Some(Geometry::Polygon(_))));
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn cancel_stops_a_kml_or_kmz_before_or_while_it_is_read() {
    let dir = temp_dir("cancel");
    let (kml, kmz) = large_kml_and_kmz(&dir);
    for path in [&kml, &kmz] {
        let size = std::fs::metadata(path).unwrap().len();
        read_progress::assert_cancelled(&read_progress::watch(path, read_progress::Cancel::Before));
        let watched = read_progress::watch(path, read_progress::Cancel::WhenMoving);
        let at = watched.cancelled_at.expect("the bar moved");
        assert!(at < size, "Cancel came after the read ({at} of {size})");
        read_progress::assert_cancelled(&watched);
    }
    let _ = std::fs::remove_dir_all(&dir);
}
