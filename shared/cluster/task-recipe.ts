import type { AttributeInfo, TableInfo } from '../api/schemas/pipeline';

/** The languages `joinery task init` writes a starting recipe for. */
export const RECIPE_LANGUAGES = ['python', 'octave', 'r', 'shell'] as const;
export type RecipeLanguage = (typeof RECIPE_LANGUAGES)[number];

/** A recipe: the files of a folder that `joinery task build` turns into the task's image. */
export interface TaskRecipe {
  files: { name: string; content: string; mode?: number }[];
}

/** A placeholder value of an attribute's type, so the first result.json already passes the checks. */
export function placeholderValue(a: AttributeInfo): unknown {
  const t = a.datajoint_type.toLowerCase();
  if (a.nullable) return null;
  if (a.is_blob || a.is_attachment || a.is_filepath) return null;
  if (a.json) return {};
  if (a.uuid) return '00000000-0000-0000-0000-000000000000';
  if (/^(tiny|small|medium|big)?int|^int\d|^bool/.test(t)) return 0;
  if (/^(float|double|decimal|numeric)/.test(t)) return 0.0;
  if (/^datetime|^timestamp/.test(t)) return '2000-01-01 00:00:00';
  if (/^date/.test(t)) return '2000-01-01';
  if (/^enum\((.*)\)/.test(t)) return /^enum\(\s*(['"])(.*?)\1/.exec(a.datajoint_type)?.[2] ?? '';
  return '';
}

/** The secondary attributes a job must write, with placeholders (blobs and attachments left for the author). */
function resultRow(table: TableInfo): Record<string, unknown> {
  return Object.fromEntries(table.attributes.filter((a) => !a.in_key).map((a) => [a.name, placeholderValue(a)]));
}

function describeAttrs(table: TableInfo, comment: string): string {
  return table.attributes
    .filter((a) => !a.in_key)
    .map((a) => `${comment}   ${a.name} : ${a.datajoint_type}${a.comment ? `  # ${a.comment}` : ''}`)
    .join('\n');
}

const HEADER = (table: TableInfo, comment: string) =>
  [
    `${comment} Task of ${table.full_name} (${table.class_name}, ${table.tier}), written by joinery task init.`,
    `${comment} Reads /joinery/in/key.json, inputs.json and params.json; writes /joinery/out/result.json:`,
    `${comment} {"rows": [{...secondary attributes...}], "parts": {"PartName": [...]}}. Attributes to fill:`,
    describeAttrs(table, comment),
  ].join('\n');

/**
 * A minimal, working recipe for a table in one language: a Dockerfile and a script that reads the
 * job's folder and writes a result.json with every secondary attribute (placeholder values of the
 * right types), plus task.json to store with `joinery task set` once the image is built.
 */
export function taskRecipe(table: TableInfo, lang: RecipeLanguage, image: string): TaskRecipe {
  const row = JSON.stringify(resultRow(table));
  const task = (command: string[]) => ({
    name: 'task.json',
    content:
      JSON.stringify({ image, command, resources: { cpus: 1, memory: '1G' }, timeout_s: 3600, retries: 1 }, null, 2) +
      '\n',
  });
  switch (lang) {
    case 'python':
      return {
        files: [
          {
            name: 'Dockerfile',
            content:
              'FROM python:3.12-slim\nCOPY compute.py /opt/task/compute.py\nCMD ["python3", "/opt/task/compute.py"]\n',
          },
          {
            name: 'compute.py',
            content: [
              HEADER(table, '#'),
              'import json',
              'import os',
              '',
              'IN = os.environ.get("JOINERY_IN", "/joinery/in")',
              'OUT = os.environ.get("JOINERY_OUT", "/joinery/out")',
              '',
              'key = json.load(open(os.path.join(IN, "key.json")))',
              'inputs = json.load(open(os.path.join(IN, "inputs.json")))',
              'params = json.load(open(os.path.join(IN, "params.json")))',
              '',
              `row = json.loads(${JSON.stringify(row)})  # replace with the computation`,
              'with open(os.path.join(OUT, "result.json"), "w") as f:',
              '    json.dump({"rows": [row]}, f)',
              '',
            ].join('\n'),
          },
          task(['python3', '/opt/task/compute.py']),
        ],
      };
    case 'octave':
      return {
        files: [
          {
            name: 'Dockerfile',
            content:
              'FROM gnuoctave/octave:9.2.0\nCOPY compute.m /opt/task/compute.m\nCMD ["octave-cli", "/opt/task/compute.m"]\n',
          },
          {
            name: 'compute.m',
            content: [
              HEADER(table, '%'),
              "in_dir = getenv('JOINERY_IN'); if isempty(in_dir), in_dir = '/joinery/in'; end",
              "out_dir = getenv('JOINERY_OUT'); if isempty(out_dir), out_dir = '/joinery/out'; end",
              "key = jsondecode(fileread(fullfile(in_dir, 'key.json')));",
              "params = jsondecode(fileread(fullfile(in_dir, 'params.json')));",
              `row = jsondecode('${row.replaceAll("'", "''")}');  % replace with the computation`,
              "fid = fopen(fullfile(out_dir, 'result.json'), 'w');",
              "fprintf(fid, '%s', jsonencode(struct('rows', {{row}})));",
              'fclose(fid);',
              '',
            ].join('\n'),
          },
          task(['octave-cli', '/opt/task/compute.m']),
        ],
      };
    case 'r':
      return {
        files: [
          {
            name: 'Dockerfile',
            content:
              'FROM r-base:4.4.1\nRUN Rscript -e \'install.packages("jsonlite")\'\nCOPY compute.R /opt/task/compute.R\nCMD ["Rscript", "/opt/task/compute.R"]\n',
          },
          {
            name: 'compute.R',
            content: [
              HEADER(table, '#'),
              'library(jsonlite)',
              'in_dir <- Sys.getenv("JOINERY_IN", "/joinery/in")',
              'out_dir <- Sys.getenv("JOINERY_OUT", "/joinery/out")',
              'key <- fromJSON(file.path(in_dir, "key.json"))',
              'params <- fromJSON(file.path(in_dir, "params.json"))',
              `row <- fromJSON(${JSON.stringify(row)})  # replace with the computation`,
              'write(toJSON(list(rows = list(row)), auto_unbox = TRUE, null = "null"), file.path(out_dir, "result.json"))',
              '',
            ].join('\n'),
          },
          task(['Rscript', '/opt/task/compute.R']),
        ],
      };
    case 'shell':
      return {
        files: [
          {
            name: 'Dockerfile',
            content: 'FROM lab/busybox:1\nCOPY compute.sh /opt/task/compute.sh\nCMD ["sh", "/opt/task/compute.sh"]\n',
          },
          {
            name: 'compute.sh',
            mode: 0o755,
            content: [
              '#!/bin/sh',
              HEADER(table, '#'),
              'IN="${JOINERY_IN:-/joinery/in}"',
              'OUT="${JOINERY_OUT:-/joinery/out}"',
              'cat "$IN/key.json" >&2   # the key this job computes',
              `printf '%s' '{"rows": [${row.replaceAll("'", "'\\''")}]}' > "$OUT/result.json"`,
              '',
            ].join('\n'),
          },
          task(['sh', '/opt/task/compute.sh']),
        ],
      };
  }
}
