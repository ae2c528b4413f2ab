//! Review comments: the one being written, and the list, each with its replies, a reply field
//! and Resolve / Reopen. The author merges them into the project from here.

use super::tr;
use egui::{Color32, RichText, Ui};

use crate::command::{AppCommand, ReviewState};
use crate::model::FeatureId;
use crate::model::project::Project;
use crate::model::review::{Anchor, CommentStatus};

fn anchor_text(project: &Project, anchor: &Anchor) -> String {
    match anchor {
        Anchor::Placement(id) => project
            .placements
            .get(id)
            .map_or_else(|| id.0.clone(), |p| p.name_zh.clone()),
        Anchor::Location(x, y) => format!("{x:.4}°E {y:.4}°N"),
    }
}

/// "Comments (N open)", in the interface language.
pub fn comments_title(ctx: &egui::Context, open: usize) -> String {
    match super::ui_language(ctx) {
        crate::model::UiLanguage::Chinese => format!("评论（{open} 条未解决）"),
        crate::model::UiLanguage::English => format!("Comments ({open} open)"),
    }
}

pub fn comments_panel_ui(
    ui: &mut Ui,
    project: &Project,
    state: &mut ReviewState,
    review_mode: bool,
    commands: &mut Vec<AppCommand>,
) {
    ui.horizontal(|ui| {
        ui.heading(comments_title(ui.ctx(), state.review.open_count()));
        if ui.button(tr(ui.ctx(), "关闭", "Close")).clicked() {
            commands.push(AppCommand::ToggleComments);
        }
    });
    match &state.path {
        Some(p) => ui.weak(format!(
            "{} {}",
            tr(ui.ctx(), "保存在", "Saved in"),
            p.display()
        )),
        None => ui.weak(tr(
            ui.ctx(),
            "保存项目后，评论会保存在它旁边。",
            "Save the project to keep comments beside it.",
        )),
    };
    ui.weak(tr(
        ui.ctx(),
        "评论工具 (C)：点击项目布局或地图。",
        "Comment tool (C): click a placement or the map.",
    ));
    if let Some((anchor, text)) = state.draft.as_mut() {
        ui.separator();
        ui.label(
            RichText::new(format!(
                "{} {}",
                tr(ui.ctx(), "新评论：", "New comment on"),
                anchor_text(project, anchor)
            ))
            .strong(),
        );
        // Ctrl+Enter adds the comment: taken before the text field would make it a newline.
        let ctrl_enter = !text.trim().is_empty()
            && ui.input_mut(|i| i.consume_key(egui::Modifiers::COMMAND, egui::Key::Enter));
        let response = ui.add(
            egui::TextEdit::multiline(text)
                .desired_rows(3)
                .desired_width(f32::INFINITY),
        );
        // Read before the closure, which runs while the context is locked.
        let name = tr(ui.ctx(), "评论内容", "Comment text");
        response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::TextInput, true, name));
        // A new comment is typed at once, without a click into the field first.
        if text.is_empty() && !response.has_focus() {
            response.request_focus();
        }
        ui.horizontal(|ui| {
            if ui
                .add_enabled(
                    !text.trim().is_empty(),
                    egui::Button::new(tr(ui.ctx(), "添加评论", "Add comment")),
                )
                .on_hover_text("Ctrl+Enter")
                .clicked()
                || ctrl_enter
            {
                commands.push(AppCommand::AddComment(text.clone()));
            }
            if ui.button(tr(ui.ctx(), "取消", "Cancel")).clicked() {
                commands.push(AppCommand::CancelComment);
            }
        });
    }
    ui.separator();
    egui::ScrollArea::vertical().show(ui, |ui| {
        for c in &state.review.comments {
            let (colour, status) = match c.status {
                CommentStatus::Open => (
                    Color32::from_rgb(230, 120, 0),
                    tr(ui.ctx(), "未解决", "open"),
                ),
                CommentStatus::Resolved => (Color32::GRAY, tr(ui.ctx(), "已解决", "resolved")),
            };
            ui.horizontal_wrapped(|ui| {
                ui.label(
                    RichText::new(format!("{} · {status}", c.id))
                        .color(colour)
                        .strong(),
                );
                let on = anchor_text(project, &c.anchor);
                if ui.link(on).clicked() {
                    commands.push(match &c.anchor {
                        Anchor::Placement(id) => AppCommand::SelectAndShow(FeatureId(id.0.clone())),
                        Anchor::Location(x, y) => AppCommand::ZoomTo(geo::Rect::new(
                            geo::Coord {
                                x: x - 0.05,
                                y: y - 0.05,
                            },
                            geo::Coord {
                                x: x + 0.05,
                                y: y + 0.05,
                            },
                        )),
                    });
                }
            });
            ui.label(format!("{} · {}: {}", c.author, c.time, c.text));
            for r in &c.replies {
                ui.label(format!("    └ {} · {}: {}", r.author, r.time, r.text));
            }
            let reply = state.replies.entry(c.id.clone()).or_default();
            ui.horizontal(|ui| {
                let label = format!("{} {}", tr(ui.ctx(), "回复", "Reply to"), c.id);
                let response = ui.add(egui::TextEdit::singleline(reply).desired_width(180.0));
                response
                    .widget_info(|| egui::WidgetInfo::labeled(egui::Role::TextInput, true, &label));
                if ui
                    .add_enabled(
                        !reply.trim().is_empty(),
                        egui::Button::new(tr(ui.ctx(), "回复", "Reply")),
                    )
                    .clicked()
                {
                    commands.push(AppCommand::Reply {
                        comment: c.id.clone(),
                        text: reply.clone(),
                    });
                }
                let (next, text) = match c.status {
                    CommentStatus::Open => {
                        (CommentStatus::Resolved, tr(ui.ctx(), "解决", "Resolve"))
                    }
                    CommentStatus::Resolved => {
                        (CommentStatus::Open, tr(ui.ctx(), "重开", "Reopen"))
                    }
                };
                if ui.button(text).clicked() {
                    commands.push(AppCommand::SetCommentStatus {
                        comment: c.id.clone(),
                        status: next,
                    });
                }
            });
            ui.separator();
        }
    });
    if !state.review.comments.is_empty() {
        let merge = ui
            .add_enabled(
                !review_mode,
                egui::Button::new(tr(ui.ctx(), "合并到项目", "Merge into the project")),
            )
            .on_hover_text(tr(ui.ctx(), "把评论和回复并入各项目的讨论（位置评论成为地图注记），作为一步撤销", "Copy the comments and replies onto their placements' threads (map notes for locations), as one undo step"));
        if merge.clicked() {
            commands.push(AppCommand::MergeComments);
        }
    }
}
