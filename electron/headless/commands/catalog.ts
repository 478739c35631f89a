import type { OptionSpec } from '../args';

/**
 * What `--help` shows of each command, apart from the code that runs it, so that the CLI lists
 * and explains commands without loading the core (which takes most of a command's start time).
 */
export interface CommandSpec {
  name: string;
  summary: string;
  usage: string;
  options: OptionSpec;
}

export const serveSpec: CommandSpec = {
  name: 'serve',
  summary: 'Serve the Joinery UI to a browser (login link printed on start)',
  usage:
    'joinery serve [--db URL] [--port N] [--host ADDRESS] [--auth token|mysql] [--session-minutes N]\n\n' +
    'Login: the printed link (token, the default), or with --auth mysql and --db mysql://host:port each person\n' +
    'logs in with their own MySQL/MariaDB account, so the database decides what they see and do. Sessions end\n' +
    'at logout or after --session-minutes without a request (default 30). Browsers open and create SQLite files\n' +
    'only inside the data folder (and the --db file).',
  options: { db: 'value', port: 'value', host: 'value', auth: 'value', 'session-minutes': 'value' },
};

export const inspectSpec: CommandSpec = {
  name: 'inspect',
  summary: 'List the schemas, tables and jobs of a database',
  usage: 'joinery inspect [--db URL [--create]] [--schema NAME]... [--json]',
  options: { db: 'value', create: 'flag', schema: 'value', json: 'flag' },
};

export const declareSpec: CommandSpec = {
  name: 'declare',
  summary: 'Declare the tables of a definitions file (JSON), all or nothing',
  usage:
    'joinery declare [--db URL] --file defs.json [--conventions 0.14|2] [--job-metadata] [--json]\n\n' +
    'The file is an array of {"schema", "class_name", "tier", "definition"} objects, in any order,\n' +
    'or {"adapters": {"<name>": "<sql type>"}, "tables": [...]}. Part tables are "Master.Part".\n' +
    '--conventions: DataJoint 0.14 or 2.x conventions for schemas that are new or empty (default:\n' +
    "JOINERY_CONVENTIONS, else those of the database's DataJoint schemas, else 2); an existing schema keeps its own.\n" +
    '--job-metadata (2.x): hidden _job_* columns on Imported/Computed tables.',
  options: { db: 'value', file: 'value', json: 'flag', conventions: 'value', 'job-metadata': 'flag' },
};

export const insertSpec: CommandSpec = {
  name: 'insert',
  summary: 'Insert the rows of a CSV or JSON file into a table, all or nothing',
  usage:
    'joinery insert [--db URL [--create]] --table SCHEMA.TABLE --file rows.csv|rows.json [--format csv|json] [--skip-duplicates | --replace] [--allow-direct-insert] [--json]\n\n' +
    'TABLE is the stored name (#species, session__note) or the class name (Species, Session.Note).\n' +
    'CSV: a header row of attribute names; an empty field leaves the attribute out (default or null), "" is empty text.\n' +
    'JSON: an array of objects, or one object per line. Attachments are {"filename", "base64"} or a path\n' +
    'relative to the file. Errors name the line of the file; nothing is written when any row is refused.\n' +
    'Imported and Computed tables are filled by populate; --allow-direct-insert writes into them by hand.',
  options: {
    db: 'value',
    create: 'flag',
    table: 'value',
    file: 'value',
    format: 'value',
    'skip-duplicates': 'flag',
    replace: 'flag',
    'allow-direct-insert': 'flag',
    json: 'flag',
  },
};

export const querySpec: CommandSpec = {
  name: 'query',
  summary: 'Run a DataJoint query expression (e.g. "Subject * Session & \'weight > 20\'") and print its rows',
  usage:
    "joinery query [--db URL [--create]] [--json] [--schema NAME]... [--limit N] [--offset N] [--order-by ATTR]... [--count | --sql] '<expression>'",
  options: {
    db: 'value',
    create: 'flag',
    json: 'flag',
    schema: 'value',
    limit: 'value',
    offset: 'value',
    'order-by': 'value',
    count: 'flag',
    sql: 'flag',
  },
};

export const populateSpec: CommandSpec = {
  name: 'populate',
  summary: 'Compute pending keys of Imported/Computed tables, in dependency order',
  usage:
    'joinery populate [--db URL [--create]] [--schema S] [--table T] [--restrict JSON|name=value,...] [--workers N]\n' +
    '                [--runner inline|process|docker] [--inline MODULE] [--lease SECONDS] [--batch N] [--wait]\n' +
    '                [--allow-command-callbacks] [--json]\n' +
    '       joinery populate --backend slurm [--partition P] [--account A] [--array-parallel N] [--detach]\n' +
    '                [--spool DIR] [--joinery CMD] [--db URL [--create]] [--schema S] [--table T] [--restrict ...]\n' +
    '       joinery populate --backend k8s [--namespace N] [--image IMAGE] [--parallelism N] [--db URL [--create]] [--schema S] ...\n\n' +
    'Each table needs a task ("joinery task set"). Without --runner, the tasks choose: an inline function runs\n' +
    'inline, a command runs on this machine (--runner process), a Docker image in Docker (--runner docker).\n' +
    '--backend slurm hands the keys to Slurm as job arrays of "joinery run-job" and follows them to the end\n' +
    "(--detach: submit and return); --backend k8s creates Kubernetes Jobs with the kubeconfig's context.\n" +
    '--inline MODULE registers the functions a JS/TS module exports, for tasks with an "inline" name.\n' +
    '--wait also waits for keys other Joinery workers hold, taking them over if their lease expires.\n' +
    'Exit status 1 when any job ended in error, or keys of the tables sit in error from an earlier run.',
  options: {
    db: 'value',
    create: 'flag',
    schema: 'value',
    table: 'value',
    restrict: 'value',
    workers: 'value',
    runner: 'value',
    inline: 'value',
    lease: 'value',
    batch: 'value',
    wait: 'flag',
    'allow-command-callbacks': 'flag',
    json: 'flag',
    backend: 'value',
    partition: 'value',
    account: 'value',
    'array-parallel': 'value',
    detach: 'flag',
    spool: 'value',
    joinery: 'value',
    namespace: 'value',
    image: 'value',
    parallelism: 'value',
  },
};

export const jobsSpec: CommandSpec = {
  name: 'jobs',
  summary: 'List jobs (reserved, running, waiting, error, ignore) and retry, ignore, cancel or prioritise them',
  usage:
    'joinery jobs [list] [--db URL [--create]] [--schema S]... [--table T] [--status reserved|running|waiting|error|ignore|failed] [--json]\n' +
    '       joinery jobs pending [--db URL [--create]] [--schema S]... [--json]\n' +
    '       joinery jobs retry|ignore|cancel --schema S [--table T] [--key-hash H]... [--key JSON]... [--status S] [--json]\n' +
    '       joinery jobs priority --schema S --table T --priority N [--key-hash H]... [--key JSON]... [--status S]\n' +
    '       joinery jobs runs --schema S [--table T] [--key-hash H] [--limit N] [--json]\n' +
    '       joinery jobs stale --schema S [--table T] [--json]\n' +
    '       joinery jobs plan --schema S --table T [--restrict JSON|name=value,...]   (JSON DAG of the jobs that would follow)\n' +
    '       joinery jobs callbacks --schema S [--table T] [--json]\n' +
    '       joinery jobs callback-add --schema S --table T --event insert|success|failure (--webhook URL | --command CMD)\n' +
    '       joinery jobs callback-remove --schema S --id N\n\n' +
    'retry clears error (and ignore) rows so the keys run again (without keys, key hashes or --status: the keys\n' +
    'in error); a reserved row is cleared only when chosen by\n' +
    "key, key hash or --status reserved and no live Joinery worker holds it (a dead DataJoint worker's reservation).",
  options: {
    db: 'value',
    create: 'flag',
    schema: 'value',
    table: 'value',
    status: 'value',
    'key-hash': 'value',
    key: 'value',
    priority: 'value',
    limit: 'value',
    restrict: 'value',
    event: 'value',
    webhook: 'value',
    command: 'value',
    id: 'value',
    json: 'flag',
  },
};

export const taskSpec: CommandSpec = {
  name: 'task',
  summary: 'Show, set and validate the tasks of Imported/Computed tables',
  usage:
    'joinery task list [--db URL [--create]] [--schema S]... [--json]\n' +
    '       joinery task show --schema S --table T [--json]\n' +
    '       joinery task set --schema S --table T (--file task.json | --spec JSON) [--json]\n' +
    '       joinery task validate --schema S --table T [--file task.json | --spec JSON] [--json]\n' +
    '       joinery task delete --schema S --table T\n' +
    '       joinery task init --schema S --table T --lang python|octave|r|shell [--out DIR] [--image NAME] [--force]\n' +
    '       joinery task test --schema S --table T --key JSON [--file task.json] [--runner docker|process] [--json]\n' +
    '       joinery task build --schema S --table T [--dir DIR] [--tag NAME:TAG]   (docker build, then task set with the image id)\n\n' +
    'A task is {"image"|"command"|"inline", "params", "inputs": [{"table": "schema.table", "attributes": [...]}],\n' +
    '"resources": {"cpus", "memory", "gpus", "gpu_memory", "labels"}, "timeout_s", "retries", "backoff_s", "priority", "cache", "mode"}.',
  options: {
    db: 'value',
    create: 'flag',
    schema: 'value',
    table: 'value',
    file: 'value',
    spec: 'value',
    json: 'flag',
    lang: 'value',
    out: 'value',
    image: 'value',
    key: 'value',
    runner: 'value',
    dir: 'value',
    tag: 'value',
    force: 'flag',
  },
};

export const workerSpec: CommandSpec = {
  name: 'worker',
  summary: 'Run jobs for the lab on this machine in Docker (a donated workstation or a server)',
  usage:
    'joinery worker [--db URL [--create]] [--schema S]... [--cpus N] [--memory 8G] [--gpus all|none|0,1] [--idle-only] [--idle-minutes N]\n' +
    '                      [--max-load PERCENT] [--once] [--grace SECONDS] [--worker-id ID] [--allow-command-callbacks]\n\n' +
    "Claims only jobs whose task fits this machine (CPUs, memory, GPUs, labels) and the owner's policy,\n" +
    'runs each in its own container (no network, not root, unless the task asks), and prints one line\n' +
    'whenever what it does, or why it does not, changes. SIGTERM/Ctrl-C finishes the jobs in hand\n' +
    '(for --grace seconds, default 30), then hands the rest back to the queue; a second signal hands back at once.\n' +
    "It sends the tables' job success/failure callbacks; command callbacks only with --allow-command-callbacks.",
  options: {
    db: 'value',
    create: 'flag',
    schema: 'value',
    cpus: 'value',
    memory: 'value',
    gpus: 'value',
    'idle-only': 'flag',
    'idle-minutes': 'value',
    'max-load': 'value',
    once: 'flag',
    grace: 'value',
    'worker-id': 'value',
    lease: 'value',
    'allow-command-callbacks': 'flag',
  },
};

export const storeSpec: CommandSpec = {
  name: 'store',
  summary: 'List and remove external-store objects that no row references any more',
  usage:
    'joinery store unused --schema S --store NAME [--db URL [--create]] [--json]\n' +
    '       joinery store clean --schema S --store NAME [--db URL [--create]] [--keep-files] [--yes] [--json]\n\n' +
    'Deleting rows leaves their blob@store, attach@store and filepath@store objects behind, as in DataJoint.\n' +
    '"clean" removes the unused objects\' tracking rows and files (DataJoint\'s external[store].delete(\n' +
    "delete_external_files=True)); without --yes it only says what it would remove. The store's folder\n" +
    'comes from the settings or JOINERY_STORES.',
  options: {
    db: 'value',
    create: 'flag',
    schema: 'value',
    store: 'value',
    'keep-files': 'flag',
    yes: 'flag',
    json: 'flag',
  },
};

export const runJobSpec: CommandSpec = {
  name: 'run-job',
  summary: 'Run one job (one key of one table) here: reserve it, run its task, commit, exit 0 or 1',
  usage:
    'joinery run-job --db URL --schema S --table T --key JSON [--runner docker|process] [--lease SECONDS] [--json]\n\n' +
    'The runner follows the task: an image runs in Docker, a command as a process on this machine.\n' +
    'Exit status: 0 computed (or already computed), 1 failed or held by another worker, 2 bad usage or input.',
  options: {
    db: 'value',
    schema: 'value',
    table: 'value',
    key: 'value',
    runner: 'value',
    lease: 'value',
    json: 'flag',
  },
};

export const exportSpec: CommandSpec = {
  name: 'export',
  summary: 'Write the jobs that staged rows start as a Slurm, Argo, Kubernetes, Prefect, Flyte or Snakemake workflow',
  usage:
    'joinery export slurm|argo|k8s|prefect|flyte|snakemake --db URL --schema S --table T [--restrict JSON|name=value,...]\n' +
    '       [--out PATH] [--name NAME] [--job-db URL] [--joinery CMD] [--image IMAGE] [--partition P] [--account A] [--namespace N]\n' +
    '       joinery export --plugin MODULE.mjs --db URL --schema S --table T [--restrict ...] [--option key=value]...\n\n' +
    'T is the table whose rows are staged (restricted by --restrict); the workflow holds every job that\n' +
    'follows from them downstream (jobs.plan), in dependency order, each step `joinery run-job`.\n' +
    '--job-db is the database URL the cluster uses (default: --db without its password; the jobs read\n' +
    'JOINERY_DB_PASSWORD). Without --out a single file goes to stdout.',
  options: {
    db: 'value',
    schema: 'value',
    table: 'value',
    restrict: 'value',
    out: 'value',
    name: 'value',
    'job-db': 'value',
    joinery: 'value',
    image: 'value',
    partition: 'value',
    account: 'value',
    namespace: 'value',
    plugin: 'value',
    option: 'value',
  },
};

/** `joinery migrate`: schema migrations. */
export const migrateSpec: CommandSpec = {
  name: 'migrate',
  summary:
    'Change table definitions, primary keys included, keeping the data (plan, apply, rollback, discard, history)',
  usage:
    'joinery migrate plan|apply --db URL --file change.json [--yes] [--allow-data-loss] [--json]\n' +
    '       joinery migrate rollback|discard --db URL [--id ID]   (default: the latest migration)\n' +
    '       joinery migrate history --db URL [--json]\n\n' +
    'change.json: {"changes": [{"table": "<schema>.<ClassName>", "definition": "<whole new definition>",\n' +
    '  "values": {"<new attribute>": <literal>}, "renames": {"<old>": "<new>"}}]}; tables that say -> Parent\n' +
    'follow the parent\'s new key without being listed. Optional per change: "rename_to": "<schema>.<Class>",\n' +
    '"tier": "Lookup|Manual|Imported|Computed", "split_from": "<schema>.<Class>" (a new 1:1 table taking attributes).\n' +
    'apply asks before it starts; --yes runs a plan that loses no data, --allow-data-loss also a lossy one.\n' +
    'An interrupted apply resumes when run again with the same file.',
  options: { db: 'value', file: 'value', id: 'value', yes: 'flag', 'allow-data-loss': 'flag', json: 'flag' },
};

/** Every command that works, in the order `--help` lists them. */
export const COMMAND_SPECS: readonly CommandSpec[] = [
  serveSpec,
  inspectSpec,
  declareSpec,
  insertSpec,
  querySpec,
  populateSpec,
  jobsSpec,
  taskSpec,
  workerSpec,
  storeSpec,
  runJobSpec,
  exportSpec,
  migrateSpec,
];
