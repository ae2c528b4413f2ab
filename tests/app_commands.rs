//! The app's command path, headless: what the app adds to a command that the panel sending it
//! cannot (a comment's author and time), and when the recovery journal is written, frame by
//! frame on a plain egui context with a clock the test moves.

// An integration test is a crate of its own, which clippy's allow-unwrap-in-tests (clippy.toml)
// does not cover outside #[test] functions: its helpers unwrap too, a panic being a failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::root;

use std::path::{Path, PathBuf};
use std::time::Duration;

use onemap::app::journal::JOURNAL_INTERVAL;
use onemap::app::{AppCommand, AppData, OneMapApp};
use onemap::io::DataDir;
use onemap::io::clock::Clock;
use onemap::model::LabelLanguage;
use onemap::model::project::PlacementId;
use onemap::model::view::ViewCommand;

fn app() -> OneMapApp {
    let data = AppData::load(&DataDir::at(root())).unwrap();
    let default_project = data.dir.default_project();
    let mut app = OneMapApp::new(data);
    app.open_at_start(&default_project);
    app
}

/// The form only says what was typed: the app signs and dates the comment (the panel never
/// reads the clock), and adding it is one undo step.
#[test]
fn a_placement_comment_is_signed_dated_and_undone_in_one_step() {
    let mut a = app();
    let id = PlacementId("placement.husuhu-railway".into());
    let before = a.doc.project.placements[&id].comments.len();
    a.run_commands(vec![AppCommand::CommentOnPlacement {
        id: id.clone(),
        text: "站点需与嘉兴南站衔接".into(),
    }]);
    let comments = &a.doc.project.placements[&id].comments;
    assert_eq!(comments.len(), before + 1);
    let added = comments.last().unwrap();
    assert_eq!(added.text, "站点需与嘉兴南站衔接");
    assert!(!added.author.is_empty());
    // An RFC 3339 UTC time, e.g. 2026-11-28T12:00:00Z.
    assert_eq!(added.time.len(), 20, "{}", added.time);
    assert!(added.time.ends_with('Z'), "{}", added.time);

    a.run_commands(vec![AppCommand::Undo]);
    assert_eq!(a.doc.project.placements[&id].comments.len(), before);
}

/// A comment on a placement that is gone (deleted in the same frame) changes nothing.
#[test]
fn a_comment_on_a_missing_placement_changes_nothing() {
    let mut a = app();
    let before = a.doc.project.clone();
    a.run_commands(vec![AppCommand::CommentOnPlacement {
        id: PlacementId("placement.not-there".into()),
        text: "?".into(),
    }]);
    assert_eq!(a.doc.project, before);
    assert!(!a.doc.is_dirty());
}

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("onemap-commands-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Draws one frame of the whole app, as eframe would, and returns how long egui may wait
/// before the next one (`Duration::MAX`: until there is input).
fn frame(ctx: &egui::Context, app: &mut OneMapApp) -> Duration {
    // egui's own time moves a second a frame, so that its animations end.
    let time = ctx.input(|i| i.time) + 1.0;
    let input = egui::RawInput {
        time: Some(time),
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(1400.0, 900.0),
        )),
        ..Default::default()
    };
    let mut output = ctx.run_ui(input, |ui| app.ui(ui));
    // No renderer here to take the font textures.
    output.textures_delta.clear();
    output.viewport_output[&egui::ViewportId::ROOT].repaint_delay
}

/// Draws frames until egui needs no more of its own (a change of labels or of the window title
/// asks for one at once) and returns the wait the window is left with.
fn settle(ctx: &egui::Context, app: &mut OneMapApp) -> Duration {
    for _ in 0..10 {
        let wait = frame(ctx, app);
        if !wait.is_zero() {
            return wait;
        }
    }
    Duration::ZERO
}

/// The journals in `dir`.
fn journals(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect()
}

fn change_the_view(app: &mut OneMapApp, language: LabelLanguage) {
    app.run_commands(vec![AppCommand::View(ViewCommand::SetLanguage(language))]);
}

fn assert_near(wait: Duration, expected: Duration) {
    let off = wait.abs_diff(expected);
    assert!(
        off < Duration::from_millis(5),
        "egui was asked to wake the window in {wait:?}, not {expected:?}"
    );
}

/// egui draws frames only on input. A window left alone with unsaved work must still get its
/// journal: the app asks egui to wake it when the journal is due, 30 s after the last one.
#[test]
fn an_idle_window_with_unsaved_work_is_woken_to_write_the_journal() {
    let dir = scratch("journal");
    let mut a = app();
    a.files.use_journal_dir(Some(dir.clone()));
    let clock = Clock::manual();
    a.files.clock = clock.clone();
    let ctx = egui::Context::default();
    for _ in 0..4 {
        frame(&ctx, &mut a);
    }
    assert_eq!(
        frame(&ctx, &mut a),
        Duration::MAX,
        "a saved project asks for no frame"
    );
    assert!(journals(&dir).is_empty());

    // A change to the view is unsaved work that is not written at once by the edit itself.
    change_the_view(&mut a, LabelLanguage::English);
    assert!(journals(&dir).is_empty());
    frame(&ctx, &mut a);
    let written = journals(&dir);
    assert_eq!(
        written.len(),
        1,
        "the first unsaved work is journaled at the next frame"
    );
    std::fs::remove_file(&written[0]).unwrap();

    clock.advance(Duration::from_secs(10));
    change_the_view(&mut a, LabelLanguage::Both);
    assert_near(settle(&ctx, &mut a), Duration::from_secs(20));
    assert!(journals(&dir).is_empty(), "not before 30 s have passed");

    // Idle frames (the window is woken early by something else) keep the appointment.
    clock.advance(Duration::from_millis(19_900));
    assert_near(settle(&ctx, &mut a), Duration::from_millis(100));
    assert!(journals(&dir).is_empty());

    clock.advance(Duration::from_millis(100));
    assert_eq!(clock.now(), JOURNAL_INTERVAL);
    frame(&ctx, &mut a);
    assert_eq!(
        journals(&dir).len(),
        1,
        "written when the wake-up comes, 30 s after the last"
    );

    // The journal holds the project now: nothing more to wake up for.
    clock.advance(Duration::from_secs(600));
    assert_eq!(settle(&ctx, &mut a), Duration::MAX);
    let _ = std::fs::remove_dir_all(&dir);
}

/// A review report is written beside the versions compared, never over them: choosing the
/// project's own name for the report is refused, and both files keep their bytes.
#[test]
fn a_review_report_never_writes_over_a_version_it_compares() {
    let dir = scratch("report");
    let project = root().join("assets/projects/sma-2022.onemap");
    let mine = dir.join("mine.onemap");
    let theirs = dir.join("theirs.onemap");
    std::fs::copy(&project, &mine).unwrap();
    std::fs::copy(&project, &theirs).unwrap();
    let before = std::fs::read(&mine).unwrap();

    let mut a = app();
    a.open_at_start(&mine);
    a.run_commands(vec![AppCommand::CompareWith(theirs.clone())]);
    a.run_commands(vec![AppCommand::WriteReport(mine.clone())]);
    assert_eq!(
        std::fs::read(&mine).unwrap(),
        before,
        "the project was overwritten"
    );
    assert!(
        !dir.join("mine.png").exists(),
        "the picture was written anyway"
    );
    match &a.files.dialog {
        Some(onemap::command::Dialog::Message { text, error, .. }) => {
            assert!(*error);
            assert!(text.contains("mine.onemap"), "{text}");
        }
        other => panic!("no error shown: {other:?}"),
    }

    // A report under its own name is written, picture and all.
    let report = dir.join("report.md");
    a.run_commands(vec![AppCommand::WriteReport(report.clone())]);
    assert!(report.exists() && dir.join("report.png").exists());
}
