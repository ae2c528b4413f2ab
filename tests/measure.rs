//! The measure tool (issue 16): geodesic distance and area of clicked points, shown live in
//! the UI's language, copied with a button, and nothing added to the project.

// An integration test is a crate of its own, which clippy's allow-unwrap-in-tests (clippy.toml)
// does not cover outside #[test] functions: its helpers unwrap too, a panic being a failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::pointer::*;

use egui::Pos2;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use onemap::app::{AppCommand, OneMapApp};
use onemap::command::Tool;
use onemap::model::LabelLanguage;
use onemap::model::view::ViewCommand;

fn harness() -> Harness<'static, OneMapApp> {
    let mut h = app_harness();
    h.state_mut().snap_on = false;
    h
}

fn click_at(h: &mut Harness<'_, OneMapApp>, pos: Pos2) {
    click_with(h, pos, egui::PointerButton::Primary);
}

#[test]
fn measuring_shows_distance_and_area_copies_them_and_changes_nothing() {
    let mut h = harness();
    h.state_mut()
        .run_commands(vec![AppCommand::View(ViewCommand::SetLanguage(
            LabelLanguage::English,
        ))]);
    // The readout speaks the interface's language (the map's labels have their own).
    h.state_mut().help.prefs.ui_language = onemap::model::UiLanguage::English;
    h.state_mut().doc.accept_as_saved();
    let before = h.state().doc.project.clone();
    let undo_before = h.state().doc.history.undo_label().map(str::to_owned);
    h.key_press(egui::Key::R);
    h.run();
    assert_eq!(h.state().tool, Tool::Measure, "R picks the measure tool");

    // People's Square to Suzhou: 84.9 km on the ellipsoid.
    for (lon, lat) in [(121.4737, 31.2304), (120.5853, 31.2989)] {
        let p = screen_of(&h, lon, lat);
        click_at(&mut h, p);
    }
    let shown = h
        .query_by_label_contains("Distance 84.")
        .expect("the distance is shown, in English")
        .accesskit_node()
        .value()
        .unwrap();
    assert!(shown.ends_with(" km"), "{shown}");
    assert!(h.query_by_label_contains("距离").is_none(), "one language");

    let p = screen_of(&h, 121.0, 31.8);
    click_at(&mut h, p);
    let shown = h
        .query_by_label_contains("Area ")
        .expect("three points enclose an area")
        .accesskit_node()
        .value()
        .unwrap();
    assert!(shown.ends_with(" km²"), "{shown}");

    h.get_by_label("Copy").click();
    h.step();
    assert_eq!(
        copied(&h).as_deref(),
        Some(shown.as_str()),
        "copied as shown"
    );
    h.run();

    assert_eq!(
        h.state().doc.project,
        before,
        "nothing added to the project"
    );
    assert!(!h.state().doc.is_dirty());
    assert_eq!(
        h.state().doc.history.undo_label().map(str::to_owned),
        undo_before,
        "no undo step"
    );
    // Double-click and Enter finish nothing into the project either.
    h.key_press(egui::Key::Enter);
    h.run();
    assert_eq!(h.state().doc.project, before);

    h.key_press(egui::Key::Escape);
    h.run();
    assert!(h.state().draft.is_empty(), "Esc clears the measurement");
    assert_eq!(h.state().tool, Tool::Measure);
    h.key_press(egui::Key::Escape);
    h.run();
    assert_eq!(
        h.state().tool,
        Tool::Select,
        "and Esc again leaves the tool"
    );
}
