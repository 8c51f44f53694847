//! The book cannot drift from the code: every include on every page must
//! pull in real lines from a file that exists.

use std::path::Path;

#[test]
fn every_include_in_the_book_pulls_in_real_code() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../book/src");
    assert!(
        src.join("SUMMARY.md").is_file(),
        "no book at {}",
        src.display()
    );

    let problems = book_check::check_book(&src);

    assert!(
        problems.is_empty(),
        "the book has broken includes:\n{}",
        problems.join("\n")
    );
}
