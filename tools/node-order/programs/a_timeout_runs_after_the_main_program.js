// The same program as `a_timeout_runs_after_the_main_program` in src/programs.rs.
const say = (line) => () => console.log(line);

setTimeout(say('timeout'), 0);
console.log('main');
