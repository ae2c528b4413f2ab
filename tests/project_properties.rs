//! File › Project properties…, tried as a planner would: the menu opens the form on the
//! project's title, author and 审图号; what is typed and applied is one undo step, and the
//! print layout of the saved project prints the approval number (read back with pdftotext).
//! Cancel, and Apply with nothing changed, change nothing.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::onemap;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use onemap::app::{AppData, OneMapApp, install_fonts};
use onemap::io::DataDir;
use onemap::model::UiLanguage;

const NUMBER: &str = "沪S〔2026〕001号";

fn harness(language: UiLanguage) -> Harness<'static, OneMapApp> {
    let data =
        AppData::load(&DataDir::at(env!("CARGO_MANIFEST_DIR"))).expect("the built-in data loads");
    let default_project = data.dir.default_project();
    let mut app = OneMapApp::new(data);
    app.open_at_start(&default_project);
    app.help.prefs.ui_language = language;
    let mut h = Harness::builder()
        .with_size([1400.0, 900.0])
        .with_max_steps(8)
        .with_context_setup(install_fonts)
        .build_ui_state(|ui, app: &mut OneMapApp| app.ui(ui), app);
    h.run();
    h
}

fn open_properties(h: &mut Harness<'_, OneMapApp>, language: UiLanguage) {
    h.get_by_label(language.pick("文件", "File")).click();
    h.run();
    let item = language.pick("项目属性", "Project properties");
    // The menu item's label may end with its shortcut column.
    h.get_by(|n| n.label().is_some_and(|l| l.starts_with(item)))
        .click();
    // A new window takes a few frames to size itself to its contents.
    for _ in 0..3 {
        h.run();
    }
}

#[test]
fn the_approval_number_typed_in_project_properties_is_one_undo_step_and_is_printed() {
    let language = UiLanguage::English;
    let mut h = harness(language);
    assert!(h.state().doc.project.meta.approval_number.is_empty());
    let title = h.state().doc.project.meta.title_zh.clone();
    open_properties(&mut h, language);
    // The form opens on the project's own title.
    let field = h.get_by_label("Chinese title");
    assert_eq!(field.value().as_deref(), Some(title.as_str()));
    h.get_by_label("Approval no.").click();
    h.run();
    h.get_by_label("Approval no.").type_text(NUMBER);
    h.run();
    assert_eq!(
        h.get_by_label("Approval no.").value().as_deref(),
        Some(NUMBER)
    );
    h.get_by_label("Apply").click();
    h.run();
    assert_eq!(h.state().doc.project.meta.approval_number, NUMBER);
    assert_eq!(
        h.state().doc.project.meta.title_zh,
        title,
        "the title stays"
    );
    assert!(
        h.query_by_label("Project properties").is_none(),
        "the form closes on Apply"
    );
    assert_eq!(
        h.state().doc.history.undo_label_in(language),
        Some("project properties")
    );

    // The saved project's print layout carries the number (when poppler is here to read it).
    let dir = std::env::temp_dir().join(format!("onemap-properties-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let project = dir.join("numbered.onemap");
    onemap::io::save_project(&project, &h.state().doc.project).unwrap();
    let pdf = dir.join("a4.pdf");
    let (code, out, err) = onemap(&[
        "export",
        project.to_str().unwrap(),
        "--paper",
        "a4",
        "--out",
        pdf.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{out}{err}");
    match std::process::Command::new("pdftotext")
        .args([pdf.to_str().unwrap(), "-"])
        .output()
    {
        Ok(text) => {
            let text = String::from_utf8_lossy(&text.stdout);
            assert!(text.contains(NUMBER), "pdftotext finds {NUMBER}:\n{text}");
        }
        Err(_) => assert!(
            std::env::var_os("CI").is_none(),
            "pdftotext is missing in CI: .ci/run must install poppler-utils"
        ),
    }
    std::fs::remove_dir_all(&dir).unwrap();

    // Undo takes the number back.
    h.state_mut()
        .run_commands(vec![onemap::app::AppCommand::Undo]);
    assert!(h.state().doc.project.meta.approval_number.is_empty());
}

#[test]
fn cancel_and_an_unchanged_apply_change_nothing() {
    let language = UiLanguage::Chinese;
    let mut h = harness(language);
    open_properties(&mut h, language);
    h.get_by_label("作者").click();
    h.run();
    h.get_by_label("作者").type_text("李");
    h.run();
    let typed = h.get_by_label("作者").value().unwrap_or_default();
    assert!(
        typed.ends_with('李'),
        "typed into the author field: {typed}"
    );
    h.get_by_label("取消").click();
    h.run();
    assert!(
        h.query_by_label("项目属性").is_none(),
        "Cancel closes the form"
    );
    let before = h.state().doc.project.meta.clone();
    assert!(!before.author.ends_with('李'));
    open_properties(&mut h, language);
    h.get_by_label("应用").click();
    h.run();
    assert_eq!(h.state().doc.project.meta, before);
    assert_eq!(h.state().doc.history.undo_label_in(language), None);
}
