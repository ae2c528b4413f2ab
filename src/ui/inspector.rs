//! The inspector: every property of the selected feature, the key facts first.

use super::tr;
use egui::{Color32, RichText, Ui};
use serde_json::Value;

use crate::command::AppCommand;
use crate::model::style::Style;
use crate::model::{PlanFeature, Status};

/// Shown first, in this order; the rest follow alphabetically.
const KEY_FACTS: [&str; 12] = [
    "kind",
    "tier",
    "tier_name_zh",
    "class",
    "province",
    "lead_city",
    "participants",
    "members",
    "protection",
    "goal_zh",
    "status",
    "source",
];

/// `sketch` is what the project's sketch did to this plan feature (added, modified), if
/// anything; `editable` whether the project may revert it.
pub fn inspector_ui(
    ui: &mut Ui,
    feature: &PlanFeature,
    style: &Style,
    sketch: Option<&str>,
    editable: bool,
    commands: &mut Vec<AppCommand>,
) {
    ui.horizontal(|ui| {
        ui.heading(super::lang::name(
            super::ui_language(ui.ctx()),
            feature.name_zh(),
            feature.name_en(),
        ));
        if ui.button(tr(ui.ctx(), "关闭", "Close")).clicked() {
            commands.push(AppCommand::Select(None));
        }
    });
    if let Some(kind) = sketch {
        ui.horizontal(|ui| {
            ui.label(
                RichText::new(format!(" {}: {kind} ", tr(ui.ctx(), "草图", "sketch")))
                    .color(Color32::WHITE)
                    .background_color(Color32::from_rgb(200, 0, 160)),
            )
            .on_hover_text(tr(ui.ctx(), "本项目对规划图层的草图，并非规划本身：layers/ 中的基线不变", "This project's sketch of the plan layer, not the plan: the baseline in layers/ is unchanged"));
            if editable
                && ui
                    .button(tr(ui.ctx(), "恢复为规划", "Revert to plan"))
                    .on_hover_text(tr(ui.ctx(), "放弃此草图，恢复基线要素（一步撤销）", "Drop this sketch: the baseline feature returns (one undo step)"))
                    .clicked()
            {
                commands.push(AppCommand::RevertToPlan(feature.id.0.clone()));
            }
        });
    }
    ui.label(RichText::new(feature.name_en()).italics());
    let layer_name = style
        .layer(&feature.layer)
        .map(|l| tr(ui.ctx(), &l.name_zh, &l.name_en).to_owned())
        .unwrap_or_else(|| feature.layer.clone());
    ui.weak(format!("{layer_name} — {}", feature.id));
    match feature.status() {
        Some(Status::Sourced) => ui.colored_label(
            Color32::from_rgb(30, 120, 50),
            crate::model::indicative::sourced_status(super::ui_language(ui.ctx())),
        ),
        Some(Status::Indicative) => ui.colored_label(
            crate::map::indicative::NOTICE_AMBER,
            RichText::new(crate::model::indicative::indicative_status(
                super::ui_language(ui.ctx()),
            ))
            .strong(),
        ),
        None => ui.colored_label(Color32::RED, tr(ui.ctx(), "无有效状态", "no valid status")),
    };
    ui.separator();
    egui::ScrollArea::vertical().show(ui, |ui| {
        egui::Grid::new("properties")
            .num_columns(2)
            .striped(true)
            .show(ui, |ui| {
                let rest = feature.properties.keys().filter(|k| {
                    !KEY_FACTS.contains(&k.as_str())
                        && !matches!(k.as_str(), "id" | "name_zh" | "name_en")
                });
                let ordered = KEY_FACTS
                    .iter()
                    .copied()
                    .filter(|k| feature.properties.contains_key(*k))
                    .chain(rest.map(String::as_str));
                for key in ordered {
                    let Some(value) = feature.properties.get(key) else {
                        continue;
                    };
                    ui.label(RichText::new(key).strong());
                    ui.add(egui::Label::new(value_text(value)).wrap());
                    ui.end_row();
                }
            });
    });
}

fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(value_text).collect::<Vec<_>>().join("、"),
        Value::Null => "—".into(),
        other => other.to_string(),
    }
}
