/**
 * A dataset from a CSV file (docs/model.md section 10, "Dataset CSV"): columns
 * `type,name,parent,malicious`. Users come in file order (the workload deals
 * them to threads round-robin); projects and tasks keep file order under
 * their parent. Every problem is reported with its line.
 */
import type { Dataset, Project, Task, User } from './dataset.ts';
import { sortIssues, UserError, type Issue } from '../util/errors.ts';
import { readTextFile } from '../util/text-file.ts';

/** Larger dataset files are refused (the paper's has about a thousand lines). */
export const maxDatasetBytes = 64 << 20;
/** Reporting stops after this many issues: a wrong file would otherwise list every line. */
const maxIssues = 50;

const columns = ['type', 'name', 'parent', 'malicious'] as const;

/** Reads and checks a dataset CSV file. Throws UserError. */
export function readDatasetFile(path: string): Dataset {
  return parseDatasetCsv(readTextFile(path, 'the dataset file', maxDatasetBytes), path);
}

interface MutableProject extends Project {
  tasks: Task[];
  taskNames: Set<string>;
}
interface MutableUser extends User {
  projects: MutableProject[];
}

/** Parses dataset CSV text; `file` names it in messages. Throws UserError. */
export function parseDatasetCsv(text: string, file: string): Dataset {
  const issues: Issue[] = [];
  const fail = (line: number, message: string, column?: string) => {
    if (issues.length < maxIssues) issues.push({ file, line, path: column ?? '', message });
  };
  const rows = parseCsv(text.replace(/^\uFEFF/, ''), (line, message) => fail(line, message));
  const header = rows.shift();
  if (!header) fail(1, `expected a header line ${columns.join(',')}, found an empty file`);
  const index = header && headerIndex(header.fields, (m) => fail(header.line, m));
  if (!header || !index) throw new UserError(issues);
  const users: MutableUser[] = [];
  const userByName = new Map<string, MutableUser>();
  const projectByName = new Map<string, MutableProject>();
  for (const { line, fields } of rows) {
    if (fields.length !== header.fields.length) {
      fail(line, `expected ${header.fields.length} fields, found ${fields.length}`);
      continue;
    }
    const [type, name, parent, malicious] = columns.map((c) => fields[index[c]]);
    const okType = /^(user|project|task)$/i.test(type.trim());
    const okName = name.trim() !== '';
    const okMalicious = /^(true|false)$/i.test(malicious.trim());
    if (!okType) fail(line, `expected user, project or task, found ${JSON.stringify(type)}`, 'type');
    if (!okName) fail(line, 'expected a name, found an empty one', 'name');
    if (!okMalicious) fail(line, `expected true or false, found ${JSON.stringify(malicious)}`, 'malicious');
    if (!okType || !okName || !okMalicious) continue;
    const isBad = malicious.trim().toLowerCase() === 'true';
    switch (type.trim().toLowerCase()) {
      case 'user':
        if (parent !== '') fail(line, `expected no parent for a user, found ${JSON.stringify(parent)}`, 'parent');
        else if (userByName.has(name)) fail(line, `expected a unique user name, found ${JSON.stringify(name)} again`, 'name');
        else {
          const u: MutableUser = { name, malicious: isBad, projects: [] };
          users.push(u);
          userByName.set(name, u);
        }
        break;
      case 'project': {
        const u = userByName.get(parent);
        if (!u) fail(line, `expected the name of a user on an earlier line, found ${JSON.stringify(parent)}`, 'parent');
        else if (projectByName.has(name)) fail(line, `expected a unique project name, found ${JSON.stringify(name)} again`, 'name');
        else {
          const p: MutableProject = { name, malicious: isBad, tasks: [], taskNames: new Set() };
          u.projects.push(p);
          projectByName.set(name, p);
        }
        break;
      }
      case 'task': {
        const p = projectByName.get(parent);
        if (!p) fail(line, `expected the name of a project on an earlier line, found ${JSON.stringify(parent)}`, 'parent');
        else if (p.taskNames.has(name)) fail(line, `expected a task name unique within project ${JSON.stringify(parent)}, found ${JSON.stringify(name)} again`, 'name');
        else {
          p.tasks.push({ name, malicious: isBad });
          p.taskNames.add(name);
        }
        break;
      }
    }
  }
  if (issues.length > 0) throw new UserError(sortIssues(issues));
  // Drop the bookkeeping so the result is exactly the Dataset shape.
  return users.map((u) => ({
    name: u.name,
    malicious: u.malicious,
    projects: u.projects.map((p) => ({ name: p.name, malicious: p.malicious, tasks: p.tasks })),
  }));
}

function headerIndex(fields: string[], fail: (message: string) => void): Record<(typeof columns)[number], number> | undefined {
  const names = fields.map((f) => f.trim().toLowerCase());
  const missing = columns.filter((c) => !names.includes(c));
  const extra = names.filter((n) => !(columns as readonly string[]).includes(n));
  if (missing.length > 0 || extra.length > 0 || names.length !== columns.length) {
    fail(`expected the header ${columns.join(',')} (any order), found ${fields.join(',')}`);
    return undefined;
  }
  return Object.fromEntries(columns.map((c) => [c, names.indexOf(c)])) as Record<(typeof columns)[number], number>;
}

export interface CsvRow {
  /** 1-based line on which the row starts. */
  line: number;
  fields: string[];
}

/**
 * RFC 4180 CSV: fields separated by commas, optionally double-quoted (a
 * quoted field may hold commas, newlines and doubled quotes), rows ended by
 * LF or CRLF. Blank lines are skipped.
 */
export function parseCsv(text: string, fail: (line: number, message: string) => void): CsvRow[] {
  const rows: CsvRow[] = [];
  let line = 1;
  let i = 0;
  while (i < text.length) {
    const start = line;
    const fields: string[] = [];
    for (;;) {
      let field = '';
      if (text[i] === '"') {
        i++;
        for (;;) {
          if (i >= text.length) {
            fail(start, 'expected a closing quote, found the end of the file');
            return rows;
          }
          const c = text[i++];
          if (c === '"' && text[i] === '"') (field += '"'), i++;
          else if (c === '"') break;
          else {
            if (c === '\n') line++;
            field += c;
          }
        }
        if (i < text.length && !/[,\r\n]/.test(text[i])) fail(line, `expected a comma after a quoted field, found ${JSON.stringify(text[i])}`);
      }
      while (i < text.length && text[i] !== ',' && text[i] !== '\n' && !(text[i] === '\r' && text[i + 1] === '\n')) field += text[i++];
      fields.push(field);
      if (text[i] === ',') i++;
      else break;
    }
    if (text[i] === '\r') i++;
    if (text[i] === '\n') (i++, line++);
    if (!(fields.length === 1 && fields[0] === '')) rows.push({ line: start, fields });
  }
  return rows;
}
