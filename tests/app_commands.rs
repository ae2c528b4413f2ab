//! The app's command path, headless: what the app adds to a command that the panel sending it
//! cannot (a comment's author and time), and when the recovery journal is written.

mod common;
use common::root;

use onemap::app::{AppCommand, AppData, OneMapApp};
use onemap::io::DataDir;
use onemap::model::project::PlacementId;

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
