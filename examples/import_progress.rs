//! Reads a data file through `io::formats::read` with a progress bar's `Progress`, as the import
//! dialog's worker thread does, and prints how the bar moved (sampled every 10 ms) and how long
//! Cancel took to stop the read. For the README's figures (run it under `/usr/bin/time -v`
//! for the peak memory):
//!
//!     cargo run --release --example import_progress -- big.dxf
//!     cargo run --release --example import_progress -- big.kml --cancel-after 300

use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use onemap::io::formats::{Progress, ReadOptions, read};

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first().map(PathBuf::from) else {
        eprintln!("usage: import_progress FILE [--cancel-after MS]");
        return std::process::ExitCode::from(2);
    };
    let cancel_after = args
        .iter()
        .position(|a| a == "--cancel-after")
        .and_then(|i| args.get(i + 1))
        .and_then(|ms| ms.parse::<u64>().ok())
        .map(Duration::from_millis);
    let size = std::fs::metadata(&path).map_or(0, |m| m.len());
    let progress = Progress::default();
    let worker = progress.clone();
    let start = Instant::now();
    let reader = std::thread::spawn(move || {
        let options = ReadOptions {
            progress: Some(&worker),
            ..ReadOptions::default()
        };
        let result = read(&path, &options);
        (result, Instant::now())
    });
    let mut samples = Vec::new();
    let mut cancelled_at = None;
    while !reader.is_finished() {
        std::thread::sleep(Duration::from_millis(10));
        samples.push((start.elapsed(), progress.bytes_read.load(Ordering::Relaxed)));
        if cancel_after.is_some_and(|after| start.elapsed() >= after) && cancelled_at.is_none() {
            progress.cancel.store(true, Ordering::Relaxed);
            cancelled_at = Some(Instant::now());
        }
    }
    let Ok((result, done)) = reader.join() else {
        eprintln!("the reading thread panicked");
        return std::process::ExitCode::from(3);
    };
    print_bar(&samples, size);
    let monotonic = samples.windows(2).all(|w| w[0].1 <= w[1].1);
    let last = progress.bytes_read.load(Ordering::Relaxed);
    println!("bar: {last} of {size} bytes at the end, monotonic: {monotonic}");
    if let Some(at) = cancelled_at {
        let latency = done.saturating_duration_since(at);
        println!(
            "Cancel stopped the read in {:.1} ms",
            latency.as_secs_f64() * 1e3
        );
    }
    match result {
        Ok(dataset) => {
            let features: usize = dataset.tables.iter().map(|t| t.features.len()).sum();
            println!(
                "{features} features read in {:.3} s",
                done.duration_since(start).as_secs_f64()
            );
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            println!("{e}");
            std::process::ExitCode::from(2)
        }
    }
}

/// The bar's share every 100 ms.
fn print_bar(samples: &[(Duration, u64)], size: u64) {
    let mut next = Duration::ZERO;
    let mut line = String::new();
    for &(at, bytes) in samples {
        if at >= next {
            let percent = (bytes * 100).checked_div(size).unwrap_or(0);
            line.push_str(&format!("{:.1}s:{percent}% ", at.as_secs_f64()));
            next = at + Duration::from_millis(100);
        }
    }
    println!("{}", line.trim_end());
}
