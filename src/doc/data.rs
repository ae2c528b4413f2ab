//! The plan data every view of the map is drawn from, read once from the data folder: the
//! plan layers, the basemap, the style, the edition and the attributions. The GUI, the
//! exports and the command line all start from it.

use crate::io::{DataDir, IoError, clock, read_basemap, read_edition, read_plan, read_style};
use crate::model::edition::Edition;
use crate::model::project::Project;
use crate::model::style::Style;
use crate::model::view::ViewSettings;
use crate::model::{Basemap, Plan, Region};

/// The data the app and the exports show, read once at start.
pub struct AppData {
    pub plan: Plan,
    pub basemap: Basemap,
    /// The style in effect: `assets/style.ron` with the project's order and paint overrides.
    pub style: Style,
    /// `assets/style.ron` as read.
    pub base_style: Style,
    pub edition: Option<Edition>,
    /// `assets/ATTRIBUTION.md`, shown in the About box.
    pub attribution: String,
    /// Files that could not be read. Shown to the user, never skipped silently.
    pub problems: Vec<String>,
    pub dir: DataDir,
    /// The plan again, shared with the documents, whose sketches apply to it.
    pub shared_plan: std::sync::Arc<Plan>,
}

impl AppData {
    /// Reads the plan layers, basemap, style and attributions. Only a missing or broken style
    /// is fatal; a broken layer or basemap is reported and the rest still opens.
    pub fn load(dir: &DataDir) -> Result<Self, IoError> {
        let style = read_style(&dir.style())?;
        let mut problems = Vec::new();
        let plan = match read_plan(&dir.layers(), Region::SHANGHAI_METROPOLITAN_AREA) {
            Ok(load) => {
                problems.extend(load.errors.iter().map(ToString::to_string));
                load.plan
            }
            Err(e) => {
                problems.push(e.to_string());
                Plan::new(Region::SHANGHAI_METROPOLITAN_AREA)
            }
        };
        let basemap = read_basemap(&dir.basemap()).unwrap_or_else(|e| {
            problems.push(e.to_string());
            Basemap::default()
        });
        let edition = read_edition(&dir.edition())
            .map_err(|e| problems.push(e.to_string()))
            .ok();
        let attribution = std::fs::read_to_string(dir.attribution()).unwrap_or_else(|e| {
            problems.push(format!(
                "could not read {}: {e}",
                dir.attribution().display()
            ));
            String::new()
        });
        Ok(Self {
            shared_plan: std::sync::Arc::new(plan.clone()),
            plan,
            basemap,
            base_style: style.clone(),
            style,
            edition,
            attribution,
            problems,
            dir: dir.clone(),
        })
    }

    /// A new, empty project on this edition.
    pub fn new_project(&self) -> Project {
        let edition = self.edition.as_ref().map_or("unknown", |e| e.id.as_str());
        Project::new(
            edition,
            ViewSettings::from_style(&self.style),
            &clock::now_rfc3339(),
        )
    }
}
