//! Label collision: where two labels would overlap, the more important one (the lower
//! priority number, tier 1 first) is placed and the other is dropped, whatever order they
//! come in. Headless: egui lays the text out with its default fonts, nothing is displayed.

// An integration test is a crate of its own, which clippy's allow-unwrap-in-tests (clippy.toml)
// does not cover outside #[test] functions: its helpers unwrap too, a panic being a failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::{BTreeMap, BTreeSet};

use egui::{Rect, pos2};
use onemap::map::labels::{LabelCandidate, place_labels};
use onemap::map::scene::{Label, LabelPlacement, merc};
use onemap::map::{MapFrame, Scene, ScreenTransform};
use onemap::model::LabelLanguage;
use onemap::model::style::{LabelPaint, Rgba};
use onemap::model::view::ViewSettings;

const SCREEN: Rect = Rect::from_min_max(pos2(0.0, 0.0), pos2(800.0, 600.0));

fn label(name: &str, lon: f64, lat: f64, priority: u32) -> Label {
    Label {
        name_zh: String::new(),
        name_en: name.to_owned(),
        anchor: merc(geo::Coord { x: lon, y: lat }),
        paint: LabelPaint {
            size_px: 14.0,
            color: Rgba(20, 20, 20, 255),
            priority,
        },
        placement: LabelPlacement::Centred,
    }
}

/// The texts `place_labels` places, with the labels offered in the given order, on a map of
/// Shanghai at zoom 9 (about 260 m per pixel).
fn placed(labels: &[Label]) -> Vec<String> {
    let style = onemap::io::read_style(&common::root().join("assets/style.ron"))
        .expect("the built-in style reads");
    let scene = Scene::build_overlay(&[], &style);
    let mut view = ViewSettings::from_style(&style);
    view.language = LabelLanguage::English;
    let sketches = BTreeMap::new();
    let none = BTreeSet::new();
    let frame = MapFrame {
        scene: &scene,
        overlay: &scene,
        sketches: &sketches,
        style: &style,
        view: &view,
        transform: ScreenTransform::new(
            9.0,
            geo::Coord {
                x: 121.47,
                y: 31.23,
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
    let mut texts = Vec::new();
    let mut output = ctx.run_ui(egui::RawInput::default(), |ui| {
        let painter = ui.painter().clone();
        let candidates = labels
            .iter()
            .map(|label| LabelCandidate {
                label,
                opacity: 1.0,
                symbol_px: 0.0,
                indicative: false,
            })
            .collect();
        texts = place_labels(candidates, &frame, &painter, &mut Vec::new());
    });
    // Nothing is painted: the font atlas egui made for the layout is not wanted.
    output.textures_delta.clear();
    texts
}

#[test]
fn of_two_labels_at_one_place_the_less_important_is_dropped() {
    let city = label("Suzhou", 120.585, 31.299, 1);
    let town = label("Wuzhong", 120.585, 31.299, 3);
    assert_eq!(placed(&[city.clone(), town.clone()]), ["Suzhou"]);
    // The order they are offered in does not matter: importance decides.
    assert_eq!(placed(&[town, city]), ["Suzhou"]);
}

#[test]
fn two_labels_apart_are_both_placed() {
    // The control for the test above: without the overlap, nothing is dropped. 0.5° of
    // longitude is about 180 px at this zoom, more than either label is wide.
    let west = label("Suzhou", 120.585, 31.299, 1);
    let east = label("Kunshan", 121.085, 31.299, 3);
    let texts = placed(&[east, west]);
    assert_eq!(texts, ["Suzhou", "Kunshan"]);
}
