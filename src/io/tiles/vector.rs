//! Vector tiles (MVT): decoded by `mvt-reader`, styled, and turned into triangles in the
//! tile's own coordinates (a [`VectorTile`]), once per tile and off the UI thread. Polygons are
//! cut into triangles by earcut (geo's); lines get a miter vector per point, so that the map
//! draws them a fixed number of points wide at any zoom by placing vertices, without
//! tessellating anything per frame.

use std::io::Read;

use geo::TriangulateEarcut;
use mvt_reader::Reader;
use mvt_reader::feature::Value;

use super::vector_style::{Draw, Rule, VectorStyle};
use super::{TileError, TileId};
use crate::model::tile_basemap::{VectorPaint, VectorTile};

/// A tile larger than this once unzipped is refused (a zip bomb, or not a tile).
const MAX_TILE_BYTES: u64 = 64 << 20;
/// A miter longer than this (a very sharp turn) is cut short.
const MAX_MITER: f32 = 3.0;

/// Decodes and styles a vector tile (gzip-compressed or not). A damaged tile is an error
/// that says so, never a panic.
pub fn prepare(id: TileId, bytes: &[u8], style: &VectorStyle) -> Result<VectorTile, TileError> {
    let data = if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(bytes)
            .take(MAX_TILE_BYTES)
            .read_to_end(&mut out)
            .map_err(|e| TileError::tile(id, format!("a vector tile that does not unzip: {e}")))?;
        out
    } else {
        bytes.to_vec()
    };
    // The reader's arithmetic on coordinates can overflow on a crafted tile; a panic there is
    // this tile's failure, not the program's.
    std::panic::catch_unwind(|| build(id, data, style)).unwrap_or_else(|_| {
        Err(TileError::tile(
            id,
            "not a readable vector tile (MVT): its geometry is damaged",
        ))
    })
}

/// Features of one rule, gathered across the tile's layers.
/// Each with where each polygon or line starts (its first vertex and triangle index).
enum Bucket {
    Fill(Vec<[f32; 2]>, Vec<u32>, Vec<[u32; 2]>),
    Line(Vec<[f32; 2]>, Vec<[f32; 2]>, Vec<u32>, Vec<[u32; 2]>),
    Labels(Vec<([f32; 2], String)>),
}

fn build(id: TileId, data: Vec<u8>, style: &VectorStyle) -> Result<VectorTile, TileError> {
    let bad = |e: mvt_reader::error::ParserError| {
        TileError::tile(id, format!("not a readable vector tile (MVT): {e}"))
    };
    let reader = Reader::new(data).map_err(bad)?;
    let layers = reader.get_layer_metadata().map_err(bad)?;
    let mut buckets: Vec<Option<Bucket>> = Vec::new();
    buckets.resize_with(style.rules.len(), || None);
    for layer in &layers {
        if !style.rules.iter().any(|r| r.layers.contains(&layer.name)) {
            continue;
        }
        let scale = 1.0 / layer.extent.max(1) as f32;
        for feature in reader.get_features(layer.layer_index).map_err(bad)? {
            let props = feature.properties.as_ref();
            let class = props.and_then(|p| text(p.get("class")).or_else(|| text(p.get("kind"))));
            let Some((at, rule)) = style.rule_for(&layer.name, class, id.z) else {
                continue;
            };
            let bucket = buckets[at].get_or_insert_with(|| match rule.draw {
                Draw::Fill => Bucket::Fill(Vec::new(), Vec::new(), Vec::new()),
                Draw::Line { .. } => Bucket::Line(Vec::new(), Vec::new(), Vec::new(), Vec::new()),
                Draw::Label { .. } => Bucket::Labels(Vec::new()),
            });
            add_feature(bucket, rule, &feature.geometry, props, scale);
        }
    }
    let paints = buckets
        .into_iter()
        .zip(&style.rules)
        .enumerate()
        .filter_map(|(order, (bucket, rule))| paint(order as u16, bucket?, rule))
        .collect();
    Ok(VectorTile {
        background: style.background,
        paints,
    })
}

fn paint(order: u16, bucket: Bucket, rule: &Rule) -> Option<VectorPaint> {
    let color = rule.color;
    Some(match (bucket, &rule.draw) {
        (Bucket::Fill(points, triangles, parts), _) if !triangles.is_empty() => VectorPaint::Fill {
            order,
            color,
            points,
            triangles,
            parts,
        },
        (Bucket::Line(points, extrude, triangles, parts), Draw::Line { width })
            if !triangles.is_empty() =>
        {
            VectorPaint::Line {
                order,
                color,
                width: *width,
                points,
                extrude,
                triangles,
                parts,
            }
        }
        (Bucket::Labels(labels), Draw::Label { size, .. }) if !labels.is_empty() => {
            VectorPaint::Labels {
                order,
                color,
                size: *size,
                labels,
            }
        }
        _ => return None,
    })
}

fn text(value: Option<&Value>) -> Option<&str> {
    match value? {
        Value::String(s) => Some(s.as_str()),
        _ => None,
    }
}

fn add_feature(
    bucket: &mut Bucket,
    rule: &Rule,
    geometry: &geo::Geometry<f32>,
    props: Option<&std::collections::HashMap<String, Value>>,
    scale: f32,
) {
    use geo::Geometry as G;
    match (bucket, geometry) {
        (Bucket::Fill(points, triangles, parts), G::Polygon(p)) => {
            fill(points, triangles, parts, p, scale);
        }
        (Bucket::Fill(points, triangles, parts), G::MultiPolygon(mp)) => {
            for p in mp {
                fill(points, triangles, parts, p, scale);
            }
        }
        (Bucket::Line(points, extrude, triangles, parts), g) => {
            let mut lines: Vec<&geo::LineString<f32>> = Vec::new();
            match g {
                G::LineString(l) => lines.push(l),
                G::MultiLineString(ml) => lines.extend(ml),
                G::Polygon(p) => lines.extend(std::iter::once(p.exterior()).chain(p.interiors())),
                G::MultiPolygon(mp) => {
                    for p in mp {
                        lines.extend(std::iter::once(p.exterior()).chain(p.interiors()));
                    }
                }
                _ => {}
            }
            for l in lines {
                let start = [points.len() as u32, triangles.len() as u32];
                stroke(points, extrude, triangles, l, scale);
                if triangles.len() as u32 > start[1] {
                    parts.push(start);
                }
            }
        }
        (Bucket::Labels(labels), G::Point(p)) => label(labels, rule, p, props, scale),
        (Bucket::Labels(labels), G::MultiPoint(mp)) => {
            for p in mp {
                label(labels, rule, p, props, scale);
            }
        }
        _ => {}
    }
}

fn fill(
    points: &mut Vec<[f32; 2]>,
    triangles: &mut Vec<u32>,
    parts: &mut Vec<[u32; 2]>,
    p: &geo::Polygon<f32>,
    scale: f32,
) {
    let raw = p.earcut_triangles_raw();
    if raw.triangle_indices.is_empty() {
        return;
    }
    parts.push([points.len() as u32, triangles.len() as u32]);
    let base = points.len() as u32;
    points.extend(raw.vertices.iter().map(|v| [v[0] * scale, v[1] * scale]));
    triangles.extend(raw.triangle_indices.iter().map(|&i| base + i as u32));
}

/// A line as a strip of quads, two vertices per point pushed out either side by the miter.
fn stroke(
    points: &mut Vec<[f32; 2]>,
    extrude: &mut Vec<[f32; 2]>,
    triangles: &mut Vec<u32>,
    line: &geo::LineString<f32>,
    scale: f32,
) {
    let mut pts: Vec<[f32; 2]> = Vec::with_capacity(line.0.len());
    for c in &line.0 {
        let p = [c.x * scale, c.y * scale];
        if pts.last() != Some(&p) {
            pts.push(p);
        }
    }
    if pts.len() < 2 {
        return;
    }
    let normal = |a: [f32; 2], b: [f32; 2]| {
        let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
        let len = (dx * dx + dy * dy).sqrt().max(f32::EPSILON);
        [-dy / len, dx / len]
    };
    let base = points.len() as u32;
    let last = pts.len() - 1;
    for i in 0..=last {
        let m = match (i.checked_sub(1).map(|j| pts[j]), pts.get(i + 1)) {
            (Some(prev), Some(next)) => {
                let (n0, n1) = (normal(prev, pts[i]), normal(pts[i], *next));
                let sum = [n0[0] + n1[0], n0[1] + n1[1]];
                let len = (sum[0] * sum[0] + sum[1] * sum[1]).sqrt();
                if len < 1e-3 {
                    n0
                } else {
                    let unit = [sum[0] / len, sum[1] / len];
                    // The miter's length is 1 / cos of half the turn.
                    let cos = (unit[0] * n0[0] + unit[1] * n0[1]).max(1.0 / MAX_MITER);
                    [unit[0] / cos, unit[1] / cos]
                }
            }
            (Some(prev), None) => normal(prev, pts[i]),
            (None, Some(next)) => normal(pts[i], *next),
            (None, None) => [0.0, 0.0],
        };
        points.extend([pts[i], pts[i]]);
        extrude.extend([m, [-m[0], -m[1]]]);
    }
    for i in 0..last as u32 {
        let a = base + 2 * i;
        triangles.extend([a, a + 1, a + 2, a + 1, a + 3, a + 2]);
    }
}

fn label(
    labels: &mut Vec<([f32; 2], String)>,
    rule: &Rule,
    p: &geo::Point<f32>,
    props: Option<&std::collections::HashMap<String, Value>>,
    scale: f32,
) {
    let Draw::Label { fields, .. } = &rule.draw else {
        return;
    };
    let at = [p.x() * scale, p.y() * scale];
    // A point in the tile's buffer belongs to its neighbour, which labels it.
    if !(0.0..1.0).contains(&at[0]) || !(0.0..1.0).contains(&at[1]) {
        return;
    }
    let name = props.and_then(|props| {
        fields
            .iter()
            .find_map(|f| text(props.get(f)).filter(|t| !t.trim().is_empty()))
    });
    if let Some(name) = name {
        labels.push((at, name.trim().to_owned()));
    }
}
