//! A pan frame of the default map at 1920×1080 over a local PMTiles basemap whose tiles are
//! all loaded, beside the same pan frame over the built-in basemap: our whole UI plus egui's
//! tessellation, headless (as `frame`). The archive is made here: solid 256 px PNG tiles over
//! the plan region for zooms 5 to 10.

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

fn settled_app(ctx: &egui::Context, basemap: BasemapChoice) -> OneMapApp {
    let data = AppData::load(&DataDir::at(env!("CARGO_MANIFEST_DIR"))).expect("built-in data");
    let mut app = OneMapApp::new(data);
    app.doc.project.settings.basemap = basemap;
    for _ in 0..5 {
        one_frame(ctx, &mut app);
    }
    // Every tile in view loaded (the workers read them off this thread).
    for _ in 0..500 {
        one_frame(ctx, &mut app);
        if app.tiles.loading() == 0 {
            break;
        }
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
}

criterion_group!(benches, frames);
criterion_main!(benches);
