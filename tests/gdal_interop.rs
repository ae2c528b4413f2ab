//! GDAL must open every layer file as it is: planners take them straight into QGIS.
//! Needs `ogrinfo` (Debian gdal-bin), which `.ci/run` installs. In CI its absence is a failure.

// An integration test is a crate of its own, which clippy's allow-unwrap-in-tests (clippy.toml)
// does not cover outside #[test] functions: its helpers unwrap too, a panic being a failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;

#[test]
fn ogrinfo_opens_every_layer_file_without_error() {
    let root = env!("CARGO_MANIFEST_DIR");
    let Ok(version) = Command::new("ogrinfo").arg("--version").output() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "ogrinfo is missing in CI: .ci/run must install gdal-bin"
        );
        eprintln!("ogrinfo not installed (apt-get install gdal-bin); GDAL check not run here");
        return;
    };
    assert!(version.status.success());
    let mut files: Vec<_> = std::fs::read_dir(format!("{root}/layers"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "geojson"))
        .collect();
    files.push(format!("{root}/assets/basemap/basemap.geojson").into());
    assert_eq!(files.len(), 10);
    for file in files {
        let out = Command::new("ogrinfo")
            .args(["-al", "-so"])
            .arg(&file)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "ogrinfo failed on {}: {stderr}",
            file.display()
        );
        assert!(
            !stderr.contains("ERROR"),
            "ogrinfo reported on {}: {stderr}",
            file.display()
        );
        assert!(
            stdout.contains("Feature Count:"),
            "{}: {stdout}",
            file.display()
        );
    }
}
