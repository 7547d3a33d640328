import { getArguments, getEnvironment } from 'wasi:cli/environment@0.2.12';
import { exit } from 'wasi:cli/exit@0.2.12';

export const run = {
  run() {
    console.log("hello from js", 1 / 3, 2 ** 60, [1, "two", { three: 3 }]);
    console.log("args:", JSON.stringify(getArguments().slice(1)));
    console.log("env:", JSON.stringify(getEnvironment().filter(([k]) => k.startsWith("JS_"))));
    const m = new Map([["a", 1], ["b", 2]]);
    console.log("map size", m.size, "json", JSON.stringify({ x: [1.5, null, "ünï ✓"] }));
    console.error("to stderr");
    try { null.x; } catch (e) { console.log("caught", e.constructor.name); }
    let s = 0;
    for (let i = 0; i < 1e6; i++) s += i % 7;
    console.log("sum", s, new Date(0).toISOString(), Math.sqrt(2).toFixed(12));
    const mode = getArguments()[1];
    if (mode === "throw") throw new Error("boom from js");
    if (mode === "exit") exit({ tag: "err" });
  }
};
