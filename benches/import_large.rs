//! The import of the 1M-vertex layer through File › Import data…, as the user lives it: from
//! the click on the dialog's Import button to the frame that shows the layer, headless (our UI
//! and egui's tessellation, as `benches/frame.rs`). A map this large is shown from the map
//! canvas's picture, which a worker draws after the layer is in the document (the frames
//! before it say "Drawing big…"): the span ends at the first frame drawn from that picture. The dialog has read the file for its
//! preview before the click, as it has when the user sees the button; that read is timed on
//! its own. The bar is 2 s for the import.
//!
//! The files come from `../shared/tools/gen_large_geojson.py` converted by `ogr2ogr` (to a
//! Shapefile and a GeoPackage); give their folder in `ONEMAP_LARGE_DIR` (default `/tmp`):
//!
//!     python3 gen_large_geojson.py /tmp/big.geojson
//!     ogr2ogr /tmp/big.shp /tmp/big.geojson
//!     ogr2ogr -f GPKG /tmp/big.gpkg /tmp/big.geojson
//!     cargo bench --bench import_large
//!
//! Each variant is measured twice in one run: with the dialog's read taken by the import
//! (the file read once), and with it dropped before the click (read again, as before).
//! The peer, in the same run: `ogr2ogr -f GPKG` converting the same Shapefile to a
//! GeoPackage (the goal: import faster than that), when `ogr2ogr` is installed.

// A benchmark is a crate of its own, which clippy's allow-unwrap-in-tests (clippy.toml) does
// not cover outside #[test] functions: its helpers unwrap too, a panic being a failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use common::{dialog_open_on, import, large_file};
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use onemap::app::install_fonts;

/// The same allocator as the `onemap` binary, so that the figure is what users get.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn import_large(c: &mut Criterion) {
    let ctx = egui::Context::default();
    install_fonts(&ctx);
    let project_dir = tempfile::tempdir().unwrap();
    let mut group = c.benchmark_group("import 1M vertices, click to shown");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(30));
    for name in ["big.shp", "big.gpkg"] {
        let Some(file) = large_file(name) else {
            continue;
        };
        group.bench_function(format!("{name}, dialog's read reused"), |b| {
            b.iter_batched(
                || dialog_open_on(&file, project_dir.path(), &ctx),
                |app| shown(&ctx, import(&ctx, app, "big").0),
                BatchSize::PerIteration,
            )
        });
        group.bench_function(format!("{name}, read again"), |b| {
            b.iter_batched(
                || {
                    let mut app = dialog_open_on(&file, project_dir.path(), &ctx);
                    app.files.data_preview = None;
                    app
                },
                |app| shown(&ctx, import(&ctx, app, "big").0),
                BatchSize::PerIteration,
            )
        });
        group.bench_function(
            format!("{name}, project opened and the dialog's read"),
            |b| {
                b.iter_batched(
                    || (),
                    |()| dialog_open_on(&file, project_dir.path(), &ctx),
                    BatchSize::PerIteration,
                )
            },
        );
    }
    if let Some(shapefile) = large_file("big.shp")
        && ogr2ogr_present()
    {
        let out = project_dir.path().join("ogr2ogr-out.gpkg");
        group.bench_function("ogr2ogr big.shp to GeoPackage (peer)", |b| {
            b.iter(|| {
                let _ = std::fs::remove_file(&out);
                let status = std::process::Command::new("ogr2ogr")
                    .args(["-f", "GPKG"])
                    .arg(&out)
                    .arg(&shapefile)
                    .status()
                    .unwrap();
                assert!(status.success(), "ogr2ogr failed");
            })
        });
    }
    group.finish();
}

/// Frames until the map shows the layer from the canvas's picture of this view.
fn shown(ctx: &egui::Context, mut app: onemap::app::OneMapApp) -> onemap::app::OneMapApp {
    common::wait(ctx, &mut app, |app| {
        app.last_draw.canvas == Some(onemap::map::CanvasUse::Current)
    });
    app
}

/// Whether GDAL's `ogr2ogr` can be run (the peer is left out when it cannot).
fn ogr2ogr_present() -> bool {
    let found = std::process::Command::new("ogr2ogr")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        eprintln!("skipped the peer: ogr2ogr is not installed");
    }
    found
}

criterion_group!(benches, import_large);
criterion_main!(benches);
