//! The values callbacks receive. (The tasks that produce them are tested
//! in `src/types.rs`: from stage 5 on, they are the runtime's business.)

mod common;

use common::stage::Js;

/// `into_string` returns a value only for a `Js::String`: its text.
#[test]
fn into_string_gives_the_text_of_a_string_only() {
    assert_eq!(
        Js::String("hi".into()).into_string(),
        Some("hi".to_string())
    );
    assert_eq!(Js::Int(3).into_string(), None);
    assert_eq!(Js::Undefined.into_string(), None);
    assert_eq!(Js::Error("no".into()).into_string(), None);
}

/// `into_int` returns a value only for a `Js::Int`: its number.
#[test]
fn into_int_gives_the_number_of_an_int_only() {
    assert_eq!(Js::Int(42).into_int(), Some(42));
    assert_eq!(Js::String("42".into()).into_int(), None);
    assert_eq!(Js::Error("no".into()).into_int(), None);
}
