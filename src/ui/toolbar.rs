//! The top bar: menus, view buttons, the label language switch and the search box.

use egui::{Key, Ui};

use std::path::PathBuf;

use crate::command::AppCommand;
use crate::command::PathPurpose;
use crate::doc::AppData;
use crate::doc::document::Document;
use crate::model::LabelLanguage;
use crate::model::search::{HitKind, SearchHit};
use crate::model::view::ViewCommand;

use super::ui_language;
use crate::model::UiLanguage;

/// The search box: the query as typed, and what it found.
#[derive(Default)]
pub struct SearchState {
    pub query: String,
    pub hits: Vec<SearchHit>,
}

/// The accessible name of the search box, in each interface language.
pub const SEARCH_LABEL: (&str, &str) = ("搜索", "Search");
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
    let lang = ui_language(ui.ctx());
    egui::MenuBar::new().ui(ui, |ui| {
        ui.menu_button(lang.pick("文件", "File"), |ui| {
            file_menu_ui(ui, lang, recent, doc.read_only, commands)
        });
        ui.menu_button(lang.pick("编辑", "Edit"), |ui| {
            edit_menu_ui(ui, lang, doc, commands)
        });
        ui.menu_button(lang.pick("视图", "View"), |ui| {
            if ui
                .button(lang.pick("全图 (0)", "Whole plan area (0)"))
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
            if ui.button(lang.pick("底图…", "Basemap…")).clicked() {
                commands.push(AppCommand::ShowBasemapPicker);
            }
            ui.separator();
            ui.label(lang.pick("界面语言", "Interface language"));
            for l in UiLanguage::ALL {
                if ui.radio(lang == l, l.title()).clicked() {
                    commands.push(AppCommand::SetUiLanguage(l));
                }
            }
            ui.separator();
            ui.label(lang.pick("地图标注语言", "Map label language"));
            for l in LabelLanguage::ALL {
                if ui.radio(view.language == l, l.title()).clicked() {
                    commands.push(AppCommand::View(ViewCommand::SetLanguage(l)));
                }
            }
            ui.separator();
            let mut hide = view.hide_indicative;
            let text = crate::model::indicative::hide_option_text(lang.as_label_language());
            if ui.checkbox(&mut hide, text).changed() {
                commands.push(AppCommand::View(ViewCommand::SetIndicativeHidden(hide)));
            }
        });
        ui.menu_button(lang.pick("帮助", "Help"), |ui| {
            menu_item(
                ui,
                lang,
                ("键盘快捷键", "Keyboard shortcuts"),
                "F1",
                AppCommand::ShowShortcuts(true),
                commands,
            );
            menu_item(
                ui,
                lang,
                ("快速入门", "Quick start"),
                "",
                AppCommand::ShowQuickStart(true),
                commands,
            );
            menu_item(
                ui,
                lang,
                ("使用说明（README）…", "User guide (README)…"),
                "",
                AppCommand::ShowReadme(true),
                commands,
            );
            ui.separator();
            if ui
                .button(lang.pick("关于本规划与数据来源…", "About this plan and data sources…"))
                .clicked()
            {
                commands.push(AppCommand::ShowAbout(true));
            }
        });
    });
    ui.horizontal(|ui| {
        if ui
            .button(lang.pick("全图", "Home"))
            .on_hover_text(lang.pick("显示整个规划范围 (0)", "Fit the whole plan area (0)"))
            .clicked()
        {
            commands.push(AppCommand::Home);
        }
        if ui
            .button("+")
            .on_hover_text(lang.pick("放大（+ 或滚轮）", "Zoom in (+ or the wheel)"))
            .clicked()
        {
            commands.push(AppCommand::ZoomIn);
        }
        if ui
            .button("–")
            .on_hover_text(lang.pick("缩小 (-)", "Zoom out (-)"))
            .clicked()
        {
            commands.push(AppCommand::ZoomOut);
        }
        ui.separator();
        ui.label(lang.pick("地图标注", "Map labels"));
        for l in LabelLanguage::ALL {
            if ui.selectable_label(view.language == l, l.title()).clicked() {
                commands.push(AppCommand::View(ViewCommand::SetLanguage(l)));
            }
        }
        ui.separator();
        // For a meeting that wants only what a source states: every sketch hidden at once.
        let mut hide = view.hide_indicative;
        let toggle = ui
            .toggle_value(
                &mut hide,
                crate::model::indicative::hide_toggle_text(lang.as_label_language()),
            )
            .on_hover_text(crate::model::indicative::hide_option_text(
                lang.as_label_language(),
            ));
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
    lang: UiLanguage,
    state: &mut SearchState,
    commands: &mut Vec<AppCommand>,
) {
    let label = ui.label(lang.pick(SEARCH_LABEL.0, SEARCH_LABEL.1));
    let edit = egui::TextEdit::singleline(&mut state.query)
        .hint_text("苏州 / Suzhou")
        .desired_width(220.0);
    let response = ui.add(edit).labelled_by(label.id);
    response.widget_info(|| {
        egui::WidgetInfo::labeled(
            egui::Role::TextInput,
            true,
            lang.pick(SEARCH_LABEL.0, SEARCH_LABEL.1),
        )
    });
    if response.changed() {
        state.hits = doc.search(&data.plan, &data.basemap, &state.query, MAX_HITS);
    }
    let enter = response.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
    if enter && let Some(first) = state.hits.first() {
        commands.extend(choose(first));
    }
    if state.hits.is_empty() || state.query.trim().is_empty() {
        return;
    }
    let mut close = enter;
    egui::Popup::from_response(&response).open(true).show(|ui| {
        ui.set_min_width(260.0);
        for hit in &state.hits {
            let name = super::lang::name(lang, &hit.name_zh, &hit.name_en);
            let text = format!("{name} — {}", hit_kind_words(data, doc, lang, &hit.kind));
            if ui.selectable_label(false, text).clicked() {
                commands.extend(choose(hit));
                close = true;
            }
        }
    });
    if close {
        state.hits.clear();
    }
}

/// What a hit is, in words: its kind, or the name of its plan or data layer.
fn hit_kind_words(data: &AppData, doc: &Document, lang: UiLanguage, kind: &HitKind) -> String {
    let data_layer = match kind {
        HitKind::Layer(layer) => layer
            .strip_prefix(crate::model::style::DATA_LAYER_PREFIX)
            .and_then(|id| doc.project.sketch_layers.get(id)),
        _ => None,
    };
    match (kind.words(), kind) {
        (Some((zh, en)), _) => lang.pick(zh, en).to_owned(),
        (None, _) if let Some(layer) = data_layer => {
            format!("{} · {}", lang.pick("数据图层", "Data layer"), layer.name)
        }
        (None, HitKind::Layer(layer)) => data.style.layer(layer).map_or_else(
            || lang.pick("项目要素", "Project feature").to_owned(),
            |l| super::lang::name(lang, &l.name_zh, &l.name_en).to_owned(),
        ),
        (None, _) => String::new(),
    }
}

/// Selects the hit's feature, if it has one, and brings its extent into view (a city: its
/// territory, not the point of its seat).
fn choose(hit: &SearchHit) -> Vec<AppCommand> {
    let mut commands = Vec::new();
    if let Some(id) = &hit.feature {
        commands.push(AppCommand::Select(Some(id.clone())));
    }
    commands.push(AppCommand::ZoomTo(hit.bbox));
    commands
}

fn menu_item(
    ui: &mut Ui,
    lang: UiLanguage,
    (zh, en): (&str, &str),
    shortcut: &str,
    command: AppCommand,
    commands: &mut Vec<AppCommand>,
) {
    let button = egui::Button::new(lang.pick(zh, en)).shortcut_text(shortcut);
    if ui.add(button).clicked() {
        commands.push(command);
        ui.close();
    }
}

fn file_menu_ui(
    ui: &mut Ui,
    lang: UiLanguage,
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
    menu_item(
        ui,
        lang,
        ("从数据库打开…", "Open from database…"),
        "",
        AppCommand::AskOpenFromDb,
        commands,
    );
    ui.menu_button(lang.pick("最近打开", "Open recent"), |ui| {
        if recent.is_empty() {
            ui.weak(lang.pick("（无）", "(none)"));
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
    // A project open read-only (review, an older revision) has nothing to publish.
    ui.add_enabled_ui(!read_only, |ui| {
        menu_item(
            ui,
            lang,
            ("发布到数据库…", "Publish to database…"),
            "",
            AppCommand::AskPublishToDb,
            commands,
        )
    });
    ui.separator();
    // Review mode never changes the project, so it has nothing to import into.
    ui.add_enabled_ui(!read_only, |ui| {
        menu_item(
            ui,
            lang,
            ("导入数据…", "Import data…"),
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
        ("导出图片…", "Export image…"),
        "",
        AppCommand::AskExportImage,
        commands,
    );
    menu_item(
        ui,
        lang,
        ("导出地图册（PDF）…", "Export map book (PDF)…"),
        "",
        AppCommand::AskExportBook,
        commands,
    );
    // Title, author and 审图号 go on every export and print; review mode never changes them.
    ui.add_enabled_ui(!read_only, |ui| {
        menu_item(
            ui,
            lang,
            (
                "项目属性（标题、作者、审图号）…",
                "Project properties (title, author, approval no.)…",
            ),
            "",
            AppCommand::AskProjectProperties,
            commands,
        )
    });
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
fn edit_menu_ui(ui: &mut Ui, lang: UiLanguage, doc: &Document, commands: &mut Vec<AppCommand>) {
    let undo = doc
        .history
        .undo_label_in(lang)
        .map(|l| format!("{} {l}", lang.pick("撤销", "Undo")));
    let button = egui::Button::new(
        undo.clone()
            .unwrap_or_else(|| lang.pick("撤销", "Undo").to_owned()),
    )
    .shortcut_text("Ctrl+Z");
    if ui.add_enabled(undo.is_some(), button).clicked() {
        commands.push(AppCommand::Undo);
        ui.close();
    }
    let redo = doc
        .history
        .redo_label_in(lang)
        .map(|l| format!("{} {l}", lang.pick("重做", "Redo")));
    let button = egui::Button::new(
        redo.clone()
            .unwrap_or_else(|| lang.pick("重做", "Redo").to_owned()),
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
