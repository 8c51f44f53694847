// The same program as `a_timeout_may_clear_itself_while_it_runs` in src/programs.rs.
const say = (line) => () => console.log(line);

const t = setTimeout(() => {
  clearTimeout(t);
  console.log('ran');
}, 10);
