//! File › Export image…: the current view or a scene, PNG, SVG or PDF, in pixels or on paper,
//! as `onemap export` offers; File › Export map book (PDF)…: a cover and every scene, as
//! `onemap export --all-scenes` writes it. The dialogs only gather the choices; the app writes
//! the file.

use egui::{Context, Ui};

use crate::command::{AppCommand, ExportBookForm, ExportImageForm, PaperSize};
use crate::model::UiLanguage;

use super::{tr, ui_language};

/// The window both export dialogs open in: centred, fixed in size.
fn export_window(ctx: &Context, title: &str) -> egui::Window<'static> {
    egui::Window::new(title.to_owned())
        .pivot(egui::Align2::CENTER_CENTER)
        .default_pos(super::centre_of(ctx))
        .collapsible(false)
        .resizable(false)
}

/// Shows the dialog; returns whether it closes.
pub fn export_dialog_ui(
    ctx: &Context,
    form: &mut ExportImageForm,
    commands: &mut Vec<AppCommand>,
) -> bool {
    let lang = ui_language(ctx);
    let mut close = false;
    export_window(ctx, tr(ctx, "导出图片", "Export image")).show(ctx, |ui| {
        ui.set_width(440.0);
        egui::Grid::new("export_image")
            .num_columns(2)
            .show(ui, |ui| {
                what_row(ui, lang, form);
                ui.end_row();
                format_row(ui, form);
                ui.end_row();
                size_rows(ui, form);
            });
        let label = ui.label(tr(ctx, "路径", "Path"));
        let field = egui::TextEdit::singleline(&mut form.path).desired_width(f32::INFINITY);
        ui.add(field).labelled_by(label.id);
        ui.weak(form.path_with_extension().display().to_string());
        ui.horizontal(|ui| {
            let ready = !form.path.trim().is_empty();
            if ui
                .add_enabled(ready, egui::Button::new(tr(ctx, "导出", "Export")))
                .clicked()
            {
                commands.push(AppCommand::ExportImage(form.request()));
                close = true;
            }
            if ui.button(tr(ctx, "取消", "Cancel")).clicked() {
                close = true;
            }
        });
    });
    close
}

/// The current view, or one of the project's scenes.
fn what_row(ui: &mut Ui, lang: UiLanguage, form: &mut ExportImageForm) {
    let label = ui.label(lang.pick("内容", "What"));
    let current = lang.pick("当前视图", "Current view");
    let title = |name: &str| -> String {
        form.scenes
            .iter()
            .find(|(n, ..)| n == name)
            .map_or(name.to_owned(), |(n, zh, en)| {
                match super::lang::name(lang, zh, en) {
                    "" => n.clone(),
                    t => t.to_owned(),
                }
            })
    };
    let selected = form.scene.as_deref().map_or(current.to_owned(), title);
    let mut choice = form.scene.clone();
    egui::ComboBox::from_id_salt("export_what")
        .selected_text(selected)
        .width(300.0)
        .show_ui(ui, |ui| {
            ui.selectable_value(&mut choice, None, current);
            for (name, ..) in &form.scenes {
                ui.selectable_value(&mut choice, Some(name.clone()), title(name));
            }
        })
        .response
        .labelled_by(label.id);
    form.scene = choice;
}

fn format_row(ui: &mut Ui, form: &mut ExportImageForm) {
    ui.label(tr(ui.ctx(), "格式", "Format"));
    ui.horizontal(|ui| {
        ui.radio_value(&mut form.svg, false, "PNG");
        ui.radio_value(&mut form.svg, true, "SVG");
    });
}

/// Width and height in pixels, or A4 / A3 at a resolution.
fn size_rows(ui: &mut Ui, form: &mut ExportImageForm) {
    ui.label(tr(ui.ctx(), "尺寸", "Size"));
    ui.horizontal(|ui| {
        ui.radio_value(&mut form.paper, None, tr(ui.ctx(), "像素", "Pixels"));
        for paper in PaperSize::ALL {
            ui.radio_value(&mut form.paper, Some(paper), paper.name());
        }
    });
    ui.end_row();
    ui.label("");
    ui.horizontal(|ui| match form.paper {
        None => {
            ui.add(
                egui::DragValue::new(&mut form.width)
                    .range(1..=30_000)
                    .suffix(" px"),
            );
            ui.label("×");
            ui.add(
                egui::DragValue::new(&mut form.height)
                    .range(1..=30_000)
                    .suffix(" px"),
            );
        }
        Some(_) => {
            for dpi in [150, 300] {
                ui.radio_value(&mut form.dpi, dpi, format!("{dpi} dpi"));
            }
        }
    });
    ui.end_row();
}

/// Shows the map book dialog; returns whether it closes.
pub fn export_book_dialog_ui(
    ctx: &Context,
    form: &mut ExportBookForm,
    commands: &mut Vec<AppCommand>,
) -> bool {
    let lang = ui_language(ctx);
    let mut close = false;
    export_window(ctx, tr(ctx, "导出地图册", "Export map book")).show(ctx, |ui| {
        ui.set_width(440.0);
        ui.label(match lang {
            UiLanguage::Chinese => format!(
                "封面一页，其后每个场景一页，按演示顺序（共 {} 页）。",
                form.scenes.max(1) + 1
            ),
            UiLanguage::English => format!(
                "A cover, then one page per scene in presentation order ({} pages).",
                form.scenes.max(1) + 1
            ),
        });
        egui::Grid::new("export_book")
            .num_columns(2)
            .show(ui, |ui| {
                ui.label(lang.pick("页面", "Pages"));
                ui.horizontal_wrapped(|ui| {
                    ui.radio_value(&mut form.paper, None, lang.pick("幻灯片", "Slides"));
                    for paper in PaperSize::ALL {
                        ui.radio_value(&mut form.paper, Some(paper), paper.name());
                    }
                });
                ui.end_row();
                ui.label("");
                ui.add_enabled(
                    form.paper.is_some(),
                    egui::Checkbox::new(&mut form.portrait, lang.pick("纵向", "Portrait")),
                );
                ui.end_row();
            });
        let label = ui.label(lang.pick("路径", "Path"));
        let field = egui::TextEdit::singleline(&mut form.path).desired_width(f32::INFINITY);
        ui.add(field).labelled_by(label.id);
        ui.weak(form.path_with_extension().display().to_string());
        ui.horizontal(|ui| {
            let ready = !form.path.trim().is_empty();
            if ui
                .add_enabled(ready, egui::Button::new(lang.pick("导出", "Export")))
                .clicked()
            {
                commands.push(AppCommand::ExportBook(form.request()));
                close = true;
            }
            if ui.button(lang.pick("取消", "Cancel")).clicked() {
                close = true;
            }
        });
    });
    close
}
