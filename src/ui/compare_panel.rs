//! The comparison of the open project (old) with another version (new): the changes, each
//! with its details, to accept or reject; and the merged project or a report to write.

use super::tr;
use egui::{RichText, Ui};

use crate::command::{AppCommand, CompareState, PathPurpose};
use crate::map::changes::{ADDED, CHANGED, REMOVED};
use crate::model::FeatureId;
use crate::model::diff::{ChangeKind, Subject};
use crate::model::diff_words::{change_name, details};

pub fn compare_panel_ui(ui: &mut Ui, c: &CompareState, commands: &mut Vec<AppCommand>) {
    let count = |k: ChangeKind| c.changes.iter().filter(|x| x.kind == k).count();
    ui.horizontal_wrapped(|ui| {
        ui.label(
            RichText::new(format!(
                "{} {}: {} {}",
                tr(ui.ctx(), "对比", "Compare with"),
                c.other_path.display(),
                c.changes.len(),
                tr(ui.ctx(), "处变化", "changes")
            ))
            .strong(),
        );
        ui.colored_label(
            ADDED,
            format!(
                "+{} {}",
                count(ChangeKind::Added),
                tr(ui.ctx(), "新增", "added")
            ),
        );
        ui.colored_label(
            REMOVED,
            format!(
                "-{} {}",
                count(ChangeKind::Removed),
                tr(ui.ctx(), "删除", "removed")
            ),
        );
        let changed = c.changes.len() - count(ChangeKind::Added) - count(ChangeKind::Removed);
        ui.colored_label(
            CHANGED,
            format!("~{changed} {}", tr(ui.ctx(), "修改", "changed")),
        );
        ui.separator();
        if ui.button(tr(ui.ctx(), "全部接受", "Accept all")).clicked() {
            commands.push(AppCommand::AcceptAllChanges(true));
        }
        if ui.button(tr(ui.ctx(), "全部拒绝", "Reject all")).clicked() {
            commands.push(AppCommand::AcceptAllChanges(false));
        }
        if ui
            .button(format!(
                "{} ({} {})…",
                tr(ui.ctx(), "写出合并结果", "Write merged"),
                c.accepted.len(),
                tr(ui.ctx(), "项已接受", "accepted")
            ))
            .clicked()
        {
            commands.push(AppCommand::AskPath(PathPurpose::WriteMerged));
        }
        if ui.button(tr(ui.ctx(), "报告…", "Report…")).clicked() {
            commands.push(AppCommand::AskPath(PathPurpose::WriteReport));
        }
        if ui
            .selectable_label(c.side_by_side, tr(ui.ctx(), "并排", "Side by side"))
            .on_hover_text(tr(
                ui.ctx(),
                "左侧为本版本，右侧为另一版本，二者同步平移和缩放",
                "This version on the left, the other on the right, panned and zoomed together",
            ))
            .clicked()
        {
            commands.push(AppCommand::ToggleSideBySide);
        }
        if ui.button(tr(ui.ctx(), "关闭", "Close")).clicked() {
            commands.push(AppCommand::CloseCompare);
        }
    });
    ui.separator();
    let lang = super::ui_language(ui.ctx());
    egui::ScrollArea::vertical().show(ui, |ui| {
        egui::Grid::new("changes").striped(true).show(ui, |ui| {
            for change in &c.changes {
                let mut on = c.accepted.contains(&change.subject);
                let name = change_name(change, lang);
                let label = format!("{} {name}", tr(ui.ctx(), "接受", "Accept"));
                let response = ui.checkbox(&mut on, "");
                response.widget_info(|| {
                    egui::WidgetInfo::selected(egui::Role::CheckBox, true, on, &label)
                });
                if response.changed() {
                    commands.push(AppCommand::AcceptChange(change.subject.clone(), on));
                }
                let colour = match change.kind {
                    ChangeKind::Added => ADDED,
                    ChangeKind::Removed => REMOVED,
                    _ => CHANGED,
                };
                ui.colored_label(colour, change.kind.title(lang));
                match &change.subject {
                    Subject::Placement(id) if change.kind != ChangeKind::Removed => {
                        if ui.link(&name).clicked() {
                            commands.push(AppCommand::SelectAndShow(FeatureId(id.clone())));
                        }
                    }
                    _ => {
                        ui.label(&name);
                    }
                }
                ui.label(details(change, lang).join(tr(ui.ctx(), "；", "; ")));
                ui.end_row();
            }
        });
    });
}
