// The same program as `each_interval_run_is_followed_by_its_immediate` in src/programs.rs.
const say = (line) => () => console.log(line);

let runs = 0;
const id = setInterval(() => {
  runs += 1;
  console.log(`run ${runs}`);
  setImmediate(say(`immediate ${runs}`));
  if (runs === 2) clearInterval(id);
}, 10);
