// The same program as `timeouts_set_from_an_immediate_run_by_delay` in src/programs.rs.
const say = (line) => () => console.log(line);

setImmediate(() => {
  setTimeout(say('b'), 200);
  setTimeout(say('a'), 10);
});
