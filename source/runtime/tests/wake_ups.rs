//@ 4
// //! The epoll thread is woken only when it must be: when the next timer is
// //! due sooner than the deadline it waits for. Counted in a trace, which is
// //! on for the whole process once started: so this test is in a file (a
// //! process) of its own.
//
// mod common;
//
// use std::cell::Cell;
// use std::rc::Rc;
// use std::thread;
// use std::time::Duration;
//
// use common::stage::{Js, Runtime, ThreadPoolTaskKind, trace};
// use common::{tick, within};
//
// /// How often the epoll thread has been woken to read its deadline again.
// fn wake_ups() -> usize {
//     trace::to_json()
//         .matches("woken to read a new deadline")
//         .count()
// }
//
// /// Gives the pool a task that takes 20 ms, and runs ticks until its
// /// callback has run. (Wake-ups that come before the epoll thread has taken
// /// the last one count as one: 20 ms leaves it time to take each.)
// fn one_pool_task(runtime: &mut Runtime) {
//     let answered = Rc::new(Cell::new(false));
//     let flag = Rc::clone(&answered);
//     let work = || {
//         thread::sleep(Duration::from_millis(20));
//         Js::Undefined
//     };
//     runtime.register_pool_task(ThreadPoolTaskKind::Encrypt, work, move |_| flag.set(true));
//     while !answered.get() {
//         assert!(tick(runtime), "nothing is pending");
//     }
// }
//
// /// One timer, and five pool tasks, one after another, while it waits: each
// /// result wakes the main thread, which then sleeps again, with the same
// /// next deadline. The epoll thread knows that deadline already, so it is
// /// woken once, when the timer is set (and once more at most, should the
// /// timer fire while the tasks still run: the epoll thread then forgets
// /// it).
// #[test]
// fn the_epoll_thread_is_woken_only_for_a_sooner_deadline() {
//     within(10, || {
//         trace::start();
//         let mut runtime = Runtime::new();
//         runtime.set_timeout(500, |_| {});
//         for _ in 0..5 {
//             one_pool_task(&mut runtime);
//         }
//         while tick(&mut runtime) {}
//
//         let woken = wake_ups();
//         assert!(
//             woken <= 2,
//             "the epoll thread was woken {woken} times to read a deadline it already knew: \
//              wake it only when the next timer is due sooner than the deadline it waits for"
//         );
//     });
// }
//@ end
