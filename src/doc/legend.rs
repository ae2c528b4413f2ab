//! What is drawn over the map: the legend of what is visible, and the scale bar.

use egui::{Align2, Color32, FontId, Rect, Shape, Stroke, pos2, vec2};

use crate::map::MapFrame;
use crate::map::scale_bar::scale_bar_shapes;
use crate::model::style::Paint;

use super::swatch::{SWATCH_SIZE, swatch_shapes};
use crate::model::lang::ui_name;

/// One legend row.
pub struct LegendEntry {
    pub text: String,
    pub paint: Paint,
    pub opacity: f32,
    /// The swatch is drawn as a sketch (`map::indicative`).
    pub indicative: bool,
}

/// The rows of the legend: every visible plan layer (the basemap is left out), split into its
/// variants where it has them, and only variants some feature uses. An entry whose features
/// are all sketches says "示意"; one with both kinds gets a row for each (see
/// [`crate::model::indicative::Kinds::legend_rows`]). Hidden sketches are left out.
pub fn legend_entries(
    frame: &MapFrame<'_>,
    plan: &crate::model::Plan,
    project_features: &[crate::model::PlanFeature],
) -> Vec<LegendEntry> {
    let lang = frame.view.language;
    let mut out = Vec::new();
    for group in frame.style.groups.iter().filter(|g| g.id != "basemap") {
        for layer in &group.layers {
            if !frame.view.layer_shown(&group.id, &layer.id) {
                continue;
            }
            let features: Vec<&crate::model::PlanFeature> = match plan.layer(&layer.id) {
                Some(l) => l.features.iter().collect(),
                None => project_features
                    .iter()
                    .filter(|f| f.layer == layer.id)
                    .collect(),
            };
            if features.is_empty() {
                continue;
            }
            let opacity = frame.view.opacity(&group.id, &layer.id);
            let shown = |f: &crate::model::PlanFeature| {
                frame.view.tier_shown(f.tier())
                    && !(frame.view.hide_indicative && crate::model::indicative::is_indicative(f))
            };
            let mut push = |name: String, paint: Paint, kinds: crate::model::indicative::Kinds| {
                for (text, indicative) in kinds.legend_rows(&name, lang) {
                    out.push(LegendEntry {
                        text,
                        paint: paint.clone(),
                        opacity,
                        indicative,
                    });
                }
            };
            let used: Vec<_> = layer
                .variants
                .iter()
                .filter(|v| features.iter().any(|f| v.matches(f) && shown(f)))
                .collect();
            if used.is_empty() {
                if features.iter().any(|f| shown(f)) {
                    push(
                        ui_name(lang, &layer.name_zh, &layer.name_en),
                        layer.paint.clone(),
                        crate::model::indicative::Kinds::of(
                            features.iter().copied().filter(|f| shown(f)),
                        ),
                    );
                }
            } else {
                for v in used {
                    push(
                        ui_name(lang, &v.name_zh, &v.name_en),
                        layer.paint.merged(&v.paint),
                        crate::model::indicative::Kinds::of(
                            features
                                .iter()
                                .copied()
                                .filter(|f| v.matches(f) && shown(f)),
                        ),
                    );
                }
            }
        }
    }
    out
}

/// Paints the legend at the map's bottom left and the scale bar at its bottom right,
/// `bottom_inset` points above the map's bottom edge. Returns where the legend is.
pub fn legend_and_scale_ui(
    painter: &egui::Painter,
    frame: &MapFrame<'_>,
    plan: &crate::model::Plan,
    project_features: &[crate::model::PlanFeature],
    bottom_inset: f32,
) -> Option<Rect> {
    let bottom = frame.rect.bottom() - bottom_inset;
    let entries = legend_entries(frame, plan, project_features);
    let mut legend = None;
    let s = frame.symbol_scale;
    let row_h = 17.0 * s;
    let font = FontId::proportional(12.0 * s);
    if !entries.is_empty() {
        // A long legend goes into two columns, so that it does not cover half the map.
        let columns = if entries.len() > 12 { 2 } else { 1 };
        let rows = entries.len().div_ceil(columns);
        let title = ui_name(frame.view.language, "图例", "Legend");
        let galleys: Vec<_> = entries
            .iter()
            .map(|e| painter.layout_no_wrap(e.text.clone(), font.clone(), Color32::from_gray(30)))
            .collect();
        let column_w: Vec<f32> = (0..columns)
            .map(|c| {
                galleys
                    .iter()
                    .skip(c * rows)
                    .take(rows)
                    .map(|g| g.size().x)
                    .fold(0.0, f32::max)
                    + SWATCH_SIZE.x * s
                    + 20.0
            })
            .collect();
        let width = column_w.iter().sum::<f32>() + 6.0;
        let height = row_h * (rows as f32 + 1.0) + 10.0;
        let rect = Rect::from_min_size(
            pos2(frame.rect.left() + 10.0, bottom - 10.0 - height),
            vec2(width, height),
        );
        let mut shapes = vec![
            Shape::rect_filled(rect, 4.0, Color32::from_white_alpha(225)),
            Shape::rect_stroke(
                rect,
                4.0,
                Stroke::new(1.0, Color32::from_gray(170)),
                egui::StrokeKind::Inside,
            ),
        ];
        let title_galley =
            painter.layout_no_wrap(title, FontId::proportional(13.0 * s), Color32::BLACK);
        shapes.push(Shape::galley(
            rect.min + vec2(8.0, 5.0),
            title_galley,
            Color32::BLACK,
        ));
        for (i, (entry, galley)) in entries.iter().zip(galleys).enumerate() {
            let (column, row) = (i / rows, i % rows);
            let x = rect.left() + 8.0 + column_w[..column].iter().sum::<f32>();
            let y = rect.top() + 5.0 + row_h * (row as f32 + 1.0);
            let sw = Rect::from_min_size(
                pos2(x, y + (row_h - SWATCH_SIZE.y * s) / 2.0),
                SWATCH_SIZE * s,
            );
            shapes.extend(if entry.indicative {
                crate::map::indicative::swatch_shapes(&entry.paint, sw, entry.opacity)
            } else {
                swatch_shapes(&entry.paint, sw, entry.opacity)
            });
            let at = Align2::LEFT_CENTER
                .anchor_size(pos2(sw.right() + 8.0, sw.center().y), galley.size());
            shapes.push(Shape::galley(at.min, galley, Color32::BLACK));
        }
        painter.extend(shapes);
        legend = Some(rect);
    }
    let meters_per_px = crate::map::scale_bar::metres_per_px(&frame.transform, frame.rect.center());
    let at = pos2(frame.rect.right() - 170.0 * s, bottom - 16.0 * s);
    painter.extend(scale_bar_shapes(painter, at, meters_per_px, s));
    legend
}
