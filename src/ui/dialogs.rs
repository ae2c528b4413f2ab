//! The app's dialogs: a typed path for a file operation (with the system dialog one click
//! away), the question about unsaved changes, the offer to recover a journal, messages, and
//! the progress of an import. They close themselves and push commands; what reads or writes
//! a file (the system dialog too) is the app's, run from those commands.

use std::path::PathBuf;
use std::time::Duration;

use egui::{Color32, Context, RichText};

use crate::command::{AfterConfirm, AppCommand, Dialog, ImportProgress, Journal, PathPurpose};

/// The command a typed-path dialog sends when confirmed.
fn path_command(purpose: &PathPurpose, path: PathBuf, gcj02: bool) -> AppCommand {
    match purpose {
        PathPurpose::Open => AppCommand::Open(path),
        PathPurpose::SaveAs => AppCommand::SaveAs(path),
        PathPurpose::Import => AppCommand::Import { path, gcj02 },
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
            gcj02,
            focus,
        }) => path_prompt_ui(ctx, purpose, text, gcj02, focus, desktop, commands),
        Some(Dialog::ConfirmUnsaved(then)) => confirm_unsaved_ui(ctx, then, commands),
        Some(Dialog::Recovery(journal)) => recovery_ui(ctx, journal, commands),
        Some(Dialog::Message { title, text, error }) => message_ui(ctx, title, text, *error),
    };
    if close {
        *dialog = None;
    }
}

/// The progress of a GeoJSON import, with a button that cancels it.
fn import_progress_ui(ctx: &Context, import: &ImportProgress, commands: &mut Vec<AppCommand>) {
    egui::Window::new("导入中 Importing")
        .collapsible(false)
        .resizable(false)
        .show(ctx, |ui| {
            ui.label(import.path.display().to_string());
            ui.add(egui::ProgressBar::new(import.fraction.min(1.0)).show_percentage());
            if ui.button("取消 Cancel").clicked() {
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
    gcj02: &mut bool,
    focus: &mut bool,
    desktop: bool,
    commands: &mut Vec<AppCommand>,
) -> bool {
    let mut close = false;
    egui::Window::new(purpose.title()).collapsible(false).resizable(false).show(ctx, |ui| {
        ui.horizontal(|ui| {
            let label = ui.label("路径 Path");
            let edit = ui.add(egui::TextEdit::singleline(text).desired_width(380.0)).labelled_by(label.id);
            if std::mem::take(focus) {
                edit.request_focus();
            }
            if edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) && !text.trim().is_empty() {
                commands.push(path_command(purpose, PathBuf::from(text.trim()), *gcj02));
                close = true;
            }
            if desktop && ui.button("浏览… Browse…").clicked() {
                commands.push(AppCommand::Browse(purpose.clone()));
            }
        });
        if *purpose == PathPurpose::Import {
            ui.checkbox(gcj02, "源数据为 GCJ-02（火星坐标）The source is GCJ-02 (Chinese web maps): convert to WGS84");
        }
        ui.horizontal(|ui| {
            if ui.add_enabled(!text.trim().is_empty(), egui::Button::new("确定 OK")).clicked() {
                commands.push(path_command(purpose, PathBuf::from(text.trim()), *gcj02));
                close = true;
            }
            if ui.button("取消 Cancel").clicked() {
                close = true;
            }
        });
    });
    close
}

/// Save, discard or cancel before going on with `then`; returns whether it closes.
fn confirm_unsaved_ui(ctx: &Context, then: &AfterConfirm, commands: &mut Vec<AppCommand>) -> bool {
    let mut close = false;
    egui::Window::new("未保存的更改 Unsaved changes")
        .collapsible(false)
        .resizable(false)
        .show(ctx, |ui| {
            let (zh, en) = then.question();
            ui.label(zh);
            ui.label(en);
            ui.horizontal(|ui| {
                if ui.button("保存 Save").clicked() {
                    commands.push(AppCommand::SaveThen(then.clone()));
                    close = true;
                }
                if ui.button("不保存 Don't save").clicked() {
                    commands.push(AppCommand::DiscardThen(then.clone()));
                    close = true;
                }
                if ui.button("取消 Cancel").clicked() {
                    close = true;
                }
            });
        });
    close
}

/// The offer to restore the work of a session that crashed; returns whether it closes.
fn recovery_ui(ctx: &Context, journal: &Journal, commands: &mut Vec<AppCommand>) -> bool {
    let mut close = false;
    egui::Window::new("恢复未保存的工作 Recover unsaved work")
        .collapsible(false)
        .resizable(false)
        .show(ctx, |ui| {
            let of = journal
                .original
                .as_ref()
                .map_or("an unsaved project".into(), |p| p.display().to_string());
            ui.label(format!(
                "OneMap did not close normally. Work on {of} from {} was not saved.",
                journal.written
            ));
            ui.label(format!(
                "{} placements, {} sketch layers.",
                journal.project.placements.len(),
                journal.project.sketch_layers.len()
            ));
            ui.horizontal(|ui| {
                if ui.button("恢复 Restore").clicked() {
                    commands.push(AppCommand::Restore(Box::new(journal.clone())));
                    close = true;
                }
                if ui.button("丢弃 Discard").clicked() {
                    commands.push(AppCommand::DiscardJournal(journal.file.clone()));
                    close = true;
                }
            });
        });
    close
}

/// A message, an error in red; returns whether it closes.
fn message_ui(ctx: &Context, title: &str, text: &str, error: bool) -> bool {
    let mut close = false;
    egui::Window::new(title)
        .collapsible(false)
        .resizable(true)
        .show(ctx, |ui| {
            let color = if error {
                Color32::from_rgb(200, 50, 40)
            } else {
                ui.visuals().text_color()
            };
            ui.add(egui::Label::new(RichText::new(text).color(color)).wrap());
            if ui.button("好 OK").clicked() {
                close = true;
            }
        });
    close
}
