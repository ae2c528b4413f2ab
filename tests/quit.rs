//! Every way out asks about unsaved work, driven with egui_kittest as a user would: File › Quit,
//! Ctrl+Q, the window's close button (a close request fed to the harness as eframe feeds it), and
//! a close while presenting. Save saves then quits, Don't save quits, Cancel keeps working; a
//! clean way out leaves no recovery journal behind.
//!
//! The harness does not close a window. [`window_closes`] plays eframe's part: a `Close` command
//! from the app comes back as a close request the next frame, and the window closes at the end
//! of a frame that had a close request unless the app answered it with `CancelClose`.

// An integration test is a crate of its own, which clippy's allow-unwrap-in-tests (clippy.toml)
// does not cover outside #[test] functions: its helpers unwrap too, a panic being a failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::root;

use std::path::{Path, PathBuf};

use egui::{ViewportCommand, ViewportEvent, ViewportId};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use onemap::app::{AppData, OneMapApp, install_fonts};
use onemap::command::{AfterConfirm, Dialog, PathPurpose};
use onemap::io::{DataDir, load_project};

/// An empty folder of its own.
fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("onemap-quit-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A copy of the default project in its own folder, and an empty journal folder beside it.
fn project_copy(name: &str) -> (PathBuf, PathBuf) {
    common::project_with_journals("quit", name)
}

fn harness_on(project: Option<&Path>, journals: &Path) -> Harness<'static, OneMapApp> {
    let data = AppData::load(&DataDir::at(root())).unwrap();
    let mut app = OneMapApp::new(data);
    app.files.use_journal_dir(Some(journals.to_owned()));
    if let Some(project) = project {
        app.open_at_start(project);
        assert!(app.files.dialog.is_none(), "{:?}", app.files.dialog);
    }
    let mut h = Harness::builder()
        .with_size([1400.0, 900.0])
        .with_max_steps(8)
        .with_context_setup(install_fonts)
        .build_ui_state(|ui, app: &mut OneMapApp| app.ui(ui), app);
    h.run();
    h
}

fn journals_in(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect()
}

/// Clicks the first of `labels` that is on screen (the words differ with the interface
/// language: "保存 Save", "保存", "Save").
fn click_any(h: &mut Harness<'_, OneMapApp>, labels: &[&str]) {
    // A new window or menu is laid out unseen in its first frame.
    for _ in 0..3 {
        // A menu item's name ends with its shortcut: "退出 Ctrl+Q".
        let shows = |label: Option<String>, wanted: &str| {
            label.is_some_and(|l| {
                l == wanted || l.strip_prefix(wanted).is_some_and(|s| s.starts_with(' '))
            })
        };
        if let Some(found) = labels
            .iter()
            .find(|l| h.query_by(|n| shows(n.label(), l)).is_some())
        {
            h.get_by(|n| shows(n.label(), found)).click();
            steps(h, 3);
            return;
        }
        h.step();
    }
    let shown: Vec<String> = h
        .root()
        .query_all(egui_kittest::kittest::by())
        .filter_map(|n| n.accesskit_node().label())
        .collect();
    panic!("none of {labels:?} is on screen: {shown:?}");
}

/// Runs frames one at a time: once the app is quitting it asks for frames until it is closed,
/// which `Harness::run` would take for a frame that never settles.
fn steps(h: &mut Harness<'_, OneMapApp>, n: usize) {
    for _ in 0..n {
        h.step();
    }
}

/// Hides the 主次走廊 layer with its checkbox: unsaved work.
fn toggle_a_layer(h: &mut Harness<'_, OneMapApp>) {
    h.get_by_label("主次走廊").click();
    steps(h, 3);
    assert!(h.state().doc.is_dirty());
}

fn file_quit(h: &mut Harness<'_, OneMapApp>) {
    click_any(h, &["文件", "File", "文件 File"]);
    click_any(h, &["退出", "Quit", "退出 Quit"]);
}

fn root_commands(h: &Harness<'_, OneMapApp>) -> Vec<ViewportCommand> {
    h.output().viewport_output[&ViewportId::ROOT]
        .commands
        .clone()
}

/// Feeds the window a close request (its close button, or the system asking it to close) and
/// draws that frame; returns whether the app let the window close.
fn request_close(h: &mut Harness<'_, OneMapApp>) -> bool {
    h.input_mut()
        .viewports
        .entry(ViewportId::ROOT)
        .or_default()
        .events
        .push(ViewportEvent::Close);
    h.step();
    !root_commands(h).contains(&ViewportCommand::CancelClose)
}

/// Whether the window closes within a few frames, as eframe would close it.
fn window_closes(h: &mut Harness<'_, OneMapApp>) -> bool {
    for _ in 0..6 {
        if root_commands(h).contains(&ViewportCommand::Close) {
            return request_close(h);
        }
        h.step();
    }
    false
}

fn asks_before_quitting(h: &Harness<'_, OneMapApp>) -> bool {
    matches!(
        h.state().files.dialog,
        Some(Dialog::ConfirmUnsaved(AfterConfirm::Quit))
    )
}

#[test]
fn file_quit_with_unsaved_work_asks_and_cancel_keeps_working() {
    let (file, journals) = project_copy("cancel");
    let mut h = harness_on(Some(&file), &journals);
    toggle_a_layer(&mut h);
    file_quit(&mut h);
    assert!(asks_before_quitting(&h), "File › Quit asks first");
    assert!(
        !window_closes(&mut h),
        "nothing closes while the question is open"
    );
    click_any(&mut h, &["取消 Cancel", "取消", "Cancel"]);
    assert!(h.state().files.dialog.is_none());
    assert!(!window_closes(&mut h), "Cancel keeps the app running");
    assert!(h.state().doc.is_dirty(), "and the work as it was");
    assert_eq!(
        journals_in(&journals).len(),
        1,
        "the unsaved work is still in the journal"
    );
}

#[test]
fn dont_save_quits_and_leaves_no_journal() {
    let (file, journals) = project_copy("dont-save");
    let before = std::fs::read(&file).unwrap();
    let mut h = harness_on(Some(&file), &journals);
    toggle_a_layer(&mut h);
    assert_eq!(journals_in(&journals).len(), 1, "unsaved work is journaled");
    file_quit(&mut h);
    assert!(asks_before_quitting(&h));
    click_any(
        &mut h,
        &[
            "不保存 Don't save",
            "不保存",
            "Don't save",
            "不保存 Discard",
        ],
    );
    assert!(window_closes(&mut h), "Don't save quits");
    assert_eq!(
        std::fs::read(&file).unwrap(),
        before,
        "the file is untouched"
    );
    assert!(
        journals_in(&journals).is_empty(),
        "a clean quit leaves no journal: {:?}",
        journals_in(&journals)
    );
}

#[test]
fn save_saves_then_quits() {
    let (file, journals) = project_copy("save");
    let mut h = harness_on(Some(&file), &journals);
    let hidden_before = load_project(&file).unwrap().settings;
    toggle_a_layer(&mut h);
    file_quit(&mut h);
    assert!(asks_before_quitting(&h));
    click_any(&mut h, &["保存 Save", "保存", "Save"]);
    assert!(window_closes(&mut h), "Save quits once saved");
    let saved = load_project(&file).unwrap();
    assert_ne!(saved.settings, hidden_before, "the hidden layer was saved");
    assert_eq!(saved, h.state().doc.project);
    assert!(journals_in(&journals).is_empty());
}

/// Save on a project that was never saved asks where (Save As); cancelling that quits nothing.
#[test]
fn save_of_an_untitled_project_goes_through_save_as_and_its_cancel_quits_nothing() {
    let dir = scratch("untitled");
    let mut h = harness_on(None, &dir);
    toggle_a_layer(&mut h);
    file_quit(&mut h);
    click_any(&mut h, &["保存 Save", "保存", "Save"]);
    assert!(
        matches!(
            h.state().files.dialog,
            Some(Dialog::PathPrompt {
                purpose: PathPurpose::SaveAs,
                ..
            })
        ),
        "{:?}",
        h.state().files.dialog
    );
    click_any(&mut h, &["取消 Cancel", "取消", "Cancel"]);
    assert!(!window_closes(&mut h), "Save As cancelled: nothing quits");
    assert!(h.state().doc.is_dirty());

    // A Save As asked for later on its own saves and does not quit: the cancelled quit is over.
    h.key_press_modifiers(
        egui::Modifiers::COMMAND | egui::Modifiers::SHIFT,
        egui::Key::S,
    );
    let first = dir.join("first.onemap");
    give_path(&mut h, &first);
    assert!(!h.state().doc.is_dirty(), "saved as {}", first.display());
    assert!(!window_closes(&mut h), "a plain Save As does not quit");
}

#[test]
fn save_of_an_untitled_project_quits_once_save_as_has_saved() {
    let dir = scratch("untitled-saved");
    let mut h = harness_on(None, &dir);
    toggle_a_layer(&mut h);
    file_quit(&mut h);
    click_any(&mut h, &["保存 Save", "保存", "Save"]);
    let target = dir.join("named.onemap");
    give_path(&mut h, &target);
    assert!(window_closes(&mut h), "saved through Save As, then quit");
    assert_eq!(load_project(&target).unwrap(), h.state().doc.project);
}

/// Types `path` into the open path dialog and confirms it.
fn give_path(h: &mut Harness<'_, OneMapApp>, path: &Path) {
    steps(h, 2);
    // The field is labelled in the interface language (Chinese here).
    h.get_by_label("路径")
        .type_text(&path.display().to_string());
    steps(h, 2);
    click_any(h, &["确定 OK", "确定", "OK"]);
}

#[test]
fn the_close_button_asks_the_same_question() {
    let (file, journals) = project_copy("close-button");
    let mut h = harness_on(Some(&file), &journals);
    toggle_a_layer(&mut h);
    assert!(!request_close(&mut h), "the close is cancelled");
    assert!(asks_before_quitting(&h));
    click_any(&mut h, &["取消 Cancel", "取消", "Cancel"]);
    assert!(!window_closes(&mut h));

    assert!(!request_close(&mut h), "asked again");
    choose_dont_save(&mut h, &journals);
}

#[test]
fn ctrl_q_asks_the_same_question() {
    let (file, journals) = project_copy("ctrl-q");
    let mut h = harness_on(Some(&file), &journals);
    toggle_a_layer(&mut h);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Q);
    steps(&mut h, 3);
    assert!(asks_before_quitting(&h), "Ctrl+Q asks first");
    click_any(&mut h, &["保存 Save", "保存", "Save"]);
    assert!(window_closes(&mut h));
    assert_eq!(load_project(&file).unwrap(), h.state().doc.project);
}

#[test]
fn ctrl_q_with_nothing_unsaved_quits_at_once() {
    let (file, journals) = project_copy("ctrl-q-clean");
    let mut h = harness_on(Some(&file), &journals);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Q);
    steps(&mut h, 1);
    assert!(h.state().files.dialog.is_none());
    assert!(window_closes(&mut h));
}

/// Work undone back to what is saved is nothing unsaved: the window closes without asking,
/// and the journal written in between does not outlive it.
#[test]
fn a_project_back_to_its_saved_state_closes_at_once_and_leaves_no_journal() {
    let (file, journals) = project_copy("clean");
    let mut h = harness_on(Some(&file), &journals);
    toggle_a_layer(&mut h);
    assert_eq!(journals_in(&journals).len(), 1);
    h.get_by_label("主次走廊").click();
    steps(&mut h, 3);
    assert!(!h.state().doc.is_dirty());
    assert!(request_close(&mut h), "nothing unsaved: not asked");
    assert!(
        journals_in(&journals).is_empty(),
        "{:?}",
        journals_in(&journals)
    );
}

/// The case: save, undo, quit. The journal written after the undo must not outlive a
/// clean quit (it was left with fewer placements than the file, and offered at the next start).
#[test]
fn save_undo_quit_leaves_no_journal() {
    let (file, journals) = project_copy("save-undo");
    let mut h = harness_on(Some(&file), &journals);
    toggle_a_layer(&mut h);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    steps(&mut h, 3);
    assert!(!h.state().doc.is_dirty());
    assert!(journals_in(&journals).is_empty(), "saving removes it");
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    steps(&mut h, 3);
    assert!(h.state().doc.is_dirty());
    file_quit(&mut h);
    assert!(asks_before_quitting(&h), "the undo is unsaved work");
    choose_dont_save(&mut h, &journals);
}

#[test]
fn closing_while_presenting_asks_too() {
    let (file, journals) = project_copy("presenting");
    let mut h = harness_on(Some(&file), &journals);
    toggle_a_layer(&mut h);
    h.key_press(egui::Key::F5);
    steps(&mut h, 3);
    assert!(h.state().presenting.is_some());
    assert!(!request_close(&mut h), "the close is cancelled");
    steps(&mut h, 2);
    assert!(h.state().presenting.is_none(), "presenter mode ends to ask");
    assert!(asks_before_quitting(&h));
    assert!(
        ["取消 Cancel", "取消", "Cancel"]
            .iter()
            .any(|label| h.query_by_label(label).is_some())
    );
}

/// A minimized window gets no `ui` from eframe, only `logic` (`Context::run_logic`): a close
/// request then (from the taskbar, or `SIGTERM`) is asked about all the same.
#[test]
fn a_minimized_window_asks_too() {
    let (file, journals) = project_copy("minimized");
    let mut h = harness_on(Some(&file), &journals);
    toggle_a_layer(&mut h);
    let mut app = h.into_state();
    // A change not yet journaled (the journal is written at the end of a shown frame).
    app.run_commands(vec![onemap::app::AppCommand::View(
        onemap::model::view::ViewCommand::SetLanguage(onemap::model::LabelLanguage::English),
    )]);
    let ctx = egui::Context::default();
    let mut input = egui::RawInput::default();
    input
        .viewports
        .entry(ViewportId::ROOT)
        .or_default()
        .events
        .push(ViewportEvent::Close);
    input
        .viewports
        .get_mut(&ViewportId::ROOT)
        .unwrap()
        .minimized = Some(true);
    let output = ctx.run_logic(&input, |ctx| app.logic(ctx));
    let commands = output
        .viewport_commands
        .get(&ViewportId::ROOT)
        .cloned()
        .unwrap_or_default();
    assert!(
        commands.contains(&ViewportCommand::CancelClose),
        "{commands:?}"
    );
    assert!(matches!(
        app.files.dialog,
        Some(Dialog::ConfirmUnsaved(AfterConfirm::Quit))
    ));
    let journaled = journals_in(&journals);
    assert_eq!(journaled.len(), 1);
    assert_eq!(
        onemap::io::recovery::read_journal(&journaled[0])
            .unwrap()
            .project,
        app.doc.project,
        "all the work is in the journal while the question waits"
    );
}

/// Don't save in the open question: the window closes and no journal is left behind.
fn choose_dont_save(h: &mut Harness<'_, OneMapApp>, journals: &Path) {
    click_any(h, &["不保存 Don't save", "不保存", "Don't save"]);
    assert!(window_closes(h));
    assert!(
        journals_in(journals).is_empty(),
        "{:?}",
        journals_in(journals)
    );
}
