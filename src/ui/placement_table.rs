//! The placement table: every placement with its action, section, status, horizon and the
//! cities it touches; sortable by any column and filterable. A click zooms to a placement;
//! Ctrl- or Shift-click selects several, and the bulk row then edits them all in one step.

use super::lang::name;
use super::tr;
use crate::model::UiLanguage;
use egui::{RichText, Ui};

use crate::command::{AppCommand, BulkChange};
use crate::doc::AppData;
use crate::model::FeatureId;
use crate::model::derived::Derived;
use crate::model::project::{Placement, PlacementId, PlacementStatus, Project};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Column {
    #[default]
    Name,
    Action,
    Section,
    Status,
    Horizon,
    Cities,
}

impl Column {
    const ALL: [Self; 6] = [
        Self::Name,
        Self::Action,
        Self::Section,
        Self::Status,
        Self::Horizon,
        Self::Cities,
    ];

    fn title(self, lang: UiLanguage) -> &'static str {
        match self {
            Self::Name => lang.pick("名称", "Name"),
            Self::Action => lang.pick("行动", "Action"),
            Self::Section => lang.pick("板块", "Section"),
            Self::Status => lang.pick("状态", "Status"),
            Self::Horizon => lang.pick("期限", "Horizon"),
            Self::Cities => lang.pick("城市", "Cities"),
        }
    }
}

/// Sorting and filters of the table.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TableState {
    pub sort: Column,
    pub descending: bool,
    pub action: Option<String>,
    pub section: Option<String>,
    pub status: Option<PlacementStatus>,
    /// A city (zh name) the placement must touch.
    pub city: Option<String>,
}

/// The text a cell shows, which is also what it sorts by.
/// Names in `lang`; the table sorts by the Chinese ones, the plan's own, in either language.
fn cell(
    data: &AppData,
    p: &Placement,
    facts: Option<&Derived>,
    column: Column,
    lang: UiLanguage,
) -> String {
    match column {
        Column::Name => name(lang, &p.name_zh, &p.name_en).to_owned(),
        Column::Action => data
            .edition
            .as_ref()
            .and_then(|e| e.action(&p.action))
            .map_or(p.action.clone(), |a| {
                name(lang, &a.name_zh, &a.name_en).to_owned()
            }),
        Column::Section => p
            .section
            .as_ref()
            .map(|s| feature_name(data, s, lang))
            .unwrap_or_default(),
        Column::Status => p.status.label(lang).to_owned(),
        Column::Horizon => p.horizon.to_string(),
        Column::Cities => facts
            .map(|f| derived_names(data, "city_boundaries", &f.cities, lang))
            .unwrap_or_default(),
    }
}

/// Names that the geometry gave (the Chinese names of features of `layer`, as
/// [`Derived`] holds them) in `lang`, as a list: "上海、苏州" or "Shanghai, Suzhou".
pub fn derived_names(data: &AppData, layer: &str, names_zh: &[String], lang: UiLanguage) -> String {
    let features = data
        .plan
        .layer(layer)
        .map(|l| &l.features[..])
        .unwrap_or(&[]);
    let shown: Vec<&str> = names_zh
        .iter()
        .map(|zh| {
            features
                .iter()
                .find(|f| f.name_zh() == zh)
                .map_or(zh.as_str(), |f| name(lang, f.name_zh(), f.name_en()))
        })
        .collect();
    shown.join(lang.pick("、", ", "))
}

fn feature_name(data: &AppData, id: &str, lang: UiLanguage) -> String {
    data.plan
        .feature(&FeatureId(id.to_owned()))
        .map_or(id.to_owned(), |f| {
            name(lang, f.name_zh(), f.name_en()).to_owned()
        })
}

/// The placements the filters let through, in the table's order.
pub fn rows(
    data: &AppData,
    project: &Project,
    facts: &std::collections::BTreeMap<PlacementId, Derived>,
    state: &TableState,
) -> Vec<PlacementId> {
    let mut rows: Vec<(&PlacementId, &Placement)> = project
        .placements
        .iter()
        .filter(|(_, p)| state.action.as_ref().is_none_or(|a| *a == p.action))
        .filter(|(_, p)| state.section.is_none() || state.section == p.section)
        .filter(|(_, p)| state.status.is_none_or(|s| s == p.status))
        .filter(|(id, _)| {
            state
                .city
                .as_ref()
                .is_none_or(|c| facts.get(*id).is_some_and(|f| f.cities.contains(c)))
        })
        .collect();
    rows.sort_by_cached_key(|(id, p)| {
        let text = cell(data, p, facts.get(*id), state.sort, UiLanguage::Chinese);
        // Years sort as numbers; the id breaks ties so that the order is stable.
        (text, id.0.clone())
    });
    if state.descending {
        rows.reverse();
    }
    rows.into_iter().map(|(id, _)| id.clone()).collect()
}

/// A labelled drop-down of `options`; with `all` it also offers "no filter". Returns the choice
/// when one is made.
fn filter_combo(
    ui: &mut Ui,
    label: &str,
    current: Option<String>,
    options: &[(String, String)],
    all: bool,
) -> Option<Option<String>> {
    let none_text = if all {
        tr(ui.ctx(), "全部", "all")
    } else {
        "…"
    };
    let shown = current
        .as_ref()
        .and_then(|c| options.iter().find(|(id, _)| id == c))
        .map_or(none_text.to_owned(), |(_, n)| n.clone());
    let mut chosen = None;
    ui.label(label);
    let response = egui::ComboBox::from_id_salt(label)
        .selected_text(shown)
        .show_ui(ui, |ui| {
            if all && ui.selectable_label(current.is_none(), none_text).clicked() {
                chosen = Some(None);
            }
            for (id, name) in options {
                if ui
                    .selectable_label(current.as_deref() == Some(id), name)
                    .clicked()
                {
                    chosen = Some(Some(id.clone()));
                }
            }
        });
    response
        .response
        .widget_info(|| egui::WidgetInfo::labeled(egui::Role::ComboBox, true, label));
    chosen
}

struct Choices {
    actions: Vec<(String, String)>,
    sections: Vec<(String, String)>,
    statuses: Vec<(String, String)>,
    cities: Vec<(String, String)>,
    horizons: Vec<(String, String)>,
}

impl Choices {
    fn new(data: &AppData, lang: UiLanguage) -> Self {
        let features = |layer: &str, by_name: bool| -> Vec<(String, String)> {
            data.plan
                .layer(layer)
                .map(|l| {
                    l.features
                        .iter()
                        .map(|f| {
                            let shown = name(lang, f.name_zh(), f.name_en()).to_owned();
                            // Cities are matched by their Chinese names, as derived.
                            let key = if by_name {
                                f.name_zh().to_owned()
                            } else {
                                f.id.0.clone()
                            };
                            (key, shown)
                        })
                        .collect()
                })
                .unwrap_or_default()
        };
        let edition = data.edition.as_ref();
        Self {
            actions: edition
                .map(|e| {
                    e.actions
                        .iter()
                        .map(|a| (a.id.clone(), name(lang, &a.name_zh, &a.name_en).to_owned()))
                        .collect()
                })
                .unwrap_or_default(),
            sections: features("sections", false),
            statuses: PlacementStatus::ALL
                .iter()
                .map(|s| (s.as_str().to_owned(), s.label(lang).to_owned()))
                .collect(),
            // Derived facts name cities in zh, so the city filter does too.
            cities: features("city_boundaries", true),
            horizons: edition
                .map(|e| {
                    e.horizons
                        .iter()
                        .map(|h| (h.to_string(), h.to_string()))
                        .collect()
                })
                .unwrap_or_default(),
        }
    }
}

fn status_from(s: &str) -> Option<PlacementStatus> {
    PlacementStatus::ALL.into_iter().find(|x| x.as_str() == s)
}

pub fn placement_table_ui(
    ui: &mut Ui,
    data: &AppData,
    project: &Project,
    facts: &std::collections::BTreeMap<PlacementId, Derived>,
    selection: &[PlacementId],
    state: &mut TableState,
    commands: &mut Vec<AppCommand>,
) {
    let lang = super::ui_language(ui.ctx());
    let choices = Choices::new(data, lang);
    let shown = rows(data, project, facts, state);
    ui.horizontal_wrapped(|ui| {
        ui.label(
            RichText::new(format!(
                "{}: {} / {}",
                tr(ui.ctx(), "项目表", "Placements"),
                shown.len(),
                project.placements.len()
            ))
            .strong(),
        );
        ui.separator();
        if let Some(a) = filter_combo(
            ui,
            tr(ui.ctx(), "行动", "Action"),
            state.action.clone(),
            &choices.actions,
            true,
        ) {
            state.action = a;
        }
        if let Some(s) = filter_combo(
            ui,
            tr(ui.ctx(), "板块", "Section"),
            state.section.clone(),
            &choices.sections,
            true,
        ) {
            state.section = s;
        }
        let status = state.status.map(|s| s.as_str().to_owned());
        if let Some(s) = filter_combo(
            ui,
            tr(ui.ctx(), "状态", "Status"),
            status,
            &choices.statuses,
            true,
        ) {
            state.status = s.as_deref().and_then(status_from);
        }
        if let Some(c) = filter_combo(
            ui,
            tr(ui.ctx(), "城市", "City"),
            state.city.clone(),
            &choices.cities,
            true,
        ) {
            state.city = c;
        }
        if ui.button(tr(ui.ctx(), "全选", "Select shown")).clicked() {
            commands.push(AppCommand::SelectMany(shown.clone()));
        }
        if ui.button(tr(ui.ctx(), "关闭", "Close")).clicked() {
            commands.push(AppCommand::ToggleTable);
        }
    });
    if selection.len() >= 2 {
        bulk_row(ui, selection.len(), &choices, commands);
    }
    ui.separator();
    egui::ScrollArea::vertical().show(ui, |ui| {
        egui::Grid::new("placement_table")
            .striped(true)
            .num_columns(Column::ALL.len())
            .show(ui, |ui| {
                for c in Column::ALL {
                    let arrow = match (state.sort == c, state.descending) {
                        (true, false) => " ▲",
                        (true, true) => " ▼",
                        _ => "",
                    };
                    if ui
                        .button(
                            RichText::new(format!(
                                "{}{arrow}",
                                c.title(super::ui_language(ui.ctx()))
                            ))
                            .strong(),
                        )
                        .on_hover_text(tr(
                            ui.ctx(),
                            "按此列排序；再点一次倒序",
                            "Sort by this column; again to reverse",
                        ))
                        .clicked()
                    {
                        state.descending = state.sort == c && !state.descending;
                        state.sort = c;
                    }
                }
                ui.end_row();
                for id in &shown {
                    let Some(p) = project.placements.get(id) else {
                        continue;
                    };
                    let selected = selection.contains(id);
                    let response =
                        ui.selectable_label(selected, name(lang, &p.name_zh, &p.name_en));
                    if response.clicked() {
                        let add = ui.input(|i| i.modifiers.command || i.modifiers.shift);
                        commands.push(if add {
                            AppCommand::ToggleSelect(id.clone())
                        } else {
                            AppCommand::SelectAndShow(FeatureId(id.0.clone()))
                        });
                    }
                    for c in &Column::ALL[1..] {
                        ui.label(cell(data, p, facts.get(id), *c, lang));
                    }
                    ui.end_row();
                }
            });
    });
}

/// Attribute drop-downs that set the attribute of every selected placement, as one step.
fn bulk_row(ui: &mut Ui, count: usize, choices: &Choices, commands: &mut Vec<AppCommand>) {
    ui.horizontal_wrapped(|ui| {
        ui.label(
            RichText::new(format!(
                "{} ({count}):",
                tr(ui.ctx(), "批量修改所选", "Set for the selected")
            ))
            .strong(),
        );
        // The drop-downs show what they set, not a current value: the selection may differ.
        if let Some(Some(a)) = filter_combo(
            ui,
            tr(ui.ctx(), "批量行动", "Set action"),
            None,
            &choices.actions,
            false,
        ) {
            commands.push(AppCommand::BulkEdit(BulkChange::Action(a)));
        }
        if let Some(Some(s)) = filter_combo(
            ui,
            tr(ui.ctx(), "批量板块", "Set section"),
            None,
            &choices.sections,
            false,
        ) {
            commands.push(AppCommand::BulkEdit(BulkChange::Section(Some(s))));
        }
        if let Some(Some(s)) = filter_combo(
            ui,
            tr(ui.ctx(), "批量状态", "Set status"),
            None,
            &choices.statuses,
            false,
        ) && let Some(status) = status_from(&s)
        {
            commands.push(AppCommand::BulkEdit(BulkChange::Status(status)));
        }
        if let Some(Some(h)) = filter_combo(
            ui,
            tr(ui.ctx(), "批量期限", "Set horizon"),
            None,
            &choices.horizons,
            false,
        ) && let Ok(year) = h.parse()
        {
            commands.push(AppCommand::BulkEdit(BulkChange::Horizon(year)));
        }
    });
}
