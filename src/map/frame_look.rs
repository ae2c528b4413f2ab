//! The settings a map frame's features are drawn with, besides the data and where the map is:
//! what a kept drawing (the paint cache's meshes, the map canvas's picture) must match to be
//! shown again.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::FeatureId;
use crate::model::project::SketchLayer;
use crate::model::style::Style;
use crate::model::view::ViewSettings;

use super::draw::MapFrame;

#[derive(Clone, PartialEq)]
pub(super) struct FrameLook {
    pub view: ViewSettings,
    pub sketches: BTreeMap<String, SketchLayer>,
    pub style: Style,
    pub hidden: BTreeSet<FeatureId>,
    pub sketched: BTreeSet<FeatureId>,
    pub sketches_shown: bool,
    pub tiles_under: bool,
    pub symbol_scale: f32,
    pub line_scale: f32,
}

impl FrameLook {
    /// `frame`'s settings, copied to be kept.
    pub fn of(frame: &MapFrame<'_>) -> Self {
        Self {
            view: frame.view.clone(),
            sketches: frame.sketches.clone(),
            style: frame.style.clone(),
            hidden: frame.hidden.clone(),
            sketched: frame.sketched.clone(),
            sketches_shown: frame.sketches_shown,
            tiles_under: frame.tiles_under,
            symbol_scale: frame.symbol_scale,
            line_scale: frame.line_scale,
        }
    }

    /// Whether `frame` is drawn with these settings, without copying anything (this runs
    /// every frame); the cheap comparisons first.
    pub fn matches(&self, frame: &MapFrame<'_>) -> bool {
        self.sketches_shown == frame.sketches_shown
            && self.tiles_under == frame.tiles_under
            && self.symbol_scale == frame.symbol_scale
            && self.line_scale == frame.line_scale
            && &self.view == frame.view
            && &self.sketches == frame.sketches
            && &self.style == frame.style
            && &self.hidden == frame.hidden
            && &self.sketched == frame.sketched
    }
}
