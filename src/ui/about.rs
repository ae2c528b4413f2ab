//! The About box: the plan's own structure ("About this plan", see [`super::plan_about`]),
//! then every data source and its attribution (assets/ATTRIBUTION.md).

use super::tr;
use crate::command::AppCommand;
use crate::model::Plan;
use crate::model::edition::Edition;

pub fn about_window(
    ctx: &egui::Context,
    attribution_md: &str,
    edition: Option<&Edition>,
    plan: &Plan,
    commands: &mut Vec<AppCommand>,
) {
    let mut open = true;
    egui::Window::new(tr(ctx, "关于 OneMap", "About OneMap"))
        .pivot(egui::Align2::CENTER_CENTER)
        .default_pos(super::centre_of(ctx))
        .open(&mut open)
        .default_width(640.0)
        .default_height(480.0)
        .show(ctx, |ui| {
            ui.label(format!(
                "OneMap {} — {}",
                env!("CARGO_PKG_VERSION"),
                tr(
                    ui.ctx(),
                    "上海大都市圈空间协同规划（2022）一张图，离线使用。",
                    "the Shanghai Metropolitan Area Spatial Coordination Plan (2022) on one map, offline."
                )
            ));
            ui.separator();
            egui::ScrollArea::vertical().show(ui, |ui| {
                egui::CollapsingHeader::new(tr(ui.ctx(), "关于本规划", "About this plan"))
                    .default_open(true)
                    .show(ui, |ui| super::plan_about::plan_about_ui(ui, edition, plan));
                egui::CollapsingHeader::new(tr(ui.ctx(), "数据来源", "Data sources"))
                    .default_open(true)
                    .show(ui, |ui| {
                        for line in readable_lines(attribution_md) {
                            ui.add(egui::Label::new(line).wrap());
                        }
                    });
            });
        });
    if !open {
        commands.push(AppCommand::ShowAbout(false));
    }
}

/// The Markdown as plain lines: table rows become "field — field — …" lines, and the table's
/// header and rule rows are dropped.
pub fn readable_lines(md: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_table_header = false;
    for line in md.lines() {
        let t = line.trim();
        if t.starts_with('|') {
            let cells: Vec<&str> = t.trim_matches('|').split('|').map(str::trim).collect();
            if cells
                .iter()
                .all(|c| c.chars().all(|ch| ch == '-' || ch == ':'))
            {
                in_table_header = false;
                continue;
            }
            if in_table_header || cells.first().is_some_and(|c| *c == "what") {
                in_table_header = true;
                continue;
            }
            out.push(format!("• {}", cells.join(" — ").replace('`', "")));
        } else {
            out.push(
                t.trim_start_matches('#')
                    .trim_start_matches('>')
                    .trim()
                    .replace('`', ""),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_rows_become_lines_and_header_rows_go() {
        let md = "# T\n| what | source |\n|---|---|\n| Coast | `GSHHG` |\n";
        assert_eq!(readable_lines(md), vec!["T", "• Coast — GSHHG"]);
    }
}
