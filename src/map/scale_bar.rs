//! A scale bar with a round length.

use egui::{Align2, Color32, FontId, Pos2, Shape, Stroke, pos2, vec2};
use geo::Point;

use super::draw::ScreenTransform;
use crate::model::measure::distance_m;

/// Metres per screen pixel at a point of the map, measured like every other distance (on the
/// WGS84 ellipsoid): a pixel's worth of longitude along the point's parallel. On a Mercator
/// map the scale at a point is the same in every direction; it changes with the latitude.
pub fn metres_per_px(transform: &ScreenTransform, at: Pos2) -> f64 {
    let c = transform.to_lonlat(at);
    distance_m(
        Point::new(c.x, c.y),
        Point::new(c.x + transform.deg_per_px(), c.y),
    )
}

/// The longest round length (1, 2 or 5 × 10ⁿ metres) that fits in `max_px`.
pub fn nice_length(meters_per_px: f64, max_px: f32) -> (f64, f32) {
    let max_m = meters_per_px * f64::from(max_px);
    let mut best = 1.0;
    let mut magnitude = 1.0;
    while magnitude <= max_m {
        for step in [1.0, 2.0, 5.0] {
            if step * magnitude <= max_m {
                best = step * magnitude;
            }
        }
        magnitude *= 10.0;
    }
    (best, (best / meters_per_px) as f32)
}

pub fn format_length(m: f64) -> String {
    if m >= 1000.0 {
        format!("{} km", m / 1000.0)
    } else {
        format!("{m} m")
    }
}

/// Draws the bar with its left end at `at` (bottom-left corner).
pub fn scale_bar_shapes(
    painter: &egui::Painter,
    at: Pos2,
    meters_per_px: f64,
    scale: f32,
) -> Vec<Shape> {
    let (meters, px) = nice_length(meters_per_px, 140.0 * scale);
    let stroke = Stroke::new(2.0 * scale, Color32::from_gray(40));
    let halo = Stroke::new(5.0 * scale, Color32::from_white_alpha(200));
    let tick = 6.0 * scale;
    let pts = vec![
        at + vec2(0.0, -tick),
        at,
        at + vec2(px, 0.0),
        at + vec2(px, -tick),
    ];
    let label = format_length(meters);
    let galley = painter.layout_no_wrap(
        label,
        FontId::proportional(12.0 * scale),
        Color32::from_gray(30),
    );
    let text_at =
        Align2::CENTER_BOTTOM.anchor_size(pos2(at.x + px * 0.5, at.y - 3.0 * scale), galley.size());
    vec![
        Shape::line(pts.clone(), halo),
        Shape::line(pts, stroke),
        Shape::galley(text_at.min, galley, Color32::BLACK),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bar_length_is_round_and_fits() {
        let (m, px) = nice_length(300.0, 140.0);
        assert_eq!(m, 20_000.0);
        assert!((px - 66.666).abs() < 0.01);
        assert_eq!(format_length(m), "20 km");
        assert_eq!(format_length(500.0), "500 m");
    }

    #[test]
    fn a_pixel_measures_a_pixel_of_longitude_on_the_ellipsoid() {
        // Zoom 9: 360° over 2⁹ × 256 px. A degree of longitude at 31°N is 95 504 m on the
        // WGS84 ellipsoid (a cos φ / √(1 − e² sin² φ)); the sphere of 111 320 m per degree
        // the bar used before gave 95 420 m, 0.09 % less.
        let at = pos2(400.0, 300.0);
        let t = ScreenTransform::new(9.0, geo::Coord { x: 121.0, y: 31.0 }, at);
        let expected = 95_504.26 * 360.0 / (512.0 * 256.0);
        let got = metres_per_px(&t, at);
        assert!((got - expected).abs() < 0.01, "{got} vs {expected}");
    }
}
