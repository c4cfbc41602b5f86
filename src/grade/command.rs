//! kubectl command drills, graded by meaning. (Filled in by the next step.)

use crate::model::{Drill, ItemId};

use super::GradeReport;

pub fn grade_drill(id: &ItemId, drill: &Drill, command: &str, language: &str) -> GradeReport {
    let _ = (drill, command, language);
    GradeReport::new(id.to_string(), Vec::new(), Vec::new())
}
