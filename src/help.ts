/** The --help text: the single source of truth, copied verbatim into the README (a test keeps them equal). */
export const HELP = `
  Find memory leaks in a live Node.js process, from the terminal.

  Usage
    $ heaptop [target] [options]                 live view (needs a terminal)
    $ heaptop check [target] [options]           watch, then report and exit (CI)
    $ heaptop analyze FILE.heapsnapshot... [--json]
                                                 one file summarised, two or more compared

  Target
    9229 | HOST:PORT | ws://...     an inspector (node --inspect) to attach to
    --pid PID                       a running Node process: its inspector is opened
                                    (SIGUSR1) and closed again when heaptop leaves
    -- COMMAND [ARGS...]            start COMMAND with an inspector and watch it
    (none)                          the live view starts the bundled leaky demo app
    --worker ID                     with any target: watch its worker thread ID (the
                                    id heaptop lists, or the thread's name) instead
                                    of the main thread

  Options
    --interval DURATION             metrics sampling period (default 1s)
    --snapshot-every DURATION       background heap snapshots; 0 turns them off
                                    (default 30s live, 10s check)
    --duration DURATION             how long check watches (default 60s)
    --json                          check/analyze: the report as JSON on stdout
    --save-snapshots DIR            keep each snapshot as a .heapsnapshot file (0600)
    --redact                        with --save-snapshots: replace string values
    --force-snapshot                take snapshots even when the safety gate refuses
    --max-pause-share FRACTION      longest share of time snapshots may pause the
                                    target (default 0.05; 0.25 for a process that
                                    heaptop starts itself)
    --no-alloc-sampling             do not run the sampling heap profiler
    --sampling-interval BYTES       allocation sampling interval (default 32768)
    --allow-remote                  allow attaching to a non-loopback inspector
    --no-color                      no colours (NO_COLOR is honoured too)
    --verbose                       print stack traces of unexpected errors
    --help, --version

  DURATION is a number with ms, s, m or h: 1500ms, 10s, 2m.
  Exit codes: 0 no leak found, 1 leak suspected, 2 error.

  Examples
    $ npm start                                  watch the bundled demo app
    $ heaptop 9229
    $ heaptop --pid 4242
    $ heaptop check --duration 45s --json -- node test/scenario.js
    $ heaptop analyze before.heapsnapshot after.heapsnapshot
`;
