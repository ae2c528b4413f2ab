//! The map's paint cache (`map::paint_cache`): a large layer's features are tessellated once
//! per view, and the frames that reuse them show what a frame painted from scratch shows.
//! Any change of the data, a layer's visibility or opacity, or the view paints them again;
//! a change of selection does not need to, and still shows. Headless.

// An integration test is a crate of its own, which clippy's allow-unwrap-in-tests (clippy.toml)
// does not cover outside #[test] functions: its helpers unwrap too, a panic being a failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::{BTreeMap, BTreeSet};

use egui::epaint::{Primitive, Vertex};
use egui::{Rect, pos2};
use onemap::map::{ItemKey, MapFrame, PaintCache, Scene, ScreenTransform};
use onemap::model::project::SketchLayer;
use onemap::model::style::Style;
use onemap::model::view::ViewSettings;
use onemap::model::{FeatureId, PlanFeature};

const SCREEN: Rect = Rect::from_min_max(pos2(0.0, 0.0), pos2(800.0, 600.0));

/// A grid of `n` small squares around Shanghai, the first `moved` of them shifted east.
fn features(n: usize, moved: usize) -> Vec<PlanFeature> {
    let grid = common::squares::Grid {
        origin: (121.0, 30.7),
        pitch: 0.012,
        side: 0.008,
    };
    common::squares::squares(&grid, n, moved)
}

fn sketches(visible: bool, opacity: f32) -> BTreeMap<String, SketchLayer> {
    common::squares::big_layer(visible, opacity)
}

/// The triangles egui is handed for one frame of the map, painted through `cache` or, with
/// none, from scratch.
fn frame(
    ctx: &egui::Context,
    cache: Option<&mut PaintCache>,
    overlay: &Scene,
    sketches: &BTreeMap<String, SketchLayer>,
    selected: &[ItemKey],
    (style, plan): (&Style, &Scene),
    zoom: f64,
) -> (Vec<Vertex>, Vec<u32>) {
    let view = ViewSettings::from_style(style);
    let none = BTreeSet::new();
    let map = MapFrame {
        scene: plan,
        overlay,
        sketches,
        style,
        view: &view,
        transform: ScreenTransform::new(zoom, geo::Coord { x: 121.4, y: 30.9 }, SCREEN.center()),
        rect: SCREEN,
        hovered: None,
        selected,
        symbol_scale: 1.0,
        line_scale: 1.0,
        hidden: &none,
        sketched: &none,
        sketches_shown: true,
        tiles_under: false,
    };
    let input = egui::RawInput {
        screen_rect: Some(SCREEN),
        ..Default::default()
    };
    let mut cache = cache;
    let mut output = ctx.run_ui(input, |ui| {
        let painter = ui.painter().with_clip_rect(SCREEN);
        let (shapes, _) = match cache.as_deref_mut() {
            Some(cache) => map.shapes_cached(&painter, cache),
            None => map.shapes(&painter),
        };
        painter.extend(shapes);
    });
    output.textures_delta.clear();
    let (mut vertices, mut indices) = (Vec::new(), Vec::new());
    for p in ctx.tessellate(output.shapes, output.pixels_per_point) {
        if let Primitive::Mesh(m) = p.primitive {
            let base = vertices.len() as u32;
            indices.extend(m.indices.iter().map(|i| i + base));
            vertices.extend(m.vertices);
        }
    }
    (vertices, indices)
}

#[test]
fn a_cached_frame_is_the_frame_painted_from_scratch_and_any_change_paints_again() {
    let style = onemap::io::read_style(&common::root().join("assets/style.ron")).unwrap();
    let plan = Scene::build_overlay(&[], &style);
    let ctx = egui::Context::default();
    let mut cache = PaintCache::default();
    let n = onemap::map::paint_cache::CACHED_FROM + 100;
    let overlay = Scene::build_overlay(&features(n, 0), &style);
    let shown = sketches(true, 1.0);
    let check = |cache: &mut PaintCache, overlay: &Scene, sk, sel: &[ItemKey], zoom| {
        let cached = frame(&ctx, Some(cache), overlay, sk, sel, (&style, &plan), zoom);
        let fresh = frame(&ctx, None, overlay, sk, sel, (&style, &plan), zoom);
        assert!(cached == fresh, "the cached frame differs from a fresh one");
        cached
    };
    let first = check(&mut cache, &overlay, &shown, &[], 10.0);
    assert!(first.1.len() > 3 * n, "the features are drawn");
    assert_eq!(cache.tessellations, 1);
    assert_eq!(check(&mut cache, &overlay, &shown, &[], 10.0), first);
    assert_eq!(
        cache.tessellations, 1,
        "an unchanged view reuses the triangles"
    );

    let selected = [ItemKey::Feature(FeatureId("p7".into()))];
    let with_selection = check(&mut cache, &overlay, &shown, &selected, 10.0);
    assert_eq!(
        cache.tessellations, 1,
        "a selection is drawn over the features"
    );
    assert!(
        with_selection.1.len() > first.1.len(),
        "the selection shows"
    );

    let faint = sketches(true, 0.5);
    assert_ne!(check(&mut cache, &overlay, &faint, &[], 10.0), first);
    assert_eq!(cache.tessellations, 2, "a new opacity paints again");
    let hidden = sketches(false, 1.0);
    assert!(check(&mut cache, &overlay, &hidden, &[], 10.0).1.len() < first.1.len() / 10);
    let moved = Scene::build_overlay(&features(n, 5), &style);
    assert_ne!(check(&mut cache, &moved, &shown, &[], 10.0), first);
    assert_ne!(check(&mut cache, &moved, &shown, &[], 10.5), first);
    assert_eq!(check(&mut cache, &overlay, &shown, &[], 10.0), first);
    assert_eq!(
        cache.tessellations, 6,
        "hiding, new data, a zoom and back paint again"
    );
}
