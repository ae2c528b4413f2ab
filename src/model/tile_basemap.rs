//! Which basemap the map is drawn on: the built-in vector basemap, or tiles from a local
//! package or folder, or from an online server the user opted into. Kept in the view settings,
//! so that the project and each scene have their own. The user's own keys (Tianditu) are never
//! part of it: they stay in the preferences, outside the project file.

use serde::{Deserialize, Serialize};

/// A tile of the Web Mercator (XYZ, "slippy map") grid: `y` grows southwards.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TileId {
    pub z: u8,
    pub x: u32,
    pub y: u32,
}

impl TileId {
    /// The tile `levels` zoom levels up that holds this one, and the part of it (u0, v0, u1,
    /// v1 in 0..1) this one covers.
    pub fn ancestor(self, levels: u8) -> Option<(TileId, [f32; 4])> {
        let z = self.z.checked_sub(levels)?;
        let n = 1u32 << levels;
        let parent = TileId {
            z,
            x: self.x >> levels,
            y: self.y >> levels,
        };
        let step = 1.0 / n as f32;
        let (u, v) = ((self.x % n) as f32 * step, (self.y % n) as f32 * step);
        Some((parent, [u, v, u + step, v + step]))
    }

    /// Whether the tile is inside the grid of its zoom level.
    pub fn valid(self) -> bool {
        self.z <= 30 && self.x < (1u32 << self.z) && self.y < (1u32 << self.z)
    }
}

/// A vector tile made ready to draw: its features, styled, as triangles in the tile's own
/// coordinates (0..1 across, `y` southwards), grouped by the style rule that drew them. Made
/// off the UI thread (io::tiles::vector); drawing it is placing the vertices on screen.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct VectorTile {
    /// The land colour under the features (the style's background), straight RGBA.
    pub background: [u8; 4],
    pub paints: Vec<VectorPaint>,
}

/// The features one style rule drew in one tile, in the rule's colour. `order` is the rule's
/// place in the style: drawn from low to high across all tiles in view.
#[derive(Clone, Debug, PartialEq)]
pub enum VectorPaint {
    /// Polygons as triangles (indices into `points`). `parts`: where each polygon starts (its
    /// first point and first index into `triangles`), so that SVG and PDF exports can draw
    /// each one as a path of its own (overlapping ones would cancel out in one even-odd path).
    Fill {
        order: u16,
        color: [u8; 4],
        points: Vec<[f32; 2]>,
        triangles: Vec<u32>,
        parts: Vec<[u32; 2]>,
    },
    /// Lines `width` points wide whatever the zoom: each point of `points` is pushed out by
    /// `extrude` (a miter vector of unit half-width) times half the width on screen. `parts`
    /// as for fills, one per line.
    Line {
        order: u16,
        color: [u8; 4],
        width: f32,
        points: Vec<[f32; 2]>,
        extrude: Vec<[f32; 2]>,
        triangles: Vec<u32>,
        parts: Vec<[u32; 2]>,
    },
    /// Names at points, `size` points high.
    Labels {
        order: u16,
        color: [u8; 4],
        size: f32,
        labels: Vec<([f32; 2], String)>,
    },
}

impl VectorTile {
    /// Vertices in all its paints (for the cost of drawing it).
    pub fn vertex_count(&self) -> usize {
        self.paints
            .iter()
            .map(|p| match p {
                VectorPaint::Fill { points, .. } | VectorPaint::Line { points, .. } => points.len(),
                VectorPaint::Labels { labels, .. } => labels.len(),
            })
            .sum()
    }
}

/// The basemap a view is drawn on.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum BasemapChoice {
    /// The built-in vector basemap: offline, the default.
    #[default]
    Builtin,
    /// Tiles from a local `.pmtiles` or `.mbtiles` file, or a folder of `{z}/{x}/{y}` images.
    Local {
        path: String,
        /// The source's attribution, as its metadata gives it when it was chosen.
        #[serde(default)]
        attribution: String,
        /// For vector tiles: the user's style file (empty: `NAME.style.json` beside the tiles
        /// if there is one, else the built-in style).
        #[serde(default, skip_serializing_if = "String::is_empty")]
        style: String,
    },
    /// Tiles from an online server. Nothing is contacted unless this is chosen.
    Online(OnlineSource),
}

/// The online tile servers offered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum OnlineSource {
    OpenStreetMap,
    /// 天地图, Web Mercator on CGCS2000 (the `_w` services); the user's key is a preference.
    Tianditu(TiandituLayer),
    /// Any `{z}/{x}/{y}` URL template.
    Custom {
        template: String,
        #[serde(default)]
        attribution: String,
        /// The user says the server's tiles are in GCJ-02: refused (see [`gcj02_reason`]).
        #[serde(default)]
        gcj02: bool,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TiandituLayer {
    /// 矢量底图 (vec_w).
    Vector,
    /// 影像底图 (img_w).
    Image,
    /// 矢量注记 (cva_w): names only, on a transparent ground.
    Annotation,
    /// 矢量底图 with its 矢量注记 over it (vec_w + cva_w).
    VectorAnnotated,
    /// 影像底图 with its 影像注记 over it (img_w + cia_w).
    ImageAnnotated,
}

impl TiandituLayer {
    pub const ALL: [Self; 5] = [
        Self::Vector,
        Self::Image,
        Self::Annotation,
        Self::VectorAnnotated,
        Self::ImageAnnotated,
    ];

    /// The WMTS layer name (of the base, for a layer with an overlay).
    pub fn code(self) -> &'static str {
        match self {
            Self::Vector | Self::VectorAnnotated => "vec",
            Self::Image | Self::ImageAnnotated => "img",
            Self::Annotation => "cva",
        }
    }

    /// The annotation layer drawn over the base, if any: its WMTS layer name.
    pub fn overlay_code(self) -> Option<&'static str> {
        match self {
            Self::VectorAnnotated => Some("cva"),
            Self::ImageAnnotated => Some("cia"),
            _ => None,
        }
    }
}

/// Hosts of Chinese commercial maps, whose tiles are in GCJ-02 (or Baidu's BD-09).
const GCJ02_HOSTS: [&str; 7] = [
    "autonavi.com",
    "amap.com",
    "map.qq.com",
    "gtimg.com",
    "map.baidu.com",
    "bdimg.com",
    "gaode.com",
];

/// Why tiles described by `text` (a URL template or a file's metadata) are taken to be in
/// GCJ-02, if they are: they say so, or they come from a server known to use it.
pub fn gcj02_reason(text: &str) -> Option<String> {
    let t = text.to_ascii_lowercase();
    if ["gcj-02", "gcj02", "gcj_02", "bd-09", "bd09"]
        .iter()
        .any(|m| t.contains(m))
    {
        return Some("it is marked as GCJ-02".to_owned());
    }
    GCJ02_HOSTS
        .iter()
        .find(|h| t.contains(*h))
        .map(|h| format!("{h} serves GCJ-02 tiles"))
}

impl BasemapChoice {
    pub fn is_builtin(&self) -> bool {
        matches!(self, Self::Builtin)
    }

    /// The choice a command-line argument names: `builtin`, a URL template with `{z}`, `{x}`
    /// and `{y}`, or a path.
    pub fn from_arg(arg: &str) -> Self {
        let lower = arg.to_ascii_lowercase();
        if lower == "builtin" {
            Self::Builtin
        } else if lower.starts_with("http://") || lower.starts_with("https://") {
            Self::Online(OnlineSource::Custom {
                template: arg.to_owned(),
                attribution: String::new(),
                gcj02: false,
            })
        } else {
            Self::Local {
                path: arg.to_owned(),
                attribution: String::new(),
                style: String::new(),
            }
        }
    }

    /// The attribution line the map and the slide show for the tiles (empty for the
    /// built-in basemap, whose sources are in the data's own attribution).
    pub fn attribution(&self) -> String {
        match self {
            Self::Builtin => String::new(),
            Self::Local {
                path, attribution, ..
            } => {
                if attribution.trim().is_empty() {
                    let name = path.rsplit(['/', '\\']).find(|s| !s.is_empty());
                    format!("Tiles: {}", name.unwrap_or(path))
                } else {
                    format!("Tiles: {}", attribution.trim())
                }
            }
            Self::Online(OnlineSource::OpenStreetMap) => {
                "Tiles: © OpenStreetMap contributors (ODbL)".to_owned()
            }
            Self::Online(OnlineSource::Tianditu(_)) => {
                "Tiles: © 天地图 Tianditu, 国家地理信息公共服务平台".to_owned()
            }
            Self::Online(OnlineSource::Custom {
                template,
                attribution,
                ..
            }) => {
                if attribution.trim().is_empty() {
                    let host = template
                        .split("://")
                        .nth(1)
                        .and_then(|r| r.split('/').next())
                        .unwrap_or(template);
                    format!("Tiles: {host}")
                } else {
                    format!("Tiles: {}", attribution.trim())
                }
            }
        }
    }

    /// In words, as `onemap diff` and the picker show it.
    pub fn describe(&self) -> String {
        match self {
            Self::Builtin => "built-in".to_owned(),
            Self::Local { path, .. } => path.clone(),
            Self::Online(OnlineSource::OpenStreetMap) => "OpenStreetMap".to_owned(),
            Self::Online(OnlineSource::Tianditu(l)) => match l.overlay_code() {
                Some(over) => format!("Tianditu {} + {over}", l.code()),
                None => format!("Tianditu {}", l.code()),
            },
            Self::Online(OnlineSource::Custom { template, .. }) => template.clone(),
        }
    }

    /// Why the choice is refused before any tile is read: tiles in GCJ-02 would be drawn
    /// hundreds of metres off the plan layers, and are never mixed with them silently.
    pub fn refusal(&self) -> Option<String> {
        let reason = match self {
            Self::Online(OnlineSource::Custom {
                template, gcj02, ..
            }) => {
                if *gcj02 {
                    Some("it is marked as GCJ-02".to_owned())
                } else {
                    gcj02_reason(template)
                }
            }
            _ => None,
        };
        reason.map(|r| {
            format!(
                "{}: refused, {r}; GCJ-02 tiles would lie hundreds of metres off the WGS84 plan layers",
                self.describe()
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_ancestor_covers_the_right_quarter() {
        let t = TileId { z: 3, x: 5, y: 2 };
        let (p, uv) = t.ancestor(1).unwrap();
        assert_eq!(p, TileId { z: 2, x: 2, y: 1 });
        assert_eq!(uv, [0.5, 0.0, 1.0, 0.5]);
        let (p, uv) = t.ancestor(3).unwrap();
        assert_eq!(p, TileId { z: 0, x: 0, y: 0 });
        assert_eq!(uv, [0.625, 0.25, 0.75, 0.375]);
        assert!(t.ancestor(4).is_none());
    }

    #[test]
    fn arguments_name_the_builtin_basemap_a_url_or_a_path() {
        assert_eq!(BasemapChoice::from_arg("builtin"), BasemapChoice::Builtin);
        assert!(matches!(
            BasemapChoice::from_arg("https://t.example/{z}/{x}/{y}.png"),
            BasemapChoice::Online(OnlineSource::Custom { .. })
        ));
        assert!(matches!(
            BasemapChoice::from_arg("/data/shanghai.pmtiles"),
            BasemapChoice::Local { .. }
        ));
    }

    #[test]
    fn gcj02_sources_are_refused_and_others_are_not() {
        let amap = BasemapChoice::from_arg(
            "https://webrd01.is.autonavi.com/appmaptile?x={x}&y={y}&z={z}&style=8",
        );
        assert!(amap.refusal().unwrap().contains("autonavi.com"));
        let marked = BasemapChoice::Online(OnlineSource::Custom {
            template: "https://tiles.example/{z}/{x}/{y}.png".into(),
            attribution: String::new(),
            gcj02: true,
        });
        assert!(marked.refusal().unwrap().contains("GCJ-02"));
        let osm = BasemapChoice::from_arg("https://tile.openstreetmap.org/{z}/{x}/{y}.png");
        assert!(osm.refusal().is_none());
        assert!(
            BasemapChoice::Online(OnlineSource::OpenStreetMap)
                .refusal()
                .is_none()
        );
    }

    #[test]
    fn the_attribution_names_the_source() {
        let osm = BasemapChoice::Online(OnlineSource::OpenStreetMap);
        assert!(osm.attribution().contains("OpenStreetMap"));
        let local = BasemapChoice::Local {
            path: "/maps/region.pmtiles".into(),
            attribution: String::new(),
            style: String::new(),
        };
        assert_eq!(local.attribution(), "Tiles: region.pmtiles");
        assert_eq!(BasemapChoice::Builtin.attribution(), "");
    }
}
