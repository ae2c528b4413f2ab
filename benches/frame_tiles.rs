//! A pan frame of the default map at 1920×1080 over a local PMTiles basemap whose tiles are
//! all loaded, beside the same pan frame over the built-in basemap: our whole UI plus egui's
//! tessellation, headless (as `frame`). The archive is made here: solid 256 px PNG tiles over
//! the plan region for zooms 5 to 10.
//!
//! Then a pan frame at zoom 14 over Shanghai, over raster tiles and over vector tiles (MVT)
//! as dense as a city's (zoom 13 tiles, drawn 512 px wide; about 7,000 vertices a tile: 400 buildings, 60 roads of
//! 40 points, land use, water and ten names), made here by a small MVT writer.

// A benchmark is a crate of its own, which clippy's allow-unwrap-in-tests (clippy.toml) does
// not cover outside #[test] functions: its helpers unwrap too, a panic being a failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::one_frame;
use criterion::{Criterion, criterion_group, criterion_main};
use onemap::app::{AppData, OneMapApp, install_fonts};
use onemap::io::DataDir;
use onemap::io::tiles::pmtiles::write_pmtiles;
use onemap::model::tile_basemap::{BasemapChoice, TileId};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn tile_png(z: u8, x: u32, y: u32) -> Vec<u8> {
    let shade = 200 + ((x + y + u32::from(z)) % 40) as u8;
    let img = image::RgbaImage::from_pixel(256, 256, image::Rgba([shade, shade, 230, 255]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// Tiles over lon 116..126, lat 27..36 for zooms 5 to 10.
fn archive(path: &std::path::Path) {
    let mut tiles = Vec::new();
    for z in 5..=10u8 {
        let n = f64::from(1u32 << z);
        let tx = |lon: f64| ((lon + 180.0) / 360.0 * n) as u32;
        let ty = |lat: f64| {
            ((1.0 - f64::to_radians(lat).tan().asinh() / std::f64::consts::PI) / 2.0 * n) as u32
        };
        for x in tx(116.0)..=tx(126.0) {
            for y in ty(36.0)..=ty(27.0) {
                tiles.push((TileId { z, x, y }, tile_png(z, x, y)));
            }
        }
    }
    write_pmtiles(path, &tiles, 2, r#"{"attribution":"bench"}"#).unwrap();
}

// --- A minimal MVT writer (protobuf by hand), for synthetic tiles ---------------------------

fn varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8 & 0x7f) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn field_bytes(out: &mut Vec<u8>, field: u64, data: &[u8]) {
    varint(out, field << 3 | 2);
    varint(out, data.len() as u64);
    out.extend_from_slice(data);
}

fn field_varint(out: &mut Vec<u8>, field: u64, v: u64) {
    varint(out, field << 3);
    varint(out, v);
}

fn zigzag(n: i32) -> u64 {
    u64::from(((n << 1) ^ (n >> 31)) as u32)
}

/// Geometry commands of one path: MoveTo, LineTo the rest, and ClosePath for a ring.
fn path(points: &[(i32, i32)], close: bool) -> Vec<u64> {
    let mut cmds = vec![1 | 1 << 3];
    let (mut cx, mut cy) = (0, 0);
    for (i, &(x, y)) in points.iter().enumerate() {
        if i == 1 {
            cmds.push(2 | ((points.len() as u64 - 1) << 3));
        }
        cmds.extend([zigzag(x - cx), zigzag(y - cy)]);
        (cx, cy) = (x, y);
    }
    if close {
        cmds.push(7 | 1 << 3);
    }
    cmds
}

/// One layer: features of a geometry type (1 point, 2 line, 3 polygon) with a class or a name.
fn layer(name: &str, kind: u64, features: &[(Vec<u64>, String)], key: &str) -> Vec<u8> {
    let mut l = Vec::new();
    field_varint(&mut l, 15, 2);
    field_bytes(&mut l, 1, name.as_bytes());
    let mut values: Vec<String> = Vec::new();
    for (geometry, value) in features {
        let at = values.iter().position(|v| v == value).unwrap_or_else(|| {
            values.push(value.clone());
            values.len() - 1
        });
        let mut f = Vec::new();
        let mut tags = Vec::new();
        varint(&mut tags, 0);
        varint(&mut tags, at as u64);
        field_bytes(&mut f, 2, &tags);
        field_varint(&mut f, 3, kind);
        let mut g = Vec::new();
        for c in geometry {
            varint(&mut g, *c);
        }
        field_bytes(&mut f, 4, &g);
        field_bytes(&mut l, 2, &f);
    }
    field_bytes(&mut l, 3, key.as_bytes());
    for v in values {
        let mut value = Vec::new();
        field_bytes(&mut value, 1, v.as_bytes());
        field_bytes(&mut l, 4, &value);
    }
    field_varint(&mut l, 5, 4096);
    l
}

/// A dense city tile: water, land use, 400 buildings, 60 roads of 40 points, ten names.
fn dense_tile(seed: u32) -> Vec<u8> {
    let ring = |cx: f64, cy: f64, r: f64, n: usize| -> Vec<(i32, i32)> {
        (0..n)
            .map(|i| {
                let a = i as f64 / n as f64 * std::f64::consts::TAU;
                let wobble = 1.0 + 0.1 * (a * 7.0).sin();
                (
                    (cx + r * wobble * a.cos()) as i32,
                    (cy - r * wobble * a.sin()) as i32,
                )
            })
            .collect()
    };
    let water = vec![(path(&ring(1000.0, 3000.0, 700.0, 200), true), "lake".into())];
    let landuse: Vec<_> = (0..4)
        .map(|i| {
            let c = 800.0 + 800.0 * f64::from(i);
            (
                path(&ring(c, 1000.0, 350.0, 60), true),
                "residential".into(),
            )
        })
        .collect();
    let buildings: Vec<_> = (0..400)
        .map(|i: i32| {
            let (x, y) = (100 + (i % 20) * 190, 100 + (i / 20) * 190);
            let r = vec![(x, y), (x, y + 90), (x + 120, y + 90), (x + 120, y)];
            (path(&r, true), "building".into())
        })
        .collect();
    let classes = ["minor", "secondary", "primary", "motorway"];
    let roads: Vec<_> = (0..60)
        .map(|i: i32| {
            let pts: Vec<(i32, i32)> = (0..40)
                .map(|k: i32| {
                    let t = k * 4096 / 39;
                    let bend = ((k + i + seed as i32) % 5) * 12;
                    if i % 2 == 0 {
                        (t, 60 + (i / 2) * 135 + bend)
                    } else {
                        (60 + (i / 2) * 135 + bend, t)
                    }
                })
                .collect();
            (path(&pts, false), classes[(i % 4) as usize].into())
        })
        .collect();
    let places: Vec<_> = (0..10)
        .map(|i: i32| {
            let p = (300 + i * 380, 300 + (i % 3) * 1200);
            (path(&[p], false), format!("镇{seed}-{i}"))
        })
        .collect();
    let mut tile = Vec::new();
    for l in [
        layer("water", 3, &water, "class"),
        layer("landuse", 3, &landuse, "class"),
        layer("building", 3, &buildings, "class"),
        layer("transportation", 2, &roads, "class"),
        layer("place", 1, &places, "name"),
    ] {
        field_bytes(&mut tile, 3, &l);
    }
    tile
}

/// Tiles of zoom `z` within `rx` columns and `ry` rows of the one holding lon/lat.
fn around(lon: f64, lat: f64, z: u8, rx: i64, ry: i64) -> Vec<TileId> {
    let n = f64::from(1u32 << z);
    let x = ((lon + 180.0) / 360.0 * n) as i64;
    let y = ((1.0 - f64::to_radians(lat).tan().asinh() / std::f64::consts::PI) / 2.0 * n) as i64;
    (y - ry..=y + ry)
        .flat_map(|y| {
            (x - rx..=x + rx).map(move |x| TileId {
                z,
                x: x as u32,
                y: y as u32,
            })
        })
        .collect()
}

const CITY: (f64, f64) = (121.47, 31.23);

fn city_archives(raster: &std::path::Path, vector: &std::path::Path) {
    let tiles: Vec<_> = around(CITY.0, CITY.1, 14, 6, 4)
        .into_iter()
        .map(|t| (t, tile_png(t.z, t.x, t.y)))
        .collect();
    write_pmtiles(raster, &tiles, 2, r#"{"attribution":"bench"}"#).unwrap();
    let tiles: Vec<_> = around(CITY.0, CITY.1, 13, 4, 3)
        .into_iter()
        .map(|t| (t, dense_tile(t.x + t.y)))
        .collect();
    write_pmtiles(vector, &tiles, 1, r#"{"attribution":"bench"}"#).unwrap();
}

fn settled_app(ctx: &egui::Context, basemap: BasemapChoice) -> OneMapApp {
    settled_app_at(ctx, basemap, None)
}

fn settled_app_at(
    ctx: &egui::Context,
    basemap: BasemapChoice,
    city: Option<(f64, f64)>,
) -> OneMapApp {
    let data = AppData::load(&DataDir::at(env!("CARGO_MANIFEST_DIR"))).expect("built-in data");
    let mut app = OneMapApp::new(data);
    app.doc.project.settings.basemap = basemap;
    if let Some((lon, lat)) = city {
        one_frame(ctx, &mut app);
        app.memory.center_at(walkers::lon_lat(lon, lat));
        app.memory.set_zoom(14.0).unwrap();
    }
    for _ in 0..5 {
        one_frame(ctx, &mut app);
    }
    // Every tile in view loaded (the workers read them off this thread). A worker's last
    // tile leaves the queue before a frame takes it in, so settled means two frames in a
    // row with nothing queued and the same tiles.
    let mut before = None;
    for _ in 0..500 {
        one_frame(ctx, &mut app);
        let now = (app.tiles.loading(), app.tiles.loaded());
        if now.0 == 0 && before == Some(now) {
            break;
        }
        before = Some(now);
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert_eq!(app.tiles.loading(), 0, "the tiles in view loaded");
    assert!(app.tiles.note.is_none(), "{:?}", app.tiles.note);
    app
}

/// One frame after a pan of a few pixels, back and forth.
fn pan_frames(c: &mut Criterion, name: &str, ctx: &egui::Context, app: &mut OneMapApp) {
    let centre = app
        .memory
        .detached()
        .unwrap_or(walkers::lon_lat(121.0, 31.0));
    let step = 0.002;
    let mut east = false;
    c.bench_function(name, |b| {
        b.iter(|| {
            east = !east;
            let dx = if east { step } else { 0.0 };
            app.memory
                .center_at(walkers::lon_lat(centre.x() + dx, centre.y()));
            std::hint::black_box(one_frame(ctx, app))
        })
    });
}

fn frames(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bench.pmtiles");
    archive(&path);
    let ctx = egui::Context::default();
    install_fonts(&ctx);
    let mut builtin = settled_app(&ctx, BasemapChoice::Builtin);
    pan_frames(c, "pan frame, built-in basemap", &ctx, &mut builtin);
    let ctx = egui::Context::default();
    install_fonts(&ctx);
    let local = BasemapChoice::Local {
        path: path.display().to_string(),
        attribution: String::new(),
        style: String::new(),
    };
    let mut tiled = settled_app(&ctx, local);
    assert!(tiled.tiles.is_active());
    pan_frames(c, "pan frame, PMTiles basemap cached", &ctx, &mut tiled);
    drop(tiled);

    let (raster, vector) = (
        dir.path().join("city.pmtiles"),
        dir.path().join("city-mvt.pmtiles"),
    );
    city_archives(&raster, &vector);
    for (name, path) in [
        ("pan frame at zoom 14, raster PMTiles cached", raster),
        ("pan frame at zoom 14, vector PMTiles cached", vector),
    ] {
        let ctx = egui::Context::default();
        install_fonts(&ctx);
        let choice = BasemapChoice::Local {
            path: path.display().to_string(),
            attribution: String::new(),
            style: String::new(),
        };
        let mut app = settled_app_at(&ctx, choice, Some(CITY));
        assert!(
            app.tiles.loaded() >= 12,
            "{} tiles loaded",
            app.tiles.loaded()
        );
        pan_frames(c, name, &ctx, &mut app);
    }
}

criterion_group!(benches, frames);
criterion_main!(benches);
