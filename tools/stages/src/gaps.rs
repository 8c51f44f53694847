//! Reading `source/exercises/gaps.md`: what each exercise leaves for the
//! student, and what proves that its tests can tell a right answer from a
//! wrong one.
//!
//! ~~~text
//! ## Exercise 2
//!
//! ### src/thread_pool.rs: dispatch_waiting_tasks
//!
//! Hand the waiting tasks to idle threads, oldest task first, ...
//!
//! Book: Giving out tasks
//!
//! #### Wrong: the newest task first
//!
//! ```rust
//! ...the body a student might write...
//! ```
//!
//! Symptom: out of order
//!
//! #### Equivalent: replace < with <= in Runtime::next_due_timer
//!
//! On: `if at < now`
//!
//! Why no test can tell it from the reference.
//!
//! ## Challenge 2a: Cancelling waiting tasks
//!
//! What the challenge asks for, in a paragraph.
//!
//! ### src/challenges.rs: cancel_waiting_tasks
//! ...
//! ~~~
//!
//! A gap (`###`) is a function whose body the student writes: its hint,
//! then the sections of the stage's page that explain it (`Book:`). Under
//! it, each `#### Wrong:` is a plausible mistake, kept so that `tutor
//! prove` can show that the tests catch it, with words that the tutor's
//! message must hold (`Symptom:`), so that the student hears what went
//! wrong. Each `#### Equivalent:` names a mutant that `cargo mutants`
//! makes of the reference body and that no test could tell apart from it,
//! with the reason. A challenge (`## Challenge`) is a feature the book
//! does not show: its gaps are functions of the challenge's own files, in
//! `source/challenges/exercise-N`.

/// One exercise: a stage, and the function bodies its student writes.
#[derive(Default)]
pub struct Exercise {
    pub stage: usize,
    /// The title of the stage's page in the book, such as "Stage 2: the
    /// thread pool", and its file from the top of the workspace.
    pub page: String,
    pub page_file: String,
    /// The stage's pages: its own page, then the pages nested under it in
    /// `book/src/SUMMARY.md` (such as "Stage N at work"), in that order. A
    /// section a gap names may be on any of them.
    pub pages: Vec<Page>,
    pub gaps: Vec<Gap>,
    /// Features the book does not show, for those who want more.
    pub challenges: Vec<Challenge>,
}

/// A page of the book that belongs to a stage.
#[derive(Clone, Default)]
pub struct Page {
    /// Its title in `book/src/SUMMARY.md`.
    pub title: String,
    /// Its file from the top of the workspace, such as
    /// `book/src/chapter-2-at-work.md`.
    pub file: String,
    /// Its headings, without their `#`s.
    pub headings: Vec<String>,
}

/// A feature that the stage's page states at its end, but does not show:
/// functions whose bodies the student writes, checked by tests of its own.
pub struct Challenge {
    /// The exercise's number and a letter, such as `8a`.
    pub id: String,
    pub title: String,
    /// What it asks for, in a paragraph.
    pub statement: String,
    pub gaps: Vec<Gap>,
}

/// A function body the student writes.
pub struct Gap {
    /// The file, from the crate's folder, such as `src/thread_pool.rs`.
    pub file: String,
    pub function: String,
    /// The challenge it belongs to, or `None` for the exercise's own.
    pub challenge: Option<String>,
    /// What belongs there, in a sentence or two.
    pub hint: String,
    /// The sections of the stage's pages that explain it.
    pub sections: Vec<String>,
    pub wrong_answers: Vec<WrongAnswer>,
    pub equivalent_mutants: Vec<EquivalentMutant>,
}

/// A plausible mistake: a body a student might write, which the tests
/// must turn down with a message that names the symptom.
pub struct WrongAnswer {
    pub title: String,
    /// The body, as it would stand between the function's braces.
    pub body: String,
    /// Words that the tutor's message about it must hold.
    pub symptom: String,
}

/// A mutant of the reference body that no test could tell apart from it.
pub struct EquivalentMutant {
    /// As `cargo mutants` names it, without its place: such as `replace <
    /// with <= in Runtime::next_due_timer`.
    pub mutant: String,
    /// Code on the line it changes, where the name alone could mean more
    /// than one mutant.
    pub on: Option<String>,
    pub reason: String,
}

impl Gap {
    /// The sections, each in quotes: `"A"`, or `"A" and "B"`.
    pub fn sections_quoted(&self) -> String {
        let quoted: Vec<String> = self.sections.iter().map(|s| format!("\"{s}\"")).collect();
        quoted.join(" and ")
    }
}

/// What the line being read belongs to.
enum Place {
    /// Nothing yet, or the text under an exercise's heading.
    Top,
    /// A challenge's statement, before its first gap.
    Statement,
    /// A gap's hint and its `Book:` lines.
    Gap,
    /// A wrong answer: its code, then its symptom.
    Wrong {
        in_code: bool,
    },
    Equivalent,
}

/// Reads the exercises, their gaps and challenges from the text of
/// `gaps.md` (`file` names it in errors). The page titles are left empty.
pub fn parse(file: &str, text: &str) -> Result<Vec<Exercise>, String> {
    let mut exercises: Vec<Exercise> = Vec::new();
    parse_into(file, text, &mut exercises, true)?;
    check(file, &exercises)?;
    Ok(exercises)
}

/// Reads the challenges of `exercise` from the text of its challenges'
/// file, `source/challenges/exercise-N/challenges.md`, which is written
/// as `gaps.md` is, but holds only `## Challenge` sections.
pub fn parse_challenges(file: &str, text: &str, exercise: &mut Exercise) -> Result<(), String> {
    let mut exercises = vec![std::mem::take(exercise)];
    let parsed = parse_into(file, text, &mut exercises, false);
    *exercise = exercises.pop().expect("the one exercise");
    parsed?;
    check(file, std::slice::from_ref(exercise))
}

/// Reads `text` into `exercises`: new exercises, if `exercises_allowed`,
/// else only challenges of the last one.
fn parse_into(
    file: &str,
    text: &str,
    exercises: &mut Vec<Exercise>,
    exercises_allowed: bool,
) -> Result<(), String> {
    let mut place = Place::Top;
    let error = |line: usize, why: &str| format!("{file}:{}: {why}", line + 1);
    for (number, line) in text.lines().enumerate() {
        let error = |why: &str| error(number, why);
        if let Place::Wrong { in_code: true } = place {
            let wrong = last_wrong_answer(exercises).expect("in a wrong answer");
            if line.trim_end() == "```" {
                place = Place::Wrong { in_code: false };
            } else {
                wrong.body.push_str(line);
                wrong.body.push('\n');
            }
            continue;
        }
        if let Some(title) = line.strip_prefix("## Exercise ") {
            if !exercises_allowed {
                return Err(error("only challenges here: `## Challenge Na: TITLE`"));
            }
            let stage = title
                .trim()
                .parse()
                .map_err(|_| error("the heading must be `## Exercise N`"))?;
            exercises.push(Exercise {
                stage,
                page: String::new(),
                page_file: String::new(),
                pages: Vec::new(),
                gaps: Vec::new(),
                challenges: Vec::new(),
            });
            place = Place::Top;
        } else if let Some(heading) = line.strip_prefix("## Challenge ") {
            let exercise = exercises
                .last_mut()
                .ok_or_else(|| error("a challenge before any `## Exercise N`"))?;
            let (id, title) = heading
                .split_once(": ")
                .ok_or_else(|| error("the heading must be `## Challenge Na: TITLE`"))?;
            let letter = char::from(b'a' + exercise.challenges.len() as u8);
            let expected = format!("{}{letter}", exercise.stage);
            if id.trim() != expected {
                return Err(error(&format!(
                    "this challenge of exercise {} must be called {expected}",
                    exercise.stage
                )));
            }
            exercise.challenges.push(Challenge {
                id: expected,
                title: title.trim().to_string(),
                statement: String::new(),
                gaps: Vec::new(),
            });
            place = Place::Statement;
        } else if let Some(heading) = line.strip_prefix("### ") {
            let exercise = exercises
                .last_mut()
                .ok_or_else(|| error("a gap before any `## Exercise N`"))?;
            let (file, function) = heading
                .split_once(": ")
                .ok_or_else(|| error("the heading must be `### FILE: FUNCTION`"))?;
            // Once a challenge has begun, every gap is one of its own.
            let challenge = exercise.challenges.last().map(|c| c.id.clone());
            if challenge.is_none() && !exercises_allowed {
                return Err(error("a gap before any `## Challenge Na: TITLE`"));
            }
            let gap = Gap {
                file: file.trim().to_string(),
                function: function.trim().to_string(),
                challenge,
                hint: String::new(),
                sections: Vec::new(),
                wrong_answers: Vec::new(),
                equivalent_mutants: Vec::new(),
            };
            match exercise.challenges.last_mut() {
                Some(challenge) => challenge.gaps.push(gap),
                None => exercise.gaps.push(gap),
            }
            place = Place::Gap;
        } else if let Some(title) = line.strip_prefix("#### Wrong: ") {
            let gap = last_gap(exercises).ok_or_else(|| error("a wrong answer before any gap"))?;
            gap.wrong_answers.push(WrongAnswer {
                title: title.trim().to_string(),
                body: String::new(),
                symptom: String::new(),
            });
            place = Place::Wrong { in_code: false };
        } else if let Some(mutant) = line.strip_prefix("#### Equivalent: ") {
            let gap =
                last_gap(exercises).ok_or_else(|| error("an equivalent mutant before any gap"))?;
            gap.equivalent_mutants.push(EquivalentMutant {
                mutant: mutant.trim().to_string(),
                on: None,
                reason: String::new(),
            });
            place = Place::Equivalent;
        } else if line.starts_with("##") {
            return Err(error("an unknown heading: see the top of the file"));
        } else {
            read_line(exercises, &place, line).map_err(|why| error(&why))?;
            if let Place::Wrong { .. } = place {
                if line.trim_start().starts_with("```") {
                    place = Place::Wrong { in_code: true };
                }
            }
        }
    }
    Ok(())
}

/// A line of text under the last heading.
fn read_line(exercises: &mut [Exercise], place: &Place, line: &str) -> Result<(), String> {
    let text = line.trim();
    match place {
        Place::Top => {}
        Place::Statement => {
            let challenge = exercises
                .last_mut()
                .and_then(|e| e.challenges.last_mut())
                .expect("in a challenge");
            add_words(&mut challenge.statement, text);
        }
        Place::Gap => {
            let gap = last_gap(exercises).expect("in a gap");
            if let Some(section) = line.strip_prefix("Book: ") {
                gap.sections.push(section.trim().to_string());
            } else if !gap.sections.is_empty() && !text.is_empty() {
                return Err("a gap's hint comes before its `Book:` lines".to_string());
            } else {
                add_words(&mut gap.hint, text);
            }
        }
        Place::Wrong { .. } => {
            let wrong = last_wrong_answer(exercises).expect("in a wrong answer");
            if let Some(symptom) = line.strip_prefix("Symptom: ") {
                wrong.symptom = symptom.trim().to_string();
            } else if text.starts_with("```") {
                if !wrong.body.is_empty() {
                    return Err("a wrong answer has one block of code".to_string());
                }
            } else if !text.is_empty() {
                return Err("under `#### Wrong:`, only a block of code and `Symptom:`".to_string());
            }
        }
        Place::Equivalent => {
            let gap = last_gap(exercises).expect("in a gap");
            let equivalent = gap.equivalent_mutants.last_mut().expect("in an equivalent");
            if let Some(code) = line.strip_prefix("On: ") {
                equivalent.on = Some(code.trim().trim_matches('`').to_string());
            } else {
                add_words(&mut equivalent.reason, text);
            }
        }
    }
    Ok(())
}

/// Adds a line of prose to `text`, one space between lines; a blank line
/// adds nothing.
fn add_words(text: &mut String, line: &str) {
    if line.is_empty() {
        return;
    }
    if !text.is_empty() {
        text.push(' ');
    }
    text.push_str(line);
}

fn last_gap(exercises: &mut [Exercise]) -> Option<&mut Gap> {
    let exercise = exercises.last_mut()?;
    match exercise.challenges.last_mut() {
        Some(challenge) => challenge.gaps.last_mut(),
        None => exercise.gaps.last_mut(),
    }
}

fn last_wrong_answer(exercises: &mut [Exercise]) -> Option<&mut WrongAnswer> {
    last_gap(exercises)?.wrong_answers.last_mut()
}

/// What every exercise, challenge and gap must have.
fn check(file: &str, exercises: &[Exercise]) -> Result<(), String> {
    for exercise in exercises {
        for challenge in &exercise.challenges {
            if challenge.statement.is_empty() || challenge.gaps.is_empty() {
                return Err(format!(
                    "{file}: challenge {} needs a statement and at least one gap",
                    challenge.id
                ));
            }
        }
        let gaps = exercise
            .gaps
            .iter()
            .chain(exercise.challenges.iter().flat_map(|c| &c.gaps));
        for gap in gaps {
            let name = format!("exercise {}, {}", exercise.stage, gap.function);
            if gap.hint.is_empty() || gap.sections.is_empty() {
                return Err(format!("{file}: {name} needs a hint and a `Book:` line"));
            }
            // The hint becomes the format string of a `todo!()`.
            if gap.hint.contains(['{', '}']) {
                return Err(format!("{file}: {name}: a hint cannot hold braces"));
            }
            for wrong in &gap.wrong_answers {
                if wrong.body.trim().is_empty() || wrong.symptom.is_empty() {
                    return Err(format!(
                        "{file}: {name}: the wrong answer \"{}\" needs a block of code and a `Symptom:`",
                        wrong.title
                    ));
                }
            }
            for equivalent in &gap.equivalent_mutants {
                if equivalent.reason.is_empty() {
                    return Err(format!(
                        "{file}: {name}: the equivalent mutant \"{}\" needs its reason",
                        equivalent.mutant
                    ));
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const GAPS_MD: &str = "# The exercises\n\nSome words.\n\n## Exercise 2\n\n\
        ### src/a.rs: first\n\nDo the first\nthing.\n\nBook: The first\n\n\
        #### Wrong: backwards\n\n```rust\nlet x = {\n    1\n};\n```\n\nSymptom: out of order\n\n\
        #### Equivalent: replace < with <= in first\n\nOn: `if a < b`\n\nThey are never\nequal.\n\n\
        ### src/a.rs: second\n\nDo the second.\n\nBook: The second\n\n\
        ## Challenge 2a: More\n\nWrite more\nof it.\n\n\
        ### src/challenges.rs: more\n\nDo more.\n\nBook: Challenges\n";

    #[test]
    fn gaps_are_read_with_their_hints_sections_and_proofs() {
        let exercises = parse("gaps.md", GAPS_MD).unwrap();
        assert_eq!(exercises.len(), 1);
        assert_eq!(exercises[0].stage, 2);
        let gaps = &exercises[0].gaps;
        assert_eq!(gaps.len(), 2);
        assert_eq!(
            (gaps[0].file.as_str(), gaps[0].function.as_str()),
            ("src/a.rs", "first")
        );
        assert_eq!(gaps[0].hint, "Do the first thing.");
        assert_eq!(gaps[0].sections, ["The first"]);
        let wrong = &gaps[0].wrong_answers[0];
        assert_eq!(wrong.title, "backwards");
        assert_eq!(wrong.body, "let x = {\n    1\n};\n");
        assert_eq!(wrong.symptom, "out of order");
        let equivalent = &gaps[0].equivalent_mutants[0];
        assert_eq!(equivalent.mutant, "replace < with <= in first");
        assert_eq!(equivalent.on.as_deref(), Some("if a < b"));
        assert_eq!(equivalent.reason, "They are never equal.");
        assert_eq!(gaps[1].hint, "Do the second.");
        assert_eq!(gaps[1].challenge, None);
    }

    #[test]
    fn a_challenge_has_its_statement_and_gaps() {
        let exercises = parse("gaps.md", GAPS_MD).unwrap();
        let challenge = &exercises[0].challenges[0];
        assert_eq!(challenge.id, "2a");
        assert_eq!(challenge.title, "More");
        assert_eq!(challenge.statement, "Write more of it.");
        assert_eq!(challenge.gaps[0].function, "more");
        assert_eq!(challenge.gaps[0].challenge.as_deref(), Some("2a"));
        assert_eq!(exercises[0].gaps.len(), 2, "not among the exercise's own");
    }

    #[test]
    fn an_exercise_takes_its_challenges_from_a_file_of_their_own() {
        let mut exercise = parse(
            "gaps.md",
            "## Exercise 8\n### src/a.rs: f\nDo it.\nBook: X\n",
        )
        .unwrap()
        .pop()
        .unwrap();
        let challenges = "# The challenges\n\n## Challenge 8a: Clear\n\nClear it.\n\n\
            ### src/challenges.rs: clear\n\nDo it.\n\nBook: Challenges\n";
        parse_challenges("challenges.md", challenges, &mut exercise).unwrap();
        assert_eq!(exercise.gaps.len(), 1);
        assert_eq!(exercise.challenges[0].id, "8a");
        assert_eq!(exercise.challenges[0].gaps[0].function, "clear");
        let error = parse_challenges("c.md", "## Exercise 9\n", &mut exercise).unwrap_err();
        assert!(error.contains("only challenges"), "{error}");
        let mut fresh = Exercise::default();
        let error = parse_challenges("c.md", "### src/a.rs: g\n", &mut fresh).unwrap_err();
        assert!(error.contains("before any `## Challenge"), "{error}");
    }

    #[test]
    fn what_is_missing_or_misplaced_is_refused() {
        let refused = |text: &str, why: &str| {
            let error = parse("gaps.md", text).err().unwrap_or_default();
            assert!(error.contains(why), "{error}");
        };
        refused("## Exercise 3\n### src/a.rs: f\nDo it.\n", "`Book:` line");
        refused(
            "## Exercise 3\n### src/a.rs: f\nDo {it}.\nBook: X\n",
            "braces",
        );
        refused(
            "## Exercise 3\n### src/a.rs: f\nDo it.\nBook: X\n#### Wrong: w\n```rust\nx\n```\n",
            "`Symptom:`",
        );
        refused(
            "## Exercise 3\n### src/a.rs: f\nDo it.\nBook: X\n#### Equivalent: m\n",
            "its reason",
        );
        refused(
            "## Exercise 3\n## Challenge 3b: x\nWhy.\n",
            "must be called 3a",
        );
        refused("## Exercise 3\n##### x\n", "unknown heading");
    }
}
