//! "About this plan": the plan's own structure as its data states it. The edition's system
//! actions with their focus (`layers/edition.ron`) and the strategic coordination zones with
//! their lead city, goal and strategic focus (`layers/sections.geojson`).

use super::{tr, ui_language};
use crate::model::UiLanguage;
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
            let lang = ui_language(ui.ctx());
            ui.label(RichText::new(lang.pick(&e.name_zh, &e.name_en)).strong());
            ui.weak(match lang {
                UiLanguage::Chinese => {
                    format!(
                        "系统行动 {} 项；空间板块 {} 个",
                        e.actions.len(),
                        zones.len()
                    )
                }
                UiLanguage::English => format!(
                    "{} system actions; {} strategic coordination zones",
                    e.actions.len(),
                    zones.len()
                ),
            });
            let source = format!("{}: {}", tr(ui.ctx(), "来源", "Source"), e.source);
            ui.add(egui::Label::new(RichText::new(source).weak()).wrap());
            ui.add_space(4.0);
            ui.label(RichText::new(tr(ui.ctx(), "系统行动", "System actions")).strong());
            for a in &e.actions {
                egui::CollapsingHeader::new(lang.pick(&a.name_zh, &a.name_en))
                    .id_salt(("plan_about_action", &a.id))
                    .show(ui, |ui| {
                        ui.add(egui::Label::new(a.focus_text()).wrap());
                    });
            }
        }
        None => {
            ui.weak(tr(
                ui.ctx(),
                "没有读到规划版本 layers/edition.ron",
                "No plan edition was read (layers/edition.ron)",
            ));
        }
    }
    ui.add_space(4.0);
    ui.label(RichText::new(tr(ui.ctx(), "空间板块", "Strategic coordination zones")).strong());
    for z in zones {
        let lang = ui_language(ui.ctx());
        egui::CollapsingHeader::new(lang.pick(z.name_zh(), z.name_en()))
            .id_salt(("plan_about_zone", &z.id.0))
            .show(ui, |ui| {
                ui.add(egui::Label::new(zone_text(z, lang)).wrap());
            });
    }
}

/// A zone's lead city, participants, goal and strategic focus, as its feature states them (in
/// Chinese: the plan gives them in no other language).
pub fn zone_text(zone: &PlanFeature, lang: UiLanguage) -> String {
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
        format!(
            "{}: {}",
            lang.pick("牵头城市", "Lead city"),
            zone.text("lead_city")
        ),
        format!(
            "{}: {}",
            lang.pick("参与城市", "Participants"),
            list("participants").join("、")
        ),
        format!("{}: {}", lang.pick("目标", "Goal"), zone.text("goal_zh")),
        format!("{}:", lang.pick("战略重点", "Strategic focus")),
    ];
    lines.extend(list("strategies_zh").iter().map(|s| format!("• {s}")));
    lines.push(format!(
        "{}: {}",
        lang.pick("来源", "Source"),
        zone.text("source")
    ));
    lines.join("\n")
}
