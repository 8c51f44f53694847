//! Stage 2: tasks run on the pool threads, and their results come back to
//! callbacks on the main thread.

mod common;

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;
use std::sync::{Arc, Mutex, mpsc};
use std::thread::{self, ThreadId};

use common::stage::{Js, POOL_SIZE, ThreadPoolTaskKind};
use common::{Runtime, register_pool_task, run_sharing, within};

fn current_thread_name() -> String {
    thread::current().name().unwrap_or("unnamed").to_string()
}

/// A task runs on a pool thread (its thread's name starts with `pool`), and
/// its callback on the thread that drives the loop.
#[test]
fn a_task_runs_on_a_pool_thread_and_its_callback_on_the_main_thread() {
    within(10, || {
        let seen = run_sharing::<Vec<(Js, ThreadId)>>(Runtime::new(), |seen| {
            register_pool_task(
                ThreadPoolTaskKind::Encrypt,
                || Js::String(current_thread_name()),
                move |value| seen.borrow_mut().push((value, thread::current().id())),
            );
        });

        assert_eq!(seen.len(), 1);
        let (Js::String(worker), callback_thread) = &seen[0] else {
            panic!("unexpected value: {seen:?}");
        };
        assert!(worker.starts_with("pool"), "the task ran on {worker}");
        assert_eq!(
            *callback_thread,
            thread::current().id(),
            "the callback ran on another thread"
        );
    });
}

/// Each callback receives the result of its own task, ten tasks at a time.
#[test]
fn each_callback_receives_the_result_of_its_own_task() {
    within(10, || {
        let results = run_sharing::<BTreeMap<usize, Js>>(Runtime::new(), |results| {
            for n in 0..10 {
                let results = Rc::clone(&results);
                register_pool_task(
                    ThreadPoolTaskKind::Encrypt,
                    move || Js::Int(n * n),
                    move |value| {
                        let previous = results.borrow_mut().insert(n, value);
                        assert!(previous.is_none(), "callback {n} ran twice");
                    },
                );
            }
        });

        let expected: BTreeMap<usize, Js> = (0..10).map(|n| (n, Js::Int(n * n))).collect();
        assert_eq!(results, expected);
    });
}

/// Tasks beyond the pool wait, and start in the order they were given: with
/// every thread but one held at a gate, six tasks take turns on the one
/// free thread, in order.
#[test]
// ANCHOR: gate
fn tasks_beyond_the_pool_wait_and_start_in_the_order_they_were_given() {
    within(10, || {
        // The pool's size must be known: the test fills all of it.
        let runtime = Runtime::with_pool_size(POOL_SIZE);
        let started = Arc::new(Mutex::new(Vec::new()));
        let program_started = Arc::clone(&started);

        runtime.run(move || {
            // Keep every thread but one busy until the gate opens.
            let (open_gate, gate) = mpsc::channel::<()>();
            let gate = Arc::new(Mutex::new(gate));
            register_pool_task(ThreadPoolTaskKind::Encrypt, || Js::Undefined, |_| {});
            for _ in 1..POOL_SIZE {
                let gate = Arc::clone(&gate);
                let wait_for_gate = move || {
                    let _ = gate.lock().unwrap().recv();
                    Js::Undefined
                };
                register_pool_task(ThreadPoolTaskKind::Encrypt, wait_for_gate, |_| {});
            }

            // More tasks than threads: they all wait, then take turns on
            // the one thread that is free. The last one's callback opens
            // the gate.
            let mut open_gate = Some(open_gate);
            for order in 0..6 {
                let started = Arc::clone(&program_started);
                let record_start = move || {
                    started.lock().unwrap().push((order, current_thread_name()));
                    Js::Int(order)
                };
                let gate_key = if order == 5 { open_gate.take() } else { None };
                register_pool_task(ThreadPoolTaskKind::Encrypt, record_start, move |_| {
                    drop(gate_key);
                });
            }
        });

        let started = started.lock().unwrap();
        let order: Vec<usize> = started.iter().map(|(order, _)| *order).collect();
        assert_eq!(
            order,
            [0, 1, 2, 3, 4, 5],
            "the tasks that waited did not start in the order they were given"
        );
        let free_thread = &started[0].1;
        assert!(
            started.iter().all(|(_, thread)| thread == free_thread),
            "{started:?}"
        );
    });
}
// ANCHOR_END: gate

/// The idle threads wait in line: the one idle longest takes the next
/// task. A thread that has just finished goes to the back.
#[test]
fn the_thread_idle_longest_takes_the_next_task() {
    within(10, || {
        let runtime = Runtime::with_pool_size(POOL_SIZE);
        let threads = run_sharing::<Vec<Js>>(runtime, |threads| {
            // The second task is given once the first is done, so its
            // thread is back among the idle ones, at the end of the line.
            register_pool_task(
                ThreadPoolTaskKind::Encrypt,
                || Js::String(current_thread_name()),
                move |value| {
                    threads.borrow_mut().push(value);
                    register_pool_task(
                        ThreadPoolTaskKind::Encrypt,
                        || Js::String(current_thread_name()),
                        move |value| threads.borrow_mut().push(value),
                    );
                },
            );
        });
        let pool = |name: &str| Js::String(name.to_string());
        assert_eq!(
            threads,
            [pool("pool0"), pool("pool1")],
            "the second task did not go to the thread idle longest"
        );
    });
}

/// A hundred tasks, far more than the pool has threads, all complete, each
/// exactly once.
#[test]
fn a_hundred_tasks_on_four_threads_all_complete_once() {
    within(20, || {
        let completed = Rc::new(RefCell::new(vec![0; 100]));
        let program_completed = Rc::clone(&completed);
        Runtime::new().run(move || {
            for n in 0..100 {
                let completed = Rc::clone(&program_completed);
                register_pool_task(
                    ThreadPoolTaskKind::FileRead,
                    move || Js::Int(n),
                    move |value| completed.borrow_mut()[value.into_int().unwrap()] += 1,
                );
            }
        });

        assert_eq!(*completed.borrow(), vec![1; 100]);
    });
}

/// A task that fails hands its `Js::Error` to its callback, and the next
/// task still runs.
#[test]
fn a_failed_task_hands_its_error_to_the_callback_and_the_loop_goes_on() {
    within(10, || {
        let results = run_sharing::<Vec<Js>>(Runtime::new(), |results| {
            let missing = || match std::fs::read_to_string("/no/such/file.txt") {
                Ok(text) => Js::String(text),
                Err(error) => Js::Error(error.to_string()),
            };
            let results_of_read = Rc::clone(&results);
            register_pool_task(ThreadPoolTaskKind::FileRead, missing, move |value| {
                results_of_read.borrow_mut().push(value)
            });
            register_pool_task(
                ThreadPoolTaskKind::Encrypt,
                || Js::Int(7),
                move |value| results.borrow_mut().push(value),
            );
        });

        assert_eq!(results.len(), 2);
        assert!(
            results.iter().any(|value| matches!(value, Js::Error(_))),
            "{results:?}"
        );
        assert!(results.contains(&Js::Int(7)), "{results:?}");
    });
}
