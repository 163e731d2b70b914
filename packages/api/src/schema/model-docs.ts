/**
 * Descriptions and required fields of client-node models, read from the doc comments of
 * their declaration files (the generator copies Kubernetes' field docs there). Optional:
 * when the declarations cannot be found, schemas simply carry no descriptions.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ModelDocs {
  description?: string;
  /** JSON field name -> description. */
  fields: Map<string, string>;
  /** JSON field names declared without `?`. */
  required: string[];
}

const MODELS_DIR = join('node_modules', '@kubernetes', 'client-node', 'dist', 'gen', 'models');

function findModelsDir(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 8; depth++) {
    const candidate = join(dir, MODELS_DIR);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return undefined;
}

let modelsDir: string | null | undefined;
const cache = new Map<string, ModelDocs>();

function cleanComment(comment: string): string {
  return comment
    .split('\n')
    .map((line) => line.replace(/^\s*\/?\*+\/?\s?/, '').trimEnd())
    .filter((line) => line !== '/' && line !== '')
    .join('\n')
    .trim();
}

const CLASS_DOC = /\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*export declare class/;
const FIELD = /(?:\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*)?'([^']+)'(\?)?:/g;

/** The docs of one model ("V1DeploymentSpec"); empty when its declaration is not found. */
export function modelDocs(modelName: string, jsonNames: ReadonlyMap<string, string>): ModelDocs {
  const cached = cache.get(modelName);
  if (cached) return cached;
  const docs: ModelDocs = { fields: new Map(), required: [] };
  cache.set(modelName, docs);
  if (modelsDir === undefined) modelsDir = findModelsDir() ?? null;
  if (!modelsDir) return docs;
  const file = join(modelsDir, `${modelName}.d.ts`);
  if (!existsSync(file)) return docs;
  const text = readFileSync(file, 'utf8');
  const classDoc = CLASS_DOC.exec(text);
  if (classDoc) docs.description = cleanComment(classDoc[1]);
  const body = text.slice(text.indexOf('export declare class'));
  for (const match of body.matchAll(FIELD)) {
    const jsonName = jsonNames.get(match[2]) ?? match[2];
    if (match[1]) docs.fields.set(jsonName, cleanComment(match[1]));
    if (!match[3]) docs.required.push(jsonName);
  }
  return docs;
}
