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

use std::path::PathBuf;

use onemap::model::project::{SketchLayer, SketchSource};

fn main() {
    let Some(file) = std::env::args().nth(1).map(PathBuf::from) else {
        eprintln!("usage: layer_memory FILE");
        std::process::exit(2);
    };
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let data = onemap::app::AppData::load(&onemap::io::DataDir::at(root)).unwrap();
    let mut project =
        onemap::io::load_project(&root.join("assets/projects/sma-2022.onemap")).unwrap();
    println!("plan data and project read: {}", memory());
    let source = std::path::absolute(&file).unwrap();
    project.sketch_layers.insert(
        "big".into(),
        SketchLayer {
            name: "big".into(),
            source: SketchSource::Referenced(source.to_string_lossy().into_owned()),
            visible: true,
            opacity: 1.0,
            choices: Default::default(),
            label_field: None,
        },
    );
    let plan = std::sync::Arc::new(data.plan.clone());
    let doc = onemap::doc::Document::on_plan(project, None, plan, &data.style);
    println!("document with the layer, overlay prepared: {}", memory());
    assert!(
        matches!(doc.sketches.get("big"), Some(onemap::doc::SketchState::Loaded(f)) if !f.is_empty())
    );
}

/// The resident memory now and at its peak (Linux).
fn memory() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .map_or("?".to_owned(), |l| l[name.len()..].trim().to_owned())
    };
    format!("resident {}, peak {}", field("VmRSS:"), field("VmHWM:"))
}
