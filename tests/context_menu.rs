//! The map's right-click menu (issue 16): on a feature and on the map, each action a command
//! through the app's one mutation path (one undo step where it edits).

// An integration test is a crate of its own, which clippy's allow-unwrap-in-tests (clippy.toml)
// does not cover outside #[test] functions: its helpers unwrap too, a panic being a failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::pointer::*;

use egui::Pos2;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use onemap::app::{AppCommand, OneMapApp};
use onemap::command::Tool;
use onemap::model::LabelLanguage;
use onemap::model::project::PlacementId;
use onemap::model::view::ViewCommand;

fn harness() -> Harness<'static, OneMapApp> {
    let mut h = app_harness();
    h.state_mut()
        .run_commands(vec![AppCommand::View(ViewCommand::SetLanguage(
            LabelLanguage::English,
        ))]);
    h.state_mut().doc.accept_as_saved();
    h.run();
    h
}

fn right_click(h: &mut Harness<'_, OneMapApp>, pos: Pos2) {
    click_with(h, pos, egui::PointerButton::Secondary);
}

fn choose(h: &mut Harness<'_, OneMapApp>, item: &str) {
    h.get_by_label(item).click();
    h.run();
}

const AIRPORT: (f64, f64) = (121.1, 32.0);

#[test]
fn the_context_menu_copies_coordinates_duplicates_deletes_and_measures() {
    let mut h = harness();
    let start = h.state().doc.project.clone();
    let at = screen_of(&h, AIRPORT.0, AIRPORT.1);
    right_click(&mut h, at);
    assert!(
        h.query_by_label("Add comment").is_none(),
        "comments are for review"
    );
    h.get_by_label("Copy coordinates").click();
    h.step();
    let text = copied(&h).expect("copied");
    h.run();
    let (lon, lat) = text.split_once(',').unwrap();
    assert_eq!(lon.split_once('.').unwrap().1.len(), 6, "{text}");
    let (lon, lat): (f64, f64) = (lon.parse().unwrap(), lat.parse().unwrap());
    assert!(
        (lon - AIRPORT.0).abs() < 1e-3 && (lat - AIRPORT.1).abs() < 1e-3,
        "{text}"
    );
    assert_eq!(h.state().doc.project, start, "copying changes nothing");

    let at = screen_of(&h, AIRPORT.0, AIRPORT.1);
    right_click(&mut h, at);
    choose(&mut h, "Duplicate");
    let copy = PlacementId("placement.copy-1".into());
    assert!(h.state().doc.project.placements.contains_key(&copy));
    assert!(
        h.state()
            .doc
            .history
            .undo_label()
            .unwrap()
            .starts_with("duplicate"),
        "one step"
    );

    let at = screen_of(&h, AIRPORT.0, AIRPORT.1);
    right_click(&mut h, at);
    choose(&mut h, "Delete");
    let airport = PlacementId("placement.nantong-new-airport".into());
    let placements = &h.state().doc.project.placements;
    assert!(
        !placements.contains_key(&airport) || !placements.contains_key(&copy),
        "the right-clicked placement is deleted"
    );
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run();
    assert_eq!(h.state().doc.project, start, "two steps undone");

    // On the map away from any feature: no edits offered; measuring starts there.
    let sea = screen_of(&h, 123.3, 30.2);
    right_click(&mut h, sea);
    assert!(h.query_by_label("Delete").is_none());
    choose(&mut h, "Measure from here");
    assert_eq!(h.state().tool, Tool::Measure);
    let first = h.state().draft[0];
    assert!((first.x - 123.3).abs() < 1e-3 && (first.y - 30.2).abs() < 1e-3);
}

#[test]
fn zoom_to_and_select_from_the_context_menu() {
    let mut h = harness();
    let at = screen_of(&h, AIRPORT.0, AIRPORT.1);
    let zoom = h.state().memory.zoom();
    right_click(&mut h, at);
    choose(&mut h, "Select");
    assert_eq!(
        h.state().selected.as_ref().map(|f| f.0.as_str()),
        Some("placement.nantong-new-airport")
    );
    let at = screen_of(&h, AIRPORT.0, AIRPORT.1);
    right_click(&mut h, at);
    choose(&mut h, "Zoom to");
    assert!(
        h.state().memory.zoom() > zoom + 2.0,
        "zoomed to the airport"
    );
}
