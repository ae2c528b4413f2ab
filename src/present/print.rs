//! The print layout: a sheet of paper with a neat frame around the map and, beside it (below
//! it on a portrait sheet), the title block: the project's title, the scene, the author, the
//! date, the plan edition, the data sources and the map approval number (审图号), with a north
//! arrow and a scale bar in kilometres. The legend stays in the map's emptiest corner, as on a
//! slide. Painted through egui like the slide, so that PNG, SVG and PDF show the same sheet.
//!
//! The scale is true on paper: a point here is 1/96 in, and a scale of 1:N gives the map the
//! zoom at which a point of paper measures N/96 in of ground at the map's centre (Web Mercator's
//! scale changes with the latitude: the bar is true at the centre's).

use egui::{Align2, Color32, FontId, Painter, Pos2, Rect, Shape, Stroke, pos2, vec2};

use crate::doc::legend::{LegendPlace, legend_in_corner_ui};
use crate::map::indicative::Notice;
use crate::map::scale_bar::{metres_per_px, nice_length};
use crate::map::tiles::tile_shapes;
use crate::model::project::MapView;

use super::export::{Canvas, Sheet, SlideInputs, transform_for};
use super::render::{Rendered, render};
use super::tiles::HeadlessTiles;

/// Metres of paper in a point (1/96 in).
pub const PAPER_M_PER_POINT: f64 = 0.0254 / 96.0;

/// Millimetres to points.
fn mm(v: f32) -> f32 {
    v * 96.0 / 25.4
}

/// What the title block says besides the scene: from the project and the data dir.
#[derive(Clone, Debug, Default)]
pub struct TitleBlock {
    pub project_title: String,
    pub author: String,
    pub edition: String,
    /// The map approval number (审图号); empty until the project has one.
    pub approval_number: String,
    /// The short attribution line of `assets/ATTRIBUTION.md`.
    pub sources: String,
}

/// The zoom at which the map shows `scale` (1:scale) at `center` on paper.
pub fn zoom_for_scale(center: (f64, f64), scale: u32) -> f64 {
    let at = Pos2::ZERO;
    let c = geo::Coord {
        x: center.0,
        y: center.1,
    };
    let target = f64::from(scale) * PAPER_M_PER_POINT;
    // Metres per point halve with each zoom level; two steps land on the target to within
    // rounding (the first corrects for the latitude, the second for the ellipsoid's curvature
    // between the steps, which is nil).
    let mut zoom = 10.0;
    for _ in 0..2 {
        let now = metres_per_px(&crate::map::ScreenTransform::new(zoom, c, at), at);
        zoom += (now / target).log2();
    }
    zoom
}

/// The scale a map is shown at, at its centre: the N of 1:N.
pub fn scale_of(transform: &crate::map::ScreenTransform, at: Pos2) -> f64 {
    metres_per_px(transform, at) / PAPER_M_PER_POINT
}

/// The sheet: its frame, the map inside it and the title block.
struct Layout {
    frame: Rect,
    map: Rect,
    block: Rect,
    /// Furniture scale: text and lines grow with the sheet (A4 1, A0 2).
    k: f32,
}

impl Layout {
    fn new(size: egui::Vec2, sheet: Sheet) -> Self {
        let (w, h) = sheet.mm();
        let k = (w.min(h) / 210.0).sqrt();
        let page = Rect::from_min_size(Pos2::ZERO, size);
        let frame = page.shrink(mm(10.0) * k);
        let gap = mm(4.0) * k;
        let (map, block) = if w >= h {
            let block_w = mm(66.0) * k;
            (
                Rect::from_min_max(
                    frame.min,
                    pos2(frame.right() - block_w - gap, frame.bottom()),
                ),
                Rect::from_min_max(pos2(frame.right() - block_w, frame.top()), frame.max),
            )
        } else {
            let block_h = mm(62.0) * k;
            (
                Rect::from_min_max(
                    frame.min,
                    pos2(frame.right(), frame.bottom() - block_h - gap),
                ),
                Rect::from_min_max(pos2(frame.left(), frame.bottom() - block_h), frame.max),
            )
        };
        Self {
            frame,
            map,
            block,
            k,
        }
    }
}

/// Renders a scene on a sheet of paper in the print layout; also returns how many of the
/// items drawn are our sketches.
pub fn render_sheet(
    inputs: &SlideInputs<'_>,
    area: geo::Rect<f64>,
    canvas: Canvas,
    sheet: Sheet,
    block: &TitleBlock,
    mut tiles: Option<&mut HeadlessTiles>,
) -> (Rendered, usize) {
    let mut indicative = 0;
    let rendered = render(
        canvas.width_px,
        canvas.height_px,
        canvas.pixels_per_point,
        |painter, rect| {
            let tiles = tiles.as_deref_mut();
            indicative = paint_sheet(painter, rect, inputs, area, sheet, block, tiles);
        },
    );
    (rendered, indicative)
}

fn paint_sheet(
    painter: &Painter,
    page: Rect,
    inputs: &SlideInputs<'_>,
    area: geo::Rect<f64>,
    sheet: Sheet,
    block: &TitleBlock,
    tiles: Option<&mut HeadlessTiles>,
) -> usize {
    let layout = Layout::new(page.size(), sheet);
    let k = layout.k;
    // Paper is white; the map keeps the colour of where there is no data, as on screen.
    painter.rect_filled(page, 0.0, Color32::WHITE);
    let no_data = inputs.style.no_data;
    painter.rect_filled(
        layout.map,
        0.0,
        Color32::from_rgba_unmultiplied(no_data.0, no_data.1, no_data.2, no_data.3),
    );
    let camera = match sheet.scale {
        Some(n) => {
            let center = inputs.spec.camera(area, layout.map.size()).center;
            MapView {
                center,
                zoom: zoom_for_scale(center, n),
            }
        }
        None => inputs.spec.camera(area, layout.map.size()),
    };
    let transform = transform_for(camera, layout.map);
    let map_painter = painter.with_clip_rect(layout.map);
    let tiles_under = tiles.is_some();
    if let Some(tiles) = tiles {
        tiles.use_context(painter.ctx());
        let ground = super::export::color32(inputs.style.background);
        let ppp = painter.pixels_per_point();
        map_painter.extend(tile_shapes(&transform, layout.map, ppp, ground, tiles).0);
    }
    let mut slide = inputs.slide_on(layout.map, transform, tiles_under);
    slide.frame.symbol_scale = k;
    let (shapes, stats) = slide.frame.shapes(&map_painter);
    map_painter.extend(shapes);
    legend_in_corner_ui(
        &map_painter,
        &slide.frame,
        slide.plan,
        slide.project_features,
        0.0,
        LegendPlace::Slide,
    );
    if stats.indicative > 0 {
        let notice = Notice::layout(&map_painter, k, false, Color32::from_gray(15));
        // At the top: the legend is in a corner, the foot of the sheet is the title block's.
        let at = pos2(
            layout.map.center().x - notice.size.x / 2.0,
            layout.map.top() + mm(4.0) * k,
        );
        map_painter.extend(notice.shapes(at, Color32::from_white_alpha(235)));
    }
    // The neat frame: a fine line around the map, a heavier one around the sheet's content.
    let ink = Color32::from_gray(20);
    painter.rect_stroke(
        layout.map,
        0.0,
        Stroke::new(0.75 * k, ink),
        egui::StrokeKind::Outside,
    );
    painter.rect_stroke(
        layout.frame,
        0.0,
        Stroke::new(2.0 * k, ink),
        egui::StrokeKind::Outside,
    );
    let scale = match sheet.scale {
        Some(n) => f64::from(n),
        None => scale_of(&transform, layout.map.center()),
    };
    paint_title_block(
        painter,
        &layout,
        inputs,
        block,
        scale,
        sheet.scale.is_some(),
    );
    paint_scale_and_north(painter, &layout, &transform);
    stats.indicative
}

/// `1:250 000`; a scale the view decides, rounded to three figures.
fn scale_text(scale: f64, exact: bool) -> String {
    let n = if exact {
        scale.round()
    } else {
        let magnitude = 10f64.powf(scale.log10().floor() - 2.0).max(1.0);
        (scale / magnitude).round() * magnitude
    };
    let digits = format!("{n:.0}");
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(' ');
        }
        grouped.push(c);
    }
    format!("1:{grouped}")
}

fn paint_title_block(
    painter: &Painter,
    layout: &Layout,
    inputs: &SlideInputs<'_>,
    block: &TitleBlock,
    scale: f64,
    exact: bool,
) {
    let k = layout.k;
    let ink = Color32::from_gray(15);
    let weak = Color32::from_gray(80);
    let lang = inputs.spec.settings.language;
    let r = layout.block;
    let pad = mm(3.0) * k;
    let width = r.width() - 2.0 * pad;
    let mut y = r.top() + pad;
    let put = |text: String, size: f32, color: Color32, y: &mut f32| {
        if text.is_empty() {
            return;
        }
        let g = painter.layout(text, FontId::proportional(size * k), color, width);
        let h = g.size().y;
        painter.galley(pos2(r.left() + pad, *y), g, color);
        *y += h;
    };
    put(block.project_title.clone(), 17.0, ink, &mut y);
    y += mm(2.0) * k;
    put(inputs.spec.title.clone(), 14.0, ink, &mut y);
    put(inputs.spec.subtitle.clone(), 10.0, weak, &mut y);
    y += mm(3.0) * k;
    let approval = if block.approval_number.is_empty() {
        // The field is there, blank, until the project has its number.
        "—".to_owned()
    } else {
        block.approval_number.clone()
    };
    let fields = [
        (lang.label("比例尺", "Scale"), scale_text(scale, exact)),
        (lang.label("作者", "Author"), block.author.clone()),
        (lang.label("日期", "Date"), inputs.date.to_owned()),
        (
            lang.label("规划版本", "Plan edition"),
            block.edition.clone(),
        ),
        (lang.label("审图号", "Approval no."), approval),
    ];
    let line = Stroke::new(0.5 * k, Color32::from_gray(150));
    for (label, value) in fields {
        painter.hline(r.left()..=r.right(), y, line);
        y += mm(1.2) * k;
        let label = label.replace('\n', " / ");
        put(label, 8.0, weak, &mut y);
        put(value, 10.0, ink, &mut y);
        y += mm(1.2) * k;
    }
    painter.hline(r.left()..=r.right(), y, line);
    y += mm(1.2) * k;
    put(
        lang.label("数据来源", "Data sources").replace('\n', " / "),
        8.0,
        weak,
        &mut y,
    );
    put(block.sources.clone(), 7.5, ink, &mut y);
}

/// The north arrow and the scale bar at the foot of the title block.
fn paint_scale_and_north(
    painter: &Painter,
    layout: &Layout,
    transform: &crate::map::ScreenTransform,
) {
    let k = layout.k;
    let ink = Color32::from_gray(15);
    let r = layout.block;
    let pad = mm(3.0) * k;
    // North: Web Mercator keeps north up everywhere.
    let c = pos2(
        r.right() - pad - mm(6.0) * k,
        r.bottom() - pad - mm(9.0) * k,
    );
    let arm = mm(6.0) * k;
    let tip = c + vec2(0.0, -arm);
    let tail = c + vec2(0.0, arm * 0.7);
    painter.add(Shape::convex_polygon(
        vec![tip, tail, c + vec2(-arm * 0.45, arm * 0.7)],
        ink,
        Stroke::NONE,
    ));
    painter.add(Shape::convex_polygon(
        vec![tip, c + vec2(arm * 0.45, arm * 0.7), tail],
        Color32::WHITE,
        Stroke::new(0.8 * k, ink),
    ));
    painter.text(
        tip - vec2(0.0, 1.0 * k),
        Align2::CENTER_BOTTOM,
        "N",
        FontId::proportional(10.0 * k),
        ink,
    );
    // The bar: a round length of at most the room left of the arrow, in two halves.
    let room = (c.x - arm - mm(6.0) * k) - (r.left() + pad + mm(2.0) * k);
    let per_point = metres_per_px(transform, layout.map.center());
    let (metres, length) = nice_length(per_point, room.max(1.0));
    let left = pos2(r.left() + pad + mm(2.0) * k, r.bottom() - pad - mm(4.0) * k);
    let h = mm(1.6) * k;
    let half = length / 2.0;
    painter.rect_filled(
        Rect::from_min_size(left - vec2(0.0, h), vec2(half, h)),
        0.0,
        ink,
    );
    painter.rect_stroke(
        Rect::from_min_size(left - vec2(0.0, h), vec2(length, h)),
        0.0,
        Stroke::new(0.6 * k, ink),
        egui::StrokeKind::Middle,
    );
    // Each label is centred on its tick: a reader (or a test) finds the bar's length between
    // the centres of "0" and the last number.
    let km = metres >= 1000.0;
    let value = |m: f64| {
        let v = if km { m / 1000.0 } else { m };
        let s = format!("{v:.1}");
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    };
    let font = FontId::proportional(8.5 * k);
    for (x, m) in [(0.0, 0.0), (half, metres / 2.0), (length, metres)] {
        painter.text(
            left + vec2(x, -h - 1.0 * k),
            Align2::CENTER_BOTTOM,
            value(m),
            font.clone(),
            ink,
        );
    }
    painter.text(
        left + vec2(length + mm(2.0) * k, -h / 2.0),
        Align2::LEFT_CENTER,
        if km { "km" } else { "m" },
        font,
        ink,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scale_gives_the_zoom_at_which_a_point_of_paper_measures_that_much_ground() {
        let center = (121.0, 31.0);
        let zoom = zoom_for_scale(center, 250_000);
        let c = geo::Coord { x: 121.0, y: 31.0 };
        let t = crate::map::ScreenTransform::new(zoom, c, Pos2::ZERO);
        let got = scale_of(&t, Pos2::ZERO);
        assert!((got - 250_000.0).abs() < 1.0, "1:{got}");
    }

    #[test]
    fn scales_are_written_in_groups_of_three_digits() {
        assert_eq!(scale_text(250_000.0, true), "1:250 000");
        assert_eq!(scale_text(1_234_567.0, false), "1:1 230 000");
    }
}
