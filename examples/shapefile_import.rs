//! Times one import of a Shapefile (or a zip of them) through `io::formats::read`, as the
//! import dialog does it, and prints what was read. For the speed and memory figures of the
//! README (run it under `/usr/bin/time -v` for the peak memory):
//!
//!     cargo run --release --example shapefile_import -- big.shp

use std::path::PathBuf;
use std::time::Instant;

use geo::CoordsIter as _;
use onemap::io::formats::{ReadOptions, read};

fn main() -> std::process::ExitCode {
    let Some(path) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: shapefile_import FILE.shp|FILE.zip");
        return std::process::ExitCode::from(2);
    };
    let start = Instant::now();
    match read(&path, &ReadOptions::default()) {
        Ok(dataset) => {
            let elapsed = start.elapsed();
            for table in &dataset.tables {
                let vertices: usize = table
                    .features
                    .iter()
                    .filter_map(|f| f.geometry.as_ref())
                    .map(|g| g.coords_count())
                    .sum();
                println!(
                    "{}: {} features, {} vertices, {} fields",
                    table.name,
                    table.features.len(),
                    vertices,
                    table.fields.len()
                );
            }
            println!("read in {:.3} s", elapsed.as_secs_f64());
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            std::process::ExitCode::from(2)
        }
    }
}
