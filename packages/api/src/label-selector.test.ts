import { describe, expect, it } from 'vitest';
import { StatusError } from './errors.js';
import {
  everything,
  isQualifiedName,
  isValidLabelValue,
  labelSelectorToSelector,
  nothing,
  parseLabelSelector,
  validateLabelSelector,
} from './label-selector.js';

const NAME_PART_REGEX =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE_REGEX =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

function parseError(text: string): StatusError {
  try {
    parseLabelSelector(text);
  } catch (err) {
    if (err instanceof StatusError) return err;
    throw err;
  }
  throw new Error(`expected ${JSON.stringify(text)} to be rejected`);
}

describe('parseLabelSelector string form', () => {
  it.each([
    ['', ''],
    ['x=a,y=b,z=c', 'x=a,y=b,z=c'],
    ['z=c,x=a', 'x=a,z=c'],
    [' x = a , y == b ', 'x=a,y==b'],
    ['x!=a', 'x!=a'],
    ['x in (b,a)', 'x in (a,b)'],
    ['x in (a,a)', 'x in (a)'],
    ['x notin (a)', 'x notin (a)'],
    ['x in ()', 'x in ()'],
    ['x in (,a)', 'x in (,a)'],
    ['x in (a,)', 'x in (,a)'],
    ['value in (in,notin)', 'value in (in,notin)'],
    ['x', 'x'],
    ['!x', '!x'],
    ['x=', 'x='],
    ['x>1,y<5', 'x>1,y<5'],
    ['example.com/app=web,tier', 'example.com/app=web,tier'],
    ['h notin (i),g,e!=f,!d,c in (y,x),a=b', 'a=b,c in (x,y),!d,e!=f,g,h notin (i)'],
  ])('%j prints as %j', (input, expected) => {
    expect(parseLabelSelector(input).toString()).toBe(expected);
  });

  it('is empty only without requirements', () => {
    expect(parseLabelSelector('').empty()).toBe(true);
    expect(parseLabelSelector('  ').empty()).toBe(true);
    expect(parseLabelSelector('a').empty()).toBe(false);
  });
});

describe('parseLabelSelector matching', () => {
  const matches = (selector: string, labels: Record<string, string> | undefined) =>
    parseLabelSelector(selector).matches(labels);

  it('matches equality', () => {
    expect(matches('a=b', { a: 'b', c: 'd' })).toBe(true);
    expect(matches('a==b', { a: 'b' })).toBe(true);
    expect(matches('a=b', { a: 'c' })).toBe(false);
    expect(matches('a=b', {})).toBe(false);
    expect(matches('a=', { a: '' })).toBe(true);
    expect(matches('a=', {})).toBe(false);
  });

  it('matches inequality, also where the label is missing', () => {
    expect(matches('a!=b', {})).toBe(true);
    expect(matches('a!=b', { a: 'c' })).toBe(true);
    expect(matches('a!=b', { a: 'b' })).toBe(false);
  });

  it('matches sets', () => {
    expect(matches('a in (x,y)', { a: 'y' })).toBe(true);
    expect(matches('a in (x,y)', { a: 'z' })).toBe(false);
    expect(matches('a in (x,y)', {})).toBe(false);
    expect(matches('a notin (x)', {})).toBe(true);
    expect(matches('a notin (x)', { a: 'x' })).toBe(false);
    expect(matches('a notin (x)', { a: 'w' })).toBe(true);
  });

  it('matches existence', () => {
    expect(matches('a', { a: '' })).toBe(true);
    expect(matches('a', {})).toBe(false);
    expect(matches('!a', {})).toBe(true);
    expect(matches('!a', { a: 'x' })).toBe(false);
    expect(matches('!a', undefined)).toBe(true);
    expect(matches('a', undefined)).toBe(false);
  });

  it('ignores properties inherited from Object.prototype', () => {
    expect(matches('constructor', {})).toBe(false);
    expect(matches('!toString', {})).toBe(true);
  });

  it('compares integers for > and <', () => {
    expect(matches('a>5', { a: '6' })).toBe(true);
    expect(matches('a>5', { a: '5' })).toBe(false);
    expect(matches('a<5', { a: '-10' })).toBe(true);
    expect(matches('a>5', { a: 'x' })).toBe(false);
    expect(matches('a>5', {})).toBe(false);
  });

  it('requires every requirement', () => {
    expect(matches('a=b,c', { a: 'b', c: '' })).toBe(true);
    expect(matches('a=b,c', { a: 'b' })).toBe(false);
  });
});

describe('parseLabelSelector errors', () => {
  it.each([
    ['x=a,', "found '', expected: identifier after ','"],
    ['x=a,,y', "found ',', expected: identifier after ','"],
    ['=a', "found '=', expected: !, identifier, or 'end of string'"],
    [')', "found ')', expected: !, identifier, or 'end of string'"],
    ['x=a=b', "found '=', expected: ',' or 'end of string'"],
    ['x y', "unable to parse requirement: found 'y', expected: in, notin, =, ==, !=, gt, lt"],
    ['x in a', "unable to parse requirement: found 'a' expected: '('"],
    ['x in (a', "unable to parse requirement: found '', expected: ',' or ')'"],
    ['x in (a b)', "unable to parse requirement: found 'b', expected: ',' or ')'"],
    ['x in (=)', "unable to parse requirement: found '=', expected: ',', ')' or identifier"],
    ['x in (a,=)', "unable to parse requirement: found '=', expected: ',', or identifier"],
    ['x=(', "unable to parse requirement: found '(', expected: identifier"],
    ['!', "unable to parse requirement: found '', expected: identifier"],
    [
      'x>a',
      `unable to parse requirement: values[0]: Invalid value: "a": for 'Gt', 'Lt' operators, the value must be an integer`,
    ],
    ['-x=a', `unable to parse requirement: <nil>: Invalid value: "-x": ${NAME_PART_REGEX}`],
    ['x=-a', `unable to parse requirement: values[0][x]: Invalid value: "-a": ${LABEL_VALUE_REGEX}`],
  ])('%j: %s', (input, message) => {
    const err = parseError(input);
    expect(err.message).toBe(message);
    expect(err.code).toBe(400);
    expect(err.reason).toBe('BadRequest');
  });

  it('reports a too long key with both its problems', () => {
    const key = `${'a'.repeat(64)}`;
    expect(parseError(key).message).toBe(
      `unable to parse requirement: <nil>: Invalid value: "${key}": name part must be no more than 63 characters`,
    );
    expect(parseError('Bad.Prefix/x').message).toContain('prefix part a lowercase RFC 1123 subdomain');
  });
});

describe('labelSelectorToSelector', () => {
  it('selects nothing for a missing selector and everything for an empty one', () => {
    expect(labelSelectorToSelector(null).matches({ a: 'b' })).toBe(false);
    expect(labelSelectorToSelector(undefined).matches({})).toBe(false);
    expect(labelSelectorToSelector(undefined).empty()).toBe(false);
    expect(labelSelectorToSelector({}).matches({ a: 'b' })).toBe(true);
    expect(labelSelectorToSelector({ matchLabels: {}, matchExpressions: [] }).empty()).toBe(true);
  });

  it('combines matchLabels and matchExpressions', () => {
    const selector = labelSelectorToSelector({
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['b', 'a'] },
        { key: 'canary', operator: 'DoesNotExist' },
        { key: 'env', operator: 'NotIn', values: ['dev'] },
        { key: 'team', operator: 'Exists' },
      ],
    });
    expect(selector.toString()).toBe('app=web,!canary,env notin (dev),team,tier in (a,b)');
    expect(selector.matches({ app: 'web', tier: 'a', team: 'x' })).toBe(true);
    expect(selector.matches({ app: 'web', tier: 'a', team: 'x', env: 'dev' })).toBe(false);
    expect(selector.matches({ app: 'web', tier: 'c', team: 'x' })).toBe(false);
    expect(selector.matches({ app: 'web', tier: 'a', team: 'x', canary: '' })).toBe(false);
  });

  it.each([
    [{ matchExpressions: [{ key: 'a', operator: 'Foo' }] }, '"Foo" is not a valid label selector operator'],
    [
      { matchExpressions: [{ key: 'a', operator: 'In' }] },
      "values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty",
    ],
    [
      { matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x', 'y'] }] },
      'values: Invalid value: []string{"x", "y"}: values set must be empty for exists and does not exist',
    ],
    [
      { matchLabels: { 'a/b/c': 'x' } },
      `key: Invalid value: "a/b/c": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ],
    [
      { matchLabels: { '-a': '-b' } },
      `[key: Invalid value: "-a": ${NAME_PART_REGEX}, values[0][-a]: Invalid value: "-b": ${LABEL_VALUE_REGEX}]`,
    ],
  ])('rejects %j', (selector, message) => {
    expect(() => labelSelectorToSelector(selector)).toThrow(message);
    try {
      labelSelectorToSelector(selector);
    } catch (err) {
      expect(err).toBeInstanceOf(StatusError);
      expect((err as StatusError).code).toBe(400);
    }
  });
});

describe('everything and nothing', () => {
  it('behave as their names say', () => {
    expect(everything().matches(undefined)).toBe(true);
    expect(everything().empty()).toBe(true);
    expect(everything().toString()).toBe('');
    expect(nothing().matches({})).toBe(false);
    expect(nothing().empty()).toBe(false);
    expect(nothing().toString()).toBe('');
  });
});

describe('validateLabelSelector', () => {
  it('accepts a valid selector and a missing one', () => {
    expect(validateLabelSelector(undefined, 'spec.selector')).toEqual([]);
    expect(
      validateLabelSelector(
        { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['a'] }] },
        'spec.selector',
      ),
    ).toEqual([]);
  });

  it('reports each problem at its field', () => {
    const causes = validateLabelSelector(
      {
        matchLabels: { 'bad key': 'ok', good: 'bad value' },
        matchExpressions: [
          { key: 'a', operator: 'In', values: [] },
          { key: 'b', operator: 'Exists', values: ['x'] },
          { key: 'c', operator: 'Equals' },
          { key: 'd', operator: 'NotIn', values: ['ok', '-no'] },
        ],
      },
      'spec.selector',
    );
    expect(causes).toEqual([
      {
        reason: 'FieldValueInvalid',
        field: 'spec.selector.matchLabels',
        message: `Invalid value: "bad key": ${NAME_PART_REGEX}`,
      },
      {
        reason: 'FieldValueInvalid',
        field: 'spec.selector.matchLabels',
        message: `Invalid value: "bad value": ${LABEL_VALUE_REGEX}`,
      },
      {
        reason: 'FieldValueRequired',
        field: 'spec.selector.matchExpressions[0].values',
        message: "Required value: must be specified when `operator` is 'In' or 'NotIn'",
      },
      {
        reason: 'FieldValueForbidden',
        field: 'spec.selector.matchExpressions[1].values',
        message: "Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
      },
      {
        reason: 'FieldValueInvalid',
        field: 'spec.selector.matchExpressions[2].operator',
        message: 'Invalid value: "Equals": not a valid selector operator',
      },
      {
        reason: 'FieldValueInvalid',
        field: 'spec.selector.matchExpressions[3].values[1]',
        message: `Invalid value: "-no": ${LABEL_VALUE_REGEX}`,
      },
    ]);
  });
});

describe('label syntax', () => {
  it.each(['app', 'a', 'a_b.c-d', 'example.com/app', 'kubernetes.io/hostname', 'A1', 'a'.repeat(63)])(
    '%j is a qualified name',
    (key) => expect(isQualifiedName(key)).toBe(true),
  );

  it.each(['', '/app', 'app/', 'a/b/c', '-a', 'a-', 'a b', 'Example.com/app', 'a'.repeat(64), `${'a'.repeat(254)}/b`])(
    '%j is not a qualified name',
    (key) => expect(isQualifiedName(key)).toBe(false),
  );

  it.each(['', 'v1', 'A_b', 'a.b-c', 'a'.repeat(63)])('%j is a label value', (value) => {
    expect(isValidLabelValue(value)).toBe(true);
  });

  it.each(['-a', 'a_', 'a b', 'a/b', 'a'.repeat(64)])('%j is not a label value', (value) => {
    expect(isValidLabelValue(value)).toBe(false);
  });
});

describe('selectors from unchecked input', () => {
  it('rejects keys and values that are not strings instead of crashing', () => {
    const selector = JSON.parse('{"matchExpressions":[{"operator":"Exists"}],"matchLabels":{"a":5}}');
    expect(() => labelSelectorToSelector(selector)).toThrow(StatusError);
    expect(validateLabelSelector(selector, 'spec.selector').map((c) => c.field)).toEqual([
      'spec.selector.matchLabels',
      'spec.selector.matchExpressions[0].key',
    ]);
  });
});
