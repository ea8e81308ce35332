/** The bench's floor must look for exactly what the tool looks for, or the ratio means nothing. */
import { expect, it } from 'vitest';
import { INPUT_POINT_TEXT } from '../src/analysis/input-point-text.js';
// @ts-expect-error plain JavaScript module without types, kept loader-free for a fair floor
import { FLOOR_TEXT_TEST } from '../bench/floor.mjs';

it('uses the same text test as the pre-filter', () => {
  expect((FLOOR_TEXT_TEST as RegExp).source).toBe(INPUT_POINT_TEXT.source);
});
