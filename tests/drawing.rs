//! Drawing with the pointer as a hand does it (issue 16): a double-click that finishes a line
//! makes its position the last vertex, once; the first click of a new line is never lost; and
//! no placement is stored with consecutive duplicate vertices.

// An integration test is a crate of its own, which clippy's allow-unwrap-in-tests (clippy.toml)
// does not cover outside #[test] functions: its helpers unwrap too, a panic being a failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::pointer::*;

use egui::{Event, Pos2};
use egui_kittest::Harness;
use onemap::app::OneMapApp;
use onemap::model::project::{PlacementGeometry, PlacementId};

fn harness() -> Harness<'static, OneMapApp> {
    let mut h = app_harness();
    // Exact positions: snapping has its own tests.
    h.state_mut().snap_on = false;
    h
}

fn button(pos: Pos2, pressed: bool) -> Event {
    button_event(
        pos,
        egui::PointerButton::Primary,
        pressed,
        Default::default(),
    )
}

fn click_at(h: &mut Harness<'_, OneMapApp>, pos: Pos2) {
    h.event(Event::PointerMoved(pos));
    h.step();
    h.event(button(pos, true));
    h.step();
    h.event(button(pos, false));
    h.step();
}

/// How the two clicks of a double-click reach the app.
#[derive(Clone, Copy, Debug)]
enum Pace {
    /// Both in one frame (a slow frame, or xdotool's `click --repeat 2`).
    OneFrame,
    /// One frame each, a quarter of a second apart: egui sees a double-click.
    TwoFrames,
    /// Every press and release in a frame of its own, too far apart for egui to see a
    /// double-click (frames of a quarter second each, as under a slow software renderer).
    Slow,
}

fn double_click_at(h: &mut Harness<'_, OneMapApp>, pos: Pos2, pace: Pace) {
    h.event(Event::PointerMoved(pos));
    h.step();
    let clicks = [button(pos, true), button(pos, false)];
    match pace {
        Pace::OneFrame => {
            h.input_mut().events.extend(clicks.clone());
            h.input_mut().events.extend(clicks);
            h.step();
        }
        Pace::TwoFrames => {
            for _ in 0..2 {
                h.input_mut().events.extend(clicks.clone());
                h.step();
            }
        }
        Pace::Slow => {
            for _ in 0..2 {
                for e in clicks.clone() {
                    h.event(e);
                    h.step();
                }
            }
        }
    }
    h.run();
}

fn line_of(h: &Harness<'_, OneMapApp>, id: &str) -> Vec<(f64, f64)> {
    match &h.state().doc.project.placements[&PlacementId(id.into())].geometry {
        PlacementGeometry::LineString(l) => l.clone(),
        other => panic!("{id} is a line: {other:?}"),
    }
}

fn near(a: (f64, f64), b: (f64, f64)) -> bool {
    (a.0 - b.0).abs() < 0.005 && (a.1 - b.1).abs() < 0.005
}

const LINE: [(f64, f64); 4] = [(120.6, 30.7), (120.8, 30.75), (120.9, 30.9), (121.0, 30.95)];

/// Draws `LINE` with clicks and a double-click on its last point, taking the positions anew
/// before each click (a finished line opens its form, which narrows the map).
fn draw_line(h: &mut Harness<'_, OneMapApp>, shift: f64, pace: Pace) {
    let pts: Vec<(f64, f64)> = LINE.iter().map(|&(x, y)| (x, y + shift)).collect();
    for &(lon, lat) in &pts[..3] {
        let p = screen_of(h, lon, lat);
        click_at(h, p);
    }
    let p = screen_of(h, pts[3].0, pts[3].1);
    double_click_at(h, p, pace);
}

#[test]
fn a_double_click_makes_its_position_the_last_vertex_once() {
    for pace in [Pace::OneFrame, Pace::TwoFrames, Pace::Slow] {
        let mut h = harness();
        h.key_press(egui::Key::L);
        h.run();
        draw_line(&mut h, 0.0, pace);
        let line = line_of(&h, "placement.new-1");
        assert_eq!(line.len(), 4, "{pace:?}: {line:?}");
        assert!(near(line[3], LINE[3]), "{line:?}");
        assert!(
            line.windows(2).all(|w| w[0] != w[1]),
            "no repeated vertex: {line:?}"
        );
        assert!(h.state().draft.is_empty());
    }
}

#[test]
fn five_lines_drawn_one_after_another_keep_every_first_click() {
    let mut h = harness();
    h.key_press(egui::Key::L);
    h.run();
    for n in 0..5 {
        let shift = 0.12 * f64::from(n);
        let pace = [Pace::OneFrame, Pace::TwoFrames, Pace::Slow][n as usize % 3];
        draw_line(&mut h, shift, pace);
        let line = line_of(&h, &format!("placement.new-{}", n + 1));
        assert_eq!(line.len(), 4, "line {}: {line:?}", n + 1);
        assert!(
            near(line[0], (LINE[0].0, LINE[0].1 + shift)),
            "line {} starts where its first click was: {line:?}",
            n + 1
        );
    }
}

/// Whatever path a geometry takes into the project, it is stored without a vertex repeated
/// next to itself: a drawing (a click repeated on the last vertex) and a plain edit alike.
#[test]
fn no_path_stores_consecutive_duplicate_vertices() {
    use onemap::app::AppCommand;
    use onemap::edit::Edit;
    let mut h = harness();
    let c = |x, y| geo::Coord { x, y };
    let state = h.state_mut();
    state.run_commands(vec![AppCommand::SetTool(onemap::command::Tool::Line)]);
    state.run_commands(
        [
            c(120.6, 30.7),
            c(120.8, 30.8),
            c(120.8, 30.8),
            c(120.9, 30.9),
        ]
        .into_iter()
        .map(AppCommand::AddVertex)
        .chain([AppCommand::FinishDrawing])
        .collect(),
    );
    assert_eq!(
        line_of(&h, "placement.new-1"),
        [(120.6, 30.7), (120.8, 30.8), (120.9, 30.9)]
    );

    let id = PlacementId("placement.new-1".into());
    let mut placement = h.state().doc.project.placements[&id].clone();
    placement.geometry =
        PlacementGeometry::LineString(vec![(120.6, 30.7), (120.6, 30.7), (121.0, 31.0)]);
    h.state_mut()
        .run_commands(vec![AppCommand::Edit(Box::new(Edit::SetPlacement {
            id: id.clone(),
            placement: placement.clone(),
        }))]);
    assert_eq!(
        line_of(&h, "placement.new-1"),
        [(120.6, 30.7), (121.0, 31.0)]
    );

    // Nothing left of a line but one position: refused, the line kept as it was.
    placement.geometry = PlacementGeometry::LineString(vec![(120.6, 30.7), (120.6, 30.7)]);
    let err = Edit::SetPlacement { id, placement }
        .apply(&mut h.state().doc.project.clone())
        .unwrap_err();
    assert!(err.to_string().contains("2 distinct positions"), "{err}");
}

/// A slow frame gathers several clicks (seen under Xvfb: the second of three clicks was
/// lost): each is a vertex, in order.
#[test]
fn clicks_that_reach_the_app_in_one_frame_each_add_their_vertex() {
    let mut h = harness();
    h.key_press(egui::Key::L);
    h.run();
    let first = screen_of(&h, LINE[0].0, LINE[0].1);
    click_at(&mut h, first);
    let burst: Vec<Pos2> = LINE[1..3]
        .iter()
        .map(|&(lon, lat)| screen_of(&h, lon, lat))
        .collect();
    for p in &burst {
        h.input_mut()
            .events
            .extend([Event::PointerMoved(*p), button(*p, true), button(*p, false)]);
    }
    h.step();
    h.run();
    let p = screen_of(&h, LINE[3].0, LINE[3].1);
    double_click_at(&mut h, p, Pace::OneFrame);
    let line = line_of(&h, "placement.new-1");
    assert_eq!(line.len(), 4, "{line:?}");
    for (v, want) in line.iter().zip(LINE) {
        assert!(near(*v, want), "{line:?}");
    }
}
