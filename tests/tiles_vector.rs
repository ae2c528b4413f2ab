//! Vector tile basemaps (MVT in MBTiles and PMTiles), WebP tiles, and a base with an overlay
//! (issue 18). The vector tiles are made here by GDAL (`ogr2ogr -f MVT`, the oracle: the
//! program never links it) from GeoJSON written here, so that a feature's lon/lat is known;
//! the PMTiles archive holds the same tiles, copied by the program's writer.
// Tests may unwrap: a panic is the failure report.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use common::root;
use onemap::io::tiles::pmtiles::write_pmtiles;
use onemap::io::tiles::{
    Layered, OpenOptions, TileContent, TileSource, VectorStyle, load_tile, open_local, open_source,
};
use onemap::model::tile_basemap::{BasemapChoice, TileId, VectorPaint};

fn scratch(name: &str) -> PathBuf {
    common::scratch_dir("mvt", name)
}

/// Whether `ogr2ogr` is here; in CI its absence is a failure (`.ci/run` installs gdal-bin).
fn have_gdal() -> bool {
    common::oracle_installed("ogr2ogr", "--version", "gdal-bin")
}

fn ogr2ogr(args: &[&str]) {
    let out = Command::new("ogr2ogr").args(args).output().unwrap();
    assert!(
        out.status.success(),
        "ogr2ogr {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The lake's west edge, the motorway's latitude, and the town.
const LAKE: [f64; 4] = [121.05, 31.02, 121.15, 31.04];
const ROAD_LAT: f64 = 31.05;
const TOWN: (f64, f64) = (121.0, 31.0);

/// An MBTiles of vector tiles, zooms 9 to 13, with OpenMapTiles-shaped layers: `water` (a
/// lake), `transportation` (a motorway along a parallel) and `place` (a town). Made by:
///   ogr2ogr -f GPKG t.gpkg water.geojson -nln water   (and -update for the other two)
///   ogr2ogr -f MVT out.mbtiles t.gpkg -dsco MINZOOM=9 -dsco MAXZOOM=13
fn vector_mbtiles(dir: &Path) -> PathBuf {
    let [w, s, e, n] = LAKE;
    let layers = [
        (
            "water",
            format!(
                r#"{{"type":"Polygon","coordinates":[[[{w},{s}],[{e},{s}],[{e},{n}],[{w},{n}],[{w},{s}]]]}}"#
            ),
            r#"{"class":"lake"}"#.to_owned(),
        ),
        (
            "transportation",
            format!(
                r#"{{"type":"LineString","coordinates":[[120.9,{ROAD_LAT}],[121.3,{ROAD_LAT}]]}}"#
            ),
            r#"{"class":"motorway"}"#.to_owned(),
        ),
        (
            "place",
            format!(
                r#"{{"type":"Point","coordinates":[{},{}]}}"#,
                TOWN.0, TOWN.1
            ),
            r#"{"class":"town","name":"测试镇"}"#.to_owned(),
        ),
    ];
    let gpkg = dir.join("t.gpkg");
    for (i, (name, geometry, props)) in layers.iter().enumerate() {
        let f = dir.join(format!("{name}.geojson"));
        std::fs::write(
            &f,
            format!(
                r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{props},"geometry":{geometry}}}]}}"#
            ),
        )
        .unwrap();
        let mut args = vec!["-f", "GPKG", gpkg.to_str().unwrap(), f.to_str().unwrap()];
        args.extend(["-nln", name]);
        if i > 0 {
            args.push("-update");
        }
        ogr2ogr(&args);
    }
    let out = dir.join("vector.mbtiles");
    ogr2ogr(&[
        "-f",
        "MVT",
        out.to_str().unwrap(),
        gpkg.to_str().unwrap(),
        "-dsco",
        "MINZOOM=9",
        "-dsco",
        "MAXZOOM=13",
    ]);
    out
}

/// The same tiles as a PMTiles archive (rows from the south in MBTiles, from the north here).
fn to_pmtiles(mbtiles: &Path, out: &Path) {
    let db = rusqlite::Connection::open(mbtiles).unwrap();
    let mut q = db
        .prepare("SELECT zoom_level, tile_column, tile_row, tile_data FROM tiles")
        .unwrap();
    let tiles: Vec<(TileId, Vec<u8>)> = q
        .query_map([], |r| {
            let (z, x, row): (u8, u32, u32) = (r.get(0)?, r.get(1)?, r.get(2)?);
            let id = TileId {
                z,
                x,
                y: (1u32 << z) - 1 - row,
            };
            Ok((id, r.get(3)?))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect();
    write_pmtiles(out, &tiles, 1, r#"{"attribution":"vector test"}"#).unwrap();
}

/// A style in pure colours, so that the test can find each feature.
const TEST_STYLE: &str = r##"{
  "background": "#ffffff",
  "rules": [
    { "layers": ["water"], "fill": "#0000ff" },
    { "layers": ["transportation"], "classes": ["motorway"], "line": "#ff0000", "width": 5 },
    { "layers": ["place"], "label": "#000000", "size": 14 }
  ]
}"##;

/// Web Mercator, written out here apart from the program's: normalized x and y.
fn mercator(lon: f64, lat: f64) -> (f64, f64) {
    let x = (lon + 180.0) / 360.0;
    let y = (1.0 - lat.to_radians().tan().asinh() / std::f64::consts::PI) / 2.0;
    (x, y)
}

const W: u32 = 800;
const H: u32 = 600;

/// Where a lon/lat is in an 800 × 600 export of the view centred on 121.0, 31.0 at canvas
/// zoom 12 (a normalized unit is 256 · 2^12 pixels).
fn pixel(lon: f64, lat: f64) -> (f64, f64) {
    let scale = 256.0 * 2f64.powi(12);
    let (cx, cy) = mercator(121.0, 31.0);
    let (mx, my) = mercator(lon, lat);
    (
        f64::from(W) / 2.0 + (mx - cx) * scale,
        f64::from(H) / 2.0 + (my - cy) * scale,
    )
}

/// The default project with every layer hidden, looking at 121.0, 31.0 at canvas zoom 12.
fn project(dir: &Path) -> PathBuf {
    let mut project =
        onemap::io::load_project(&root().join("assets/projects/sma-2022.onemap")).unwrap();
    for g in project.settings.groups.values_mut() {
        g.visible = false;
    }
    let size = egui::vec2(W as f32, H as f32);
    project.view = Some(onemap::model::project::MapView {
        center: (121.0, 31.0),
        zoom: onemap::present::scene_zoom_from_canvas(12.0, size),
    });
    let path = dir.join("view.onemap");
    onemap::io::save_project(&path, &project).unwrap();
    path
}

fn export(project: &Path, basemap: &Path, out: &Path) -> String {
    common::export_on_basemap(project, basemap, out, [W, H])
}

fn read_png(path: &Path) -> image::RgbaImage {
    image::open(path).unwrap().to_rgba8()
}

fn is(img: &image::RgbaImage, x: u32, y: u32, rgb: [u8; 3]) -> bool {
    let p = img.get_pixel(x, y).0;
    (0..3).all(|c| p[c].abs_diff(rgb[c]) <= 24)
}

#[test]
fn vector_features_land_on_their_lon_lat_in_an_export_from_mbtiles_and_pmtiles() {
    if !have_gdal() {
        return;
    }
    let dir = scratch("align");
    let mbtiles = vector_mbtiles(&dir);
    // The style beside the tiles (NAME.style.json) is used when none is named.
    std::fs::write(dir.join("vector.style.json"), TEST_STYLE).unwrap();
    let pm = dir.join("vector.pmtiles");
    to_pmtiles(&mbtiles, &pm);
    let project = project(&dir);
    let from_mb = dir.join("mb.png");
    let err = export(&project, &mbtiles, &from_mb);
    assert!(!err.contains("could not be drawn"), "{err}");
    let img = read_png(&from_mb);

    // The lake's west edge: the first blue column along the lake's middle row.
    let (edge_x, mid_y) = pixel(LAKE[0], (LAKE[1] + LAKE[3]) / 2.0);
    let row = mid_y.round() as u32;
    let first_blue = (0..W).find(|&x| is(&img, x, row, [0, 0, 255])).unwrap();
    assert!(
        (f64::from(first_blue) - edge_x).abs() <= 1.0,
        "lake edge at column {first_blue}, expected {edge_x:.2}"
    );
    // Its north edge: the first blue row down the lake's middle column.
    let (mid_x, north_y) = pixel((LAKE[0] + LAKE[2]) / 2.0, LAKE[3]);
    let first_blue = (0..H)
        .find(|&y| is(&img, mid_x.round() as u32, y, [0, 0, 255]))
        .unwrap();
    assert!(
        (f64::from(first_blue) - north_y).abs() <= 1.0,
        "lake's north edge at row {first_blue}, expected {north_y:.2}"
    );
    // The motorway: the middle of its red band, 5 points wide, on its latitude.
    let (x, road_y) = pixel(121.1, ROAD_LAT);
    let red: Vec<u32> = (0..H)
        .filter(|&y| is(&img, x.round() as u32, y, [255, 0, 0]))
        .collect();
    assert!((4..=7).contains(&red.len()), "red rows {red:?}");
    let centre = red.iter().map(|&y| f64::from(y) + 0.5).sum::<f64>() / red.len() as f64;
    assert!(
        (centre - road_y).abs() <= 1.0,
        "motorway at row {centre:.2}, expected {road_y:.2}"
    );
    // The town's name is written about its point.
    let (tx, ty) = pixel(TOWN.0, TOWN.1);
    let dark = (-30..30)
        .flat_map(|dx| (-12..12).map(move |dy| (dx, dy)))
        .filter(|(dx, dy)| {
            let (x, y) = ((tx as i32 + dx) as u32, (ty as i32 + dy) as u32);
            img.get_pixel(x, y).0[..3].iter().all(|c| *c < 90)
        })
        .count();
    assert!(dark > 20, "no label at the town ({dark} dark pixels)");

    // The PMTiles archive of the same tiles draws the same picture.
    let from_pm = dir.join("pm.png");
    let err = export(&project, &pm, &from_pm);
    assert!(!err.contains("could not be drawn"), "{err}");
    // (Their attribution lines differ: the map's middle is compared.)
    let pm_img = read_png(&from_pm);
    let differ = (60..H - 60)
        .flat_map(|y| (0..W).map(move |x| (x, y)))
        .filter(|&(x, y)| img.get_pixel(x, y) != pm_img.get_pixel(x, y))
        .count();
    assert_eq!(differ, 0, "PMTiles and MBTiles draw alike");
}

/// The red band's middle row in column `x` of an image, in pixels.
fn red_band_centre(img: &image::RgbaImage, x: u32) -> f64 {
    let red: Vec<u32> = (0..img.height())
        .filter(|&y| is(img, x, y, [255, 0, 0]))
        .collect();
    assert!(!red.is_empty(), "no red in column {x}");
    red.iter().map(|&y| f64::from(y) + 0.5).sum::<f64>() / red.len() as f64
}

/// SVG and PDF draw each feature as a path of its own: features of one rule that overlap
/// (here the lake, in the buffers of two tiles) do not cancel out, and the road is where the
/// PNG has it (the PDF read back by pdftoppm at 96 dpi: one pixel a point).
#[test]
fn svg_and_pdf_exports_draw_the_vector_features() {
    if !have_gdal() {
        return;
    }
    let dir = scratch("vector-formats");
    let mbtiles = vector_mbtiles(&dir);
    std::fs::write(dir.join("vector.style.json"), TEST_STYLE).unwrap();
    let project = project(&dir);
    let svg = dir.join("v.svg");
    export(&project, &mbtiles, &svg);
    let text = std::fs::read_to_string(&svg).unwrap();
    roxmltree::Document::parse(&text).unwrap();
    assert!(text.contains(r##"fill="#0000ff""##) && text.contains(r##"fill="#ff0000""##));
    let pdf = dir.join("v.pdf");
    export(&project, &mbtiles, &pdf);
    let Ok(out) = Command::new("pdftoppm")
        .args(["-png", "-r", "96", "-singlefile"])
        .arg(&pdf)
        .arg(dir.join("page"))
        .output()
    else {
        assert!(
            std::env::var_os("CI").is_none(),
            "pdftoppm is missing in CI"
        );
        eprintln!("pdftoppm not installed (apt-get install poppler-utils); PDF not read back");
        return;
    };
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let page = read_png(&dir.join("page.png"));
    assert_eq!((page.width(), page.height()), (W, H));
    let (x, road_y) = pixel(121.1, ROAD_LAT);
    let centre = red_band_centre(&page, x.round() as u32);
    assert!(
        (centre - road_y).abs() <= 1.0,
        "road at {centre:.2}, expected {road_y:.2}"
    );
    // The whole lake is blue, across the tiles' edge (no hole where their buffers overlap).
    let (x0, y) = pixel(LAKE[0], (LAKE[1] + LAKE[3]) / 2.0);
    let (x1, _) = pixel(LAKE[2], LAKE[1]);
    let row = y.round() as u32;
    let last = (x1.floor() as u32 - 2).min(W - 1);
    let holes: Vec<u32> = (x0.ceil() as u32 + 2..=last)
        .filter(|&x| !is(&page, x, row, [0, 0, 255]))
        .collect();
    assert!(
        holes.is_empty(),
        "not blue in the lake at columns {holes:?}"
    );
}

#[test]
fn the_builtin_style_draws_openmaptiles_layers_and_a_named_style_replaces_it() {
    if !have_gdal() {
        return;
    }
    let dir = scratch("style");
    let mbtiles = vector_mbtiles(&dir);
    let source = open_local(&mbtiles).unwrap();
    assert_eq!(source.vector_style(), Some(&VectorStyle::builtin()));
    let (z, x, y) = (13u8, 6851u32, 3352u32);
    let id = TileId { z, x, y };
    let Some(TileContent::Vector(tile)) = load_tile(source.as_ref(), id).unwrap() else {
        panic!("tile {id:?} is a vector tile")
    };
    let has_fill = tile.paints.iter().any(|p| {
        matches!(p, VectorPaint::Fill { color, triangles, .. } if color[..3] == [0xaa, 0xd3, 0xdf] && !triangles.is_empty())
    });
    let has_line = tile
        .paints
        .iter()
        .any(|p| matches!(p, VectorPaint::Line { color, .. } if color[..3] == [0xe8, 0x88, 0x9a]));
    assert!(has_fill && has_line, "{:?}", tile.paints);

    // A style named in the choice: its colours, and a bad one is named with what is wrong.
    let style = dir.join("mine.json");
    std::fs::write(&style, TEST_STYLE).unwrap();
    let choice = |style: &Path| BasemapChoice::Local {
        path: mbtiles.display().to_string(),
        attribution: String::new(),
        style: style.display().to_string(),
    };
    let source = open_source(&choice(&style), &OpenOptions::default())
        .unwrap()
        .unwrap();
    assert_eq!(
        source.vector_style(),
        Some(&VectorStyle::parse(TEST_STYLE).unwrap())
    );
    std::fs::write(&style, r#"{"background":"blue","rules":[]}"#).unwrap();
    let e = open_source(&choice(&style), &OpenOptions::default())
        .err()
        .unwrap()
        .to_string();
    assert!(e.contains("mine.json") && e.contains("\"blue\""), "{e}");
}

#[test]
fn a_damaged_vector_tile_is_blank_with_a_message_and_no_panic() {
    let dir = scratch("bad");
    let tiles = vec![
        (
            TileId {
                z: 11,
                x: 1713,
                y: 838,
            },
            b"\x1a\x05hello".to_vec(),
        ),
        (
            TileId {
                z: 11,
                x: 1712,
                y: 838,
            },
            vec![0x1f, 0x8b, 8, 0, 1, 2, 3],
        ),
    ];
    let pm = dir.join("bad.pmtiles");
    write_pmtiles(&pm, &tiles, 1, "{}").unwrap();
    let source = open_local(&pm).unwrap();
    for (id, _) in &tiles {
        let e = load_tile(source.as_ref(), *id).unwrap_err().to_string();
        assert!(e.contains("vector tile") && e.contains("tile 11/"), "{e}");
    }
    let project = project(&dir);
    let out = dir.join("bad.png");
    let err = export(&project, &pm, &out);
    assert!(
        err.contains("could not be drawn") && err.contains("vector tile"),
        "{err}"
    );
    assert!(out.is_file());
}

fn png_of(img: &image::RgbaImage) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

#[test]
fn webp_tiles_are_decoded() {
    let dir = scratch("webp");
    let img = image::RgbaImage::from_fn(256, 256, |x, _| {
        image::Rgba(if x < 128 {
            [10, 120, 200, 255]
        } else {
            [250, 240, 10, 255]
        })
    });
    let mut webp = std::io::Cursor::new(Vec::new());
    img.write_to(&mut webp, image::ImageFormat::WebP).unwrap();
    let webp = webp.into_inner();
    assert_eq!(&webp[8..12], b"WEBP");
    let id = TileId { z: 3, x: 6, y: 3 };
    let pm = dir.join("webp.pmtiles");
    write_pmtiles(&pm, &[(id, webp.clone())], 4, "{}").unwrap();
    let folder = dir.join("xyz");
    std::fs::create_dir_all(folder.join("3/6")).unwrap();
    std::fs::write(folder.join("3/6/3.webp"), &webp).unwrap();
    for path in [&pm, &folder] {
        let source = open_local(path).unwrap();
        let Some(TileContent::Raster(tile)) = load_tile(source.as_ref(), id).unwrap() else {
            panic!("a raster tile from {path:?}")
        };
        assert_eq!((tile.width, tile.height), (256, 256));
        assert_eq!(
            tile.rgba,
            img.clone().into_raw(),
            "lossless WebP, same pixels"
        );
    }
}

#[test]
fn an_overlay_is_drawn_over_its_base_in_each_tile() {
    let dir = scratch("overlay");
    let id = TileId { z: 5, x: 26, y: 13 };
    let base = image::RgbaImage::from_pixel(256, 256, image::Rgba([0, 0, 200, 255]));
    // Annotation: transparent, with an opaque white label block in the top-left quarter.
    let over = image::RgbaImage::from_fn(256, 256, |x, y| {
        image::Rgba(if x < 128 && y < 128 {
            [255, 255, 255, 255]
        } else {
            [0, 0, 0, 0]
        })
    });
    let (b, o) = (dir.join("base.pmtiles"), dir.join("over.pmtiles"));
    write_pmtiles(&b, &[(id, png_of(&base))], 2, "{}").unwrap();
    write_pmtiles(&o, &[(id, png_of(&over))], 2, "{}").unwrap();
    let layered: Arc<dyn TileSource> = Arc::new(Layered::new(
        open_local(&b).unwrap(),
        open_local(&o).unwrap(),
    ));
    let Some(TileContent::Raster(tile)) = load_tile(layered.as_ref(), id).unwrap() else {
        panic!("a raster tile")
    };
    let at = |x: usize, y: usize| &tile.rgba[(y * 256 + x) * 4..(y * 256 + x) * 4 + 4];
    assert_eq!(at(10, 10), [255, 255, 255, 255]);
    assert_eq!(at(200, 200), [0, 0, 200, 255]);
    // Tianditu's layers with their annotation: a key is needed, and is never in the choice.
    let choice = BasemapChoice::Online(onemap::model::tile_basemap::OnlineSource::Tianditu(
        onemap::model::tile_basemap::TiandituLayer::ImageAnnotated,
    ));
    assert_eq!(choice.describe(), "Tianditu img + cia");
    let e = open_source(&choice, &OpenOptions::default()).err().unwrap();
    assert!(e.to_string().contains("key"), "{e}");
    let options = OpenOptions {
        tianditu_key: "k".into(),
        offline: true,
        ..Default::default()
    };
    let source = open_source(&choice, &options).unwrap().unwrap();
    assert!(source.overlay().is_some() && source.is_online().is_some());
}

/// The app's tile layer decodes vector tiles on its workers and hands the map their
/// triangles; the map draws them as meshes, with the style's background under them.
#[test]
fn the_apps_tile_layer_decodes_vector_tiles_in_the_background() {
    use onemap::app::tiles::BasemapTiles;
    use onemap::map::tiles::TileLook;
    if !have_gdal() {
        return;
    }
    let dir = scratch("app");
    let mbtiles = vector_mbtiles(&dir);
    let ctx = egui::Context::default();
    let mut tiles = BasemapTiles::default();
    let choice = BasemapChoice::Local {
        path: mbtiles.display().to_string(),
        attribution: String::new(),
        style: String::new(),
    };
    tiles.sync(&ctx, &choice, &OpenOptions::default());
    assert!(tiles.is_active(), "{:?}", tiles.note);
    let id = TileId {
        z: 13,
        x: 6851,
        y: 3352,
    };
    let mut got = None;
    for _ in 0..300 {
        got = tiles.textures().unwrap().tile(id, true);
        tiles.end_frame();
        if got.is_some() || tiles.failed() > 0 {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let Some(TileLook::Vector(tile)) = got else {
        panic!("a vector tile, got {got:?} ({:?})", tiles.note)
    };
    assert!(tile.vertex_count() > 0);
    assert_eq!(tiles.textures().unwrap().tile_pixels(), 512.0);
}
