// The same program as `an_immediate_set_by_an_immediate_waits_for_the_next_turn` in src/programs.rs.
const say = (line) => () => console.log(line);

setImmediate(() => {
  console.log('a');
  setImmediate(say('c'));
});
setImmediate(say('b'));
