//! What the map shows: layer and group visibility and opacity, the tier toggles and the label
//! language. Changed only through [`ViewCommand`]s, so that the UI never writes it directly.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::lang::LabelLanguage;
use super::style::Style;
use super::tile_basemap::BasemapChoice;

/// The number of tiers of the urban system.
pub const TIER_COUNT: u8 = 5;

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct LayerSettings {
    pub visible: bool,
    /// 0 (invisible) to 1 (as styled).
    pub opacity: f32,
}

impl LayerSettings {
    pub const SHOWN: Self = Self {
        visible: true,
        opacity: 1.0,
    };
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ViewSettings {
    pub groups: BTreeMap<String, LayerSettings>,
    pub layers: BTreeMap<String, LayerSettings>,
    /// Tier 1 at index 0.
    pub tiers: [bool; TIER_COUNT as usize],
    pub language: LabelLanguage,
    /// Hides every indicative feature (our sketches), for a meeting that wants only what a
    /// source states. Absent from files written before it existed, and left out while off so
    /// that those files stay as they were.
    #[serde(default, skip_serializing_if = "is_false")]
    pub hide_indicative: bool,
    /// Where the legend sits and whether it is collapsed; a scene keeps its own with its
    /// settings. Left out while it is the default, so that older files stay as they were.
    #[serde(default, skip_serializing_if = "LegendPlacement::is_default")]
    pub legend: LegendPlacement,
    /// The basemap the map is drawn on; a scene keeps its own. Left out while it is the
    /// built-in one, so that older files stay as they were.
    #[serde(default, skip_serializing_if = "BasemapChoice::is_builtin")]
    pub basemap: BasemapChoice,
}

/// A corner of the map.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Corner {
    TopLeft,
    TopRight,
    #[default]
    BottomLeft,
    BottomRight,
}

impl Corner {
    /// Bottom left (where the legend always was) first: it wins a tie.
    pub const ALL: [Self; 4] = [
        Self::BottomLeft,
        Self::BottomRight,
        Self::TopLeft,
        Self::TopRight,
    ];
}

/// The legend's corner in the editor, and whether it is collapsed to its title.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LegendPlacement {
    #[serde(default)]
    pub corner: Corner,
    #[serde(default)]
    pub collapsed: bool,
}

impl LegendPlacement {
    pub fn is_default(&self) -> bool {
        *self == Self::default()
    }

    /// In words, as `onemap diff` and `onemap merge` show it: "top right, collapsed".
    pub fn describe(&self) -> String {
        let corner = match self.corner {
            Corner::TopLeft => "top left",
            Corner::TopRight => "top right",
            Corner::BottomLeft => "bottom left",
            Corner::BottomRight => "bottom right",
        };
        if self.collapsed {
            format!("{corner}, collapsed")
        } else {
            corner.to_owned()
        }
    }
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// One change to the view settings, as the UI asks for it.
#[derive(Clone, Debug, PartialEq)]
pub enum ViewCommand {
    SetGroupVisible(String, bool),
    SetGroupOpacity(String, f32),
    SetLayerVisible(String, bool),
    SetLayerOpacity(String, f32),
    SetTierVisible(u8, bool),
    /// Shows tiers 1 to N and hides the rest.
    ShowTiersUpTo(u8),
    SetLanguage(LabelLanguage),
    /// Hides (true) or shows the indicative features.
    SetIndicativeHidden(bool),
    /// Moves or collapses the legend.
    SetLegend(LegendPlacement),
    /// Draws the map on another basemap.
    SetBasemap(BasemapChoice),
}

impl ViewSettings {
    /// Every group and layer of the style, with the visibility the style gives it.
    pub fn from_style(style: &Style) -> Self {
        let groups = style
            .groups
            .iter()
            .map(|g| (g.id.clone(), LayerSettings::SHOWN))
            .collect();
        let layers = style
            .layers()
            .map(|l| {
                let settings = LayerSettings {
                    visible: l.visible,
                    opacity: 1.0,
                };
                (l.id.clone(), settings)
            })
            .collect();
        Self {
            groups,
            layers,
            tiers: [true; TIER_COUNT as usize],
            language: LabelLanguage::default(),
            hide_indicative: false,
            legend: Default::default(),
            basemap: BasemapChoice::Builtin,
        }
    }

    pub fn group(&self, id: &str) -> LayerSettings {
        self.groups.get(id).copied().unwrap_or(LayerSettings::SHOWN)
    }

    pub fn layer(&self, id: &str) -> LayerSettings {
        self.layers.get(id).copied().unwrap_or(LayerSettings::SHOWN)
    }

    /// Whether a layer is drawn: it and its group are both switched on.
    pub fn layer_shown(&self, group: &str, layer: &str) -> bool {
        self.group(group).visible && self.layer(layer).visible
    }

    /// The opacity a layer is drawn with: its own times its group's.
    pub fn opacity(&self, group: &str, layer: &str) -> f32 {
        self.group(group).opacity * self.layer(layer).opacity
    }

    /// Whether features of tier `tier` (1-based) are shown; features without a tier always are.
    pub fn tier_shown(&self, tier: Option<u8>) -> bool {
        match tier {
            Some(t) if (1..=TIER_COUNT).contains(&t) => self.tiers[usize::from(t - 1)],
            _ => true,
        }
    }

    /// Applies a command. Returns whether anything changed, so that no-op commands can be
    /// told apart from real edits.
    pub fn apply(&mut self, command: &ViewCommand) -> bool {
        let before = self.clone();
        match command {
            ViewCommand::SetGroupVisible(id, v) => {
                self.groups
                    .entry(id.clone())
                    .or_insert(LayerSettings::SHOWN)
                    .visible = *v
            }
            ViewCommand::SetGroupOpacity(id, o) => {
                self.groups
                    .entry(id.clone())
                    .or_insert(LayerSettings::SHOWN)
                    .opacity = o.clamp(0.0, 1.0);
            }
            ViewCommand::SetLayerVisible(id, v) => {
                self.layers
                    .entry(id.clone())
                    .or_insert(LayerSettings::SHOWN)
                    .visible = *v
            }
            ViewCommand::SetLayerOpacity(id, o) => {
                self.layers
                    .entry(id.clone())
                    .or_insert(LayerSettings::SHOWN)
                    .opacity = o.clamp(0.0, 1.0);
            }
            ViewCommand::SetTierVisible(t, v) => {
                if (1..=TIER_COUNT).contains(t) {
                    self.tiers[usize::from(t - 1)] = *v;
                }
            }
            ViewCommand::ShowTiersUpTo(n) => {
                for t in 1..=TIER_COUNT {
                    self.tiers[usize::from(t - 1)] = t <= *n;
                }
            }
            ViewCommand::SetLanguage(l) => self.language = *l,
            ViewCommand::SetIndicativeHidden(h) => self.hide_indicative = *h,
            ViewCommand::SetLegend(l) => self.legend = *l,
            ViewCommand::SetBasemap(b) => self.basemap = b.clone(),
        }
        *self != before
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_legend_left_as_it_was_is_not_written_and_old_files_read_with_it() {
        let mut settings = settings();
        let text = ron::to_string(&settings).unwrap();
        assert!(!text.contains("legend"), "{text}");
        let read: ViewSettings = ron::from_str(&text).unwrap();
        assert_eq!(read.legend, LegendPlacement::default());
        settings.legend.corner = Corner::TopRight;
        let text = ron::to_string(&settings).unwrap();
        let read: ViewSettings = ron::from_str(&text).unwrap();
        assert_eq!(read.legend.corner, Corner::TopRight);
    }

    fn settings() -> ViewSettings {
        let mut s = ViewSettings {
            groups: BTreeMap::new(),
            layers: BTreeMap::new(),
            tiers: [true; 5],
            language: LabelLanguage::Chinese,
            hide_indicative: false,
            legend: Default::default(),
            basemap: BasemapChoice::Builtin,
        };
        s.groups.insert("g".into(), LayerSettings::SHOWN);
        s.layers.insert("l".into(), LayerSettings::SHOWN);
        s
    }

    #[test]
    fn a_layer_is_shown_only_when_its_group_is_too() {
        let mut s = settings();
        assert!(s.layer_shown("g", "l"));
        assert!(s.apply(&ViewCommand::SetGroupVisible("g".into(), false)));
        assert!(!s.layer_shown("g", "l"));
    }

    #[test]
    fn opacity_multiplies_group_and_layer_and_is_clamped() {
        let mut s = settings();
        s.apply(&ViewCommand::SetGroupOpacity("g".into(), 0.5));
        s.apply(&ViewCommand::SetLayerOpacity("l".into(), 3.0));
        assert_eq!(s.opacity("g", "l"), 0.5);
    }

    #[test]
    fn hiding_indicative_features_is_a_change_and_old_settings_read_it_as_off() {
        let mut s = settings();
        assert!(s.apply(&ViewCommand::SetIndicativeHidden(true)));
        assert!(s.hide_indicative);
        assert!(!s.apply(&ViewCommand::SetIndicativeHidden(true)));
        let written = ron::to_string(&s).unwrap();
        assert!(written.contains("hide_indicative"), "{written}");
        s.hide_indicative = false;
        let written = ron::to_string(&s).unwrap();
        assert!(
            !written.contains("hide_indicative"),
            "off is left out: {written}"
        );
        let read: ViewSettings = ron::from_str(&written).unwrap();
        assert!(!read.hide_indicative);
    }

    #[test]
    fn showing_tiers_up_to_n_hides_the_lower_tiers() {
        let mut s = settings();
        assert!(s.apply(&ViewCommand::ShowTiersUpTo(2)));
        assert_eq!(s.tiers, [true, true, false, false, false]);
        assert!(!s.tier_shown(Some(3)));
        assert!(s.tier_shown(None));
        assert!(
            !s.apply(&ViewCommand::ShowTiersUpTo(2)),
            "a repeated command changes nothing"
        );
    }
}
