//! An ASCII drawing's ENTITIES section handed to the `dxf` crate one piece (about 1 MiB) at a
//! time, each converted to features at once.
//!
//! The crate reads a whole file into a buffer of its own and parses it in one call, without a
//! word on how far it got and without a way to stop it: a 30 MB drawing would hold the bar still
//! and ignore Cancel for half a second, and the file's text, the crate's copy of it and every
//! parsed entity would be in memory together (about 7 times the file). The first pass (`scan`)
//! knows where each top-level entity starts, so the drawing is parsed as its sections without
//! the entities (header, layers, blocks), then each piece of the entities as a drawing of its
//! own: between two pieces the bar moves and Cancel is looked at, and the parsed entities of a
//! piece are dropped once they are features. Entities do not depend on each other in a DXF (a
//! POLYLINE's VERTEXes and an INSERT's ATTRIBs are never cut from it), so the features are the
//! same as from the whole drawing; a test compares them.

use std::ops::Range;

use encoding_rs::Encoding;

use super::convert::{Converter, budget};
use super::report::Report;
use super::scan::Prescan;
use super::text::TextDecoder;
use crate::io::error::IoError;
use crate::io::formats::DataFeature;
use crate::io::formats::progress::Stage;

/// What a piece is put between to make a drawing of it.
const HEAD: &[u8] = b"  0\r\nSECTION\r\n  2\r\nENTITIES\r\n";
const TAIL: &[u8] = b"  0\r\nENDSEC\r\n  0\r\nEOF\r\n";

/// Why the pieces were not all converted.
#[derive(Debug)]
pub(super) enum Failed {
    /// The crate refused a piece (or the rest of the drawing): the whole file is parsed again
    /// by the caller, for the crate's own words on what is wrong.
    Crate,
    /// Past the memory budget (blocks that expand without end).
    TooLarge,
    Cancelled(IoError),
}

/// The features of an ASCII drawing with one ENTITIES section (`scan.entities_body`), piece by
/// piece; the bar moves across `stage` (positions are bytes of the file).
pub(super) fn convert(
    bytes: &[u8],
    scan: &Prescan,
    body: &Range<usize>,
    decoder: TextDecoder,
    stage: &Stage,
) -> Result<(Vec<DataFeature>, Report), Failed> {
    let rest = [
        bytes.get(..body.start).ok_or(Failed::Crate)?,
        bytes.get(body.end..).ok_or(Failed::Crate)?,
    ]
    .concat();
    let drawing = parse(&rest, decoder.encoding)?;
    drop(rest);
    let mut converter = Converter::new(&drawing, scan, decoder, budget(bytes.len()));
    let mut text = Vec::new();
    for piece in &scan.entity_chunks {
        stage.at(piece.start as u64).map_err(Failed::Cancelled)?;
        text.clear();
        text.extend_from_slice(HEAD);
        text.extend_from_slice(bytes.get(piece.clone()).ok_or(Failed::Crate)?);
        text.extend_from_slice(TAIL);
        let entities = parse(&text, decoder.encoding)?;
        converter
            .run(entities.entities())
            .map_err(|_| Failed::TooLarge)?;
    }
    stage.at(body.end as u64).map_err(Failed::Cancelled)?;
    Ok((converter.features, converter.report))
}

fn parse(text: &[u8], encoding: &'static Encoding) -> Result<dxf::Drawing, Failed> {
    let mut reader = text;
    dxf::Drawing::load_with_encoding(&mut reader, encoding).map_err(|_| Failed::Crate)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::formats::progress::Meter;
    use std::path::Path;

    fn groups(pairs: &[(i32, &str)]) -> String {
        pairs
            .iter()
            .map(|(c, v)| format!("{c:>3}\r\n{v}\r\n"))
            .collect()
    }

    /// A drawing of several pieces: polylines with vertices, blocks placed with attributes,
    /// texts, a hatch, on GBK layer names.
    fn big_drawing() -> Vec<u8> {
        let mut text = groups(&[
            (0, "SECTION"),
            (2, "HEADER"),
            (9, "$ACADVER"),
            (1, "AC1009"),
            (9, "$DWGCODEPAGE"),
            (3, "ANSI_936"),
            (0, "ENDSEC"),
            (0, "SECTION"),
            (2, "BLOCKS"),
            (0, "BLOCK"),
            (2, "TREE"),
            (10, "0"),
            (20, "0"),
            (0, "CIRCLE"),
            (8, "0"),
            (10, "0"),
            (20, "0"),
            (40, "2"),
            (0, "ENDBLK"),
            (0, "ENDSEC"),
            (0, "SECTION"),
            (2, "ENTITIES"),
        ]);
        for i in 0..12_000 {
            let (x, y) = (format!("{}", i * 10), format!("{}.5", i % 97));
            text.push_str(&groups(&[
                (0, "POLYLINE"),
                (8, "道路"),
                (66, "1"),
                (70, "1"),
                (0, "VERTEX"),
                (8, "道路"),
                (10, &x),
                (20, &y),
                (0, "VERTEX"),
                (8, "道路"),
                (10, &y),
                (20, &x),
                (0, "VERTEX"),
                (8, "道路"),
                (10, "3"),
                (20, "4"),
                (0, "SEQEND"),
                (0, "INSERT"),
                (8, "绿地"),
                (66, "1"),
                (2, "TREE"),
                (10, &x),
                (20, &x),
                (0, "ATTRIB"),
                (8, "绿地"),
                (10, &x),
                (20, &y),
                (40, "1"),
                (1, "树"),
                (2, "NAME"),
                (0, "SEQEND"),
                (0, "TEXT"),
                (8, "注记"),
                (10, &y),
                (20, &y),
                (40, "1"),
                (1, "上海%%d"),
                (0, "HATCH"),
                (8, "填充"),
            ]));
        }
        text.push_str(&groups(&[(0, "ENDSEC"), (0, "EOF")]));
        encoding_rs::GBK.encode(&text).0.into_owned()
    }

    #[test]
    fn pieces_give_the_features_and_report_of_the_whole_drawing() {
        let bytes = big_drawing();
        let meter = Meter::new(None, Path::new("big.dxf"), bytes.len() as u64);
        let stage = meter.stage(0, 1, 1);
        let scan = super::super::scan::prescan(&bytes, &stage).unwrap();
        assert!(
            scan.entity_chunks.len() >= 3,
            "{}",
            scan.entity_chunks.len()
        );
        let decoder = TextDecoder {
            binary: false,
            encoding: encoding_rs::GBK,
        };
        let body = scan.entities_body.clone().unwrap();
        let (features, report) = convert(&bytes, &scan, &body, decoder, &stage).unwrap();
        let whole = parse(&bytes, encoding_rs::GBK).unwrap();
        let mut converter = Converter::new(&whole, &scan, decoder, budget(bytes.len()));
        converter.run(whole.entities()).unwrap();
        assert_eq!(features.len(), 12_000 * 4);
        assert_eq!(features, converter.features);
        assert_eq!(report.lines(), converter.report.lines());
    }

    #[test]
    fn a_piece_the_crate_refuses_stops_the_pieces() {
        let mut bytes = big_drawing();
        let meter = Meter::new(None, Path::new("big.dxf"), bytes.len() as u64);
        let stage = meter.stage(0, 1, 1);
        let scan = super::super::scan::prescan(&bytes, &stage).unwrap();
        let body = scan.entities_body.clone().unwrap();
        // A group code the crate cannot read, after the first piece.
        let at = scan.entity_chunks[1].start;
        bytes.splice(at..at, b"abc\r\nx\r\n".iter().copied());
        let decoder = TextDecoder {
            binary: false,
            encoding: encoding_rs::GBK,
        };
        let stop = convert(&bytes, &scan, &body, decoder, &stage).unwrap_err();
        assert!(matches!(stop, Failed::Crate), "{stop:?}");
    }
}
