//! Whether a project fits its plan edition: every placement names a known action, section,
//! city and horizon, has both names, and lies in the plan region. Problems do not stop a
//! project from opening; `onemap validate` reports them.

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
    out
}
