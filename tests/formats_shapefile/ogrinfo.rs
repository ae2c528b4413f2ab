//! What GDAL's `ogrinfo -al` reads from a file: the oracle of the writer tests.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

/// Whether `ogrinfo` is here. In CI its absence is a failure; elsewhere the test says so and
/// passes, as tests/gdal_interop.rs does.
pub fn available() -> bool {
    match Command::new("ogrinfo").arg("--version").output() {
        Ok(out) if out.status.success() => true,
        _ => {
            assert!(
                std::env::var_os("CI").is_none(),
                "ogrinfo is missing in CI: .ci/run must install gdal-bin"
            );
            eprintln!("ogrinfo not installed (apt-get install gdal-bin); GDAL check not run here");
            false
        }
    }
}

/// One feature as ogrinfo prints it: each field's type and text, and the geometry's WKT.
#[derive(Debug, Default)]
pub struct Feature {
    pub fields: BTreeMap<String, (String, String)>,
    pub wkt: Option<String>,
}

#[derive(Debug)]
pub struct Layer {
    pub feature_count: usize,
    pub geometry_type: String,
    pub features: Vec<Feature>,
    pub stderr: String,
}

const GEOMETRY_WORDS: &[&str] = &[
    "POINT",
    "MULTIPOINT",
    "LINESTRING",
    "MULTILINESTRING",
    "POLYGON",
    "MULTIPOLYGON",
];

/// `ogrinfo -al` of `source` (a path or a GDAL virtual path), parsed.
pub fn read(source: &Path) -> Layer {
    let out = Command::new("ogrinfo")
        .args(["-al", "-ro"])
        .arg(source)
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        out.status.success(),
        "ogrinfo failed on {}: {stderr}",
        source.display()
    );
    let mut layer = Layer {
        feature_count: 0,
        geometry_type: String::new(),
        features: Vec::new(),
        stderr,
    };
    for line in stdout.lines() {
        if let Some(n) = line.strip_prefix("Feature Count: ") {
            layer.feature_count = n.trim().parse().unwrap();
        } else if let Some(t) = line.strip_prefix("Geometry: ") {
            layer.geometry_type = t.trim().to_owned();
        } else if line.starts_with("OGRFeature(") {
            layer.features.push(Feature::default());
        } else if let Some(feature) = layer.features.last_mut() {
            let Some(body) = line.strip_prefix("  ") else {
                continue;
            };
            if GEOMETRY_WORDS
                .iter()
                .any(|w| body.starts_with(&format!("{w} ")))
            {
                feature.wkt = Some(body.to_owned());
            } else if let (Some(open), Some(eq)) = (body.find(" ("), body.find(") = ")) {
                let name = body[..open].to_owned();
                let kind = body[open + 2..eq].to_owned();
                let value = body[eq + 4..].to_owned();
                feature.fields.insert(name, (kind, value));
            }
        }
    }
    layer
}

/// Every innermost coordinate list of a WKT: each ring, line or point, in order.
pub fn coordinate_lists(wkt: &str) -> Vec<Vec<(f64, f64)>> {
    let mut lists = Vec::new();
    let mut start = None;
    for (i, c) in wkt.char_indices() {
        match c {
            '(' => start = Some(i + 1),
            ')' => {
                if let Some(s) = start.take() {
                    let list = wkt[s..i]
                        .split(',')
                        .map(|pair| {
                            let mut numbers =
                                pair.split_whitespace().map(|n| n.parse::<f64>().unwrap());
                            (numbers.next().unwrap(), numbers.next().unwrap())
                        })
                        .collect();
                    lists.push(list);
                }
            }
            _ => {}
        }
    }
    lists
}
