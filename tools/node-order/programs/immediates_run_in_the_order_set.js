// The same program as `immediates_run_in_the_order_set` in src/programs.rs.
const say = (line) => () => console.log(line);

setImmediate(say('a'));
setImmediate(say('b'));
setImmediate(say('c'));
