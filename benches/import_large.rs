//! The import of the 1M-vertex layer through File › Import data…, as the user lives it,
//! headless (our UI and egui's tessellation, as `benches/frame.rs`): from the file chosen to
//! the layer shown, without the project's own opening before it and without the time the user
//! looks at the dialog. Two spans, and their sum measured in one go:
//!
//! - the dialog's read: the file chosen, read on a worker (the progress window and Cancel
//!   shown meanwhile), the dialog shown with what was found (format, encoding, CRS, preview);
//! - the click on Import to the layer shown: the import takes the dialog's read, the layer is
//!   added to the project (one undo step), and a map this large is shown from the map
//!   canvas's picture, which a worker draws after the layer is in the document (the frames
//!   before it say "Drawing big…"): the span ends at the first frame drawn from that picture;
//! - the file chosen to the layer shown: both, one after the other.
//!
//! The peer, in the same run: `ogr2ogr -f GPKG out.gpkg big.shp`, converting the same
//! Shapefile to a GeoPackage (issue 17's goal: import faster than that), when `ogr2ogr` is
//! installed. The files come from `../shared/tools/gen_large_geojson.py` converted by
//! `ogr2ogr` (to a Shapefile and a GeoPackage); give their folder in `ONEMAP_LARGE_DIR`
//! (default `/tmp`):
//!
//!     python3 gen_large_geojson.py /tmp/big.geojson
//!     ogr2ogr /tmp/big.shp /tmp/big.geojson
//!     ogr2ogr -f GPKG /tmp/big.gpkg /tmp/big.geojson
//!     cargo bench --bench import_large
//!
//! In test mode (`cargo test --all-targets`) each span runs once, when the files are there.

// A benchmark is a crate of its own, which clippy's allow-unwrap-in-tests (clippy.toml) does
// not cover outside #[test] functions: its helpers unwrap too, a panic being a failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use common::{dialog_open_on, dialog_read, import, large_file, project_open, shown};
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use onemap::app::install_fonts;

/// The same allocator as the `onemap` binary, so that the figure is what users get.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn import_large(c: &mut Criterion) {
    // The allocator set as the window's app sets it (freed memory given back at once): the
    // figures are what users get.
    onemap::memory::set_allocator_options();
    let ctx = egui::Context::default();
    install_fonts(&ctx);
    let project_dir = tempfile::tempdir().unwrap();
    let dir = project_dir.path();
    let mut group = c.benchmark_group("import 1M vertices");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(15));
    // The project is opened in each iteration's setup, outside the span measured.
    for name in ["big.shp", "big.gpkg"] {
        let Some(file) = large_file(name) else {
            continue;
        };
        group.bench_function(format!("{name}: the dialog's read"), |b| {
            b.iter_batched(
                || project_open(dir, &ctx),
                |app| dialog_read(&ctx, app, &file),
                BatchSize::PerIteration,
            )
        });
        group.bench_function(format!("{name}: click on Import to the layer shown"), |b| {
            b.iter_batched(
                || dialog_open_on(&file, dir, &ctx),
                |app| shown(&ctx, import(&ctx, app, "big").0),
                BatchSize::PerIteration,
            )
        });
        group.bench_function(format!("{name}: file chosen to the layer shown"), |b| {
            b.iter_batched(
                || project_open(dir, &ctx),
                |app| {
                    let app = dialog_read(&ctx, app, &file);
                    shown(&ctx, import(&ctx, app, "big").0)
                },
                BatchSize::PerIteration,
            )
        });
    }
    if let Some(shapefile) = large_file("big.shp")
        && ogr2ogr_present()
    {
        let out = dir.join("ogr2ogr-out.gpkg");
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
