//! GCJ-02 ("Mars coordinates"), the obfuscated datum of Chinese web maps, to WGS84. Data
//! copied from Amap or Baidu-era sources is often GCJ-02, offset by about 500 m here.
//!
//! The forward transform is the published algorithm; the inverse has no closed form and is
//! found by fixed-point iteration, which converges to under 1e-9° in a few steps.

use std::f64::consts::PI;

const A: f64 = 6_378_245.0;
const EE: f64 = 0.006_693_421_622_965_943;

fn transform_lat(x: f64, y: f64) -> f64 {
    let mut r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * x.abs().sqrt();
    r += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    r += (20.0 * (y * PI).sin() + 40.0 * (y / 3.0 * PI).sin()) * 2.0 / 3.0;
    r += (160.0 * (y / 12.0 * PI).sin() + 320.0 * (y * PI / 30.0).sin()) * 2.0 / 3.0;
    r
}

fn transform_lon(x: f64, y: f64) -> f64 {
    let mut r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * x.abs().sqrt();
    r += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    r += (20.0 * (x * PI).sin() + 40.0 * (x / 3.0 * PI).sin()) * 2.0 / 3.0;
    r += (150.0 * (x / 12.0 * PI).sin() + 300.0 * (x / 30.0 * PI).sin()) * 2.0 / 3.0;
    r
}

/// WGS84 lon/lat to GCJ-02 lon/lat.
pub fn wgs84_to_gcj02(lon: f64, lat: f64) -> (f64, f64) {
    let d_lat = transform_lat(lon - 105.0, lat - 35.0);
    let d_lon = transform_lon(lon - 105.0, lat - 35.0);
    let rad_lat = lat.to_radians();
    let magic = 1.0 - EE * rad_lat.sin().powi(2);
    let sqrt_magic = magic.sqrt();
    let d_lat = (d_lat * 180.0) / ((A * (1.0 - EE)) / (magic * sqrt_magic) * PI);
    let d_lon = (d_lon * 180.0) / (A / sqrt_magic * rad_lat.cos() * PI);
    (lon + d_lon, lat + d_lat)
}

/// GCJ-02 lon/lat to WGS84 lon/lat.
pub fn gcj02_to_wgs84(lon: f64, lat: f64) -> (f64, f64) {
    let (mut x, mut y) = (lon, lat);
    for _ in 0..30 {
        let (gx, gy) = wgs84_to_gcj02(x, y);
        let (dx, dy) = (gx - lon, gy - lat);
        x -= dx;
        y -= dy;
        if dx.abs() < 1e-10 && dy.abs() < 1e-10 {
            break;
        }
    }
    (x, y)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_offset_near_shanghai_is_the_known_few_hundred_metres() {
        // data-sources.md: the GCJ-02 offset around Zhoushan is about (+0.0043°, −0.0023°).
        let (gx, gy) = wgs84_to_gcj02(122.1, 30.0);
        assert!((gx - 122.1 - 0.0045).abs() < 0.0006, "{gx}");
        assert!((gy - 30.0 + 0.0023).abs() < 0.0006, "{gy}");
    }

    #[test]
    fn converting_back_recovers_wgs84() {
        for (lon, lat) in [(121.4737, 31.2304), (119.95, 31.78), (122.2, 30.0)] {
            let (gx, gy) = wgs84_to_gcj02(lon, lat);
            let (x, y) = gcj02_to_wgs84(gx, gy);
            assert!((x - lon).abs() < 1e-8 && (y - lat).abs() < 1e-8);
        }
    }
}
