//! The teachers' page lists, for each exercise, the functions it leaves to
//! write. That list must be the one the exercises are made from
//! (`source/exercises/gaps.md`), or it would send a teacher astray.
//!
//! And it lists every challenge, with the functions it asks for.
//!
//! It also says, for each exercise, which sections of the book fold its
//! answer away. A teacher who hands out a closed exercise goes by that
//! table, so it must have a row for every exercise, naming real sections.

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

#[test]
fn the_teachers_table_of_challenges_names_every_challenge_and_its_functions() {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let page = std::fs::read_to_string(workspace.join("book/src/teaching.md")).unwrap();
    for exercise in stages::exercises::all(&workspace).unwrap() {
        for challenge in &exercise.challenges {
            let cell = format!("| `{}` |", challenge.id);
            let row = page
                .lines()
                .find(|line| line.starts_with(&cell))
                .unwrap_or_else(|| panic!("teaching.md has no row for challenge {}", challenge.id));
            for gap in &challenge.gaps {
                assert!(
                    row.contains(&format!("{}`", gap.function)),
                    "teaching.md's row for challenge {} does not name {}",
                    challenge.id,
                    gap.function
                );
            }
        }
    }
}

/// The header of the table of where the book folds each answer away.
const FOLDS_TABLE: &str = "| exercise | the sections whose listings fold the answer away |";

#[test]
fn the_teachers_table_of_folded_answers_has_a_row_for_every_exercise() {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let page = std::fs::read_to_string(workspace.join("book/src/teaching.md")).unwrap();
    let rows: Vec<&str> = page
        .lines()
        .skip_while(|line| !line.starts_with(FOLDS_TABLE))
        .take_while(|line| line.starts_with('|'))
        .collect();
    assert!(!rows.is_empty(), "teaching.md has no table `{FOLDS_TABLE}`");
    for exercise in stages::exercises::all(&workspace).unwrap() {
        let stage = exercise.stage;
        let row = rows
            .iter()
            .find(|row| row.starts_with(&format!("| {stage} |")))
            .unwrap_or_else(|| {
                panic!("teaching.md's table of folded answers has no row for exercise {stage}")
            });
        let sections = row.split('|').nth(2).unwrap_or("");
        let named = quoted(sections);
        assert!(
            !named.is_empty(),
            "the row of exercise {stage} names no section"
        );
        for section in named {
            assert!(
                exercise.page_of(section).is_some(),
                "the row of exercise {stage} names \"{section}\", which is no heading of the \
                 stage's pages ({})",
                page_files(&exercise)
            );
        }
    }
}

/// The files of the stage's pages: its own, and those nested under it.
fn page_files(exercise: &stages::exercises::Exercise) -> String {
    let files: Vec<&str> = exercise
        .pages
        .iter()
        .map(|page| page.file.as_str())
        .collect();
    files.join(", ")
}

/// The texts between double quotes in `text`.
fn quoted(text: &str) -> Vec<&str> {
    text.split('"').skip(1).step_by(2).collect()
}

/// Each section a hint sends the student to explains the idea in prose:
/// the tutor's pointers lead to an explanation, not only to a listing
/// (whose answer is folded away, in any case). A section of a few
/// sentences at least: this many words outside its code blocks.
const WORDS_OF_PROSE: usize = 60;

#[test]
fn every_section_a_hint_points_to_explains_it_in_prose() {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    for exercise in stages::exercises::all(&workspace).unwrap() {
        for gap in exercise.all_gaps() {
            for section in &gap.sections {
                let page = exercise.page_of(section).unwrap_or_else(|| {
                    panic!(
                        "no section \"{section}\" on the stage's pages ({})",
                        page_files(&exercise)
                    )
                });
                let text = std::fs::read_to_string(workspace.join(&page.file)).unwrap();
                let words = prose_words(&text, section);
                assert!(
                    words >= WORDS_OF_PROSE,
                    "{}: the section \"{section}\", which the hint of {} points to, has \
                     {words} words of prose",
                    page.file,
                    gap.function
                );
            }
        }
    }
}

/// The words of a section's prose: from its heading to the next heading
/// of the same level or above, without its code blocks.
fn prose_words(page: &str, section: &str) -> usize {
    let mut lines = page.lines().skip_while(|line| {
        !(line.starts_with('#') && line.trim_start_matches('#').trim() == section)
    });
    let Some(heading) = lines.next() else {
        return 0;
    };
    let level = heading.chars().take_while(|&c| c == '#').count();
    let mut in_code = false;
    let mut words = 0;
    for line in lines {
        let is_heading = line.starts_with('#') && !in_code;
        if is_heading && line.chars().take_while(|&c| c == '#').count() <= level {
            break;
        }
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
        } else if !in_code && !line.starts_with('<') && !line.starts_with("{{") {
            words += line.split_whitespace().count();
        }
    }
    words
}
