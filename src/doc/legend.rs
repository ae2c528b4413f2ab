//! What is drawn over the map: the legend of what is visible, and the scale bar.

use egui::{Align2, Color32, FontId, Rect, Shape, Stroke, pos2, vec2};

use crate::map::MapFrame;
use crate::map::scale_bar::scale_bar_shapes;
use crate::model::style::Paint;
use crate::model::view::Corner;

use super::swatch::{SWATCH_SIZE, swatch_shapes};
use crate::model::lang::ui_name;

/// One legend row.
pub struct LegendEntry {
    pub text: String,
    pub paint: Paint,
    pub opacity: f32,
    /// The swatch is drawn as a sketch (`map::indicative`).
    pub indicative: bool,
    /// A data layer's entry: the kinds of geometry its swatch shows (see
    /// [`super::swatch::data_swatch_shapes`]).
    pub data_geometry: Option<super::swatch::GeometryKinds>,
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
    // The project's own features by layer, grouped once: a data layer's features (tens of
    // thousands in a large file) have their own rows from the scene's summary, and scanning
    // them for every style layer was most of a frame's time with a large layer shown.
    let mut by_layer: std::collections::BTreeMap<&str, Vec<&crate::model::PlanFeature>> =
        std::collections::BTreeMap::new();
    for f in project_features
        .iter()
        .filter(|f| !f.layer.starts_with(crate::map::scene::SKETCH_PREFIX))
    {
        by_layer.entry(f.layer.as_str()).or_default().push(f);
    }
    let mut out = Vec::new();
    for group in frame.style.groups.iter().filter(|g| g.id != "basemap") {
        for layer in &group.layers {
            // The style the data layers share: a row for each of them instead, in its own paint.
            if layer.id == "sketch" {
                out.extend(data_layer_entries(frame, &group.id, layer));
                continue;
            }
            if !frame.view.layer_shown(&group.id, &layer.id) {
                continue;
            }
            let features: Vec<&crate::model::PlanFeature> = match plan.layer(&layer.id) {
                Some(l) => l.features.iter().collect(),
                None => by_layer.get(layer.id.as_str()).cloned().unwrap_or_default(),
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
                        data_geometry: None,
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

/// A row per visible data layer with features shown: its name, and its own paint (the shared
/// data-layer style with the project's override for it), from the overlay's summary of it.
fn data_layer_entries(
    frame: &MapFrame<'_>,
    group: &str,
    shared: &crate::model::style::LayerStyle,
) -> Vec<LegendEntry> {
    use crate::model::indicative::Kinds;
    let lang = frame.view.language;
    let settings = frame.view.group(group);
    if !settings.visible {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (id, layer) in frame.sketches.iter().filter(|(_, l)| l.visible) {
        let layer_id = format!("{}{id}", crate::model::style::DATA_LAYER_PREFIX);
        let Some(summary) = frame.overlay.data_layers.get(&layer_id) else {
            continue;
        };
        // As the map draws them: indicative features hidden when the view hides sketches.
        let hide = frame.view.hide_indicative;
        let shown = if hide {
            summary.not_indicative
        } else {
            summary.features
        };
        if shown == 0 {
            continue;
        }
        let kinds = Kinds {
            sourced: summary.sourced,
            indicative: summary.indicative && !hide,
        };
        let paint = match frame.style.data_layer_paints.get(&layer_id) {
            Some(own) => shared.paint.merged(own),
            None => shared.paint.clone(),
        };
        for (text, indicative) in kinds.legend_rows(&layer.name, lang) {
            out.push(LegendEntry {
                text,
                paint: paint.clone(),
                opacity: settings.opacity * layer.opacity,
                indicative,
                data_geometry: Some(summary.geometry),
            });
        }
    }
    out
}

/// Where the legend goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LegendPlace {
    /// The editor: the corner the view settings give, with room in the title row for the
    /// collapse and move buttons (`ui::legend_controls`).
    Editor,
    /// A slide (presenter mode, exports): the corner where it covers the fewest visible
    /// features, below the title and the north arrow at the top.
    Slide,
}

/// The width the editor's legend keeps in its title row for its buttons.
pub const LEGEND_CONTROLS_WIDTH: f32 = 5.0 * 20.0;

/// Paints the legend in its corner and the scale bar at the bottom right (bottom left when the
/// legend is there), `bottom_inset` points above the map's bottom edge. Returns where the
/// legend is.
pub fn legend_and_scale_ui(
    painter: &egui::Painter,
    frame: &MapFrame<'_>,
    plan: &crate::model::Plan,
    project_features: &[crate::model::PlanFeature],
    bottom_inset: f32,
    place: LegendPlace,
) -> Option<Rect> {
    let s = frame.symbol_scale;
    let map = Rect::from_min_max(
        frame.rect.min,
        pos2(frame.rect.right(), frame.rect.bottom() - bottom_inset),
    );
    let legend = legend_in_corner_ui(painter, frame, plan, project_features, bottom_inset, place);
    let meters_per_px = crate::map::scale_bar::metres_per_px(&frame.transform, frame.rect.center());
    let scale_left = matches!(legend, Some((_, Corner::BottomRight)));
    let x = if scale_left {
        map.left() + 20.0 * s
    } else {
        map.right() - 170.0 * s
    };
    painter.extend(scale_bar_shapes(
        painter,
        pos2(x, map.bottom() - 16.0 * s),
        meters_per_px,
        s,
    ));
    legend.map(|(rect, _)| rect)
}

/// Paints the legend alone in its corner (the print layout draws its scale bar outside the
/// map); returns where it is and the corner.
pub fn legend_in_corner_ui(
    painter: &egui::Painter,
    frame: &MapFrame<'_>,
    plan: &crate::model::Plan,
    project_features: &[crate::model::PlanFeature],
    bottom_inset: f32,
    place: LegendPlace,
) -> Option<(Rect, Corner)> {
    let s = frame.symbol_scale;
    let map = Rect::from_min_max(
        frame.rect.min,
        pos2(frame.rect.right(), frame.rect.bottom() - bottom_inset),
    );
    let entries = legend_entries(frame, plan, project_features);
    let placement = frame.view.legend;
    (!entries.is_empty()).then(|| {
        let layout = LegendLayout::new(painter, frame, &entries, placement.collapsed, place);
        let top_inset = match place {
            LegendPlace::Editor => EDITOR_TOP_INSET,
            LegendPlace::Slide => SLIDE_TOP_INSET * s,
        };
        let at = |corner| corner_rect(map, top_inset, layout.size, corner);
        let corner = match place {
            LegendPlace::Editor => placement.corner,
            LegendPlace::Slide => {
                let candidates: Vec<(Corner, geo::Rect<f64>)> = Corner::ALL
                    .iter()
                    .map(|c| (*c, lonlat_rect(frame, at(*c))))
                    .collect();
                corner_covering_least(&candidates, &visible_boxes(frame))
            }
        };
        let rect = at(corner);
        painter.extend(layout.shapes(rect, &entries, s));
        (rect, corner)
    })
}

/// How far below a slide's top edge the legend stays: clear of the title and the north arrow.
const SLIDE_TOP_INSET: f32 = 90.0;

/// How far below the editor map's top edge the legend stays: clear of the notice that the map
/// shows sketches, which the map panel paints along the top.
const EDITOR_TOP_INSET: f32 = 48.0;

/// The legend's box of `size` in `corner` of `map`, 10 points in.
fn corner_rect(map: Rect, top_inset: f32, size: egui::Vec2, corner: Corner) -> Rect {
    let margin = 10.0;
    let x = match corner {
        Corner::TopLeft | Corner::BottomLeft => map.left() + margin,
        Corner::TopRight | Corner::BottomRight => map.right() - margin - size.x,
    };
    let y = match corner {
        Corner::TopLeft | Corner::TopRight => map.top() + margin + top_inset,
        Corner::BottomLeft | Corner::BottomRight => map.bottom() - margin - size.y,
    };
    Rect::from_min_size(pos2(x, y), size)
}

fn lonlat_rect(frame: &MapFrame<'_>, rect: Rect) -> geo::Rect<f64> {
    geo::Rect::new(
        frame.transform.to_lonlat(rect.left_top()),
        frame.transform.to_lonlat(rect.right_bottom()),
    )
}

/// The lon/lat boxes of the features in view, the basemap left out.
fn visible_boxes(frame: &MapFrame<'_>) -> Vec<geo::Rect<f64>> {
    frame
        .visible_items()
        .filter(|item| item.group != "basemap")
        .map(|item| item.bbox)
        .collect()
}

/// How much of a feature with box `feature` the legend at `legend` covers: the share of its
/// box under it, or all of it for a point (a box with no area) under it.
fn covered_share(feature: &geo::Rect<f64>, legend: &geo::Rect<f64>) -> f64 {
    use geo::Intersects;
    if !feature.intersects(legend) {
        return 0.0;
    }
    let area = feature.width() * feature.height();
    if area <= 0.0 {
        return 1.0;
    }
    let w = feature.max().x.min(legend.max().x) - feature.min().x.max(legend.min().x);
    let h = feature.max().y.min(legend.max().y) - feature.min().y.max(legend.min().y);
    (w.max(0.0) * h.max(0.0) / area).min(1.0)
}

/// The candidate that covers the least of the features: each counts by the share of its box
/// under the legend (a city's point fully, a long corridor by the part it passes under), so
/// a corner over open sea wins over one over cities. On a tie, the first (bottom left).
pub fn corner_covering_least(
    candidates: &[(Corner, geo::Rect<f64>)],
    features: &[geo::Rect<f64>],
) -> Corner {
    let mut best: Option<(f64, Corner)> = None;
    for (corner, rect) in candidates {
        let cost: f64 = features.iter().map(|f| covered_share(f, rect)).sum();
        if best.is_none_or(|(b, _)| cost < b - 1e-9) {
            best = Some((cost, *corner));
        }
    }
    best.map_or(Corner::BottomLeft, |(_, corner)| corner)
}

/// The legend's size and columns, before it is placed.
struct LegendLayout {
    size: egui::Vec2,
    title: std::sync::Arc<egui::Galley>,
    rows: usize,
    column_w: Vec<f32>,
    galleys: Vec<std::sync::Arc<egui::Galley>>,
}

impl LegendLayout {
    fn new(
        painter: &egui::Painter,
        frame: &MapFrame<'_>,
        entries: &[LegendEntry],
        collapsed: bool,
        place: LegendPlace,
    ) -> Self {
        let s = frame.symbol_scale;
        let row_h = 17.0 * s;
        let font = FontId::proportional(12.0 * s);
        let title = ui_name(frame.view.language, "图例", "Legend");
        let title = painter.layout_no_wrap(title, FontId::proportional(13.0 * s), Color32::BLACK);
        let controls = match place {
            LegendPlace::Editor => LEGEND_CONTROLS_WIDTH,
            LegendPlace::Slide => 0.0,
        };
        let title_w = title.size().x + 16.0 + controls;
        if collapsed {
            return Self {
                size: vec2(title_w, row_h + 10.0),
                title,
                rows: 0,
                column_w: Vec::new(),
                galleys: Vec::new(),
            };
        }
        // A long legend goes into two columns, so that it does not cover half the map.
        let columns = if entries.len() > 12 { 2 } else { 1 };
        let rows = entries.len().div_ceil(columns);
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
        let width = (column_w.iter().sum::<f32>() + 6.0).max(title_w);
        let height = row_h * (rows as f32 + 1.0) + 10.0;
        Self {
            size: vec2(width, height),
            title,
            rows,
            column_w,
            galleys,
        }
    }

    fn shapes(self, rect: Rect, entries: &[LegendEntry], s: f32) -> Vec<Shape> {
        let row_h = 17.0 * s;
        let mut shapes = vec![
            Shape::rect_filled(rect, 4.0, Color32::from_white_alpha(225)),
            Shape::rect_stroke(
                rect,
                4.0,
                Stroke::new(1.0, Color32::from_gray(170)),
                egui::StrokeKind::Inside,
            ),
            Shape::galley(rect.min + vec2(8.0, 5.0), self.title, Color32::BLACK),
        ];
        for (i, (entry, galley)) in entries.iter().zip(self.galleys).enumerate() {
            let (column, row) = (i / self.rows, i % self.rows);
            let x = rect.left() + 8.0 + self.column_w[..column].iter().sum::<f32>();
            let y = rect.top() + 5.0 + row_h * (row as f32 + 1.0);
            let sw = Rect::from_min_size(
                pos2(x, y + (row_h - SWATCH_SIZE.y * s) / 2.0),
                SWATCH_SIZE * s,
            );
            shapes.extend(match (entry.indicative, entry.data_geometry) {
                (true, _) => crate::map::indicative::swatch_shapes(&entry.paint, sw, entry.opacity),
                (false, Some(kinds)) => {
                    super::swatch::data_swatch_shapes(&entry.paint, kinds, sw, entry.opacity)
                }
                (false, None) => swatch_shapes(&entry.paint, sw, entry.opacity),
            });
            let at = Align2::LEFT_CENTER
                .anchor_size(pos2(sw.right() + 8.0, sw.center().y), galley.size());
            shapes.push(Shape::galley(at.min, galley, Color32::BLACK));
        }
        shapes
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::coord;

    fn rect(x: f64, y: f64, w: f64, h: f64) -> geo::Rect<f64> {
        geo::Rect::new(coord! { x: x, y: y }, coord! { x: x + w, y: y + h })
    }

    fn corners() -> Vec<(Corner, geo::Rect<f64>)> {
        vec![
            (Corner::BottomLeft, rect(0.0, 0.0, 1.0, 1.0)),
            (Corner::BottomRight, rect(9.0, 0.0, 1.0, 1.0)),
            (Corner::TopLeft, rect(0.0, 9.0, 1.0, 1.0)),
            (Corner::TopRight, rect(9.0, 9.0, 1.0, 1.0)),
        ]
    }

    fn point(x: f64, y: f64) -> geo::Rect<f64> {
        rect(x, y, 0.0, 0.0)
    }

    #[test]
    fn the_legend_goes_where_it_covers_the_fewest_features() {
        // Two cities bottom left, one bottom right and one top left, none top right.
        let features = [
            point(0.5, 0.5),
            point(0.2, 0.7),
            point(9.5, 0.5),
            point(0.5, 9.5),
            point(5.0, 5.0),
        ];
        assert_eq!(
            corner_covering_least(&corners(), &features),
            Corner::TopRight
        );
        // An area that spans the whole map weighs the same in every corner.
        let mut spanning = features.to_vec();
        spanning.push(rect(-1.0, -1.0, 12.0, 12.0));
        assert_eq!(
            corner_covering_least(&corners(), &spanning),
            Corner::TopRight
        );
    }

    #[test]
    fn a_city_weighs_more_than_the_edge_of_a_large_area() {
        // A city top right; a zone whose box reaches a tenth into the top left corner.
        let features = [point(9.5, 9.5), rect(-9.0, 0.0, 9.1, 10.0)];
        assert_eq!(
            corner_covering_least(&corners(), &features),
            Corner::BottomRight
        );
        let only_the_zone = [rect(-9.0, 9.0, 9.1, 1.0)];
        assert_ne!(
            corner_covering_least(&corners(), &only_the_zone),
            Corner::TopLeft
        );
    }

    #[test]
    fn a_tie_keeps_the_legend_bottom_left() {
        assert_eq!(corner_covering_least(&corners(), &[]), Corner::BottomLeft);
        let everywhere = [
            point(0.5, 0.5),
            point(9.5, 0.5),
            point(0.5, 9.5),
            point(9.5, 9.5),
        ];
        assert_eq!(
            corner_covering_least(&corners(), &everywhere),
            Corner::BottomLeft
        );
    }
}
