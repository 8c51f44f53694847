// The same program as `zero_delays_run_in_the_order_set` in src/programs.rs.
const say = (line) => () => console.log(line);

setTimeout(say('a'), 0);
setTimeout(say('b'), 0);
setTimeout(say('c'), 0);
