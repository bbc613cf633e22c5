// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { describeFrequency } from './frequency';

describe('standing-order frequencies', () => {
  it.each([
    ['EvryDay', 'Every day'],
    ['EvryWorkgDay', 'Every working day'],
    ['IntrvlDay:14', 'Every 14 days'],
    ['IntrvlWkDay:01:03', 'Every week on Wednesday'],
    ['IntrvlWkDay:02:05', 'Every 2 weeks on Friday'],
    ['IntrvlMnthDay:01:15', 'Every month on the 15th'],
    ['IntrvlMnthDay:03:-01', 'Every 3 months on the last day'],
    ['IntrvlMnthDay:01:22', 'Every month on the 22nd'],
    ['QtrDay:ENGLISH', 'Quarterly (english)'],
    ['WkInMnthDay:02:01', 'Every month, 2nd Monday'],
    ['Fortnightly', 'Fortnightly'],
    ['IntrvlDay:xx', 'IntrvlDay:xx'],
  ])('reads %s as “%s”', (code, words) => {
    expect(describeFrequency(code)).toBe(words);
  });
});
