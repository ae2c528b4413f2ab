//! The placement inspector: a typed form. Text is edited in buffers and becomes one undoable
//! edit when committed (Enter or leaving the field); drop-downs and checkboxes are one edit
//! per click. Derived facts (size, cities and zones touched, cross-border) are read-only.

use super::tr;
use egui::{Color32, RichText, Ui};

use crate::command::AppCommand;
use crate::doc::AppData;
use crate::edit::Edit;
use crate::model::derived::Derived;
use crate::model::project::{Placement, PlacementId, PlacementStatus};

/// Text buffers of the form, for the placement being edited.
#[derive(Clone, Debug, Default)]
pub struct FormState {
    pub id: Option<PlacementId>,
    pub name_zh: String,
    pub name_en: String,
    pub description: String,
    pub source: String,
    pub comment: String,
    pub error: Option<String>,
    /// The placement as the buffers were loaded; when it changes (an undo), they reload.
    loaded: Option<Placement>,
}

impl FormState {
    fn load(&mut self, id: &PlacementId, p: &Placement) {
        *self = FormState {
            id: Some(id.clone()),
            name_zh: p.name_zh.clone(),
            name_en: p.name_en.clone(),
            description: p.description.clone(),
            source: p.source.clone(),
            loaded: Some(p.clone()),
            ..FormState::default()
        };
    }
}

/// Gives a combo box the accessible name of its row, for screen readers and UI tests.
fn named<R>(combo: egui::InnerResponse<Option<R>>, label: &str) {
    combo
        .response
        .widget_info(|| egui::WidgetInfo::labeled(egui::Role::ComboBox, true, label));
}

/// A labelled drop-down of "none" or one of `(id, name)`; returns the new choice when made.
fn optional_choice(
    ui: &mut Ui,
    label: &str,
    list: &[(String, String)],
    current: &Option<String>,
) -> Option<Option<String>> {
    let shown = current
        .as_ref()
        .and_then(|c| list.iter().find(|(id, _)| id == c))
        .map_or("—".to_owned(), |(_, name)| name.clone());
    let mut choice = None;
    ui.label(label);
    named(
        egui::ComboBox::from_id_salt(label)
            .selected_text(shown)
            .show_ui(ui, |ui| {
                if ui.selectable_label(current.is_none(), "—").clicked() {
                    choice = Some(None);
                }
                for (id, name) in list {
                    if ui
                        .selectable_label(current.as_deref() == Some(id), name)
                        .clicked()
                    {
                        choice = Some(Some(id.clone()));
                    }
                }
            }),
        label,
    );
    choice
}

fn set(id: &PlacementId, placement: Placement) -> AppCommand {
    AppCommand::Edit(Box::new(Edit::SetPlacement {
        id: id.clone(),
        placement,
    }))
}

/// A single-line field whose text is committed when the user is done with it.
fn text_row(ui: &mut Ui, label: &str, buffer: &mut String, multiline: bool) -> bool {
    ui.label(RichText::new(label).strong());
    let edit = if multiline {
        egui::TextEdit::multiline(buffer).desired_rows(2)
    } else {
        egui::TextEdit::singleline(buffer)
    };
    let response = ui.add(edit.desired_width(f32::INFINITY));
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::TextInput, true, label));
    response.lost_focus()
}

pub fn placement_form_ui(
    ui: &mut Ui,
    data: &AppData,
    id: &PlacementId,
    p: &Placement,
    derived: &Derived,
    form: &mut FormState,
    commands: &mut Vec<AppCommand>,
) {
    if form.id.as_ref() != Some(id) || form.loaded.as_ref() != Some(p) {
        let comment = std::mem::take(&mut form.comment);
        form.load(id, p);
        form.comment = comment;
    }
    ui.horizontal(|ui| {
        ui.heading(super::lang::name(
            super::ui_language(ui.ctx()),
            &p.name_zh,
            &p.name_en,
        ));
        if ui.button(tr(ui.ctx(), "关闭", "Close")).clicked() {
            commands.push(AppCommand::Select(None));
        }
    });
    ui.weak(format!(
        "{} — {}",
        tr(ui.ctx(), "项目布局", "Placement"),
        id.0
    ));
    if p.indicative {
        ui.colored_label(
            crate::map::indicative::NOTICE_AMBER,
            RichText::new(crate::model::indicative::indicative_status(
                super::ui_language(ui.ctx()),
            ))
            .strong(),
        );
    } else {
        ui.colored_label(
            Color32::from_rgb(30, 120, 50),
            crate::model::indicative::sourced_status(super::ui_language(ui.ctx())),
        );
    }
    ui.separator();
    egui::ScrollArea::vertical().show(ui, |ui| {
        // Names are required: an emptied name is refused and the field goes back.
        let mut commit_name = |ui: &mut Ui, label: &str, zh: bool, form: &mut FormState| {
            let buffer = if zh {
                &mut form.name_zh
            } else {
                &mut form.name_en
            };
            if text_row(ui, label, buffer, false) {
                let text = buffer.trim().to_owned();
                let current = if zh { &p.name_zh } else { &p.name_en };
                if text.is_empty() {
                    *buffer = current.clone();
                    form.error =
                        Some(tr(ui.ctx(), "名称不能为空", "Both names are required").into());
                } else if text != *current {
                    let mut q = p.clone();
                    if zh {
                        q.name_zh = text
                    } else {
                        q.name_en = text
                    }
                    commands.push(set(id, q));
                    form.error = None;
                }
            }
        };
        commit_name(ui, tr(ui.ctx(), "中文名称", "Name (zh)"), true, form);
        commit_name(ui, tr(ui.ctx(), "英文名称", "Name (en)"), false, form);
        if let Some(e) = &form.error {
            ui.colored_label(Color32::from_rgb(200, 50, 40), e);
        }
        ui.add_space(4.0);
        egui::Grid::new("placement_form")
            .num_columns(2)
            .show(ui, |ui| {
                if let Some(edition) = &data.edition {
                    ui.label(tr(ui.ctx(), "行动", "Action"));
                    let current = edition.action(&p.action).map_or(p.action.as_str(), |a| {
                        super::lang::name(super::ui_language(ui.ctx()), &a.name_zh, &a.name_en)
                    });
                    let combo = egui::ComboBox::from_id_salt("form_action")
                        .selected_text(current)
                        .show_ui(ui, |ui| {
                            for a in &edition.actions {
                                // Each action's focus (Table 1 of the plan) as its tooltip.
                                if ui
                                    .selectable_label(
                                        a.id == p.action,
                                        super::lang::name(
                                            super::ui_language(ui.ctx()),
                                            &a.name_zh,
                                            &a.name_en,
                                        ),
                                    )
                                    .on_hover_text(a.focus_text())
                                    .clicked()
                                {
                                    commands.push(set(
                                        id,
                                        Placement {
                                            action: a.id.clone(),
                                            ..p.clone()
                                        },
                                    ));
                                }
                            }
                        });
                    if let Some(a) = edition.action(&p.action) {
                        combo.response.clone().on_hover_text(a.focus_text());
                    }
                    named(combo, tr(ui.ctx(), "行动", "Action"));
                    ui.end_row();
                    ui.label(tr(ui.ctx(), "期限", "Horizon"));
                    named(
                        egui::ComboBox::from_id_salt("form_horizon")
                            .selected_text(p.horizon.to_string())
                            .show_ui(ui, |ui| {
                                for h in &edition.horizons {
                                    if ui
                                        .selectable_label(*h == p.horizon, h.to_string())
                                        .clicked()
                                    {
                                        commands.push(set(
                                            id,
                                            Placement {
                                                horizon: *h,
                                                ..p.clone()
                                            },
                                        ));
                                    }
                                }
                            }),
                        tr(ui.ctx(), "期限", "Horizon"),
                    );
                    ui.end_row();
                }
                let lang = super::ui_language(ui.ctx());
                let features = |layer: &str| -> Vec<(String, String)> {
                    data.plan
                        .layer(layer)
                        .map(|l| {
                            l.features
                                .iter()
                                .map(|f| {
                                    let shown = super::lang::name(lang, f.name_zh(), f.name_en());
                                    (f.id.0.clone(), shown.to_owned())
                                })
                                .collect()
                        })
                        .unwrap_or_default()
                };
                let sections = features("sections");
                if let Some(section) =
                    optional_choice(ui, tr(ui.ctx(), "板块", "Section"), &sections, &p.section)
                {
                    commands.push(set(
                        id,
                        Placement {
                            section,
                            ..p.clone()
                        },
                    ));
                }
                ui.end_row();
                let cities = features("cities");
                if let Some(lead_city) = optional_choice(
                    ui,
                    tr(ui.ctx(), "牵头城市", "Lead city"),
                    &cities,
                    &p.lead_city,
                ) {
                    commands.push(set(
                        id,
                        Placement {
                            lead_city,
                            ..p.clone()
                        },
                    ));
                }
                ui.end_row();
                ui.label(tr(ui.ctx(), "状态", "Status"));
                named(
                    egui::ComboBox::from_id_salt("form_status")
                        .selected_text(p.status.label(super::ui_language(ui.ctx())))
                        .show_ui(ui, |ui| {
                            for s in PlacementStatus::ALL {
                                let label = s.label(super::ui_language(ui.ctx()));
                                if ui.selectable_label(s == p.status, label).clicked() {
                                    commands.push(set(
                                        id,
                                        Placement {
                                            status: s,
                                            ..p.clone()
                                        },
                                    ));
                                }
                            }
                        }),
                    tr(ui.ctx(), "状态", "Status"),
                );
                ui.end_row();
                ui.label(tr(ui.ctx(), "参与城市", "Participants"));
                ui.horizontal_wrapped(|ui| {
                    for (cid, name) in &cities {
                        let mut on = p.participants.contains(cid);
                        if ui.checkbox(&mut on, name).changed() {
                            let mut q = p.clone();
                            if on {
                                q.participants.push(cid.clone());
                            } else {
                                q.participants.retain(|c| c != cid);
                            }
                            commands.push(set(id, q));
                        }
                    }
                });
                ui.end_row();
            });
        ui.separator();
        ui.label(RichText::new(tr(ui.ctx(), "由几何得出", "From the geometry")).strong());
        if let Some(km) = derived.length_km {
            ui.label(format!("{}: {km:.2} km", tr(ui.ctx(), "长度", "Length")));
        }
        if let Some(km2) = derived.area_km2 {
            ui.label(format!("{}: {km2:.2} km²", tr(ui.ctx(), "面积", "Area")));
        }
        ui.label(format!(
            "{}: {}",
            tr(ui.ctx(), "城市", "Cities"),
            if derived.cities.is_empty() {
                "—".into()
            } else {
                let lang = super::ui_language(ui.ctx());
                super::placement_table::derived_names(
                    data,
                    "city_boundaries",
                    &derived.cities,
                    lang,
                )
            }
        ));
        ui.label(format!(
            "{}: {}",
            tr(ui.ctx(), "板块", "Zones"),
            if derived.zones.is_empty() {
                "—".into()
            } else {
                let lang = super::ui_language(ui.ctx());
                super::placement_table::derived_names(data, "sections", &derived.zones, lang)
            }
        ));
        if derived.cross_border() {
            ui.colored_label(
                Color32::from_rgb(150, 30, 120),
                tr(
                    ui.ctx(),
                    "跨界：涉及两个或以上城市",
                    "cross-border: touches two or more cities",
                ),
            );
        }
        ui.separator();
        if text_row(
            ui,
            tr(ui.ctx(), "说明", "Description"),
            &mut form.description,
            true,
        ) && form.description != p.description
        {
            commands.push(set(
                id,
                Placement {
                    description: form.description.clone(),
                    ..p.clone()
                },
            ));
        }
        if text_row(ui, tr(ui.ctx(), "来源", "Source"), &mut form.source, false)
            && form.source != p.source
        {
            commands.push(set(
                id,
                Placement {
                    source: form.source.clone(),
                    ..p.clone()
                },
            ));
        }
        ui.separator();
        ui.label(
            RichText::new(format!(
                "{} ({})",
                tr(ui.ctx(), "评论", "Comments"),
                p.comments.len()
            ))
            .strong(),
        );
        for c in &p.comments {
            ui.label(format!("{} · {}: {}", c.author, c.time, c.text));
        }
        text_row(
            ui,
            tr(ui.ctx(), "新评论", "New comment"),
            &mut form.comment,
            false,
        );
        if ui
            .add_enabled(
                !form.comment.trim().is_empty(),
                egui::Button::new(tr(ui.ctx(), "添加评论", "Add comment")),
            )
            .clicked()
        {
            commands.push(AppCommand::CommentOnPlacement {
                id: id.clone(),
                text: form.comment.trim().to_owned(),
            });
            form.comment.clear();
        }
        ui.separator();
        if ui
            .button(tr(ui.ctx(), "删除项目布局", "Delete placement"))
            .clicked()
        {
            commands.push(AppCommand::DeleteSelected);
        }
    });
}
