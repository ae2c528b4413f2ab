//! One import through File › Import data…, headless, as `benches/import_large.rs` times it,
//! for the peak memory (run it under `/usr/bin/time -v`) and a quick look at the times:
//!
//!     cargo run --release --example import_large -- /tmp/big.shp [--read-again|--baseline]
//!
//! It reports the memory after the dialog's read, after the first frame with the layer, and
//! once the map canvas's picture of the layer is shown (see `map::canvas`).
//! `--baseline` stops before the file is touched (the app on its project: what the import
//! adds is the difference); `--read-again` drops the dialog's read before Import.
//! `--document` leaves the app and egui out: the plan data, then a document of the project
//! with the file as a data layer (its features and its prepared overlay, nothing drawn), with
//! the memory at each step, to tell what the layer holds from what drawing it adds.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../benches/common/mod.rs"]
mod common;

use std::path::PathBuf;
use std::time::Instant;

/// The same allocator as the `onemap` binary, so that the figure is what users get.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    // As the binary does at start: the figures are what users get.
    onemap::memory::disable_transparent_huge_pages();
    onemap::memory::set_allocator_options();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(file) = args.first().map(PathBuf::from) else {
        eprintln!("usage: import_large FILE [--read-again|--baseline]");
        std::process::exit(2);
    };
    let ctx = egui::Context::default();
    onemap::app::install_fonts(&ctx);
    let project_dir = tempfile::tempdir().unwrap();
    if args.iter().any(|a| a == "--baseline") {
        let empty = project_dir.path().join("none.csv");
        std::fs::write(&empty, "name,lon,lat\n").unwrap();
        let _app = common::dialog_open_on(&empty, project_dir.path(), &ctx);
        println!("baseline: the app on its project, the dialog open on an empty CSV");
        return;
    }
    if args.iter().any(|a| a == "--document") {
        common::document_with_layer(&file);
        return;
    }
    let start = Instant::now();
    let mut app = common::dialog_open_on(&file, project_dir.path(), &ctx);
    println!(
        "project opened and the dialog's read: {:.3} s",
        start.elapsed().as_secs_f64()
    );
    println!("  memory then: {}", common::memory());
    if args.iter().any(|a| a == "--read-again") {
        app.files.data_preview = None;
    }
    let start = Instant::now();
    let (mut app, loaded) = common::import(&ctx, app, "big");
    println!(
        "click on Import to the first frame with the layer: {:.3} s (in the project after \
         {:.3} s), drawn {:?}",
        start.elapsed().as_secs_f64(),
        loaded.as_secs_f64(),
        app.last_draw.canvas
    );
    println!("  memory then: {}", common::memory());
    // The map canvas's picture of the layer (rendered by its worker) lands in a later frame.
    common::wait(&ctx, &mut app, |app| {
        app.last_draw.canvas == Some(onemap::map::CanvasUse::Current)
    });
    println!(
        "click on Import to the map's picture of the layer shown: {:.3} s",
        start.elapsed().as_secs_f64()
    );
    println!("  memory then: {}", common::memory());
}
