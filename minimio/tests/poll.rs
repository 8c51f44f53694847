//! What `Poll` and `Registrator` promise, checked on loopback sockets.
//! `cargo test -p minimio --features portable` runs the same file against
//! the portable backend.

mod common;

use std::collections::BTreeSet;
use std::io::{ErrorKind, Read, Write};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use common::{connected_pair, ms, within};
use minimio::{Events, Interests, Poll, Registrator, TcpStream, Token, Waker};

/// Reads until the stream would block; returns what was read and whether
/// the peer has closed the connection.
fn read_available(stream: &mut TcpStream) -> (Vec<u8>, bool) {
    let mut received = Vec::new();
    let mut buffer = [0; 1024];
    loop {
        match stream.read(&mut buffer) {
            Ok(0) => return (received, true),
            Ok(n) => received.extend_from_slice(&buffer[..n]),
            Err(e) if e.kind() == ErrorKind::WouldBlock => return (received, false),
            Err(e) => panic!("read failed: {e}"),
        }
    }
}

fn ids(events: &Events) -> Vec<usize> {
    events.iter().map(|event| event.token().0).collect()
}

#[test]
fn a_readable_socket_reports_the_token_it_was_registered_with() {
    within(10, || {
        let (stream, mut peer) = connected_pair();
        let mut poll = Poll::new().unwrap();
        poll.registrator()
            .register(&stream, Token(42), Interests::READABLE)
            .unwrap();

        peer.write_all(b"ping").unwrap();
        let mut events = Events::with_capacity(8);
        let count = poll.poll(&mut events, Some(ms(5_000))).unwrap();

        assert_eq!(count, 1);
        assert_eq!(ids(&events), [42]);
    });
}

#[test]
fn a_writable_socket_reports_its_token() {
    within(10, || {
        let (stream, _peer) = connected_pair();
        let mut poll = Poll::new().unwrap();
        poll.registrator()
            .register(&stream, Token(3), Interests::WRITABLE)
            .unwrap();

        let mut events = Events::with_capacity(8);
        poll.poll(&mut events, Some(ms(5_000))).unwrap();

        assert_eq!(ids(&events), [3]);
    });
}

#[test]
fn reading_with_nothing_to_read_returns_would_block_at_once() {
    within(10, || {
        let (mut stream, _peer) = connected_pair();
        let started = Instant::now();

        let error = stream.read(&mut [0; 16]).unwrap_err();

        assert_eq!(error.kind(), ErrorKind::WouldBlock);
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "the read blocked"
        );
    });
}

#[test]
fn a_registration_reports_once_until_it_is_reregistered() {
    within(10, || {
        let (mut stream, mut peer) = connected_pair();
        let mut poll = Poll::new().unwrap();
        let registrator = poll.registrator();
        let mut events = Events::with_capacity(8);

        registrator
            .register(&stream, Token(1), Interests::READABLE)
            .unwrap();
        peer.write_all(b"first").unwrap();
        assert_eq!(poll.poll(&mut events, Some(ms(5_000))).unwrap(), 1);
        assert_eq!(read_available(&mut stream).0, b"first");

        // Not re-armed: new bytes do not produce an event.
        peer.write_all(b"second").unwrap();
        assert_eq!(poll.poll(&mut events, Some(ms(100))).unwrap(), 0);

        // Re-armed: the bytes already waiting are reported at once.
        registrator
            .reregister(&stream, Token(1), Interests::READABLE)
            .unwrap();
        assert_eq!(poll.poll(&mut events, Some(ms(5_000))).unwrap(), 1);
        assert_eq!(read_available(&mut stream).0, b"second");
    });
}

#[test]
fn a_closed_peer_makes_the_socket_readable_and_reads_return_zero() {
    within(10, || {
        let (mut stream, peer) = connected_pair();
        let mut poll = Poll::new().unwrap();
        poll.registrator()
            .register(&stream, Token(9), Interests::READABLE)
            .unwrap();

        drop(peer);
        let mut events = Events::with_capacity(8);
        poll.poll(&mut events, Some(ms(5_000))).unwrap();

        assert_eq!(ids(&events), [9]);
        assert_eq!(read_available(&mut stream), (Vec::new(), true));
    });
}

#[test]
fn a_timeout_with_nothing_ready_returns_no_events_and_not_early() {
    within(10, || {
        let (stream, _quiet_peer) = connected_pair();
        let mut poll = Poll::new().unwrap();
        poll.registrator()
            .register(&stream, Token(1), Interests::READABLE)
            .unwrap();
        let mut events = Events::with_capacity(8);

        let started = Instant::now();
        let count = poll.poll(&mut events, Some(ms(150))).unwrap();
        let waited = started.elapsed();

        assert_eq!(count, 0);
        assert!(events.is_empty());
        assert!(
            waited >= Duration::from_millis(150),
            "returned after {waited:?}"
        );
        assert!(waited < Duration::from_secs(3), "waited {waited:?}");
    });
}

#[test]
fn a_zero_timeout_returns_at_once() {
    within(10, || {
        let mut poll = Poll::new().unwrap();
        let mut events = Events::with_capacity(8);
        let started = Instant::now();

        assert_eq!(poll.poll(&mut events, Some(ms(0))).unwrap(), 0);
        assert!(started.elapsed() < Duration::from_secs(1));
    });
}

#[test]
fn a_timeout_too_long_for_the_clock_is_no_time_limit() {
    within(10, || {
        let mut poll = Poll::new().unwrap();
        let waker = Waker::new(&poll.registrator(), Token(4)).unwrap();
        waker.wake().unwrap();
        let mut events = Events::with_capacity(8);
        assert_eq!(poll.poll(&mut events, Some(Duration::MAX)).unwrap(), 1);
        assert_eq!(events[0].token(), Token(4));
    });
}

#[test]
fn a_stream_is_registered_once_then_reregistered() {
    within(10, || {
        let (stream, _peer) = connected_pair();
        let poll = Poll::new().unwrap();
        let registrator = poll.registrator();
        let not_yet = registrator
            .reregister(&stream, Token(1), Interests::READABLE)
            .unwrap_err();
        assert_eq!(not_yet.kind(), ErrorKind::NotFound);

        registrator
            .register(&stream, Token(1), Interests::READABLE)
            .unwrap();
        let twice = registrator
            .register(&stream, Token(1), Interests::READABLE)
            .unwrap_err();
        assert_eq!(twice.kind(), ErrorKind::AlreadyExists);
        registrator
            .reregister(&stream, Token(2), Interests::WRITABLE)
            .unwrap();
    });
}

#[test]
fn a_deregistered_stream_is_reported_no_more() {
    within(10, || {
        let (stream, mut peer) = connected_pair();
        let mut poll = Poll::new().unwrap();
        let registrator = poll.registrator();
        let mut events = Events::with_capacity(8);
        registrator
            .register(&stream, Token(1), Interests::READABLE)
            .unwrap();
        registrator.deregister(&stream).unwrap();

        // Armed, and ready, but off the queue: no event.
        peer.write_all(b"ignored").unwrap();
        assert_eq!(poll.poll(&mut events, Some(ms(100))).unwrap(), 0);

        // Off the queue, it can be neither re-armed nor taken off again,
        // but it can be registered anew.
        let error = registrator
            .reregister(&stream, Token(1), Interests::READABLE)
            .unwrap_err();
        assert_eq!(error.kind(), ErrorKind::NotFound);
        let error = registrator.deregister(&stream).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::NotFound);
        registrator
            .register(&stream, Token(1), Interests::READABLE)
            .unwrap();
        assert_eq!(poll.poll(&mut events, Some(ms(5_000))).unwrap(), 1);
    });
}

#[test]
fn the_reserved_token_is_refused() {
    within(10, || {
        let (stream, _peer) = connected_pair();
        let poll = Poll::new().unwrap();
        let error = poll
            .registrator()
            .register(&stream, Token(usize::MAX), Interests::READABLE)
            .unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidInput);
    });
}

#[test]
fn close_loop_from_another_thread_wakes_a_poll_that_waits_forever() {
    within(10, || {
        let mut poll = Poll::new().unwrap();
        let registrator = poll.registrator();
        let (result_sender, result) = mpsc::channel();
        let poller = thread::spawn(move || {
            let mut events = Events::with_capacity(8);
            result_sender.send(poll.poll(&mut events, None)).unwrap();
            poll
        });

        // Give the poller time to block, then close the loop from here.
        thread::sleep(Duration::from_millis(100));
        registrator.close_loop().unwrap();

        let woken = result
            .recv_timeout(Duration::from_secs(5))
            .expect("poll was not woken");
        assert_eq!(woken.unwrap_err().kind(), ErrorKind::Interrupted);

        // Every later poll fails the same way, at once, even with no timeout.
        let mut poll = poller.join().unwrap();
        let mut events = Events::with_capacity(8);
        for timeout in [None, Some(ms(0)), Some(ms(10_000))] {
            let error = poll.poll(&mut events, timeout).unwrap_err();
            assert_eq!(error.kind(), ErrorKind::Interrupted);
        }

        // And nothing more can be registered.
        let (stream, _peer) = connected_pair();
        let error = registrator
            .register(&stream, Token(1), Interests::READABLE)
            .unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Interrupted);
    });
}

#[test]
fn a_registrator_can_register_while_another_thread_polls() {
    within(10, || {
        let mut poll = Poll::new().unwrap();
        let registrator = poll.registrator();
        let poller = thread::spawn(move || {
            let mut events = Events::with_capacity(8);
            poll.poll(&mut events, None).unwrap();
            ids(&events)
        });

        thread::sleep(Duration::from_millis(50));
        let (stream, mut peer) = connected_pair();
        registrator
            .register(&stream, Token(5), Interests::READABLE)
            .unwrap();
        peer.write_all(b"late").unwrap();

        assert_eq!(poller.join().unwrap(), [5]);
    });
}

#[test]
fn a_hundred_sockets_each_report_their_own_token() {
    within(20, || {
        const SOCKETS: usize = 128;
        let mut poll = Poll::new().unwrap();
        let registrator = poll.registrator();
        let mut pairs = Vec::new();
        for token in 0..SOCKETS {
            let (stream, peer) = connected_pair();
            registrator
                .register(&stream, Token(token), Interests::READABLE)
                .unwrap();
            pairs.push((stream, peer));
        }
        for (_, peer) in &mut pairs {
            peer.write_all(b"x").unwrap();
        }

        let mut seen = Vec::new();
        let mut events = Events::with_capacity(32);
        while seen.len() < SOCKETS {
            let count = poll.poll(&mut events, Some(ms(5_000))).unwrap();
            assert!(
                count > 0,
                "only {} of {SOCKETS} sockets reported",
                seen.len()
            );
            assert!(count <= events.capacity());
            seen.extend(ids(&events));
        }

        // Each token exactly once: one-shot registrations do not repeat.
        assert_eq!(seen.len(), SOCKETS);
        assert_eq!(
            seen.into_iter().collect::<BTreeSet<_>>(),
            (0..SOCKETS).collect()
        );
    });
}

#[test]
fn the_registrator_can_be_sent_to_another_thread() {
    fn assert_send<T: Send>() {}
    fn assert_shared<T: Send + Sync>() {}
    assert_send::<Registrator>();
    assert_send::<Poll>();
    assert_send::<TcpStream>();
    assert_shared::<Waker>();
}

#[test]
fn a_waker_wakes_a_poll_that_waits_forever_with_its_token() {
    within(10, || {
        let mut poll = Poll::new().unwrap();
        let waker = Waker::new(&poll.registrator(), Token(7)).unwrap();
        let (polling, started) = mpsc::channel();
        let waiter = thread::spawn(move || {
            let mut events = Events::with_capacity(8);
            polling.send(()).unwrap();
            let count = poll.poll(&mut events, None).unwrap();
            (count, ids(&events))
        });

        // Whether or not the other thread is asleep in `poll` yet, the
        // wake reaches it: before a poll, it is kept for that poll.
        started.recv().unwrap();
        waker.wake().unwrap();

        assert_eq!(waiter.join().unwrap(), (1, vec![7]));
    });
}

#[test]
fn wakes_before_a_poll_give_it_one_event_and_no_more() {
    within(10, || {
        let mut poll = Poll::new().unwrap();
        let waker = Waker::new(&poll.registrator(), Token(3)).unwrap();
        for _ in 0..5 {
            waker.wake().unwrap();
        }
        let mut events = Events::with_capacity(8);

        let count = poll.poll(&mut events, Some(ms(5_000))).unwrap();
        assert_eq!((count, ids(&events)), (1, vec![3]));

        // Nothing woke it since: this one times out.
        let count = poll.poll(&mut events, Some(ms(50))).unwrap();
        assert_eq!(count, 0);

        // And a new wake is a new event.
        waker.wake().unwrap();
        let count = poll.poll(&mut events, Some(ms(5_000))).unwrap();
        assert_eq!((count, ids(&events)), (1, vec![3]));
    });
}

#[test]
fn a_waker_and_a_socket_each_report_their_own_token() {
    within(10, || {
        let (stream, mut peer) = connected_pair();
        let mut poll = Poll::new().unwrap();
        let registrator = poll.registrator();
        let waker = Waker::new(&registrator, Token(100)).unwrap();
        registrator
            .register(&stream, Token(1), Interests::READABLE)
            .unwrap();
        peer.write_all(b"ping").unwrap();
        waker.wake().unwrap();

        let mut seen = BTreeSet::new();
        let mut events = Events::with_capacity(8);
        while seen.len() < 2 {
            let count = poll.poll(&mut events, Some(ms(5_000))).unwrap();
            assert!(count > 0, "only {seen:?} reported");
            seen.extend(ids(&events));
        }
        assert_eq!(seen, BTreeSet::from([1, 100]));
    });
}

#[test]
fn a_waker_cannot_have_the_reserved_token() {
    let poll = Poll::new().unwrap();
    let error = Waker::new(&poll.registrator(), Token(usize::MAX))
        .err()
        .expect("the reserved token is refused");
    assert_eq!(error.kind(), ErrorKind::InvalidInput);
}

#[test]
fn a_started_connect_is_reported_writable_once_the_peer_accepts() {
    within(10, || {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let mut stream = TcpStream::start_connect(listener.local_addr().unwrap()).unwrap();
        let mut poll = Poll::new().unwrap();
        poll.registrator()
            .register(&stream, Token(5), Interests::WRITABLE)
            .unwrap();
        let mut events = Events::with_capacity(8);
        poll.poll(&mut events, Some(ms(5_000))).unwrap();
        assert_eq!(ids(&events), [5]);
        assert!(stream.take_error().unwrap().is_none());

        stream.write_all(b"hello").unwrap();
        let (mut peer, _) = listener.accept().unwrap();
        let mut received = [0; 5];
        peer.read_exact(&mut received).unwrap();
        assert_eq!(&received, b"hello");
    });
}

#[test]
fn a_refused_connect_is_reported_and_take_error_says_why() {
    within(10, || {
        // A port that nothing listens on any more.
        let address = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap();
        let stream = TcpStream::start_connect(address).unwrap();
        let mut poll = Poll::new().unwrap();
        poll.registrator()
            .register(&stream, Token(6), Interests::WRITABLE)
            .unwrap();
        let mut events = Events::with_capacity(8);
        poll.poll(&mut events, Some(ms(5_000))).unwrap();
        assert_eq!(ids(&events), [6]);
        let error = stream.take_error().unwrap().expect("the connect failed");
        assert_eq!(error.kind(), ErrorKind::ConnectionRefused);
    });
}
