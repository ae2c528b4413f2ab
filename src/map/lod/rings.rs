//! The compact form of a level's geometry: its lines' positions one after another in one
//! slice, as `f32` offsets from one origin in normalized Mercator where the level is small,
//! and a fill's triangles as the narrowest indices that fit.
//!
//! A large data layer is mostly these (50,000 polygons of 20 vertices: the `f64` positions
//! each in a vector of their own, and `u32` indices, took 28 MB of the app's 133 MB peak
//! heap, heaptrack). An `f32` offset keeps 24 bits of the level's extent: a level that
//! spans less than [`NEAR_EXTENT`] (1/1024 of the world, 39 km) is then exact to a millimetre,
//! under a hundredth of a pixel even at zoom 20 (see the tests). Larger levels (the plan's
//! corridors, the basemap's shores: a few hundred items) keep their `f64` positions: stored
//! as `f32` they would come out a rounding of a screen coordinate apart, and the map's golden
//! image tells. What needs exact coordinates (snapping to a plan feature's vertex) goes
//! back to the item's lon/lat geometry.

use super::super::scene::Merc;

/// Levels spanning less than this (normalized Mercator, both ways) keep `f32` offsets.
pub const NEAR_EXTENT: f64 = 1.0 / 1024.0;

/// A level's lines (the lines, then the polygons' rings), in normalized Mercator.
#[derive(Clone, Debug)]
pub struct Lines {
    positions: Store,
    /// Where each line ends in `positions`; empty when there is one line (most items: one
    /// ring), which then takes them all.
    ends: Box<[u32]>,
}

impl Default for Lines {
    fn default() -> Self {
        Self {
            positions: Store::Exact(Box::default()),
            ends: Box::default(),
        }
    }
}

#[derive(Clone, Debug)]
enum Store {
    Exact(Box<[Merc]>),
    Near {
        origin: Merc,
        offsets: Box<[[f32; 2]]>,
    },
}

impl Lines {
    /// The lines given as Mercator positions: `lines` yields each line's positions (it is
    /// walked twice: once for the extent, once to store them).
    pub fn new<L, P>(lines: L) -> Self
    where
        L: Iterator<Item = P> + Clone,
        P: IntoIterator<Item = Merc>,
    {
        let (mut min, mut max) = ([f64::MAX; 2], [f64::MIN; 2]);
        let mut count = 0usize;
        let mut line_count = 0usize;
        for line in lines.clone() {
            line_count += 1;
            for m in line {
                count += 1;
                for k in 0..2 {
                    min[k] = min[k].min(m[k]);
                    max[k] = max[k].max(m[k]);
                }
            }
        }
        let one_line = line_count == 1 && count > 0;
        let mut ends = Vec::with_capacity(if one_line { 0 } else { line_count });
        let mut end_each = |len: usize| {
            if !one_line {
                ends.push(len as u32);
            }
        };
        let near = count > 0 && max[0] - min[0] < NEAR_EXTENT && max[1] - min[1] < NEAR_EXTENT;
        let positions = if near {
            let origin = [(min[0] + max[0]) / 2.0, (min[1] + max[1]) / 2.0];
            let mut offsets = Vec::with_capacity(count);
            for line in lines {
                offsets.extend(
                    line.into_iter()
                        .map(|m| [(m[0] - origin[0]) as f32, (m[1] - origin[1]) as f32]),
                );
                end_each(offsets.len());
            }
            Store::Near {
                origin,
                offsets: offsets.into_boxed_slice(),
            }
        } else {
            let mut exact = Vec::with_capacity(count);
            for line in lines {
                exact.extend(line);
                end_each(exact.len());
            }
            Store::Exact(exact.into_boxed_slice())
        };
        Self {
            positions,
            ends: ends.into_boxed_slice(),
        }
    }

    /// How many lines.
    pub fn len(&self) -> usize {
        if self.ends.is_empty() && self.vertex_count() > 0 {
            1
        } else {
            self.ends.len()
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The positions of all the lines together.
    pub fn vertex_count(&self) -> usize {
        match &self.positions {
            Store::Exact(p) => p.len(),
            Store::Near { offsets, .. } => offsets.len(),
        }
    }

    /// Whether the positions are kept as `f32` offsets (see [`NEAR_EXTENT`]).
    pub fn is_compact(&self) -> bool {
        matches!(self.positions, Store::Near { .. })
    }

    /// The lines, in order.
    pub fn iter(&self) -> LinesIter<'_> {
        LinesIter {
            lines: self,
            next: 0,
            start: 0,
        }
    }

    /// The lines from the `first`-th on (a fill's rings), in order.
    pub fn from_line(&self, first: usize) -> LinesIter<'_> {
        let mut iter = self.iter();
        for _ in 0..first {
            if iter.next().is_none() {
                break;
            }
        }
        iter
    }

    /// The positions of the lines from the `first`-th on, one line after the other.
    pub fn positions_from(&self, first: usize) -> Points<'_> {
        let start = match first {
            0 => 0,
            k => self
                .ends
                .get(k - 1)
                .map_or(self.vertex_count(), |&e| e as usize),
        };
        self.line(start.min(self.vertex_count()), self.vertex_count())
            .iter()
    }

    /// The positions `start..end`, as a line.
    fn line(&self, start: usize, end: usize) -> Line<'_> {
        Line(match &self.positions {
            Store::Exact(p) => Slice::Exact(&p[start..end]),
            Store::Near { origin, offsets } => Slice::Near(*origin, &offsets[start..end]),
        })
    }
}

impl<'a> IntoIterator for &'a Lines {
    type Item = Line<'a>;
    type IntoIter = LinesIter<'a>;

    fn into_iter(self) -> LinesIter<'a> {
        self.iter()
    }
}

/// The lines of a [`Lines`].
#[derive(Clone, Debug)]
pub struct LinesIter<'a> {
    lines: &'a Lines,
    /// The index of the next line.
    next: usize,
    /// Where it starts in the positions.
    start: usize,
}

impl<'a> Iterator for LinesIter<'a> {
    type Item = Line<'a>;

    fn next(&mut self) -> Option<Line<'a>> {
        if self.next >= self.lines.len() {
            return None;
        }
        let end = self
            .lines
            .ends
            .get(self.next)
            .map_or(self.lines.vertex_count(), |&e| e as usize);
        let line = self.lines.line(self.start, end);
        self.next += 1;
        self.start = end;
        Some(line)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.lines.len().saturating_sub(self.next);
        (left, Some(left))
    }
}

impl ExactSizeIterator for LinesIter<'_> {}

/// One line of a level: its positions in normalized Mercator.
#[derive(Clone, Copy, Debug)]
pub struct Line<'a>(Slice<'a>);

#[derive(Clone, Copy, Debug)]
enum Slice<'a> {
    Exact(&'a [Merc]),
    Near(Merc, &'a [[f32; 2]]),
}

impl<'a> Line<'a> {
    pub fn len(&self) -> usize {
        match self.0 {
            Slice::Exact(p) => p.len(),
            Slice::Near(_, o) => o.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The `k`-th position.
    pub fn get(&self, k: usize) -> Option<Merc> {
        match self.0 {
            Slice::Exact(p) => p.get(k).copied(),
            Slice::Near(origin, o) => o.get(k).map(|&o| at(origin, o)),
        }
    }

    pub fn iter(&self) -> Points<'a> {
        Points(match self.0 {
            Slice::Exact(p) => PointsOf::Exact(p.iter()),
            Slice::Near(origin, o) => PointsOf::Near(origin, o.iter()),
        })
    }

    /// Each segment's two ends, in order.
    pub fn segments(&self) -> impl Iterator<Item = (Merc, Merc)> + 'a {
        let mut points = self.iter();
        let mut previous = points.next();
        points.map(move |m| {
            let start = previous.replace(m).unwrap_or(m);
            (start, m)
        })
    }
}

impl<'a> IntoIterator for Line<'a> {
    type Item = Merc;
    type IntoIter = Points<'a>;

    fn into_iter(self) -> Points<'a> {
        self.iter()
    }
}

/// The positions of a line, in normalized Mercator.
#[derive(Clone, Debug)]
pub struct Points<'a>(PointsOf<'a>);

#[derive(Clone, Debug)]
enum PointsOf<'a> {
    Exact(std::slice::Iter<'a, Merc>),
    Near(Merc, std::slice::Iter<'a, [f32; 2]>),
}

impl Iterator for Points<'_> {
    type Item = Merc;

    #[inline]
    fn next(&mut self) -> Option<Merc> {
        match &mut self.0 {
            PointsOf::Exact(p) => p.next().copied(),
            PointsOf::Near(origin, o) => o.next().map(|&o| at(*origin, o)),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match &self.0 {
            PointsOf::Exact(p) => p.size_hint(),
            PointsOf::Near(_, o) => o.size_hint(),
        }
    }
}

impl DoubleEndedIterator for Points<'_> {
    fn next_back(&mut self) -> Option<Merc> {
        match &mut self.0 {
            PointsOf::Exact(p) => p.next_back().copied(),
            PointsOf::Near(origin, o) => o.next_back().map(|&o| at(*origin, o)),
        }
    }
}

impl ExactSizeIterator for Points<'_> {}

#[inline]
fn at(origin: Merc, o: [f32; 2]) -> Merc {
    [origin[0] + f64::from(o[0]), origin[1] + f64::from(o[1])]
}

/// A fill's triangles, three vertex indices each, in the narrowest type that holds its
/// largest index: a polygon of 20 vertices needs a byte an index, not four.
#[derive(Clone, Debug)]
pub enum Indices {
    U8(Box<[u8]>),
    U16(Box<[u16]>),
    U32(Box<[u32]>),
}

impl Default for Indices {
    fn default() -> Self {
        Self::U8(Box::default())
    }
}

impl Indices {
    pub fn new(indices: Vec<u32>) -> Self {
        let max = indices.iter().copied().max().unwrap_or(0);
        if u8::try_from(max).is_ok() {
            Self::U8(indices.into_iter().map(|i| i as u8).collect())
        } else if u16::try_from(max).is_ok() {
            Self::U16(indices.into_iter().map(|i| i as u16).collect())
        } else {
            Self::U32(indices.into_boxed_slice())
        }
    }

    pub fn len(&self) -> usize {
        match self {
            Self::U8(v) => v.len(),
            Self::U16(v) => v.len(),
            Self::U32(v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The indices, in order.
    pub fn iter(&self) -> IndicesIter<'_> {
        IndicesIter {
            indices: self,
            next: 0,
        }
    }

    fn get(&self, k: usize) -> Option<u32> {
        match self {
            Self::U8(v) => v.get(k).map(|&i| u32::from(i)),
            Self::U16(v) => v.get(k).map(|&i| u32::from(i)),
            Self::U32(v) => v.get(k).copied(),
        }
    }
}

/// The indices of an [`Indices`], as `u32`.
#[derive(Clone, Debug)]
pub struct IndicesIter<'a> {
    indices: &'a Indices,
    next: usize,
}

impl Iterator for IndicesIter<'_> {
    type Item = u32;

    #[inline]
    fn next(&mut self) -> Option<u32> {
        let i = self.indices.get(self.next)?;
        self.next += 1;
        Some(i)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.indices.len().saturating_sub(self.next);
        (left, Some(left))
    }
}

impl ExactSizeIterator for IndicesIter<'_> {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::map::scene::merc;
    use geo::Coord;

    /// The largest distance between each position and its stored form, in normalized
    /// Mercator, for lines given in lon/lat.
    fn worst_error(lines: &[Vec<(f64, f64)>]) -> (f64, Lines) {
        let mercs: Vec<Vec<Merc>> = lines
            .iter()
            .map(|l| l.iter().map(|&(x, y)| merc(Coord { x, y })).collect())
            .collect();
        let stored = Lines::new(mercs.iter().map(|l| l.iter().copied()));
        let mut worst = 0.0f64;
        assert_eq!(stored.len(), mercs.len());
        for (line, exact) in stored.iter().zip(&mercs) {
            assert_eq!(line.len(), exact.len());
            for (m, e) in line.iter().zip(exact) {
                worst = worst.max((m[0] - e[0]).abs()).max((m[1] - e[1]).abs());
            }
        }
        (worst, stored)
    }

    /// A normalized Mercator unit at zoom `z`, in screen pixels.
    fn px_per_unit(z: i32) -> f64 {
        256.0 * 2f64.powi(z)
    }

    #[test]
    fn a_small_item_round_trips_within_a_tenth_of_a_millimetre() {
        // A parcel some 1 km across near Shanghai, two rings.
        let ring = |d: f64| {
            vec![
                (121.47 + d, 31.23 + d),
                (121.48 - d, 31.23 + d),
                (121.48 - d, 31.24 - d),
                (121.47 + d, 31.24 - d),
                (121.47 + d, 31.23 + d),
            ]
        };
        let (worst, stored) = worst_error(&[ring(0.0), ring(0.002)]);
        assert!(stored.is_compact());
        // The world is 40,075 km a unit: 1e-4 m is 2.5e-12 units.
        assert!(worst < 2.5e-12, "{worst}");
        assert_eq!(stored.vertex_count(), 10);
        assert_eq!(stored.from_line(1).count(), 1);
        assert_eq!(stored.positions_from(1).count(), 5);
        assert_eq!(
            stored.positions_from(1).next(),
            stored.iter().nth(1).and_then(|l| l.get(0))
        );
    }

    #[test]
    fn a_level_up_to_39_km_across_round_trips_within_a_hundredth_of_a_pixel_at_zoom_20() {
        // A wavy outline just under 1/1024 of the world across (0.35° of longitude).
        let outline: Vec<(f64, f64)> = (0..=4000)
            .map(|k| {
                let a = std::f64::consts::TAU * f64::from(k % 4000) / 4000.0;
                let r = 0.17 * (1.0 + 0.02 * (9.0 * a).sin());
                (121.0 + r * a.cos(), 31.0 + 0.8 * r * a.sin())
            })
            .collect();
        let (worst, stored) = worst_error(&[outline]);
        assert!(stored.is_compact());
        assert!(
            worst * px_per_unit(20) < 0.01,
            "{}",
            worst * px_per_unit(20)
        );
        // A millimetre: 40,075 km a unit.
        assert!(worst * 40_075_000.0 < 0.001, "{} m", worst * 40_075_000.0);
        assert_eq!(stored.len(), 1);
        assert_eq!(
            stored.iter().next().map(|l| l.segments().count()),
            Some(4000)
        );
    }

    #[test]
    fn a_larger_level_keeps_its_exact_positions() {
        // From Nantong to Jiaxing and Huzhou and out to sea: 4° by 3°.
        let outline: Vec<(f64, f64)> = (0..=400)
            .map(|k| {
                let a = std::f64::consts::TAU * f64::from(k % 400) / 400.0;
                (121.0 + 2.0 * a.cos(), 31.0 + 1.5 * a.sin())
            })
            .collect();
        let (worst, stored) = worst_error(&[outline]);
        assert!(!stored.is_compact());
        assert_eq!(worst, 0.0);
    }

    #[test]
    fn no_lines_and_empty_lines_are_kept_as_such() {
        let none = Lines::new(std::iter::empty::<Vec<Merc>>());
        assert!(none.is_empty() && none.vertex_count() == 0);
        assert_eq!(none.positions_from(0).count(), 0);
        let lines = [vec![[0.5, 0.5], [0.6, 0.5]], vec![], vec![[0.7, 0.7]]];
        let stored = Lines::new(lines.iter().map(|l| l.iter().copied()));
        let lens: Vec<usize> = stored.iter().map(|l| l.len()).collect();
        assert_eq!(lens, [2, 0, 1]);
        let last = stored.from_line(2).next().and_then(|l| l.get(0));
        assert!(last.is_some_and(|m| (m[0] - 0.7).abs() < 1e-8 && (m[1] - 0.7).abs() < 1e-8));
        let one_empty = Lines::new(std::iter::once(Vec::<Merc>::new()));
        assert_eq!(one_empty.len(), 1);
        assert_eq!(stored.from_line(5).count(), 0);
        assert_eq!(stored.positions_from(9).count(), 0);
    }

    #[test]
    fn indices_take_the_narrowest_type_and_give_back_the_same_values() {
        for (values, width) in [
            (vec![0u32, 1, 2, 2, 3, 255], 1),
            (vec![0, 256, 65_535], 2),
            (vec![0, 65_536, 7], 4),
            (vec![], 1),
        ] {
            let stored = Indices::new(values.clone());
            let got = match &stored {
                Indices::U8(_) => 1,
                Indices::U16(_) => 2,
                Indices::U32(_) => 4,
            };
            assert_eq!(got, width, "{values:?}");
            assert_eq!(stored.iter().collect::<Vec<u32>>(), values);
            assert_eq!(stored.len(), values.len());
        }
    }
}
