//! Whether a project fits its plan edition: every placement names a known action, section,
//! city and horizon, has both names, and lies in the plan region, as do the plan overrides.
//! Problems do not stop a project from opening; `onemap validate` reports them. (What a file
//! must not contain at all is refused on load: see `well_formed`.)

use geo::Coord;

use super::edition::Edition;
use super::plan::Plan;
use super::project::Project;

pub fn project_problems(project: &Project, edition: &Edition, plan: &Plan) -> Vec<String> {
    let mut out = Vec::new();
    if project.edition != edition.id {
        out.push(format!(
            "the project is for plan edition `{}`, the layers are `{}`",
            project.edition, edition.id
        ));
    }
    let known = |layer: &str, id: &str| {
        plan.layer(layer)
            .is_some_and(|l| l.features.iter().any(|f| f.id.as_str() == id))
    };
    for (id, p) in &project.placements {
        let mut problem = |m: String| out.push(format!("placement {}: {m}", id.0));
        if p.name_zh.trim().is_empty() || p.name_en.trim().is_empty() {
            problem("needs both a Chinese and an English name".into());
        }
        if edition.action(&p.action).is_none() {
            problem(format!(
                "action `{}` is not one of the edition's system actions",
                p.action
            ));
        }
        if let Some(s) = &p.section
            && !known("sections", s)
        {
            problem(format!("section `{s}` is not a zone of the plan"));
        }
        for city in p.lead_city.iter().chain(p.participants.iter()) {
            if !known("cities", city) {
                problem(format!("city `{city}` is not one of the plan's cities"));
            }
        }
        if !edition.horizons.contains(&p.horizon) {
            problem(format!(
                "horizon {} is not one of {:?}",
                p.horizon, edition.horizons
            ));
        }
        if let Some((x, y)) = p
            .geometry
            .positions()
            .find(|(x, y)| !plan.region.contains(Coord { x: *x, y: *y }))
        {
            problem(format!("position ({x}, {y}) lies outside the plan region"));
        }
    }
    for (id, o) in &project.plan_overrides {
        use super::overrides::PlanOverride as O;
        let (O::Added { geometry, .. }
        | O::Modified {
            geometry: Some(geometry),
            ..
        }) = o
        else {
            continue;
        };
        if let Some((x, y)) = geometry
            .positions()
            .find(|(x, y)| !plan.region.contains(Coord { x: *x, y: *y }))
        {
            out.push(format!(
                "plan override {id}: position ({x}, {y}) lies outside the plan region"
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::overrides::PlanOverride;
    use crate::model::project::PlacementGeometry;
    use crate::model::view::ViewSettings;
    use crate::model::{LabelLanguage, Region};

    #[test]
    fn an_override_outside_the_plan_region_is_a_problem() {
        let edition = Edition {
            id: "e".into(),
            name_zh: String::new(),
            name_en: String::new(),
            source: String::new(),
            horizons: vec![2035],
            actions: Vec::new(),
        };
        let settings = ViewSettings {
            groups: Default::default(),
            layers: Default::default(),
            tiers: [true; 5],
            language: LabelLanguage::Chinese,
            hide_indicative: false,
            legend: Default::default(),
            basemap: Default::default(),
        };
        let mut project = Project::new("e", settings, "2026-11-28T00:00:00Z");
        let plan = Plan::new(Region::SHANGHAI_METROPOLITAN_AREA);
        let line = |x: f64| PlanOverride::Added {
            layer: "corridors".into(),
            name_zh: "x".into(),
            name_en: "x".into(),
            kind: "primary".into(),
            geometry: PlacementGeometry::LineString(vec![(121.0, 31.0), (x, 31.0)]),
        };
        project
            .plan_overrides
            .insert("sketch.in".into(), line(121.2));
        assert_eq!(
            project_problems(&project, &edition, &plan),
            Vec::<String>::new()
        );
        project
            .plan_overrides
            .insert("sketch.far".into(), line(2.35));
        assert_eq!(
            project_problems(&project, &edition, &plan),
            ["plan override sketch.far: position (2.35, 31) lies outside the plan region"]
        );
    }
}
