//! This stage's public API, used the way an outside program uses it:
//! everything here must stay `pub`. Callbacks capture `Rc` state, and call
//! the API again from inside.

mod common;

use std::rc::Rc;

use common::stage::{Crypto, Fs, Http, Js, Runtime, set_timeout};
use common::{run_sharing, within};
use slow_server::SlowServer;

#[test]
fn a_program_uses_the_whole_api_from_its_callbacks() {
    within(20, || {
        let server = SlowServer::start().unwrap();
        let url = server.url("/api");
        let slow_url = server.url("/delay/10/api");
        let file = concat!(env!("CARGO_MANIFEST_DIR"), "/hello.txt");

        let seen = run_sharing::<Vec<String>>(Runtime::new(), move |seen| {
            set_timeout(1, move |_: Js| {
                Fs::read(file, move |text: Js| {
                    let length = text.into_string().unwrap().len();
                    Crypto::encrypt(length, move |number: Js| {
                        seen.borrow_mut().push(format!("{:?}", number.into_int()));
                        let later = Rc::clone(&seen);
                        Http::get(&url, move |response: Js| {
                            later.borrow_mut().push(response.into_string().unwrap());
                            Http::get(&slow_url, move |slow: Js| {
                                let status = slow.into_string().unwrap();
                                later
                                    .borrow_mut()
                                    .push(status.lines().next().unwrap().to_string());
                            });
                        });
                    });
                });
            });
        });

        assert_eq!(seen.len(), 3);
        assert_eq!(seen[0], "Some(196418)"); // fib(27): hello.txt has 27 characters
        assert!(seen[1].ends_with("You asked for /api\n"), "{}", seen[1]);
        assert_eq!(seen[2], "HTTP/1.1 200 OK");
    });
}

#[test]
fn js_values_convert_only_to_what_they_are() {
    assert_eq!(Js::String("a".into()).into_string(), Some("a".to_string()));
    assert_eq!(Js::Int(1).into_int(), Some(1));
    assert_eq!(Js::Undefined.into_int(), None);
    assert_eq!(Js::Error("e".into()).into_string(), None);
}
