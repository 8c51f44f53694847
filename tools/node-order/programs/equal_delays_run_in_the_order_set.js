// The same program as `equal_delays_run_in_the_order_set` in src/programs.rs.
const say = (line) => () => console.log(line);

setTimeout(say('a'), 10);
setTimeout(say('b'), 10);
setTimeout(say('c'), 10);
