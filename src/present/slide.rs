//! The slide: the map with its title, legend, scale bar, north arrow, attribution and date.
//! Presenter mode paints it on screen and export paints it into a PNG or SVG, through this one
//! function, so that the two cannot drift apart.

use egui::{Align2, Color32, FontId, Painter, Pos2, Rect, Shape, Stroke, pos2, vec2};

use crate::doc::legend::legend_and_scale_ui;
use crate::map::{DrawStats, MapFrame};
use crate::model::{Plan, PlanFeature};

/// Labels and symbols are this much larger on a slide than in the editor, for a projector.
pub const PROJECTOR_SCALE: f32 = 1.35;

/// Lines are this much wider in the high-contrast theme.
pub const HIGH_CONTRAST_LINES: f32 = 1.6;

/// Everything on a slide besides the map itself.
pub struct Slide<'a> {
    pub frame: MapFrame<'a>,
    pub plan: &'a Plan,
    /// The project's placements and sketches, for the legend.
    pub project_features: &'a [PlanFeature],
    pub title: String,
    pub subtitle: String,
    pub attribution: String,
    /// The date the map is shown or exported, e.g. 2026-11-28.
    pub date: String,
    pub high_contrast: bool,
}

struct Theme {
    panel: Color32,
    border: Color32,
    text: Color32,
    weak: Color32,
}

impl Slide<'_> {
    fn theme(&self) -> Theme {
        if self.high_contrast {
            Theme {
                panel: Color32::from_black_alpha(235),
                border: Color32::WHITE,
                text: Color32::WHITE,
                weak: Color32::from_gray(225),
            }
        } else {
            Theme {
                panel: Color32::from_white_alpha(235),
                border: Color32::from_gray(160),
                text: Color32::from_gray(15),
                weak: Color32::from_gray(70),
            }
        }
    }

    /// The height of the attribution strip along the bottom.
    pub fn strip_height(&self) -> f32 {
        20.0 * self.frame.symbol_scale
    }

    /// Paints the whole slide into its rectangle.
    pub fn paint(&self, painter: &Painter) -> DrawStats {
        let (shapes, stats) = self.frame.shapes(painter);
        painter.extend(shapes);
        legend_and_scale_ui(
            painter,
            &self.frame,
            self.plan,
            self.project_features,
            self.strip_height(),
        );
        self.paint_title(painter);
        self.paint_north_arrow(painter);
        self.paint_strip(painter);
        stats
    }

    fn paint_title(&self, painter: &Painter) {
        if self.title.is_empty() {
            return;
        }
        let s = self.frame.symbol_scale;
        let theme = self.theme();
        let title = painter.layout(
            self.title.clone(),
            FontId::proportional(22.0 * s),
            theme.text,
            self.frame.rect.width() * 0.6,
        );
        let subtitle = (!self.subtitle.is_empty()).then(|| {
            painter.layout(
                self.subtitle.clone(),
                FontId::proportional(13.0 * s),
                theme.weak,
                self.frame.rect.width() * 0.6,
            )
        });
        let pad = 10.0 * s;
        let gap = 4.0 * s;
        let width = title
            .size()
            .x
            .max(subtitle.as_ref().map_or(0.0, |g| g.size().x));
        let height = title.size().y + subtitle.as_ref().map_or(0.0, |g| g.size().y + gap);
        let rect = Rect::from_min_size(
            self.frame.rect.min + vec2(12.0 * s, 12.0 * s),
            vec2(width + 2.0 * pad, height + 2.0 * pad),
        );
        painter.rect_filled(rect, 4.0 * s, theme.panel);
        painter.rect_stroke(
            rect,
            4.0 * s,
            Stroke::new(1.0, theme.border),
            egui::StrokeKind::Inside,
        );
        let title_at = rect.min + vec2(pad, pad);
        let below = title_at.y + title.size().y + gap;
        painter.galley(title_at, title, theme.text);
        if let Some(g) = subtitle {
            painter.galley(pos2(title_at.x, below), g, theme.weak);
        }
    }

    /// A north arrow at the top right. Web Mercator keeps north up everywhere.
    fn paint_north_arrow(&self, painter: &Painter) {
        let s = self.frame.symbol_scale;
        let theme = self.theme();
        let c = pos2(
            self.frame.rect.right() - 34.0 * s,
            self.frame.rect.top() + 44.0 * s,
        );
        let r = 18.0 * s;
        painter.circle_filled(c, r + 6.0 * s, theme.panel);
        painter.circle_stroke(c, r + 6.0 * s, Stroke::new(1.0, theme.border));
        let tip = c + vec2(0.0, -r);
        let tail = c + vec2(0.0, r * 0.75);
        let left = c + vec2(-r * 0.5, r * 0.75);
        let right = c + vec2(r * 0.5, r * 0.75);
        painter.add(Shape::convex_polygon(
            vec![tip, tail, left],
            theme.text,
            Stroke::NONE,
        ));
        painter.add(Shape::convex_polygon(
            vec![tip, right, tail],
            theme.panel,
            Stroke::new(1.2 * s, theme.text),
        ));
        painter.text(
            c + vec2(0.0, -r - 2.0 * s),
            Align2::CENTER_BOTTOM,
            "N",
            FontId::proportional(12.0 * s),
            theme.text,
        );
    }

    /// Attribution on the left of the bottom strip, the date on its right.
    fn paint_strip(&self, painter: &Painter) {
        let s = self.frame.symbol_scale;
        let theme = self.theme();
        let r = self.frame.rect;
        let strip = Rect::from_min_max(pos2(r.left(), r.bottom() - self.strip_height()), r.max);
        painter.rect_filled(strip, 0.0, theme.panel);
        let font = FontId::proportional(10.0 * s);
        let date = painter.layout_no_wrap(self.date.clone(), font.clone(), theme.weak);
        let date_at = Align2::RIGHT_CENTER
            .anchor_size(pos2(strip.right() - 8.0 * s, strip.center().y), date.size());
        let room = (date_at.left() - strip.left() - 24.0 * s).max(0.0);
        let attribution = painter.layout(self.attribution.clone(), font, theme.weak, room);
        let at: Pos2 = Align2::LEFT_CENTER
            .anchor_size(
                pos2(strip.left() + 8.0 * s, strip.center().y),
                vec2(
                    attribution.size().x,
                    attribution.rows.first().map_or(0.0, |r| r.size.y),
                ),
            )
            .min;
        // One line only: what does not fit is cut at the strip, not wrapped over the map.
        painter
            .with_clip_rect(strip)
            .galley(at, attribution, theme.weak);
        painter.galley(date_at.min, date, theme.weak);
    }
}

/// The short attribution line of `assets/ATTRIBUTION.md` (the quoted line under "Short line").
pub fn short_attribution(attribution_md: &str) -> String {
    attribution_md
        .lines()
        .skip_while(|l| !l.starts_with("Short line"))
        .find_map(|l| l.strip_prefix("> "))
        .unwrap_or("")
        .trim()
        .to_owned()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_short_attribution_line_is_found() {
        let md =
            "# x\n\nShort line for maps and exports:\n> Basemap: GSHHG. Plan: 2022.\n\nNotes\n";
        assert_eq!(super::short_attribution(md), "Basemap: GSHHG. Plan: 2022.");
        assert_eq!(super::short_attribution("nothing"), "");
    }
}
