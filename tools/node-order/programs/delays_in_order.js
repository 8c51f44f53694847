// The same program as `delays_in_order` in src/programs.rs.
const say = (line) => () => console.log(line);

setTimeout(say('c'), 300);
setTimeout(say('a'), 100);
setTimeout(say('b'), 200);
