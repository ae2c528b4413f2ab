//! What the UI asks the app to do. Panels never change the app's state themselves: they push
//! commands, and [`super::OneMapApp::run_commands`] applies them once per frame.

use geo::Rect;

use crate::model::FeatureId;
use crate::model::view::ViewCommand;

#[derive(Clone, Debug, PartialEq)]
pub enum AppCommand {
    View(ViewCommand),
    Select(Option<FeatureId>),
    /// Selects a feature and brings it into view.
    SelectAndShow(FeatureId),
    /// Brings a lon/lat box into view.
    ZoomTo(Rect<f64>),
    ZoomIn,
    ZoomOut,
    /// Fits the whole plan area.
    Home,
    ShowAbout(bool),
    /// Closes the bar that lists data files that could not be read.
    DismissProblems,
}
