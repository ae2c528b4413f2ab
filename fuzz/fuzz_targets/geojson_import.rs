//! Any bytes given to the GeoJSON importer give a layer with a report, or an error; never a
//! panic. An imported layer embedded in a project imports again to the same features. Bytes
//! that are not UTF-8 are imported too, with the bad bytes replaced (the reader's refusal of
//! them is the `geojson_reader` target's).
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use onemap::io::geojson_import::{ImportOptions, import_geojson_str, to_feature_collection};

fuzz_target!(|data: &[u8]| {
    let text = &*String::from_utf8_lossy(data);
    for gcj02 in [false, true] {
        let options = ImportOptions { source_is_gcj02: gcj02 };
        if let Ok(layer) = import_geojson_str(Path::new("fuzz.geojson"), text, options) {
            assert_eq!(layer.report.imported, layer.features.len());
            let embedded = to_feature_collection(&layer.features).to_string();
            let again = import_geojson_str(Path::new("embedded"), &embedded, ImportOptions::default())
                .expect("an embedded layer imports again");
            assert_eq!(again.features.len(), layer.features.len());
        }
    }
});
