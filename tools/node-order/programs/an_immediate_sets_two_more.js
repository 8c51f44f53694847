// The same program as `an_immediate_sets_two_more` in src/programs.rs.
const say = (line) => () => console.log(line);

setImmediate(() => {
  console.log('a');
  setImmediate(say('c'));
  setImmediate(say('d'));
});
setImmediate(say('b'));
