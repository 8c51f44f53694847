//! What a student is asked to do, and what the tutor checks: an exercise
//! (the functions a stage leaves open, checked by the chapter's tests), or
//! one of its challenges (a feature the book does not show, checked by its
//! own test program). Both live in the exercise's crate, and are built
//! together; each is judged by its own tests.

use crate::exercise::{Challenge, Exercise, Gap};

#[derive(Clone, Copy)]
pub struct Assignment<'a> {
    pub exercise: &'a Exercise,
    /// `None` for the exercise itself.
    pub challenge: Option<&'a Challenge>,
}

impl<'a> Assignment<'a> {
    pub fn exercise(exercise: &'a Exercise) -> Assignment<'a> {
        Assignment {
            exercise,
            challenge: None,
        }
    }

    /// How the student names it on the command line: `8`, or `8a`.
    pub fn number(&self) -> String {
        match self.challenge {
            Some(challenge) => challenge.id.clone(),
            None => self.exercise.stage.to_string(),
        }
    }

    /// `exercise 8`, or `challenge 8a`.
    pub fn name(&self) -> String {
        match self.challenge {
            Some(challenge) => format!("challenge {}", challenge.id),
            None => format!("exercise {}", self.exercise.stage),
        }
    }

    /// The stage's page, or what the challenge asks for.
    pub fn title(&self) -> &str {
        match self.challenge {
            Some(challenge) => &challenge.title,
            None => &self.exercise.page,
        }
    }

    /// The functions the student writes for it.
    pub fn gaps(&self) -> &'a [Gap] {
        match self.challenge {
            Some(challenge) => &challenge.gaps,
            None => &self.exercise.gaps,
        }
    }

    /// Whether the test program `suite` of the exercise's crate is one of
    /// its tests: a challenge has a program of its own; the exercise has
    /// all the others, the chapter's.
    pub fn is_tested_by(&self, suite: &str) -> bool {
        match self.challenge {
            Some(challenge) => suite == challenge.suite(),
            None => !suite.starts_with("challenge_"),
        }
    }
}

/// Every assignment of `exercises`: each exercise, then its challenges.
pub fn all<'a>(exercises: &'a [Exercise]) -> Vec<Assignment<'a>> {
    exercises
        .iter()
        .flat_map(|exercise| {
            std::iter::once(Assignment::exercise(exercise)).chain(exercise.challenges.iter().map(
                |challenge| Assignment {
                    exercise,
                    challenge: Some(challenge),
                },
            ))
        })
        .collect()
}

/// The assignment a student names: `8` for exercise 8, `8a` for its first
/// challenge.
pub fn find<'a>(exercises: &'a [Exercise], number: &str) -> Option<Assignment<'a>> {
    all(exercises)
        .into_iter()
        .find(|assignment| assignment.number() == number.trim().to_ascii_lowercase())
}
