//! The team store in the app, against a real PostgreSQL + PostGIS started by the tests
//! (tests/common/postgis.rs): File › Open from database…, File › Publish to database…, a
//! conflicting publish that opens the merge view and writes nothing, bad connections shown
//! as errors, and `onemap db open`'s refusals.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::postgis::{PASSWORD, PostGis};
use common::ui_tour::click;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use onemap::app::{AppCommand, AppData, OneMapApp, install_fonts};
use onemap::command::{DbOpenRequest, Dialog};
use onemap::edit::Edit;
use onemap::io::{DataDir, load_project, save_project};
use onemap::model::UiLanguage;
use onemap::model::project::{PlacementId, Project};

fn sample() -> Project {
    load_project(&common::root().join("assets/projects/sma-2022.onemap")).unwrap()
}

/// A server with database `plan` holding project `plan` at revision 1, and the connection
/// string the app is given (with the password: the app keeps it in memory only).
fn ready(test: &str) -> Option<(PostGis, String, tempfile::TempDir)> {
    let pg = PostGis::start(test)?;
    pg.create_database("plan", false);
    let (code, out, err) = pg.onemap(&["db", "init", &pg.url("plan")]);
    assert_eq!(code, 0, "{out}{err}");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("plan.onemap");
    save_project(&file, &sample()).unwrap();
    let file = file.to_str().unwrap();
    let (code, out, err) = pg.onemap(&["db", "push", file, &pg.url("plan"), "-m", "first"]);
    assert_eq!(code, 0, "{out}{err}");
    let url = format!("{} password='{PASSWORD}'", pg.url("plan"));
    Some((pg, url, dir))
}

fn harness(lang: UiLanguage) -> Harness<'static, OneMapApp> {
    let data = AppData::load(&DataDir::at(common::root())).unwrap();
    let project = data.dir.default_project();
    let mut app = OneMapApp::new(data);
    app.open_at_start(&project);
    app.help.prefs.ui_language = lang;
    let mut h = Harness::builder()
        .with_size([1400.0, 900.0])
        .with_max_steps(8)
        .with_context_setup(install_fonts)
        .build_ui_state(|ui, app: &mut OneMapApp| app.ui(ui), app);
    h.run();
    h
}

/// Clicks a menu item (whose label may end with its shortcut).
fn menu(h: &mut Harness<'_, OneMapApp>, item: &str) {
    click(h, "File");
    h.get_by(|n| n.label().is_some_and(|l| l.starts_with(item)))
        .click();
    // A new window takes a few frames to size itself to its contents.
    for _ in 0..3 {
        h.run();
    }
}

/// Frames until the worker has answered (the status note's spinner repaints meanwhile).
fn wait_for_db(h: &mut Harness<'_, OneMapApp>) {
    for _ in 0..600 {
        h.step();
        if !h.state().db_busy() {
            h.run();
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    panic!("the database work did not finish");
}

fn log(pg: &PostGis) -> Vec<String> {
    let (code, out, err) = pg.onemap(&["db", "log", &pg.url("plan"), "plan"]);
    assert_eq!(code, 0, "{err}");
    out.lines().map(str::to_owned).collect()
}

fn first_id(p: &Project) -> PlacementId {
    p.placements.keys().next().unwrap().clone()
}

/// Renames the first placement in the app, through the undo history.
fn rename_in_app(h: &mut Harness<'_, OneMapApp>, name: &str) {
    let id = first_id(&h.state().doc.project);
    let mut placement = h.state().doc.project.placements[&id].clone();
    placement.name_zh = name.into();
    let edit = Edit::SetPlacement { id, placement };
    h.state_mut()
        .run_commands(vec![AppCommand::Edit(Box::new(edit))]);
    h.run();
}

fn open_in_app(h: &mut Harness<'_, OneMapApp>, url: &str) {
    h.state_mut()
        .run_commands(vec![AppCommand::OpenFromDb(DbOpenRequest {
            url: url.into(),
            project: "plan".into(),
            revision: None,
        })]);
    wait_for_db(h);
    assert_eq!(h.state().doc.project.origin.as_ref().unwrap().revision, 1);
}

fn publish_through_the_menu(h: &mut Harness<'_, OneMapApp>, message: &str) {
    menu(h, "Publish to database…");
    match &mut h.state_mut().files.dialog {
        Some(Dialog::PublishToDb(form)) => {
            assert_eq!(form.project, "plan", "named after where it came from");
            assert!(!form.url.is_empty(), "the session's connection is offered");
            form.message = message.into();
        }
        other => panic!("no publish dialog: {other:?}"),
    }
    h.run();
    h.get_by_label("Publish").click();
    wait_for_db(h);
}

#[test]
fn open_from_database_lists_the_projects_and_opens_the_newest_revision() {
    let Some((_pg, url, _dir)) = ready("open_from_database") else {
        return;
    };
    let mut h = harness(UiLanguage::English);
    menu(&mut h, "Open from database…");
    match &mut h.state_mut().files.dialog {
        Some(Dialog::OpenFromDb(form)) => form.url = url.clone(),
        other => panic!("no open dialog: {other:?}"),
    }
    h.run();
    h.get_by_label("List projects").click();
    wait_for_db(&mut h);
    let Some(Dialog::OpenFromDb(form)) = &h.state().files.dialog else {
        panic!("the dialog closed");
    };
    let rows = form.projects.clone().expect("listed");
    assert_eq!(rows.len(), 1);
    assert_eq!((rows[0].name.as_str(), rows[0].head), ("plan", 1));
    assert_eq!(rows[0].author, "postgres");
    // The list shows the revision, who saved it and when.
    h.get_by_label("Newest revision");
    h.get_by_label("postgres");
    click(&mut h, "plan");
    h.get_by_label("Open").click();
    wait_for_db(&mut h);
    let app = h.state();
    assert!(app.files.dialog.is_none(), "{:?}", app.files.dialog);
    let mut opened = app.doc.project.clone();
    let origin = opened.origin.take().unwrap();
    assert_eq!((origin.project.as_str(), origin.revision), ("plan", 1));
    let mut expected = sample();
    opened.meta.modified.clear();
    expected.meta.modified.clear();
    assert_eq!(opened, expected);
    assert!(app.doc.path.is_none() && !app.doc.is_dirty() && !app.review_mode);
    assert!(app.doc.title().starts_with("plan@1"), "{}", app.doc.title());
    // The connection (and its password) is nowhere in the project.
    let saved = ron::to_string(&app.doc.project).unwrap_or_default();
    assert!(!saved.contains(PASSWORD));
}

#[test]
fn an_older_revision_opens_read_only() {
    let Some((pg, url, _dir)) = ready("older_revision_read_only") else {
        return;
    };
    let mut h = harness(UiLanguage::English);
    open_in_app(&mut h, &url);
    rename_in_app(&mut h, "第二版");
    publish_through_the_menu(&mut h, "second");
    assert_eq!(log(&pg).len(), 2);
    h.state_mut()
        .run_commands(vec![AppCommand::OpenFromDb(DbOpenRequest {
            url: url.clone(),
            project: "plan".into(),
            revision: Some(1),
        })]);
    wait_for_db(&mut h);
    let app = h.state();
    assert!(app.review_mode && app.doc.read_only);
    let id = first_id(&app.doc.project);
    assert_eq!(
        app.doc.project.placements[&id].name_zh,
        sample().placements[&id].name_zh
    );
}

#[test]
fn publishing_an_edit_makes_a_revision_with_its_message() {
    let Some((pg, url, _dir)) = ready("publish_an_edit") else {
        return;
    };
    let mut h = harness(UiLanguage::English);
    open_in_app(&mut h, &url);
    rename_in_app(&mut h, "改名后的项目");
    assert!(h.state().doc.is_dirty());
    publish_through_the_menu(&mut h, "renamed in the app");
    let lines = log(&pg);
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(lines[1].starts_with("2\t"), "{lines:?}");
    assert!(
        lines[1].contains("(from 1)\trenamed in the app"),
        "{lines:?}"
    );
    let app = h.state();
    assert_eq!(app.doc.project.origin.as_ref().unwrap().revision, 2);
    assert!(!app.doc.is_dirty());
    assert!(
        matches!(&app.files.dialog, Some(Dialog::Message { error: false, text, .. }) if text.contains("saved as revision 2")),
        "{:?}",
        app.files.dialog
    );
    // What the store holds is the edit.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("pulled.onemap");
    let (code, _, err) = pg.onemap(&[
        "db",
        "pull",
        &pg.url("plan"),
        "plan",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let pulled = load_project(&out).unwrap();
    assert_eq!(
        pulled.placements[&first_id(&pulled)].name_zh,
        "改名后的项目"
    );
}

#[test]
fn a_conflicting_publish_opens_the_merge_view_and_writes_nothing() {
    let Some((pg, url, dir)) = ready("conflicting_publish") else {
        return;
    };
    let mut h = harness(UiLanguage::English);
    open_in_app(&mut h, &url);
    // Meanwhile a colleague renames the same placement and pushes revision 2.
    let theirs = dir.path().join("theirs.onemap");
    let theirs_arg = theirs.to_str().unwrap();
    let (code, _, err) = pg.onemap(&["db", "pull", &pg.url("plan"), "plan", "-o", theirs_arg]);
    assert_eq!(code, 0, "{err}");
    let mut p = load_project(&theirs).unwrap();
    let id = first_id(&p);
    p.placements.get_mut(&id).unwrap().name_zh = "他们的名称".into();
    save_project(&theirs, &p).unwrap();
    let args = [
        "db",
        "push",
        theirs_arg,
        &pg.url("plan"),
        "--project",
        "plan",
    ];
    let (code, out, err) = pg.onemap(&args);
    assert_eq!(code, 0, "{out}{err}");
    rename_in_app(&mut h, "我的名称");
    publish_through_the_menu(&mut h, "mine");
    assert_eq!(log(&pg).len(), 2, "nothing was written");
    let merge = h.state().merge.as_ref().expect("the merge view is open");
    let db = merge.db.as_ref().unwrap();
    assert_eq!((db.project.as_str(), db.base, db.head), ("plan", 1, 2));
    assert_eq!(merge.result.conflicts.len(), 1);
    assert_eq!(merge.result.conflicts[0].field, "name_zh");
    h.get_by_label("Three-way merge: base plan@1 · theirs plan@2");
    // Theirs, taken, and published again: a fast-forward from revision 2.
    h.get_by_label("theirs →").click();
    h.run();
    click(&mut h, "Take the merged result (then publish again)");
    assert!(h.state().merge.is_none());
    assert_eq!(log(&pg).len(), 2, "taking the merge writes nothing");
    let app = h.state();
    assert_eq!(app.doc.project.origin.as_ref().unwrap().revision, 2);
    assert_eq!(app.doc.project.placements[&id].name_zh, "他们的名称");
    h.state_mut().files.dialog = None;
    rename_in_app(&mut h, "合并后再改");
    publish_through_the_menu(&mut h, "after the merge");
    let lines = log(&pg);
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert!(lines[2].contains("(from 2)\tafter the merge"), "{lines:?}");
}

#[test]
fn a_bad_connection_is_an_error_in_the_interface_language_and_no_panic() {
    let mut h = harness(UiLanguage::Chinese);
    // Nothing listens on port 1.
    let nowhere = "host=127.0.0.1 port=1 dbname=plan user=li sslmode=disable connect_timeout=5";
    h.state_mut().run_commands(vec![AppCommand::AskOpenFromDb]);
    h.run();
    match &mut h.state_mut().files.dialog {
        Some(Dialog::OpenFromDb(form)) => form.url = nowhere.into(),
        other => panic!("no open dialog: {other:?}"),
    }
    h.run();
    h.get_by_label("列出项目").click();
    wait_for_db(&mut h);
    let Some(Dialog::OpenFromDb(form)) = &h.state().files.dialog else {
        panic!("the dialog closed");
    };
    let error = form.error.clone().expect("an error");
    assert!(error.contains("无法连接到 li@127.0.0.1:1/plan"), "{error}");
    assert!(form.projects.is_none());
    // A URL that does not parse, published: an error message, and nothing changed.
    let before = h.state().doc.project.clone();
    h.state_mut().files.dialog = None;
    h.state_mut().run_commands(vec![AppCommand::PublishToDb(
        onemap::command::DbPublishRequest {
            url: "postgresql://[oops".into(),
            project: "plan".into(),
            message: String::new(),
        },
    )]);
    wait_for_db(&mut h);
    match &h.state().files.dialog {
        Some(Dialog::Message { title, text, error }) => {
            assert!(*error);
            assert_eq!(title, "Could not publish");
            assert!(text.contains("数据库地址无效"), "{text}");
            assert!(text.contains("未改动"), "{text}");
        }
        other => panic!("no error: {other:?}"),
    }
    h.get_by_label("无法发布");
    assert_eq!(h.state().doc.project, before);
}

#[test]
fn db_open_refuses_a_bad_url_or_an_unknown_project_with_exit_2_and_no_window() {
    // No DISPLAY: had a window been opened, eframe would have failed otherwise.
    let run = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_onemap"))
            .args(args)
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY")
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, err) = run(&["db", "open", "postgresql://[oops", "plan"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("the database address is not valid"), "{err}");
    let Some((pg, _url, _dir)) = ready("db_open_unknown_project") else {
        return;
    };
    let (code, _, err) = pg.onemap(&["db", "open", &pg.url("plan"), "nosuch"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("has no project named \"nosuch\""), "{err}");
}

/// A server that takes connections and never answers: the app waits on it (its
/// `connect_timeout` does not cover the startup exchange), and Cancel frees it at once.
#[test]
fn cancel_stops_waiting_for_a_server_that_does_not_answer() {
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!(
        "host=127.0.0.1 port={} user=li dbname=plan sslmode=disable connect_timeout=600",
        silent.local_addr().unwrap().port()
    );
    let mut h = harness(UiLanguage::English);

    menu(&mut h, "Open from database…");
    match &mut h.state_mut().files.dialog {
        Some(Dialog::OpenFromDb(form)) => form.url = url.clone(),
        other => panic!("no open dialog: {other:?}"),
    }
    h.run();
    h.get_by_label("List projects").click();
    // The spinner repaints while the app waits: steps, not `run`.
    h.run_steps(3);
    std::thread::sleep(std::time::Duration::from_millis(300));
    h.run_steps(3);
    assert!(h.state().db_busy(), "still waiting for the server");
    h.get_by_label("Connecting…");
    h.get_by_label("Cancel").click();
    h.run();
    assert!(!h.state().db_busy(), "Cancel stopped the wait");
    match &h.state().files.dialog {
        Some(Dialog::OpenFromDb(form)) => assert!(!form.busy, "the dialog is free to try again"),
        other => panic!("the dialog stays open: {other:?}"),
    }
    h.get_by_label("Cancel").click();
    h.run();
    assert!(
        h.state().files.dialog.is_none(),
        "a second Cancel closes it"
    );

    // Publishing to it: Cancel while it connects writes nothing, and says so.
    let before = h.state().doc.project.clone();
    menu(&mut h, "Publish to database…");
    match &mut h.state_mut().files.dialog {
        Some(Dialog::PublishToDb(form)) => {
            form.url = url.clone();
            form.project = "plan".into();
        }
        other => panic!("no publish dialog: {other:?}"),
    }
    h.run();
    h.get_by_label("Publish").click();
    h.run_steps(3);
    std::thread::sleep(std::time::Duration::from_millis(300));
    h.run_steps(3);
    assert!(h.state().db_busy());
    h.get_by_label("Cancel").click();
    h.run();
    assert!(!h.state().db_busy());
    match &h.state().files.dialog {
        Some(Dialog::Message { text, .. }) => {
            assert_eq!(text, "Publishing was cancelled: nothing was written.")
        }
        other => panic!("no message: {other:?}"),
    }
    assert_eq!(
        h.state().doc.project,
        before,
        "the open project is unchanged"
    );

    // The app may talk to a store again at once (one job at a time: a new one starts only
    // when none is under way).
    h.state_mut().files.dialog = None;
    h.state_mut()
        .run_commands(vec![AppCommand::ListDbProjects("not a connection".into())]);
    assert!(h.state().db_busy(), "a new connection starts");
    drop(silent);
}
