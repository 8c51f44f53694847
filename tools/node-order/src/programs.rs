//! The Rust side of each program: the same steps as `programs/NAME.js`,
//! written against the last stage, printing into an [`Out`].

use std::cell::Cell;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::rc::Rc;
use std::thread;
use std::time::Duration;

use runtime::{
    Fs, Http, Js, TimerId, clear_interval, clear_timeout, set_immediate, set_interval, set_timeout,
};

use crate::{Out, Program};

/// Every program, by name: the name of its `.js` twin.
pub const PROGRAMS: &[(&str, Program)] = &[
    (
        "a_refused_connection_fails_before_an_immediate",
        a_refused_connection_fails_before_an_immediate,
    ),
    (
        "a_response_already_there_runs_before_a_timer_that_fell_due_meanwhile",
        a_response_already_there_runs_before_a_timer_that_fell_due_meanwhile,
    ),
    ("delays_in_order", delays_in_order),
    (
        "equal_delays_run_in_the_order_set",
        equal_delays_run_in_the_order_set,
    ),
    (
        "zero_delays_run_in_the_order_set",
        zero_delays_run_in_the_order_set,
    ),
    ("a_cleared_timeout_never_runs", a_cleared_timeout_never_runs),
    (
        "an_earlier_timer_clears_a_later_one_due_with_it",
        an_earlier_timer_clears_a_later_one_due_with_it,
    ),
    (
        "an_interval_clears_itself_on_its_third_run",
        an_interval_clears_itself_on_its_third_run,
    ),
    (
        "an_interval_is_armed_again_after_its_callback",
        an_interval_is_armed_again_after_its_callback,
    ),
    (
        "immediates_run_in_the_order_set",
        immediates_run_in_the_order_set,
    ),
    (
        "an_immediate_set_by_an_immediate_waits_for_the_next_turn",
        an_immediate_set_by_an_immediate_waits_for_the_next_turn,
    ),
    (
        "after_a_file_is_read_an_immediate_runs_before_a_timeout",
        after_a_file_is_read_an_immediate_runs_before_a_timeout,
    ),
    (
        "after_a_timer_an_immediate_runs_before_a_timeout_it_set",
        after_a_timer_an_immediate_runs_before_a_timeout_it_set,
    ),
    (
        "a_timer_set_after_a_read_runs_after_it",
        a_timer_set_after_a_read_runs_after_it,
    ),
    (
        "a_missing_file_gives_an_error",
        a_missing_file_gives_an_error,
    ),
    (
        "the_text_of_a_file_is_read_whole",
        the_text_of_a_file_is_read_whole,
    ),
    ("immediates_three_deep", immediates_three_deep),
    (
        "a_timeout_clears_an_interval_before_its_first_run",
        a_timeout_clears_an_interval_before_its_first_run,
    ),
    (
        "a_timeout_may_clear_itself_while_it_runs",
        a_timeout_may_clear_itself_while_it_runs,
    ),
    (
        "clearing_a_timeout_that_has_fired_changes_nothing",
        clearing_a_timeout_that_has_fired_changes_nothing,
    ),
    (
        "many_equal_timeouts_run_in_the_order_set",
        many_equal_timeouts_run_in_the_order_set,
    ),
    (
        "an_immediate_can_clear_a_timeout",
        an_immediate_can_clear_a_timeout,
    ),
    (
        "from_a_read_the_immediate_then_both_timeouts_in_order",
        from_a_read_the_immediate_then_both_timeouts_in_order,
    ),
    (
        "from_a_failed_read_the_immediate_then_the_timeout",
        from_a_failed_read_the_immediate_then_the_timeout,
    ),
    ("an_immediate_sets_two_more", an_immediate_sets_two_more),
    (
        "an_interval_cleared_on_its_first_run_runs_once",
        an_interval_cleared_on_its_first_run_runs_once,
    ),
    (
        "each_interval_run_is_followed_by_its_immediate",
        each_interval_run_is_followed_by_its_immediate,
    ),
    (
        "timeouts_set_from_an_immediate_run_by_delay",
        timeouts_set_from_an_immediate_run_by_delay,
    ),
    (
        "zero_timeouts_nested_three_deep",
        zero_timeouts_nested_three_deep,
    ),
    (
        "an_immediate_runs_after_the_main_program",
        an_immediate_runs_after_the_main_program,
    ),
    (
        "a_timeout_runs_after_the_main_program",
        a_timeout_runs_after_the_main_program,
    ),
    (
        "a_read_callback_runs_after_the_main_program",
        a_read_callback_runs_after_the_main_program,
    ),
    (
        "a_delay_too_long_for_node_is_one_millisecond",
        a_delay_too_long_for_node_is_one_millisecond,
    ),
];

const FILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/programs/hello.txt");
const MISSING: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/programs/missing.txt");

/// `console.log(line)`. The line is the runtime's log line too, so that a
/// trace of the run keeps it (`cargo run -p node-order -- NAME --trace
/// FILE`), and the run prints it when logging is on.
fn print(out: &Out, line: &str) {
    runtime::log!("{line}");
    out.borrow_mut().push(line.to_string());
}

/// `() => console.log(line)`.
fn say(out: &Out, line: &str) -> impl FnOnce(Js) + 'static {
    let out = Rc::clone(out);
    let line = line.to_string();
    move |_| print(&out, &line)
}

/// A timer's id, for a callback that is made before the timer is.
type IdCell = Rc<Cell<Option<TimerId>>>;

fn delays_in_order(out: &Out) {
    set_timeout(300, say(out, "c"));
    set_timeout(100, say(out, "a"));
    set_timeout(200, say(out, "b"));
}

fn equal_delays_run_in_the_order_set(out: &Out) {
    set_timeout(10, say(out, "a"));
    set_timeout(10, say(out, "b"));
    set_timeout(10, say(out, "c"));
}

fn zero_delays_run_in_the_order_set(out: &Out) {
    set_timeout(0, say(out, "a"));
    set_timeout(0, say(out, "b"));
    set_timeout(0, say(out, "c"));
}

fn a_cleared_timeout_never_runs(out: &Out) {
    let t = set_timeout(10, say(out, "x"));
    clear_timeout(t);
    set_timeout(20, say(out, "y"));
}

fn an_earlier_timer_clears_a_later_one_due_with_it(out: &Out) {
    let b = IdCell::default();
    let (a_out, a_b) = (Rc::clone(out), Rc::clone(&b));
    set_timeout(10, move |_| {
        print(&a_out, "a");
        clear_timeout(a_b.get().expect("set below"));
    });
    b.set(Some(set_timeout(10, say(out, "b"))));
    set_timeout(10, say(out, "c"));
}

fn an_interval_clears_itself_on_its_third_run(out: &Out) {
    let (own_id, out) = (IdCell::default(), Rc::clone(out));
    let runs = Cell::new(0);
    let interval_id = Rc::clone(&own_id);
    let interval = set_interval(10, move |_| {
        runs.set(runs.get() + 1);
        print(&out, &format!("run {}", runs.get()));
        if runs.get() == 3 {
            clear_interval(interval_id.get().expect("set below"));
        }
    });
    own_id.set(Some(interval));
}

fn an_interval_is_armed_again_after_its_callback(out: &Out) {
    let (own_id, out) = (IdCell::default(), Rc::clone(out));
    let interval_id = Rc::clone(&own_id);
    let runs = Cell::new(0);
    let interval = set_interval(30, move |_| {
        runs.set(runs.get() + 1);
        print(&out, &format!("interval {}", runs.get()));
        if runs.get() == 1 {
            set_timeout(30, say(&out, "timeout"));
        }
        if runs.get() == 2 {
            clear_interval(interval_id.get().expect("set below"));
        }
    });
    own_id.set(Some(interval));
}

fn immediates_run_in_the_order_set(out: &Out) {
    set_immediate(say(out, "a"));
    set_immediate(say(out, "b"));
    set_immediate(say(out, "c"));
}

fn an_immediate_set_by_an_immediate_waits_for_the_next_turn(out: &Out) {
    let a_out = Rc::clone(out);
    set_immediate(move |_| {
        print(&a_out, "a");
        set_immediate(say(&a_out, "c"));
    });
    set_immediate(say(out, "b"));
}

fn after_a_file_is_read_an_immediate_runs_before_a_timeout(out: &Out) {
    let out = Rc::clone(out);
    Fs::read(FILE, move |_| {
        print(&out, "read");
        set_timeout(0, say(&out, "timeout"));
        set_immediate(say(&out, "immediate"));
    });
}

fn after_a_timer_an_immediate_runs_before_a_timeout_it_set(out: &Out) {
    let out = Rc::clone(out);
    set_timeout(5, move |_| {
        print(&out, "timer");
        set_timeout(0, say(&out, "timeout"));
        set_immediate(say(&out, "immediate"));
    });
}

fn a_timer_set_after_a_read_runs_after_it(out: &Out) {
    let out = Rc::clone(out);
    Fs::read(FILE, move |_| {
        print(&out, "read");
        set_timeout(5, say(&out, "timer"));
    });
}

fn a_missing_file_gives_an_error(out: &Out) {
    let out = Rc::clone(out);
    Fs::read(MISSING, move |value| {
        let line = if matches!(value, Js::Error(_)) {
            "error"
        } else {
            "text"
        };
        print(&out, line);
    });
}

fn the_text_of_a_file_is_read_whole(out: &Out) {
    let out = Rc::clone(out);
    Fs::read(FILE, move |value| {
        let text = value.into_string().unwrap_or_default();
        print(&out, text.trim());
    });
}

fn immediates_three_deep(out: &Out) {
    let a_out = Rc::clone(out);
    set_immediate(move |_| {
        print(&a_out, "a");
        let b_out = Rc::clone(&a_out);
        set_immediate(move |_| {
            print(&b_out, "b");
            set_immediate(say(&b_out, "c"));
        });
    });
    set_immediate(say(out, "d"));
}

fn a_timeout_clears_an_interval_before_its_first_run(out: &Out) {
    let id = set_interval(1000, {
        let out = Rc::clone(out);
        move |_| print(&out, "interval")
    });
    let out = Rc::clone(out);
    set_timeout(10, move |_| {
        clear_interval(id);
        print(&out, "cleared");
    });
}

fn a_timeout_may_clear_itself_while_it_runs(out: &Out) {
    let (own_t, out) = (IdCell::default(), Rc::clone(out));
    let timeout_t = Rc::clone(&own_t);
    let timeout = set_timeout(10, move |_| {
        clear_timeout(timeout_t.get().expect("set below"));
        print(&out, "ran");
    });
    own_t.set(Some(timeout));
}

fn clearing_a_timeout_that_has_fired_changes_nothing(out: &Out) {
    let t = set_timeout(5, say(out, "a"));
    let out = Rc::clone(out);
    set_timeout(200, move |_| {
        clear_timeout(t);
        print(&out, "b");
    });
}

fn many_equal_timeouts_run_in_the_order_set(out: &Out) {
    for n in 0..10 {
        set_timeout(5, say(out, &format!("timeout {n}")));
    }
}

fn an_immediate_can_clear_a_timeout(out: &Out) {
    let t = set_timeout(1000, say(out, "timeout"));
    let out = Rc::clone(out);
    set_immediate(move |_| {
        clear_timeout(t);
        print(&out, "immediate");
    });
}

fn from_a_read_the_immediate_then_both_timeouts_in_order(out: &Out) {
    let out = Rc::clone(out);
    Fs::read(FILE, move |_| {
        let a_out = Rc::clone(&out);
        set_immediate(move |_| {
            print(&a_out, "a");
            set_timeout(0, say(&a_out, "c"));
        });
        set_timeout(0, say(&out, "b"));
    });
}

fn from_a_failed_read_the_immediate_then_the_timeout(out: &Out) {
    let out = Rc::clone(out);
    Fs::read(MISSING, move |_| {
        print(&out, "error");
        set_timeout(0, say(&out, "timeout"));
        set_immediate(say(&out, "immediate"));
    });
}

fn an_immediate_sets_two_more(out: &Out) {
    let a_out = Rc::clone(out);
    set_immediate(move |_| {
        print(&a_out, "a");
        set_immediate(say(&a_out, "c"));
        set_immediate(say(&a_out, "d"));
    });
    set_immediate(say(out, "b"));
}

fn an_interval_cleared_on_its_first_run_runs_once(out: &Out) {
    let (own_id, out) = (IdCell::default(), Rc::clone(out));
    let interval_id = Rc::clone(&own_id);
    let interval = set_interval(10, move |_| {
        print(&out, "once");
        clear_interval(interval_id.get().expect("set below"));
    });
    own_id.set(Some(interval));
}

fn each_interval_run_is_followed_by_its_immediate(out: &Out) {
    let (own_id, out) = (IdCell::default(), Rc::clone(out));
    let interval_id = Rc::clone(&own_id);
    let runs = Cell::new(0);
    let interval = set_interval(10, move |_| {
        runs.set(runs.get() + 1);
        print(&out, &format!("run {}", runs.get()));
        set_immediate(say(&out, &format!("immediate {}", runs.get())));
        if runs.get() == 2 {
            clear_interval(interval_id.get().expect("set below"));
        }
    });
    own_id.set(Some(interval));
}

fn timeouts_set_from_an_immediate_run_by_delay(out: &Out) {
    let out = Rc::clone(out);
    set_immediate(move |_| {
        set_timeout(200, say(&out, "b"));
        set_timeout(10, say(&out, "a"));
    });
}

fn zero_timeouts_nested_three_deep(out: &Out) {
    let out = Rc::clone(out);
    set_timeout(0, move |_| {
        print(&out, "a");
        set_timeout(0, move |_| {
            print(&out, "b");
            set_timeout(0, say(&out, "c"));
        });
    });
}

fn an_immediate_runs_after_the_main_program(out: &Out) {
    set_immediate(say(out, "immediate"));
    print(out, "main");
}

fn a_timeout_runs_after_the_main_program(out: &Out) {
    set_timeout(0, say(out, "timeout"));
    print(out, "main");
}

fn a_read_callback_runs_after_the_main_program(out: &Out) {
    Fs::read(FILE, say(out, "read"));
    print(out, "main");
}

fn a_delay_too_long_for_node_is_one_millisecond(out: &Out) {
    set_timeout(1 << 31, say(out, "huge"));
    set_timeout(500, say(out, "later"));
}

/// Nothing listens on port 1 of 127.0.0.1: the connection is refused at
/// once, and the poll phase that finds it runs its callback, before the
/// check phase runs the immediate.
fn a_refused_connection_fails_before_an_immediate(out: &Out) {
    let get_out = Rc::clone(out);
    Http::get("http://127.0.0.1:1/", move |response| match response {
        Js::Error(_) => print(&get_out, "error"),
        _ => print(&get_out, "response"),
    });
    set_immediate(say(out, "immediate"));
    set_timeout(50, say(out, "timeout"));
}

/// A server on a thread of its own answers 150 ms after the request
/// comes. The 10 ms timer blocks the loop for 300 ms: meanwhile the 100 ms
/// timer falls due, and then the response arrives. The timers phase
/// judges what is due by the time it began, so the 100 ms timer waits for
/// the next one; the poll phase that follows finds the response already
/// there.
fn a_response_already_there_runs_before_a_timer_that_fell_due_meanwhile(out: &Out) {
    let url = answer_once_after(Duration::from_millis(150));
    let get_out = Rc::clone(out);
    Http::get(&url, move |response| match response {
        Js::Error(_) => print(&get_out, "error"),
        _ => print(&get_out, "response"),
    });
    let blocked = Rc::clone(out);
    set_timeout(10, move |_| {
        thread::sleep(Duration::from_millis(300));
        print(&blocked, "blocked");
    });
    set_timeout(100, say(out, "timeout"));
}

/// Starts a server on a thread of its own, for one request: it reads the
/// request's head, waits `delay`, answers, and closes. Returns its URL.
fn answer_once_after(delay: Duration) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a port on 127.0.0.1");
    let url = format!("http://{}/", listener.local_addr().expect("its address"));
    thread::spawn(move || {
        let Ok((mut connection, _)) = listener.accept() else {
            return;
        };
        let mut head = Vec::new();
        let mut buffer = [0; 1024];
        while !head.ends_with(b"\r\n\r\n") {
            match connection.read(&mut buffer) {
                Ok(0) | Err(_) => return,
                Ok(count) => head.extend_from_slice(&buffer[..count]),
            }
        }
        thread::sleep(delay);
        let response = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello";
        let _ = connection.write_all(response.as_bytes());
    });
    url
}
