//! The map's canvas (`map::canvas`): a large map's features drawn from a picture rendered on
//! a worker thread, a run of items at a time. The picture of a view shows what a frame painted
//! from scratch shows; hiding a layer, changing its opacity or its data shows in the very next
//! frame: the old picture is no longer shown, and until the new one lands the frame paints the
//! map without its largest layers (named as being drawn; never tessellated on the UI thread);
//! a pan or a zoom moves the old picture as a stand-in, and once the view stands still the new
//! picture shows what a fresh frame shows. Pixels from the export's rasterizer, as the app's
//! canvas renders them. Headless.

// An integration test is a crate of its own, which clippy's allow-unwrap-in-tests (clippy.toml)
// does not cover outside #[test] functions: its helpers unwrap too, a panic being a failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use egui::{Color32, Pos2, Rect, pos2};
use onemap::map::canvas::CanvasUse;
use onemap::map::paint_cache::CACHED_FROM;
use onemap::map::scene::SKETCH_PREFIX;
use onemap::map::{DrawStats, MapCanvas, MapFrame, PaintCache, Scene, ScreenTransform};
use onemap::model::project::SketchLayer;
use onemap::model::style::Style;
use onemap::model::view::ViewSettings;
use onemap::model::{FeatureId, PlanFeature};
use onemap::present::raster::{Image, Textures, rasterize};

const SCREEN: Rect = Rect::from_min_max(pos2(0.0, 0.0), pos2(400.0, 300.0));
const CENTRE: geo::Coord<f64> = geo::Coord { x: 121.4, y: 30.9 };

/// A grid of `n` small squares around Shanghai, the first `moved` of them shifted east. The
/// grid of a few more than [`CACHED_FROM`] squares lies in the view of zoom 10 at `CENTRE`.
fn features(n: usize, moved: usize) -> Vec<PlanFeature> {
    let grid = common::squares::Grid {
        origin: (121.16, 30.74),
        pitch: 0.006,
        side: 0.004,
    };
    common::squares::squares(&grid, n, moved)
}

fn sketches(visible: bool, opacity: f32) -> BTreeMap<String, SketchLayer> {
    common::squares::big_layer(visible, opacity)
}

/// An app's map panel, headless: one context whose textures (the canvas's picture among
/// them) are kept from frame to frame, as a GPU would.
struct Panel {
    ctx: egui::Context,
    textures: Textures,
    canvas: MapCanvas,
    cache: PaintCache,
    style: Style,
    plan: Scene,
    /// What the last frame drew.
    stats: DrawStats,
}

/// What a frame shows: the data, the layer's settings, where the map is.
struct Shown<'a> {
    overlay: &'a Scene,
    sketches: BTreeMap<String, SketchLayer>,
    transform: ScreenTransform,
}

impl Panel {
    fn new() -> Self {
        let style = onemap::io::read_style(&common::root().join("assets/style.ron")).unwrap();
        Self {
            ctx: egui::Context::default(),
            textures: Textures::default(),
            canvas: MapCanvas::default(),
            cache: PaintCache::default(),
            plan: Scene::build_overlay(&[], &style),
            style,
            stats: DrawStats::default(),
        }
    }

    /// One frame, through the canvas or (`fresh`) painted from scratch; its pixels.
    fn frame(&mut self, shown: &Shown<'_>, fresh: bool) -> (Image, CanvasUse) {
        let view = ViewSettings::from_style(&self.style);
        let none = BTreeSet::new();
        let map = MapFrame {
            scene: &self.plan,
            overlay: shown.overlay,
            sketches: &shown.sketches,
            style: &self.style,
            view: &view,
            transform: shown.transform,
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
        let input = egui::RawInput {
            screen_rect: Some(SCREEN),
            ..Default::default()
        };
        let mut used = CanvasUse::Painted;
        let (canvas, cache, stats) = (&mut self.canvas, &mut self.cache, &mut self.stats);
        let mut output = self.ctx.run_ui(input, |ui| {
            let painter = ui.painter().with_clip_rect(SCREEN);
            let shapes = if fresh {
                map.shapes(&painter).0
            } else {
                let (shapes, s, u) = map.shapes_canvas(
                    &painter,
                    canvas,
                    cache,
                    onemap::present::raster::canvas_raster,
                );
                (used, *stats) = (u, s);
                shapes
            };
            painter.extend(shapes);
        });
        self.textures.apply(&output.textures_delta);
        output.textures_delta.clear();
        let primitives = self.ctx.tessellate(output.shapes, output.pixels_per_point);
        let mut image = Image::new(400, 300, Color32::WHITE);
        rasterize(&mut image, &primitives, &self.textures, 1.0);
        (image, used)
    }

    /// Frames until one shows the picture of this very view.
    fn until_current(&mut self, shown: &Shown<'_>) -> Image {
        let start = Instant::now();
        loop {
            let (image, used) = self.frame(shown, false);
            if used == CanvasUse::Current {
                return image;
            }
            assert!(start.elapsed() < Duration::from_secs(120), "no picture");
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// The picture of this view, checked against a frame painted from scratch.
    fn current_as_fresh(&mut self, shown: &Shown<'_>) -> Image {
        let image = self.until_current(shown);
        let (fresh, _) = self.frame(shown, true);
        assert_close(&image, &fresh);
        image
    }
}

/// The pictures are alike but for rounding: a feature blended onto the transparent picture
/// and then onto the map rounds twice, onto the map once.
fn assert_close(a: &Image, b: &Image) {
    let worst = a
        .pixels
        .iter()
        .zip(&b.pixels)
        .map(|(p, q)| (0..4).map(|k| p[k].abs_diff(q[k])).max().unwrap_or(0))
        .max()
        .unwrap_or(0);
    assert!(
        worst <= 3,
        "the pictures differ by up to {worst} in a channel"
    );
}

/// How many pixels of two pictures differ.
fn differing(a: &Image, b: &Image) -> usize {
    a.pixels
        .iter()
        .zip(&b.pixels)
        .filter(|(p, q)| p != q)
        .count()
}

fn at(zoom: f64, centre: geo::Coord<f64>) -> ScreenTransform {
    ScreenTransform::new(zoom, centre, SCREEN.center())
}

#[test]
fn the_canvas_shows_what_a_fresh_frame_shows_and_every_change_shows_at_once() {
    let mut panel = Panel::new();
    let n = CACHED_FROM + 100;
    let overlay = Scene::build_overlay(&features(n, 0), &panel.style);
    let whole = Shown {
        overlay: &overlay,
        sketches: sketches(true, 1.0),
        transform: at(10.0, CENTRE),
    };
    // Until the first picture lands, the frame paints the map without the large layer (none
    // of its items is tessellated on the UI thread), and names it as being drawn.
    let (first, used) = panel.frame(&whole, false);
    assert_eq!(used, CanvasUse::Pending);
    assert_eq!(panel.stats.drawing, ["sketch:big"]);
    assert_eq!(panel.stats.items_per_layer.get("sketch:big"), None);
    assert_eq!(panel.cache.tessellations, 0);
    let without = Shown {
        sketches: sketches(false, 1.0),
        ..whole
    };
    let (fresh, _) = panel.frame(&without, true);
    assert_eq!(differing(&first, &fresh), 0);
    let shown = panel.current_as_fresh(&whole);
    assert!(
        differing(&shown, &Image::new(400, 300, Color32::WHITE)) > 10_000,
        "the features show"
    );
    assert_eq!(panel.canvas.renders, 1);
    let (again, used) = panel.frame(&whole, false);
    assert_eq!((used, differing(&again, &shown)), (CanvasUse::Current, 0));

    // Hidden, fainter, new data: the next frame no longer shows the old picture (the layer
    // hidden, or left out while its new picture is drawn), and then the new picture.
    for (change, shown_now, drawing) in [
        ("hidden", sketches(false, 1.0), false),
        ("fainter", sketches(true, 0.4), true),
    ] {
        let changed = Shown {
            sketches: shown_now,
            ..whole
        };
        let (next, used) = panel.frame(&changed, false);
        assert_eq!(used, CanvasUse::Pending, "{change}");
        assert_eq!(panel.stats.drawing.is_empty(), !drawing, "{change}");
        let (fresh, _) = panel.frame(&without, true);
        assert_eq!(differing(&next, &fresh), 0, "{change}");
        assert!(differing(&next, &shown) > 5_000, "{change} shows");
        panel.current_as_fresh(&changed);
    }
    let moved_data = Scene::build_overlay(&features(n, n / 2), &panel.style);
    let new_data = Shown {
        overlay: &moved_data,
        sketches: sketches(true, 1.0),
        transform: whole.transform,
    };
    let (next, used) = panel.frame(&new_data, false);
    assert_eq!(used, CanvasUse::Pending, "new data");
    assert_eq!(panel.stats.drawing, ["sketch:big"]);
    assert!(
        differing(&next, &shown) > 1_000,
        "the old data is not shown"
    );
    panel.current_as_fresh(&new_data);

    // A pan moves the old picture with the map; standing still, the new view's picture is
    // what a fresh frame shows. So does a zoom.
    let before = panel.canvas.renders;
    for (motion, transform) in [
        (
            "pan",
            at(
                10.0,
                geo::Coord {
                    x: 121.45,
                    y: 30.93,
                },
            ),
        ),
        (
            "zoom",
            at(
                10.5,
                geo::Coord {
                    x: 121.45,
                    y: 30.93,
                },
            ),
        ),
    ] {
        let moving = Shown {
            transform,
            sketches: new_data.sketches.clone(),
            ..new_data
        };
        let (_, used) = panel.frame(&moving, false);
        assert_eq!(used, CanvasUse::StandIn, "{motion}");
        panel.current_as_fresh(&moving);
    }
    assert_eq!(panel.canvas.renders, before + 2);
    // The UI thread never painted the large layer whole.
    assert_eq!(panel.cache.tessellations, 0);
}

#[test]
fn while_a_picture_is_drawn_the_small_layers_are_painted_and_the_largest_left_out() {
    let mut panel = Panel::new();
    let n = CACHED_FROM + 100;
    let small: Vec<PlanFeature> = features(40, 40)
        .into_iter()
        .map(|mut f| {
            f.id = FeatureId(format!("s{}", f.id.0));
            f.layer = format!("{SKETCH_PREFIX}small");
            f
        })
        .collect();
    let both: Vec<PlanFeature> = features(n, 0).into_iter().chain(small.clone()).collect();
    let overlay = Scene::build_overlay(&both, &panel.style);
    let mut layers = sketches(true, 1.0);
    let small_layer = SketchLayer {
        name: "small".into(),
        ..layers["big"].clone()
    };
    layers.insert("small".into(), small_layer);
    let shown = Shown {
        overlay: &overlay,
        sketches: layers.clone(),
        transform: at(10.0, CENTRE),
    };
    let (pending, used) = panel.frame(&shown, false);
    assert_eq!(used, CanvasUse::Pending);
    assert_eq!(panel.stats.drawing, ["sketch:big"]);
    assert_eq!(panel.stats.items_per_layer.get("sketch:small"), Some(&40));
    assert_eq!(panel.stats.items_per_layer.get("sketch:big"), None);
    assert_eq!(panel.cache.tessellations, 0);
    // Exactly the map without the large layer: the small one as a fresh frame paints it.
    let mut big_hidden = layers.clone();
    big_hidden.get_mut("big").unwrap().visible = false;
    let without_big = Shown {
        sketches: big_hidden,
        ..shown
    };
    let (fresh, _) = panel.frame(&without_big, true);
    assert_eq!(differing(&pending, &fresh), 0);
    assert!(
        differing(&pending, &Image::new(400, 300, Color32::WHITE)) > 100,
        "the small layer shows"
    );
    // Then the picture of both.
    panel.current_as_fresh(&shown);
    assert!(panel.stats.drawing.is_empty());
}

#[test]
fn a_picture_is_drawn_pixel_for_pixel_where_the_map_puts_it() {
    // The picture covers the view and its margin from a corner on the pixel grid, also when
    // the map's rectangle is not on it.
    let mut panel = Panel::new();
    let n = CACHED_FROM + 10;
    let overlay = Scene::build_overlay(&features(n, 0), &panel.style);
    let shown = Shown {
        overlay: &overlay,
        sketches: sketches(true, 1.0),
        transform: ScreenTransform::new(10.0, CENTRE, Pos2::new(200.3, 150.6)),
    };
    panel.current_as_fresh(&shown);
}

#[test]
fn a_picture_drawn_in_bands_of_rows_is_the_picture_drawn_whole() {
    // The worker draws one band of rows per core, each on its own thread, from the items that
    // reach it: the bands joined are, pixel for pixel, the picture drawn as one band. More
    // bands than cores here, for seams across the view, and translucent features.
    let n = CACHED_FROM + 100;
    let style = Panel::new().style;
    let overlay = Scene::build_overlay(&features(n, 0), &style);
    for (zoom, bands) in [(10.0, 3), (12.0, 7)] {
        let shown = Shown {
            overlay: &overlay,
            sketches: sketches(true, 0.6),
            transform: at(zoom, CENTRE),
        };
        let mut whole = Panel::new();
        whole.canvas.bands = Some(1);
        let mut in_bands = Panel::new();
        in_bands.canvas.bands = Some(bands);
        let (one, cut) = (whole.until_current(&shown), in_bands.until_current(&shown));
        assert!(
            differing(&one, &Image::new(400, 300, Color32::WHITE)) > 10_000,
            "the features show"
        );
        assert_eq!(differing(&one, &cut), 0, "{bands} bands at zoom {zoom}");
    }
}
