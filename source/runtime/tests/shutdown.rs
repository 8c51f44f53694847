//@ 2..
//@ 2
// //! Stage 2: dropping the runtime stops and joins every pool thread, and a
// //! new runtime can then run in the same process.
//@ or 3..=4
// //! Dropping the runtime stops and joins every pool thread and the epoll
// //! thread, and a new runtime can then run in the same process.
//@ or 5..
//! When `run` returns, every pool thread and the epoll thread have been
//! joined, even after a panic; and a new runtime can then run in the same
//! process.
//@ end
//!
//! In a file of its own (its own process), so that no other test's threads
//! are counted.

mod common;

use std::cell::Cell;
use std::panic; //@ 5..
use std::rc::Rc;

// use common::stage::{Js, POOL_SIZE, Runtime, ThreadPoolTaskKind}; //@ ..=4
// use common::stage::{Js, POOL_SIZE, Runtime, ThreadPoolTaskKind, register_pool_task, set_timeout}; //@ 5..=8
//@ 9..
use common::stage::{
    Js, Runtime, ThreadPoolTaskKind, pool_size_from_environment, register_pool_task, set_timeout,
};
//@ end
// use common::{eventually, run_until_done, within}; //@ ..=4
use common::{eventually, within}; //@ 5..

/// The names of this process's threads that belong to a runtime. Only
/// Linux lists them (in /proc); elsewhere the list is empty, and these
/// tests check less.
fn runtime_threads() -> Vec<String> {
    if !cfg!(target_os = "linux") {
        return Vec::new();
    }
    let mut names: Vec<String> = std::fs::read_dir("/proc/self/task")
        .expect("read /proc/self/task")
        .flatten()
        .filter_map(|task| std::fs::read_to_string(task.path().join("comm")).ok())
        .map(|name| name.trim().to_string())
        .filter(|name| name.starts_with("pool") || name == "epoll")
        .collect();
    names.sort();
    names
}

// /// The threads `Runtime::new` starts: a pool of four. //@ 2
// /// The threads `Runtime::new` starts: a pool of four, and the epoll thread. //@ 3..=8
//@ 9..
/// The threads `Runtime::new` starts: a pool of four unless
/// `UV_THREADPOOL_SIZE` says otherwise, and the epoll thread.
//@ end
fn expected_threads() -> Vec<String> {
    // let mut names: Vec<String> = (0..POOL_SIZE).map(|n| format!("pool{n}")).collect(); //@ ..=8
    //@ 9..
    let pool_size = pool_size_from_environment();
    let mut names: Vec<String> = (0..pool_size).map(|n| format!("pool{n}")).collect();
    //@ end
    names.push("epoll".to_string()); //@ 3..
    names.sort();
    names
}

/// Checks that a new runtime's threads, and no others, are running. Each
/// names itself as it starts, so this waits until they all have.
fn assert_runtime_threads_started() {
    if cfg!(target_os = "linux") {
        let expected = expected_threads();
        eventually(5, || runtime_threads().len() >= expected.len());
        assert_eq!(runtime_threads(), expected);
    }
}

/// Checks that no thread of a runtime is left. A thread that `join` has
/// waited for can still be listed for a moment, until the kernel has
/// finished taking it away: so this waits for the list to empty, within a
/// bound, rather than assume that it has already.
fn assert_no_runtime_threads_left(after: &str) {
    let gone = eventually(5, || runtime_threads().is_empty());
    assert!(gone, "threads outlived {after}: {:?}", runtime_threads());
}

//@ ..=4
// /// Runs two pool tasks, by hand, then drops the runtime; returns how many
// /// callbacks ran. (Two, fewer than the pool has threads: how tasks wait
// /// for a thread is for the pool's own tests to check.)
// fn run_some_tasks() -> usize {
//     let mut runtime = Runtime::new();
//     assert_runtime_threads_started();
//     let done = Rc::new(Cell::new(0));
//     for n in 0..2 {
//         let done = Rc::clone(&done);
//         runtime.register_pool_task(
//             ThreadPoolTaskKind::Encrypt,
//             move || Js::Int(n),
//             move |_| done.set(done.get() + 1),
//         );
//     }
//     run_until_done(&mut runtime);
//     drop(runtime);
//     done.get()
// }
//@ or 5..
/// Runs eight pool tasks with `Runtime::run`; returns how many callbacks ran.
fn run_some_tasks() -> usize {
    let done = Rc::new(Cell::new(0));
    let counter = Rc::clone(&done);
    Runtime::new().run(move || {
        assert_runtime_threads_started();
        for n in 0..8 {
            let counter = Rc::clone(&counter);
            register_pool_task(
                ThreadPoolTaskKind::Encrypt,
                move || Js::Int(n),
                move |_| counter.set(counter.get() + 1),
            );
        }
    });
    done.get()
}
//@ end

//@ ..=4
// /// While the runtime is alive, its threads, and no others, are running;
// /// once it has been dropped, none is left. Then it does it all again, to
// /// check that a second runtime in the same process starts afresh.
// #[test]
// fn dropping_the_runtime_joins_its_threads_and_a_new_one_can_run() {
//     within(30, || {
//         let tasks = 2;
//         assert_eq!(run_some_tasks(), tasks);
//         assert_no_runtime_threads_left("the runtime");
//
//         // A second runtime in the same process starts afresh.
//         assert_eq!(run_some_tasks(), tasks);
//         assert_no_runtime_threads_left("the second runtime");
//     });
// }
//@ or 5..
/// While the program runs, the runtime's threads, and no others, are
/// running; once `run` has returned, none is left. A second `run` in the
/// same process starts afresh; the threads are joined when a callback
/// panics (the panic then goes on to the caller of `run`); and a runtime
/// that never runs joins its threads when it is dropped.
#[test]
fn run_joins_its_threads_before_it_returns_even_after_a_panic() {
    within(30, || {
        let tasks = 8;
        assert_eq!(run_some_tasks(), tasks);
        assert_no_runtime_threads_left("run");

        // A second runtime in the same process starts afresh.
        assert_eq!(run_some_tasks(), tasks);
        assert_no_runtime_threads_left("the second runtime");

        // A callback that panics: run stops the threads, then the panic
        // goes on to the caller.
        let panicked = panic::catch_unwind(|| {
            Runtime::new().run(|| {
                assert_runtime_threads_started();
                set_timeout(10, |_| panic!("a callback fails"));
            })
        });
        assert!(panicked.is_err());
        assert_no_runtime_threads_left("the panic");

        // A runtime that never runs joins its threads when it is dropped.
        let runtime = Runtime::new();
        assert_runtime_threads_started();
        drop(runtime);
        assert_no_runtime_threads_left("a runtime that never ran");
    });
}
//@ end
//@ end
