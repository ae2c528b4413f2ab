//! One huge feature must not stall anything: the default project with a placement polygon of
//! 400,000 vertices (and, apart, the same polygon as a sketch layer), through what a user
//! runs: the plan checks, a diff, a PNG and an SVG export, opening it in the app and a frame.
//!
//! `cargo bench --bench huge_feature` measures each with criterion (10 samples: a step of a
//! second is what is being looked for). `HUGE_ONCE=1 cargo bench --bench huge_feature` times
//! each once and prints it, for a quick before/after on a busy machine.

// A benchmark is a crate of its own, which clippy's allow-unwrap-in-tests (clippy.toml) does
// not cover outside #[test] functions: its helpers unwrap too, a panic being a failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/common/huge.rs"]
mod huge;

use std::path::{Path, PathBuf};
use std::time::Instant;

mod common;

use common::one_frame;
use criterion::{Criterion, criterion_group, criterion_main};
use onemap::app::{AppData, OneMapApp, install_fonts};
use onemap::io::{DataDir, load_project};
use onemap::model::checks::run_checks;
use onemap::present::export::{Canvas, render_project_slide};

/// The same allocator as the `onemap` binary, so that the figure is what users get.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The two projects, written once into the temporary folder.
fn projects() -> (PathBuf, PathBuf) {
    let dir = std::env::temp_dir().join(format!("onemap-bench-huge-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let ring = huge::huge_ring(huge::HUGE_VERTICES);
    (
        huge::write_placement_project(root(), &dir, ring.clone()),
        huge::write_sketch_project(root(), &dir, &ring),
    )
}

/// The app on the default project, settled.
fn app() -> (egui::Context, OneMapApp) {
    let data = AppData::load(&DataDir::at(root())).expect("built-in data");
    let ctx = egui::Context::default();
    install_fonts(&ctx);
    let mut app = OneMapApp::new(data);
    for _ in 0..3 {
        one_frame(&ctx, &mut app);
    }
    (ctx, app)
}

/// A step that opens `project` in a running app and draws the first frame.
fn open_and_draw(project: &Path) -> Box<dyn FnMut() + '_> {
    let (ctx, mut app) = app();
    Box::new(move || {
        app.open_at_start(project);
        one_frame(&ctx, &mut app);
    })
}

type Step<'a> = (&'a str, Box<dyn FnMut() + 'a>);

fn steps<'a>(data: &'a AppData, placement: &'a Path, sketch: &'a Path) -> Vec<Step<'a>> {
    let edition = data.edition.clone().unwrap();
    let default = load_project(&data.dir.default_project()).unwrap();
    let huge = load_project(placement).unwrap();
    let moved = {
        let mut p = huge.clone();
        let id = onemap::model::project::PlacementId(huge::PLACEMENT_ID.into());
        let g = &mut p.placements.get_mut(&id).unwrap().geometry;
        *g = g.translated(0.01, 0.0);
        p
    };
    let canvas = Canvas::pixels(1920, 1080).unwrap();
    vec![
        (
            "load the huge project",
            Box::new(move || drop(load_project(placement).unwrap())),
        ),
        (
            "check: plan checks of the huge placement",
            Box::new({
                let (huge, edition) = (huge.clone(), edition.clone());
                move || drop(run_checks(&huge, &data.plan, &edition))
            }),
        ),
        (
            "diff: default → huge placement added (checks of both)",
            Box::new({
                let (huge, edition, default) = (huge.clone(), edition.clone(), default.clone());
                move || {
                    let (a, b) = (
                        run_checks(&default, &data.plan, &edition),
                        run_checks(&huge, &data.plan, &edition),
                    );
                    let f = onemap::model::diff::Findings { old: &a, new: &b };
                    drop(onemap::model::diff::diff(
                        &default,
                        &huge,
                        &data.plan,
                        Some(f),
                    ));
                }
            }),
        ),
        (
            "diff: huge placement moved 0.01°",
            Box::new({
                let huge = huge.clone();
                move || drop(onemap::model::diff::diff(&huge, &moved, &data.plan, None))
            }),
        ),
        (
            "export: huge placement, 1920×1080 PNG",
            Box::new({
                let huge = huge.clone();
                move || {
                    let r = render_project_slide(data, huge.clone(), placement, None, canvas);
                    drop(r.unwrap().to_image(egui::Color32::WHITE));
                }
            }),
        ),
        (
            "export: huge placement, 1920×1080 SVG",
            Box::new({
                let huge = huge.clone();
                move || {
                    let r = render_project_slide(data, huge.clone(), placement, None, canvas);
                    drop(r.unwrap().to_svg());
                }
            }),
        ),
        (
            "export: huge sketch layer, 1920×1080 PNG",
            Box::new(move || {
                let p = load_project(sketch).unwrap();
                let r = render_project_slide(data, p, sketch, None, canvas);
                drop(r.unwrap().to_image(egui::Color32::WHITE));
            }),
        ),
        (
            "app: open the huge placement's project and draw a frame",
            open_and_draw(placement),
        ),
        (
            "app: open the huge sketch layer's project and draw a frame",
            open_and_draw(sketch),
        ),
    ]
}

fn huge_feature(c: &mut Criterion) {
    let data = AppData::load(&DataDir::at(root())).expect("built-in data");
    let (placement, sketch) = projects();
    let once = std::env::var_os("HUGE_ONCE").is_some();
    for (name, mut step) in steps(&data, &placement, &sketch) {
        if once {
            let t = Instant::now();
            step();
            println!("{name}: {:.3} s", t.elapsed().as_secs_f64());
        } else {
            let mut group = c.benchmark_group("huge feature");
            group.sample_size(10);
            group.bench_function(name, |b| b.iter(&mut step));
            group.finish();
        }
    }
    for (name, project) in [("placement", &placement), ("sketch layer", &sketch)] {
        let (ctx, mut app) = app();
        app.open_at_start(project);
        for _ in 0..3 {
            one_frame(&ctx, &mut app);
        }
        let label = format!("app: a frame with the huge {name}, whole plan area");
        if once {
            let t = Instant::now();
            one_frame(&ctx, &mut app);
            println!("{label}: {:.4} s", t.elapsed().as_secs_f64());
        } else {
            c.bench_function(&label, |b| b.iter(|| one_frame(&ctx, &mut app)));
        }
    }
    if let Some(dir) = placement.parent() {
        let _ = std::fs::remove_dir_all(dir);
    }
}

criterion_group!(benches, huge_feature);
criterion_main!(benches);
