//! The map's cartographic style, kept as data (`assets/style.ron`) rather than scattered in code.
//! Colours are plain RGBA bytes here; `map/` turns them into egui colours.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::feature::PlanFeature;

/// Straight (not premultiplied) RGBA.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rgba(pub u8, pub u8, pub u8, pub u8);

/// The point symbols of the urban tiers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Symbol {
    Star,
    Square,
    Diamond,
    Triangle,
    Circle,
}

/// How a feature's name is drawn, and how much it matters when labels collide (lower first).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct LabelPaint {
    pub size_px: f32,
    pub color: Rgba,
    pub priority: u32,
}

/// How to draw a feature. Every field is optional so that a variant can override just one.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Paint {
    pub fill: Option<Rgba>,
    pub stroke: Option<Rgba>,
    pub width_px: Option<f32>,
    /// Dash and gap lengths; a solid line when absent.
    pub dash_px: Option<(f32, f32)>,
    /// Direction arrows along a line, from its first to its last vertex.
    pub arrows: Option<bool>,
    pub symbol: Option<Symbol>,
    pub symbol_px: Option<f32>,
    pub label: Option<LabelPaint>,
}

impl Paint {
    /// This paint with every field that `over` sets replaced.
    pub fn merged(&self, over: &Paint) -> Paint {
        Paint {
            fill: over.fill.or(self.fill),
            stroke: over.stroke.or(self.stroke),
            width_px: over.width_px.or(self.width_px),
            dash_px: over.dash_px.or(self.dash_px),
            arrows: over.arrows.or(self.arrows),
            symbol: over.symbol.or(self.symbol),
            symbol_px: over.symbol_px.or(self.symbol_px),
            label: over.label.or(self.label),
        }
    }
}

/// A paint for the features whose `property` equals `equals`, with its own legend entry.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Variant {
    pub property: String,
    pub equals: String,
    pub name_zh: String,
    pub name_en: String,
    pub paint: Paint,
}

impl Variant {
    pub fn matches(&self, feature: &PlanFeature) -> bool {
        match feature.properties.get(&self.property) {
            Some(Value::String(s)) => *s == self.equals,
            Some(Value::Number(n)) => n.to_string() == self.equals,
            _ => false,
        }
    }
}

/// The style of one layer. `id` is the layer file's stem, or `basemap.*` for basemap parts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LayerStyle {
    pub id: String,
    pub name_zh: String,
    pub name_en: String,
    /// Layers are drawn in increasing order; labels always come last.
    pub draw_order: u32,
    #[serde(default = "visible_by_default")]
    pub visible: bool,
    pub paint: Paint,
    #[serde(default)]
    pub variants: Vec<Variant>,
}

fn visible_by_default() -> bool {
    true
}

impl LayerStyle {
    /// The paint of the variant for `property == equals`, or the layer's paint when none matches.
    /// For data that is not a plan feature, such as basemap parts.
    pub fn paint_where(&self, property: &str, equals: &str) -> Paint {
        match self
            .variants
            .iter()
            .find(|v| v.property == property && v.equals == equals)
        {
            Some(v) => self.paint.merged(&v.paint),
            None => self.paint.clone(),
        }
    }

    /// The paint of a feature: the layer's paint, overridden by the first variant that matches.
    pub fn paint_for(&self, feature: &PlanFeature) -> Paint {
        match self.variants.iter().find(|v| v.matches(feature)) {
            Some(v) => self.paint.merged(&v.paint),
            None => self.paint.clone(),
        }
    }
}

/// A group of layers in the layers panel, in panel order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupStyle {
    pub id: String,
    pub name_zh: String,
    pub name_en: String,
    pub layers: Vec<LayerStyle>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Style {
    /// The sea, and everything outside the land.
    pub background: Rgba,
    /// Outside the basemap's frame, where there is no data.
    pub no_data: Rgba,
    /// Hovered features are outlined in this colour.
    pub highlight: Rgba,
    /// Selected features are outlined in this colour.
    pub selection: Rgba,
    pub groups: Vec<GroupStyle>,
    /// The project's paints of its data layers, by overlay layer id (`sketch:ID`), over the
    /// shared `sketch` style; set by [`Style::with_overrides`], never read from a style file.
    #[serde(skip)]
    pub data_layer_paints: std::collections::BTreeMap<String, Paint>,
}

/// Data layers' ids in the project's overlay and its style overrides are `sketch:ID` (they
/// began as sketch layers, and the files say so).
pub const DATA_LAYER_PREFIX: &str = "sketch:";

/// The property that marks a data layer's feature as labelled by one of its attributes.
pub const LABEL_FIELD: &str = "label_field";

impl Style {
    pub fn layers(&self) -> impl Iterator<Item = &LayerStyle> {
        self.groups.iter().flat_map(|g| g.layers.iter())
    }

    pub fn layer(&self, id: &str) -> Option<&LayerStyle> {
        self.layers().find(|l| l.id == id)
    }

    pub fn group_of(&self, layer_id: &str) -> Option<&GroupStyle> {
        self.groups
            .iter()
            .find(|g| g.layers.iter().any(|l| l.id == layer_id))
    }
}

impl Style {
    /// This style with a project's layer order and paint overrides applied. An override wins
    /// over the layer's paint and over every variant's, so that a recoloured layer is
    /// recoloured everywhere.
    pub fn with_overrides(
        &self,
        order: &std::collections::BTreeMap<String, u32>,
        paints: &std::collections::BTreeMap<String, Paint>,
    ) -> Style {
        let mut out = self.clone();
        for layer in out.groups.iter_mut().flat_map(|g| g.layers.iter_mut()) {
            if let Some(o) = order.get(&layer.id) {
                layer.draw_order = *o;
            }
            if let Some(p) = paints.get(&layer.id) {
                layer.paint = layer.paint.merged(p);
                for v in &mut layer.variants {
                    v.paint = v.paint.merged(p);
                }
            }
        }
        out.data_layer_paints = paints
            .iter()
            .filter(|(id, _)| id.starts_with(DATA_LAYER_PREFIX))
            .map(|(id, p)| (id.clone(), p.clone()))
            .collect();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn style() -> Style {
        let paint = Paint {
            stroke: Some(Rgba(1, 2, 3, 255)),
            ..Paint::default()
        };
        let variant = Variant {
            property: "k".into(),
            equals: "v".into(),
            name_zh: String::new(),
            name_en: String::new(),
            paint: Paint {
                stroke: Some(Rgba(9, 9, 9, 255)),
                ..Paint::default()
            },
        };
        let layer = LayerStyle {
            id: "a".into(),
            name_zh: String::new(),
            name_en: String::new(),
            draw_order: 5,
            visible: true,
            paint,
            variants: vec![variant],
        };
        Style {
            background: Rgba(0, 0, 0, 255),
            no_data: Rgba(0, 0, 0, 255),
            highlight: Rgba(0, 0, 0, 255),
            selection: Rgba(0, 0, 0, 255),
            groups: vec![GroupStyle {
                id: "g".into(),
                name_zh: String::new(),
                name_en: String::new(),
                layers: vec![layer],
            }],
            data_layer_paints: Default::default(),
        }
    }

    #[test]
    fn overrides_change_order_and_win_over_variants() {
        let order = BTreeMap::from([("a".to_owned(), 99)]);
        let paints = BTreeMap::from([(
            "a".to_owned(),
            Paint {
                stroke: Some(Rgba(200, 0, 0, 255)),
                ..Paint::default()
            },
        )]);
        let s = style().with_overrides(&order, &paints);
        let layer = s.layer("a").unwrap();
        assert_eq!(layer.draw_order, 99);
        assert_eq!(layer.paint.stroke, Some(Rgba(200, 0, 0, 255)));
        assert_eq!(layer.variants[0].paint.stroke, Some(Rgba(200, 0, 0, 255)));
        assert_eq!(
            style().with_overrides(&BTreeMap::new(), &BTreeMap::new()),
            style()
        );
    }
}
