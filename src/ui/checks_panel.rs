//! The Checks panel: the plan-check findings of the project, live. Clicking one zooms to it;
//! each can be acknowledged with a written reason, which is kept in the project for reviewers.

use super::tr;
use egui::{Color32, RichText, Ui};

use crate::command::AppCommand;
use crate::model::FeatureId;
use crate::model::checks::Finding;
use crate::model::project::Project;

pub fn checks_panel_ui(
    ui: &mut Ui,
    findings: &[Finding],
    project: &Project,
    draft: &mut Option<(String, String)>,
    commands: &mut Vec<AppCommand>,
) {
    let open = findings
        .iter()
        .filter(|f| !project.acknowledgements.contains_key(&f.id))
        .count();
    ui.horizontal(|ui| {
        let heading = match super::ui_language(ui.ctx()) {
            crate::model::UiLanguage::Chinese => {
                format!("检查：{} 项发现，{open} 项未处理", findings.len())
            }
            crate::model::UiLanguage::English => {
                format!("Checks: {} findings, {open} open", findings.len())
            }
        };
        ui.strong(heading);
        ui.weak(tr(ui.ctx(), "建设空间不得占用生态空间；项目布局应与所在板块、城市和网络相符。", "Building space must not take ecological space; placements should fit their zone, city and the networks."));
    });
    // The whole height of the panel, with a scrollbar that is always there: a long list says
    // at a glance that there is more below.
    let scroll = egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .scroll_bar_visibility(egui::scroll_area::ScrollBarVisibility::AlwaysVisible);
    scroll.show(ui, |ui| {
        for f in findings {
            // Wrapped: a long finding (one that names a sketched area) must not push its
            // buttons out of reach.
            ui.horizontal_wrapped(|ui| {
                let ack = project.acknowledgements.get(&f.id);
                let color = if ack.is_some() { Color32::GRAY } else { Color32::from_rgb(200, 90, 0) };
                let lang = super::ui_language(ui.ctx());
                let text = RichText::new(format!("[{}] {}", f.rule.title(lang), f.in_language(lang))).color(color);
                if ui.add(egui::Label::new(text).sense(egui::Sense::click())).on_hover_text(tr(ui.ctx(), "缩放到此处", "Zoom to it")).clicked() {
                    let [w, s, e, n] = f.bbox;
                    commands.push(AppCommand::ZoomTo(geo::Rect::new(geo::Coord { x: w, y: s }, geo::Coord { x: e, y: n })));
                    commands.push(AppCommand::Select(Some(FeatureId(f.placement.clone()))));
                }
                match (ack, draft.as_mut()) {
                    (Some(a), _) => {
                        ui.label(RichText::new(format!("✓ {} — {}", a.reason, a.author)).italics());
                    }
                    (None, Some((id, reason))) if *id == f.id => {
                        let label = ui.label(tr(ui.ctx(), "理由", "Reason"));
                        ui.add(egui::TextEdit::singleline(reason).desired_width(260.0)).labelled_by(label.id);
                        if ui.add_enabled(!reason.trim().is_empty(), egui::Button::new(tr(ui.ctx(), "确认", "Acknowledge"))).clicked() {
                            commands.push(AppCommand::Acknowledge { finding: f.id.clone(), reason: reason.trim().to_owned() });
                        }
                        if ui.button(tr(ui.ctx(), "取消", "Cancel")).clicked() {
                            commands.push(AppCommand::DraftAcknowledgement(None));
                        }
                    }
                    (None, _) => {
                        if ui.small_button(tr(ui.ctx(), "确认…", "Acknowledge…")).on_hover_text(tr(ui.ctx(), "写明可以接受的理由；作为审计记录保存在项目中", "Write why this is acceptable; kept in the project as an audit trail")).clicked() {
                            commands.push(AppCommand::DraftAcknowledgement(Some(f.id.clone())));
                        }
                    }
                }
            });
        }
    });
}
