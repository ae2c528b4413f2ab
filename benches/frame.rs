//! The CPU time of one frame of the default map at 1920×1080: our whole UI (panels, map,
//! labels, legend) plus egui's tessellation into triangles, headless. The GPU upload and
//! drawing are not included: they depend on the driver, not on our code.

// A benchmark is a crate of its own, which clippy's allow-unwrap-in-tests (clippy.toml) does
// not cover outside #[test] functions: its helpers unwrap too, a panic being a failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::one_frame;
use criterion::{Criterion, criterion_group, criterion_main};
use onemap::app::{AppData, OneMapApp, install_fonts};
use onemap::io::DataDir;

/// The same allocator as the `onemap` binary, so that the figure is what users get.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn default_map_frame(c: &mut Criterion) {
    let data = AppData::load(&DataDir::at(env!("CARGO_MANIFEST_DIR"))).expect("built-in data");
    let ctx = egui::Context::default();
    install_fonts(&ctx);
    let mut app = OneMapApp::new(data);
    // Settle: fonts load, the map fits the plan area, text layouts are cached.
    for _ in 0..5 {
        one_frame(&ctx, &mut app);
    }
    assert!(
        app.last_draw.items_per_layer.len() > 8,
        "the map draws all layers"
    );
    c.bench_function("default map frame 1920x1080 (ui + tessellation)", |b| {
        b.iter(|| std::hint::black_box(one_frame(&ctx, &mut app)))
    });
}

criterion_group!(benches, default_map_frame);
criterion_main!(benches);
