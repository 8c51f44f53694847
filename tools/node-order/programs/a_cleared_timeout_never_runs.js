// The same program as `a_cleared_timeout_never_runs` in src/programs.rs.
const say = (line) => () => console.log(line);

const t = setTimeout(say('x'), 10);
clearTimeout(t);
setTimeout(say('y'), 20);
