// The same program as `after_a_timer_an_immediate_runs_before_a_timeout_it_set` in src/programs.rs.
const say = (line) => () => console.log(line);

setTimeout(() => {
  console.log('timer');
  setTimeout(say('timeout'), 0);
  setImmediate(say('immediate'));
}, 5);
