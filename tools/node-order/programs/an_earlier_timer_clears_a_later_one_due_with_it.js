// The same program as `an_earlier_timer_clears_a_later_one_due_with_it` in src/programs.rs.
const say = (line) => () => console.log(line);

let b;
setTimeout(() => {
  console.log('a');
  clearTimeout(b);
}, 10);
b = setTimeout(say('b'), 10);
setTimeout(say('c'), 10);
