//! What a large data layer holds in the document, without the app and egui: the plan data,
//! then a document of the sample project with FILE as a data layer (its features and its
//! prepared overlay items; nothing drawn). With the system allocator, so that heaptrack sees
//! every allocation (mimalloc, the binary's allocator, bypasses malloc):
//!
//!     cargo build --release --example layer_memory
//!     heaptrack target/release/examples/layer_memory /tmp/big.shp
//!
//! `examples/import_large.rs --document` does the same with mimalloc, as users get it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../benches/common/mod.rs"]
mod common;

use std::path::PathBuf;

fn main() {
    let Some(file) = std::env::args().nth(1).map(PathBuf::from) else {
        eprintln!("usage: layer_memory FILE");
        std::process::exit(2);
    };
    common::document_with_layer(&file);
}
