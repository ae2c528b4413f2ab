//! Features a few pixels across (`map::hairline`): drawn without egui's feathering, a feature
//! at most two pixels across as one dot, dashes kept where they can be seen. Pixels from the
//! export's rasterizer.

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

/// The map of `overlay` (over an empty `plan`) through `transform`, rasterized as an export
/// is; through `cache` when given.
fn draw(
    (plan, overlay): (&Scene, &Scene),
    style: &Style,
    transform: ScreenTransform,
    cache: Option<&mut PaintCache>,
) -> Image {
    let view = ViewSettings::from_style(style);
    let none = BTreeSet::new();
    let sketches = sketches();
    let mut cache = cache;
    render(W, H, 1.0, |painter, rect| {
        let map = MapFrame {
            scene: plan,
            overlay,
            sketches: &sketches,
            style,
            view: &view,
            transform,
            rect,
            hovered: None,
            selected: &[],
            symbol_scale: 1.0,
            line_scale: 1.0,
            hidden: &none,
            sketched: &none,
            sketches_shown: true,
        };
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
