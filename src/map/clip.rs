//! Screen-space geometry for patterned strokes: lines cut to the view before they are cut into
//! dashes or dots, and hatching inside polygons.
//!
//! A pattern makes one shape per dash, dot or hatch stroke. Made along a whole line, their
//! number grows with the zoom (a 300 km corridor at zoom 18 is millions of pixels long), so
//! every pattern is made only over the part of the line in view, plus a margin. The pieces
//! remember how far along the whole line they start, so that the pattern stays put on the
//! map while it pans instead of restarting at the edge of the view.
//!
//! Hand-written rather than geo's `BooleanOps::clip`: the clip region is always an
//! axis-aligned rectangle in screen pixels, for which Liang–Barsky is a few lines, runs on the
//! `Pos2` points the painter already has, allocates only the output, and needs no conversion
//! to and from `geo` types every frame.

use egui::{Pos2, Rect, pos2};

/// A piece of a polyline inside the clip rectangle.
#[derive(Clone, Debug, PartialEq)]
pub struct Run {
    pub points: Vec<Pos2>,
    /// How far (pixels) along the whole polyline the piece starts.
    pub start: f64,
}

/// Where the segment `a`–`b` enters and leaves `rect`, as fractions of its length
/// (Liang–Barsky); `None` when it misses the rectangle.
fn clip_segment(a: Pos2, b: Pos2, rect: Rect) -> Option<(f32, f32)> {
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let mut t0 = 0.0f32;
    let mut t1 = 1.0f32;
    // Each edge as p·t ≤ q.
    for (p, q) in [
        (-dx, a.x - rect.left()),
        (dx, rect.right() - a.x),
        (-dy, a.y - rect.top()),
        (dy, rect.bottom() - a.y),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let t = q / p;
            if p < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
        }
    }
    (t0 <= t1).then_some((t0, t1))
}

/// The pieces of a polyline inside `rect`, in order along it.
pub fn clip_polyline(points: &[Pos2], rect: Rect) -> Vec<Run> {
    let mut runs: Vec<Run> = Vec::new();
    let mut along = 0.0f64;
    // Whether the last run is still open (its end is the previous segment's end, in view).
    let mut open = false;
    for w in points.windows(2) {
        let (a, b) = (w[0], w[1]);
        let length = f64::from((b - a).length());
        match clip_segment(a, b, rect) {
            Some((t0, t1)) => {
                // The ends themselves where the segment is not cut: `a + (b - a)` may round
                // off `b`, and egui rounds a dash to the pixel grid only when its two ends
                // are exactly level or plumb.
                let enter = if t0 == 0.0 { a } else { a + (b - a) * t0 };
                let leave = if t1 == 1.0 { b } else { a + (b - a) * t1 };
                if !(open && t0 == 0.0) {
                    runs.push(Run {
                        points: vec![enter],
                        start: along + f64::from(t0) * length,
                    });
                }
                if let Some(run) = runs.last_mut() {
                    run.points.push(leave);
                }
                open = t1 == 1.0;
            }
            None => open = false,
        }
        along += length;
    }
    runs
}

/// The segments of a hatching of "/" strokes `spacing` pixels apart inside `rings` (even-odd:
/// holes stay clear), within `rect`. The strokes are the lines x + y = phase + k·spacing, so
/// that a phase taken from the map's position keeps them fixed to the map.
pub fn hatch(rings: &[Vec<Pos2>], rect: Rect, spacing: f32, phase: f32) -> Vec<[Pos2; 2]> {
    let spacing = spacing.max(1.0);
    // The strokes that cross the rectangle.
    let first = ((rect.left() + rect.top() - phase) / spacing).ceil() as i64;
    let last = ((rect.right() + rect.bottom() - phase) / spacing).floor() as i64;
    if last < first {
        return Vec::new();
    }
    let c_of = |k: i64| phase + k as f32 * spacing;
    // Per stroke, where the ring edges cross it (as x).
    let mut crossings: Vec<Vec<f32>> = vec![Vec::new(); (last - first + 1) as usize];
    for ring in rings {
        for w in ring.windows(2) {
            let (p, q) = (w[0], w[1]);
            let (up, uq) = (p.x + p.y, q.x + q.y);
            if up == uq {
                continue;
            }
            let lo = ((up.min(uq) - phase) / spacing).ceil() as i64;
            let hi = ((up.max(uq) - phase) / spacing).floor() as i64;
            for k in lo.max(first)..=hi.min(last) {
                let c = c_of(k);
                // Half-open, so that a vertex on a stroke counts once.
                if (up <= c) != (uq <= c) {
                    let t = (c - up) / (uq - up);
                    crossings[(k - first) as usize].push(p.x + t * (q.x - p.x));
                }
            }
        }
    }
    let mut out = Vec::new();
    for (i, xs) in crossings.iter_mut().enumerate() {
        let c = c_of(first + i as i64);
        xs.sort_by(f32::total_cmp);
        // On the stroke, y = c − x; the rectangle bounds x on both counts.
        let x_min = rect.left().max(c - rect.bottom());
        let x_max = rect.right().min(c - rect.top());
        for pair in xs.chunks_exact(2) {
            let (x0, x1) = (pair[0].max(x_min), pair[1].min(x_max));
            if x0 < x1 {
                out.push([pos2(x0, c - x0), pos2(x1, c - x1)]);
            }
        }
    }
    out
}

/// Calls `at` with each position `spacing` pixels apart along the runs, on the grid that starts
/// at the whole line's start shifted by `offset`: dots (or chevrons) that stay put while the
/// line is panned and clipped.
pub fn along(runs: &[Run], spacing: f32, offset: f32, mut at: impl FnMut(Pos2, egui::Vec2)) {
    let spacing = f64::from(spacing.max(0.5));
    for run in runs {
        // The first grid position at or after the run's start.
        let k = ((run.start - f64::from(offset)) / spacing).ceil();
        let mut next = (k * spacing + f64::from(offset) - run.start) as f32;
        for w in run.points.windows(2) {
            let (a, b) = (w[0], w[1]);
            let length = (b - a).length();
            if length <= f32::EPSILON {
                continue;
            }
            let dir = (b - a) / length;
            while next <= length {
                at(a + dir * next, dir);
                next += spacing as f32;
            }
            next -= length;
        }
    }
}

/// The dash offset for egui's dash painter, which starts each piece with a dash at that offset:
/// the pattern `dash`+`gap` then lines up with the one along the whole line.
pub fn dash_offset(run_start: f64, dash: f32, gap: f32) -> f32 {
    let period = f64::from((dash + gap).max(0.5));
    ((period - run_start.rem_euclid(period)) % period) as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rect() -> Rect {
        Rect::from_min_max(pos2(0.0, 0.0), pos2(100.0, 100.0))
    }

    #[test]
    fn a_line_through_the_view_keeps_only_its_part_inside() {
        let runs = clip_polyline(&[pos2(-100.0, 50.0), pos2(300.0, 50.0)], rect());
        assert_eq!(
            runs,
            vec![Run {
                points: vec![pos2(0.0, 50.0), pos2(100.0, 50.0)],
                start: 100.0,
            }]
        );
    }

    #[test]
    fn a_line_that_leaves_and_comes_back_gives_two_pieces_with_their_distances() {
        // In, out to the right, back in, ending inside.
        let pts = [
            pos2(50.0, 10.0),
            pos2(150.0, 10.0),
            pos2(150.0, 90.0),
            pos2(50.0, 90.0),
        ];
        let runs = clip_polyline(&pts, rect());
        assert_eq!(runs.len(), 2);
        assert_eq!(runs[0].points, vec![pos2(50.0, 10.0), pos2(100.0, 10.0)]);
        assert_eq!(runs[0].start, 0.0);
        assert_eq!(runs[1].points, vec![pos2(100.0, 90.0), pos2(50.0, 90.0)]);
        assert_eq!(runs[1].start, 100.0 + 80.0 + 50.0);
        // Wholly inside: one piece, every vertex kept.
        let inside = [pos2(1.0, 1.0), pos2(50.0, 50.0), pos2(99.0, 2.0)];
        let runs = clip_polyline(&inside, rect());
        assert_eq!(runs.len(), 1);
        assert_eq!(runs[0].points, inside.to_vec());
        // Wholly outside, even with its box around the view: nothing.
        let around = [pos2(-10.0, -10.0), pos2(110.0, -10.0), pos2(110.0, 110.0)];
        assert!(clip_polyline(&around, rect()).is_empty());
    }

    #[test]
    fn the_pieces_of_a_line_a_million_pixels_long_stay_as_small_as_the_view() {
        // What a corridor is at a street-level zoom: the dots made over the clipped line
        // are as many as the view holds, not as the line is long.
        let pts = [pos2(-1.0e6, 30.0), pos2(1.0e6, 70.0)];
        let runs = clip_polyline(&pts, rect());
        let mut dots = 0;
        along(&runs, 10.0, 0.0, |_, _| dots += 1);
        assert!((10..=11).contains(&dots), "{dots} dots");
    }

    #[test]
    fn patterns_stay_on_the_map_when_the_view_cuts_the_line_elsewhere() {
        let line = [pos2(-33.0, 50.0), pos2(300.0, 50.0)];
        let all: Vec<f32> = {
            let mut v = Vec::new();
            along(
                &clip_polyline(
                    &line,
                    Rect::from_min_max(pos2(-50.0, 0.0), pos2(400.0, 100.0)),
                ),
                7.0,
                0.0,
                |p, _| v.push(p.x),
            );
            v
        };
        let mut cut = Vec::new();
        along(&clip_polyline(&line, rect()), 7.0, 0.0, |p, _| {
            cut.push(p.x)
        });
        let expected: Vec<f32> = all
            .iter()
            .copied()
            .filter(|x| (0.0..=100.0).contains(x))
            .collect();
        assert_eq!(cut.len(), expected.len());
        for (a, b) in cut.iter().zip(&expected) {
            assert!((a - b).abs() < 1e-3, "{cut:?} vs {expected:?}");
        }
        // A dash offset puts a dash start on the whole line's grid.
        assert_eq!(dash_offset(0.0, 6.0, 4.0), 0.0);
        assert!((dash_offset(13.0, 6.0, 4.0) - 7.0).abs() < 1e-6);
    }

    #[test]
    fn hatching_fills_a_square_and_leaves_its_hole_clear() {
        let ring =
            |a: f32, b: f32| vec![pos2(a, a), pos2(b, a), pos2(b, b), pos2(a, b), pos2(a, a)];
        let outer = ring(10.0, 90.0);
        let segs = hatch(std::slice::from_ref(&outer), rect(), 10.0, 0.0);
        // Strokes x + y = 30, 40, …, 170 cross the square (20 and 180 only touch a corner).
        assert_eq!(segs.len(), 15);
        for [a, b] in &segs {
            for p in [a, b] {
                assert!((10.0 - 1e-3..=90.0 + 1e-3).contains(&p.x), "{p:?}");
                assert!((10.0 - 1e-3..=90.0 + 1e-3).contains(&p.y), "{p:?}");
            }
        }
        let with_hole = hatch(&[outer, ring(40.0, 60.0)], rect(), 10.0, 0.0);
        let centre = pos2(50.0, 50.0);
        assert!(
            !with_hole.iter().any(|[a, b]| {
                // Does the segment pass through the hole's centre?
                (a.x + a.y - 100.0).abs() < 1e-3
                    && a.x.min(b.x) < centre.x
                    && centre.x < a.x.max(b.x)
            }),
            "the hole is left clear"
        );
        // Only what the view shows is hatched, however large the polygon.
        let huge = ring(-1.0e6, 1.0e6);
        let segs = hatch(&[huge], rect(), 10.0, 0.0);
        assert_eq!(segs.len(), 19, "strokes 10 … 190 cross the view");
        for [a, b] in &segs {
            assert!(rect().expand(1e-3).contains(*a) && rect().expand(1e-3).contains(*b));
        }
    }
}
