// The same program as `clearing_a_timeout_that_has_fired_changes_nothing` in src/programs.rs.
const say = (line) => () => console.log(line);

const t = setTimeout(say('a'), 5);
setTimeout(() => {
  clearTimeout(t);
  console.log('b');
}, 200);
