//! "About this plan": the plan's own structure as its data states it. The edition's system
//! actions with their focus (`layers/edition.ron`) and the strategic coordination zones with
//! their lead city, goal and strategic focus (`layers/sections.geojson`).

use egui::{RichText, Ui};

use crate::model::edition::Edition;
use crate::model::{Plan, PlanFeature};

/// The zones' layer in `layers/`.
const ZONES_LAYER: &str = "sections";

pub fn plan_about_ui(ui: &mut Ui, edition: Option<&Edition>, plan: &Plan) {
    let zones: Vec<&PlanFeature> = plan
        .layer(ZONES_LAYER)
        .map(|l| l.features.iter().collect())
        .unwrap_or_default();
    match edition {
        Some(e) => {
            ui.label(RichText::new(&e.name_zh).strong());
            ui.label(&e.name_en);
            ui.weak(format!(
                "系统行动 {} 项 · {} system actions; 空间板块 {} 个 · {} strategic coordination zones",
                e.actions.len(),
                e.actions.len(),
                zones.len(),
                zones.len()
            ));
            ui.add(
                egui::Label::new(RichText::new(format!("来源 Source: {}", e.source)).weak()).wrap(),
            );
            ui.add_space(4.0);
            ui.label(RichText::new("系统行动 System actions").strong());
            for a in &e.actions {
                egui::CollapsingHeader::new(format!("{} · {}", a.name_zh, a.name_en))
                    .id_salt(("plan_about_action", &a.id))
                    .show(ui, |ui| {
                        ui.add(egui::Label::new(a.focus_text()).wrap());
                    });
            }
        }
        None => {
            ui.weak("没有读到规划版本 layers/edition.ron · No plan edition was read");
        }
    }
    ui.add_space(4.0);
    ui.label(RichText::new("空间板块 Strategic coordination zones").strong());
    for z in zones {
        egui::CollapsingHeader::new(format!("{} · {}", z.name_zh(), z.name_en()))
            .id_salt(("plan_about_zone", &z.id.0))
            .show(ui, |ui| {
                ui.add(egui::Label::new(zone_text(z)).wrap());
            });
    }
}

/// A zone's lead city, participants, goal and strategic focus, as its feature states them.
pub fn zone_text(zone: &PlanFeature) -> String {
    let list = |key: &str| -> Vec<String> {
        zone.properties
            .get(key)
            .and_then(|v| v.as_array())
            .map(|items| {
                items
                    .iter()
                    .filter_map(|i| i.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut lines = vec![
        format!("牵头城市 Lead city: {}", zone.text("lead_city")),
        format!("参与城市 Participants: {}", list("participants").join("、")),
        format!("目标 Goal: {}", zone.text("goal_zh")),
        "战略重点 Strategic focus:".to_owned(),
    ];
    lines.extend(list("strategies_zh").iter().map(|s| format!("• {s}")));
    lines.push(format!("来源 Source: {}", zone.text("source")));
    lines.join("\n")
}
