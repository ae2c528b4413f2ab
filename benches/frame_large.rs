//! The CPU time of one frame of the app at 1920×1080 with a 1M-vertex layer shown (50,000
//! concave polygons of 20 vertices from `../shared/tools/gen_large_geojson.py`, a sketch layer
//! of the default project), at the whole layer's extent and zoomed in: our whole UI plus egui's
//! tessellation, as `benches/frame.rs` measures the default map. The bar is 8 ms.
//!
//! A large map's features are drawn from a picture rendered on a worker thread (the map's
//! canvas, `map::canvas`): before each still case, frames run until that picture shows the
//! view; "zooming every frame" and the pans measure the frames that show the last picture
//! moved and scaled, and "catching up" measures, from a zoom, frames until the new view's
//! picture shows (the worker's paint, tessellation and rasterization included).
//!
//! The layer is `target/bench/big.geojson` (as `benches/export_vs_qgis.py` writes it), made
//! with the generator when it is missing.

// A benchmark is a crate of its own, which clippy's allow-unwrap-in-tests (clippy.toml) does
// not cover outside #[test] functions: its helpers unwrap too, a panic being a failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

mod common;

use common::{input, one_frame};
use criterion::{Criterion, criterion_group, criterion_main};
use onemap::app::{AppData, OneMapApp, install_fonts};
use onemap::io::DataDir;
use onemap::map::CanvasUse;
use onemap::model::project::{SketchLayer, SketchSource};

/// The same allocator as the `onemap` binary, so that the figure is what users get.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The 1M-vertex layer, written by the shared generator when it is not there yet.
fn big_geojson() -> PathBuf {
    let dir = root().join("target/bench");
    let big = dir.join("big.geojson");
    if !big.exists() {
        std::fs::create_dir_all(&dir).unwrap();
        let generator = root().join("../shared/tools/gen_large_geojson.py");
        let status = std::process::Command::new("python3")
            .arg(&generator)
            .arg(&big)
            .status()
            .expect("python3 runs the generator");
        assert!(status.success(), "{} failed", generator.display());
    }
    big
}

/// The default project with the layer as a sketch layer, saved beside it.
fn project() -> PathBuf {
    let big = big_geojson();
    let data = AppData::load(&DataDir::at(root())).unwrap();
    let mut project = onemap::io::load_project(&data.dir.default_project()).unwrap();
    project.sketch_layers.insert(
        "big".into(),
        SketchLayer {
            name: "big".into(),
            source: SketchSource::Referenced("big.geojson".into()),
            visible: true,
            opacity: 1.0,
            choices: Default::default(),
            label_field: None,
        },
    );
    let path = big.with_file_name("big.onemap");
    onemap::io::save_project(&path, &project).unwrap();
    path
}

/// The longitude of the zoomed-in view at pan `step`: about 20 pixels east, then back.
fn east_and_back(step: u32) -> f64 {
    if step.is_multiple_of(2) {
        120.95
    } else {
        120.953
    }
}

/// Frames, as the app draws them while its canvas's worker renders, until the features are
/// drawn from the picture of the view; how long that took.
fn until_current(ctx: &egui::Context, app: &mut OneMapApp) -> std::time::Duration {
    let start = std::time::Instant::now();
    loop {
        one_frame(ctx, app);
        if app.last_draw.canvas == Some(CanvasUse::Current) {
            return start.elapsed();
        }
        assert!(
            start.elapsed().as_secs() < 300,
            "the canvas never caught up"
        );
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
}

/// Prints how many triangles egui is handed in a frame: what the GPU draws, and what egui
/// copies into its output every frame.
fn print_size(ctx: &egui::Context, app: &mut OneMapApp, case: &str) {
    let mut output = ctx.run_ui(input(), |ui| app.ui(ui));
    output.textures_delta.clear();
    let (mut vertices, mut indices) = (0, 0);
    for p in ctx.tessellate(output.shapes, output.pixels_per_point) {
        if let egui::epaint::Primitive::Mesh(m) = p.primitive {
            vertices += m.vertices.len();
            indices += m.indices.len();
        }
    }
    eprintln!("{case}: {vertices} vertices, {} triangles", indices / 3);
}

fn frame_large(c: &mut Criterion) {
    // The allocator set as the window's app sets it (freed memory given back at once): the
    // figures are what users get.
    onemap::memory::set_allocator_options();
    let path = project();
    let data = AppData::load(&DataDir::at(root())).expect("built-in data");
    let ctx = egui::Context::default();
    install_fonts(&ctx);
    let mut app = OneMapApp::new(data);
    app.open_at_start(&path);
    for _ in 0..5 {
        one_frame(&ctx, &mut app);
    }
    eprintln!(
        "whole layer: the first picture after {:.0} ms",
        until_current(&ctx, &mut app).as_secs_f64() * 1000.0
    );
    let drawn = |app: &OneMapApp| {
        app.last_draw
            .items_per_layer
            .get("sketch:big")
            .copied()
            .unwrap_or(0)
    };
    assert_eq!(drawn(&app), 50_000, "the whole layer is in view");
    print_size(&ctx, &mut app, "whole layer");
    let mut group = c.benchmark_group("frame with a 1M-vertex layer, 1920x1080");
    group.sample_size(10);
    group.bench_function("whole layer", |b| {
        b.iter(|| std::hint::black_box(one_frame(&ctx, &mut app)))
    });
    // The map moving under the user's hand: every frame a new view, painted from scratch.
    let whole = app.memory.zoom();
    let mut step = 0u32;
    group.bench_function("whole layer, zooming every frame", |b| {
        b.iter(|| {
            step += 1;
            let nudge = if step.is_multiple_of(2) { 0.0 } else { 0.01 };
            app.memory.set_zoom(whole + nudge).unwrap();
            std::hint::black_box(one_frame(&ctx, &mut app))
        })
    });
    // A zoom, then the map standing still: frames until the picture of the new view shows.
    group.bench_function("whole layer, catching up after a zoom", |b| {
        b.iter(|| {
            step += 1;
            let nudge = if step.is_multiple_of(2) { 0.0 } else { 0.01 };
            app.memory.set_zoom(whole + nudge).unwrap();
            std::hint::black_box(until_current(&ctx, &mut app))
        })
    });
    app.memory.set_zoom(whole).unwrap();
    until_current(&ctx, &mut app);
    // Zoomed in on the middle of the layer: a pixel is about 20 m.
    app.memory.center_at(walkers::lon_lat(120.95, 31.0));
    app.memory.set_zoom(13.0).unwrap();
    until_current(&ctx, &mut app);
    let zoomed = drawn(&app);
    assert!(
        (1..2_000).contains(&zoomed),
        "{zoomed} polygons in view zoomed in"
    );
    print_size(&ctx, &mut app, "zoomed in");
    group.bench_function("zoomed in (zoom 13)", |b| {
        b.iter(|| std::hint::black_box(one_frame(&ctx, &mut app)))
    });
    group.bench_function("zoomed in, catching up after a pan", |b| {
        b.iter(|| {
            step += 1;
            app.memory
                .center_at(walkers::lon_lat(east_and_back(step), 31.0));
            std::hint::black_box(until_current(&ctx, &mut app))
        })
    });
    app.memory.center_at(walkers::lon_lat(120.95, 31.0));
    until_current(&ctx, &mut app);
    group.bench_function("zoomed in, panning every frame", |b| {
        b.iter(|| {
            step += 1;
            app.memory
                .center_at(walkers::lon_lat(east_and_back(step), 31.0));
            std::hint::black_box(one_frame(&ctx, &mut app))
        })
    });
    // A pan that goes on in one direction, about 20 pixels a frame: the kept shapes are moved
    // while the pan stays within their margin, and painted again each time it leaves it.
    let mut lon = 120.95;
    group.bench_function("zoomed in, panning steadily east", |b| {
        b.iter(|| {
            lon += 0.003;
            if lon > 121.25 {
                lon = 120.95;
            }
            app.memory.center_at(walkers::lon_lat(lon, 31.0));
            std::hint::black_box(one_frame(&ctx, &mut app))
        })
    });
    group.finish();
}

criterion_group!(benches, frame_large);
criterion_main!(benches);
