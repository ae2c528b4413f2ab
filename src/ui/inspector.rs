//! The inspector: every property of the selected feature, the key facts first.

use super::tr;
use egui::{Color32, RichText, Ui};
use serde_json::Value;

use crate::command::AppCommand;
use crate::model::style::Style;
use crate::model::{PlanFeature, Status, UiLanguage};

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
                    let lang = super::ui_language(ui.ctx());
                    ui.label(RichText::new(key_title(key, lang)).strong());
                    let text = match (key, value) {
                        ("status", Value::String(s)) => status_words(s, lang),
                        _ => value_text(value),
                    };
                    ui.add(egui::Label::new(text).wrap());
                    ui.end_row();
                }
            });
    });
}

/// Chinese names of the plan data's properties (the English interface shows the keys, which
/// are English words); a key not listed is shown as it is.
const KEYS_ZH: &[(&str, &str)] = &[
    ("kind", "类型"),
    ("status", "状态"),
    ("source", "来源"),
    ("tier", "层级"),
    ("tier_name_zh", "层级名称"),
    ("tier_name_en", "层级名称（英文）"),
    ("protection", "保护等级"),
    ("class", "等级"),
    ("axis_zh", "依托通道"),
    ("adcode", "行政区划代码"),
    ("tianditu_name", "天地图名称"),
    ("province", "省份"),
    ("population_2020", "2020 年人口"),
    ("population_2020_source", "人口来源"),
    ("land_area_km2", "陆域面积 km²"),
    ("land_area_km2_source", "面积来源"),
    ("lead_city", "牵头城市"),
    ("lead_city_id", "牵头城市 id"),
    ("participants", "参与城市"),
    ("goal_zh", "目标"),
    ("strategies_zh", "战略重点"),
    ("level", "级别"),
    ("level_name_zh", "级别名称"),
    ("members", "成员"),
    ("area_km2_stated", "所述面积 km²"),
    ("area_km2_stated_source", "面积来源"),
    ("inference", "推断依据"),
];

fn key_title(key: &str, lang: UiLanguage) -> &str {
    match lang {
        UiLanguage::English => key,
        UiLanguage::Chinese => KEYS_ZH
            .iter()
            .find(|(k, _)| *k == key)
            .map_or(key, |(_, zh)| zh),
    }
}

/// A feature's `status` in words: "示意" / "indicative", "依据规划" / "sourced".
fn status_words(status: &str, lang: UiLanguage) -> String {
    match (status, lang) {
        ("indicative", UiLanguage::Chinese) => "示意".into(),
        ("sourced", UiLanguage::Chinese) => "依据规划".into(),
        _ => status.to_owned(),
    }
}

fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(value_text).collect::<Vec<_>>().join("、"),
        Value::Null => "—".into(),
        other => other.to_string(),
    }
}
