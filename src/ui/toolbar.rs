//! The top bar: menus, view buttons, the label language switch and the search box.

use egui::{Key, Ui};

use std::path::PathBuf;

use crate::command::AppCommand;
use crate::command::PathPurpose;
use crate::doc::AppData;
use crate::doc::document::Document;
use crate::model::LabelLanguage;
use crate::model::search::{SearchHit, search};
use crate::model::view::ViewCommand;

use super::ui_name;

/// The search box: the query as typed, and what it found.
#[derive(Default)]
pub struct SearchState {
    pub query: String,
    pub hits: Vec<SearchHit>,
}

/// The accessible name of the search box.
pub const SEARCH_LABEL: &str = "搜索 Search";
const MAX_HITS: usize = 12;

pub fn toolbar_ui(
    ui: &mut Ui,
    data: &AppData,
    doc: &Document,
    recent: &[PathBuf],
    search_state: &mut SearchState,
    commands: &mut Vec<AppCommand>,
) {
    let view = &doc.project.settings;
    let lang = view.language;
    egui::MenuBar::new().ui(ui, |ui| {
        ui.menu_button(ui_name(lang, "文件", "File"), |ui| {
            file_menu_ui(ui, lang, recent, doc.read_only, commands)
        });
        ui.menu_button(ui_name(lang, "编辑", "Edit"), |ui| {
            edit_menu_ui(ui, lang, doc, commands)
        });
        ui.menu_button(ui_name(lang, "视图", "View"), |ui| {
            if ui
                .button(ui_name(lang, "全图 (0)", "Whole plan area (0)"))
                .clicked()
            {
                commands.push(AppCommand::Home);
            }
            menu_item(
                ui,
                lang,
                ("项目表", "Placement table"),
                "T",
                AppCommand::ToggleTable,
                commands,
            );
            ui.separator();
            for l in LabelLanguage::ALL {
                if ui.radio(view.language == l, l.title()).clicked() {
                    commands.push(AppCommand::View(ViewCommand::SetLanguage(l)));
                }
            }
            ui.separator();
            let mut hide = view.hide_indicative;
            let text = crate::model::indicative::hide_option_text(lang);
            if ui.checkbox(&mut hide, text).changed() {
                commands.push(AppCommand::View(ViewCommand::SetIndicativeHidden(hide)));
            }
        });
        ui.menu_button(ui_name(lang, "帮助", "Help"), |ui| {
            if ui
                .button(ui_name(
                    lang,
                    "关于本规划与数据来源…",
                    "About this plan and data sources…",
                ))
                .clicked()
            {
                commands.push(AppCommand::ShowAbout(true));
            }
        });
    });
    ui.horizontal(|ui| {
        if ui
            .button(ui_name(lang, "全图", "Home"))
            .on_hover_text("Fit the whole plan area (0)")
            .clicked()
        {
            commands.push(AppCommand::Home);
        }
        if ui
            .button("+")
            .on_hover_text("Zoom in (+ or the wheel)")
            .clicked()
        {
            commands.push(AppCommand::ZoomIn);
        }
        if ui.button("－").on_hover_text("Zoom out (-)").clicked() {
            commands.push(AppCommand::ZoomOut);
        }
        ui.separator();
        ui.label(ui_name(lang, "标注", "Labels"));
        for l in LabelLanguage::ALL {
            if ui.selectable_label(view.language == l, l.title()).clicked() {
                commands.push(AppCommand::View(ViewCommand::SetLanguage(l)));
            }
        }
        ui.separator();
        // For a meeting that wants only what a source states: every sketch hidden at once.
        let mut hide = view.hide_indicative;
        let toggle = ui
            .toggle_value(&mut hide, crate::model::indicative::hide_toggle_text(lang))
            .on_hover_text(crate::model::indicative::hide_option_text(lang));
        if toggle.changed() {
            commands.push(AppCommand::View(ViewCommand::SetIndicativeHidden(hide)));
        }
        ui.separator();
        search_ui(ui, data, doc, lang, search_state, commands);
    });
}

fn search_ui(
    ui: &mut Ui,
    data: &AppData,
    doc: &Document,
    lang: LabelLanguage,
    state: &mut SearchState,
    commands: &mut Vec<AppCommand>,
) {
    let label = ui.label(ui_name(lang, "搜索", "Search"));
    let edit = egui::TextEdit::singleline(&mut state.query)
        .hint_text("苏州 / Suzhou")
        .desired_width(220.0);
    let response = ui.add(edit).labelled_by(label.id);
    // The accessible name is fixed, whatever the language, so tools and tests can find it.
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::TextInput, true, SEARCH_LABEL));
    if response.changed() {
        state.hits = search(
            &data.plan,
            &doc.features,
            &data.basemap,
            &state.query,
            MAX_HITS,
        );
    }
    let enter = response.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
    if enter && let Some(first) = state.hits.first() {
        commands.push(choose(first));
    }
    if state.hits.is_empty() || state.query.trim().is_empty() {
        return;
    }
    let mut close = enter;
    egui::Popup::from_response(&response).open(true).show(|ui| {
        ui.set_min_width(260.0);
        for hit in &state.hits {
            let text = format!("{}  {}  · {}", hit.name_zh, hit.name_en, hit.layer);
            if ui.selectable_label(false, text).clicked() {
                commands.push(choose(hit));
                close = true;
            }
        }
    });
    if close {
        state.hits.clear();
    }
}

fn choose(hit: &crate::model::search::SearchHit) -> AppCommand {
    match &hit.feature {
        Some(id) => AppCommand::SelectAndShow(id.clone()),
        None => AppCommand::ZoomTo(hit.bbox),
    }
}

fn menu_item(
    ui: &mut Ui,
    lang: LabelLanguage,
    (zh, en): (&str, &str),
    shortcut: &str,
    command: AppCommand,
    commands: &mut Vec<AppCommand>,
) {
    let button = egui::Button::new(ui_name(lang, zh, en)).shortcut_text(shortcut);
    if ui.add(button).clicked() {
        commands.push(command);
        ui.close();
    }
}

fn file_menu_ui(
    ui: &mut Ui,
    lang: LabelLanguage,
    recent: &[PathBuf],
    read_only: bool,
    commands: &mut Vec<AppCommand>,
) {
    menu_item(
        ui,
        lang,
        ("新建", "New"),
        "Ctrl+N",
        AppCommand::New,
        commands,
    );
    menu_item(
        ui,
        lang,
        ("打开…", "Open…"),
        "Ctrl+O",
        AppCommand::AskPath(PathPurpose::Open),
        commands,
    );
    menu_item(
        ui,
        lang,
        ("打开以审阅…", "Open for review…"),
        "",
        AppCommand::AskPath(PathPurpose::OpenForReview),
        commands,
    );
    menu_item(
        ui,
        lang,
        ("与另一版本对比…", "Compare with…"),
        "",
        AppCommand::AskPath(PathPurpose::CompareWith),
        commands,
    );
    menu_item(
        ui,
        lang,
        ("三方合并…", "Three-way merge…"),
        "",
        AppCommand::AskPath(PathPurpose::MergeBase),
        commands,
    );
    ui.menu_button(ui_name(lang, "最近打开", "Open recent"), |ui| {
        if recent.is_empty() {
            ui.weak(ui_name(lang, "（无）", "(none)"));
        }
        for path in recent {
            if ui.button(path.display().to_string()).clicked() {
                commands.push(AppCommand::Open(path.clone()));
                ui.close();
            }
        }
    });
    ui.separator();
    menu_item(
        ui,
        lang,
        ("保存", "Save"),
        "Ctrl+S",
        AppCommand::Save,
        commands,
    );
    menu_item(
        ui,
        lang,
        ("另存为…", "Save as…"),
        "Ctrl+Shift+S",
        AppCommand::AskPath(PathPurpose::SaveAs),
        commands,
    );
    ui.separator();
    // Review mode never changes the project, so it has nothing to import into.
    ui.add_enabled_ui(!read_only, |ui| {
        menu_item(
            ui,
            lang,
            ("导入 GeoJSON…", "Import GeoJSON…"),
            "",
            AppCommand::AskPath(PathPurpose::Import),
            commands,
        )
    });
    menu_item(
        ui,
        lang,
        ("导出 GeoJSON…", "Export GeoJSON…"),
        "",
        AppCommand::AskPath(PathPurpose::ExportGeojson),
        commands,
    );
    menu_item(
        ui,
        lang,
        (
            "草图作为新规划基线…",
            "Apply sketches as a new plan edition…",
        ),
        "",
        AppCommand::AskPath(PathPurpose::ApplyBaseline),
        commands,
    );
    menu_item(
        ui,
        lang,
        ("导出项目表 CSV…", "Export placement table (CSV)…"),
        "",
        AppCommand::AskPath(PathPurpose::ExportCsv),
        commands,
    );
    ui.separator();
    menu_item(
        ui,
        lang,
        ("退出", "Quit"),
        "Ctrl+Q",
        AppCommand::Quit,
        commands,
    );
}

/// Undo and Redo, each naming the step it would take back or do again.
fn edit_menu_ui(ui: &mut Ui, lang: LabelLanguage, doc: &Document, commands: &mut Vec<AppCommand>) {
    let undo = doc
        .history
        .undo_label()
        .map(|l| format!("{} {l}", ui_name(lang, "撤销", "Undo")));
    let button = egui::Button::new(
        undo.clone()
            .unwrap_or_else(|| ui_name(lang, "撤销", "Undo")),
    )
    .shortcut_text("Ctrl+Z");
    if ui.add_enabled(undo.is_some(), button).clicked() {
        commands.push(AppCommand::Undo);
        ui.close();
    }
    let redo = doc
        .history
        .redo_label()
        .map(|l| format!("{} {l}", ui_name(lang, "重做", "Redo")));
    let button = egui::Button::new(
        redo.clone()
            .unwrap_or_else(|| ui_name(lang, "重做", "Redo")),
    )
    .shortcut_text("Ctrl+Shift+Z");
    if ui.add_enabled(redo.is_some(), button).clicked() {
        commands.push(AppCommand::Redo);
        ui.close();
    }
    ui.separator();
    for ((zh, en), shortcut, command) in [
        (("剪切", "Cut"), "Ctrl+X", AppCommand::Cut),
        (("复制", "Copy"), "Ctrl+C", AppCommand::Copy),
        (("粘贴", "Paste"), "Ctrl+V", AppCommand::Paste),
        (("创建副本", "Duplicate"), "Ctrl+D", AppCommand::Duplicate),
        (("删除", "Delete"), "Del", AppCommand::DeleteSelected),
    ] {
        menu_item(ui, lang, (zh, en), shortcut, command, commands);
    }
}
