//! Tile basemaps in the PDF, the map book and the print layout (issues 18 and 19 together):
//! the tiles are drawn under the map on every page, where they belong (a cross drawn into the
//! tiles at a known lon/lat is found on its pixel of the PDF, rasterized by pdftoppm), a bad
//! tile file is named once for the whole book, and a book needing tiles neither cached nor
//! allowed from the network is refused with exit 2 and no file. Needs poppler-utils for the
//! rasterizing checks (`.ci/run` installs it; in CI its absence is a failure).
// Tests may unwrap: a panic is the failure report.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{onemap, root};
use onemap::io::tiles::pmtiles::write_pmtiles;
use onemap::model::tile_basemap::TileId;

fn scratch(name: &str) -> PathBuf {
    common::scratch_dir("tiles-print", name)
}

/// Whether poppler-utils is installed; outside CI a missing poppler skips the check.
fn poppler() -> bool {
    common::oracle_installed("pdftoppm", "-v", "poppler-utils")
}

/// Page `page` of a PDF rasterized at 96 dpi (a pixel a point of the export).
fn rasterize(pdf: &Path, page: usize) -> image::RgbaImage {
    let stem = pdf.file_stem().unwrap().to_str().unwrap();
    let prefix = pdf.with_file_name(format!("{stem}-page{page}"));
    let page = page.to_string();
    let out = Command::new("pdftoppm")
        .args(["-png", "-r", "96", "-f", &page, "-l", &page, "-singlefile"])
        .arg(pdf)
        .arg(&prefix)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    image::open(prefix.with_extension("png"))
        .unwrap()
        .to_rgba8()
}

/// A 256 px PNG tile of one colour.
fn png(rgb: [u8; 3]) -> Vec<u8> {
    let img = image::RgbaImage::from_pixel(256, 256, image::Rgba([rgb[0], rgb[1], rgb[2], 255]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

const GREEN: [u8; 3] = [0, 160, 0];

/// A PMTiles file of green tiles covering the world at zooms 0 to 4.
fn green_pmtiles(dir: &Path) -> PathBuf {
    let tile = png(GREEN);
    let tiles: Vec<_> = (0..=4u8)
        .flat_map(|z| {
            let n = 1u32 << z;
            let tile = tile.clone();
            (0..n).flat_map(move |x| {
                let tile = tile.clone();
                (0..n).map(move |y| (TileId { z, x, y }, tile.clone()))
            })
        })
        .collect();
    let path = dir.join("green.pmtiles");
    write_pmtiles(&path, &tiles, 2, r#"{"attribution":"green test"}"#).unwrap();
    path
}

/// The share of an image's pixels that are the tiles' green (give or take the rasterizer).
fn green_share(img: &image::RgbaImage) -> f64 {
    let near = |a: u8, b: u8| a.abs_diff(b) <= 6;
    let green = img
        .pixels()
        .filter(|p| near(p.0[0], GREEN[0]) && near(p.0[1], GREEN[1]) && near(p.0[2], GREEN[2]))
        .count();
    green as f64 / f64::from(img.width() * img.height())
}

/// The share of pixels of two images of one size that differ by more than 64 in a channel.
fn changed_share(a: &image::RgbaImage, b: &image::RgbaImage) -> f64 {
    assert_eq!(a.dimensions(), b.dimensions());
    let changed = a
        .pixels()
        .zip(b.pixels())
        .filter(|(p, q)| p.0.iter().zip(q.0).any(|(x, y)| x.abs_diff(y) > 64))
        .count();
    changed as f64 / f64::from(a.width() * a.height())
}

/// Web Mercator, written out here apart from the program's: normalized x and y.
fn mercator(lon: f64, lat: f64) -> (f64, f64) {
    let x = (lon + 180.0) / 360.0;
    let y = (1.0 - lat.to_radians().tan().asinh() / std::f64::consts::PI) / 2.0;
    (x, y)
}

const CROSS: (f64, f64) = (121.1, 31.05);

/// Tiles of zoom `z` around the cross, white, with a magenta cross drawn at its lon/lat.
fn cross_tiles(z: u8) -> Vec<(TileId, Vec<u8>)> {
    let n = f64::from(1u32 << z);
    let (mx, my) = mercator(CROSS.0, CROSS.1);
    let (px, py) = (mx * n * 256.0, my * n * 256.0);
    let (tx, ty) = ((px / 256.0) as u32, (py / 256.0) as u32);
    let (col, row) = (px.floor() as i64, py.floor() as i64);
    let mut out = Vec::new();
    for y in ty - 3..=ty + 3 {
        for x in tx - 4..=tx + 4 {
            let mut img = image::RgbaImage::from_pixel(256, 256, image::Rgba([255, 255, 255, 255]));
            for j in 0..256i64 {
                for i in 0..256i64 {
                    let (gx, gy) = (i64::from(x) * 256 + i, i64::from(y) * 256 + j);
                    let on_v = (gx - col).abs() <= 1 && (gy - row).abs() < 40;
                    let on_h = (gy - row).abs() <= 1 && (gx - col).abs() < 40;
                    if on_v || on_h {
                        img.put_pixel(i as u32, j as u32, image::Rgba([255, 0, 255, 255]));
                    }
                }
            }
            let mut bytes = std::io::Cursor::new(Vec::new());
            img.write_to(&mut bytes, image::ImageFormat::Png).unwrap();
            out.push((TileId { z, x, y }, bytes.into_inner()));
        }
    }
    out
}

/// The default project with every layer hidden, looking at (121.0, 31.0) at canvas zoom 12.
fn cross_project(dir: &Path, size: egui::Vec2) -> PathBuf {
    let mut project =
        onemap::io::load_project(&root().join("assets/projects/sma-2022.onemap")).unwrap();
    for g in project.settings.groups.values_mut() {
        g.visible = false;
    }
    project.view = Some(onemap::model::project::MapView {
        center: (121.0, 31.0),
        zoom: onemap::present::scene_zoom_from_canvas(12.0, size),
    });
    let path = dir.join("cross.onemap");
    onemap::io::save_project(&path, &project).unwrap();
    path
}

/// Where the cross is in an image, to a fraction of a pixel: the magenta-weighted mean
/// column of its vertical arm and row of its horizontal arm (pixel centres at +0.5), each arm
/// read away from where they meet. `near` is a first guess within a few pixels.
fn find_cross(img: &image::RgbaImage, near: (f64, f64)) -> (f64, f64) {
    let weight = |x: i64, y: i64| {
        let p = img.get_pixel(x as u32, y as u32).0;
        f64::from(255 - p[1]) / 255.0 * f64::from(p[0].min(p[2]) > 150)
    };
    let (nx, ny) = (near.0 as i64, near.1 as i64);
    let (mut sx, mut wx, mut sy, mut wy) = (0.0, 0.0, 0.0, 0.0);
    for d in 8..30 {
        for side in [-1, 1] {
            for k in -6..=6 {
                let w = weight(nx + k, ny + side * d);
                sx += w * ((nx + k) as f64 + 0.5);
                wx += w;
                let w = weight(nx + side * d, ny + k);
                sy += w * ((ny + k) as f64 + 0.5);
                wy += w;
            }
        }
    }
    assert!(wx > 20.0 && wy > 20.0, "no cross near {near:?}");
    (sx / wx, sy / wy)
}

#[test]
fn a_cross_in_the_tiles_lands_on_its_pixel_of_the_pdf() {
    let dir = scratch("cross");
    let (w, h) = (800u32, 600u32);
    let project = cross_project(&dir, egui::vec2(w as f32, h as f32));
    let tiles: Vec<_> = (11..=13).flat_map(cross_tiles).collect();
    let pm = dir.join("cross.pmtiles");
    write_pmtiles(&pm, &tiles, 2, r#"{"attribution":"cross test"}"#).unwrap();
    let out = dir.join("cross.pdf");
    common::export_on_basemap(&project, &pm, &out, [w, h]);
    let pdf = std::fs::read(&out).unwrap();
    assert!(
        pdf.windows(13)
            .any(|b| b == b"/Subtype /Ima" || b == b"/Subtype/Imag"),
        "the tiles are images in the PDF"
    );
    if !poppler() {
        return;
    }
    let scale = 256.0 * 2f64.powi(12);
    let (cx, cy) = mercator(121.0, 31.0);
    let (mx, my) = mercator(CROSS.0, CROSS.1);
    let expected = (
        f64::from(w) / 2.0 + (mx - cx) * scale,
        f64::from(h) / 2.0 + (my - cy) * scale,
    );
    let page = rasterize(&out, 1);
    assert_eq!((page.width(), page.height()), (w, h));
    let (x, y) = find_cross(&page, expected);
    assert!(
        (x - expected.0).abs() <= 1.0 && (y - expected.1).abs() <= 1.0,
        "cross at ({x:.2}, {y:.2}), expected ({:.2}, {:.2})",
        expected.0,
        expected.1
    );
}

#[test]
fn the_map_book_and_the_print_sheet_draw_the_tiles_of_basemap() {
    let dir = scratch("book");
    let pm = green_pmtiles(&dir);
    let project = root().join("assets/projects/sma-2022.onemap");
    let book = dir.join("book.pdf");
    let builtin = dir.join("builtin.pdf");
    let sheet = dir.join("sheet.pdf");
    let green = pm.to_str().unwrap();
    for (out, extra) in [
        (&book, &["--all-scenes", "--basemap", green][..]),
        (&builtin, &["--all-scenes"][..]),
        (
            &sheet,
            &["--paper", "a4", "--dpi", "96", "--basemap", green][..],
        ),
    ] {
        let mut args = vec![
            "export",
            project.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        let (code, stdout, err) = onemap(&args);
        assert_eq!(code, 0, "{stdout}{err}");
    }
    if !poppler() {
        return;
    }
    let scenes = onemap::io::load_project(&project).unwrap().scenes.len();
    assert!(scenes >= 2);
    // Page 1 is the cover (no map): the same; every scene's page has the tiles under its
    // map in place of the built-in basemap: much of it differs (the plan's half-transparent
    // areas change the tiles' green, so green alone is not counted). Measured: 80 to 90 %.
    assert_eq!(
        changed_share(&rasterize(&book, 1), &rasterize(&builtin, 1)),
        0.0
    );
    for page in 2..=scenes + 1 {
        let changed = changed_share(&rasterize(&book, page), &rasterize(&builtin, page));
        eprintln!("page {page}: {changed:.3} changed by the tiles");
        assert!(
            changed > 0.2,
            "page {page}: {changed:.3} changed by the tiles"
        );
    }
    let share = green_share(&rasterize(&sheet, 1));
    assert!(share > 0.05, "the print sheet: {share:.3} green");
}

#[test]
fn a_bad_tile_file_is_named_once_for_the_whole_book() {
    let dir = scratch("bad");
    let truncated = dir.join("cut.pmtiles");
    write_pmtiles(
        &truncated,
        &[(TileId { z: 0, x: 0, y: 0 }, png(GREEN))],
        2,
        "{}",
    )
    .unwrap();
    let bytes = std::fs::read(&truncated).unwrap();
    std::fs::write(&truncated, &bytes[..130]).unwrap();
    let project = root().join("assets/projects/sma-2022.onemap");
    let out = dir.join("book.pdf");
    let (code, stdout, err) = onemap(&[
        "export",
        project.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--all-scenes",
        "--width",
        "320",
        "--height",
        "180",
        "--basemap",
        truncated.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stdout}{err}");
    assert_eq!(err.matches("cut.pmtiles").count(), 1, "{err}");
    assert!(err.contains("built-in basemap"), "{err}");
    assert!(out.exists());
}

#[test]
fn a_book_needing_uncached_online_tiles_exits_2_and_writes_nothing() {
    let dir = scratch("offline");
    let project = root().join("assets/projects/sma-2022.onemap");
    // Never asked: offline, the export reads only the (empty) cache.
    let template = "http://127.0.0.1:9/{z}/{x}/{y}.png";
    for (name, extra) in [
        ("book.pdf", &["--all-scenes"][..]),
        ("sheet.pdf", &["--paper", "a4", "--dpi", "96"][..]),
        ("slide.svg", &[][..]),
    ] {
        let out = dir.join(name);
        let o = Command::new(env!("CARGO_BIN_EXE_onemap"))
            .arg("export")
            .arg(&project)
            .arg("--out")
            .arg(&out)
            .args(extra)
            .args(["--basemap", template, "--data"])
            .arg(root())
            .env("ONEMAP_CACHE_DIR", dir.join("cache"))
            .env("ONEMAP_CONFIG_DIR", dir.join("config"))
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{name}: {err}");
        assert!(err.contains("--allow-network"), "{name}: {err}");
        assert!(!out.exists(), "{name}: nothing written");
    }
}
