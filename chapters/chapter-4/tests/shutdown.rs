//! Dropping the runtime stops and joins every pool thread and the epoll
//! thread, and a new runtime can then run in the same process. In a
//! file of its own (its own process), so that no other test's threads are
//! counted.

mod common;

use std::cell::Cell;
use std::rc::Rc;
use std::thread;
use std::time::{Duration, Instant};

use common::stage::{Js, Runtime, ThreadPoolTaskKind};
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

fn run_some_tasks() -> usize {
    let mut runtime = Runtime::new();
    if cfg!(target_os = "linux") {
        // A new thread names itself as it starts: give it a moment.
        let started = Instant::now();
        while runtime_threads().len() < 5 && started.elapsed() < Duration::from_secs(5) {
            thread::sleep(Duration::from_millis(1));
        }
        assert_eq!(
            runtime_threads(),
            ["epoll", "pool0", "pool1", "pool2", "pool3"]
        );
    }
    let done = Rc::new(Cell::new(0));
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
    done.get()
}

#[test]
fn dropping_the_runtime_joins_its_threads_and_a_new_one_can_run() {
    within(20, || {
        assert_eq!(run_some_tasks(), 8);
        assert_eq!(
            runtime_threads(),
            Vec::<String>::new(),
            "threads outlived the runtime"
        );

        // A second runtime in the same process starts afresh.
        assert_eq!(run_some_tasks(), 8);
        assert_eq!(runtime_threads(), Vec::<String>::new());
    });
}
