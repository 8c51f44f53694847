// The same program as `a_timeout_set_during_the_timers_phase_waits` in src/programs.rs.
const say = (line) => () => console.log(line);

setTimeout(() => {
  console.log('a');
  setTimeout(say('c'), 0);
}, 10);
setTimeout(say('b'), 10);
