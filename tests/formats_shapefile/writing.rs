//! Writing Shapefiles: GDAL reads back what we write (feature count, attributes, coordinates),
//! in UTF-8 and in GBK for old ArcGIS; what a Shapefile cannot hold is refused with nothing
//! written.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use geo::{Geometry, LineString, MultiPoint, MultiPolygon, Polygon, point, polygon};
use onemap::io::formats::{
    self, DataFeature, DataTable, DeclaredCrs, EncodingSource, Field, FieldKind, ReadOptions,
    WriteOptions,
};
use serde_json::{Map, Value, json};

use super::ogrinfo;
use super::{read_one, temp_dir};

fn field(name: &str, kind: FieldKind) -> Field {
    Field {
        name: name.into(),
        kind,
    }
}

fn attributes(value: Value) -> Map<String, Value> {
    value.as_object().cloned().unwrap()
}

/// Planning parcels with Chinese attributes: a polygon with a hole, a multipolygon, one without
/// geometry; a long field name, two that collide when cut to 10 bytes, and nulls.
fn parcels() -> DataTable {
    let with_hole = Polygon::new(
        LineString::from(vec![
            (0.0, 0.0),
            (10.0, 0.0),
            (10.0, 10.0),
            (0.0, 10.0),
            (0.0, 0.0),
        ]),
        vec![LineString::from(vec![
            (2.0, 2.0),
            (2.0, 4.0),
            (4.0, 4.0),
            (4.0, 2.0),
            (2.0, 2.0),
        ])],
    );
    let two_parts = MultiPolygon::new(vec![
        polygon![(x: 20.0, y: 0.0), (x: 21.5, y: 0.0), (x: 21.5, y: 1.25), (x: 20.0, y: 0.0)],
        polygon![(x: 30.0, y: 30.0), (x: 31.0, y: 30.0), (x: 31.0, y: 31.0), (x: 30.0, y: 31.0)],
    ]);
    let fields = vec![
        field("名称", FieldKind::Text),
        field("人口", FieldKind::Integer),
        field("面积", FieldKind::Real),
        field("设区市", FieldKind::Boolean),
        field("设立日期", FieldKind::Date),
        field("population_2020", FieldKind::Integer),
        field("population_2035", FieldKind::Integer),
    ];
    let rows = [
        json!({"名称": "苏州 生态绿地", "人口": 1275, "面积": 8657.32, "设区市": true,
               "设立日期": "1983-03-01", "population_2020": 12748262, "population_2035": 15000000}),
        json!({"名称": "嘉兴·水乡", "人口": -3, "面积": 0.125, "设区市": false,
               "设立日期": null, "population_2020": null, "population_2035": 7}),
        json!({"名称": null, "人口": null, "面积": null, "设区市": null,
               "设立日期": "2022-12-31", "population_2020": 0, "population_2035": 1}),
    ];
    let geometries = [Some(with_hole.into()), Some(two_parts.into()), None];
    DataTable {
        name: "parcels".into(),
        fields,
        features: rows
            .into_iter()
            .zip(geometries)
            .map(|(row, geometry)| DataFeature {
                geometry,
                attributes: attributes(row).into(),
            })
            .collect(),
        crs: DeclaredCrs::Unknown,
        encoding: None,
        skipped: Vec::new(),
    }
}

/// The name each field gets in the DBF: cut to 10 bytes of the encoding, made unique.
fn dbf_names(gbk: bool) -> [(&'static str, &'static str); 7] {
    [
        ("名称", "名称"),
        ("人口", "人口"),
        ("面积", "面积"),
        ("设区市", "设区市"),
        // 12 bytes in UTF-8, 8 in GBK.
        ("设立日期", if gbk { "设立日期" } else { "设立日" }),
        ("population_2020", "population"),
        ("population_2035", "populati_1"),
    ]
}

/// What ogrinfo prints for a value we wrote, as a field of `gdal_type`. GDAL 3.6 reads a DBF
/// logical field (`L`) as a String of `T`, `F` or `?`; later versions as an Integer(Boolean).
fn gdal_text(kind: FieldKind, gdal_type: &str, value: &Value) -> Option<String> {
    let logical_as_text = kind == FieldKind::Boolean && gdal_type == "String";
    Some(match (kind, value) {
        (_, Value::Null) if logical_as_text => "?".into(),
        (_, Value::Null) => "(null)".into(),
        (FieldKind::Text, Value::String(s)) => s.clone(),
        (FieldKind::Integer, v) => v.to_string(),
        (FieldKind::Boolean, Value::Bool(b)) if logical_as_text => {
            if *b { "T" } else { "F" }.into()
        }
        (FieldKind::Boolean, Value::Bool(b)) => if *b { "1" } else { "0" }.into(),
        (FieldKind::Date, Value::String(s)) => s.replace('-', "/"),
        (FieldKind::Real, _) => return None,
        _ => panic!("unexpected {kind:?} {value}"),
    })
}

/// GDAL reads back the feature count, every attribute and every coordinate.
fn assert_gdal_reads(path: &Path, table: &DataTable, gbk: bool) {
    let layer = ogrinfo::read(path);
    assert!(!layer.stderr.contains("ERROR"), "{}", layer.stderr);
    assert_eq!(layer.feature_count, table.features.len());
    assert_eq!(layer.features.len(), table.features.len());
    for (index, (ours, gdal)) in table.features.iter().zip(&layer.features).enumerate() {
        for ((source, dbf_name), field) in dbf_names(gbk).iter().zip(&table.fields) {
            let value = ours.attributes.get(source).unwrap();
            let (gdal_type, text) = gdal
                .fields
                .get(*dbf_name)
                .unwrap_or_else(|| panic!("feature {index}: no field {dbf_name}: {gdal:?}"));
            match gdal_text(field.kind, gdal_type, value) {
                Some(expected) => assert_eq!(text, &expected, "feature {index} {source}"),
                None => {
                    let x: f64 = text.parse().unwrap();
                    assert!(
                        (x - value.as_f64().unwrap()).abs() < 1e-9,
                        "{source}: {text}"
                    );
                }
            }
        }
        assert_same_coordinates(ours.geometry.as_ref(), gdal.wkt.as_deref(), index);
    }
}

/// The same rings or lines in the same order, each with the same coordinates (a ring may
/// start elsewhere or run the other way: Shapefile rings have an orientation).
fn assert_same_coordinates(ours: Option<&Geometry<f64>>, wkt: Option<&str>, index: usize) {
    let Some(ours) = ours else {
        assert!(
            wkt.is_none_or(|w| w.contains("EMPTY")),
            "feature {index}: {wkt:?}"
        );
        return;
    };
    let wkt = wkt.unwrap_or_else(|| panic!("feature {index} has no geometry in GDAL"));
    let theirs = ogrinfo::coordinate_lists(wkt);
    let ours = our_lists(ours);
    assert_eq!(ours.len(), theirs.len(), "feature {index}: {wkt}");
    let key = |list: &[(f64, f64)]| -> BTreeSet<(u64, u64)> {
        list.iter()
            .map(|(x, y)| (x.to_bits(), y.to_bits()))
            .collect()
    };
    for (a, b) in ours.iter().zip(&theirs) {
        assert_eq!(key(a), key(b), "feature {index}: {wkt}");
    }
}

fn our_lists(geometry: &Geometry<f64>) -> Vec<Vec<(f64, f64)>> {
    let ring = |l: &LineString<f64>| l.coords().map(|c| (c.x, c.y)).collect::<Vec<_>>();
    let polygon = |p: &Polygon<f64>| {
        std::iter::once(ring(p.exterior()))
            .chain(p.interiors().iter().map(ring))
            .collect::<Vec<_>>()
    };
    match geometry {
        Geometry::Point(p) => vec![vec![(p.x(), p.y())]],
        Geometry::MultiPoint(m) => m.iter().map(|p| vec![(p.x(), p.y())]).collect(),
        Geometry::LineString(l) => vec![ring(l)],
        Geometry::MultiLineString(m) => m.iter().map(ring).collect(),
        Geometry::Polygon(p) => polygon(p),
        Geometry::MultiPolygon(m) => m.iter().flat_map(polygon).collect(),
        other => panic!("not written here: {other:?}"),
    }
}

#[test]
fn a_utf8_shapefile_we_write_is_read_back_by_gdal_and_by_us() {
    let dir = temp_dir("write-utf8");
    let path = dir.join("parcels.shp");
    let table = parcels();
    formats::write(
        &path,
        std::slice::from_ref(&table),
        &WriteOptions::default(),
    )
    .unwrap();
    assert_eq!(
        fs::read_to_string(dir.join("parcels.cpg")).unwrap(),
        "UTF-8"
    );
    assert!(
        fs::read_to_string(dir.join("parcels.prj"))
            .unwrap()
            .starts_with("GEOGCS[\"GCS_WGS_1984\"")
    );
    let back = read_one(&path, &ReadOptions::default());
    assert_eq!(back.encoding.unwrap().source, EncodingSource::Declared);
    assert_eq!(back.encoding.unwrap().encoding, encoding_rs::UTF_8);
    assert_same_attributes(&table, &back, false);
    if ogrinfo::available() {
        assert_gdal_reads(&path, &table, false);
    }
    let _ = fs::remove_dir_all(&dir);
}

fn assert_same_attributes(table: &DataTable, back: &DataTable, gbk: bool) {
    for (ours, read) in table.features.iter().zip(&back.features) {
        for (source, dbf_name) in dbf_names(gbk) {
            let expected = &ours.attributes[source];
            let got = &read.attributes[dbf_name];
            match (expected.as_f64(), got.as_f64()) {
                (Some(a), Some(b)) => assert!((a - b).abs() < 1e-9, "{source}: {got}"),
                _ => assert_eq!(got, expected, "{source}"),
            }
        }
    }
    assert_eq!(back.features[2].geometry, None);
}

#[test]
fn a_gbk_shapefile_we_write_is_read_back_by_gdal_with_or_without_its_cpg() {
    let dir = temp_dir("write-gbk");
    let path = dir.join("parcels.shp");
    let table = parcels();
    let options = WriteOptions {
        encoding: Some(encoding_rs::GBK),
        ..WriteOptions::default()
    };
    formats::write(&path, std::slice::from_ref(&table), &options).unwrap();
    assert_eq!(fs::read_to_string(dir.join("parcels.cpg")).unwrap(), "936");
    let dbf = fs::read(dir.join("parcels.dbf")).unwrap();
    assert_eq!(dbf[29], 0x4D, "the language driver of code page 936");
    let (gbk_name, _, _) = encoding_rs::GBK.encode("名称");
    assert_eq!(&dbf[32..32 + gbk_name.len()], &gbk_name[..]);
    if ogrinfo::available() {
        assert_gdal_reads(&path, &table, true);
    }
    // Old ArcGIS files carry only the language driver: it is enough, for GDAL and for us.
    fs::remove_file(dir.join("parcels.cpg")).unwrap();
    let back = read_one(&path, &ReadOptions::default());
    assert_eq!(back.encoding.unwrap().source, EncodingSource::Declared);
    assert_eq!(back.encoding.unwrap().encoding, encoding_rs::GBK);
    assert_same_attributes(&table, &back, true);
    if ogrinfo::available() {
        assert_gdal_reads(&path, &table, true);
    }
    let _ = fs::remove_dir_all(&dir);
}

fn table_of(geometries: Vec<Option<Geometry<f64>>>) -> DataTable {
    DataTable {
        name: "t".into(),
        fields: vec![field("n", FieldKind::Integer)],
        features: geometries
            .into_iter()
            .enumerate()
            .map(|(i, geometry)| DataFeature {
                geometry,
                attributes: attributes(json!({ "n": i })).into(),
            })
            .collect(),
        crs: DeclaredCrs::Unknown,
        encoding: None,
        skipped: Vec::new(),
    }
}

#[test]
fn points_with_multipoints_are_written_as_multipoints_and_lines_as_lines() {
    let dir = temp_dir("write-points");
    let points = table_of(vec![
        Some(point!(x: 121.47, y: 31.23).into()),
        Some(MultiPoint::from(vec![(120.58, 31.3), (120.31, 31.49)]).into()),
    ]);
    let path = dir.join("points.shp");
    formats::write(
        &path,
        std::slice::from_ref(&points),
        &WriteOptions::default(),
    )
    .unwrap();
    let lines = table_of(vec![Some(
        LineString::from(vec![(121.3, 31.1), (120.9, 31.0), (120.1, 30.87)]).into(),
    )]);
    let lines_path = dir.join("lines.shp");
    formats::write(
        &lines_path,
        std::slice::from_ref(&lines),
        &WriteOptions::default(),
    )
    .unwrap();
    let back = read_one(&path, &ReadOptions::default());
    assert!(matches!(&back.features[0].geometry, Some(Geometry::MultiPoint(m)) if m.0.len() == 1));
    if ogrinfo::available() {
        let layer = ogrinfo::read(&path);
        assert_eq!(layer.geometry_type, "Multi Point");
        for (index, (ours, gdal)) in points.features.iter().zip(&layer.features).enumerate() {
            assert_same_coordinates(ours.geometry.as_ref(), gdal.wkt.as_deref(), index);
        }
        let layer = ogrinfo::read(&lines_path);
        assert_eq!(layer.geometry_type, "Line String");
        assert_same_coordinates(
            lines.features[0].geometry.as_ref(),
            layer.features[0].wkt.as_deref(),
            0,
        );
    }
    let _ = fs::remove_dir_all(&dir);
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn what_a_shapefile_cannot_hold_is_refused_and_nothing_is_written() {
    let dir = temp_dir("write-refused");
    let path = dir.join("out.shp");
    let mixed = table_of(vec![
        Some(point!(x: 1.0, y: 2.0).into()),
        Some(polygon![(x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 1.0, y: 1.0)].into()),
    ]);
    let e = formats::write(&path, &[mixed], &WriteOptions::default())
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("out.shp") && e.contains("points and polygons"),
        "{e}"
    );
    let e = formats::write(&path, &[parcels(), parcels()], &WriteOptions::default())
        .unwrap_err()
        .to_string();
    assert!(e.contains("one table") && e.contains('2'), "{e}");
    let mut long = parcels();
    long.features[1]
        .attributes
        .insert("名称".into(), json!("长".repeat(100)));
    let e = formats::write(&path, &[long], &WriteOptions::default())
        .unwrap_err()
        .to_string();
    assert!(e.contains("名称") && e.contains("254"), "{e}");
    assert!(files_in(&dir).is_empty(), "{:?}", files_in(&dir));
    // Over an existing Shapefile, a refused write leaves the old files as they were.
    formats::write(&path, &[parcels()], &WriteOptions::default()).unwrap();
    let before: Vec<Vec<u8>> = files_in(&dir)
        .iter()
        .map(|n| fs::read(dir.join(n)).unwrap())
        .collect();
    let mut bad = parcels();
    bad.features[0]
        .attributes
        .insert("设立日期".into(), json!("1 March 1983"));
    let e = formats::write(&path, &[bad], &WriteOptions::default())
        .unwrap_err()
        .to_string();
    assert!(e.contains("设立日期") && e.contains("YYYY-MM-DD"), "{e}");
    let after: Vec<Vec<u8>> = files_in(&dir)
        .iter()
        .map(|n| fs::read(dir.join(n)).unwrap())
        .collect();
    assert_eq!(
        files_in(&dir),
        ["out.cpg", "out.dbf", "out.prj", "out.shp", "out.shx"]
    );
    assert_eq!(before, after);
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn a_zipped_shapefile_with_its_projection_is_written_and_read_back() {
    let dir = temp_dir("write-zip");
    let path = dir.join("规划地块.zip");
    let gk = fs::read_to_string(super::fixture("parcels_gk.prj")).unwrap();
    let options = WriteOptions {
        crs_wkt: Some(gk.clone()),
        ..WriteOptions::default()
    };
    let table = parcels();
    formats::write(&path, std::slice::from_ref(&table), &options).unwrap();
    let back = read_one(&path, &ReadOptions::default());
    assert_eq!(back.name, "规划地块");
    assert_eq!(back.crs, DeclaredCrs::Wkt(gk));
    assert_same_attributes(&table, &back, false);
    if ogrinfo::available() {
        let vsi = format!("/vsizip/{}/规划地块.shp", path.display());
        let layer = ogrinfo::read(Path::new(&vsi));
        assert!(!layer.stderr.contains("ERROR"), "{}", layer.stderr);
        assert_eq!(layer.feature_count, 3);
    }
    assert_eq!(files_in(&dir), ["规划地块.zip"]);
    let _ = fs::remove_dir_all(&dir);
}
