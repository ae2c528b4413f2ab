//! The app's dialogs: a typed path for a file operation (with the system dialog one click
//! away), the question about unsaved changes, the offer to recover a journal, messages, and
//! the progress of an import. They close themselves and push commands; what reads or writes
//! a file (the system dialog too) is the app's, run from those commands.

use std::path::PathBuf;
use std::time::Duration;

use egui::{Color32, Context, RichText};

use crate::command::{AfterConfirm, AppCommand, Dialog, ImportProgress, Journal, PathPurpose};
use crate::model::UiLanguage;

use super::{tr, ui_language};

/// The width of the typed-path dialog's content, in points: room for a long path with the
/// Browse… button beside it.
const PATH_DIALOG_WIDTH: f32 = 460.0;

/// The command a typed-path dialog sends when confirmed.
fn path_command(purpose: &PathPurpose, path: PathBuf) -> AppCommand {
    match purpose {
        PathPurpose::Open => AppCommand::Open(path),
        PathPurpose::SaveAs => AppCommand::SaveAs(path),
        PathPurpose::Import => AppCommand::DetectData(path),
        PathPurpose::ExportGeojson => AppCommand::ExportGeojson(path),
        PathPurpose::ExportCsv => AppCommand::ExportCsv(path),
        PathPurpose::Locate(name) => AppCommand::Locate {
            name: name.clone(),
            path,
        },
        PathPurpose::OpenForReview => AppCommand::OpenForReview(path),
        PathPurpose::CompareWith => AppCommand::CompareWith(path),
        PathPurpose::MergeBase => AppCommand::AskPath(PathPurpose::MergeTheirs(path)),
        PathPurpose::MergeTheirs(base) => AppCommand::Merge3 {
            base: base.clone(),
            theirs: path,
        },
        PathPurpose::WriteMerged => AppCommand::WriteMerged(path),
        PathPurpose::WriteReport => AppCommand::WriteReport(path),
        PathPurpose::ExportSketchLayer(layer) => AppCommand::ExportSketchLayer {
            layer: layer.clone(),
            path,
        },
        PathPurpose::ApplyBaseline => AppCommand::ApplyBaseline(path),
    }
}

/// Shows the open dialog and the import progress. A dialog the user is done with is closed
/// (`None`); `desktop` offers the system file dialog beside the typed path.
pub fn dialogs_ui(
    ctx: &Context,
    dialog: &mut Option<Dialog>,
    import: Option<&ImportProgress>,
    desktop: bool,
    commands: &mut Vec<AppCommand>,
) {
    if let Some(import) = import {
        import_progress_ui(ctx, import, commands);
    }
    let close = match dialog.as_mut() {
        None => false,
        Some(Dialog::PathPrompt {
            purpose,
            text,
            focus,
        }) => path_prompt_ui(ctx, purpose, text, focus, desktop, commands),
        Some(Dialog::ConfirmUnsaved(then)) => confirm_unsaved_ui(ctx, then, commands),
        Some(Dialog::Recovery(journal)) => recovery_ui(ctx, journal, commands),
        Some(Dialog::Message { title, text, error }) => message_ui(ctx, title, text, *error),
        Some(Dialog::ExportImage(form)) => {
            super::export_dialog::export_dialog_ui(ctx, form, commands)
        }
        Some(Dialog::ExportBook(form)) => {
            super::export_dialog::export_book_dialog_ui(ctx, form, commands)
        }
        Some(Dialog::ImportData(form)) => {
            super::import_dialog::import_dialog_ui(ctx, form, commands)
        }
        Some(Dialog::OpenFromDb(form)) => super::db_dialogs::open_from_db_ui(ctx, form, commands),
        Some(Dialog::PublishToDb(form)) => super::db_dialogs::publish_to_db_ui(ctx, form, commands),
        Some(Dialog::ProjectProperties(info)) => {
            super::project_properties::project_properties_ui(ctx, info, commands)
        }
    };
    if close {
        *dialog = None;
    }
}

/// The progress of an import (reading the file), with a button that cancels it.
fn import_progress_ui(ctx: &Context, import: &ImportProgress, commands: &mut Vec<AppCommand>) {
    egui::Window::new(tr(ctx, "导入中", "Importing"))
        .collapsible(false)
        .resizable(false)
        .show(ctx, |ui| {
            ui.label(import.path.display().to_string());
            ui.add(egui::ProgressBar::new(import.fraction.min(1.0)).show_percentage());
            if ui.button(tr(ctx, "取消", "Cancel")).clicked() {
                commands.push(AppCommand::CancelImport);
            }
        });
    ctx.request_repaint_after(Duration::from_millis(100));
}

/// The typed-path dialog; returns whether it closes.
fn path_prompt_ui(
    ctx: &Context,
    purpose: &PathPurpose,
    text: &mut String,
    focus: &mut bool,
    desktop: bool,
    commands: &mut Vec<AppCommand>,
) -> bool {
    let mut close = false;
    let lang = ui_language(ctx);
    let window = egui::Window::new(purpose.title(lang))
        .pivot(egui::Align2::CENTER_CENTER)
        .default_pos(super::centre_of(ctx))
        .collapsible(false)
        .resizable(false)
        .default_width(PATH_DIALOG_WIDTH);
    window.show(ctx, |ui| {
        // The row is laid out right to left so that Browse… keeps its place at the right edge
        // and the path field takes what is left, whatever the words' length in either language.
        ui.set_width(PATH_DIALOG_WIDTH);
        let label = ui.label(tr(ctx, "路径", "Path"));
        ui.horizontal(|ui| {
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if desktop && ui.button(tr(ctx, "浏览…", "Browse…")).clicked() {
                    commands.push(AppCommand::Browse(purpose.clone()));
                }
                let field = egui::TextEdit::singleline(text).desired_width(ui.available_width());
                let edit = ui.add(field).labelled_by(label.id);
                if std::mem::take(focus) {
                    edit.request_focus();
                }
                let entered = edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                if entered && !text.trim().is_empty() {
                    commands.push(path_command(purpose, PathBuf::from(text.trim())));
                    close = true;
                }
            });
        });
        ui.horizontal(|ui| {
            if ui
                .add_enabled(
                    !text.trim().is_empty(),
                    egui::Button::new(tr(ctx, "确定", "OK")),
                )
                .clicked()
            {
                commands.push(path_command(purpose, PathBuf::from(text.trim())));
                close = true;
            }
            if ui.button(tr(ctx, "取消", "Cancel")).clicked() {
                close = true;
            }
        });
    });
    close
}

/// Save, discard or cancel before going on with `then`; returns whether it closes.
fn confirm_unsaved_ui(ctx: &Context, then: &AfterConfirm, commands: &mut Vec<AppCommand>) -> bool {
    let mut close = false;
    egui::Window::new(tr(ctx, "未保存的更改", "Unsaved changes"))
        .pivot(egui::Align2::CENTER_CENTER)
        .default_pos(super::centre_of(ctx))
        .collapsible(false)
        .resizable(false)
        .show(ctx, |ui| {
            let (zh, en) = then.question();
            ui.label(tr(ctx, zh, en));
            ui.horizontal(|ui| {
                if ui.button(tr(ctx, "保存", "Save")).clicked() {
                    commands.push(AppCommand::SaveThen(then.clone()));
                    close = true;
                }
                if ui.button(tr(ctx, "不保存", "Don't save")).clicked() {
                    commands.push(AppCommand::DiscardThen(then.clone()));
                    close = true;
                }
                if ui.button(tr(ctx, "取消", "Cancel")).clicked() {
                    close = true;
                }
            });
        });
    close
}

/// The offer to restore the work of a session that crashed; returns whether it closes.
fn recovery_ui(ctx: &Context, journal: &Journal, commands: &mut Vec<AppCommand>) -> bool {
    let mut close = false;
    egui::Window::new(tr(ctx, "恢复未保存的工作", "Recover unsaved work"))
        .pivot(egui::Align2::CENTER_CENTER)
        .default_pos(super::centre_of(ctx))
        .collapsible(false)
        .resizable(false)
        .show(ctx, |ui| {
            ui.label(recovery_text(ui_language(ctx), journal));
            ui.horizontal(|ui| {
                if ui.button(tr(ctx, "恢复", "Restore")).clicked() {
                    commands.push(AppCommand::Restore(Box::new(journal.clone())));
                    close = true;
                }
                if ui.button(tr(ctx, "丢弃", "Discard")).clicked() {
                    commands.push(AppCommand::DiscardJournal(journal.file.clone()));
                    close = true;
                }
            });
        });
    close
}

/// What the recovery offer says about the journal.
fn recovery_text(lang: UiLanguage, journal: &Journal) -> String {
    let placements = journal.project.placements.len();
    let layers = journal.project.sketch_layers.len();
    let written = &journal.written;
    match lang {
        UiLanguage::Chinese => {
            let of = journal
                .original
                .as_ref()
                .map_or("未保存的项目".into(), |p| p.display().to_string());
            format!(
                "OneMap 上次没有正常关闭。{of} 在 {written} 的工作没有保存。\n{placements} 个项目布局，{layers} 个草图图层。"
            )
        }
        UiLanguage::English => {
            let of = journal
                .original
                .as_ref()
                .map_or("an unsaved project".into(), |p| p.display().to_string());
            format!(
                "OneMap did not close normally. Work on {of} from {written} was not saved.\n{placements} placements, {layers} sketch layers."
            )
        }
    }
}

/// The Chinese titles of the app's messages, which the app names in English.
const MESSAGE_TITLES_ZH: &[(&str, &str)] = &[
    ("Cannot open", "无法打开"),
    ("Comments not saved", "评论未保存"),
    ("Could not export the sketch", "无法导出草图"),
    ("Could not make the change", "无法完成修改"),
    ("Could not open a version to merge", "无法打开要合并的版本"),
    ("Could not open the other version", "无法打开另一版本"),
    ("Could not open from the database", "无法从数据库打开"),
    ("Could not open the project", "无法打开项目"),
    ("Could not publish", "无法发布"),
    ("Could not read the review comments", "无法读取审阅评论"),
    ("Could not save", "无法保存"),
    ("Could not save the review comments", "无法保存审阅评论"),
    ("Could not write the merged project", "无法写出合并后的项目"),
    (
        "Could not write the new plan edition",
        "无法写出新的规划版本",
    ),
    ("Could not write the review report", "无法写出审阅报告"),
    ("Database error", "数据库错误"),
    ("Export failed", "导出失败"),
    ("Exported", "已导出"),
    ("Import failed", "导入失败"),
    ("Imported", "已导入"),
    ("Merged", "已合并"),
    ("Merged project written", "已写出合并后的项目"),
    ("New plan edition written", "已写出新的规划版本"),
    ("No comparison", "没有对比"),
    ("Preferences not saved", "偏好设置未保存"),
    ("Published", "已发布"),
    ("Review mode", "审阅模式"),
    ("Review report written", "已写出审阅报告"),
    ("Sketch exported", "草图已导出"),
    ("Some sketch layers are missing", "部分草图图层缺失"),
    ("Vertex kept", "顶点已保留"),
];

/// A message's title in the interface language (a title not in the list is shown as named).
pub fn message_title(lang: UiLanguage, title: &str) -> &str {
    match lang {
        UiLanguage::English => title,
        UiLanguage::Chinese => MESSAGE_TITLES_ZH
            .iter()
            .find(|(en, _)| *en == title)
            .map_or(title, |(_, zh)| zh),
    }
}

/// A message, an error in red; returns whether it closes.
fn message_ui(ctx: &Context, title: &str, text: &str, error: bool) -> bool {
    let mut close = false;
    egui::Window::new(message_title(ui_language(ctx), title))
        .pivot(egui::Align2::CENTER_CENTER)
        .default_pos(super::centre_of(ctx))
        .collapsible(false)
        .resizable(true)
        .show(ctx, |ui| {
            let color = if error {
                Color32::from_rgb(200, 50, 40)
            } else {
                ui.visuals().text_color()
            };
            ui.add(egui::Label::new(RichText::new(text).color(color)).wrap());
            if ui.button(tr(ctx, "好", "OK")).clicked() {
                close = true;
            }
        });
    close
}
