//! `Crypto`, our stand-in for Node's `crypto`: CPU-heavy work, done on
//! the pool so that the loop stays free.

use crate::{Js, ThreadPoolTaskKind, register_pool_task};

// ANCHOR: crypto
/// CPU-heavy work, done on the pool so that the loop stays free.
pub struct Crypto;

impl Crypto {
    /// Computes the Fibonacci number `fib(n)`, the slow recursive way: our
    /// stand-in for real encryption. The callback gets it as a `Js::Int`,
    /// or a `Js::Error` if it is too large for a `usize`. Each step of `n`
    /// takes about 1.6 times as long as the one before.
    pub fn encrypt(n: usize, callback: impl FnOnce(Js) + 'static) {
        let work = move || {
            if fibonacci_fits(n) {
                Js::Int(fibonacci(n))
            } else {
                Js::Error(format!("fib({n}) is too large for a usize"))
            }
        };
        register_pool_task(ThreadPoolTaskKind::Encrypt, work, callback);
    }
}

fn fibonacci(n: usize) -> usize {
    if n < 2 {
        n
    } else {
        fibonacci(n - 1) + fibonacci(n - 2)
    }
}

/// Whether `fib(n)` fits in a `usize`: counts up to it, quickly, and
/// checks every addition.
fn fibonacci_fits(n: usize) -> bool {
    // `previous` and `latest` are fib(k - 1) and fib(k), from k = 1 up to n.
    let (mut previous, mut latest) = (0_usize, 1_usize);
    for _ in 1..n {
        let Some(next) = previous.checked_add(latest) else {
            return false;
        };
        (previous, latest) = (latest, next);
    }
    true
}
// ANCHOR_END: crypto

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fibonacci_numbers_are_right_and_too_large_ones_are_caught() {
        assert_eq!([0, 1, 2, 10, 20].map(fibonacci), [0, 1, 1, 55, 6765]);
        assert!(fibonacci_fits(0) && fibonacci_fits(1) && fibonacci_fits(40));
        assert!(!fibonacci_fits(200));
    }

    #[test]
    #[cfg(target_pointer_width = "64")]
    fn the_largest_fibonacci_number_that_fits_in_64_bits_is_fib_93() {
        assert!(fibonacci_fits(93)); // 12,200,160,415,121,876,738
        assert!(!fibonacci_fits(94));
    }
}
