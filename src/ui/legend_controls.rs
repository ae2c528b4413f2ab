//! The editor legend's buttons, in its title row: collapse or expand it, and move it to any
//! corner. The legend itself is painted by `doc::legend`; the change goes through the view
//! settings, so a scene keeps its own and undo takes it back.

use egui::{Rect, Ui, pos2, vec2};

use crate::command::AppCommand;
use crate::doc::legend::LEGEND_CONTROLS_WIDTH;
use crate::model::view::{Corner, LegendPlacement, ViewCommand};

use super::ui_language;

/// The buttons over the legend painted at `legend` (nothing when there is no legend).
pub fn legend_controls_ui(
    ui: &mut Ui,
    legend: Option<Rect>,
    placement: LegendPlacement,
    commands: &mut Vec<AppCommand>,
) {
    let Some(legend) = legend else { return };
    let lang = ui_language(ui.ctx());
    let size = vec2(LEGEND_CONTROLS_WIDTH / 5.0 - 2.0, 18.0);
    let mut x = legend.right() - LEGEND_CONTROLS_WIDTH - 4.0;
    let y = legend.top() + 3.0;
    let mut button = |ui: &mut Ui, text: &str, name: &str, selected: bool, mark: Option<Corner>| {
        let rect = Rect::from_min_size(pos2(x, y), size);
        x += size.x + 2.0;
        let response = ui.put(rect, egui::Button::new(text).small().selected(selected));
        // A corner is drawn, not written: the fonts have no diagonal arrows.
        if let Some(corner) = mark {
            let inner = rect.shrink2(vec2(5.0, 4.0));
            let quarter = vec2(inner.width() / 2.0, inner.height() / 2.0);
            let min = match corner {
                Corner::TopLeft => inner.min,
                Corner::TopRight => pos2(inner.center().x, inner.top()),
                Corner::BottomLeft => pos2(inner.left(), inner.center().y),
                Corner::BottomRight => inner.center(),
            };
            let colour = ui.visuals().text_color();
            let painter = ui.painter();
            painter.rect_stroke(
                inner,
                1.0,
                egui::Stroke::new(1.0, colour),
                egui::StrokeKind::Inside,
            );
            painter.rect_filled(Rect::from_min_size(min, quarter), 0.0, colour);
        }
        let name = name.to_owned();
        response
            .widget_info(move || egui::WidgetInfo::labeled(egui::Role::Button, true, name.clone()));
        response.clicked()
    };
    let (mark, name) = if placement.collapsed {
        ("+", lang.pick("展开图例", "Expand the legend"))
    } else {
        ("–", lang.pick("收起图例", "Collapse the legend"))
    };
    if button(ui, mark, name, false, None) {
        let collapsed = !placement.collapsed;
        commands.push(set(LegendPlacement {
            collapsed,
            ..placement
        }));
    }
    for corner in [
        Corner::TopLeft,
        Corner::TopRight,
        Corner::BottomLeft,
        Corner::BottomRight,
    ] {
        let (zh, en) = match corner {
            Corner::TopLeft => ("图例移到左上角", "Legend to the top left"),
            Corner::TopRight => ("图例移到右上角", "Legend to the top right"),
            Corner::BottomLeft => ("图例移到左下角", "Legend to the bottom left"),
            Corner::BottomRight => ("图例移到右下角", "Legend to the bottom right"),
        };
        let selected = placement.corner == corner;
        if button(ui, "", lang.pick(zh, en), selected, Some(corner)) && placement.corner != corner {
            commands.push(set(LegendPlacement {
                corner,
                ..placement
            }));
        }
    }
}

fn set(placement: LegendPlacement) -> AppCommand {
    AppCommand::View(ViewCommand::SetLegend(placement))
}
