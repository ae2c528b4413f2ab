//! The map's note while a large map's new picture is drawn (see `map::pending`): the layers
//! left out of the frame meanwhile are named, in the interface language, so that a layer
//! missing for a moment is never taken for a layer without features.

use egui::{Align2, Color32, Rect, RichText, Ui};

use crate::map::scene::SKETCH_PREFIX;
use crate::model::UiLanguage;
use crate::model::project::SketchLayer;
use crate::model::style::Style;

/// What the note says about `layers` (by `Item::layer`).
pub fn drawing_text(
    lang: UiLanguage,
    layers: &[String],
    data_layers: &std::collections::BTreeMap<String, SketchLayer>,
    style: &Style,
) -> String {
    let names: Vec<String> = layers
        .iter()
        .map(|layer| match layer.strip_prefix(SKETCH_PREFIX) {
            Some(id) => data_layers
                .get(id)
                .map_or_else(|| id.to_owned(), |l| l.name.clone()),
            None => style.layer(layer).map_or_else(
                || layer.clone(),
                |s| super::lang::name(lang, &s.name_zh, &s.name_en).to_owned(),
            ),
        })
        .collect();
    match lang {
        UiLanguage::Chinese => format!("正在绘制：{}……", names.join("、")),
        _ => format!("Drawing {}…", names.join(", ")),
    }
}

/// The note, at the top of the map, `top` points down; it takes no clicks from the map.
pub fn drawing_note_ui(ui: &Ui, map: Rect, top: f32, text: String) {
    egui::Area::new(egui::Id::unique("onemap.drawing_note"))
        .pivot(Align2::CENTER_TOP)
        .fixed_pos(map.center_top() + egui::vec2(0.0, top))
        .interactable(false)
        .show(ui.ctx(), |ui| {
            egui::Frame::new()
                .fill(Color32::from_white_alpha(225))
                .corner_radius(4.0)
                .inner_margin(egui::Margin::symmetric(8, 4))
                .show(ui, |ui| {
                    ui.add(
                        egui::Label::new(RichText::new(text).color(Color32::from_gray(25)))
                            .selectable(false)
                            .extend(),
                    );
                });
        });
}
