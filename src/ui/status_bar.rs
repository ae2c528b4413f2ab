//! The bottom bar: pointer position, zoom, and any data that could not be read.

use super::tr;
use egui::{Color32, Ui};
use geo::Coord;

use crate::command::AppCommand;
use crate::doc::AppData;

pub fn status_bar_ui(
    ui: &mut Ui,
    data: &AppData,
    doc: &crate::doc::document::Document,
    cursor: Option<Coord<f64>>,
    zoom: f64,
) {
    ui.horizontal(|ui| {
        // The file name only: the full path is on hover (and screens do not depend on it).
        let (file, full) = match &doc.path {
            Some(p) => (
                p.file_name()
                    .map_or(String::new(), |n| n.to_string_lossy().into_owned()),
                p.display().to_string(),
            ),
            None => match &doc.project.origin {
                // Opened from the team store: its project and revision there.
                Some(o) => (
                    format!(
                        "{}@{} {}",
                        o.project,
                        o.revision,
                        tr(ui.ctx(), "（数据库）", "(database)")
                    ),
                    tr(
                        ui.ctx(),
                        "从数据库打开，尚未保存为文件",
                        "opened from the database, not saved to a file",
                    )
                    .to_owned(),
                ),
                None => (
                    tr(ui.ctx(), "未保存的项目", "unsaved project").to_owned(),
                    tr(ui.ctx(), "尚未保存", "not saved yet").to_owned(),
                ),
            },
        };
        if doc.is_dirty() {
            ui.label(format!("{file} •")).on_hover_text(format!(
                "{full}\nUnsaved changes (a recovery copy is kept every 30 s)"
            ));
        } else {
            ui.label(file).on_hover_text(full);
        }
        ui.separator();
        match cursor {
            Some(c) => ui.monospace(format!("{:.5}°E  {:.5}°N", c.x, c.y)),
            None => ui.monospace("—"),
        };
        ui.separator();
        ui.monospace(format!("{} {zoom:.2}", tr(ui.ctx(), "缩放", "zoom")));
        ui.separator();
        if data.problems.is_empty() {
            ui.weak(tr(ui.ctx(), "离线 · WGS84", "Offline · WGS84"));
        } else {
            ui.colored_label(
                Color32::from_rgb(190, 40, 30),
                format!(
                    "{} {}",
                    data.problems.len(),
                    tr(
                        ui.ctx(),
                        "个数据文件无法读取",
                        "data file(s) could not be read"
                    )
                ),
            )
            .on_hover_text(data.problems.join("\n"));
        }
    });
}

/// The tile basemap's part of the status bar: its attribution, how many tiles are loading,
/// and why tiles are missing (never a dialog).
pub fn tiles_status_ui(ui: &mut Ui, loading: usize, note: Option<&str>, attribution: String) {
    if attribution.is_empty() && note.is_none() {
        return;
    }
    ui.separator();
    if !attribution.is_empty() {
        ui.weak(attribution);
    }
    if loading > 0 {
        ui.add(egui::Spinner::new().size(10.0));
        ui.weak(format!(
            "{loading} {}",
            tr(ui.ctx(), "个瓦片加载中", "tile(s) loading")
        ));
    }
    if let Some(note) = note {
        ui.colored_label(
            Color32::from_rgb(190, 90, 20),
            tr(ui.ctx(), "瓦片问题", "Tile problem"),
        )
        .on_hover_text(note);
    }
}

/// A bar that names every data file that could not be read, and why.
pub fn problems_ui(ui: &mut Ui, problems: &[String], commands: &mut Vec<AppCommand>) {
    let red = Color32::from_rgb(200, 50, 40);
    ui.horizontal(|ui| {
        ui.colored_label(
            red,
            egui::RichText::new(tr(
                ui.ctx(),
                "部分数据无法读取；其余地图照常显示。",
                "Some data could not be read; the rest of the map is shown.",
            ))
            .strong(),
        );
        if ui.button(tr(ui.ctx(), "关闭", "Dismiss")).clicked() {
            commands.push(AppCommand::DismissProblems);
        }
    });
    for p in problems {
        ui.colored_label(red, p);
    }
}

/// The count of plan-check findings, as a button that opens the Checks panel.
pub fn checks_summary_ui(
    ui: &mut Ui,
    findings: &[crate::model::checks::Finding],
    project: &crate::model::project::Project,
    open_panel: bool,
    commands: &mut Vec<AppCommand>,
) {
    if findings.is_empty() {
        return;
    }
    let open = findings
        .iter()
        .filter(|f| !project.acknowledgements.contains_key(&f.id))
        .count();
    let text = format!(
        "{}: {open} {} / {}",
        tr(ui.ctx(), "检查", "Checks"),
        tr(ui.ctx(), "未处理", "open"),
        findings.len()
    );
    let color = if open > 0 {
        Color32::from_rgb(200, 90, 0)
    } else {
        Color32::GRAY
    };
    let button = egui::Button::new(egui::RichText::new(text).color(color)).selected(open_panel);
    let response = ui.add(button).on_hover_text(tr(
        ui.ctx(),
        "显示或隐藏项目布局的规划检查",
        "Show or hide the plan checks of the project's placements",
    ));
    // An accessible name without the counts, so that tools and tests find it.
    let name = tr(ui.ctx(), "检查", "Checks");
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, name));
    if response.clicked() {
        commands.push(AppCommand::ToggleChecks);
    }
}
