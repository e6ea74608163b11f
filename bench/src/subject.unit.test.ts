import { describe, expect, it } from 'vitest';
import { parseSubjects, subjectNames } from './subject.ts';

describe('parseSubjects', () => {
  it('runs every subject when BENCH_SUBJECTS is unset or empty', () => {
    expect(parseSubjects(undefined)).toEqual([...subjectNames]);
    expect(parseSubjects(' ')).toEqual([...subjectNames]);
  });

  it('keeps the run order whatever order the names are given in', () => {
    expect(parseSubjects('warren-tuned, naive,raw')).toEqual(['raw', 'naive', 'warren-tuned']);
  });

  it('rejects an unknown subject, naming the known ones', () => {
    expect(() => parseSubjects('naive,warren')).toThrow(/unknown subject "warren"; known: raw, naive/);
  });
});
