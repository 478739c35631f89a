import { describe, expect, it } from 'vitest';
import { optionValue, parseArgs, portOption } from '../../../electron/headless/args';

describe('CLI argument parsing', () => {
  const spec = { db: 'value', json: 'flag', port: 'value' } as const;

  it('reads values, = values, flags and positionals', () => {
    const a = parseArgs(['--db', 'sqlite:x.db', '--json', 'extra', '--port=9'], spec, 'inspect');
    expect(optionValue(a, 'db')).toBe('sqlite:x.db');
    expect(a.options.get('json')).toBe(true);
    expect(optionValue(a, 'port')).toBe('9');
    expect(a.positionals).toEqual(['extra']);
  });

  it.each([
    [['--nope'], /unknown option --nope for "joinery inspect"/],
    [['--db'], /--db needs a value/],
    [['--db', '--json'], /--db needs a value/],
    [['--json=1'], /--json takes no value/],
  ])('%j is a usage error', (argv, message) => {
    expect(() => parseArgs(argv, spec, 'inspect')).toThrow(message);
  });

  it('checks ports', () => {
    expect(portOption(undefined, 8765, 'serve')).toBe(8765);
    expect(portOption('0', 8765, 'serve')).toBe(0);
    expect(() => portOption('70000', 1, 'serve')).toThrow(/0 to 65535/);
    expect(() => portOption('abc', 1, 'serve')).toThrow(/0 to 65535/);
  });
});
