//! The attribute table of a 100,000-row data layer: the CPU time of a whole frame of the app at
//! 1920×1080 with the table open, side by side with the same frame with the table closed (the
//! difference is what the table costs a frame), and what a click on a column header or a
//! keystroke in the filter costs once (a sort and a filter of all the rows). The layer is hidden
//! on the map, so that drawing its 100,000 points (measured by the map's own benchmarks) does
//! not drown what the table costs.

// A benchmark is a crate of its own, which clippy's allow-unwrap-in-tests (clippy.toml) does
// not cover outside #[test] functions: its helpers unwrap too, a panic being a failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fmt::Write as _;

mod common;

use common::one_frame;
use criterion::{Criterion, criterion_group, criterion_main};
use onemap::app::{AppCommand, AppData, OneMapApp, install_fonts};
use onemap::doc::{Document, SketchState};
use onemap::io::DataDir;
use onemap::model::project::{SketchLayer, SketchSource};
use onemap::ui::data_table::{filtered, haystack, sorted_rows};

/// The same allocator as the `onemap` binary, so that the figure is what users get.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const ROWS: usize = 100_000;

/// 100,000 parcels as points over the plan area, with Chinese fields and values.
fn parcels_geojson() -> String {
    let kinds = ["居住", "工业", "商业", "绿地", "仓储"];
    let mut text = String::from(r#"{"type": "FeatureCollection", "features": ["#);
    for i in 0..ROWS {
        let lon = 119.0 + (i % 400) as f64 * 0.0075;
        let lat = 29.5 + (i / 400) as f64 * 0.0125;
        if i > 0 {
            text.push(',');
        }
        write!(
            text,
            r#"{{"type": "Feature", "geometry": {{"type": "Point", "coordinates": [{lon:.5}, {lat:.5}]}},
"properties": {{"编号": {i}, "名称": "地块{i}", "类型": "{}", "面积": {:.2}, "备注": "第{}片区"}}}}"#,
            kinds[i % kinds.len()],
            (i * 7919 % 10_000) as f64 / 10.0,
            i % 97
        )
        .unwrap();
    }
    text.push_str("]}");
    text
}

fn app_with_parcels() -> OneMapApp {
    let dir = std::env::temp_dir().join(format!("onemap-bench-table-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("parcels.geojson"), parcels_geojson()).unwrap();
    let data = AppData::load(&DataDir::at(env!("CARGO_MANIFEST_DIR"))).expect("built-in data");
    let mut project = onemap::io::load_project(&data.dir.default_project()).unwrap();
    project.sketch_layers.insert(
        "parcels".into(),
        SketchLayer {
            name: "地块".into(),
            source: SketchSource::Referenced("parcels.geojson".into()),
            visible: false,
            opacity: 1.0,
            choices: Default::default(),
            label_field: None,
        },
    );
    let mut app = OneMapApp::new(data);
    app.doc = Document::new(project, Some(dir.join("bench.onemap")), &app.data.style);
    app.doc
        .set_base_plan(app.data.shared_plan.clone(), &app.data.style);
    app
}

fn data_table(c: &mut Criterion) {
    let ctx = egui::Context::default();
    install_fonts(&ctx);
    let mut app = app_with_parcels();
    let Some(SketchState::Loaded(features)) = app.doc.sketches.get("parcels") else {
        panic!("the parcels load");
    };
    assert_eq!(features.len(), ROWS);
    let features = features.clone();
    let fields = app.doc.sketch_fields["parcels"].clone();
    for _ in 0..5 {
        one_frame(&ctx, &mut app);
    }
    c.bench_function("frame, 100k-row data layer, table closed", |b| {
        b.iter(|| std::hint::black_box(one_frame(&ctx, &mut app)))
    });
    app.run_commands(vec![AppCommand::ToggleDataTable("parcels".into())]);
    for _ in 0..5 {
        one_frame(&ctx, &mut app);
    }
    assert!(app.data_tables.contains_key("parcels"));
    c.bench_function("frame, 100k-row data layer, table open", |b| {
        b.iter(|| std::hint::black_box(one_frame(&ctx, &mut app)))
    });
    let table = app.data_tables.get_mut("parcels").unwrap();
    table.sort = Some(("名称".into(), true));
    table.filter = "工业".into();
    for _ in 0..5 {
        one_frame(&ctx, &mut app);
    }
    c.bench_function(
        "frame, 100k-row data layer, table open, sorted and filtered",
        |b| b.iter(|| std::hint::black_box(one_frame(&ctx, &mut app))),
    );
    c.bench_function("sort 100k rows by a text column (once per click)", |b| {
        b.iter(|| std::hint::black_box(sorted_rows(&features, Some(("名称", false)))))
    });
    c.bench_function(
        "filter index of 100k rows (once, at the first filter)",
        |b| b.iter(|| std::hint::black_box(haystack(&features, &fields))),
    );
    let sorted = sorted_rows(&features, None);
    let hay = haystack(&features, &fields);
    c.bench_function("filter 100k rows (once per keystroke)", |b| {
        b.iter(|| std::hint::black_box(filtered(&sorted, &hay, "地块99")))
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = data_table
}
criterion_main!(benches);
