//! A panic in a pool task becomes an error value for its callback, and the
//! pool goes on; a panic in a callback stops the runtime cleanly, then goes
//! on out of `run`.

mod common;

use std::rc::Rc;
use std::time::{Duration, Instant};

use common::stage::{Http, Js, Runtime, ThreadPoolTaskKind, register_pool_task, set_timeout};
use common::{assert_sooner_than, panic_message, run_sharing, within};
use slow_server::SlowServer;

#[test]
fn a_task_that_panics_gives_its_callback_an_error_and_the_worker_goes_on() {
    within(10, || {
        // One thread only: the task after the panic must run on the same one.
        let results = run_sharing::<Vec<Js>>(Runtime::with_pool_size(1), |results| {
            for n in 0..3 {
                let results = Rc::clone(&results);
                let work = move || {
                    if n == 1 {
                        panic!("task {n} broke");
                    }
                    Js::Int(n)
                };
                register_pool_task(ThreadPoolTaskKind::Encrypt, work, move |value| {
                    results.borrow_mut().push(value)
                });
            }
        });
        assert_eq!(
            results,
            [
                Js::Int(0),
                Js::Error("the task panicked: task 1 broke".into()),
                Js::Int(2)
            ]
        );
    });
}

#[test]
fn a_callback_that_panics_stops_run_and_the_panic_goes_on_to_the_caller() {
    within(10, || {
        let server = SlowServer::start().unwrap();
        let url = server.url("/delay/3000/slow");
        let started = Instant::now();
        let message = panic_message(|| {
            Runtime::new().run(move || {
                // Work still pending when the panic comes: a slow socket and
                // a long timer. Neither may hold up the shutdown.
                Http::get(&url, |_| {});
                set_timeout(5_000, |_| {});
                set_timeout(10, |_| panic!("a callback broke"));
            });
        });
        assert_eq!(message, "a callback broke");
        assert_sooner_than(Duration::from_secs(2), started);
    });
}
