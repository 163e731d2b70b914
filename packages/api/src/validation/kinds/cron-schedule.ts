/**
 * The cron syntax CronJob accepts (robfig/cron's ParseStandard): five fields (minute hour
 * day-of-month month day-of-week) with names, ranges, lists, steps, `*` and `?`, or a
 * descriptor (@hourly, @every 1h30m, ...). Returns robfig's error text, or undefined when fine.
 */

interface Bounds {
  min: number;
  max: number;
  names?: Record<string, number>;
}

const MONTH_NAMES = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};
const DAY_NAMES = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };

const FIELD_BOUNDS: readonly Bounds[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: MONTH_NAMES },
  { min: 0, max: 6, names: DAY_NAMES },
];

const DESCRIPTORS = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);

class CronError extends Error {}

/** Go's strconv.Atoi, with its error text. */
function parseNonNegativeInt(expr: string): number {
  if (!/^[+-]?[0-9]+$/.test(expr)) {
    throw new CronError(
      `failed to parse int from ${expr}: strconv.Atoi: parsing ${JSON.stringify(expr)}: invalid syntax`,
    );
  }
  const num = Number(expr);
  if (num < 0) throw new CronError(`negative number (${num}) not allowed: ${expr}`);
  return num;
}

function parseIntOrName(expr: string, names: Record<string, number> | undefined): number {
  const named = names?.[expr.toLowerCase()];
  return named ?? parseNonNegativeInt(expr);
}

function checkRange(expr: string, bounds: Bounds): void {
  const rangeAndStep = expr.split('/');
  const lowAndHigh = (rangeAndStep[0] ?? '').split('-');
  let start: number;
  let end: number;
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    start = bounds.min;
    end = bounds.max;
  } else {
    start = parseIntOrName(lowAndHigh[0] ?? '', bounds.names);
    if (lowAndHigh.length === 1) end = start;
    else if (lowAndHigh.length === 2) end = parseIntOrName(lowAndHigh[1] ?? '', bounds.names);
    else throw new CronError(`too many hyphens: ${expr}`);
  }
  let step = 1;
  if (rangeAndStep.length === 2) {
    step = parseNonNegativeInt(rangeAndStep[1] ?? '');
    // "N/step" means "N-max/step".
    if (lowAndHigh.length === 1) end = bounds.max;
  } else if (rangeAndStep.length > 2) {
    throw new CronError(`too many slashes: ${expr}`);
  }
  if (start < bounds.min) throw new CronError(`beginning of range (${start}) below minimum (${bounds.min}): ${expr}`);
  if (end > bounds.max) throw new CronError(`end of range (${end}) above maximum (${bounds.max}): ${expr}`);
  if (start > end) throw new CronError(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
  if (step === 0) throw new CronError(`step of range should be a positive number: ${expr}`);
}

/** Go's time.ParseDuration, enough to accept what it accepts. */
function isGoDuration(text: string): boolean {
  return /^[+-]?((\d+(\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h))+$/.test(text) || text === '0';
}

function parseDescriptor(spec: string): void {
  if (DESCRIPTORS.has(spec)) return;
  const every = '@every ';
  if (spec.startsWith(every)) {
    const duration = spec.slice(every.length);
    if (!isGoDuration(duration)) {
      throw new CronError(`failed to parse duration ${spec}: time: invalid duration ${JSON.stringify(duration)}`);
    }
    return;
  }
  throw new CronError(`unrecognized descriptor: ${spec}`);
}

export function cronScheduleError(schedule: string): string | undefined {
  try {
    let spec = schedule;
    if (spec.length === 0) throw new CronError('empty spec string');
    const tz = /^(CRON_TZ|TZ)=(\S*)\s*/.exec(spec);
    if (tz) spec = spec.slice(tz[0].length);
    if (spec.startsWith('@')) {
      parseDescriptor(spec);
      return undefined;
    }
    const fields = spec.split(/\s+/).filter((f) => f.length > 0);
    if (fields.length !== FIELD_BOUNDS.length) {
      throw new CronError(
        `expected exactly ${FIELD_BOUNDS.length} fields, found ${fields.length}: [${fields.join(' ')}]`,
      );
    }
    fields.forEach((field, i) => {
      const bounds = FIELD_BOUNDS[i] as Bounds;
      for (const expr of field.split(',')) checkRange(expr, bounds);
    });
    return undefined;
  } catch (err) {
    if (err instanceof CronError) return err.message;
    throw err;
  }
}
