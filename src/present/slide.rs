//! The slide: the map with its title, legend, scale bar, north arrow, attribution and date.
//! Presenter mode paints it on screen and export paints it into a PNG or SVG, through this one
//! function, so that the two cannot drift apart. While the map shows any of our sketches,
//! the slide says so in both languages (see [`crate::map::indicative`]).

use egui::{Align2, Color32, FontId, Painter, Pos2, Rect, Shape, Stroke, pos2, vec2};

use crate::doc::legend::{LegendPlace, legend_and_scale_ui};
use crate::map::indicative::Notice;
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
        self.paint_over_map(painter, shapes, stats)
    }

    /// [`Self::paint`] with `apart` in the place of the map's features, which the caller draws
    /// there (see [`crate::map::MapFrame::shapes_with_items_apart`]).
    pub fn paint_items_apart(&self, painter: &Painter, apart: egui::Shape) -> DrawStats {
        let (shapes, stats) = self.frame.shapes_with_items_apart(painter, apart);
        self.paint_over_map(painter, shapes, stats)
    }

    /// The map's shapes, then the legend, the title, the north arrow, the strip and the
    /// notice over them.
    fn paint_over_map(
        &self,
        painter: &Painter,
        shapes: Vec<egui::Shape>,
        stats: DrawStats,
    ) -> DrawStats {
        painter.extend(shapes);
        let legend = legend_and_scale_ui(
            painter,
            &self.frame,
            self.plan,
            self.project_features,
            self.strip_height(),
            LegendPlace::Slide,
        );
        let title = self.paint_title(painter);
        self.paint_north_arrow(painter);
        self.paint_strip(painter);
        if stats.indicative > 0 {
            self.paint_notice(painter, title, legend);
        }
        stats
    }

    /// The notice that the map shows our sketches, in both languages, on the slide itself:
    /// under the title, or where it covers neither the title, the legend, the north arrow nor
    /// the scale bar; on a canvas too small for that, smaller, and at worst where it covers
    /// the least.
    fn paint_notice(&self, painter: &Painter, title: Option<Rect>, legend: Option<Rect>) {
        let s = self.frame.symbol_scale;
        let theme = self.theme();
        let r = self.frame.rect;
        let map = Rect::from_min_max(r.min, pos2(r.right(), r.bottom() - self.strip_height()));
        let gap = 8.0 * s;
        let north_and_counter = Rect::from_min_max(
            pos2(r.right() - 100.0 * s, r.top()),
            pos2(r.right(), r.top() + 76.0 * s),
        );
        let scale_bar = Rect::from_min_max(
            pos2(r.right() - 180.0 * s, map.bottom() - 40.0 * s),
            map.max,
        );
        let taken: Vec<Rect> = [title, legend, Some(north_and_counter), Some(scale_bar)]
            .into_iter()
            .flatten()
            .collect();
        let covered = |rect: Rect| -> f32 {
            let outside = rect.area() - rect.intersect(map).area().max(0.0);
            let over: f32 = taken
                .iter()
                .map(|t| {
                    let i = t.intersect(rect);
                    if i.is_positive() { i.area() } else { 0.0 }
                })
                .sum();
            outside + over
        };
        let mut best: Option<(f32, Notice, Pos2)> = None;
        for scale in [s, s * 0.75] {
            let notice = Notice::layout(painter, scale, false, theme.text);
            let size = notice.size;
            let candidates = [
                // Under the title (or in its place).
                title.map_or(r.min + vec2(12.0 * s, 12.0 * s), |t| {
                    pos2(t.left(), t.bottom() + gap)
                }),
                // Top right, left of the north arrow.
                pos2(north_and_counter.left() - gap - size.x, r.top() + 12.0 * s),
                // Bottom centre, above the attribution strip.
                pos2(map.center().x - size.x / 2.0, map.bottom() - gap - size.y),
            ];
            let (cost, at) = candidates
                .into_iter()
                .map(|at| (covered(Rect::from_min_size(at, size)), at))
                .fold((f32::INFINITY, candidates[0]), |a, b| {
                    if b.0 < a.0 { b } else { a }
                });
            if best.as_ref().is_none_or(|(c, _, _)| cost < *c) {
                best = Some((cost, notice, at));
            }
            if cost <= 0.0 {
                break;
            }
        }
        if let Some((_, notice, at)) = best {
            painter.extend(notice.shapes(at, theme.panel));
        }
    }

    /// Paints the title panel; returns where it is.
    fn paint_title(&self, painter: &Painter) -> Option<Rect> {
        if self.title.is_empty() {
            return None;
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
        Some(rect)
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
