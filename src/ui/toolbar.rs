//! The top bar: menus, view buttons, the label language switch and the search box.

use egui::{Key, Ui};

use crate::app::{AppCommand, AppData, SearchState};
use crate::model::LabelLanguage;
use crate::model::search::search;
use crate::model::view::{ViewCommand, ViewSettings};

use super::ui_name;

/// The accessible name of the search box.
pub const SEARCH_LABEL: &str = "搜索 Search";
const MAX_HITS: usize = 12;

pub fn toolbar_ui(
    ui: &mut Ui,
    data: &AppData,
    view: &ViewSettings,
    search_state: &mut SearchState,
    commands: &mut Vec<AppCommand>,
) {
    let lang = view.language;
    egui::MenuBar::new().ui(ui, |ui| {
        ui.menu_button(ui_name(lang, "视图", "View"), |ui| {
            if ui
                .button(ui_name(lang, "全图 (0)", "Whole plan area (0)"))
                .clicked()
            {
                commands.push(AppCommand::Home);
            }
            ui.separator();
            for l in LabelLanguage::ALL {
                if ui.radio(view.language == l, l.title()).clicked() {
                    commands.push(AppCommand::View(ViewCommand::SetLanguage(l)));
                }
            }
        });
        ui.menu_button(ui_name(lang, "帮助", "Help"), |ui| {
            if ui
                .button(ui_name(lang, "关于与数据来源…", "About and data sources…"))
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
        if ui.button("−").on_hover_text("Zoom out (−)").clicked() {
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
        search_ui(ui, data, lang, search_state, commands);
    });
}

fn search_ui(
    ui: &mut Ui,
    data: &AppData,
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
        state.hits = search(&data.plan, &data.basemap, &state.query, MAX_HITS);
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
