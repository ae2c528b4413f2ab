//! The plan and basemap as plain data, with the checks that say whether the data is sound.
//! The bottom layer: it imports no other module of the crate and no GUI crate.

pub mod attributes;
pub mod basemap;
pub mod checks;
pub mod crs;
pub mod derived;
pub mod diff;
pub mod diff_words;
pub mod edition;
pub mod feature;
pub mod finding_text;
pub mod indicative;
pub mod lang;
pub mod measure;
pub mod overrides;
pub mod plan;
pub mod project;
pub mod project_check;
pub mod region;
pub mod report;
pub mod review;
pub mod search;
pub mod spatial;
pub mod style;
pub mod tile_basemap;
pub mod validate;
pub mod view;
pub mod well_formed;

pub use basemap::{Basemap, BasemapPlace, PlaceKind};
pub use feature::{FeatureId, PlanFeature, Status};
pub use lang::{Bilingual, LabelLanguage, UiLanguage};
pub use plan::{Plan, PlanLayer};
pub use region::Region;
