//! Issue 18, the built-in basemap: towns from GeoNames are drawn by zoom and in the label
//! language, built-up areas lie under everything around the cities, and beyond the plan frame
//! the map shows land and water, not the no-data grey.
//! The app and `onemap export` share the drawing code (`map::draw`); the first tests draw a
//! frame as the app does, the last ones render an export's pixels.

// An integration test is a crate of its own, which clippy's allow-unwrap-in-tests (clippy.toml)
// does not cover outside #[test] functions: its helpers unwrap too, a panic being a failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::{BTreeMap, BTreeSet};

use egui::{Rect, pos2};
use onemap::doc::AppData;
use onemap::io::DataDir;
use onemap::map::{DrawStats, MapFrame, Scene, ScreenTransform};
use onemap::model::LabelLanguage;
use onemap::model::project::MapView;
use onemap::model::style::Rgba;
use onemap::model::view::ViewSettings;
use onemap::present::export::{Canvas, SlideInputs, SlideSpec, render_project};

const SCREEN: Rect = Rect::from_min_max(pos2(0.0, 0.0), pos2(1280.0, 800.0));

/// 淀山湖, where issue 18 found the map empty at zoom 10–11.
const DIANSHAN: (f64, f64) = (120.98, 31.10);

fn data() -> AppData {
    AppData::load(&DataDir::at(common::root())).expect("the built-in data loads")
}

/// What one frame of the map draws at `zoom` around `center`, with only the basemap shown
/// (the plan's own labels would otherwise take the room first).
fn draw(data: &AppData, center: (f64, f64), zoom: f64, language: LabelLanguage) -> DrawStats {
    let scene = Scene::build(&data.plan, &data.basemap, &data.style);
    let overlay = Scene::build_overlay(&[], &data.style);
    let mut view = ViewSettings::from_style(&data.style);
    view.language = language;
    for (id, group) in view.groups.iter_mut() {
        group.visible = id == "basemap";
    }
    let sketches = BTreeMap::new();
    let none = BTreeSet::new();
    let frame = MapFrame {
        scene: &scene,
        overlay: &overlay,
        sketches: &sketches,
        style: &data.style,
        view: &view,
        transform: ScreenTransform::new(
            zoom,
            geo::Coord {
                x: center.0,
                y: center.1,
            },
            SCREEN.center(),
        ),
        rect: SCREEN,
        hovered: None,
        selected: &[],
        symbol_scale: 1.0,
        line_scale: 1.0,
        hidden: &none,
        sketched: &none,
        sketches_shown: true,
        tiles_under: false,
    };
    let ctx = egui::Context::default();
    onemap::app::install_fonts(&ctx);
    let mut stats = DrawStats::default();
    // Twice: the first pass loads the fonts.
    for _ in 0..2 {
        let mut output = ctx.run_ui(egui::RawInput::default(), |ui| {
            stats = frame.shapes(ui.painter()).1;
        });
        output.textures_delta.clear();
    }
    stats
}

#[test]
fn towns_around_dianshan_lake_appear_from_zoom_10_in_the_label_language() {
    let data = data();
    let at_11 = draw(&data, DIANSHAN, 11.0, LabelLanguage::Chinese);
    for town in ["朱家角", "金泽", "周庄", "锦溪"] {
        assert!(
            at_11.labels.iter().any(|l| l == town),
            "{town} at zoom 11: {:?}",
            at_11.labels
        );
    }
    let english = draw(&data, DIANSHAN, 11.0, LabelLanguage::English);
    assert!(
        english.labels.iter().any(|l| l == "Zhujiajiao"),
        "{:?}",
        english.labels
    );
    assert!(!english.labels.iter().any(|l| l == "朱家角"));
    // Below its zoom a town is not drawn at all, neither its name nor its dot.
    let at_9 = draw(&data, DIANSHAN, 9.5, LabelLanguage::Chinese);
    assert!(
        !at_9.labels.iter().any(|l| l == "朱家角" || l == "金泽"),
        "{:?}",
        at_9.labels
    );
    let places = |s: &DrawStats| s.items_per_layer.get("basemap.places").copied();
    let (few, many) = (places(&at_9).unwrap_or(0), places(&at_11).unwrap_or(0));
    assert!(
        many > 40 && few * 4 < many * 10,
        "places drawn at 9.5: {few}, at 11: {many}"
    );
}

/// The default project rendered as `onemap export` renders it, at map zoom `zoom` around
/// `center`, on a 960 × 540 canvas (half the reference size: the scene zoom is one more).
fn export_pixels(center: (f64, f64), zoom: f64) -> (Vec<u8>, AppData) {
    let data = data();
    let project = onemap::io::load_project(&data.dir.default_project()).unwrap();
    let mut spec = SlideSpec::of(&project, None);
    spec.view = Some(MapView {
        center,
        zoom: zoom + 1.0,
    });
    let scene = Scene::build(&data.plan, &data.basemap, &data.style);
    let doc = onemap::doc::Document::new(project, None, &data.style);
    let inputs = SlideInputs {
        plan: &data.plan,
        style: &data.style,
        attribution: &data.attribution,
        scene: &scene,
        doc: &doc,
        spec: &spec,
        high_contrast: false,
        date: "2026-11-28",
    };
    let rendered = render_project(
        &inputs,
        onemap::present::plan_area(&data.plan),
        Canvas::pixels(960, 540).unwrap(),
    );
    let image = rendered.to_image(egui::Color32::WHITE);
    (image.as_bytes().to_vec(), data)
}

/// The share of pixels within 3 of a colour.
fn share_of(pixels: &[u8], c: Rgba) -> f64 {
    let near = pixels
        .chunks_exact(4)
        .filter(|p| p[0].abs_diff(c.0) <= 3 && p[1].abs_diff(c.1) <= 3 && p[2].abs_diff(c.2) <= 3)
        .count();
    near as f64 / (pixels.len() / 4) as f64
}

#[test]
fn west_of_the_plan_frame_an_export_shows_land_and_lakes_not_the_no_data_grey() {
    // 116.0–118.6 E at zoom 9: all of it beyond the plan frame (118.9 E), with 巢湖 in view.
    let (pixels, data) = export_pixels((117.3, 31.3), 9.0);
    let land = data
        .style
        .layer("basemap.land")
        .and_then(|l| l.paint.fill)
        .unwrap();
    let no_data = share_of(&pixels, data.style.no_data);
    let on_land = share_of(&pixels, land);
    let water = share_of(&pixels, data.style.background);
    println!("no data {no_data:.4}, land {on_land:.3}, water {water:.4}");
    assert!(no_data < 0.001, "no-data grey on {:.1} %", no_data * 100.0);
    assert!(on_land > 0.4, "land on {:.1} %", on_land * 100.0);
    assert!(
        water > 0.005,
        "巢湖 and the Yangtze: {:.2} %",
        water * 100.0
    );
}

#[test]
fn east_of_the_plan_frame_an_export_shows_the_sea() {
    // 122.7–125.3 E: the East China Sea, beyond the plan frame's 123.2 E.
    let (pixels, data) = export_pixels((124.0, 30.8), 9.0);
    let no_data = share_of(&pixels, data.style.no_data);
    let sea = share_of(&pixels, data.style.background);
    assert!(no_data < 0.001, "no-data grey on {:.1} %", no_data * 100.0);
    // The title, the legend and the plan's 沿海 zone cover the rest.
    assert!(sea > 0.3, "sea on {:.1} %", sea * 100.0);
}

/// Shanghai's centre, 人民广场.
const SHANGHAI: (f64, f64) = (121.475, 31.232);

fn built_up_items(stats: &DrawStats) -> usize {
    stats
        .items_per_layer
        .get("basemap.built_up")
        .copied()
        .unwrap_or(0)
}

#[test]
fn built_up_areas_are_drawn_around_shanghai_and_not_at_sea() {
    let data = data();
    assert!(
        data.basemap.built_up.len() > 100,
        "built-up areas in the basemap: {}",
        data.basemap.built_up.len()
    );
    // Their source is named where the basemap's are: the file's attribution and the short
    // line of assets/ATTRIBUTION.md that maps and exports carry.
    assert!(data.basemap.attribution.contains("MODIS"));
    assert!(onemap::present::slide::short_attribution(&data.attribution).contains("MODIS"));
    for zoom in [9.0, 10.0, 12.0] {
        let stats = draw(&data, SHANGHAI, zoom, LabelLanguage::Chinese);
        assert!(built_up_items(&stats) >= 1, "zoom {zoom}: {stats:?}");
    }
    let sea = draw(&data, (124.0, 30.8), 10.0, LabelLanguage::Chinese);
    assert_eq!(built_up_items(&sea), 0);
    // A town's few cells appear from zoom 9; a city's at every zoom.
    let below = built_up_items(&draw(&data, DIANSHAN, 8.99, LabelLanguage::Chinese));
    let from = built_up_items(&draw(&data, DIANSHAN, 9.0, LabelLanguage::Chinese));
    assert!(
        below >= 1 && below < from,
        "below zoom 9: {below}, at 9: {from}"
    );
}

#[test]
fn built_up_areas_are_drawn_after_the_land_and_before_lakes_rivers_and_the_plan() {
    let data = data();
    let scene = Scene::build(&data.plan, &data.basemap, &data.style);
    let first = |prefix: &str| {
        scene
            .items
            .iter()
            .position(|i| match &i.key {
                onemap::map::ItemKey::Basemap(k) => !prefix.is_empty() && k.starts_with(prefix),
                onemap::map::ItemKey::Feature(_) => prefix.is_empty(),
            })
            .unwrap_or_else(|| panic!("no item {prefix}"))
    };
    let last_built_up = scene
        .items
        .iter()
        .rposition(
            |i| matches!(&i.key, onemap::map::ItemKey::Basemap(k) if k.starts_with("built_up.")),
        )
        .unwrap();
    assert!(first("land") < first("built_up."));
    for later in ["lake.", "waterway.", "boundary.", "place.", ""] {
        assert!(
            last_built_up < first(later),
            "built-up areas drawn after {later:?}"
        );
    }
}

/// Where `at` falls on the 960 × 540 export centred on `center` at map zoom `zoom`: the map's
/// centre is the image's, at 256 × 2^zoom pixels to the width of the world in Web Mercator.
fn pixel_of(at: (f64, f64), center: (f64, f64), zoom: f64) -> (f64, f64) {
    let mercator = |(lon, lat): (f64, f64)| {
        let y = (1.0 - lat.to_radians().tan().asinh() / std::f64::consts::PI) / 2.0;
        ((lon + 180.0) / 360.0, y)
    };
    let scale = 256.0 * 2f64.powf(zoom);
    let (a, c) = (mercator(at), mercator(center));
    (480.0 + (a.0 - c.0) * scale, 270.0 + (a.1 - c.1) * scale)
}

/// The pixels of the `side` × `side` window of the 960-pixel-wide image centred on `at`.
fn window(pixels: &[u8], at: (f64, f64), side: usize) -> Vec<u8> {
    let (x0, y0) = (at.0 as usize - side / 2, at.1 as usize - side / 2);
    (y0..y0 + side)
        .flat_map(|y| pixels[(y * 960 + x0) * 4..(y * 960 + x0 + side) * 4].to_vec())
        .collect()
}

#[test]
fn an_export_fills_the_ground_under_shanghai_centre_as_built_up() {
    // Shanghai left of the middle, clear of the title, the note and the legend.
    let center = (SHANGHAI.0 + 0.35, SHANGHAI.1 - 0.05);
    let (pixels, data) = export_pixels(center, 10.0);
    let at = pixel_of(SHANGHAI, center, 10.0);
    let fill = |id: &str| data.style.layer(id).and_then(|l| l.paint.fill).unwrap();
    let around = window(&pixels, at, 100);
    let built_up = share_of(&around, fill("basemap.built_up"));
    let land = share_of(&around, fill("basemap.land"));
    println!("built-up {built_up:.3}, land {land:.3}");
    assert!(
        built_up > 0.3 && built_up > 2.0 * land,
        "built-up on {:.1} %, bare land on {:.1} % of the window",
        built_up * 100.0,
        land * 100.0
    );
}
