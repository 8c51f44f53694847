//@ 2..
//! Stage 2: dropping the runtime stops and joins every pool thread. In a //@ 2
//@ 3..=4
//! Dropping the runtime stops and joins every pool thread and the epoll
//! thread, and a new runtime can then run in the same process. In a
//@ or 5..
//! When `run` returns, every pool thread and the epoll thread have been
//! joined, and a new runtime can then run in the same process. In a
//@ end
//! file of its own (its own process), so that no other test's threads are
//! counted.

mod common;

use std::cell::Cell;
use std::panic; //@ 5..
use std::rc::Rc;
use std::thread;
use std::time::{Duration, Instant};

use common::stage::{Js, Runtime, ThreadPoolTaskKind}; //@ ..=4
use common::stage::{Js, Runtime, ThreadPoolTaskKind, register_pool_task, set_timeout}; //@ 5..=8
//@ 9..
use common::stage::{
    Js, Runtime, ThreadPoolTaskKind, pool_size_from_environment, register_pool_task, set_timeout,
};
//@ end
use common::{run_until_done, within};

/// The names of this process's threads that belong to a runtime.
fn runtime_threads() -> Vec<String> {
    if !cfg!(target_os = "linux") {
        return Vec::new(); // only Linux lists them in /proc
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

//@ ..=4
fn run_some_tasks() -> usize {
    let mut runtime = Runtime::new();
//@ end
//@ 9..
/// The threads `Runtime::new` starts: the epoll thread, and a pool of
/// four unless `UV_THREADPOOL_SIZE` says otherwise.
fn expected_threads() -> Vec<String> {
    let mut names = vec!["epoll".to_string()];
    names.extend((0..pool_size_from_environment()).map(|n| format!("pool{n}")));
    names.sort();
    names
}

//@ end
//@ 5..
fn wait_for_runtime_threads() {
    // A new thread names itself as it starts: give it a moment.
//@ end
    let expected = expected_threads(); //@ 9..
    let started = Instant::now(); //@ 5..
    while runtime_threads().len() < 5 && started.elapsed() < Duration::from_secs(5) { //@ 5..=8
    while runtime_threads().len() < expected.len() && started.elapsed() < Duration::from_secs(5) { //@ 9..
//@ 5..
        thread::sleep(Duration::from_millis(1));
    }
//@ end
    if cfg!(target_os = "linux") {
//@ ..=4
        // A new thread names itself as it starts: give it a moment.
        let started = Instant::now();
//@ end
        while runtime_threads().len() < 4 && started.elapsed() < Duration::from_secs(5) { //@ 2
        while runtime_threads().len() < 5 && started.elapsed() < Duration::from_secs(5) { //@ 3..=4
//@ ..=4
            thread::sleep(Duration::from_millis(1));
        }
//@ end
        assert_eq!(runtime_threads(), ["pool0", "pool1", "pool2", "pool3"]); //@ 2
//@ 3..=8
        assert_eq!(
            runtime_threads(),
            ["epoll", "pool0", "pool1", "pool2", "pool3"]
        );
//@ end
        assert_eq!(runtime_threads(), expected); //@ 9..
    }
//@ 5..
}

/// Runs eight pool tasks with `Runtime::run`; returns how many callbacks ran.
fn run_some_tasks() -> usize {
//@ end
    let done = Rc::new(Cell::new(0));
//@ ..=4
    for n in 0..8 {
        let done = Rc::clone(&done);
        runtime.register_pool_task(
            ThreadPoolTaskKind::Encrypt,
            move || Js::Int(n),
            move |_| done.set(done.get() + 1),
        );
    }
    run_until_done(&mut runtime);
    drop(runtime);
//@ or 5..
    let counter = Rc::clone(&done);
    Runtime::new().run(move || {
        wait_for_runtime_threads();
        for n in 0..8 {
            let counter = Rc::clone(&counter);
            register_pool_task(
                ThreadPoolTaskKind::Encrypt,
                move || Js::Int(n),
                move |_| counter.set(counter.get() + 1),
            );
        }
    });
//@ end
    done.get()
}

#[test]
fn dropping_the_runtime_joins_its_threads_and_a_new_one_can_run() { //@ ..=4
fn run_joins_its_threads_before_it_returns_even_after_a_panic() { //@ 5..
    within(20, || {
        assert_eq!(run_some_tasks(), 8);
        assert_eq!(
            runtime_threads(),
            Vec::<String>::new(),
            "threads outlived the runtime" //@ ..=4
            "threads outlived run" //@ 5..
        );

        // A second runtime in the same process starts afresh.
        assert_eq!(run_some_tasks(), 8);
        assert_eq!(runtime_threads(), Vec::<String>::new());
//@ 5..

        // A callback that panics: run stops the threads, then the panic
        // goes on to the caller.
        let panicked = panic::catch_unwind(|| {
            Runtime::new().run(|| {
                wait_for_runtime_threads();
                set_timeout(10, |_| panic!("a callback fails"));
            })
        });
        assert!(panicked.is_err());
        assert_eq!(
            runtime_threads(),
            Vec::<String>::new(),
            "threads outlived the panic"
        );

        // The hand-driven way (stage 2 to 4) still joins the threads on drop.
        let mut runtime = Runtime::new();
        runtime.register_pool_task(ThreadPoolTaskKind::Encrypt, || Js::Undefined, |_| {});
        run_until_done(&mut runtime);
        drop(runtime);
        assert_eq!(runtime_threads(), Vec::<String>::new());
//@ end
    });
}
//@ end
