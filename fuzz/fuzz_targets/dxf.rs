//! Any bytes given to the DXF reader give a table or an error; never a panic. A table's
//! features all have a geometry with finite coordinates, a `layer` and an `entity`.
#![no_main]

use std::path::Path;

use geo::CoordsIter;
use libfuzzer_sys::fuzz_target;
use onemap::io::formats::{ReadOptions, dxf::read_bytes};

fuzz_target!(|data: &[u8]| {
    if let Ok(tables) = read_bytes(Path::new("fuzz.dxf"), data, &ReadOptions::default()) {
        assert_eq!(tables.len(), 1);
        for feature in &tables[0].features {
            let geometry = feature.geometry.as_ref().expect("every DXF feature has a geometry");
            assert!(geometry.coords_iter().all(|c| c.x.is_finite() && c.y.is_finite()));
            assert!(feature.attributes["layer"].is_string());
            assert!(feature.attributes["entity"].is_string());
        }
    }
});
