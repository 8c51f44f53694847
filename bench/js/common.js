// What every workload script shares: its arguments, a pseudo-random
// sequence that is the same as the Rust side's, and the result line.
'use strict';

// xorshift32: the same numbers as `Random` in bench/src/tally.rs.
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state ^= state << 13; state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5; state >>>= 0;
    return state;
  };
}

// The line the bench reads: `ok key=value ...` or `failed reason=...`.
function report(fields) {
  const rss = process.resourceUsage().maxRSS; // kilobytes
  const words = Object.entries({ ...fields, peak_kb: rss }).map(([k, v]) => `${k}=${v}`);
  console.log(['ok', ...words].join(' '));
}

function fail(reason) {
  const rss = process.resourceUsage().maxRSS;
  console.log(`failed reason=${String(reason).replace(/\s+/g, '_')} peak_kb=${rss}`);
  process.exitCode = 1;
}

module.exports = { random, report, fail };
