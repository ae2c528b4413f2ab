//! File › Project properties…: the project's title (Chinese and English), its author and its
//! map approval number (审图号), which the print layout, the map book's cover and the exports
//! show. Apply is one undo step; an unchanged form applies nothing.

use egui::{Context, Ui};

use super::{centre_of, tr};
use crate::command::AppCommand;
use crate::model::project::ProjectInfo;

/// Shows the dialog; returns whether it closes.
pub fn project_properties_ui(
    ctx: &Context,
    info: &mut ProjectInfo,
    commands: &mut Vec<AppCommand>,
) -> bool {
    let mut close = false;
    let mut open = true;
    egui::Window::new(tr(ctx, "项目属性", "Project properties"))
        .id(egui::Id::unique("onemap.project_properties"))
        .pivot(egui::Align2::CENTER_CENTER)
        .default_pos(centre_of(ctx))
        .collapsible(false)
        .resizable(false)
        .open(&mut open)
        .show(ctx, |ui| {
            ui.set_width(460.0);
            fields(ui, info);
            ui.separator();
            ui.horizontal(|ui| {
                if ui.button(tr(ctx, "应用", "Apply")).clicked() {
                    commands.push(AppCommand::SetProjectInfo(trimmed(info)));
                    close = true;
                }
                if ui.button(tr(ctx, "取消", "Cancel")).clicked() {
                    close = true;
                }
            });
        });
    close || !open
}

fn fields(ui: &mut Ui, info: &mut ProjectInfo) {
    let ctx = ui.ctx().clone();
    let t = |zh, en| tr(&ctx, zh, en);
    egui::Grid::new("project_properties")
        .num_columns(2)
        .show(ui, |ui| {
            for (label, text, hint) in [
                (t("中文标题", "Chinese title"), &mut info.title_zh, ""),
                (t("英文标题", "English title"), &mut info.title_en, ""),
                (t("作者", "Author"), &mut info.author, ""),
                // A number's shape, not words: the same in both interface languages.
                (
                    t("审图号", "Approval no."),
                    &mut info.approval_number,
                    "GS(2026)1234",
                ),
            ] {
                let label = ui.label(label);
                let field = egui::TextEdit::singleline(text)
                    .hint_text(hint)
                    .desired_width(320.0);
                ui.add(field).labelled_by(label.id);
                ui.end_row();
            }
        });
    ui.add_space(4.0);
    ui.label(t(
        "在中国大陆公开出版或展示的地图须经审图，并在图上标注审图号。\
         打印版式的图签、地图册封面会显示此处填写的审图号；留空则图签中该栏为空。",
        "Maps published in mainland China must pass map review and print the approval \
         number it gives (shentu hao). The print layout's title block and the map book's \
         cover show the number given here; left empty, the field stays blank.",
    ));
}

/// The form as it is applied: without stray spaces at the ends of a field.
fn trimmed(info: &ProjectInfo) -> ProjectInfo {
    ProjectInfo {
        title_zh: info.title_zh.trim().to_owned(),
        title_en: info.title_en.trim().to_owned(),
        author: info.author.trim().to_owned(),
        approval_number: info.approval_number.trim().to_owned(),
    }
}
