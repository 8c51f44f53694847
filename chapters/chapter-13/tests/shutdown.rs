//! When `run` returns, every thread of the runtime has been joined, even
//! after a panic; and a new runtime can then run in the same process.
//!
//! In a file of its own (its own process), so that no other test's threads
//! are counted.

mod common;

use std::cell::Cell;
use std::panic;
use std::rc::Rc;

use common::stage::{Js, ThreadPoolTaskKind, pool_size_from_environment};
use common::{Runtime, eventually, register_pool_task, within};

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

/// The threads the pool starts with its first task: four unless
/// `UV_THREADPOOL_SIZE` says otherwise. (The loop's own thread waits on
/// epoll: there is no epoll thread.)
fn expected_threads() -> Vec<String> {
    let pool_size = pool_size_from_environment();
    let mut names: Vec<String> = (0..pool_size).map(|n| format!("pool{n}")).collect();
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

/// Checks that no thread of the runtime has started: the pool starts its
/// threads with its first task, and nothing else starts one.
fn assert_no_pool_threads_yet() {
    assert_eq!(
        runtime_threads(),
        Vec::<String>::new(),
        "the pool started its threads before its first task"
    );
}

/// Runs two pool tasks with `Runtime::run`; returns how many callbacks ran.
/// (Two, fewer than the pool has threads: how tasks wait for a thread is
/// for the pool's own tests to check.)
fn run_some_tasks() -> usize {
    let done = Rc::new(Cell::new(0));
    let counter = Rc::clone(&done);
    Runtime::new().run(move || {
        assert_no_pool_threads_yet();
        for n in 0..2 {
            let counter = Rc::clone(&counter);
            register_pool_task(
                ThreadPoolTaskKind::Encrypt,
                move || Js::Int(n),
                move |_| counter.set(counter.get() + 1),
            );
        }
        assert_runtime_threads_started();
    });
    done.get()
}

/// No thread starts before the pool's first task; from then on the
/// runtime's threads, and no others, are running; once `run` has
/// returned, none is left. A second `run` in the same process starts
/// afresh; the threads are joined when a callback panics (the panic then
/// goes on to the caller of `run`); and a runtime that never runs never
/// starts them.
#[test]
fn run_joins_its_threads_before_it_returns_even_after_a_panic() {
    within(30, || {
        let tasks = 2;
        assert_eq!(run_some_tasks(), tasks);
        assert_no_runtime_threads_left("run");

        // A second runtime in the same process starts afresh.
        assert_eq!(run_some_tasks(), tasks);
        assert_no_runtime_threads_left("the second runtime");

        // A callback that panics: run stops the threads, then the panic
        // goes on to the caller.
        let panicked = panic::catch_unwind(|| {
            Runtime::new().run(|| {
                register_pool_task(
                    ThreadPoolTaskKind::Encrypt,
                    || Js::Undefined,
                    |_| panic!("a callback fails"),
                );
                assert_runtime_threads_started();
            })
        });
        assert!(panicked.is_err());
        assert_no_runtime_threads_left("the panic");

        // A runtime that never runs never starts its pool's threads.
        let runtime = Runtime::new();
        assert_no_pool_threads_yet();
        drop(runtime);
    });
}
