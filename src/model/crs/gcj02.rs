//! GCJ-02 ("Mars coordinates"), the obfuscated datum of Chinese web maps, and Baidu's BD-09
//! on top of it, to and from WGS84. Data copied from Amap or Tencent maps is often GCJ-02,
//! from Baidu maps BD-09, offset by about 500 m (GCJ-02) and 1 km (BD-09) here.
//!
//! The forward transforms are the published algorithms; the inverses have no closed form and
//! are found by fixed-point iteration, which converges to under 1e-10° in a few steps.

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

/// The published algorithm leaves points outside China's bounding box unchanged.
fn outside_china(lon: f64, lat: f64) -> bool {
    !(72.004..=137.8347).contains(&lon) || !(0.8293..=55.8271).contains(&lat)
}

/// WGS84 lon/lat to GCJ-02 lon/lat.
pub fn wgs84_to_gcj02(lon: f64, lat: f64) -> (f64, f64) {
    if outside_china(lon, lat) {
        return (lon, lat);
    }
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
    invert(wgs84_to_gcj02, lon, lat)
}

/// Baidu's extra rotation and offset on top of GCJ-02.
const X_PI: f64 = PI * 3000.0 / 180.0;

/// GCJ-02 lon/lat to BD-09 lon/lat.
pub fn gcj02_to_bd09(lon: f64, lat: f64) -> (f64, f64) {
    let z = lon.hypot(lat) + 0.000_02 * (lat * X_PI).sin();
    let theta = lat.atan2(lon) + 0.000_003 * (lon * X_PI).cos();
    (z * theta.cos() + 0.0065, z * theta.sin() + 0.006)
}

/// BD-09 lon/lat to GCJ-02 lon/lat.
pub fn bd09_to_gcj02(lon: f64, lat: f64) -> (f64, f64) {
    invert(gcj02_to_bd09, lon, lat)
}

/// WGS84 lon/lat to BD-09 lon/lat.
pub fn wgs84_to_bd09(lon: f64, lat: f64) -> (f64, f64) {
    let (x, y) = wgs84_to_gcj02(lon, lat);
    gcj02_to_bd09(x, y)
}

/// BD-09 lon/lat to WGS84 lon/lat.
pub fn bd09_to_wgs84(lon: f64, lat: f64) -> (f64, f64) {
    let (x, y) = bd09_to_gcj02(lon, lat);
    gcj02_to_wgs84(x, y)
}

/// Inverts a forward transform that moves points by well under a degree and is close to a
/// translation locally: step back by the forward offset until it stops changing.
fn invert(forward: fn(f64, f64) -> (f64, f64), lon: f64, lat: f64) -> (f64, f64) {
    let (mut x, mut y) = (lon, lat);
    for _ in 0..30 {
        let (fx, fy) = forward(x, y);
        let (dx, dy) = (fx - lon, fy - lat);
        x -= dx;
        y -= dy;
        if dx.abs() < 1e-12 && dy.abs() < 1e-12 {
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

    // Published pairs from independent implementations (googollee/eviltransform's test table,
    // coordtransform_rs's tests), not from this code.
    #[test]
    fn independent_implementations_agree() {
        let (lon, lat) = wgs84_to_gcj02(121.5272106, 31.1774276);
        assert!((lon - 121.531541859215).abs() < 1e-9 && (lat - 31.17530398364597).abs() < 1e-9);
        let (lon, lat) = wgs84_to_gcj02(116.404, 39.915);
        assert!((lon - 116.41024449916938).abs() < 1e-9 && (lat - 39.91640428150164).abs() < 1e-9);
        let (lon, lat) = gcj02_to_bd09(116.404, 39.915);
        assert!((lon - 116.41036949371029).abs() < 1e-12);
        assert!((lat - 39.92133699351021).abs() < 1e-12);
        // coordtransform_rs inverts BD-09 in closed form, to about a metre; ours iterates to
        // 1e-10°. (eviltransform's BD-09 inverse is off by about 10 m: no use as a reference.)
        let (lon, lat) = bd09_to_gcj02(116.404, 39.915);
        assert!((lon - 116.39762729119315).abs() < 1e-5 && (lat - 39.90865673957631).abs() < 1e-5);
    }

    #[test]
    fn outside_china_nothing_moves() {
        assert_eq!(wgs84_to_gcj02(2.35, 48.85), (2.35, 48.85));
        assert_eq!(gcj02_to_wgs84(2.35, 48.85), (2.35, 48.85));
    }

    #[test]
    fn bd09_round_trips() {
        for (lon, lat) in [(121.4737, 31.2304), (119.95, 31.78), (122.2, 30.0)] {
            let (bx, by) = wgs84_to_bd09(lon, lat);
            assert!(
                (bx - lon).abs() > 0.005,
                "BD-09 moves points by about a kilometre"
            );
            let (x, y) = bd09_to_wgs84(bx, by);
            assert!(
                (x - lon).abs() < 1e-10 && (y - lat).abs() < 1e-10,
                "{x} {y}"
            );
        }
    }

    #[test]
    fn converting_back_recovers_wgs84() {
        for (lon, lat) in [(121.4737, 31.2304), (119.95, 31.78), (122.2, 30.0)] {
            let (gx, gy) = wgs84_to_gcj02(lon, lat);
            let (x, y) = gcj02_to_wgs84(gx, gy);
            assert!((x - lon).abs() < 1e-10 && (y - lat).abs() < 1e-10);
        }
    }
}
