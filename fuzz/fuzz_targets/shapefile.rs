//! The Shapefile reader on any bytes, split into a `.shp`, a `.shx` and a `.dbf`: a table or an
//! error naming the part, never a panic nor an allocation the input's size does not justify;
//! and a table it lets through has finite coordinates and one attribute per field.
//!
//! Input layout: two little-endian u16 lengths (of the `.shp` and the `.shx`), then the `.shp`,
//! the `.shx`, and the rest is the `.dbf` (lengths past the end are cut to what is there).
#![no_main]

use geo::CoordsIter;
use libfuzzer_sys::fuzz_target;
use onemap::io::formats::ReadOptions;
use onemap::io::formats::shapefile::read_parts;

fn split(data: &[u8]) -> (&[u8], &[u8], &[u8]) {
    let len = |at: usize| usize::from(u16::from_le_bytes([data[at], data[at + 1]]));
    if data.len() < 4 {
        return (data, &[], &[]);
    }
    let rest = &data[4..];
    let shp_len = len(0).min(rest.len());
    let (shp, rest) = rest.split_at(shp_len);
    let shx_len = len(2).min(rest.len());
    let (shx, dbf) = rest.split_at(shx_len);
    (shp, shx, dbf)
}

fuzz_target!(|data: &[u8]| {
    let (shp, shx, dbf) = split(data);
    match read_parts("fuzz", shp, shx, dbf, &ReadOptions::default()) {
        Ok(table) => {
            for feature in &table.features {
                assert_eq!(feature.attributes.len(), table.fields.len());
                if let Some(g) = &feature.geometry {
                    assert!(g.coords_iter().all(|c| c.x.is_finite() && c.y.is_finite()));
                }
            }
        }
        Err(e) => {
            let text = e.to_string();
            assert!(text.contains("fuzz."), "the error names the part: {text}");
        }
    }
});
