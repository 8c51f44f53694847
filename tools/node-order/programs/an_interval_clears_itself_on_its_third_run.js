// The same program as `an_interval_clears_itself_on_its_third_run` in src/programs.rs.
const say = (line) => () => console.log(line);

let runs = 0;
const id = setInterval(() => {
  runs += 1;
  console.log(`run ${runs}`);
  if (runs === 3) clearInterval(id);
}, 10);
