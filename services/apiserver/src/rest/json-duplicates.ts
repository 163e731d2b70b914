/**
 * Finds keys that appear twice in one JSON object. JSON.parse silently keeps the last one;
 * kube-apiserver's strict decoding reports them (`duplicate field "spec.replicas"`), so
 * the REST layer scans a body that already parsed as valid JSON.
 */
import { StatusError } from '@tkube/api';

const MAX_DEPTH = 1000;
const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const VALUE_END = new Set([',', '}', ']', ' ', '\t', '\n', '\r']);

/** Paths (without a leading dot) of repeated keys in valid JSON text. */
export function findDuplicateKeys(text: string): string[] {
  const duplicates: string[] = [];
  let i = 0;
  const skipWhitespace = () => {
    while (i < text.length && WHITESPACE.has(text[i])) i++;
  };
  const readString = (): string => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const readValue = (path: string, depth: number): void => {
    if (depth > MAX_DEPTH)
      throw StatusError.badRequest(`the object provided is nested more than ${MAX_DEPTH} levels deep`);
    skipWhitespace();
    const c = text[i];
    if (c === '{') {
      i++;
      const seen = new Set<string>();
      skipWhitespace();
      if (text[i] === '}') {
        i++;
        return;
      }
      while (i < text.length) {
        skipWhitespace();
        const key = readString();
        const keyPath = path === '' ? key : `${path}.${key}`;
        if (seen.has(key)) duplicates.push(keyPath);
        seen.add(key);
        skipWhitespace();
        i++; // ':'
        readValue(keyPath, depth + 1);
        skipWhitespace();
        if (text[i++] !== ',') return;
      }
      return;
    }
    if (c === '[') {
      i++;
      skipWhitespace();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (let index = 0; i < text.length; index++) {
        readValue(`${path}[${index}]`, depth + 1);
        skipWhitespace();
        if (text[i++] !== ',') return;
      }
      return;
    }
    if (c === '"') {
      readString();
      return;
    }
    while (i < text.length && !VALUE_END.has(text[i])) i++;
  };
  readValue('', 0);
  return duplicates;
}
