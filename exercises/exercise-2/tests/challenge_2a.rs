//! Challenge 2a: cancelling the tasks that wait for a pool thread.

#[path = "../../../chapters/chapter-2/tests/common/mod.rs"]
mod common;

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::{Arc, Barrier};

use common::stage::{Js, POOL_SIZE, Runtime, ThreadPoolTaskKind};
use common::{run_until_done, within};

/// With every thread held at a gate, the tasks given after them wait; the
/// waiting ones of one kind are cancelled, and their callbacks get an
/// error saying so, while the others run, in their order.
#[test]
fn waiting_tasks_of_a_kind_are_cancelled_and_their_callbacks_told() {
    within(10, || {
        let mut runtime = Runtime::new();
        let seen: Rc<RefCell<Vec<(String, Js)>>> = Rc::default();
        let gate = Arc::new(Barrier::new(POOL_SIZE + 1));
        for n in 0..POOL_SIZE {
            let gate = Arc::clone(&gate);
            let seen = Rc::clone(&seen);
            runtime.register_pool_task(
                ThreadPoolTaskKind::Encrypt,
                move || {
                    gate.wait();
                    Js::Int(n)
                },
                move |value| seen.borrow_mut().push((format!("busy {n}"), value)),
            );
        }
        let kinds = [
            ThreadPoolTaskKind::FileRead,
            ThreadPoolTaskKind::Encrypt,
            ThreadPoolTaskKind::FileRead,
            ThreadPoolTaskKind::Encrypt,
        ];
        for (n, kind) in kinds.into_iter().enumerate() {
            let seen = Rc::clone(&seen);
            runtime.register_pool_task(
                kind,
                move || Js::Int(100 + n),
                move |value| seen.borrow_mut().push((format!("waiting {n}"), value)),
            );
        }

        let cancelled = runtime.cancel_waiting_tasks(ThreadPoolTaskKind::FileRead);
        gate.wait();
        run_until_done(&mut runtime);

        assert_eq!(cancelled, 2, "two FileRead tasks were waiting");
        let seen = seen.borrow();
        let errors: Vec<&str> = seen
            .iter()
            .filter(|(_, value)| matches!(value, Js::Error(_)))
            .map(|(name, _)| name.as_str())
            .collect();
        assert_eq!(
            errors,
            ["waiting 0", "waiting 2"],
            "the cancelled callbacks: {seen:?}"
        );
        for (name, value) in seen.iter() {
            if let Js::Error(message) = value {
                assert!(message.contains("cancelled"), "{name} got {message:?}");
            }
        }
        // They ran on two threads: their callbacks may come in either order.
        let mut ran: Vec<(&str, &Js)> = seen
            .iter()
            .filter(|(name, _)| name == "waiting 1" || name == "waiting 3")
            .map(|(name, value)| (name.as_str(), value))
            .collect();
        ran.sort_by_key(|(name, _)| *name);
        assert_eq!(
            ran,
            [("waiting 1", &Js::Int(101)), ("waiting 3", &Js::Int(103))],
            "the other tasks ran"
        );
        assert_eq!(
            seen.len(),
            POOL_SIZE + 4,
            "every callback ran once: {seen:?}"
        );
        assert_eq!(runtime.pending_events(), 0);
    });
}

/// Nothing waits: nothing is cancelled, and the running tasks finish.
#[test]
fn with_nothing_waiting_nothing_is_cancelled() {
    within(10, || {
        let mut runtime = Runtime::new();
        let seen: Rc<RefCell<Vec<Js>>> = Rc::default();
        let seen_by_callback = Rc::clone(&seen);
        runtime.register_pool_task(
            ThreadPoolTaskKind::FileRead,
            || Js::Int(7),
            move |value| seen_by_callback.borrow_mut().push(value),
        );
        assert_eq!(
            runtime.cancel_waiting_tasks(ThreadPoolTaskKind::FileRead),
            0
        );
        run_until_done(&mut runtime);
        assert_eq!(*seen.borrow(), [Js::Int(7)]);
    });
}
