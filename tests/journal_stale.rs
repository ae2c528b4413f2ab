//! A recovery journal never offers less than what is saved: one written before its file was
//! saved again is not offered at the next start (it is kept aside, renamed, never deleted);
//! one that holds just what is saved is removed; one holding work done after the last save is
//! offered. Headless, through the app's own command path and frames.

// An integration test is a crate of its own, which clippy's allow-unwrap-in-tests (clippy.toml)
// does not cover outside #[test] functions: its helpers unwrap too, a panic being a failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::root;

use std::path::{Path, PathBuf};

use onemap::app::{AppCommand, AppData, OneMapApp};
use onemap::command::Dialog;
use onemap::io::{DataDir, load_project, save_project};
use onemap::model::LabelLanguage;
use onemap::model::view::ViewCommand;

/// A copy of the default project in its own folder, and an empty journal folder beside it.
fn project_copy(name: &str) -> (PathBuf, PathBuf) {
    common::project_with_journals("stale", name)
}

/// A session on `file` that keeps its journal in `journals` (the start offers what it finds).
fn session(file: &Path, journals: &Path) -> OneMapApp {
    let mut app = OneMapApp::new(AppData::load(&DataDir::at(root())).unwrap());
    app.files.use_journal_dir(Some(journals.to_owned()));
    app.open_at_start(file);
    app
}

/// One frame of the app, as eframe would draw it: the journal is written at the end of it.
fn frame(ctx: &egui::Context, app: &mut OneMapApp) {
    let input = egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(1400.0, 900.0),
        )),
        ..Default::default()
    };
    let mut output = ctx.run_ui(input, |ui| app.ui(ui));
    output.textures_delta.clear();
}

fn set_language(app: &mut OneMapApp, language: LabelLanguage) {
    app.run_commands(vec![AppCommand::View(ViewCommand::SetLanguage(language))]);
}

fn files_in(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
}

fn offered(app: &OneMapApp) -> bool {
    matches!(app.files.dialog, Some(Dialog::Recovery(_)))
}

/// Work journaled, then the file saved again by someone else (another session, a copy back
/// from a colleague), then the journal's session dies: the journal is older than the file.
#[test]
fn a_journal_older_than_its_saved_file_is_not_offered_and_kept_aside() {
    let (file, journals) = project_copy("older");
    let ctx = egui::Context::default();
    let mut a = session(&file, &journals);
    set_language(&mut a, LabelLanguage::English);
    frame(&ctx, &mut a);
    assert_eq!(
        files_in(&journals).len(),
        1,
        "the unsaved work is journaled"
    );
    drop(a); // Killed: the journal stays.

    // The file is saved again with other work.
    std::thread::sleep(std::time::Duration::from_millis(20));
    let mut newer = load_project(&file).unwrap();
    newer.settings.language = LabelLanguage::Both;
    save_project(&file, &newer).unwrap();

    let b = session(&file, &journals);
    assert!(
        !offered(&b),
        "a journal older than the saved file is not offered: {:?}",
        b.files.dialog
    );
    let left = files_in(&journals);
    assert_eq!(left.len(), 1, "kept, not deleted: {left:?}");
    assert_eq!(
        left[0].extension().unwrap(),
        "older-than-saved",
        "under a name that says why: {left:?}"
    );
    drop(b);
    let c = session(&file, &journals);
    assert!(!offered(&c), "nor at any later start");
}

/// The journal holds exactly what the file holds (the save happened, the journal's removal
/// did not): there is nothing to recover, and the journal goes.
#[test]
fn a_journal_holding_what_is_saved_is_removed() {
    let (file, journals) = project_copy("same");
    let ctx = egui::Context::default();
    let mut a = session(&file, &journals);
    set_language(&mut a, LabelLanguage::English);
    frame(&ctx, &mut a);
    assert_eq!(files_in(&journals).len(), 1);
    let work = a.doc.project.clone();
    drop(a);
    save_project(&file, &work).unwrap();

    let b = session(&file, &journals);
    assert!(!offered(&b), "{:?}", b.files.dialog);
    assert!(files_in(&journals).is_empty(), "{:?}", files_in(&journals));
}

/// Save, then undo: the work after the save is newer than the file, and is what the user had
/// when the session died. It is offered, and restores that work.
#[test]
fn work_done_after_the_last_save_is_offered() {
    let (file, journals) = project_copy("after-save");
    let ctx = egui::Context::default();
    let mut a = session(&file, &journals);
    set_language(&mut a, LabelLanguage::English);
    frame(&ctx, &mut a);
    a.run_commands(vec![AppCommand::Save]);
    assert!(files_in(&journals).is_empty(), "saving removes the journal");
    a.run_commands(vec![AppCommand::Undo]);
    assert!(a.doc.is_dirty());
    frame(&ctx, &mut a);
    assert_eq!(files_in(&journals).len(), 1);
    let work = a.doc.project.clone();
    drop(a);

    let mut b = session(&file, &journals);
    let Some(Dialog::Recovery(journal)) = b.files.dialog.clone() else {
        panic!("work after the save is offered: {:?}", b.files.dialog);
    };
    b.run_commands(vec![AppCommand::Restore(journal)]);
    assert_eq!(b.doc.project, work);
}

/// After a save the journal is brought in line: it records the version of the file it began
/// from, so that a later save by anyone makes it stale.
#[test]
fn a_journal_records_the_saved_file_it_began_from() {
    use onemap::io::recovery::{FileStamp, read_journal};
    let (file, journals) = project_copy("stamp");
    let ctx = egui::Context::default();
    let mut a = session(&file, &journals);
    set_language(&mut a, LabelLanguage::English);
    frame(&ctx, &mut a);
    let opened = FileStamp::of(&file).unwrap();
    let first = read_journal(&files_in(&journals)[0]).unwrap();
    assert_eq!(first.based_on, Some(opened));

    std::thread::sleep(std::time::Duration::from_millis(20));
    a.run_commands(vec![AppCommand::Save]);
    let saved = FileStamp::of(&file).unwrap();
    assert_ne!(saved, opened);
    set_language(&mut a, LabelLanguage::Both);
    frame(&ctx, &mut a);
    let second = read_journal(&files_in(&journals)[0]).unwrap();
    assert_eq!(second.based_on, Some(saved));
    assert_eq!(second.project, a.doc.project);
}
