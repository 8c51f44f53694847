//! The values callbacks receive, and the tasks that produce them.

mod common;

use common::stage::{Js, Task, ThreadPoolTaskKind};

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

#[test]
fn into_int_gives_the_number_of_an_int_only() {
    assert_eq!(Js::Int(42).into_int(), Some(42));
    assert_eq!(Js::String("42".into()).into_int(), None);
    assert_eq!(Js::Error("no".into()).into_int(), None);
}

#[test]
fn a_task_carries_its_work_and_the_callback_it_answers() {
    let task = Task::new(ThreadPoolTaskKind::Encrypt, 7, || Js::Int(1 + 1));
    assert_eq!(task.kind, ThreadPoolTaskKind::Encrypt);
    assert_eq!(task.callback_id, 7);
    assert_eq!((task.work)(), Js::Int(2));
}

#[test]
fn the_close_task_is_a_close() {
    let task = Task::close();
    assert_eq!(task.kind, ThreadPoolTaskKind::Close);
    assert_eq!(task.kind.to_string(), "Close");
}

#[test]
fn task_kinds_print_their_names() {
    assert_eq!(ThreadPoolTaskKind::FileRead.to_string(), "FileRead");
    assert_eq!(ThreadPoolTaskKind::Encrypt.to_string(), "Encrypt");
}

#[test]
fn the_work_of_a_task_can_be_sent_to_another_thread() {
    let task = Task::new(ThreadPoolTaskKind::FileRead, 1, || {
        Js::String("done".into())
    });
    let value = std::thread::spawn(move || (task.work)()).join().unwrap();
    assert_eq!(value, Js::String("done".into()));
}
