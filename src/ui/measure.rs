//! The measure tool's readout: the geodesic distance along the clicked points and the area
//! they enclose, in km and km², in the UI's language, with a button that copies it. The
//! measurement lives in the app's draft only: nothing is added to the project, no undo step.

use egui::{Align2, Color32, Rect, RichText, Ui};
use geo::Coord;

use crate::command::AppCommand;
use crate::model::LabelLanguage;
use crate::model::lang::ui_name;
use crate::model::measure::{enclosed_area_km2, path_length_km};

/// The measurement of `points` as one line of text: the distance along them, and from three
/// points on the area they enclose. `None` before the second point.
pub fn measure_text(language: LabelLanguage, points: &[Coord<f64>]) -> Option<String> {
    if points.len() < 2 {
        return None;
    }
    let distance = format!(
        "{} {:.2} km",
        ui_name(language, "距离", "Distance"),
        path_length_km(points)
    );
    Some(match enclosed_area_km2(points) {
        Some(area) => format!(
            "{distance} · {} {area:.2} km²",
            ui_name(language, "面积", "Area")
        ),
        None => distance,
    })
}

/// The readout over the map's top right corner, while something is measured.
pub fn measure_readout_ui(
    ui: &Ui,
    map: Rect,
    language: LabelLanguage,
    points: &[Coord<f64>],
    commands: &mut Vec<AppCommand>,
) {
    let text = measure_text(language, points);
    egui::Area::new(egui::Id::unique("onemap.measure_readout"))
        .order(egui::Order::Foreground)
        .pivot(Align2::RIGHT_TOP)
        .fixed_pos(map.right_top() + egui::vec2(-10.0, 10.0))
        .show(ui.ctx(), |ui| {
            egui::Frame::popup(ui.style()).show(ui, |ui| {
                ui.label(RichText::new(ui_name(language, "测量", "Measure")).strong());
                match &text {
                    Some(text) => {
                        // One line: a wrap could break a number from its unit.
                        let value = RichText::new(text).color(Color32::from_rgb(230, 30, 120));
                        ui.add(egui::Label::new(value).extend());
                    }
                    None => {
                        ui.label(ui_name(
                            language,
                            "点击地图上的点以测量",
                            "Click points on the map to measure",
                        ));
                    }
                }
                ui.horizontal(|ui| {
                    if let Some(text) = &text
                        && ui.button(ui_name(language, "复制", "Copy")).clicked()
                    {
                        commands.push(AppCommand::CopyText(text.clone()));
                    }
                    if ui
                        .button(ui_name(language, "清除 (Esc)", "Clear (Esc)"))
                        .clicked()
                    {
                        commands.push(AppCommand::CancelDrawing);
                    }
                });
            });
        });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_follows_the_language_and_adds_the_area_from_three_points() {
        let c = |x, y| Coord { x, y };
        let two = [c(121.4737, 31.2304), c(120.5853, 31.2989)];
        // People's Square to Suzhou, about 84 km (model::measure's own test).
        let en = measure_text(LabelLanguage::English, &two).unwrap();
        assert!(
            en.starts_with("Distance 84.") && en.ends_with(" km"),
            "{en}"
        );
        assert!(!en.contains("Area"), "two points enclose nothing: {en}");
        let three = [c(121.0, 31.0), c(121.1, 31.0), c(121.1, 31.1)];
        let zh = measure_text(LabelLanguage::Chinese, &three).unwrap();
        assert!(
            zh.starts_with("距离 ") && zh.contains(" · 面积 ") && zh.ends_with(" km²"),
            "{zh}"
        );
        assert_eq!(measure_text(LabelLanguage::Chinese, &two[..1]), None);
    }
}
