//! Moving about the map as a hand does it (issue 16): the first drag in Move mode moves an
//! unselected placement and opening its form does not move the map; the wheel zooms by at most
//! half a level a notch, about the pointer, within the zooms the map supports; and a click on
//! one spot picks the same feature every time, the topmost first, Alt+click cycling.

// An integration test is a crate of its own, which clippy's allow-unwrap-in-tests (clippy.toml)
// does not cover outside #[test] functions: its helpers unwrap too, a panic being a failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::pointer::*;

use egui::{Event, Pos2};
use egui_kittest::Harness;
use onemap::app::OneMapApp;
use onemap::model::FeatureId;
use onemap::model::project::{PlacementGeometry, PlacementId};

fn harness() -> Harness<'static, OneMapApp> {
    app_harness()
}

fn button(pos: Pos2, pressed: bool, modifiers: egui::Modifiers) -> Event {
    button_event(pos, egui::PointerButton::Primary, pressed, modifiers)
}

/// A primary-button drag from `from` to `to` in ten pointer moves, a frame each.
fn drag(h: &mut Harness<'_, OneMapApp>, from: Pos2, to: Pos2) {
    h.event(Event::PointerMoved(from));
    h.step();
    h.event(button(from, true, Default::default()));
    h.step();
    for k in 1..=10 {
        let t = k as f32 / 10.0;
        h.event(Event::PointerMoved(from + (to - from) * t));
        h.step();
    }
    h.event(button(to, false, Default::default()));
    h.run();
}

#[test]
fn the_first_drag_in_move_mode_moves_an_unselected_placement_and_the_map_stays() {
    let mut h = harness();
    h.state_mut().snap_on = false;
    h.key_press(egui::Key::M);
    h.run();
    assert!(h.state().selected.is_none());
    let airport = (121.1, 32.0);
    let from = screen_of(&h, airport.0, airport.1);
    let landmark = screen_of(&h, 120.0, 31.0);
    let to = from + egui::vec2(-120.0, 80.0);
    let target = h.state().last_transform.unwrap().to_lonlat(to);
    drag(&mut h, from, to);
    let id = PlacementId("placement.nantong-new-airport".into());
    assert_eq!(
        h.state().selected,
        Some(FeatureId(id.0.clone())),
        "the moved placement is selected: its form is open"
    );
    let moved = screen_of(&h, 120.0, 31.0);
    assert!(
        moved.distance(landmark) < 1.0,
        "opening the form did not move the map: {landmark:?} → {moved:?}"
    );
    let PlacementGeometry::Point((x, y)) = h.state().doc.project.placements[&id].geometry else {
        panic!("a point")
    };
    assert!(
        (x - target.x).abs() < 0.01 && (y - target.y).abs() < 0.01,
        "moved to where it was dropped: ({x}, {y}), not {target:?}"
    );
    assert_eq!(
        h.state().doc.history.undo_label(),
        Some("move 南通新机场"),
        "one step"
    );
}

fn wheel_event(unit: egui::MouseWheelUnit, dy: f32) -> Event {
    Event::MouseWheel {
        unit,
        delta: egui::vec2(0.0, dy),
        phase: egui::TouchPhase::Move,
        source: egui::MouseWheelSource::Unknown,
        modifiers: Default::default(),
    }
}

/// Wheel events at `at`, each in a frame of its own, then frames until the map settles.
fn wheel(h: &mut Harness<'_, OneMapApp>, at: Pos2, events: &[Event]) {
    h.event(Event::PointerMoved(at));
    h.step();
    for e in events {
        h.event(e.clone());
        h.step();
    }
    h.run();
}

fn zoom(h: &Harness<'_, OneMapApp>) -> f64 {
    h.state().memory.zoom()
}

#[test]
fn a_wheel_notch_zooms_half_a_level_about_the_pointer() {
    use egui::MouseWheelUnit::{Line, Point};
    let mut h = harness();
    let start = zoom(&h);
    // Off the map's centre, so that zooming about the centre would move it.
    let at = screen_of(&h, 120.3, 31.6);
    let notch = wheel_event(Line, 1.0);
    wheel(&mut h, at, std::slice::from_ref(&notch));
    let one = zoom(&h) - start;
    assert!(
        (one - 0.5).abs() < 1e-6,
        "one notch: {one} levels (at most half a level)"
    );
    let still = screen_of(&h, 120.3, 31.6);
    assert!(
        still.distance(at) < 1.0,
        "what was under the pointer stays there: {at:?} → {still:?}"
    );
    wheel(&mut h, at, &vec![notch; 6]);
    let seven = zoom(&h) - start;
    assert!((seven - 3.5).abs() < 1e-6, "seven notches: {seven} levels");
    assert!(screen_of(&h, 120.3, 31.6).distance(at) < 1.0);
    // Back out the same way.
    wheel(&mut h, at, &vec![wheel_event(Line, -1.0); 7]);
    assert!((zoom(&h) - start).abs() < 1e-6, "{} vs {start}", zoom(&h));

    // A trackpad's fine steps add up to what one step of their sum does: no step is rounded
    // up to a notch.
    let z = zoom(&h);
    wheel(&mut h, at, &vec![wheel_event(Point, 4.0); 10]);
    let fine = zoom(&h) - z;
    wheel(&mut h, at, &[wheel_event(Point, -40.0)]);
    let back = zoom(&h) - z;
    assert!(
        fine > 0.05 && fine < 0.5,
        "40 points of trackpad: {fine} levels"
    );
    assert!(back.abs() < 1e-6, "and 40 points back return: {back}");
}

#[test]
fn the_zoom_stays_within_what_the_map_supports() {
    use egui::MouseWheelUnit::Line;
    let mut h = harness();
    let at = screen_of(&h, 121.0, 31.0);
    wheel(&mut h, at, &vec![wheel_event(Line, 1.0); 60]);
    assert_eq!(zoom(&h), 26.0, "the wheel stops at the map's maximum");
    wheel(&mut h, at, &vec![wheel_event(Line, -1.0); 60]);
    assert_eq!(zoom(&h), 0.0, "and at its minimum");
    // The keys too: from 25.5, + goes to 26 (not refused for overshooting).
    h.state_mut().memory.set_zoom(25.5).unwrap();
    h.key_press(egui::Key::Plus);
    h.run();
    assert_eq!(zoom(&h), 26.0);
    h.state_mut().memory.set_zoom(0.5).unwrap();
    h.key_press(egui::Key::Minus);
    h.run();
    assert_eq!(zoom(&h), 0.0);
}

fn alt_click(h: &mut Harness<'_, OneMapApp>, pos: Pos2, alt: bool) {
    let modifiers = if alt {
        egui::Modifiers::ALT
    } else {
        egui::Modifiers::NONE
    };
    h.event(Event::ModifiersChanged(modifiers));
    h.event(Event::PointerMoved(pos));
    h.step();
    h.event(button(pos, true, modifiers));
    h.step();
    h.event(button(pos, false, modifiers));
    h.step();
    h.event(Event::ModifiersChanged(egui::Modifiers::NONE));
    h.run();
}

/// Where a feature is drawn: after every item before it (the plan's scene, then the overlay).
fn draw_position(h: &Harness<'_, OneMapApp>, id: &FeatureId) -> usize {
    let s = h.state();
    let key = onemap::map::ItemKey::Feature(id.clone());
    let last = |items: &[onemap::map::scene::Item]| items.iter().rposition(|i| i.key == key);
    last(&s.doc.overlay.items)
        .map(|i| s.scene.items.len() + i)
        .or_else(|| last(&s.scene.items))
        .expect("the feature is drawn")
}

#[test]
fn a_spot_picks_its_topmost_feature_every_time_and_alt_click_cycles_through_the_rest() {
    let mut h = harness();
    // Suzhou: the city's symbol over its boundary, its tier and the zones around it.
    let spot = screen_of(&h, 120.585, 31.299);
    alt_click(&mut h, spot, false);
    let first = h.state().selected.clone().expect("something is picked");
    alt_click(&mut h, spot, false);
    assert_eq!(h.state().selected.as_ref(), Some(&first), "the same again");

    let mut cycle = vec![first.clone()];
    for _ in 0..12 {
        alt_click(&mut h, spot, true);
        let now = h.state().selected.clone().expect("Alt+click picks");
        if now == first {
            break;
        }
        assert!(
            !cycle.contains(&now),
            "each once a round: {cycle:?} then {now:?}"
        );
        cycle.push(now);
    }
    assert!(cycle.len() >= 3, "the features under Suzhou: {cycle:?}");
    assert_eq!(
        h.state().selected.as_ref(),
        Some(&first),
        "a round of Alt+clicks comes back to the first: {cycle:?}"
    );
    let positions: Vec<usize> = cycle.iter().map(|id| draw_position(&h, id)).collect();
    assert!(
        positions.windows(2).all(|w| w[0] > w[1]),
        "topmost drawn first, then down the drawing order: {cycle:?} at {positions:?}"
    );
}
