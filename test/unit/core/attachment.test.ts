import { describe, expect, it } from 'vitest';
import { ATTACHMENT_INLINE_LIMIT, decodeAttachment, encodeAttachment } from '../../../electron/core/data/attachment';
import { isAppError } from '../../../shared/errors';

/** DataJoint's internal attach cell (`filename\0contents`) and its bounded API form. */
describe('attachments', () => {
  it('stores filename, NUL, contents, as DataJoint does, and reads them back', () => {
    const bytes = encodeAttachment({ filename: 'scan ü.pdf', base64: Buffer.from('a\0b').toString('base64') });
    expect(bytes).toEqual(Buffer.concat([Buffer.from('scan ü.pdf'), Buffer.from([0]), Buffer.from('a\0b')]));
    expect(decodeAttachment(bytes)).toEqual({
      type: 'attachment',
      filename: 'scan ü.pdf',
      size: 3,
      base64: Buffer.from('a\0b').toString('base64'),
    });
  });

  it('omits the contents of files above the inline limit and says so', () => {
    expect(ATTACHMENT_INLINE_LIMIT).toBe(16 * 1024 * 1024);
    const big = Buffer.concat([Buffer.from('big.bin\0'), Buffer.alloc(2048)]);
    expect(decodeAttachment(big, 1024)).toEqual({
      type: 'attachment',
      filename: 'big.bin',
      size: 2048,
      base64: null,
      note: expect.stringContaining('not sent inline'),
    });
  });

  it('calls bytes without a file name corrupt instead of guessing', () => {
    try {
      decodeAttachment(Buffer.from('no separator'));
      expect.unreachable();
    } catch (e) {
      expect(isAppError(e) && e.code).toBe('VALIDATION');
      expect((e as Error).message).toMatch(/no NUL separator/);
    }
  });
});
