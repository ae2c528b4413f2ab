//! Moving about the map as a hand does it (issue 16): the first drag in Move mode moves an
//! unselected placement and opening its form does not move the map; the wheel zooms by at most
//! half a level a notch, about the pointer, within the zooms the map supports; and a click on
//! one spot picks the same feature every time, the topmost first, Alt+click cycling.

// An integration test is a crate of its own, which clippy's allow-unwrap-in-tests (clippy.toml)
// does not cover outside #[test] functions: its helpers unwrap too, a panic being a failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use egui::{Event, Pos2};
use egui_kittest::Harness;
use onemap::app::{AppData, OneMapApp, install_fonts};
use onemap::io::DataDir;
use onemap::map::scene::merc;
use onemap::model::FeatureId;
use onemap::model::project::{PlacementGeometry, PlacementId};

fn harness() -> Harness<'static, OneMapApp> {
    let data = AppData::load(&DataDir::at(env!("CARGO_MANIFEST_DIR"))).unwrap();
    let project = data.dir.default_project();
    let mut app = OneMapApp::new(data);
    app.open_at_start(&project);
    let mut h = Harness::builder()
        .with_size([1400.0, 900.0])
        .with_max_steps(8)
        .with_context_setup(install_fonts)
        .build_ui_state(|ui, app: &mut OneMapApp| app.ui(ui), app);
    h.run();
    h
}

fn screen_of(h: &Harness<'_, OneMapApp>, lon: f64, lat: f64) -> Pos2 {
    h.state()
        .last_transform
        .unwrap()
        .to_screen(merc(geo::Coord { x: lon, y: lat }))
}

fn button(pos: Pos2, pressed: bool, modifiers: egui::Modifiers) -> Event {
    Event::PointerButton {
        pos,
        button: egui::PointerButton::Primary,
        pressed,
        modifiers,
    }
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
