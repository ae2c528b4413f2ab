//! One CAD entity as what the map shows: LINE, ARC, open polylines → lines; closed polylines,
//! CIRCLE, full ELLIPSE, SOLID → polygons; POINT → points; TEXT, MTEXT → labelled points.
//! Coordinates go through `place` (the entity's block placement, identity at the top level).

use dxf::entities::{EntityType, LwPolyline, Polyline, Text};
use dxf::enums::{HorizontalTextJustification, VerticalTextJustification};
use dxf::{Point, Vector};
use geo::{Coord, Geometry, LineString, Polygon};

use super::geometry::{Affine, arc, bulge_segment, ccw_sweep, ellipse};
use super::report::Skip;
use super::text::TextDecoder;

/// What an entity becomes.
pub(super) enum Shape {
    Geometry(Geometry<f64>),
    /// A point with the text shown there.
    Label(Coord<f64>, String),
    Skipped(Skip),
}

/// The DXF type name of an entity, as the report and the `entity` field say it.
pub(super) fn type_name(entity: &EntityType) -> &'static str {
    use EntityType as E;
    match entity {
        E::Face3D(_) => "3DFACE",
        E::Solid3D(_) => "3DSOLID",
        E::ProxyEntity(_) => "ACAD_PROXY_ENTITY",
        E::Arc(_) => "ARC",
        E::ArcAlignedText(_) => "ARCALIGNEDTEXT",
        E::AttributeDefinition(_) => "ATTDEF",
        E::Attribute(_) => "ATTRIB",
        E::Body(_) => "BODY",
        E::Circle(_) => "CIRCLE",
        E::RotatedDimension(_)
        | E::RadialDimension(_)
        | E::DiameterDimension(_)
        | E::AngularThreePointDimension(_)
        | E::OrdinateDimension(_) => "DIMENSION",
        E::Ellipse(_) => "ELLIPSE",
        E::Helix(_) => "HELIX",
        E::Image(_) => "IMAGE",
        E::Insert(_) => "INSERT",
        E::Leader(_) => "LEADER",
        E::Light(_) => "LIGHT",
        E::Line(_) => "LINE",
        E::LwPolyline(_) => "LWPOLYLINE",
        E::MLine(_) => "MLINE",
        E::MText(_) => "MTEXT",
        E::OleFrame(_) => "OLEFRAME",
        E::Ole2Frame(_) => "OLE2FRAME",
        E::ModelPoint(_) => "POINT",
        E::Polyline(_) => "POLYLINE",
        E::Ray(_) => "RAY",
        E::Region(_) => "REGION",
        E::RText(_) => "RTEXT",
        E::Section(_) => "SECTION",
        E::Seqend(_) => "SEQEND",
        E::Shape(_) => "SHAPE",
        E::Solid(_) => "SOLID",
        E::Spline(_) => "SPLINE",
        E::Text(_) => "TEXT",
        E::Tolerance(_) => "TOLERANCE",
        E::Trace(_) => "TRACE",
        E::DgnUnderlay(_) => "DGNUNDERLAY",
        E::DwfUnderlay(_) => "DWFUNDERLAY",
        E::PdfUnderlay(_) => "PDFUNDERLAY",
        E::Vertex(_) => "VERTEX",
        E::Wipeout(_) => "WIPEOUT",
        E::XLine(_) => "XLINE",
    }
}

fn normal(v: &Vector) -> [f64; 3] {
    [v.x, v.y, v.z]
}

fn at(place: &Affine, p: &Point) -> Coord<f64> {
    place.apply(p.x, p.y)
}

/// The shape of every entity but INSERT (which places a block: see `convert`).
pub(super) fn shape(entity: &EntityType, place: &Affine, decoder: &TextDecoder) -> Shape {
    use EntityType as E;
    let shape = match entity {
        E::Line(line) => line_shape(vec![at(place, &line.p1), at(place, &line.p2)]),
        E::ModelPoint(point) => Shape::Geometry(Geometry::Point(at(place, &point.location).into())),
        E::LwPolyline(poly) => lwpolyline(poly, place),
        E::Polyline(poly) => polyline(poly, place),
        E::Circle(circle) => {
            let ocs = place.then_after(&Affine::ocs(normal(&circle.normal)));
            let center = Coord {
                x: circle.center.x,
                y: circle.center.y,
            };
            let ring = arc(center, circle.radius, 0.0, std::f64::consts::TAU);
            closed_shape(ring.into_iter().map(|c| ocs.apply(c.x, c.y)).collect())
        }
        E::Arc(a) => {
            let ocs = place.then_after(&Affine::ocs(normal(&a.normal)));
            let center = Coord {
                x: a.center.x,
                y: a.center.y,
            };
            let sweep = ccw_sweep(a.start_angle, a.end_angle);
            let points = arc(center, a.radius, a.start_angle.to_radians(), sweep);
            line_shape(points.into_iter().map(|c| ocs.apply(c.x, c.y)).collect())
        }
        E::Ellipse(e) => {
            let c = &e.center;
            let m = &e.major_axis;
            let mut sweep = (e.end_parameter - e.start_parameter).rem_euclid(std::f64::consts::TAU);
            if sweep == 0.0 {
                sweep = std::f64::consts::TAU;
            }
            let points = ellipse(
                [c.x, c.y, c.z],
                [m.x, m.y, m.z],
                e.minor_axis_ratio,
                normal(&e.normal),
                e.start_parameter,
                sweep,
            );
            let points = points.into_iter().map(|c| place.apply(c.x, c.y)).collect();
            if sweep >= std::f64::consts::TAU {
                closed_shape(points)
            } else {
                line_shape(points)
            }
        }
        E::Solid(s) => quad(
            [
                &s.first_corner,
                &s.second_corner,
                &s.third_corner,
                &s.fourth_corner,
            ],
            &place.then_after(&Affine::ocs(normal(&s.extrusion_direction))),
        ),
        E::Trace(s) => quad(
            [
                &s.first_corner,
                &s.second_corner,
                &s.third_corner,
                &s.fourth_corner,
            ],
            &place.then_after(&Affine::ocs(normal(&s.extrusion_direction))),
        ),
        E::Text(text) => text_label(text, place, decoder),
        E::MText(m) => {
            let raw: String = m.extended_text.concat() + &m.text;
            label(at(place, &m.insertion_point), decoder.multi_line(&raw))
        }
        _ => Shape::Skipped(Skip::Unsupported),
    };
    finite(shape)
}

/// A TEXT's label at its anchor: the first alignment point for left/baseline text, else the
/// second one (the point the drafter centred or right-aligned the text on).
fn text_label(text: &Text, place: &Affine, decoder: &TextDecoder) -> Shape {
    let ocs = place.then_after(&Affine::ocs(normal(&text.normal)));
    let justified = text.horizontal_text_justification != HorizontalTextJustification::Left
        || text.vertical_text_justification != VerticalTextJustification::Baseline;
    let anchor = if justified {
        &text.second_alignment_point
    } else {
        &text.location
    };
    label(at(&ocs, anchor), decoder.single_line(&text.value))
}

/// An ATTRIB's or TEXT's label (also used by `convert` for INSERT attributes).
pub(super) fn label(at: Coord<f64>, text: String) -> Shape {
    if text.trim().is_empty() {
        Shape::Skipped(Skip::EmptyText)
    } else {
        Shape::Label(at, text)
    }
}

fn line_shape(points: Vec<Coord<f64>>) -> Shape {
    if points.len() < 2 {
        return Shape::Skipped(Skip::Degenerate);
    }
    Shape::Geometry(Geometry::LineString(LineString::new(points)))
}

/// A closed figure: a polygon when it has an area's worth of distinct vertices, else a line.
fn closed_shape(mut points: Vec<Coord<f64>>) -> Shape {
    points.dedup();
    if points.len() > 1 && points.first() == points.last() {
        points.pop();
    }
    match points.len() {
        0 | 1 => Shape::Skipped(Skip::Degenerate),
        2 => line_shape(points),
        _ => Shape::Geometry(Geometry::Polygon(Polygon::new(
            LineString::new(points),
            vec![],
        ))),
    }
}

/// SOLID and TRACE corners come in the order 1, 2, 4, 3 around the figure; a triangle
/// repeats its third corner as the fourth.
fn quad(corners: [&Point; 4], ocs: &Affine) -> Shape {
    let [p1, p2, p3, p4] = corners;
    closed_shape(vec![at(ocs, p1), at(ocs, p2), at(ocs, p4), at(ocs, p3)])
}

fn lwpolyline(poly: &LwPolyline, place: &Affine) -> Shape {
    let ocs = place.then_after(&Affine::ocs(normal(&poly.extrusion_direction)));
    let vertices: Vec<(Coord<f64>, f64)> = poly
        .vertices
        .iter()
        .map(|v| (Coord { x: v.x, y: v.y }, v.bulge))
        .collect();
    bulged(&vertices, poly.is_closed(), &ocs)
}

fn polyline(poly: &Polyline, place: &Affine) -> Shape {
    if poly.is_polyface_mesh() || poly.is_3d_polygon_mesh() {
        return Shape::Skipped(Skip::Mesh);
    }
    // A 3D polyline is in world coordinates; a 2D one in its OCS, and may have bulges.
    let (ocs, bulges) = if poly.is_3d_polyline() {
        (*place, false)
    } else {
        (place.then_after(&Affine::ocs(normal(&poly.normal))), true)
    };
    let vertices: Vec<(Coord<f64>, f64)> = poly
        .vertices()
        // The frame of a spline-fit polyline is not drawn; its fitted vertices are.
        .filter(|v| !v.is_spline_frame_control_point())
        .map(|v| {
            let bulge = if bulges { v.bulge } else { 0.0 };
            (
                Coord {
                    x: v.location.x,
                    y: v.location.y,
                },
                bulge,
            )
        })
        .collect();
    bulged(&vertices, poly.is_closed(), &ocs)
}

/// Polyline vertices with their bulges as a line or (closed) a polygon, arcs linearised.
fn bulged(vertices: &[(Coord<f64>, f64)], closed: bool, ocs: &Affine) -> Shape {
    let Some(&(first, _)) = vertices.first() else {
        return Shape::Skipped(Skip::Degenerate);
    };
    let mut points = vec![first];
    let ends = vertices.iter().skip(1).map(|v| v.0);
    let ends: Vec<Coord<f64>> = if closed {
        ends.chain(std::iter::once(first)).collect()
    } else {
        ends.collect()
    };
    for ((from, bulge), to) in vertices.iter().zip(ends) {
        points.extend(bulge_segment(*from, to, *bulge));
    }
    let points: Vec<Coord<f64>> = points.into_iter().map(|c| ocs.apply(c.x, c.y)).collect();
    if closed {
        closed_shape(points)
    } else {
        line_shape(points)
    }
}

/// A shape whose every coordinate is a finite number; else skipped.
fn finite(shape: Shape) -> Shape {
    use geo::CoordsIter;
    let ok = match &shape {
        Shape::Geometry(g) => g.coords_iter().all(|c| c.x.is_finite() && c.y.is_finite()),
        Shape::Label(c, _) => c.x.is_finite() && c.y.is_finite(),
        Shape::Skipped(_) => true,
    };
    if ok {
        shape
    } else {
        Shape::Skipped(Skip::NotFinite)
    }
}
