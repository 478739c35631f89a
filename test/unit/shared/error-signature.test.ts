import { describe, expect, it } from 'vitest';
import { errorSignature } from '../../../shared/model/error-signature';

describe('errorSignature', () => {
  it('masks numbers so failures of different keys share one signature', () => {
    expect(errorSignature('JobError: the command exited with code 3 (item 17)')).toBe(
      'JobError: the command exited with code <n> (item <n>)',
    );
    expect(errorSignature('ValueError: threshold -0.25 exceeds 1e-3')).toBe('ValueError: threshold <n> exceeds <n>');
  });

  it('masks paths, hashes, ids, quoted values and key dicts', () => {
    expect(errorSignature('FileNotFoundError: /data/raw/mouse_12/session_3.tif: no such file')).toBe(
      'FileNotFoundError: <path>: no such file',
    );
    expect(errorSignature('bad key {"subject_id": 3, "session": 2} in C:\\lab\\run.py')).toBe('bad key {…} in <path>');
    expect(errorSignature("KeyError: 'mouse_7' for job 0cc175b9c0f1b6a831c399e269772661")).toBe(
      "KeyError: '…' for job <hash>",
    );
    expect(errorSignature('container 123e4567-e89b-12d3-a456-426614174000 failed')).toBe('container <id> failed');
  });

  it('keeps the words and the exception class, and collapses whitespace', () => {
    expect(errorSignature('  OutOfMemoryError:\n  the job used more   than its memory  ')).toBe(
      'OutOfMemoryError: the job used more than its memory',
    );
    expect(errorSignature('')).toBe('');
  });

  it('gives messages that differ only in masked parts the same signature, and different causes different ones', () => {
    const a = errorSignature('JobError: exit 1 for /tmp/job-81/in/key.json');
    const b = errorSignature('JobError: exit 2 for /tmp/job-9/in/key.json');
    const c = errorSignature('TimeoutError: exit 1 for /tmp/job-81/in/key.json');
    expect(a).toBe(b);
    expect(a).not.toBe(c);
  });

  it('bounds the signature length', () => {
    expect(errorSignature('x'.repeat(10_000)).length).toBe(4096);
  });
});
