//! The style of vector tiles: a JSON file of rules, each naming the tile layers (and perhaps
//! the classes) it draws and how: a fill, a line of a width in points, or labels. Simpler than
//! a Mapbox GL style on purpose: a planner can write one by hand. The built-in style
//! (`default_vector_style.json`, compiled in) is the example the README points to.

use std::path::Path;

use serde::Deserialize;

use super::TileError;

const DEFAULT: &str = include_str!("default_vector_style.json");

/// How a rule draws the features it matches.
#[derive(Clone, Debug, PartialEq)]
pub enum Draw {
    Fill,
    Line { width: f32 },
    Label { size: f32, fields: Vec<String> },
}

#[derive(Clone, Debug, PartialEq)]
pub struct Rule {
    pub layers: Vec<String>,
    /// Empty: any class. Else the feature's `class` (OpenMapTiles) or `kind` (Protomaps).
    pub classes: Vec<String>,
    pub color: [u8; 4],
    pub draw: Draw,
    pub min_zoom: u8,
    pub max_zoom: u8,
}

#[derive(Clone, Debug, PartialEq)]
pub struct VectorStyle {
    pub background: [u8; 4],
    pub rules: Vec<Rule>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StyleFile {
    #[serde(default)]
    #[allow(dead_code)]
    about: String,
    background: String,
    rules: Vec<RuleFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    layers: Vec<String>,
    #[serde(default)]
    classes: Vec<String>,
    fill: Option<String>,
    line: Option<String>,
    label: Option<String>,
    width: Option<f32>,
    size: Option<f32>,
    #[serde(default)]
    fields: Vec<String>,
    min_zoom: Option<u8>,
    max_zoom: Option<u8>,
}

/// `#rrggbb` or `#rrggbbaa`.
fn color(text: &str) -> Result<[u8; 4], String> {
    let hex = text
        .strip_prefix('#')
        .filter(|h| matches!(h.len(), 6 | 8) && h.chars().all(|c| c.is_ascii_hexdigit()))
        .ok_or_else(|| format!("colour {text:?} is not #rrggbb or #rrggbbaa"))?;
    let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).unwrap_or(0);
    let alpha = if hex.len() == 8 { byte(6) } else { 255 };
    Ok([byte(0), byte(2), byte(4), alpha])
}

impl RuleFile {
    fn into_rule(self, at: usize) -> Result<Rule, String> {
        let named = |m: String| format!("rule {}: {m}", at + 1);
        let (paint, draw) = match (self.fill, self.line, self.label) {
            (Some(c), None, None) => (c, Draw::Fill),
            (None, Some(c), None) => (
                c,
                Draw::Line {
                    width: self.width.unwrap_or(1.0).clamp(0.1, 50.0),
                },
            ),
            (None, None, Some(c)) => {
                let fields = if self.fields.is_empty() {
                    vec!["name".to_owned()]
                } else {
                    self.fields
                };
                let size = self.size.unwrap_or(12.0).clamp(4.0, 72.0);
                (c, Draw::Label { size, fields })
            }
            _ => {
                return Err(named(
                    "give exactly one of \"fill\", \"line\" or \"label\"".into(),
                ));
            }
        };
        if self.layers.is_empty() {
            return Err(named("\"layers\" is empty".into()));
        }
        Ok(Rule {
            layers: self.layers,
            classes: self.classes,
            color: color(&paint).map_err(named)?,
            draw,
            min_zoom: self.min_zoom.unwrap_or(0),
            max_zoom: self.max_zoom.unwrap_or(30),
        })
    }
}

impl VectorStyle {
    /// The built-in style.
    pub fn builtin() -> Self {
        // The built-in style is tested to parse (see tests below): never the fallback.
        Self::parse(DEFAULT).unwrap_or(Self {
            background: [242, 239, 233, 255],
            rules: Vec::new(),
        })
    }

    pub fn parse(text: &str) -> Result<Self, String> {
        let file: StyleFile = serde_json::from_str(text).map_err(|e| e.to_string())?;
        if file.rules.len() > u16::MAX as usize {
            return Err("too many rules".into());
        }
        let rules = file
            .rules
            .into_iter()
            .enumerate()
            .map(|(i, r)| r.into_rule(i))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self {
            background: color(&file.background)?,
            rules,
        })
    }

    /// A style file; an error names the file and what is wrong with it.
    pub fn load(path: &Path) -> Result<Self, TileError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path)
            .map_err(|e| TileError::source(shown.clone(), format!("style file: {e}")))?;
        Self::parse(&text)
            .map_err(|e| TileError::source(shown, format!("not a usable style file: {e}")))
    }

    /// The first rule that draws a feature of `layer` with this class at zoom `z`.
    pub fn rule_for(&self, layer: &str, class: Option<&str>, z: u8) -> Option<(usize, &Rule)> {
        self.rules.iter().enumerate().find(|(_, r)| {
            (r.min_zoom..=r.max_zoom).contains(&z)
                && r.layers.iter().any(|l| l == layer)
                && (r.classes.is_empty() || class.is_some_and(|c| r.classes.iter().any(|k| k == c)))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_style_parses_and_draws_water_roads_and_places() {
        let style = VectorStyle::parse(DEFAULT).unwrap();
        assert_eq!(style, VectorStyle::builtin());
        assert!(style.rule_for("water", None, 10).is_some());
        let (_, motorway) = style.rule_for("roads", Some("highway"), 10).unwrap();
        assert!(matches!(motorway.draw, Draw::Line { .. }));
        assert!(style.rule_for("transportation", Some("minor"), 8).is_none());
        let (_, place) = style.rule_for("place", Some("town"), 10).unwrap();
        assert!(matches!(place.draw, Draw::Label { .. }));
    }

    #[test]
    fn a_bad_style_says_what_is_wrong() {
        let e = VectorStyle::parse(r##"{"background":"#fff","rules":[]}"##).unwrap_err();
        assert!(e.contains("#fff"), "{e}");
        let e = VectorStyle::parse(
            r##"{"background":"#ffffff","rules":[{"layers":["water"],"fill":"#0000ff","line":"#000000"}]}"##,
        )
        .unwrap_err();
        assert!(e.contains("rule 1") && e.contains("exactly one"), "{e}");
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("s.style.json");
        std::fs::write(&f, "{").unwrap();
        let e = VectorStyle::load(&f).unwrap_err().to_string();
        assert!(e.contains("s.style.json") && e.contains("style"), "{e}");
    }
}
