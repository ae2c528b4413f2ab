//! GeoPackage geometry blobs (GeoPackage 1.4, §2.1.3): a header — the magic `GP`, a version
//! byte, a flags byte, the `srs_id` and an optional envelope — followed by standard WKB, which
//! georust's `wkb` crate reads and writes.

use geo::{BoundingRect, Geometry};
use geo_traits::to_geo::ToGeoGeometry;
use wkb::Endianness;
use wkb::reader::Dimension;

/// Bytes before the envelope: magic (2), version (1), flags (1), srs_id (4).
const FIXED_HEADER: usize = 8;
/// Flags: bit 0 is the byte order of the header (1 = little endian), bits 1–3 the envelope
/// kind, bit 4 says the geometry is empty, bit 5 marks an extension's own geometry type.
const LITTLE_ENDIAN: u8 = 0b0000_0001;
const ENVELOPE_XY: u8 = 0b0000_0010;
const EMPTY: u8 = 0b0001_0000;
const EXTENDED: u8 = 0b0010_0000;

/// A geometry read from a blob.
#[derive(Debug, PartialEq)]
pub(super) struct Decoded {
    /// `None` for an empty geometry (the header's empty flag, or an empty point).
    pub geometry: Option<Geometry<f64>>,
    /// Whether the WKB had Z or M values (read in 2D: they are dropped).
    pub had_z_or_m: bool,
}

/// Reads one blob. The error says what is wrong with it, in words, for the caller to put
/// beside the table and row.
pub(super) fn decode(blob: &[u8]) -> Result<Decoded, String> {
    let header = blob.get(..FIXED_HEADER).ok_or_else(|| {
        format!(
            "is {} bytes, shorter than a GeoPackage geometry header",
            blob.len()
        )
    })?;
    if &header[..2] != b"GP" {
        return Err("does not begin with 'GP' (it is not a GeoPackage geometry)".into());
    }
    if header[2] != 0 {
        return Err(format!(
            "has version {} in its header; GeoPackage 1.x geometries have version 0",
            header[2]
        ));
    }
    let flags = header[3];
    if flags & EXTENDED != 0 {
        return Err(
            "is an extended GeoPackage geometry (a type of an extension), which OneMap does not read"
                .into(),
        );
    }
    let envelope_len = match (flags >> 1) & 0b111 {
        0 => 0,
        1 => 32,
        2 | 3 => 48,
        4 => 64,
        other => {
            return Err(format!(
                "has an invalid envelope kind {other} in its header"
            ));
        }
    };
    let wkb_bytes = blob
        .get(FIXED_HEADER + envelope_len..)
        .ok_or("ends inside its envelope")?;
    if flags & EMPTY != 0 {
        return Ok(Decoded {
            geometry: None,
            had_z_or_m: false,
        });
    }
    let wkb = wkb::reader::read_wkb(wkb_bytes).map_err(|e| format!("has broken WKB: {e}"))?;
    Ok(Decoded {
        // An empty point (NaN coordinates in WKB) has no geo-types form: no geometry.
        geometry: wkb.try_to_geometry(),
        had_z_or_m: wkb.dimension() != Dimension::Xy,
    })
}

/// Writes one geometry as a blob into `out` (cleared first): little endian, with an XY
/// envelope except for points (whose envelope is the point itself, so GDAL leaves it out too).
pub(super) fn encode(
    geometry: &Geometry<f64>,
    srs_id: i32,
    out: &mut Vec<u8>,
) -> Result<(), String> {
    out.clear();
    let envelope = geometry.bounding_rect();
    let with_envelope = envelope.is_some() && !matches!(geometry, Geometry::Point(_));
    let mut flags = LITTLE_ENDIAN;
    if with_envelope {
        flags |= ENVELOPE_XY;
    }
    if envelope.is_none() {
        flags |= EMPTY;
    }
    out.extend_from_slice(b"GP");
    out.push(0);
    out.push(flags);
    out.extend_from_slice(&srs_id.to_le_bytes());
    if let (true, Some(rect)) = (with_envelope, envelope) {
        for v in [rect.min().x, rect.max().x, rect.min().y, rect.max().y] {
            out.extend_from_slice(&v.to_le_bytes());
        }
    }
    let options = wkb::writer::WriteOptions {
        endianness: Endianness::LittleEndian,
    };
    wkb::writer::write_geometry(out, geometry, &options).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Coord, LineString, MultiPoint, Point, Polygon, line_string, polygon};

    fn round_trip(g: Geometry<f64>) {
        let mut blob = Vec::new();
        encode(&g, 4326, &mut blob).unwrap();
        let back = decode(&blob).unwrap();
        assert_eq!(back.geometry, Some(g));
        assert!(!back.had_z_or_m);
    }

    #[test]
    fn every_geometry_type_round_trips() {
        round_trip(Point::new(121.5, 31.2).into());
        round_trip(line_string![(x: 1.0, y: 2.0), (x: 3.0, y: 4.0)].into());
        round_trip(
            polygon!(
                exterior: [(x: 0.0, y: 0.0), (x: 4.0, y: 0.0), (x: 4.0, y: 4.0), (x: 0.0, y: 0.0)],
                interiors: [[(x: 1.0, y: 1.0), (x: 2.0, y: 1.0), (x: 2.0, y: 2.0), (x: 1.0, y: 1.0)]],
            )
            .into(),
        );
        round_trip(MultiPoint::from(vec![(1.0, 2.0), (3.0, 4.0)]).into());
        let gc = geo::GeometryCollection::new_from(vec![
            Point::new(1.0, 2.0).into(),
            LineString::from(vec![(0.0, 0.0), (1.0, 1.0)]).into(),
        ]);
        round_trip(Geometry::GeometryCollection(gc));
    }

    #[test]
    fn the_header_is_what_the_spec_says() {
        let mut blob = Vec::new();
        let square = Polygon::new(
            LineString::from(vec![(1.0, 2.0), (3.0, 2.0), (3.0, 5.0), (1.0, 2.0)]),
            vec![],
        );
        encode(&square.into(), 4549, &mut blob).unwrap();
        assert_eq!(&blob[..4], b"GP\x00\x03", "little endian, XY envelope");
        assert_eq!(i32::from_le_bytes(blob[4..8].try_into().unwrap()), 4549);
        let env: Vec<f64> = blob[8..40]
            .chunks(8)
            .map(|c| f64::from_le_bytes(c.try_into().unwrap()))
            .collect();
        assert_eq!(env, [1.0, 3.0, 2.0, 5.0], "minx, maxx, miny, maxy");
    }

    #[test]
    fn big_endian_wkb_with_z_is_read_in_2d() {
        // A big-endian header flag (0), no envelope, then big-endian WKB PointZ (1001).
        let mut blob = b"GP\x00\x00\x00\x00\x10\xE6".to_vec();
        blob.push(0);
        blob.extend_from_slice(&1001u32.to_be_bytes());
        for v in [121.0f64, 31.0, 15.0] {
            blob.extend_from_slice(&v.to_be_bytes());
        }
        let d = decode(&blob).unwrap();
        assert_eq!(d.geometry, Some(Point(Coord { x: 121.0, y: 31.0 }).into()));
        assert!(d.had_z_or_m);
    }

    #[test]
    fn broken_blobs_are_refused_in_words() {
        let mut good = Vec::new();
        encode(&Point::new(1.0, 2.0).into(), 4326, &mut good).unwrap();
        let cases: Vec<(Vec<u8>, &str)> = vec![
            (b"GP".to_vec(), "shorter than"),
            (b"XX\x00\x01\x00\x00\x00\x00abc".to_vec(), "'GP'"),
            (b"GP\x01\x01\x00\x00\x00\x00".to_vec(), "version 1"),
            (b"GP\x00\x0F\x00\x00\x00\x00".to_vec(), "envelope kind 7"),
            (
                b"GP\x00\x03\x00\x00\x00\x00\x00".to_vec(),
                "inside its envelope",
            ),
            (good[..good.len() - 3].to_vec(), "broken WKB"),
        ];
        for (blob, expected) in cases {
            let e = decode(&blob).unwrap_err();
            assert!(e.contains(expected), "{e:?} should say {expected:?}");
        }
    }

    #[test]
    fn the_empty_flag_gives_no_geometry() {
        let d = decode(b"GP\x00\x11\xE6\x10\x00\x00\x01\x07\x00\x00\x00\x00\x00\x00\x00").unwrap();
        assert_eq!(d.geometry, None);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]

        /// Any damage to a blob is an error or a geometry, never a panic.
        #[test]
        fn damaged_blobs_never_panic(
            cut in 0usize..200,
            flips in proptest::collection::vec((0usize..200, proptest::prelude::any::<u8>()), 0..6),
        ) {
            let polygon = polygon!(
                exterior: [(x: 0.0, y: 0.0), (x: 4.0, y: 0.0), (x: 4.0, y: 4.0), (x: 0.0, y: 0.0)],
                interiors: [[(x: 1.0, y: 1.0), (x: 2.0, y: 1.0), (x: 2.0, y: 2.0), (x: 1.0, y: 1.0)]],
            );
            let gc = Geometry::GeometryCollection(geo::GeometryCollection::new_from(vec![
                polygon.into(),
                Point::new(1.0, 2.0).into(),
            ]));
            let mut blob = Vec::new();
            encode(&gc, 4326, &mut blob).unwrap();
            for (at, byte) in flips {
                if let Some(b) = blob.get_mut(at) {
                    *b = byte;
                }
            }
            blob.truncate(cut.max(1));
            let _ = decode(&blob);
        }
    }
}
