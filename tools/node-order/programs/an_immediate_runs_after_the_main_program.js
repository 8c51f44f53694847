// The same program as `an_immediate_runs_after_the_main_program` in src/programs.rs.
const say = (line) => () => console.log(line);

setImmediate(say('immediate'));
console.log('main');
