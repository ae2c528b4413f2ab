//! Levels of detail: an item's geometry simplified once, at a few tolerances, so that a frame
//! draws about a vertex per pixel however large the data (see [`super::scene::Item::lod_for`]).
//!
//! Plan features and the basemap (up to some 25,000 vertices) get three coarser levels, each
//! simplified from the original with topology kept (Visvalingam–Whyatt, `SimplifyVwPreserve`).
//! A huge geometry (a digitized outline of hundreds of thousands of vertices) gets finer levels
//! too, so that zoomed in it is still not drawn whole. Its levels are made one from the one
//! before by thinning, in one pass: the vertices closer than the tolerance to the last one kept
//! go, as renderers such as QGIS's simplify to the pixel. A level is drawn only where its
//! tolerance is under 0.7 px, so the thinning moves the outline by less than 0.7 px there (each
//! frame then drops the vertices within 0.9 px of the last one drawn anyway, see
//! `MapFrame::screen_line`); Visvalingam's better choice of vertices would not show, and its
//! topology check costs an R-tree update per vertex removed, which for 400,000 vertices took
//! seconds per level. A huge
//! geometry's fills are triangulated when first drawn: the finest levels are used only zoomed
//! far in, and earcut takes about a second on 400,000 vertices.

use std::sync::OnceLock;

use geo::{BoundingRect, Coord, Geometry, LineString, MultiPolygon, Polygon, SimplifyVwPreserve};

use super::scene::{Merc, merc};

mod rings;
pub use rings::{Indices, IndicesIter, Line, Lines, LinesIter, Points};

/// A triangulated fill. Its triangles index the vertices of the level's polygon rings (the
/// lines from `first_ring` on, one after the other), which the outlines draw too: the
/// vertices are kept once.
#[derive(Clone, Debug, Default)]
pub struct FillMesh {
    pub first_ring: usize,
    /// How many rings (outer ring and holes) each polygon has, in order; empty when each
    /// has one (most fills: no allocation for them).
    rings_per_polygon: Box<[u32]>,
    /// Made when the level is prepared, or, for a huge geometry, when it is first drawn: its
    /// finest levels may never be (earcut takes a second on 400,000 vertices).
    indices: OnceLock<Indices>,
}

impl FillMesh {
    /// The vertices the indices refer to.
    pub fn vertices<'a>(&self, lod: &'a Lod) -> Points<'a> {
        lod.lines.positions_from(self.first_ring)
    }

    /// The triangles, three vertex indices each; `lod` is the level the mesh belongs to.
    pub fn indices(&self, lod: &Lod) -> &Indices {
        self.indices
            .get_or_init(|| Indices::new(triangulate(&self.polygons_in(lod))))
    }

    /// The level's polygons, in normalized Mercator (triangulated as drawn).
    fn polygons_in(&self, lod: &Lod) -> Vec<Polygon<f64>> {
        let ring = |r: Line<'_>| LineString(r.iter().map(|m| Coord { x: m[0], y: m[1] }).collect());
        let mut rings = lod.lines.from_line(self.first_ring);
        let counts: Vec<u32> = if self.rings_per_polygon.is_empty() {
            vec![1; rings.len()]
        } else {
            self.rings_per_polygon.to_vec()
        };
        counts
            .iter()
            .map(|&n| {
                let mut own = rings.by_ref().take(n as usize).map(ring);
                let exterior = own.next().unwrap_or_else(|| LineString(Vec::new()));
                Polygon::new(exterior, own.collect())
            })
            .collect()
    }
}

/// One level of detail of an item's geometry.
#[derive(Clone, Debug, Default)]
pub struct Lod {
    /// The simplification tolerance in degrees; 0 for the original geometry.
    pub tolerance_deg: f64,
    pub fill: Option<FillMesh>,
    /// The lines, then the polygons' rings.
    pub lines: Lines,
}

/// Coarser levels are only made for geometries with more vertices than this.
const LOD_MIN_VERTICES: usize = 400;
const LOD_TOLERANCES_DEG: [f64; 3] = [0.0015, 0.005, 0.015];
/// Geometries with more vertices than this are huge: finer levels, made one from another.
/// Above the basemap's land (25,600 vertices in one item), which keeps its Visvalingam levels.
pub const HUGE_VERTICES: usize = 30_000;
/// About a pixel at zoom 14, 12 and 11 (5, 15 and 50 m).
const HUGE_FINE_TOLERANCES_DEG: [f64; 3] = [0.00005, 0.00015, 0.0005];

/// The levels of an item's lines and polygons (with `vertex_count` vertices in all), finest
/// first; polygons are triangulated when `filled`.
pub(super) fn levels(
    lines: Vec<LineString<f64>>,
    polygons: Vec<Polygon<f64>>,
    vertex_count: usize,
    filled: bool,
) -> Vec<Lod> {
    let huge = vertex_count > HUGE_VERTICES;
    let mut lods = vec![lod(&lines, &polygons, 0.0, filled, !huge)];
    if vertex_count <= LOD_MIN_VERTICES {
        return lods;
    }
    if !huge {
        for tolerance in LOD_TOLERANCES_DEG {
            let (lines, polys) = simplified(&lines, &polygons, tolerance);
            lods.push(lod(&lines, &polys, tolerance, filled, true));
        }
        return lods;
    }
    let (mut lines, mut polygons) = (lines, polygons);
    for tolerance in HUGE_FINE_TOLERANCES_DEG
        .into_iter()
        .chain(LOD_TOLERANCES_DEG)
    {
        let radius = tolerance;
        lines = lines.iter().map(|l| thinned(l, radius)).collect();
        polygons = polygons
            .iter()
            .filter(|p| {
                p.bounding_rect()
                    .is_some_and(|r| r.width().max(r.height()) > tolerance)
            })
            .map(|p| thinned_polygon(p, radius))
            .collect();
        lods.push(lod(&lines, &polygons, tolerance, filled, false));
    }
    lods
}

/// The polygon with each ring [`thinned`].
pub(super) fn thinned_polygon(p: &Polygon<f64>, radius: f64) -> Polygon<f64> {
    Polygon::new(
        thinned(p.exterior(), radius),
        p.interiors().iter().map(|r| thinned(r, radius)).collect(),
    )
}

/// Lines and polygons simplified to `tolerance`, topology kept; polygons smaller than it go.
fn simplified(
    lines: &[LineString<f64>],
    polygons: &[Polygon<f64>],
    tolerance: f64,
) -> (Vec<LineString<f64>>, Vec<Polygon<f64>>) {
    let lines = lines
        .iter()
        .map(|l| l.simplify_vw_preserve(tolerance * tolerance))
        .collect();
    let polys = MultiPolygon(polygons.to_vec()).simplify_vw_preserve(tolerance * tolerance);
    let polys = polys
        .0
        .into_iter()
        .filter(|p| {
            p.bounding_rect()
                .is_some_and(|r| r.width().max(r.height()) > tolerance)
        })
        .collect();
    (lines, polys)
}

/// The line without the vertices closer than `radius` to the last one kept (its ends are
/// kept): it stays within `radius` of the original. A ring that would fall below four
/// positions is kept whole (it is smaller than the tolerance, and dropped with its polygon).
fn thinned(line: &LineString<f64>, radius: f64) -> LineString<f64> {
    let Some((&last, rest)) = line.0.split_last() else {
        return line.clone();
    };
    let r2 = radius * radius;
    let mut out: Vec<Coord<f64>> = Vec::with_capacity(line.0.len() / 4 + 2);
    for &c in rest {
        match out.last() {
            Some(k) if (c.x - k.x).powi(2) + (c.y - k.y).powi(2) < r2 => {}
            _ => out.push(c),
        }
    }
    out.push(last);
    if line.is_closed() && out.len() < 4 {
        return line.clone();
    }
    LineString(out)
}

/// The geometry simplified to the pixel of a drawing at `px_deg` degrees of longitude a
/// pixel (an export): Douglas–Peucker with a tolerance of one pixel (in Web Mercator, where
/// a degree of latitude is `1 / cos(lat)` times longer), as QGIS simplifies its drawing by
/// default. Vertices within a pixel of the outline cost triangles and show nothing; a
/// polygon's notches shallower than a pixel go too. A ring that would fall below a triangle
/// is kept whole (it is less than a pixel across, and drawn as a dot).
pub fn simplified_to_pixel(g: Geometry<f64>, px_deg: f64) -> Geometry<f64> {
    let Some(r) = g.bounding_rect() else {
        return g;
    };
    let lat = r.min().y.abs().max(r.max().y.abs()).min(85.0);
    let epsilon = px_deg * lat.to_radians().cos();
    let line = |l: &LineString<f64>| douglas_peucker(l, epsilon);
    let polygon = |p: &Polygon<f64>| {
        Polygon::new(line(p.exterior()), p.interiors().iter().map(line).collect())
    };
    match g {
        Geometry::LineString(l) => Geometry::LineString(line(&l)),
        Geometry::MultiLineString(m) => Geometry::MultiLineString(m.0.iter().map(line).collect()),
        Geometry::Polygon(p) => Geometry::Polygon(polygon(&p)),
        Geometry::MultiPolygon(m) => Geometry::MultiPolygon(m.0.iter().map(polygon).collect()),
        Geometry::GeometryCollection(c) => Geometry::GeometryCollection(
            c.0.into_iter()
                .map(|g| simplified_to_pixel(g, px_deg))
                .collect(),
        ),
        other => other,
    }
}

/// Douglas–Peucker: the line with only the vertices more than `epsilon` from the simplified
/// line kept; a closed ring is first split at its vertex farthest from its start. Written out
/// rather than geo's `Simplify`, which allocates at every step of its recursion and measured
/// ten times slower than thinning on a 1M-vertex layer (a seventh of an export's instructions, callgrind).
fn douglas_peucker(line: &LineString<f64>, epsilon: f64) -> LineString<f64> {
    let c = &line.0;
    let n = c.len();
    if n <= 2 {
        return line.clone();
    }
    let d2 = |a: Coord<f64>, b: Coord<f64>| (a.x - b.x).powi(2) + (a.y - b.y).powi(2);
    let mut keep = vec![false; n];
    keep[0] = true;
    keep[n - 1] = true;
    let mut stack: Vec<(usize, usize)> = Vec::with_capacity(16);
    if line.is_closed() {
        let far = (1..n - 1).fold(1, |f, i| {
            if d2(c[i], c[0]) > d2(c[f], c[0]) {
                i
            } else {
                f
            }
        });
        keep[far] = true;
        stack.extend([(0, far), (far, n - 1)]);
    } else {
        stack.push((0, n - 1));
    }
    let e2 = epsilon * epsilon;
    while let Some((a, b)) = stack.pop() {
        let (p, q) = (c[a], c[b]);
        let (dx, dy) = (q.x - p.x, q.y - p.y);
        let length2 = dx * dx + dy * dy;
        // The vertex farthest from the segment p–q, squared.
        let (mut far, mut most) = (0, e2);
        for (i, &v) in c.iter().enumerate().take(b).skip(a + 1) {
            let t = if length2 > 0.0 {
                (((v.x - p.x) * dx + (v.y - p.y) * dy) / length2).clamp(0.0, 1.0)
            } else {
                0.0
            };
            let d = d2(
                v,
                Coord {
                    x: p.x + t * dx,
                    y: p.y + t * dy,
                },
            );
            if d > most {
                (far, most) = (i, d);
            }
        }
        if far > 0 {
            keep[far] = true;
            stack.extend([(a, far), (far, b)]);
        }
    }
    let kept: Vec<Coord<f64>> = c
        .iter()
        .zip(&keep)
        .filter(|(_, k)| **k)
        .map(|(v, _)| *v)
        .collect();
    if line.is_closed() && kept.len() < 4 {
        return line.clone();
    }
    LineString(kept)
}

/// One level: the lines, then the polygons' rings, in normalized Mercator; the polygons'
/// fill is triangulated now when `eager`, else when first drawn.
fn lod(
    lines: &[LineString<f64>],
    polygons: &[Polygon<f64>],
    tolerance_deg: f64,
    filled: bool,
    eager: bool,
) -> Lod {
    let rings = || {
        polygons
            .iter()
            .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
    };
    // Each position projected once, into a scratch list, then stored compactly.
    let all = || lines.iter().chain(rings());
    let positions: Vec<Merc> = all().flat_map(|l| l.0.iter().map(|c| merc(*c))).collect();
    let mut start = 0;
    let slices: Vec<&[Merc]> = all()
        .map(|l| {
            let line = &positions[start..start + l.0.len()];
            start += l.0.len();
            line
        })
        .collect();
    let mut out = Lod {
        tolerance_deg,
        fill: None,
        lines: Lines::new(slices.iter().map(|l| l.iter().copied())),
    };
    if filled && !polygons.is_empty() {
        let one_ring_each = polygons.iter().all(|p| p.interiors().is_empty());
        let mesh = FillMesh {
            first_ring: lines.len(),
            rings_per_polygon: if one_ring_each {
                Box::default()
            } else {
                polygons
                    .iter()
                    .map(|p| 1 + p.interiors().len() as u32)
                    .collect()
            },
            indices: OnceLock::new(),
        };
        if eager {
            let _ = mesh.indices.set(Indices::new(triangulate(polygons)));
        }
        out.fill = Some(mesh);
    }
    out
}

/// earcut's triangles of the polygons, as indices into their rings' vertices one ring after
/// the other, closing vertices counted.
fn triangulate(polygons: &[Polygon<f64>]) -> Vec<u32> {
    thread_local! {
        /// earcut's working lists (and the rings' starts), kept from polygon to polygon on each
        /// thread: geo's `earcut_triangles_raw`, which runs the same earcut on the same
        /// vertices, made them afresh, six allocations a polygon (for the 50,000 polygons of a
        /// 1M-vertex layer, a twentieth of its export's CPU time in the allocator).
        static EARCUT: std::cell::RefCell<Scratch> = std::cell::RefCell::default();
    }
    EARCUT.with_borrow_mut(|scratch| scratch.triangulate(polygons))
}

#[derive(Default)]
struct Scratch {
    earcut: earcut::Earcut<f64>,
    holes: Vec<usize>,
    triangles: Vec<usize>,
    /// Each ring's first vertex: among earcut's (closing vertices left out) and among the
    /// rings' own (closing vertices counted).
    starts: Vec<(usize, u32)>,
}

impl Scratch {
    fn triangulate(&mut self, polygons: &[Polygon<f64>]) -> Vec<u32> {
        let mut indices = Vec::new();
        // Where each ring starts among the ring vertices, counting closing vertices.
        let mut stored = 0u32;
        for p in polygons {
            let rings = || std::iter::once(p.exterior()).chain(p.interiors());
            if p.exterior().0.len() >= 4 {
                // earcut numbers each ring's vertices without the closing one, ring after ring.
                self.starts.clear();
                self.holes.clear();
                let (mut earcut_start, mut at) = (0usize, stored);
                for (k, r) in rings().enumerate() {
                    if k > 0 {
                        self.holes.push(earcut_start);
                    }
                    self.starts.push((earcut_start, at));
                    earcut_start += r.0.len().saturating_sub(1);
                    at += r.0.len() as u32;
                }
                let open = rings().flat_map(|r| {
                    let n = r.0.len().saturating_sub(1);
                    r.0[..n].iter().map(|c| [c.x, c.y])
                });
                self.earcut.earcut(open, &self.holes, &mut self.triangles);
                let starts = &self.starts;
                indices.extend(self.triangles.iter().map(|&i| {
                    let (e, s) = starts
                        .iter()
                        .rev()
                        .find(|(e, _)| *e <= i)
                        .copied()
                        .unwrap_or((0, stored));
                    s + (i - e) as u32
                }));
            }
            stored += rings().map(|r| r.0.len() as u32).sum::<u32>();
        }
        indices
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The triangles as geo's `earcut_triangles_raw` gives them, numbered as `triangulate`
    /// numbers them: what `triangulate` did before it kept earcut's lists.
    fn by_geo(polygons: &[Polygon<f64>]) -> Vec<u32> {
        use geo::TriangulateEarcut as _;
        let mut indices = Vec::new();
        let mut stored = 0u32;
        for p in polygons {
            let rings: Vec<&LineString<f64>> =
                std::iter::once(p.exterior()).chain(p.interiors()).collect();
            if p.exterior().0.len() >= 4 {
                let mut starts = Vec::new();
                let (mut earcut_start, mut at) = (0usize, stored);
                for r in &rings {
                    starts.push((earcut_start, at));
                    earcut_start += r.0.len().saturating_sub(1);
                    at += r.0.len() as u32;
                }
                let raw = p.earcut_triangles_raw();
                indices.extend(raw.triangle_indices.iter().map(|&i| {
                    let (e, s) = *starts.iter().rev().find(|(e, _)| *e <= i).unwrap();
                    s + (i - e) as u32
                }));
            }
            stored += rings.iter().map(|r| r.0.len() as u32).sum::<u32>();
        }
        indices
    }

    #[test]
    fn fills_are_the_triangles_geo_s_earcut_makes() {
        let ring = |cx: f64, r: f64, n: usize| {
            let mut pts: Vec<Coord<f64>> = (0..n)
                .map(|k| {
                    let a = std::f64::consts::TAU * k as f64 / n as f64;
                    let rr = if k % 3 == 0 { 0.55 * r } else { r };
                    Coord {
                        x: cx + rr * a.cos(),
                        y: 31.0 + rr * a.sin(),
                    }
                })
                .collect();
            pts.push(pts[0]);
            LineString(pts)
        };
        let polygons = vec![
            Polygon::new(ring(121.0, 0.01, 19), vec![]),
            // With two holes, after a degenerate polygon (too few vertices to fill).
            Polygon::new(LineString(vec![Coord { x: 0.0, y: 0.0 }; 3]), vec![]),
            Polygon::new(
                ring(121.5, 0.2, 40),
                vec![ring(121.45, 0.03, 9), ring(121.57, 0.03, 12)],
            ),
            Polygon::new(ring(122.0, 0.05, 7), vec![]),
        ];
        for n in 1..=polygons.len() {
            let ours = triangulate(&polygons[..n]);
            assert!(!ours.is_empty());
            assert_eq!(ours, by_geo(&polygons[..n]), "the first {n} polygon(s)");
        }
        // Kept lists give the same answer again.
        assert_eq!(triangulate(&polygons), by_geo(&polygons));
    }

    /// A wavy ring of `n` vertices about 0.2° across, jagged by a few metres.
    fn huge_ring(n: usize) -> Polygon<f64> {
        let ring: Vec<Coord<f64>> = (0..=n)
            .map(|k| {
                let a = std::f64::consts::TAU * (k % n) as f64 / n as f64;
                let r = 0.1 * (1.0 + 0.1 * (7.0 * a).sin()) * if k % 2 == 0 { 1.0 } else { 0.9997 };
                Coord {
                    x: 121.0 + r * a.cos(),
                    y: 31.0 + r * a.sin(),
                }
            })
            .collect();
        Polygon::new(LineString(ring), vec![])
    }

    #[test]
    fn a_huge_polygon_gets_fine_levels_each_coarser_and_about_a_vertex_per_tolerance() {
        let n = 100_000;
        let lods = levels(vec![], vec![huge_ring(n)], n + 1, true);
        let tolerances: Vec<f64> = lods.iter().map(|l| l.tolerance_deg).collect();
        assert_eq!(
            tolerances,
            [0.0, 0.00005, 0.00015, 0.0005, 0.0015, 0.005, 0.015]
        );
        let counts: Vec<usize> = lods
            .iter()
            .map(|l| l.lines.iter().next().map_or(0, |r| r.len()))
            .collect();
        assert_eq!(counts[0], n + 1);
        for (w, t) in counts.windows(2).zip(&tolerances[1..]) {
            assert!(w[1] < w[0], "each level is coarser: {counts:?}");
            // The outline is about 0.63° long: at most a vertex per tolerance is left.
            assert!((w[1] as f64) < 0.7 / t, "{t}: {counts:?}");
        }
        for l in &lods {
            let indices = l.fill.as_ref().unwrap().indices(l);
            assert!(!indices.is_empty() && indices.len() % 3 == 0);
        }
    }

    #[test]
    fn douglas_peucker_keeps_corners_and_notches_deeper_than_the_tolerance() {
        // A square 10 wide, each side in steps of 0.5, with a notch 2 deep in the bottom side
        // and a bump 0.5 high in the top side.
        let mut ring: Vec<Coord<f64>> = Vec::new();
        for i in 0..20 {
            let x = i as f64 * 0.5;
            let y = if (4.0..=6.0).contains(&x) {
                2.0 - (x - 5.0).abs()
            } else {
                0.0
            };
            ring.push(Coord { x, y });
        }
        ring.extend((0..20).map(|i| Coord {
            x: 10.0,
            y: i as f64 * 0.5,
        }));
        for i in 0..20 {
            let x = 10.0 - i as f64 * 0.5;
            let y = if (4.0..=6.0).contains(&x) {
                10.5 - 0.5 * (x - 5.0).abs()
            } else {
                10.0
            };
            ring.push(Coord { x, y });
        }
        ring.extend((0..=20).map(|i| Coord {
            x: 0.0,
            y: 10.0 - i as f64 * 0.5,
        }));
        let line = LineString(ring);
        let simple = douglas_peucker(&line, 1.0);
        assert!(simple.is_closed());
        let has = |x: f64, y: f64| simple.0.contains(&Coord { x, y });
        assert!(has(0.0, 0.0) && has(10.0, 0.0) && has(10.0, 10.0) && has(0.0, 10.0));
        assert!(
            has(5.0, 2.0),
            "the notch is deeper than the tolerance: {simple:?}"
        );
        assert!(!has(5.0, 10.5), "the bump is not");
        assert!(simple.0.len() <= 9, "{simple:?}");
        // Every vertex dropped is within the tolerance of the simplified ring.
        use geo::{Distance, Euclidean};
        for c in &line.0 {
            let d = simple
                .lines()
                .map(|l| Euclidean.distance(&geo::Point(*c), &l))
                .fold(f64::MAX, f64::min);
            assert!(d <= 1.0 + 1e-9, "{c:?} is {d} away");
        }
        let tiny = LineString::from(vec![(0.0, 0.0), (0.1, 0.0), (0.1, 0.1), (0.0, 0.0)]);
        assert_eq!(douglas_peucker(&tiny, 1.0), tiny, "a ring keeps a triangle");
    }

    #[test]
    fn thinning_keeps_the_ends_and_stays_within_the_radius() {
        let line = LineString::from(
            (0..=1000)
                .map(|i| (i as f64 * 0.001, 0.0))
                .collect::<Vec<_>>(),
        );
        let thin = thinned(&line, 0.0105);
        assert_eq!(thin.0.first(), line.0.first());
        assert_eq!(thin.0.last(), line.0.last());
        assert!(
            thin.0.windows(2).all(|w| w[1].x - w[0].x <= 0.0111),
            "{thin:?}"
        );
        assert!(thin.0.len() < 100);
        let tiny = huge_ring(8);
        assert_eq!(
            thinned(tiny.exterior(), 1.0),
            *tiny.exterior(),
            "a ring keeps four positions"
        );
    }
}
