//! Files that are not what they should be get an error in words, naming the file: never the
//! program's type names (`VersionProbe`, `FileV1`, `struct …`). A broken project given on the
//! command line is reported in the window (and on stderr by the binary), not hidden behind
//! the recovery offer or a silently empty project.

// An integration test is a crate of its own, which clippy's allow-unwrap-in-tests (clippy.toml)
// does not cover outside #[test] functions: its helpers unwrap too, a panic being a failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::root;

use std::path::{Path, PathBuf};

use onemap::app::{AppCommand, AppData, OneMapApp};
use onemap::command::Dialog;
use onemap::io::{DataDir, load_project};

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("onemap-open-errors-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Words of the program that must never reach the user.
const INTERNAL: [&str; 9] = [
    "VersionProbe",
    "Probe",
    "FileV1",
    "JournalFile",
    "ReviewFileV1",
    "struct",
    "Expected struct",
    "u32",
    "f64",
];

fn assert_in_words(message: &str) {
    for word in INTERNAL {
        assert!(
            !message.contains(word),
            "{word:?} leaks into the message: {message}"
        );
    }
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn a_text_file_renamed_to_onemap_is_not_a_project_file() {
    let dir = scratch("text");
    let cases = [
        ("notes.onemap", "hello world\nthis is a text file\n"),
        (
            "data.onemap",
            "{\"type\": \"FeatureCollection\", \"features\": []}",
        ),
        ("readme.onemap", "# Title\n\nSome text.\n"),
        ("table.onemap", "a,b,c\n1,2,3\n"),
        ("number.onemap", "42\n"),
        ("empty.onemap", ""),
        ("style.onemap", "(layers: [])\n"),
    ];
    for (name, text) in cases {
        let path = write(&dir, name, text);
        let message = load_project(&path).unwrap_err().to_string();
        assert_eq!(
            message,
            format!("{} is not a OneMap project file", path.display()),
            "{name}"
        );
    }
}

#[test]
fn a_damaged_project_says_where_in_words() {
    let dir = scratch("damaged");
    let text = std::fs::read_to_string(root().join("assets/projects/sma-2022.onemap")).unwrap();
    // A version that is not a number, a truncated file, an unknown geometry kind, a field
    // that is not a number.
    let number_field = text.find("opacity: ").map(|at| {
        let end = at + text[at..].find(',').unwrap();
        format!("{}opacity: \"half\"{}", &text[..at], &text[end..])
    });
    let cases = [
        (
            "version.onemap",
            text.replacen("version: 1", "version: \"one\"", 1),
        ),
        ("cut.onemap", text[..text.len() / 2].to_owned()),
        ("kind.onemap", text.replacen("Polygon(", "Circle(", 1)),
        ("field.onemap", number_field.unwrap_or_else(|| text.clone())),
    ];
    for (name, damaged) in cases {
        assert_ne!(damaged, text, "{name} is damaged");
        let path = write(&dir, name, &damaged);
        let message = load_project(&path).unwrap_err().to_string();
        assert!(
            message.starts_with(&path.display().to_string()),
            "names the file: {message}"
        );
        assert!(message.contains(" at line "), "says where: {message}");
        println!("{message}");
        assert_in_words(&message);
    }
}

/// Every other RON file OneMap reads maps its errors the same way.
#[test]
fn other_files_errors_are_in_words_too() {
    let dir = scratch("others");
    let bad = "hello world\n";
    let style = write(&dir, "style.ron", bad);
    let edition = write(&dir, "edition.ron", bad);
    let review = write(&dir, "plan.review.onemap", bad);
    let journal = write(&dir, "session.recovery", bad);
    let messages = [
        onemap::io::read_style(&style).unwrap_err().to_string(),
        onemap::io::read_edition(&edition).unwrap_err().to_string(),
        onemap::io::review_file::load_review(&review)
            .unwrap_err()
            .to_string(),
        onemap::io::recovery::read_journal(&journal)
            .unwrap_err()
            .to_string(),
    ];
    for message in messages {
        println!("{message}");
        assert!(message.contains(&dir.display().to_string()), "{message}");
        assert_in_words(&message);
    }
}

fn app_with_journals(journals: &Path) -> OneMapApp {
    let mut app = OneMapApp::new(AppData::load(&DataDir::at(root())).unwrap());
    app.files.use_journal_dir(Some(journals.to_owned()));
    app
}

/// `onemap broken.onemap`: the window says that the file could not be opened and names it,
/// even when a recovery journal is waiting to be offered (it comes after the error).
#[test]
fn a_broken_project_at_start_is_reported_before_the_recovery_offer() {
    let dir = scratch("start");
    let journals = dir.join("journals");
    // A session that died with unsaved work on a new project.
    let mut crashed = app_with_journals(&journals);
    crashed.run_commands(vec![AppCommand::View(
        onemap::model::view::ViewCommand::SetLanguage(onemap::model::LabelLanguage::English),
    )]);
    let ctx = egui::Context::default();
    let mut output = ctx.run_ui(egui::RawInput::default(), |ui| crashed.ui(ui));
    output.textures_delta.clear();
    drop(crashed);

    let broken = write(&dir, "broken.onemap", "hello world\n");
    let mut app = app_with_journals(&journals);
    // The English interface (the Chinese one says it in Chinese: tests/ui_language_chinese.rs).
    app.help.prefs.ui_language = onemap::model::UiLanguage::English;
    app.open_at_start(&broken);
    let Some(Dialog::Message { text, error, .. }) = app.files.dialog.clone() else {
        panic!("the error is shown first: {:?}", app.files.dialog);
    };
    assert!(error);
    assert!(
        text.contains(&format!(
            "{} is not a OneMap project file",
            broken.display()
        )),
        "{text}"
    );
    assert!(text.contains("new, untitled project"), "{text}");
    assert_in_words(&text);
    assert!(app.doc.path.is_none());
    assert!(app.files.start_error.is_some(), "for the binary to print");

    // Once read and closed, the recovery offer follows.
    app.files.dialog = None;
    app.run_commands(Vec::new());
    assert!(
        matches!(app.files.dialog, Some(Dialog::Recovery(_))),
        "{:?}",
        app.files.dialog
    );
}
