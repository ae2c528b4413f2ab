//! Features a few pixels across (`map::hairline`): drawn without egui's feathering, a feature
//! at most two pixels across as one dot, dashes kept where they can be seen; and a pan reusing
//! the paint cache's shapes, moved (`map::paint_cache`). Pixels from the export's rasterizer.

// An integration test is a crate of its own, which clippy's allow-unwrap-in-tests (clippy.toml)
// does not cover outside #[test] functions: its helpers unwrap too, a panic being a failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::{BTreeMap, BTreeSet};

use egui::Color32;
use onemap::map::scene::{SKETCH_PREFIX, merc};
use onemap::map::{MapFrame, PaintCache, Scene, ScreenTransform};
use onemap::model::project::{SketchLayer, SketchSource};
use onemap::model::style::Style;
use onemap::model::view::ViewSettings;
use onemap::model::{FeatureId, PlanFeature};
use onemap::present::raster::Image;
use onemap::present::render::render;

const W: u32 = 400;
const H: u32 = 300;
const CENTRE: geo::Coord<f64> = geo::Coord { x: 121.4, y: 30.9 };

fn style() -> Style {
    onemap::io::read_style(&common::root().join("assets/style.ron")).unwrap()
}

/// A square `side` degrees wide with its south-west corner at `(x, y)`, in the data layer
/// "big" (the sketch layers' style: a dashed outline 2 px wide over a faint fill).
fn square(i: usize, x: f64, y: f64, side: f64) -> PlanFeature {
    let ring = vec![(x, y), (x + side, y), (x + side, y + side), (x, y + side)];
    PlanFeature {
        id: FeatureId(format!("p{i}")),
        layer: format!("{SKETCH_PREFIX}big"),
        geometry: geo::Polygon::new(ring.into(), vec![]).into(),
        properties: BTreeMap::new(),
    }
}

fn sketches() -> BTreeMap<String, SketchLayer> {
    let layer = SketchLayer {
        name: "big".into(),
        source: SketchSource::Referenced("big.geojson".into()),
        visible: true,
        opacity: 1.0,
        choices: Default::default(),
        label_field: None,
    };
    BTreeMap::from([("big".to_owned(), layer)])
}

/// The view settings and sketch layers a map of these tests is drawn with.
struct Settings {
    view: ViewSettings,
    sketches: BTreeMap<String, SketchLayer>,
}

impl Settings {
    fn of(style: &Style) -> Self {
        Self {
            view: ViewSettings::from_style(style),
            sketches: sketches(),
        }
    }

    /// The map of `overlay` (over `plan`) through `transform`, in `rect`.
    fn frame<'a>(
        &'a self,
        (plan, overlay): (&'a Scene, &'a Scene),
        style: &'a Style,
        transform: ScreenTransform,
        rect: egui::Rect,
    ) -> MapFrame<'a> {
        MapFrame {
            scene: plan,
            overlay,
            sketches: &self.sketches,
            style,
            view: &self.view,
            transform,
            rect,
            hovered: None,
            selected: &[],
            symbol_scale: 1.0,
            line_scale: 1.0,
            hidden: &onemap::map::draw::NO_FEATURES,
            sketched: &onemap::map::draw::NO_FEATURES,
            sketches_shown: true,
            tiles_under: false,
        }
    }
}

/// The map of `overlay` (over an empty `plan`) through `transform`, rasterized as an export
/// is; through `cache` when given.
fn draw(
    scenes: (&Scene, &Scene),
    style: &Style,
    transform: ScreenTransform,
    cache: Option<&mut PaintCache>,
) -> Image {
    draw_at(scenes, style, transform, 1.0, cache)
}

/// [`draw`] at `ppp` pixels per point.
fn draw_at(
    scenes: (&Scene, &Scene),
    style: &Style,
    transform: ScreenTransform,
    ppp: f32,
    mut cache: Option<&mut PaintCache>,
) -> Image {
    let settings = Settings::of(style);
    render(W, H, ppp, |painter, rect| {
        let map = settings.frame(scenes, style, transform, rect);
        let (shapes, _) = match cache.as_deref_mut() {
            Some(cache) => map.shapes_cached(painter, cache),
            None => map.shapes(painter),
        };
        painter.extend(shapes);
    })
    .to_image(Color32::WHITE)
}

fn at_zoom(zoom: f64) -> ScreenTransform {
    ScreenTransform::new(zoom, CENTRE, egui::pos2(W as f32 / 2.0, H as f32 / 2.0))
}

/// The outline's ink (220, 0, 160) and not the faint fill or the background: little green.
fn ink(p: [u8; 4]) -> bool {
    p[1] < 100 && p[0] > 120
}

#[test]
fn a_polygon_under_a_pixel_across_is_still_drawn_as_a_dot_of_its_outline_colour() {
    let style = style();
    let plan = Scene::build_overlay(&[], &style);
    // 0.0002° at zoom 10 is about a seventh of a pixel.
    let overlay = Scene::build_overlay(&[square(0, CENTRE.x, CENTRE.y, 0.0002)], &style);
    let image = draw((&plan, &overlay), &style, at_zoom(10.0), None);
    let background = image.pixel(0, 0);
    let inked: Vec<[u8; 4]> = image
        .pixels
        .iter()
        .copied()
        .filter(|p| *p != background)
        .collect();
    assert!(!inked.is_empty(), "the polygon shows");
    assert!(inked.len() <= 16, "as a dot: {} pixels", inked.len());
    assert!(
        inked.iter().any(|p| ink(*p)),
        "in its outline's ink: {inked:?}"
    );
}

/// Around the outline of the square with its south-west corner at CENTRE, `side` degrees
/// wide: whether each pixel along it (within a pixel across) is inked, in order around it,
/// the corners left out.
fn outline(image: &Image, transform: ScreenTransform, side: f64) -> Vec<bool> {
    let corner = |dx: f64, dy: f64| {
        transform.to_screen(merc(geo::Coord {
            x: CENTRE.x + dx,
            y: CENTRE.y + dy,
        }))
    };
    let (sw, ne) = (corner(0.0, 0.0), corner(side, side));
    let (x0, x1) = (sw.x.round() as i64, ne.x.round() as i64);
    let (y0, y1) = (ne.y.round() as i64, sw.y.round() as i64);
    let inked = |x: i64, y: i64| {
        (-1..=1).any(|d: i64| {
            let (px, py) = if y == y0 || y == y1 {
                (x, y + d)
            } else {
                (x + d, y)
            };
            ink(image.pixel(px as usize, py as usize))
        })
    };
    let mut around = Vec::new();
    around.extend((x0 + 2..=x1 - 2).map(|x| inked(x, y0)));
    around.extend((y0 + 2..=y1 - 2).map(|y| inked(x1, y)));
    around.extend((x0 + 2..=x1 - 2).rev().map(|x| inked(x, y1)));
    around.extend((y0 + 2..=y1 - 2).rev().map(|y| inked(x0, y)));
    around
}

/// How many runs of inked columns there are.
fn dashes(columns: &[bool]) -> usize {
    columns
        .iter()
        .zip(std::iter::once(&false).chain(columns))
        .filter(|(now, before)| **now && !**before)
        .count()
}

#[test]
fn dashed_outlines_stay_dashed_when_small_and_when_large() {
    let style = style();
    let plan = Scene::build_overlay(&[], &style);
    let transform = at_zoom(10.0);
    // About 12 px and 73 px across (periods of 9 px): the small one goes the unfeathered way.
    for (side, at_least) in [(0.016, 3), (0.1, 20)] {
        let overlay = Scene::build_overlay(&[square(0, CENTRE.x, CENTRE.y, side)], &style);
        let image = draw((&plan, &overlay), &style, transform, None);
        let middle = transform.to_screen(merc(geo::Coord {
            x: CENTRE.x + side / 2.0,
            y: CENTRE.y + side / 2.0,
        }));
        let inside = image.pixel(middle.x as usize, middle.y as usize);
        assert!(
            inside != image.pixel(0, 0) && !ink(inside),
            "{side}°: filled: {inside:?}"
        );
        let edge = outline(&image, transform, side);
        assert!(
            edge.iter().filter(|c| **c).count() > edge.len() / 3,
            "{side}°: the outline shows: {edge:?}"
        );
        assert!(
            dashes(&edge) >= at_least,
            "{side}°: dashed, at least {at_least} dashes: {edge:?}"
        );
    }
}

/// A grid of `n` squares around the centre, enough for the paint cache to be used.
fn grid(n: usize) -> Vec<PlanFeature> {
    (0..n)
        .map(|i| {
            let x = 121.0 + (i % 80) as f64 * 0.012;
            let y = 30.7 + (i / 80) as f64 * 0.012;
            square(i, x, y, 0.008)
        })
        .collect()
}

/// How many pixels differ, and by how much at most in any channel.
fn difference(a: &Image, b: &Image) -> (usize, u8) {
    let mut count = 0;
    let mut most = 0;
    for (p, q) in a.pixels.iter().zip(&b.pixels) {
        let d = p
            .iter()
            .zip(q)
            .map(|(x, y)| x.abs_diff(*y))
            .max()
            .unwrap_or(0);
        if d > 0 {
            count += 1;
            most = most.max(d);
        }
    }
    (count, most)
}

#[test]
fn a_pan_reuses_the_kept_shapes_moved_and_shows_what_a_fresh_frame_shows() {
    let style = style();
    let plan = Scene::build_overlay(&[], &style);
    let overlay = Scene::build_overlay(&grid(onemap::map::paint_cache::CACHED_FROM + 100), &style);
    // Squares of about 6 px (the unfeathered way) and 46 px (egui's feathered dashes).
    for zoom in [10.0, 13.0] {
        let mut cache = PaintCache::default();
        let start = at_zoom(zoom);
        let panned = |dx: f64, dy: f64| ScreenTransform {
            scale: start.scale,
            offset: [start.offset[0] + dx, start.offset[1] + dy],
        };
        draw((&plan, &overlay), &style, start, Some(&mut cache));
        assert_eq!(cache.tessellations, 1);
        // `exact`: a move by whole pixels, which egui's rounding of level and plumb lines to
        // the pixel grid does not tell apart.
        let mut check = |t: ScreenTransform, tessellations: u64, what: &str, exact: bool| {
            let cached = draw((&plan, &overlay), &style, t, Some(&mut cache));
            assert_eq!(cache.tessellations, tessellations, "zoom {zoom}: {what}");
            let fresh = draw((&plan, &overlay), &style, t, None);
            let (count, most) = difference(&cached, &fresh);
            // The moved vertices are rounded differently from fresh ones (by about 1e-4 px):
            // an edge passing almost exactly through a pixel centre may take it or leave it.
            assert!(
                !exact || count <= (W * H) as usize / 1000,
                "zoom {zoom}: {what}: {count} pixels differ from a fresh frame, by up to {most}"
            );
            count
        };
        let first = check(
            panned(17.0, -9.0),
            2,
            "the first pan paints again, with a margin",
            true,
        );
        assert_eq!(
            first, 0,
            "zoom {zoom}: painted again, it is the fresh frame"
        );
        check(
            panned(60.0, 40.0),
            2,
            "a pan within the margin moves the shapes",
            true,
        );
        check(panned(-50.0, 110.0), 2, "so does another", true);
        check(
            panned(60.0, 40.0),
            2,
            "a pan back and forth moves them",
            true,
        );
        check(
            panned(17.0, -9.0),
            2,
            "back to where they were painted",
            true,
        );
        check(panned(60.0, 40.0), 2, "and away again", true);
        check(panned(-50.0, 110.0), 2, "and on", true);
        let stopped = check(
            panned(-50.0, 110.0),
            3,
            "a pan that stops paints again",
            true,
        );
        assert_eq!(
            stopped, 0,
            "zoom {zoom}: exactly the fresh frame once stopped"
        );
        check(
            panned(-50.0, 110.0),
            3,
            "a still map reuses the shapes",
            true,
        );
        check(
            panned(400.0, 0.0),
            4,
            "a pan beyond the margin paints again",
            true,
        );
        check(
            panned(380.0, 5.0),
            4,
            "and a pan within the new margin moves them",
            true,
        );
        // Moved by a fraction of a pixel, level and plumb dashes are off the pixel grid by
        // that fraction until the pan stops.
        check(
            panned(380.5, 5.25),
            4,
            "a move by a fraction of a pixel moves them too",
            false,
        );
        let stopped = check(panned(380.5, 5.25), 5, "until it stops", true);
        assert_eq!(
            stopped, 0,
            "zoom {zoom}: exactly the fresh frame once stopped"
        );
    }
}

/// Concave polygons like those of `../shared/tools/gen_large_geojson.py` (19 corners, every
/// third one notched in to 0.55 of the radius), `n` of them, from a pixel to 21 px across at
/// `at_zoom(11.0)`, in the plain GeoJSON export's layer.
fn notched_polygons(n: usize) -> Vec<PlanFeature> {
    let mut seed = 7u64;
    let mut random = move || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 11) as f64 / (1u64 << 53) as f64
    };
    (0..n)
        .map(|i| {
            let (cx, cy) = (121.27 + random() * 0.26, 30.83 + random() * 0.14);
            let r = 0.0003 + random() * 0.007;
            let ring: Vec<(f64, f64)> = (0..19)
                .map(|k| {
                    let a = std::f64::consts::TAU * f64::from(k) / 19.0;
                    let rr = if k % 3 == 0 { 0.55 * r } else { r };
                    (cx + rr * a.cos(), cy + rr * a.sin())
                })
                .collect();
            PlanFeature {
                id: FeatureId(format!("p{i}")),
                layer: "geojson.0".into(),
                geometry: geo::Polygon::new(ring.into(), vec![]).into(),
                properties: BTreeMap::new(),
            }
        })
        .collect()
}

/// The pixels with ink (not white).
fn inked(image: &Image) -> Vec<bool> {
    image
        .pixels
        .iter()
        .map(|p| p.iter().any(|&c| c < 215))
        .collect()
}

/// How many inked pixels of `a` have no inked pixel of `b` within one pixel (3 × 3).
fn ink_farther_than_a_pixel(a: &Image, b: &Image) -> usize {
    let (ink_a, ink_b) = (inked(a), inked(b));
    let (w, h) = (a.width as i64, a.height as i64);
    let near = |x: i64, y: i64| {
        (-1..=1).any(|dy| {
            (-1..=1).any(|dx| {
                let (x, y) = (x + dx, y + dy);
                (0..w).contains(&x) && (0..h).contains(&y) && ink_b[(y * w + x) as usize]
            })
        })
    };
    (0..h)
        .flat_map(|y| (0..w).map(move |x| (x, y)))
        .filter(|&(x, y)| ink_a[(y * w + x) as usize] && !near(x, y))
        .count()
}

#[test]
fn the_export_simplified_to_the_pixel_stays_within_a_pixel_of_the_full_geometry() {
    // What `onemap export --geojson` draws: its style, its overlay simplified to the output's
    // pixel (`lod::simplified_to_pixel`), against the same features with every vertex.
    let style = onemap::present::export::geojson_style(&["big".into()], &[false]);
    let transform = at_zoom(11.0);
    let px_deg = 360.0 / (2f64.powf(11.0) * 256.0);
    let features = notched_polygons(600);
    let plan = Scene::build_overlay(&[], &style);
    let simplified = Scene::build_overlay_for_drawing(features.clone(), &style, px_deg);
    let full = Scene::build_overlay(&features, &style);
    let simplified = draw((&plan, &simplified), &style, transform, None);
    let full = draw((&plan, &full), &style, transform, None);
    let ink = inked(&full).iter().filter(|&&i| i).count();
    assert!(ink > 20_000, "the polygons cover much of the map: {ink} px");
    let (differ, _) = difference(&simplified, &full);
    assert!(differ > 0, "the simplification changed something");
    assert_eq!(ink_farther_than_a_pixel(&simplified, &full), 0);
    assert_eq!(ink_farther_than_a_pixel(&full, &simplified), 0);
}

/// [`draw`]'s map with its features drawn apart, in `bands` bands of rows, as `onemap export`
/// draws a large layer's (`present::map_items`).
fn draw_apart(
    scenes: (&Scene, &Scene),
    style: &Style,
    transform: ScreenTransform,
    (ppp, bands): (f32, usize),
) -> Image {
    use onemap::map::paint_cache::Tessellation;
    use onemap::present::map_items::{draw_items_in_bands, items_apart_marker};
    let settings = Settings::of(style);
    let map = |rect| settings.frame(scenes, style, transform, rect);
    let mut drawn_in = None;
    let rendered = render(W, H, ppp, |painter, rect| {
        let frame = map(rect);
        let t = Tessellation::of(painter);
        drawn_in = Some((rect, (t.ppp, t.options)));
        painter.extend(
            frame
                .shapes_with_items_apart(painter, items_apart_marker(&frame))
                .0,
        );
    });
    let (rect, tessellation) = drawn_in.unwrap();
    let mut calls = 0;
    let image = rendered.to_image_with(Color32::WHITE, &mut |image, textures| {
        calls += 1;
        draw_items_in_bands(&map(rect), image, textures, tessellation, bands);
    });
    assert_eq!(calls, 1, "the features are drawn once, where the marker is");
    image
}

/// The rows of the pixels that differ between two images.
fn rows_that_differ(a: &Image, b: &Image) -> BTreeSet<usize> {
    let w = a.width;
    (0..a.pixels.len())
        .filter(|&i| a.pixels[i] != b.pixels[i])
        .map(|i| i / w)
        .collect()
}

#[test]
fn features_drawn_apart_in_bands_are_the_pixels_of_the_features_painted_with_the_map() {
    // The export's large-layer path against the shapes path: thousands of small translucent
    // polygons over each other (without feathering, gathered into meshes), in the plain
    // GeoJSON export's style, with a row of point symbols across the middle of the map;
    // squares large and small with egui's feathered, dashed outlines (the sketch layers'
    // style). At a fractional scale too, cut into bands whose seams fall inside features.
    let mut layer = notched_polygons(3000);
    layer.extend((0..300).map(|i| PlanFeature {
        id: FeatureId(format!("point{i}")),
        layer: "geojson.0".into(),
        geometry: geo::Point::new(121.27 + 0.26 * (i as f64 / 300.0), CENTRE.y).into(),
        properties: BTreeMap::new(),
    }));
    let mut squares = grid(1600);
    squares.extend((0..12).map(|i| {
        let f = i as f64;
        square(10_000 + i, 121.28 + 0.02 * f, 30.84 + 0.009 * f, 0.03)
    }));
    let cases = [
        (
            onemap::present::export::geojson_style(&["big".into()], &[true]),
            layer,
        ),
        (style(), squares),
    ];
    let transform = at_zoom(11.0);
    for (case, (style, features)) in cases.iter().enumerate() {
        let plan = Scene::build_overlay(&[], style);
        let overlay = Scene::build_overlay(features, style);
        for ppp in [1.0, 1.5] {
            let painted = draw_at((&plan, &overlay), style, transform, ppp, None);
            let inked_px = inked(&painted).iter().filter(|&&i| i).count();
            assert!(
                inked_px > 20_000,
                "case {case}: much is drawn: {inked_px} px"
            );
            for bands in [1, 2, 3, 7] {
                let apart = draw_apart((&plan, &overlay), style, transform, (ppp, bands));
                let at = format!("case {case}: {bands} band(s) at {ppp} pixels per point");
                // Every pixel the same, but at the edges of the point symbols: drawn apart,
                // their circles are tessellated as paths, as the app's map canvas draws them
                // for the screen, not from egui's prepared discs (which a map of fewer items
                // is drawn with, on screen and in an export). Those lie within 8 points of the
                // middle row, where the points are.
                let (_, most) = difference(&apart, &painted);
                assert!(most <= 4, "{at}: {most} levels apart at most");
                let middle = (H as f32 / 2.0 * ppp) as usize;
                let reach = (8.0 * ppp) as usize;
                let rows = rows_that_differ(&apart, &painted);
                assert!(
                    rows.iter().all(|r| r.abs_diff(middle) <= reach),
                    "{at}: rows {rows:?} differ"
                );
                assert_eq!(rows.is_empty(), case == 1, "{at}: only the points differ");
            }
        }
    }
}
