// The same program as `delays_in_order` in src/programs.rs.
const say = (line) => () => console.log(line);

setTimeout(say('c'), 30);
setTimeout(say('a'), 10);
setTimeout(say('b'), 20);
