//! The teachers' page lists, for each exercise, the functions it leaves to
//! write. That list must be the one the exercises are made from
//! (`source/exercises/gaps.md`), or it would send a teacher astray.

use std::path::Path;

#[test]
fn the_teachers_table_names_every_gap_of_every_exercise() {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let page = std::fs::read_to_string(workspace.join("book/src/teaching.md")).unwrap();
    for exercise in stages::exercises::all(&workspace).unwrap() {
        let cell = format!("| `exercises/{}` |", exercise.package());
        let row = page
            .lines()
            .find(|line| line.starts_with(&cell))
            .unwrap_or_else(|| panic!("teaching.md has no row for {}", exercise.package()));
        for gap in &exercise.gaps {
            assert!(
                row.contains(&format!("{}`", gap.function)),
                "teaching.md's row for {} does not name {}",
                exercise.package(),
                gap.function
            );
        }
    }
}
