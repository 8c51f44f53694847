//! The pool has four threads unless told otherwise.

mod common;

use std::collections::BTreeSet;
use std::rc::Rc;
use std::sync::{Arc, Barrier};

use common::stage::{Js, POOL_SIZE, Runtime, ThreadPoolTaskKind, register_pool_task};
use common::{run_sharing, within};

/// Gives the pool `tasks` tasks that can only finish once all of them run
/// at the same time; returns the names of the threads that ran them.
fn run_side_by_side(runtime: Runtime, tasks: usize) -> BTreeSet<String> {
    let all_started = Arc::new(Barrier::new(tasks));
    run_sharing::<BTreeSet<String>>(runtime, move |threads| {
        for _ in 0..tasks {
            let all_started = Arc::clone(&all_started);
            let work = move || {
                all_started.wait();
                Js::String(std::thread::current().name().unwrap().to_string())
            };
            let threads = Rc::clone(&threads);
            register_pool_task(ThreadPoolTaskKind::Encrypt, work, move |name| {
                threads.borrow_mut().insert(name.into_string().unwrap());
            });
        }
    })
}

fn pool_names(size: usize) -> BTreeSet<String> {
    (0..size).map(|n| format!("pool{n}")).collect()
}

#[test]
fn the_default_pool_has_four_threads() {
    assert_eq!(POOL_SIZE, 4);
    if std::env::var_os("UV_THREADPOOL_SIZE").is_none() {
        within(10, || {
            assert_eq!(run_side_by_side(Runtime::new(), 4), pool_names(4))
        });
    }
}

#[test]
fn a_pool_of_six_runs_six_tasks_side_by_side() {
    within(10, || {
        assert_eq!(
            run_side_by_side(Runtime::with_pool_size(6), 6),
            pool_names(6)
        );
    });
}

#[test]
fn a_pool_of_one_runs_everything_on_one_thread() {
    within(10, || {
        let threads = run_sharing::<Vec<String>>(Runtime::with_pool_size(1), |threads| {
            for _ in 0..5 {
                let threads = Rc::clone(&threads);
                let work = || Js::String(std::thread::current().name().unwrap().to_string());
                register_pool_task(ThreadPoolTaskKind::Encrypt, work, move |name| {
                    threads.borrow_mut().push(name.into_string().unwrap());
                });
            }
        });
        assert_eq!(threads, vec!["pool0"; 5]);
    });
}

#[test]
#[should_panic(expected = "a thread pool needs at least one thread")]
fn a_pool_of_no_threads_is_refused() {
    let _ = Runtime::with_pool_size(0);
}
