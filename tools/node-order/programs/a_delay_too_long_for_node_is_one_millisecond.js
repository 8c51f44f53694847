// The same program as `a_delay_too_long_for_node_is_one_millisecond` in src/programs.rs.
const say = (line) => () => console.log(line);

setTimeout(say('huge'), 2 ** 31);
setTimeout(say('later'), 500);
