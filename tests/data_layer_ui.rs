//! Issue 17, data layers in the app: a data layer's row in the layers panel (its style and label
//! field, each one undo step), its attribute table (sort, filter, select with the map), the
//! inspector of its features, copying features to placements, search and the legend. Driven
//! headless with egui_kittest through the app's one mutation path.

// An integration test is a crate of its own, which clippy's allow-unwrap-in-tests (clippy.toml)
// does not cover outside #[test] functions: its helpers unwrap too, a panic being a failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::pointer::{click_with, screen_of};
use common::root;

use std::collections::BTreeSet;
use std::path::PathBuf;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;

use onemap::app::{AppCommand, AppData, OneMapApp, install_fonts};
use onemap::doc::Document;
use onemap::doc::document::data_feature_id;
use onemap::io::DataDir;
use onemap::map::scene::ItemKey;
use onemap::model::project::{PlacementGeometry, SketchLayer, SketchSource};
use onemap::model::style::Rgba;

/// A small data layer of our own, in a sea area clear of the plan's features: a warehouse
/// (point), a road (line) and a park (polygon), with Chinese fields written in an order that is
/// not the alphabetical one (面积 before 名称 before 类型).
const WAREHOUSES: &str = r#"{"type": "FeatureCollection", "features": [
{"type": "Feature", "properties": {"面积": 12.5, "名称": "测试仓库", "类型": "仓储"},
 "geometry": {"type": "Point", "coordinates": [122.45, 30.45]}},
{"type": "Feature", "properties": {"面积": 3, "名称": "测试道路", "类型": "道路"},
 "geometry": {"type": "LineString", "coordinates": [[122.40, 30.40], [122.50, 30.42]]}},
{"type": "Feature", "properties": {"面积": 100, "名称": "测试园区", "类型": "园区"},
 "geometry": {"type": "Polygon", "coordinates":
   [[[122.40, 30.30], [122.50, 30.30], [122.50, 30.36], [122.40, 30.36], [122.40, 30.30]]]}}
]}"#;

/// A folder of its own for a test's project and data files.
fn folder(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("onemap-dlui-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The app on the default project with data layers added: `(id, name, file)` referenced from a
/// project in `dir`.
fn app_with_layers(dir: &std::path::Path, layers: &[(&str, &str, &str)]) -> OneMapApp {
    let data = AppData::load(&DataDir::at(root())).unwrap();
    let mut project = onemap::io::load_project(&data.dir.default_project()).unwrap();
    for (id, name, file) in layers {
        project.sketch_layers.insert(
            (*id).to_owned(),
            SketchLayer {
                name: (*name).to_owned(),
                source: SketchSource::Referenced((*file).to_owned()),
                visible: true,
                opacity: 1.0,
                choices: Default::default(),
                label_field: None,
            },
        );
    }
    let mut app = OneMapApp::new(data);
    app.doc = Document::new(project, Some(dir.join("project.onemap")), &app.data.style);
    app.doc
        .set_base_plan(app.data.shared_plan.clone(), &app.data.style);
    app
}

/// [`app_with_layers`] in a harness tall enough that the whole layers panel shows without
/// scrolling.
fn harness(dir: &std::path::Path, layers: &[(&str, &str, &str)]) -> Harness<'static, OneMapApp> {
    let app = app_with_layers(dir, layers);
    let mut h = Harness::builder()
        .with_size([1400.0, 1500.0])
        .with_max_steps(8)
        .with_context_setup(install_fonts)
        .build_ui_state(|ui, app: &mut OneMapApp| app.ui(ui), app);
    h.run();
    h
}

/// The nine cities in CGCS2000 GK zone 40 (EPSG:4528, declared), as `cities`.
fn cities() -> Harness<'static, OneMapApp> {
    let dir = root().join("tests/data/formats/geojson");
    harness(&dir, &[("cities", "九城", "cities_4528.geojson")])
}

/// Our warehouses as `depots`, in a folder of their own.
fn depots(tag: &str) -> Harness<'static, OneMapApp> {
    let dir = folder(tag);
    std::fs::write(dir.join("depots.geojson"), WAREHOUSES).unwrap();
    harness(&dir, &[("depots", "仓库", "depots.geojson")])
}

fn click(h: &mut Harness<'_, OneMapApp>, label: &str) {
    h.get_by_label(label).click();
    h.run();
}

fn run(h: &mut Harness<'_, OneMapApp>, command: AppCommand) {
    h.state_mut().run_commands(vec![command]);
    h.run();
}

/// Where a label is on screen, top to bottom.
fn top_of(h: &Harness<'_, OneMapApp>, label: &str) -> f32 {
    h.get_by_label(label).rect().top()
}

#[test]
fn the_style_popup_recolours_a_data_layer_in_one_undoable_step_and_resets_it() {
    let mut h = depots("style");
    click(&mut h, "样式");
    click(&mut h, "描边颜色 0,114,178");
    let blue = Rgba(0, 114, 178, 255);
    let stroke_of = |h: &Harness<'_, OneMapApp>| {
        h.state()
            .doc
            .overlay
            .items
            .iter()
            .find(|i| i.layer == "sketch:depots")
            .and_then(|i| i.paint.stroke)
    };
    assert_eq!(
        h.state().doc.project.style_overrides["sketch:depots"].stroke,
        Some(blue)
    );
    assert_eq!(stroke_of(&h), Some(blue), "the map draws it so");
    assert_eq!(h.state().doc.history.undo_label(), Some("style of 仓库"));
    // The symbol and its size, and the fill, each one more step on the same override.
    click(&mut h, "点符号 星");
    h.get_by_role_and_label(egui::accesskit::Role::Slider, "符号大小")
        .set_value_accesskit(12.0);
    h.run();
    let own = &h.state().doc.project.style_overrides["sketch:depots"];
    assert_eq!(own.symbol, Some(onemap::model::style::Symbol::Star));
    assert_eq!(own.symbol_px, Some(12.0));
    assert_eq!(own.stroke, Some(blue), "the colour kept");
    run(&mut h, AppCommand::Undo);
    run(&mut h, AppCommand::Undo);
    assert_eq!(
        h.state().doc.project.style_overrides["sketch:depots"],
        onemap::model::style::Paint {
            stroke: Some(blue),
            ..Default::default()
        },
        "undo takes back one change at a time"
    );
    run(&mut h, AppCommand::Undo);
    assert!(h.state().doc.project.style_overrides.is_empty());
    assert_ne!(stroke_of(&h), Some(blue), "the default style again");
    run(&mut h, AppCommand::Redo);
    assert_eq!(stroke_of(&h), Some(blue));
    if h.query_by_label("还原为默认样式").is_none() {
        click(&mut h, "样式");
    }
    click(&mut h, "还原为默认样式");
    assert!(h.state().doc.project.style_overrides.is_empty(), "reset");
}

#[test]
fn the_label_field_names_and_labels_the_features_and_undo_takes_it_back() {
    let mut h = cities();
    let shanghai = data_feature_id("cities", 0);
    let name = |h: &Harness<'_, OneMapApp>| {
        h.state()
            .doc
            .feature(&shanghai)
            .unwrap()
            .name_zh()
            .to_owned()
    };
    assert_eq!(name(&h), "上海", "its own name_zh");
    click(&mut h, "标注字段");
    click(&mut h, "name_en");
    assert_eq!(
        h.state().doc.project.sketch_layers["cities"]
            .label_field
            .as_deref(),
        Some("name_en")
    );
    assert_eq!(name(&h), "Shanghai");
    let label = h
        .state()
        .doc
        .overlay
        .item(&ItemKey::Feature(shanghai.clone()))
        .and_then(|i| i.label.clone())
        .expect("the map labels it");
    assert_eq!(label.name_zh, "Shanghai");
    run(&mut h, AppCommand::Undo);
    assert_eq!(
        h.state().doc.project.sketch_layers["cities"].label_field,
        None
    );
    assert_eq!(name(&h), "上海");
    // A diff names what changed.
    let mut labelled = h.state().doc.project.clone();
    labelled
        .sketch_layers
        .get_mut("cities")
        .unwrap()
        .label_field = Some("name_en".into());
    let changes = onemap::model::diff::diff(
        &h.state().doc.project,
        &labelled,
        &h.state().data.plan,
        None,
    );
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!(changes[0].attributes[0].field, "label field");
}

#[test]
fn the_table_shows_the_fields_in_file_order_sorts_filters_and_selects_with_the_map() {
    let mut h = cities();
    click(&mut h, "表格");
    assert!(h.state().data_tables.contains_key("cities"));
    h.get_by_label("9 / 9 行");
    // File order: id, name_zh, name_en, kind, province, tier, … (not alphabetical).
    let header_x = |h: &Harness<'_, OneMapApp>, field: &str| h.get_by_label(field).rect().left();
    assert!(header_x(&h, "id") < header_x(&h, "name_zh"));
    assert!(header_x(&h, "name_zh") < header_x(&h, "name_en"));
    assert!(header_x(&h, "name_en") < header_x(&h, "kind"));
    // The file's order: 上海 first, 舟山 last but one; sorted by population, 舟山 (the smallest)
    // first and 上海 (the largest) last; again, the other way round.
    assert!(top_of(&h, "上海") < top_of(&h, "舟山"));
    click(&mut h, "population_2020");
    assert!(top_of(&h, "舟山") < top_of(&h, "上海"));
    click(&mut h, "▲ population_2020");
    assert!(top_of(&h, "上海") < top_of(&h, "苏州"));
    assert!(top_of(&h, "苏州") < top_of(&h, "舟山"));

    // The filter finds a text in any column.
    click(&mut h, "筛选");
    h.get_by_label("筛选").type_text("苏州");
    h.run();
    h.get_by_label("1 / 9 行");
    assert!(h.query_by_label("上海").is_none());

    // A row selects its feature on the map and centres the map on it.
    click(&mut h, "city.suzhou");
    let suzhou = data_feature_id("cities", 1);
    assert_eq!(h.state().selected, Some(suzhou.clone()));
    let suzhou_at = h.state().doc.feature(&suzhou).unwrap().geometry.clone();
    let geo::Geometry::Point(p) = suzhou_at else {
        panic!("a point")
    };
    assert_in_view_beside_the_table(&h, p.x(), p.y());
    let state = &h.state().data_tables["cities"];
    assert_eq!(state.selected, BTreeSet::from([1]));

    // A feature selected on the map is selected in the table.
    h.state_mut()
        .data_tables
        .get_mut("cities")
        .unwrap()
        .filter
        .clear();
    h.run();
    run(
        &mut h,
        AppCommand::Select(Some(data_feature_id("cities", 8))),
    );
    assert_eq!(
        h.state().data_tables["cities"].selected,
        BTreeSet::from([8])
    );
    run(&mut h, AppCommand::Select(None));
    assert!(h.state().data_tables["cities"].selected.is_empty());
}

/// The map was moved so that `(lon, lat)` shows: on the screen and not under the table.
fn assert_in_view_beside_the_table(h: &Harness<'_, OneMapApp>, lon: f64, lat: f64) {
    let at = screen_of(h, lon, lat);
    let tables = &h.state().data_table_rects;
    assert!(!tables.is_empty());
    assert!(
        tables.iter().all(|t| !t.contains(at)),
        "{at:?} is under the table {tables:?}"
    );
    let screen = egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(1400.0, 1500.0));
    assert!(screen.contains(at), "{at:?} is off the screen");
    assert!(h.state().memory.detached().is_some(), "the map was moved");
}

#[test]
fn selecting_a_row_centres_the_map_on_its_feature_at_the_same_zoom() {
    let mut h = depots("centre");
    run(&mut h, AppCommand::ToggleDataTable("depots".into()));
    // Looking at Nanjing, far from the warehouse.
    run(
        &mut h,
        AppCommand::ZoomTo(geo::Rect::new(
            geo::coord! { x: 118.7, y: 32.0 },
            geo::coord! { x: 118.9, y: 32.1 },
        )),
    );
    let away = screen_of(&h, 122.45, 30.45);
    assert!(
        away.x > 1400.0 || away.y > 1500.0,
        "off the screen: {away:?}"
    );
    let zoom = h.state().memory.zoom();
    click(&mut h, "测试仓库");
    assert_eq!(h.state().selected, Some(data_feature_id("depots", 0)));
    assert_in_view_beside_the_table(&h, 122.45, 30.45);
    assert!(
        (h.state().memory.zoom() - zoom).abs() < 1e-9,
        "a point keeps the zoom"
    );
}

#[test]
fn a_data_feature_shows_its_layer_and_every_attribute_in_file_order_in_the_inspector() {
    let mut h = depots("inspector");
    run(
        &mut h,
        AppCommand::Select(Some(data_feature_id("depots", 2))),
    );
    h.get_by_label("数据图层: 仓库 · 要素 3 / 3 · 面");
    assert!(top_of(&h, "面积") < top_of(&h, "名称"));
    assert!(top_of(&h, "名称") < top_of(&h, "类型"));
    assert_eq!(
        h.query_all_by_label("测试园区").count(),
        2,
        "the title and the name's value"
    );
    h.get_by_label("园区");
    h.get_by_label("100");
    assert!(
        h.query_by_label("sketch_layer").is_none(),
        "only the file's attributes"
    );
}

#[test]
fn copying_features_to_placements_is_one_undo_step_from_the_table_and_the_context_menu() {
    let mut h = depots("copy");
    let before = h.state().doc.project.placements.len();
    run(&mut h, AppCommand::ToggleDataTable("depots".into()));
    click(&mut h, "测试仓库");
    h.get_by_label("测试园区")
        .click_modifiers(egui::Modifiers::COMMAND);
    h.run();
    assert_eq!(
        h.state().data_tables["depots"].selected,
        BTreeSet::from([0, 2])
    );
    click(&mut h, "复制为规划项目 (2)");
    let placements = &h.state().doc.project.placements;
    assert_eq!(placements.len(), before + 2);
    let made: Vec<_> = placements
        .iter()
        .filter(|(id, _)| id.0.starts_with("placement.depots-"))
        .map(|(_, p)| p)
        .collect();
    assert_eq!(made.len(), 2);
    let warehouse = made.iter().find(|p| p.name_zh == "测试仓库").unwrap();
    assert!(warehouse.indicative);
    assert_eq!(
        warehouse.geometry,
        PlacementGeometry::Point((122.45, 30.45))
    );
    assert!(warehouse.description.contains("类型: 仓储"));
    let park = made.iter().find(|p| p.name_zh == "测试园区").unwrap();
    assert!(matches!(park.geometry, PlacementGeometry::Polygon(_)));
    run(&mut h, AppCommand::Undo);
    assert_eq!(
        h.state().doc.project.placements.len(),
        before,
        "one undo step takes both back"
    );

    // The context menu on the road, on the map.
    run(
        &mut h,
        AppCommand::ZoomTo(geo::Rect::new(
            geo::coord! { x: 122.35, y: 30.25 },
            geo::coord! { x: 122.55, y: 30.5 },
        )),
    );
    h.run();
    let on_road = screen_of(&h, 122.45, 30.41);
    click_with(&mut h, on_road, egui::PointerButton::Secondary);
    click(&mut h, "复制为规划项目");
    let road = h
        .state()
        .doc
        .project
        .placements
        .values()
        .find(|p| p.name_zh == "测试道路")
        .expect("copied from the menu");
    assert!(matches!(road.geometry, PlacementGeometry::LineString(_)));
    assert_eq!(h.state().doc.project.placements.len(), before + 1);
    run(&mut h, AppCommand::Undo);
    assert_eq!(h.state().doc.project.placements.len(), before);
}

#[test]
fn search_finds_a_data_feature_by_its_name_field() {
    let mut h = depots("search");
    let hits = h.state().doc.search(
        &h.state().data.plan,
        &h.state().data.basemap,
        "测试园区",
        12,
    );
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert_eq!(hits[0].feature, Some(data_feature_id("depots", 2)));
    // In the search box, named by its layer.
    click(&mut h, "搜索");
    h.get_by_label("搜索").type_text("测试仓");
    h.run();
    click(&mut h, "测试仓库 — 数据图层 · 仓库");
    assert_eq!(h.state().selected, Some(data_feature_id("depots", 0)));
}

#[test]
fn the_legend_lists_each_visible_data_layer_with_its_own_swatch() {
    use onemap::doc::legend::legend_entries;
    use onemap::map::{MapFrame, ScreenTransform};
    let mut h = depots("legend");
    let paint = onemap::model::style::Paint {
        stroke: Some(Rgba(0, 158, 115, 255)),
        ..Default::default()
    };
    run(
        &mut h,
        AppCommand::Edit(Box::new(onemap::edit::Edit::SetStyleOverride {
            layer: "sketch:depots".into(),
            paint: Some(paint),
        })),
    );
    let app = h.state();
    let none = BTreeSet::new();
    let rect = egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(800.0, 600.0));
    let entries = |sketches| {
        let frame = MapFrame {
            scene: &app.scene,
            overlay: &app.doc.overlay,
            sketches,
            style: &app.data.style,
            view: &app.doc.project.settings,
            transform: ScreenTransform::new(9.0, geo::coord! { x: 121.5, y: 31.0 }, rect.center()),
            rect,
            hovered: None,
            selected: &[],
            symbol_scale: 1.0,
            line_scale: 1.0,
            hidden: &none,
            sketched: &none,
            sketches_shown: true,
            tiles_under: false,
        };
        legend_entries(&frame, &app.data.plan, &app.doc.features)
    };
    let shown = entries(&app.doc.project.sketch_layers);
    let row = shown
        .iter()
        .find(|e| e.text == "仓库")
        .expect("a row named after the layer");
    assert_eq!(
        row.paint.stroke,
        Some(Rgba(0, 158, 115, 255)),
        "its own colour"
    );
    let mut hidden = app.doc.project.sketch_layers.clone();
    hidden.get_mut("depots").unwrap().visible = false;
    assert!(
        entries(&hidden).iter().all(|e| e.text != "仓库"),
        "a hidden layer is not listed"
    );
}

/// A data layer of `n` small squares over Shanghai, all in the app's first view.
fn grid_geojson(n: usize) -> String {
    let features: Vec<String> = (0..n)
        .map(|i| {
            let x = 120.9 + (i % 100) as f64 * 0.012;
            let y = 30.6 + (i / 100) as f64 * 0.012;
            format!(
                r#"{{"type": "Feature", "properties": {{"n": {i}}}, "geometry": {{"type": "Polygon",
 "coordinates": [[[{x}, {y}], [{}, {y}], [{}, {}], [{x}, {}], [{x}, {y}]]]}}}}"#,
                x + 0.008,
                x + 0.008,
                y + 0.008,
                y + 0.008
            )
        })
        .collect();
    format!(
        r#"{{"type": "FeatureCollection", "features": [{}]}}"#,
        features.join(",\n")
    )
}

#[test]
fn while_a_large_layer_is_drawn_the_map_leaves_it_out_and_says_so_in_the_interface_language() {
    let dir = folder("drawing");
    let n = onemap::map::paint_cache::CACHED_FROM + 500;
    std::fs::write(dir.join("grid.geojson"), grid_geojson(n)).unwrap();
    let app = app_with_layers(&dir, &[("grid", "方格 grid", "grid.geojson")]);
    let mut h = Harness::builder()
        .with_size([1400.0, 900.0])
        .with_context_setup(install_fonts)
        .build_ui_state(|ui, app: &mut OneMapApp| app.ui(ui), app);
    // The first frame orders the layer's picture: it is not painted meanwhile (the plan is),
    // and the map names it as being drawn.
    h.step();
    let drawn = &h.state().last_draw;
    assert_eq!(
        drawn.canvas,
        Some(onemap::map::CanvasUse::Pending),
        "{drawn:?}"
    );
    assert_eq!(drawn.drawing, ["sketch:grid"]);
    assert_eq!(drawn.items_per_layer.get("sketch:grid"), None);
    assert!(drawn.items_per_layer.len() > 3, "the plan is drawn");
    let text = |lang| {
        onemap::ui::drawing_note::drawing_text(
            lang,
            &drawn.drawing,
            &h.state().doc.project.sketch_layers,
            &h.state().data.style,
        )
    };
    use onemap::model::UiLanguage;
    assert_eq!(text(UiLanguage::English), "Drawing 方格 grid…");
    assert_eq!(text(UiLanguage::Chinese), "正在绘制：方格 grid……");
    // Once the picture lands, the layer shows, and nothing is left out (no note).
    let start = std::time::Instant::now();
    while h.state().last_draw.canvas != Some(onemap::map::CanvasUse::Current) {
        assert!(start.elapsed().as_secs() < 120, "no picture");
        std::thread::sleep(std::time::Duration::from_millis(20));
        h.step();
    }
    let drawn = &h.state().last_draw;
    assert!(drawn.drawing.is_empty());
    assert_eq!(drawn.items_per_layer.get("sketch:grid"), Some(&n));
}
