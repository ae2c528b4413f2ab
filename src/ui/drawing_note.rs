//! The map's note while a large map's new picture is drawn (see `map::pending`): the layers
//! left out of the frame meanwhile are named, in the interface language, so that a layer
//! missing for a moment is never taken for a layer without features.

use egui::{Color32, Rect, Shape};

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

/// The note, at the top of the map, `top` points down. Painted, as the map's other notices:
/// it shows in the very frame that leaves the layers out (an area would be sized first, in
/// an invisible frame), and takes no clicks from the map.
pub fn drawing_note(painter: &egui::Painter, map: Rect, top: f32, text: String) -> Vec<Shape> {
    let ink = Color32::from_gray(25);
    let galley = painter.layout_no_wrap(text, egui::FontId::proportional(13.0), ink);
    let pad = egui::vec2(8.0, 4.0);
    let size = galley.size() + pad * 2.0;
    let rect = Rect::from_min_size(
        egui::pos2(map.center().x - size.x / 2.0, map.top() + top),
        size,
    );
    vec![
        Shape::rect_filled(rect, 4.0, Color32::from_white_alpha(225)),
        Shape::galley(rect.min + pad, galley, ink),
    ]
}
