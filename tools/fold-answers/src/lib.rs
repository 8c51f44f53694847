//! Folds the exercises' answers away in the book.
//!
//! Each exercise leaves some function bodies of a stage for the student to
//! write, and the stage's page shows those very functions in its listings.
//! Shown in full, a listing hands the student the answer before they have
//! tried. This crate is an mdBook preprocessor (see `main.rs`) that keeps
//! each such listing, doc comment and signature included, but puts the
//! body in a closed `<details>`, labelled as the answer, that a reader
//! opens with one click.
//!
//! [`answers`] finds the bodies to fold, from `source/exercises/gaps.md`
//! and the stages' crates; [`fold`] splits the listings around them; and
//! [`fold_book`] walks the book as mdBook hands it over.

pub mod answers;
pub mod fold;

pub use answers::Answer;
pub use fold::fold;

use serde_json::Value;

/// Folds the answers in every chapter of `book`, mdBook's book as JSON
/// (`{"items": [...]}`). Only each chapter's `content` changes: the other
/// fields, and items that are not chapters, go back as they came.
pub fn fold_book(book: &mut Value, answers: &[Answer]) {
    if let Some(items) = book.get_mut("items") {
        fold_items(items, answers);
    }
}

/// Each item is `{"Chapter": {...}}`, `"Separator"` or `{"PartTitle":
/// "..."}`; a chapter's own chapters are in its `sub_items`.
fn fold_items(items: &mut Value, answers: &[Answer]) {
    let Some(items) = items.as_array_mut() else {
        return;
    };
    for chapter in items.iter_mut().filter_map(|item| item.get_mut("Chapter")) {
        if let Some(Value::String(content)) = chapter.get_mut("content") {
            *content = fold(content, answers);
        }
        if let Some(sub_items) = chapter.get_mut("sub_items") {
            fold_items(sub_items, answers);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_the_chapters_contents_change_at_every_depth() {
        let answer = Answer {
            exercise: 2,
            stage: 2,
            file: "src/a.rs".to_string(),
            function: "f".to_string(),
            signature: vec!["fn f() {".to_string()],
            body: vec!["    x();".to_string()],
            closing: "}".to_string(),
        };
        let listing = "```rust\nfn f() {\n    x();\n}\n```\n";
        let chapter = |content: &str, sub_items: Value| {
            json!({"Chapter": {
                "name": "A page", "content": content, "number": [1],
                "sub_items": sub_items, "path": "a.md", "source_path": "a.md",
                "parent_names": []
            }})
        };
        let mut book = json!({"items": [
            chapter(listing, json!([chapter(listing, json!([]))])),
            "Separator",
            {"PartTitle": "Part"},
        ]});
        let folded = fold(listing, std::slice::from_ref(&answer));
        assert_ne!(folded, listing);
        let expected = json!({"items": [
            chapter(&folded, json!([chapter(&folded, json!([]))])),
            "Separator",
            {"PartTitle": "Part"},
        ]});
        fold_book(&mut book, &[answer]);
        assert_eq!(book, expected);
    }
}
