//! A tour of the app for the tests of its languages: the menus, the panels and every
//! dialog, with a look at the accessibility tree at each stop.

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use onemap::app::OneMapApp;
use onemap::command::{AfterConfirm, Dialog, Journal, PathPurpose};

/// The default project, for the recovery offer.
fn default_project() -> onemap::model::project::Project {
    onemap::io::load_project(&onemap::io::DataDir::at(super::root()).default_project())
        .expect("the default project loads")
}

pub fn click(h: &mut Harness<'_, OneMapApp>, label: &str) {
    h.get_by_label(label).click();
    h.run();
}

pub fn all_dialogs() -> Vec<Dialog> {
    let purposes = [
        PathPurpose::Open,
        PathPurpose::SaveAs,
        PathPurpose::Import,
        PathPurpose::ExportGeojson,
        PathPurpose::ExportCsv,
        PathPurpose::Locate("my sketch".into()),
        PathPurpose::OpenForReview,
        PathPurpose::CompareWith,
        PathPurpose::MergeBase,
        PathPurpose::MergeTheirs("base.onemap".into()),
        PathPurpose::WriteMerged,
        PathPurpose::WriteReport,
        PathPurpose::ExportSketchLayer("corridors".into()),
        PathPurpose::ApplyBaseline,
    ];
    let mut dialogs: Vec<Dialog> = purposes
        .into_iter()
        .map(|purpose| Dialog::PathPrompt {
            purpose,
            text: String::new(),
            focus: false,
        })
        .collect();
    // The import dialog is left out of this tour: its preview shows the file's own field names
    // and values, which the tours cannot yet tell from interface text; tests/import_dialog.rs
    // checks its own words in both languages.
    dialogs.push(Dialog::ExportImage(Box::new(
        onemap::command::ExportImageForm::new("map.png".into(), Vec::new()),
    )));
    dialogs.push(Dialog::ExportBook(Box::new(
        onemap::command::ExportBookForm::new("book.pdf".into(), 9),
    )));
    dialogs.push(Dialog::ProjectProperties(Box::new(
        onemap::model::project::ProjectInfo {
            approval_number: "沪S〔2026〕001号".into(),
            ..Default::default()
        },
    )));
    dialogs.push(Dialog::ConfirmUnsaved(AfterConfirm::Quit));
    dialogs.push(Dialog::Recovery(Box::new(Journal {
        file: "session.recovery".into(),
        original: None,
        written: "2026-01-01T00:00:00Z".into(),
        based_on: None,
        project: default_project(),
    })));
    // The team-store dialogs: projects listed (with a revision that is not one, to show its
    // note), and a publish of a project based on a revision or on none.
    dialogs.push(Dialog::OpenFromDb(Box::new(onemap::command::DbOpenForm {
        url: "host=gis.example dbname=team user=li".into(),
        projects: Some(vec![onemap::command::DbProjectRow {
            name: "sma2035".into(),
            head: 3,
            author: "li".into(),
            time: "2026-11-30T03:13:16Z".into(),
        }]),
        selected: Some("sma2035".into()),
        revision: "x".into(),
        busy: false,
        error: None,
    })));
    dialogs.push(Dialog::OpenFromDb(Box::new(onemap::command::DbOpenForm {
        projects: Some(Vec::new()),
        ..Default::default()
    })));
    for based_on in [Some(("sma2035".to_owned(), 3)), None] {
        dialogs.push(Dialog::PublishToDb(Box::new(
            onemap::command::DbPublishForm {
                url: "service=team".into(),
                project: "sma2035".into(),
                message: String::new(),
                based_on,
                busy: false,
            },
        )));
    }
    for title in [
        "Could not open the project",
        "Exported",
        "Import failed",
        "Could not open from the database",
        "Could not publish",
        "Published",
        "Merged",
        "Database error",
    ] {
        dialogs.push(Dialog::Message {
            title: title.into(),
            text: "…".into(),
            error: false,
        });
    }
    dialogs
}

/// Visits the menus, the panels and every dialog; `check` sees the tree at each stop.
pub fn visit_everything(
    h: &mut Harness<'_, OneMapApp>,
    menus: [&str; 4],
    mut check: impl FnMut(&Harness<'_, OneMapApp>, &str),
) {
    check(h, "the main window");
    for menu in menus {
        click(h, menu);
        check(h, menu);
        h.key_press(egui::Key::Escape);
        h.run();
    }
    h.state_mut().checks_open = true;
    h.state_mut().table_open = true;
    h.state_mut().show_about = true;
    h.run();
    check(h, "checks, table and about");
    h.state_mut().show_about = false;
    h.state_mut().scenes_tab = true;
    let first = h.state().doc.project.placements.keys().next().cloned();
    if let Some(id) = first {
        h.state_mut().selected = Some(onemap::model::FeatureId(id.0.clone()));
    }
    h.run();
    check(h, "scenes and a placement's form");
    use onemap::ui::basemap_picker::{Kind, PickerState};
    for kind in [Kind::Local, Kind::Tianditu, Kind::Custom] {
        h.state_mut().basemap_picker = PickerState {
            open: true,
            kind,
            ..Default::default()
        };
        h.run();
        check(h, &format!("the basemap picker ({kind:?})"));
    }
    h.state_mut().basemap_picker.open = false;
    for dialog in all_dialogs() {
        let name = format!("{dialog:?}");
        h.state_mut().files.dialog = Some(dialog);
        h.run();
        check(h, &name);
        h.state_mut().files.dialog = None;
    }
}
