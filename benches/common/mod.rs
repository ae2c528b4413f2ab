//! What the benches share: one frame of the app at 1920×1080 (`one_frame`), and driving it
//! headlessly through File › Import data… (the file chosen and read by the dialog, the click
//! on Import, the layer shown) for `benches/import_large.rs` and `examples/import_large.rs`
//! (which runs one import, for `/usr/bin/time -v`); and, without the app, a document with a
//! large file as a data layer for `examples/import_large.rs --document` and
//! `examples/layer_memory.rs`, with [`memory`] to print what the process holds.

// Shared by a bench and an example, each a crate of its own, where clippy's
// allow-unwrap-in-tests (clippy.toml) does not reach: a panic is a failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]
// Each of the two takes what it needs.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use egui::{Pos2, RawInput, Rect, vec2};
use onemap::app::{AppCommand, AppData, OneMapApp};
use onemap::command::Dialog;
use onemap::doc::SketchState;
use onemap::io::DataDir;

pub fn input() -> RawInput {
    RawInput {
        screen_rect: Some(Rect::from_min_size(Pos2::ZERO, vec2(1920.0, 1080.0))),
        ..Default::default()
    }
}

pub fn one_frame(ctx: &egui::Context, app: &mut OneMapApp) -> usize {
    let mut output = ctx.run_ui(input(), |ui| app.ui(ui));
    // There is no GPU to upload font textures to; they are dropped on purpose.
    output.textures_delta.clear();
    let primitives = ctx.tessellate(output.shapes, output.pixels_per_point);
    primitives.len()
}

pub fn large_file(name: &str) -> Option<PathBuf> {
    let dir =
        std::env::var_os("ONEMAP_LARGE_DIR").map_or_else(|| PathBuf::from("/tmp"), PathBuf::from);
    let path = dir.join(name);
    if path.is_file() {
        Some(path)
    } else {
        eprintln!(
            "skipped: {} is missing (see the top of benches/import_large.rs)",
            path.display()
        );
        None
    }
}

/// An app on a saved project (so the layer refers to its file), with the import dialog
/// open on `file`: the dialog's read done, its CRS seen.
pub fn dialog_open_on(file: &Path, project_dir: &Path, ctx: &egui::Context) -> OneMapApp {
    let app = project_open(project_dir, ctx);
    dialog_read(ctx, app, file)
}

/// An app on a saved project (so that a layer refers to its file), a few frames drawn, no
/// dialog open: where the user stands before choosing a file.
pub fn project_open(project_dir: &Path, ctx: &egui::Context) -> OneMapApp {
    let root = env!("CARGO_MANIFEST_DIR");
    let project = project_dir.join("plan.onemap");
    if !project.is_file() {
        std::fs::copy(
            Path::new(root).join("assets/projects/sma-2022.onemap"),
            &project,
        )
        .unwrap();
    }
    let mut app = OneMapApp::new(AppData::load(&DataDir::at(root)).unwrap());
    app.open_at_start(&project);
    app.files.dialog = None;
    for _ in 0..3 {
        one_frame(ctx, &mut app);
    }
    app
}

/// The file chosen in File › Import data…: frames (with the progress window) until the import
/// dialog shows what the read found; its CRS seen, as the user would.
pub fn dialog_read(ctx: &egui::Context, mut app: OneMapApp, file: &Path) -> OneMapApp {
    app.run_commands(vec![AppCommand::DetectData(file.to_owned())]);
    wait(ctx, &mut app, |app| {
        matches!(app.files.dialog, Some(Dialog::ImportData(_)))
    });
    if let Some(Dialog::ImportData(form)) = app.files.dialog.as_mut() {
        for table in &mut form.tables {
            table.crs.seen = true;
        }
    }
    app
}

/// Frames until the map shows the layer from the canvas's picture of this view (a large
/// layer's frames before it say that it is being drawn).
pub fn shown(ctx: &egui::Context, mut app: OneMapApp) -> OneMapApp {
    wait(ctx, &mut app, |app| {
        app.last_draw.canvas == Some(onemap::map::CanvasUse::Current)
    });
    app
}

/// Frames as eframe draws them, until `done`: one, then the next when egui asks for it (a
/// worker's `request_repaint` when it is done, the progress window's `request_repaint_after`),
/// as the window's event loop learns it (egui's repaint callback). (Until 2026-11-30 a frame
/// every millisecond: the UI thread then took a core from the workers, which a window does
/// not, as it draws no frame that nothing asked for.)
pub fn wait(ctx: &egui::Context, app: &mut OneMapApp, done: impl Fn(&OneMapApp) -> bool) {
    let due: Arc<(Mutex<Option<Instant>>, Condvar)> = Arc::default();
    let requests = Arc::clone(&due);
    ctx.set_request_repaint_callback(move |info| {
        let at = Instant::now() + info.delay.min(Duration::from_secs(3600));
        let mut next = requests.0.lock().unwrap();
        *next = Some(next.map_or(at, |t| t.min(at)));
        requests.1.notify_all();
    });
    let start = Instant::now();
    let timeout = Duration::from_secs(120);
    while !done(app) {
        one_frame(ctx, app);
        let (next, asked) = &*due;
        let mut next = next.lock().unwrap();
        loop {
            assert!(start.elapsed() < timeout, "{:?}", app.files.dialog);
            let now = Instant::now();
            match *next {
                Some(at) if at <= now => {
                    *next = None;
                    break;
                }
                Some(at) => next = asked.wait_timeout(next, at - now).unwrap().0,
                None => next = asked.wait_timeout(next, Duration::from_secs(1)).unwrap().0,
            }
        }
    }
}

/// The click on Import, and frames until the layer is drawn; also how long until the layer
/// was in the document (loaded, drawn in the frame after).
pub fn import(ctx: &egui::Context, mut app: OneMapApp, id: &str) -> (OneMapApp, Duration) {
    let start = Instant::now();
    let Some(Dialog::ImportData(form)) = &app.files.dialog else {
        panic!("the dialog is open");
    };
    let request = form.request(onemap::model::UiLanguage::English).unwrap();
    app.files.dialog = None;
    app.run_commands(vec![AppCommand::ImportData(request)]);
    wait(
        ctx,
        &mut app,
        |app| matches!(app.doc.sketches.get(id), Some(SketchState::Loaded(f)) if f.len() == 50_000),
    );
    let loaded = start.elapsed();
    one_frame(ctx, &mut app);
    (app, loaded)
}

/// The plan data, then a document of the sample project with `file` as the data layer `big`
/// (its features and its prepared overlay items; nothing drawn), printing the memory and the
/// time at each step.
pub fn document_with_layer(file: &Path) {
    use onemap::model::project::{SketchLayer, SketchSource};
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let data = AppData::load(&DataDir::at(root)).unwrap();
    let mut project =
        onemap::io::load_project(&root.join("assets/projects/sma-2022.onemap")).unwrap();
    println!("plan data and project read: {}", memory());
    let start = Instant::now();
    let source = std::path::absolute(file).unwrap();
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
    println!(
        "document with the layer, overlay prepared: {:.3} s, {}",
        start.elapsed().as_secs_f64(),
        memory()
    );
    assert!(matches!(doc.sketches.get("big"), Some(SketchState::Loaded(f)) if !f.is_empty()));
}

/// The resident memory now and at its peak (Linux), for a look at where it goes.
pub fn memory() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .map_or("?".to_owned(), |l| l[name.len()..].trim().to_owned())
    };
    format!("resident {}, peak {}", field("VmRSS:"), field("VmHWM:"))
}
