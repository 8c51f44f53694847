//@ 1
// //! Stage 1: callbacks wait by id until their event arrives, then run once,
// //! in the order the events arrived.
//
// mod common;
//
// use std::cell::RefCell;
// use std::rc::Rc;
//
// use common::stage::{CallbackId, Js, PollEvent, Runtime};
//
// /// A log that callbacks write to. `Rc`, not `Arc`: callbacks need not be `Send`.
// fn shared_log() -> Rc<RefCell<Vec<String>>> {
//     Rc::new(RefCell::new(Vec::new()))
// }
//
// fn logging_callback(
//     log: &Rc<RefCell<Vec<String>>>,
//     name: &'static str,
// ) -> impl FnOnce(Js) + 'static {
//     let log = Rc::clone(log);
//     move |value| log.borrow_mut().push(format!("{name}: {value:?}"))
// }
//
// /// The news a pool thread sends when it has run the task of callback
// /// `callback_id`: its result, `value`.
// fn pool_result(callback_id: CallbackId, value: Js) -> PollEvent {
//     PollEvent::Threadpool {
//         thread_id: 0,
//         callback_id,
//         value,
//     }
// }
//
// /// Every callback gets its own id, and counts as pending until its event
// /// arrives.
// #[test]
// fn callbacks_get_ids_and_count_as_pending_until_their_event_arrives() {
//     let mut runtime = Runtime::new();
//     let first = runtime.add_callback(|_| {});
//     let second = runtime.add_callback(|_| {});
//
//     assert_ne!(first, second);
//     assert_eq!(runtime.pending_events(), 2);
//
//     runtime.handle_event(pool_result(first, Js::Undefined));
//     assert_eq!(runtime.pending_events(), 1);
// }
//
// /// Each callback receives the value of its own event.
// #[test]
// fn a_callback_receives_the_value_of_its_own_event() {
//     let log = shared_log();
//     let mut runtime = Runtime::new();
//     let text = runtime.add_callback(logging_callback(&log, "text"));
//     let number = runtime.add_callback(logging_callback(&log, "number"));
//
//     runtime.handle_event(pool_result(number, Js::Int(5)));
//     runtime.handle_event(pool_result(text, Js::String("hi".into())));
//     runtime.run_callbacks();
//
//     assert_eq!(*log.borrow(), ["number: Int(5)", r#"text: String("hi")"#]);
// }
//
// /// Callbacks run in the order their events arrived: three events delivered
// /// in reverse order run their callbacks in reverse order.
// #[test]
// fn callbacks_run_in_the_order_their_events_arrived() {
//     let log = shared_log();
//     let mut runtime = Runtime::new();
//     let ids: Vec<CallbackId> = ["a", "b", "c"]
//         .into_iter()
//         .map(|name| runtime.add_callback(logging_callback(&log, name)))
//         .collect();
//
//     for &id in ids.iter().rev() {
//         runtime.handle_event(PollEvent::Epoll(id));
//     }
//     runtime.run_callbacks();
//
//     assert_eq!(
//         *log.borrow(),
//         ["c: Undefined", "b: Undefined", "a: Undefined"]
//     );
// }
//
// /// Nothing runs before its event, and a callback runs only once, however
// /// often `run_callbacks` is called.
// #[test]
// fn nothing_runs_before_its_event_and_each_callback_runs_once() {
//     let log = shared_log();
//     let mut runtime = Runtime::new();
//     let id = runtime.add_callback(logging_callback(&log, "once"));
//
//     runtime.run_callbacks();
//     assert!(log.borrow().is_empty(), "ran before its event arrived");
//
//     runtime.handle_event(pool_result(id, Js::Int(1)));
//     runtime.run_callbacks();
//     runtime.run_callbacks();
//
//     assert_eq!(*log.borrow(), ["once: Int(1)"]);
//     assert_eq!(runtime.pending_events(), 0);
// }
//
// /// A `Timeout` readies no callback and leaves the count of pending events
// /// alone.
// #[test]
// fn a_timeout_wakes_the_loop_but_readies_no_callback() {
//     let log = shared_log();
//     let mut runtime = Runtime::new();
//     runtime.add_callback(logging_callback(&log, "waiting"));
//
//     runtime.handle_event(PollEvent::Timeout);
//     runtime.run_callbacks();
//
//     assert!(log.borrow().is_empty());
//     assert_eq!(runtime.pending_events(), 1);
// }
//
// /// An error reaches its callback as a `Js::Error`.
// #[test]
// fn errors_reach_the_callback_as_values() {
//     let log = shared_log();
//     let mut runtime = Runtime::new();
//     let id = runtime.add_callback(logging_callback(&log, "read"));
//
//     runtime.handle_event(pool_result(id, Js::Error("no such file".into())));
//     runtime.run_callbacks();
//
//     assert_eq!(*log.borrow(), [r#"read: Error("no such file")"#]);
// }
//@ end
