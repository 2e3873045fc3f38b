// Preloaded (`node --require`: --import would run the main script through the ES module loader)
// into a run of bin/hopscope by bench/cliTimeline.ts: at exit, writes to stderr one line
// `hopscope-timeline {...}` with the moments (ms since the process started) a trace reaches on its
// critical path: its code running, each built file compiled and run (bin/hopscope compiles them
// through vm.Script), mtr-packet spawned, the version check written and answered, the first probe
// written and its first reply read, the output written, and the exit.
'use strict';
// Builtins by process.getBuiltinModule (Node 20.16+): a preload has no use for the module loader.
const childProcess = process.getBuiltinModule('node:child_process');
const vm = process.getBuiltinModule('node:vm');
const { basename } = process.getBuiltinModule('node:path');
const { performance } = process.getBuiltinModule('node:perf_hooks');

const marks = { userCode: performance.now() };
const once = (name) => (marks[name] ??= performance.now());

const Script = vm.Script;
vm.Script = class TimedScript extends Script {
  constructor(code, options) {
    const file = basename(options?.filename ?? 'script');
    once(`compile ${file}`);
    super(code, options);
    once(`compiled ${file}`);
    this.file = file;
  }
  runInThisContext(...args) {
    const wrapper = super.runInThisContext(...args);
    return (...moduleArgs) => {
      once(`run ${this.file}`);
      const exports = wrapper(...moduleArgs);
      once(`ran ${this.file}`);
      return exports;
    };
  }
};

const spawn = childProcess.ChildProcess.prototype.spawn;
childProcess.ChildProcess.prototype.spawn = function timedSpawn(options) {
  once('spawn');
  const result = spawn.call(this, options);
  once('spawned');
  const write = this.stdin.write.bind(this.stdin);
  this.stdin.write = (chunk, ...rest) => {
    const text = String(chunk);
    if (text.includes('check-support')) once('version check written');
    if (text.includes('send-probe')) once('first probe written');
    return write(chunk, ...rest);
  };
  let reads = 0;
  this.stdout.on('data', () => once(++reads === 1 ? 'version check answered' : 'first reply read'));
  return result;
};

const stdoutWrite = process.stdout.write.bind(process.stdout);
process.stdout.write = (chunk, ...rest) => {
  once('output written');
  return stdoutWrite(chunk, ...rest);
};

process.on('exit', () => {
  once('exit');
  const { nodeStart, v8Start, bootstrapComplete } = performance.nodeTiming;
  const boot = { nodeStart, v8Start, bootstrapComplete };
  process.stderr.write(`hopscope-timeline ${JSON.stringify({ ...boot, ...marks })}\n`);
});
